"""Layout zones of a plain-text news article: headline, dateline, byline, body and boilerplate."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ZoneSpan:
    """A zone of the text: code point offsets, end-exclusive."""

    start: int
    end: int
    kind: str


ZONE_KINDS = (
    "headline",
    "dateline",
    "byline",
    "body",
    "caption",
    "related",
    "tags",
    "page_header",  # running header of a PDF page (or a Word file's header)
    "page_footer",  # running footer and page number
)
BOILERPLATE_ZONES = frozenset({"caption", "related", "tags", "page_header", "page_footer"})

MONTH_PATTERN = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
DATE_PATTERN = (
    rf"(?i:\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|{_DAY}\s+{MONTH_PATTERN},?\s+\d{{4}}"
    rf"|{MONTH_PATTERN}\s+{_DAY},?\s+\d{{4}}|{MONTH_PATTERN}\s+\d{{4}}"
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}|{MONTH_PATTERN}\s+{_DAY})\b)"
)
_TIME = (
    r"(?i:\b\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?"
    r"(?:\s*(?:gmt|utc)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)?)"
)
_WEEKDAY = r"(?i:\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?)"
_DATE_RE = re.compile(DATE_PATTERN)
_DIGIT_RE = re.compile(r"\d")  # every DATE_PATTERN match holds a digit
_DATE_LABEL_RE = re.compile(
    r"(?:published|updated|posted|last updated|last modified|date|dated|created|modified)"
    r"(?:\s+(?:on|at))?\s*:?\s*",
    re.IGNORECASE,
)
_DATE_PARTS_RE = re.compile(rf"{DATE_PATTERN}|{_TIME}|{_WEEKDAY}|(?i:\b(?:at|on)\b)")
_DATE_SEPARATORS = "|,;/:.()-–—"  # and whitespace

_PLACE = r"[A-ZÀ-Þ][\w'’.]*(?:[ \-][A-ZÀ-Þ][\w'’.]*){0,3}"
# A dateline may give the day and month without a year ("DILI, 9 October (Tatoli) –"), which
# DATE_PATTERN leaves out (in running text "9 October" alone is too loose to be a date line).
_DATELINE_DATE = rf"(?:{DATE_PATTERN}|(?i:\b{_DAY}\s+{MONTH_PATTERN}))"
_DATELINE_PREFIX_RE = re.compile(
    rf"(?:(?:(?i:dated?|published|updated)\s*:?\s*)?(?P<date1>{DATE_PATTERN})"
    rf"(?:\s*[|,]?\s*{_TIME})?\s*[|,]?\s*)?"
    rf"(?P<place>{_PLACE}(?:,\s*{_PLACE})?)"
    rf"(?:,?\s+(?P<date2>{_DATELINE_DATE}))?"
    r"(?:\s*\((?P<agency>[A-Z][\w&.\-/ ]{1,30})\))?"
    r"\s*(?:--|[–—-])(?=\s|$)"
)
# A paper's own line under the headline: its name and the date ("Vientiane Times, 2 April 2025").
_SOURCE_NAME = r"[A-ZÀ-Þ][\w'’.&]*(?:[ \-](?:[A-ZÀ-Þ&][\w'’.&]*|of|the|and|de|du)){0,5}"
_SOURCE_DATE_RE = re.compile(
    rf"(?P<source>{_SOURCE_NAME})\s*[,|]\s*(?:{_WEEKDAY},?\s*)?(?P<date>{DATE_PATTERN})"
    rf"(?:\s*[,|]?\s*{_TIME})?"
)
_DATELINE_SCAN_CHARS = 200
_DATELINE_MAX_LINE = 8

_TAGS_RE = re.compile(r"(?:tag(?:tag)?s?|keywords?|themes?|topics?)\s*:\s*(?P<rest>.*)", re.I)
_TAGS_FIRST = "tTkK\u212a"  # what "t" and "k" match under re.I: every _TAGS_RE match starts so
_RELATED_RE = re.compile(
    r"(?:see|read) (?:more|also)|related(?: (?:news|articles?|stories|posts|content|coverage))?"
    r"|more (?:news|stories|articles)|you (?:may|might) also like|recommended(?: stories)?"
    r"|most read",
    re.IGNORECASE,
)
_MARKER_TRAIL = " \t:»>›|-–—"
# A marker followed by one teaser headline on the same line: "ALSO READ: <headline>".
_INLINE_RELATED_RE = re.compile(
    r"(?:(?:also read|read also|read more|see also|related(?: (?:news|articles?|stories))?"
    r"|you (?:may|might) also like|more on this|further reading)\s*[:|»>›–—-]"
    r"|read\s*:(?=.*[^.]$))"  # a bare "READ:" only before a headline, which has no full stop
    r"\s*\S.*",
    re.IGNORECASE,
)
_INLINE_RELATED_FIRST = "aArRsSyYmMfF"
# A bare marker that announces a single headline on the next line, not a list.
_ONE_ITEM_RE = re.compile(r"also read|read also", re.IGNORECASE)
# The credit words without a colon or bracket ("Photo by ...", "File photo") also occur in
# running text ("posed for a photo by the river."): they make a caption only on a line that
# does not end as a sentence does.
_CAPTION_RE = re.compile(
    r"\bphotos?\s*:|[(\[]\s*(?:file\s+)?photos?\b"
    r"|(?:\bphoto(?:s|graph)?\s+(?:courtesy|by|provided|credit)|\bfile photo\b"
    r"|\bcourtesy photo\b)(?=.*(?<![.!?])$)|\b(?:image|picture|credit)\s*:",
    re.IGNORECASE,
)
# Every _CAPTION_RE match holds one of these words, matched ignoring case: a line without
# any cannot be a caption, and most lines are ruled out by this quick test. Under
# re.IGNORECASE, "İ" and "ı" also match "i" (no other non-ASCII letter matches these words).
_CAPTION_WORDS = ("photo", "image", "picture", "credit")
_CAPTION_TAIL = 120
# Where a _CAPTION_RE match can start, from where its word sits: "photo" itself, "file photo"
# (5 before it) and "courtesy photo" (9 before it); the other words start their match; an
# opening bracket starts the "(photo" form.
_CAPTION_STARTS = (
    ("photo", (0, 5, 9)),
    ("image", (0,)),
    ("picture", (0,)),
    ("credit", (0,)),
    ("(", (0,)),
    ("[", (0,)),
)
# Photo credits the caption words above miss, closing the line: "... Johor Bahru. — Pic
# courtesy of PMO", "... Chanthaburi province. (Xinhua/Wang Teng)" (agency, then the
# photographer's name, which an agency pair such as "(Reuters/AFP)" has not).
_CREDIT_TAIL_RE = re.compile(
    r"(?:^|(?<=[.!?)”\"])\s+|\s+[–—-]+\s*|\()"
    r"(?i:pic(?:ture)?s?|pix|photos?)(?:\s+(?i:courtesy(?:\s+of)?|by|from)\s+|\s*:\s*)"
    r"[^.!?]{1,60}\)?\s*$"
)
_PHOTOGRAPHER_RE = re.compile(
    r"(?:^|(?<=[.!?”\"])\s+)\((?P<agency>[A-Za-z][A-Za-z&.]{1,14})\s*/\s*"
    r"(?P<name>[A-ZÀ-Þ][\w'’.\-]*(?:\s+[A-ZÀ-Þ][\w'’.\-]*){0,3})\)\s*$"
)
_IMAGE_FILE_RE = re.compile(r"[\w\-.()%~]+\.(?:jpe?g|png|gif|webp|bmp|tiff?|svg|avif|heic)", re.I)
_BYLINE_RE = re.compile(
    r"(?:(?:written|reported|reporting|story|text|words)\s+)?by\s+(?P<names>.+)", re.I
)
_BYLINE_FIRST = "wWrRsStTbB\u017f"  # what w, r, s, t and b match under re.I
_NAME_WORD_RE = re.compile(r"[^\s,&/|;–—-]+")
_NAME_PARTICLE_RE = re.compile(r"and|d[aeiu]|van|von|der|den|la|le|bin|binti|al")
_SIGNOFF_RE = re.compile(
    r"[(\[]?\s*(?:[-–—]+\s*)?"
    r"(?P<agency>[A-Za-z][A-Za-z&.]{1,14}(?:\s*/\s*[A-Za-z][A-Za-z&.]{1,14})?)\s*[)\]]?\s*\.?"
)
_KNOWN_AGENCY_RE = re.compile(
    r"reuters|xinhua|bernama|kyodo|yonhap|antara|tass|interfax|dpa|efe", re.IGNORECASE
)
_HEADLINE_MAX = 160
_HEADLINE_SCAN = 3
_SENTENCE_END = (".", "!", "?", ";", ",", ":")
_CLOSING_QUOTES = "\"'”’)]»"


_Line = tuple[int, int, str]  # a non-blank line: offsets of its stripped content, and that content


def match_dateline_prefix(line: str) -> re.Match[str] | None:
    """Match a dateline prefix such as "Hanoi (VNA) –" at the start of a stripped line."""
    if not _spaced_dash(line):  # a quick test that rules out most lines
        return None
    match = _DATELINE_PREFIX_RE.match(line[:_DATELINE_SCAN_CHARS])
    if match is None:
        return None
    # Wire copy prints the city in capitals, the country after it as written: "MANILA,
    # Philippines —". A sentence opening on a capitalized name and a dash has neither.
    city = match["place"].split(",", 1)[0]
    caps_place = city.isupper() and sum(ch.isalpha() for ch in city) >= 4
    if match["date1"] or match["date2"] or match["agency"] or caps_place:
        return match
    return None


def _spaced_dash(line: str) -> bool:
    """Whether the first _DATELINE_SCAN_CHARS characters hold a dash followed by a space or by
    their end, as every _DATELINE_PREFIX_RE match ends."""
    end = min(len(line), _DATELINE_SCAN_CHARS)
    for dash in "-–—":
        found = line.find(dash, 0, end)
        while found >= 0:
            if found + 1 == end or line[found + 1].isspace():
                return True
            found = line.find(dash, found + 1, end)
    return False


def signoff_agency(line: str) -> str | None:
    """Return the agency of a lone sign-off line such as "VNA" or "(Reuters)", else None."""
    match = _SIGNOFF_RE.fullmatch(line.strip())
    if match is None:
        return None
    tokens = re.split(r"\s*/\s*", match["agency"])
    return match["agency"] if all(_is_agency_token(token) for token in tokens) else None


def is_date_line(line: str) -> bool:
    """Tell whether a stripped line holds only a date and time, with an optional label."""
    digit = _DIGIT_RE.search(line) if len(line) <= 80 else None
    if digit is None or not _DATE_RE.search(line, _date_search_start(line, digit.start())):
        return False
    if not line.isascii() or _has_date_label(line.lower()):
        line = _DATE_LABEL_RE.sub("", line, count=1)
    return _only_date_parts(line)


def _date_search_start(line: str, first_digit: int) -> int:
    """No DATE_PATTERN match starts before this: each holds a digit, and what may come before
    its first one is a month name (up to 10 characters with its full stop) and spaces."""
    spaces = first_digit - len(line[:first_digit].rstrip())
    return max(0, first_digit - spaces - 10)


def _has_date_label(lowered: str) -> bool:
    """Whether an ASCII line, lower-cased, holds a word _DATE_LABEL_RE needs."""
    return (
        "date" in lowered  # also "dated", "updated", "last updated"
        or "published" in lowered
        or "posted" in lowered
        or "created" in lowered
        or "modified" in lowered
    )


def _only_date_parts(text: str) -> bool:
    """Tell whether text holds nothing but date parts and separators.

    Walks the text as _DATE_PARTS_RE.sub would (the leftmost part, then on from its end), but
    stops at the first character that is neither in a part nor a separator."""
    pos, end = 0, len(text)
    while pos < end:
        match = _DATE_PARTS_RE.match(text, pos)
        if match is not None:
            pos = match.end()
        elif text[pos].isspace() or text[pos] in _DATE_SEPARATORS:
            pos += 1
        else:
            return False
    return True


def _is_agency_token(token: str) -> bool:
    """Tell whether a token is an agency acronym or a well-known agency name."""
    letters = token.replace("&", "").replace(".", "")
    known = _KNOWN_AGENCY_RE.fullmatch(token) is not None
    return known or (2 <= len(letters) <= 6 and letters.isupper())


def _is_byline(line: str) -> bool:
    """Tell whether a line is a "By <Name>" credit."""
    if len(line) > 80 or line[:1] not in _BYLINE_FIRST:
        return False
    match = _BYLINE_RE.fullmatch(line)
    if match is None:
        return False
    words = _NAME_WORD_RE.findall(match["names"])
    return 1 <= len(words) <= 8 and all(
        word[0].isupper() or _NAME_PARTICLE_RE.fullmatch(word) for word in words
    )


def _is_caption(line: str) -> bool:
    """Tell whether a line is a photo caption or a bare image file name."""
    if " " not in line and _IMAGE_FILE_RE.fullmatch(line):
        return True
    lowered = line.lower()
    if not line.isascii() and ("\u0130" in line or "\u0131" in line):
        lowered = line.replace("\u0130", "i").replace("\u0131", "i").lower()
    if not (
        "photo" in lowered or "image" in lowered or "picture" in lowered or "credit" in lowered
    ):  # the _CAPTION_WORDS, spelled out: faster than a loop
        return False
    tail_start = len(line) - _CAPTION_TAIL
    if len(lowered) == len(line) and "\u0131" not in line:  # lowered[i] is line[i] lowered
        return _caption_match_placed(line, lowered, tail_start)
    if tail_start > 0 and _CAPTION_RE.search(line, tail_start) is None:
        # No match starts in the tail, so only a match at the very start counts (the first
        # match finditer yields starts at 0 exactly when the pattern matches there).
        return _CAPTION_RE.match(line) is not None
    return any(m.start() == 0 or m.start() >= tail_start for m in _CAPTION_RE.finditer(line))


def _caption_match_placed(line: str, lowered: str, tail_start: int) -> bool:
    """Whether a _CAPTION_RE.finditer match starts at 0 or at tail_start or later.

    Trying the pattern only where a match can start (found by plain string search in the
    lower-cased line, aligned with the line) walks the same matches as finditer, which is
    much slower: it tries every position."""
    starts = []
    for word, offsets in _CAPTION_STARTS:
        found = lowered.find(word)
        while found >= 0:
            starts += [found - offset for offset in offsets if found >= offset]
            found = lowered.find(word, found + 1)
    pos = 0
    for start in sorted(set(starts)):
        if start < pos:
            continue
        match = _CAPTION_RE.match(line, start)
        if match is not None:
            if start == 0 or start >= tail_start:
                return True
            pos = match.end()
    return False


def _is_credit_line(line: str) -> bool:
    """Tell whether a line is a caption that closes on a credit the caption words miss: a
    "— Pic courtesy of X" tail, or an agency and a photographer's name in brackets."""
    lowered = line.lower()
    if len(line) > 400 or not (line.endswith(")") or "pi" in lowered or "photo" in lowered):
        return False
    if _CREDIT_TAIL_RE.search(line) is not None:
        return True
    match = _PHOTOGRAPHER_RE.search(line) if line.endswith(")") else None
    return (
        match is not None
        and _is_agency_token(match["agency"])
        and not _is_agency_token(match["name"])
        and any(ch.islower() for ch in match["name"])
    )


