"""Benchmark: fact extraction against the hand-annotated gold set in tests/data/facts/.

Run with `.venv/bin/python bench/facts.py [--quick] [--self-check]`; prints `name: value` lines,
then one line per missed gold fact and per false fact. Benchmarks never assert: the exit code
is 0 whatever the figures (it is 1 only when the extractor cannot be imported at all).
`--self-check` needs no extractor: it matches the gold file against a disguised copy of
itself (case, diacritics, "the", "'s" changed) and must print 1.00 everywhere.

The seeds and old articles come first, with the figure names they always had; then each part
of the genre corpus in tests/data/genre/ (see bench/facts_corpora.py) under its prefix, and a
side-by-side table. `--corpus` limits the run to one of them.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from figures import emit  # noqa: E402

from desktop.core.folding import fold  # noqa: E402
from desktop.core.ingest.decode import read_text  # noqa: E402
from desktop.core.ingest.metadata import detect_metadata  # noqa: E402
from desktop.core.ingest.zones import BOILERPLATE_ZONES, ZoneSpan, detect_zones  # noqa: E402

SEEDS_DIR = ROOT / "seeds"
DATA_DIR = ROOT / "tests" / "data" / "facts"
ARTICLES_DIR = DATA_DIR / "articles"
GOLD_PATH = DATA_DIR / "gold.jsonl"

ROLES: dict[str, tuple[str, ...]] = {
    "ROLE": ("person", "title", "organization"),
    "MEETING": ("participant", "place", "date"),
    "AGREEMENT": ("party", "count", "subject", "date"),
    "STATISTIC": ("measure", "value", "period", "change"),
    "EVENT": ("name", "place", "date", "organizer"),
    "FUNDING": ("donor", "recipient", "amount", "purpose"),
    "STATEMENT": ("speaker", "content"),
}
STATEMENT = "STATEMENT"
FACT_TYPES = tuple(t for t in ROLES if t != STATEMENT)  # the headline figures leave STATEMENT out
SHOWN_ROLES: dict[str, tuple[str, ...]] = {  # key arguments printed for misses and false facts
    "ROLE": ("person", "title"),
    "MEETING": ("participant",),
    "AGREEMENT": ("party", "count", "subject"),
    "STATISTIC": ("measure", "value"),
    "EVENT": ("name",),
    "FUNDING": ("amount", "donor"),
    "STATEMENT": ("speaker",),
}
MOVED_PRECISION_LIMIT = 0.1  # self-check: gold facts moved to another document rarely match
BODY = "body"  # gold zone of article facts; boilerplate facts carry their zone kind
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+")
_VALUE_RE = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*(%|[A-Za-z]{1,4})?")


@dataclass(frozen=True)
class Arg:
    """One argument: its text, normalized value and offsets (when known)."""

    text: str
    value: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Fact:
    """A gold or predicted fact in one document."""

    document: str
    type: str
    args: dict[str, tuple[Arg, ...]]
    start: int
    end: int
    zone: str = BODY
    confidence: float | None = None  # the extractor's, for predictions

    def texts(self, role: str) -> list[str]:
        """Argument texts of one role."""
        return [a.text for a in self.args.get(role, ())]

    def values(self, role: str) -> list[str]:
        """Normalized values of one role."""
        return [a.value for a in self.args.get(role, ()) if a.value]


@dataclass
class Document:
    """An article: its text, zones and publication date."""

    name: str
    text: str
    zones: list[ZoneSpan]
    published: str | None
    zone_starts: list[int] = field(default_factory=list)

    def zone_at(self, offset: int) -> str:
        """Kind of the zone holding a character offset."""
        index = bisect.bisect_right(self.zone_starts, offset) - 1
        return self.zones[index].kind if index >= 0 else BODY

    def in_boilerplate(self, start: int, end: int) -> bool:
        """Tell whether a span overlaps a boilerplate zone."""
        return any(
            z.kind in BOILERPLATE_ZONES and z.start < end and start < z.end for z in self.zones
        )


@dataclass
class Scores:
    """Counts gathered over all documents."""

    gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    predicted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    matched: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    arg_total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    arg_correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    set_aside: int = 0
    leaks: list[Fact] = field(default_factory=list)
    duplicates: int = 0
    misses: list[Fact] = field(default_factory=list)
    false: list[tuple[Fact, bool]] = field(default_factory=list)


# --- loading ------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="same as the default (it is fast)")
    parser.add_argument(
        "--self-check", action="store_true", help="match the gold file against itself"
    )
    parser.add_argument(
        "--corpus",
        choices=("all", "seeds", "genre", "dev"),
        default="all",
        help=(
            "the seeds and old articles, the genre corpus (dev and held-out), all, or"
            " dev: the seeds and the dev part only (for tuning: the held-out part stays unseen)"
        ),
    )
    return parser.parse_args(argv)


def source_path(name: str) -> Path:
    """The text file of a gold document: a seed or one of our articles."""
    for folder in (SEEDS_DIR, ARTICLES_DIR):
        path = folder / f"{name}.txt"
        if path.exists():
            return path
    raise FileNotFoundError(f"no article {name}.txt in {SEEDS_DIR} or {ARTICLES_DIR}")


def load_document(name: str) -> Document:
    """Read an article as ingest does, with its zones and publication date."""
    text, _encoding = read_text(source_path(name))
    zones = detect_zones(text)
    published = detect_metadata(text, zones).published
    return Document(name, text, zones, published, [z.start for z in zones])


def read_gold(path: Path = GOLD_PATH) -> list[dict[str, Any]]:
    """The gold records, one JSON object a line."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def locate(doc: Document, evidence: str, zone: str) -> tuple[int, int] | None:
    """Offsets of the first occurrence of an evidence text in the wanted zone."""
    start = doc.text.find(evidence)
    while start != -1:
        kind = doc.zone_at(start)
        boilerplate = kind in BOILERPLATE_ZONES
        if (zone == BODY and not boilerplate) or kind == zone:
            return start, start + len(evidence)
        start = doc.text.find(evidence, start + 1)
    return None


