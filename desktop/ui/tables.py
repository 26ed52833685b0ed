"""The look and behaviour every list-like table of the window shares."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)


def plain_rows(table: QTableView) -> None:
    """Whole-row single selection, read-only cells, no grid, one line a row with the text
    cut on the right, alternating colours, no row numbers, columns sized by the caller."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    rows = table.verticalHeader()
    rows.hide()
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(24)


class ElideDelegate(QStyledItemDelegate):
    """Cuts a column's text where the meaning survives: in the middle for file and
    source names that differ at both ends, on the left for a context that ends at a
    mention."""

    def __init__(self, mode: Qt.TextElideMode, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = mode

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = self.mode


def elide_middle(parent: QObject) -> ElideDelegate:
    """A delegate cutting text in the middle."""
    return ElideDelegate(Qt.TextElideMode.ElideMiddle, parent)