def _is_source_date_line(line: str) -> bool:
    """Tell whether a line is a paper's name and a date ("Vientiane Times, 2 April 2025")."""
    return len(line) <= 80 and _SOURCE_DATE_RE.fullmatch(line) is not None


def _is_doubled(line: str) -> bool:
    """Tell whether a line is one teaser headline written twice ("X X")."""
    half = len(line) // 2
    return (
        len(line) % 2 == 1
        and half >= 10
        and line[half] == " "
        and line[:half] == line[half + 1 :]
        and line[:half].count(" ") >= 2
    )


def _is_inline_related(line: str) -> bool:
    """Tell whether a line is a marker with its teaser headline ("ALSO READ: <headline>")."""
    return (
        len(line) <= 300
        and line[:1] in _INLINE_RELATED_FIRST
        and _INLINE_RELATED_RE.fullmatch(line) is not None
    )


def _opens_one_item(line: str) -> bool:
    """Tell whether a line is a bare marker for one teaser on the next line ("ALSO READ:")."""
    return len(line) <= 20 and _ONE_ITEM_RE.fullmatch(line.rstrip(_MARKER_TRAIL)) is not None


def _opens_related(line: str) -> bool:
    """Tell whether a line starts a list of related stories."""
    if _RELATED_RE.fullmatch(line.rstrip(_MARKER_TRAIL)) is not None:
        return True
    return len(line) % 2 == 1 and _is_doubled(line)  # a doubled line has an odd length


