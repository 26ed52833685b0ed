"""Named analysts in the window: who is at the keyboard, what everyone did, and the
refusals of a shared project.

- The analyst's name lives in the settings (QSettings "analyst/name"); on first use the
  window asks for it (`ask_on_first_use`), File › Analyst name… changes it. The project's
  Store writes every change, undo and decision under that name.
- History (`HistoryView`) lists every analyst's steps, oldest first, with who made each
  and when; Ctrl+Z and Ctrl+Shift+Z take one's own steps only (the stack holds those).
- A write another client's change made stale is refused by the store (the version check):
  the window reads every view again and says who changed what (`attach`).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.store import Store
from desktop.core.store.analysts import ENV, clean_name, default_analyst
from desktop.ui import settings

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

KEY = "analyst/name"
COLUMNS = ("Step", "Analyst", "When")


def saved_name() -> str | None:
    """The analyst's name from the settings (None before the first use)."""
    value = settings.settings().value(KEY, "")
    return str(value).strip() or None


def save_name(name: str) -> str:
    """Remember the analyst's name; returns it as stored."""
    name = clean_name(name)
    settings.settings().setValue(KEY, name)
    return name


class NameDialog(QDialog):
    """Asks the analyst's name: written on every change, undo and decision they make."""

    def __init__(self, current: str, parent: QWidget | None = None, first: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("analyst_name_dialog")
        self.setWindowTitle("Your name" if first else "Analyst name")
        layout = QVBoxLayout(self)
        text = (
            "Who is working here? Factdesk writes your name on every change you make, so a "
            "team sees who did what in History. Undo takes back your own steps only."
        )
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.edit = QLineEdit(current)
        self.edit.setObjectName("analyst_name")
        self.edit.setPlaceholderText("Your name, e.g. Ana Weiss")
        self.edit.selectAll()
        layout.addWidget(self.edit)
        self.problem = QLabel("")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        if not first:
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def name(self) -> str:
        return self.edit.text()

    def accept(self) -> None:
        try:
            clean_name(self.edit.text())
        except ValueError as exc:
            self.problem.setText(str(exc).capitalize())
            self.problem.show()
            return
        super().accept()


def current_name() -> str:
    """The name the window works under: FACTDESK_ANALYST (`factdesk --analyst NAME
    open P`), else the settings', else the OS user name."""
    return os.environ.get(ENV, "").strip() or saved_name() or default_analyst()


def set_name(window: MainWindow, name: str) -> None:
    """Work under another name from now on: the store records it, Undo holds its steps."""
    name = save_name(name)
    store = window.store
    if store is not None and store.analyst != name:
        store.analyst = name
        from desktop.ui.commands import rebuild_stack

        rebuild_stack(window.stack, store, window._after_history_step)
    window.statusBar().showMessage(f"Working as {name}", 4000)
    _history(window).refresh()


def _ask(window: MainWindow, first: bool) -> NameDialog:
    dialog = NameDialog(current_name(), window, first)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.accepted.connect(lambda: set_name(window, dialog.name()))
    dialog.open()
    window.name_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def ask_on_first_use(window: MainWindow) -> NameDialog | None:
    """Ask the analyst's name unless the settings have it (the first start)."""
    if saved_name() is not None:
        return None
    return _ask(window, first=True)


def change_name(window: MainWindow) -> NameDialog:
    """File › Analyst name…"""
    return _ask(window, first=False)


class _Refusals(QObject):
    """Carries a refused write to the GUI thread (a worker's write may be refused too)."""

    refused = Signal(str)


def install(window: MainWindow) -> None:
    """Give a new window its History (every analyst's steps) and the hook that names the
    analyst of each project it opens (called once, as its menus are built)."""
    from desktop.ui.commands import on_open

    view = HistoryView(window.stack)
    old = window.history_view
    dock = window.findChild(QDockWidget, "dock_history")
    if dock is not None:
        dock.setWidget(view)
    if old is not view:
        old.deleteLater()
    window.history_view = view  # type: ignore[assignment]
    window.documents.document_activated.connect(lambda _doc: _caught_up(window))
    on_open(window.stack, lambda store: attach(window, store))


def _caught_up(window: MainWindow) -> None:
    """A document was read again: what it shows is what the version check compares with."""
    if window.store is not None:
        window.store.catch_up()


def attach(window: MainWindow, store: Store) -> None:
    """A project opened in the window: its edits are this analyst's, and a refused write
    makes every view read again and says who changed what."""
    store.analyst = current_name()
    if getattr(store, "_window_attached", False):
        return
    store._window_attached = True  # type: ignore[attr-defined]
    bridge = _Refusals(window)
    bridge.refused.connect(  # queued: after the refused write's transaction is gone
        lambda message: _refused(window, store, message), Qt.ConnectionType.QueuedConnection
    )
    store.on_conflict(lambda conflict: bridge.refused.emit(str(conflict)))
    _history(window).set_store(store)


def _refused(window: MainWindow, store: Store, message: str) -> None:
    if window.store is not store:
        return
    store.catch_up()  # the views read from here on show the other analyst's change
    window._reread_all()
    _history(window).refresh()
    window.warn("Changed by someone else", message)


def _history(window: MainWindow) -> HistoryView:
    view = window.history_view
    assert isinstance(view, HistoryView)
    return view


def _local(stamp: str) -> str:
    """A stored UTC time as the analyst's local date and time to the minute."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


class HistoryView(QTableView):
    """Every analyst's steps, oldest first: what, who, when; undone ones greyed."""

    def __init__(self, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_view")
        self.store: Store | None = None
        self.model_ = QStandardItemModel(0, len(COLUMNS), self)
        self.model_.setHorizontalHeaderLabels(list(COLUMNS))
        self.setModel(self.model_)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setShowGrid(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._timer = QTimer(self)  # an edit's frame only draws the text: History follows
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        stack.indexChanged.connect(lambda _i: self.refresh_soon())

    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.refresh()

    def refresh_soon(self) -> None:
        self._timer.start()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self.refresh_soon()

    def rows(self) -> list[tuple[str, str, str, bool]]:
        """(step, analyst, when, undone) as shown."""
        out = []
        for r in range(self.model_.rowCount()):
            cells = [self.model_.item(r, c) for c in range(len(COLUMNS))]
            out.append(
                (cells[0].text(), cells[1].text(), cells[2].text(), bool(cells[0].data(256)))
            )
        return out

    def refresh(self) -> None:
        """Read the history again (only while it can be seen; it is read when shown)."""
        self._timer.stop()
        self.model_.removeRows(0, self.model_.rowCount())
        store = self.store
        if store is None or not self.isVisible():
            return
        me = store.analyst
        for entry in store.history.entries():
            when = _local(entry.created_at)
            step = entry.summary + ("  (undone)" if entry.undone else "")
            cells = [QStandardItem(step), QStandardItem(entry.actor), QStandardItem(when)]
            for cell in cells:
                if entry.undone:
                    cell.setForeground(Qt.GlobalColor.gray)
                    font = QFont()
                    font.setItalic(True)
                    cell.setFont(font)
            cells[0].setData(entry.undone, 256)
            if entry.actor == me:
                font = cells[1].font()
                font.setBold(True)
                cells[1].setFont(font)
            cells[1].setToolTip("you" if entry.actor == me else f"{entry.actor}'s step")
            self.model_.appendRow(cells)
        self.scrollToBottom()
