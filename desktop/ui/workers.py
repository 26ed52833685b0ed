"""Slow work off the GUI thread: a core generator runs in a QThread, one task at a time.

A task is a function `job(cancelled) -> Iterator[Step]` from the core; each step it
yields is forwarded to the GUI thread (batched, at most every 100 ms), together with
throttled progress. Cancel sets a flag the job polls between steps.
"""

from __future__ import annotations

import threading
import time
import traceback
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop.core.facts.requirements import IncompleteFact
from desktop.core.formats.run import UnknownDocument
from desktop.core.formats.selection import NothingSelected
from desktop.core.ingest.errors import RefusedFile
from desktop.core.store.project import ProjectError

Job = Callable[[Callable[[], bool]], Iterator[Any]]
FLUSH_SECONDS = 0.1
RUNNERS: weakref.WeakSet[TaskRunner] = weakref.WeakSet()  # for tests: none may be left running
# Errors whose message says all a user needs (a refused file, a project that cannot be
# opened): shown without a traceback. Any other exception is a bug and keeps its details.
# An error class of the core can also say so itself (`for_the_user = True`), so the
# window need not import its module (an agreement error's brings numpy) to know it.
EXPECTED = (RefusedFile, ProjectError, IncompleteFact, NothingSelected, UnknownDocument)


@dataclass
class Task:
    """A named job with hooks run on the GUI thread."""

    title: str
    job: Job
    on_steps: Callable[[list[Any]], None] = lambda steps: None
    on_done: Callable[[bool], None] = lambda cancelled: None
    progress: Callable[[Any], tuple[int, int]] = lambda step: (0, 0)
    extra: dict[str, Any] = field(default_factory=dict)


class _Worker(QObject):
    """Runs one task's generator in the worker thread.

    Signals: steps(list), progressed(int, int), failed(str, str), finished(bool)
    """

    steps = Signal(list)
    progressed = Signal(int, int)
    failed = Signal(str, str)
    finished = Signal(bool)

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.cancel_event = threading.Event()

    @Slot()
    def run(self) -> None:
        pending: list[Any] = []
        last = time.monotonic()
        try:
            for step in self.task.job(self.cancel_event.is_set):
                pending.append(step)
                now = time.monotonic()
                if now - last >= FLUSH_SECONDS:
                    self._flush(pending)
                    pending, last = [], now
                if self.cancel_event.is_set():
                    break
        except Exception as exc:  # reaches the user as a message, never silently
            self._flush(pending)
            pending = []
            expected = isinstance(exc, EXPECTED) or getattr(exc, "for_the_user", False)
            detail = "" if expected else "".join(traceback.format_exception(exc))
            self.failed.emit(f"{self.task.title} failed: {exc}", detail)
        self._flush(pending)
        self.finished.emit(self.cancel_event.is_set())

    def _flush(self, pending: list[Any]) -> None:
        if pending:
            self.steps.emit(pending)
            self.progressed.emit(*self.task.progress(pending[-1]))


class TaskRunner(QObject):
    """Runs tasks one after another in a worker thread; the GUI keeps the steps coming.

    Signals: started(str), progressed(int, int), failed(str, str), idle()
    """

    started = Signal(str)
    progressed = Signal(int, int)
    failed = Signal(str, str)
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: deque[Task] = deque()
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        RUNNERS.add(self)

    @property
    def busy(self) -> bool:
        """Whether a task is running."""
        return self._worker is not None

    @property
    def current_title(self) -> str | None:
        """The running task's title."""
        return self._worker.task.title if self._worker else None

    def submit(self, task: Task) -> None:
        """Run a task after those already queued."""
        self._queue.append(task)
        if not self.busy:
            self._next()

    def cancel(self) -> None:
        """Cancel the running task and drop the queued ones."""
        self._queue.clear()
        if self._worker is not None:
            self._worker.cancel_event.set()

    def shutdown(self, timeout_ms: int = 30000) -> None:
        """Cancel everything and wait for the worker thread to end."""
        self.cancel()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait(timeout_ms)

    def _next(self) -> None:
        if not self._queue:
            self.idle.emit()
            return
        task = self._queue.popleft()
        thread = QThread()
        worker = _Worker(task)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # A slot of this (GUI-thread) object: the steps are delivered on the GUI thread.
        worker.steps.connect(self._deliver_steps)
        worker.progressed.connect(self.progressed)
        worker.failed.connect(self.failed)
        worker.finished.connect(self._finished)
        self._thread, self._worker = thread, worker
        self.started.emit(task.title)
        thread.start()

    @Slot(list)
    def _deliver_steps(self, steps: list[Any]) -> None:
        if self._worker is not None:
            self._worker.task.on_steps(steps)

    @Slot(bool)
    def _finished(self, cancelled: bool) -> None:
        thread, worker = self._thread, self._worker
        assert thread is not None and worker is not None
        thread.quit()
        thread.wait()
        self._thread = self._worker = None
        worker.deleteLater()
        thread.deleteLater()
        worker.task.on_done(cancelled)
        self._next()
