"""Edit a copy of the label set (add, rename, recolour, hotkeys) and hand back the edits."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.records import LabelRecord
from desktop.core.store.labels import FALLBACK_COLORS, HOTKEYS
from desktop.ui import icons
from desktop.ui.dialogs.label_palette import swatch_icon

NO_HOTKEY = "—"


@dataclass(frozen=True, slots=True)
class LabelEdit:
    """A label to add (label_id None) or the new values of an existing label."""

    label_id: int | None
    name: str
    color: str
    hotkey: str | None


@dataclass(slots=True, eq=False)
class _Draft:
    original: LabelRecord | None
    name: str
    color: str
    hotkey: str | None

    def edit(self) -> LabelEdit:
        label_id = self.original.id if self.original else None
        return LabelEdit(label_id, self.name.strip(), self.color.lower(), self.hotkey)

    def keeps_name(self) -> bool:
        return self.original is not None and self.original.name == self.name.strip()

    def changed(self) -> bool:
        o = self.original
        e = self.edit()
        return o is None or (o.name, o.color.lower(), o.hotkey) != (e.name, e.color, e.hotkey)


def _problems(drafts: list[_Draft]) -> dict[int, str]:
    """Why a row cannot be saved, by row: empty, spaced or duplicate names, rename cycles."""
    found: dict[int, str] = {}
    names = [d.name.strip() for d in drafts]
    for row, name in enumerate(names):
        if not name:
            found[row] = f"Row {row + 1} needs a name."
        elif any(c.isspace() for c in name) and not drafts[row].keeps_name():
            found[row] = f"“{name}”: a label name is one word without spaces."
        elif names.count(name) > 1:
            found[row] = f"“{name}” is the name of two labels."
    if not found and (cycle := _rename_cycle(drafts)):
        message = (
            f"{' and '.join(cycle)} trade names, which cannot be saved in one step: "
            "give one a temporary name first."
        )
        for row, d in enumerate(drafts):
            if d.original and d.original.name in cycle:
                found[row] = message
    return found


def _after(drafts: list[_Draft]) -> dict[int, set[int]]:
    """For each existing row, the rows whose old name it takes (they must be renamed first)."""
    old = {d.original.name: row for row, d in enumerate(drafts) if d.original}
    return {
        row: {old[d.name.strip()]} - {row} if d.name.strip() in old else set()
        for row, d in enumerate(drafts)
        if d.original
    }


def _rename_order(drafts: list[_Draft]) -> tuple[list[int], list[int]]:
    """Existing rows in an order where each name is free when taken, and the rows left stuck."""
    pending, order = _after(drafts), []
    while ready := [row for row, deps in pending.items() if not deps & pending.keys()]:
        order += ready
        for row in ready:
            del pending[row]
    return order, list(pending)


def _rename_cycle(drafts: list[_Draft]) -> list[str]:
    stuck = _rename_order(drafts)[1]
    return sorted(drafts[row].original.name for row in stuck)  # type: ignore[union-attr]


def _ordered_edits(drafts: list[_Draft]) -> list[LabelEdit]:
    """The changed and new labels, in an order the store accepts one by one."""
    order, stuck = _rename_order(drafts)
    if stuck:
        raise ValueError("labels that trade names cannot be saved in one step")
    order += [row for row, d in enumerate(drafts) if d.original is None]
    return [drafts[row].edit() for row in order if drafts[row].changed()]


class LabelEditorDialog(QDialog):
    """A table of the labels to add, rename, recolour and give hotkeys; `edits()` after OK.

    Signals: only QDialog's (accepted, rejected, finished).
    """

    COLOR, NAME, HOTKEY, REMOVE = range(4)

    def __init__(self, labels: list[LabelRecord], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Labels")
        self._drafts = [_Draft(lb, lb.name, lb.color, lb.hotkey) for lb in labels]
        self._note = ""
        self._warnings: dict[_Draft, QAction] = {}
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["Colour", "Name", "Hotkey", ""])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (self.COLOR, self.HOTKEY, self.REMOVE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        add = QPushButton("Add label", self)
        add.clicked.connect(self.add_label)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(add)
        bottom.addStretch()
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        for draft in self._drafts:
            self._add_row(draft)
        self.resize(460, 560)
        self._validate()

    @property
    def ok_button(self) -> QPushButton:
        """The OK button (disabled while a row is invalid)."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def name_edit(self, row: int) -> QLineEdit:
        """The name field of a row."""
        return self.table.cellWidget(row, self.NAME)  # type: ignore[return-value]

    def hotkey_combo(self, row: int) -> QComboBox:
        """The hotkey chooser of a row (first item: no hotkey)."""
        return self.table.cellWidget(row, self.HOTKEY)  # type: ignore[return-value]

    def edits(self) -> list[LabelEdit]:
        """The new and changed labels, ordered so the store accepts them one by one."""
        if found := _problems(self._drafts):
            raise ValueError(next(iter(found.values())))
        return _ordered_edits(self._drafts)

    def add_label(self) -> int:
        """Append a new, unnamed label with an unused colour; returns its row."""
        used = {d.color.lower() for d in self._drafts}
        color = next((c for c in FALLBACK_COLORS if c not in used), FALLBACK_COLORS[0])
        draft = _Draft(None, "", color, None)
        self._drafts.append(draft)
        row = self._add_row(draft)
        self.table.scrollToBottom()
        self.name_edit(row).setFocus()
        self._validate()
        return row

    def set_color(self, row: int, color: str) -> None:
        """Give a row a new colour (#rrggbb)."""
        draft = self._drafts[row]
        draft.color = QColor(color).name()
        button = self.table.cellWidget(row, self.COLOR)
        if isinstance(button, QToolButton):
            button.setIcon(swatch_icon(draft.color, 16))
            button.setToolTip(f"{draft.color} — click to change")

    def _add_row(self, draft: _Draft) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        swatch = QToolButton(self.table)
        swatch.setAutoRaise(True)
        swatch.clicked.connect(lambda: self._choose_color(draft))
        self.table.setCellWidget(row, self.COLOR, swatch)
        self.set_color(row, draft.color)
        name = QLineEdit(draft.name, self.table)
        name.setFrame(False)
        name.setPlaceholderText("NAME")
        name.textChanged.connect(lambda text: self._rename(draft, text))
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self._warnings[draft] = name.addAction(warning, QLineEdit.ActionPosition.TrailingPosition)
        self._warnings[draft].setVisible(False)
        self.table.setCellWidget(row, self.NAME, name)
        combo = QComboBox(self.table)
        combo.addItems([NO_HOTKEY, *HOTKEYS])
        combo.setCurrentText(draft.hotkey or NO_HOTKEY)
        combo.currentTextChanged.connect(lambda text: self._set_hotkey(draft, text))
        self.table.setCellWidget(row, self.HOTKEY, combo)
        if draft.original is None:
            remove = QToolButton(self.table)
            remove.setAutoRaise(True)
            remove.setIcon(icons.icon("delete"))
            remove.setToolTip("Drop this new label")
            remove.clicked.connect(lambda: self._remove(draft))
            self.table.setCellWidget(row, self.REMOVE, remove)
        return row

    def _choose_color(self, draft: _Draft) -> None:
        title = f"Colour of {draft.name.strip() or 'the new label'}"
        color = QColorDialog.getColor(QColor(draft.color), self, title)
        if color.isValid():
            self.set_color(self._drafts.index(draft), color.name())
            self._validate()

    def _rename(self, draft: _Draft, text: str) -> None:
        draft.name = text
        self._validate()

    def _set_hotkey(self, draft: _Draft, text: str) -> None:
        draft.hotkey = None if text == NO_HOTKEY else text
        self._note = ""
        for row, other in enumerate(self._drafts):
            if other is not draft and draft.hotkey and other.hotkey == draft.hotkey:
                other.hotkey = None
                combo = self.hotkey_combo(row)
                combo.blockSignals(True)
                combo.setCurrentText(NO_HOTKEY)
                combo.blockSignals(False)
                to = f" to {draft.name.strip()}" if draft.name.strip() else ""
                self._note = f"Hotkey {draft.hotkey} moved from {other.name.strip()}{to}."
        self._validate()

    def _remove(self, draft: _Draft) -> None:
        row = self._drafts.index(draft)
        del self._drafts[row]
        del self._warnings[draft]
        self.table.removeRow(row)
        self._validate()

    def _validate(self) -> None:
        found = _problems(self._drafts)
        for row, draft in enumerate(self._drafts):
            self._warnings[draft].setVisible(row in found)
            self._warnings[draft].setToolTip(found.get(row, ""))
        self.ok_button.setEnabled(not found)
        text = next(iter(found.values()), "") or self._note
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if found else "")
        self.message.setVisible(bool(text))
