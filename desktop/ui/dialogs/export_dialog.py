"""The export dialog: format, filters, what will be written, progress with Cancel, the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.facts.lexicon import fact_types
from desktop.core.formats.selection import Selection
from desktop.core.ingest.zones import ZONE_KINDS
from desktop.core.store import Store
from desktop.ui.dialog_runs import DialogRun

FORMATS = {
    "spacy": "spaCy DocBin (train.spacy + dev.spacy in a folder)",
    "jsonl": "JSONL, Prodigy/spaCy spans with tokens and relations",
    "conll": "CoNLL-2003 IOB",
    "brat": "brat standoff (.txt + .ann in a folder)",
    "facts-jsonl": "Facts, JSONL",
    "facts-csv": "Facts, CSV (one row a fact)",
    "entities-jsonl": "Entities, JSONL (one entity a line, with names and sources)",
}
FOLDER_FORMATS = frozenset({"spacy", "brat"})
SUFFIXES = {
    "jsonl": ".jsonl",
    "conll": ".conll",
    "facts-jsonl": ".jsonl",
    "facts-csv": ".csv",
    "entities-jsonl": ".jsonl",
}
SPANS_ONLY = frozenset({"spacy", "conll", "entities-jsonl"})  # no facts in these


def _checklist(items: list[str], checked: bool = False) -> QListWidget:
    widget = QListWidget()
    for name in items:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMaximumHeight(96)
    return widget


def _checked(widget: QListWidget) -> list[str]:
    return [
        widget.item(i).text()
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class ExportDialog(QDialog):
    """Choose a format and filters, run the export off the GUI thread, show its report."""

    def __init__(self, store: Store, current_document: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export dataset")
        self.store = store
        self.current_document = current_document
        self.report: Any = None
        self.format = QComboBox()
        for key, text in FORMATS.items():
            self.format.addItem(text, key)
        # a plain list dropping below the field: the styles that open it over the current
        # item put the neighbouring format under the mouse, easy to pick by mistake
        self.format.setStyleSheet("QComboBox { combobox-popup: 0; }")
        self.format.setMaxVisibleItems(len(FORMATS))
        self.out = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out)
        out_row.addWidget(browse)
        self.accepted_box = QCheckBox("accepted")
        self.accepted_box.setChecked(True)
        self.proposed_box = QCheckBox("proposed")
        self.human_box = QCheckBox("analyst-added (any status but rejected)")
        self.human_box.setChecked(True)
        statuses = QHBoxLayout()
        for box in (self.accepted_box, self.proposed_box, self.human_box):
            statuses.addWidget(box)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("no filter; comma-separated: items with any of these tags")
        names = [lb.name for lb in store.labels.all()] or list(store.stats().by_label)
        self.labels = _checklist(names)
        self.types = _checklist(fact_types())
        self.zones = _checklist(list(ZONE_KINDS))
        self.boilerplate_box = QCheckBox(
            "also facts from captions, related-story lists and tag lines"
        )
        self.agreed = QLineEdit()
        self.agreed.setPlaceholderText(
            "no filter; a colleague's project or export: only the items it holds too"
        )
        agreed_browse = QPushButton("Browse…")
        agreed_browse.clicked.connect(self._browse_agreed)
        agreed_row = QHBoxLayout()
        agreed_row.addWidget(self.agreed)
        agreed_row.addWidget(agreed_browse)
        self.only_current = QCheckBox("only the document shown")
        self.only_current.setEnabled(current_document is not None)
        self.dev = QDoubleSpinBox()
        self.dev.setRange(0.0, 0.9)
        self.dev.setSingleStep(0.05)
        self.dev.setValue(0.2)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(13)
        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Write to:", out_row)
        form.addRow("Statuses:", statuses)
        form.addRow("Tags:", self.tags)
        self.labels_caption = QLabel("Labels (none = all):")
        form.addRow(self.labels_caption, self.labels)
        form.addRow("Fact types (none = all):", self.types)
        form.addRow("Zones (none = all):", self.zones)
        form.addRow("Boilerplate:", self.boilerplate_box)
        form.addRow("Documents:", self.only_current)
        form.addRow("Agreed items only:", agreed_row)
        form.addRow("Dev fraction / seed:", self._pair(self.dev, self.seed))
        self.summary = QLabel()
        self.progress = QProgressBar()
        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        self.report_view.setPlaceholderText("The export report appears here.")
        self.buttons = QDialogButtonBox()
        self.run_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start)
        self.run = DialogRun(self, self.progress, self.run_button, self.cancel_button, self._failed)
        self.runner = self.run.runner
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.report_view)
        layout.addWidget(self.buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()
        self.resize(640, 720)

    @staticmethod
    def _pair(a: QWidget, b: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(a)
        row.addWidget(b)
        return box

    def fmt(self) -> str:
        """The chosen format's name."""
        return str(self.format.currentData())

    def selection(self) -> Selection:
        """The filters as the exporters take them."""
        statuses = [
            s
            for s, box in (("accepted", self.accepted_box), ("proposed", self.proposed_box))
            if box.isChecked()
        ]
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        docs = [self.current_document] if self.only_current.isChecked() else []
        return Selection.of(
            statuses=statuses,
            include_human=self.human_box.isChecked(),
            tags=tags,
            labels=_checked(self.labels),
            fact_types=_checked(self.types),
            zones=_checked(self.zones),
            documents=docs,
            include_boilerplate=self.boilerplate_box.isChecked(),
        )

    def _format_changed(self) -> None:
        fmt = self.fmt()
        folder = fmt in FOLDER_FORMATS
        suffix = SUFFIXES.get(fmt, "")
        current = Path(self.out.text()) if self.out.text().strip() else None
        folder_of = current.parent if current is not None else default_folder()
        stem = Path(self.store.location).stem
        name = f"{stem}-{fmt.removesuffix('-jsonl').removesuffix('-csv')}{suffix}"
        self.out.setText(str(folder_of / name))
        facts = fmt not in SPANS_ONLY
        self.labels_caption.setText(
            "Labels (facts with an argument of these; none = all):"
            if fmt.startswith("facts-")
            else "Labels (none = all):"
        )
        self.types.setEnabled(facts)
        self.boilerplate_box.setEnabled(facts)
        self.dev.setEnabled(fmt == "spacy")
        self.seed.setEnabled(fmt == "spacy")
        kind = "a folder" if folder else "a file"
        self.summary.setText(
            f"{self.store.documents.count()} documents in the project; "
            f"the export is written to {kind}."
        )

    def _browse(self) -> None:
        if self.fmt() in FOLDER_FORMATS:
            path = QFileDialog.getExistingDirectory(self, "Export folder", self.out.text())
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export file", self.out.text())
        if path:
            self.out.setText(path)

    def _browse_agreed(self) -> None:
        from desktop.ui.dialogs.compare_dialog import OTHER_FILTER

        path, _ = QFileDialog.getOpenFileName(self, "Agreed with", self.agreed.text(), OTHER_FILTER)
        if path:
            self.agreed.setText(path)

    def start(self) -> None:
        """Run the export in the background."""
        if self.run.busy or not self.out.text().strip():
            return
        fmt, out, sel = self.fmt(), Path(self.out.text().strip()), self.selection()
        store = self.store
        options = (
            {"dev_fraction": self.dev.value(), "seed": self.seed.value()} if fmt == "spacy" else {}
        )

        agreed_with = self.agreed.text().strip()
        self.agreed_used = agreed_with

        def job(cancelled):  # type: ignore[no-untyped-def]
            from desktop.ui.export_jobs import run_export

            chosen = sel
            if agreed_with:  # read the other layer here, off the GUI thread
                from dataclasses import replace

                from desktop.core.agreement.agreed import agreed_with_files

                agreed = agreed_with_files(
                    store,
                    [agreed_with],
                    cancelled=cancelled,
                    statuses=sel.statuses,
                    include_human=sel.include_human,
                )
                chosen = replace(sel, agreed=agreed)
            yield from run_export(store, fmt, out, chosen, cancelled, **options)

        self.run.submit(f"Exporting {fmt}", job, on_steps=self._steps, on_done=self._done)

    def _steps(self, steps: list) -> None:
        for step in steps:
            if not isinstance(step, tuple):
                self.report = step

    def _done(self, cancelled: bool) -> None:
        if self.report is None and not cancelled:
            return  # a failure: its message is shown already
        if cancelled or self.report is None or getattr(self.report, "cancelled", False):
            self.report_view.setPlainText("Export cancelled: nothing was written.")
            return
        if self.report.empty is not None:
            hint = " Tick “proposed” to include proposals." if self.report.proposed else ""
            self.report_view.setPlainText(f"Nothing was written — {self.report.empty}.{hint}")
            return
        from desktop.ui.settings import settings

        settings().setValue("export/folder", str(Path(self.out.text().strip()).parent))
        text = self.report.text() if hasattr(self.report, "text") else str(self.report)
        if getattr(self, "agreed_used", ""):
            text += f"\nAgreed items only: those {Path(self.agreed_used).name} holds too."
        self.report_view.setPlainText(text)
        self.cancel_button.setText("Close")

    def _failed(self, message: str, detail: str) -> None:
        self.report = None
        self.report_view.setPlainText(f"{message}\n\nNothing was written.\n\n{detail[-1500:]}")


def default_folder() -> Path:
    """Where exports go unless the analyst picks another folder: the Documents folder."""
    from PySide6.QtCore import QStandardPaths

    from desktop.ui.settings import settings

    last = settings().value("export/folder")
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()
