"""The genre corpus in bench/facts.py: dev and held-out parts of tests/data/genre/.

Each part is a folder of articles (`NAME.txt`), `gold.jsonl` (facts, the format of
tests/data/facts/gold.jsonl) and `entities.jsonl` (one `{"document", "text", "label"}` line per
gold entity). For each part this prints the figures bench/facts.py prints for the seeds, under
a `genre_dev_`, `genre_heldout_` or `genre_mine_` prefix (the last two are held-out parts:
only their figures are printed, never lines quoting them), plus entity recall, facts reported from
related-story zones, participants, parties, names, speakers, donors and recipients taken
from a dateline (`DATELINE` lines), STATEMENT speaker accuracy and a reliability table of
fact confidence.
A side-by-side table of every corpus closes the report.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import facts as base  # bench/facts.py, imported as a module (its helpers, not its main)

from desktop.core.ingest.decode import read_text
from desktop.core.ingest.metadata import detect_metadata
from desktop.core.ingest.zones import BOILERPLATE_ZONES, detect_zones

GENRE_DIR = base.ROOT / "tests" / "data" / "genre"
PARTS = (
    ("genre_dev", GENRE_DIR / "dev"),
    ("genre_heldout", GENRE_DIR / "heldout"),
    ("genre_mine", GENRE_DIR / "mine"),  # a second, smaller held-out written by a helper
)
# Parts that are only measured: their figures are printed, never their MISS, FALSE or
# ENTITY_MISS lines (which quote their articles), so that nobody tunes on them by accident.
MEASURED_ONLY = frozenset({"genre_heldout", "genre_mine"})
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "DATE", "MONEY", "PERCENT"}
)
RELATED = "related"
# Roles that name who or what took part: a dateline's place or agency is never one of them.
NAMING_ROLES = frozenset({"participant", "party", "name", "speaker", "donor", "recipient"})
BIN_EDGES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)  # confidence bins of the reliability table


@dataclass
class Part:
    """One part of the corpus as loaded: documents, gold facts and entities, problems."""

    name: str
    folder: Path
    docs: dict[str, base.Document] = field(default_factory=dict)
    gold: list[base.Fact] = field(default_factory=list)
    entities: list[dict[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    zone_disagreements: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """What one run over a part gives: scores and the extra figures."""

    scores: Any
    speaker_right: int = 0
    speaker_seen: int = 0
    related_reported: list[Any] = field(default_factory=list)
    related_dropped: int = 0
    entity_found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    entity_total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    entity_misses: list[str] = field(default_factory=list)
    reliability: list[tuple[float, bool]] = field(default_factory=list)
    dateline_arguments: list[str] = field(default_factory=list)


# --- loading ------------------------------------------------------------------------------


def available_parts() -> list[tuple[str, Path]]:
    """The parts whose folder holds a gold file."""
    return [(name, folder) for name, folder in PARTS if (folder / "gold.jsonl").is_file()]


def read_jsonl(path: Path, problems: list[str]) -> list[dict[str, Any]]:
    """The JSON objects of a file, one a line; a line that is not one becomes a problem."""
    records = []
    if not path.is_file():
        return records
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path.name} line {number}: not JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            problems.append(f"{path.name} line {number}: not a JSON object")
            continue
        records.append(record)
    return records


def load_document(folder: Path, name: str) -> base.Document:
    """An article of the part, read as ingest reads it."""
    text, _encoding = read_text(folder / f"{name}.txt")
    zones = detect_zones(text)
    published = detect_metadata(text, zones).published
    return base.Document(name, text, zones, published, [z.start for z in zones])


def record_problems(record: dict[str, Any]) -> list[str]:
    """Structural problems of a gold fact line (keys and their types)."""
    needed = {"document": str, "type": str, "arguments": dict, "values": dict}
    needed |= {"evidence": str, "zone": str}
    problems = [
        f"missing or wrong {key}"
        for key, kind in needed.items()
        if not isinstance(record.get(key), kind)
    ]
    if problems:
        return problems
    for role, texts in record["arguments"].items():
        if not isinstance(texts, list) or not all(isinstance(t, str) and t for t in texts):
            problems.append(f"role {role} is not a list of texts")
    return problems


def locate_any_zone(doc: base.Document, record: dict[str, Any]) -> tuple[int, int] | None:
    """Where a gold evidence is: in its zone if the zone detector agrees, else anywhere."""
    found = base.locate(doc, record["evidence"], record["zone"])
    if found is not None:
        return found
    start = doc.text.find(record["evidence"])
    return None if start < 0 else (start, start + len(record["evidence"]))


def load_part(name: str, folder: Path) -> Part:
    """Read a part: articles, gold facts and entities, with every problem found."""
    part = Part(name, folder)
    for record_line, record in enumerate(read_jsonl(folder / "gold.jsonl", part.problems), 1):
        where = f"{name} gold line {record_line}"
        structural = record_problems(record)
        if structural:
            part.problems += [f"{where}: {p}" for p in structural]
            continue
        doc = document(part, record["document"], where)
        if doc is None:
            continue
        found = [p for p in base.gold_problems(record, doc) if "evidence not found" not in p]
        span = locate_any_zone(doc, record)
        if span is None:
            found.append("evidence not found verbatim in the article")
        elif base.locate(doc, record["evidence"], record["zone"]) is None:
            kind = doc.zone_at(span[0])
            kind = kind if kind in BOILERPLATE_ZONES else base.BODY
            part.zone_disagreements.append(
                f"{where} ({record['document']} {record['type']}): gold zone {record['zone']}, "
                f"detected {kind}"
            )
        part.problems += [f"{where} ({record['document']} {record['type']}): {p}" for p in found]
        if not found and span is not None:
            fact = base.gold_fact(record, doc)
            fact.start, fact.end = span
            part.gold.append(fact)
    for line, entity in enumerate(read_jsonl(folder / "entities.jsonl", part.problems), 1):
        where = f"{name} entities line {line}"
        if not all(isinstance(entity.get(k), str) for k in ("document", "text", "label")):
            part.problems.append(f"{where}: needs document, text and label")
            continue
        doc = document(part, entity["document"], where)
        if doc is None:
            continue
        if entity["label"] not in ENTITY_LABELS:
            part.problems.append(f"{where}: unknown label {entity['label']}")
        elif entity["text"] not in doc.text:
            part.problems.append(f"{where}: {entity['text']!r} not in {entity['document']}")
        else:
            part.entities.append(entity)
    return part


def document(part: Part, name: str, where: str) -> base.Document | None:
    """A document of the part, loaded once; a missing file is a problem."""
    if name not in part.docs:
        if not (part.folder / f"{name}.txt").is_file():
            part.problems.append(f"{where}: no article {name}.txt in {part.folder}")
            return None
        part.docs[name] = load_document(part.folder, name)
    return part.docs[name]


# --- running ------------------------------------------------------------------------------


def related_spans(part: Part, doc: base.Document) -> list[tuple[int, int]]:
    """Related-story text of a document: detected related zones and gold related evidence."""
    spans = [(z.start, z.end) for z in doc.zones if z.kind == RELATED]
    spans += [(f.start, f.end) for f in part.gold if f.document == doc.name and f.zone == RELATED]
    return spans


def predict(parts: list[Part], outcomes: dict[str, Outcome]) -> dict[str, list[base.Fact]]:
    """Run the pipeline and the fact rules once over every document of every part.

    Facts are kept as extraction keeps them (bench/facts.py `kept`); entities are
    compared with the gold entities on the way."""
    pipeline, extract_facts = base.load_extractor()
    predicted: dict[str, list[base.Fact]] = {}
    for part in parts:
        outcome, facts = outcomes[part.name], []
        for name, doc in part.docs.items():
            spacy_doc = pipeline.nlp(doc.text)
            found, dropped = base.kept(extract_facts(spacy_doc, doc.published), doc)
            outcome.related_dropped += dropped
            facts += [base.candidate_fact(name, candidate, doc) for candidate in found]
            found = {(" ".join(base.tokens(e.text)), e.label_) for e in spacy_doc.ents}
            score_entities(part, name, found, outcome)
        predicted[part.name] = facts
    return predicted


def score_entities(part: Part, name: str, found: set[tuple[str, str]], outcome: Outcome) -> None:
    """Count the gold entities of one document that a predicted mention names."""
    for entity in part.entities:
        if entity["document"] != name:
            continue
        label = entity["label"]
        outcome.entity_total[label] += 1
        if (" ".join(base.tokens(entity["text"])), label) in found:
            outcome.entity_found[label] += 1
        else:
            outcome.entity_misses.append(f"{name} {label} {entity['text']}")


def self_entities(part: Part, outcome: Outcome) -> None:
    """Self-check: every gold entity as its own prediction, in upper case."""
    for name in part.docs:
        found = {
            (" ".join(base.tokens(e["text"].upper())), e["label"])
            for e in part.entities
            if e["document"] == name
        }
        score_entities(part, name, found, outcome)


def evaluate(part: Part, predicted: list[base.Fact], outcome: Outcome) -> None:
    """Scores, speaker accuracy, related-zone facts and reliability for one part."""
    outcome.scores = base.compare(part.docs, part.gold, predicted)
    body_preds = [p for p in predicted if p.zone == base.BODY]
    for gold in part.gold:
        if gold.type != base.STATEMENT or gold.zone != base.BODY:
            continue
        near = [p for p in body_preds if p.type == base.STATEMENT and base.overlaps(p, gold)]
        near = [p for p in near if p.document == gold.document]
        if near:
            outcome.speaker_seen += 1
            outcome.speaker_right += any(base.role_agrees(p, gold, "speaker") for p in near)
    for pred in predicted:
        spans = related_spans(part, part.docs[pred.document])
        if any(s < pred.end and pred.start < e for s, e in spans):
            outcome.related_reported.append(pred)
    outcome.reliability = reliability_pairs(outcome.scores, predicted)
    outcome.dateline_arguments = dateline_arguments(part, predicted)


def dateline_arguments(part: Part, predicted: list[base.Fact]) -> list[str]:
    """Predicted participants, parties, names, speakers, donors and recipients taken from a
    dateline zone ("BANDAR SERI BEGAWAN" as a meeting participant), one line each."""
    found = []
    for pred in predicted:
        zones = part.docs[pred.document].zones
        datelines = [(z.start, z.end) for z in zones if z.kind == "dateline"]
        for role in sorted(NAMING_ROLES & pred.args.keys()):
            for arg in pred.args[role]:
                if arg.start is None or arg.end is None:
                    continue
                if any(s < arg.end and arg.start < e for s, e in datelines):
                    found.append(f"{pred.type} {pred.document}@{arg.start} {role}={arg.text}")
    return found


def reliability_pairs(scores: Any, predicted: list[base.Fact]) -> list[tuple[float, bool]]:
    """(confidence, matched a gold fact) for every predicted article fact with a confidence."""
    false_ids = {id(p) for p, _dup in scores.false}
    return [
        (float(p.confidence), id(p) not in false_ids)
        for p in predicted
        if p.zone == base.BODY and p.confidence is not None
    ]


# --- report -------------------------------------------------------------------------------


def emit_part(part: Part, outcome: Outcome, show_lines: bool) -> None:
    """Print a part's figures under its prefix, then its misses and false facts."""
    p, emit, scores = part.name + "_", base.emit, outcome.scores
    quote = part.name not in MEASURED_ONLY  # a held-out part's lines are never printed
    emit(p + "documents", len(part.docs))
    emit(p + "gold_facts", sum(f.zone == base.BODY for f in part.gold))
    emit(p + "gold_boilerplate_facts", sum(f.zone != base.BODY for f in part.gold))
    emit(p + "gold_entities", len(part.entities))
    emit(p + "gold_problems", len(part.problems))
    for problem in part.problems if quote else ():
        print(f"GOLD {problem}")
    emit(p + "gold_zone_disagreements", len(part.zone_disagreements))
    for note in part.zone_disagreements if quote else ():
        print(f"ZONE {note}")
    for kind in base.ROLES:
        emit(f"{p}precision_{kind}", base.ratio(scores.matched[kind], scores.predicted[kind]))
        emit(f"{p}recall_{kind}", base.ratio(scores.matched[kind], scores.gold[kind]))
    for suffix, kinds in (("", base.FACT_TYPES), ("_with_statements", tuple(base.ROLES))):
        matched = base.totals(scores.matched, kinds)
        emit(f"{p}precision{suffix}", base.ratio(matched, base.totals(scores.predicted, kinds)))
        emit(f"{p}recall{suffix}", base.ratio(matched, base.totals(scores.gold, kinds)))
    correct, total = (
        base.totals(scores.arg_correct, base.ROLES),
        base.totals(scores.arg_total, base.ROLES),
    )
    emit(p + "argument_accuracy_with_statements", base.ratio(correct, total))
    emit(p + "statement_speaker_accuracy", base.ratio(outcome.speaker_right, outcome.speaker_seen))
    emit(p + "boilerplate_leaks", len(scores.leaks))
    emit(p + "related_zone_facts", len(outcome.related_reported))
    emit(p + "related_zone_facts_dropped", outcome.related_dropped)
    emit(p + "dateline_arguments", len(outcome.dateline_arguments))
    found, total = sum(outcome.entity_found.values()), sum(outcome.entity_total.values())
    emit(p + "entity_recall", base.ratio(found, total))
    for label in sorted(outcome.entity_total):
        emit(
            f"{p}entity_recall_{label}",
            base.ratio(outcome.entity_found[label], outcome.entity_total[label]),
        )
    emit(p + "misses", len(scores.misses))
    emit(p + "false_facts", len(scores.false))
    print_reliability(part.name, outcome.reliability)
    if not (show_lines and quote):
        return
    for fact in scores.misses:
        print(f"MISS {base.describe(fact)}")
    for fact, duplicate in scores.false:
        print(f"FALSE {base.describe(fact)}" + ("  (duplicate of a matched fact)" * duplicate))
    for fact in scores.leaks:
        print(f"LEAK {base.describe(fact)}")
    for fact in outcome.related_reported:
        print(f"RELATED {base.describe(fact)}")
    for line in outcome.dateline_arguments:
        print(f"DATELINE {line}")
    for miss in outcome.entity_misses:
        print(f"ENTITY_MISS {miss}")