def gold_problems(record: dict[str, Any], doc: Document) -> list[str]:
    """What is wrong with one gold record (empty when it is well-formed)."""
    roles = ROLES.get(record["type"])
    if roles is None:
        return [f"unknown type {record['type']}"]
    problems = [f"unknown role {r}" for r in record["arguments"] if r not in roles]
    problems += [
        f"value without argument {r}" for r in record["values"] if r not in record["arguments"]
    ]
    for role, texts in record["arguments"].items():
        problems += [f"{role} {t!r} not in the article" for t in texts if t not in doc.text]
    if record["zone"] != BODY and record["zone"] not in BOILERPLATE_ZONES:
        problems.append(f"unknown zone {record['zone']}")
    if locate(doc, record["evidence"], record["zone"]) is None:
        problems.append(f"evidence not found verbatim in a {record['zone']} zone")
    return problems


def gold_fact(record: dict[str, Any], doc: Document) -> Fact:
    """A gold record as a Fact; a role's normalized value goes on its first argument."""
    args = {}
    for role, texts in record["arguments"].items():
        value = record["values"].get(role)
        args[role] = tuple(Arg(t, value if i == 0 else None) for i, t in enumerate(texts))
    start, end = locate(doc, record["evidence"], record["zone"]) or (-1, -1)
    return Fact(record["document"], record["type"], args, start, end, record["zone"])


def load_gold(records: list[dict[str, Any]]) -> tuple[dict[str, Document], list[Fact], list[str]]:
    """Documents, gold facts, and problems found in the gold file."""
    docs: dict[str, Document] = {}
    facts, problems = [], []
    for line, record in enumerate(records, 1):
        name = record["document"]
        if name not in docs:
            docs[name] = load_document(name)
        found = gold_problems(record, docs[name])
        problems += [f"gold line {line} ({name} {record['type']}): {p}" for p in found]
        if not found:
            facts.append(gold_fact(record, docs[name]))
    return docs, facts, problems


# --- predictions --------------------------------------------------------------------------


