"""The timeline: dated facts in chronological order by year and month, and click-through."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.records import FactArgRecord, FactRecord, NewDocument
from desktop.core.store import Store
from desktop.ui.panels import timeline
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
    widget.resize(640, 480)
    widget.set_store(store)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def children(model, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def fact_index(view: TimelineView, fact_id: int, column: int = 0) -> QModelIndex:
    model = view.model
    for y in range(model.rowCount()):
        year = model.index(y, 0)
        for m in range(model.rowCount(year)):
            month = model.index(m, 0, year)
            for r in range(model.rowCount(month)):
                fact = model.index(r, 0, month).data(timeline.FACT_ROLE)
                if fact.id == fact_id:
                    return model.index(r, column, month)
    raise AssertionError(f"fact {fact_id} not on the timeline")


def test_dated_facts_in_chronological_order(view, dated):
    order = [f.id for f in view.fact_rows()]
    expected = ["interval", "year", "month", "week", "clock", "day", "yearless_month", "yearless"]
    assert order == [dated[key] for key in expected]
    assert view.count_label.text() == f"{len(expected)} dated facts"


def test_groups_by_year_and_month_with_year_unknown_last(view):
    model = view.model
    assert children(model) == ["2023 (1)", "2024 (2)", "2025 (3)", "Year unknown (2)"]
    assert children(model, model.index(1, 0)) == ["Month not given (1)", "March (1)"]
    assert children(model, model.index(2, 0)) == ["September (1)", "November (2)"]
    assert children(model, model.index(3, 0)) == ["March (1)", "November (1)"]
    assert view.tree.isExpanded(model.index(2, 0))


def test_rows_show_date_type_summary_and_source(view, dated):
    row = [fact_index(view, dated["day"], c).data() for c in range(4)]
    assert row == ["2025-11-25", "MEETING", "Wei Tao, Le Hoai Trung", "beta"]
    assert fact_index(view, dated["interval"]).data() == "2023/2024"
    assert fact_index(view, dated["week"]).parent().data() == "September (1)"
    summary = fact_index(view, dated["day"], timeline.SUMMARY)
    assert "participant: Wei Tao" in summary.data(Qt.ItemDataRole.ToolTipRole)


def test_type_filter(view, dated):
    view.type_combo.setCurrentIndex(view.type_combo.findData("MEETING"))
    assert [f.id for f in view.fact_rows()] == [dated["day"], dated["yearless"]]
    assert view.count_label.text() == "2 dated facts"


def test_model_passes_the_model_tester(qtmodeltester, view):
    qtmodeltester.check(view.model)


def test_clicking_or_entering_a_fact_emits_fact_activated(qtbot, view, dated):
    index = fact_index(view, dated["day"], timeline.SUMMARY)
    view.tree.scrollTo(index)
    with qtbot.waitSignal(view.fact_activated) as blocker:
        qtbot.mouseClick(
            view.tree.viewport(),
            Qt.MouseButton.LeftButton,
            pos=view.tree.visualRect(index).center(),
        )
    (fact,) = blocker.args
    assert isinstance(fact, FactRecord) and fact.id == dated["day"]
    view.tree.setCurrentIndex(fact_index(view, dated["week"]))
    with qtbot.waitSignal(view.fact_activated) as blocker:
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert blocker.args[0].id == dated["week"]
    year = view.model.index(0, 0)
    with qtbot.assertNotEmitted(view.fact_activated):
        qtbot.mouseClick(
            view.tree.viewport(), Qt.MouseButton.LeftButton, pos=view.tree.visualRect(year).center()
        )
        view.tree.setCurrentIndex(year)
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)


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


# -- on the seeds ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory, pipeline) -> Path:
    """The seeds imported and extracted once for this module."""
    path = tmp_path_factory.mktemp("seeded") / "project.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [SEEDS]))
        list(extract(store, pipeline))
    return path


def test_the_hanoi_talks_are_on_the_seed_timeline(qtbot, qtmodeltester, seeded_file):
    with Store.open(seeded_file) as store:
        widget = TimelineView()
        qtbot.addWidget(widget)
        widget.set_store(store)
        facts = widget.fact_rows()
        talks = [
            f
            for f in facts
            if f.type == "MEETING" and {"Le Hoai Trung", "Wei Tao"} <= {a.text for a in f.arguments}
        ]
        assert talks and all(f.zone not in ("caption", "related", "tags") for f in facts)
        index = fact_index(widget, talks[0].id)
        assert index.data() == "--11-25"
        assert index.parent().parent().data().startswith("Year unknown")
        starts = [s for s in (place(f).start for f in facts) if not s.startswith("--")]
        assert starts == sorted(starts)
        qtmodeltester.check(widget.model)
        widget.close()
