"""The timeline: dated facts of the corpus on a time axis, dates without a year apart.

The facts are read off the GUI thread the first time the view is shown (and again when
shown after a change), never while it is hidden: opening a project does not wait for it."""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.facts.lexicon import fact_types
from desktop.core.records import DocumentInfo, FactRecord
from desktop.core.store import Store
from desktop.ui.background import BackgroundCall
from desktop.ui.models.facts import (
    DATE_ROLES,
    SEPARATOR,
    argument_shown,
    date_bounds,
    describe_arguments,
    fact_date,
    role_order,
)
from desktop.ui.panels import timeline_axis
from desktop.ui.panels.shown_reads import ReadsWhenShown, on_screen
from desktop.ui.panels.timeline_canvas import Mark, TimelineCanvas

FACT_ROLE = Qt.ItemDataRole.UserRole  # the FactRecord on a row of the yearless list
SHOWN_STATUSES = ("proposed", "accepted")  # rejected facts stay off the timeline
LABEL_CHARS = 40  # longer labels on the axis are cut (the tooltip has everything)


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


@dataclass(frozen=True, slots=True)
class Loaded:
    """What one background read gives the view."""

    marks: list[Mark]
    yearless: list[DatedFact]
    documents: dict[int, DocumentInfo]
    order: list[FactRecord]  # every shown fact, chronological, yearless last


def yearless_date(value: str) -> str:
    """'--11-25' -> '25 Nov', '--03' -> 'Mar' (the year was not written)."""
    month_text, _, day_text = value[2:].partition("-")
    if not month_text.isdigit() or not 1 <= int(month_text) <= 12:
        return value
    month = calendar.month_abbr[int(month_text)]
    return f"{int(day_text)} {month}" if day_text.isdigit() else month


def document_name(info: DocumentInfo | None, fact: FactRecord) -> str:
    """A document's title (its source name when it has none)."""
    if info is None:
        return f"document {fact.document_id}"
    return info.title or info.source


def mark_of(d: DatedFact, info: DocumentInfo | None) -> Mark | None:
    """The axis mark of a dated fact, or None when its date is not on the calendar."""
    start, end = date_bounds(d.value)
    span = timeline_axis.day_range(start, end)
    if span is None:
        return None
    label = short_summary(d.fact) or d.fact.type
    if len(label) > LABEL_CHARS:
        label = label[: LABEL_CHARS - 1].rstrip() + "…"
    return Mark(d.fact, d.fact.type, span, label, functools.partial(tooltip, d, info))


def tooltip(d: DatedFact, info: DocumentInfo | None) -> str:
    """Date, type, arguments (values as read) and the document."""
    fact = d.fact
    date_text = next(
        (a.text for a in fact.arguments if a.role in DATE_ROLES and a.value == d.value), None
    )
    when = f"{d.value} — “{date_text}”" if date_text else d.value
    lines = [f"{fact.type} · {when}", describe_arguments(fact), document_name(info, fact)]
    return "\n".join(line for line in lines if line)


def read_timeline(store: Store, fact_type: str | None) -> Loaded:
    """The facts the timeline shows, placed (runs off the GUI thread)."""
    facts = store.facts.query(
        types=[fact_type] if fact_type else None,
        statuses=list(SHOWN_STATUSES),
        boilerplate=False,
    )
    dated = [d for d in map(place, facts) if d is not None]
    ids = sorted({d.fact.document_id for d in dated})
    documents = {i.id: i for i in store.documents.names(ids)} if ids else {}
    ordered = chronological(dated, documents)
    marks, yearless = [], []
    for d in ordered:
        mark = mark_of(d, documents.get(d.fact.document_id)) if d.year is not None else None
        if mark is not None:
            marks.append(mark)
        else:
            yearless.append(d)
    order = [m.fact for m in marks] + [d.fact for d in yearless]
    return Loaded(marks, yearless, documents, order)


