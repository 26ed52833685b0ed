"""Benchmark: ingest + extract against raw `nlp.pipe`, and mention writes against raw sqlite3.

Run with `.venv/bin/python bench/ingest.py [--quick]`; prints `name: value` lines.
Benchmarks never assert: the targets are printed next to the ratios and the exit code is 0.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

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
WARMUP_DOCS = 8
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
# Tables the raw database needs so the mention table's foreign keys hold.
RAW_TABLES = ("document", "entity", "extractionrun", "mention")

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


def emit(name: str, value: object) -> None:
    """Print one figure as `name: value`."""
    print(f"{name}: {value}", flush=True)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="~20k words instead of ~200k")
    parser.add_argument("--words", type=int, default=None, help="corpus size in words")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder and print it")
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
    return SMALL_NUMBER.sub(lambda m: str(rng.randint(2, 99)), text)


def shuffle_body(text: str, rng: random.Random) -> str:
    """Keep the first two lines (headline, lead) and shuffle the other paragraphs."""
    sep = "\n\n" if "\n\n" in text else "\n"
    parts = [p for p in text.split(sep) if p.strip()]
    head, body = parts[:2], parts[2:]
    rng.shuffle(body)
    return sep.join(head + body)


def vary(seed: str, index: int, rng: random.Random) -> str:
    """One distinct variant of a seed article, with a dateline that makes it unique."""
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


def run_ours(pipeline: Pipeline, folder: Path, project: Path) -> tuple[float, float, list[int]]:
    """(ingest seconds, extract seconds, document ids) into a fresh project."""
    store = Store.open(project)
    try:
        ingest_s, ids = timed(
            lambda: [e.document_id for e in ingest(store, [folder]) if e.kind == "imported"]
        )
        run = extract(store, pipeline, document_ids=ids, batch_size=BATCH_SIZE)
        extract_s, _ = timed(lambda: sum(1 for _ in run))
    finally:
        store.close()
    return ingest_s, extract_s, ids


def stored_texts(project: Path) -> list[str]:
    """The document texts as stored, in id order."""
    with sqlite3.connect(project) as conn:
        return [row[0] for row in conn.execute("SELECT text FROM document ORDER BY id")]


# --- mention writes -----------------------------------------------------------------------


def mention_rows(project: Path) -> dict[int, list[tuple[Any, ...]]]:
    """The extracted mention rows, grouped by document, in insertion order."""
    cols = ", ".join(f'"{c}"' for c in MENTION_COLUMNS)
    grouped: dict[int, list[tuple[Any, ...]]] = {}
    with sqlite3.connect(project) as conn:
        for row in conn.execute(f"SELECT {cols} FROM mention ORDER BY id"):
            grouped.setdefault(row[0], []).append(row)
    return grouped


def copy_documents(source: Path, conn: sqlite3.Connection) -> None:
    """Copy the document and run rows of `source` into `conn`, as never extracted."""
    conn.execute("ATTACH DATABASE ? AS src", (str(source),))
    conn.execute("BEGIN")
    conn.execute("INSERT INTO main.document SELECT * FROM src.document")
    conn.execute("UPDATE main.document SET last_run_id = NULL")
    conn.execute("INSERT INTO main.extractionrun SELECT * FROM src.extractionrun")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE src")


def connect(path: Path) -> sqlite3.Connection:
    """An autocommit connection with the project's pragmas."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def raw_schema(source: Path) -> list[str]:
    """DDL of the mention table, the tables it references, and their indexes."""
    marks = ", ".join("?" for _ in RAW_TABLES)
    query = (
        f"SELECT sql FROM sqlite_master WHERE tbl_name IN ({marks}) AND sql IS NOT NULL "
        "ORDER BY type = 'index', rowid"
    )
    with sqlite3.connect(source) as conn:
        return [row[0] for row in conn.execute(query, RAW_TABLES)]


