"""MEETING facts: who met whom, where and when.

The predicate frames are DependencyMatcher patterns in resources/facts/frames.json: a
meeting verb with its subject and objects ("A met (with) B", "A received B"), a light verb
with a meeting noun ("A held talks with B", "A paid a courtesy call on B"), a meeting noun
with "with/between" ("the talks between A and B", "during the meeting with B"), a call
received from someone ("A received a courtesy call from a delegation led by B").
This module turns a trigger's matched nodes into participants:
- the side that acts is the trigger's subject, or, when the trigger has none, the subject
  of the clause it hangs from ("During the meeting with B, A said"; "after receiving a call
  from B"; "is scheduled to ... meet with B");
- a pronoun or "the minister" is the person it stands for (facts/coref.py); "the two
  leaders" are the participants of the latest meeting shortly before (else the latest two
  people named side by side, "A and B held ...", else the last two people named);
- an object that is only a title ("met Coordinating Minister for X and Y Pak Z", "talks
  with Vice-Senior General Z") is the person named right after its title words;
- an object is the people named in its phrase (a delegation's organisation with them), its
  own entity, or a group written without a name ("the Cambodian delegation");
- objects met one after the other ("met with A at X and with B", "met with A and B
  separately", "meetings with A and B") are separate meetings of the acting side with each.
Title words alone ("Councilor") are never participants. Place and date come from the
sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from desktop.core.facts import coref
from desktop.core.facts.candidates import Context, FactCandidate
from desktop.core.facts.frames import FrameMatch, matches_in
from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.rules.common import date_args, place_args
from desktop.core.facts.spans import EntityIndex, arg

RULE_ID = "meeting.v2"
PARTIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
GROUP_LABELS = frozenset({"ORG", "GPE", "NORP"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
PHRASE_SKIP = frozenset({"relcl", "advcl", "ccomp", "conj", "cc", "parataxis", "punct", "poss"})
PHRASE_PREPS = frozenset({"of", "from", "by", "for"})  # "Minister for Labour U Thet"
LEADING = frozenset({"lead", "head", "include", "comprise", "represent"})
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
CLIMB_STOP = frozenset({"ccomp", "relcl", "parataxis", "ROOT"})
# verbs whose meeting needs no object: "the two leaders met", "A and B co-hosted ..."
ALONE_VERBS = frozenset({"meet"})
CLIMB = 6  # heads to climb looking for the acting side
NUMBERED = re.compile(r"^\d+(?:st|nd|rd|th)$", re.I)  # a meeting of a numbered series
PAIR_GAP = 8  # tokens between two names told side by side
AFTER_REACH = 16  # tokens from a title object to the name it announces
TITLE_GLUE = frozenset({"for", "of", "and", "the", "in", "on"})


@dataclass
class _Trigger:
    """What the frames found on one trigger token."""

    token: Token
    confidence: float = 0.0
    agents: list[Token] = field(default_factory=list)
    partners: list[tuple[int, Token]] = field(default_factory=list)  # (attachment, object)
    frames: set[str] = field(default_factory=set)


def _words(name: str) -> frozenset[str]:
    return lexicon()[name]


def _gather(sent: Span) -> list[_Trigger]:
    """The frame matches of a sentence, gathered by trigger token."""
    found: dict[int, _Trigger] = {}
    for match in matches_in(sent, "MEETING"):
        trig = found.setdefault(match.trigger.i, _Trigger(match.trigger))
        trig.confidence = max(trig.confidence, match.frame.confidence)
        trig.frames.add(match.frame.name)
        _add(trig, match)
    return [found[i] for i in sorted(found)]


def _add(trig: _Trigger, match: FrameMatch) -> None:
    tokens = match.tokens
    agent = tokens.get("agent")
    if agent is not None and agent not in trig.agents:
        trig.agents.append(agent)
    partner = tokens.get("partner")
    if partner is None:
        return
    prep = tokens.get("prep")
    attachment = prep.i if prep is not None else -1
    if (attachment, partner) not in trig.partners:
        trig.partners.append((attachment, partner))
    for other in prep.conjuncts if prep is not None else ():
        # "met with A at X and with B": each "with" is a meeting of its own
        for obj in other.children:
            if obj.dep_ == "pobj" and (other.i, obj) not in trig.partners:
                trig.partners.append((other.i, obj))


def _climb(trigger: Token) -> list[Token]:
    """The trigger's own subject, or the subject of the clause it hangs from."""
    own = [c for c in trigger.children if c.dep_ in SUBJECTS]
    if own and trigger.pos_ in {"VERB", "AUX"}:
        return own
    tok = trigger
    for _ in range(CLIMB):
        if tok.dep_ in CLIMB_STOP or tok.head.i == tok.i:
            return []
        head = tok.head
        subjects = [c for c in head.children if c.dep_ in SUBJECTS]
        if subjects and head.pos_ in {"VERB", "AUX"}:
            return subjects
        if tok.dep_ == "relcl":
            return []
        tok = head
    return []