def load_extractor(raw: bool = False) -> tuple[Any, Callable[..., list[Any]]]:
    """The spaCy pipeline with the parser and `extract_facts` (its confidences calibrated as
    extraction calibrates them, unless `raw`); exits with a message if missing."""
    pipeline, extract_facts = _load_extractor()
    if raw:
        return pipeline, extract_facts
    from desktop.core.facts.calibration import calibrated

    def calibrated_facts(doc: Any, published: str | None) -> list[Any]:
        return [calibrated(f) for f in extract_facts(doc, published)]

    return pipeline, calibrated_facts


def _load_extractor() -> tuple[Any, Callable[..., list[Any]]]:
    """The spaCy pipeline with the parser and `extract_facts`; exits with a message if missing."""
    try:
        from desktop.core.facts.extract import extract_facts
        from desktop.core.nlp.pipeline import load_pipeline
    except ImportError as exc:
        sys.exit(
            f"bench/facts.py: the fact extractor is not importable yet ({exc}).\n"
            "Expected desktop.core.facts.extract.extract_facts(doc, published); "
            "`--self-check` tests this benchmark on the gold file without it."
        )
    return load_pipeline(exclude=()), extract_facts


def candidate_fact(name: str, candidate: Any, doc: Document) -> Fact:
    """A FactCandidate as a Fact, with the zone where its evidence starts."""
    args: dict[str, list[Arg]] = defaultdict(list)
    for arg in candidate.arguments:
        value = getattr(arg.value, "text", None) if arg.value is not None else None
        args[arg.role].append(Arg(arg.text, value, arg.start, arg.end))
    start, end = candidate.evidence_start, candidate.evidence_end
    zone = doc.zone_at(start)
    return Fact(
        name,
        candidate.type,
        {role: tuple(found) for role, found in args.items()},
        start,
        end,
        zone if zone in BOILERPLATE_ZONES else BODY,
        getattr(candidate, "confidence", None),
    )


RELATED_DROPPED = [0]  # facts the rules found in related-story zones, which extraction drops


def kept(candidates: Iterable[Any], doc: Document) -> tuple[list[Any], int]:
    """What extraction keeps of a document's candidates, as desktop/core/nlp/extract.py
    keeps it (no fact from a related-story zone, no argument from a dateline, no headline
    fact the body tells), and how many touched a related zone."""
    from desktop.core.nlp import extract

    def spans(kinds: tuple[str, ...]) -> list[tuple[int, int]]:
        return [(z.start, z.end) for z in doc.zones if z.kind in kinds]

    return extract.zone_filtered(
        candidates,
        spans(extract.NO_FACT_ZONES),
        spans(extract.NO_ARGUMENT_ZONES),
        spans(extract.RESTATING_ZONES),
    )


def predict(docs: dict[str, Document]) -> list[Fact]:
    """Run the extractor over every document, leaving out what extraction leaves out."""
    pipeline, extract_facts = load_extractor()
    facts = []
    for name, doc in docs.items():
        spacy_doc = pipeline.nlp(doc.text)
        found, dropped = kept(extract_facts(spacy_doc, doc.published), doc)
        RELATED_DROPPED[0] += dropped
        facts += [candidate_fact(name, candidate, doc) for candidate in found]
    return facts


def disguise(text: str) -> str:
    """The same argument as another writer might give it: "The " + upper-case ASCII + "'s"."""
    return f"The {fold(text).upper()}'s"


def self_predictions(gold: list[Fact]) -> list[Fact]:
    """Gold facts (boilerplate ones included) as predictions with disguised argument texts."""
    return [
        replace(
            fact,
            args={
                role: tuple(replace(a, text=disguise(a.text)) for a in found)
                for role, found in fact.args.items()
            },
        )
        for fact in gold
    ]


def leak_probe(gold: list[Fact]) -> list[Fact]:
    """Disguised gold, with the boilerplate facts claimed as article facts (all must leak)."""
    return [replace(f, zone=BODY) for f in self_predictions(gold)]


def moved(gold: list[Fact]) -> list[Fact]:
    """Article gold facts claimed for the next document (almost none may match there)."""
    names = sorted({f.document for f in gold})
    following = dict(zip(names, names[1:] + names[:1], strict=True))
    return [replace(f, document=following[f.document]) for f in gold if f.zone == BODY]


