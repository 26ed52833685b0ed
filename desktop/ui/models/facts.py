"""The fact table model: fact records of a document or the corpus, and a filter proxy."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import qtawesome
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPalette

from desktop.core.facts.lexicon import lexicon
from desktop.core.folding import fold
from desktop.core.ingest.zones import BOILERPLATE_ZONES
from desktop.core.records import DocumentInfo, FactArgRecord, FactRecord
from desktop.ui.values import shown_value

TYPE, ARGUMENTS, STATUS, TAGS, DOCUMENT, CONFIDENCE = range(6)
HEADERS = ("Type", "Arguments", "Status", "Tags", "Document", "Conf.")
STATUS_HEADER_ICON = ("mdi6.list-status", "#37474f")  # the Status column shows icons only
HEADER_TIPS = (
    "Kind of fact",
    "Arguments by role; normalized values (dates, amounts) in place of the text",
    "Proposed by the rules, or accepted or rejected by an analyst",
    "Tags on the fact",
    "Document the fact was found in",
    "Confidence of the rule that proposed the fact",
)
STATUS_STYLES = {  # the document list's status icons and colours
    "proposed": ("mdi6.help-circle-outline", "#d08700"),
    "accepted": ("mdi6.check-circle-outline", "#2e7d32"),
    "rejected": ("mdi6.close-circle-outline", "#c62828"),
}
DATE_ROLES = ("date", "period")  # roles whose normalized value is a date
FACT_ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a key that sorts numbers as numbers
FOLDED_ROLE = Qt.ItemDataRole.UserRole + 2  # folded argument texts and values (any column)
DATE_ROLE = Qt.ItemDataRole.UserRole + 3  # the fact's date value (see fact_date), or None
SEPARATOR = " · "
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})")

Index = QModelIndex | QPersistentModelIndex


# -- plain helpers (no Qt): shared by the table and the timeline ------------------
def role_order(fact: FactRecord) -> list[str]:
    """The roles a fact uses: schema order first, then any others in argument order."""
    schema = lexicon().schema
    known = list(schema[fact.type]["roles"]) if fact.type in schema else []
    used = [a.role for a in fact.arguments]
    return [r for r in known if r in used] + list(dict.fromkeys(r for r in used if r not in known))


def argument_shown(argument: FactArgRecord) -> str:
    """What the table shows for an argument: its normalized value (units and separators
    in the user's locale), else its text."""
    return shown_value(argument) if argument.value else argument.text or ""


def summarize(fact: FactRecord, roles: list[str] | None = None) -> str:
    """'participant: Le Hoai Trung, Wei Tao · place: Hanoi · date: --11-25'."""
    parts = []
    for role in roles if roles is not None else role_order(fact):
        shown = [argument_shown(a) for a in fact.arguments if a.role == role]
        if any(shown):
            parts.append(f"{role}: {', '.join(s for s in shown if s)}")
    return SEPARATOR.join(parts)


def describe_arguments(fact: FactRecord) -> str:
    """One line per argument, the text and its normalized value (for tooltips)."""
    lines = []
    for role in role_order(fact):
        for a in (a for a in fact.arguments if a.role == role):
            value = f"  →  {a.value}" if a.value and a.value != a.text else ""
            lines.append(f"{role}: {a.text or '—'}{value}")
    return "\n".join(lines)


def fact_date(fact: FactRecord) -> str | None:
    """The normalized value of the fact's first date or period argument, if any."""
    for a in sorted(fact.arguments, key=lambda a: a.position):
        if a.role in DATE_ROLES and a.value:
            return a.value
    return None


def date_bounds(value: str) -> tuple[str, str]:
    """The first and last ISO date of a value ('2023/2024' → ('2023', '2024'); a week becomes
    its Monday and Sunday; a clock time is dropped)."""
    start, _, end = value.partition("/")
    return _comparable(start), _comparable(end or start)


def _comparable(value: str) -> str:
    value = value.split("T", 1)[0]
    week = _WEEK_RE.match(value)
    if week:
        try:
            return date.fromisocalendar(int(week[1]), int(week[2]), 1).isoformat()
        except ValueError:
            return week[1]
    return value


def in_date_range(value: str | None, low: str, high: str) -> bool:
    """Whether a date value overlaps [low, high]; partial dates compare by their common prefix.

    Empty bounds are open. Values without a known year ('--11-25', 'T10:00') and facts
    without a date fall outside any range that is set."""
    if not low and not high:
        return True
    if not value:
        return False
    start, end = date_bounds(value)
    if not start[:4].isdigit():
        return False
    if low and _prefix_less(end, low):
        return False
    return not (high and _prefix_less(high, start))


def _prefix_less(a: str, b: str) -> bool:
    """a < b, comparing only as many characters as the shorter has ('2025' equals '2025-11')."""
    n = min(len(a), len(b))
    return a[:n] < b[:n]


class FactTableModel(QAbstractTableModel):
    """Facts (records) in rows; edits replace one row and emit dataChanged for it alone.

    The model holds the records the panel queried and the documents' metadata; data()
    only formats them. FOLDED_ROLE and DATE_ROLE feed FactFilterProxy; SORT_ROLE gives
    numeric keys for the confidence column.

    Signals: the standard model signals only.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._facts: list[FactRecord] = []
        self._rows: dict[int, int] = {}
        self._documents: dict[int, DocumentInfo] = {}
        self._summaries: dict[int, str] = {}  # fact id → argument summary (made on demand)
        self._folded: dict[int, str] = {}
        self._icons: dict[str, QIcon] = {}

    # -- state -----------------------------------------------------------------
    def set_facts(self, facts: list[FactRecord], documents: dict[int, DocumentInfo]) -> None:
        """Show other facts (a reset: the scope or a filter changed)."""
        self.beginResetModel()
        self._facts = list(facts)
        self._documents = dict(documents)
        self._summaries.clear()
        self._folded.clear()
        self._reindex()
        self.endResetModel()

    def update_fact(self, fact: FactRecord) -> bool:
        """Replace a fact's record in place (after an edit); False when it is not shown."""
        row = self._rows.get(fact.id)
        if row is None:
            return False
        self._facts[row] = fact
        self._summaries.pop(fact.id, None)
        self._folded.pop(fact.id, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return True

    def insert_fact(self, fact: FactRecord, document: DocumentInfo | None = None) -> int:
        """Add a fact at its place in document and text order; returns its row."""
        if fact.id in self._rows:
            self.update_fact(fact)
            return self._rows[fact.id]
        key = (fact.document_id, fact.evidence_start, fact.id)
        row = next(
            (n for n, f in enumerate(self._facts) if (f.document_id, f.evidence_start, f.id) > key),
            len(self._facts),
        )
        self.beginInsertRows(QModelIndex(), row, row)
        self._facts.insert(row, fact)
        if document is not None:
            self._documents[document.id] = document
        self._reindex()
        self.endInsertRows()
        return row

    def remove_fact(self, fact_id: int) -> bool:
        """Take a fact's row out (deleted or undone); False when it is not shown."""
        row = self._rows.get(fact_id)
        if row is None:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._facts[row]
        self._summaries.pop(fact_id, None)
        self._folded.pop(fact_id, None)
        self._reindex()
        self.endRemoveRows()
        return True

    def fact(self, row: int) -> FactRecord:
        """The fact at `row`."""
        return self._facts[row]

    def facts(self) -> list[FactRecord]:
        """Every fact shown, in row order."""
        return list(self._facts)

    def row_of(self, fact_id: int) -> int | None:
        """The row of a fact, or None when it is not shown."""
        return self._rows.get(fact_id)

    def document(self, document_id: int) -> DocumentInfo | None:
        """Metadata of a document of the shown facts."""
        return self._documents.get(document_id)

    def _reindex(self) -> None:
        self._rows = {fact.id: row for row, fact in enumerate(self._facts)}

    # -- formatting --------------------------------------------------------------
    def _summary(self, fact: FactRecord) -> str:
        if fact.id not in self._summaries:
            self._summaries[fact.id] = summarize(fact)
        return self._summaries[fact.id]

    def _folded_text(self, fact: FactRecord) -> str:
        if fact.id not in self._folded:
            texts = (t for a in fact.arguments for t in (a.text, a.value) if t)
            self._folded[fact.id] = fold("\n".join(texts))
        return self._folded[fact.id]

    def _status_icon(self, status: str) -> QIcon | None:
        if status not in STATUS_STYLES:
            return None
        if status not in self._icons:
            name, color = STATUS_STYLES[status]
            self._icons[status] = qtawesome.icon(name, color=color)
        return self._icons[status]

    def _display(self, fact: FactRecord, column: int) -> Any:
        if column == TYPE:
            return fact.type
        if column == ARGUMENTS:
            return self._summary(fact)
        if column == STATUS:
            return None  # an icon (DecorationRole); the word is in the tooltip
        if column == TAGS:
            return ", ".join(fact.tags)
        if column == DOCUMENT:
            info = self._documents.get(fact.document_id)  # the title; the source in the tooltip
            return (info.title or info.source) if info is not None else str(fact.document_id)
        return f"{fact.confidence:.2f}" if fact.confidence is not None else ""

    def _tooltip(self, fact: FactRecord, column: int) -> str | None:
        if column == ARGUMENTS:
            return describe_arguments(fact) or None
        if column == DOCUMENT:
            info = self._documents.get(fact.document_id)
            if info is None:
                return None
            return "\n".join(filter(None, (info.title, info.source, info.published)))
        if column == STATUS:
            origin = "by hand" if fact.origin == "human" else f"by {fact.extractor or fact.origin}"
            return f"{fact.status.capitalize()} — made {origin}"
        if column == TYPE:
            lines = [fact.type]
            if fact.zone in BOILERPLATE_ZONES:
                lines.append(f"In a {fact.zone} (boilerplate)")
            if fact.note:
                lines.append(f"Note: {fact.note}")
            return "\n".join(lines)
        if column == TAGS and fact.tags:
            return ", ".join(fact.tags)
        return None

    def _sort_key(self, fact: FactRecord, column: int) -> Any:
        if column == CONFIDENCE:
            return fact.confidence if fact.confidence is not None else -1.0
        if column == DOCUMENT:
            info = self._documents.get(fact.document_id)
            name = (info.title or info.source) if info is not None else ""
            return (name.casefold(), fact.evidence_start)
        if column == STATUS:
            order = list(STATUS_STYLES)
            return order.index(fact.status) if fact.status in order else len(order)
        return str(self._display(fact, column)).casefold()

    # -- Qt overrides ----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._facts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return None if section == STATUS else HEADERS[section]
        if role == Qt.ItemDataRole.DecorationRole and section == STATUS:
            if "" not in self._icons:
                self._icons[""] = qtawesome.icon(STATUS_HEADER_ICON[0], color=STATUS_HEADER_ICON[1])
            return self._icons[""]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return HEADER_TIPS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section == CONFIDENCE else _LEFT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._facts):
            return None
        fact = self._facts[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(fact, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(fact, column)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == STATUS:
            return fact.status.capitalize()
        if role == FACT_ID_ROLE:
            return fact.id
        if role == SORT_ROLE:
            return self._sort_key(fact, column)
        if role == FOLDED_ROLE:
            return self._folded_text(fact)
        if role == DATE_ROLE:
            return fact_date(fact)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column == CONFIDENCE else _LEFT
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return self._status_icon(fact.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == STATUS and fact.status in STATUS_STYLES:
                return QColor(STATUS_STYLES[fact.status][1])
            if fact.status == "rejected" or fact.zone in BOILERPLATE_ZONES:
                return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.FontRole and column == TYPE:
            font = QFont()
            font.setBold(True)
            font.setItalic(fact.zone in BOILERPLATE_ZONES)
            return font
        return None


DOUBTFUL_BELOW = 0.6  # a fact right less than 6 times in 10 (calibrated confidence)


class FactFilterProxy(QSortFilterProxyModel):
    """Sorts facts by any column and keeps those matching an entity text and a date range.

    The entity text matches any argument's text or value, folded ("ha noi" finds "Hà Nội");
    the date range is inclusive and compares ISO prefixes (see in_date_range)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._low = ""
        self._high = ""
        self._doubtful = False
        self.setSortRole(SORT_ROLE)

    def entity_text(self) -> str:
        """The folded entity filter in force."""
        return self._needle

    def date_range(self) -> tuple[str, str]:
        """The (from, to) bounds in force; '' is open."""
        return self._low, self._high

    def is_filtering(self) -> bool:
        """Whether the entity text or the date range leaves facts out."""
        return bool(self._needle or self._low or self._high or self._doubtful)

    def doubtful(self) -> bool:
        """Whether only facts of a confidence below DOUBTFUL_BELOW are kept."""
        return self._doubtful

    def set_doubtful(self, on: bool) -> None:
        """Keep only the doubtful facts: a (calibrated) confidence below DOUBTFUL_BELOW."""
        if on != self._doubtful:
            self.beginFilterChange()
            self._doubtful = on
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_entity_text(self, text: str) -> None:
        """Keep facts with an argument containing `text` ('' keeps all)."""
        needle = fold(" ".join(text.split()))
        if needle != self._needle:
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_date_range(self, low: str, high: str) -> None:
        """Keep facts dated within [low, high] (ISO prefixes such as '2025' or '2025-11')."""
        low, high = low.strip().rstrip("-"), high.strip().rstrip("-")
        if (low, high) != (self._low, self._high):
            self.beginFilterChange()
            self._low, self._high = low, high
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._needle and self._needle not in (model.data(index, FOLDED_ROLE) or ""):
            return False
        if self._doubtful:
            confidence = model.fact(source_row).confidence
            if confidence is None or confidence >= DOUBTFUL_BELOW:
                return False
        return in_date_range(model.data(index, DATE_ROLE), self._low, self._high)
