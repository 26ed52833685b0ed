"""AGREEMENT facts: who signed how many agreements on what, and when.

Triggers: an agreement noun ("agreement", "MoU", "memorandum", "deal") that is the object
of a signing verb ("signed", "concluded", "inked"), its passive subject ("deals were
signed"), a participle on it ("agreements signed by ..."), or the object of a signing
noun ("the signing of 44 agreements"). Parties are the entities of the verb's subject
and of "with", "between" and "by" phrases; the count is the number on the noun; the
subject is the "on/in/for X" phrase ("in the fields of X" gives X). Passive signings
often name no signer ("The MOUs were signed on Monday", "the signing of four MOUs was
witnessed by P"): the parties stay unknown, the agreement's own noun phrase stands in for
the subject when the fact has something else to say (a date, a count, a witness), and
those who witnessed it ("witnessed by", "in the presence of") are its participants. A
negated signing ("did not sign") proposes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from desktop.core.facts.candidates import ArgCandidate, Context, FactCandidate
from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.rules.phrases import (
    entity_list,
    is_pronoun,
    noun_phrase,
    object_of,
    subtree,
    trim,
)
from desktop.core.facts.spans import PLACES, EntityIndex, arg, sent_ents
from desktop.core.facts.values import normalize

RULE_ID = "agreement.v1"
PARTIES = frozenset({"ORG", "GPE", "NORP", "PERSON"})
SUBJECT_PREPS = ("on", "in", "for", "regarding", "concerning", "about", "covering")
VERB_PREPS = ("on", "regarding", "concerning", "about")
WHEN = frozenset({"DATE", "TIME"})
FIELD_WORDS = frozenset({"field", "fields", "area", "areas", "sector", "sectors", "domain"})
GENERIC = frozenset({"cooperation", "framework", "bilateral", "new", "several", "many"})
# "a total of 15 agreements were signed": the noun a quantity word passes the signing to
QUANTITY_HEADS = frozenset({"total", "number", "series", "set", "package", "batch", "range"})
# "the signing ceremony for the agreements": nouns a signing word can qualify
CEREMONY_NOUNS = frozenset({"ceremony", "event", "session"})
WITNESS_VERBS = frozenset({"witness", "attend", "observe", "oversee", "preside"})
WITNESSES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
ANAPHOR_REACH = 2  # sentences after an agreement in which "the agreement" is that one
# words that end the signers named after "by"
SIGNER_STOPS = frozenset({"in", "at", "during", "on", "after", "before", "following", "under"})
SIGNER_STOPS |= {"while", "when", "as", "with", "witnessed"}


SETTINGS = frozenset({"sidelines", "sideline", "margins", "margin", "occasion", "behalf"})


def _is_agreement(tok: Token) -> bool:
    lex = lexicon()
    return tok.pos_ in {"NOUN", "PROPN"} and (
        tok.lower_ in lex["agreement_nouns"] or tok.lemma_.lower() in lex["agreement_nouns"]
    )


def _is_signing(tok: Token) -> bool:
    words = lexicon()
    return tok.lemma_.lower() in words["agreement_verbs"] or tok.lower_ in words["signing_nouns"]


def _trigger(noun: Token) -> tuple[Token, float] | None:
    """The signing word an agreement noun depends on, and the pattern's confidence."""
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in QUANTITY_HEADS:
        noun, head = head.head, head.head.head  # "a total of 15 agreements were signed"
    if noun.dep_ in {"dobj", "nsubjpass"} and head.pos_ in {"VERB", "AUX"} and _is_signing(head):
        return head, 0.8
    for child in noun.children:
        if child.dep_ == "acl" and child.tag_ == "VBN" and _is_signing(child):
            return child, 0.75
    if noun.dep_ == "pobj" and head.lower_ == "of" and _is_signing(head.head):
        return head.head, 0.75
    if noun.dep_ == "pobj" and head.lower_ == "for" and head.head.lower_ in CEREMONY_NOUNS:
        ceremony = head.head  # "the signing ceremony for the agreements"
        signing = [c for c in ceremony.lefts if c.dep_ in {"compound", "amod"} and _is_signing(c)]
        if signing:
            return signing[0], 0.7
    return None


