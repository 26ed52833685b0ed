"""The agreement report of this project and another file: progress, tables, CSV, adjudicate.

Signals: adjudicate_requested(object) — the `Compared` whose disagreements to walk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.agreement.files import EXPORT_FORMATS, PROJECT
from desktop.core.store import Store
from desktop.ui import compare_jobs as cj
from desktop.ui.models.figures import FiguresModel
from desktop.ui.tables import plain_rows
from desktop.ui.workers import Task, TaskRunner

OTHER_FILTER = "Projects and exports (*.factdesk *.jsonl *.json *.conll *.txt);;All files (*)"


def _table(model: FiguresModel) -> QTableView:
    view = QTableView()
    proxy = QSortFilterProxyModel(view)
    proxy.setSourceModel(model)
    proxy.setSortRole(Qt.ItemDataRole.UserRole)
    view.setModel(proxy)
    plain_rows(view)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the rows' own order until asked
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the names take the room
    return view


class CompareDialog(QDialog):
    """Compare the project with a colleague's project file or an export of the same
    documents; show the agreement per label (spans and entities), fact type and document,
    the label confusion,
    export it as CSV, and open the adjudication of the disagreements."""

    adjudicate_requested = Signal(object)

    def __init__(self, store: Store, path: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Compare with another project")
        self.store = store
        self.compared: cj.Compared | None = None
        self.runner = TaskRunner(self)
        self.runner.failed.connect(self._failed)
        self.runner.progressed.connect(self._progressed)
        self.path = QLineEdit(str(path) if path else "")
        self.path.setPlaceholderText(
            "a colleague's project file, or an export of the same documents"
        )
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        self.format = QComboBox()
        self.format.addItem("told from the file", None)
        self.format.addItem("Factdesk project", PROJECT)
        for fmt in EXPORT_FORMATS:
            self.format.addItem(fmt, fmt)
        self.compare_button = QPushButton("Compare")
        self.compare_button.clicked.connect(self.start)
        row = QHBoxLayout()
        row.addWidget(QLabel("Theirs:"))
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        row.addWidget(self.format)
        row.addWidget(self.compare_button)
        self.progress = QProgressBar()
        self.progress.hide()
        self.summary = QLabel("Choose a file and press Compare.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.labels = FiguresModel(cj.LABEL_HEADERS, tips=cj.LABEL_TIPS)
        self.labels.total_rows = 1
        self.facts = FiguresModel(cj.FACT_HEADERS, tips=cj.FACT_TIPS)
        self.facts.total_rows = 1
        self.entities = FiguresModel(cj.ENTITY_HEADERS, tips=cj.ENTITY_TIPS)
        self.entities.total_rows = 1
        self.confusion = FiguresModel(
            ["ours \\ theirs"], tips=["rows: this project; columns: theirs"]
        )
        self.documents = FiguresModel(cj.DOCUMENT_HEADERS, tips=cj.DOCUMENT_TIPS)
        self.tabs = QTabWidget()
        for model, title in (
            (self.labels, "Labels"),
            (self.entities, "Entities"),
            (self.facts, "Facts"),
            (self.confusion, "Label confusion"),
            (self.documents, "Documents"),
        ):
            self.tabs.addTab(_table(model), title)
        self.buttons = QDialogButtonBox()
        self.csv_button = self.buttons.addButton(
            "Export CSV…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.adjudicate_button = self.buttons.addButton(
            "Adjudicate…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.csv_button.clicked.connect(self.export_csv)
        self.adjudicate_button.clicked.connect(self._adjudicate)
        self.close_button.clicked.connect(self._cancel_or_close)
        for button in (self.csv_button, self.adjudicate_button):
            button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(940, 560)

    # -- running -----------------------------------------------------------------
    def start(self) -> None:
        """Compare in the background with the file named."""
        text = self.path.text().strip()
        if self.runner.busy or not text:
            return
        self.compared = None
        self.progress.setRange(0, cj.STEPS)
        self.progress.setValue(0)
        self.progress.show()
        self.compare_button.setEnabled(False)
        self.close_button.setText("Cancel")
        self.summary.setText(f"Comparing with {Path(text).name}…")
        self.runner.submit(
            Task(
                f"Comparing with {Path(text).name}",
                cj.compare_job(self.store, Path(text), self.format.currentData()),
                on_steps=self._steps,
                on_done=self._done,
                progress=lambda step: step if isinstance(step, tuple) else (0, 0),
            )
        )

    def _progressed(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _steps(self, steps: list[Any]) -> None:
        for step in steps:
            if isinstance(step, cj.Compared):
                self.show_compared(step)

    def _done(self, cancelled: bool) -> None:
        self.progress.hide()
        self.compare_button.setEnabled(True)
        self.close_button.setText("Close")
        if cancelled and self.compared is None:
            self.summary.setText("Comparison cancelled.")

    def _failed(self, message: str, detail: str) -> None:
        self.summary.setText(message if not detail else f"{message}<br><pre>{detail[-800:]}</pre>")

    def _cancel_or_close(self) -> None:
        if self.runner.busy:
            self.runner.cancel()
        else:
            self.close()

    def done(self, result: int) -> None:
        self.runner.shutdown()
        super().done(result)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.runner.shutdown()
        super().closeEvent(event)

    # -- showing -----------------------------------------------------------------
    def show_compared(self, compared: cj.Compared) -> None:
        """Fill the tables with a comparison's figures."""
        self.compared = compared
        self.summary.setText(cj.summary(compared))
        self.labels.set_rows(cj.label_rows(compared.panel))
        self.facts.set_rows(cj.fact_rows(compared.panel))
        self.entities.set_rows(cj.entity_rows(compared.panel))
        headers, rows = cj.confusion_table(compared.panel)
        self.confusion.headers = headers
        self.confusion.set_rows(rows)
        self.documents.set_rows(cj.document_rows(compared.panel))
        self.csv_button.setEnabled(True)
        self.adjudicate_button.setEnabled(bool(compared.places))
        self.adjudicate_button.setText(f"Adjudicate {len(compared.places)} disagreements…")

    def export_csv(self, path: str | Path | None = None) -> Path | None:
        """Write every figure to a CSV file (asks where, unless given)."""
        if self.compared is None:
            return None
        if not path:
            start = Path(self.store.location).with_name(
                f"{Path(self.store.location).stem}-agreement.csv"
            )
            path, _ = QFileDialog.getSaveFileName(self, "Export CSV", str(start), "CSV (*.csv)")
            if not path:
                return None
        from desktop.core.agreement.report import write_csv

        rows = write_csv(self.compared.panel, path)
        self.summary.setText(cj.summary(self.compared) + f"<br>{rows} rows written to {path}.")
        return Path(path)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Theirs", self.path.text(), OTHER_FILTER)
        if path:
            self.path.setText(path)
            self.start()

    def _adjudicate(self) -> None:
        if self.compared is not None and self.compared.places:
            self.adjudicate_requested.emit(self.compared)
