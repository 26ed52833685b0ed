"""Table models of "Names the project knows": thin adapters over the rows read off the
GUI thread (desktop/core/learning/listing.py); they never query the store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.core.learning.listing import (
    SOURCE_TEXT,
    ForgottenRow,
    NameRow,
    RejectionRow,
    where,
)

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole  # the row object of a line
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

Column = tuple[str, Callable[[Any], Any], str]  # header, value, tooltip

NAME_COLUMNS: tuple[Column, ...] = (
    ("Name", lambda r: r.text, "The name as most often written"),
    ("Label", lambda r: r.label, "The label extraction gives it"),
    ("Entity", lambda r: r.entity, "The entity every match is linked to"),
    ("Other names", lambda r: r.aliases, "The entity's other names"),
    ("Documents", lambda r: r.documents, "Documents where the name is written"),
    ("From", lambda r: SOURCE_TEXT.get(r.source, r.source), "Which decision taught it"),
)
REJECTION_COLUMNS: tuple[Column, ...] = (
    ("Text", lambda r: r.text, "The text not proposed again with this label"),
    ("Label", lambda r: r.label, "The label rejected on it"),
    ("Where", lambda r: where(r.context), "The kind of zone (and next word) it holds in"),
    ("Rejected", lambda r: r.rejected, "How many times the analyst rejected it"),
    ("Documents", lambda r: r.documents, "Documents where it was rejected"),
    ("From", lambda r: SOURCE_TEXT.get(r.source, r.source), "Rejected in a document or by hand"),
)
FORGOTTEN_COLUMNS: tuple[Column, ...] = (
    ("Text", lambda r: r.text, "What the project no longer learns from decisions"),
    ("Label", lambda r: r.label, "Its label"),
    ("Kind", lambda r: "name" if r.kind == "name" else "rejection", "A name or a rejection"),
    ("Where", lambda r: where(r.context) if r.kind == "rejection" else "", "Zone kind"),
)


class RowsModel(QAbstractTableModel):
    """Read-only rows of one of the dialog's tables.

    Signals: the standard model signals only.
    """

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[NameRow | RejectionRow | ForgottenRow] = []

    def set_rows(self, rows: Sequence[NameRow | RejectionRow | ForgottenRow]) -> None:
        """Show other rows (a fresh read)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> NameRow | RejectionRow | ForgottenRow:
        """The row object at a row number."""
        return self._rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._columns[section][2]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        value = self._columns[index.column()][1](row)
        if role == Qt.ItemDataRole.DisplayRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, str) and len(value) > 30:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int):
            return _RIGHT
        return None