class TimelineView(ReadsWhenShown):
    """Dated facts of the whole corpus on a time axis, one lane per fact type.

    A fact is dated when a date or period argument has a normalized value; a day is a dot,
    a month, year or period ('2023/2024') a bar over its days. Dates written without a
    year ('--11-25') are listed apart, beside the axis. Rejected facts and those in
    boilerplate zones are left out. Nothing is read until the view is first shown.

    Signals:
        fact_activated(object): a fact was clicked on the axis or in the list (FactRecord).
        loaded(): a read finished and its facts are drawn.
    """

    fact_activated = Signal(object)
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._stale = False  # a read is due the next time the view is shown
        self.loads = 0  # reads started (the tests count them)
        self.data = Loaded([], [], {}, [])
        self._reading = BackgroundCall(self)
        self._reading.failed.connect(lambda message: self.count_label.setText(message))
        self.type_combo = QComboBox()
        self.type_combo.setToolTip("Show only facts of this type")
        self.type_combo.addItem("All types", None)
        for name in fact_types():
            self.type_combo.addItem(name, name)
        self.canvas = TimelineCanvas()
        self.fit_button = QToolButton(text="Fit")
        self.fit_button.setToolTip("Show every dated fact (Ctrl+0)")
        self.unit_label = QLabel()
        self.unit_label.setObjectName("timeline_unit")
        self.yearless = QListWidget()
        self.yearless.setToolTip("Dates written without a year: not placed on the axis")
        self.yearless.setWordWrap(True)
        self.yearless.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.yearless_title = QLabel("Without a year")
        self.count_label = QLabel()
        self.count_label.setObjectName("timeline_count")
        self.hint = QLabel(
            "No dated facts yet: facts get a date when their text names one "
            "(a meeting's day, a statistic's period).",
            wordWrap=True,
        )
        self.hint.setObjectName("placeholder")
        self.hint.hide()
        self._layout()
        self.type_combo.currentIndexChanged.connect(self.refresh)
        self.fit_button.clicked.connect(self.canvas.fit)
        self.canvas.fact_clicked.connect(self.fact_activated)
        self.canvas.scale_changed.connect(self._show_unit)
        self.yearless.itemActivated.connect(self._list_activated)
        self.yearless.itemClicked.connect(self._list_activated)

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.type_combo)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.unit_label)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.yearless_title)
        column.addWidget(self.yearless, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.canvas)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([700, 300])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.splitter, 1)

    # -- public ----------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        """Show another project's timeline (every type), read when the view is shown."""
        self._reading.forget()  # nothing may read the old store after this
        self._store = store
        with QSignalBlocker(self.type_combo):
            self.type_combo.setCurrentIndex(0)
        self._apply(Loaded([], [], {}, []))
        self._stale = store is not None
        if self._stale and on_screen(self):
            self.refresh()

    def refresh(self) -> None:
        """Read the facts again now when shown, else the next time the view is shown."""
        store = self._store
        if store is None:
            return
        if not on_screen(self):
            self._stale = True
            return
        self._stale = False
        self.loads += 1
        fact_type = self.type_combo.currentData()
        self.count_label.setText("Reading the facts…")
        self._reading.call(lambda: read_timeline(store, fact_type), self._apply_loaded)

    def is_loading(self) -> bool:
        """Whether a read is under way."""
        return self._reading.pending

    def fact_rows(self) -> list[FactRecord]:
        """The shown facts in timeline order, those without a year last."""
        return list(self.data.order)

    def select_fact(self, fact_id: int | None) -> None:
        """Mark a fact as selected on the axis (or in the yearless list)."""
        self.canvas.select(fact_id)
        for row in range(self.yearless.count()):
            item = self.yearless.item(row)
            if item.data(FACT_ROLE).id == fact_id:
                self.yearless.setCurrentItem(item)

    # -- slots -----------------------------------------------------------------
    def _apply_loaded(self, data: Loaded) -> None:
        self._apply(data)
        self.loaded.emit()

    def _apply(self, data: Loaded) -> None:
        self.data = data
        self.canvas.set_marks(data.marks)
        self.yearless.clear()
        for d in data.yearless:
            info = data.documents.get(d.fact.document_id)
            text = f"{yearless_date(d.value)} · {d.fact.type} · {short_summary(d.fact) or '—'}"
            item = QListWidgetItem(text)
            item.setData(FACT_ROLE, d.fact)
            item.setToolTip(tooltip(d, info))
            self.yearless.addItem(item)
        has_yearless = bool(data.yearless)
        self.yearless.parentWidget().setVisible(has_yearless)
        self.yearless_title.setText(f"Without a year ({len(data.yearless):,})")
        count = len(data.order)
        self.count_label.setText(
            f"{count:,} dated fact{'s' * (count != 1)}" if self._store is not None else ""
        )
        self.hint.setVisible(self._store is not None and not count and not self._stale)
        self._show_unit()

    def _show_unit(self) -> None:
        unit = self.canvas.unit()
        self.unit_label.setText(f"Ticks: {unit}s · wheel or Ctrl+± to zoom, drag to pan")

    def _list_activated(self, item: QListWidgetItem) -> None:
        fact = item.data(FACT_ROLE)
        if isinstance(fact, FactRecord):
            self.fact_activated.emit(fact)
