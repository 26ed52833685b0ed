"""Document metadata read from the layout zones: title, publication date, publisher, dateline."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from desktop.core.ingest import zones as zones_mod
from desktop.core.ingest.zones import ZoneSpan


@dataclass(frozen=True, slots=True)
class TextMetadata:
    """Metadata of one article; None where the text does not say."""

    title: str | None
    published: str | None  # ISO 8601 date "YYYY-MM-DD", or "YYYY-MM" when the day is unknown
    publisher: str | None  # news agency or outlet, e.g. "VNA"
    dateline: str | None  # place in the dateline, e.g. "Hanoi"


_MONTH = zones_mod.MONTH_PATTERN
_ORDINAL = r"(?:st|nd|rd|th)?"
_ISO_RE = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
_MONTH_DAY_YEAR_RE = re.compile(
    rf"\b(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>\d{{4}})\b", re.I
)
_DAY_MONTH_YEAR_RE = re.compile(
    rf"\b(?P<d>\d{{1,2}}){_ORDINAL}\s+(?P<mon>{_MONTH}),?\s+(?P<y>\d{{4}})\b", re.I
)
_NUMERIC_RE = re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})\b")
_MONTH_YEAR_RE = re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<y>\d{{4}})\b", re.I)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_TOP_LINES = 8
_TITLE_MAX = 200
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)]*(?=\s+[\"“‘'(]?[A-Z0-9])")
_LAST_WORD_RE = re.compile(r"(\S+)$")
_ABBREVIATION_RE = re.compile(
    r"mrs?|ms|dr|prof|st|gen|gov|sen|rep|no|vs|inc|co|corp|ltd"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec",
    re.IGNORECASE,
)
_WORD_START_RE = re.compile(r"(^|[\s\-])(\w)")


def parse_date(text: str) -> str | None:
    """Return the first full date in text as ISO "YYYY-MM-DD" (or "YYYY-MM"), else None."""
    for match in _ISO_RE.finditer(text):
        if iso := _iso(match["y"], match["m"], match["d"]):
            return iso
    for pattern in (_MONTH_DAY_YEAR_RE, _DAY_MONTH_YEAR_RE):
        for match in pattern.finditer(text):
            if iso := _iso(match["y"], _month_number(match["mon"]), match["d"]):
                return iso
    for match in _NUMERIC_RE.finditer(text):
        day, month = match["d"], match["m"]
        if iso := _iso(match["y"], month, day) or _iso(match["y"], day, month):
            return iso
    month_year = _MONTH_YEAR_RE.search(text)
    if month_year is None:
        return None
    return f"{month_year['y']}-{_month_number(month_year['mon']):02d}"


def _month_number(name: str) -> int:
    """Month number of an English month name or abbreviation."""
    return _MONTHS.index(name.rstrip(".").casefold()[:3]) + 1


def _iso(year: str, month: str | int, day: str) -> str | None:
    """ISO form of a calendar date, or None when it does not exist."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _top_datelines(text: str, zones: list[ZoneSpan]) -> Iterator[str]:
    """Lines of the dateline zones that start within the first few non-blank lines (a
    paper's name-and-date line and the wire dateline under it may share one zone)."""
    for zone in zones:
        if zone.kind != "dateline":
            continue
        if sum(1 for line in text[: zone.start].splitlines() if line.strip()) >= _TOP_LINES:
            return
        lines = [line.strip() for line in text[zone.start : zone.end].splitlines()]
        yield from (line for line in lines if line)


_WEEKDAY = r"(?i:\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?)"
# A paper's own line: its name, then the date ("Vientiane Times, 2 April 2025",
# "Viet Nam News | Tuesday, 3 March 2026 | 09:30").
_PAPER_LINE_RE = re.compile(
    r"(?P<paper>[^\W\d_][\w'’.&]*(?:[ \-][\w'’.&]+){0,5}?)\s*[,|]\s*"
    rf"(?:{_WEEKDAY},?\s*)?(?P<date>{zones_mod.DATE_PATTERN})"
)


def _paper(line: str) -> str | None:
    """The paper's name of a name-and-date line, or None."""
    match = _PAPER_LINE_RE.match(line)
    if match is None or zones_mod.match_dateline_prefix(line) or not parse_date(match["date"]):
        return None
    paper = match["paper"].strip()
    first = paper.split()[0].casefold().rstrip(":")
    if paper.isupper() or first in _NOT_PAPERS or re.fullmatch(_WEEKDAY, paper):
        return None  # "HANOI, 3 March 2026" is a dateline; "Published: ..." no paper
    return paper


_NOT_PAPERS = frozenset({"published", "updated", "posted", "date", "dated", "by", "on"})


def _zone_lines(text: str, zones: list[ZoneSpan], kind: str) -> Iterator[str]:
    """Stripped non-blank lines of every zone of one kind."""
    for zone in zones:
        if zone.kind == kind:
            yield from (line.strip() for line in text[zone.start : zone.end].splitlines())


def _normalise_place(place: str) -> str:
    """First part of a dateline place, with an all-caps name put in title case."""
    first = place.split(",")[0].strip()
    if not first.isupper():
        return first
    return _WORD_START_RE.sub(lambda m: m[1] + m[2].upper(), first.lower())


