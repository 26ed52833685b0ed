"""Edit one fact place of an adjudication: the fact's type and its arguments (each a role on
words of the text), chosen from what both sides hold there, from the keyboard."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.agreement.layers import FactItem

Argument = tuple[str, int | None, int | None]


def _arg_order(arg: Argument) -> tuple[str, int, int]:
    role, start, end = arg
    return role, -1 if start is None else start, -1 if end is None else end


class FactPlaceEditor(QDialog):
    """The fact the project keeps at a place: a type (T), and the arguments both sides
    hold there as a checklist (Space ticks; R picks the role of the current one), the
    first of ours ticked to begin with; Enter writes it, Escape leaves the place alone."""

    def __init__(
        self,
        text: str,
        ours: Sequence[FactItem],
        theirs: Sequence[FactItem],
        schema: dict[str, dict],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit the fact of this place")
        self.text = text
        self.schema = schema
        first = (list(ours) or list(theirs))[0]
        self.type = QComboBox()
        kinds = sorted({f.type for f in (*ours, *theirs)})
        self.type.addItems(kinds + [t for t in schema if t not in kinds])
        self.type.setCurrentText(first.type)
        self.role = QComboBox()
        self.arguments = QListWidget()
        keep = set(first.arguments)
        for arg in sorted({a for f in (*ours, *theirs) for a in f.arguments}, key=_arg_order):
            self._add_item(arg, arg in keep)
        self.arguments.setCurrentRow(0)
        self.type.currentTextChanged.connect(self._roles)
        self.arguments.currentRowChanged.connect(lambda _row: self._roles())
        self.role.activated.connect(self._set_role)
        self._roles()
        form = QFormLayout()
        form.addRow("&Type:", self.type)
        form.addRow("&Role of the current argument:", self.role)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        caption = QLabel("&Arguments the fact keeps (ticked; Space ticks):")
        caption.setBuddy(self.arguments)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(caption)
        layout.addWidget(self.arguments, 1)
        layout.addWidget(buttons)
        self.arguments.setFocus()
        self.resize(560, 360)

    def _words(self, arg: Argument) -> str:
        _role, start, end = arg
        return "" if start is None or end is None else self.text[start:end]

    def _add_item(self, arg: Argument, checked: bool) -> None:
        item = QListWidgetItem()
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self._show(item, arg)
        self.arguments.addItem(item)

    def _show(self, item: QListWidgetItem, arg: Argument) -> None:
        role, start, end = arg
        item.setData(Qt.ItemDataRole.UserRole, arg)
        where = "" if start is None else f"  {start}–{end}"
        item.setText(f"{role}: “{self._words(arg)}”{where}")

    def _roles(self) -> None:
        """The role choice lists the type's roles and the current argument's own."""
        item = self.arguments.currentItem()
        roles = list(self.schema.get(self.type.currentText(), {}).get("roles", {}))
        current = item.data(Qt.ItemDataRole.UserRole)[0] if item is not None else ""
        if current and current not in roles:
            roles.append(current)
        self.role.blockSignals(True)
        self.role.clear()
        self.role.addItems(roles)
        self.role.setCurrentText(current)
        self.role.blockSignals(False)

    def _set_role(self, _index: int | None = None) -> None:
        item = self.arguments.currentItem()
        if item is not None:
            _role, start, end = item.data(Qt.ItemDataRole.UserRole)
            self._show(item, (self.role.currentText(), start, end))

    def set_role(self, row: int, role: str) -> None:
        """Give argument `row` the role `role` (as the role choice does)."""
        self.arguments.setCurrentRow(row)
        self.role.setCurrentText(role)
        self._set_role()

    def chosen(self) -> list[FactItem]:
        """The fact as edited: its type and ticked arguments (none ticked: no fact)."""
        args = [
            tuple(self.arguments.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.arguments.count())
            if self.arguments.item(i).checkState() == Qt.CheckState.Checked
        ]
        if not args:
            return []
        return [FactItem(self.type.currentText(), tuple(sorted(set(args), key=_arg_order)))]  # type: ignore[arg-type]
