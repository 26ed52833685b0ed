"""Benchmark: launch to first window, and to extraction available, for the source and the bundle.

Run with `.venv/bin/python bench/startup.py [--quick]`; prints `name: value` lines.
Benchmarks never assert: the targets are printed next to the figures and the exit code is 0.

Each launch runs the real program (`.venv/bin/factdesk`, `dist/Factdesk/Factdesk`) on the
offscreen platform unless QT_QPA_PLATFORM says otherwise, with a temporary data folder and
settings, and the start-up probe of desktop/app.py: FACTDESK_STARTUP_PROBE names a file that
gets `first_window <epoch s>` once the window is shown and `extraction_ready <epoch s>` once
the model is loaded; FACTDESK_STARTUP_EXIT=1 closes the app then. The first launch of each
program creates the default project from the bundled seeds (reported as `*_first_run_*`);
the timed launches after it open that project, as an analyst's later start-ups do.
The bundle is measured only if dist/Factdesk/Factdesk exists (`make package` builds it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / ".venv" / "bin" / "factdesk"
BUNDLE = ROOT / "dist" / "Factdesk" / "Factdesk"
BUNDLE_TARGET_S = 1.5
TIMEOUT_S = 300
from figures import emit  # noqa: E402


def launch(command: Sequence[str | Path], home: Path) -> dict[str, float]:
    """Start the app once; seconds from launch to each probe mark."""
    probe = home / "probe.txt"
    probe.unlink(missing_ok=True)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "FACTDESK_DATA_DIR": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "FACTDESK_STARTUP_PROBE": str(probe),
        "FACTDESK_STARTUP_EXIT": "1",
    }
    started = time.time()
    done = subprocess.run(
        [str(part) for part in command],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    marks: dict[str, float] = {}
    if probe.exists():
        for line in probe.read_text(encoding="utf-8").splitlines():
            name, _, stamp = line.partition(" ")
            marks.setdefault(name, float(stamp) - started)
    if "first_window" not in marks or "extraction_ready" not in marks:
        raise RuntimeError(
            f"{command[0]} exited {done.returncode} without the probe marks:\n{done.stderr[-2000:]}"
        )
    return marks


def measure(name: str, command: Sequence[str | Path], runs: int) -> None:
    """First run (creates the default project), then `runs` timed launches on it."""
    with tempfile.TemporaryDirectory(prefix=f"factdesk-startup-{name}-") as tmp:
        home = Path(tmp)
        first = launch(command, home)
        emit(f"{name}_first_run_first_window_s", f"{first['first_window']:.3f}")
        emit(f"{name}_first_run_extraction_ready_s", f"{first['extraction_ready']:.3f}")
        windows, ready = [], []
        for _ in range(runs):
            marks = launch(command, home)
            windows.append(marks["first_window"])
            ready.append(marks["extraction_ready"])
    target = f" (target < {BUNDLE_TARGET_S})" if name == "bundle" else ""
    emit(f"{name}_first_window_s", f"{statistics.median(windows):.3f}{target}")
    emit(f"{name}_first_window_min_s", f"{min(windows):.3f}")
    emit(f"{name}_extraction_ready_s", f"{statistics.median(ready):.3f}")


def baseline(runs: int) -> None:
    """What importing Qt's widgets alone costs, for comparison."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "import PySide6.QtWidgets"], check=True, capture_output=True
        )
        times.append(time.perf_counter() - started)
    emit("baseline_import_qtwidgets_s", f"{statistics.median(times):.3f}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 timed launches instead of 5")
    parser.add_argument("--runs", type=int, help="timed launches per program")
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="the bundle's executable")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the start-up figures."""
    args = parse_args(argv)
    runs = args.runs or (2 if args.quick else 5)
    emit("mode", "quick" if args.quick else "full")
    emit("runs", runs)
    emit("platform", os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    baseline(runs)
    measure("source", [SOURCE], runs)
    if args.bundle.exists():
        measure("bundle", [args.bundle], runs)
    else:
        emit("bundle", f"not built ({args.bundle} missing; run `make package`)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
