"""Benchmark: the main window on a 20,000-document project: open, show, label, relabel, undo.

Run with `.venv/bin/python bench/ui.py [--quick]`; prints `name: value` lines.
Benchmarks never assert: the targets are printed next to the figures and the exit code is 0.
Qt runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise; settings and data
go to a temporary folder, so the user's own are never touched.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported

import argparse
import cProfile
import gc
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from figures import close_run, emit  # noqa: E402
from PySide6.QtCore import (  # noqa: E402
    QCoreApplication,
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QObject,
    QSettings,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget  # noqa: E402
from ui_project import Built, build  # noqa: E402

from desktop.core.nlp.pipeline import Pipeline, PipelineInfo  # noqa: E402
from desktop.core.store import Store  # noqa: E402
from desktop.ui.errors import ErrorReporter  # noqa: E402
from desktop.ui.jobs import PipelineHolder  # noqa: E402
from desktop.ui.main_window import MainWindow  # noqa: E402

BENCH_NAME = "FactdeskBench"
PROJECT_DOCUMENTS = 20_000
SHOW_TARGET_MS = 100.0
EDIT_TARGET_MS = 16.0
OPEN_TARGET_MS = 1000.0
FULL = {"opens": 3, "shows": 10, "edits": 200, "large_edits": 100, "raw": 200}
QUICK = {"opens": 1, "shows": 5, "edits": 50, "large_edits": 20, "raw": 50}
WARMUP_ROUNDS = 3  # untimed edit rounds first (statement caches, first paint of a span)
PLAIN_WORD = re.compile(r"\b[a-z]{4,}\b")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (under 60 s)")
    parser.add_argument("--documents", type=int, default=PROJECT_DOCUMENTS, help="project size")
    parser.add_argument("--edits", type=int, default=None, help="edit rounds (label+relabel+undo)")
    parser.add_argument("--profile", type=Path, default=None, help="write cProfile files here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and print it")
    parser.add_argument("--open-only", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--settings", type=Path, default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- measuring ----------------------------------------------------------------------------


def ms(seconds: float) -> str:
    """Seconds as milliseconds, one decimal."""
    return f"{seconds * 1000:.1f}"


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (inclusive method)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


class GcWatch:
    """Records how long each full (generation 2) garbage collection takes."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0

    def __enter__(self) -> GcWatch:
        gc.callbacks.append(self._note)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self._note)

    def _note(self, phase: str, info: dict[str, int]) -> None:
        """gc callback: time generation-2 collections."""
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append(time.perf_counter() - self._started)


@contextmanager
def profiled(folder: Path | None, name: str) -> Iterator[None]:
    """Run the block under cProfile when `folder` is given; the stats go to `name`.prof."""
    if folder is None:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        folder.mkdir(parents=True, exist_ok=True)
        profile.dump_stats(folder / f"{name}.prof")


# --- the project --------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """The benchmark project and the documents the measurements use."""

    path: Path
    built: Built

    @property
    def typical_id(self) -> int:
        return self.built.typical_id

    @property
    def large_id(self) -> int:
        return self.built.large_id


def build_project(path: Path, documents: int, work: Path) -> Project:
    """A project of `documents` documents, the last one large, made through the importer
    (see bench/ui_project.py): spans, relations, resolved entities and dated facts."""
    return Project(path, build(path, documents, work))


def check_project(project: Project) -> str:
    """'ok' when the store reads the imported project as expected, else what is wrong."""
    built = project.built
    with Store.open(project.path) as store:
        stats = store.stats()
        problems = []
        if stats.documents != built.documents or stats.mentions != built.mentions:
            problems.append(f"counts {stats.documents}/{stats.mentions}")
        if stats.pending_extraction:
            problems.append(f"{stats.pending_extraction} pending extraction")
        if len(store.mentions.for_document(project.large_id)) != built.large_mentions:
            problems.append("large document mentions")
        if not store.search("guangxi", limit=5):
            problems.append("search finds nothing")
        if not built.facts or not built.entities:
            problems.append("no facts or no entities")
    return "ok" if not problems else "; ".join(problems)


