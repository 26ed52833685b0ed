"""The timeline: dated facts on a time axis (zoom, ticks, click to the evidence), dates
without a year apart, read only when shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QDockWidget

from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.records import FactArgRecord, FactRecord, NewDocument
from desktop.core.store import Store
from desktop.ui.main_window import MainWindow
from desktop.ui.panels.timeline import TimelineView, place

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEXT = "Officials met in Hanoi and signed a deal; trade grew by five percent last year."


def add_fact(store: Store, document_id: int, fact_type: str, args, date=None) -> int:
    """A hand-made fact whose arguments all point at the start of the text."""
    store.facts.create(document_id, fact_type, (0, 20), [(r, 0, 9, t) for r, t in args])
    fact_id = max(f.id for f in store.facts.query(document_ids=[document_id]))
    if date is not None:
        role, value = date
        argument = next(a for a in store.facts.get(fact_id).arguments if a.role == role)
        store.facts.set_argument_value(argument.id, value)
    return fact_id


@pytest.fixture
def dated(store):
    """Facts of two documents with dates of every kind, some left off the timeline."""
    (first, _), (second, _) = store.documents.add_many(
        [NewDocument(source="alpha", text=TEXT), NewDocument(source="beta", text=TEXT + " ")]
    )
    meeting = [("participant", "Wei Tao"), ("participant", "Le Hoai Trung"), ("date", "d")]
    ids = {
        "yearless": add_fact(store, first, "MEETING", meeting, ("date", "--11-25")),
        "day": add_fact(store, second, "MEETING", meeting, ("date", "2025-11-25")),
        "week": add_fact(
            store, first, "EVENT", [("name", "Expo"), ("date", "d")], ("date", "2025-W38")
        ),
        "interval": add_fact(
            store,
            first,
            "STATISTIC",
            [("measure", "trade"), ("period", "p")],
            ("period", "2023/2024"),
        ),
        "year": add_fact(
            store, second, "AGREEMENT", [("party", "Laos"), ("date", "d")], ("date", "2024")
        ),
        "month": add_fact(
            store, first, "EVENT", [("name", "Forum"), ("date", "d")], ("date", "2024-03")
        ),
        "clock": add_fact(
            store, second, "EVENT", [("name", "Gala"), ("date", "d")], ("date", "2025-11-24T20:00")
        ),
        "yearless_month": add_fact(
            store, second, "EVENT", [("name", "Fair"), ("date", "d")], ("date", "--03")
        ),
        "undated": add_fact(store, first, "ROLE", [("person", "Wei Tao"), ("title", "Chairman")]),
        "unnormalized": add_fact(store, first, "EVENT", [("name", "Talks"), ("date", "soon")]),
        "rejected": add_fact(
            store, first, "EVENT", [("name", "Old"), ("date", "d")], ("date", "2020")
        ),
    }
    store.facts.set_status(ids["rejected"], "rejected")
    return ids


@pytest.fixture
def view(qtbot, store, dated):
    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.resize(900, 360)
    widget.set_store(store)
    assert widget.loads == 0  # hidden: nothing read yet
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.show()
    qtbot.waitExposed(widget)
    return widget


def mark(view: TimelineView, fact_id: int):
    return next(m for m in view.canvas.marks if m.fact.id == fact_id)


def day(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


def test_dated_facts_in_chronological_order(view, dated):
    order = [f.id for f in view.fact_rows()]
    expected = ["interval", "year", "month", "week", "clock", "day", "yearless_month", "yearless"]
    assert order == [dated[key] for key in expected]
    assert view.count_label.text() == f"{len(expected)} dated facts"
    assert view.loads == 1


def test_facts_sit_at_the_x_of_their_dates(view, dated):
    canvas = view.canvas
    centre = canvas.mark_rect(mark(view, dated["day"])).center().x()
    assert centre == pytest.approx(canvas.x_of(day("2025-11-25") + 0.5))
    clock = canvas.mark_rect(mark(view, dated["clock"])).center().x()
    assert centre - clock == pytest.approx(canvas.px_per_day)  # one day apart
    week = canvas.mark_rect(mark(view, dated["week"]))
    assert week.center().x() == pytest.approx(canvas.x_of(day("2025-09-15") + 0.5))  # Monday
    year = canvas.mark_rect(mark(view, dated["year"]))  # a bar over the whole year
    assert year.left() == pytest.approx(canvas.x_of(day("2024-01-01")))
    assert year.right() == pytest.approx(canvas.x_of(day("2025-01-01")))
    interval = canvas.mark_rect(mark(view, dated["interval"]))
    assert interval.right() == pytest.approx(canvas.x_of(day("2025-01-01")))
    lanes = {m.fact.id: m.lane for m in canvas.marks}
    assert lanes[dated["day"]] == "MEETING" and lanes[dated["interval"]] == "STATISTIC"
    assert canvas.lane_top("MEETING") != canvas.lane_top("EVENT")
    assert all(0 <= canvas.mark_rect(m).center().x() <= canvas.width() for m in canvas.marks)


def test_dates_without_a_year_are_listed_apart(view, dated):
    on_axis = {m.fact.id for m in view.canvas.marks}
    assert dated["yearless"] not in on_axis and dated["yearless_month"] not in on_axis
    listed = [view.yearless.item(r).text() for r in range(view.yearless.count())]
    assert listed[0].startswith("Mar · EVENT") and listed[1].startswith("25 Nov · MEETING")
    assert view.yearless_title.text() == "Without a year (2)"


def test_zoom_changes_the_tick_unit(qtbot, view, dated):
    canvas = view.canvas
    assert canvas.unit() == "year"  # three years fitted in
    canvas.setFocus()
    for _ in range(8):
        qtbot.keyClick(canvas, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.unit() == "month"
    assert "months" in view.unit_label.text()
    for _ in range(16):
        canvas.zoom(1.25)
    assert canvas.unit() == "day"
    for _ in range(24):
        qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.unit() == "year"


def test_zoom_keeps_the_day_under_the_pointer_and_drag_pans(qtbot, view):
    canvas = view.canvas
    x = canvas.width() * 0.7
    before = canvas.day_at(x)
    canvas.zoom(2.0, x)
    assert canvas.day_at(x) == pytest.approx(before)
    origin = canvas.origin
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(300, 5))
    qtbot.mouseMove(canvas, QPoint(400, 5))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(400, 5))
    assert canvas.origin == pytest.approx(origin - 100 / canvas.px_per_day, abs=1.0)


def test_clicking_a_mark_emits_its_fact(qtbot, view, dated):
    rect = view.canvas.mark_rect(mark(view, dated["day"]))
    with qtbot.waitSignal(view.fact_activated) as blocker:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert blocker.args[0].id == dated["day"]
    assert view.canvas.selected == dated["day"]
    assert view.canvas.mark_at(QPointF(-50, -50)) is None


def test_hovering_a_mark_shows_its_date_arguments_and_document(qtbot, view, dated):
    """The tooltip is made when the pointer reaches the mark, from the fact as read."""
    rect = view.canvas.mark_rect(mark(view, dated["day"]))
    qtbot.mouseMove(view.canvas, rect.center().toPoint())
    qtbot.waitUntil(lambda: view.canvas.toolTip() != "", timeout=5_000)
    tip = view.canvas.toolTip().splitlines()
    assert tip[0].startswith("MEETING · 2025-11-25")
    assert "participant: Wei Tao" in tip[1]
    assert tip[-1] == "beta"  # the document (no title: its source name)
    qtbot.mouseMove(view.canvas, QPoint(2, 2))
    qtbot.waitUntil(lambda: view.canvas.toolTip() == "", timeout=5_000)


def test_type_filter(qtbot, view, dated):
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.type_combo.setCurrentIndex(view.type_combo.findData("MEETING"))
    assert [f.id for f in view.fact_rows()] == [dated["day"], dated["yearless"]]
    assert view.count_label.text() == "2 dated facts"


def test_nothing_dated_says_so(qtbot, store):
    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.set_store(store)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.show()
    assert widget.hint.isVisibleTo(widget) and "No dated facts" in widget.hint.text()


def test_place_uses_the_start_of_a_date_value():
    def placed(value: str | None):
        arguments = () if value is None else (FactArgRecord(1, "date", 0, None, 0, 1, "x", value),)
        fact = FactRecord(1, 1, "EVENT", 0, 1, "body", "rule", None, None, "proposed", arguments)
        found = place(fact)
        return None if found is None else (found.start, found.year, found.month)

    assert placed(None) is None
    assert placed("2023/2024") == ("2023", "2023", None)
    assert placed("2025-01/2025-03") == ("2025-01", "2025", 1)
    assert placed("2025-W48") == ("2025-11-24", "2025", 11)
    assert placed("--11-25") == ("--11-25", None, 11)
    assert placed("--11") == ("--11", None, 11)
    assert placed("T10:00") == ("", None, None)


# -- through the window, on the seeds ----------------------------------------------------
@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory, pipeline) -> Path:
    """The seeds imported and extracted once for this module."""
    path = tmp_path_factory.mktemp("seeded") / "project.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [SEEDS]))
        list(extract(store, pipeline))
    return path


@pytest.fixture
def window(qtbot, seeded_file, tmp_path):
    import sqlite3

    copy = tmp_path / "copy.factdesk"
    with sqlite3.connect(seeded_file) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    from desktop.ui.errors import ErrorReporter

    win = MainWindow(ErrorReporter())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    for name in ("timeline", "network"):  # not on the first screen
        win.findChild(QDockWidget, f"dock_{name}").hide()
    assert win.open_project(copy)
    yield win
    win.close_project()


def show_dock(window: MainWindow, name: str) -> None:
    dock = window.findChild(QDockWidget, f"dock_{name}")
    dock.show()
    dock.raise_()


def test_views_load_when_first_shown_then_once(qtbot, window):
    timeline, network = window.timeline, window.network_view
    assert timeline.loads == 0 and network.loads == 0  # the first screen does not need them
    assert not timeline.fact_rows()
    with qtbot.waitSignal(timeline.loaded, timeout=20_000):
        show_dock(window, "timeline")
    assert timeline.loads == 1 and timeline.fact_rows()
    assert network.loads == 0
    with qtbot.waitSignal(network.drawn, timeout=20_000):
        show_dock(window, "network")
    assert network.loads == 1
    window.findChild(QDockWidget, "dock_timeline").hide()
    show_dock(window, "timeline")
    qtbot.wait(50)
    assert timeline.loads == 1 and not timeline.is_loading()  # shown again: not re-read


def test_clicking_a_fact_shows_its_evidence_in_the_document(qtbot, window):
    timeline = window.timeline
    with qtbot.waitSignal(timeline.loaded, timeout=20_000):
        show_dock(window, "timeline")
    target = timeline.canvas.marks[-1]
    rect = timeline.canvas.mark_rect(target)
    qtbot.mouseClick(timeline.canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    fact = target.fact
    assert window.controller.document_id == fact.document_id
    assert window.facts.current_fact() is not None and window.facts.current_fact().id == fact.id
    assert window.view._evidence is not None
    assert timeline.canvas.selected == fact.id


def test_the_hanoi_talks_are_listed_without_a_year(qtbot, window):
    timeline = window.timeline
    with qtbot.waitSignal(timeline.loaded, timeout=20_000):
        show_dock(window, "timeline")
    facts = timeline.fact_rows()
    assert all(f.zone not in ("caption", "related", "tags") for f in facts)
    texts = [timeline.yearless.item(r).text() for r in range(timeline.yearless.count())]
    assert any(t.startswith("25 Nov · MEETING") and "Wei Tao" in t for t in texts)
    starts = [m.span.first for m in timeline.canvas.marks]
    assert starts == sorted(starts)


def test_a_view_behind_another_dock_tab_reads_when_its_tab_comes_forward(
    qtbot, seeded_file, tmp_path
):
    from desktop.ui.errors import ErrorReporter

    win = MainWindow(ErrorReporter())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    facts, timeline = (win.findChild(QDockWidget, f"dock_{n}") for n in ("facts", "timeline"))
    win.tabifyDockWidget(facts, timeline)
    facts.raise_()
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(50)
    assert win.open_project(seeded_file)
    qtbot.wait(100)
    assert win.timeline.loads == 0  # Qt calls a dock behind a tab visible: it shows nothing
    with qtbot.waitSignal(win.timeline.loaded, timeout=20_000):
        timeline.raise_()
    assert win.timeline.loads == 1 and win.timeline.fact_rows()
    win.close_project()
