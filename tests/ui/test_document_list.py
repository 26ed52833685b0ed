"""The document list: a lazy model over ids, filters, search, and its panel."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from desktop.core.models import Document, utcnow
from desktop.core.records import NewDocument
from desktop.core.store import Store
from desktop.ui.models import documents as cols
from desktop.ui.models.documents import PAGE_SIZE, DocumentListModel
from desktop.ui.panels.document_list import (
    MIN_TITLE_WIDTH,
    SNIPPET_LEAD,
    DocumentListPanel,
    trim_snippet,
)

BIG = 20_000
# The offscreen platform says so whenever a shown top-level widget has a layout.
TALKS = "Chairman Wei Tao met Minister Le Hoai Trung in Hanoi. Wei Tao thanked Hanoi."


@pytest.fixture
def docs(store):
    """Four documents: mentions of each status in some, a tag on one, Vietnamese in one."""
    news = [
        NewDocument(source="001_talks", text=TALKS, title="Guangxi and Hanoi talks"),
        NewDocument(
            source="002_trade",
            text="Trade between Việt Nam and China grew 16.4% in 2025.",
            title="Trade grows",
            published="2025-11-26",
            publisher="VNA",
        ),
        NewDocument(source="003_ai", text="An AI cooperation centre opens in Nanning."),
        NewDocument(source="004_forum", text="The forum on digital economy closed.", title="Forum"),
    ]
    ids = [doc_id for doc_id, _ in store.documents.add_many(news)]
    store.mentions.add(ids[0], 9, 16, "PERSON", status="proposed")
    store.mentions.add(ids[0], 47, 52, "GPE", status="accepted")
    store.mentions.add(ids[1], 14, 22, "GPE", status="rejected")
    store.tags.set("document", ids[2], ["verified"])
    return ids


@pytest.fixture(scope="module")
def big_project(tmp_path_factory):
    """A real project file with 20,000 documents, written in one bulk insert."""
    path = tmp_path_factory.mktemp("big") / "big.factdesk"
    now = utcnow()
    rows = [
        {
            "sha256": f"{i:064x}",
            "source": f"doc{i:05d}",
            "title": f"Report number {i}",
            "published": "2025-11-26",
            "language": "en",
            "text": f"Body of report {i} on regional cooperation.",
            "created_at": now,
        }
        for i in range(BIG)
    ]
    with Store.open(path) as store, store.engine.begin() as conn:
        conn.execute(sa.insert(Document.__table__), rows)
    return path


@pytest.fixture
def big_store(big_project):
    with Store.open(big_project) as opened:
        yield opened


def counting_infos(monkeypatch, store) -> list[int]:
    """Wrap store.documents.infos; returns a list that receives each call's id count."""
    calls: list[int] = []
    original = store.documents.infos

    def infos(ids):
        calls.append(len(ids))
        return original(ids)

    monkeypatch.setattr(store.documents, "infos", infos)
    return calls


def titles(model: DocumentListModel) -> list[str]:
    return [model.index(r, cols.TITLE).data() for r in range(model.rowCount())]


def test_model_passes_the_model_tester_in_every_state(qapp, qtmodeltester, store, docs):
    model = DocumentListModel(store)
    qtmodeltester.check(model)
    model.set_filter(status="proposed")
    qtmodeltester.check(model)
    model.set_filter(tag="verified")
    qtmodeltester.check(model)
    model.set_filter()
    model.set_search("hanoi")
    qtmodeltester.check(model)
    model.set_search("nothing-like-this")
    qtmodeltester.check(model)


