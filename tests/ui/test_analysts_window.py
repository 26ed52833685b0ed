"""Named analysts through the real window (issue 17): the first-use name dialog, History's
Analyst column, Ctrl+Z refused over a colleague's later change, and a write refused
because a colleague changed the item since the view was read. The colleague is a second
Store object on the same project file (another client), as a second window would be."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QDockWidget, QMessageBox

from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.ui import analysts

CTRL = Qt.KeyboardModifier.ControlModifier
ARTICLE = (
    "Ferry talks in Quellport\n\n"
    "Harbour minister Ilse Marrow met Governor Tomas Brenner in Quellport on Tuesday. "
    "Marrow said the Tarnby ferry line would run again in spring.\n"
)

pytestmark = pytest.mark.usefixtures("private_settings")  # tests/ui/conftest.py


@pytest.fixture
def project(tmp_path, pipeline):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / "team.factdesk"
    with Store.open(path, analyst="Ben") as store:
        list(ingest(store, [folder]))
        list(extract(store, pipeline))
    return path


def _named(store: Store, doc: int, text: str):  # type: ignore[no-untyped-def]
    return next(m for m in store.mentions.for_document(doc) if m.text == text)


def _name_window(qtbot, win, name: str) -> None:
    dialog = analysts.ask_on_first_use(win)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitExposed(dialog)
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, name)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_first_use_asks_the_name_and_edits_carry_it(qtbot, open_window, project):
    win = open_window(project, active=True, idle=True)
    dialog = analysts.ask_on_first_use(win)
    assert dialog is not None and dialog.windowTitle() == "Your name"
    dialog.edit.clear()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # an empty name is not taken
    assert dialog.isVisible() and dialog.problem.isVisible()
    qtbot.keyClicks(dialog.edit, "Ana Weiss")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert analysts.saved_name() == "Ana Weiss" and win.store.analyst == "Ana Weiss"
    assert analysts.ask_on_first_use(win) is None  # asked once
    doc = win.controller.document_id
    marrow = _named(win.store, doc, "Ilse Marrow")
    win.view.setFocus()
    win.view.select_mention(marrow.id)
    qtbot.keyClick(win.view, Qt.Key.Key_A)
    assert win.store.mentions.get(marrow.id).status == "accepted"
    assert win.store.history.entries()[-1].actor == "Ana Weiss"
    # the File menu changes it; the next edit carries the new name
    change = analysts.change_name(win)
    change.edit.setText("Ana W.")
    change.accept()
    assert analysts.saved_name() == "Ana W." and win.store.analyst == "Ana W."


def test_history_shows_who_did_what_and_ctrl_z_is_refused_over_a_colleagues_change(
    qtbot, open_window, project
):
    win = open_window(project, active=True, idle=True)
    _name_window(qtbot, win, "Ana")
    doc = win.controller.document_id
    marrow = _named(win.store, doc, "Ilse Marrow")
    win.view.setFocus()
    win.view.select_mention(marrow.id)
    qtbot.keyClick(win.view, Qt.Key.Key_A)  # Ana accepts Ilse Marrow
    with Store.open(project, analyst="Ben") as ben:
        ben.mentions.relabel(marrow.id, "ORG")  # then Ben relabels it
        tarnby = next(m for m in ben.mentions.for_document(doc) if "Tarnby" in m.text)
        ben.mentions.set_status(tarnby.id, "rejected")
    win.activateWindow()
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)  # Ana's undo would undo over Ben's relabel
    assert win.last_warning is not None
    _title, text = win.last_warning
    assert "Ben changed mention 'Ilse Marrow'" in text and "not undone" in text, text
    after = win.store.mentions.get(marrow.id)
    assert (after.status, after.label) == ("accepted", "ORG")  # nothing changed
    qtbot.waitUntil(lambda: win.stack.index() == 1)  # the step stays on Ana's stack
    # History: every analyst's steps with who made them
    dock = win.findChild(QDockWidget, "dock_history")
    qtbot.keyClick(win.view, Qt.Key.Key_H, CTRL)
    qtbot.waitUntil(lambda: dock.isVisible() and win.history_view.model_.rowCount() > 0)
    win.history_view.refresh()
    header = win.history_view.model_.horizontalHeaderItem(1).text()
    assert header == "Analyst"
    rows = {(step, who) for step, who, _when, _undone in win.history_view.rows()}
    assert ("Accept PERSON 'Ilse Marrow'", "Ana") in rows
    assert ("Relabel 'Ilse Marrow' PERSON → ORG", "Ben") in rows
    assert any(who == "Ben" and step.startswith("Reject") for step, who in rows)
    win.grab().save(str(project.parent / "history.png"))


def test_a_write_over_a_colleagues_newer_change_is_refused_and_the_view_refreshes(
    qtbot, open_window, project
):
    win = open_window(project, active=True, idle=True)
    _name_window(qtbot, win, "Ana")
    doc = win.controller.document_id
    marrow = _named(win.store, doc, "Ilse Marrow")
    assert marrow.status == "proposed"  # as Ana's view shows it
    with Store.open(project, analyst="Ben") as ben:
        ben.mentions.set_status(marrow.id, "rejected")  # Ben, meanwhile
    win.activateWindow()
    win.view.setFocus()
    win.view.select_mention(marrow.id)
    qtbot.keyClick(win.view, Qt.Key.Key_A)  # Ana accepts what she still sees as proposed
    qtbot.waitUntil(lambda: win.last_warning is not None)
    title, text = win.last_warning
    assert title == "Changed by someone else"
    assert text.startswith("Ben changed mention 'Ilse Marrow'") and "not made" in text
    assert win.store.mentions.get(marrow.id).status == "rejected"  # Ben's stands
    shown = next(m for m in win.controller.mentions if m.id == marrow.id)
    assert shown.status == "rejected"  # the view was read again
    assert win.stack.index() == 0  # nothing was pushed
    for box in win.findChildren(QMessageBox):  # Ana reads the message and closes it
        box.close()
    win.activateWindow()
    win.view.setFocus()
    qtbot.waitUntil(win.view.hasFocus)
    assert win.view.select_mention(marrow.id)
    qtbot.keyClick(win.view, Qt.Key.Key_A)  # now she has seen it: her accept goes in
    assert win.store.mentions.get(marrow.id).status == "accepted"
