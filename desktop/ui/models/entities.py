"""The entity tree of one document: labels (with a colour swatch and a total) and the
names under them. The corpus's canonical entities are desktop.ui.models.canonical."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from desktop.core.folding import fold
from desktop.core.records import EntitySummary, LabelRecord

NAME, COUNT = range(2)
HEADERS = ("Name", "Mentions")
HEADER_TIPS = ("Label, then the names tagged with it", "Mentions not rejected")
MENTION_IDS_ROLE = Qt.ItemDataRole.UserRole  # list of mention ids in the shown document
LABEL_ROLE = Qt.ItemDataRole.UserRole + 1
TEXT_ROLE = Qt.ItemDataRole.UserRole + 2  # the name; None on label rows
FOLDED_ROLE = Qt.ItemDataRole.UserRole + 3  # folded name (or label) for filtering
UNKNOWN_COLOR = "#9e9e9e"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class _Group:
    """The names of one label."""

    label: str
    color: str
    names: tuple[EntitySummary, ...]
    total: int
    mention_ids: tuple[int, ...]


def header_data(
    headers: tuple[str, ...],
    tips: tuple[str, ...],
    section: int,
    orientation: Qt.Orientation,
    role: int,
) -> Any:
    """Header of a name tree: titles with tooltips, the name column left, counts right."""
    if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(headers):
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return headers[section]
    if role == Qt.ItemDataRole.ToolTipRole:
        return tips[section]
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return _LEFT if section == NAME else _RIGHT
    return None


def swatch(color: str, size: int = 12) -> QIcon:
    """A small rounded square of a label's colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(color).darker(130))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    painter.end()
    return QIcon(pixmap)


class EntityTreeModel(QAbstractItemModel):
    """Label → name rows over a document's entity summary.

    Label rows have internal id 0; name rows carry their label's row + 1.

    Signals: the standard model signals only.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[_Group] = []
        self._icons: dict[str, QIcon] = {}
        self._folded: dict[str, str] = {}  # folded names, computed when a filter asks

    def set_entities(self, entities: list[EntitySummary], labels: dict[str, LabelRecord]) -> None:
        """Show a summary; labels in palette order."""
        by_label: dict[str, list[EntitySummary]] = {}
        for entity in entities:
            by_label.setdefault(entity.label, []).append(entity)
        order = sorted(
            by_label, key=lambda n: (labels[n].position if n in labels else len(labels), n)
        )
        groups = []
        for name in order:
            names = tuple(by_label[name])
            groups.append(
                _Group(
                    label=name,
                    color=labels[name].color if name in labels else UNKNOWN_COLOR,
                    names=names,
                    total=sum(e.count for e in names),
                    mention_ids=tuple(sorted(i for e in names for i in e.mention_ids)),
                )
            )
        self.beginResetModel()
        self._groups = groups
        self.endResetModel()

    def label_row(self, label: str) -> int | None:
        """The row of a label, if shown."""
        return next((r for r, g in enumerate(self._groups) if g.label == label), None)

    def find(self, label: str, text: str | None = None) -> QModelIndex:
        """The index of a name under a label, or of the label (invalid when absent)."""
        row = self.label_row(label)
        if row is None:
            return QModelIndex()
        if text is None:
            return self.createIndex(row, NAME, 0)
        for n, entity in enumerate(self._groups[row].names):
            if entity.text == text:
                return self.createIndex(n, NAME, row + 1)
        return QModelIndex()

    # -- Qt overrides ----------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, NAME, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == NAME:
            return len(self._groups[parent.row()].names)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() != 0:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data(HEADERS, HEADER_TIPS, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._label_data(self._groups[index.row()], index.column(), role)
        group = self._groups[index.internalId() - 1]
        return self._name_data(group, index.row(), index.column(), role)

    # -- roles -----------------------------------------------------------------
    def _label_data(self, group: _Group, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (group.label, group.total)[column]
        if role == Qt.ItemDataRole.DecorationRole and column == NAME:
            if group.color not in self._icons:
                self._icons[group.color] = swatch(group.color)
            return self._icons[group.color]
        if role == Qt.ItemDataRole.FontRole and column == NAME:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            total, names = _count(group.total, "mention"), _count(len(group.names), "name")
            return f"{group.label}: {total} of {names}"
        return self._common(group, column, role, group.mention_ids, None)

    def _name_data(self, group: _Group, row: int, column: int, role: int) -> Any:
        entity = group.names[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return (entity.text, entity.count)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entity.text} ({group.label}): {_count(entity.count, 'mention')}"
        return self._common(group, column, role, entity.mention_ids, entity.text)

    def _common(
        self,
        group: _Group,
        column: int,
        role: int,
        mention_ids: tuple[int, ...],
        text: str | None,
    ) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column == NAME else _RIGHT
        if role == MENTION_IDS_ROLE:
            return list(mention_ids)
        if role == LABEL_ROLE:
            return group.label
        if role == TEXT_ROLE:
            return text
        if role == FOLDED_ROLE:
            key = group.label if text is None else text
            if key not in self._folded:
                self._folded[key] = fold(key)
            return self._folded[key]
        return None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


class EntityFilterProxy(QSortFilterProxyModel):
    """Keeps names whose folded text contains the folded filter ("viet" finds "Việt Nam");
    a label matching the filter keeps all its names."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)

    def filter_text(self) -> str:
        """The folded filter in force."""
        return self._needle

    def set_text(self, text: str) -> None:
        """Filter by a piece of a name or a label ('' shows all)."""
        self.beginFilterChange()
        self._needle = fold(text.strip())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        folded = model.data(model.index(source_row, NAME, source_parent), FOLDED_ROLE)
        return self._needle in (folded or "")