# --- comparison ---------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Folded word tokens: case and diacritics folded, leading "the" and trailing "'s" dropped."""
    folded = re.sub(r"'s$", "", fold(text).strip().rstrip(".,;:"))
    found = _TOKEN_RE.findall(folded)
    return found[1:] if found[:1] == ["the"] and len(found) > 1 else found


def contains(outer: list[str], inner: list[str]) -> bool:
    """Tell whether `inner` is a non-empty contiguous run of `outer`."""
    n = len(inner)
    return n > 0 and any(outer[i : i + n] == inner for i in range(len(outer) - n + 1))


def as_number(text: str) -> float | None:
    """A bare count such as "12", "1,624" or "three" as a number, else None."""
    found = tokens(text)
    if len(found) != 1:
        return None
    word = found[0]
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    return float(word.replace(",", "")) if re.fullmatch(r"\d+(?:,\d{3})*(?:\.\d+)?", word) else None


def text_match(predicted: str, gold: str) -> bool:
    """Folded texts agree when either contains the other (or both are the same count)."""
    a, b = tokens(predicted), tokens(gold)
    if contains(a, b) or contains(b, a):
        return True
    x, y = as_number(predicted), as_number(gold)
    return x is not None and x == y


def value_match(predicted: str, gold: str) -> bool:
    """Normalized values agree: same number and unit, or the same date ("--11-25" any year)."""
    predicted, gold = predicted.strip(), gold.strip()
    if predicted == gold or (gold.startswith("--") and predicted.endswith(gold[1:])):
        return True
    a, b = _VALUE_RE.fullmatch(predicted), _VALUE_RE.fullmatch(gold)
    if a is None or b is None or "-" in gold[1:] or "-" in predicted[1:]:
        return False
    units = ((a[2] or "").replace("%", "").upper(), (b[2] or "").replace("%", "").upper())
    return units[0] == units[1] and math.isclose(float(a[1]), float(b[1]), rel_tol=1e-9)


def role_agrees(pred: Fact, gold: Fact, role: str, pred_role: str | None = None) -> bool:
    """Some gold argument of a role is matched: by normalized value if both have one, else text."""
    pred_role = pred_role or role
    gold_values, pred_values = gold.values(role), pred.values(pred_role)
    if gold_values and pred_values:
        return any(value_match(p, g) for p in pred_values for g in gold_values)
    return any(text_match(p, g) for p in pred.texts(pred_role) for g in gold.texts(role))


def participants_matched(pred: Fact, gold: Fact, role: str = "participant") -> int:
    """How many gold participants (or arguments of another role) some predicted one names."""
    found = pred.texts(role)
    return sum(any(text_match(p, g) for p in found) for g in gold.texts(role))


def parties_matched(pred: Fact, gold: Fact) -> int:
    """How many gold agreement parties some predicted party names."""
    return participants_matched(pred, gold, "party")


def overlaps(a: Fact, b: Fact) -> bool:
    """Tell whether two facts' evidence spans overlap."""
    return a.start < b.end and b.start < a.end


def key_match(pred: Fact, gold: Fact) -> bool:
    """Tell whether a prediction states the gold fact (same document and type, key arguments)."""
    if pred.document != gold.document or pred.type != gold.type:
        return False
    kind = gold.type
    if kind == "ROLE":
        return role_agrees(pred, gold, "person") and role_agrees(pred, gold, "title")
    if kind == "MEETING":
        return participants_matched(pred, gold) >= min(2, max(1, len(gold.texts("participant"))))
    if kind == "AGREEMENT":
        if not gold.texts("count") and not gold.texts("subject"):
            # A signing known only by its signatories: the parties are its key, as the
            # participants are a meeting's (with no argument at all, the evidence).
            wanted = min(2, len(gold.texts("party")))
            return parties_matched(pred, gold) >= wanted if wanted else overlaps(pred, gold)
        core = role_agrees(pred, gold, "count") or role_agrees(pred, gold, "subject")
        return core and (not gold.texts("party") or role_agrees(pred, gold, "party"))
    if kind == "STATISTIC":
        return role_agrees(pred, gold, "value", "value" if pred.texts("value") else "change")
    if kind == "EVENT":
        return role_agrees(pred, gold, "name")
    if kind == "FUNDING":
        return role_agrees(pred, gold, "amount")
    if kind == STATEMENT:
        return role_agrees(pred, gold, "speaker") and overlaps(pred, gold)
    return False


