"""Window actions on a whole document: its details (title, publication date, source)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.store.document_edits import DetailsError
from desktop.ui.commands import push_change
from desktop.ui.dialogs.document_details import DocumentDetailsDialog

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

DETAILS_TEXT = "Edit document details"


def edit_document_details(window: MainWindow, document_id: int | None = None) -> bool:
    """Ask for a document's details (the shown one by default) and apply them as one undo
    step; its relative and yearless dates are read again against a new date."""
    store = window.store
    if document_id is None:
        document_id = window.controller.document_id
    if store is None or document_id is None:
        return False
    record = store.documents.get(document_id)
    if record is None:
        return False
    info = record.info
    dialog = DocumentDetailsDialog(info.title, info.published, info.source, window)
    if not dialog.exec():
        return False
    title, published, source = dialog.result_details()
    if (title, published, source) == (info.title, info.published, info.source):
        return False
    try:
        change = store.documents.set_details(
            document_id, title=title, published=published, source=source
        )
    except DetailsError as exc:
        window.statusBar().showMessage(str(exc), 8000)
        return False

    def refresh() -> None:
        window.documents.refresh_rows([document_id])
        window.facts.refresh()
        if window.controller.document_id == document_id:
            window.show_document(document_id)

    return push_change(window.stack, store, change.batch, DETAILS_TEXT, refresh)
