"""What the fact-rule tests share: the date their sentences are published on, and reading
the facts of one type (and the texts of one role) out of a sentence parsed by the real
pipeline (the session's `nlp` fixture, tests/conftest.py)."""

from __future__ import annotations

from desktop.core.facts.extract import extract_facts

PUBLISHED = "2026-04-10"


def facts(nlp, text: str, kind: str) -> list:
    """The facts of type `kind` the rules find in `text`."""
    return [f for f in extract_facts(nlp(text), PUBLISHED) if f.type == kind]


def texts(fact, role: str) -> list[str]:
    """The texts of a fact's arguments in `role`."""
    return [a.text for a in fact.roles(role)]