def _phrase_tokens(tok: Token) -> set[int]:
    """The token indexes of an object's phrase: its modifiers, "of/from/by" phrases, an
    apposition and "led by" (no relative clauses, conjuncts, places or times)."""
    out = {tok.i}
    for child in tok.children:
        if child.dep_ in PHRASE_SKIP:
            continue
        if child.dep_ == "prep" and child.lower_ not in PHRASE_PREPS:
            continue
        if child.dep_ in {"acl", "agent"} and child.lemma_.lower() not in LEADING | {"by"}:
            continue
        out |= _phrase_tokens(child)
        if child.dep_ == "appos":  # a chain of titles: "member of X, Deputy Secretary of Y
            for title in child.conjuncts:  # and Chairman of Z Wei Tao": the name ends it
                out |= _phrase_tokens(title)
    return out


def _is_title(ent: Span) -> bool:
    """A participant that is only title words ("Councilor", "the Minister")."""
    words = [t for t in ent if t.lower_ not in {"the", "a"}]
    return bool(words) and all(t.lower_ in _words("title_words") for t in words)


@dataclass
class _Memory:
    """What earlier sentences of the document said: meetings, for "the two leaders"."""

    meetings: list[tuple[int, list[Span]]] = field(default_factory=list)  # (sentence start, people)
    agents: list[tuple[int, list[Span]]] = field(default_factory=list)  # who met, by sentence
    guests: list[tuple[int, list[Span]]] = field(default_factory=list)  # who was met

    def latest_guests(self, sent: Span) -> list[Span]:
        """Who was met (the objects) in the latest meeting a few sentences before `sent`."""
        sents = list(sent.doc.sents)
        k = next((n for n, s in enumerate(sents) if s.start == sent.start), 0)
        first = sents[max(k - coref.REACH, 0)].start
        for start, people in reversed(self.guests):
            if first <= start < sent.start:
                return people
        return []

    def latest_agents(self, sent: Span) -> list[Span]:
        """The acting side of the latest meeting a few sentences before `sent`."""
        sents = list(sent.doc.sents)
        k = next((n for n, s in enumerate(sents) if s.start == sent.start), 0)
        first = sents[max(k - coref.REACH, 0)].start
        for start, people in reversed(self.agents):
            if first <= start < sent.start:
                return people
        return []


def _pair(tok: Token, ents: EntityIndex, memory: _Memory) -> list[Span] | None:
    """ "The two leaders", "both sides": the participants of the latest meeting a few
    sentences before, else the last two people named; None if the token is no such phrase."""
    if tok.lower_ not in _words("meeting_pair_nouns"):
        return None
    if not any(c.lower_ in _words("meeting_pair_words") for c in tok.lefts):
        return None
    sents = list(tok.doc.sents)
    k = next((n for n, s in enumerate(sents) if s.start == tok.sent.start), 0)
    first = sents[max(k - coref.REACH, 0)].start
    for start, people in reversed(memory.meetings):
        if first <= start < tok.sent.start:
            return people
    named = [
        e
        for e in ents.ents
        if e.label_ == "PERSON" and first <= e.start and e.end <= tok.sent.start
    ]
    for one, later in reversed(list(pairwise(named))):
        if _side_by_side(one, later):  # "A and Prime Minister B held ...": that pair first
            return [one, later]
    people: list[Span] = []
    for ent in reversed(named):
        if all(p.text != ent.text for p in people):
            people.append(ent)
        if len(people) == 2:
            return people[::-1]
    return []


