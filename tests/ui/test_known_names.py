"""Names the project knows, the review order of the document list and Ctrl+U, through the
real window, real widgets and a real project file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.core.entities.resolve import resolve
from desktop.core.learning import names
from desktop.core.learning.review_order import least_certain_first, review_order
from desktop.core.nlp.extract import extract
from desktop.core.records import NewDocument
from desktop.core.store import Store
from desktop.ui.dialogs.known_names import FORGOTTEN, NAMES, REJECTIONS, AddEntryDialog
from desktop.ui.learning_actions import known_names_dialog, toggle_done

FIRST = "Staff of the Dong Son Cooperative met rice buyers in Savan Nua on Friday."
SECOND = "Relief came from Đông Sơn Cooperative, said officials in Savan Nua."
THIRD = "Arun Petchkul of Lanexang Agro visited Pakse and Vientiane on Monday."

pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture
def project(tmp_path, pipeline):
    path = tmp_path / "learn.factdesk"
    with Store.open(path) as store:
        store.documents.add_many(
            [NewDocument(source=f"d{n}", text=t) for n, t in enumerate((FIRST, SECOND, THIRD))]
        )
        list(extract(store, pipeline))
        resolve(store)
        one = store.documents.ids()[0]
        for m in store.mentions.for_document(one):
            if m.text == "the Dong Son Cooperative":
                store.mentions.set_status(m.id, "accepted")
            if m.text == "Savan Nua":
                store.mentions.set_status(m.id, "rejected")
        resolve(store)
    return path


@pytest.fixture
def window(open_window, project):
    return open_window(project)


def _rows(dialog, tab: int) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    view = dialog.views[tab]
    model = view.model()
    return [
        tuple(str(model.index(r, c).data()) for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def _fresh(qtbot, dialog):  # type: ignore[no-untyped-def]
    """Wait for the read the last edit started."""
    with qtbot.waitSignal(dialog.loaded, timeout=10000):
        pass


def test_the_dialog_lists_removes_restores_and_undoes(qtbot, qtmodeltester, window):
    dialog = known_names_dialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.listing is not None, timeout=10000)
    for model in dialog.models:
        qtmodeltester.check(model)
    # the name as accepted, its entity (the second document's "Đông Sơn Cooperative" the
    # model did not find: one document)
    assert _rows(dialog, NAMES) == [
        ("the Dong Son Cooperative", "ORG", "Dong Son Cooperative", "", "1", "accepted")
    ]
    rejections = _rows(dialog, REJECTIONS)
    assert rejections == [("Savan Nua", "PERSON", "text, before “on”", "1", "1", "rejected")]
    assert dialog.tabs.tabText(NAMES) == "Names (1)"

    # Remove the known name: it is forgotten (one undo step) and listed under Taken out
    steps = window.stack.count()
    dialog.select(NAMES, 0)
    qtbot.mouseClick(dialog.remove, Qt.MouseButton.LeftButton)
    _fresh(qtbot, dialog)
    assert _rows(dialog, NAMES) == []
    taken_out = [r[:3] for r in _rows(dialog, FORGOTTEN)]
    assert taken_out == [("the Dong Son Cooperative", "ORG", "name")]
    assert window.stack.count() == steps + 1
    assert ("dong son cooperative", "ORG") not in names.load(window.store).names

    # the dialog's Undo takes it back
    qtbot.mouseClick(dialog.undo, Qt.MouseButton.LeftButton)
    _fresh(qtbot, dialog)
    assert len(_rows(dialog, NAMES)) == 1 and _rows(dialog, FORGOTTEN) == []
    qtbot.mouseClick(dialog.redo, Qt.MouseButton.LeftButton)
    _fresh(qtbot, dialog)
    # and Remember again (in Taken out) deletes the forgetting
    dialog.select(FORGOTTEN, 0)
    assert dialog.restore.isVisible() and not dialog.remove.isVisible()
    qtbot.mouseClick(dialog.restore, Qt.MouseButton.LeftButton)
    _fresh(qtbot, dialog)
    assert len(_rows(dialog, NAMES)) == 1

    # the filter narrows every table
    qtbot.keyClicks(dialog.filter, "savan")
    assert dialog.views[NAMES].model().rowCount() == 0
    assert dialog.views[REJECTIONS].model().rowCount() == 1
    dialog.filter.clear()
    dialog.close()


def test_adding_a_name_through_its_dialog_finds_it_on_re_extraction(qtbot, window, pipeline):
    dialog = known_names_dialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.listing is not None, timeout=10000)

    def fill() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, AddEntryDialog):
            QTimer.singleShot(20, fill)  # exec() has not shown it yet
            return
        try:
            assert not box.ok.isEnabled()
            qtbot.keyClicks(box.findChild(QLineEdit), "Lanexang Agro")
            labels = [box.label.itemText(i) for i in range(box.label.count())]
            assert "ORG" in labels and "DATE" not in labels  # entity labels only
            box.label.setCurrentText("ORG")
            qtbot.mouseClick(box.ok, Qt.MouseButton.LeftButton)
        finally:
            if box.isVisible():
                box.reject()

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(dialog.add_name, Qt.MouseButton.LeftButton)
    _fresh(qtbot, dialog)
    added = [r for r in _rows(dialog, NAMES) if r[0] == "Lanexang Agro"]
    assert added and added[0][1] == "ORG" and added[0][5] == "added by hand"
    dialog.close()

    store = window.store
    third = store.documents.ids()[2]
    before = [m.label for m in store.mentions.for_document(third) if m.text == "Lanexang Agro"]
    assert "ORG" not in before
    list(extract(store, pipeline, document_ids=[third], everything=True))
    found = [m for m in store.mentions.for_document(third) if m.text == "Lanexang Agro"]
    assert [(m.label, m.origin) for m in found] == [("ORG", "project")]
    assert found[0].entity_id is not None


def test_review_order_in_the_document_list_and_mark_done(qtbot, window):
    store = window.store
    panel = window.documents
    import_order = panel.model.document_ids()
    panel.set_review_order(True)
    qtbot.waitUntil(panel.model.in_review_order, timeout=10000)
    expected = [p.document_id for p in review_order(store)]
    assert panel.model.document_ids() == expected
    tip = panel.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Review:" in tip

    # marking the shown document done sends it last on the next read of the order
    first = expected[0]
    panel.select_document(first)
    assert window.controller.document_id == first
    assert toggle_done(window)
    assert first in store.learning.reviewed_ids()
    panel.set_review_order(True)
    qtbot.waitUntil(lambda: panel.model.document_ids()[-1] == first, timeout=10000)
    window.stack.undo()
    assert first not in store.learning.marked_done()
    panel.set_review_order(False)
    assert panel.model.document_ids() == import_order
    assert not panel.model.in_review_order()


def test_ctrl_u_steps_through_the_least_certain_proposals_first(qtbot, window):
    store = window.store
    third = store.documents.ids()[2]
    window.documents.select_document(third)
    order = [mid for mid, _p in least_certain_first(store, third)]
    assert len(order) >= 2
    window.view.setFocus()
    seen = []
    for _ in order:
        qtbot.keyClick(window.view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
        seen.append(window.view.selected_mention())
    assert seen == order
    # accepting in this mode goes on to the next least certain open proposal
    qtbot.keyClick(window.view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert window.view.selected_mention() == order[0]
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert store.mentions.get(order[0]).status == "accepted"
    assert window.view.selected_mention() == order[1]
