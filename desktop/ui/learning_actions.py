"""Window actions on what the project learns from the analyst: the "Names the project knows"
dialog and marking the shown document done (reviewed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.core.store import Store
from desktop.core.store.changes import Change
from desktop.ui.commands import push_change
from desktop.ui.dialogs.known_names import KnownNamesDialog

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


def known_names_dialog(window: MainWindow) -> KnownNamesDialog | None:
    """The dialog on the window's project, its edits pushed on the window's undo stack."""
    store = window.store
    if store is None:
        return None

    def edit(apply: Callable[[Store], Change], name: str) -> bool:
        change = apply(store)
        return push_change(window.stack, store, change.batch, name, window._refresh_entities)

    return KnownNamesDialog(store, window.stack, edit, window)


def show_known_names(window: MainWindow) -> None:
    """Entities › Names the project knows…"""
    dialog = known_names_dialog(window)
    if dialog is not None:
        dialog.exec()
        dialog.deleteLater()


def toggle_done(window: MainWindow) -> bool:
    """Document › Mark as reviewed: the shown document is done (or not any more), one undo
    step; a reviewed document goes to the end of the review order."""
    store, doc_id = window.store, window.controller.document_id
    if store is None or doc_id is None:
        return False
    done = doc_id not in store.learning.marked_done()
    change = store.learning.mark_done([doc_id], done)
    name = "Mark document done" if done else "Mark document not done"

    def refresh() -> None:
        window.documents.refresh_rows([doc_id])

    pushed = push_change(window.stack, store, change.batch, name, refresh)
    window.statusBar().showMessage(
        "Marked done: reviewed" if done else "No longer marked done", 4000
    )
    return pushed
