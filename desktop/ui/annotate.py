"""Annotation actions on the current document: label, relabel, accept, reject, resize, delete.

Each action runs one store mutation and pushes its change on the undo stack; the
controller owns the actions (with their shortcuts) so menus and toolbars share them.
A change of one mention (and its undo and redo) updates that mention alone in the
controller's list and the view; other changes read the document's mentions again.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack

from desktop.core.records import LabelRecord, MentionRecord
from desktop.core.store import Store, db
from desktop.core.store.changes import Change
from desktop.core.store.relabel import NEEDS_REVIEW
from desktop.core.tokens import grow, snap, token_spans
from desktop.ui.commands import push_change
from desktop.ui.icons import icon
from desktop.ui.viewer.document_view import DocumentView

if TYPE_CHECKING:
    from desktop.ui.shared import Outbox


def _text_order(mention: MentionRecord) -> tuple[int, int, int]:
    """The order of Mentions.for_document: by start, end, id."""
    return mention.start, mention.end, mention.id


class AnnotationController(QObject):
    """Turns keyboard and menu actions into undoable store edits.

    Signals: changed(int) — a document's annotations changed (its id); message(str)
    """

    changed = Signal(int)
    message = Signal(str)
    beyond_changed = Signal(int)  # entities or facts changed along with a mention (its id)

    def __init__(self, view: DocumentView, stack: QUndoStack, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.stack = stack
        self.store: Store | None = None
        self.outbox: Outbox | None = None  # a shared project's kept edits (ui/shared.py)
        self.document_id: int | None = None
        self.text = ""
        self._token_cache: list[tuple[int, int]] | None = None
        self.mentions: list[MentionRecord] = []
        self.label_actions: list[QAction] = []
        self.actions = self._make_actions()
        self._uncertain: list[int] | None = None  # open proposals, least certain first
        self._by_certainty = False  # stepping in that order (accept/reject go on in it)

    # -- actions ---------------------------------------------------------------
    def _action(
        self,
        name: str,
        text: str,
        keys: str | QKeySequence,
        slot: Callable[[], None],
        icon_name: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if icon_name:
            action.setIcon(icon(icon_name))
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> dict[str, QAction]:
        a = self._action
        return {
            "accept": a("accept", "&Accept annotation", "A", self.accept, "accept"),
            "reject": a("reject", "Re&ject annotation", "X", self.reject, "reject"),
            "delete": a(
                "delete",
                "&Delete annotation",
                "Del",  # not the standard key: it differs by platform
                self.delete,
                "delete",
            ),
            "accept_all": a(
                "accept_all",
                "Accept all &proposed in document",
                "Ctrl+Shift+A",
                self.accept_all,
                "accept_all",
            ),
            "next": a("next", "&Next proposed annotation", "Tab", lambda: self.step(True), "next"),
            "previous": a(
                "previous",
                "P&revious proposed annotation",
                "Shift+Tab",
                lambda: self.step(False),
                "previous",
            ),
            "least_certain": a(
                "least_certain",
                "Next &least certain proposal",
                "Ctrl+U",
                self.step_uncertain,
                "next",
            ),
            "grow_start": a(
                "grow_start",
                "Grow start by a token",
                "Shift+Left",
                lambda: self.move_edge("start", -1),
            ),
            "grow_end": a(
                "grow_end", "Grow end by a token", "Shift+Right", lambda: self.move_edge("end", +1)
            ),
            "shrink_start": a(
                "shrink_start",
                "Shrink start by a token",
                "Alt+Right",
                lambda: self.move_edge("start", +1),
            ),
            "shrink_end": a(
                "shrink_end", "Shrink end by a token", "Alt+Left", lambda: self.move_edge("end", -1)
            ),
        }

    def set_labels(self, labels: list[LabelRecord]) -> list[QAction]:
        """Make one action per label; labels with a hotkey get it as shortcut."""
        for action in self.label_actions:
            action.setShortcut(QKeySequence())  # free the hotkey now, not when deleted
            action.deleteLater()
        self.label_actions = []
        for label in labels:
            action = QAction(label.name, self)
            action.setObjectName(f"label_{label.name}")
            if label.hotkey:
                action.setShortcut(QKeySequence(label.hotkey))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, name=label.name: self.apply_label(name))
            self.label_actions.append(action)
        return self.label_actions

    # -- state -----------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        """Work on another project."""
        self.store = store
        self.document_id = None

    def set_document(
        self, document_id: int | None, text: str = "", mentions: list[MentionRecord] | None = None
    ) -> None:
        """The document the actions apply to (with its mentions, if already read)."""
        self.document_id = document_id
        self.text = text
        self._token_cache = None
        self._uncertain = None
        self._by_certainty = False
        if mentions is None:
            self.reload()
        else:
            self.mentions = mentions

    @property
    def _tokens(self) -> list[tuple[int, int]]:
        """Token spans of the document, computed when first needed.

        The view's when it shows the same text, so a document is tokenized once.
        """
        shown = self.view.document_record()
        if shown is not None and shown.text == self.text:
            return self.view.token_spans()
        if self._token_cache is None:
            self._token_cache = token_spans(self.text) if self.text else []
        return self._token_cache

    def reload(self) -> None:
        """Read the current document's mentions again and show them."""
        if self.store is None or self.document_id is None:
            self.mentions = []
            return
        self.mentions = self.store.mentions.for_document(self.document_id)
        self.view.set_mentions(self.mentions)
        self._uncertain = None  # proposals may have come or gone

    def _selected(self) -> MentionRecord | None:
        mid = self.view.selected_mention()
        return next((m for m in self.mentions if m.id == mid), None) if mid is not None else None

    def _edit(
        self,
        run: Callable[[Store], Change],
        text: str,
        select: bool = True,
        mention_id: int | None = None,
        beyond: bool = False,
        document_id: int | None = None,
    ) -> None:
        """Run a store mutation, push it on the stack and show its result.

        A change that returns its mention, or that is known to concern `mention_id` alone
        (a deletion), refreshes that mention only; any other change reloads the document.
        A change that reaches `beyond` the document (a relabel moves the mention's entity
        and flags facts) also emits `beyond_changed`, at the edit and at its undo/redo.
        """
        doc_id = self.document_id if document_id is None else document_id
        if self.store is None or doc_id is None:
            return
        outbox = self.outbox
        if outbox is not None and outbox.blocks(self.message.emit):
            return
        try:
            change = run(self.store)
        except (ValueError, KeyError) as exc:
            self.message.emit(str(exc))
            return
        except Exception as exc:
            if outbox is None or not db.is_disconnect(exc):
                raise
            # the server went away: kept, and made once it answers again
            outbox.keep(lambda: self._edit(run, text, select, mention_id, beyond, doc_id))
            return
        touched = change.mention.id if change.mention is not None else mention_id
        if touched is None:
            refresh = lambda: self.refresh(doc_id)  # noqa: E731
        else:
            refresh = self._mention_refresh(doc_id, touched, change.mention)
        if beyond:
            in_document = refresh

            def refresh() -> None:
                in_document()
                self.beyond_changed.emit(-1 if touched is None else touched)

        pushed = push_change(self.stack, self.store, change.batch, text, refresh)
        if pushed and select and change.mention is not None:
            self.view.select_mention(change.mention.id)
        if change.flagged_facts:
            n = len(change.flagged_facts)
            self.message.emit(
                f"{n} fact{'s' if n != 1 else ''} no longer fit{'s' if n == 1 else ''} the new "
                f"label: back to proposed, tagged “{NEEDS_REVIEW}”"
            )

    def _mention_refresh(
        self, document_id: int, mention_id: int, after: MentionRecord | None
    ) -> Callable[[], None]:
        """The refresh of a change to one mention: `after` first, then the row as stored.

        `after` is the row the edit returned (None: deleted); undo and redo read it again.
        """
        first = True

        def refresh() -> None:
            nonlocal first
            if first:
                first = False
                self._mention_changed(document_id, mention_id, after)
            else:
                self.refresh_mention(document_id, mention_id)

        return refresh

    def refresh(self, document_id: int | None) -> None:
        """After a change (or its undo/redo): reload if it concerns the shown document."""
        if document_id is None or document_id == self.document_id:
            self.reload()
        self.changed.emit(document_id if document_id is not None else -1)

    def refresh_mention(self, document_id: int, mention_id: int) -> None:
        """After a change of one mention (or its undo/redo): read it again if it is shown.

        What refresh() does for the whole document, for one mention.
        """
        if self.store is None or document_id != self.document_id:
            self.changed.emit(document_id)
            return
        self._mention_changed(document_id, mention_id, self.store.mentions.get(mention_id))

    def _mention_changed(
        self, document_id: int, mention_id: int, record: MentionRecord | None
    ) -> None:
        """A mention is now `record` (None: gone): update the list and the view if shown."""
        if document_id == self.document_id:
            mentions = [m for m in self.mentions if m.id != mention_id]
            if record is not None:
                bisect.insort(mentions, record, key=_text_order)
            self.mentions = mentions
            self.view.update_mentions([] if record is None else [record], [mention_id])
        self.changed.emit(document_id)

    # -- edits -----------------------------------------------------------------
    def apply_label(self, label: str) -> None:
        """Relabel the selected annotation, or annotate the selected text with `label`."""
        mention = self._selected()
        if mention is not None and not self.view.textCursor().hasSelection():
            self._edit(
                lambda s: s.mentions.relabel(mention.id, label),
                f"Relabel '{mention.text}' as {label}",
                beyond=True,
            )
            return
        span = self.view.selection_span()
        if span is None or self.document_id is None:
            self.message.emit("Select some text or an annotation first")
            return
        start, end = span
        doc_id = self.document_id
        self._edit(
            lambda s: s.mentions.add(doc_id, start, end, label),
            f"Label '{self.text[start:end]}' as {label}",
        )

    def accept(self) -> None:
        """Accept the selected annotation."""
        self._status("accepted", "Accept")

    def reject(self) -> None:
        """Reject the selected annotation."""
        self._status("rejected", "Reject")

    def _status(self, status: str, verb: str) -> None:
        mention = self._selected()
        if mention is None:
            self.message.emit("Select an annotation first (click it, or Tab to the next)")
            return
        self._edit(
            lambda s: s.mentions.set_status(mention.id, status),
            f"{verb} {mention.label} '{mention.text}'",
        )
        if self._by_certainty:
            self.step_uncertain(select_only=True)
        elif status == "accepted" or status == "rejected":
            self.step(True, select_only=True)

    def delete(self) -> None:
        """Delete the selected annotation."""
        mention = self._selected()
        if mention is None:
            self.message.emit("Select an annotation first")
            return
        self._edit(
            lambda s: s.mentions.delete(mention.id),
            f"Delete {mention.label} '{mention.text}'",
            select=False,
            mention_id=mention.id,
        )

    def accept_all(self) -> None:
        """Accept every proposed annotation of the document."""
        doc_id = self.document_id
        if doc_id is None:
            return
        self._edit(lambda s: s.mentions.accept_all(doc_id), "Accept all proposed", select=False)

    def move_edge(self, edge: str, step: int) -> None:
        """Grow or shrink the selected annotation's start or end by one token."""
        mention = self._selected()
        if mention is None:
            self.message.emit("Select an annotation first")
            return
        span = grow(self._tokens, mention.start, mention.end, edge, step)
        if span is None or span == (mention.start, mention.end):
            return
        start, end = span
        self._edit(
            lambda s: s.mentions.resize(mention.id, start, end),
            f"Resize '{mention.text}' → '{self.text[start:end]}'",
        )

    def step(self, forward: bool, select_only: bool = False) -> None:
        """Select the next (or previous) proposed annotation."""
        self._by_certainty = False
        target = self.view.next_mention("proposed", forward)
        if target is not None:
            self.view.select_mention(target)
        elif not select_only:
            self.message.emit("No proposed annotations left in this document")

    def step_uncertain(self, select_only: bool = False) -> None:
        """Select the open proposal after the selected one in order of certainty, least
        certain first (desktop/core/learning/review_order.py); the order is read once a
        document and kept while the analyst works through it."""
        if self.store is None or self.document_id is None:
            return
        if self._uncertain is None:
            from desktop.core.learning.review_order import least_certain_first

            self._uncertain = [mid for mid, _p in least_certain_first(self.store, self.document_id)]
        open_ids = {m.id for m in self.mentions if m.status == "proposed"}
        order = [mid for mid in self._uncertain if mid in open_ids]
        selected = self.view.selected_mention()
        if selected in self._uncertain:
            after = self._uncertain[self._uncertain.index(selected) + 1 :]
            order = [mid for mid in after if mid in open_ids] + [
                mid for mid in order if mid not in after and mid != selected
            ]
        if not order:
            if not select_only:
                self.message.emit("No proposed annotations left in this document")
            return
        self._by_certainty = True
        self.view.select_mention(order[0])

    def snap_selection(self, start: int, end: int) -> tuple[int, int] | None:
        """A selection expanded to whole tokens."""
        return snap(self._tokens, start, end)
