"""Benchmark: ingest + extract against raw `nlp.pipe`, and mention writes against raw sqlite3.

Run with `.venv/bin/python bench/ingest.py [--quick]`; prints `name: value` lines.
Benchmarks never assert: the targets are printed next to the ratios and the exit code is 0.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from figures import close_run, emit  # noqa: E402

from desktop.core.ingest.importer import ingest  # noqa: E402
from desktop.core.nlp.extract import extract  # noqa: E402
from desktop.core.nlp.pipeline import (  # noqa: E402
    ENTITY_EXCLUDE,
    MODEL_PACKAGE,
    Pipeline,
    load_pipeline,
)
from desktop.core.records import ProposedMention  # noqa: E402
from desktop.core.store import Store  # noqa: E402

SEEDS_DIR = ROOT / "seeds"
RANDOM_SEED = 20240917
FULL_WORDS = 200_000
QUICK_WORDS = 20_000
BATCH_SIZE = 32  # extract()'s default, used for the raw pipe too
WARMUP_DOCS = BATCH_SIZE  # one full batch (first big arrays are slow), not in the corpus
WRITE_REPEATS = 3  # write timings are short: report the median of this many
THROUGHPUT_TARGET = 0.85
WRITE_TARGET = 2.0

MENTION_COLUMNS = (
    "document_id",
    "start",
    "end",
    "label",
    "text",
    "origin",
    "extractor",
    "confidence",
    "status",
    "run_id",
    "created_at",
    "updated_at",
)
# Tables copied into the raw database: the mention table, what its foreign keys point at,
# and what the "same work" variant touches (revision log, mention tags).
RAW_TABLES = ("document", "entity", "extractionrun", "mention", "tag", "mentiontag", "revision")

# Each key found in a seed is swapped, per document, for one of its alternatives.
SWAPS: dict[str, tuple[str, ...]] = {
    "Wei Tao": ("Wei Tao", "Liu Ning", "Lan Tianli", "Chen Gang", "Zhou Jiayi"),
    "Bui Hoang Phuong": ("Bui Hoang Phuong", "Nguyen Van Hung", "Tran Thi Mai", "Pham Duc Long"),
    "Le Hoai Trung": ("Le Hoai Trung", "Dang Minh Khoi", "Vu Thanh Son", "Do Hung Viet"),
    "Bich Thuy": ("Bich Thuy", "Minh Anh", "Thu Ha", "Quang Huy"),
    "Nanning": ("Nanning", "Kunming", "Haikou", "Liuzhou", "Guilin"),
    "Hanoi": ("Hanoi", "Da Nang", "Hai Phong", "Ho Chi Minh City", "Can Tho"),
    "Beijing": ("Beijing", "Shanghai", "Shenzhen", "Chongqing"),
    "Malaysia": ("Malaysia", "Thailand", "Indonesia", "the Philippines", "Singapore"),
    "Myanmar": ("Myanmar", "Cambodia", "Brunei", "Laos"),
    "Australia": ("Australia", "Japan", "South Korea", "India"),
}
DATELINE_PLACES = ("HANOI", "BEIJING", "NANNING", "DA NANG", "KUNMING", "HAI PHONG", "HAIKOU")
SMALL_NUMBER = re.compile(r"(?<![\d.,:/-])\b\d{1,3}\b(?![\d.,:/-])")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="~20k words instead of ~200k")
    parser.add_argument("--words", type=int, default=None, help="corpus size in words")
    parser.add_argument(
        "--rounds", type=int, default=1, help="alternate raw/ours this many times (mean)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder and print it")
    parser.add_argument(
        "--cli",
        action="store_true",
        help="only the whole commands: factdesk import / extract against plain scripts",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="only PDF import (bench/ingest_pdf.py): 200 5-page reports against pdfminer.six's"
        " extract_text, and the peak memory on a 500-page report",
    )
    parser.add_argument("--import-documents", type=int, default=2000)
    parser.add_argument(
        "--memory-documents", type=int, default=20_000, help="0 leaves the memory run out"
    )
    return parser.parse_args(argv)


# --- corpus -------------------------------------------------------------------------------


def load_seeds() -> list[str]:
    """The seed articles' texts, in file order."""
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]