def _looks_like_headline(line: str) -> bool:
    """Tell whether a line is short and unpunctuated like a headline."""
    return (
        len(line) <= _HEADLINE_MAX
        and any(ch.isalpha() for ch in line)
        and not line.rstrip(_CLOSING_QUOTES).endswith(_SENTENCE_END)
        and match_dateline_prefix(line) is None
        and not _is_caption(line)
        and not _is_credit_line(line)
        and not _is_source_date_line(line)
    )


def _split_lines(text: str) -> list[_Line]:
    """Split text into its non-blank lines with the offsets of their stripped content."""
    lines = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()  # every line break is whitespace: the same as the content's
        if stripped:
            start = pos + raw.find(stripped[0])  # the first non-space character
            lines.append((start, start + len(stripped), stripped))
        pos += len(raw)
    return lines


def _headline_index(lines: list[_Line]) -> int | None:
    """Index of the headline line: the first line that is not a date, byline or tags line."""
    for index, (_start, _end, line) in enumerate(lines[:_HEADLINE_SCAN]):
        if is_date_line(line) or _is_byline(line) or _TAGS_RE.match(line):
            continue
        if _is_source_date_line(line):
            continue
        return index if _looks_like_headline(line) else None
    return None


def _closing_kind(line: str, index: int, tags: re.Match[str] | None) -> str | None:
    """Kind of a tags or byline line (`tags`: its _TAGS_RE match), which also closes a
    related-story list."""
    if tags is not None:
        return "tags"
    if _is_byline(line):
        return "byline"
    # no sign-off holds a comma: most lines are ruled out without the pattern
    if index >= 2 and "," not in line and _SIGNOFF_RE.fullmatch(line) and signoff_agency(line):
        return "byline"
    return None


