"""The entities the fact rules read: the recogniser's, with forms of address cut off names
and figures of the region's currencies and percentages relabelled.

The stored mentions are left as the recogniser gave them; only the facts' arguments see
this view. Three corrections:
- a person's name loses the honorifics and title words written before it ("Datuk Seri
  Harun Zainal" is Harun Zainal; an entity that is only honorifics, "Tengku Datuk", takes
  the capitalised words after it as the name), and capitalised words after an honorific
  that no entity covers become a person ("H.E. Oum Vichet");
- an amount with a currency mark or word of the region ("RM484.1bil", "Rp15.6 trillion",
  "420 billion riel", "PHP 250 million") is MONEY, whatever the recogniser called it;
- "7.2 per cent" is PERCENT.
"""

from __future__ import annotations

import json
import re
from functools import cache

from spacy.tokens import Doc, Span

from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.values_numbers import CURRENCIES, SYMBOLS, WORD_SCALES, _alternation
from desktop.core.resources import resource_path

FIGURES = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"})
NAME_JOINERS = frozenset({"bin", "binti", "bte", "bt", "a/l", "a/p", "de", "dela", "del", "van"})
MAX_NAME_TOKENS = 5
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
SCALES = _alternation(set(WORD_SCALES) - {"dozen"})
MARKS = _alternation(set(SYMBOLS) | {"B$", "BN$"})
CODES = _alternation([c for c in CURRENCIES if c.isupper() or len(c) == 3] + ["RMB"])
WORDS = _alternation(CURRENCIES)
PREFIX_MONEY = re.compile(
    rf"(?<![\w$])(?:{MARKS}|(?:{CODES})\s?)(?:{NUMBER})(?:\s?(?:{SCALES})\b)?", re.I
)
SUFFIX_MONEY = re.compile(
    rf"(?<![\w.,])(?:{NUMBER})(?:\s?(?:{SCALES}))?\s(?:{WORDS})\b(?!\s+(?:dollars?|\$))", re.I
)
PERCENT = re.compile(rf"(?<![\w.,])(?:{NUMBER})\s?(?:%|per\s?cent\b|pct\b)", re.I)


@cache
def honorific_re() -> re.Pattern[str]:
    """A run of one or more forms of address followed by a space."""
    raw = json.loads(resource_path("facts", "honorifics.json").read_text(encoding="utf-8"))
    parts = []
    for entry in sorted(raw["honorifics"], key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in entry.split())
        if entry.endswith("."):
            body = body[: -len(r"\.")] + r"\.?"
        elif entry.endswith("'"):
            body = body[:-1] + "['’]?"
        parts.append(body)
    one = "|".join(parts)
    return re.compile(rf"(?:(?<![\w.])(?:{one})(?=\s))(?:\s+(?:{one})(?=\s))*\s+")


def strip_honorifics(text: str) -> int:
    """How many characters of forms of address open a text (0 when none)."""
    match = honorific_re().match(text)
    return match.end() if match else 0


def entity_view(doc: Doc) -> tuple[Span, ...]:
    """The corrected entities of a parsed document, in order, without overlaps."""
    ents = list(doc.ents)
    ents = _overlay(doc, ents, _figures(doc), replace=FIGURES | {"ORG", "PERSON", "GPE", "PRODUCT"})
    return tuple(_people(doc, ents))


def _figures(doc: Doc) -> list[Span]:
    """MONEY and PERCENT spans found in the text by their marks."""
    found = []
    text = doc.text
    for pattern, label in ((PREFIX_MONEY, "MONEY"), (SUFFIX_MONEY, "MONEY"), (PERCENT, "PERCENT")):
        for m in pattern.finditer(text):
            span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand")
            if span is not None and span.text.strip() == m.group(0).strip():
                found.append(span)
    return found


def _overlay(doc: Doc, ents: list[Span], new: list[Span], replace: frozenset[str]) -> list[Span]:
    """Entities with some new spans laid over them: a new span takes the place of those it
    overlaps when they are of a replaceable label and inside it (or figures it widens)."""
    kept = list(ents)
    for span in sorted(new, key=lambda s: (s.start, -len(s))):
        hit = [e for e in kept if e.start < span.end and span.start < e.end]
        same = [e for e in hit if e.label_ == span.label_]
        if any(e.start <= span.start and span.end <= e.end for e in same):
            continue  # already there
        if all(e.label_ in replace and _within(e, span, e.label_ in FIGURES) for e in hit):
            kept = [e for e in kept if e not in hit] + [span]
    return sorted(kept, key=lambda s: s.start)


