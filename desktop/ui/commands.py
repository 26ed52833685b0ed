"""Undo commands: each wraps one store change (a revision batch) already applied.

The store performs the edit first (so errors reach the caller before anything is
pushed); the command then only replays the batch on undo/redo. On opening a project
the stack is rebuilt from the revision log, so the history survives restarts. The
command's name is the batch's summary in the log, so History reads the same in the
session and after a restart.

A step can be guarded (`Guard.confirm`: undoing an import asks first) and can fail
(the store's transaction then leaves the project as it was): either way the stack
is put back where it was on the next turn of the event loop, so stack and project
never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.core.store import Store
from desktop.core.store.analysts import SteppedOver


@dataclass
class Guard:
    """What every command asks the window: may this step run, and what went wrong."""

    confirm: Callable[[int, bool], bool] = lambda batch, forward: True
    failed: Callable[[str], None] = lambda message: None
    after: Callable[[int], None] = lambda batch: None  # every view follows the step


GUARDS: dict[int, Guard] = {}  # id(stack) -> its window's guard
OPENED: dict[int, Callable[[Store], None]] = {}  # id(stack) -> called as a project opens


def guard_of(stack: QUndoStack) -> Guard:
    """The guard of a stack (a permissive one if none was set)."""
    return GUARDS.get(id(stack), Guard())


def set_guard(stack: QUndoStack, guard: Guard) -> None:
    """Give a stack's commands the window's confirmation, error and refresh hooks."""
    GUARDS[id(stack)] = guard
    stack.destroyed.connect(lambda *_: GUARDS.pop(id(stack), None))


def on_open(stack: QUndoStack, opened: Callable[[Store], None]) -> None:
    """Call `opened(store)` whenever the stack is rebuilt for a project (desktop/ui/
    analysts.py: the analyst's name is set first, so the stack holds their steps)."""
    OPENED[id(stack)] = opened
    stack.destroyed.connect(lambda *_: OPENED.pop(id(stack), None))


class StoredChange(QUndoCommand):
    """An applied store change that undo/redo replays through the revision log."""

    def __init__(
        self,
        store: Store,
        batch: int,
        text: str,
        refresh: Callable[[], None],
        stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(text)
        self.store = store
        self.batch = batch
        self.refresh = refresh
        self.stack = stack
        self.skip_redo = True  # the store already holds the change
        self.skip_undo = False

    def _run(self, forward: bool) -> None:
        guard = guard_of(self.stack) if self.stack is not None else Guard()
        back = self.stack.undo if forward else self.stack.redo  # puts the index back
        if not guard.confirm(self.batch, forward):
            self._put_back(back, forward)
            return
        try:
            if forward:
                self.store.history.redo(self.batch)
            else:
                self.store.history.undo(self.batch)
        except SteppedOver as exc:  # another analyst changed its rows later: says who
            guard.failed(str(exc))
            self._put_back(back, forward)
            return
        except Exception as exc:
            verb = "Redo" if forward else "Undo"
            guard.failed(f"{verb} of “{self.text()}” failed, nothing was changed: {exc}")
            self._put_back(back, forward)
            return
        self.refresh()
        guard.after(self.batch)

    def _put_back(self, back: Callable[[], None], forward: bool) -> None:
        """Move the stack back over this command without replaying it."""
        if self.stack is None:
            return
        if forward:
            self.skip_undo = True
        else:
            self.skip_redo = True
        QTimer.singleShot(0, back)

    def redo(self) -> None:
        if self.skip_redo:
            self.skip_redo = False
            return
        self._run(forward=True)

    def undo(self) -> None:
        if self.skip_undo:
            self.skip_undo = False
            return
        self._run(forward=False)


def push_change(
    stack: QUndoStack, store: Store, batch: int | None, text: str, refresh: Callable[[], None]
) -> bool:
    """Put an applied change on the stack (nothing to push when nothing changed); `text`
    becomes the batch's name in the log too."""
    if batch is None:
        return False
    if text and store.history.summary(batch) != text:
        store.history.rename(batch, text)
    stack.push(
        StoredChange(store, batch, text or store.history.summary(batch) or "", refresh, stack)
    )
    refresh()
    return True


def push_joined(
    stack: QUndoStack,
    store: Store,
    batches: list[int | None],
    text: str,
    refresh: Callable[[], None],
) -> bool:
    """Several applied changes (one dialog's) as one undo step named `text`."""
    return push_change(stack, store, store.history.join(batches, text), text, refresh)


def rebuild_stack(stack: QUndoStack, store: Store, refresh: Callable[[], None]) -> None:
    """Fill an empty stack from the project's history: this analyst's done actions, then
    their redo tail (another analyst's steps are theirs to undo)."""
    stack.clear()
    opened = OPENED.get(id(stack))
    if opened is not None:  # the window names the analyst before their steps are read
        opened(store)
    done, redoable = store.history.stack()
    for entry in done + redoable:
        stack.push(StoredChange(store, entry.batch, entry.summary, refresh, stack))
    for command_index in range(len(done) + len(redoable) - 1, len(done) - 1, -1):
        command = stack.command(command_index)
        assert isinstance(command, StoredChange)
        command.skip_undo = True
        stack.undo()
    stack.setClean()
