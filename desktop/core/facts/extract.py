"""Run every fact rule over a parsed document; drop incomplete facts, de-duplicate the rest."""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections import Counter
from dataclasses import replace
from types import ModuleType

from spacy.tokens import Doc, Span

from desktop.core.facts.candidates import Context, FactCandidate
from desktop.core.facts.requirements import missing
from desktop.core.facts.rules import agreement, event, funding, meeting, role, statement, statistic
from desktop.core.facts.spans import EntityIndex

RULES: tuple[ModuleType, ...] = (role, meeting, agreement, statistic, event, funding, statement)
ENDINGS = frozenset(".!?…:;")  # a sentence may end after a token ending so
log = logging.getLogger(__name__)


def extract_facts(doc: Doc, published: str | None = None) -> list[FactCandidate]:
    """Facts found in a parsed document (needs the parser and entities), in text order."""
    if not doc.has_annotation("DEP"):
        return []
    _cache_sentences(doc)
    ents = EntityIndex(doc)
    ctx = Context(published=published)
    seen: dict[tuple, FactCandidate] = {}
    dropped: Counter[str] = Counter()
    text = doc.text  # spaCy joins every token for each .text: read it once
    for rules in RULES:
        for found in rules.extract(doc, ents, ctx):
            fact = _tidy(found, text)
            if missing(fact.type, (a.role for a in fact.arguments)) is not None:
                dropped[fact.type] += 1
                continue
            key = fact.key()
            if key not in seen or seen[key].confidence < fact.confidence:
                seen[key] = fact
    _drop_taken_figures(seen)
    if dropped:
        log.debug("dropped fact candidates without their required roles: %s", dict(dropped))
    return sorted(seen.values(), key=lambda f: (f.evidence_start, f.type, f.key()))


GIFTS = frozenset({"aid", "grant", "grants", "donation", "funding", "assistance", "loan"})


def _drop_taken_figures(seen: dict[tuple, FactCandidate]) -> None:
    """A figure of a sentence that is already a funding amount or an agreement's count is
    that fact's argument, not a statistic of its own; so is its conversion in brackets
    ("200 million yuan (about 28 million USD)"), and the amount of a grant, aid or loan
    ("a grant of 25 million baht") is funding, not a statistic."""
    taken = [
        (a.start, a.end)
        for f in seen.values()
        if f.type in {"FUNDING", "AGREEMENT"}
        for a in f.arguments
        if a.role in {"amount", "count"}
    ]
    for key, fact in list(seen.items()):
        if fact.type != "STATISTIC":
            continue
        values = fact.roles("value")
        measures = [a.text.lower().split() for a in fact.roles("measure")]
        gift = bool(measures) and all(m and m[-1] in GIFTS for m in measures)
        gift = gift and fact.extractor != statistic.FIGURE_RULE_ID  # its own figure, not others
        figure = fact.extractor == statistic.FIGURE_RULE_ID
        if (
            gift
            or (figure and any((a.start, a.end) in taken for a in values))
            or any(_converts(a.start, span) for a in values for span in taken)
        ):
            del seen[key]


def _converts(start: int, amount: tuple[int, int]) -> bool:
    """Whether a figure starting at `start` follows an amount in brackets: "... (about"."""
    return 0 < start - amount[1] <= len(" (about ")


def _cache_sentences(doc: Doc) -> None:
    """Make doc.sents and Span.sent cheap (spaCy recomputes them on every call otherwise),
    and whole around entities: the parser sometimes starts a sentence inside a name
    ("... met Minister Đặng Minh | Hoà in Hà Nội"), so such neighbours are joined."""
    sents = _join_split_entities(doc, list(doc.sents))
    starts = [s.start for s in sents]
    doc.user_hooks["sents"] = lambda _doc: iter(sents)
    doc.user_span_hooks["sent"] = lambda span: sents[bisect_right(starts, span.start) - 1]


def _join_split_entities(doc: Doc, sents: list[Span]) -> list[Span]:
    """The sentences, with those whose boundary falls inside an entity joined."""
    inside = {i for ent in doc.ents for i in range(ent.start + 1, ent.end)}
    joined: list[Span] = []
    for sent in sents:
        if joined and (sent.start in inside or _unfinished(joined[-1])):
            joined[-1] = doc[joined[-1].start : sent.end]
        else:
            joined.append(sent)
    return joined


def _unfinished(sent: Span) -> bool:
    """Whether a sentence stops without final punctuation and no line break follows it."""
    doc = sent.doc
    if sent.end >= len(doc):
        return False
    last = sent[-1]
    while last.i > sent.start and (last.is_space or last.is_quote or last.is_bracket):
        if "\n" in last.text:
            return False
        last = doc[last.i - 1]
    return "\n" not in last.whitespace_ and last.text[-1] not in ENDINGS


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the whitespace at its edges (a space token can open a span)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _tidy(fact: FactCandidate, text: str) -> FactCandidate:
    """Evidence and arguments without whitespace at their edges; empty arguments dropped."""
    start, end = _strip(text, fact.evidence_start, fact.evidence_end)
    args = []
    for a in fact.arguments:
        a_start, a_end = _strip(text, a.start, a.end)
        if a_start == a_end:
            continue
        if (a_start, a_end) != (a.start, a.end):
            a = replace(a, start=a_start, end=a_end, text=text[a_start:a_end])
        args.append(a)
    return replace(fact, evidence_start=start, evidence_end=end, arguments=tuple(args))
