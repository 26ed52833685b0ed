"""STATEMENT facts: who said what.

Triggers: a statement verb ("said", "stressed", "affirmed", "noted", "added") with a
clausal complement ("Wei said AI has emerged ...", "..., said Ambassador X"), a statement
verb as a parenthetical ("These, he said, form ..."), an emphasis verb with an object
("emphasized the need to develop AI talent", lower confidence), "According to X, ...", and
a relative clause that names its speaker ("General X, who said ...", "where Daw Y ...
said").
Speaker: the subject's PERSON entity (a person named under it: "Deputy Minister ... Bui
Hoang Phuong"), else its ORG/GPE entity, else the subject noun phrase as a literal ("the
visiting official"). Pronoun subjects ("he stated") are kept without a speaker at
confidence 0.4: there is no coreference, an analyst links them. A quotation closed
before the verb and opened sentences earlier is taken whole; its evidence then starts
at the opening quote's sentence.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from desktop.core.facts.candidates import ArgCandidate, Context, FactCandidate
from desktop.core.facts.coref import antecedent, refers
from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.rules.phrases import (
    is_pronoun,
    literal,
    noun_phrase,
    subject_of,
    subtree,
    trim,
)
from desktop.core.facts.spans import PEOPLE, EntityIndex, arg

RULE_ID = "statement.v1"
OTHER_SPEAKERS = frozenset({"ORG", "GPE"})
QUOTES = frozenset({'"', "“", "”", "''", "``"})
OPENING = frozenset({'"', "“", "``"})
QUOTE_REACH = 8  # sentences to look back for the opening quote
MIN_CONTENT = 3


def _words(name: str) -> frozenset[str]:
    return lexicon()[name]


def _content(verb: Token) -> tuple[Span | None, float]:
    """What was said, and the confidence of the pattern that found it."""
    doc = verb.doc
    ccomps = [c for c in verb.children if c.dep_ == "ccomp"]
    if ccomps:
        clause = ccomps[0]
        end = clause.right_edge.i + 1
        for conj in verb.children:  # "stressed that A, but has become B": B belongs to the clause
            own_subject = any(c.dep_.startswith("nsubj") for c in conj.children)
            if conj.dep_ == "conj" and conj.i > clause.i and not own_subject and not _says(conj):
                end = max(end, conj.right_edge.i + 1)
        return trim(doc[clause.left_edge.i : end]), 0.0
    if verb.dep_ == "parataxis":
        return trim(subtree(verb.head)), -0.05
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if objects and verb.lemma_.lower() in _words("emphasis_verbs"):
        return trim(subtree(objects[0])), -0.2
    return None, 0.0


def _says(tok: Token) -> bool:
    return tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in _words("statement_verbs")


def _speakers(tokens: list[Token], ents: EntityIndex) -> list[tuple[ArgCandidate | None, float]]:
    """(speaker argument or None, confidence) for each subject and its conjuncts."""
    out: list[tuple[ArgCandidate | None, float]] = []
    titles: list[tuple[ArgCandidate | None, float]] = []
    for tok in [_nearest(t, ents) for s in tokens for t in [s, *s.conjuncts]]:
        phrase = noun_phrase(tok, preps=("of", "to"), conj=False)
        own = ents.of(tok, PEOPLE)
        people = [own] if own is not None else ents.in_span(phrase, PEOPLE)
        other = ents.of(tok, OTHER_SPEAKERS)
        ante = antecedent(tok, ents) if refers(tok) and not people else None
        if ante is not None:
            out.append((arg("speaker", ante), 0.6))
        elif is_pronoun(tok):
            out.append((None, 0.4))
        elif people:
            out.append((arg("speaker", people[0]), 0.8))
        elif other is not None:
            out.append((arg("speaker", other), 0.7))
        elif tok.lemma_.lower() in _words("speaker_nouns") | _words("title_heads"):
            titles.append((arg("speaker", phrase), 0.55))
    # "said Deputy Prime Minister and Foreign Minister X": the titles are X's, not speakers
    named = any(a is not None and a.label in PEOPLE for a, _ in out)
    return out if named else out + titles


def _nearest(tok: Token, ents: EntityIndex) -> Token:
    """The person right before the verb in "Receiving X, President Y affirmed" (Y, not X)."""
    for child in tok.rights:
        person = ents.of(child, PEOPLE) is not None and ents.of(tok, PEOPLE) is not None
        if child.dep_ == "appos" and person:
            return child
    return tok


def _dateline(content: Span) -> Span:
    """Drop a dateline ("date 2026-03-09 BEIJING –") the sentence splitter left in front."""
    for tok in content[:10]:
        if tok.text in {"–", "—"} and tok.i > content.start and tok.nbor(-1).is_upper:
            return content.doc[tok.i + 1 : content.end]
    return content


def _quote_start(sents: list[Span], k: int, content: Span, verb: Token) -> Token | None:
    """The opening quote of a quotation that closes between the content and the verb."""
    doc = verb.doc
    if content.end > verb.i or not any(t.text in QUOTES for t in doc[content.end : verb.i]):
        return None
    if any(t.text in QUOTES for t in doc[sents[k].start : content.start]):
        return None
    for sent in reversed(sents[max(k - QUOTE_REACH, 0) : k]):
        first = next((t for t in sent if not t.is_space), None)
        if first is not None and first.text in OPENING:
            return first
        if any(t.text in QUOTES for t in sent):
            return None
    return None


def _according(sent: Span) -> Iterator[tuple[list[Token], Span | None, float]]:
    """(speaker tokens, content, confidence shift) for "According to X, ..." phrases."""
    for tok in sent:
        speakers = [o for p in tok.children if p.lower_ == "to" for o in p.children]
        if tok.lower_ == "according" and speakers:
            yield speakers, trim(subtree(tok.head, without=[tok])), -0.05


def _claims(sent: Span) -> Iterator[tuple[Token, list[Token], Span | None, float]]:
    """(verb, subject tokens, content, confidence shift) for each statement verb."""
    for tok in sent:
        if _says(tok):
            content, shift = _content(tok)
            subjects = subject_of(tok)
            if tok.dep_ == "relcl" and [s.tag_ for s in subjects] == ["WP"]:
                named = _named_before(subjects[0])
                subjects = [named] if named is not None else []  # "General X, who said"
            yield tok, subjects, content, shift
    for speakers, content, shift in _according(sent):
        yield speakers[0].head.head, speakers, content, shift


def extract(doc: Doc, ents: EntityIndex, ctx: Context) -> Iterator[FactCandidate]:
    """STATEMENT facts of a document: one per speaker and statement."""
    sents = list(doc.sents)
    for k, sent in enumerate(sents):
        for verb, subjects, content, shift in _claims(sent):
            if content is None or len(content) < MIN_CONTENT or not subjects:
                continue
            start = sent.start_char
            opening = _quote_start(sents, k, content, verb)
            if opening is not None:
                start = doc[opening.i].sent.start_char
                content = trim(doc[opening.i : content.end]) or content
            content = _dateline(content)
            if _noise(verb, content, ents):
                continue
            for speaker, confidence in _speakers(subjects, ents):
                if speaker is None and shift <= -0.2:
                    continue  # "He highlighted X": too little to keep without a speaker
                if speaker is not None and speaker.label == "GPE" and _names_only(content, ents):
                    continue  # "Cambodia ... said Sok": a country whose content is a name
                args = ([speaker] if speaker is not None else []) + [literal("content", content)]
                begin = start
                if speaker is not None and speaker.start < begin:  # a pronoun's antecedent
                    named = doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
                    begin = named.sent.start_char if named is not None else begin
                yield FactCandidate(
                    "STATEMENT", begin, sent.end_char, tuple(args), RULE_ID, confidence + shift
                )


def _noise(verb: Token, content: Span, ents: EntityIndex) -> bool:
    """Not a statement: a verb inside a relative clause ("..., which he said is very
    important") or a content that opens with a relative word or holds a dateline."""
    if verb.dep_ == "relcl" and not _told_by_name(verb):
        return True
    if len(content) and content[0].lower_ in {"which", "who", "whom"}:
        return True
    return any(
        t.text in {"(", "–", "—", "--"}
        and t.i + 1 < len(t.doc)
        and t.nbor(1).is_upper
        and t.i > content.start + 1
        and t.nbor(-1).text == ")"
        for t in content
    )


def _named_before(who: Token) -> Token | None:
    """The last word of the name right before ", who" (the parser may hang the clause on
    another noun: "held talks with General X, who said")."""
    doc = who.doc
    if who.i < 2 or doc[who.i - 1].text != ",":
        return None
    last = doc[who.i - 2]
    return last if last.ent_type_ == "PERSON" else None


def _told_by_name(verb: Token) -> bool:
    """A relative clause that still reports a named speaker: "X, who said ..." or
    "where Daw Y, chairperson of the zone, said ..." (not "which he said is important")."""
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if [s.tag_ for s in subjects] == ["WP"]:
        return _named_before(subjects[0]) is not None
    relative = [c for c in verb.children if c.tag_ in {"WRB", "WDT", "WP"}]
    return bool(subjects) and subjects[0].ent_type_ == "PERSON" and bool(relative)


def _names_only(content: Span, ents: EntityIndex) -> bool:
    """Whether a content is no more than one person's name (with edge punctuation)."""
    words = [t for t in content if not t.is_punct]
    return bool(words) and all(ents.of(t, PEOPLE) is not None for t in words)