def _is_sentence_end(text: str, match: re.Match[str]) -> bool:
    """Tell whether a full stop ends a sentence rather than an abbreviation or initial."""
    if text[match.start()] != ".":
        return True
    word = _LAST_WORD_RE.search(text[: match.start()])
    token = word[1].strip("\"'“‘(") if word else ""
    return not (len(token) == 1 or "." in token or _ABBREVIATION_RE.fullmatch(token))


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph."""
    for match in _SENTENCE_END_RE.finditer(text):
        if _is_sentence_end(text, match):
            return text[: match.end()]
    return text


def trim_title(text: str, limit: int = _TITLE_MAX) -> str:
    """Collapse whitespace and cut text to at most limit characters on a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


def _title(text: str, zones: list[ZoneSpan]) -> str | None:
    """The headline, else the first sentence of the first body line."""
    for line in _zone_lines(text, zones, "headline"):
        if line:
            return trim_title(line)
    body = next((line for line in _zone_lines(text, zones, "body") if line), None)
    if body is None:
        body = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return trim_title(first_sentence(body)) if body else None


def _prefix(line: str) -> re.Match[str] | None:
    """Dateline-prefix match of a dateline zone that is not a date-only line."""
    return None if zones_mod.is_date_line(line) else zones_mod.match_dateline_prefix(line)


Dateline = tuple[str, "re.Match[str] | None"]  # a top dateline's text and its _prefix


_MONTH_DAY_RE = re.compile(
    rf"\b(?:(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}}){_ORDINAL}|(?P<d2>\d{{1,2}}){_ORDINAL}\s+(?P<mon2>{_MONTH}))",
    re.I,
)
_BARE_YEAR_RE = re.compile(
    r"\b(?:(?P<before>by|until|till|to|through|for|before)\s+)?(?P<y>(?:19|20)\d\d)\b", re.I
)


def _month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a date written without a year ("June 4", "4 June")."""
    match = _MONTH_DAY_RE.search(text)
    if match is None:
        return None
    month = _month_number(match["mon"] or match["mon2"])
    return month, int(match["d"] or match["d2"])


def _year_elsewhere(text: str, zones: list[ZoneSpan], latest: int | None) -> int | None:
    """The year the article speaks of: the latest year of a full date in its body, else the
    latest year it names (not one after "by", "until" ...: those look ahead); none after
    `latest` (the file's year)."""
    body = " ".join(text[z.start : z.end] for z in zones if z.kind in ("body", "headline"))
    years = [
        int(m["y"])
        for pattern in (_MONTH_DAY_YEAR_RE, _DAY_MONTH_YEAR_RE, _ISO_RE)
        for m in pattern.finditer(body)
    ]
    if not years:
        years = [int(m["y"]) for m in _BARE_YEAR_RE.finditer(body) if not m["before"]]
    years = [y for y in years if latest is None or y <= latest]
    return max(years) if years else None


def _published(
    text: str, zones: list[ZoneSpan], datelines: list[Dateline], file_year: int | None
) -> str | None:
    """Publication date from the top datelines: a full date there (a date line, a paper's
    name-and-date line, a dateline with a year) is the date. A dateline without a year
    ("PHNOM PENH, June 4 (Xinhua) --") takes the file's year when the file gives one (its
    metadata or when it was written), else the year the article speaks of: never a year
    of the body when the file says better."""
    for line, prefix in datelines:
        date_text = (prefix["date1"] or prefix["date2"] or "") if prefix else line
        if iso := parse_date(date_text):
            return iso
    for line, prefix in datelines:
        date_text = (prefix["date1"] or prefix["date2"] or "") if prefix else line
        found = _month_day(date_text)
        if found is None:
            continue
        year = file_year or _year_elsewhere(text, zones, None)
        if year is not None and (iso := _iso(str(year), found[0], str(found[1]))):
            return iso
    return None


def _publisher(text: str, zones: list[ZoneSpan], datelines: list[Dateline]) -> str | None:
    """Agency of the top dateline, else of the last sign-off line."""
    for _line, prefix in datelines:
        if prefix and prefix["agency"]:
            return prefix["agency"].strip()
    for line, prefix in datelines:
        if prefix is None and (paper := _paper(line)):
            return paper
    agencies = [zones_mod.signoff_agency(line) for line in _zone_lines(text, zones, "byline")]
    return next((agency for agency in reversed(agencies) if agency), None)


def _dateline_place(datelines: list[Dateline]) -> str | None:
    """Place named in the first top dateline prefix."""
    for _line, prefix in datelines:
        if prefix:
            return _normalise_place(prefix["place"])
    return None


def detect_metadata(
    text: str, zones: list[ZoneSpan] | None = None, file_year: int | None = None
) -> TextMetadata:
    """Read title, publication date, publisher and dateline place from an article
    (`file_year`: the year of the file it came from, for a dateline that gives none)."""
    if zones is None:
        zones = zones_mod.detect_zones(text)
    datelines = [(line, _prefix(line)) for line in _top_datelines(text, zones)]
    return TextMetadata(
        title=_title(text, zones),
        published=_published(text, zones, datelines, file_year),
        publisher=_publisher(text, zones, datelines),
        dateline=_dateline_place(datelines),
    )
