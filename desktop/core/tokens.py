"""Token boundaries for snapping a selection: words, numbers and single punctuation marks.

Offsets are Python code points, end-exclusive, like every span in the project.

Tokens:

- a word is a run of letters, digits and ``_`` together with its combining marks
  (so decomposed Vietnamese "Việt" stays one token);
- a number keeps ``.`` and ``,`` between digits: "16.4", "500,000", "1,234.5";
- anything else that is not whitespace is a token of its own ("%", "(", "’"),
  with its combining marks, emoji modifiers, variation selectors and zero-width
  joiner sequences, so an emoji such as "👍🏽" or "👩‍💻" and a flag pair "🇻🇳" are one token.

Hyphens and apostrophes split words: "China-ASEAN" is "China", "-", "ASEAN" and
"Guangxi’s" is "Guangxi", "’", "s". An analyst can then mark "China" alone, and
marking the whole compound only takes a selection that touches both ends.
"""

from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from collections.abc import Sequence
from typing import Literal

Span = tuple[int, int]

_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)+|\w+|\S")
_JOINERS = frozenset("\u200c\u200d")
_REGIONAL_INDICATORS = range(0x1F1E6, 0x1F200)
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)
_TAG_CHARACTERS = range(0xE0020, 0xE0080)


def _is_extender(char: str) -> bool:
    """Whether `char` belongs to the character before it (marks, modifiers, joiners)."""
    code = ord(char)
    if code < 0x300:
        return False
    return (
        unicodedata.category(char).startswith("M")
        or char in _JOINERS
        or code in _EMOJI_MODIFIERS
        or code in _TAG_CHARACTERS
    )


def _continues(text: str, previous: Span, token: str) -> bool:
    """Whether `token`, which starts where `previous` ends, is part of the previous token."""
    if _is_extender(token[0]):
        return True
    last = text[previous[1] - 1]
    if last in _JOINERS:
        return True
    if ord(token[0]) in _REGIONAL_INDICATORS and previous[1] - previous[0] == 1:
        return ord(last) in _REGIONAL_INDICATORS
    # a word that a combining mark interrupted ("Vie" + U+0323 U+0302 + "t")
    return _is_extender(last) and token[0].isalnum() and text[previous[0]].isalnum()


def token_spans(text: str) -> list[Span]:
    """Return the tokens of `text` as sorted, non-overlapping (start, end) spans."""
    spans: list[Span] = []
    for match in _TOKEN_RE.finditer(text):
        start, end = match.span()
        if spans and spans[-1][1] == start and _continues(text, spans[-1], match.group()):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def snap(text_or_spans: str | Sequence[Span], start: int, end: int) -> Span | None:
    """Expand (start, end) to the tokens it touches; None if it touches none.

    A token is touched when the selection covers at least one of its characters, so
    whitespace around the selection is dropped and a selection of whitespace only
    gives None. An empty selection (start == end) gives None.
    """
    spans = token_spans(text_or_spans) if isinstance(text_or_spans, str) else text_or_spans
    if start > end:
        start, end = end, start
    if start == end:
        return None
    first = bisect.bisect_right(spans, (start, sys.maxsize))
    if first > 0 and spans[first - 1][1] > start:
        first -= 1
    last = bisect.bisect_left(spans, (end, -1)) - 1
    if first > last or first >= len(spans):
        return None
    return spans[first][0], spans[last][1]


def grow(
    spans: Sequence[Span],
    start: int,
    end: int,
    edge: Literal["start", "end"],
    step: Literal[1, -1],
) -> Span:
    """Move one edge of (start, end) by one token: +1 moves it right, -1 left.

    The span is first snapped to tokens. Moving an edge never produces an empty span
    (the span keeps at least one token) and stops at the first or last token; the span
    comes back unchanged when it cannot move or touches no token.
    """
    snapped = snap(spans, start, end)
    if snapped is None:
        return start, end
    first = bisect.bisect_left(spans, (snapped[0], -1))
    last = bisect.bisect_left(spans, (snapped[1], -1)) - 1
    if edge == "start":
        first = min(max(first + step, 0), last)
    elif edge == "end":
        last = max(min(last + step, len(spans) - 1), first)
    else:
        raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")
    return spans[first][0], spans[last][1]
