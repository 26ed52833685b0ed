"""Editing a document's details through the real window and dialog: the Document menu and
the document list's context menu; one undo step; the facts' dates follow the new date."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.ui.dialogs.document_details import DocumentDetailsDialog
from desktop.ui.errors import ErrorReporter
from desktop.ui.jobs import PipelineHolder
from desktop.ui.main_window import MainWindow

ARTICLE = (
    "Ministers agree on rail link\n\n"
    "VIENTIANE (KPL) - Lao Deputy Prime Minister Somchai Keomany met Thai Transport Minister"
    " Anan Chaiyaporn in Vientiane on June 4.\n"
)


pytestmark = pytest.mark.usefixtures("private_settings")  # tests/ui/conftest.py


@pytest.fixture
def window(qtbot, tmp_path, pipeline):
    (tmp_path / "in").mkdir()
    article = tmp_path / "in" / "rail.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / "rail.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [article]))
        list(extract(store, pipeline))
    win = MainWindow(ErrorReporter(), PipelineHolder(lambda: pipeline))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_project(path)
    (doc_id,) = win.store.documents.ids()
    win.documents.select_document(doc_id)
    qtbot.waitUntil(lambda: win.controller.document_id == doc_id)
    return win


def meeting_dates(win) -> list[str | None]:
    facts = win.store.facts.for_document(win.controller.document_id)
    return [a.value for f in facts if f.type == "MEETING" for a in f.arguments if a.role == "date"]


def listed(win, text: str) -> bool:
    """Whether the document list shows `text` in some cell of its first row."""
    model = win.documents.model
    return any(text in str(model.index(0, c).data() or "") for c in range(model.columnCount()))


def fill_dialog(qtbot, steps: list) -> list[str]:
    """Answer the next DocumentDetailsDialog: each step is (title, date, source) typed in
    and OK clicked; the dialog's problem text after each click is returned."""
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DocumentDetailsDialog):
            QTimer.singleShot(20, answer)
            return
        for title, date, source in steps:
            dialog.title_edit.setText(title)
            dialog.date_edit.setText(date)
            dialog.source_edit.setText(source)
            ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
            seen.append(dialog.problem.text() if dialog.problem.isVisible() else "")

    QTimer.singleShot(0, answer)
    return seen


def test_menu_dialog_changes_details_and_dates_then_undo_restores(qtbot, window) -> None:
    win = window
    assert meeting_dates(win) == ["--06-04"]
    seen = fill_dialog(
        qtbot,
        [
            ("Rail link agreed", "June 2025", "rail"),  # refused: the dialog stays open
            ("Rail link agreed", "2025-06-06", "rail-kpl"),
        ],
    )
    win.menu_actions["document_details"].trigger()
    assert seen[0].startswith("publication date") and seen[1] == ""
    info = win.store.documents.get(win.controller.document_id).info
    assert (info.title, info.published, info.source) == (
        "Rail link agreed",
        "2025-06-06",
        "rail-kpl",
    )
    assert meeting_dates(win) == ["2025-06-04"]
    assert listed(win, "Rail link agreed")  # the document list follows at once
    assert win.stack.count() == 1 and win.stack.text(0) == "Edit document details"
    win.stack.undo()
    info = win.store.documents.get(win.controller.document_id).info
    assert (info.title, info.published, info.source) == (
        "Ministers agree on rail link",
        None,
        "rail",
    )
    assert meeting_dates(win) == ["--06-04"]
    assert not listed(win, "Rail link agreed") and listed(win, "Ministers agree on rail link")
    win.stack.redo()
    assert meeting_dates(win) == ["2025-06-04"]


def test_document_list_context_menu_opens_the_dialog(qtbot, window) -> None:
    win = window
    rect = win.documents.table.visualRect(win.documents.model.index(0, 0))
    menu = win.documents.row_menu(rect.center())
    assert menu is not None
    (action,) = menu.actions()
    assert action.text() == "Edit document details…"
    fill_dialog(qtbot, [("Ministers agree on rail link", "2024-06-05", "rail")])
    action.trigger()
    assert win.store.documents.get(win.controller.document_id).info.published == "2024-06-05"
    assert meeting_dates(win) == ["2024-06-04"]


def test_cancel_changes_nothing(qtbot, window) -> None:
    win = window

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DocumentDetailsDialog):
            QTimer.singleShot(20, cancel)
            return
        dialog.date_edit.setText("2020-01-01")
        dialog.reject()

    QTimer.singleShot(0, cancel)
    win.menu_actions["document_details"].trigger()
    assert win.store.documents.get(win.controller.document_id).info.published is None
    assert win.stack.count() == 0
