"""Map parse tokens to the entity spans that contain them, and build arguments from spans."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from desktop.core.facts.candidates import ArgCandidate
from desktop.core.facts.entity_view import entity_view

PEOPLE = frozenset({"PERSON"})
ORGS = frozenset({"ORG", "GPE", "NORP"})
PLACES = frozenset({"GPE", "LOC", "FAC"})
ARTICLES = frozenset({"the", "a", "an"})


class EntityIndex:
    """Which entity span covers each token of a doc (in the fact rules' view of them)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.ents = entity_view(doc)  # spaCy builds a new tuple on every doc.ents
        doc.user_data["factdesk_ents"] = (self.ents, {})
        self.by_token: dict[int, Span] = {}
        for ent in self.ents:
            for i in range(ent.start, ent.end):
                self.by_token[i] = ent

    def of(self, token: Token, labels: Iterable[str] | None = None) -> Span | None:
        """The entity containing a token (of one of `labels`, if given)."""
        ent = self.by_token.get(token.i)
        if ent is None or (labels is not None and ent.label_ not in labels):
            return None
        return ent

    def in_span(self, span: Span, labels: Iterable[str]) -> list[Span]:
        """Entities of some labels lying inside a span, in order."""
        wanted = set(labels)
        return [
            e
            for e in self.ents
            if e.label_ in wanted and span.start <= e.start and e.end <= span.end
        ]


def arg(role: str, span: Span, value: object = None) -> ArgCandidate:
    """An argument for a span; entities carry their label, a leading article is dropped."""
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in ARTICLES:
        start += 1
    trimmed = span.doc[start : span.end]
    label = span.label_ if span.label_ else None
    return ArgCandidate(role, trimmed.start_char, trimmed.end_char, trimmed.text, label, value)


def phrase(tokens: Iterable[Token]) -> Span | None:
    """The contiguous span from the first to the last of some tokens."""
    items = sorted(tokens, key=lambda t: t.i)
    if not items:
        return None
    return items[0].doc[items[0].i : items[-1].i + 1]


def conjuncts(token: Token) -> list[Token]:
    """A token and the tokens coordinated with it ("A, B and C")."""
    return [token, *token.conjuncts]


def subtree_span(token: Token) -> Span:
    """The span of a token's whole subtree."""
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


def sent_ents(sent: Span) -> tuple[Span, ...]:
    """The entities inside a sentence (the rules' view of them, once an EntityIndex was made),
    cached per doc (spaCy's Span.ents rescans doc.ents)."""
    data = sent.doc.user_data
    if "factdesk_ents" not in data:
        data["factdesk_ents"] = (tuple(sent.doc.ents), {})
    ents, cache = data["factdesk_ents"]
    key = (sent.start, sent.end)
    if key not in cache:
        cache[key] = tuple(e for e in ents if sent.start <= e.start and e.end <= sent.end)
    return cache[key]
