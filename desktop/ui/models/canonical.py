"""The corpus tree of canonical entities: kinds, the entities of each, the names they are
written as.

Three levels: a kind row ("Place"), its entities (preferred name, mention and document
counts) and, under each entity, the other names its mentions are written as with how
often. Roles shared with the document tree (desktop.ui.models.entities) keep the
sidebar and its filter proxy working on either.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from desktop.core.folding import fold
from desktop.core.records import EntityRecord
from desktop.ui.models.entities import (
    FOLDED_ROLE,
    LABEL_ROLE,
    MENTION_IDS_ROLE,
    TEXT_ROLE,
    UNKNOWN_COLOR,
    header_data,
)

NAME, COUNT, DOCUMENTS = range(3)
HEADERS = ("Entity", "Mentions", "Docs")
HEADER_TIPS = (
    "Kind, then its canonical entities, then the other names each is written as",
    "Mentions not rejected",
    "Documents mentioning the entity",
)
ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 10  # the entity's id on entity and name rows
ALIAS_ROLE = Qt.ItemDataRole.UserRole + 11  # the written name on name rows, else None
KIND_ORDER = ("person", "organization", "place", "group", "event")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class _Entity:
    record: EntityRecord
    names: tuple[tuple[str, int], ...]  # other written names and their counts


@dataclass(frozen=True, slots=True)
class _Kind:
    kind: str
    entities: tuple[_Entity, ...]
    total: int


def kind_title(kind: str) -> str:
    """'organization' → 'Organization'."""
    return kind[:1].upper() + kind[1:]


class CanonicalEntityModel(QAbstractItemModel):
    """Kind → entity → written-name rows over the project's canonical entities.

    Internal ids: 0 on kind rows; on entity rows 1 + the kind's row; on name rows a
    number from a table of (kind row, entity row) pairs, offset past the kinds.

    Signals: the standard model signals only.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kinds: list[_Kind] = []
        self._present: dict[int, tuple[tuple[int, str], ...]] = {}
        self._parents: dict[tuple[int, int], int] = {}  # (kind row, entity row) -> id
        self._by_id: list[tuple[int, int]] = []
        self._folded: dict[int, str] = {}  # entity id -> its names folded, when filtering

    def set_entities(
        self,
        entities: Sequence[EntityRecord],
        names: Mapping[int, Counter[str]],
        present: Mapping[int, Sequence[tuple[int, str]]] | None = None,
    ) -> None:
        """Show these entities; `names` counts how each is written; `present` maps the
        entities of the shown document to their (mention id, text) there (others dimmed)."""
        by_kind: dict[str, list[_Entity]] = {}
        for record in entities:
            written = names.get(record.id, Counter())
            others = tuple(
                (name, n)
                for name, n in sorted(written.items(), key=lambda kv: (-kv[1], kv[0]))
                if name != record.preferred_name
            )
            by_kind.setdefault(record.kind, []).append(_Entity(record, others))
        order = sorted(
            by_kind,
            key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER), k),
        )
        kinds = []
        for kind in order:
            members = sorted(
                by_kind[kind],
                key=lambda e: (-e.record.mention_count, e.record.preferred_name, e.record.id),
            )
            kinds.append(_Kind(kind, tuple(members), sum(e.record.mention_count for e in members)))
        self.beginResetModel()
        self._kinds = kinds
        self._present = {k: tuple(v) for k, v in (present or {}).items()}
        self._parents = {}
        self._by_id = []
        self._folded = {}
        self.endResetModel()

    def set_present(self, present: Mapping[int, Sequence[tuple[int, str]]]) -> None:
        """Another shown document: which entities it mentions (the rows stay)."""
        self._present = {k: tuple(v) for k, v in present.items()}
        last = len(HEADERS) - 1
        for row, kind in enumerate(self._kinds):
            parent = self.createIndex(row, NAME, 0)
            self.dataChanged.emit(parent, parent.siblingAtColumn(last))
            if kind.entities:
                first = self.index(0, NAME, parent)
                self.dataChanged.emit(first, self.index(len(kind.entities) - 1, last, parent))

    def entity_count(self) -> int:
        """How many entities are shown."""
        return sum(len(k.entities) for k in self._kinds)

    def find_entity(self, entity_id: int) -> QModelIndex:
        """The row of an entity (invalid when it is not shown)."""
        for k, kind in enumerate(self._kinds):
            for e, entity in enumerate(kind.entities):
                if entity.record.id == entity_id:
                    return self.createIndex(e, NAME, k + 1)
        return QModelIndex()

    def find_kind(self, kind: str) -> QModelIndex:
        """The row of a kind (invalid when absent)."""
        row = next((r for r, k in enumerate(self._kinds) if k.kind == kind), None)
        return QModelIndex() if row is None else self.createIndex(row, NAME, 0)

    # -- structure --------------------------------------------------------------
    def _name_parent_id(self, kind_row: int, entity_row: int) -> int:
        key = (kind_row, entity_row)
        if key not in self._parents:
            self._parents[key] = len(self._kinds) + 1 + len(self._by_id)
            self._by_id.append(key)
        return self._parents[key]

    def _level(self, index: Index) -> tuple[int, int | None, int | None]:
        """(kind row, entity row or None, name row or None) of a valid index."""
        internal = index.internalId()
        if internal == 0:
            return index.row(), None, None
        if internal <= len(self._kinds):
            return internal - 1, index.row(), None
        kind_row, entity_row = self._by_id[internal - len(self._kinds) - 1]
        return kind_row, entity_row, index.row()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        kind_row, entity_row, name_row = self._level(parent)
        if entity_row is None:
            return self.createIndex(row, column, kind_row + 1)
        if name_row is None:
            return self.createIndex(row, column, self._name_parent_id(kind_row, entity_row))
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        kind_row, entity_row, name_row = self._level(index)
        if entity_row is None:
            return QModelIndex()
        if name_row is None:
            return self.createIndex(kind_row, NAME, 0)
        return self.createIndex(entity_row, NAME, kind_row + 1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._kinds)
        if parent.column() != NAME:
            return 0
        kind_row, entity_row, name_row = self._level(parent)
        if entity_row is None:
            return len(self._kinds[kind_row].entities)
        if name_row is None:
            return len(self._kinds[kind_row].entities[entity_row].names)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._level(index)[2] is not None:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data(HEADERS, HEADER_TIPS, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if index.column() == NAME else _RIGHT
        kind_row, entity_row, name_row = self._level(index)
        kind = self._kinds[kind_row]
        if entity_row is None:
            return self._kind_data(kind, index.column(), role)
        entity = kind.entities[entity_row]
        if name_row is None:
            return self._entity_data(entity, index.column(), role)
        return self._name_data(entity, entity.names[name_row], index.column(), role)

    # -- roles ------------------------------------------------------------------
    def _kind_data(self, kind: _Kind, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (kind_title(kind.kind), kind.total, None)[column]
        if role == Qt.ItemDataRole.FontRole and column == NAME:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            n = len(kind.entities)
            return f"{kind_title(kind.kind)}: {n} entit{'ies' if n != 1 else 'y'}"
        if role == LABEL_ROLE:
            return kind.kind
        if role == FOLDED_ROLE:
            return kind.kind
        if role == MENTION_IDS_ROLE:
            return sorted(i for e in kind.entities for i, _t in self._present.get(e.record.id, ()))
        return None

    def _entity_data(self, entity: _Entity, column: int, role: int) -> Any:
        record = entity.record
        if role == Qt.ItemDataRole.DisplayRole:
            return (record.preferred_name, record.mention_count, record.document_count)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _entity_tip(entity)
        if role == Qt.ItemDataRole.ForegroundRole and self._present:
            return None if record.id in self._present else QColor(UNKNOWN_COLOR)
        if role == ENTITY_ID_ROLE:
            return record.id
        if role == LABEL_ROLE:
            return record.kind
        if role == TEXT_ROLE:
            return record.preferred_name
        if role == FOLDED_ROLE:
            return self._folded_names(entity)
        if role == MENTION_IDS_ROLE:
            return sorted(i for i, _t in self._present.get(record.id, ()))
        return None

    def _name_data(self, entity: _Entity, name: tuple[str, int], column: int, role: int) -> Any:
        written, count = name
        if role == Qt.ItemDataRole.DisplayRole:
            return (written, count, None)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"'{entity.record.preferred_name}' is written '{written}' "
                f"{count} time{'s' * (count != 1)}"
            )
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#546e7a")
        if role == Qt.ItemDataRole.FontRole and column == NAME:
            font = QFont()
            font.setItalic(True)
            return font
        if role == ENTITY_ID_ROLE:
            return entity.record.id
        if role == ALIAS_ROLE:
            return written
        if role == LABEL_ROLE:
            return entity.record.kind
        if role == TEXT_ROLE:
            return written
        if role == FOLDED_ROLE:
            return fold(written)
        if role == MENTION_IDS_ROLE:
            return sorted(i for i, t in self._present.get(entity.record.id, ()) if t == written)
        return None

    def _folded_names(self, entity: _Entity) -> str:
        folded = self._folded.get(entity.record.id)
        if folded is None:
            r = entity.record
            every = [r.preferred_name, *r.aliases, *(n for n, _c in entity.names)]
            folded = self._folded[r.id] = fold(" | ".join(dict.fromkeys(every)))
        return folded


def _entity_tip(entity: _Entity) -> str:
    r = entity.record
    lines = [
        f"{r.preferred_name} ({r.kind}): {r.mention_count} mention{'s' * (r.mention_count != 1)} "
        f"in {r.document_count} document{'s' * (r.document_count != 1)}"
    ]
    if entity.names:
        lines.append("Also written: " + ", ".join(n for n, _c in entity.names))
    lines.append("Enter: entity page · F2: rename · Ctrl+M: merge the selected")
    return "\n".join(lines)
