"""A dialog's background job: its runner, progress bar, start button and Cancel/Close.

The train, export and compare dialogs each run one slow job at a time off the GUI thread.
`DialogRun` holds what they share: it submits the job to the dialog's own `TaskRunner`
(steps and failures come back on the GUI thread), shows the progress bar while it runs
(busy until the job tells its figures), disables the start button and turns the close
button into Cancel, puts all of it back when the job ends (before the dialog's own
`on_done`), cancels on that button while busy and closes the dialog otherwise, and shuts
the runner down when the dialog is done or closed, so no worker thread outlives it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractButton, QDialog, QProgressBar

from desktop.ui.workers import Job, Task, TaskRunner

CANCEL = "Cancel"


def step_progress(step: Any) -> tuple[int, int]:
    """A job's (done, total) steps as progress; any other step tells none."""
    if isinstance(step, tuple) and len(step) == 2 and all(isinstance(v, int) for v in step):
        return step[0], step[1]
    return 0, 0


class DialogRun(QObject):
    """One dialog's background job with progress, Cancel and clean shutdown."""

    def __init__(
        self,
        dialog: QDialog,
        progress: QProgressBar,
        start_button: QAbstractButton,
        close_button: QAbstractButton,
        on_failed: Callable[[str, str], None],
        *,
        progress_format: str | None = None,
    ) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.progress = progress
        self.start_button = start_button
        self.close_button = close_button
        self.runner = TaskRunner(dialog)
        self.runner.failed.connect(on_failed)
        self.runner.progressed.connect(self._progressed)
        self.progress_format = progress_format
        self._idle_text = close_button.text()
        close_button.clicked.connect(self.cancel_or_close)
        progress.hide()
        dialog.finished.connect(lambda _result: self.shutdown())
        dialog.installEventFilter(self)

    @property
    def busy(self) -> bool:
        """Whether the job runs."""
        return self.runner.busy

    def submit(
        self,
        title: str,
        job: Job,
        *,
        on_steps: Callable[[list[Any]], None] = lambda steps: None,
        on_done: Callable[[bool], None] = lambda cancelled: None,
        progress: Callable[[Any], tuple[int, int]] = step_progress,
        total: int = 0,
    ) -> bool:
        """Run `job` (unless one runs already): the bar busy, or out of `total` steps."""
        if self.runner.busy:
            return False
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.show()
        self.start_button.setEnabled(False)
        self._idle_text = self.close_button.text()
        self.close_button.setText(CANCEL)

        def done(cancelled: bool) -> None:
            self.progress.hide()
            self.start_button.setEnabled(True)
            self.close_button.setText(self._idle_text)
            on_done(cancelled)

        self.runner.submit(Task(title, job, on_steps=on_steps, on_done=done, progress=progress))
        return True

    def _progressed(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            if self.progress_format:
                self.progress.setFormat(self.progress_format)

    def cancel_or_close(self) -> None:
        """Cancel the job while it runs; close the dialog otherwise."""
        if self.runner.busy:
            self.runner.cancel()
        else:
            self.dialog.reject()

    def shutdown(self) -> None:
        """Cancel the job and wait for its thread to end."""
        self.runner.shutdown()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.dialog and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False
