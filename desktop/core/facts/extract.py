"""Run every fact rule over a parsed document; de-duplicate what they propose."""

from __future__ import annotations

from types import ModuleType

from spacy.tokens import Doc

from desktop.core.facts.candidates import Context, FactCandidate
from desktop.core.facts.rules import meeting, role
from desktop.core.facts.spans import EntityIndex

RULES: tuple[ModuleType, ...] = (role, meeting)


def extract_facts(doc: Doc, published: str | None = None) -> list[FactCandidate]:
    """Facts found in a parsed document (needs the parser and entities), in text order."""
    if not doc.has_annotation("DEP"):
        return []
    ents = EntityIndex(doc)
    ctx = Context(published=published)
    seen: dict[tuple, FactCandidate] = {}
    for rules in RULES:
        for fact in rules.extract(doc, ents, ctx):
            key = fact.key()
            if key not in seen or seen[key].confidence < fact.confidence:
                seen[key] = fact
    return sorted(seen.values(), key=lambda f: (f.evidence_start, f.type, f.key()))
