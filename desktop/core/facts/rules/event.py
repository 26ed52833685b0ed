"""EVENT facts: a named gathering, where and when it was held, and who organised it.

Triggers on an event noun ("roundtable", "expo", "forum", "summit", "Day" in a name):
- a participle on it: "the roundtable on AI held on September 18 in Nanning",
  "the Roundtable ..., co-hosted by NDRC and the government of Guangxi";
- the object of an organiser verb: "Schneider Electric hosted Innovation Day 2025 in
  Hanoi", "China and ASEAN launched their first ministerial dialogue" (organisers: the
  subject), or of "attend";
- the subject of "take place";
- a named event (an entity ending in the noun) after "during", "at" or "of": "during the
  22nd China-ASEAN Expo (CAEXPO) in Nanning" (name only, with a place if one follows).
The name is the entity holding the noun, else the noun phrase with its modifiers and
"on X" ("ASEAN-China ministerial roundtable on AI"), without articles and ordinals; a bare
generic noun ("the event") is not a name (its apposition is taken when there is one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from desktop.core.facts.candidates import ArgCandidate, Context, FactCandidate
from desktop.core.facts.frames import matches_in
from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.rules.phrases import entity_list, noun_phrase, object_of, trim
from desktop.core.facts.spans import PEOPLE, PLACES, EntityIndex, arg, sent_ents
from desktop.core.facts.values import normalize

RULE_ID = "event.v1"
VISIT_RULE_ID = "event.visit.v1"
FRAME_RULE_ID = "event.frame.v1"
NAME_LABELS = frozenset({"EVENT", "ORG", "FAC", "WORK_OF_ART"})
ORGANIZERS = frozenset({"ORG", "GPE", "NORP"}) | PEOPLE
ORDINAL_WORDS = frozenset({"first", "inaugural", "annual", "ORDINAL", "the", "a", "an"})
MENTION_PREPS = frozenset({"during", "at", "of", "on"})
CLAUSE_DEPS = frozenset({"acl", "relcl", "conj", "appos"})
HAPPEN = frozenset({"hold", "host", "organise", "organize", "convene", "stage", "open", "close"})
HAPPEN |= {"begin", "start", "kick", "run", "conclude", "end"}


def _words(name: str) -> frozenset[str]:
    return lexicon()[name]


def _is_event_noun(tok: Token) -> bool:
    return tok.pos_ in {"NOUN", "PROPN"} and (
        tok.lower_ in _words("event_nouns") or tok.lemma_.lower() in _words("event_nouns")
    )


def _event_root(tok: Token, ents: EntityIndex) -> bool:
    """The head of a named event the entity rules found ("the 7th Philippines-China Joint
    Commission on Economic and Trade Cooperation")."""
    ent = ents.of(tok, {"EVENT"})
    return ent is not None and ent.root.i == tok.i and len(ent) > 1


def _name(tok: Token, ents: EntityIndex) -> Span | None:
    """The event's name: the entity holding the noun, or its noun phrase ("... on AI")."""
    ent = ents.of(tok, NAME_LABELS | PEOPLE)
    if ent is not None and ent.end - 1 <= tok.i + 1 and len(ent) > 1:
        return ent
    if ent is not None and ent.label_ == "EVENT" and ent.root.i == tok.i and len(ent) > 1:
        return ent  # "Joint Commission on Economic and Trade Cooperation": the whole name
    phrase = trim(noun_phrase(tok, preps=("on", "of"), conj=False, skip=ORDINAL_WORDS))
    if phrase is None or (len(phrase) == 1 and tok.lower_ in _words("event_generic_nouns")):
        apposed = [c for c in tok.children if c.dep_ == "appos" and _is_event_noun(c)]
        return _name(apposed[0], ents) if apposed else None
    if len(phrase) == 1 and tok.pos_ != "PROPN":
        return None
    return phrase


def _triggers(tok: Token) -> tuple[list[Token], list[Token], float] | None:
    """(clause heads to search for place and date, organiser tokens, confidence)."""
    head, lemma = tok.head, tok.head.lemma_.lower()
    heads = [
        c
        for c in tok.children
        if c.dep_ in CLAUSE_DEPS and c.lemma_.lower() in _words("event_participles")
    ]
    heads += [c for p in heads for c in p.conjuncts if c.pos_ == "VERB"]
    hosts = [o for p in heads for o in object_of(p, "by")]
    place = any(c.lower_ == "place" and c.dep_ == "dobj" for c in head.children)
    if tok.dep_ in {"nsubj", "nsubjpass"} and (lemma in HAPPEN or (lemma == "take" and place)):
        heads.append(head)  # "the forum was held in X", "the fair opened", "took place"
        hosts += object_of(head, "by")
    elif tok.dep_ in {"dobj", "npadvmod"} and lemma in _words("organizer_markers"):
        heads.append(head)  # "X hosted Y"
        hosts += [c for c in head.children if c.dep_ == "nsubj"]
    elif tok.dep_ == "dobj" and lemma in _words("event_attend_verbs"):
        return [head], [], 0.65
    if not heads:
        return None
    return heads, hosts, 0.75 if hosts else 0.7


def _mention(tok: Token, ents: EntityIndex) -> bool:
    """A named event after "during/at/of" ("during the 22nd China-ASEAN Expo")."""
    ent = ents.of(tok, NAME_LABELS)
    if ent is None or ent.root.i != tok.i or tok.pos_ != "PROPN":
        return False
    first = tok if tok.dep_ != "conj" else tok.head
    return first.dep_ == "pobj" and first.head.lower_ in MENTION_PREPS


def _first(found: list[Span], name: Span, label: str, ctx: Context) -> list[ArgCandidate]:
    """The first entity outside the name, as a place or a (normalised) date argument."""
    for ent in found:
        if name.start <= ent.start < name.end:
            continue
        if label == "date":
            value = normalize("DATE", ent.text, ctx.published)
            if value is not None:
                return [arg("date", ent, value)]
        else:
            return [arg("place", ent)]
    return []


def _places(heads: list[Token], ents: EntityIndex) -> list[Span]:
    """Place entities after "in/at" anywhere under the clause heads."""
    found: list[Span] = []
    for head in heads:
        for tok in head.subtree:
            ent = ents.of(tok, PLACES)
            if ent is not None and tok.head.lower_ in {"in", "at"} and tok.dep_ == "pobj":
                found.append(ent)
    return found


def _dates(heads: list[Token], sent: Span, fallback: bool) -> list[Span]:
    """DATE entities under the clause heads (then those on the main verb, when asked)."""
    dated = [e for e in sent_ents(sent) if e.label_ == "DATE"]
    near = [e for e in dated for h in heads if h.left_edge.i <= e.start <= h.right_edge.i]
    main = [e for e in dated if sent.root in (e.root.head, e.root.head.head)]
    return near + (main if fallback else [])


VISITS = frozenset({"visit", "trip", "tour"})
DURATION = re.compile(r"^\w+-(?:day|week)$", re.I)
LENGTH = re.compile(r"-(?:day|week)$", re.I)


def _visit(tok: Token) -> bool:
    """A visit with its kind or length ("a three-day official visit", "the visit by X")."""
    if tok.lemma_.lower() not in VISITS or tok.tag_ != "NN":
        return False  # "their official trips": visits in general, not one
    kinds = _words("event_visit_words")
    lefts = list(tok.lefts)
    if any(c.lower_ in kinds or DURATION.match(c.text) or _length(c) for c in lefts):
        return True
    return any(c.lower_ == "by" for c in tok.rights) and any(c.lower_ == "the" for c in lefts)


def _length(tok: Token) -> bool:
    """ "five-day" split by the tokenizer: "day" with its number."""
    return tok.lower_ in {"day", "week", "month"} and any(c.dep_ == "nummod" for c in tok.children)


def _visit_fact(sent: Span, tok: Token, ents: EntityIndex, ctx: Context) -> Iterator[FactCandidate]:
    """An EVENT for a visit: its words with their kind and length, and who is visiting."""
    doc = tok.doc
    lefts = [c for c in tok.lefts if c.dep_ in {"amod", "compound", "nummod", "npadvmod"}]
    start = min([tok.i, *(c.left_edge.i for c in lefts)])
    before = ents.of(doc[start - 1], {"DATE"}) if start > sent.start else None
    if before is not None and LENGTH.search(before.text):
        start = before.start  # "a three-day official visit": its length belongs to it
    end = tok.i + 1
    by = object_of(tok, "by")
    if by:
        end = max(end, by[0].i + 1)
        person = ents.of(by[0], PEOPLE)
        end = person.end if person is not None else end
    name = trim(doc[start:end])
    if name is None:
        return
    args = [arg("name", name)]
    args += _first(_places([tok], ents), name, "place", ctx)
    dates = [e for e in sent_ents(sent) if e.label_ == "DATE" and not DURATION.match(e.text)]
    args += _first(dates, name, "date", ctx)
    yield FactCandidate("EVENT", sent.start_char, sent.end_char, tuple(args), VISIT_RULE_ID, 0.55)


def _told_before(name: Span, tok: Token, ents: EntityIndex) -> bool:
    """Whether a name is only a length and the event noun ("three-day expo") of an event
    named earlier in the document ("the 5th BIMP-EAGA Halal Trade Expo")."""
    words = [t for t in name if t.i != tok.i and t.lower_ not in {"the", "a", "an"}]
    lengths = all(
        DURATION.match(t.text) or _length(t) or t.ent_type_ == "DATE" or t.like_num or t.text == "-"
        for t in words
    )
    if tok.lemma_.lower() in VISITS or not lengths:
        return False
    return any(
        e.label_ == "EVENT" and e.end <= name.start and e[-1].lower_ == tok.lower_
        for e in ents.ents
    )


def _welcome(tok: Token) -> bool:
    """A welcome ceremony: host and guest meet (rules/meeting.py), no event is named."""
    words = _words("welcome_ceremony_words")
    return tok.lemma_.lower() == "ceremony" and any(c.lower_ in words for c in tok.children)


def _numbered(tok: Token) -> bool:
    """A gathering written with its number ("the 18th Joint Commission Meeting", "19th JCM")."""
    if tok.lemma_.lower() in VISITS:
        return False
    first = tok.doc[tok.left_edge.i : tok.i]
    return any(
        t.ent_type_ == "ORDINAL" or re.fullmatch(r"\d+(?:st|nd|rd|th)", t.text) for t in first
    )


def extract(doc: Doc, ents: EntityIndex, ctx: Context) -> Iterator[FactCandidate]:
    """EVENT facts of a document: one per event noun with a name and a place, date or host,
    and one per named event that a frame of resources/facts/frames.json puts under a verb
    ("co-chaired the 21st Joint Council ...", "visited the Halal Showcase 2025")."""
    for sent in doc.sents:
        named: set[tuple[int, int]] = set()
        for tok in sent:
            if not _is_event_noun(tok) and not _event_root(tok, ents):
                continue
            if _welcome(tok):
                continue  # "the official welcome ceremony for the King": a MEETING
            found = _triggers(tok)
            if found is None and not _mention(tok, ents) and not _numbered(tok):
                if _visit(tok):
                    yield from _visit_fact(sent, tok, ents, ctx)
                continue
            name = _name(tok, ents)
            if name is None:
                if _visit(tok):  # "the visit by X ... runs from July 7 to 9"
                    yield from _visit_fact(sent, tok, ents, ctx)
                continue
            if _told_before(name, tok, ents):
                continue  # "The three-day expo, organised by ...": the named expo again
            heads, hosts, confidence = found if found is not None else ([tok], [], 0.5)
            args = [arg("name", name)]
            args += _first(_places([*heads, tok], ents), name, "place", ctx)
            args += _first(_dates([*heads, tok], sent, found is not None), name, "date", ctx)
            args += [arg("organizer", o) for o in entity_list(hosts, ents, ORGANIZERS)]
            if len(args) == 1 and found is not None:
                continue
            named.add((name.start, name.end))
            yield FactCandidate(
                "EVENT", sent.start_char, sent.end_char, tuple(args), RULE_ID, confidence
            )
        yield from _framed(sent, ents, ctx, named)


def _framed(
    sent: Span, ents: EntityIndex, ctx: Context, named: set[tuple[int, int]]
) -> Iterator[FactCandidate]:
    """EVENT facts for named events under an event verb, each conjunct its own; those the
    noun triggers already told are left alone."""
    for match in matches_in(sent, "EVENT"):
        verb, tok = match.trigger, match.tokens["name"]
        for t in [tok, *tok.conjuncts]:
            name = ents.of(t, {"EVENT"})
            if name is not None and t.i != tok.i and name.start <= tok.i < name.end:
                name = trim(noun_phrase(t, preps=("of", "on"), conj=False))  # "X and the Y" glued
            if name is None or any(s <= name.start < e for s, e in named):
                continue
            named.add((name.start, name.end))
            hosts: list[Token] = []
            if verb.lemma_.lower() in _words("event_host_verbs") and tok.dep_ == "dobj":
                hosts = [c for c in verb.children if c.dep_ == "nsubj"]
            args = [arg("name", name)]
            args += _first(_places([verb], ents), name, "place", ctx)
            args += _first(_dates([verb], sent, True), name, "date", ctx)
            args += [arg("organizer", o) for o in entity_list(hosts, ents, ORGANIZERS)]
            yield FactCandidate(
                "EVENT",
                sent.start_char,
                sent.end_char,
                tuple(args),
                FRAME_RULE_ID,
                match.frame.confidence,
            )
