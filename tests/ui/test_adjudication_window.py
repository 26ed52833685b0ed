"""File › Compare with another project… and the adjudication through the real window: a
colleague's real Prodigy export (ours, edited as a colleague would) read as the second
layer off the GUI thread, the report's tables and its CSV, then each choice from the
keyboard and the buttons written into the project as one undo step that Ctrl+Z takes back."""

from __future__ import annotations

import csv
import json
from functools import partial

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.formats.run import run_export
from desktop.core.formats.selection import Selection
from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.ui.compare_actions import compare_with
from desktop.ui.errors import ErrorReporter
from desktop.ui.jobs import PipelineHolder
from desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("private_settings")  # tests/ui/conftest.py

ARTICLES = {
    "harbour.txt": "Crane for the harbour\n\nThe Lisvane Port Authority took delivery of a "
    "crane in Corrow on Tuesday. Engineer Mara Quellin said it lifts 90 tonnes.\n",
    "library.txt": "Library reopens\n\nThe Tennick Foundation reopened the old library in "
    "Abermoor. Librarian Osian Pell welcomed the first readers.\n",
}
OURS = [
    ("harbour", "Lisvane Port Authority", "ORG"),
    ("harbour", "Corrow", "GPE"),
    ("harbour", "Mara Quellin", "PERSON"),
    ("library", "Tennick Foundation", "ORG"),
    ("library", "Abermoor", "GPE"),
]


@pytest.fixture
def project(tmp_path, pipeline):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = tmp_path / "ours.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [folder]))
        list(extract(store, pipeline))  # the model's proposals stay proposed: they do not count
        for doc_id in store.documents.ids():
            record = store.documents.get(doc_id)
            for source, words, label in OURS:
                if source == record.info.source:
                    start = record.text.index(words)
                    store.mentions.add(doc_id, start, start + len(words), label)
    return path


@pytest.fixture
def colleague(project, tmp_path):
    """Our real Prodigy export as a colleague changed it: Corrow is a LOC, Mara Quellin is
    not marked, Tuesday is a DATE."""
    ours = tmp_path / "ours.jsonl"
    with Store.open(project, create=False) as store:
        assert run_export(store, "jsonl", ours, Selection()).empty is None
    records = [json.loads(line) for line in ours.read_text(encoding="utf-8").splitlines()]
    for record in records:
        text, kept = record["text"], []
        for s in record["spans"]:
            words = text[s["start"] : s["end"]]
            if words == "Corrow":
                s["label"] = "LOC"
            if words != "Mara Quellin":
                kept.append(s)
        if "Tuesday" in text:
            start = text.index("Tuesday")
            kept.append({"start": start, "end": start + 7, "label": "DATE", "text": "Tuesday"})
        record["spans"] = kept
    theirs = tmp_path / "colleague.jsonl"
    theirs.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return theirs


def _launch(qtbot, pipeline, path):
    win = MainWindow(ErrorReporter(), PipelineHolder(lambda: pipeline))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_project(path)
    qtbot.waitUntil(lambda: not win.runner.busy, timeout=30_000)
    return win


def _spans(path, words):
    """(label, status) of the project's mentions of exactly these words that count (an
    export holds them: accepted, or the analyst's and not rejected), sorted."""
    with Store.open(path, create=False) as store:
        return sorted(
            (m.label, m.status)
            for doc_id in store.documents.ids()
            for m in store.mentions.for_document(doc_id)
            if m.text == words
            and m.status != "rejected"
            and (m.status == "accepted" or m.origin == "human")
        )