def test_rows_show_title_date_source_and_right_aligned_counts(qapp, store, docs):
    model = DocumentListModel(store)
    assert model.columnCount() == 6
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert header == ["Title", "Date", "Source", None, None, None]  # counts: an icon each
    tips = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        for c in (3, 4, 5)
    ]
    assert [tip.split(":")[0] for tip in tips] == ["Proposed", "Accepted", "Rejected"]
    icon = model.headerData(
        cols.PROPOSED, Qt.Orientation.Horizontal, Qt.ItemDataRole.DecorationRole
    )
    assert not icon.isNull()
    assert titles(model) == ["Guangxi and Hanoi talks", "Trade grows", "003_ai", "Forum"]
    row = [model.index(0, c).data() for c in range(6)]
    assert row == ["Guangxi and Hanoi talks", "", "001_talks", 1, 1, 0]
    assert model.index(1, cols.DATE).data() == "2025-11-26"
    assert model.index(0, cols.PROPOSED).data(Qt.ItemDataRole.TextAlignmentRole) & (
        Qt.AlignmentFlag.AlignRight
    )
    tip = model.index(1, cols.TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Trade grows" in tip and "002_trade" in tip
    assert model.document_ids() == docs
    assert model.document_id(2) == docs[2]
    assert model.row_of(docs[3]) == 3
    assert model.index(3, 0).data(cols.DOCUMENT_ID_ROLE) == docs[3]


def test_twenty_thousand_documents_open_without_reading_them_all(qtbot, monkeypatch, big_store):
    calls = counting_infos(monkeypatch, big_store)
    panel = DocumentListPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    started = time.perf_counter()
    panel.set_store(big_store)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.wait(10)
    elapsed = time.perf_counter() - started
    model = panel.model
    assert model.rowCount() == BIG
    assert model.index(0, cols.TITLE).data() == "Report number 0"
    assert sum(calls) <= PAGE_SIZE  # the first page only
    assert elapsed < 2.0, f"opening took {elapsed:.2f}s"
    assert panel.count_label.text() == "20,000 documents"

    panel.table.scrollToBottom()
    last = model.index(BIG - 1, cols.TITLE)
    qtbot.waitUntil(lambda: last.data() == f"Report number {BIG - 1}")
    assert sum(calls) <= 3 * PAGE_SIZE  # plus the page(s) on screen at the end
    assert model.fetched_count() == sum(calls)


def test_search_folds_diacritics_and_shows_where_it_matched(store, docs):
    model = DocumentListModel(store)
    assert model.index(1, cols.TITLE).data(cols.SNIPPET_ROLE) is None
    model.set_search("viet nam")
    assert model.document_ids() == [docs[1]]
    assert model.is_searching() and model.search_query() == "viet nam"
    title = model.index(0, cols.TITLE)
    snippet = title.data(cols.SNIPPET_ROLE)
    assert "Việt Nam" in snippet
    spans = title.data(cols.HIGHLIGHTS_ROLE)
    assert [snippet[start:end] for start, end in spans] == ["Việt", "Nam"]
    assert "Việt Nam" in title.data(Qt.ItemDataRole.ToolTipRole)
    model.set_search("")
    assert model.rowCount() == 4 and not model.is_searching()


def test_snippets_are_trimmed_to_just_before_the_first_match():
    snippet = "…the long opening words of a sentence that come before Việt Nam and more"
    start = snippet.index("Việt")
    text, spans = trim_snippet(snippet, [[start, start + 4]])
    assert text.startswith("…") and len(text) < len(snippet)
    assert text[spans[0][0] : spans[0][1]] == "Việt"
    assert text.index("Việt") <= SNIPPET_LEAD + 1
    assert trim_snippet("Việt Nam first", [[0, 4]]) == ("Việt Nam first", [[0, 4]])


def test_status_and_tag_filters_combine_with_search(store, docs):
    model = DocumentListModel(store)
    model.set_filter(status="proposed")
    assert model.document_ids() == [docs[0]]
    model.set_filter(status="rejected")
    assert model.document_ids() == [docs[1]]
    model.set_filter(tag="verified")
    assert model.document_ids() == [docs[2]]
    model.set_filter(status="accepted", tag="verified")
    assert model.document_ids() == []
    model.set_filter()
    model.set_search("hanoi")
    assert model.document_ids() == [docs[0]]
    model.set_filter(status="rejected")
    assert model.document_ids() == []
    assert model.row_of(docs[0]) is None


def test_refresh_rows_updates_one_row_in_place(qtbot, store, docs):
    model = DocumentListModel(store)
    assert model.index(2, cols.ACCEPTED).data() == 0
    store.mentions.add(docs[2], 3, 5, "ORG")
    changed = []
    model.dataChanged.connect(lambda tl, br, _roles: changed.append((tl.row(), br.row())))
    with qtbot.assertNotEmitted(model.modelReset):
        model.refresh_rows([docs[2], 999_999])
    assert changed == [(2, 2)]
    assert model.index(2, cols.ACCEPTED).data() == 1


def test_append_documents_inserts_rows_at_the_end(qtbot, qtmodeltester, store, docs):
    model = DocumentListModel(store)
    qtmodeltester.check(model)  # keeps checking the model while rows arrive
    (new_id, _), (other, _) = store.documents.add_many(
        [NewDocument(source="005_new", text="A new report."), NewDocument("006", "Another.")]
    )
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.append_documents([new_id, other, docs[0]])  # a known id is skipped
    assert inserted.args[1:] == [4, 5]
    assert model.document_ids() == [*docs, new_id, other]
    assert model.row_of(other) == 5
    title = model.index(4, cols.TITLE)
    qtbot.waitUntil(lambda: title.data() == "005_new")  # its page is read on the next turn

    model.set_filter(status="accepted")
    (third, _), *_ = store.documents.add_many([NewDocument("007", "Third.")])
    with qtbot.assertNotEmitted(model.rowsInserted):
        model.append_documents([third])  # the filter does not admit it


def test_panel_search_is_debounced_and_escape_clears_it(qtbot, store, docs):
    panel = DocumentListPanel()
    qtbot.addWidget(panel)
    panel.set_store(store)
    panel.show()
    panel.focus_search()
    assert panel.focusWidget() is panel.search
    qtbot.keyClicks(panel.search, "viet nam")
    assert panel.model.rowCount() == 4  # not yet: the search waits for a pause
    qtbot.waitUntil(lambda: panel.model.document_ids() == [docs[1]])
    assert panel.count_label.text() == "1 matching document"
    assert not panel.grab().isNull()  # the title delegate draws title and snippet
    panel.search.setFocus()
    qtbot.keyClick(panel.search, Qt.Key.Key_Escape)
    assert panel.search.text() == ""
    assert panel.model.rowCount() == 4


def test_panel_filters_from_its_combos_and_refreshes_tags(qtbot, store, docs):
    panel = DocumentListPanel()
    qtbot.addWidget(panel)
    panel.set_store(store)
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("proposed"))
    assert panel.model.document_ids() == [docs[0]]
    assert panel.count_label.text() == "1 of 4 documents"
    panel.status_combo.setCurrentIndex(0)
    assert [panel.tag_combo.itemText(i) for i in range(panel.tag_combo.count())] == [
        "All tags",
        "verified",
    ]
    panel.tag_combo.setCurrentIndex(1)
    assert panel.model.document_ids() == [docs[2]]

    change = store.tags.set("document", docs[3], ["checked"])
    panel.refresh_tags()
    assert panel.tag_combo.currentData() == "verified"  # kept
    panel.tag_combo.setCurrentIndex(panel.tag_combo.findData("checked"))
    assert panel.model.document_ids() == [docs[3]]
    store.history.undo(change.batch)
    panel.refresh_tags()  # "checked" is gone: back to all tags
    assert panel.tag_combo.currentData() is None
    assert panel.tag_combo.count() == 2
    assert panel.model.rowCount() == 4


