"""Short queries off the GUI thread: the newest call's result comes back on the GUI thread.

For reads that take from milliseconds to seconds (merge proposals over a large corpus),
where the TaskRunner's progress and Cancel would be noise: a panel asks again whenever
its data may have changed, and only the answer to its latest question is delivered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)


class BackgroundCall(QObject):
    """Runs one function at a time in its own thread; stale answers are dropped.

    Signals:
        answered(int, object): internal, generation and result (queued to the GUI thread).
        failed(str): the latest call raised; the message names the error.
    """

    answered = Signal(int, object)
    failed = Signal(str)
    _raised = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0
        self._waiting = False
        self._on_result: Callable[[Any], None] = lambda _result: None
        self.answered.connect(self._deliver)
        self._raised.connect(self._fail)

    @property
    def pending(self) -> bool:
        """Whether an answer is still awaited."""
        return self._pool.activeThreadCount() > 0 or self._waiting

    def call(self, fn: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        """Run `fn()` in the background; `on_result(value)` on the GUI thread unless a
        newer call came first."""
        self._generation += 1
        generation = self._generation
        self._on_result = on_result
        self._waiting = True
        self._pool.clear()  # a queued, not yet started call is stale already

        def run() -> None:
            try:
                result = fn()
            except Exception as exc:  # reported through `failed`, never lost
                log.exception("background call failed")
                self._raised.emit(generation, f"{type(exc).__name__}: {exc}")
                return
            self.answered.emit(generation, result)

        self._pool.start(run)

    def forget(self) -> None:
        """Drop the answer of any call under way and wait for its thread to finish
        (before the store it reads is closed)."""
        self._generation += 1
        self._waiting = False
        self._pool.clear()
        self._pool.waitForDone()

    def _deliver(self, generation: int, result: object) -> None:
        if generation == self._generation:
            self._waiting = False
            self._on_result(result)

    def _fail(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._waiting = False
            self.failed.emit(message)