def swap_names(text: str, rng: random.Random) -> str:
    """Replace each known name or place with one alternative, consistently in the text."""
    for key, options in SWAPS.items():
        if key in text:
            text = re.sub(rf"\b{re.escape(key)}\b", rng.choice(options), text)
    return text


def swap_numbers(text: str, rng: random.Random) -> str:
    """Replace standalone small numbers (not years, dates or decimals) with others."""
    return SMALL_NUMBER.sub(lambda _m: str(rng.randint(2, 99)), text)


def shuffle_body(text: str, rng: random.Random) -> str:
    """Keep the first two paragraphs (headline, lead) and shuffle the others."""
    sep = "\n\n" if "\n\n" in text else "\n"
    parts = [p for p in text.split(sep) if p.strip()]
    head, body = parts[:2], parts[2:]
    rng.shuffle(body)
    return sep.join(head + body)


def vary(seed: str, index: int, rng: random.Random) -> str:
    """One variant of a seed article, made unique by a numbered dateline at the end."""
    text = swap_numbers(swap_names(shuffle_body(seed, rng), rng), rng)
    month, day = 1 + index % 12, 1 + (index // 12) % 28
    place = rng.choice(DATELINE_PLACES)
    return f"{text.rstrip()}\n\n{place}, 2026-{month:02d}-{day:02d} (wire ref {index:06d})\n"


def build_corpus(target_words: int, seed: int = RANDOM_SEED) -> list[str]:
    """Deterministic variants of the seeds, round-robin, until `target_words` is reached."""
    rng = random.Random(seed)
    seeds = load_seeds()
    texts: list[str] = []
    words = 0
    while words < target_words:
        text = vary(seeds[len(texts) % len(seeds)], len(texts), rng)
        texts.append(text)
        words += count_words([text])
    return texts


def write_corpus(texts: Sequence[str], folder: Path) -> None:
    """Write each text, byte-exact, as a .txt file."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"doc_{i:06d}.txt").write_bytes(text.encode("utf-8"))


def count_words(texts: Iterable[str]) -> int:
    """Whitespace-separated words."""
    return sum(len(t.split()) for t in texts)


# --- NLP throughput -----------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run_pipe(nlp: Any, texts: Sequence[str]) -> int:
    """Consume `nlp.pipe` over the texts, reading every doc's entities; returns the count."""
    return sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=BATCH_SIZE))


def load_model_only() -> Any:
    """The model package with the same exclusions, without our rule components."""
    import spacy

    return spacy.load(MODEL_PACKAGE, exclude=list(ENTITY_EXCLUDE))


def run_ours(
    pipeline: Pipeline, folder: Path, project: Path, facts: bool = True
) -> tuple[float, float, list[int]]:
    """(ingest seconds, extract seconds, document ids) into a fresh project."""
    store = Store.open(project)
    try:
        ingest_s, ids = timed(
            lambda: [e.document_id for e in ingest(store, [folder]) if e.kind == "imported"]
        )
        run = extract(store, pipeline, document_ids=ids, batch_size=BATCH_SIZE, facts=facts)
        extract_s, _ = timed(lambda: sum(1 for _ in run))
    finally:
        store.close()
    return ingest_s, extract_s, ids


def stored_texts(project: Path) -> list[str]:
    """The document texts as stored, in id order."""
    with closing(sqlite3.connect(project)) as conn:
        return [row[0] for row in conn.execute("SELECT text FROM document ORDER BY id")]


def rate(count: int, seconds: float) -> str:
    """`count` per second, rounded."""
    return f"{count / seconds:.0f}" if seconds > 0 else "inf"


