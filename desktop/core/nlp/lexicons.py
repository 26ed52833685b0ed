"""Entity corrections from the region's name lexicons: honorifics (resources/facts/
honorifics.json, the list the fact rules read too) and titles out of PERSON spans, the
capitalised words after honorifics or after a title and its portfolio ("Lao Minister of Energy
and Mines Phonxay Vilaysack") as PERSON, company suffixes making ORG spans (the other word
lists are in resources/rules/entity_lexicons.json)."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

_PARTICLES = frozenset(
    {"bin", "binti", "binte", "bte", "bt", "a/l", "a/p", "dos", "da", "das", "de", "do", "del"}
    | {"dela", "van", "von", "y"}
)
_INSIDE_NAMES = _PARTICLES | {"-", "Haji", "Hj", "Hajah"}  # "Rashidah binti Haji Sabtu"
_GUESSES = frozenset({"ORG", "NORP", "FAC", "WORK_OF_ART", "PRODUCT", "GPE", "LOC"})
_LINKS = frozenset({"of", "for", "and", "the", "at", "&", "in", "charge", "-"})
# Entities a name after a title never runs over (a model ORG or FAC over title and name may go).
_NOT_OVER = frozenset({"GPE", "NORP", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL"})


def _guess(ent: Span) -> bool:
    """A one-word nationality the model gave a name ("President Rajan Kumar Menon")."""
    return not ent.id_ and ent.label_ == "NORP" and len(ent) == 1


def _is_name_word(word: str) -> bool:
    """A capitalised word of letters ("Viengthong", "Hải", "O'Neill" is not needed here)."""
    return len(word) >= 2 and word[0].isupper() and word.isalpha() and not word.isupper()


def _title_case_line(tok: Token) -> bool:
    """Whether the token's line reads like a headline: most of its words capitalised."""
    doc, start, end = tok.doc, tok.i, tok.i
    while start > 0 and not (doc[start - 1].is_space and "\n" in doc[start - 1].text):
        start -= 1
    while end < len(doc) and not (doc[end].is_space and "\n" in doc[end].text):
        end += 1
    words = [t for t in doc[start:end] if t.is_alpha and not t.is_stop]
    return len(words) >= 4 and all(t.text[:1].isupper() for t in words)


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
        name_titles: Sequence[str] = (),
        portfolio_words: Sequence[str] = (),
    ) -> None:
        self.honorifics = sorted((tuple(h) for h in honorifics if h), key=len, reverse=True)
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self.by_last: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.honorifics:  # longest first in each list
            self.by_first.setdefault(phrase[0], []).append(phrase)
            self.by_last.setdefault(phrase[-1], []).append(phrase)
        self.titles = frozenset(titles)
        self.honorific_words = frozenset(w for h in honorifics for w in h)
        # words that are an honorific alone ("Gen."), not only inside one ("Than Phu Ying")
        self.single_honorifics = frozenset(h[0] for h in honorifics if len(h) == 1)
        self.can_be_names = frozenset(can_be_names)
        self.suffixes = sorted((tuple(s) for s in company_suffixes), key=len, reverse=True)
        self.prefixes = frozenset(company_prefixes)
        self.rule_id = rule_id
        self.name_titles = frozenset(name_titles)
        self.portfolio = frozenset(portfolio_words)

    def _lead(self, doc: Doc, start: int, end: int) -> int:
        """How many tokens from `start` one honorific phrase or title word takes (0: none)."""
        if doc[start].text in self.titles:
            return 1
        for phrase in self.by_first.get(doc[start].text, ()):
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
        while end > start and (taken := self._trail(doc, start, end)):
            end -= taken  # "Tourism Yang Berhormat": the honorifics before a name
        if start >= end:
            if len(ent) == 1 and ent.text in self.can_be_names:
                return ent
            return None
        words = [t.text for t in doc[start:end] if not t.is_punct]
        plain = self.honorific_words | self.titles | self.portfolio
        only_titles = all(w in plain for w in words)
        if only_titles and not (len(words) == 1 and words[0] in self.can_be_names):
            return None
        if (start, end) == (ent.start, ent.end):
            return ent
        return Span(doc, start, end, label="PERSON", span_id=ent.id_ or self.rule_id)

    def _trail(self, doc: Doc, start: int, end: int) -> int:
        """How many tokens before `end` one honorific phrase of two words or more takes."""
        for phrase in self.by_last.get(doc[end - 1].text, ()):
            n = len(phrase)
            if n >= 2 and end - n >= start and tuple(t.text for t in doc[end - n : end]) == phrase:
                return n
        return 0

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
        other = {
            i
            for e in doc.ents
            if e.label_ != "PERSON" and not self._guessed_name(e)
            for i in range(e.start, e.end)
        }
        # a model's one-word place or body inside the name ("Bu Ratna [Kusumawati]") is a guess
        inner = {
            e.start
            for e in doc.ents
            if not e.id_ and e.label_ in _GUESSES and len(e) == 1 and _is_name_word(e.text)
        }
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
            end, words = i, 0
            while end < len(doc) and words < 6 and (end not in other or (end > i and end in inner)):
                word = doc[end].text
                if word in self.titles or (word in self.single_honorifics and end == i):
                    break
                if (
                    end > i
                    and doc[end - 1].text in _PARTICLES
                    and (taken := self._lead(doc, end, len(doc)))
                ):
                    end += taken  # a father's titles: "bin Pehin Datu Pekerma Jaya Haji Yusof"
                elif (word[:1].isupper() and word.isalpha()) or (end > i and word in _PARTICLES):
                    end, words = end + 1, words + 1
                else:
                    break
            while end > i and doc[end - 1].text in _PARTICLES:
                end -= 1
            longer = any(
                e.label_ == "PERSON"
                and e.start < end
                and i < e.end
                and (e.end > end or (e.end == end and e.start <= i))
                for e in doc.ents
            )  # the model's own reading of the name goes further: it is kept and trimmed
            if end > i and not longer:
                found.append(Span(doc, i, end, label="PERSON", span_id=self.rule_id))
            i = max(end, i)
        return found

    def _guessed_name(self, ent: Span) -> bool:
        """A model entity of capitalised words that starts with or right after an honorific:
        a person's name the model took for something else ("Khunying Ratana Chaiwong" ORG)."""
        if ent.id_ or ent.label_ not in _GUESSES or not all(t.text[:1].isupper() for t in ent):
            return False
        doc, start = ent.doc, ent.start
        if self._lead(doc, start, ent.end):
            return True
        before = doc[start - 1].text if start else ""
        return any(
            (n := len(h)) <= start and tuple(t.text for t in doc[start - n : start]) == h
            for h in self.by_last.get(before, ())
        )

    def _portfolio_end(self, doc: Doc, i: int, starts: dict[int, Span]) -> int:
        """Where the portfolio, honorifics and places after a name title at token i end:
        "Minister [of Energy and Mines] [Dato'] <name>"."""
        j = i + 1
        while j < len(doc):
            tok = doc[j]
            if tok.lower_ == "the" and doc[j - 1].lower_ == "and":
                return i + 1  # "... Secretary and the Party Committee Secretaries of X"
            if tok.text in self.portfolio or tok.text in self.titles or tok.lower_ in _LINKS:
                j += 1
            elif taken := self._lead(doc, j, len(doc)):
                j += taken
            elif (guess := starts.get(j)) is not None and _guess(guess) and j + 1 < len(doc):
                if _is_name_word(doc[j + 1].text):
                    break  # "President Rajan Kumar Menon": the model's NORP starts the name
                j += 1
            elif tok.ent_type_ in {"GPE", "NORP"} or tok.lower_ in {"'s", "’s"}:
                j += 1  # "President of the Philippines <name>", "Vietnam's"
            elif (ent := starts.get(j)) is not None and ent.id_ and ent.label_ != "PERSON":
                j = ent.end  # "Secretary of the Party Committee and Chairman of ..."
            else:
                break
        return j

    def _name_end(self, doc: Doc, start: int, blocked: set[int]) -> int:
        """End of the capitalised name words from `start` (particles and hyphens inside)."""
        end = start
        while end < len(doc) and end - start < 6 and end not in blocked:
            word = doc[end].text
            inner = end > start and end + 1 < len(doc) and doc[end + 1].text[:1].isupper()
            name = _is_name_word(word) and word not in self.titles and word not in self.portfolio
            if not (name or (inner and word in _INSIDE_NAMES)):
                break
            end += 1
        while end > start and not _is_name_word(doc[end - 1].text):
            end -= 1
        return end

    def _after_titles(self, doc: Doc) -> list[Span]:
        """PERSON spans for the capitalised words after a name title and its portfolio
        ("Lao Minister of Energy and Mines Phonxay Vilaysack"), where the model found none,
        part of the name or another kind of entity over title and name. Title-case
        headlines are left alone."""
        blocked = {
            i
            for e in doc.ents
            if (e.id_ and e.label_ != "PERSON") or (e.label_ in _NOT_OVER and not _guess(e))
            for i in range(e.start, e.end)
        }  # a rule's place, body or event is no name; a model's lone NORP may be ("Rajan")
        found: list[Span] = []
        starts = {e.start: e for e in doc.ents}
        people = {i: e for e in doc.ents if e.label_ == "PERSON" for i in range(e.start, e.end)}
        for tok in doc:
            if tok.text not in self.name_titles or _title_case_line(tok):
                continue
            start = self._portfolio_end(doc, tok.i, starts)
            end = self._name_end(doc, start, blocked)
            if end < len(doc) and doc[end].text in self.portfolio and doc[end].is_title:
                continue  # "President Ho Chi Minh Memorial Fund": a body's name, no person
            if end - start >= 2 and doc[start - 1].lower_ in {"and", "&"}:
                start += 1  # "of Digital Economy and [Society] Somchai ...": a portfolio word
            if end <= start or (found and found[-1].end > start):
                continue
            held = people.get(start)
            if held is None or not (held.start <= start and held.end >= end):
                found.append(Span(doc, start, end, label="PERSON", span_id=self.rule_id))
        return found

    def __call__(self, doc: Doc) -> Doc:
        out: list[Span] = []
        changed = False
        titled = self._after_titles(doc) if self.name_titles else []
        if titled:  # they replace what they overlap (places and gazetteer names are kept)
            taken = {i for n in titled for i in range(n.start, n.end)}
            kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
            doc.set_ents(sorted(filter_spans(titled + kept)))
        named = self._after_honorifics(doc)
        if named:  # they replace the PERSON spans and the guessed names they overlap
            taken = {i for n in named for i in range(n.start, n.end)}
            kept = [
                e
                for e in doc.ents
                if (e.label_ != "PERSON" and not self._guessed_name(e))
                or not any(i in taken for i in range(e.start, e.end))
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
        "name_titles": [],
        "portfolio_words": [],
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
    name_titles: list[str],
    portfolio_words: list[str],
) -> EntityLexicons:
    """Factory of the lexicon fixes."""
    return EntityLexicons(
        honorifics,
        can_be_names,
        titles,
        company_suffixes,
        company_prefixes,
        rule_id,
        name_titles,
        portfolio_words,
    )
