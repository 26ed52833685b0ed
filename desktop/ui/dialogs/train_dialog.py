"""Annotate › Train model…: train a project model off the GUI thread, show how it compares
with the shipped model, and choose which model extracts.

Training runs in the dialog's own `DialogRun` (progress, an estimate of the time left and
Cancel here); the table shows precision, recall and F1 per label of both models on the
held-out reviewed documents, and one sentence says whether the new model is better. The
choice of model is a project setting, changed through `choose` (the window pushes it on
its undo stack).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.learning.evaluation import Comparison
from desktop.core.learning.models_dir import MODEL_SETTING, ProjectModel, list_models
from desktop.core.learning.training import NEEDS_MODEL, TrainProgress, TrainResult, train
from desktop.core.nlp.pipeline import MODEL_PACKAGE, model_available
from desktop.core.store import Store
from desktop.ui.dialog_runs import DialogRun

Choose = Callable[[str | None], None]  # a model id, or None for the shipped model
COLUMNS = (
    "Label",
    "Support",
    "Base P",
    "Base R",
    "Base F1",
    "Project P",
    "Project R",
    "Project F1",
)
STAGES = {
    "preparing": "Preparing the examples…",
    "saving": "Saving the model…",
    "evaluating": "Scoring both models on the held-out documents…",
}


def time_left(seconds: float | None) -> str:
    """'about 40 s left', 'about 3 min left'."""
    if seconds is None:
        return ""
    if seconds < 90:
        return f"about {max(1, round(seconds))} s left"
    return f"about {round(seconds / 60)} min left"


def _progress_of(step: object) -> tuple[int, int]:
    if isinstance(step, TrainProgress) and step.stage == "training":
        return step.done, step.total
    return 0, 0


class TrainDialog(QDialog):
    """Train, compare, choose."""

    def __init__(self, store: Store, choose: Choose, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train a project model")
        self.store = store
        self.choose = choose
        self.result: TrainResult | None = None
        self.overrides: dict = {}  # training config values (tests train for a few steps)

        reviewed = len(store.learning.reviewed_ids())
        self.intro = QLabel(
            f"{reviewed} reviewed document{'s' if reviewed != 1 else ''} (marked done, or "
            "every proposal accepted or rejected). The shipped model's entity recognizer is "
            "fine-tuned on them; a fifth of them is held out to score the new model against "
            "the shipped one. Labels you did not review keep what the shipped model says."
        )
        self.intro.setWordWrap(True)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.eta = QLabel("")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.hide()
        self.verdict = QLabel("")
        self.verdict.setWordWrap(True)
        self.verdict.setObjectName("train_verdict")

        self.model_choice = QComboBox()
        self.use_button = QPushButton("Extract with this model")
        self.use_button.clicked.connect(self._use_chosen)
        choice_row = QHBoxLayout()
        choice_row.addWidget(QLabel("Extraction uses:"))
        choice_row.addWidget(self.model_choice, 1)
        choice_row.addWidget(self.use_button)

        self.buttons = QDialogButtonBox()
        self.train_button = self.buttons.addButton("Train", QDialogButtonBox.ButtonRole.ActionRole)
        self.train_button.clicked.connect(self.start)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.run = DialogRun(
            self,
            self.progress,
            self.train_button,
            self.cancel_button,
            self._failed,
            progress_format="step %v / %m",
        )
        self.runner = self.run.runner

        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.eta)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(progress_row)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.verdict)
        layout.addLayout(choice_row)
        layout.addWidget(self.buttons)
        self.resize(720, 460)
        self._fill_choice()
        if not model_available():
            self.status.setText(NEEDS_MODEL[0].upper() + NEEDS_MODEL[1:] + ".")
            self.train_button.setEnabled(False)
        elif not reviewed:
            self.status.setText(
                "Nothing to train on yet: review a document (accept or reject every proposal, "
                "or Document › Mark as done) first."
            )
            self.train_button.setEnabled(False)

    # -- model choice ------------------------------------------------------------------
    def _fill_choice(self, select: str | None = None) -> None:
        """The shipped model and every project model, the one in use selected."""
        current = self.store.settings.get(MODEL_SETTING)
        self.model_choice.clear()
        self.model_choice.addItem(f"Shipped model ({MODEL_PACKAGE})", None)
        for model in reversed(list_models(self.store.location)):
            self.model_choice.addItem(_describe(model), model.id)
        wanted = select if select is not None else current
        index = self.model_choice.findData(wanted)
        self.model_choice.setCurrentIndex(max(0, index))

    def _use_chosen(self) -> None:
        self.choose(self.model_choice.currentData())
        chosen = self.model_choice.currentText()
        self.status.setText(f"Extraction now uses: {chosen}.")

    # -- training ----------------------------------------------------------------------
    def start(self) -> None:
        """Train in the background."""
        if self.run.busy:
            return
        store = self.store
        settings = dict(self.overrides)
        self.result = None
        self.table.hide()
        self.verdict.setText("")
        self.status.setText(STAGES["preparing"])

        def job(cancelled):  # type: ignore[no-untyped-def]
            yield from train(store, cancelled=cancelled, overrides=settings)

        self.run.submit(
            "Training a project model",
            job,
            on_steps=self._steps,
            on_done=self._done,
            progress=_progress_of,
        )

    def _steps(self, steps: list) -> None:
        for step in steps:
            if isinstance(step, TrainResult):
                self.result = step
            elif isinstance(step, TrainProgress):
                if step.stage == "training":
                    self.status.setText("Training…")
                    self.eta.setText(time_left(step.seconds_left))
                else:
                    self.status.setText(STAGES.get(step.stage, step.stage))
                    self.eta.setText("")
                    if step.stage != "preparing":
                        self.progress.setRange(0, 0)

    def _done(self, cancelled: bool) -> None:
        self.eta.setText("")
        if cancelled:
            self.status.setText("Training cancelled: no model was saved.")
            return
        if self.result is None:
            return  # a failure: its message is shown already
        model = self.result.model
        self.status.setText(
            f"Saved project model {model.id}: {len(model.training_documents)} training "
            f"documents, {self.result.seconds:.0f} s."
        )
        self.show_comparison(self.result.comparison)
        self._fill_choice(select=model.id)

    def show_comparison(self, comparison: Comparison) -> None:
        """The per-label table and the verdict."""
        rows = comparison.rows()
        self.table.setRowCount(len(rows))
        for r, (label, base, project) in enumerate(rows):
            cells = [
                label,
                str(base.support),
                *(f"{v * 100:.1f}" for v in (base.precision, base.recall, base.f1)),
                *(f"{v * 100:.1f}" for v in (project.precision, project.recall, project.f1)),
            ]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.setVisible(bool(rows))
        self.verdict.setText(comparison.verdict())

    def _failed(self, message: str, _detail: str) -> None:
        self.result = None
        self.status.setText(message)


def _describe(model: ProjectModel) -> str:
    """'Project model 20261207-153012 (F1 91.2, 15 documents)'."""
    labels = (model.scores or {}).get("labels") or {}
    overall = labels.get("ALL", {}).get("project", {}).get("f1")
    score = f"F1 {overall * 100:.1f}, " if isinstance(overall, float) else ""
    return f"Project model {model.id} ({score}{len(model.training_documents)} documents)"
