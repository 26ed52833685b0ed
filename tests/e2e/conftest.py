"""What the end-to-end tests share: the real command line, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


def run_factdesk(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`factdesk ARGS` in a child process (offscreen Qt, UTF-8 output), not checked."""
    base = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *map(str, args)],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def factdesk_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """run_factdesk, for tests and module-scoped fixtures that take it as a fixture."""
    return run_factdesk