def print_reliability(name: str, pairs: list[tuple[float, bool]]) -> None:
    """Confidence bins of a corpus's article facts against the share of them that is right."""
    print(f"RELIABILITY {name}: confidence bin | facts | correct | fraction correct")
    for low, high in itertools.pairwise(BIN_EDGES):
        inside = [ok for c, ok in pairs if low <= c < high]
        shown_high = min(high, 1.0)
        print(
            f"RELIABILITY {name} [{low:.1f}, {shown_high:.1f}{']' if high > 1 else ')'}"
            f" | {len(inside)} | {sum(inside)} | {base.ratio(sum(inside), len(inside))}"
        )


def print_side_by_side(columns: list[tuple[str, Any, Outcome | None]]) -> None:
    """Precision and recall per type, one column pair per corpus, on `TABLE` lines."""
    header = " | ".join(f"{name} P  R" for name, _s, _o in columns)
    print(f"TABLE type | {header}")
    rows = [(kind, (kind,)) for kind in base.ROLES] + [("all_but_STATEMENT", base.FACT_TYPES)]
    for label, kinds in rows:
        cells = []
        for _name, scores, _outcome in columns:
            matched = base.totals(scores.matched, kinds)
            precision = base.ratio(matched, base.totals(scores.predicted, kinds))
            recall = base.ratio(matched, base.totals(scores.gold, kinds))
            cells.append(f"{precision} {recall}")
        print(f"TABLE {label} | " + " | ".join(cells))
    extras = (
        ("statement_speaker", lambda o: base.ratio(o.speaker_right, o.speaker_seen)),
        (
            "entity_recall",
            lambda o: base.ratio(sum(o.entity_found.values()), sum(o.entity_total.values())),
        ),
        ("related_zone_facts", lambda o: str(len(o.related_reported))),
    )
    for label, figure in extras:
        cells = [figure(o) if o is not None else "-" for _n, _s, o in columns]
        print(f"TABLE {label} | " + " | ".join(cells))


