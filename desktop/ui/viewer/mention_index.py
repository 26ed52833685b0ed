"""The mentions of the shown document, placed in document positions and stacked by nesting."""

from __future__ import annotations

import bisect
import heapq
import itertools
import operator
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.records import MentionRecord
from desktop.ui.viewer.offsets import OffsetMap


@dataclass(frozen=True, slots=True)
class PlacedMention:
    """A mention with its document positions and its underline level (0 = outermost)."""

    record: MentionRecord
    start: int
    end: int
    level: int

    @property
    def id(self) -> int:
        """The mention's id."""
        return self.record.id


def _reading_key(mention: MentionRecord) -> tuple[int, int, int]:
    """Reading order: by start, a container before what it contains, then by id."""
    return mention.start, -mention.end, mention.id


def _placed_key(placed: PlacedMention) -> tuple[int, int, int]:
    return _reading_key(placed.record)


def in_reading_order(placed: Iterable[PlacedMention]) -> list[PlacedMention]:
    """Placed mentions sorted as MentionIndex.ordered holds them."""
    return sorted(placed, key=_placed_key)


_END = operator.attrgetter("end")


class MentionIndex:
    """Mentions in reading order, with lookups by id, by position and by visible range."""

    def __init__(self, mentions: Iterable[MentionRecord], offsets: OffsetMap) -> None:
        records = sorted(mentions, key=_reading_key)
        self.ordered: list[PlacedMention] = []
        active: list[tuple[int, int]] = []  # (end, level) of mentions still open
        free: list[int] = []
        for record in records:
            start, end = offsets.span_to_qt(record.start, record.end)
            while active and active[0][0] <= start:
                heapq.heappush(free, heapq.heappop(active)[1])
            level = heapq.heappop(free) if free else len(active)
            heapq.heappush(active, (end, level))
            self.ordered.append(PlacedMention(record, start, end, level))
        self.by_id = {placed.id: placed for placed in self.ordered}
        self._starts = [placed.start for placed in self.ordered]
        self._longest = max((p.end - p.start for p in self.ordered), default=0)

    def patch(
        self, changed: Iterable[MentionRecord], removed: Iterable[int], offsets: OffsetMap
    ) -> None:
        """Put `changed` mentions in place of those with their ids (or add them); drop `removed`.

        The index then equals one built from scratch with the new mentions, but only the
        levels of the nesting around the change are worked out again.
        """
        records = list(changed)
        ids = {*removed, *(record.id for record in records)}
        gone = [self.by_id.pop(i) for i in ids if i in self.by_id]
        for placed in gone:
            index = self._position(placed.record)
            del self.ordered[index]
            del self._starts[index]
        for record in records:
            start, end = offsets.span_to_qt(record.start, record.end)
            placed = PlacedMention(record, start, end, 0)
            index = self._position(record)
            self.ordered.insert(index, placed)
            self._starts.insert(index, start)
            self.by_id[placed.id] = placed
            self._longest = max(self._longest, end - start)  # an upper bound is enough
        touched = [self._position(p.record) for p in gone] + [self._position(r) for r in records]
        if touched:
            gone_reach = max((p.end for p in gone), default=-1)
            self._relevel(min(touched), max(touched), gone_reach)

    def _position(self, record: MentionRecord) -> int:
        """Where a mention is (or would go) in reading order."""
        return bisect.bisect_left(self.ordered, _reading_key(record), key=_placed_key)

    def _relevel(self, first: int, last: int, gone_reach: int) -> None:
        """Levels again from the nesting that holds `first` until the one after `last` ends.

        A mention that starts where every earlier one has ended opens a new nesting, whose
        levels depend on its own mentions only; past `last`, the first such mention that
        also started a nesting before the change (no removed mention reached it) ends
        the work, as from there on the levels are those already stored.
        """
        if first >= len(self.ordered):
            return  # a mention left the end: the ones before keep their levels
        starts = self._starts
        reach = list(itertools.accumulate(map(_END, self.ordered), max))
        while first > 0 and reach[first - 1] > starts[first]:
            first -= 1
        active: list[tuple[int, int]] = []
        free: list[int] = []
        for index in range(first, len(self.ordered)):
            start = starts[index]
            opens = index == 0 or reach[index - 1] <= start
            if index > last and opens and gone_reach <= start:
                break
            placed = self.ordered[index]
            while active and active[0][0] <= start:
                heapq.heappush(free, heapq.heappop(active)[1])
            level = heapq.heappop(free) if free else len(active)
            heapq.heappush(active, (placed.end, level))
            if level != placed.level:
                placed = PlacedMention(placed.record, placed.start, placed.end, level)
                self.ordered[index] = placed
                self.by_id[placed.id] = placed

    def __len__(self) -> int:
        return len(self.ordered)

    def __contains__(self, mention_id: object) -> bool:
        return mention_id in self.by_id

    def overlapping(self, start: int, end: int) -> list[PlacedMention]:
        """Mentions that share a position with [start, end), outermost level first."""
        low = bisect.bisect_left(self._starts, start - self._longest)
        high = bisect.bisect_left(self._starts, end)
        found = [p for p in self.ordered[low:high] if p.end > start and p.end > p.start]
        found.sort(key=lambda p: p.level)
        return found

    def around(self, position: int) -> list[PlacedMention]:
        """Mentions touching the characters on either side of `position`, innermost first."""
        found = self.overlapping(position - 1, position + 1)
        found.sort(key=lambda p: (p.end - p.start, -p.level))
        return found

    def index_of(self, mention_id: int) -> int:
        """Position of a mention in reading order."""
        return self.ordered.index(self.by_id[mention_id])

    def step(
        self,
        mention_id: int | None,
        position: int,
        status: str | None,
        forward: bool,
    ) -> int | None:
        """The next (or previous) mention after `mention_id`, else after `position`, wrapping.

        Only mentions of `status` count when it is given; None when there is none.
        """
        candidates = [p for p in self.ordered if status is None or p.record.status == status]
        if not candidates:
            return None
        keys = [_reading_key(p.record) for p in candidates]
        if mention_id is not None and mention_id in self.by_id:
            key = _reading_key(self.by_id[mention_id].record)
            index = bisect.bisect_right(keys, key) if forward else bisect.bisect_left(keys, key)
        else:
            starts = [p.start for p in candidates]
            index = bisect.bisect_left(starts, position)
        index = index if forward else index - 1
        return candidates[index % len(candidates)].id
