"""Facts as the rules propose them, before they are stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ArgCandidate:
    """One argument: a span of the text (an entity, or a literal phrase) and its value."""

    role: str
    start: int
    end: int
    text: str
    label: str | None = None  # the entity label when the span is an entity
    value: Any = None  # a facts.values.Value, or None


@dataclass(frozen=True, slots=True)
class FactCandidate:
    """A proposed fact with its evidence (the sentence) and arguments."""

    type: str
    evidence_start: int
    evidence_end: int
    arguments: tuple[ArgCandidate, ...]
    extractor: str
    confidence: float

    def key(self) -> tuple:
        """Identity for de-duplication: type, evidence and the argument spans by role."""
        args = tuple(sorted((a.role, a.start, a.end) for a in self.arguments))
        return (self.type, self.evidence_start, self.evidence_end, args)

    def roles(self, role: str) -> list[ArgCandidate]:
        """The arguments filling one role."""
        return [a for a in self.arguments if a.role == role]


@dataclass(frozen=True, slots=True)
class Context:
    """What the rules know about the document besides its parse."""

    published: str | None = None  # ISO date of publication, for resolving dates
