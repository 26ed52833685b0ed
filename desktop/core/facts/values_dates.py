"""Dates to ISO 8601 with dateparser, resolved against the document's publication date.

Output forms: "2025-11-25" (day), "2025-11" (month), "2025" (year), "2025-W48" (week),
"2025-11-24T10:00" (minute), "T10:00" (a clock time alone), "2023/2024" (an ISO interval,
with "start" and "end" in data). A day or month written without a year in a document without
publication date keeps the year unknown, in the ISO 8601:2000 truncated form "--11-25" / "--11".
A bare weekday is the latest one on or before publication. Vague text gives None: durations
("three days", "the past two years"), "annually", "later this year", "since 2020", "recent years".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from dateparser.date import DateDataParser

from desktop.core.facts.values_numbers import Value, clean

# Two reference dates in leap years that differ in year, month and day: a field that comes out
# the same from both was written in the text; one that differs was filled in by dateparser.
BASE_A = datetime(2004, 3, 15, 12)
BASE_B = datetime(2008, 8, 20, 12)
# A day or month written without year is the latest one that starts at most this long after
# publication: "November 25" in a paper of 2025-11-26 is 2025-11-25, "December 5" 2025-12-05,
# "March" 2025-03 (news mostly tells the recent past, or what comes within the month).
AHEAD = timedelta(days=31)
DEPTH = {"year": 1, "month": 2, "day": 3, "part_of_day": 3}
PRECISION_ORDER = ("year", "month", "week", "day", "minute", "time")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NUMBER_WORDS = "a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few"

LEAD_RE = re.compile(r"^(?:(?:on|in|at|during|of)\s+)+", re.I)
VAGUE_RE = re.compile(
    r"\b(?:later|earlier|recent(?:ly)?|past|coming|upcoming|annual(?:ly)?|yearly|monthly|weekly"
    r"|daily|quarterly|every|each|per|since|until|till|before|after|within|throughout|soon|now"
    r"|currently|previously|so\s+far|to\s+date|the\s+last|the\s+next|next\s+few)\b",
    re.I,
)
DURATION_RE = re.compile(
    rf"\b(?:{NUMBER_WORDS}|couple\s+of|\d+(?:\.\d+)?)[\s-]+(?:full\s+)?(?:hours?|days?|weeks?"
    r"|fortnights?|months?|quarters?|years?|decades?)\b(?!\s+ago)",
    re.I,
)
DECADE_RE = re.compile(r"^(?:the\s+)?(?P<d>\d{3})0'?s$", re.I)
PERIOD_RE = re.compile(
    r"^(?:the\s+)?(?:q(?P<q>[1-4])|(?P<qw>first|second|third|fourth|final|1st|2nd|3rd|4th)"
    r"\s+quarter|h(?P<h>[12])|(?P<hw>first|second|1st|2nd)\s+half)(?:\s+of)?(?:[\s,]+(?P<y>\d{4}))?$",
    re.I,
)
MONTHS_SO_FAR_RE = re.compile(
    r"^(?:the\s+)?first\s+(?P<n>\d{1,2}|[a-z]+)\s+months\s+of\s+(?:(?P<y>\d{4})|(?P<this>this\s+year))$",
    re.I,
)
MONTH_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"]
MONTH_COUNTS = {word: n for n, word in enumerate(MONTH_WORDS, 2)}
ORDER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
ORDER |= {"fourth": 4, "4th": 4, "final": 4}
QUALIFIER_RE = re.compile(
    r"^(?:the\s+)?(?P<q>early|mid|late|end|beginning|start|middle|spring|summer|autumn|fall"
    r"|winter|by|around|about)(?:[\s-]+of)?[\s-]+(?=\S)",
    re.I,
)
CLOCK_RE = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?\s?m\b\.?|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidnight\b", re.I
)
ZONE_RE = re.compile(
    r"\(?\b(?:local\s+time|(?:gmt|utc)(?:\s*[+-]\s*\d{1,2})?|ict|hanoi\s+time|beijing\s+time)"
    r"\b\)?",
    re.I,
)
EDGE_RE = re.compile(r"^(?:\b(?:on|at|of)\b|[\s,])+|(?:\b(?:on|at|of)\b|[\s,])+$", re.I)
WEEKDAY_RE = re.compile(
    r"^(?:on\s+)?(?P<d>mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|r|rs|rsday|urday)?\.?"
    r"(?:\s+(?:morning|afternoon|evening|night))?$",
    re.I,
)
YEAR_RE = re.compile(r"(?<![\d.,])(?:1[89]\d\d|20\d\d|2100)(?![\d.,])")
DIGITS_RE = re.compile(r"\d+")
BETWEEN_RE = re.compile(
    r"^(?:between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)|from\s+(?P<c>.+?)\s+(?:to|until|till|through"
    r"|thru|-|–|—)\s+(?P<d>.+)|(?P<e>.+?)(?:\s*[–—]\s*|\s+-\s+|\s+to\s+|\s+through\s+)(?P<f>.+))$",
    re.I,
)
DAYS_RE = re.compile(
    r"^(?:(?P<m1>[a-z]+\.?)\s+(?P<a1>\d{1,2})\s*[-–—]\s*(?P<b1>\d{1,2})"
    r"|(?P<a2>\d{1,2})\s*[-–—]\s*(?P<b2>\d{1,2})\s+(?P<m2>[a-z]+\.?))(?P<y>,?\s+\d{4})?$",
    re.I,
)
YEARS_RE = re.compile(r"^(?P<a>\d{4})\s*(?P<sep>[-–—/])\s*(?P<b>\d{4}|\d{2})$")


@lru_cache(maxsize=32)
def _parser(base: datetime) -> DateDataParser:
    """A dateparser for English that reads relative dates against base, without timestamps."""
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
    settings["PARSERS"] = ["relative-time", "absolute-time"]
    return DateDataParser(languages=["en"], settings=settings)


def _parse(text: str, base: datetime) -> tuple[datetime, str] | None:
    """The date and period dateparser reads in text, or None."""
    found = _parser(base).get_date_data(text)
    return None if found.date_obj is None else (found.date_obj, found.period or "day")


def _iso(fields: tuple[int, ...]) -> dict[str, Any]:
    """ISO text and precision for (year[, month[, day]])."""
    iso = "-".join([f"{fields[0]:04d}", *(f"{field:02d}" for field in fields[1:])])
    return {"iso": iso, "precision": ("year", "month", "day")[len(fields) - 1]}


def _yearless(fields: tuple[int, ...], pub: date | None) -> dict[str, Any] | None:
    """(month[, day]) put in the latest year that starts it by publication + AHEAD."""
    if pub is None:
        iso = "--" + "-".join(f"{field:02d}" for field in fields)
        return {"iso": iso, "precision": ("month", "day")[len(fields) - 1]}
    for year in range(pub.year + 1, pub.year - 8, -1):
        try:
            start = date(year, fields[0], fields[1] if len(fields) > 1 else 1)
        except ValueError:
            continue
        if start <= pub + AHEAD:
            return _iso((year, *fields))
    return None


def _dateparser(text: str, pub: date | None) -> dict[str, Any] | None:
    """Written dates as written, year-less ones put in a year, relative ones from publication."""
    first, second = _parse(text, BASE_A), _parse(text, BASE_B)
    if first is None or second is None:
        return None
    if first[1] == second[1] and (depth := DEPTH.get(first[1])):
        fields = tuple((first[0].year, first[0].month, first[0].day)[:depth])
        if fields == (second[0].year, second[0].month, second[0].day)[:depth]:
            return _iso(fields)
        if depth > 1 and fields[1:] == (second[0].month, second[0].day)[: depth - 1]:
            return _yearless(fields[1:], pub)
    found = None if pub is None else _parse(text, datetime.combine(pub, time(12)))
    if found is None:
        return None
    day, period = found
    if period == "week":
        year, week, _ = day.isocalendar()
        return {"iso": f"{year}-W{week:02d}", "precision": "week"}
    depth = DEPTH.get(period)
    return _iso((day.year, day.month, day.day)[:depth]) if depth else None


def _period(match: re.Match[str], pub: date | None) -> dict[str, Any] | None:
    """A quarter or half ('Q1 2025', 'the first half') as a month interval."""
    if match["q"] or match["qw"]:
        first, months = (int(match["q"] or ORDER[match["qw"].lower()]) - 1) * 3 + 1, 3
    else:
        first, months = (int(match["h"] or ORDER[match["hw"].lower()]) - 1) * 6 + 1, 6
    start = _iso((int(match["y"]), first)) if match["y"] else _yearless((first,), pub)
    if start is None:
        return None
    end = start["iso"][:-2] + f"{first + months - 1:02d}"
    return {"iso": f"{start['iso']}/{end}", "precision": "month", "start": start["iso"], "end": end}


def _months_so_far(match: re.Match[str], pub: date | None) -> dict[str, Any] | None:
    """'the first nine months of 2025' (or 'of this year') as '2025-01/2025-09'."""
    n = match["n"].lower()
    months = int(n) if n.isdigit() else MONTH_COUNTS.get(n, 0)
    year = int(match["y"]) if match["y"] else (pub.year if pub is not None else None)
    if year is None or not 2 <= months <= 11:
        return None
    start, end = f"{year:04d}-01", f"{year:04d}-{months:02d}"
    return {"iso": f"{start}/{end}", "precision": "month", "start": start, "end": end}


def _clock(match: re.Match[str], text: str, pub: date | None) -> dict[str, Any] | None:
    """A clock time, alone ('T10:00') or on a day ('2025-11-24T22:00')."""
    found = _parse(match.group(), BASE_A)
    if found is None:
        return None
    clock = f"{found[0].hour:02d}:{found[0].minute:02d}"
    rest = EDGE_RE.sub("", ZONE_RE.sub(" ", f"{text[: match.start()]} {text[match.end() :]}"))
    if not rest:
        return {"iso": f"T{clock}", "precision": "time"}
    day = _single(rest, pub)
    if day is None or day["precision"] != "day":
        return None
    return {"iso": f"{day['iso']}T{clock}", "precision": "minute"}


def _single(text: str, pub: date | None) -> dict[str, Any] | None:
    """One date, period or clock time in text, as {'iso', 'precision', ...}."""
    text = LEAD_RE.sub("", text).strip()
    if so_far := MONTHS_SO_FAR_RE.match(text):
        return _months_so_far(so_far, pub)
    if not text or VAGUE_RE.search(text) or DURATION_RE.search(text):
        return None
    if decade := DECADE_RE.match(text):
        start, end = f"{decade['d']}0", f"{decade['d']}9"
        return {"iso": f"{start}/{end}", "precision": "year", "start": start, "end": end}
    if period := PERIOD_RE.match(text):
        return _period(period, pub)
    if qualified := QUALIFIER_RE.match(text):
        inner = _single(text[qualified.end() :], pub)
        return None if inner is None else inner | {"qualifier": qualified["q"].lower()}
    if clock := CLOCK_RE.search(text):
        return _clock(clock, text, pub)
    if weekday := WEEKDAY_RE.match(text):
        if pub is None:
            return None
        back = (pub.weekday() - WEEKDAYS.index(weekday["d"].lower())) % 7
        return _iso(((day := pub - timedelta(days=back)).year, day.month, day.day))
    if text.isdigit() and len(text) != 4:
        return None
    found = _dateparser(text, pub)
    years = YEAR_RE.findall(text)
    if found is None and len(years) == 1 and len(DIGITS_RE.findall(text)) == 1:
        return _iso((int(years[0]),))  # '2026 spring meeting': keep the written year
    return found


def _range_parts(text: str) -> tuple[str, str] | None:
    """The two ends of 'between 2023 and 2024', 'from May to July', '2023-24', 'Nov 20-25'."""
    if years := YEARS_RE.match(text):
        end = years["b"] if len(years["b"]) == 4 else years["a"][:2] + years["b"]
        if len(years["b"]) == 2 and years["sep"] == "-" and int(years["b"]) <= 12:
            return None  # '2025-11' is a month
        return (years["a"], end) if end > years["a"] else None
    if days := DAYS_RE.match(text):
        month, year = days["m1"] or days["m2"], days["y"] or ""
        return (
            f"{month} {days['a1'] or days['a2']}{year}",
            f"{month} {days['b1'] or days['b2']}{year}",
        )
    if ends := BETWEEN_RE.match(text):
        parts = [part for part in ends.groups() if part]
        return (parts[0], parts[1]) if len(parts) == 2 else None
    return None


def _range(first: str, last: str, pub: date | None) -> dict[str, Any] | None:
    """An ISO interval; a start without year borrows the end's ('January to March 2025')."""
    end = _single(last, pub)
    if end is None:
        return None
    start = _single(first, pub)
    alone = _single(first, None)
    if (alone is None or alone["iso"].startswith("--")) and end["iso"][:4].isdigit():
        start = _single(f"{first} {end['iso'][:4]}", pub) or start
    if start is None:
        return None
    low, high = start.get("start", start["iso"]), end.get("end", end["iso"])
    if low.startswith("--") != high.startswith("--") or low > high or "T" in low + high:
        return None
    precision = min(start["precision"], end["precision"], key=PRECISION_ORDER.index)
    return {"iso": f"{low}/{high}", "precision": precision, "start": low, "end": high}


def _published(published: object) -> date | None:
    """The publication day from an ISO date or datetime string (or date), else None."""
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    if not isinstance(published, str):
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def normalize_date(text: str, published: str | None) -> Value | None:
    """'November 25' -> '2025-11-25' in a paper of 2025-11-26; None when vague or unknown."""
    text, pub = clean(text), _published(published)
    if not text:
        return None
    try:
        parts = _range_parts(text)
        data = _range(*parts, pub) if parts else _single(text, pub)
    except Exception:  # dateparser on odd input: this normaliser never raises
        return None
    return None if data is None else Value("date", data["iso"], data)
