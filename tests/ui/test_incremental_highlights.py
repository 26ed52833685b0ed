"""Edits of one mention update the highlights in place, ending where a full re-render would."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6 import QtGui

from desktop.core.records import DocumentInfo, DocumentRecord, MentionRecord, NewDocument
from desktop.core.store import Store
from desktop.core.tokens import token_spans
from desktop.ui.annotate import AnnotationController
from desktop.ui.viewer import DocumentView, LabelStyle, chips
from desktop.ui.viewer.mention_index import MentionIndex, in_reading_order
from desktop.ui.viewer.offsets import OffsetMap

LABELS = {
    "ORG": LabelStyle("ORG", "#1f77b4", "o"),
    "GPE": LabelStyle("GPE", "#2ca02c", "g"),
    "PERSON": LabelStyle("PERSON", "#d62728", "p"),
}
# Surrogate pairs and "\r\n" make document positions differ from code point offsets.
TEXT = (
    "Hà Nội 😀 and Bank of China 😀 met.\r\n"
    "Guangxi Zhuang Autonomous Region hosts the China-ASEAN Expo in Nanning.\r\n"
    "Wei Tao 👩\u200d💻 and Le Hoai Trung talked about trade."
)
OFFSETS = OffsetMap(TEXT)


def at(phrase: str) -> tuple[int, int]:
    """The span of the first `phrase` in TEXT."""
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def named(mention_id: int, phrase: str, label: str = "ORG") -> MentionRecord:
    return record(mention_id, *at(phrase), label)


def record(mention_id: int, start: int, end: int, label: str = "ORG") -> MentionRecord:
    return MentionRecord(
        mention_id, 1, start, end, label, TEXT[start:end], "model", None, None, "proposed",
        None, None,
    )  # fmt: skip


# -- the index --------------------------------------------------------------------------------

spans = st.tuples(st.integers(0, len(TEXT)), st.sampled_from([0, 1, 3, 7, 20, 60])).map(
    lambda pair: (pair[0], min(len(TEXT), pair[0] + pair[1]))
)
# One step changes a few mentions at once: (what, which mention, its new span).
steps = st.lists(
    st.tuples(st.sampled_from(["add", "move", "drop"]), st.integers(0, 999), spans),
    min_size=1,
    max_size=3,
)


def assert_same_index(patched: MentionIndex, mentions: list[MentionRecord]) -> None:
    """`patched` answers as an index built from scratch with `mentions` does."""
    fresh = MentionIndex(mentions, OFFSETS)
    assert patched.ordered == fresh.ordered  # records, positions and nesting levels
    assert patched.by_id == fresh.by_id
    assert len(patched) == len(fresh)
    length = OFFSETS.qt_length
    for start in range(0, length + 1, 5):
        assert patched.overlapping(start, start + 9) == fresh.overlapping(start, start + 9)
    for position in range(0, length + 1, 7):
        assert patched.around(position) == fresh.around(position)


def apply_step(
    mentions: dict[int, MentionRecord], step: list, new_id: int
) -> tuple[dict[int, MentionRecord], set[int], int]:
    """Apply one step to `mentions`: (the changed mentions, the removed ids, the last new id)."""
    changed: dict[int, MentionRecord] = {}
    removed: set[int] = set()
    for what, which, (start, end) in step:
        if what == "add" or not mentions:
            new_id += 1
            mention_id = new_id
        else:
            mention_id = sorted(mentions)[which % len(mentions)]
        if what == "drop" and mention_id in mentions:
            del mentions[mention_id]
            changed.pop(mention_id, None)
            removed.add(mention_id)
        else:
            label = ("GPE", "PERSON", "ORG")[which % 3]
            mentions[mention_id] = changed[mention_id] = record(mention_id, start, end, label)
            removed.discard(mention_id)
    return changed, removed, new_id


@given(st.lists(spans, max_size=25), st.lists(steps, max_size=8))
def test_a_patched_index_equals_one_built_from_scratch(initial, plan) -> None:
    mentions = {i: record(i, s, e) for i, (s, e) in enumerate(initial)}
    index = MentionIndex(mentions.values(), OFFSETS)
    new_id = 1000
    for step in plan:
        changed, removed, new_id = apply_step(mentions, step, new_id)
        index.patch(changed.values(), removed, OFFSETS)
        assert_same_index(index, list(mentions.values()))


def opens_block(position: int) -> bool:
    """Paragraph starts for the chip tests: any fixed set of positions will do."""
    return position % 17 == 0


def chip_width(label: str) -> float:
    return 10.0 + len(label)


@given(st.lists(spans, max_size=25), st.lists(steps, max_size=8))
def test_chips_worked_out_again_near_a_change_equal_a_full_layout(initial, plan) -> None:
    mentions = {i: record(i, s, e, ("GPE", "ORG")[i % 2]) for i, (s, e) in enumerate(initial)}
    index = MentionIndex(mentions.values(), OFFSETS)
    gaps, slots = chips.layout(index.ordered, opens_block, chip_width)
    new_id = 1000
    for step in plan:
        changed, removed, new_id = apply_step(mentions, step, new_id)
        gone = {*removed, *changed}
        keys = [slots[i].key for i in gone if i in slots]
        index.patch(changed.values(), removed, OFFSETS)
        keys += [chips.gap_key(index.by_id[i], opens_block) for i in changed]
        near = lambda key: in_reading_order(index.overlapping(key, key + 2))  # noqa: E731
        keys = [k for k in keys if k is not None]
        gaps, slots = chips.relayout(gaps, slots, keys, gone, near, opens_block, chip_width)
        assert (gaps, slots) == chips.layout(index.ordered, opens_block, chip_width)


def test_removing_a_container_lifts_what_it_held() -> None:
    outer = record(1, at("Guangxi")[0], at("Expo")[1])
    inner = [named(2, "Guangxi"), named(3, "Zhuang"), named(4, "China-ASEAN")]
    later = named(5, "Le Hoai Trung")
    index = MentionIndex([outer, *inner, later], OFFSETS)
    assert [index.by_id[i].level for i in (2, 3, 4)] == [1, 1, 1]
    index.patch([], [1], OFFSETS)
    assert [index.by_id[i].level for i in (2, 3, 4, 5)] == [0, 0, 0, 0]
    index.patch([outer], [], OFFSETS)
    assert_same_index(index, [outer, *inner, later])


# -- the view ---------------------------------------------------------------------------------


def document(text: str = TEXT) -> DocumentRecord:
    info = DocumentInfo(1, "doc.txt", None, None, None, None, None, None, len(text))
    return DocumentRecord(info, text, ())


def make_view(qtbot) -> DocumentView:
    widget = DocumentView()
    qtbot.addWidget(widget)
    widget.resize(640, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def assert_renders_as_fresh(qtbot, view: DocumentView, mentions: list[MentionRecord]) -> None:
    """The view's highlights (and its pixels) equal those of a new view given `mentions`."""
    fresh = make_view(qtbot)
    record_shown = view.document_record()
    assert record_shown is not None
    fresh.set_document(record_shown, mentions, LABELS)
    fresh.select_mention(view.selected_mention())
    fresh.highlight_entity(view._entity)
    fresh.setTextCursor(QtGui.QTextCursor(fresh.document()))
    view.setTextCursor(QtGui.QTextCursor(view.document()))
    assert view.verticalScrollBar().value() == fresh.verticalScrollBar().value() == 0
    assert view._visible_highlights() == fresh._visible_highlights()
    assert view.chip_slots() == fresh.chip_slots()
    view.clearFocus()  # no text cursor drawn in either
    assert view.viewport().grab().toImage() == fresh.viewport().grab().toImage()


