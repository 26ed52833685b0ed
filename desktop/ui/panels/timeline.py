"""The timeline: dated facts of the corpus in chronological order, by year and month."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from itertools import groupby

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.facts.lexicon import fact_types
from desktop.core.records import DocumentInfo, FactRecord
from desktop.core.store import Store
from desktop.ui.models.facts import (
    DATE_ROLES,
    SEPARATOR,
    argument_shown,
    date_bounds,
    describe_arguments,
    fact_date,
    role_order,
)
from desktop.ui.tables import elide_middle

DATE, TYPE, SUMMARY, DOCUMENT = range(4)
HEADERS = ("Date", "Type", "Summary", "Document")
FACT_ROLE = Qt.ItemDataRole.UserRole  # the FactRecord, on every column of a fact row
SHOWN_STATUSES = ("proposed", "accepted")  # rejected facts stay off the timeline
YEAR_UNKNOWN = "Year unknown"
MONTH_UNKNOWN = "Month not given"
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass(frozen=True, slots=True)
class DatedFact:
    """A fact placed in time: its date value, the start it sorts by, year and month."""

    fact: FactRecord
    value: str
    start: str
    year: str | None  # 'YYYY', None when the text gave no year
    month: int | None  # 1..12, None when not given


def place(fact: FactRecord) -> DatedFact | None:
    """Where a fact goes on the timeline (by the start of its date or period), or None."""
    value = fact_date(fact)
    if value is None:
        return None
    start, _end = date_bounds(value)
    if start.startswith("--"):  # '--11-25': month and day without a year
        year, month_text = None, start[2:4]
    else:
        year = start[:4] if start[:4].isdigit() else None
        month_text = start[5:7] if start[4:5] == "-" else ""
    month = int(month_text) if month_text.isdigit() and 1 <= int(month_text) <= 12 else None
    return DatedFact(fact, value, start, year, month)


def chronological(dated: list[DatedFact], documents: dict[int, DocumentInfo]) -> list[DatedFact]:
    """Oldest first; within a year, the month-less first; facts without a year last."""

    def key(d: DatedFact) -> tuple:
        info = documents.get(d.fact.document_id)
        return (
            d.year is None,
            d.year or "",
            d.month or 0,
            d.start,
            info.source if info is not None else "",
            d.fact.evidence_start,
        )

    return sorted(dated, key=key)


def short_summary(fact: FactRecord) -> str:
    """The key arguments without the date: 'Le Hoai Trung, Wei Tao · Hanoi'."""
    parts = []
    for role in role_order(fact):
        if role in DATE_ROLES:
            continue
        shown = [argument_shown(a) for a in fact.arguments if a.role == role]
        if any(shown):
            parts.append(", ".join(s for s in shown if s))
    return SEPARATOR.join(parts)


class TimelineModel(QStandardItemModel):
    """Year → month → dated fact rows, built from fact records.

    A read-only view rebuilt from the store's records on each refresh, never edited and
    never the source of truth (that is the store), so a QStandardItemModel is enough.
    Fact rows carry their FactRecord in FACT_ROLE on every column.

    Signals: the standard model signals only.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(list(HEADERS))

    def set_facts(self, facts: list[FactRecord], documents: dict[int, DocumentInfo]) -> int:
        """Show the dated ones among `facts`; returns how many."""
        dated = chronological([d for d in map(place, facts) if d is not None], documents)
        self.removeRows(0, self.rowCount())
        bold = QFont()
        bold.setBold(True)
        for year, same_year in groupby(dated, key=lambda d: d.year):
            in_year = list(same_year)
            year_item = _group(f"{year or YEAR_UNKNOWN} ({len(in_year)})", bold)
            self.appendRow([year_item, *_blanks()])
            for month, same_month in groupby(in_year, key=lambda d: d.month):
                in_month = list(same_month)
                name = calendar.month_name[month] if month else MONTH_UNKNOWN
                month_item = _group(f"{name} ({len(in_month)})")
                year_item.appendRow([month_item, *_blanks()])
                for d in in_month:
                    month_item.appendRow(_fact_row(d, documents.get(d.fact.document_id)))
        return len(dated)


def _group(text: str, font: QFont | None = None) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    if font is not None:
        item.setFont(font)
    return item


def _blanks() -> list[QStandardItem]:
    blanks = [QStandardItem() for _ in range(len(HEADERS) - 1)]
    for blank in blanks:
        blank.setEditable(False)
    return blanks


