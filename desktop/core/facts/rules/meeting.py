"""MEETING facts: who met whom, where and when.

Triggers: meeting verbs ("met", "received", "welcomed"), a light verb with a meeting
noun ("held talks with"), and meeting nouns with "between A and B" ("the talks
between X and Y"). Participants are the entities the subject and the objects stand
for; place and date come from the same sentence.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from desktop.core.facts.candidates import Context, FactCandidate
from desktop.core.facts.coref import antecedent, refers
from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.rules.common import date_args, entities_under, place_args
from desktop.core.facts.spans import PEOPLE, EntityIndex, arg

RULE_ID = "meeting.v1"
PARTIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
VISITS = frozenset({"call", "visit"})  # "called on X", "paid a courtesy call on X"
CLAUSE_BREAKS = frozenset({"where", "who", "which", "while", "whereas", ";", "after", "before"})
VISITORS = frozenset({"PERSON", "ORG"})
FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})  # a verb of another clause ends the search


def _people(tokens: list[Token], ents: EntityIndex) -> list[Span]:
    """The participants tokens stand for: the people named under them, else their own entity."""
    found: list[Span] = []
    for tok in tokens:
        for t in [tok, *tok.conjuncts]:
            people = entities_under(t, ents, PEOPLE)
            own = ents.of(t, PARTIES)
            for ent in people or ([own] if own is not None else []):
                if ent not in found:
                    found.append(ent)
    return found


def _with_objects(token: Token) -> list[Token]:
    """Objects introduced by "with" or "between" under a token."""
    out = []
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in {"with", "between"}:
            out.extend(c for c in prep.children if c.dep_ == "pobj")
    return out


def _left(sent: Span, trigger: Token, ents: EntityIndex) -> list[Span]:
    """The person named before a trigger in its clause (no other verb between), or the
    person a pronoun or "the minister" subject stands for ("He also met ...")."""
    found: list[Span] = []
    for tok in reversed(sent[: trigger.i - sent.start]):
        if (tok.pos_ == "VERB" and tok.dep_ not in {"amod", "acl"}) or tok.lower_ in CLAUSE_BREAKS:
            break
        person = ents.of(tok, PEOPLE)
        if person is not None:
            return [person]
        if refers(tok) and tok.dep_ in SUBJECTS:
            ante = antecedent(tok, ents)
            return [ante] if ante is not None else []
    return found


def _right(sent: Span, trigger: Token, ents: EntityIndex) -> list[Span]:
    """People (and, after "with", organisations) named after a trigger up to a clause break."""
    found: list[Span] = []
    labels = PEOPLE
    for tok in sent[trigger.i + 1 - sent.start :]:
        if tok.lower_ in CLAUSE_BREAKS or tok.tag_ in FINITE:
            break
        if tok.lower_ == "with" and tok.head.i in {trigger.i, trigger.head.i}:
            labels = VISITORS
        ent = ents.of(tok, labels)
        if ent is not None and ent not in found:
            found.append(ent)
    return _without_title_bodies(found)


def _without_title_bodies(found: list[Span]) -> list[Span]:
    """Drop the organisations named before a person ("talks with member of the X Central
    Committee, Deputy Secretary of the Y Committee ... Wei Tao"): they are the body of the
    person's titles, not participants of their own."""
    last_person = max((i for i, e in enumerate(found) if e.label_ == "PERSON"), default=-1)
    return [
        e
        for i, e in enumerate(found)
        if e.label_ == "PERSON" or i > last_person or "delegation" in e.text.lower()
    ]


def _is_title(ent: Span) -> bool:
    """A participant that is only title words ("Councilor", "the Minister")."""
    words = [t for t in ent if t.lower_ not in {"the", "a"}]
    return bool(words) and all(t.lower_ in lexicon()["title_words"] for t in words)


def _triggers(sent: Span) -> Iterator[tuple[Token, list[Token], list[Token], float]]:
    """(trigger, subject tokens, object tokens, confidence) for each meeting in a sentence."""
    lex = lexicon()
    for tok in sent:
        if tok.lemma_.lower() in VISITS and any(c.lower_ == "on" for c in tok.children):
            yield tok, [], [], 0.7  # "called on X": the names around it are the participants
        elif tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in lex["meeting_verbs"]:
            subjects = [c for c in tok.children if c.dep_ in SUBJECTS]
            objects = [c for c in tok.children if c.dep_ == "dobj"] + _with_objects(tok)
            yield tok, subjects, objects, 0.75
        elif tok.lemma_.lower() in lex["meeting_nouns"] or tok.lower_ in lex["meeting_nouns"]:
            verb = tok.head
            if tok.dep_ == "dobj" and verb.lemma_.lower() in lex["meeting_light_verbs"]:
                subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
                objects = _with_objects(tok) + _with_objects(verb)
                yield tok, subjects, objects, 0.8
            elif _with_objects(tok):
                yield tok, [], _with_objects(tok), 0.7


def extract(doc: Doc, ents: EntityIndex, ctx: Context) -> Iterator[FactCandidate]:
    """MEETING facts of a document: one per sentence and set of participants."""
    for sent in doc.sents:
        best: dict[frozenset[tuple[int, int]], FactCandidate] = {}
        for trigger, subjects, objects, confidence in _triggers(sent):
            participants = _people(subjects + objects, ents)
            for ent in _left(sent, trigger, ents) + _right(sent, trigger, ents):
                if ent not in participants:
                    participants.append(ent)
            participants = sorted(
                (p for p in participants if not _is_title(p)), key=lambda p: p.start
            )
            if len(participants) < 2:
                continue
            args = [arg("participant", p) for p in participants]
            args += place_args(sent, trigger.i, ents) + date_args(sent, ctx)
            start = min(sent.start_char, participants[0].start_char)
            if start < sent.start_char:  # a pronoun's antecedent: its sentence joins the evidence
                start = participants[0].sent.start_char
            fact = FactCandidate("MEETING", start, sent.end_char, tuple(args), RULE_ID, confidence)
            key = frozenset((p.start, p.end) for p in participants)
            if key not in best or (len(args), confidence) > (
                len(best[key].arguments),
                best[key].confidence,
            ):
                best[key] = fact
        yield from best.values()