def _plain_kind(line: str, headline: str | None) -> str | None:
    """Kind of a line outside related lists: dateline, caption, or None for body."""
    if len(line) <= 80 and is_date_line(line):  # (is_date_line's own first test, without a call)
        return "dateline"
    if _is_caption(line) or _is_credit_line(line):
        return "caption"
    # casefold() never shortens a string: a longer line cannot repeat the headline
    if headline is not None and len(line) <= len(headline) and line.casefold() == headline:
        return "caption"
    return None


def _is_keyword_line(line: str) -> bool:
    """Tell whether a line can be the keyword list after a bare "Tags:" line."""
    return len(line) <= 300 and not line.endswith((".", "!", "?"))


def _mark_lines(lines: list[_Line]) -> list[tuple[int, int, str]]:
    """Spans (start, end, kind) of every non-body line (and of the dateline prefix of a body
    line)."""
    head = _headline_index(lines)
    headline = lines[head][2].casefold() if head is not None else None
    spans: list[tuple[int, int, str]] = []
    related = want_keywords = prefix_found = one_item = False
    for index, (start, end, text) in enumerate(lines):
        tags = _TAGS_RE.match(text) if text[0] in _TAGS_FIRST else None
        kind = _closing_kind(text, index, tags)
        if kind is None and want_keywords and _is_keyword_line(text):
            kind = "tags"
        want_keywords = tags is not None and not tags["rest"].strip()
        teaser, one_item = one_item, False  # the line after a bare "ALSO READ" marker
        if kind is None and not related and (teaser or _is_inline_related(text)):
            kind = "related"
        elif kind is None and not related and _opens_one_item(text):
            kind, one_item = "related", True
        related = kind is None and (related or _opens_related(text))
        if related:
            kind = "related"
        elif kind is None:
            kind = "headline" if index == head else _plain_kind(text, headline)
            if kind is None and index < _DATELINE_MAX_LINE and _is_source_date_line(text):
                kind = "dateline"
        if kind is not None:
            spans.append((start, end, kind))
        elif not prefix_found and index < _DATELINE_MAX_LINE:
            prefix = match_dateline_prefix(text)
            if prefix is not None:
                prefix_found = True
                spans.append((start, start + prefix.end(), "dateline"))
    return spans


def _merge_same(spans: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """Merge spans of one kind separated only by whitespace."""
    merged: list[tuple[int, int, str]] = []
    for span in spans:
        last = merged[-1] if merged else None
        if last and last[2] == span[2] and not text[last[1] : span[0]].strip():
            merged[-1] = (last[0], span[1], span[2])
        else:
            merged.append(span)
    return merged


def _fill_body(spans: list[tuple[int, int, str]], length: int) -> list[ZoneSpan]:
    """Cover the gaps between spans, and the ends, with body spans."""
    covered: list[ZoneSpan] = []
    pos = 0
    for start, end, kind in spans:
        if start > pos:
            covered.append(ZoneSpan(pos, start, "body"))
        covered.append(ZoneSpan(start, end, kind))
        pos = end
    if pos < length:
        covered.append(ZoneSpan(pos, length, "body"))
    return covered


def detect_zones(text: str) -> list[ZoneSpan]:
    """Split text into sorted, non-overlapping zones that cover it exactly."""
    if not text:
        return []
    return _fill_body(_merge_same(_mark_lines(_split_lines(text)), text), len(text))
