"""Window action Annotate › Train model…: the training dialog on the window's project, its
choice of model pushed on the window's undo stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.ui.commands import push_change

if TYPE_CHECKING:
    from desktop.ui.dialogs.train_dialog import TrainDialog
    from desktop.ui.main_window import MainWindow


def train_dialog(window: MainWindow) -> TrainDialog | None:
    """The dialog (not shown yet), or None without a project."""
    from desktop.core.learning.choice import choose_model
    from desktop.ui.dialogs.train_dialog import TrainDialog

    store = window.store
    if store is None:
        return None

    def choose(model_id: str | None) -> None:
        change = choose_model(store, model_id)
        name = (
            f"Extract with project model {model_id}" if model_id else "Extract with shipped model"
        )
        push_change(window.stack, store, change.batch, name, lambda: None)

    return TrainDialog(store, choose, window)


def show_train_dialog(window: MainWindow) -> None:
    """Annotate › Train model…"""
    dialog = train_dialog(window)
    if dialog is not None:
        dialog.exec()
        dialog.deleteLater()
