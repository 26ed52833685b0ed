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
from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.rules.common import date_args, entities_under, place_args
from desktop.core.facts.spans import PEOPLE, EntityIndex, arg

RULE_ID = "meeting.v1"
PARTIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})


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


def _triggers(sent: Span) -> Iterator[tuple[Token, list[Token], list[Token], float]]:
    """(trigger, subject tokens, object tokens, confidence) for each meeting in a sentence."""
    lex = lexicon()
    for tok in sent:
        if tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in lex["meeting_verbs"]:
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
            if len(participants) < 2:
                continue
            args = [arg("participant", p) for p in participants]
            args += place_args(sent, trigger.i, ents) + date_args(sent, ctx)
            fact = FactCandidate(
                "MEETING", sent.start_char, sent.end_char, tuple(args), RULE_ID, confidence
            )
            key = frozenset((p.start, p.end) for p in participants)
            if key not in best or (len(args), confidence) > (
                len(best[key].arguments),
                best[key].confidence,
            ):
                best[key] = fact
        yield from best.values()