def proposals_by_document(
    rows: dict[int, list[tuple[Any, ...]]],
) -> dict[int, list[ProposedMention]]:
    """The rows as the ProposedMention objects extraction hands to the store."""
    return {
        doc_id: [ProposedMention(r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in doc_rows]
        for doc_id, doc_rows in rows.items()
    }


def time_store_writes(source: Path, target: Path, rows: dict[int, list[tuple[Any, ...]]]) -> float:
    """Seconds for `replace_proposals` per document into a fresh project with the same docs."""
    store = Store.open(target)
    try:
        conn = connect(target)
        copy_documents(source, conn)
        conn.close()
        proposals = proposals_by_document(rows)
        run_id = next(iter(rows.values()))[0][9]
        replace = store.mentions.replace_proposals
        seconds, _ = timed(
            lambda: [replace(doc_id, props, run_id) for doc_id, props in proposals.items()]
        )
    finally:
        store.close()
    return seconds


def time_raw_writes(source: Path, target: Path, rows: dict[int, list[tuple[Any, ...]]]) -> float:
    """Seconds for one transaction with `executemany` per document into the same schema."""
    conn = connect(target)
    try:
        for ddl in raw_schema(source):
            conn.execute(ddl)
        copy_documents(source, conn)
        cols = ", ".join(f'"{c}"' for c in MENTION_COLUMNS)
        marks = ", ".join("?" for _ in MENTION_COLUMNS)
        sql = f"INSERT INTO mention ({cols}) VALUES ({marks})"

        def write() -> None:
            for doc_rows in rows.values():
                conn.execute("BEGIN")
                conn.executemany(sql, doc_rows)
                conn.execute("COMMIT")

        seconds, _ = timed(write)
    finally:
        conn.close()
    return seconds


# --- report -------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MiB (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20


def rate(count: int, seconds: float) -> str:
    """`count` per second, rounded."""
    return f"{count / seconds:.0f}" if seconds > 0 else "inf"


def bench_throughput(pipeline: Pipeline, texts: list[str], work: Path) -> Path:
    """Raw pipe (before and after), ours, and model-only; prints figures, returns the project."""
    folder, project = work / "corpus", work / "ours.fdproj"
    write_corpus(texts, folder)
    model_only = load_model_only()
    warm = load_seeds() + texts[:WARMUP_DOCS]
    run_pipe(pipeline.nlp, warm)
    run_pipe(model_only, warm)

    raw_before, _ = timed(lambda: run_pipe(pipeline.nlp, texts))
    ingest_s, extract_s, ids = run_ours(pipeline, folder, project)
    same = stored_texts(project) == texts
    raw_after, _ = timed(lambda: run_pipe(pipeline.nlp, texts))
    model_s, _ = timed(lambda: run_pipe(model_only, texts))

    words = count_words(texts)
    raw_s = (raw_before + raw_after) / 2
    ours_s = ingest_s + extract_s
    emit("documents", len(ids))
    emit("words", words)
    emit("stored_texts_identical", "yes" if same else "NO")
    emit("ingest_s", f"{ingest_s:.2f}")
    emit("extract_s", f"{extract_s:.2f}")
    emit("ours_words_per_s", rate(words, ours_s))
    emit("ours_extract_words_per_s", rate(words, extract_s))
    emit("raw_pipe_before_words_per_s", rate(words, raw_before))
    emit("raw_pipe_after_words_per_s", rate(words, raw_after))
    emit("raw_pipe_words_per_s", rate(words, raw_s))
    emit("raw_model_only_words_per_s", rate(words, model_s))
    emit("throughput_ratio", f"{raw_s / ours_s:.2f} (target >= {THROUGHPUT_TARGET})")
    emit("extract_only_ratio", f"{raw_s / extract_s:.2f}")
    return project


def bench_writes(project: Path, work: Path) -> None:
    """Our store's mention writes against raw sqlite3 `executemany`; prints the figures."""
    rows = mention_rows(project)
    mentions = sum(len(r) for r in rows.values())
    emit("mentions", mentions)
    if not mentions:
        emit("store_write_ratio", "n/a (no mentions)")
        return
    ours_s = time_store_writes(project, work / "store.fdproj", rows)
    raw_s = time_raw_writes(project, work / "raw.sqlite", rows)
    emit("store_write_s", f"{ours_s:.3f}")
    emit("raw_sqlite_write_s", f"{raw_s:.3f}")
    emit("store_mentions_per_s", rate(mentions, ours_s))
    emit("raw_sqlite_mentions_per_s", rate(mentions, raw_s))
    emit("store_write_ratio", f"{ours_s / raw_s:.2f} (target <= {WRITE_TARGET})")


def main(argv: Sequence[str] | None = None) -> int:
    """Build the corpus, run both comparisons, print the figures; always exits 0."""
    args = parse_args(argv)
    target = args.words or (QUICK_WORDS if args.quick else FULL_WORDS)
    started = time.perf_counter()
    emit("mode", "quick" if args.quick else "full")
    pipeline = load_pipeline()
    emit("pipeline", f"{pipeline.info.label} [{', '.join(pipeline.info.components)}]")
    texts = build_corpus(target)
    work = Path(tempfile.mkdtemp(prefix="factdesk-bench-"))
    try:
        project = bench_throughput(pipeline, texts, work)
        bench_writes(project, work)
    except Exception as exc:  # a benchmark reports, it does not fail
        traceback.print_exc()
        emit("error", f"{type(exc).__name__}: {exc}")
    emit("peak_rss_mb", f"{peak_rss_mb():.0f}")
    emit("total_s", f"{time.perf_counter() - started:.1f}")
    if args.keep:
        emit("work_dir", work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