def argument_hits(pred: Fact, gold: Fact) -> tuple[int, int]:
    """(correct, total) over the gold argument texts and normalized values of a matched pair."""
    correct = total = 0
    for role, found in gold.args.items():
        for arg in found:
            total += 1
            correct += any(text_match(p, arg.text) for p in pred.texts(role))
            if arg.value:
                total += 1
                correct += any(value_match(p, arg.value) for p in pred.values(role))
    return correct, total


def greedy_pairs(golds: list[Fact], preds: list[Fact]) -> list[tuple[Fact, Fact]]:
    """One-to-one matching, best-agreeing pairs first, then nearest evidence."""
    scored = []
    for gi, gold in enumerate(golds):
        for pi, pred in enumerate(preds):
            if key_match(pred, gold):
                score = argument_hits(pred, gold)[0] + 2 * overlaps(pred, gold)
                scored.append((-score, abs(pred.start - gold.start), gi, pi))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _score, _distance, gi, pi in sorted(scored):
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((golds[gi], preds[pi]))
    return pairs


def args_in_boilerplate(pred: Fact, doc: Document) -> bool:
    """Tell whether some argument span of a fact lies in a boilerplate zone."""
    spans = [(a.start, a.end) for found in pred.args.values() for a in found]
    return any(s is not None and e is not None and doc.in_boilerplate(s, e) for s, e in spans)


def score_group(golds: list[Fact], preds: list[Fact], doc: Document, scores: Scores) -> None:
    """Match one document's facts of one type and add the counts."""
    article_gold = [g for g in golds if g.zone == BODY]
    boilerplate_gold = [g for g in golds if g.zone != BODY]
    article_preds = [p for p in preds if p.zone == BODY]
    scores.set_aside += len(preds) - len(article_preds)
    kind = (golds or preds)[0].type
    scores.gold[kind] += len(article_gold)
    scores.predicted[kind] += len(article_preds)
    pairs = greedy_pairs(article_gold, article_preds)
    scores.matched[kind] += len(pairs)
    for gold, pred in pairs:
        correct, total = argument_hits(pred, gold)
        scores.arg_correct[kind] += correct
        scores.arg_total[kind] += total
    matched_gold = [g for g, _ in pairs]
    matched_pred = {id(p) for _, p in pairs}
    scores.misses += [g for g in article_gold if all(g is not m for m in matched_gold)]
    for pred in article_preds:
        matched = id(pred) in matched_pred
        from_boilerplate = not matched and any(key_match(pred, g) for g in boilerplate_gold)
        if from_boilerplate or args_in_boilerplate(pred, doc):
            scores.leaks.append(pred)
        if not matched:
            duplicate = any(key_match(pred, g) for g in matched_gold)
            scores.duplicates += duplicate
            scores.false.append((pred, duplicate))


def compare(docs: dict[str, Document], gold: list[Fact], predicted: list[Fact]) -> Scores:
    """Score predictions against gold, document by document and type by type."""
    groups: dict[tuple[str, str], tuple[list[Fact], list[Fact]]] = defaultdict(lambda: ([], []))
    for fact in gold:
        groups[fact.document, fact.type][0].append(fact)
    for fact in predicted:
        groups[fact.document, fact.type][1].append(fact)
    scores = Scores()
    for (name, _kind), (golds, preds) in sorted(groups.items()):
        score_group(golds, preds, docs[name], scores)
    return scores


# --- report -------------------------------------------------------------------------------


def ratio(part: int, whole: int) -> str:
    """A share with two decimals (0.00 when there is nothing to divide by)."""
    return f"{part / whole:.2f}" if whole else "0.00"


def totals(counts: dict[str, int], kinds: Iterable[str]) -> int:
    """Sum of the counts of some fact types."""
    return sum(counts[k] for k in kinds)