def report_project(project: Project, seconds: float) -> None:
    """Print what the project holds and how long each stage of making it took."""
    built = project.built
    emit("project_documents", built.documents)
    emit("project_mentions", built.mentions)
    emit("project_facts", built.facts)
    emit("project_entities", built.entities)
    emit("project_size_mb", f"{project.path.stat().st_size / 2**20:.0f}")
    emit("project_build_s", f"{seconds:.1f}")
    emit(
        "project_build_stages_s",
        f"import {built.import_s:.1f}, resolve {built.resolve_s:.1f}, facts {built.facts_s:.1f}",
    )
    emit("project_check", check_project(project))
    emit("large_doc_words", built.large_words)
    emit("large_doc_mentions", built.large_mentions)
    emit("large_doc_nested_mentions", built.large_nested)


# --- Qt -----------------------------------------------------------------------------------


def quiet_qt_messages(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt message handler: drop the offscreen platform's note on every shown window."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def private_settings(folder: Path) -> None:
    """Keep QSettings (layout, recent projects) in `folder`, under the benchmark's name."""
    QCoreApplication.setOrganizationName(BENCH_NAME)
    QCoreApplication.setApplicationName(BENCH_NAME)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


def application(settings: Path) -> QApplication:
    """The QApplication, with settings kept in `settings`."""
    private_settings(settings)
    qInstallMessageHandler(quiet_qt_messages)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    return app


def refuse_to_load() -> Pipeline:
    """The benchmark never loads a model."""
    raise RuntimeError("bench/ui.py loads no language model")


def idle_holder() -> PipelineHolder:
    """A holder that counts as loaded (blank English), so open_project loads nothing."""
    import spacy

    info = PipelineInfo("blank:en", spacy.__version__, True, (), "bench")
    holder = PipelineHolder(refuse_to_load)
    holder._pipeline = Pipeline(nlp=spacy.blank("en"), info=info)
    return holder


def drain(app: QApplication) -> None:
    """Process pending events, then run the loop until a zero-timer fires."""
    app.processEvents()
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()


class PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Count paints; never filter anything out."""
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


# --- project open (a fresh process) ---------------------------------------------------------


def open_child(args: argparse.Namespace) -> int:
    """In a fresh process: construct the window, open the project, wait for the first screen."""
    assert args.open_only is not None and args.settings is not None
    app = application(args.settings)
    holder = idle_holder()
    started = time.perf_counter()
    with profiled(args.profile, f"open_{os.getpid()}"):
        window = MainWindow(ErrorReporter(), holder)
        built = time.perf_counter()
        paints = PaintCounter(window.view.viewport())
        window.show()
        opened_ok = window.open_project(args.open_only)
        opened = time.perf_counter()
        drain(app)
    done = time.perf_counter()
    emit("project_open_ms", ms(done - started))
    emit("window_construct_ms", ms(built - started))
    emit("open_project_call_ms", ms(opened - built))
    emit("first_events_ms", ms(done - opened))
    shown = opened_ok and window.controller.document_id is not None and paints.count > 0
    emit("first_document_painted", "yes" if shown else "NO")
    reads = getattr(window.timeline, "loads", -1), getattr(window.network_view, "loads", -1)
    emit("views_read_at_open", f"timeline {reads[0]}, network {reads[1]}")
    window.close()
    return 0


def run_open_child(project: Path, work: Path, index: int, profile: Path | None) -> dict[str, str]:
    """The figures one fresh process prints for opening the project."""
    command = [sys.executable, str(Path(__file__).resolve()), "--open-only", str(project)]
    command += ["--settings", str(work / f"settings_open_{index}")]
    if profile is not None:
        command += ["--profile", str(profile)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    lines = [line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line]
    figures = dict(lines)
    if done.returncode or "project_open_ms" not in figures:
        raise RuntimeError(f"open process failed ({done.returncode}): {done.stderr[-1500:]}")
    return figures


def raw_open_s(path: Path) -> float:
    """sqlite3 connect, count the documents and read the first 200 rows, then close."""
    start = time.perf_counter()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("SELECT count(*) FROM document").fetchone()
        conn.execute(
            "SELECT id, source, title, published FROM document ORDER BY id LIMIT 200"
        ).fetchall()
    return time.perf_counter() - start


def bench_open(project: Path, work: Path, runs: int, profile: Path | None) -> None:
    """Open the project in `runs` fresh processes; print medians and the raw baseline."""
    results = [run_open_child(project, work, i, profile) for i in range(runs)]
    totals = [float(r["project_open_ms"]) for r in results]
    raw = statistics.median(raw_open_s(project) for _ in range(5))
    median = statistics.median(totals)
    emit("project_open_ms", f"{median:.1f} (target < {OPEN_TARGET_MS:.0f})")
    emit("project_open_runs_ms", ", ".join(f"{t:.1f}" for t in totals))
    for name in ("window_construct_ms", "open_project_call_ms", "first_events_ms"):
        emit(name, f"{statistics.median(float(r[name]) for r in results):.1f}")
    emit("views_read_at_open_child", results[-1].get("views_read_at_open", "?"))
    painted = all(r.get("first_document_painted") == "yes" for r in results)
    emit("first_document_painted", "yes" if painted else "NO")
    emit("raw_sqlite_open_ms", ms(raw))
    emit("project_open_vs_raw_ratio", f"{median / (raw * 1000):.0f}")


# --- document show --------------------------------------------------------------------------


def bench_show(app: QApplication, window: MainWindow, project: Project, runs: int) -> None:
    """Switch to the large document `runs` times (from a typical one); print the timings."""
    view = window.view
    totals, calls, paints = [], [], []
    watch = GcWatch()
    for _ in range(runs):
        window.show_document(project.typical_id)
        drain(app)
        with watch:
            start = time.perf_counter()
            window.show_document(project.large_id)
            called = time.perf_counter()
            view.viewport().repaint()
            painted = time.perf_counter()
            app.processEvents()
            totals.append(time.perf_counter() - start)
        calls.append(called - start)
        paints.append(painted - called)
    emit("document_show_ms", f"{ms(statistics.median(totals))} (target < {SHOW_TARGET_MS:.0f})")
    emit("document_show_max_ms", ms(max(totals)))
    emit("document_show_call_ms", ms(statistics.median(calls)))
    emit("document_show_paint_ms", ms(statistics.median(paints)))
    emit("document_show_runs_ms", ", ".join(ms(t) for t in totals))
    emit("document_show_gc_full_collections", gc_summary(watch.pauses))


# --- edits ----------------------------------------------------------------------------------


def free_spans(text: str, mentions: Sequence[Any]) -> list[tuple[int, int]]:
    """Lower-case words that no mention touches, spread over the text."""
    taken = bytearray(len(text) + 1)
    for m in mentions:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    return [
        (w.start(), w.end())
        for w in PLAIN_WORD.finditer(text)
        if not any(taken[w.start() : w.end()])
    ]


def timed_step(app: QApplication, fn: Callable[[], Any]) -> float:
    """Seconds for one action and the events it leaves (the view's repaint included)."""
    start = time.perf_counter()
    fn()
    app.processEvents()
    return time.perf_counter() - start


def edit_round(app: QApplication, window: MainWindow, span: tuple[int, int]) -> dict[str, list]:
    """Label a span ORG, relabel it GPE, undo both; the seconds of each step."""
    view, controller = window.view, window.controller
    view.select_span(*span)
    drain(app)  # the scroll to the span is not part of the edit
    label = timed_step(app, lambda: controller.apply_label("ORG"))
    added = controller._selected()
    if added is None or (added.start, added.end) != span or added.label != "ORG":
        raise RuntimeError(f"label did not select a new ORG mention at {span}")
    relabel = timed_step(app, lambda: controller.apply_label("GPE"))
    changed = controller._selected()
    if changed is None or changed.id != added.id or changed.label != "GPE":
        raise RuntimeError("relabel did not make the mention GPE")
    undos = [timed_step(app, window.stack.undo) for _ in range(2)]
    if any((m.start, m.end) == span for m in controller.mentions):
        raise RuntimeError("undo left the mention")
    return {"label": [label], "relabel": [relabel], "undo": undos}


@dataclass
class Edits:
    """Timings of label/relabel/undo rounds on one document."""

    samples: dict[str, list[float]]
    first: dict[str, list[float]]  # the very first round, before any warm-up
    paints_per_step: float
    gc_pauses: list[float]


def time_edits(app: QApplication, window: MainWindow, doc_id: int, rounds: int) -> Edits:
    """Warm-up rounds, then `rounds` timed rounds of label, relabel, undo, undo."""
    window.show_document(doc_id)
    drain(app)
    spans = free_spans(window.controller.text, window.controller.mentions)
    paints = PaintCounter(window.view.viewport())
    first = edit_round(app, window, spans[0])
    for i in range(1, WARMUP_ROUNDS):
        edit_round(app, window, spans[i % len(spans)])
    before = paints.count
    samples: dict[str, list] = {"label": [], "relabel": [], "undo": []}
    with GcWatch() as watch:
        for i in range(rounds):
            for op, values in edit_round(app, window, spans[(i * 7) % len(spans)]).items():
                samples[op].extend(values)
    paints.deleteLater()
    return Edits(samples, first, (paints.count - before) / (4 * rounds), watch.pauses)


def raw_connection(path: Path) -> sqlite3.Connection:
    """An autocommit connection with the project's pragmas (see desktop/core/store/db.py)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def raw_update_s(path: Path, mention_id: int, repeats: int) -> list[float]:
    """Seconds of one sqlite3 UPDATE of a mention's label plus its commit, `repeats` times."""
    times = []
    with closing(raw_connection(path)) as conn:
        (label,) = conn.execute("SELECT label FROM mention WHERE id = ?", (mention_id,)).fetchone()
        for i in range(repeats):
            now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
            start = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute(
                "UPDATE mention SET label = ?, updated_at = ? WHERE id = ?",
                ("ORG" if i % 2 == 0 else "GPE", now, mention_id),
            )
            conn.execute("COMMIT")
            times.append(time.perf_counter() - start)
        conn.execute("UPDATE mention SET label = ? WHERE id = ?", (label, mention_id))
    return times


def gc_summary(pauses: list[float]) -> str:
    """How many full collections ran, and the longest."""
    return f"{len(pauses)} (longest {ms(max(pauses))} ms)" if pauses else "0"


def report_edits(prefix: str, edits: Edits, raw: float) -> None:
    """Median, p95 and the ratio to a raw UPDATE for each kind of edit, then context."""
    for op, values in edits.samples.items():
        median = statistics.median(values)
        emit(f"{prefix}{op}_median_ms", f"{ms(median)} (target < {EDIT_TARGET_MS:.0f})")
        emit(f"{prefix}{op}_p95_ms", ms(p95(values)))
        emit(f"{prefix}{op}_vs_raw_update_ratio", f"{median / raw:.0f}")
    emit(f"{prefix}samples", ", ".join(f"{op} {len(v)}" for op, v in edits.samples.items()))
    emit(f"{prefix}first_round_ms", ", ".join(f"{op} {ms(v[0])}" for op, v in edits.first.items()))
    emit(f"{prefix}viewer_paints_per_step", f"{edits.paints_per_step:.2f}")
    emit(f"{prefix}gc_full_collections", gc_summary(edits.gc_pauses))


def bench_edits(
    app: QApplication,
    window: MainWindow,
    project: Project,
    plan: dict[str, int],
    profile: Path | None,
) -> None:
    """Edits on a typical and on the large document, against a raw sqlite3 UPDATE+commit."""
    with profiled(profile, "edits"):
        typical = time_edits(app, window, project.typical_id, plan["edits"])
    with profiled(profile, "edits_large"):
        large = time_edits(app, window, project.large_id, plan["large_edits"])
    raw_times = raw_update_s(project.path, 1, plan["raw"])
    raw = statistics.median(raw_times)
    emit("raw_sqlite_update_commit_ms", f"{raw * 1000:.3f}")
    emit("raw_sqlite_update_commit_p95_ms", f"{p95(raw_times) * 1000:.3f}")
    report_edits("edit_", typical, raw)
    report_edits("large_doc_edit_", large, raw)


# --- first show of the timeline and the network ----------------------------------------------


def wait_for(app: QApplication, signal: Any, seconds: float = 120.0) -> None:
    """Run the event loop until `signal` fires (or `seconds` pass)."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def first_show_s(app: QApplication, window: MainWindow, name: str, signal: Any) -> float:
    """Seconds from showing a closed dock to its view drawn with what it read."""
    dock = window.findChild(QDockWidget, f"dock_{name}")
    start = time.perf_counter()
    dock.show()
    dock.raise_()
    wait_for(app, signal)
    app.processEvents()
    return time.perf_counter() - start


def raw_timeline_s(path: Path) -> float:
    """sqlite3: the shown facts with their arguments and their documents' titles."""
    start = time.perf_counter()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "SELECT f.id, f.document_id, f.type, f.evidence_start, f.evidence_end, f.zone,"
            " f.status, a.role, a.position, a.mention_id, a.text, a.value"
            " FROM fact f JOIN factargument a ON a.fact_id = f.id"
            " WHERE f.status IN ('proposed', 'accepted') ORDER BY f.id, a.position"
        ).fetchall()
        conn.execute(
            "SELECT id, title, source FROM document WHERE id IN (SELECT document_id FROM fact)"
        ).fetchall()
    return time.perf_counter() - start


def raw_network_s(path: Path, top: int = 40) -> float:
    """sqlite3: the top entities by mentions, their mentions, and the facts' arguments."""
    start = time.perf_counter()
    with closing(sqlite3.connect(path)) as conn:
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT entity_id FROM mention WHERE entity_id IS NOT NULL AND status !="
                " 'rejected' GROUP BY entity_id ORDER BY count(*) DESC LIMIT ?",
                (top,),
            )
        ]
        marks = ",".join("?" * len(ids))
        conn.execute(
            f"SELECT id, entity_id FROM mention WHERE entity_id IN ({marks})", ids
        ).fetchall()
        conn.execute(
            "SELECT a.fact_id, a.mention_id FROM factargument a JOIN fact f ON f.id ="
            " a.fact_id WHERE f.status = 'accepted' AND a.mention_id IS NOT NULL"
        ).fetchall()
    return time.perf_counter() - start


