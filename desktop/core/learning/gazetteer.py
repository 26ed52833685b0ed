"""The project's own gazetteer: the names the analyst confirmed, found again in new text.

Matching is by tokens, folded for case and diacritics ("VIET NAM", "Việt Nam" and "viet
nam" are one name), leftmost-longest; a leading "the" is not part of a name. A name
written with a capital letter matches only where the text has one in its first word, so
"Long" the person is not found in "a long road". A match inside a longer entity the
pipeline found is left out ("Guangxi" in "Guangxi University"); a match over an entity
the pipeline found at the same place, or over part of one, takes its place: the analyst
confirmed this name with this label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.core.folding import fold
from desktop.core.learning.names import ADDED, KnownName

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

PROJECT_ID = "project"  # span ids "project:<entity id>" ("project:" when not linked)
CONTESTED_ID = "project!"  # the same, where the model or a rule read another label there
EXTRACTOR = "project-names"
CONFIDENCE = 0.95  # a name the analyst confirmed, found again
CONTESTED_CONFIDENCE = 0.6  # ... where the pipeline read it with another label


@dataclass(frozen=True, slots=True)
class Pattern:
    """One known name as folded words, with what a match of it is."""

    words: tuple[str, ...]
    label: str
    entity_id: int | None
    needs_capital: bool
    rank: tuple[int, int]  # higher wins when two names are written alike


def _has_capital(text: str) -> bool:
    return any(c.isupper() for c in text)


class Gazetteer:
    """Known names indexed by their first folded word."""

    def __init__(self, names: Iterable[KnownName], tokenize: Callable[[str], Sequence[str]]):
        best: dict[tuple[str, ...], Pattern] = {}
        for n in names:
            words = tuple(fold(w) for w in tokenize(n.text) if w.strip())
            if len(words) > 1 and words[0] == "the":  # "the Dong Son Cooperative"
                words = words[1:]
            if not words:
                continue
            rank = (1 if n.source == ADDED else 0, n.confirmed)
            p = Pattern(words, n.label, n.entity_id, _has_capital(n.text), rank)
            if words not in best or rank > best[words].rank:
                best[words] = p
        self._by_first: dict[str, list[Pattern]] = {}
        for p in sorted(best.values(), key=lambda p: -len(p.words)):
            self._by_first.setdefault(p.words[0], []).append(p)
        self.size = len(best)

    def __len__(self) -> int:
        return self.size

    def find(self, words: Sequence[str], texts: Sequence[str]) -> list[tuple[int, int, Pattern]]:
        """(first token, end token, pattern) of the leftmost-longest matches in a text given
        as folded words and the words as written."""
        out = []
        i, n = 0, len(words)
        by_first = self._by_first
        while i < n:
            found = None
            for p in by_first.get(words[i], ()):
                size = len(p.words)
                if tuple(words[i : i + size]) == p.words and (
                    not p.needs_capital or _has_capital(texts[i])
                ):
                    found = p
                    break  # longest first
            if found is None:
                i += 1
                continue
            out.append((i, i + len(found.words), found))
            i += len(found.words)
        return out

    def merge(self, doc: Doc, ents: Sequence[Span]) -> list[Span]:
        """The doc's entities with the known names found in it, by the rules above."""
        if not self._by_first:
            return list(ents)
        from spacy.tokens import Span

        texts = [t.text for t in doc]
        matches = self.find([fold(t) for t in texts], texts)
        if not matches:
            return list(ents)
        kept = list(ents)
        for start, end, p in matches:
            if any(e.start <= start and end <= e.end and len(e) > end - start for e in kept):
                continue  # inside a longer entity
            over = [e for e in kept if e.start < end and start < e.end]
            contested = any(e.label_ != p.label for e in over)
            kept = [e for e in kept if not (e.start < end and start < e.end)]
            prefix = CONTESTED_ID if contested else PROJECT_ID
            ref = "" if p.entity_id is None else str(p.entity_id)
            kept.append(Span(doc, start, end, label=p.label, span_id=f"{prefix}:{ref}"))
        return sorted(kept, key=lambda e: e.start)


def origin_of(span_id: str) -> tuple[str, str, float, int | None] | None:
    """(origin, extractor, confidence, entity id) of a span the gazetteer set, else None."""
    head, sep, ref = span_id.partition(":")
    if not sep or head not in (PROJECT_ID, CONTESTED_ID):
        return None
    confidence = CONTESTED_CONFIDENCE if head == CONTESTED_ID else CONFIDENCE
    return "project", EXTRACTOR, confidence, int(ref) if ref.isdigit() else None


def entity_of(span_id: str) -> int | None:
    """The entity a span the gazetteer set is linked to (None for any other span)."""
    found = origin_of(span_id) if span_id else None
    return found[3] if found else None