def _side_by_side(one: Span, other: Span) -> bool:
    """Two names joined by "and" with only title words between ("President A and Prime
    Minister B")."""
    between = one.doc[one.end : other.start]
    return (
        one.sent.start == other.sent.start
        and len(between) <= PAIR_GAP
        and any(t.lower_ == "and" for t in between)
        and not any(t.pos_ in {"VERB", "AUX"} or t.text in {",", ";"} for t in between)
    )


def _resolve(tok: Token, ents: EntityIndex, memory: _Memory, people_only: bool) -> list[Span]:
    """The participants one subject or object token stands for (`people_only`: people and
    delegations, not a country or company on its own)."""
    doc = tok.doc
    if tok.tag_ in {"WP", "WDT"} and tok.head.dep_ == "relcl":
        tok = tok.head.head  # "Wen, who met ...": the relative pronoun is its noun
    if tok.text == "He" and tok.i > tok.sent.start and not doc[tok.i - 1].is_quote:
        return [doc[tok.i : tok.i + 1]]  # "He" inside a sentence is the surname, not a pronoun
    pair = _pair(tok, ents, memory)
    if pair is not None:
        return pair
    if coref.refers(tok):
        if tok.dep_ in SUBJECTS and tok.lower_ in coref.PRONOUNS:
            earlier = memory.latest_agents(tok.sent)  # "He also met ...": the same visitor
            if len(earlier) == 1:
                return earlier
        ante = coref.antecedent(tok, ents, far=True)  # "the Prime Minister called on ..."
        return [ante] if ante is not None else []
    own = ents.of(tok, PARTIES)
    if people_only and own is not None and own.label_ != "PERSON":
        own = None
    inside = _phrase_tokens(tok)
    people = [
        e
        for e in ents.ents
        if e.label_ == "PERSON" and all(i in inside for i in range(e.start, e.end))
    ]
    group = tok.lemma_.lower() in _words("meeting_group_nouns") or tok.lower_ in _words(
        "meeting_group_nouns"
    )
    if group:
        direct = {
            o.i
            for prep in tok.children
            if prep.dep_ == "prep" and prep.lower_ in {"of", "from"}
            for o in prep.children
            if o.dep_ == "pobj"
        }
        bodies = [
            e
            for e in ents.ents
            if e.label_ in GROUP_LABELS and any(i in direct for i in range(e.start, e.end))
        ]
        if people or bodies:
            return sorted(bodies + people, key=lambda e: e.start)
        if any(c.lower_ == "the" for c in tok.lefts) and (told := memory.latest_guests(tok.sent)):
            return told  # "received the delegation": the one met shortly before
        if tok.lower_ in _words("meeting_unnamed_groups"):
            return [_literal(tok)]
        return []
    if people:
        return people
    if own is not None and not _is_title(own):
        return [own]
    after = _person_after(tok, ents)
    return [after] if after is not None else []


def _person_after(tok: Token, ents: EntityIndex) -> Span | None:
    """The person a title object names when the parser hung the name elsewhere: the first
    PERSON after a run of title words, forms of address and portfolio words ("met
    Coordinating Minister for Maritime Affairs and Investment Pak Bambang Suryadi", "talks
    with Vice-Senior General Than Zaw Naing"); None past a comma, a verb or a lower-case
    word other than "for", "of", "and", "the"."""
    doc, sent = tok.doc, tok.sent
    if tok.pos_ not in {"NOUN", "PROPN", "ADP"} or tok.ent_type_ in GROUP_LABELS - {"NORP"}:
        return None
    for j in range(tok.i, min(sent.end, tok.i + AFTER_REACH)):
        word = doc[j]
        person = ents.of(word, frozenset({"PERSON"}))
        if person is not None and not _is_title(person):
            return person
        if j == tok.i:
            continue
        if word.is_punct and word.text not in {"-", "'", "’", "."}:
            return None
        if word.pos_ in {"VERB", "AUX"} or (word.is_lower and word.lower_ not in TITLE_GLUE):
            return None
    return None


