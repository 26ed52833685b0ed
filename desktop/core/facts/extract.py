"""Run every fact rule over a parsed document; drop incomplete facts, de-duplicate the rest."""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections import Counter
from dataclasses import replace
from types import ModuleType

from spacy.tokens import Doc

from desktop.core.facts.candidates import Context, FactCandidate
from desktop.core.facts.requirements import missing
from desktop.core.facts.rules import agreement, event, funding, meeting, role, statement, statistic
from desktop.core.facts.spans import EntityIndex

RULES: tuple[ModuleType, ...] = (role, meeting, agreement, statistic, event, funding, statement)
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
    for rules in RULES:
        for fact in rules.extract(doc, ents, ctx):
            if missing(fact.type, (a.role for a in fact.arguments)) is not None:
                dropped[fact.type] += 1
                continue
            key = fact.key()
            if key not in seen or seen[key].confidence < fact.confidence:
                seen[key] = fact
    if dropped:
        log.debug("dropped fact candidates without their required roles: %s", dict(dropped))
    text = doc.text  # spaCy joins every token for each .text: read it once
    facts = [_trim_evidence(f, text) for f in seen.values()]
    return sorted(facts, key=lambda f: (f.evidence_start, f.type, f.key()))


def _cache_sentences(doc: Doc) -> None:
    """Make doc.sents and Span.sent cheap: spaCy recomputes them on every call otherwise."""
    sents = list(doc.sents)
    starts = [s.start for s in sents]
    doc.user_hooks["sents"] = lambda _doc: iter(sents)
    doc.user_span_hooks["sent"] = lambda span: sents[bisect_right(starts, span.start) - 1]


def _trim_evidence(fact: FactCandidate, text: str) -> FactCandidate:
    """Evidence without the whitespace a sentence span carries at its edges."""
    start, end = fact.evidence_start, fact.evidence_end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if (start, end) == (fact.evidence_start, fact.evidence_end):
        return fact
    return replace(fact, evidence_start=start, evidence_end=end)
