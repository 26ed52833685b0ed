"""What every benchmark prints: `name: value` lines, peak memory, the closing figures."""

from __future__ import annotations

import resource
import shutil
import sys
import time
from pathlib import Path


def emit(name: str, value: object) -> None:
    """Print one figure as `name: value`."""
    print(f"{name}: {value}", flush=True)


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def close_run(started: float, work: Path, keep: bool) -> None:
    """Print peak memory and total time; remove the work folder unless asked to keep it."""
    emit("peak_rss_mb", f"{peak_rss_mb():.0f}")
    emit("total_s", f"{time.perf_counter() - started:.1f}")
    if keep:
        emit("work_dir", work)
    else:
        shutil.rmtree(work, ignore_errors=True)