def _within(ent: Span, span: Span, loose: bool) -> bool:
    if ent.start >= span.start and ent.end <= span.end:
        return True
    return loose  # "USD 90 million" was QUANTITY, "7.2 per cent" MONEY: the mark decides


def _is_title_word(text: str) -> bool:
    return text.lower() in lexicon()["title_words"]


def _people(doc: Doc, ents: list[Span]) -> list[Span]:
    """Entities with persons' names freed of honorifics and names after honorifics added."""
    text = doc.text
    by_token = {i: e for e in ents for i in range(e.start, e.end)}
    out: list[Span] = []
    consumed: set[int] = set()
    for ent in ents:
        if id(ent) in consumed:
            continue
        if ent.label_ != "PERSON":
            out.append(ent)
            continue
        start = _after_address(doc, ent.start, ent.end)
        if start >= ent.end:  # only honorifics: the name follows
            name_end = _name_end(doc, ent.end, by_token)
            if name_end > ent.end:
                for i in range(ent.end, name_end):
                    if i in by_token:
                        consumed.add(id(by_token[i]))
                start = _after_address(doc, ent.start, name_end)
                if start < name_end:
                    out.append(Span(doc, start, name_end, label="PERSON"))
            continue
        end = ent.end
        while end > start + 1 and strip_honorifics(doc[end - 1].text + " "):
            end -= 1  # "Laos H.E." : the next name's form of address
        if end < ent.end and start + 1 == end and doc[start].ent_type_ != "PERSON":
            continue
        out.append(
            ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label="PERSON")
        )
    out.sort(key=lambda s: s.start)
    for m in honorific_re().finditer(text):  # "H.E. Oum Vichet", no entity on the name
        first = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if first is None:
            continue
        i = first.start
        opener = doc.char_span(m.start(), m.start() + 1, alignment_mode="expand")
        if opener is None or any(e.start <= opener.start < e.end for e in out):
            continue  # "General Assembly" named as a whole, or a name already there
        if any(e.start <= i < e.end for e in out if e.label_ == "PERSON"):
            continue
        end = _name_end(doc, i, {})
        if end > i and not any(
            e.start < end and i < e.end and e.label_ in FIGURES | {"DATE"} for e in out
        ):
            covered = [e for e in out if e.start < end and i < e.end]
            if all(e.start >= i and (e.end <= end or e.label_ == "PERSON") for e in covered):
                out = [e for e in out if e not in covered] + [Span(doc, i, end, label="PERSON")]
                out.sort(key=lambda s: s.start)
    return out


def _after_address(doc: Doc, start: int, end: int) -> int:
    """The first token of a name after the honorifics and title words opening it."""
    limit = doc[end - 1].idx + len(doc[end - 1].text)
    while start < end:
        tok = doc[start]
        cut = strip_honorifics(doc.text[tok.idx : limit] + " ")
        if cut:
            target = tok.idx + cut
            while start < end and doc[start].idx < target:
                start += 1
        elif (tok.is_title and _is_title_word(tok.text)) or tok.text in {"'", "’"}:
            start += 1
        elif end - start > 2 and _ends_title(doc, start):
            start += 1  # "Minister of Energy and | Mines Khamsing Phonvilay": a portfolio word
        else:
            break
    return start


def _ends_title(doc: Doc, i: int) -> bool:
    """Whether token i ends a title phrase written before it ("Minister of Energy and Mines")."""
    if i < 2 or doc[i - 1].lower_ not in {"and", "of", "&"} or not doc[i].is_title:
        return False
    window = doc[max(doc[i].sent.start, i - 7) : i - 1]
    heads = lexicon()["title_heads"]
    return any(t.lower_ in heads for t in window) and not any(
        t.ent_type_ == "PERSON" for t in window
    )


def _name_end(doc: Doc, i: int, by_token: dict[int, Span]) -> int:
    """The end of the capitalised words of a name starting at token i (i when none)."""
    end = i
    while end < len(doc) and end - i < MAX_NAME_TOKENS:
        tok = doc[end]
        other = by_token.get(end)
        if other is not None and other.label_ not in {"PERSON", "ORG", "GPE", "NORP"}:
            break
        if tok.is_title and tok.is_alpha and not _is_title_word(tok.text):
            end += 1
        elif tok.text in {"-", "'", "’", "."} and not doc[end - 1].whitespace_ and end > i:
            nxt = doc[end + 1] if end + 1 < len(doc) else None
            if nxt is None or not nxt.is_title:
                break
            end += 1
        elif (
            tok.lower_ in NAME_JOINERS and end > i and end + 1 < len(doc) and doc[end + 1].is_title
        ):
            end += 1
        else:
            break
        if not doc[end - 1].whitespace_ and end < len(doc) and doc[end].text in {",", ";", "("}:
            break
    return end