def _literal(tok: Token) -> Span:
    """A group written without a name: the noun with its left modifiers ("the Cambodian
    delegation", "a team of Chinese medical doctors")."""
    inside = sorted(i for i in _phrase_tokens(tok) if i <= tok.i or tok.doc[i].dep_ != "prep")
    start = min(inside)
    end = tok.i + 1
    of = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
    if of:
        objs = [c for c in of[0].children if c.dep_ == "pobj"]
        if objs:
            end = objs[0].i + 1
    return tok.doc[start:end]


def _participants(
    trig: _Trigger, ents: EntityIndex, memory: _Memory
) -> tuple[list[Span], list[list[Span]]]:
    """(the acting side, the objects' participants by meeting)."""
    doc = trig.token.doc
    between = any(a >= 0 and doc[a].lower_ == "between" for a, _ in trig.partners)
    agents_tokens = trig.agents or ([] if between else _climb(trig.token))
    agents: list[Span] = []
    for tok in agents_tokens:
        for t in [tok, *tok.conjuncts]:
            for p in _resolve(t, ents, memory, people_only=False):
                if p not in agents:
                    agents.append(p)
    separate = _separately(trig)
    strict = _people_only(trig)
    meetings: dict[int, list[Span]] = {}
    for n, (attachment, obj) in enumerate(trig.partners):
        for k, t in enumerate([obj, *obj.conjuncts]):
            key = attachment if not separate else attachment * 1000 + n * 100 + k
            found = _resolve(t, ents, memory, people_only=strict)
            if k and not found:
                continue
            meetings.setdefault(key, [])
            for p in found:
                if p not in meetings[key] and p not in agents:
                    meetings[key].append(p)
    if not trig.partners and trig.token.lemma_.lower() in _words("meeting_call_nouns"):
        # "paid a courtesy call on Deputy Governor Ms. X" with the name parsed elsewhere
        for prep in trig.token.children:
            if prep.dep_ == "prep" and prep.lower_ in {"on", "to", "with"}:
                found = _person_after(prep, ents)
                if found is not None and found not in agents:
                    meetings[prep.i] = [found]
    return agents, [m for m in meetings.values() if m]


def _people_only(trig: _Trigger) -> bool:
    """Whether the objects must be people or delegations: a call is paid on a person, one
    receives or welcomes a visitor (not "welcomed Chinese investment"); one meets or holds
    talks with companies and countries too."""
    tok = trig.token
    return tok.lemma_.lower() not in {"meet"} and tok.lemma_.lower() not in {
        "talk",
        "talks",
        "meeting",
        "discussion",
        "consultation",
        "dialogue",
    }


def _separately(trig: _Trigger) -> bool:
    """Objects met each on their own: "separately", or a plural "meetings with A and B"."""
    tok = trig.token
    words = _words("meeting_separate_words")
    near = [*tok.subtree, *tok.head.children]
    if any(c.lower_ in words for c in near):
        return True
    return tok.tag_ == "NNS" and tok.lower_ not in {"talks"}


def _licensed(trig: _Trigger, objects: list[list[Span]]) -> bool:
    """Whether a trigger without objects still says a meeting took place ("the two leaders
    met", "A and B held talks", "after talks in Mae Sot"), not "the meeting" said again."""
    tok = trig.token
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and _is_document(tok.head.head):
        return False  # "a record of discussion", "minutes of meeting": a document
    if tok.pos_ in {"NOUN", "PROPN"} and any(NUMBERED.match(c.text) for c in tok.lefts):
        return False  # "the 11th annual cooperation meeting between A and B": an EVENT
    if objects:
        return True
    if tok.pos_ in {"VERB", "AUX"}:
        cohost = tok.i >= 2 and tok.doc[tok.i - 2].lower_ == "co"
        return tok.lemma_.lower() in ALONE_VERBS or cohost
    return not any(c.lower_ in DEFINITE or c.dep_ == "poss" for c in tok.lefts)


