"""The facts panel on the seed corpus: model, scope and filters, row-level edits, signals."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.ingest.importer import ingest
from desktop.core.ingest.zones import BOILERPLATE_ZONES
from desktop.core.nlp.extract import extract
from desktop.core.records import FactArgRecord, FactRecord
from desktop.core.store import Store
from desktop.ui.models import facts as columns
from desktop.ui.models.facts import fact_date, in_date_range
from desktop.ui.panels.facts_panel import FactsPanel

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TALKS = "004_eeecfdc9a415f39d"


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory, pipeline) -> Path:
    """The seeds imported and extracted once per module, as a closed project file."""
    path = tmp_path_factory.mktemp("seeded") / "project.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [SEEDS]))
        list(extract(store, pipeline))
    return path


@pytest.fixture
def project(seeded_file, tmp_path):
    """A private copy of the seeded project, so tests may edit it."""
    path = tmp_path / "project.factdesk"
    shutil.copy(seeded_file, path)
    with Store.open(path) as opened:
        yield opened


def doc_id(store: Store, source: str) -> int:
    return next(i for i in store.documents.ids() if store.documents.get(i).info.source == source)


def hanoi_meeting(store: Store) -> FactRecord:
    facts = store.facts.for_document(doc_id(store, TALKS), boilerplate=False)
    return next(
        f for f in facts if f.type == "MEETING" and any(a.role == "date" for a in f.arguments)
    )


@pytest.fixture
def panel(qtbot, project):
    """The panel on the Hanoi talks, shown (item rectangles need a laid-out view)."""
    widget = FactsPanel()
    qtbot.addWidget(widget)
    widget.resize(640, 600)
    widget.set_store(project)
    widget.show_document(doc_id(project, TALKS))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(panel: FactsPanel) -> list[FactRecord]:
    """The facts in view order (after the proxy's filter and sort)."""
    proxy = panel.proxy
    return [
        panel.model.fact(proxy.mapToSource(proxy.index(row, 0)).row())
        for row in range(proxy.rowCount())
    ]


def ids(facts: list[FactRecord]) -> set[int]:
    return {f.id for f in facts}


def proxy_row(panel: FactsPanel, fact_id: int) -> int:
    return next(n for n, f in enumerate(shown(panel)) if f.id == fact_id)


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


# -- the model -------------------------------------------------------------------------
def test_model_passes_the_model_tester_in_both_scopes(qtmodeltester, panel, project):
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)
    panel.set_corpus(True)
    panel.boilerplate_check.setChecked(True)
    assert {f.id for f in shown(panel)} == {f.id for f in project.facts.query()}
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)


