"""The timeline's time axis: dates as day numbers, and ticks by years, months or days.

Plain functions (no widgets): the canvas maps a day number to x with a scale in pixels per
day, and asks here which tick unit fits that scale and where the ticks fall.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

ISO_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MIN_TICK_PX = 56.0  # ticks closer than this are too crowded to label


@dataclass(frozen=True, slots=True)
class Span:
    """A date value as a range of days (ordinals, end inclusive)."""

    first: int
    last: int

    @property
    def middle(self) -> float:
        return (self.first + self.last) / 2


def day_range(start: str, end: str) -> Span | None:
    """The days an ISO start and end cover ('2024' to '2024' is the whole year); None when
    either is not a year, year-month or date."""
    a, b = ISO_RE.match(start), ISO_RE.match(end)
    if a is None or b is None:
        return None
    try:
        first = date(int(a[1]), int(a[2] or 1), int(a[3] or 1))
        year, month = int(b[1]), int(b[2] or 12)
        day = int(b[3]) if b[3] else calendar.monthrange(year, month)[1]
        last = date(year, month, day)
    except ValueError:
        return None
    return Span(first.toordinal(), max(first.toordinal(), last.toordinal()))


def tick_unit(pixels_per_day: float) -> str:
    """'year', 'month' or 'day': the finest unit whose ticks stay MIN_TICK_PX apart."""
    if pixels_per_day * 1 >= MIN_TICK_PX:
        return "day"
    if pixels_per_day * 30.4 >= MIN_TICK_PX:
        return "month"
    return "year"


def ticks(first: int, last: int, unit: str, pixels_per_day: float) -> list[tuple[int, str]]:
    """(day number, label) of every tick between two days, thinned to stay readable."""
    lo, hi = date.fromordinal(max(first, 1)), date.fromordinal(max(last, 1))
    found: list[tuple[int, str]] = []
    if unit == "year":
        years_px = pixels_per_day * 365.25
        step = next((s for s in (1, 2, 5, 10, 25, 50, 100) if s * years_px >= MIN_TICK_PX), 100)
        for year in range(lo.year - lo.year % step, hi.year + 1, step):
            if year >= 1:
                found.append((date(year, 1, 1).toordinal(), str(year)))
    elif unit == "month":
        step = next((s for s in (1, 2, 3, 6) if s * pixels_per_day * 30.4 >= MIN_TICK_PX), 6)
        year, month = lo.year, lo.month
        while (year, month) <= (hi.year, hi.month):
            if (month - 1) % step == 0:
                name = calendar.month_abbr[month]
                label = f"{name} {year}" if month == 1 or not found else name
                found.append((date(year, month, 1).toordinal(), label))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        for day in range(lo.toordinal(), hi.toordinal() + 1):
            d = date.fromordinal(day)
            label = f"{d.day} {calendar.month_abbr[d.month]}"
            found.append((day, f"{label} {d.year}" if d.day == 1 or not found else label))
    return [(day, label) for day, label in found if first - 400 <= day <= last + 1]


__all__ = ["Span", "day_range", "tick_unit", "ticks"]