def self_check_part(part: Part, outcome: Outcome) -> bool:
    """The probes of bench/facts.py on one part; True when they all pass."""
    scores = outcome.scores
    boilerplate = sum(f.zone != base.BODY for f in part.gold)
    leaks = len(base.compare(part.docs, part.gold, base.leak_probe(part.gold)).leaks)
    elsewhere = base.compare(part.docs, part.gold, base.moved(part.gold))
    moved_precision = base.totals(elsewhere.matched, base.ROLES) / max(
        1, base.totals(elsewhere.predicted, base.ROLES)
    )
    entities_ok = sum(outcome.entity_found.values()) == sum(outcome.entity_total.values())
    p = part.name + "_"
    base.emit(p + "self_check_leak_probe", f"{leaks}/{boilerplate} boilerplate facts caught")
    base.emit(p + "self_check_moved_precision", f"{moved_precision:.2f}")
    perfect = not (scores.misses or scores.false or scores.leaks or part.problems)
    ok = perfect and entities_ok and leaks == boilerplate
    ok = ok and (len(part.docs) < 2 or moved_precision < base.MOVED_PRECISION_LIMIT)
    base.emit(p + "self_check", "ok" if ok else "FAILED")
    return ok


def run(
    self_check: bool,
    seeds: tuple[str, Any, list] | None,
    show_lines: bool = True,
    only: tuple[str, ...] | None = None,
) -> bool:
    """Load every part with gold (or only the named ones), score it and print; returns
    whether the self-check passed."""
    chosen = [(n, f) for n, f in available_parts() if only is None or n in only]
    parts = [load_part(name, folder) for name, folder in chosen]
    outcomes = {part.name: Outcome(scores=None) for part in parts}
    if self_check:
        predicted = {part.name: base.self_predictions(part.gold) for part in parts}
        for part in parts:
            self_entities(part, outcomes[part.name])
    else:
        predicted = predict(parts, outcomes) if parts else {}
    ok = True
    for part in parts:
        evaluate(part, predicted[part.name], outcomes[part.name])
        emit_part(part, outcomes[part.name], show_lines)
        if self_check:
            ok = self_check_part(part, outcomes[part.name]) and ok
    columns: list[tuple[str, Any, Outcome | None]] = []
    if seeds is not None:
        name, scores, seed_predictions = seeds
        print_reliability(name, reliability_pairs(scores, seed_predictions))
        columns.append((name, scores, None))
    columns += [(part.name, outcomes[part.name].scores, outcomes[part.name]) for part in parts]
    if columns:
        print_side_by_side(columns)
    return ok
