"""Whole commands against plain scripts: `factdesk import` and `factdesk extract` as the user
runs them (a fresh process each, start-up and model loading included), each beside a plain
script process doing the same work, alternating, on the same data in the same run."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from figures import emit
from import_data import write_prodigy

from desktop.core.store import Store

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FACTDESK = [PYTHON, "-m", "desktop.cli"]
LABEL_STUDIO_S = 4.3  # Label Studio 1.23.2, 2,000 annotated documents (issue 14)
IMPORT_TARGET_S = 0.6
MEMORY_TARGET_MB = 300

# The plain import: json + sqlite3 into the project's schema, one transaction: documents,
# search rows, spans, relations as facts with their arguments, and entity resolution by
# (kind, lower-cased text). No zones, metadata, offset checks, duplicates or undo log.
PLAIN_IMPORT = r"""
import hashlib, json, sqlite3, sys
KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "NORP": "group"}
project, data = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(project, isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL"); conn.execute("PRAGMA synchronous=NORMAL")
now = "2026-01-01 00:00:00.000000"
conn.execute("BEGIN")
entities, links = {}, []
with open(data, encoding="utf-8") as fh:
    for line in fh:
        r = json.loads(line); text = r["text"]
        sha = hashlib.sha256(text.encode()).hexdigest()
        title = text[: text.find("\n")]
        doc = conn.execute(
            "INSERT INTO document (sha256, source, title, language, encoding, text, created_at)"
            " VALUES (?, ?, ?, 'en', 'utf-8', ?, ?)", (sha, r["meta"]["source"], title, text, now)
        ).lastrowid
        conn.execute("INSERT INTO document_fts(rowid, title, body) VALUES (?, ?, ?)",
                     (doc, title.lower(), text.lower()))
        ids = {}
        for s in r["spans"]:
            mid = conn.execute(
                "INSERT INTO mention (document_id, start, \"end\", label, text, origin, extractor,"
                " status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'import', 'prodigy',"
                " 'accepted', ?, ?)",
                (doc, s["start"], s["end"], s["label"], text[s["start"]:s["end"]], now, now),
            ).lastrowid
            ids[(s["start"], s["end"], s["label"])] = mid
            kind = KINDS.get(s["label"])
            if kind:
                key = (kind, text[s["start"]:s["end"]].lower())
                entities.setdefault(key, []).append(mid)
        for rel in r["relations"]:
            h, c = rel["head_span"], rel["child_span"]
            start, end = min(h["start"], c["start"]), max(h["end"], c["end"])
            fid = conn.execute(
                "INSERT INTO fact (document_id, type, evidence_start, evidence_end, origin,"
                " extractor, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'import',"
                " 'prodigy', 'accepted', ?, ?)", (doc, rel["label"], start, end, now, now)
            ).lastrowid
            conn.executemany(
                "INSERT INTO factargument (fact_id, role, position, mention_id, start, \"end\","
                " text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(fid, role, i, ids.get((x["start"], x["end"], x["label"])), x["start"],
                  x["end"], text[x["start"]:x["end"]])
                 for i, (role, x) in enumerate((("head", h), ("tail", c)))],
            )
for (kind, key), mids in entities.items():
    eid = conn.execute("INSERT INTO entity (kind, preferred_name, created_at) VALUES (?, ?, ?)",
                       (kind, key, now)).lastrowid
    conn.execute("INSERT INTO alias (entity_id, key, name) VALUES (?, ?, ?)", (eid, key, key))
    links += [(eid, m) for m in mids]
conn.executemany("UPDATE mention SET entity_id = ? WHERE id = ?", links)
conn.execute("COMMIT")
"""

# The plain extraction: the same model and rules, nlp.pipe on two processes over the
# project's texts; the entities' offsets collected, nothing written.
PLAIN_EXTRACT = r"""
import sqlite3, sys
from desktop.core.nlp.pipeline import load_pipeline
nlp = load_pipeline().nlp
texts = [t for (t,) in sqlite3.connect(sys.argv[1]).execute("SELECT text FROM document")]
found = [[(e.start_char, e.end_char) for e in d.ents]
         for d in nlp.pipe(texts, batch_size=32, n_process=int(sys.argv[2]))]