def _is_document(tok: Token) -> bool:
    return tok.lower_ in _words("agreement_nouns") or tok.lemma_.lower() in _words(
        "agreement_nouns"
    )


def extract(doc: Doc, ents: EntityIndex, ctx: Context) -> Iterator[FactCandidate]:
    """MEETING facts of a document: one per trigger and meeting."""
    memory = _Memory()
    for sent in doc.sents:
        best: dict[frozenset[tuple[int, int]], tuple[FactCandidate, list[Span]]] = {}
        told_again: set[frozenset[tuple[int, int]]] = set()
        guests_of: dict[frozenset[tuple[int, int]], list[Span]] = {}
        agents_of: dict[int, list[Span]] = {}
        for trig in _gather(sent):
            agents, objects = _participants(trig, ents, memory)
            if not _licensed(trig, objects):
                continue
            agents_of[trig.token.i] = agents
            for group in objects or [[]]:
                people = [p for p in agents + group if not _is_title(p)]
                people = sorted({(p.start, p.end): p for p in people}.values(), key=_start)
                if len({p.text.lower() for p in people}) < 2:
                    continue
                fact = _fact(sent, trig, people, ents, ctx)
                key = frozenset((p.start, p.end) for p in people)
                if _definite(trig.token) and _met_before(people, memory):
                    told_again.add(key)
                old = best.get(key)
                if old is None or (len(fact.arguments), fact.confidence) > (
                    len(old[0].arguments),
                    old[0].confidence,
                ):
                    best[key] = (fact, people)
                    guests_of[key] = [p for p in group if p in people]
        kept: list[list[Span]] = []
        for key, (fact, people) in best.items():
            if any(key < other for other in best):
                continue  # the same meeting, told with more participants by another frame
            if key in told_again:
                continue  # "During the meeting with Wen, Oum Vichet said": told before
            if any(_same_people(people, other) for other in kept):
                continue  # "chaired the welcome ceremony for the King, after which the two
                # leaders held talks": one meeting, its people named twice
            kept.append(people)
            memory.meetings.append((sent.start, people))
            memory.guests.append((sent.start, guests_of[key]))
            yield fact
        memory.agents += [(sent.start, a) for a in agents_of.values() if a]


def _definite(tok: Token) -> bool:
    """A meeting noun told as known: "the meeting with", "their talks"."""
    nominal = tok.pos_ in {"NOUN", "PROPN"}
    return nominal and any(c.lower_ in DEFINITE or c.dep_ == "poss" for c in tok.lefts)


def _met_before(people: list[Span], memory: _Memory) -> bool:
    """Whether every participant is (part of the name of) a participant of one earlier
    meeting of the document."""
    for _start_at, earlier in memory.meetings:
        words = [set(p.text.lower().split()) for p in earlier]
        if all(any(set(p.text.lower().split()) <= w for w in words) for p in people):
            return True
    return False


def _same_people(one: list[Span], other: list[Span]) -> bool:
    """Whether two lists of participants name the same people ("Thành" in "Lương Đức
    Thành"), each one of the other's."""

    def within(a: list[Span], b: list[Span]) -> bool:
        words = [set(p.text.lower().split()) for p in b]
        return all(
            any(set(p.text.lower().split()) <= w or w <= set(p.text.lower().split()) for w in words)
            for p in a
        )

    return len(one) == len(other) and within(one, other) and within(other, one)


def _start(span: Span) -> int:
    return span.start


def _fact(
    sent: Span, trig: _Trigger, people: list[Span], ents: EntityIndex, ctx: Context
) -> FactCandidate:
    """The fact for one meeting: participants, the sentence's place and date."""
    args = [arg("participant", p) for p in people]
    args += place_args(sent, trig.token.i, ents) + date_args(sent, ctx)
    start = sent.start_char
    if people[0].start_char < start:  # an antecedent: its sentence joins the evidence
        start = people[0].sent.start_char
    return FactCandidate("MEETING", start, sent.end_char, tuple(args), RULE_ID, trig.confidence)