def bench_views(app: QApplication, window: MainWindow, path: Path) -> None:
    """First show of the timeline and the network (closed at open), against raw reads."""
    loaded_at_open = window.timeline.loads + window.network_view.loads
    emit("views_read_at_open", loaded_at_open)
    timeline = first_show_s(app, window, "timeline", window.timeline.loaded)
    network = first_show_s(app, window, "network", window.network_view.drawn)
    raw_t = statistics.median(raw_timeline_s(path) for _ in range(3))
    raw_n = statistics.median(raw_network_s(path) for _ in range(3))
    emit("timeline_first_show_ms", f"{ms(timeline)} ({len(window.timeline.fact_rows())} facts)")
    emit("raw_sqlite_timeline_read_ms", ms(raw_t))
    emit("timeline_first_show_vs_raw_ratio", f"{timeline / raw_t:.1f}")
    emit("network_first_show_ms", f"{ms(network)} ({len(window.network_view.nodes)} nodes)")
    emit("raw_sqlite_network_read_ms", ms(raw_n))
    emit("network_first_show_vs_raw_ratio", f"{network / raw_n:.1f}")
    emit("views_loads_after_first_show", window.timeline.loads + window.network_view.loads)


# --- main ---------------------------------------------------------------------------------


def open_window(app: QApplication, project: Project, hidden: Sequence[str] = ()) -> MainWindow:
    """A shown main window with the project open and its first document on screen; the
    docks named in `hidden` closed before the project opens."""
    window = MainWindow(ErrorReporter(), idle_holder())
    window.show()
    for name in hidden:
        window.findChild(QDockWidget, f"dock_{name}").hide()
    drain(app)
    if not window.open_project(project.path):
        raise RuntimeError(f"cannot open {project.path}")
    drain(app)
    return window


