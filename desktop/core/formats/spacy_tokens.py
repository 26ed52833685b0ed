"""The tokenizer of every token-based export: a blank English pipeline, created once.

spaCy is imported on first use, so formats without tokens (brat, facts, entities) never
load it. Texts go to the tokenizer and the sentencizer directly, never through `nlp()`:
neither holds the whole-document memory that spaCy's 1,000,000-character limit
(`nlp.max_length`) guards against, so a document of any length is tokenized in one go.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@lru_cache(maxsize=1)
def blank() -> Language:
    """`spacy.blank("en")` (the model's tokenizer rules) with a sentencizer."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def make_doc(text: str, sentences: bool = False) -> Doc:
    """The tokenized text (with sentence starts if asked), whatever its length."""
    nlp = blank()
    doc = nlp.tokenizer(text)
    return nlp.get_pipe("sentencizer")(doc) if sentences else doc


@dataclass(frozen=True, slots=True)
class Tokens:
    """A Doc's token offsets as plain lists, and where each offset falls."""

    starts: list[int]
    ends: list[int]
    spaces: list[int]  # 1 when whitespace follows the token
    by_start: dict[int, int]  # character offset -> index of the token starting there
    by_end: dict[int, int]  # character offset -> index of the token ending there

    @classmethod
    def of(cls, doc: Doc) -> Tokens:
        """The offsets of `doc`, read in one array call."""
        from spacy.attrs import IDX, LENGTH, SPACY

        rows = doc.to_array([IDX, LENGTH, SPACY]).tolist() if len(doc) else []
        starts = [r[0] for r in rows]
        ends = [r[0] + r[1] for r in rows]
        spaces = [r[2] for r in rows]
        by_start = {s: i for i, s in enumerate(starts)}
        by_end = {e: i for i, e in enumerate(ends)}
        return cls(starts, ends, spaces, by_start, by_end)

    def bounds(self, start: int, end: int) -> tuple[int, int] | None:
        """(first token, last token inclusive) of a span on token boundaries, else None."""
        first, last = self.by_start.get(start), self.by_end.get(end)
        if first is None or last is None or last < first:
            return None
        return first, last


def token_bounds(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """(token_start, token_end inclusive) of a span on token boundaries, else None."""
    span = doc.char_span(start, end, alignment_mode="strict")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end - 1
