"""What extraction applies of the project's learning: after the pipeline has read a text,
the known names are added (gazetteer.py) and remembered rejections are taken out, so
that the fact rules and the stored proposals see the same entities."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.core.entities.keys import entity_key
from desktop.core.learning import names
from desktop.core.learning.gazetteer import Gazetteer
from desktop.core.learning.names import ProjectKnowledge, next_word
from desktop.core.store.learning import FOLLOWING, OUTSIDE_ZONES

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from desktop.core.store import Store

ZoneSpans = Sequence[tuple[int, int, str]]  # (start, end, kind) in document offsets


def zone_at(zones: ZoneSpans, offset: int) -> str:
    """The kind of the smallest zone holding `offset` (OUTSIDE_ZONES when none does)."""
    best: tuple[int, str] | None = None
    i = bisect.bisect_right(zones, (offset, float("inf"), ""))
    for start, end, kind in zones[:i]:
        if start <= offset < end and (best is None or end - start < best[0]):
            best = (end - start, kind)
    return best[1] if best else OUTSIDE_ZONES


@dataclass
class Learned:
    """The known names and remembered rejections of a project, ready to apply."""

    knowledge: ProjectKnowledge
    gazetteer: Gazetteer

    @property
    def empty(self) -> bool:
        return not len(self.gazetteer) and not self.knowledge.rejections

    def apply(self, doc: Doc, offset: int, zones: ZoneSpans) -> int:
        """Set the doc's entities: known names added, remembered rejections dropped; how
        many entities were dropped. `offset` is where the doc's text starts in its document."""
        if self.empty:
            return 0
        ents = self.gazetteer.merge(doc, doc.ents)
        kept = []
        rejects = self.knowledge.rejects
        if self.knowledge.rejections:
            text = doc.text
            for e in ents:
                context = zone_at(zones, e.start_char + offset)
                following = next_word(text[e.end_char : e.end_char + FOLLOWING])
                if not rejects(entity_key(e.text), e.label_, context, following):
                    kept.append(e)
        else:
            kept = ents
        doc.ents = kept
        return len(ents) - len(kept)


def build(knowledge: ProjectKnowledge, tokenize: Callable[[str], Sequence[str]]) -> Learned:
    """Ready to apply, with names split into words by `tokenize` (the pipeline's own)."""
    return Learned(knowledge, Gazetteer(knowledge.names.values(), tokenize))


def splitter(tokenizer) -> Callable[[str], Sequence[str]]:  # type: ignore[no-untyped-def]
    """Names split into words as `tokenizer` splits them. A name of plain words (letters
    and digits, none a special case of the tokenizer's) is split at its spaces, as the
    tokenizer would, without running it: that is most names, and ten times faster."""
    special = tokenizer.rules or {}

    def split(text: str) -> Sequence[str]:
        words = text.split()
        if all(w.isalnum() and w not in special for w in words):
            return words
        return [t.text for t in tokenizer(text)]

    return split


def for_pipeline(store: Store, nlp) -> Learned:  # type: ignore[no-untyped-def]
    """What the project knows now, with names split by the pipeline's tokenizer."""
    return build(names.load(store), splitter(nlp.tokenizer))


def nothing() -> Learned:
    """No names and no rejections: extraction as the pipeline alone proposes."""
    return Learned(ProjectKnowledge(), Gazetteer((), lambda text: text.split()))