def _cells(model):
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_compare_with_an_export_then_adjudicate_every_place(
    qtbot, project, colleague, pipeline, tmp_path
):
    win = _launch(qtbot, pipeline, project)
    dialog = compare_with(win, colleague)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.compared is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=10_000)
    labels = {row[0]: row for row in _cells(dialog.labels)}
    # ours: ORG 2, GPE 2, PERSON 1; theirs: ORG 2, GPE 1, LOC 1, DATE 1 (exact: 3 of 5 each)
    assert labels["ORG"][1:4] == ["2", "2", "2"]
    assert labels["GPE"][1:4] == ["2", "1", "1"]
    assert labels["all labels"][6] == "0.600"
    entities = {row[0]: row for row in _cells(dialog.entities)}
    # names per document: ours 5, theirs 5 (Corrow as LOC, Tuesday; no Mara Quellin): 3 both
    assert entities["all labels"][1:4] == ["5", "5", "3"]
    confusion = _cells(dialog.confusion)
    header = [
        dialog.confusion.headerData(c, Qt.Orientation.Horizontal)
        for c in range(dialog.confusion.columnCount())
    ]
    gpe = next(row for row in confusion if row[0] == "GPE")
    assert gpe[header.index("LOC")] == "1"
    assert next(row[0] for row in _cells(dialog.documents)) == "harbour"  # the weakest first
    assert "3</b> places disagree" in dialog.summary.text()
    out = dialog.export_csv(tmp_path / "figures.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert any(r["section"] == "confusion" and r["item"] == "GPE -> LOC" for r in rows)

    dialog.adjudicate_button.click()
    window = win.adjudication_window
    qtbot.addWidget(window)
    view = window.view
    assert [p.kind for p in view.places] == ["label", "only theirs", "only ours"]
    assert "Place 1 of 3" in view.header.text() and "Corrow" in view.ours_view.toPlainText()
    steps = win.stack.count()

    # keyboard: Right takes theirs on Corrow, one undo step; the view moves to Tuesday
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert _spans(project, "Corrow") == [("LOC", "accepted")]
    assert win.stack.count() == steps + 1
    assert win.stack.undoText().startswith("Adjudicate harbour: take theirs")
    assert "Place 2 of 3" in view.header.text()
    # Ctrl+Z in the main window takes it back, and the place opens again
    win.stack.undo()
    assert _spans(project, "Corrow") == [("GPE", "accepted")]
    view.previous()
    assert "✔" not in view.header.text()

    # take both on Tuesday: the model may have proposed it as a DATE already; either way
    # the project now holds one accepted DATE there
    view.show_place(1)
    view.buttons["both"].click()
    assert ("DATE", "accepted") in _spans(project, "Tuesday")
    assert win.stack.count() == steps + 1  # the undone step was replaced by this one

    # an edit on Mara Quellin: the adjudicator marks "Engineer Mara Quellin" as the PERSON
    view.show_place(2)
    view.edit()
    editor = view.editor
    qtbot.addWidget(editor)
    text = ARTICLES["harbour.txt"]
    start = text.index("Engineer")
    for i in range(editor.spans.count()):
        editor.spans.item(i).setCheckState(Qt.CheckState.Unchecked)
    editor.select(start, start + len("Engineer Mara Quellin"))
    editor.label.setCurrentText("PERSON")
    assert editor.add_selection() == (start, start + 21, "PERSON")
    editor.accept()
    assert ("PERSON", "accepted") in _spans(project, "Engineer Mara Quellin")
    assert _spans(project, "Mara Quellin") == []  # ours rejected
    assert win.stack.count() == steps + 2
    assert "settled" in view.status.text() or "Place 1 of 3" in view.header.text()
    window.close()
    dialog.close()


def test_the_export_dialog_writes_agreed_items_only(qtbot, project, colleague, tmp_path):
    from desktop.core.agreement.files import read_export
    from desktop.ui.dialogs.export_dialog import ExportDialog

    with Store.open(project, create=False) as store:
        dialog = ExportDialog(store, None)
        qtbot.addWidget(dialog)
        dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
        out = tmp_path / "agreed.jsonl"
        dialog.out.setText(str(out))
        dialog.agreed.setText(str(colleague))
        with qtbot.waitSignal(dialog.runner.idle, timeout=60_000):
            dialog.start()
        layer = read_export(out, "prodigy")  # the importer's reader takes the file back
        kept = sorted(d.text[s.start : s.end] for d in layer.documents.values() for s in d.spans)
        # Corrow (GPE here, LOC there) and Mara Quellin (not marked there) are left out
        assert kept == ["Abermoor", "Lisvane Port Authority", "Tennick Foundation"]
        assert "Agreed items only: those colleague.jsonl holds too." in (
            dialog.report_view.toPlainText()
        )
        dialog.agreed.setText(str(tmp_path / "nowhere.jsonl"))
        with qtbot.waitSignal(dialog.runner.idle, timeout=60_000):
            dialog.start()
        assert "no such file" in dialog.report_view.toPlainText()
        dialog.close()


def test_the_figures_model_passes_the_model_tester(qtmodeltester):
    from desktop.ui.models.figures import FiguresModel

    model = FiguresModel(["Label", "F1", "κ"], [("ORG", 0.5, None), ("all", 1.0, 0.25)])
    model.total_rows = 1
    qtmodeltester.check(model)
    assert model.index(0, 2).data() == "n/a" and model.index(1, 1).data() == "1.000"
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, 1).data(Qt.ItemDataRole.UserRole) == 0.5


