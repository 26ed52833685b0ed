"""The entity sidebar: labels and names of one document or the corpus, and its signals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.core.records import NewDocument
from desktop.ui.models import entities as roles
from desktop.ui.models.entities import EntityFilterProxy, EntityTreeModel
from desktop.ui.panels.entity_sidebar import EntitySidebar

TALKS = "Chairman Wei Tao met Minister Le Hoai Trung in Hanoi. Wei Tao thanked Hanoi."
VISIT = "Wei Tao visited Việt Nam in November."


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
    model.set_entities(store.mentions.summary(None), labels, corpus=True, present=set())
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


def test_whole_corpus_shows_document_counts(qtbot, sidebar, docs):
    _talks, _visit, mentions = docs
    sidebar.corpus_button.click()
    assert sidebar.is_corpus()
    model = sidebar.proxy
    assert model.columnCount() == 3
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Docs"
    assert child_rows(model, "PERSON") == [["Wei Tao", 3, 2], ["Le Hoai Trung", 1, 1]]
    assert child_rows(model, "GPE") == [["Hanoi", 1, 1], ["Việt Nam", 1, 1]]
    viet = name_index(model, "GPE", "Việt Nam")
    assert viet.data(Qt.ItemDataRole.ForegroundRole) is not None  # not in this document: dimmed
    assert viet.data(roles.MENTION_IDS_ROLE) == []
    wei = name_index(model, "PERSON", "Wei Tao")
    assert wei.data(roles.MENTION_IDS_ROLE) == [mentions["wei1"], mentions["wei2"]]
    assert "in 2 documents" in wei.data(Qt.ItemDataRole.ToolTipRole)
    sidebar.corpus_button.click()
    assert model.columnCount() == 2


def test_filter_folds_diacritics_and_matches_labels(sidebar):
    sidebar.corpus_button.click()
    sidebar.filter_edit.setText("viet")
    assert rows(sidebar.proxy) == [["GPE", 2, None]]
    assert child_rows(sidebar.proxy, "GPE") == [["Việt Nam", 1, 1]]
    assert sidebar.tree.isExpanded(sidebar.proxy.index(0, 0))
    sidebar.filter_edit.setText("person")
    assert len(child_rows(sidebar.proxy, "PERSON")) == 2  # the label's names come along
    sidebar.filter_edit.clear()
    assert sidebar.proxy.rowCount() == 2


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