def warm_up(*pipelines: Any) -> None:
    """One pipe over the seeds and a few variants that the timed corpus does not contain."""
    others = build_corpus(WARMUP_DOCS * 800, seed=RANDOM_SEED + 1)[:WARMUP_DOCS]
    texts = load_seeds() + others
    for nlp in pipelines:
        run_pipe(nlp, texts)
    # Our side also initialises once per process what raw nlp.pipe never uses: the fact rules
    # and dateparser (~0.4 s of regex compilation on first use). Warm them outside the timing.
    from desktop.core.facts.extract import extract_facts

    for doc in pipelines[0].pipe(load_seeds()):
        extract_facts(doc, "2025-11-26")


def bench_throughput(pipeline: Pipeline, texts: list[str], work: Path, rounds: int) -> Path:
    """Raw pipe around each round of ours, then model-only; prints figures, returns a project."""
    folder = work / "corpus"
    write_corpus(texts, folder)
    model_only = load_model_only()
    warm_up(pipeline.nlp, model_only)

    raw_runs: list[float] = []
    ours_runs: list[tuple[float, float, list[int]]] = []
    raw_s, entities = timed(lambda: run_pipe(pipeline.nlp, texts))
    raw_runs.append(raw_s)
    for i in range(rounds):
        ours_runs.append(run_ours(pipeline, folder, work / f"ours_{i}.fdproj"))
        raw_runs.append(timed(lambda: run_pipe(pipeline.nlp, texts))[0])
    entities_only = run_ours(pipeline, folder, work / "entities_only.fdproj", facts=False)
    raw_runs.append(timed(lambda: run_pipe(pipeline.nlp, texts))[0])
    model_s, _ = timed(lambda: run_pipe(model_only, texts))

    words = count_words(texts)
    ids = ours_runs[0][2]
    project = work / "ours_0.fdproj"
    raw_mean = statistics.fmean(raw_runs)
    ingest_s = statistics.fmean(r[0] for r in ours_runs)
    extract_s = statistics.fmean(r[1] for r in ours_runs)
    ours_s = ingest_s + extract_s
    emit("rounds", rounds)
    emit("documents", len(ids))
    emit("words", words)
    emit("stored_texts_identical", "yes" if stored_texts(project) == texts else "NO")
    emit("raw_pipe_entities", entities)
    emit("ingest_s", f"{ingest_s:.2f}")
    emit("extract_s", f"{extract_s:.2f}")
    emit("ours_words_per_s", rate(words, ours_s))
    emit("ours_ingest_words_per_s", rate(words, ingest_s))
    emit("ours_extract_words_per_s", rate(words, extract_s))
    emit("raw_pipe_runs_words_per_s", ", ".join(rate(words, s) for s in raw_runs))
    emit("raw_pipe_words_per_s", rate(words, raw_mean))
    emit("raw_model_only_words_per_s", rate(words, model_s))
    emit("throughput_ratio", f"{raw_mean / ours_s:.2f} (target >= {THROUGHPUT_TARGET})")
    emit("extract_only_ratio", f"{raw_mean / extract_s:.2f}")
    # Issue 2's comparison: ingest + entity extraction, the same work as raw nlp.pipe plus storage.
    entities_s = entities_only[0] + entities_only[1]
    emit(
        "throughput_ratio_entities_only",
        f"{raw_mean / entities_s:.2f} (target >= {THROUGHPUT_TARGET})",
    )
    return project


# --- mention writes -----------------------------------------------------------------------

Rows = dict[int, list[tuple[Any, ...]]]


def mention_rows(project: Path) -> Rows:
    """The extracted mention rows, grouped by document, in insertion order."""
    cols = ", ".join(f'"{c}"' for c in MENTION_COLUMNS)
    grouped: Rows = {}
    with closing(sqlite3.connect(project)) as conn:
        for row in conn.execute(f"SELECT {cols} FROM mention ORDER BY id"):
            grouped.setdefault(row[0], []).append(row)
    return grouped


