"""The tokenizer of every token-based export: a blank English pipeline, created once.

spaCy is imported on first use, so formats without tokens (brat, facts, entities) never
load it. Texts go to the tokenizer and the sentencizer directly, never through `nlp()`:
neither holds the whole-document memory that spaCy's 1,000,000-character limit
(`nlp.max_length`) guards against, so a document of any length is tokenized in one go.

The tokenizer's chunk cache is warmed with each distinct whitespace-separated chunk of a
text before the text itself is tokenized. spaCy stops caching chunks within a text once any
special case (an exception such as "'s" or "Dr.") has been hit in it, so on a long document
almost every chunk after the first few sentences went through the affix rules again (1.43
million characters: about 2 s). A chunk tokenized on its own is cached unless it holds a
special case itself; the text then reads nearly every chunk from the cache. The cache is
spaCy's own, filled by its own rules, so the tokens are the same ones.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


# Chunks warmed into the tokenizer's cache, at most this many (spaCy's default is 10,000;
# an entry is a few pointers, so 200,000 stay within a few MB).
CACHE_CHUNKS = 200_000
_warmed: set[str] = set()


@lru_cache(maxsize=1)
def blank() -> Language:
    """`spacy.blank("en")` (the model's tokenizer rules) with a sentencizer."""
    import spacy

    nlp = spacy.blank("en")
    nlp.tokenizer.max_cache_size = CACHE_CHUNKS
    nlp.add_pipe("sentencizer")
    return nlp


def _warm(tokenizer, text: str) -> None:  # type: ignore[no-untyped-def]
    """Tokenize each chunk of `text` not seen before on its own, so that it is cached."""
    room = CACHE_CHUNKS - len(_warmed)
    if room <= 0:
        return
    new = set(text.split()) - _warmed
    if len(new) > room:
        new = set(sorted(new)[:room])
    for chunk in new:
        tokenizer(chunk)
    _warmed.update(new)


def make_doc(text: str, sentences: bool = False) -> Doc:
    """The tokenized text (with sentence starts if asked), whatever its length."""
    nlp = blank()
    _warm(nlp.tokenizer, text)
    doc = nlp.tokenizer(text)
    return nlp.get_pipe("sentencizer")(doc) if sentences else doc


@dataclass(frozen=True, slots=True)
class Tokens:
    """A Doc's token offsets as plain lists; spans are placed on them by bisection."""

    starts: list[int]
    ends: list[int]
    spaces: list[int]  # 1 when whitespace follows the token

    @classmethod
    def of(cls, doc: Doc) -> Tokens:
        """The offsets of `doc`, read in one array call and converted column by column."""
        from spacy.attrs import IDX, LENGTH, SPACY

        if not len(doc):
            return cls([], [], [])
        rows = doc.to_array([IDX, LENGTH, SPACY])
        starts = rows[:, 0]
        return cls(starts.tolist(), (starts + rows[:, 1]).tolist(), rows[:, 2].tolist())

    def bounds(self, start: int, end: int) -> tuple[int, int] | None:
        """(first token, last token inclusive) of a span on token boundaries, else None."""
        # offsets only grow from token to token: the last token starting (ending) at an
        # offset is the one right of it
        first = bisect_right(self.starts, start) - 1
        last = bisect_right(self.ends, end) - 1
        if first < 0 or last < 0 or self.starts[first] != start or self.ends[last] != end:
            return None
        if last < first:
            return None
        return first, last


def token_bounds(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """(token_start, token_end inclusive) of a span on token boundaries, else None."""
    span = doc.char_span(start, end, alignment_mode="strict")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end - 1
