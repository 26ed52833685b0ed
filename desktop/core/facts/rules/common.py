"""Pieces the fact rules share: sentences as evidence, dates and places near a trigger."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from desktop.core.facts.candidates import ArgCandidate, Context
from desktop.core.facts.spans import PLACES, EntityIndex, arg, sent_ents
from desktop.core.facts.values import normalize

PLACE_PREPOSITIONS = frozenset({"in", "at"})
DATE_PREPOSITIONS = frozenset({"on", "in", "during", "from", "since", "between"})


def date_args(sent: Span, ctx: Context, role: str = "date") -> list[ArgCandidate]:
    """The sentence's date as an argument with its ISO value: the first DATE entity
    introduced by a preposition ("on March 3"), else the first one (a dateline's date
    before the story, "Ha Tinh, March 4 (VNA) – ...", gives way to the story's own)."""
    found: list[tuple[bool, ArgCandidate]] = []
    for ent in sent_ents(sent):
        if ent.label_ == "DATE":
            value = normalize("DATE", ent.text, ctx.published)
            if value is not None:
                prev = ent.doc[ent.start - 1] if ent.start > sent.start else None
                introduced = prev is not None and prev.lower_ in DATE_PREPOSITIONS
                found.append((introduced, arg(role, ent, value)))
    for introduced, candidate in found:
        if introduced:
            return [candidate]
    return [found[0][1]] if found else []


def place_args(
    sent: Span, after: int, ents: EntityIndex, role: str = "place"
) -> list[ArgCandidate]:
    """The first place entity after token `after` introduced by "in" or "at"."""
    for ent in sent_ents(sent):
        if ent.label_ in PLACES and ent.start > after and ent.start > sent.start:
            i = ent.start - 1
            while i > sent.start and ent.doc[i].lower_ in {"the", "a", "an"}:
                i -= 1  # "at the Presidential Palace"
            if ent.doc[i].lower_ in PLACE_PREPOSITIONS:
                return [arg(role, ent)]
    return []


def entities_under(token: Token, ents: EntityIndex, labels: frozenset[str]) -> list[Span]:
    """The entities a token stands for: its own, or those in its subtree ("member of ... X")."""
    own = ents.of(token, labels)
    if own is not None:
        return [own]
    found: list[Span] = []
    for tok in token.subtree:
        ent = ents.of(tok, labels)
        if ent is not None and ent not in found:
            found.append(ent)
    return found


def sentences(doc_sents: Iterator[Span]) -> Iterator[Span]:
    """Sentences worth reading (skip blank-line fragments)."""
    for sent in doc_sents:
        if sent.text.strip():
            yield sent
