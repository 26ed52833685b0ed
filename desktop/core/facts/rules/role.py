"""ROLE facts: who holds which title in which organisation.

Two shapes: titles written before a name ("Deputy Prime Minister Mai Van Chinh",
"Guangxi's Chairman Wei Tao", "member of X, Deputy Secretary of Y and Chairman of
Z Wei Tao") and titles in apposition after it ("Wei Tao, Chairman of the Guangxi
Zhuang Autonomous Region"). A chain of titles joined by commas or "and" gives one
fact per title.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from spacy.tokens import Doc, Span, Token

from desktop.core.facts.candidates import ArgCandidate, Context, FactCandidate
from desktop.core.facts.entity_view import honorific_re
from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.spans import ORGS, PEOPLE, EntityIndex, arg
from desktop.core.nlp.rules import load_rules

RULE_ID = "role.v1"
OWNERS = ORGS - {"NORP"}  # "Vietnamese Deputy Minister": an adjective, not the organisation
CONNECTORS = frozenset({"of", "for", "to", "and", "the", "'s", "’s", "&"})
RANK_HEADS = frozenset({"General", "Gen.", "Gen", "Sen.", "Senator", "Admiral", "Adm.", "Marshal"})
RANK_MODIFIERS = frozenset(
    {"Vice", "-", "Senior", "Lieutenant", "Lt", "Lt.", "Major", "Maj.", "Brigadier", "Brig."}
    | {"Vice-Senior", "Pol", "Pol.", "Air", "Chief", "Lt-", "Maj-"}
)


def _is_title_word(tok: Token) -> bool:
    return tok.lower_ in lexicon()["title_words"]


def _is_head(tok: Token) -> bool:
    return tok.lower_ in lexicon()["title_heads"]


def _chain_before(doc: Doc, end: int, ents: EntityIndex, first: int = 0) -> list[Token]:
    """Tokens right before a name that can belong to a run of titles, from `first` on
    (the start of the name's sentence: the evidence holds every argument)."""
    chain: list[Token] = []
    i = end - 1
    while i >= first:
        tok = doc[i]
        if tok.is_sent_start and tok.i != end - 1 and not (tok.is_title or _is_title_word(tok)):
            break
        if tok.text == "," and i + 1 < end and _is_title_word(doc[i + 1]):
            chain.append(tok)
        elif (
            _is_title_word(tok)
            or tok.lower_ in CONNECTORS
            or tok.is_title
            or tok.is_upper
            or tok.lower_ in lexicon()["title_chain_words"]
        ):
            if ents.of(tok, PEOPLE) is not None:
                break
            chain.append(tok)
        elif ents.of(tok, ORGS) is not None:
            chain.append(tok)
        else:
            break
        if tok.is_sent_start:
            break
        i -= 1
    chain.reverse()
    while chain and (chain[0].lower_ in CONNECTORS or chain[0].text == ","):
        chain.pop(0)
    return chain


def _name_start(person: Span) -> int:
    """Where the name starts with the forms of address before it ("H.E.", "Dr.") left out,
    so that a title written before them ends where they begin."""
    honorifics = _honorifics()
    doc, start = person.doc, person.start
    lo = max(person.sent.start_char, person.start_char - 80)
    before = doc.text[lo : person.start_char]
    for m in honorific_re().finditer(before):  # "Dato' Sri", "Tengku Datuk Seri"
        if m.end() == len(before):
            span = doc.char_span(lo + m.start(), lo + m.start() + 1, alignment_mode="expand")
            start = span.start if span is not None else start
    while start > person.sent.start and doc[start - 1].lower_ in honorifics:
        start -= 1
    return start


@cache
def _honorifics() -> frozenset[str]:
    return frozenset(h.lower() for h in load_rules().single_honorifics)


def _split_titles(tokens: list[Token]) -> list[list[Token]]:
    """Cut a run of titles at commas and at "and" followed by a title word."""
    parts: list[list[Token]] = [[]]
    for k, tok in enumerate(tokens):
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if tok.text in {",", "and"} and nxt is not None and _is_title_word(nxt):
            parts.append([tok])  # the joiner stays with the next part until it has a head
            continue
        parts[-1].append(tok)
    merged: list[list[Token]] = []
    for part in parts:
        headless = not any(_is_head(t) for t in part)
        if merged and headless and part and part[0].text == "and":
            merged[-1] += part  # "Minister of Industry and Trade": a portfolio, not a title
        else:
            merged.append(part[1:] if part and part[0].text in {",", "and"} else part)
    return [p for p in merged if any(_is_head(t) for t in p)]


def _role(part: list[Token], person: Span, ents: EntityIndex) -> tuple[ArgCandidate, ...] | None:
    """Title and organisation of one title phrase ("Chairman of the X", "Guangxi's Chairman")."""
    doc = person.doc
    heads = [t for t in part if _is_head(t)]
    if not heads:
        return None
    head = heads[0]
    nxt = doc[head.i + 1] if head.i + 1 < len(doc) else None
    of = nxt if nxt is not None and nxt in part and nxt.lower_ in {"of", "for"} else None
    org: Span | None = None
    while part and not (_is_title_word(part[0]) or ents.of(part[0], OWNERS) is not None):
        part = part[1:]  # "Receiving Egyptian Ambassador": the title starts at a title word
    if not part or part[0].i > head.i:
        return None
    start = part[0].i
    before = [ents.of(t, OWNERS) for t in part if t.i < head.i]
    first_org = next((e for e in before if e is not None), None)
    if first_org is not None and all(_is_title_word(t) for t in first_org):
        first_org = None  # "Commerce Minister": a portfolio the recogniser took for a body
    if first_org is not None and first_org.start == part[0].i:
        org = first_org  # "Guangxi's Chairman", "Laos Technology and Communications Minister"
        start = first_org.end
        while start < head.i and doc[start].lower_ in {"'s", "’s"}:
            start += 1
    title_end = of.i if of is not None else head.i + 1
    if nxt is not None and nxt in part and nxt.lower_ == "to":
        title_end = part[-1].i + 1  # "Ambassador to Cambodia": the posting is part of the title
    if of is not None and org is None:
        inside = [ents.of(t, OWNERS) for t in part if t.i > of.i]
        org = next((e for e in inside if e is not None), None)
        if org is None:
            title_end = (
                part[-1].i + 1
            )  # "Minister of Foreign Affairs": the whole phrase is the title
    title = doc[start:title_end]
    if not title.text.strip() or not any(_is_head(t) for t in title):
        return None
    args = [arg("person", person), arg("title", _label_free(title))]
    if org is not None:
        args.append(arg("organization", org))
    return tuple(args)


def _label_free(span: Span) -> Span:
    return span.doc[span.start : span.end]


def _own_tokens(tok: Token) -> list[Token]:
    """A token's subtree without its coordinated siblings ("X and Y": X alone)."""
    skip = {t for c in tok.children if c.dep_ in {"conj", "cc"} or c.text == "," for t in c.subtree}
    return sorted((t for t in tok.subtree if t not in skip), key=lambda t: t.i)


def _appositions(person: Span) -> list[list[Token]]:
    """Title phrases in apposition after a name ("X, Chairman of Y and Secretary of Z")."""
    found = []
    for child in person.root.children:
        if child.dep_ == "appos" and child.i >= person.end:
            found.extend(_own_tokens(t) for t in [child, *child.conjuncts])
    return found


def _comma_title(person: Span) -> list[Token]:
    """A title between commas right after a name that the parser did not attach to it
    ("Nguyen Thi Lan, Trade Counsellor of the Vietnamese Embassy in Jakarta, said")."""
    doc, sent = person.doc, person.sent
    if person.end + 1 >= sent.end or doc[person.end].text != ",":
        return []
    part: list[Token] = []
    for tok in doc[person.end + 1 : sent.end]:
        if tok.text == ",":
            break
        if tok.pos_ in {"VERB", "AUX"} or tok.ent_type_ == "PERSON":
            return []
        part.append(tok)
    else:
        return []
    return part if part and _is_title_word(part[0]) and any(_is_head(t) for t in part) else []


def _rank(person: Span) -> Span | None:
    """A military or parliamentary rank written right before a name as its only title
    ("Vice-Senior General X", "Sen. Y")."""
    doc, sent = person.doc, person.sent
    k = person.start - 1
    if k < sent.start or doc[k].text not in RANK_HEADS:
        return None
    start = k
    while start - 1 >= sent.start and doc[start - 1].text in RANK_MODIFIERS:
        start -= 1
    return doc[start : k + 1]


def _restated(args: tuple[ArgCandidate, ...], told: list[tuple[set[str], set[str]]]) -> bool:
    """Whether a person-title pair was told before with fuller words ("Minister Wahyu" after
    "Minister of Marine Affairs and Fisheries Wahyu Adi"); the same words again are left to
    the headline and zone filters."""
    person, title = _words(args, "person"), _words(args, "title")
    return any(person <= p and title <= t and (person < p or title < t) for p, t in told)


def _words(args: tuple[ArgCandidate, ...], role: str) -> set[str]:
    return {w.lower() for a in args if a.role == role for w in a.text.split()}


def extract(doc: Doc, ents: EntityIndex, ctx: Context) -> Iterator[FactCandidate]:
    """ROLE facts of a document; a pair told again later is left out."""
    told: list[tuple[set[str], set[str]]] = []
    for person in ents.ents:
        if person.label_ != "PERSON":
            continue
        sent = person.sent
        before = _chain_before(doc, _name_start(person), ents, sent.start)
        shapes = [(p, 0.8) for p in _split_titles(before)]
        after = [p for p in _appositions(person) if any(_is_head(t) for t in p)]
        after = after or ([part] if (part := _comma_title(person)) else [])
        shapes += [(p, 0.85) for p in after]
        found = [(args, c) for part, c in shapes if (args := _role(part, person, ents))]
        if not found and (rank := _rank(person)) is not None:
            found = [((arg("person", person), arg("title", rank)), 0.7)]
        for args, confidence in found:
            if not _restated(args, told):
                yield FactCandidate(
                    "ROLE", sent.start_char, sent.end_char, args, RULE_ID, confidence
                )
        told += [(_words(args, "person"), _words(args, "title")) for args, _c in found]
