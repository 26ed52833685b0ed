"""PDF and Word files in the window: dropped on it (the bad one named), offered by the
import dialog, and shown with a page mark where each page begins."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QColor, QDropEvent

from desktop.core.store import Store
from desktop.ui.errors import ErrorReporter
from desktop.ui.jobs import PipelineHolder
from desktop.ui.main_window import IMPORT_FILTER, MainWindow
from desktop.ui.viewer import page_marks

pytestmark = pytest.mark.usefixtures("private_settings")  # tests/ui/conftest.py


@pytest.fixture
def window(qtbot, tmp_path, pipeline):
    path = tmp_path / "empty.factdesk"
    Store.open(path).close()
    win = MainWindow(ErrorReporter(), PipelineHolder(lambda: pipeline))
    qtbot.addWidget(win)
    win.resize(1100, 800)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_project(path)
    yield win
    win.close()


def drop(window, paths):
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert event.isAccepted()


def test_ctrl_i_offers_pdf_and_word_files_and_imports_them(
    qtbot, window, tmp_path, paged_files, monkeypatch
):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QFileDialog

    offered = IMPORT_FILTER.split(";;")[0]
    assert "*.pdf" in offered and "*.docx" in offered
    pdf = paged_files.write_report_pdf(tmp_path / "ports.pdf")
    word = paged_files.write_report_docx(tmp_path / "ferries.docx")
    asked = []

    def answer(_parent, _caption, _folder, filters):
        asked.append(filters)
        return [str(pdf), str(word)], filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", answer)
    action = next(a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence("Ctrl+I"))
    with qtbot.waitSignal(window.runner.idle, timeout=120_000):
        action.trigger()
    assert asked == [IMPORT_FILTER]
    sources = {window.store.documents.get(i).info.source for i in window.store.documents.ids()}
    assert sources == {"ports", "ferries"}


def test_dropped_pdf_and_word_files_are_imported_and_pages_marked(
    qtbot, window, tmp_path, paged_files
):
    pdf = paged_files.write_report_pdf(tmp_path / "ports.pdf")
    word = paged_files.write_report_docx(tmp_path / "ferries.docx")
    locked = paged_files.write_report_pdf(tmp_path / "locked.pdf", encrypt="river")
    with qtbot.waitSignal(window.runner.idle, timeout=120_000):
        drop(window, [pdf, word, locked])
    store = window.store
    sources = {store.documents.get(i).info.source: i for i in store.documents.ids()}
    assert set(sources) == {"ports", "ferries"}
    title, text = window.last_warning
    assert title == "Some files were not imported"
    assert "locked.pdf: encrypted PDF" in text and "ports" not in text

    window.documents.select_document(sources["ports"])
    view = window.view
    record = view.document_record()
    assert record is not None and len(record.page_starts) == 2
    view.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: bool(view.page_mark_lines()))
    ((number, y),) = view.page_mark_lines()
    assert number == 2
    footer = view.offsets().to_qt(record.text.index("Page 1 of 2"))
    header = view.offsets().to_qt(record.page_starts[1])
    cursor = view.textCursor()
    cursor.setPosition(footer)
    above = view.cursorRect(cursor).bottom()
    cursor.setPosition(header)
    below = view.cursorRect(cursor).top()
    assert above < y < below  # in the blank line between the two pages

    image = view.viewport().grab().toImage()
    rule = QColor(page_marks.MARK_COLOR)

    def ruled(x, row):  # the rule's colour at x, on the row or the one beside it
        near = [QColor(image.pixel(x, row + d)) for d in (-1, 0, 1)]
        return any(
            abs(c.red() - rule.red()) < 12 and abs(c.blue() - rule.blue()) < 12 for c in near
        )

    assert all(ruled(x, round(y)) for x in range(30, 300))
    assert not any(ruled(x, round(y) - 6) for x in range(30, 300))  # a thin rule, not a band

    window.documents.select_document(sources["ferries"])
    assert [n for n, _y in view.page_mark_lines()] == [2]  # the Word file's page break
