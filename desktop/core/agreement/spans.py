"""Span agreement: exact and overlap matches, F1, and the confusion table of labels.

One layer is the reference: precision is the share of the other layer's spans that
match, recall the share of the reference's. Swapping the layers swaps precision and
recall, so F1 is the same whichever layer is the reference.

- exact: same start, same end, same label;
- overlap: same label and at least one character in common.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from desktop.core.agreement.layers import FactItem, Span

MISSING = "—"  # the confusion table's side of a span that only one layer has


@dataclass
class Matches:
    """Counts behind precision, recall and F1 (`a` is the reference)."""

    a: int = 0  # spans in the reference
    b: int = 0  # spans in the other layer
    a_matched: int = 0  # reference spans with a match in the other layer
    b_matched: int = 0  # other layer's spans with a match in the reference

    def add(self, other: Matches) -> None:
        self.a += other.a
        self.b += other.b
        self.a_matched += other.a_matched
        self.b_matched += other.b_matched

    @property
    def precision(self) -> float | None:
        return self.b_matched / self.b if self.b else None

    @property
    def recall(self) -> float | None:
        return self.a_matched / self.a if self.a else None

    @property
    def f1(self) -> float | None:
        """2PR / (P + R); None when neither layer has a span (nothing to agree on), 0.0
        when only one has."""
        if not self.a and not self.b:
            return None
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def by_label(spans: Iterable[Span]) -> dict[str, list[tuple[int, int]]]:
    """(start, end) of the spans of each label, sorted."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        out[s.label].append((s.start, s.end))
    for offsets in out.values():
        offsets.sort()
    return out


def exact(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> Matches:
    """Exact matches between two lists of offsets of one label."""
    common = len(set(a) & set(b))
    return Matches(len(a), len(b), common, common)


def _overlapped(spans: Sequence[tuple[int, int]], others: Sequence[tuple[int, int]]) -> int:
    """How many of `spans` share a character with one of `others` (both sorted)."""
    if not others:
        return 0
    starts = [s for s, _e in others]
    reach: list[int] = []  # the furthest end among others[: i + 1]
    furthest = -1
    for _s, e in others:
        furthest = max(furthest, e)
        reach.append(furthest)
    n = 0
    for start, end in spans:
        before = bisect.bisect_left(starts, end)  # the others that start before `end`
        if before and reach[before - 1] > start:
            n += 1
    return n


def overlap(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> Matches:
    """Overlap matches between two sorted lists of offsets of one label."""
    return Matches(len(a), len(b), _overlapped(a, b), _overlapped(b, a))


def confusion(a: Iterable[Span], b: Iterable[Span]) -> Counter[tuple[str, str]]:
    """(label in a, label in b) counts over spans with the same offsets in both layers;
    a span that has no span at its offsets in the other layer is paired with `MISSING`.
    Same labels pair first, so the diagonal counts the exact matches; the other spans at
    one place pair in alphabetical order of their labels."""
    left, right = set(a), set(b)
    table: Counter[tuple[str, str]] = Counter((s.label, s.label) for s in left & right)
    rest_a: dict[tuple[int, int], list[str]] = defaultdict(list)
    rest_b: dict[tuple[int, int], list[str]] = defaultdict(list)
    for s in left - right:
        rest_a[(s.start, s.end)].append(s.label)
    for s in right - left:
        rest_b[(s.start, s.end)].append(s.label)
    for offsets in rest_a.keys() | rest_b.keys():
        la, lb = sorted(rest_a.get(offsets, ())), sorted(rest_b.get(offsets, ()))
        for i in range(max(len(la), len(lb))):
            table[(la[i] if i < len(la) else MISSING, lb[i] if i < len(lb) else MISSING)] += 1
    return table


def fact_matches(a: Iterable[FactItem], b: Iterable[FactItem]) -> dict[str, Matches]:
    """Exact fact matches by type: same type and the same arguments (role, start, end)."""
    left, right = set(a), set(b)
    out: dict[str, Matches] = {}
    for fact in left | right:
        m = out.setdefault(fact.type, Matches())
        if fact in left:
            m.a += 1
            m.a_matched += fact in right
        if fact in right:
            m.b += 1
            m.b_matched += fact in left
    return out


@lru_cache(maxsize=65536)
def _name_key(words: str) -> str:
    """The folded key of a name (folding is the slow part of the entity figures; names
    recur across documents and layers, so each is folded once)."""
    from desktop.core.entities.keys import entity_key

    return entity_key(words)


def name_matches(text: str, a: Iterable[Span], b: Iterable[Span]) -> dict[str, Matches]:
    """Entity agreement on one document, by label: the (label, folded name) pairs each
    layer marks anywhere in it ("Việt Nam" and "Viet Nam" are one name), whatever the
    offsets and however often: do both analysts find the same entities?"""
    left = {(s.label, _name_key(text[s.start : s.end])) for s in a}
    right = {(s.label, _name_key(text[s.start : s.end])) for s in b}
    out: dict[str, Matches] = {}
    for label, name in left | right:
        m = out.setdefault(label, Matches())
        there_a, there_b = (label, name) in left, (label, name) in right
        m.a += there_a
        m.b += there_b
        m.a_matched += there_a and there_b
        m.b_matched += there_a and there_b
    return out