def test_update_mentions_draws_what_set_mentions_draws(qtbot) -> None:
    view = make_view(qtbot)
    mentions = {
        1: named(1, "Bank of China", "ORG"),
        2: named(2, "Guangxi Zhuang Autonomous Region", "GPE"),
        3: named(3, "Guangxi", "GPE"),  # inside 2
        4: named(4, "Wei Tao", "PERSON"),
    }
    view.set_document(document(), list(mentions.values()), LABELS)
    view.select_mention(3)
    view.highlight_entity([3, 4])
    steps: list[tuple[list[MentionRecord], list[int]]] = [
        ([named(5, "China", "GPE")], []),  # nested in 1
        ([named(3, "Zhuang", "ORG")], []),  # 3 moves, still inside 2
        ([], [2]),  # the container goes: 3 is outermost now
        ([named(1, "Bank", "ORG")], [4]),  # 1 shrinks (5 is no longer inside), 4 goes
        ([mentions[2]], [3]),  # the container is back, the selected mention goes
    ]
    for changed, removed in steps:
        view.update_mentions(changed, removed)
        for mention in changed:
            mentions[mention.id] = mention
        for mention_id in removed:
            mentions.pop(mention_id, None)
        assert_renders_as_fresh(qtbot, view, list(mentions.values()))
    assert view.selected_mention() is None
    assert view._entity == frozenset()


