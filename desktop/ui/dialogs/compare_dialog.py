"""The agreement report of this project and other files: progress, tables, CSV, adjudicate.

Several files can be compared at once (colleagues' project files, or exports in any format
the app imports): every pair's figures (a table of κ, α and F1 per pair of layers, and the
per-label, entity, fact, confusion and document tables of the pair chosen), and
Krippendorff's α over all of the layers.

Signals: adjudicate_requested(object) — the `Compared` whose disagreements to walk.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
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
    QListWidget,
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
from desktop.ui.dialog_runs import DialogRun
from desktop.ui.models.figures import FiguresModel
from desktop.ui.tables import plain_rows

PAIRS_TAB, ALPHA_TAB = 0, 1
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
    """Compare the project with colleagues' project files or exports of the same
    documents; show the agreement of every pair of layers and over all of them, per label
    (spans and entities), fact type and document, the label confusion, export it as CSV,
    and open the adjudication of ours against one of the files."""

    adjudicate_requested = Signal(object)

    def __init__(
        self,
        store: Store,
        paths: Path | Sequence[Path] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Compare with other projects")
        self.store = store
        self.compared: cj.Compared | None = None
        self.files = QListWidget()
        self.files.setToolTip(
            "colleagues' project files, or exports of the same documents (any import format)"
        )
        self.files.setMaximumHeight(72)
        self.files.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        add = QPushButton("Add…")
        add.clicked.connect(self._browse)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove)
        self.format = QComboBox()
        self.format.addItem("told from each file", None)
        self.format.addItem("Factdesk project", PROJECT)
        for fmt in EXPORT_FORMATS:
            self.format.addItem(fmt, fmt)
        self.compare_button = QPushButton("Compare")
        self.compare_button.clicked.connect(self.start)
        side = QVBoxLayout()
        for widget in (add, self.remove_button, self.format, self.compare_button):
            side.addWidget(widget)
        side.addStretch(1)
        row = QHBoxLayout()
        theirs = QLabel("Theirs:")
        theirs.setAlignment(Qt.AlignmentFlag.AlignTop)
        row.addWidget(theirs)
        row.addWidget(self.files, 1)
        row.addLayout(side)
        self.progress = QProgressBar()
        self.summary = QLabel("Add one or more files and press Compare.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.pair = QComboBox()
        self.pair.setToolTip("the pair of layers the Labels … Documents tabs show")
        self.pair.currentIndexChanged.connect(self._pair_chosen)
        pair_row = QHBoxLayout()
        pair_row.addWidget(QLabel("Pair:"))
        pair_row.addWidget(self.pair, 1)
        self.pairs = FiguresModel(cj.PAIR_HEADERS, tips=cj.PAIR_TIPS)
        self.alphas = FiguresModel(cj.ALPHA_HEADERS, tips=cj.ALPHA_TIPS)
        self.alphas.total_rows = 1
        self.labels = FiguresModel(cj.LABEL_HEADERS, tips=cj.LABEL_TIPS)
        self.labels.total_rows = 1
        self.facts = FiguresModel(cj.FACT_HEADERS, tips=cj.FACT_TIPS)
        self.facts.total_rows = 1
        self.entities = FiguresModel(cj.ENTITY_HEADERS, tips=cj.ENTITY_TIPS)
        self.entities.total_rows = 1
        self.confusion = FiguresModel(["A \\ B"], tips=["rows: the pair's A; columns: its B"])
        self.documents = FiguresModel(cj.DOCUMENT_HEADERS, tips=cj.DOCUMENT_TIPS)
        self.tabs = QTabWidget()
        for model, title in (
            (self.pairs, "Pairs"),
            (self.alphas, "α over all layers"),
            (self.labels, "Labels"),
            (self.entities, "Entities"),
            (self.facts, "Facts"),
            (self.confusion, "Label confusion"),
            (self.documents, "Documents"),
        ):
            self.tabs.addTab(_table(model), title)
        self.tabs.setCurrentIndex(PAIRS_TAB + 2)  # Labels, until there are more than two layers
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
        self.run = DialogRun(
            self, self.progress, self.compare_button, self.close_button, self._failed
        )
        self.runner = self.run.runner
        for button in (self.csv_button, self.adjudicate_button):
            button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addLayout(pair_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(980, 600)
        if paths is not None:
            self.set_files([paths] if isinstance(paths, str | Path) else paths)

    def set_files(self, paths: Sequence[str | Path]) -> None:
        """The files to compare with (replacing any listed)."""
        self.files.clear()
        self.add_files(paths)

    def add_files(self, paths: Sequence[str | Path]) -> None:
        """List more files to compare with (one already listed is not listed twice)."""
        listed = set(self.paths())
        for path in paths:
            if Path(path) not in listed:
                self.files.addItem(str(path))
                listed.add(Path(path))

    def paths(self) -> list[Path]:
        """The files listed, in order."""
        return [Path(self.files.item(i).text()) for i in range(self.files.count())]

    # -- running -----------------------------------------------------------------
    def start(self) -> None:
        """Compare in the background with the files listed."""
        paths = self.paths()
        if self.run.busy or not paths:
            return
        self.compared = None
        names = ", ".join(p.name for p in paths)
        self.summary.setText(f"Comparing with {html.escape(names)}…")
        self.run.submit(
            f"Comparing with {names}",
            cj.compare_job(self.store, paths, self.format.currentData()),
            on_steps=self._steps,
            on_done=self._done,
            total=cj.steps_of(len(paths)),
        )

    def _steps(self, steps: list[Any]) -> None:
        for step in steps:
            if isinstance(step, cj.Compared):
                self.show_compared(step)

    def _done(self, cancelled: bool) -> None:
        if cancelled and self.compared is None:
            self.summary.setText("Comparison cancelled.")

    def _failed(self, message: str, detail: str) -> None:
        self.summary.setText(message if not detail else f"{message}<br><pre>{detail[-800:]}</pre>")

    # -- showing -----------------------------------------------------------------
    def show_compared(self, compared: cj.Compared) -> None:
        """Fill the tables with a comparison's figures."""
        self.compared = compared
        panel = compared.panel
        self.pairs.set_rows(cj.pair_rows(panel))
        self.alphas.set_rows(cj.alpha_rows(panel))
        self.pair.blockSignals(True)
        self.pair.clear()
        for g in panel.pairs:
            self.pair.addItem(f"{g.a} ↔ {g.b}")
        self.pair.setCurrentIndex(compared.chosen)
        self.pair.blockSignals(False)
        self.pair.setEnabled(len(panel.pairs) > 1)
        if len(panel.names) > 2:
            self.tabs.setCurrentIndex(PAIRS_TAB)
        self.csv_button.setEnabled(True)
        self._pair_chosen(compared.chosen)

    def show_pair(self, index: int) -> None:
        """Show the figures of pair `index` (of `panel.pairs`) in the per-pair tabs."""
        self.pair.setCurrentIndex(index)

    def _pair_chosen(self, index: int) -> None:
        compared = self.compared
        if compared is None or not 0 <= index < len(compared.panel.pairs):
            return
        g = compared.panel.pairs[index]
        with_ours = index < len(compared.others)  # pairs (ours, file) come first
        if with_ours:
            compared = self.compared = compared.choose(index)
        sides = ("Ours", "Theirs") if with_ours else ("A", "B")
        for model in (self.labels, self.facts, self.entities, self.documents):
            column = 1 if model is not self.documents else 2
            model.headers[column : column + 2] = sides
        self.labels.set_rows(cj.label_rows(g))
        self.facts.set_rows(cj.fact_rows(g))
        self.entities.set_rows(cj.entity_rows(g))
        headers, rows = cj.confusion_table(g)
        self.confusion.headers = headers
        self.confusion.set_rows(rows)
        self.documents.set_rows(cj.document_rows(g))
        self.summary.setText(cj.summary(compared))
        places = compared.places
        self.adjudicate_button.setEnabled(with_ours and bool(places))
        self.adjudicate_button.setText(
            f"Adjudicate {len(places)} disagreements with {compared.theirs.name}…"
            if with_ours
            else "Adjudicate… (choose a pair with ours)"
        )

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
        start = str(self.paths()[-1].parent) if self.paths() else ""
        chosen, _ = QFileDialog.getOpenFileNames(self, "Theirs", start, OTHER_FILTER)
        if chosen:
            self.add_files(chosen)

    def _remove(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))

    def _adjudicate(self) -> None:
        if self.compared is not None and self.compared.places:
            self.adjudicate_requested.emit(self.compared)
