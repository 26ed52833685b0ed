"""Undo commands: each wraps one store change (a revision batch) already applied.

The store performs the edit first (so errors reach the caller before anything is
pushed); the command then only replays the batch on undo/redo. On opening a project
the stack is rebuilt from the revision log, so the history survives restarts.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.core.store import Store


class StoredChange(QUndoCommand):
    """An applied store change that undo/redo replays through the revision log."""

    def __init__(self, store: Store, batch: int, text: str, refresh: Callable[[], None]) -> None:
        super().__init__(text)
        self.store = store
        self.batch = batch
        self.refresh = refresh
        self.skip_redo = True  # the store already holds the change
        self.skip_undo = False

    def redo(self) -> None:
        if self.skip_redo:
            self.skip_redo = False
            return
        self.store.history.redo(self.batch)
        self.refresh()

    def undo(self) -> None:
        if self.skip_undo:
            self.skip_undo = False
            return
        self.store.history.undo(self.batch)
        self.refresh()


def push_change(
    stack: QUndoStack, store: Store, batch: int | None, text: str, refresh: Callable[[], None]
) -> bool:
    """Put an applied change on the stack (nothing to push when nothing changed)."""
    if batch is None:
        return False
    stack.push(StoredChange(store, batch, text, refresh))
    refresh()
    return True


def rebuild_stack(stack: QUndoStack, store: Store, refresh: Callable[[], None]) -> None:
    """Fill an empty stack from the project's history: done actions, then the redo tail."""
    stack.clear()
    done, redoable = store.history.stack()
    for entry in done + redoable:
        stack.push(StoredChange(store, entry.batch, entry.summary, refresh))
    for command_index in range(len(done) + len(redoable) - 1, len(done) - 1, -1):
        command = stack.command(command_index)
        assert isinstance(command, StoredChange)
        command.skip_undo = True
        stack.undo()
    stack.setClean()
