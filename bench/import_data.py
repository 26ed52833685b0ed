"""A realistic annotated dataset for the import benchmark: Prodigy JSONL news documents with
spans (names and numbers) and relations between them, from shuffled seed paragraphs."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from seed_text import paragraph_pool

LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC")
RELATIONS = ("MEETING", "AGREEMENT", "ROLE")
PLACES = ("HANOI", "BEIJING", "NANNING", "DA NANG", "KUNMING", "HAI PHONG", "HAIKOU")
SPANS_PER_DOCUMENT = (16, 27)
RELATIONS_PER_DOCUMENT = (1, 5)
# Capitalised runs ("Bank of China") and numbers, never overlapping.
CANDIDATE = re.compile(
    r"\b\d[\d.,]*\d%?|\b\d%?|\b[A-Z][\w’'-]*(?: (?:of |and |the )?[A-Z][\w’'-]*)*"
)


def record(index: int, pool: list[str], rng: random.Random) -> tuple[dict, int, int]:
    """One Prodigy record: (record, spans, relations)."""
    headline = f"Regional cooperation report {index:06d}"
    month, day = 1 + index % 12, 1 + (index // 12) % 28
    dateline = f"{rng.choice(PLACES)}, 2026-{month:02d}-{day:02d} (wire ref {index:07d})"
    text = "\n\n".join([headline, *rng.sample(pool, rng.randint(4, 10)), dateline])
    found = [
        (m.start(), m.end(), LABELS[sum(map(ord, m.group())) % len(LABELS)])
        for m in CANDIDATE.finditer(text)
    ]
    keep = sorted(rng.sample(found, min(len(found), rng.randint(*SPANS_PER_DOCUMENT))))
    spans = [{"start": s, "end": e, "label": lb} for s, e, lb in keep]
    relations = []
    if len(spans) >= 2:
        for _ in range(rng.randint(*RELATIONS_PER_DOCUMENT)):
            head, child = rng.sample(spans, 2)
            relations.append(
                {"head_span": head, "child_span": child, "label": rng.choice(RELATIONS)}
            )
    line = {
        "text": text,
        "spans": spans,
        "relations": relations,
        "meta": {"source": f"doc{index:06d}"},
    }
    return line, len(spans), len(relations)


def write_prodigy(path: Path, documents: int, seed: int = 20240917) -> tuple[int, int]:
    """A Prodigy JSONL file of `documents` documents; (spans, relations) written."""
    rng = random.Random(seed)
    pool = paragraph_pool()
    spans = relations = 0
    with path.open("w", encoding="utf-8") as fh:
        for index in range(documents):
            line, n_spans, n_rel = record(index, pool, rng)
            spans += n_spans
            relations += n_rel
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return spans, relations