def connect(path: Path) -> sqlite3.Connection:
    """An autocommit connection with the project's pragmas (see desktop/core/store/db.py)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def copy_documents(source: Path, conn: sqlite3.Connection) -> None:
    """Copy the document and run rows of `source` into `conn`, as never extracted."""
    conn.execute("ATTACH DATABASE ? AS src", (str(source),))
    conn.execute("BEGIN")
    conn.execute("INSERT INTO main.document SELECT * FROM src.document")
    conn.execute("UPDATE main.document SET last_run_id = NULL")
    conn.execute("INSERT INTO main.extractionrun SELECT * FROM src.extractionrun")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE src")


def raw_schema(source: Path) -> list[str]:
    """DDL of the raw tables and their indexes, copied from the project's sqlite_master."""
    marks = ", ".join("?" for _ in RAW_TABLES)
    query = (
        f"SELECT sql FROM sqlite_master WHERE tbl_name IN ({marks}) AND sql IS NOT NULL "
        "ORDER BY type = 'index', rowid"
    )
    with closing(sqlite3.connect(source)) as conn:
        return [row[0] for row in conn.execute(query, RAW_TABLES)]


def proposals_by_document(rows: Rows) -> dict[int, list[ProposedMention]]:
    """The rows as the ProposedMention objects extraction hands to the store."""
    return {
        doc_id: [ProposedMention(r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in doc_rows]
        for doc_id, doc_rows in rows.items()
    }


def time_store_writes(source: Path, target: Path, rows: Rows) -> float:
    """Seconds for `replace_proposals` per document into a fresh project with the same docs."""
    store = Store.open(target)
    try:
        with closing(connect(target)) as conn:
            copy_documents(source, conn)
        proposals = proposals_by_document(rows)
        run_id = next(iter(rows.values()))[0][9]
        replace = store.mentions.replace_proposals
        seconds, _ = timed(
            lambda: [replace(doc_id, props, run_id) for doc_id, props in proposals.items()]
        )
    finally:
        store.close()
    return seconds


def insert_sql() -> str:
    """The plain INSERT of one mention row."""
    cols = ", ".join(f'"{c}"' for c in MENTION_COLUMNS)
    marks = ", ".join("?" for _ in MENTION_COLUMNS)
    return f"INSERT INTO mention ({cols}) VALUES ({marks})"


def write_plain(conn: sqlite3.Connection, rows: Rows) -> None:
    """One transaction per document: `executemany` of its rows."""
    sql = insert_sql()
    for doc_rows in rows.values():
        conn.execute("BEGIN")
        conn.executemany(sql, doc_rows)
        conn.execute("COMMIT")


def write_same_work(conn: sqlite3.Connection, rows: Rows) -> None:
    """Per document, the statements replace_proposals issues, in plain sqlite3 (a floor)."""
    sql = insert_sql()
    revision = (
        'INSERT INTO revision (created_at, actor, action, target, target_id, "after", summary,'
        " undone) VALUES (?, 'pipeline', 'extract', 'document', ?, ?, ?, 0)"
    )
    for doc_id, doc_rows in rows.items():
        run_id = doc_rows[0][9]
        conn.execute("BEGIN")
        conn.execute(
            'SELECT id, start, "end", label, origin, status, note FROM mention'
            " WHERE document_id = ?",
            (doc_id,),
        ).fetchall()
        conn.execute(
            "SELECT t.mention_id FROM mentiontag t JOIN mention m ON m.id = t.mention_id"
            " WHERE m.document_id = ?",
            (doc_id,),
        ).fetchall()
        conn.executemany(sql, doc_rows)
        conn.execute("UPDATE document SET last_run_id = ? WHERE id = ?", (run_id, doc_id))
        after = json.dumps({"run_id": run_id, "inserted": len(doc_rows), "removed": 0})
        now = datetime.now(UTC).isoformat(" ")
        summary = f"Extraction: +{len(doc_rows)} -0 mentions"
        conn.execute(revision, (now, doc_id, after, summary))
        conn.execute("COMMIT")


def time_raw_writes(
    source: Path, target: Path, rows: Rows, write: Callable[[sqlite3.Connection, Rows], None]
) -> float:
    """Seconds for `write` into a fresh raw database with the project's tables and docs."""
    with closing(connect(target)) as conn:
        for ddl in raw_schema(source):
            conn.execute(ddl)
        copy_documents(source, conn)
        seconds, _ = timed(lambda: write(conn, rows))
    return seconds


def median_of(repeats: int, fn: Callable[[int], float]) -> float:
    """The median of `fn(i)` over `repeats` calls."""
    return statistics.median(fn(i) for i in range(repeats))


def bench_writes(project: Path, work: Path) -> None:
    """Our store's mention writes against raw sqlite3 `executemany`; prints the figures."""
    rows = mention_rows(project)
    mentions = sum(len(r) for r in rows.values())
    emit("mentions", mentions)
    if not mentions:
        emit("store_write_ratio", "n/a (no mentions)")
        return
    ours_s = median_of(
        WRITE_REPEATS, lambda i: time_store_writes(project, work / f"store_{i}.fdproj", rows)
    )
    raw_s = median_of(
        WRITE_REPEATS, lambda i: time_raw_writes(project, work / f"raw_{i}.db", rows, write_plain)
    )
    same_s = median_of(
        WRITE_REPEATS,
        lambda i: time_raw_writes(project, work / f"same_{i}.db", rows, write_same_work),
    )
    emit("write_transactions", len(rows))
    emit("store_write_s", f"{ours_s:.3f}")
    emit("raw_sqlite_write_s", f"{raw_s:.3f}")
    emit("raw_sqlite_same_work_write_s", f"{same_s:.3f}")
    emit("store_mentions_per_s", rate(mentions, ours_s))
    emit("raw_sqlite_mentions_per_s", rate(mentions, raw_s))
    emit("raw_sqlite_same_work_mentions_per_s", rate(mentions, same_s))
    emit("store_write_ratio", f"{ours_s / raw_s:.2f} (target <= {WRITE_TARGET})")
    emit("store_write_ratio_vs_same_work", f"{ours_s / same_s:.2f}")


# --- main ---------------------------------------------------------------------------------


def bench_cli(args: argparse.Namespace, target: int, work: Path) -> None:
    """The whole commands (bench/ingest_cli.py): import, import memory, extraction."""
    import subprocess

    from ingest_cli import FACTDESK, bench_extract, bench_import

    rounds = max(3, args.rounds)
    bench_import(work, rounds, args.import_documents, args.memory_documents)
    texts = build_corpus(target)
    write_corpus(texts, work / "corpus")
    project = work / "extract.factdesk"
    cmd = [*FACTDESK, "ingest", "--project", str(project), "--no-extract", str(work / "corpus")]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    emit("cli_extract_documents", len(texts))
    emit("cli_extract_words", count_words(texts))
    bench_extract(work, project, max(1, args.rounds))


def main(argv: Sequence[str] | None = None) -> int:
    """Build the corpus, run both comparisons, print the figures; always exits 0."""
    args = parse_args(argv)
    target = args.words or (QUICK_WORDS if args.quick else FULL_WORDS)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="factdesk-bench-"))
    emit("mode", "quick" if args.quick else "full")
    if args.pdf:
        from ingest_pdf import bench_pdf

        try:
            bench_pdf(work, args.quick, args.rounds)
        except Exception as exc:  # a benchmark reports, it does not fail
            traceback.print_exc()
            emit("error", f"{type(exc).__name__}: {exc}")
        close_run(started, work, args.keep)
        return 0
    if args.cli:
        try:
            bench_cli(args, target, work)
        except Exception as exc:  # a benchmark reports, it does not fail
            traceback.print_exc()
            emit("error", f"{type(exc).__name__}: {exc}")
        close_run(started, work, args.keep)
        return 0
    try:
        pipeline = load_pipeline()
        emit("pipeline", f"{pipeline.info.label} [{', '.join(pipeline.info.components)}]")
        texts = build_corpus(target)
        project = bench_throughput(pipeline, texts, work, max(1, args.rounds))
        bench_writes(project, work)
    except Exception as exc:  # a benchmark reports, it does not fail
        traceback.print_exc()
        emit("error", f"{type(exc).__name__}: {exc}")
    close_run(started, work, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