def _negated(trigger: Token) -> bool:
    """ "did not sign", "never signed": a signing that did not happen."""
    return any(c.dep_ == "neg" for c in trigger.children)


def _own_phrase(noun: Token) -> Span | None:
    """The agreement noun with its compounds and adjectives, without articles or numbers."""
    kept = [c for c in noun.lefts if c.dep_ in {"compound", "amod"} and c.i == noun.i - 1]
    start = kept[0].left_edge.i if kept else noun.i
    span = noun.doc[start : noun.i + 1]
    of = object_of(noun, "of")  # "memorandum of understanding"
    if of and of[0].lower_ in {"understanding", "cooperation", "intent"}:
        span = noun.doc[start : of[0].i + 1]
    return trim(span)


def _clause(trigger: Token) -> Token:
    """The verb whose clause tells how the signing went: the trigger or the verb above it."""
    if trigger.pos_ in {"VERB", "AUX"}:
        return trigger
    return trigger.head if trigger.head.pos_ in {"VERB", "AUX"} else trigger


def _witnesses(trigger: Token, ents: EntityIndex) -> list[ArgCandidate]:
    """Who witnessed the signing: "was witnessed by P", "in the presence of P"."""
    tokens: list[Token] = []
    clause = _clause(trigger)
    for verb in {clause, trigger}:
        if verb.lemma_.lower() in WITNESS_VERBS:
            tokens += object_of(verb, "by")
        for presence in object_of(verb, "in"):
            if presence.lower_ == "presence":
                tokens += object_of(presence, "of")
    found = entity_list(tokens, ents, WITNESSES)
    if found:
        return [arg("participant", e) for e in found]
    phrases = [trim(noun_phrase(t, preps=())) for t in tokens]
    return [arg("participant", p) for p in phrases if p is not None and not is_pronoun(p.root)]


def _subject(noun: Token, trigger: Token, ents: EntityIndex) -> Span | None:
    """What the agreement is about, without the signers a "between" phrase inside it names."""
    span = _subject_phrase(noun, trigger, ents)
    if span is None:
        return None
    cut = [b.i for b in _betweens(noun, trigger) if span.start < b.i < span.end]
    return trim(span.doc[span.start : min(cut)]) if cut else span


