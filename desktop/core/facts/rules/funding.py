"""FUNDING facts: who gives how much money to whom, for what.

Triggers on an amount of money (a MONEY entity, or a number whose text with the next word
names a currency: the model tags "500,000 USD" as QUANTITY) that is
- the object of a funding verb (or "set aside"): "decided to provide 500,000 USD in support",
  "Japan will grant Laos 2 billion yen for ...", "pledged 5 million EUR in aid to Myanmar";
- on a funding noun that a funding verb takes: "approved a 300 million USD loan to Cambodia",
  "signed a loan of ...", or worth coordinated with what a verb gives ("donated 20,000 bags
  of rice and P15 million worth of relief goods").
Donor: the verb's subject (a named party, or "the government", "the ministry" without a
name), the owner of "X's decision to provide", or "from X"/"by X"
("receive", "secure" swap the roles). Recipient: the indirect object, "to X", "for X"
(an entity), "in X" after "invest", or the one helped ("to help Vietnam overcome ...").
Purpose: the "to ..." clause ("upgrade rural roads"; after "help X", what X is helped
to do) or "for X" when X is not a named entity. Needs the amount and a donor or recipient.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from desktop.core.facts import coref
from desktop.core.facts.candidates import ArgCandidate, Context, FactCandidate
from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.rules.phrases import amount, noun_phrase, object_of, subtree, trim
from desktop.core.facts.spans import EntityIndex, arg, sent_ents

RULE_ID = "funding.v1"
PARTIES = frozenset({"ORG", "GPE", "NORP", "PERSON", "LOC", "FAC"})
OBJECT_DEPS = frozenset({"dobj", "npadvmod", "nsubjpass", "dative"})
MODIFIER_DEPS = frozenset({"nummod", "compound", "amod", "quantmod"})
BODIES = frozenset({"government", "ministry", "administration", "embassy", "agency", "council"})
MEANS = frozenset({"through", "with", "via"})  # "through a grant of", "provide X with aid of"


def _words(name: str) -> frozenset[str]:
    return lexicon()[name]


def _is_noun(tok: Token) -> bool:
    return tok.lemma_.lower() in _words("funding_nouns") or tok.lower_ in _words("funding_nouns")


def _funds(verb: Token) -> bool:
    """A funding verb, or "set aside" ("had set aside PHP 4.5 billion for ...")."""
    lemma = verb.lemma_.lower()
    aside = lemma == "set" and any(c.lower_ == "aside" for c in verb.children)
    return lemma in _words("funding_verbs") or aside


def _trigger(root: Token) -> tuple[Token, Token | None, float] | None:
    """(funding verb, funding noun or None, confidence) for the root of an amount."""
    head = root.head
    if head.lower_ == "worth" and root.i < head.i and head.dep_ == "conj":
        first = head.head  # "donated 20,000 bags of rice and P15 million worth of goods"
        if first.dep_ in OBJECT_DEPS and _funds(first.head):
            return first.head, head, 0.7
    if head.lower_ == "worth" and root.i < head.i and head.dep_ in OBJECT_DEPS:
        root, head = head, head.head  # "donate PHP 30 million worth of rescue equipment"
        if head.lemma_.lower() in _words("funding_verbs"):
            return head, root, 0.75
    if root.dep_ in OBJECT_DEPS and _funds(head):
        return head, None, 0.75
    if root.dep_ == "dobj" and head.lemma_.lower() in _words("funding_recipient_verbs"):
        return head, None, 0.7
    noun = None
    if root.dep_ in MODIFIER_DEPS and _is_noun(head):
        noun = head
    elif root.dep_ == "pobj" and head.lower_ in {"of", "worth"} and _is_noun(head.head):
        noun = head.head
    elif head.lower_ == "worth" and head.dep_ == "amod" and _is_noun(head.head):
        noun = head.head  # "grant aid worth USD 90 million"
    verbs = _words("funding_object_verbs") | _words("funding_verbs")
    if noun is not None and noun.dep_ in OBJECT_DEPS and noun.head.lemma_.lower() in verbs:
        return noun.head, noun, 0.7
    if noun is not None and noun.dep_ == "pobj" and noun.head.lower_ in MEANS:
        verb = noun.head.head  # "fund X through a grant of ...", "provide Laos with aid of ..."
        if verb.lemma_.lower() in verbs:
            return verb, noun, 0.7
    return None


def _entity(tokens: list[Token], ents: EntityIndex) -> Span | None:
    """The first party entity a list of tokens stands for (the token's own, or one inside);
    a nationality or country qualifying a noun stands with it ("the Lao government")."""
    for tok in tokens:
        own = ents.of(tok, PARTIES)
        if own is not None:
            return own
        phrase = noun_phrase(tok, preps=("of",), conj=False)
        inside = ents.in_span(phrase, PARTIES)
        if inside:
            first = inside[0]
            if (
                first.label_ in {"NORP", "GPE"}
                and first.root.head.i == tok.i
                and tok.pos_ == "NOUN"
            ):
                return trim(tok.doc[first.start : tok.i + 1])
            return first
    return None


def _giver(verb: Token, ents: EntityIndex) -> Span | None:
    """Who gives: the subject, "X's decision to provide", "by X" or "from X"."""
    tokens = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ == "acl":
        tokens += [c for c in verb.head.children if c.dep_ == "poss"]
    if verb.dep_ == "xcomp":
        tokens += [c for c in verb.head.children if c.dep_ == "nsubj"]
    tokens += object_of(verb, "by", "from")
    for tok in tokens:
        if coref.refers(tok) and tok.dep_ == "nsubj":  # "where he announced grant aid ..."
            return coref.antecedent(tok, ents)
    named = _entity(tokens, ents)
    if named is not None:
        return named
    for tok in tokens:  # "the government had set aside ...": a body named by its kind
        if tok.dep_ == "nsubj" and tok.lemma_.lower() in BODIES and tok.pos_ == "NOUN":
            return trim(tok.doc[tok.left_edge.i : tok.i + 1])
    return None


def _help(verb: Token) -> tuple[Token | None, Token | None]:
    """In "to help X do Y": the token for X and the clause Y."""
    for child in verb.children:
        helps = child.lemma_.lower() in _words("funding_help_verbs")
        if child.dep_ in {"advcl", "xcomp"} and helps:
            inner = [c for c in child.children if c.dep_ in {"ccomp", "xcomp"}]
            helped = [c for c in child.children if c.dep_ in {"dobj", "dative"}]
            helped += [c for i in inner for c in i.children if c.dep_ == "nsubj"]
            return (helped[0] if helped else None), (inner[0] if inner else None)
    return None, None


def _purpose(verb: Token, holders: list[Token], ents: EntityIndex) -> Span | None:
    """What the money is for: a "to ..." clause, or "for X" when X is not a name."""
    for child in verb.children:
        if child.dep_ in {"advcl", "xcomp"} and any(c.lower_ == "to" for c in child.lefts):
            return trim(subtree(child))
    for holder in holders:
        for child in holder.children:
            if child.dep_ in {"acl", "relcl"} and any(c.lower_ == "to" for c in child.lefts):
                return trim(subtree(child))
    for obj in [o for h in [verb, *holders] for o in object_of(h, "for")]:
        if obj.tag_ == "VBG" or obj.dep_ == "pcomp":  # "for building logistics centres"
            return trim(subtree(obj))
        if ents.of(obj, PARTIES) is None and ents.of(obj, {"DATE"}) is None:
            return trim(noun_phrase(obj, preps=("of",)))
    return None


def _recipient(verb: Token, holders: list[Token], ents: EntityIndex) -> Span | None:
    """Who receives: the indirect object, "to X", "for X", "in X" after "invest"."""
    preps = ("to", "for", "in") if verb.lemma_.lower() == "invest" else ("to", "for")
    tokens = [c for c in verb.children if c.dep_ == "dative"]
    tokens += [o for h in [verb, *holders] for o in object_of(h, *preps)]
    # "grant Laos 2 billion yen": the parser hangs the receiver on the amount
    tokens += [c for h in holders for c in h.children if c.dep_ == "nmod" and c.i < h.i]
    named = [t for t in tokens if ents.of(t, PARTIES) is not None]
    return _entity(named or [t for t in tokens if t.head.lower_ == "to"], ents)


def _fact(sent: Span, ent: Span, ents: EntityIndex, ctx: Context) -> FactCandidate | None:
    """The funding fact an amount entity triggers, if any."""
    money = amount(ent, ctx)
    if money is None:
        return None
    span, value = money
    found = _trigger(span.root)
    if found is None:
        return None
    verb, noun, confidence = found
    if any(o.lemma_.lower() == "investment" for o in object_of(span.root, "in")):
        return None  # "committed S$2.4 billion in new investments": an investment figure
    holders = [span.root] + ([noun] if noun is not None else [])
    if span.root.head.lower_ == "worth":
        holders.append(span.root.head)  # "aid worth USD 90 million for rural roads"
    donor = _giver(verb, ents)
    helped, clause = _help(verb)
    recipient = _recipient(verb, holders, ents) or (_entity([helped], ents) if helped else None)
    if clause is not None:
        purpose = trim(subtree(clause, without=[helped] if helped is not None else []))
    else:
        purpose = _purpose(verb, holders, ents)
    means = noun.head.lower_ if noun is not None and noun.dep_ == "pobj" else ""
    done = [c for c in verb.children if c.dep_ == "dobj"]
    if means == "with" and recipient is None and done:
        recipient = _entity(done, ents)  # "provide Laos with aid of ..."
    elif means in {"through", "via"} and done:
        purpose = trim(noun_phrase(done[0], preps=("of",)))  # "fund X through a grant"
    elif noun is not None and noun.lower_ == "worth" and object_of(noun, "of"):
        purpose = trim(noun_phrase(object_of(noun, "of")[0], preps=()))
    if verb.lemma_.lower() in _words("funding_recipient_verbs"):
        givers = object_of(verb, "from") + object_of(span.root, "from")
        donor, recipient = _entity(givers, ents), donor
    args: list[ArgCandidate] = [arg("amount", span, value)]
    if span.start > ent.start and recipient is None:  # "Laos 2 billion yen"
        leaked = ent.doc[ent.start : span.start]
        args.append(ArgCandidate("recipient", leaked.start_char, leaked.end_char, leaked.text))
    elif recipient is not None:
        args.append(arg("recipient", recipient))
    args += [arg("donor", donor)] if donor is not None else []
    args += [arg("purpose", purpose)] if purpose is not None else []
    if len(args) == 1 or (len(args) == 2 and purpose is not None):
        return None
    if donor is None or len(args) < 3:
        confidence -= 0.1
    first = min([sent.start_char] + [a.start for a in args])
    start = (
        first
        if first == sent.start_char
        else ent.doc.char_span(first, first + 1, alignment_mode="expand").sent.start_char
    )
    return FactCandidate("FUNDING", start, sent.end_char, tuple(args), RULE_ID, confidence)


def extract(doc: Doc, ents: EntityIndex, ctx: Context) -> Iterator[FactCandidate]:
    """FUNDING facts of a document: one per amount given, lent or pledged."""
    for sent in doc.sents:
        for ent in sent_ents(sent):
            fact = _fact(sent, ent, ents, ctx)
            if fact is not None:
                yield fact
