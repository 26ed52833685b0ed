"""spaCy components for the domain rules; imported only when the pipeline is built.

Each entity a rule sets or changes carries the rule set's id in `Span.id_`,
so extraction can record origin "rule" and the extractor; entities left as
the statistical NER made them have an empty id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from desktop.core.folding import fold, fold_key
from desktop.core.nlp.names import is_pinyin_given_name, is_title_word, is_vietnamese_syllable
from desktop.core.nlp.rules import GAZETTEER_ID, SHAPES_ID

RULE_SPANS_KEY = "factdesk_rules"
FIX_SUFFIX = "+entity_fixes"
ARTICLES = frozenset({"the", "a", "an"})
HYPHENS = frozenset({"-", "–"})
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})  # "Timor-Leste's" holds no more than the place
# A shape rule of these labels (resources/rules/entity_shapes.json) wins over a longer model
# entity holding it, unless that entity has one of the labels given: "EVENT Laos 200 million
# yuan" gives way to the amount, "Kuantan Port Authority" stays an ORG.
SHAPE_WINS_INSIDE = {
    "MONEY": frozenset(),
    "PERCENT": frozenset(),
    "EVENT": frozenset(),
    "FAC": frozenset({"ORG"}),
    "DATE": frozenset({"DATE"}),  # "21/08/2025" out of a TIME "21/08/2025 14:05"
}


def _replace_ents(doc: Doc, spans: Iterable[Span]) -> None:
    doc.set_ents(sorted(filter_spans(list(spans))))


class PersonNames:
    """PERSON for a Vietnamese or Chinese surname followed by given-name syllables."""

    def __init__(
        self,
        vietnamese: Sequence[str],
        chinese: Sequence[str],
        not_names: Sequence[str],
        rule_id: str,
        southern: Sequence[str] = (),
    ) -> None:
        self.vietnamese = frozenset(fold(n) for n in vietnamese)
        self.chinese = frozenset(fold(n) for n in chinese)
        self.southern = frozenset(fold(n) for n in southern)
        self.not_names = tuple(fold_key(n) for n in not_names)
        self.rule_id = rule_id

    def _lengths(self, doc: Doc, i: int) -> list[int]:
        """How many tokens a name starting at token i may span, best reading first."""
        if not is_title_word(doc[i].text):
            return []
        surname = fold(doc[i].text)
        out = []
        if surname in self.vietnamese:
            n = 0
            while n < 3 and i + 1 + n < len(doc) and is_vietnamese_syllable(doc[i + 1 + n].text):
                n += 1
            out += [n + 1] if n else []
        given = [t.text for t in doc[i + 1 : i + 3]]
        if surname in self.southern and len(given) == 2 and all(map(_short_given, given)):
            out.append(3)  # "Koh Boon Wah", "Ho Hong Wei"
        if surname in self.chinese and given:
            out += [2] if is_pinyin_given_name(given[0]) and is_title_word(given[0]) else []
        return out

    def _length(self, doc: Doc, i: int) -> int:
        """The first reading of the name at token i that no capitalised word continues."""
        for length in self._lengths(doc, i):
            follows = doc[i + length].text if i + length < len(doc) else ""
            if not is_title_word(follows) and not follows[:1].isupper():
                return length
        return 0

    def __call__(self, doc: Doc) -> Doc:
        found: list[Span] = []
        i = 0
        while i < len(doc):
            length = self._length(doc, i)
            end = i + length
            if length:
                key = fold_key(doc[i:end].text)
                if not any(key.startswith(n) for n in self.not_names):
                    found.append(Span(doc, i, end, label="PERSON", span_id=self.rule_id))
                    i = end
                    continue
            i += 1
        if found:
            doc.set_ents(found, default="unmodified")
        return doc


def _short_given(word: str) -> bool:
    """A given-name word of a southern Chinese name: one short capitalised syllable."""
    return is_title_word(word) and len(word) <= 5 and any(c in "aeiouy" for c in fold(word))


def _strictly_contains(outer: Span, inner: Span) -> bool:
    """Whether `outer` holds `inner` and more than a leading article ("the NDRC" vs "NDRC")."""
    if not (outer.start <= inner.start and inner.end <= outer.end):
        return False
    extra = [t for t in outer if not inner.start <= t.i < inner.end and not t.is_space]
    return any(
        not (t.i < inner.start and t.lower_ in ARTICLES)
        and not (t.i >= inner.end and t.lower_ in POSSESSIVES)
        for t in extra
    )


def _comma_tail(rule: Span, holder: Span) -> bool:
    """Whether a model entity holds a rule's organisation and a comma and more after it
    ("the Ministry of Finance and Economy, Singapore"): the comma ends the name."""
    doc = rule.doc
    head = [t for t in doc[holder.start : rule.start] if t.lower_ not in ARTICLES]
    return not head and rule.end < holder.end and doc[rule.end].text == ","


def _shape_wins(rule: Span, holders: list[Span]) -> bool:
    """Whether a shape rule replaces the model entities holding it."""
    is_body = rule.label_ == "ORG" and rule.id_.startswith(SHAPES_ID)
    if is_body and holders and all(not h.id_ and _comma_tail(rule, h) for h in holders):
        return True
    losers = SHAPE_WINS_INSIDE.get(rule.label_)
    if losers is None or not rule.id_.startswith(SHAPES_ID):
        return False
    return all(not e.id_.startswith(GAZETTEER_ID) and e.label_ not in losers for e in holders)


def _before_person(rule: Span, people: dict[int, Span]) -> Span:
    """A name-shape rule cut before a person the model found at its end ("General
    Administration of Customs of China Lu Xiaoping"); `people`: persons by first token."""
    if rule.label_ not in {"ORG", "GPE", "LOC", "FAC"} or not rule.id_.startswith(SHAPES_ID):
        return rule
    person = next(
        (
            p
            for i in range(rule.start + 1, rule.end)
            if (p := people.get(i)) is not None and rule.end <= p.end
        ),
        None,
    )
    if person is None:
        return rule
    end = person.start
    while end > rule.start and (rule.doc[end - 1].is_lower or rule.doc[end - 1].is_punct):
        end -= 1
    if end - rule.start < 2:  # "PT Sinar Kapuas Energi": the company is the whole span
        return rule
    return Span(rule.doc, rule.start, end, label=rule.label_, span_id=rule.id_)


# Of two rule spans of one length over the same words, the label earlier here wins
# ("Tanjung Harbour Holdings Bhd" ORG over "Shares of Tanjung Harbour" FAC; "Kachin state"
# GPE over "northern Kachin" LOC).
LABEL_ORDER = ("ORG", "PERSON", "EVENT", "GPE", "FAC", "LOC")


def _longest(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans: the longest first, then by label order, then the earliest."""

    def rank(span: Span) -> tuple[int, int, int]:
        order = LABEL_ORDER.index(span.label_) if span.label_ in LABEL_ORDER else len(LABEL_ORDER)
        return (-len(span), order, span.start)

    taken: set[int] = set()
    out: list[Span] = []
    for span in sorted(spans, key=rank):
        if not any(i in taken for i in range(span.start, span.end)):
            out.append(span)
            taken.update(range(span.start, span.end))
    return sorted(out, key=lambda s: s.start)


class MergeRuleEntities:
    """Merge the span ruler's matches into doc.ents: the longer span wins, ties go to the rule."""

    def __init__(self, body_heads: Sequence[str] = ()) -> None:
        self.body_heads = frozenset(body_heads)

    def _two_bodies(self, rule: Span) -> bool:
        """A joined name with another body's head right after it ("State Railway of Thailand
        and Mekong Freight | Corporation"): two bodies, not one."""
        doc = rule.doc
        if not any(t.lower_ in {"and", "&"} for t in rule):
            return False
        for tok in doc[rule.end : rule.end + 4]:  # the run of capitalised words after it
            if tok.text in self.body_heads:
                return True
            if not tok.is_title:
                return False
        return False

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        people = {e.start: e for e in ents if e.label_ == "PERSON" and len(e) > 1}
        spans = [_before_person(r, people) for r in doc.spans.get(RULE_SPANS_KEY, [])]
        spans = [r for r in spans if not self._two_bodies(r)]
        rules = _longest(spans)
        if not rules:
            return doc
        held: list[Span] = []  # matches inside a longer model entity, which stays
        for rule in rules:
            overlapping = [e for e in ents if e.start < rule.end and rule.start < e.end]
            holders = [e for e in overlapping if _strictly_contains(e, rule)]
            if holders and not _shape_wins(rule, holders):
                held.append(rule)
                continue
            ents = [e for e in ents if e not in overlapping]
            ents.append(rule)
        for rule in held:  # unless a shape rule took that entity apart ("Laos 2 billion yen")
            if not any(e.start < rule.end and rule.start < e.end for e in ents):
                ents.append(rule)
        _replace_ents(doc, ents)
        return doc


class EntityFixes:
    """Split entities at line breaks, trim stray edge tokens, drop names that are never entities."""

    def __init__(
        self, never: list[dict], trim_start: list[dict], trim_end: list[dict], rule_id: str
    ) -> None:
        self.never = {fold(rule["text"]): frozenset(rule["labels"]) for rule in never}
        self.trim_start = [(frozenset(r["tokens"]), frozenset(r["labels"])) for r in trim_start]
        self.trim_end = [(frozenset(r["tokens"]), frozenset(r["labels"])) for r in trim_end]
        self.rule_id = rule_id

    @staticmethod
    def _applies(labels: frozenset[str], label: str) -> bool:
        return "*" in labels or label in labels

    def _trim(self, span: Span) -> tuple[int, int]:
        start, end = span.start, span.end
        changed = True
        while changed and start < end:
            changed = False
            for tokens, labels in self.trim_start:
                if self._applies(labels, span.label_) and span.doc[start].text in tokens:
                    start, changed = start + 1, True
            for tokens, labels in self.trim_end:
                if (
                    start < end
                    and self._applies(labels, span.label_)
                    and (span.doc[end - 1].text in tokens)
                ):
                    end, changed = end - 1, True
        return start, end

    def _pieces(self, span: Span) -> list[tuple[int, int]]:
        """Runs of the span's tokens between whitespace tokens holding a line break."""
        pieces, start = [], span.start
        for tok in span:
            if tok.is_space:
                if start < tok.i:
                    pieces.append((start, tok.i))
                start = tok.i + 1
        if start < span.end:
            pieces.append((start, span.end))
        return pieces

    def __call__(self, doc: Doc) -> Doc:
        fixed: list[Span] = []
        for ent in doc.ents:
            for start, end in self._pieces(ent):
                piece = Span(doc, start, end, label=ent.label_, span_id=ent.id_)
                t_start, t_end = self._trim(piece)
                if t_start >= t_end:
                    continue
                if (t_start, t_end) != (ent.start, ent.end):
                    suffix = "" if ent.id_ else FIX_SUFFIX
                    piece = Span(doc, t_start, t_end, label=ent.label_, span_id=ent.id_ + suffix)
                labels = self.never.get(fold(piece.text))
                if labels and self._applies(labels, piece.label_):
                    continue
                fixed.append(piece)
        _replace_ents(doc, fixed)
        return doc


class PersonShortForms:
    """A lone capitalised word that is part of a full PERSON name given earlier becomes PERSON."""

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id

    def _compounds(self, doc: Doc) -> None:
        """A hyphenated surname of a full name given earlier ("Santiago-Ruiz" after "Ma.
        Elena Santiago-Ruiz") becomes PERSON where it stands alone or as another label."""
        seen: dict[tuple[str, ...], int] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent) >= 3:
                for k in range(ent.start, ent.end - 2):
                    words = tuple(t.text for t in doc[k : k + 3])
                    if words[1] in HYPHENS and is_title_word(words[0]) and is_title_word(words[2]):
                        seen.setdefault(words, ent.start)
        if not seen:
            return
        ents = list(doc.ents)
        covered = {i: e for e in ents for i in range(e.start, e.end)}
        found: list[Span] = []
        for tok in doc[: len(doc) - 2]:
            first = seen.get(tuple(t.text for t in doc[tok.i : tok.i + 3]))
            if first is None or tok.i <= first:
                continue
            holders = {covered[i] for i in range(tok.i, tok.i + 3) if i in covered}
            if any(
                (h.start, h.end) != (tok.i, tok.i + 3)
                or h.label_ == "PERSON"
                or h.id_.startswith(GAZETTEER_ID)
                for h in holders
            ):
                continue
            found.append(Span(doc, tok.i, tok.i + 3, label="PERSON", span_id=self.rule_id))
        if found:
            taken = {i for f in found for i in range(f.start, f.end)}
            kept = [e for e in ents if not any(i in taken for i in range(e.start, e.end))]
            _replace_ents(doc, kept + found)

    def __call__(self, doc: Doc) -> Doc:
        self._compounds(doc)
        first_seen: dict[str, int] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent) >= 2:
                for tok in ent:
                    if is_title_word(tok.text) and not tok.is_stop:
                        first_seen.setdefault(tok.text, ent.start)
        if not first_seen:
            return doc
        ents = list(doc.ents)
        covered = {i: e for e in ents for i in range(e.start, e.end)}
        changed = False
        for tok in doc:
            seen = first_seen.get(tok.text)
            if seen is None or tok.i <= seen:
                continue
            ent = covered.get(tok.i)
            if ent is not None and (
                len(ent) > 1 or ent.label_ == "PERSON" or ent.id_.startswith(GAZETTEER_ID)
            ):  # a gazetteer place stays a place ("Brunei" after "Brunei Minister")
                continue
            if ent is not None:
                ents.remove(ent)
            ents.append(Span(doc, tok.i, tok.i + 1, label="PERSON", span_id=self.rule_id))
            changed = True
        if changed:
            _replace_ents(doc, ents)
        return doc