# -- the controller ---------------------------------------------------------------------------


@pytest.fixture
def edited(qtbot, tmp_path):
    """A store with one document, a view showing it and a controller editing it."""
    store = Store.open(tmp_path / "p.factdesk")
    doc_id, _ = store.documents.add(NewDocument(source="doc", text=TEXT))
    for phrase, label in [("Bank of China", "ORG"), ("Guangxi Zhuang", "GPE"), ("Guangxi", "GPE")]:
        store.mentions.add(doc_id, *at(phrase), label, origin="model", status="proposed")
    view = make_view(qtbot)
    stack = QtGui.QUndoStack()
    controller = AnnotationController(view, stack)
    controller.set_store(store)
    shown = store.documents.get(doc_id)
    assert shown is not None
    mentions = store.mentions.for_document(doc_id)
    view.set_document(shown, mentions, LABELS)
    controller.set_document(doc_id, shown.text, mentions)
    yield store, doc_id, view, stack, controller
    store.close()


def test_edits_undo_and_redo_patch_one_mention_and_match_the_store(
    qtbot, edited, monkeypatch
) -> None:
    store, doc_id, view, stack, controller = edited
    reads: list[int] = []
    for_document = store.mentions.for_document
    monkeypatch.setattr(
        store.mentions, "for_document", lambda i: reads.append(i) or for_document(i)
    )
    changed: list[int] = []
    controller.changed.connect(changed.append)

    def check() -> None:
        stored = for_document(doc_id)
        assert controller.mentions == stored  # same records, same order
        assert_renders_as_fresh(qtbot, view, stored)

    view.select_span(*at("Nanning"))
    controller.apply_label("GPE")  # label
    check()
    added = controller._selected()
    assert added is not None and added.text == "Nanning"
    controller.apply_label("ORG")  # relabel
    check()
    controller.move_edge("start", -1)  # resize: "in Nanning"
    check()
    controller.reject()
    check()
    guangxi = next(m for m in controller.mentions if m.text == "Guangxi")
    view.select_mention(guangxi.id)
    controller.delete()
    check()
    for _ in range(5):
        stack.undo()
        check()
    for _ in range(5):
        stack.redo()
        check()
    assert reads == []  # no step read the whole document again
    assert changed and set(changed) == {doc_id}

    controller.accept_all()  # many mentions at once: read the document again
    check()
    assert reads == [doc_id]
    stack.undo()
    check()
    assert reads == [doc_id, doc_id]


def test_undo_after_showing_another_document_leaves_the_shown_one_alone(qtbot, edited) -> None:
    store, doc_id, view, stack, controller = edited
    view.select_span(*at("Nanning"))
    controller.apply_label("GPE")
    other_text = "Another text about Hanoi."
    other_id, _ = store.documents.add(NewDocument(source="other", text=other_text))
    other = store.documents.get(other_id)
    assert other is not None
    view.set_document(other, [], LABELS)
    controller.set_document(other_id, other.text, [])
    changed: list[int] = []
    controller.changed.connect(changed.append)
    stack.undo()
    assert controller.mentions == [] and len(view._index) == 0
    assert changed == [doc_id]
    assert all(m.text != "Nanning" for m in store.mentions.for_document(doc_id))


def test_the_controller_uses_the_views_token_spans(edited) -> None:
    _store, _doc_id, view, _stack, controller = edited
    assert controller._tokens is view.token_spans()
    controller.set_document(controller.document_id, TEXT[:40], [])  # the view shows more
    assert controller._tokens == token_spans(TEXT[:40])
    assert controller._tokens is not view.token_spans()