def describe(fact: Fact) -> str:
    """Type, document@evidence start and key arguments of a fact, on one line."""
    shown = [
        f"{role}={' | '.join(fact.texts(role))}"
        for role in SHOWN_ROLES.get(fact.type, ())
        if fact.texts(role)
    ]
    return f"{fact.type} {fact.document}@{fact.start} " + "; ".join(shown)


def report(scores: Scores) -> None:
    """Print the figures, then the misses and the false facts."""
    for kind in ROLES:
        emit(f"precision_{kind}", ratio(scores.matched[kind], scores.predicted[kind]))
        emit(f"recall_{kind}", ratio(scores.matched[kind], scores.gold[kind]))
    for suffix, kinds in (("", FACT_TYPES), ("_with_statements", tuple(ROLES))):
        matched = totals(scores.matched, kinds)
        emit(f"precision{suffix}", ratio(matched, totals(scores.predicted, kinds)))
        emit(f"recall{suffix}", ratio(matched, totals(scores.gold, kinds)))
    for suffix, kinds in (("", FACT_TYPES), ("_with_statements", tuple(ROLES))):
        correct, total = totals(scores.arg_correct, kinds), totals(scores.arg_total, kinds)
        emit(f"argument_accuracy{suffix}", ratio(correct, total))
    emit("boilerplate_leaks", len(scores.leaks))
    emit("boilerplate_set_aside", scores.set_aside)
    emit("duplicates", scores.duplicates)
    emit("misses", len(scores.misses))
    emit("false_facts", len(scores.false))
    for fact in scores.misses:
        print(f"MISS {describe(fact)}")
    for fact, duplicate in scores.false:
        print(f"FALSE {describe(fact)}" + ("  (duplicate of a matched fact)" if duplicate else ""))
    for fact in scores.leaks:
        print(f"LEAK {describe(fact)}")


def main(argv: Sequence[str] | None = None) -> int:
    """Score every corpus asked for and print the comparison; exits 0."""
    args = parse_args(argv)
    ok, seeds = True, None
    if args.corpus in ("all", "seeds", "dev"):
        ok, seeds = run_seeds(args)
    if args.corpus in ("all", "genre", "dev"):
        from facts_corpora import run as run_genre

        only = ("genre_dev",) if args.corpus == "dev" else None
        ok = run_genre(args.self_check, seeds, only=only) and ok
    if args.self_check:
        emit("self_check", "ok" if ok else "FAILED")
    return 0


def run_seeds(args: argparse.Namespace) -> tuple[bool, tuple[str, Scores, list[Fact]]]:
    """The seeds and old articles, printed as they always were; (self-check passed,
    (name, scores, predictions))."""
    docs, gold, problems = load_gold(read_gold())
    emit("mode", "self-check" if args.self_check else "extractor")
    emit("documents", len(docs))
    emit("gold_facts", sum(f.zone == BODY for f in gold))
    emit("gold_boilerplate_facts", sum(f.zone != BODY for f in gold))
    emit("gold_problems", len(problems))
    for problem in problems:
        print(f"GOLD {problem}")
    predicted = self_predictions(gold) if args.self_check else predict(docs)
    emit("predicted_facts", len(predicted))
    emit("related_zone_facts_dropped", RELATED_DROPPED[0])
    scores = compare(docs, gold, predicted)
    report(scores)
    ok = self_check_probes(docs, gold, scores) if args.self_check else True
    return ok and not problems, ("seeds", scores, predicted)


def self_check_probes(docs: dict[str, Document], gold: list[Fact], scores: Scores) -> bool:
    """Print the probes that show the matcher also rejects; True when the check passes."""
    boilerplate = sum(f.zone != BODY for f in gold)
    leaks = len(compare(docs, gold, leak_probe(gold)).leaks)
    emit("self_check_leak_probe", f"{leaks}/{boilerplate} boilerplate facts caught as leaks")
    elsewhere = compare(docs, gold, moved(gold))
    precision = totals(elsewhere.matched, ROLES) / max(1, totals(elsewhere.predicted, ROLES))
    emit("self_check_moved_precision", f"{precision:.2f}")
    perfect = not (scores.misses or scores.false or scores.leaks)
    return perfect and leaks == boilerplate and precision < MOVED_PRECISION_LIMIT


if __name__ == "__main__":
    sys.exit(main())