def test_filtered_and_sorted_proxy_passes_the_model_tester(qtmodeltester, panel):
    panel.set_corpus(True)
    panel.entity_edit.setText("wei tao")
    assert shown(panel)
    qtmodeltester.check(panel.proxy)
    panel.table.sortByColumn(columns.CONFIDENCE, Qt.SortOrder.DescendingOrder)
    confidences = [f.confidence or 0 for f in shown(panel)]
    assert confidences == sorted(confidences, reverse=True)
    qtmodeltester.check(panel.proxy)
    panel.table.sortByColumn(columns.ARGUMENTS, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(panel.proxy)


def test_the_hanoi_talks_meeting_shows_participants_and_date(panel, project):
    meeting = hanoi_meeting(project)
    row = panel.model.row_of(meeting.id)
    assert row is not None
    arguments = panel.model.index(row, columns.ARGUMENTS)
    text = arguments.data()
    assert text.startswith("participant: Le Hoai Trung, Wei Tao")
    assert "place: Hanoi" in text
    assert "date: --11-25" in text  # the normalized value in place of "November 25"
    assert "November 25" in arguments.data(Qt.ItemDataRole.ToolTipRole)
    assert panel.model.index(row, columns.TYPE).data() == "MEETING"
    assert panel.table.isColumnHidden(columns.DOCUMENT)  # document scope


def test_document_column_and_sources_in_corpus_scope(panel, project):
    panel.set_corpus(True)
    assert not panel.table.isColumnHidden(columns.DOCUMENT)
    meeting = hanoi_meeting(project)
    row = panel.model.row_of(meeting.id)
    cell = panel.model.index(row, columns.DOCUMENT)
    assert cell.data().startswith("Foreign Minister holds talks")  # the title, not the hash
    assert TALKS in cell.data(Qt.ItemDataRole.ToolTipRole)  # the source name in the tooltip
    assert len({f.document_id for f in shown(panel)}) > 1


# -- scope and filters -------------------------------------------------------------------
def test_boilerplate_is_hidden_until_asked(panel):
    assert shown(panel)
    assert all(f.zone not in BOILERPLATE_ZONES for f in shown(panel))
    article = len(shown(panel))
    panel.boilerplate_check.setChecked(True)
    captions = [f for f in shown(panel) if f.zone == "caption"]
    assert captions and len(shown(panel)) > article
    panel.boilerplate_check.setChecked(False)
    assert len(shown(panel)) == article


def test_type_filter(panel):
    panel.set_corpus(True)
    choose(panel.type_combo, "MEETING")
    facts = shown(panel)
    assert facts and {f.type for f in facts} == {"MEETING"}
    choose(panel.type_combo, None)
    assert {"MEETING", "ROLE"} <= {f.type for f in shown(panel)}


def test_status_filter(panel, project):
    meeting = hanoi_meeting(project)
    project.facts.set_status(meeting.id, "accepted")
    choose(panel.status_combo, "accepted")
    assert [f.id for f in shown(panel)] == [meeting.id]
    choose(panel.status_combo, "proposed")
    assert shown(panel) and meeting.id not in {f.id for f in shown(panel)}


def test_tag_filter_and_tags_column(panel, project):
    meeting = hanoi_meeting(project)
    assert panel.table.isColumnHidden(columns.TAGS)  # no fact has tags yet
    project.tags.set("fact", meeting.id, ["border talks"])
    panel.refresh()
    assert panel.tag_combo.findData("border talks") > 0
    assert not panel.table.isColumnHidden(columns.TAGS)
    choose(panel.tag_combo, "border talks")
    assert [f.id for f in shown(panel)] == [meeting.id]
    row = panel.model.row_of(meeting.id)
    assert panel.model.index(row, columns.TAGS).data() == "border talks"


def test_entity_filter_folds_diacritics(panel, project):
    meeting = hanoi_meeting(project)
    panel.entity_edit.setText("Lê Hoài  Trung")
    facts = shown(panel)
    assert meeting.id in {f.id for f in facts}
    assert all(any("Le Hoai Trung" in (a.text or "") for a in f.arguments) for f in facts)
    panel.entity_edit.setText("HANÔI")
    assert meeting.id in {f.id for f in shown(panel)}
    panel.entity_edit.setText("no such name")
    assert shown(panel) == []
    assert panel.count_label.text().startswith("0 of ")
    panel.entity_edit.clear()
    assert len(shown(panel)) == panel.model.rowCount()


def test_date_range_compares_iso_prefixes(panel, project):
    meeting = hanoi_meeting(project)
    panel.date_to.setText("2025")
    assert meeting.id not in ids(shown(panel))  # '--11-25' has no year: outside any range
    assert all(fact_date(f) and fact_date(f)[:4] <= "2025" for f in shown(panel))
    date = next(a for a in meeting.arguments if a.role == "date")
    project.facts.set_argument_value(date.id, "2025-11-25")
    panel.refresh_fact(meeting.id)
    assert meeting.id in ids(shown(panel))
    panel.date_from.setText("2025-11")
    panel.date_to.setText("2025-11")
    assert meeting.id in ids(shown(panel))
    assert all(fact_date(f).startswith("2025-11") for f in shown(panel))
    panel.date_from.setText("2025-12")
    panel.date_to.clear()
    assert meeting.id not in ids(shown(panel))
    panel.date_from.clear()
    assert len(shown(panel)) == panel.model.rowCount()


def test_in_date_range():
    assert in_date_range("2025-11-25", "2025-11", "2025-11")
    assert in_date_range("2025", "2025-11", "")  # a year overlaps its months
    assert not in_date_range("2025-10-31", "2025-11", "")
    assert in_date_range("2023/2024", "2024-06", "2024-06")  # intervals overlap
    assert not in_date_range("2023/2024", "2025", "")
    assert in_date_range("2025-W48", "2025-11-24", "2025-11-24")  # a week from its Monday
    assert in_date_range("2025-11-24T10:00", "2025-11-24", "2025-11-24")
    assert not in_date_range("--11-25", "", "2026")
    assert not in_date_range(None, "2025", "")
    assert in_date_range(None, "", "")


# -- row-level edits ----------------------------------------------------------------------
def test_refresh_fact_changes_one_row_only(panel, project):
    meeting = hanoi_meeting(project)
    row = panel.model.row_of(meeting.id)
    changed, resets = [], []
    panel.model.dataChanged.connect(lambda top, bottom, _roles: changed.append((top, bottom)))
    panel.model.modelReset.connect(lambda: resets.append(True))
    project.facts.set_status(meeting.id, "accepted")
    panel.refresh_fact(meeting.id)
    assert len(changed) == 1 and not resets
    top, bottom = changed[0]
    assert (top.row(), bottom.row()) == (row, row)
    assert (top.column(), bottom.column()) == (0, panel.model.columnCount() - 1)
    assert panel.model.fact(row).status == "accepted"


def test_update_fact_and_remove_fact_are_row_level(qtbot, panel, project):
    model = panel.model
    meeting = hanoi_meeting(project)
    row = model.row_of(meeting.id)
    with qtbot.waitSignal(model.dataChanged) as blocker:
        assert model.update_fact(dataclasses.replace(meeting, note="checked"))
    assert blocker.args[0].row() == blocker.args[1].row() == row
    assert model.fact(row).note == "checked"
    count = model.rowCount()
    with qtbot.waitSignal(model.rowsRemoved) as blocker:
        assert model.remove_fact(meeting.id)
    assert blocker.args[1] == blocker.args[2] == row
    assert model.rowCount() == count - 1 and model.row_of(meeting.id) is None
    assert not model.remove_fact(meeting.id)


def test_refresh_keeps_the_selection(panel, project):
    meeting = hanoi_meeting(project)
    assert panel.select_fact(meeting.id)
    panel.refresh()
    assert panel.current_fact().id == meeting.id
    panel.set_corpus(True)
    assert panel.current_fact().id == meeting.id


# -- navigation and signals ----------------------------------------------------------------
def test_select_next_unreviewed_walks_proposed_facts_and_wraps(panel, project):
    facts = shown(panel)
    assert len(facts) >= 4 and all(f.status == "proposed" for f in facts)
    for fact in facts[1:3]:
        project.facts.set_status(fact.id, "accepted")
        panel.refresh_fact(fact.id)
    assert panel.select_fact(facts[0].id)
    visited = []
    for _ in range(len(facts) - 2):
        assert panel.select_next_unreviewed(True)
        visited.append(panel.current_fact().id)
    expected = [f.id for f in facts[3:]] + [facts[0].id]  # wrapped to the first
    assert visited == expected
    assert panel.select_next_unreviewed(False)  # backwards from the first: wraps to the last
    assert panel.current_fact().id == facts[-1].id
    for fact in facts:
        project.facts.set_status(fact.id, "rejected")
        panel.refresh_fact(fact.id)
    assert not panel.select_next_unreviewed(True)


def test_selecting_a_row_emits_fact_selected(qtbot, panel, project):
    meeting = hanoi_meeting(project)
    row = proxy_row(panel, meeting.id)
    with qtbot.waitSignal(panel.fact_selected) as blocker:
        panel.table.selectRow(row)
    assert blocker.args == [meeting]
    assert panel.current_fact() == meeting
    assert panel.arguments.topLevelItemCount() == len(meeting.arguments)
    assert "MEETING" in panel.details_label.text()
    with qtbot.assertNotEmitted(panel.fact_selected):
        panel.refresh()  # the same fact stays selected: no new announcement
    with qtbot.waitSignal(panel.fact_selected) as blocker:
        panel.table.clearSelection()
    assert blocker.args == [None]
    assert panel.arguments.topLevelItemCount() == 0


def test_a_filtered_out_selection_announces_none(qtbot, panel, project):
    meeting = hanoi_meeting(project)
    panel.select_fact(meeting.id)
    with qtbot.waitSignal(panel.fact_selected) as blocker:
        choose(panel.type_combo, "ROLE")
    assert blocker.args == [None]
    assert not panel.select_fact(meeting.id)


def test_activating_an_argument_emits_its_record(qtbot, panel, project):
    meeting = hanoi_meeting(project)
    panel.select_fact(meeting.id)
    tree = panel.arguments
    item = next(
        tree.topLevelItem(n)
        for n in range(tree.topLevelItemCount())
        if tree.topLevelItem(n).text(1) == "Hanoi"
    )
    center = tree.visualItemRect(item).center()
    with (
        qtbot.assertNotEmitted(panel.document_requested),
        qtbot.waitSignal(panel.argument_activated) as blocker,
    ):
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=center)
        qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=center)
    (argument,) = blocker.args
    assert isinstance(argument, FactArgRecord)
    assert argument == next(a for a in meeting.arguments if a.role == "place")
    date = next(
        tree.topLevelItem(n)
        for n in range(tree.topLevelItemCount())
        if tree.topLevelItem(n).text(0) == "date"
    )
    assert (date.text(1), date.text(2)) == ("November 25", "--11-25")


