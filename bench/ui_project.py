"""The UI benchmark's project, made the way an analyst's is: an annotated JSONL imported,
its entities resolved, its facts written by the extraction's store path.

1. A Prodigy JSONL file of news documents (shuffled `seeds/*.txt` paragraphs, a generated
   figures sentence, a dated closing line) with spans (names, dates, money, percentages,
   numbers) and one MEETING relation per document, imported with `import_file` (the
   importer behind `factdesk import`);
2. `resolve(store)`: every mention joins a canonical entity;
3. `store.mentions.replace_proposals(..., facts=...)` per document, as extraction stores
   its results: dated MEETING facts, STATISTIC facts with a change in percent and a period,
   FUNDING facts with an amount (normalized values as the fact rules give them). The
   document's imported spans stay; the document counts as extracted.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from seed_text import paragraph_pool

from desktop.core.entities.resolve import resolve
from desktop.core.facts.candidates import ArgCandidate, FactCandidate
from desktop.core.facts.values_numbers import Value
from desktop.core.formats.imports import import_file
from desktop.core.store import Store

RANDOM_SEED = 20240917
LARGE_WORDS = 10_000
LARGE_MENTIONS = 1_500
KEEP_SPAN = 0.38  # share of the name/number candidates a typical document gets as spans
YEARLESS_SHARE = 0.03  # meeting dates written without a year ("--11-25")
STATISTIC_SHARE = 0.3
FUNDING_SHARE = 0.1
CAPS_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC")
PLACES = ("HANOI", "BEIJING", "NANNING", "DA NANG", "KUNMING", "HAI PHONG", "HAIKOU")
MEASURES = ("Trade", "Investment", "Tourism", "Freight", "Exports")
CURRENCY = ("USD", "CNY", "VND")
EXTRACTOR = "bench-rules.v1"
CANDIDATE = re.compile(
    r"\b\d[\d.,]*\d%?|\b\d%?|\b[A-Z][\w’'-]*(?: (?:of |and |the )?[A-Z][\w’'-]*)*"
)


@dataclass(frozen=True)
class Built:
    """What the import made: counts and the ids the measurements use."""

    documents: int
    mentions: int
    facts: int
    entities: int
    typical_id: int
    large_id: int
    large_words: int
    large_mentions: int
    large_nested: int
    import_s: float
    resolve_s: float
    facts_s: float


def label_of(found: str) -> str:
    """A plausible label for a candidate: numbers by shape, names by a stable hash."""
    if found[0].isdigit():
        if found.endswith("%"):
            return "PERCENT"
        return "DATE" if re.fullmatch(r"(19|20)\d\d", found) else "CARDINAL"
    return CAPS_LABELS[sum(map(ord, found)) % len(CAPS_LABELS)]


@dataclass
class Draft:
    """One document being written: its text, spans and facts."""

    text: str
    spans: list[tuple[int, int, str]]
    relation: tuple[tuple[int, int, str], tuple[int, int, str]] | None
    facts: list[FactCandidate]


def figures_sentence(
    rng: random.Random, year: int
) -> tuple[str, dict[str, tuple[int, int]], dict[str, str]]:
    """'Trade grew by 16.4% in 2023, and donors pledged 42 billion USD.' with its parts."""
    measure = rng.choice(MEASURES)
    change = f"{rng.randint(1, 39)}.{rng.randint(0, 9)}"
    billions = rng.randint(1, 90)
    currency = rng.choice(CURRENCY)
    head = f"{measure} grew by "
    percent = f"{change}%"
    middle = " in "
    period = str(year)
    tail = ", and donors pledged "
    money = f"{billions} billion {currency}"
    text = head + percent + middle + period + tail + money + "."
    at: dict[str, tuple[int, int]] = {"measure": (0, len(measure))}
    at["change"] = (len(head), len(head) + len(percent))
    at["period"] = (at["change"][1] + len(middle), at["change"][1] + len(middle) + len(period))
    start = at["period"][1] + len(tail)
    at["amount"] = (start, start + len(money))
    values = {"change": change, "year": period, "money": f"{billions * 10**9} {currency}"}
    return text, at, values


def draft(index: int, paragraphs: list[str], rng: random.Random, large: bool) -> Draft:
    """A document: headline, paragraphs, a figures sentence, the dateline; spans and facts."""
    year = rng.randint(2018, 2026)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    place = rng.choice(PLACES)
    headline = (
        "Collected coverage: Guangxi and Việt Nam"
        if large
        else f"Regional cooperation report {index:05d}"
    )
    figures, at, values = figures_sentence(rng, year)
    body = "\n\n".join([headline, *paragraphs])
    figures_start = len(body) + 2
    iso = f"{year}-{month:02d}-{day:02d}"
    closing = f"{place}, {iso} (wire ref {index:06d})"
    text = body + "\n\n" + figures + "\n\n" + closing
    date_start = len(text) - len(closing) + len(place) + 2
    date_span = (date_start, date_start + len(iso), "DATE")

    found = [(m.start(), m.end(), label_of(m.group())) for m in CANDIDATE.finditer(body)]
    kept = [s for s in found if rng.random() < KEEP_SPAN]
    spans = nested_spans(text, found) if large else kept
    fig = {k: (figures_start + s, figures_start + e) for k, (s, e) in at.items()}
    spans += [
        (*fig["change"], "PERCENT"),
        (*fig["period"], "DATE"),
        (*fig["amount"], "MONEY"),
        date_span,
    ]
    names = [s for s in spans if s[2] in ("PERSON", "ORG", "GPE")]
    relation = (names[0], names[1]) if len(names) >= 2 else None

    facts: list[FactCandidate] = []

    def arg(role: str, span: tuple[int, int], label: str | None, value: Value | None = None):
        return ArgCandidate(role, span[0], span[1], text[span[0] : span[1]], label, value)

    if len(names) >= 2:
        a, b = rng.sample(names[: min(len(names), 12)], 2)
        yearless = rng.random() < YEARLESS_SHARE
        date_value = Value("date", f"--{month:02d}-{day:02d}" if yearless else iso, {})
        evidence = (min(a[0], b[0]), len(text))
        facts.append(
            FactCandidate(
                "MEETING",
                *evidence,
                (
                    arg("participant", a[:2], a[2]),
                    arg("participant", b[:2], b[2]),
                    arg("date", date_span[:2], "DATE", date_value),
                ),
                EXTRACTOR,
                0.8,
            )
        )
    sentence = (figures_start, figures_start + len(figures))
    if rng.random() < STATISTIC_SHARE:
        change = Value(
            "change",
            f"+{values['change']}",
            {"value": float(values["change"]), "direction": "up", "unit": "percent"},
        )
        facts.append(
            FactCandidate(
                "STATISTIC",
                *sentence,
                (
                    arg("measure", fig["measure"], None),
                    arg("change", fig["change"], "PERCENT", change),
                    arg("period", fig["period"], "DATE", Value("date", values["year"], {})),
                ),
                EXTRACTOR,
                0.7,
            )
        )
    if rng.random() < FUNDING_SHARE and names:
        amount, currency = values["money"].split()
        money = Value("money", values["money"], {"amount": int(amount), "currency": currency})
        facts.append(
            FactCandidate(
                "FUNDING",
                *sentence,
                (
                    arg("donor", names[0][:2], names[0][2]),
                    arg("amount", fig["amount"], "MONEY", money),
                ),
                EXTRACTOR,
                0.6,
            )
        )
    spans = sorted(set(spans))
    return Draft(text, spans, relation, facts)


def nested_spans(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """About LARGE_MENTIONS spans over a long text, multi-word names with a nested first word."""
    spans: list[tuple[int, int, str]] = []
    for start, end, label in found:
        spans.append((start, end, label))
        first = text.find(" ", start, end)
        if first > 0:  # "Guangxi Zhuang Autonomous Region" holds "Guangxi"
            spans.append((start, first, "GPE"))
    target = LARGE_MENTIONS - 4  # the figures sentence and the dateline add four
    if len(spans) > target:
        step = len(spans) / target
        spans = [spans[int(i * step)] for i in range(target)]
    return spans


def nested_count(spans: list[tuple[int, int, str]]) -> int:
    """Spans that lie inside another span."""
    ordered = sorted((s, -e) for s, e, _label in spans)
    reach, nested = -1, 0
    for _start, neg_end in ordered:
        nested += -neg_end <= reach
        reach = max(reach, -neg_end)
    return nested


def drafts(documents: int) -> Iterator[Draft]:
    """`documents` drafts, the last one large; the same every run (fixed seed)."""
    rng = random.Random(RANDOM_SEED)
    pool = paragraph_pool()
    for index in range(1, documents):
        yield draft(index, rng.sample(pool, rng.randint(4, 10)), rng, large=False)
    paragraphs: list[str] = []
    words = 0
    while words < LARGE_WORDS:
        paragraphs.append(rng.choice(pool))
        words += len(paragraphs[-1].split())
    yield draft(documents, paragraphs, rng, large=True)


def jsonl_line(index: int, d: Draft) -> str:
    """The Prodigy JSONL line of a draft."""
    record: dict = {
        "text": d.text,
        "spans": [{"start": s, "end": e, "label": lb} for s, e, lb in d.spans],
        "meta": {"source": f"doc{index:05d}"},
    }
    if d.relation is not None:
        head, tail = d.relation
        record["relations"] = [
            {
                "head_span": {"start": head[0], "end": head[1], "label": head[2]},
                "child_span": {"start": tail[0], "end": tail[1], "label": tail[2]},
                "label": "MEETING",
            }
        ]
    return json.dumps(record, ensure_ascii=False)


def build(path: Path, documents: int, work: Path) -> Built:
    """Write the JSONL, import it into a new project at `path`, resolve, store the facts."""
    import time

    jsonl = work / "annotated.jsonl"
    facts_by_source: dict[str, list[FactCandidate]] = {}
    large_spans: list[tuple[int, int, str]] = []
    large_words = 0
    with jsonl.open("w", encoding="utf-8") as out:
        for index, d in enumerate(drafts(documents), start=1):
            out.write(jsonl_line(index, d) + "\n")
            facts_by_source[f"doc{index:05d}"] = d.facts
            if index == documents:
                large_spans, large_words = d.spans, len(d.text.split())
    with Store.open(path) as store:
        store.labels.ensure()
        started = time.perf_counter()
        report = import_file(store, "prodigy", jsonl)
        imported = time.perf_counter()
        resolve(store)
        resolved = time.perf_counter()
        ids = {info.source: info.id for info in store.documents.infos(report.document_ids)}
        run_id = store.runs.start("bench-rules", "1", "bench", ["facts"])
        for source, facts in facts_by_source.items():
            store.mentions.replace_proposals(ids[source], [], run_id, facts=facts)
        store.runs.finish(run_id, "done", len(ids), 0)
        written = time.perf_counter()
        stats = store.stats()
        entities = len(store.entities.list())
    return Built(
        documents=stats.documents,
        mentions=stats.mentions,
        facts=sum(store_fact_counts(path).values()),
        entities=entities,
        typical_id=ids["doc00001"],
        large_id=ids[f"doc{documents:05d}"],
        large_words=large_words,
        large_mentions=len(large_spans),
        large_nested=nested_count(large_spans),
        import_s=imported - started,
        resolve_s=resolved - imported,
        facts_s=written - resolved,
    )


def store_fact_counts(path: Path) -> dict[str, int]:
    """Facts by type, read with sqlite3."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        return dict(conn.execute("SELECT type, count(*) FROM fact GROUP BY type").fetchall())
