"""The entity sidebar: labels and names of one document or the corpus, and its signals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.core.entities.resolve import resolve
from desktop.core.records import NewDocument
from desktop.ui.models import canonical
from desktop.ui.models import entities as roles
from desktop.ui.models.canonical import CanonicalEntityModel
from desktop.ui.models.entities import EntityFilterProxy, EntityTreeModel
from desktop.ui.panels.entity_sidebar import EntitySidebar

TALKS = "Chairman Wei Tao met Minister Le Hoai Trung in Hanoi. Wei Tao thanked Hanoi."
VISIT = "Wei Tao visited Việt Nam in November."
TRADE = "Trade between Vietnam and China grew."


def span(text: str, name: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return start, start + len(name)


@pytest.fixture
def docs(store):
    """Two documents with mentions: Wei Tao twice in the first, once in the second."""
    store.labels.ensure()
    (talks, _), (visit, _) = store.documents.add_many(
        [NewDocument(source="talks", text=TALKS), NewDocument(source="visit", text=VISIT)]
    )
    ids = {
        "wei1": store.mentions.add(talks, *span(TALKS, "Wei Tao"), "PERSON"),
        "wei2": store.mentions.add(talks, *span(TALKS, "Wei Tao", 1), "PERSON", status="proposed"),
        "le": store.mentions.add(talks, *span(TALKS, "Le Hoai Trung"), "PERSON"),
        "hanoi1": store.mentions.add(talks, *span(TALKS, "Hanoi"), "GPE"),
        "hanoi2": store.mentions.add(talks, *span(TALKS, "Hanoi", 1), "GPE", status="rejected"),
        "wei3": store.mentions.add(visit, *span(VISIT, "Wei Tao"), "PERSON"),
        "vn": store.mentions.add(visit, *span(VISIT, "Việt Nam"), "GPE"),
    }
    mentions = {key: change.mention.id for key, change in ids.items()}
    return talks, visit, mentions


def rows(model, parent: QModelIndex | None = None) -> list[list]:
    parent = parent or QModelIndex()
    columns = model.columnCount(parent)
    return [
        [model.index(r, c, parent).data() for c in range(columns)]
        for r in range(model.rowCount(parent))
    ]


def child_rows(model, label: str) -> list[list]:
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        if index.data() == label:
            return rows(model, index)
    raise AssertionError(f"no label {label}")


def name_index(model, label: str, text: str):
    for r in range(model.rowCount()):
        parent = model.index(r, 0)
        if parent.data() != label:
            continue
        for n in range(model.rowCount(parent)):
            if model.index(n, 0, parent).data() == text:
                return model.index(n, 0, parent)
    raise AssertionError(f"no {label} {text}")


@pytest.fixture
def sidebar(qtbot, store, docs):
    widget = EntitySidebar()
    qtbot.addWidget(widget)
    widget.set_store(store)
    widget.show_document(docs[0])
    return widget


def test_tree_model_passes_the_model_tester(qapp, qtmodeltester, store, docs):
    talks, _visit, _ = docs
    labels = {lb.name: lb for lb in store.labels.all()}
    model = EntityTreeModel()
    qtmodeltester.check(model)
    model.set_entities(store.mentions.summary(talks), labels)
    qtmodeltester.check(model)
    proxy = EntityFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("viet")
    qtmodeltester.check(proxy)


def test_sidebar_lists_names_by_label_with_counts(sidebar, store, docs):
    model = sidebar.proxy
    assert rows(model) == [["PERSON", 3], ["GPE", 1]]  # palette order; rejected left out
    assert child_rows(model, "PERSON") == [["Wei Tao", 2], ["Le Hoai Trung", 1]]
    assert child_rows(model, "GPE") == [["Hanoi", 1]]
    assert sidebar.tree.isExpanded(model.index(0, 0))
    person = next(lb for lb in store.labels.all() if lb.name == "PERSON")
    icon = model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
    image = icon.pixmap(12, 12).toImage()
    assert image.pixelColor(6, 6) == QColor(person.color)


def test_selecting_a_name_emits_its_mentions_and_enables_stepping(qtbot, sidebar, docs):
    _talks, _visit, mentions = docs
    assert not sidebar.next_button.isEnabled()
    assert "Next mention" in sidebar.next_button.toolTip()
    wei = name_index(sidebar.proxy, "PERSON", "Wei Tao")
    with qtbot.waitSignal(sidebar.entity_selected) as selected:
        sidebar.tree.setCurrentIndex(wei)
    assert selected.args == [[mentions["wei1"], mentions["wei2"]]]
    assert sidebar.next_button.isEnabled() and sidebar.previous_button.isEnabled()
    with qtbot.waitSignal(sidebar.step_requested) as step:
        qtbot.mouseClick(sidebar.next_button, Qt.MouseButton.LeftButton)
    assert step.args == [1]
    with qtbot.waitSignal(sidebar.step_requested) as step:
        qtbot.mouseClick(sidebar.previous_button, Qt.MouseButton.LeftButton)
    assert step.args == [-1]
    with qtbot.waitSignal(sidebar.entity_selected) as selected:
        sidebar.tree.setCurrentIndex(sidebar.proxy.index(0, 0))  # the PERSON label: all of them
    assert selected.args == [sorted([mentions["wei1"], mentions["wei2"], mentions["le"]])]


def test_refresh_keeps_the_selected_name_quietly(qtbot, sidebar, store, docs):
    talks, visit, mentions = docs
    sidebar.tree.setCurrentIndex(name_index(sidebar.proxy, "PERSON", "Wei Tao"))
    store.mentions.set_status(mentions["wei2"], "rejected")
    with qtbot.assertNotEmitted(sidebar.entity_selected):
        sidebar.show_document(talks)  # after an edit: same document, re-read
    assert sidebar.selected_mention_ids() == [mentions["wei1"]]
    assert ["Wei Tao", 1] in child_rows(sidebar.proxy, "PERSON")
    with qtbot.waitSignal(sidebar.entity_selected) as selected:
        sidebar.show_document(visit)  # another document: the selection goes
    assert selected.args == [[]]
    assert child_rows(sidebar.proxy, "GPE") == [["Việt Nam", 1]]


def test_collapsed_labels_stay_collapsed_across_documents(qtbot, sidebar, docs):
    _talks, visit, _ = docs
    sidebar.show()
    sidebar.tree.collapse(sidebar.proxy.index(0, 0))  # PERSON
    sidebar.show_document(visit)
    assert not sidebar.tree.isExpanded(sidebar.proxy.index(0, 0))
    assert sidebar.tree.isExpanded(sidebar.proxy.index(1, 0))


def test_no_store_and_no_document_show_nothing(qtbot, store):
    widget = EntitySidebar()
    qtbot.addWidget(widget)
    widget.show_document(3)
    assert widget.proxy.rowCount() == 0
    widget.set_store(store)
    widget.show_document(None)
    assert widget.proxy.rowCount() == 0


# -- corpus mode: canonical entities ------------------------------------------------------


@pytest.fixture
def corpus(qtbot, store, docs, sidebar):
    """A third document writes Vietnam without diacritics; resolution links all three."""
    ((trade, _),) = store.documents.add_many([NewDocument(source="trade", text=TRADE)])
    store.mentions.add(trade, *span(TRADE, "Vietnam"), "GPE")
    resolve(store)
    with qtbot.waitSignals([sidebar.proposals.computed, sidebar.corpus_read], timeout=10_000):
        sidebar.corpus_button.click()  # both are read off the GUI thread
    return sidebar


def entity_row(model, kind: str, name: str):
    for r in range(model.rowCount()):
        parent = model.index(r, 0)
        if parent.data(roles.LABEL_ROLE) != kind:
            continue
        for n in range(model.rowCount(parent)):
            index = model.index(n, 0, parent)
            if index.data(canonical.ALIAS_ROLE) is None and name in _names(model, index):
                return index
    raise AssertionError(f"no {kind} entity {name}")


def _names(model, index) -> set[str]:
    return {index.data(), *(model.index(i, 0, index).data() for i in range(model.rowCount(index)))}


def test_corpus_lists_canonical_entities_by_kind_with_aliases(corpus, store, docs):
    model = corpus.tree.model()
    assert model is corpus.corpus_proxy
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Entity", "Mentions", "Docs",
    ]  # fmt: skip
    assert rows(model) == [["Person", 4, None], ["Place", 3, None]]  # rejected left out
    person = model.index(0, 0)
    assert rows(model, person) == [["Wei Tao", 3, 2], ["Le Hoai Trung", 1, 1]]
    vietnam = entity_row(model, "place", "Vietnam")
    assert [vietnam.siblingAtColumn(c).data() for c in (1, 2)] == [2, 2]
    assert _names(model, vietnam) == {"Việt Nam", "Vietnam"}  # one entity, the other an alias
    alias = model.index(0, 0, vietnam)
    assert alias.data(canonical.ALIAS_ROLE) == alias.data()
    assert alias.data(canonical.ENTITY_ID_ROLE) == vietnam.data(canonical.ENTITY_ID_ROLE)
    assert "Also written:" in vietnam.data(Qt.ItemDataRole.ToolTipRole)
    assert corpus.proposals.isVisibleTo(corpus)
    corpus.corpus_button.click()
    assert corpus.tree.model() is corpus.proxy and not corpus.proposals.isVisibleTo(corpus)


def test_corpus_highlights_the_shown_documents_mentions(qtbot, corpus, docs):
    _talks, _visit, mentions = docs
    model = corpus.tree.model()
    wei = entity_row(model, "person", "Wei Tao")
    vietnam = entity_row(model, "place", "Vietnam")
    assert vietnam.data(Qt.ItemDataRole.ForegroundRole) is not None  # not in this document
    assert vietnam.data(roles.MENTION_IDS_ROLE) == []
    with qtbot.waitSignal(corpus.entity_selected) as selected:
        corpus.tree.setCurrentIndex(wei)
    assert selected.args == [[mentions["wei1"], mentions["wei2"]]]
    assert corpus.next_button.isEnabled()


def test_corpus_filter_finds_entities_by_any_folded_alias(corpus):
    model = corpus.tree.model()
    for needle in ("viet nam", "VIETNAM", "việt"):
        corpus.filter_edit.setText(needle)
        assert rows(model) == [["Place", 3, None]], needle
        place = model.index(0, 0)
        assert model.rowCount(place) == 1 and corpus.tree.isExpanded(place)
    corpus.filter_edit.setText("hoai")
    assert [r[0] for r in rows(model, model.index(0, 0))] == ["Le Hoai Trung"]
    corpus.filter_edit.clear()
    assert model.rowCount() == 2


def test_corpus_selection_gives_entities_and_aliases(qtbot, corpus, store):
    model = corpus.tree.model()
    wei, le = (entity_row(model, "person", n) for n in ("Wei Tao", "Le Hoai Trung"))
    selection = corpus.tree.selectionModel()
    selection.select(wei, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    selection.select(le, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    ids = [wei.data(canonical.ENTITY_ID_ROLE), le.data(canonical.ENTITY_ID_ROLE)]
    assert corpus.selected_entity_ids() == ids
    assert corpus.selected_aliases() is None  # entities, not names under one
    vietnam = entity_row(model, "place", "Vietnam")
    corpus.tree.expand(vietnam)
    alias = model.index(0, 0, vietnam)
    corpus.tree.setCurrentIndex(alias)
    assert corpus.selected_aliases() == (vietnam.data(canonical.ENTITY_ID_ROLE), [alias.data()])
    corpus.tree.setCurrentIndex(wei)
    with qtbot.waitSignal(corpus.entity_activated) as activated:
        qtbot.keyClick(corpus.tree, Qt.Key.Key_Return)
    assert activated.args == [ids[0]]


def test_corpus_refresh_follows_entity_edits(qtbot, corpus, store):
    model = corpus.tree.model()
    wei, le = (entity_row(model, "person", n) for n in ("Wei Tao", "Le Hoai Trung"))
    corpus.tree.setCurrentIndex(le)
    store.entities.merge(wei.data(canonical.ENTITY_ID_ROLE), le.data(canonical.ENTITY_ID_ROLE))
    with qtbot.waitSignals([corpus.proposals.computed, corpus.corpus_read], timeout=10_000):
        corpus.refresh_corpus()
    assert rows(model, model.index(0, 0)) == [["Wei Tao", 4, 2]]
    assert _names(model, model.index(0, 0, model.index(0, 0))) == {"Wei Tao", "Le Hoai Trung"}


def test_corpus_without_entities_says_so(qtbot, store, docs, sidebar):
    with qtbot.waitSignal(sidebar.corpus_read, timeout=10_000):
        sidebar.corpus_button.click()
        assert sidebar.empty_label.text().startswith("Reading")
    assert sidebar.empty_label.isVisibleTo(sidebar)
    assert sidebar.empty_label.text().startswith("No entities yet")
    assert sidebar.tree.model().rowCount() == 0


def test_canonical_model_passes_the_model_tester(qapp, qtmodeltester, store, docs):
    resolve(store)
    model = CanonicalEntityModel()
    qtmodeltester.check(model)
    present = {m.entity_id: [(m.id, m.text)] for m in store.mentions.for_document(docs[0])}
    model.set_entities(store.entities.list(), store.entities.names(), present)
    assert model.entity_count() == 4
    qtmodeltester.check(model)
    proxy = EntityFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("wei")
    qtmodeltester.check(proxy)


def test_corpus_switching_documents_keeps_the_rows(qtbot, corpus, docs):
    _talks, visit, mentions = docs
    model = corpus.tree.model()
    vietnam = entity_row(model, "place", "Vietnam")
    corpus.tree.setCurrentIndex(vietnam)
    with qtbot.assertNotEmitted(corpus.corpus_read, wait=100):
        corpus.show_document(visit)  # no new read: only the shown document changed
    assert corpus.tree.currentIndex() == vietnam  # same row, not a reset model
    assert vietnam.data(roles.MENTION_IDS_ROLE) == [mentions["vn"]]
    assert vietnam.data(Qt.ItemDataRole.ForegroundRole) is None  # mentioned here: not dimmed
