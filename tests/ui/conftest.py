"""UI test fixtures: no test may leave a worker thread running."""

from __future__ import annotations

import pytest

from desktop.ui.workers import RUNNERS


@pytest.fixture(autouse=True)
def no_threads_left_running():
    """Fail a test that leaves a TaskRunner's worker thread alive (napari does the same)."""
    yield
    running = [r for r in list(RUNNERS) if r.busy]
    for runner in running:
        runner.shutdown()
    assert not running, f"{len(running)} task runner(s) still running after the test"
