"""Short names in brackets and agency credits: "Department of Islamic Development (JAKIM)"
names JAKIM too, and every later "JAKIM" of the document; "JAKARTA, Sept 10 (Antara) -"
and "Photo: Tatoli" name a news agency.

A model entity that swallowed the bracket ("Viettel Cambodia Co., Ltd (Metfone") is cut
before it. The short name takes the label of the name before it, except that the short name
of a numbered meeting ("the 21st Joint Council for Bilateral Cooperation (JCBC)") names the
body that meets: ORG.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from desktop.core.nlp.rules import GAZETTEER_ID

SHORT_LABELS = frozenset({"ORG", "EVENT", "FAC", "LOC", "PRODUCT", "LAW"})  # not GPE: "(AKP)"
_ORDINAL = re.compile(r"^(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth)$", re.I)
_DASHES = frozenset({"-", "–", "—"})
_CREDIT_WORDS = (("photo", ":"), ("picture", ":"), ("pic", ":"), ("source", ":"), ("photo", "from"))
_COURTESY = ("courtesy", "of")
MAX_SHORT = 3  # tokens of a short name ("JS-SEZ" is three)
MAX_DATELINE_TOKENS = 12  # how far into its line an agency's bracket may open


def _short_name(doc: Doc, start: int) -> int:
    """End of a short name inside brackets opening at token `start` ("(" ... ")"), or 0."""
    end = start + 1
    while end < len(doc) and end - start <= MAX_SHORT and doc[end].text != ")":
        tok = doc[end]
        if not (tok.text in _DASHES or (tok.is_alpha and tok.text[:1].isupper())):
            return 0
        end += 1
    if end >= len(doc) or doc[end].text != ")" or end == start + 1:
        return 0
    if doc[start + 1].text in _DASHES or doc[end - 1].text in _DASHES:
        return 0
    return end


def _label_of(ent: Span) -> str:
    words = [t.text for t in ent if t.lower_ != "the"]
    if ent.label_ == "EVENT" and words and _ORDINAL.match(words[0]):
        return "ORG"
    return ent.label_


def _line_start(doc: Doc, i: int) -> int:
    while i > 0 and not (doc[i - 1].is_space and "\n" in doc[i - 1].text):
        i -= 1
    return i


class ShortNames:
    """Short names in brackets and agency credits as entities (see the module)."""

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id

    def _cut(self, doc: Doc, ents: list[Span]) -> tuple[list[Span], dict[str, str]]:
        """Entities cut before a swallowed bracket, and the short names found with labels."""
        out: list[Span] = []
        names: dict[str, str] = {}
        for ent in ents:
            opening = next((t.i for t in ent if t.text == "(" and t.i > ent.start), None)
            if ent.label_ not in SHORT_LABELS or opening is None:
                out.append(ent)
                continue
            end = _short_name(doc, opening) if opening is not None else 0
            if not end and all(t.text != ")" for t in doc[opening : ent.end]):
                end = opening + 1  # "(Metfone" with the ")" left out of the entity
                while end < ent.end and doc[end].is_alpha:
                    end += 1
                end = end if end == ent.end and end < len(doc) and doc[end].text == ")" else 0
            if not end:
                out.append(ent)
                continue
            names[doc[opening + 1 : end].text] = _label_of(ent)
            if end + 1 >= ent.end:  # the bracket closes the entity: cut it off
                out.append(Span(doc, ent.start, opening, label=ent.label_, span_id=ent.id_))
            else:  # "Malaysia International Halal Showcase (MIHAS) 2025" stays whole
                out.append(ent)
        return out, names

    def _after(self, doc: Doc, ents: list[Span], names: dict[str, str]) -> None:
        """Short names in brackets right after an entity ("Kadin" after the chamber)."""
        for ent in ents:
            if ent.label_ in SHORT_LABELS and ent.end < len(doc) and doc[ent.end].text == "(":
                end = _short_name(doc, ent.end)
                if end:
                    names.setdefault(doc[ent.end + 1 : end].text, _label_of(ent))

    @staticmethod
    def _credits(doc: Doc) -> list[tuple[int, int]]:
        """Agency names of a dateline ("JAKARTA, Sept 10 (Antara) -") and of photo credits
        ("Photo: AKP", "Pic courtesy of PMO", "(Photo from PCO)", "(PNA photo by ...)")."""
        found: list[tuple[int, int]] = []
        for tok in doc:
            i = tok.i
            if tok.text == "(" and (end := _short_name(doc, i)):
                after = doc[end + 1].text if end + 1 < len(doc) else ""
                dateline = after in _DASHES and i - _line_start(doc, i) <= MAX_DATELINE_TOKENS
                if dateline or after.lower() == "photo":  # "(Antara) -", "(VNA) photo"
                    found.append((i + 1, end))
                continue
            if tok.text == "(" and i + 2 < len(doc) and doc[i + 2].lower_ == "photo":
                if doc[i + 1].is_alpha and doc[i + 1].is_upper:  # "(PNA photo by ...)"
                    found.append((i + 1, i + 2))
                continue
            words = tuple(t.lower_ for t in doc[i : i + 2])
            if words in _CREDIT_WORDS or words == _COURTESY:
                start = end = i + 2
                while end < len(doc) and end - start < 4 and doc[end].is_alpha:
                    if not (doc[end].text[:1].isupper()):
                        break
                    end += 1
                closes = end >= len(doc) or doc[end].text in {")", "/"} or doc[end].is_space
                if end > start and closes:
                    found.append((start, end))
        return found

    def __call__(self, doc: Doc) -> Doc:
        ents, names = self._cut(doc, list(doc.ents))
        self._after(doc, ents, names)
        fixed = [Span(doc, s, e, label="ORG", span_id=self.rule_id) for s, e in self._credits(doc)]
        by_token = {i: e for e in ents for i in range(e.start, e.end)}
        for tok in doc:
            for name, label in names.items():
                size = len(name.split()) if " " in name else None
                words = doc[tok.i : tok.i + (size or _token_count(doc, tok.i, name))]
                if words.text != name:
                    continue
                holders = {by_token[i] for i in range(words.start, words.end) if i in by_token}
                if any(
                    h.id_.startswith(GAZETTEER_ID) or (h.start, h.end) != (words.start, words.end)
                    for h in holders
                ):
                    continue  # inside a longer entity ("21st JCBC") or a known name
                fixed.append(Span(doc, words.start, words.end, label=label, span_id=self.rule_id))
        if not fixed and ents == list(doc.ents):
            return doc
        taken = {i for s in fixed for i in range(s.start, s.end)}
        kept = [e for e in ents if not any(i in taken for i in range(e.start, e.end))]
        doc.set_ents(sorted(filter_spans(fixed + kept)))
        return doc


def _token_count(doc: Doc, start: int, name: str) -> int:
    """How many tokens from `start` spell `name` ("JS-SEZ" is three), or 1."""
    end, text = start, ""
    while end < len(doc) and len(text) < len(name):
        text += doc[end].text
        end += 1
        if doc[end - 1].whitespace_:
            break
    return end - start if text == name else 1


@Language.factory("factdesk_short_names", default_config={"rule_id": "short_names"})
def make_short_names(nlp: Language, name: str, rule_id: str) -> ShortNames:
    """Factory of the short-name and credit rule."""
    return ShortNames(rule_id)