class LineBreaks:
    """Sentence starts the parser keeps: a line break ends a sentence (captions and headlines
    carry no final period); an honorific's period does not ("H.E. Nguyen Van Duc")."""

    def __init__(self, honorifics: Sequence[str]) -> None:
        self.no_break_after = frozenset(h.lower() for h in honorifics if h.endswith("."))

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if prev.is_space and "\n" in prev.text and not tok.is_space:
                tok.is_sent_start = True
            elif prev.lower_ in self.no_break_after and not tok.is_space:
                tok.is_sent_start = False
        return doc


@Language.factory("factdesk_line_breaks", default_config={"honorifics": []})
def make_line_breaks(nlp: Language, name: str, honorifics: list[str]) -> LineBreaks:
    """Factory of the sentence-start rule."""
    return LineBreaks(honorifics)


@Language.factory(
    "factdesk_person_names",
    default_config={
        "vietnamese": [],
        "chinese": [],
        "not_names": [],
        "rule_id": "person_names",
        "southern": [],
    },
)
def make_person_names(
    nlp: Language,
    name: str,
    vietnamese: list[str],
    chinese: list[str],
    not_names: list[str],
    rule_id: str,
    southern: list[str],
) -> PersonNames:
    """Factory of the surname rule."""
    return PersonNames(vietnamese, chinese, not_names, rule_id, southern)


@Language.factory("factdesk_merge_rules", default_config={"body_heads": []})
def make_merge_rules(nlp: Language, name: str, body_heads: list[str]) -> MergeRuleEntities:
    """Factory of the rule/NER merge."""
    return MergeRuleEntities(body_heads)


@Language.factory(
    "factdesk_entity_fixes",
    default_config={"never": [], "trim_start": [], "trim_end": [], "rule_id": "entity_fixes"},
)
def make_entity_fixes(
    nlp: Language,
    name: str,
    never: list[dict],
    trim_start: list[dict],
    trim_end: list[dict],
    rule_id: str,
) -> EntityFixes:
    """Factory of the post-NER fixes."""
    return EntityFixes(never, trim_start, trim_end, rule_id)


@Language.factory("factdesk_short_forms", default_config={"rule_id": "short_forms"})
def make_short_forms(nlp: Language, name: str, rule_id: str) -> PersonShortForms:
    """Factory of the in-document short-form rule."""
    return PersonShortForms(rule_id)
