"""Background work in the status bar: what runs, a progress bar and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from desktop.ui.icons import icon
from desktop.ui.workers import TaskRunner


class ProgressPanel(QWidget):
    """Shows the runner's current task with a bar and a Cancel button; hidden when idle."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(True)
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icon("cancel"))
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Cancel the background work")
        self.cancel_button.clicked.connect(runner.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        runner.started.connect(self._started)
        runner.progressed.connect(self._progressed)
        runner.idle.connect(self.hide)
        self.hide()

    def _started(self, title: str) -> None:
        self.label.setText(title)
        self.bar.setRange(0, 0)  # busy until the first figures arrive
        self.show()

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.bar.setFormat(f"{done} / {total}")
