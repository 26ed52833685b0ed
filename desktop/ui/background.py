"""Short queries off the GUI thread: the newest call's result comes back on the GUI thread.

For reads that take from milliseconds to seconds (merge proposals over a large corpus),
where the TaskRunner's progress and Cancel would be noise: a panel asks again whenever
its data may have changed, and only the answer to its latest question is delivered.

Each call reports through its own relay object, which the worker keeps alive: when the
asking panel is deleted before the answer comes, Qt drops the connection and the answer
with it, instead of signalling a deleted object.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)
_pool: QThreadPool | None = None


def _shared_pool() -> QThreadPool:
    """One worker thread for every background call: they run one after another."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class _Relay(QObject):
    """Carries one call's answer from the worker thread to the GUI thread."""

    answered = Signal(int, object)
    raised = Signal(int, str)


class BackgroundCall(QObject):
    """Runs one function at a time off the GUI thread; stale answers are dropped.

    Signals:
        failed(str): the latest call raised; the message names the error.
    """

    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._waiting = False
        self._on_result: Callable[[Any], None] = lambda _result: None
        self._calls: list[threading.Event] = []  # each set once its call has finished

    @property
    def pending(self) -> bool:
        """Whether an answer is still awaited."""
        return self._waiting

    def call(self, fn: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        """Run `fn()` in the background; `on_result(value)` on the GUI thread unless a
        newer call came first."""
        self._generation += 1
        generation = self._generation
        self._on_result = on_result
        self._waiting = True
        relay = _Relay()
        relay.answered.connect(self._deliver)
        relay.raised.connect(self._fail)
        done = threading.Event()
        self._calls = [e for e in self._calls if not e.is_set()] + [done]

        def run() -> None:
            try:
                result = fn()
            except Exception as exc:  # reported through `failed`, never lost
                log.exception("background call failed")
                done.set()
                relay.raised.emit(generation, f"{type(exc).__name__}: {exc}")
                return
            done.set()
            relay.answered.emit(generation, result)

        _shared_pool().start(run)

    def forget(self) -> None:
        """Drop the answer of any call under way and wait until this object's calls are
        finished (before the store they read is closed)."""
        self._generation += 1
        self._waiting = False
        for done in self._calls:  # this object's calls only: another panel's read goes on
            done.wait()
        self._calls = []

    def _deliver(self, generation: int, result: object) -> None:
        if generation == self._generation:
            self._waiting = False
            self._on_result(result)

    def _fail(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._waiting = False
            self.failed.emit(message)
