"""STATISTIC facts: a measure, its value, the period and the change.

A statistic is a measure noun with a number that quantifies it:
- a statistic verb with the number as object or after "to/at/by": "exports rose 25.2%",
  "inflation eased to 10.9%", "turnover reaching 42 billion USD ..., up 16.4%";
- "measure of NUMBER": "a total investment of 1.4 billion USD", "capacity of 1,624 MW";
- a counted noun with a large or qualified count: "more than 400 unicorn companies".
Not statistics: ordinals ("22nd"), ranks ("top five"), names ("Nhon Trach 3"), small bare
counts of things ("four pillars", "five programmes": below 100 without "more than"/
"about"), counts of what was told already ("the 400 companies"), of sides, leaders and
governments, "two-way", counts of agreements (AGREEMENT's count), and durations (DATE).
A percentage after "up/down", "by", or as the object of "rise/fall" is the change; "x-fold"
is a change too (a multiplier). A change right after a value ("capital of 2.94 billion USD,
up 3.1%") is that value's change; figures paired by "respectively" are one statistic each
(rules/respectively.py). Counts written in digits count from ten ("46 Thai companies").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from desktop.core.facts.candidates import ArgCandidate, Context, FactCandidate
from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.rules import respectively
from desktop.core.facts.rules.phrases import amount, is_pronoun, noun_phrase, object_of, subject_of
from desktop.core.facts.spans import EntityIndex, arg, sent_ents
from desktop.core.facts.values import normalize

RULE_ID = "statistic.v1"
FIGURE_RULE_ID = "statistic.figures.v1"  # a further figure of a sentence; dropped where it
FIGURE_CONFIDENCE = 0.5  # is another fact's amount (facts.extract)
VALUE_LABELS = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"})
NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
OBJECT_DEPS = frozenset({"dobj", "npadvmod", "attr", "oprd", "advmod", "acomp"})
NUMBER_DEPS = frozenset({"nummod", "compound", "quantmod", "amod"})
MIN_BARE_COUNT = 100  # smaller bare counts ("five programmes") are no statistic
RANK_WORDS = frozenset({"second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"})
MIN_DIGIT_COUNT = 10  # unless written in digits: "46 Thai companies", "20 countries"
ANAPHORIC = frozenset({"the", "these", "those", "both", "its", "their", "our", "his", "her"})
MULTIPLIERS = {"double": "twofold", "triple": "threefold", "quadruple": "fourfold"}


@dataclass
class _Stat:
    """What one statistic has gathered so far."""

    measure: Span
    clause: Token
    confidence: float
    args: list[ArgCandidate] = field(default_factory=list)
    period: list[ArgCandidate] | None = None  # set where "respectively" pairs it


def _words(name: str) -> frozenset[str]:
    return lexicon()[name]


def _directional(tok: Token) -> bool:
    words = _words("up_words") | _words("down_words")
    return tok.lower_ in words or tok.lemma_.lower() in words


def _unit(ent: Span) -> Token | None:
    """The noun right after a number that the number modifies ("1,624 MW", "200 trainees")."""
    root, doc = ent.root, ent.doc
    if ent.end >= len(doc) or root.dep_ not in NUMBER_DEPS:
        return None
    nxt = doc[ent.end]
    if root.head.i == nxt.i and nxt.pos_ in {"NOUN", "PROPN"} and not nxt.ent_type_:
        return nxt
    return None


def _verb(anchor: Token) -> tuple[Token, str] | None:
    """The statistic verb a value hangs from, and the preposition between ("to", "by", "")."""
    head = anchor.head
    to_verb = head.dep_ in {"prep", "dative"} and head.lower_ in {"to", "at", "by"}
    if anchor.dep_ == "pobj" and to_verb:
        anchor, prep, head = head, head.lower_, head.head
    else:
        prep = ""
    if anchor.dep_ in OBJECT_DEPS and head.pos_ in {"ADV", "ADP"} and _directional(head):
        head, prep = head.head, "up"  # "..., up 16.4%": the change of the verb above
    at_verb = anchor.dep_ in OBJECT_DEPS | {"prep", "dative"}  # "lift trade to": a dative "to"
    if at_verb and head.lemma_.lower() in _words("statistic_verbs"):
        return head, prep
    if prep == "up" and head.pos_ == "VERB" and _acts(head):
        return head, prep  # "imported B$48.6 million worth of rice ..., up 12.4 per cent"
    if anchor.dep_ == "attr" and head.lemma_.lower() == "be" and not prep:
        return head, prep  # "bilateral trade, which was only 70 million USD"
    return None


def _measure_of_verb(verb: Token, value_root: Token) -> Span | None:
    """What a statistic verb measures: its subject ("exports rose"), or "in X" on the value."""
    done = [c for c in verb.children if c.dep_ == "dobj" and c.i < value_root.i]
    if verb.lemma_.lower() in _words("statistic_target_verbs") and done:
        return noun_phrase(done[0], preps=("of",), conj=False)  # "raise two-way trade to"
    subjects = subject_of(verb) or ([verb.head] if verb.dep_ in {"acl", "relcl"} else [])
    subject = subjects[0] if subjects else None
    if subject is not None and subject.tag_ in {"WDT", "WP"} and verb.dep_ == "relcl":
        subject = verb.head  # "cross-border trade, which reached US$24.7 billion"
    if subject is not None and not is_pronoun(subject) and subject.ent_type_ not in NAMED:
        return noun_phrase(subject, preps=("of",), conj=False)
    inner = object_of(value_root, "in", "of")
    return noun_phrase(inner[0], preps=(), conj=False) if inner else None


def _acted(anchor: Token) -> tuple[Token, Span] | None:
    """A figure that a named actor spends, invests, trades or handles, as the object of such
    a verb ("will spend 3.8 billion baht to upgrade roads", "imported B$48.6 million worth of
    rice", "Singapore invested US$15.2 billion"): (the verb, the measure). The measure is what
    the money goes to ("on upgrading National Road No. 7", "to upgrade roads ..."), what the
    figure is of ("1,500 MW of electricity"), else the actor with the verb ("Singapore
    invested")."""
    doc = anchor.doc
    if anchor.head.lower_ == "worth" and anchor.dep_ in NUMBER_DEPS | {"npadvmod"}:
        anchor = anchor.head
    verb = anchor.head
    if anchor.dep_ != "dobj" or verb.pos_ != "VERB" or not _acts(verb):
        return None
    for child in [*anchor.rights, *verb.rights]:
        if child.dep_ == "prep" and child.lower_ in {"on", "of", "for"} and child.i > anchor.i:
            objects = [c for c in child.children if c.dep_ in {"pobj", "pcomp"}]
            if objects and objects[0].ent_type_ not in NAMED - {"NORP", "FAC"}:
                obj = objects[0]
                if obj.pos_ == "VERB":  # "on upgrading National Road No. 7 to the border"
                    return verb, doc[obj.i : obj.right_edge.i + 1]
                return verb, noun_phrase(obj, preps=("of",), conj=True)
        if child.dep_ in {"xcomp", "advcl"} and child.i > anchor.i and child.pos_ == "VERB":
            marks = [c for c in child.lefts if c.lower_ == "to"]
            if marks:  # "to upgrade roads linking the Northeastern region to the Lao border"
                return verb, doc[child.i : child.right_edge.i + 1]
    subjects = subject_of(verb)
    if not subjects or is_pronoun(subjects[0]) or subjects[0].i > verb.i:
        return None
    measure = doc[subjects[0].left_edge.i : verb.i + 1]
    if any(t.ent_type_ in VALUE_LABELS | {"DATE"} for t in measure):
        return None  # "exports rose 12.4 percent and imports 8.1 percent": a gapped verb
    return verb, measure


def _acts(verb: Token) -> bool:
    return verb.lemma_.lower() in _words("statistic_actor_verbs")


def _share_of(ent: Span) -> Span | None:
    """What a share is of: "accounting for 31 percent of all applications", "making up about
    36 per cent of the total" (the noun phrase after "of")."""
    root = ent.root
    verb = root.head.head if root.dep_ == "pobj" and root.head.lower_ == "for" else root.head
    if root.dep_ not in {"pobj", "dobj"} or verb.lemma_.lower() not in _words(
        "statistic_share_verbs"
    ):
        return None
    if verb.lemma_.lower() == "make" and not any(c.lower_ == "up" for c in verb.children):
        return None
    for prep in root.rights:
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if prep.lower_ == "of" and objects and objects[0].ent_type_ not in NAMED - {"NORP"}:
            return noun_phrase(objects[0], preps=(), conj=False)
    return None


def _window(span: Span) -> str:
    """The words around a number, for the normaliser to read its direction from."""
    sent = span.sent
    return span.doc[max(sent.start, span.start - 6) : min(sent.end, span.end + 4)].text


def _counted(ent: Span, ctx: Context) -> Token | None:
    """The noun a large or qualified count counts ("more than 400 unicorn companies")."""
    value = normalize("CARDINAL", ent.text, ctx.published)
    if value is None or value.kind != "number" or value.data.get("ordinal"):
        return None
    smallest = MIN_DIGIT_COUNT if ent.text.replace(",", "").isdigit() else MIN_BARE_COUNT
    if not value.data.get("qualifier") and value.data.get("value", 0) < smallest:
        return None
    tok = ent.root
    while (
        tok.dep_ in NUMBER_DEPS
        and tok.head.i > tok.i
        and (tok.head.pos_ in {"NOUN", "ADJ"} or tok.head.ent_type_ == "NORP")
    ):
        tok = tok.head
    skip = _words("statistic_skip_nouns") | _words("agreement_nouns")
    skip |= _words("meeting_pair_nouns") | _words("statistic_party_nouns")
    people = tok.ent_type_ == "NORP" and tok.tag_ in {"NNS", "NNPS"}  # "2,100 Filipinos"
    if not people and (tok.pos_ != "NOUN" or tok.ent_type_):
        return None
    if tok.lower_ in skip or tok.lemma_ in skip:
        return None
    if not value.data.get("qualifier") and _not_a_count(ent, tok):
        return None
    return tok


def _not_a_count(ent: Span, noun: Token) -> bool:
    """ "the two ministers", "their three projects" (who or what was told already) and
    "two-way trade" count nothing new."""
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].text in {"-", "–"}:
        return True
    return any(c.lower_ in ANAPHORIC for c in noun.lefts if c.i < ent.start)


def _figure_only(ent: Span) -> Span:
    """A count without the verb the recogniser glued before it ("to train 3,000 teachers"
    read as "train 3,000")."""
    start = ent.start
    while start < ent.end - 1 and ent.doc[start].pos_ == "VERB":
        start += 1
    if start == ent.start:
        return ent
    return Span(ent.doc, start, ent.end, label=ent.label_)


def _ranked(tok: Token) -> Span | None:
    """The rank a number before a superlative gives ("Vietnam's second biggest trading
    partner in ASEAN"): the noun phrase it ranks, with its owner and an "in" phrase."""
    doc = tok.doc
    ordinal = tok.lower_ in RANK_WORDS or re.fullmatch(r"\d+(?:st|nd|rd|th)", tok.lower_)
    if not ordinal or tok.i + 1 >= len(doc) or doc[tok.i + 1].tag_ != "JJS":
        return None
    noun = doc[tok.i + 1].head
    while noun.pos_ != "NOUN" and noun.head.i != noun.i and noun.head.i > noun.i:
        noun = noun.head
    if noun.pos_ != "NOUN" or noun.i <= tok.i:
        return None
    start = min([tok.i] + [c.left_edge.i for c in noun.lefts if c.dep_ == "poss"])
    end = noun.i + 1
    for prep in noun.rights:
        places = [o for o in prep.children if o.dep_ == "pobj" and o.ent_type_ != "DATE"]
        if prep.dep_ == "prep" and prep.lower_ == "in" and places:
            end = prep.right_edge.i + 1  # "... trading partner in ASEAN", not "in 2025"
    return doc[start:end]


def _priced(money: Span) -> Span | None:
    """What an amount written before a noun prices: "a RM2.1bil industrial park", "a 25
    million USD halal meat processing plant" (the words after the amount to the noun)."""
    doc, root = money.doc, money.root
    head = root.head
    if root.dep_ not in NUMBER_DEPS | {"nmod", "det"} or head.i < money.end or head.pos_ != "NOUN":
        return None
    if head.lower_ == "worth":
        return None  # "P15 million worth of goods": the amount given, not a price
    between = doc[money.end : head.i + 1]
    if any(t.ent_type_ or t.pos_ not in {"NOUN", "ADJ", "PROPN"} for t in between):
        return None
    return between


def _quantity_of(ent: Span) -> Span | None:
    """What a quantity is of: "some 1.8 million metric tons of fresh bananas", "up to 6 GW
    of low-carbon electricity" (the noun phrase after "of", not a name)."""
    doc = ent.doc
    if ent.end + 1 >= len(doc) or doc[ent.end].lower_ != "of":
        return None
    objects = [c for c in doc[ent.end].children if c.dep_ == "pobj"]
    if not objects or objects[0].ent_type_ in NAMED - {"NORP"}:
        return None
    return noun_phrase(objects[0], preps=(), conj=False)


def _value_arg(ent: Span, unit: Token | None, ctx: Context) -> ArgCandidate | None:
    """The value argument: a money amount, a percentage, or a number with its unit."""
    money = amount(ent, ctx)
    if money is not None:
        return arg("value", money[0], money[1])
    span = ent.doc[ent.start : unit.i + 1] if unit is not None else ent
    kind = "QUANTITY" if unit is not None else ent.label_
    value = normalize(kind, span.text, ctx.published)
    label = ent.label_ if unit is None else None
    return ArgCandidate("value", span.start_char, span.end_char, span.text, label, value)


def _change_arg(span: Span, ctx: Context) -> ArgCandidate | None:
    """The change argument: "+16.4" from "up 16.4%", "x8" from "eightfold"."""
    label = "PERCENT" if span.label_ == "PERCENT" else "CARDINAL"
    value = normalize(label, span.text, ctx.published, context=_window(span))
    return None if value is None else arg("change", span, value)


def _is_change(ent: Span, prep: str, ctx: Context) -> bool:
    """Whether a percentage is a change ("up 16.4%", "rose 25.2%", "by 5%"), not a level."""
    if ent.label_ != "PERCENT":
        return False
    value = normalize("PERCENT", ent.text, ctx.published, context=_window(ent))
    return value is not None and (value.kind == "change" or prep in {"by", "up"})


def _stats(sent: Span, ctx: Context) -> dict[int, _Stat]:
    """Statistics of a sentence keyed by their clause token, with values and changes."""
    found: dict[int, _Stat] = {}

    def add(key: Token, measure: Span | None, confidence: float, new: ArgCandidate | None) -> None:
        if new is None or (measure is None and key.i not in found):
            return  # a figure of a clause that already has its statistic joins it
        stat = found.get(key.i) or found.setdefault(key.i, _Stat(measure, key, confidence))
        if not stat.args or all(a.role != new.role for a in stat.args):
            stat.args.append(new)

    paired = respectively.applies(sent)  # figures "respectively" pairs are paired there
    for ent in sent_ents(sent):
        if ent.label_ not in VALUE_LABELS:
            continue
        ent = _figure_only(ent)
        money = amount(ent, ctx)
        unit = _unit(ent) if money is None else None
        anchor = money[0].root if money is not None else unit or ent.root
        via = _verb(anchor)
        if via is not None:
            verb, prep = via
            measure = _measure_of_verb(verb, anchor)
            if _is_change(ent, prep, ctx):
                add(verb, measure, 0.7, _change_arg(ent, ctx))
            else:
                add(verb, measure, 0.75, _value_arg(ent, unit, ctx))
        elif not paired and (acted := _acted(anchor)) is not None:  # "Singapore invested"
            add(acted[0], acted[1], 0.65, _value_arg(ent, unit, ctx))
        elif ent.label_ == "PERCENT" and (share := _share_of(ent)) is not None:
            add(share.root, share, 0.65, _value_arg(ent, None, ctx))  # "accounting for 31%"
        elif _is_measure(anchor, ent):
            owner = anchor.head.head
            add(owner, noun_phrase(owner, preps=(), conj=False), 0.7, _value_arg(ent, unit, ctx))
        elif money is not None and (priced := _priced(money[0])) is not None:
            add(priced.root, priced, 0.65, _value_arg(ent, None, ctx))  # "a RM2.1bil park"
        elif ent.label_ == "QUANTITY" and (of := _quantity_of(ent)) is not None:
            add(of.root, of, 0.7, _value_arg(ent, None, ctx))  # "1.8 million tons of bananas"
        elif ent.label_ == "CARDINAL" and (counted := _counted(ent, ctx)) is not None:
            measure = ent.doc[ent.end : counted.i + 1]
            add(counted, measure, 0.55, _value_arg(ent, None, ctx))
    for tok in sent:
        span = tok.doc[tok.i : tok.i + 1]
        if (ranked := _ranked(tok)) is not None:  # "Brunei's third largest trading partner"
            add(
                ranked.root,
                ranked,
                0.6,
                ArgCandidate("value", tok.idx, tok.idx + len(tok), tok.text),
            )
        if tok.lower_.endswith("fold") and len(tok) > 4 and (via := _verb(tok)) is not None:
            add(via[0], _measure_of_verb(via[0], tok), 0.7, _change_arg(span, ctx))
        elif tok.pos_ == "VERB" and tok.lemma_.lower() in MULTIPLIERS:
            value = normalize("CARDINAL", MULTIPLIERS[tok.lemma_.lower()], ctx.published)
            add(tok, _measure_of_verb(tok, tok), 0.65, arg("change", span, value))
    _more_figures(sent, ctx, found)
    if paired:
        _respective(sent, ctx, found)
    return found


def _respective(sent: Span, ctx: Context, found: dict[int, _Stat]) -> None:
    """One statistic per figure of a run that "respectively" pairs (see respectively.py)."""
    figures = [
        run
        for run in respectively.runs(sent, VALUE_LABELS)
        if any(e.label_ != "CARDINAL" for e in run)
        or _unit(run[-1]) is not None
        or _verb(run[0].root) is not None  # "arrivals totalled 1.4 million and 2.2 million"
    ]
    if not figures:
        return
    run = max(figures, key=len)
    inside = {i for e in run for i in range(e.start_char, e.end_char)}
    holders = [st for st in found.values() if any(a.start in inside for a in st.args)]
    others = sorted(
        (st for st in found.values() if st not in holders and st.args),
        key=lambda st: min(a.start for a in st.args),
    )
    changes = run[0].label_ == "PERCENT" and _is_change(run[0], "", ctx)
    if (
        changes
        and len(others) == len(run)
        and all(a.role == "value" for o in others for a in o.args)
    ):
        for stat, ent in zip(others, run, strict=True):
            change = respectively.value_of(ent, run, ctx, "change")
            if change is not None:
                stat.args.append(change)
        _forget(found, holders)
        return
    unit = _unit(run[-1])
    held = [st.measure for st in holders if not _holds_figure(st.measure)]
    if unit is not None:
        shared: Span | None = sent.doc[unit.i : unit.i + 1]  # "1.8 million and 410,000 vehicles"
    else:
        shared = _subject_measure(run[0].root) or (held[0] if held else None)
        shared = shared or respectively.left_phrase(respectively.verb_above(run[0].root))
    paired = respectively.measures(run[0].root, len(run))
    dates = respectively.split_dates(sent)
    _forget(found, holders)
    for k, ent in enumerate(run):
        measure = paired[k] if paired else shared
        new = respectively.value_of(ent, run, ctx, "change" if changes else "value")
        if measure is None or new is None:
            continue
        stat = _Stat(measure, ent.root, 0.7, [new])
        if len(dates) == len(run):
            period = arg("period", dates[k])
            value = normalize("DATE", period.text, ctx.published)
            stat.period = [arg("period", dates[k], value)] if value is not None else None
        found[-1 - ent.start] = stat


def _holds_figure(measure: Span) -> bool:
    """Whether a measure spans a date or a figure (a misparse, not a measure)."""
    return any(
        e.label_ in VALUE_LABELS | {"DATE"} for e in sent_ents(measure.sent) if _inside(e, measure)
    )


def _forget(found: dict[int, _Stat], stats: list[_Stat]) -> None:
    for key in [k for k, st in found.items() if any(st is s for s in stats)]:
        del found[key]


def _more_figures(sent: Span, ctx: Context, found: dict[int, _Stat]) -> None:
    """Figures of a sentence no statistic took yet ("up 7.2 per cent from RM451.6bil",
    "930,000 tonnes ..., worth 122 billion baht", "rose 23 percent and 37 percent"), each as
    a statistic of its own: the measure of the sentence's first statistic, else the subject
    of the verb above the figure."""
    used = {(a.start, a.end) for stat in found.values() for a in stat.args}
    first = min(found.values(), key=lambda st: st.clause.i, default=None)
    for ent in sent_ents(sent):
        if ent.label_ not in {"MONEY", "PERCENT", "QUANTITY"}:
            continue
        new = _value_arg(ent, _unit(ent) if ent.label_ != "MONEY" else None, ctx)
        if new is None or new.value is None or (new.start, new.end) in used:
            continue
        if any(a.start <= new.start < a.end for st in found.values() for a in st.args):
            continue
        if ent.label_ == "PERCENT" and _is_change(ent, "", ctx):
            new = _change_arg(ent, ctx)
            if new is None:
                continue
        elif ent.label_ == "PERCENT" and (direction := _sibling_direction(ent, ctx)):
            value = normalize("PERCENT", ent.text, ctx.published, context=f"{direction} {ent.text}")
            new = arg("change", ent, value) if value is not None else new
        if new.role == "change" and (before := _changed(ent, found)) is not None:
            before.args.append(new)  # "capital of 2.94 billion USD, up 3.1%"
            used.add((new.start, new.end))
            continue
        measure = first.measure if first is not None else _subject_measure(ent.root)
        if measure is None or measure.start <= ent.start < measure.end:
            continue
        stat = _Stat(measure, ent.root, 0.5, [new])
        found[ent.root.i] = stat
        used.add((new.start, new.end))


def _changed(ent: Span, found: dict[int, _Stat]) -> _Stat | None:
    """The statistic whose value a change right after it qualifies ("reaching RM421.6bil
    last year, up 4.2 per cent"): the latest value before the change, with no change of its
    own, no other figure and no clause with its own subject in between."""
    doc = ent.doc
    best: tuple[int, _Stat] | None = None
    for stat in found.values():
        for a in stat.args:
            if a.role == "value" and a.end <= ent.start_char and (best is None or a.end > best[0]):
                best = (a.end, stat)
    if best is None or any(a.role == "change" for a in best[1].args):
        return None
    between = [t for t in doc[ent.sent.start : ent.start] if t.idx >= best[0]]
    if len(between) > 6 or any(t.dep_.startswith("nsubj") or t.like_num for t in between):
        return None
    return best[1]


def _sibling_direction(ent: Span, ctx: Context) -> str | None:
    """The direction of the change a percentage is coordinated with ("up 23 percent and
    37 percent respectively": 37 is a rise too)."""
    root = ent.root
    if root.dep_ != "conj":
        return None
    for other in sent_ents(ent.sent):
        if other.label_ == "PERCENT" and other.start <= root.head.i < other.end:
            value = normalize("PERCENT", other.text, ctx.published, context=_window(other))
            if value is not None and value.kind == "change":
                return value.data.get("direction")
    return None


def _subject_measure(tok: Token) -> Span | None:
    """The subject noun phrase of the nearest verb above a token (not a pronoun or a name)."""
    head = tok
    while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
        head = head.head
    if head.pos_ not in {"VERB", "AUX"}:
        return None
    subjects = subject_of(head)
    if not subjects or is_pronoun(subjects[0]):
        return None
    subject = subjects[0]
    if subject.ent_type_ in NAMED:
        objects = [c for c in head.children if c.dep_ == "dobj" and not c.ent_type_]
        return noun_phrase(objects[0], preps=("of",), conj=False) if objects else None
    return noun_phrase(subject, preps=("of",), conj=False)


def _is_measure(anchor: Token, ent: Span) -> bool:
    """Whether "NOUN of NUMBER" states a measure ("investment of", not "signing of")."""
    if anchor.dep_ != "pobj" or anchor.head.lower_ != "of":
        return False
    noun = anchor.head.head
    if noun.pos_ not in {"NOUN", "PROPN"} or noun.lower_ in _words("agreement_nouns"):
        return False
    return noun.lemma_.lower() in _words("statistic_nouns") or ent.label_ != "CARDINAL"


def _period(sent: Span, stat: _Stat, ctx: Context) -> list[ArgCandidate]:
    """The period: a date under the statistic's clause, else the sentence's first date."""
    clause = stat.clause
    while clause.pos_ not in {"VERB", "AUX"} and clause.head.i != clause.i:
        clause = clause.head
    lo, hi = clause.left_edge.i, clause.right_edge.i + 1
    dated = [e for e in sent_ents(sent) if e.label_ == "DATE" and not _inside(e, stat.measure)]
    for ent in [e for e in dated if lo <= e.start and e.end <= hi] + dated:
        value = normalize("DATE", ent.text, ctx.published)
        if value is not None:
            return [arg("period", ent, value)]
    return []


def _inside(ent: Span, span: Span) -> bool:
    return span.start <= ent.start and ent.end <= span.end


def extract(doc: Doc, ents: EntityIndex, ctx: Context) -> Iterator[FactCandidate]:
    """STATISTIC facts of a document: one per measured clause."""
    for sent in doc.sents:
        for stat in _stats(sent, ctx).values():
            if any(
                _inside(e, stat.measure)
                for e in sent_ents(sent)
                if e.label_ in {"MONEY", "PERCENT"}
            ):
                continue
            period = stat.period if stat.period is not None else _period(sent, stat, ctx)
            args = [arg("measure", stat.measure), *stat.args, *period]
            rule = FIGURE_RULE_ID if stat.confidence <= FIGURE_CONFIDENCE else RULE_ID
            yield FactCandidate(
                "STATISTIC", sent.start_char, sent.end_char, tuple(args), rule, stat.confidence
            )