def test_a_fact_place_side_by_side_and_taken_as_one_undo_step(
    qtbot, tmp_path, ferry, adjudication_layers
):
    from PySide6.QtGui import QUndoStack

    from desktop.core.agreement import open_layer
    from desktop.core.agreement.disagreements import find
    from desktop.core.agreement.files import read_export
    from desktop.ui.panels.adjudication import AdjudicationView

    store = ferry  # tests/adjudication_layers.py, shared with tests/core/test_adjudication.py
    (doc_id,) = store.documents.ids()
    change = partial(adjudication_layers.friday_as_date, date_span=False)
    theirs_file = adjudication_layers.colleague_export(store, tmp_path, change)
    ours = open_layer(store.location)
    places = find(ours, read_export(theirs_file, "prodigy"))
    stack = QUndoStack()
    texts = {sha: d.text for sha, d in ours.documents.items()}
    view = AdjudicationView(store, places, texts, "theirs.jsonl", stack)
    qtbot.addWidget(view)
    view.show()
    assert "the facts' arguments differ" in view.header.text()
    assert "organizer “Osterly Ferry Company”, place “Quenby Isle”" in view.ours_list.text()
    assert "organizer “Osterly Ferry Company”, date “Friday”" in view.theirs_list.text()
    assert "date" in view.theirs_view.toPlainText()  # the role marked after its words

    view.buttons["right"].click()
    statuses = {
        tuple(a.role for a in f.arguments): f.status for f in store.facts.for_document(doc_id)
    }
    assert statuses == {("organizer", "date"): "accepted", ("organizer", "place"): "rejected"}
    assert stack.count() == 1 and stack.undoText() == "Adjudicate ferry: take theirs (EVENT fact)"
    view.show_place(0)
    assert "✔" in view.header.text()
    stack.undo()
    facts = store.facts.for_document(doc_id)
    assert [(f.status, len(f.arguments)) for f in facts] == [("accepted", 2)]
    view.show_place(0)
    assert "✔" not in view.header.text()
    # an edit (E), from the keyboard: Space ticks the colleague's date too, R's choice makes
    # Quenby Isle the event's name, Enter writes the one fact, one undo step
    view.edit()
    editor = view.editor
    qtbot.addWidget(editor)
    rows = [editor.arguments.item(i).text() for i in range(editor.arguments.count())]
    assert rows[0].startswith("date: “Friday”") and len(rows) == 3
    editor.arguments.setCurrentRow(0)
    qtbot.keyClick(editor.arguments, Qt.Key.Key_Space)
    editor.set_role(2, "name")
    assert editor.arguments.item(2).text().startswith("name: “Quenby Isle”")
    qtbot.keyClick(editor.arguments, Qt.Key.Key_Return)
    kept = [
        sorted(a.role for a in f.arguments)
        for f in store.facts.for_document(doc_id)
        if f.status != "rejected"
    ]
    assert kept == [["date", "name", "organizer"]]
    assert stack.count() == 1 and stack.undoText().startswith("Adjudicate ferry: edit")
    stack.undo()
    kept = [
        sorted(a.role for a in f.arguments)
        for f in store.facts.for_document(doc_id)
        if f.status != "rejected"
    ]
    assert kept == [["organizer", "place"]]
    view.close()


def test_a_comparison_can_be_cancelled_and_a_bad_file_is_one_line(qtbot, project, tmp_path):
    from desktop.ui.dialogs.compare_dialog import CompareDialog

    notes = tmp_path / "notes.md"
    notes.write_text("# not annotations\n", encoding="utf-8")
    with Store.open(project, create=False) as store:
        dialog = CompareDialog(store, notes)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.runner.idle, timeout=30_000):
            dialog.start()
        assert "format cannot be told" in dialog.summary.text()
        assert "Traceback" not in dialog.summary.text()  # a user's error, not a bug
        assert not dialog.csv_button.isEnabled() and not dialog.adjudicate_button.isEnabled()
        dialog.set_files([project])  # the project against itself
        with qtbot.waitSignal(dialog.runner.idle, timeout=30_000):
            dialog.start()
            dialog.runner.cancel()
        assert dialog.compared is None and dialog.summary.text() == "Comparison cancelled."
        with qtbot.waitSignal(dialog.runner.idle, timeout=30_000):
            dialog.start()
        assert "<b>0</b> places disagree" in dialog.summary.text()
        assert not dialog.adjudicate_button.isEnabled()
        dialog.close()


def _adjudicate(qtbot, win, other):
    dialog = compare_with(win, other)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.compared is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=10_000)
    dialog.adjudicate_button.click()
    window = win.adjudication_window
    qtbot.addWidget(window)
    return dialog, window


