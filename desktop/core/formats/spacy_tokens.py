"""The tokenizer of every token-based export: a blank English pipeline, created once."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc


@lru_cache(maxsize=1)
def blank() -> Language:
    """`spacy.blank("en")` (the model's tokenizer rules) with a sentencizer."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def make_doc(text: str, sentences: bool = False) -> Doc:
    """The tokenized text (with sentence starts if asked)."""
    nlp = blank()
    return nlp(text) if sentences else nlp.make_doc(text)


def token_bounds(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """(token_start, token_end inclusive) of a span on token boundaries, else None."""
    span = doc.char_span(start, end, alignment_mode="strict")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end - 1
