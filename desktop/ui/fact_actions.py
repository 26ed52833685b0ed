"""Fact actions: verify, retype, add and remove arguments, correct values, make facts by hand.

Each action runs one store mutation and pushes its change on the undo stack; the
panel and the viewer are refreshed through `changed`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QInputDialog, QWidget

from desktop.core.facts.lexicon import fact_types, lexicon
from desktop.core.records import FactArgRecord, FactRecord
from desktop.core.store import Store, db
from desktop.core.store.changes import Change
from desktop.ui.commands import push_change
from desktop.ui.icons import icon

if TYPE_CHECKING:
    from desktop.ui.shared import Outbox

_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) holding a span, as evidence for a hand-made fact."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    match = _SENTENCE_END.search(text, end)
    right = match.end() if match else len(text)
    while left < start and text[left].isspace():
        left += 1
    return left, max(right, end)


class FactController(QObject):
    """Turns fact actions into undoable store edits.

    Signals: changed(int) — a fact changed (its id, -1 when unknown); message(str)
    """

    changed = Signal(int)
    message = Signal(str)

    def __init__(
        self,
        stack: QUndoStack,
        current_fact: Callable[[], FactRecord | None],
        current_argument: Callable[[], FactArgRecord | None],
        selection: Callable[[], tuple[int, int, str] | None],
        document: Callable[[], int | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.stack = stack
        self.store: Store | None = None
        self.outbox: Outbox | None = None  # a shared project's kept edits (ui/shared.py)
        self.current_fact = current_fact
        self.current_argument = current_argument
        self.selection = selection
        self.document = document
        self.window = parent
        self.actions = self._make_actions()

    def _action(self, text: str, keys: str, slot: Callable[[], None], icon_name: str | None = None):  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if icon_name:
            action.setIcon(icon(icon_name))
        action.triggered.connect(lambda _=False: slot())
        return action

    def _make_actions(self) -> dict[str, QAction]:
        a = self._action
        return {
            "accept": a("Accept fact", "Shift+A", lambda: self.set_status("accepted"), "accept"),
            "reject": a("Reject fact", "Shift+X", lambda: self.set_status("rejected"), "reject"),
            "retype": a("Change fact type…", "Ctrl+Shift+Y", self.change_type),
            "add_argument": a("Add selection as argument…", "Ctrl+Shift+G", self.add_argument),
            "remove_argument": a("Remove argument", "Ctrl+Shift+Delete", self.remove_argument),
            "correct_value": a("Correct normalized value…", "Ctrl+Shift+V", self.correct_value),
            "create": a("New fact from selection…", "Ctrl+Shift+F", self.create_fact),
        }

    def set_store(self, store: Store | None) -> None:
        """Work on another project."""
        self.store = store

    def _push(self, run: Callable[[Store], Change], text: str, fact_id: int) -> bool:
        if self.store is None:
            return False
        outbox = self.outbox
        if outbox is not None and outbox.blocks(self.message.emit):
            return False
        try:
            change = run(self.store)
        except (ValueError, KeyError) as exc:
            self.message.emit(str(exc))
            return False
        except Exception as exc:
            if outbox is None or not db.is_disconnect(exc):
                raise
            outbox.keep(lambda: self._push(run, text, fact_id) and None)
            return False
        return push_change(
            self.stack, self.store, change.batch, text, lambda: self.changed.emit(fact_id)
        )

    def _fact(self) -> FactRecord | None:
        fact = self.current_fact()
        if fact is None:
            self.message.emit("Select a fact first (Facts panel)")
        return fact

    def set_status(self, status: str) -> None:
        """Accept or reject the selected fact."""
        fact = self._fact()
        if fact is not None:
            verb = "Accept" if status == "accepted" else "Reject"
            self._push(
                lambda s: s.facts.set_status(fact.id, status), f"{verb} {fact.type} fact", fact.id
            )

    def change_type(self, fact_type: str | None = None) -> None:
        """Give the selected fact another type."""
        fact = self._fact()
        if fact is None:
            return
        if fact_type is None:
            types = fact_types()
            fact_type, ok = QInputDialog.getItem(
                self.window, "Fact type", "Type:", types, types.index(fact.type), False
            )
            if not ok:
                return
        self._push(
            lambda s: s.facts.set_type(fact.id, fact_type), f"{fact.type} → {fact_type}", fact.id
        )

    def add_argument(self, role: str | None = None) -> None:
        """Add the viewer's selection to the selected fact, in a role of its type."""
        fact, picked = self._fact(), self.selection()
        if fact is None:
            return
        if picked is None:
            self.message.emit("Select the argument's text in the document first")
            return
        start, end, text = picked
        if role is None:
            roles = lexicon().roles(fact.type)
            role, ok = QInputDialog.getItem(
                self.window, "Argument role", f"Role of '{text}':", roles, 0, False
            )
            if not ok:
                return
        mention = self._mention_at(fact.document_id, start, end)
        self._push(
            lambda s: s.facts.add_argument(fact.id, role, start, end, text, mention),
            f"Add {role} '{text}'",
            fact.id,
        )

    def _mention_at(self, document_id: int, start: int, end: int) -> int | None:
        if self.store is None:
            return None
        return next(
            (
                m.id
                for m in self.store.mentions.for_document(document_id)
                if (m.start, m.end) == (start, end) and m.status != "rejected"
            ),
            None,
        )

    def remove_argument(self) -> None:
        """Take the selected argument off its fact."""
        fact, argument = self._fact(), self.current_argument()
        if fact is None or argument is None:
            self.message.emit("Select an argument of the fact first")
            return
        self._push(
            lambda s: s.facts.remove_argument(argument.id),
            f"Remove {argument.role} '{argument.text}'",
            fact.id,
        )

    def correct_value(self, value: str | None = None) -> None:
        """Correct the normalized value of the selected argument."""
        fact, argument = self._fact(), self.current_argument()
        if fact is None or argument is None:
            self.message.emit("Select an argument of the fact first")
            return
        if value is None:
            value, ok = QInputDialog.getText(
                self.window,
                "Normalized value",
                f"{argument.role} '{argument.text}':",
                text=argument.value or "",
            )
            if not ok:
                return
        self._push(
            lambda s: s.facts.set_argument_value(argument.id, value.strip() or None),
            f"{argument.role} = {value}",
            fact.id,
        )

    def create_fact(self, fact_type: str | None = None, role: str | None = None) -> None:
        """Make a fact from the viewer's selection: its sentence is the evidence."""
        picked, doc_id = self.selection(), self.document()
        if picked is None or doc_id is None or self.store is None:
            self.message.emit("Select the text of the fact's first argument first")
            return
        if fact_type is None:
            fact_type, ok = QInputDialog.getItem(
                self.window, "New fact", "Type:", fact_types(), 0, False
            )
            if not ok:
                return
        roles = lexicon().roles(fact_type)
        if role is None:
            role, ok = QInputDialog.getItem(
                self.window, "New fact", "Role of the selection:", roles, 0, False
            )
            if not ok:
                return
        start, end, text = picked
        record = self.store.documents.get(doc_id)
        if record is None:
            return
        evidence = sentence_around(record.text, start, end)
        self._push(
            lambda s: s.facts.create(doc_id, fact_type, evidence, [(role, start, end, text)]),
            f"New {fact_type} fact",
            -1,
        )