def run(args: argparse.Namespace, work: Path) -> None:
    """Build the project, then measure open (fresh processes), show and edits."""
    plan = dict(QUICK if args.quick else FULL)
    if args.edits is not None:
        plan["edits"] = plan["large_edits"] = args.edits
    started = time.perf_counter()
    project = build_project(work / "big.factdesk", max(3, args.documents), work)
    report_project(project, time.perf_counter() - started)
    bench_open(project.path, work, plan["opens"], args.profile)
    app = application(work / "settings")
    window = open_window(app, project, hidden=("timeline", "network"))
    try:
        bench_views(app, window, project.path)
        with profiled(args.profile, "show"):
            bench_show(app, window, project, plan["shows"])
        bench_edits(app, window, project, plan, args.profile)
    finally:
        window.close()
        drain(app)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or, with --open-only, one timed project open); always exits 0."""
    args = parse_args(argv)
    if args.open_only is not None:
        return open_child(args)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="factdesk-bench-ui-"))
    os.environ["FACTDESK_DATA_DIR"] = str(work / "data")
    emit("mode", "quick" if args.quick else "full")
    emit("qt_platform", os.environ["QT_QPA_PLATFORM"])
    try:
        run(args, work)
    except Exception as exc:  # a benchmark reports, it does not fail
        traceback.print_exc()
        emit("error", f"{type(exc).__name__}: {exc}")
    if args.profile is not None:
        emit("profiles", f"{args.profile} (timings under cProfile are inflated)")
    close_run(started, work, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
