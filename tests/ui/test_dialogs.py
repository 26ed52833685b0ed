"""The label editor, the tag-and-note dialog and the label palette, driven like an analyst would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.core.records import LabelRecord, NewDocument
from desktop.ui.dialogs.label_editor import LabelEdit, LabelEditorDialog
from desktop.ui.dialogs.label_palette import LabelPalette
from desktop.ui.dialogs.tag_dialog import TagDialog

# The offscreen platform cannot raise windows or grab the keyboard; that is not our warning.


@pytest.fixture
def labels(store):
    return store.labels.ensure()


@pytest.fixture
def editor(qtbot, labels):
    dialog = LabelEditorDialog(labels)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def row_of(labels, name):
    return next(i for i, lb in enumerate(labels) if lb.name == name)


def apply(store, edits):
    for e in edits:
        if e.label_id is None:
            store.labels.add(e.name, e.color, e.hotkey)
        else:
            store.labels.update(e.label_id, name=e.name, color=e.color, hotkey=e.hotkey)


def test_a_rename_returns_only_that_label(qtbot, editor, labels):
    edit = editor.name_edit(row_of(labels, "ORG"))
    edit.clear()
    qtbot.keyClicks(edit, "ORGANISATION")
    org = labels[row_of(labels, "ORG")]
    assert editor.ok_button.isEnabled()
    assert editor.edits() == [LabelEdit(org.id, "ORGANISATION", org.color, org.hotkey)]


def test_untouched_labels_give_no_edits(editor):
    editor.accept()
    assert editor.edits() == []


def test_a_new_label(qtbot, editor):
    row = editor.add_label()
    assert not editor.ok_button.isEnabled()  # unnamed yet
    qtbot.keyClicks(editor.name_edit(row), "MINISTRY")
    editor.set_color(row, "#123ABC")
    editor.hotkey_combo(row).setCurrentText("9")
    [edit] = [e for e in editor.edits() if e.label_id is None]
    assert edit == LabelEdit(None, "MINISTRY", "#123abc", "9")


def test_a_new_label_can_be_dropped_again(qtbot, editor):
    row = editor.add_label()
    qtbot.mouseClick(editor.table.cellWidget(row, editor.REMOVE), Qt.MouseButton.LeftButton)
    assert editor.ok_button.isEnabled()
    assert editor.edits() == []


def test_a_hotkey_moves_from_the_label_that_had_it(editor, labels):
    editor.hotkey_combo(row_of(labels, "FAC")).setCurrentText("1")
    assert editor.hotkey_combo(row_of(labels, "PERSON")).currentText() == "—"
    assert "moved from PERSON" in editor.message.text()
    changed = {e.name: e.hotkey for e in editor.edits()}
    assert changed == {"FAC": "1", "PERSON": None}


@pytest.mark.parametrize("name", ["", "two words", "ORG", "  "])
def test_invalid_names_keep_ok_disabled(qtbot, editor, labels, name):
    edit = editor.name_edit(row_of(labels, "PERSON"))
    edit.setText(name)
    assert not editor.ok_button.isEnabled()
    assert editor.message.isVisible() and editor.message.text()
    with pytest.raises(ValueError):
        editor.edits()
    edit.setText("PER")
    assert editor.ok_button.isEnabled()


def test_swapped_names_are_refused_but_a_rename_chain_is_ordered(editor, labels):
    person, org = row_of(labels, "PERSON"), row_of(labels, "ORG")
    editor.name_edit(person).setText("ORG")
    editor.name_edit(org).setText("PERSON")
    assert not editor.ok_button.isEnabled()
    editor.name_edit(org).setText("COMPANY")
    assert [e.name for e in editor.edits()] == ["COMPANY", "ORG"]


def test_the_edits_apply_through_the_store(store, editor, labels):
    editor.name_edit(row_of(labels, "ORG")).setText("COMPANY")
    editor.name_edit(row_of(labels, "PERSON")).setText("ORG")
    editor.set_color(row_of(labels, "GPE"), "#000000")
    editor.hotkey_combo(row_of(labels, "LAW")).setCurrentText("2")
    row = editor.add_label()
    editor.name_edit(row).setText("PERSON")
    editor.hotkey_combo(row).setCurrentText("1")
    editor.accept()
    apply(store, editor.edits())
    now = {lb.name: (lb.color, lb.hotkey) for lb in store.labels.all()}
    assert now["COMPANY"][1] is None and now["LAW"][1] == "2"
    person_colour = next(lb.color for lb in labels if lb.name == "PERSON")
    assert now["ORG"] == (person_colour, None) and now["PERSON"][1] == "1"
    assert now["GPE"] == ("#000000", "3")
    assert len(now) == len(labels) + 1


@pytest.fixture
def tag_dialog(qtbot):
    dialog = TagDialog("document 004", ["trade"], None, ["trade", "verified", "vietnam", "war"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tags_edit.setFocus()
    return dialog


def test_completion_offers_tags_for_the_item_at_the_cursor(qtbot, tag_dialog):
    edit = tag_dialog.tags_edit
    edit.clear()
    qtbot.keyClicks(edit, "trade, ver")
    completer = edit.tag_completer
    assert completer.completionPrefix() == "ver"
    assert completer.currentCompletion() == "verified"
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert edit.text() == "trade, verified, "
    assert tag_dialog.isVisible()  # Enter picked the completion, it did not close the dialog
    assert tag_dialog.result_tags() == ["trade", "verified"]


def test_completion_skips_tags_already_entered(qtbot, tag_dialog):
    edit = tag_dialog.tags_edit
    edit.clear()
    qtbot.keyClicks(edit, "verified, v")
    model = edit.tag_completer.completionModel()
    assert [model.index(i, 0).data() for i in range(model.rowCount())] == ["vietnam"]


def test_result_tags_are_cleaned_and_an_empty_note_is_none(tag_dialog):
    tag_dialog.tags_edit.setText(" trade ,, verified ,trade,  new   tag , ")
    tag_dialog.note_edit.setPlainText("  \n ")
    tag_dialog.accept()
    assert tag_dialog.result_tags() == ["trade", "verified", "new tag"]
    assert tag_dialog.result_note() is None
    assert tag_dialog.tags_changed() and not tag_dialog.note_changed()


def test_ctrl_enter_accepts_from_the_note(qtbot, tag_dialog):
    tag_dialog.note_edit.setFocus()
    qtbot.keyClicks(tag_dialog.note_edit, "Check the title")
    with qtbot.waitSignal(tag_dialog.accepted, timeout=1000):
        qtbot.keyClick(tag_dialog.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tag_dialog.result_note() == "Check the title"


def test_escape_cancels(qtbot, tag_dialog):
    with qtbot.waitSignal(tag_dialog.rejected, timeout=1000):
        qtbot.keyClick(tag_dialog.tags_edit, Qt.Key.Key_Escape)


def test_the_dialog_is_filled_from_the_store(qtbot, store, labels):
    doc, _ = store.documents.add(
        NewDocument(source="004_eeecfdc9a415f39d.txt", text="Wei Tao met.")
    )
    mid = store.mentions.add(doc, 0, 7, "PERSON").mention.id
    store.tags.set("mention", mid, ["verified"])
    store.mentions.set_note(mid, "Chairman")
    dialog = TagDialog.for_mention(store, mid)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Tags and note — mention 'Wei Tao' (PERSON)"
    assert dialog.result_tags() == ["verified"] and dialog.result_note() == "Chairman"
    assert "document 004_eee" in TagDialog.for_document(store, doc, dialog).windowTitle()


def test_the_palette_emits_the_clicked_label(qtbot, labels):
    palette = LabelPalette()
    qtbot.addWidget(palette)
    palette.set_labels(labels)
    palette.resize(2000, 40)
    palette.show()
    button = palette.button("ORG")
    assert button.text() == "2 ORG" and "hotkey 2" in button.toolTip()
    assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
    with qtbot.waitSignal(palette.label_chosen) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["ORG"]
    assert palette.button("FAC") is None  # no hotkey: behind "More"
    assert "FAC" in [a.text() for a in palette.more_menu.actions()]


def test_a_legacy_name_with_a_space_may_stay(qtbot):
    dialog = LabelEditorDialog([LabelRecord(7, "OLD NAME", "#000000", None, 0)])
    qtbot.addWidget(dialog)
    assert dialog.ok_button.isEnabled()
    dialog.hotkey_combo(0).setCurrentText("4")
    assert dialog.edits() == [LabelEdit(7, "OLD NAME", "#000000", "4")]
