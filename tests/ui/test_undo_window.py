"""Undo and redo through the real window, across restarts: the problems of issue 12 as an
analyst met them (import, tag, quit, relaunch, undo, redo; undoing the seeds; relabelling;
History's wording; a redo that cannot be applied)."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.entities.resolve import resolve
from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.records import ProposedMention
from desktop.core.store import Store
from desktop.core.store.relabel import NEEDS_REVIEW
from desktop.ui.dialogs.tag_dialog import TagDialog
from desktop.ui.errors import ErrorReporter
from desktop.ui.jobs import PipelineHolder
from desktop.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ARTICLE = (
    "Port talks in Hai Phong\n\n"
    "Deputy Minister Vo Thanh Hai met Governor Lu Jian in Hai Phong on Tuesday. "
    "The two sides agreed to open a joint logistics office next spring.\n"
)


pytestmark = pytest.mark.usefixtures("private_settings")  # tests/ui/conftest.py


@pytest.fixture
def project(tmp_path, seeds_dir, pipeline):
    path = tmp_path / "seeds.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [seeds_dir]))
        list(extract(store, pipeline))
        resolve(store)  # as `factdesk ingest` does
    return path


def _launch(qtbot, pipeline, path=None, seeds=None):
    win = MainWindow(ErrorReporter(), PipelineHolder(lambda: pipeline))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    if path is not None and seeds is None:
        assert win.open_project(path)
    _activate(qtbot, win)
    return win


def _activate(qtbot, win):
    """Make the window the active one, its view focused (after a message box closed)."""
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    win.view.setFocus()


def _tag_dialog(monkeypatch, tags, note=""):
    def answer(dialog):
        dialog.tags_edit.setText(tags)
        dialog.note_edit.setPlainText(note)
        return 1

    monkeypatch.setattr(TagDialog, "exec", answer)


def _listed(win):
    return win.documents.model.document_ids()


def test_import_tag_restart_then_undo_and_redo_keep_the_document_and_its_tag(
    qtbot, project, pipeline, tmp_path, monkeypatch, questions
):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "haiphong.txt").write_text(ARTICLE, encoding="utf-8")
    win = _launch(qtbot, pipeline, project)
    before = sorted(win.store.documents.ids())
    with qtbot.waitSignal(win.runner.idle, timeout=120_000):
        win.import_paths([incoming])
    (doc_id,) = set(win.store.documents.ids()) - set(before)
    win.documents.select_document(doc_id)
    annotations = sorted((m.start, m.end, m.label) for m in win.store.mentions.for_document(doc_id))
    hai = next(m for m in win.store.mentions.for_document(doc_id) if m.text == "Vo Thanh Hai")
    win.view.select_mention(hai.id)
    _tag_dialog(monkeypatch, "port talks, vietnam", "the deputy minister")
    qtbot.keyClick(win.view, Qt.Key.Key_T, CTRL)
    assert win.store.tags.of("mention", hai.id) == ["port talks", "vietnam"]
    assert win.stack.count() == 2  # the import and one tag dialog
    names = [win.stack.text(i) for i in range(win.stack.count())]
    win.close()

    again = _launch(qtbot, pipeline, project)
    assert [again.stack.text(i) for i in range(again.stack.count())] == names
    questions.replies = [True]
    for _ in range(3):
        qtbot.keyClick(again.view, Qt.Key.Key_Z, CTRL)
    assert len(questions.asked) == 1 and "1 document" in questions.asked[0]
    assert sorted(again.store.documents.ids()) == before
    assert sorted(_listed(again)) == before  # the list follows at once
    assert again.controller.document_id in before
    for _ in range(2):
        qtbot.keyClick(again.view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert doc_id in again.store.documents.ids() and doc_id in _listed(again)
    back = sorted((m.start, m.end, m.label) for m in again.store.mentions.for_document(doc_id))
    assert back == annotations
    assert again.store.tags.of("mention", hai.id) == ["port talks", "vietnam"]
    assert again.store.mentions.note(hai.id) == "the deputy minister"
    assert again.stack.index() == again.stack.count() == 2
    assert again.last_warning is None or "failed" not in again.last_warning[0]
    again.close()


@pytest.mark.real_dialogs
def test_undoing_the_first_run_seeds_asks_and_no_keeps_the_corpus(
    qtbot, tmp_path, seeds_dir, pipeline
):
    win = _launch(qtbot, pipeline)
    with qtbot.waitSignal(win.runner.idle, timeout=180_000):
        assert win.open_project(tmp_path / "first.factdesk", seeds=seeds_dir)
    assert win.stack.count() == 1 and win.documents.model.rowCount() == 5
    asked: list[str] = []

    def answer(button):
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, lambda: answer(button))
            return
        asked.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.No))
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: win.stack.index() == 1, timeout=5000)  # the stack is put back
    assert asked and "5 documents" in asked[0] and "annotations" in asked[0]
    assert win.store.documents.count() == 5 and win.documents.model.rowCount() == 5
    assert win.stack.canUndo()

    _activate(qtbot, win)
    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Yes))
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert len(asked) == 2
    assert win.store.documents.count() == 0 and win.documents.model.rowCount() == 0
    assert win.counts_label.text().startswith("0 proposed")
    _activate(qtbot, win)
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert win.documents.model.rowCount() == 5
    win.close()


def test_relabelling_a_person_as_org_moves_entity_sidebar_page_and_role(
    qtbot, project, pipeline, tmp_path
):
    win = _launch(qtbot, pipeline, project)
    store = win.store
    mention = next(
        m
        for i in store.documents.ids()
        for m in store.mentions.for_document(i)
        if m.text == "Schneider Electric"
    )
    assert mention.label == "PERSON"
    role = next(
        (
            f
            for f in store.facts.for_document(mention.document_id)
            if f.type == "ROLE" and any(a.mention_id == mention.id for a in f.arguments)
        ),
        None,
    )
    if role is None:  # the rules no longer take it for a person: the analyst's own ROLE
        store.facts.create(
            mention.document_id,
            "ROLE",
            (mention.start, mention.end),
            [("person", mention.start, mention.end, mention.text)],
        )
        role = next(
            f
            for f in store.facts.for_document(mention.document_id)
            if f.type == "ROLE"
            and any(a.role == "person" and a.start == mention.start for a in f.arguments)
        )
        if not any(a.mention_id == mention.id for a in role.arguments):
            person = next(a for a in role.arguments if a.role == "person")
            store.facts.remove_argument(person.id)
            store.facts.add_argument(
                role.id, "person", mention.start, mention.end, mention.text, mention.id
            )
    store.facts.set_status(role.id, "accepted")
    with qtbot.waitSignal(win.entities.corpus_read, timeout=20_000):
        win.entity_controller.actions["corpus"].trigger()
    win.documents.select_document(mention.document_id)
    win.entities.select_entity(mention.entity_id)
    with qtbot.waitSignal(win.entity_page.shown, timeout=20_000):
        win.entity_controller.actions["open"].trigger()
    win.view.select_mention(mention.id)
    win.facts.boilerplate_check.setChecked(True)  # the mention may sit in a related zone
    assert _panel_status(win, role.id) == "accepted"
    win.view.setFocus()
    org_key = next(lab.hotkey for lab in store.labels.all() if lab.name == "ORG")
    qtbot.keyClick(win.view, org_key)

    entity = store.entities.get(mention.entity_id)
    assert entity.kind == "organization"
    qtbot.waitUntil(lambda: win.entity_page.entity.kind == "organization", timeout=20_000)
    qtbot.waitUntil(
        lambda: _sidebar_kind(win, "Schneider Electric") == "organization", timeout=20_000
    )
    assert store.facts.get(role.id).status == "proposed"
    assert store.tags.of("fact", role.id) == [NEEDS_REVIEW]
    assert "needs review" in win.statusBar().currentMessage()
    assert _panel_status(win, role.id) == "proposed"  # the facts panel follows the relabel
    assert win.stack.count() == 1  # one step for all of it
    win.close()

    again = _launch(qtbot, pipeline, project)
    again.stack.undo()
    assert again.store.entities.get(mention.entity_id).kind == "person"
    assert again.store.facts.get(role.id).status == "accepted"
    assert again.store.tags.of("fact", role.id) == []
    again.documents.select_document(mention.document_id)
    again.facts.boilerplate_check.setChecked(True)
    assert _panel_status(again, role.id) == "accepted"
    qtbot.waitUntil(lambda: _sidebar_kind(again, "Schneider Electric") == "person", timeout=20_000)
    again.close()


def _panel_status(win, fact_id):
    """The status the facts panel shows for a fact (None: not listed)."""
    return next((f.status for f in win.facts.model.facts() if f.id == fact_id), None)


def _sidebar_kind(win, name):
    """The kind row ("Organization") under which the corpus sidebar lists a name."""
    model = win.entities.tree.model()
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        for child in range(model.rowCount(group)):
            if model.index(child, 0, group).data() == name:
                return str(group.data()).split()[0].lower()
    return None


def test_a_redo_that_cannot_be_applied_leaves_project_and_stack_as_they_were(
    qtbot, project, pipeline
):
    win = _launch(qtbot, pipeline, project)
    store = win.store
    doc_id = store.documents.ids()[0]
    win.documents.select_document(doc_id)
    text = win.controller.text
    start = text.index(" ") + 1
    end = text.index(" ", start)
    change = store.mentions.add(doc_id, start, end, "EVENT")
    from desktop.ui.commands import push_change

    push_change(
        win.stack, store, change.batch, "Label by hand", lambda: win.controller.refresh(doc_id)
    )
    added = change.mention.id
    win.stack.undo()
    assert store.mentions.get(added) is None
    # Another program (a second window, a script) takes the id meanwhile.
    with sqlite3.connect(project) as db:
        db.execute(
            "INSERT INTO mention (id, document_id, start, end, label, text, origin, status,"
            " created_at, updated_at) VALUES (?, ?, 0, 1, 'ORG', 'x', 'human', 'accepted',"
            " '2026-01-01', '2026-01-01')",
            (added, doc_id),
        )
    dump = _dump(project)
    win.stack.redo()
    qtbot.waitUntil(lambda: win.stack.index() == 0, timeout=5000)
    assert _dump(project) == dump  # nothing half-applied
    assert win.stack.canRedo() and win.stack.redoText() == "Label by hand"
    title, message = win.last_warning
    assert "failed" in title.lower() or "failed" in message
    assert "Label by hand" in message
    win.close()


def _dump(path):
    with sqlite3.connect(path) as db:
        return {
            table: sorted(map(repr, db.execute(f"SELECT * FROM {table}")))
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }


def test_an_extraction_the_analyst_started_is_one_undo_step_across_a_restart(
    qtbot, tmp_path, pipeline
):
    path = tmp_path / "older.factdesk"
    article = tmp_path / "port.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with Store.open(path) as store:
        list(ingest(store, [article]))
        (doc,) = store.documents.ids()
        old = ProposedMention(0, 4, "PERSON", "Port", "model", "older-model", 0.4)
        older = store.runs.start("older-model", "0.1", "0", ["ner"])
        store.mentions.replace_proposals(doc, [old], older)  # what an older model proposed
        store.runs.finish(older, "done", 1, 1)
    win = _launch(qtbot, pipeline, path)
    assert win.stack.count() == 0
    with qtbot.waitSignal(win.runner.idle, timeout=120_000):
        qtbot.keyClick(win.view, Qt.Key.Key_E, CTRL | SHIFT)  # Re-extract all documents
    qtbot.waitUntil(lambda: win.stack.count() == 1, timeout=5000)
    assert win.stack.text(0) == "Re-extract all: 1 document"
    assert win.store is not None
    spans = {(m.start, m.end) for m in win.store.mentions.for_document(doc)}
    assert (0, 4) not in spans and len(spans) > 2 and win.store.facts.for_document(doc)
    win.close()
    again = _launch(qtbot, pipeline, path)  # relaunch: the step is still there, same name
    assert again.stack.count() == 1 and again.stack.text(0) == "Re-extract all: 1 document"
    _activate(qtbot, again)
    qtbot.keyClick(again.view, Qt.Key.Key_Z, CTRL)
    store = again.store
    assert store is not None
    qtbot.waitUntil(
        lambda: [(m.start, m.end) for m in store.mentions.for_document(doc)] == [(0, 4)],
        timeout=5000,
    )
    assert store.facts.for_document(doc) == []
    assert again.facts.model.rowCount() == 0
    qtbot.keyClick(again.view, Qt.Key.Key_Z, CTRL | SHIFT)
    qtbot.waitUntil(
        lambda: {(m.start, m.end) for m in store.mentions.for_document(doc)} == spans,
        timeout=5000,
    )