def test_panel_activates_documents_from_keyboard_and_shortcuts(qtbot, store, docs):
    panel = DocumentListPanel()
    qtbot.addWidget(panel)
    panel.set_store(store)
    panel.show()
    activated = []
    panel.document_activated.connect(activated.append)
    assert panel.current_document_id() is None
    assert panel.select_next()
    assert panel.current_document_id() == docs[0]
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert panel.current_document_id() == docs[1]
    row_rect = panel.table.visualRect(panel.model.index(2, cols.TITLE))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=row_rect.center())
    assert panel.current_document_id() == docs[2]
    assert panel.select_document(docs[3])
    assert not panel.select_next()  # at the end
    assert panel.select_previous()
    assert activated == [docs[0], docs[1], docs[2], docs[3], docs[2]]
    assert len(panel.table.selectionModel().selectedRows()) == 1

    panel.status_combo.setCurrentIndex(panel.status_combo.findData("proposed"))
    assert panel.current_document_id() is None  # the shown document is filtered out
    panel.status_combo.setCurrentIndex(0)
    assert panel.current_document_id() == docs[2]  # back, and not activated again
    assert activated == [docs[0], docs[1], docs[2], docs[3], docs[2]]
    assert not panel.select_document(123_456)


def test_a_narrow_panel_hides_source_then_date_unless_chosen(qtbot, store, docs):
    panel = DocumentListPanel()
    qtbot.addWidget(panel)
    panel.set_store(store)
    panel.resize(900, 300)
    panel.show()
    qtbot.waitExposed(panel)
    hidden = panel.table.isColumnHidden
    assert not any(hidden(c) for c in range(6))
    size = panel.table.horizontalHeader().sectionSize
    margin = panel.width() - panel.table.viewport().width()
    counts = sum(size(c) for c in cols.COUNT_COLUMNS)
    without_source = MIN_TITLE_WIDTH + counts + size(cols.DATE) + margin + 4
    panel.resize(without_source, 300)
    qtbot.waitUntil(lambda: hidden(cols.SOURCE))
    assert not hidden(cols.DATE)
    panel.resize(without_source - 10, 300)
    qtbot.waitUntil(lambda: hidden(cols.DATE))
    panel._show_column(cols.SOURCE, True)  # as the header's context menu does
    assert not hidden(cols.SOURCE)
    panel.resize(900, 300)
    qtbot.waitUntil(lambda: not hidden(cols.DATE))
