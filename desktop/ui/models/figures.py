"""A read-only table of figures (agreement per label, per document …): a thin adapter.

The rows are plain tuples computed off the GUI thread; numbers are shown rounded and
right-aligned, `None` as "n/a", and sort by their value (Qt.ItemDataRole.UserRole).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

Index = QModelIndex | QPersistentModelIndex


def shown(value: object) -> str:
    """A figure as the table shows it."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


class FiguresModel(QAbstractTableModel):
    """Rows of figures under column headers."""

    def __init__(
        self,
        headers: Sequence[str],
        rows: Sequence[tuple] = (),
        tips: Sequence[str] = (),
        parent=None,  # type: ignore[no-untyped-def]
    ) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.tips = list(tips)  # the headers' tooltips (what a short header stands for)
        self.rows = [tuple(r) for r in rows]
        self.total_rows = 0  # how many rows at the end are totals (shown bold)

    def set_rows(self, rows: Sequence[tuple]) -> None:
        """Show other rows (a new comparison: every row changes, so the model resets)."""
        self.beginResetModel()
        self.rows = [tuple(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(value)
        if role == Qt.ItemDataRole.UserRole:  # sorts numbers as numbers, n/a first
            if isinstance(value, int | float):
                return float(value)
            return -1.0 if value is None else str(value)
        if role == Qt.ItemDataRole.FontRole and index.row() >= len(self.rows) - self.total_rows:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = isinstance(value, int | float) or value is None
            side = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.ToolTipRole and horizontal and section < len(self.tips):
            return self.tips[section]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        return None if orientation == Qt.Orientation.Horizontal else section + 1
