"""Literal arguments built from the parse (noun phrases, clauses) and amounts of money.

Shared by the agreement, statistic, event, funding and statement rules. A noun phrase
here is a noun with its left modifiers and, on request, some prepositional phrases after
it; never a whole subtree with its relative clauses.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from desktop.core.facts.candidates import ArgCandidate, Context
from desktop.core.facts.spans import EntityIndex
from desktop.core.facts.values import Value, normalize

LEFT_DEPS = frozenset({"amod", "compound", "nmod", "nummod", "quantmod", "poss", "det"})
LEFT_DEPS |= {"npadvmod", "advmod", "predet", "case", "punct"}
RIGHT_ADJACENT = frozenset({"nummod", "compound", "appos"})
DASHES = frozenset({"-", "–", "—"})
EDGE_PUNCT = frozenset({",", ".", ";", ":", '"', "“", "”", "'", "‘", "’", "(", ")", "-", "–", "—"})
MARKERS = frozenset({"that", "whether", "to"})
PRONOUN_POSS = frozenset({"my", "our", "your", "his", "her", "its", "their"})
AMOUNT_LABELS = frozenset({"MONEY", "QUANTITY", "CARDINAL"})


def noun_phrase(
    tok: Token,
    preps: Iterable[str] = ("of",),
    conj: bool = True,
    skip: frozenset[str] = frozenset(),
) -> Span:
    """A noun with its left modifiers, the named prepositions after it and its conjuncts."""
    doc = tok.doc
    wanted = set(preps)
    kept = [c for c in tok.lefts if c.dep_ in LEFT_DEPS and not _skipped(c, skip)]
    start = min([tok.i, *(c.left_edge.i for c in kept)])
    end = tok.i
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ in wanted:
            objects = [c for c in child.children if c.dep_ in {"pobj", "pcomp"}]
            for obj in objects:
                end = max(end, noun_phrase(obj, (), conj=True).end - 1)
        elif conj and child.dep_ in {"conj", "cc"} and child.pos_ not in {"VERB", "AUX"}:
            end = max(end, noun_phrase(child, wanted, conj=True, skip=skip).end - 1)
        elif child.dep_ in RIGHT_ADJACENT and child.i == end + 1 and child.pos_ != "PUNCT":
            end = child.i if child.dep_ != "appos" or child.pos_ == "PROPN" else end
    return extend_name(doc[start : end + 1])


def _skipped(tok: Token, skip: frozenset[str]) -> bool:
    """Left modifiers left out of a phrase: possessive pronouns, and words asked to skip."""
    if tok.lower_ in skip or tok.ent_type_ in skip:
        return True
    return tok.dep_ == "poss" and tok.lower_ in PRONOUN_POSS


def extend_name(span: Span) -> Span:
    """Carry a phrase ending in a proper noun over a dashed name the parser split."""
    doc, end = span.doc, span.end
    while end < len(doc):
        tok = doc[end]
        nxt = doc[end + 1] if end + 1 < len(doc) else None
        after_name = doc[end - 1].pos_ == "PROPN"
        if tok.text in DASHES and nxt is not None and nxt.pos_ == "PROPN" and after_name:
            end += 2
        elif tok.pos_ == "PROPN" and after_name and tok.dep_ in {"compound", "appos"}:
            end += 1
        else:
            break
    return doc[span.start : end]


def trim(span: Span | None) -> Span | None:
    """Drop leading markers ("that", "to") and punctuation, and trailing punctuation."""
    if span is None:
        return None
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].text in EDGE_PUNCT or doc[start].lower_ in MARKERS):
        start += 1
    while end > start and (doc[end - 1].text in EDGE_PUNCT or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end > start else None


def subtree(tok: Token, without: Iterable[Token] = ()) -> Span:
    """A token's subtree as a span, cut before the first of some excluded subtrees."""
    doc = tok.doc
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    for other in without:
        if other.left_edge.i > tok.i:
            end = min(end, other.left_edge.i)
        elif other.right_edge.i < tok.i:
            start = max(start, other.right_edge.i + 1)
    return doc[start:end]


def object_of(tok: Token, *preps: str) -> list[Token]:
    """The objects of some prepositions under a token ("with X", "between X and Y")."""
    return [
        obj
        for prep in tok.children
        if prep.dep_ in {"prep", "agent", "dative"} and prep.lower_ in preps
        for obj in prep.children
        if obj.dep_ in {"pobj", "pcomp"}
    ]


def subject_of(verb: Token) -> list[Token]:
    """A verb's subjects, or those of the verb it hangs from when it has none ("..., adding")."""
    for tok in (verb, verb.head):
        found = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if found:
            return found
        if verb.dep_ not in {"advcl", "conj", "xcomp"}:
            break
    return []


def entity_list(tokens: Iterable[Token], ents: EntityIndex, labels: frozenset[str]) -> list[Span]:
    """Entities that tokens and their conjuncts stand for: their own, else those under them."""
    found: list[Span] = []
    for tok in tokens:
        for t in [tok, *tok.conjuncts]:
            own = ents.of(t, labels)
            under = [own] if own is not None else _under(t, ents, labels)
            for ent in under:
                if ent not in found:
                    found.append(ent)
    return found


def _under(tok: Token, ents: EntityIndex, labels: frozenset[str]) -> list[Span]:
    """Entities inside a token's noun phrase (without its conjuncts and clauses)."""
    span = noun_phrase(tok, preps=("of", "such", "as", "from", "including"), conj=False)
    return ents.in_span(span, labels)


def amount(ent: Span, ctx: Context) -> tuple[Span, Value] | None:
    """A money amount for an entity: MONEY, or a number whose text (+ next word) has a currency."""
    if ent.label_ not in AMOUNT_LABELS:
        return None
    doc = ent.doc
    start = ent.start
    while start < ent.end - 1 and doc[start].pos_ == "PROPN" and _plain_name(doc[start]):
        start += 1  # "Laos 2 billion yen": the recipient leaked into the entity
    spans = [ent if start == ent.start else doc[start : ent.end]]
    nxt = doc[ent.end] if ent.end < len(doc) else None
    if nxt is not None and (nxt.is_alpha or nxt.is_currency):
        spans.insert(0, doc[start : ent.end + 1])  # "5 million" + "EUR"
    for span in spans:
        value = normalize("MONEY", span.text, ctx.published)
        if value is not None and value.data.get("currency"):
            return span, value
    return None


def _plain_name(tok: Token) -> bool:
    """A capitalised word of letters only ("Laos"), not a currency glued to a figure ("Rp50")."""
    if not (tok.is_alpha and tok.is_title) or tok.is_currency:
        return False
    as_money = normalize("MONEY", f"{tok.text} 1", None)  # "Rp 50 billion", "Baht 3 million"
    return as_money is None or not as_money.data.get("currency")


def literal(role: str, span: Span) -> ArgCandidate:
    """An argument for a span kept whole (a clause keeps its leading article)."""
    return ArgCandidate(role, span.start_char, span.end_char, span.text)


def is_pronoun(tok: Token) -> bool:
    """Whether a token is a pronoun ("he", "they", "it")."""
    return tok.pos_ == "PRON" or tok.tag_ in {"PRP", "WP"}