def _fact_row(d: DatedFact, info: DocumentInfo | None) -> list[QStandardItem]:
    fact = d.fact
    source = info.source if info is not None else str(fact.document_id)
    items = [
        QStandardItem(d.value),
        QStandardItem(fact.type),
        QStandardItem(short_summary(fact)),
        QStandardItem(source),
    ]
    date_text = next(
        (a.text for a in fact.arguments if a.role in DATE_ROLES and a.value == d.value), None
    )
    tips = [
        f"{d.value} — “{date_text}”" if date_text else d.value,
        fact.type,
        describe_arguments(fact),
        "\n".join(filter(None, (info.title, info.source, info.published))) if info else source,
    ]
    for item, tip in zip(items, tips, strict=True):
        item.setEditable(False)
        item.setData(fact, FACT_ROLE)
        item.setToolTip(tip)
    return items


class TimelineView(QWidget):
    """Dated facts of the whole corpus, oldest first, grouped by year and month.

    A fact is dated when a date or period argument has a normalized value; it sorts by the
    start of that value ('2023/2024' by 2023). Dates written without a year ('--11-25') go
    last, under "Year unknown". Rejected facts and those in boilerplate zones are left out.

    Signals:
        fact_activated(object): a fact row was clicked or Enter pressed on it (FactRecord).
    """

    fact_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self.model = TimelineModel(self)
        self.type_combo = QComboBox()
        self.type_combo.setToolTip("Show only facts of this type")
        self.type_combo.addItem("All types", None)
        for name in fact_types():
            self.type_combo.addItem(name, name)
        self.tree = QTreeView()
        self._document_delegate = elide_middle(self.tree)
        self.count_label = QLabel()
        self.count_label.setObjectName("timeline_count")
        self._layout()
        self._setup_tree()
        self.type_combo.currentIndexChanged.connect(self.refresh)
        self.tree.clicked.connect(self._activate)
        self.tree.installEventFilter(self)  # Enter on a row activates it
        self.refresh()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.type_combo)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.count_label)

    def _setup_tree(self) -> None:
        tree = self.tree
        tree.setModel(self.model)
        tree.setUniformRowHeights(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tree.setAlternatingRowColors(True)
        tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        tree.setItemDelegateForColumn(DOCUMENT, self._document_delegate)
        header = tree.header()
        header.setStretchLastSection(False)
        metrics = tree.fontMetrics()
        header.setSectionResizeMode(SUMMARY, QHeaderView.ResizeMode.Stretch)
        widths = {
            DATE: metrics.horizontalAdvance("2025-11-25") + tree.indentation() * 3 + 12,
            TYPE: max(metrics.horizontalAdvance(name) for name in fact_types()) + 14,
            DOCUMENT: metrics.horizontalAdvance("000_fc2453") + 14,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)

    # -- public ----------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        """Show another project's timeline (every type)."""
        self._store = store
        with QSignalBlocker(self.type_combo):
            self.type_combo.setCurrentIndex(0)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the facts and rebuild the timeline."""
        facts: list[FactRecord] = []
        documents: dict[int, DocumentInfo] = {}
        if self._store is not None:
            fact_type = self.type_combo.currentData()
            facts = self._store.facts.query(
                types=[fact_type] if fact_type else None,
                statuses=list(SHOWN_STATUSES),
                boilerplate=False,
            )
            facts = [f for f in facts if fact_date(f) is not None]
            ids = sorted({f.document_id for f in facts})
            documents = {i.id: i for i in self._store.documents.infos(ids)} if ids else {}
        count = self.model.set_facts(facts, documents)
        self._span_groups()
        self.tree.expandAll()
        self.count_label.setText(f"{count:,} dated fact{'s' * (count != 1)}")

    def fact_rows(self) -> list[FactRecord]:
        """The facts in timeline order (for tests and export)."""
        found: list[FactRecord] = []
        for y in range(self.model.rowCount()):
            year = self.model.item(y, 0)
            for m in range(year.rowCount()):
                month = year.child(m, 0)
                found.extend(month.child(r, 0).data(FACT_ROLE) for r in range(month.rowCount()))
        return found

    # -- slots -----------------------------------------------------------------
    def _span_groups(self) -> None:
        for y in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(y, QModelIndex(), True)
            year_index = self.model.index(y, 0)
            for m in range(self.model.rowCount(year_index)):
                self.tree.setFirstColumnSpanned(m, year_index, True)

    def _activate(self, index: QModelIndex) -> None:
        fact = index.data(FACT_ROLE) if index.isValid() else None
        if isinstance(fact, FactRecord):
            self.fact_activated.emit(fact)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.tree
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER_KEYS
            and isinstance(self.tree.currentIndex().data(FACT_ROLE), FactRecord)
        ):
            self._activate(self.tree.currentIndex())
            return True
        return super().eventFilter(watched, event)
