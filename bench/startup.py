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

`--cli` measures the command line's read-only commands instead (`factdesk stats`, `search`,
`entities`) on a 20,000-document project made by bench/ui_project.py (spans, facts,
resolved entities; `--cli-project` reuses one, `--cli-documents` sets the size): each
command as a fresh process, timed from start to exit, against a plain `python -c` script
running the same sqlite3 queries and printing the same rows, alternating, with min,
median and the ratio of medians. Target: each command under 0.3 s.
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
CLI_TARGET_S = 0.3
TIMEOUT_S = 300
from figures import emit  # noqa: E402

# The plain side of each command: sqlite3 and the same queries, rows printed.
PLAIN_OPEN = "import sqlite3, sys; c = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True)\n"
PLAIN = {
    "stats": PLAIN_OPEN
    + (
        "print(c.execute('SELECT count(*) FROM document').fetchone())\n"
        "print(c.execute('SELECT count(*) FROM document WHERE last_run_id IS NULL').fetchone())\n"
        "for col in ('status', 'label', 'origin'):\n"
        "    print(c.execute(f'SELECT {col}, count(*) FROM mention GROUP BY {col}').fetchall())\n"
        "print(c.execute('SELECT kind, count(*) FROM zone GROUP BY kind').fetchall())\n"
        "print(c.execute('SELECT type, count(*) FROM fact GROUP BY type').fetchall())\n"
        "print(c.execute('SELECT * FROM extractionrun ORDER BY id DESC LIMIT 1').fetchall())\n"
        "print(c.execute('SELECT version_num FROM alembic_version').fetchall())\n"
    ),
    "search": PLAIN_OPEN
    + (
        "q = 'SELECT d.source, d.title, substr(d.text, 1, 180) FROM document_fts JOIN document d"
        " ON d.id = document_fts.rowid WHERE document_fts MATCH ? ORDER BY"
        " bm25(document_fts, 4.0, 1.0) LIMIT 50'\n"
        "for row in c.execute(q, ('\"trade\"',)): print(*row, sep='\\t')\n"
    ),
    "entities": PLAIN_OPEN
    + (
        "w = 'WHERE entity_id IS NOT NULL AND status != \"rejected\"'\n"
        "names = c.execute(f'SELECT entity_id, text, count(*) FROM mention NOT INDEXED {w}"
        " GROUP BY entity_id, text').fetchall()\n"
        "docs = dict(c.execute(f'SELECT entity_id, count(DISTINCT document_id) FROM mention"
        " NOT INDEXED {w} GROUP BY entity_id'))\n"
        "for eid, kind, name in c.execute('SELECT id, kind, preferred_name FROM entity'):\n"
        "    print(eid, kind, name, docs.get(eid), sep='\\t')\n"
    ),
}
OURS = {"stats": ["stats"], "search": ["search", "trade"], "entities": ["entities"]}


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


def run_child(command: Sequence[str | Path]) -> float:
    """Seconds a fresh process takes from start to exit; raises if it fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, timeout=TIMEOUT_S
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[:3]} exited {done.returncode}: {done.stderr[-1500:]}")
    return took


def cli_project(args: argparse.Namespace, work: Path) -> Path:
    """The project the commands read: `--cli-project`, or one built now (bench/ui_project.py)."""
    if args.cli_project:
        return Path(args.cli_project).resolve()
    from ui_project import build

    path = work / "cli.factdesk"
    began = time.perf_counter()
    built = build(path, args.cli_documents, work)
    emit("cli_project_build_s", f"{time.perf_counter() - began:.1f}")
    emit("cli_project_documents", built.documents)
    emit("cli_project_mentions", built.mentions)
    emit("cli_project_facts", built.facts)
    emit("cli_project_entities", built.entities)
    return path


def measure_cli(project: Path, runs: int) -> None:
    """Each read-only command against its plain script, alternating; min, median, ratio."""
    factdesk = [SOURCE]  # the console script, as a user types it
    # once untimed: a project never resolved since it was built resolves now, as a user's
    # first `entities` after an import would; the timed runs read the stored resolution
    run_child([*factdesk, "entities", "-p", project])
    for name, words in OURS.items():
        ours_runs, plain_runs = [], []
        for round_no in range(runs):
            sides = [
                (ours_runs, [*factdesk, *words, "-p", project]),
                (plain_runs, [sys.executable, "-c", PLAIN[name], project]),
            ]
            for into, command in sides if round_no % 2 == 0 else sides[::-1]:
                into.append(run_child(command))
        ours, plain = statistics.median(ours_runs), statistics.median(plain_runs)
        emit(f"cli_{name}_runs_s", ", ".join(f"{s:.3f}" for s in ours_runs))
        emit(
            f"cli_{name}_s",
            f"{min(ours_runs):.3f} min / {ours:.3f} median (target < {CLI_TARGET_S})",
        )
        emit(f"plain_{name}_runs_s", ", ".join(f"{s:.3f}" for s in plain_runs))
        emit(f"plain_{name}_s", f"{min(plain_runs):.3f} min / {plain:.3f} median")
        emit(f"cli_{name}_vs_plain_ratio", f"{ours / plain:.2f} median, "
             f"{min(ours_runs) / min(plain_runs):.2f} min")  # fmt: skip


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 timed launches instead of 5")
    parser.add_argument("--runs", type=int, help="timed launches per program")
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="the bundle's executable")
    parser.add_argument("--cli", action="store_true", help="the read-only commands instead")
    parser.add_argument("--cli-project", type=Path, help="--cli: reuse this project file")
    parser.add_argument("--cli-documents", type=int, default=20_000, help="--cli: project size")
    parser.add_argument("--keep", action="store_true", help="--cli: keep the work folder")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the start-up figures."""
    args = parse_args(argv)
    runs = args.runs or (2 if args.quick else 5)
    emit("mode", "quick" if args.quick else "full")
    emit("runs", runs)
    if args.cli:
        return main_cli(args, runs)
    emit("platform", os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    baseline(runs)
    measure("source", [SOURCE], runs)
    if args.bundle.exists():
        measure("bundle", [args.bundle], runs)
    else:
        emit("bundle", f"not built ({args.bundle} missing; run `make package`)")
    return 0


def main_cli(args: argparse.Namespace, runs: int) -> int:
    """`--cli`: the read-only commands against plain scripts."""
    from figures import close_run

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="factdesk-bench-cli-"))
    emit("load_average", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    try:
        measure_cli(cli_project(args, work), runs)
    except Exception as exc:  # a benchmark reports, it does not fail
        emit("error", f"{type(exc).__name__}: {exc}")
    close_run(started, work, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
