"""Background tasks: steps reach the GUI thread, Cancel stops them, errors reach the user."""

from __future__ import annotations

import logging
import threading
import time

from desktop.ui import errors
from desktop.ui.workers import Task, TaskRunner


def _counting(n, delay=0.0, fail_at=None):
    def job(cancelled):
        for i in range(n):
            if fail_at is not None and i == fail_at:
                raise RuntimeError("disk full")
            time.sleep(delay)
            yield i

    return job


def test_steps_arrive_on_the_gui_thread_in_order(qtbot):
    runner = TaskRunner()
    seen, threads, done = [], set(), []
    task = Task(
        "count",
        _counting(50),
        on_steps=lambda s: (seen.extend(s), threads.add(threading.get_ident())),
        on_done=done.append,
        progress=lambda i: (i + 1, 50),
    )
    with qtbot.waitSignal(runner.idle, timeout=10_000):
        runner.submit(task)
    assert seen == list(range(50))
    assert threads == {threading.get_ident()}
    assert done == [False]
    assert not runner.busy


def test_cancel_stops_the_job_between_steps(qtbot):
    runner = TaskRunner()
    seen, done = [], []
    task = Task("slow", _counting(1000, delay=0.01), on_steps=seen.extend, on_done=done.append)
    with qtbot.waitSignal(runner.idle, timeout=10_000):
        runner.submit(task)
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        runner.cancel()
    assert done == [True]
    assert 0 < len(seen) < 1000


def test_tasks_run_one_after_another(qtbot):
    runner = TaskRunner()
    order = []
    with qtbot.waitSignal(runner.idle, timeout=10_000):
        runner.submit(Task("a", _counting(3), on_steps=lambda s: order.extend(("a", i) for i in s)))
        runner.submit(Task("b", _counting(3), on_steps=lambda s: order.extend(("b", i) for i in s)))
    assert order == [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1), ("b", 2)]


def test_a_failing_job_reaches_the_user_and_keeps_earlier_steps(qtbot):
    runner = TaskRunner()
    reporter = errors.ErrorReporter()
    runner.failed.connect(reporter.report)
    seen = []
    with qtbot.waitSignal(runner.idle, timeout=10_000):
        runner.submit(Task("Import", _counting(10, fail_at=4), on_steps=seen.extend))
    qtbot.waitUntil(lambda: bool(reporter.shown), timeout=5000)
    assert seen == [0, 1, 2, 3]
    title, detail = reporter.shown[0]
    assert title == "Import failed: disk full"
    assert "RuntimeError" in detail


def test_excepthook_logs_and_shows_unexpected_errors(qtbot, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("FACTDESK_DATA_DIR", str(tmp_path))
    reporter = errors.ErrorReporter()
    with caplog.at_level(logging.ERROR, logger="factdesk"):
        try:
            raise ValueError("bad offsets in document 7")
        except ValueError as exc:
            reporter.excepthook(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(lambda: bool(reporter.shown), timeout=5000)
    assert reporter.shown == [("Unexpected error", "ValueError: bad offsets in document 7")]
    assert "Traceback" in caplog.text
    assert errors.log_file() == tmp_path / "logs" / "factdesk.log"


def test_a_refused_dataset_file_shows_its_reason_without_a_traceback(qtbot, tmp_path):
    from desktop.core.store import Store
    from desktop.ui.jobs import dataset_job

    store = Store.open(tmp_path / "p.factdesk")
    bad = tmp_path / "deep.jsonl"
    bad.write_text('{"text": "Ports opened.", "label": ' + "[" * 5000 + "]" * 5000 + "}\n")
    runner = TaskRunner()
    reporter = errors.ErrorReporter()
    runner.failed.connect(reporter.report)
    with qtbot.waitSignal(runner.idle, timeout=10_000):
        runner.submit(Task("Import", dataset_job(store, "doccano", bad)))
    qtbot.waitUntil(lambda: bool(reporter.shown), timeout=5000)
    title, detail = reporter.shown[0]
    assert "deep.jsonl" in title and "nested too deeply" in title
    assert "Traceback" not in title + detail
    assert detail == ""
