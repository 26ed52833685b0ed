"""Figures paired by "respectively": "reached 10.1 billion USD and 8.6 billion USD in 2024
and the first nine months of 2025, respectively", "Tuas Port and Batu Ampar handled 39.6
million and 1.1 million TEUs", "exports and imports rose 22.3 percent and 13.4 percent,
respectively", "passengers and vehicles ..., up 15 percent and 9 percent respectively".

The figures are a run of coordinated values ("A and B", "A, B and C"). Each gets its own
statistic; the i-th takes the i-th date of a coordinated run of dates as its period and the
i-th of a coordinated list of measures (the subjects of the verb, or the objects of its
"in") as its measure. A run of changes with as many other statistics in the sentence gives
each of those its change instead.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from desktop.core.facts.candidates import ArgCandidate, Context
from desktop.core.facts.rules.phrases import noun_phrase, subject_of
from desktop.core.facts.spans import arg, sent_ents
from desktop.core.facts.values import normalize

JOINERS = frozenset({",", "and", "or", "&"})
VALUES = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"})
SCALES = frozenset({"thousand", "million", "billion", "trillion", "mln", "bln", "bil", "tril"})


def applies(sent: Span) -> bool:
    """Whether the sentence pairs its figures with "respectively"."""
    return any(t.lower_ in {"respectively", "respectively,"} for t in sent)


def runs(sent: Span, labels: frozenset[str]) -> list[list[Span]]:
    """Runs of two or more entities with these labels joined only by commas and "and"."""
    out: list[list[Span]] = []
    current: list[Span] = []
    for ent in sent_ents(sent):
        if ent.label_ not in labels:
            continue
        gap = ent.doc[current[-1].end : ent.start] if current else None
        if current and gap is not None and len(gap) <= 2 and all(t.lower_ in JOINERS for t in gap):
            current.append(ent)
            continue
        if len(current) > 1:
            out.append(current)
        current = [ent]
    if len(current) > 1:
        out.append(current)
    return out


def split_dates(sent: Span) -> list[Span]:
    """A date run, or one DATE entity spelling several ("in 2023 and 2024") cut at "and"."""
    dated = runs(sent, frozenset({"DATE"}))
    if dated:
        return max(dated, key=len)
    for ent in sent_ents(sent):
        if ent.label_ != "DATE" or not any(t.lower_ == "and" for t in ent):
            continue
        parts, start = [], ent.start
        for tok in ent:
            if tok.lower_ in JOINERS:
                if tok.i > start:
                    parts.append(ent.doc[start : tok.i])
                start = tok.i + 1
        parts.append(ent.doc[start : ent.end])
        if len(parts) > 1 and all(len(p) for p in parts):
            return parts
    return []


def measures(first: Token, count: int) -> list[Span]:
    """Coordinated measures for `count` figures: the subject of the verb above the first
    figure with its conjuncts, else the object of its "in"/"for" with its conjuncts."""
    verb = verb_above(first)
    candidates: list[Token] = list(subject_of(verb))
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in {"in", "of"}:
            candidates += [c for c in prep.children if c.dep_ == "pobj"]
    for head in candidates:
        if head.ent_type_ in VALUES | {"DATE"}:
            continue  # "in 2023 and 2024": the periods, not the measures
        group = [head, *head.conjuncts]
        if len(group) == count:
            return [noun_phrase(t, preps=("of", "to", "from"), conj=False) for t in group]
    return []


def verb_above(tok: Token) -> Token:
    """The nearest verb above a token (the token itself at the root)."""
    while tok.pos_ not in {"VERB", "AUX"} and tok.head.i != tok.i:
        tok = tok.head
    return tok


def left_phrase(verb: Token) -> Span | None:
    """The words between the last comma and a verb whose subject the parser lost
    ("..., approved Chinese investments in the sector totalled RM12.5bil and ...")."""
    sent = verb.sent
    start = verb.i
    while start > sent.start and not sent.doc[start - 1].is_punct:
        start -= 1
    words = sent.doc[start : verb.i]
    if not any(t.pos_ == "NOUN" for t in words) or any(t.ent_type_ in VALUES for t in words):
        return None
    return words


def value_of(ent: Span, run: list[Span], ctx: Context, role: str) -> ArgCandidate | None:
    """The value (or change) of one figure of a run; a bare number takes the unit or the
    currency written after the last figure ("310 million and 145 million dollars")."""
    text = ent.text
    last = run[-1]
    if ent.label_ in {"CARDINAL", "MONEY"} and last.label_ == "MONEY" and ent is not last:
        own = normalize("MONEY", text, ctx.published)
        if own is None or not own.data.get("currency"):
            unit = [t.text for t in last if not (t.like_num or t.lower_ in SCALES)]
            text = f"{ent.text} {' '.join(unit)}" if unit else text
            value = normalize("MONEY", text, ctx.published)
            return ArgCandidate(role, ent.start_char, ent.end_char, ent.text, "MONEY", value)
    label = ent.label_
    before = ent.doc[max(ent.sent.start, run[0].start - 4) : run[0].start].text
    value = normalize(label, text, ctx.published, context=f"{before} {text}")
    if role == "change" and (value is None or value.kind != "change"):
        value = normalize(label, f"up {text}", ctx.published)
    return None if value is None else arg(role, ent, value)