def test_activating_a_fact_of_another_document_requests_it(qtbot, panel, project):
    talks = doc_id(project, TALKS)
    panel.set_corpus(True)
    other = next(f for f in shown(panel) if f.document_id != talks)
    here = next(f for f in shown(panel) if f.document_id == talks)
    panel.select_fact(here.id)
    with qtbot.assertNotEmitted(panel.document_requested):
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    panel.select_fact(other.id)
    with qtbot.waitSignal(panel.document_requested) as blocker:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert blocker.args == [other.document_id]
    panel.show_document(other.document_id)  # the window obeys; the corpus list stays
    assert panel.is_corpus() and panel.current_fact().id == other.id


def test_document_scope_follows_the_shown_document(panel, project):
    talks = doc_id(project, TALKS)
    assert {f.document_id for f in shown(panel)} == {talks}
    other = next(d for d in project.documents.ids() if d != talks and project.facts.for_document(d))
    panel.show_document(other)
    assert {f.document_id for f in shown(panel)} == {other}
    panel.show_document(None)
    assert shown(panel) == [] and panel.count_label.text() == "No document shown"


def test_doubtful_first_keeps_facts_below_0_6_least_sure_first(qtbot, panel, project) -> None:
    panel.set_corpus(True)
    every = panel.model.facts()
    doubtful = sorted(
        f.confidence for f in every if f.confidence is not None and f.confidence < 0.6
    )
    assert doubtful and len(doubtful) < len(every)  # the calibration leaves some facts doubtful
    qtbot.mouseClick(panel.doubtful_check, Qt.MouseButton.LeftButton)
    assert panel.doubtful_check.isChecked()
    shown = [
        panel.proxy.index(row, columns.CONFIDENCE).data() for row in range(panel.proxy.rowCount())
    ]
    assert [float(c) for c in shown] == [round(c, 2) for c in doubtful]
    qtbot.mouseClick(panel.doubtful_check, Qt.MouseButton.LeftButton)
    assert panel.proxy.rowCount() == len(every)
    assert panel.table.horizontalHeader().sortIndicatorSection() == -1
