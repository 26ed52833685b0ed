"""Pending merge proposals: pairs of entities that may be one, for the analyst to confirm.

Enter or A accepts the selected proposal (merge), X or Delete rejects it (mark the
pair as distinct). The panel only asks: the window performs the edit, pushes it on
the undo stack and calls `refresh()`. Proposals are computed off the GUI thread; the
list shows the newest answer (`computed` is emitted when it arrives).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.entities.proposals import merge_proposals
from desktop.core.records import MergeProposal
from desktop.core.store import Store
from desktop.ui.background import BackgroundCall

PROPOSAL_ROLE = Qt.ItemDataRole.UserRole + 1
KINDS = ("person", "organization", "place", "group", "event")
ACCEPT_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_A}
REJECT_KEYS = {Qt.Key.Key_X, Qt.Key.Key_Delete, Qt.Key.Key_Backspace}


def proposal_text(p: MergeProposal) -> str:
    """'NDRC ⇄ National Development and Reform Commission · 0.90 · acronym'."""
    reason = p.reason.split(":", 1)[0].strip() or p.reason
    return f"{p.a_name} ⇄ {p.b_name} · {p.score:.2f} · {reason}"


class MergeProposalsPanel(QWidget):
    """A list of pending proposals with accept (merge) and reject (distinct) actions."""

    merge_requested = Signal(int, int)  # a (kept), b (merged into a)
    distinct_requested = Signal(int, int)
    computed = Signal()  # the list shows a fresh answer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.proposals: list[MergeProposal] = []
        self._background = BackgroundCall(self)
        self._background.failed.connect(self._failed)

        self.kind_combo = QComboBox()
        self.kind_combo.addItem("All kinds", None)
        for kind in KINDS:
            self.kind_combo.addItem(kind.capitalize(), kind)
        self.kind_combo.currentIndexChanged.connect(self.refresh)
        self.count_label = QLabel()

        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)  # long names wrap instead of scrolling sideways
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept_current())
        self.list.currentRowChanged.connect(self._update_buttons)

        self.accept_button = QPushButton("Merge (A)")
        self.accept_button.setToolTip("Merge the pair (Enter or A)")
        self.accept_button.clicked.connect(self.accept_current)
        self.reject_button = QPushButton("Not the same (X)")
        self.reject_button.setToolTip("Never propose this pair again (X or Delete)")
        self.reject_button.clicked.connect(self.reject_current)

        top = QHBoxLayout()
        top.addWidget(self.kind_combo)
        top.addStretch(1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_store(self, store: Store | None) -> None:
        self._background.forget()  # nothing may read the old store after this
        self.store = store
        self.refresh()

    @property
    def busy(self) -> bool:
        """Whether proposals are being computed."""
        return self._background.pending

    def refresh(self) -> None:
        """Recompute the proposals in the background; the list keeps its row position."""
        store, kind = self.store, self.kind_combo.currentData()
        if store is None:
            self._background.forget()
            self._show([])
            return
        self.count_label.setText("Looking for proposals…")
        self._background.call(lambda: merge_proposals(store, kind), self._show)

    def _failed(self, message: str) -> None:
        self.count_label.setText("Proposals unavailable")
        self.count_label.setToolTip(message)

    def _show(self, proposals: list[MergeProposal]) -> None:
        row = max(self.list.currentRow(), 0)
        self.list.clear()
        self.proposals = proposals
        self.count_label.setToolTip("")
        for p in self.proposals:
            item = QListWidgetItem(proposal_text(p))
            item.setData(PROPOSAL_ROLE, p)
            item.setToolTip(f"{p.kind}: {p.reason}\nids {p.a_id} ⇄ {p.b_id}")
            self.list.addItem(item)
        n = len(self.proposals)
        self.count_label.setText(f"{n} merge proposal{'s' if n != 1 else ''}")
        if n:
            self.list.setCurrentRow(min(row, n - 1))
        self._update_buttons()
        self.computed.emit()

    def focus_list(self) -> None:
        """Give the keyboard to the list (A / X / Enter / Delete act on it)."""
        self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    def current_proposal(self) -> MergeProposal | None:
        item = self.list.currentItem()
        return item.data(PROPOSAL_ROLE) if item is not None else None

    def accept_current(self) -> None:
        p = self.current_proposal()
        if p is not None:
            self.merge_requested.emit(p.a_id, p.b_id)

    def reject_current(self) -> None:
        p = self.current_proposal()
        if p is not None:
            self.distinct_requested.emit(p.a_id, p.b_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.ShortcutOverride:
            # A, X and Delete are window shortcuts for annotations; in the list they
            # answer the proposal, so the list takes them first.
            assert isinstance(event, QKeyEvent)
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if plain and Qt.Key(event.key()) in ACCEPT_KEYS | REJECT_KEYS:
                event.accept()
                return True
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = Qt.Key(event.key())
            if key in ACCEPT_KEYS:
                self.accept_current()
                return True
            if key in REJECT_KEYS:
                self.reject_current()
                return True
        return super().eventFilter(watched, event)

    def _update_buttons(self, *_args: object) -> None:
        has = self.list.currentItem() is not None
        self.accept_button.setEnabled(has)
        self.reject_button.setEnabled(has)