def test_decisions_are_remembered_after_closing_and_reopening_the_project(
    qtbot, project, colleague, pipeline
):
    win = _launch(qtbot, pipeline, project)
    dialog, window = _adjudicate(qtbot, win, colleague)
    view = window.view
    assert view.open_count() == 3
    steps = win.stack.count()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(view, Qt.Key.Key_Left)  # Corrow: keep ours (GPE); the project held it
    assert _spans(project, "Corrow") == [("GPE", "accepted")]
    assert win.stack.count() == steps + 1  # the decision itself is one undo step
    view.show_place(2)  # Mara Quellin: an edit to "Engineer Mara Quellin"
    view.edit()
    editor = view.editor
    qtbot.addWidget(editor)
    start = ARTICLES["harbour.txt"].index("Engineer")
    for i in range(editor.spans.count()):
        editor.spans.item(i).setCheckState(Qt.CheckState.Unchecked)
    editor.select(start, start + len("Engineer Mara Quellin"))
    editor.label.setCurrentText("PERSON")
    editor.add_selection()
    editor.accept()
    assert win.stack.count() == steps + 2
    assert view.open_count() == 1  # Tuesday
    window.close()
    dialog.close()
    win.close()  # closes the project
    assert win.store is None

    # a new session on the same file: the comparison again finds the three places, two decided
    again = _launch(qtbot, pipeline, project)
    dialog, window = _adjudicate(qtbot, again, colleague)
    view = window.view
    states = [view.settled(i) for i in range(len(view.places))]
    assert sorted(s or "open" for s in states) == ["decided", "decided", "open"]
    assert "Tuesday" in view.theirs_list.text()  # the view opens on the one still open
    # the edit reopened by hand elsewhere: the place is open again (the memory holds a choice,
    # not a verdict)
    corrow = next(i for i, p in enumerate(view.places) if p.kind == "label")
    doc_id = view.places[corrow].document_id
    mention = next(m for m in again.store.mentions.for_document(doc_id) if m.text == "Corrow")
    again.store.mentions.relabel(mention.id, "FAC")
    assert view.settled(corrow) is None
    window.close()
    dialog.close()


def _decided(path):
    """The project's remembered decisions: place key -> its choices."""
    from desktop.core.store.adjudication import decided_choices

    with Store.open(path, create=False) as store:
        return decided_choices(store.engine)


def test_ctrl_z_after_a_restart_undoes_the_last_decision_and_its_memory(
    qtbot, project, colleague, pipeline
):
    win = _launch(qtbot, pipeline, project)
    dialog, window = _adjudicate(qtbot, win, colleague)
    view = window.view
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(view, Qt.Key.Key_Right)  # Corrow: take theirs (LOC)
    assert "Tuesday" in view.theirs_list.text()
    qtbot.keyClick(view, Qt.Key.Key_B)  # Tuesday: take both
    assert _spans(project, "Corrow") == [("LOC", "accepted")]
    assert ("DATE", "accepted") in _spans(project, "Tuesday")
    remembered = _decided(project)
    assert len(remembered) == 2
    window.close()
    dialog.close()
    win.close()

    # a new session: the stack comes back from the log; Ctrl+Z in the adjudication view
    # undoes the last decision (Tuesday), spans and memory together
    again = _launch(qtbot, pipeline, project)
    assert again.stack.undoText().startswith("Adjudicate harbour: take both")
    dialog, window = _adjudicate(qtbot, again, colleague)
    view = window.view
    assert view.open_count() == 1  # Mara Quellin; Corrow and Tuesday decided
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ("DATE", "accepted") not in _spans(project, "Tuesday")
    assert _spans(project, "Corrow") == [("LOC", "accepted")]  # the earlier one stays
    after = _decided(project)
    assert len(after) == 1 and set(after) < set(remembered)
    # the comparison did not list Tuesday (the project agreed with theirs there): the view
    # finds it again, open, in text order before Mara Quellin
    assert [p.kind for p in view.places] == ["only theirs", "only ours"]
    assert view.settled(0) is None and view.open_count() == 2
    view.show_place(0)
    assert "Tuesday" in view.theirs_list.text() and "✔" not in view.header.text()
    # Ctrl+Z again (the main window's stack) takes Corrow's decision back too: listed, open
    again.stack.undo()
    assert _spans(project, "Corrow") == [("GPE", "accepted")]
    assert _decided(project) == {}
    assert [p.kind for p in view.places] == ["label", "only theirs", "only ours"]
    assert view.open_count() == 3 and "Tuesday" in view.theirs_list.text()  # still shown
    # a redo decides it again: still listed, settled (the project agrees with theirs)
    again.stack.redo()
    assert view.settled(0) == "agrees with theirs now" and len(_decided(project)) == 1
    window.close()
    dialog.close()
