"""The export dialog: filters to a Selection, the export off the GUI thread, the report shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.ui.dialogs.export_dialog import ExportDialog


@pytest.fixture(scope="module")
def project(tmp_path_factory, pipeline):
    from pathlib import Path

    path = tmp_path_factory.mktemp("export") / "p.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [Path(__file__).resolve().parents[2] / "seeds"]))
        list(extract(store, pipeline))
        doc = store.documents.ids()[-1]
        for m in store.mentions.for_document(doc)[:20]:
            store.mentions.set_status(m.id, "accepted")
    return path


def _dialog(qtbot, project):
    store = Store.open(project)
    dialog = ExportDialog(store, store.documents.ids()[-1])
    qtbot.addWidget(dialog)
    return store, dialog


def test_filters_become_a_selection(qtbot, project):
    store, dialog = _dialog(qtbot, project)
    dialog.proposed_box.setChecked(True)
    dialog.tags.setText("verified, trade")
    dialog.labels.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.only_current.setChecked(True)
    sel = dialog.selection()
    assert sel.statuses == {"accepted", "proposed"}
    assert sel.tags == {"verified", "trade"}
    assert sel.labels == {dialog.labels.item(0).text()}
    assert sel.documents == {store.documents.ids()[-1]}
    dialog.close()
    store.close()


def test_jsonl_export_runs_in_the_background_and_shows_its_report(qtbot, project, tmp_path):
    store, dialog = _dialog(qtbot, project)
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    out = tmp_path / "out.jsonl"
    dialog.out.setText(str(out))
    dialog.show()
    with qtbot.waitSignal(dialog.runner.idle, timeout=60_000):
        dialog.start()
    assert out.exists(), dialog.report_view.toPlainText()
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    spans = [s for line in lines for s in line["spans"]]
    assert len(spans) == 20  # only the accepted ones by default
    assert dialog.report_view.toPlainText().strip()
    assert "cancelled" not in dialog.report_view.toPlainText().lower()
    dialog.close()
    store.close()


def test_facts_csv_through_the_dialog(qtbot, project, tmp_path):
    store, dialog = _dialog(qtbot, project)
    dialog.format.setCurrentIndex(dialog.format.findData("facts-csv"))
    dialog.proposed_box.setChecked(True)
    out = tmp_path / "facts.csv"
    dialog.out.setText(str(out))
    with qtbot.waitSignal(dialog.runner.idle, timeout=60_000):
        dialog.start()
    assert out.read_text(encoding="utf-8").startswith("document,fact_id,type")
    dialog.close()
    store.close()


def test_nothing_matched_says_so_and_writes_nothing(qtbot, project, tmp_path):
    store, dialog = _dialog(qtbot, project)
    dialog.format.setCurrentIndex(dialog.format.findData("facts-jsonl"))
    out = tmp_path / "facts.jsonl"
    dialog.out.setText(str(out))
    with qtbot.waitSignal(dialog.runner.idle, timeout=60_000):
        dialog.start()
    shown = dialog.report_view.toPlainText()
    assert not out.exists()
    assert "0 facts: nothing is accepted yet" in shown and "proposed" in shown
    dialog.close()
    store.close()


def test_entities_through_the_dialog_and_filters_that_do_not_apply(qtbot, project, tmp_path):
    store, dialog = _dialog(qtbot, project)
    dialog.format.setCurrentIndex(dialog.format.findData("entities-jsonl"))
    assert not dialog.types.isEnabled() and not dialog.boilerplate_box.isEnabled()
    assert Path(dialog.out.text()).name == "p-entities.jsonl"
    out = tmp_path / "entities.jsonl"
    dialog.out.setText(str(out))
    with qtbot.waitSignal(dialog.runner.idle, timeout=60_000):
        dialog.start()
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    accepted = {
        m.id
        for m in store.mentions.for_document(store.documents.ids()[-1])
        if m.status == "accepted"
    }
    linked = store.entities.of_mentions(accepted)
    assert {r["id"] for r in rows} == {eid for eid, _ in linked.values()}
    assert sum(r["mention_count"] for r in rows) == len(linked)
    dialog.format.setCurrentIndex(dialog.format.findData("facts-csv"))
    assert dialog.types.isEnabled()
    assert Path(dialog.out.text()) == tmp_path / "p-facts.csv"
    dialog.close()
    store.close()