print(sum(map(len, found)))
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one child process; its own rusage (os.wait4)."""
    began = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - began
    if status != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise RuntimeError(f"{' '.join(cmd[:4])} failed: {err[-400:]}")
    proc.stderr.close() if proc.stderr else None
    return seconds, usage.ru_maxrss / 1024


def fresh(path: Path) -> Path:
    """An empty project with its schema and labels."""
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    with Store.open(path) as store:
        store.labels.ensure()
    return path


def summary(name: str, runs: list[float]) -> float:
    emit(f"{name}_runs_s", ", ".join(f"{s:.2f}" for s in runs))
    emit(f"{name}_min_s", f"{min(runs):.2f}")
    emit(f"{name}_median_s", f"{statistics.median(runs):.2f}")
    return statistics.median(runs)


def bench_import(work: Path, rounds: int, documents: int, memory_documents: int) -> None:
    """`factdesk import` of a Prodigy file against the plain import script."""
    data = work / "annotated.jsonl"
    spans, relations = write_prodigy(data, documents)
    emit("cli_import_documents", documents)
    emit("cli_import_spans", spans)
    emit("cli_import_relations", relations)
    ours, plain = [], []
    for i in range(rounds):  # alternating, each on a fresh empty project
        project = fresh(work / f"imp_ours_{i}.factdesk")
        cmd = [*FACTDESK, "import", "--project", str(project), "--format", "prodigy", str(data)]
        ours.append(run(cmd)[0])
        project = fresh(work / f"imp_plain_{i}.factdesk")
        plain.append(run([PYTHON, "-c", PLAIN_IMPORT, str(project), str(data)])[0])
    with Store.open(work / "imp_ours_0.factdesk") as store:
        stats = store.stats()
        emit("cli_import_written", f"{stats.documents} documents, {stats.mentions} mentions")
    mine, theirs = summary("cli_import", ours), summary("plain_import", plain)
    emit("cli_import_ratio_vs_plain", f"{mine / theirs:.2f}")
    emit("cli_import_speedup_vs_label_studio", f"{LABEL_STUDIO_S / mine:.1f}x (target >= 7x)")
    emit(
        "cli_import_target", f"{IMPORT_TARGET_S} s: {'met' if mine < IMPORT_TARGET_S else 'MISSED'}"
    )
    if memory_documents:
        big = work / "annotated_big.jsonl"
        write_prodigy(big, memory_documents, seed=7)
        emit("memory_documents", memory_documents)
        emit("memory_file_mb", f"{big.stat().st_size / 2**20:.0f}")
        project = fresh(work / "mem_ours.factdesk")
        cmd = [*FACTDESK, "import", "--project", str(project), "--format", "prodigy", str(big)]
        seconds, peak = run(cmd)
        emit("cli_import_big_s", f"{seconds:.1f}")
        emit("cli_import_peak_rss_mb", f"{peak:.0f} (target < {MEMORY_TARGET_MB})")
        project = fresh(work / "mem_plain.factdesk")
        seconds, peak = run([PYTHON, "-c", PLAIN_IMPORT, str(project), str(big)])
        emit("plain_import_big_s", f"{seconds:.1f}")
        emit("plain_import_peak_rss_mb", f"{peak:.0f}")


def bench_extract(work: Path, project: Path, rounds: int) -> None:
    """`factdesk extract --all` on 1 process (as before) and on 2, against plain nlp.pipe on
    2 processes; model loading in every figure."""
    one, two, plain = [], [], []
    for _ in range(rounds):
        cmd = [*FACTDESK, "extract", "--project", str(project), "--all"]
        one.append(run(cmd, {"FACTDESK_EXTRACT_PROCESSES": "1"})[0])
        two.append(run(cmd, {"FACTDESK_EXTRACT_PROCESSES": "2"})[0])
        plain.append(run([PYTHON, "-c", PLAIN_EXTRACT, str(project), "2"])[0])
    a, b = summary("cli_extract_1proc", one), summary("cli_extract_2proc", two)
    c = summary("plain_pipe_2proc", plain)
    emit("cli_extract_speedup_2_vs_1", f"{a / b:.2f} (target >= 1.5)")
    emit("cli_extract_2proc_ratio_vs_plain", f"{b / c:.2f}")