def _subject_phrase(noun: Token, trigger: Token, ents: EntityIndex) -> Span | None:
    """What the agreement is about: "on AI", "in the fields of the digital economy and AI"."""
    holders = [noun, *object_of(noun, "of")]  # "memorandum of understanding on X"
    found = [o for h in holders for o in object_of(h, *SUBJECT_PREPS)]
    found += object_of(trigger, *VERB_PREPS)
    # "an MoU between A and B on X": the parser hangs "on X" on B
    found += [o for b in _inner_between(noun) for p in b.children for o in object_of(p, "on")]
    found += [
        o
        for p in object_of(noun, "between", "with")
        for c in p.conjuncts
        for o in object_of(c, "on")
    ]
    for obj in found:
        if obj.lower_ in SETTINGS:
            continue  # "On the sidelines, X inked ...": where it happened, not what
        if obj.lower_ in FIELD_WORDS and object_of(obj, "of"):
            obj = object_of(obj, "of")[0]
        elif ents.of(obj, WHEN) is not None or (
            obj.head.lower_ in {"in", "for"} and ents.of(obj, PLACES) is not None
        ):
            continue  # "on Monday", "in Hanoi": when and where, not what
        if obj.tag_ == "VBG" or obj.dep_ == "pcomp":  # "an MOU on exploring a zone in X"
            return trim(subtree(obj))
        # "on cooperation in halal industry development": the field says what it is about
        fields = [o for o in object_of(obj, "in") if ents.of(o, PLACES | WHEN) is None]
        preps = ("of", "in") if obj.lower_ in GENERIC and fields else ("of",)
        return trim(noun_phrase(obj, preps=preps))
    if noun.dep_ == "pobj" and noun.head.lower_ == "under" and noun.head.head.pos_ == "VERB":
        done = [c for c in noun.head.head.children if c.dep_ == "dobj"]
        if done:  # "China will provide grant aid ... under an agreement signed on ..."
            return trim(noun_phrase(done[0], preps=("of", "worth"), conj=False))
    for clause in (c for c in noun.children if c.dep_ == "relcl"):
        opening = [c for c in clause.children if c.dep_ == "prep" and c.i < clause.i]
        if opening and opening[0].lower_ == "under":  # "an agreement under which X will Y"
            return trim(noun.doc[clause.left_edge.i : clause.right_edge.i + 1][2:])
    for clause in (c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB"):
        if any(c.lower_ == "to" and c.dep_ == "aux" for c in clause.children):
            return trim(subtree(clause))  # "inked an agreement with Y to develop a park"
    compounds = [c for c in noun.lefts if c.dep_ == "compound" and c.lower_ not in GENERIC]
    return noun.doc[compounds[0].left_edge.i : compounds[-1].i + 1] if compounds else None


def _parties(noun: Token, trigger: Token, ents: EntityIndex, subject: Span | None) -> list[Span]:
    """Entities of the signers: those named where the verb's subject or its "by" phrase is
    written, and the objects of "with/between/among"."""
    found: list[Span] = []
    doc = trigger.doc
    if trigger.pos_ in {"VERB", "AUX"} and trigger.dep_ != "acl":
        subjects = [c for c in trigger.children if c.dep_ == "nsubj"]
        if subjects:
            start = min(c.left_edge.i for c in subjects)
            found += _signers(doc[max(start, trigger.sent.start) : trigger.i], ents)
    for by in (c for h in (trigger, noun) for c in h.children if c.lower_ == "by"):
        if by.dep_ in {"agent", "prep"}:
            found += _signers(doc[by.i + 1 : _signers_end(by)], ents)
    tokens = [o for h in (trigger, noun) for o in object_of(h, "with", "between", "among")]
    tokens += [o for b in _betweens(noun, trigger) for o in b.children if o.dep_ == "pobj"]
    found += entity_list(tokens, ents, PARTIES)
    inside = (subject.start, subject.end) if subject is not None else (0, 0)
    out: list[Span] = []
    for e in found:
        if e not in out and not inside[0] <= e.start < inside[1] and not _is_title(e):
            out.append(e)
    return out


def _betweens(noun: Token, trigger: Token) -> list[Token]:
    """The deep "between" phrases of the agreement's phrase, and of the signing noun's
    ("the signing of documents on railways ... between China and Laos")."""
    found = _inner_between(noun)
    if trigger.pos_ in {"NOUN", "PROPN"}:
        found += [b for b in _inner_between(trigger) if b not in found]
    return found


def _inner_between(noun: Token) -> list[Token]:
    """ "between" phrases the parser hung deeper in the agreement's phrase ("an MoU on
    cooperation in X between A and B"), not those of a clause inside it."""
    found = []
    for tok in noun.subtree:
        if tok.lower_ == "between" and tok.dep_ == "prep" and tok.head.i != noun.i:
            path = tok.head
            while path.i != noun.i and path.dep_ not in {"relcl", "acl", "advcl", "ccomp"}:
                path = path.head
            if path.i == noun.i:
                found.append(tok)
    return found


def _signers_end(by: Token) -> int:
    """Where the signers named after "by" stop: at a clause, a verb, or a phrase of place,
    time or presence ("..., in the presence of", "during the visit")."""
    sent = by.sent
    for tok in by.doc[by.i + 1 : sent.end]:
        if tok.lower_ in SIGNER_STOPS and tok.dep_ in {"prep", "mark", "advmod", "nsubj"}:
            return tok.i
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ not in {"amod", "compound"}:
            return tok.i
        if tok.tag_ in {"WP", "WDT"}:
            return tok.i
    return sent.end


def _signers(span: Span, ents: EntityIndex) -> list[Span]:
    """The signers named in a stretch of text: its people when it names any (their titles'
    ministries and countries are no parties of their own), else its organisations and
    places (a nationality word only when nothing else is named)."""
    named = ents.in_span(span, PARTIES)
    people = [e for e in named if e.label_ == "PERSON"]
    if people:
        return people
    others = [e for e in named if e.label_ != "NORP"]
    return others or named


def _is_title(ent: Span) -> bool:
    """An entity that is only title words ("Minister of Health")."""
    words = [t for t in ent if t.lower_ not in {"the", "of", "and", "for", "a"}]
    return bool(words) and all(t.lower_ in lexicon()["title_words"] for t in words)


def _count(noun: Token, ents: EntityIndex, ctx: Context) -> ArgCandidate | None:
    """The number of agreements ("44 cooperation agreements", "three deals")."""
    for child in noun.lefts:
        if child.dep_ == "nummod" and child.like_num:
            ent = ents.of(child, {"CARDINAL"})
            span = ent if ent is not None else noun.doc[child.left_edge.i : child.i + 1]
            value = normalize("CARDINAL", span.text, ctx.published)
            if value is not None:
                return arg("count", span, value)
    return None


def _date(sent: Span, trigger: Token, ctx: Context) -> list[ArgCandidate]:
    """The date of the signing: one under the trigger's clause, else the sentence's first."""
    clause = _clause(trigger)
    dated = [e for e in sent_ents(sent) if e.label_ == "DATE"]
    near = [e for e in dated if clause.left_edge.i <= e.start and e.end <= clause.right_edge.i + 1]
    for ent in near + dated:
        value = normalize("DATE", ent.text, ctx.published)
        if value is not None:
            return [arg("date", ent, value)]
    # "on Monday" in an article without a date line: the day is stated, its value unknown
    return [arg("date", near[0])] if near else []


def extract(doc: Doc, ents: EntityIndex, ctx: Context) -> Iterator[FactCandidate]:
    """AGREEMENT facts of a document: one per agreement noun with a signing word; "the
    agreement was signed by A and B" right after an agreement was told adds its signers to
    that one instead of proposing a second."""
    facts: list[FactCandidate] = []
    sent_index = {s.start: n for n, s in enumerate(doc.sents)}
    told: list[tuple[int, int]] = []  # (sentence number, index in facts) of each agreement
    for sent in doc.sents:
        for noun in sent:
            if not _is_agreement(noun):
                continue
            found = _trigger(noun)
            if found is None:
                continue
            trigger, confidence = found
            if _negated(trigger):
                continue
            subject = _subject(noun, trigger, ents)
            args = [arg("party", p) for p in _parties(noun, trigger, ents, subject)]
            count = _count(noun, ents, ctx)
            args += [count] if count is not None else []
            args += _date(sent, trigger, ctx)
            args += _witnesses(trigger, ents)
            here = sent_index[sent.start]
            earlier = [i for n, i in told if 0 < here - n <= ANAPHOR_REACH]
            signers = any(a.role == "party" for a in args)
            if subject is None and count is None and signers and _definite(noun) and earlier:
                facts[earlier[-1]] = _merged(facts[earlier[-1]], args, sent)
                continue
            if subject is None and args and not any(a.role in {"party", "count"} for a in args):
                subject = _own_phrase(noun)  # "The MOUs were signed on Monday": name them
            args += [arg("subject", subject)] if subject is not None else []
            told.append((here, len(facts)))
            facts.append(
                FactCandidate(
                    "AGREEMENT", sent.start_char, sent.end_char, tuple(args), RULE_ID, confidence
                )
            )
    yield from facts


def _definite(noun: Token) -> bool:
    """ "The agreement", "this MoU": an agreement the story has already named."""
    return any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in noun.lefts)


def _merged(fact: FactCandidate, args: list[ArgCandidate], sent: Span) -> FactCandidate:
    """An earlier agreement with what a later sentence says of it: its signers, and its
    date and witnesses when the first sentence gave none."""
    have = {a.role for a in fact.arguments}
    spans = {(a.role, a.start, a.end) for a in fact.arguments}
    new = [
        a
        for a in args
        if (a.role == "party" or a.role not in have) and (a.role, a.start, a.end) not in spans
    ]
    if not new:
        return fact
    end = max(fact.evidence_end, sent.end_char)
    return replace(fact, arguments=fact.arguments + tuple(new), evidence_end=end)
