"""Entity corrections from the region's name lexicons (resources/rules/entity_lexicons.json):
honorifics and titles out of PERSON spans, company suffixes making ORG spans."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

_PARTICLES = frozenset({"bin", "binti", "bte", "bt", "a/l", "a/p", "dos", "da", "de", "van"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART"})


class EntityLexicons:
    """Trim honorifics and titles from PERSON spans; make "<Name> Bhd" and the like ORG."""

    def __init__(
        self,
        honorifics: Sequence[Sequence[str]],
        can_be_names: Sequence[str],
        titles: Sequence[str],
        company_suffixes: Sequence[Sequence[str]],
        company_prefixes: Sequence[str],
        rule_id: str,
    ) -> None:
        self.honorifics = sorted((tuple(h) for h in honorifics), key=len, reverse=True)
        self.titles = frozenset(titles)
        self.honorific_words = frozenset(w for h in honorifics for w in h)
        self.can_be_names = frozenset(can_be_names)
        self.suffixes = sorted((tuple(s) for s in company_suffixes), key=len, reverse=True)
        self.prefixes = frozenset(company_prefixes)
        self.rule_id = rule_id

    def _lead(self, doc: Doc, start: int, end: int) -> int:
        """How many tokens from `start` one honorific phrase or title word takes (0: none)."""
        if doc[start].text in self.titles:
            return 1
        for phrase in self.honorifics:
            n = len(phrase)
            if start + n <= end and tuple(t.text for t in doc[start : start + n]) == phrase:
                return n
        return 0

    def _person(self, ent: Span) -> Span | None:
        """A PERSON span without leading honorifics and titles; None if nothing of a name
        is left."""
        doc, start, end = ent.doc, ent.start, ent.end
        while start < end and (taken := self._lead(doc, start, end)):
            start += taken
        while start < end and (doc[start].is_punct or doc[start].is_space):
            start += 1
        while end > start and (doc[end - 1].text in self.titles or doc[end - 1].is_punct):
            end -= 1  # "Brunei Minister"
        if start >= end:
            if len(ent) == 1 and ent.text in self.can_be_names:
                return ent
            return None
        words = [t.text for t in doc[start:end] if not t.is_punct]
        only_titles = all(w in self.honorific_words or w in self.titles for w in words)
        if only_titles and not (len(words) == 1 and words[0] in self.can_be_names):
            return None
        if (start, end) == (ent.start, ent.end):
            return ent
        return Span(doc, start, end, label="PERSON", span_id=ent.id_ or self.rule_id)

    def _suffix_end(self, doc: Doc, end: int) -> int:
        """Where a company suffix starting at token `end` ends (`end` itself: none)."""
        for suffix in self.suffixes:
            n = len(suffix)
            if end + n <= len(doc) and tuple(t.text for t in doc[end : end + n]) == suffix:
                return end + n
        return end

    def _company(self, ent: Span) -> Span | None:
        """The ORG span of a name with a company suffix after it or at its end, else None."""
        doc = ent.doc
        end = self._suffix_end(doc, ent.end)
        inner = any(self._suffix_end(doc, i) == ent.end for i in range(ent.start + 1, ent.end))
        if end == ent.end and not inner:
            return None
        start = ent.start
        if start > 0 and doc[start - 1].text in self.prefixes:
            start -= 1
        if (start, end) == (ent.start, ent.end) and ent.label_ == "ORG":
            return None
        return Span(doc, start, end, label="ORG", span_id=self.rule_id)

    def _after_honorifics(self, doc: Doc) -> list[Span]:
        """PERSON spans for the capitalised words after a run of honorifics ("Tan Sri Wong
        Kah Seng"), where the model found none or only part of the name. An honorific inside
        another kind of entity ("Bandar Seri Begawan") is left alone."""
        other = {i for e in doc.ents if e.label_ != "PERSON" for i in range(e.start, e.end)}
        found: list[Span] = []
        i = 0
        while i < len(doc):
            start = i
            while i < len(doc) and i not in other and (taken := self._lead(doc, i, len(doc))):
                if doc[i].text in self.titles:
                    break
                i += taken
            if i == start:
                i += 1
                continue
            end = i
            while end < len(doc) and end - i < 6 and end not in other:
                word = doc[end].text
                if word in self.titles or (word in self.honorific_words and end == i):
                    break
                if (word[:1].isupper() and word.isalpha()) or (end > i and word in _PARTICLES):
                    end += 1
                else:
                    break
            while end > i and doc[end - 1].text in _PARTICLES:
                end -= 1
            longer = any(
                e.label_ == "PERSON" and e.start < end and i < e.end and e.end >= end
                for e in doc.ents
            )  # the model's own reading of the name goes further: it is kept and trimmed
            if end > i and not longer:
                found.append(Span(doc, i, end, label="PERSON", span_id=self.rule_id))
            i = max(end, i)
        return found

    def __call__(self, doc: Doc) -> Doc:
        out: list[Span] = []
        changed = False
        named = self._after_honorifics(doc)
        if named:  # they replace the PERSON spans they overlap (no other kind overlaps them)
            kept = [
                e
                for e in doc.ents
                if e.label_ != "PERSON"
                or not any(n.start < e.end and e.start < n.end for n in named)
            ]
            doc.set_ents(sorted(filter_spans(named + kept)))
        for ent in doc.ents:
            fixed: Span | None = ent
            if ent.label_ in NAME_LABELS and (company := self._company(ent)) is not None:
                fixed = company
            elif ent.label_ == "PERSON":
                fixed = self._person(ent)
            changed = changed or fixed is not ent
            if fixed is not None:
                out.append(fixed)
        if changed:
            grown = [s for s in out if s.label_ == "ORG" and s.id_ == self.rule_id]
            kept = [s for s in out if not any(g.start < s.end and s.start < g.end for g in grown)]
            doc.set_ents(sorted(filter_spans(grown + kept)))
        return doc


@Language.factory(
    "factdesk_entity_lexicons",
    default_config={
        "honorifics": [],
        "can_be_names": [],
        "titles": [],
        "company_suffixes": [],
        "company_prefixes": [],
        "rule_id": "entity_lexicons",
    },
)
def make_entity_lexicons(
    nlp: Language,
    name: str,
    honorifics: list[list[str]],
    can_be_names: list[str],
    titles: list[str],
    company_suffixes: list[list[str]],
    company_prefixes: list[str],
    rule_id: str,
) -> EntityLexicons:
    """Factory of the lexicon fixes."""
    return EntityLexicons(
        honorifics, can_be_names, titles, company_suffixes, company_prefixes, rule_id
    )
