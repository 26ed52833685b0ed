"""The look and behaviour every list-like table of the window shares."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
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


class WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their text wrapped at the column's current width (a tree view asks
    its delegate for heights without saying how wide the column is)."""

    MARGIN = 8  # the cell's padding, left and right together

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view
        view.header().sectionResized.connect(lambda *_: view.doItemsLayout())

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        width = self._view.header().sectionSize(index.column()) - self.MARGIN
        text = str(index.data() or "")
        if not text or width <= 0:
            return hint
        flags = int(Qt.TextFlag.TextWordWrap)
        needed = option.fontMetrics.boundingRect(0, 0, width, 1_000_000, flags, text).height()
        return QSize(hint.width(), max(hint.height(), needed + 4))
