"""Tests of token boundaries, selection snapping and growing by one token."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.tokens import grow, snap, token_spans


def tokens_of(text: str) -> list[str]:
    return [text[start:end] for start, end in token_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("up 16.4% year-on-year", ["up", "16.4", "%", "year", "-", "on", "-", "year"]),
        ("500,000 USD, 1,234.5 and 2024.", ["500,000", "USD", ",", "1,234.5", "and", "2024", "."]),
        ("China-ASEAN (VNA) –", ["China", "-", "ASEAN", "(", "VNA", ")", "–"]),
        ("Guangxi’s", ["Guangxi", "’", "s"]),
        ("Việt Nam", ["Việt", "Nam"]),
        ("Vie\u0323\u0302t Nam", ["Vie\u0323\u0302t", "Nam"]),  # decomposed marks stay inside
        ("a 👍🏽 b 👩\u200d💻 🇻🇳🇨🇳", ["a", "👍🏽", "b", "👩\u200d💻", "🇻🇳", "🇨🇳"]),
        ("line\r\nnext\tword", ["line", "next", "word"]),
        ("", []),
        ("   \n ", []),
    ],
)
def test_token_spans(text: str, expected: list[str]) -> None:
    assert tokens_of(text) == expected


TEXT = "  China-ASEAN trade rose 16.4% to 500,000 USD.  "


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (4, 6, "China"),  # inside a word
        (0, 8, "China-"),  # leading whitespace dropped, "-" touched
        (5, 12, "China-ASEAN"),
        (12, 13, "ASEAN"),  # last character of a word
        (13, 14, None),  # whitespace only
        (0, 2, None),
        (26, 27, "16.4"),
        (34, 36, "500,000"),
        (43, 48, "USD."),  # trailing whitespace dropped
        (8, 8, None),  # empty
        (12, 5, "China-ASEAN"),  # reversed
    ],
)
def test_snap(start: int, end: int, expected: str | None) -> None:
    spans = token_spans(TEXT)
    result = snap(TEXT, start, end)
    assert snap(spans, start, end) == result
    assert (TEXT[result[0] : result[1]] if result else None) == expected


def test_grow_moves_one_edge_by_one_token() -> None:
    spans = token_spans(TEXT)
    start = TEXT.index("ASEAN")
    span = (start, start + 5)

    def text(span: tuple[int, int]) -> str:
        return TEXT[span[0] : span[1]]

    assert text(grow(spans, *span, "start", -1)) == "-ASEAN"
    assert text(grow(spans, *span, "end", 1)) == "ASEAN trade"
    assert text(grow(spans, *span, "end", -1)) == "ASEAN"  # never empty
    assert text(grow(spans, *span, "start", 1)) == "ASEAN"
    assert text(grow(spans, 0, 4, "start", -1)) == "China"  # snapped, stops at the first token
    last = spans[-1]
    assert grow(spans, *last, "end", 1) == last
    assert grow(spans, 0, 2, "end", 1) == (0, 2)  # whitespace only: unchanged
    with pytest.raises(ValueError):
        grow(spans, *span, "middle", 1)  # type: ignore[arg-type]


ALPHABET = st.sampled_from(
    [*"ab1.,-’% \t\n\r", "\r\n", "é", "e\u0301", "😀", "👍🏽", "\u200d", "Việt", "16.4"]
)
texts = st.lists(ALPHABET, max_size=30).map("".join)


@given(texts)
def test_tokens_cover_every_non_space_character_once(text: str) -> None:
    spans = token_spans(text)
    covered = [False] * len(text)
    for (start, end), following in itertools.zip_longest(spans, spans[1:]):
        assert start < end
        assert following is None or end <= following[0]
        for index in range(start, end):
            covered[index] = True
    assert covered == [not char.isspace() for char in text]


@given(texts, st.integers(0, 30), st.integers(0, 30))
def test_snap_covers_the_selection_without_surrounding_whitespace(
    text: str, start: int, end: int
) -> None:
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    spans = token_spans(text)
    result = snap(spans, start, end)
    if not text[start:end].strip():
        assert result is None
        return
    assert result is not None
    first, last = result
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    assert first in starts and last in ends
    selected = text[start:end]
    inner_start = start + len(selected) - len(selected.lstrip())
    inner_end = end - (len(selected) - len(selected.rstrip()))
    assert first <= inner_start and inner_end <= last
    assert text[first:last] == text[first:last].strip()


@given(texts, st.integers(0, 30), st.integers(0, 30), st.sampled_from(["start", "end"]))
def test_grow_never_empties_and_stays_on_boundaries(
    text: str, start: int, end: int, edge: str
) -> None:
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    spans = token_spans(text)
    for step in (1, -1):
        result = grow(spans, start, end, edge, step)  # type: ignore[arg-type]
        if snap(spans, start, end) is None:
            assert result == (start, end)
        else:
            assert result[0] < result[1]
            assert result[0] in {s for s, _ in spans} and result[1] in {e for _, e in spans}
