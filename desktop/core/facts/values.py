"""Normalise entity text to values: ISO dates, money, percents and changes, numbers.

Libraries do the parsing: dateparser for dates, text2num for written numbers. Hand-written here
and in values_numbers: scale words, currency marks, "-fold" multipliers and change directions.
A level reached ("eased to 10.9%") is a percent with a direction, not a change; a change is
signed ("up 16.4%" -> "+16.4", "a 5.2% decline" -> "-5.2"). Every function returns None rather
than raising when it cannot normalise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from desktop.core.facts.values_dates import normalize_date
from desktop.core.facts.values_numbers import (
    APPROXIMATE,
    Value,
    clean,
    normalize_money,
    normalize_number,
    normalize_quantity,
    split_qualifier,
    to_json,
    to_text,
    words_to_digits,
)

__all__ = ["Value", "normalize", "normalize_date", "normalize_money", "normalize_number"]
__all__ += ["normalize_percent", "normalize_quantity"]

PERCENT_RE = re.compile(
    r"(?P<sign>[+-])?\s*(?P<num>\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>%|per\s?cent\b|pct\b"
    r"|percentage\s+points?\b|pp\b|ppts?\b|basis\s+points?\b|bps\b)",
    re.I,
)
POINTS_RE = re.compile(r"percentage|pp", re.I)
TOKEN_RE = re.compile(r"[^\W\d_][\w'’/-]*|\d[\d.,]*|[^\w\s]")
BASIS_RE = re.compile(
    r"\b(?:(?P<y>year[- ]on[- ]year|year[- ]over[- ]year|y/y|yoy|on[- ]year|from\s+a\s+year"
    r"\s+(?:earlier|ago))|(?P<m>month[- ]on[- ]month|m/m|mom)|(?P<q>quarter[- ]on[- ]quarter"
    r"|q/q|qoq)|(?P<w>week[- ]on[- ]week|w/w))\b",
    re.I,
)
BASIS = {"y": "year-on-year", "m": "month-on-month", "q": "quarter-on-quarter", "w": "week-on-week"}
UP = {"up", "rose", "rise", "rises", "rising", "risen", "increase", "increased", "increases"}
UP |= {"increasing", "grew", "grow", "grows", "growing", "grown", "growth", "gain", "gained"}
UP |= {"gains", "jumped", "jump", "jumps", "surged", "surge", "surges", "climbed", "climb"}
UP |= {"climbs", "higher", "expanded", "expand", "expansion", "soared", "advanced", "rebounded"}
UP |= {"added", "accelerated", "hike", "hiked", "raised", "uptick", "boosted", "increment"}
DOWN = {"down", "fell", "fall", "falls", "falling", "fallen", "decline", "declined", "declines"}
DOWN |= {"declining", "drop", "dropped", "drops", "decrease", "decreased", "decreases", "slid"}
DOWN |= {"slipped", "plunged", "plunge", "plummeted", "shrank", "shrink", "shrunk", "contracted"}
DOWN |= {"contraction", "lower", "eased", "eases", "lost", "loss", "tumbled", "sank", "dipped"}
DOWN |= {"dip", "slowed", "cut", "cuts", "reduced", "reduction", "retreated", "slumped", "slump"}
# After the number only nouns and comparatives tell the change: "a 5% stake fell" does not.
AFTER = {"increase", "rise", "growth", "gain", "jump", "surge", "higher", "up", "hike", "uptick"}
AFTER |= {"decline", "drop", "decrease", "fall", "contraction", "loss", "lower", "down", "dip"}
AFTER |= {"reduction", "cut", "slump", "expansion"}
LEVEL = {"to", "at", "from"}
SKIP = set(APPROXIMATE) | {"a", "an", "the", "by", "of", "than", "more", "over", "just", "some"}
STOP = {"while", "but", "and", "whereas", "compared", "versus", "vs", "against", ",", ";", ":"}
STOP |= {"(", ")", ".", "!", "?"}
WINDOW = 6


def _tokens(text: str) -> list[str]:
    """Lower-case words, numbers and punctuation marks."""
    return TOKEN_RE.findall(text.lower())


def _direction(before: list[str], after: list[str]) -> tuple[str | None, str | None]:
    """(level marker, direction) from the words nearest before and after the percent."""
    near = [token for token in before[::-1][:WINDOW] if token not in SKIP]
    marker = near[0] if near and near[0] in LEVEL else None
    for token in near:
        if token in UP or token in DOWN:
            return marker, "up" if token in UP else "down"
        if token in STOP or ((token[0].isdigit() or token == "%") and marker != "to"):
            break
    for token in after[:3]:
        if BASIS_RE.fullmatch(token) or token in ("annual", "yearly", "on", "year"):
            continue
        if token in AFTER:
            return marker, "up" if token in UP else "down"
        break
    return marker, None


def normalize_percent(text: str, context: str = "") -> Value | None:
    """'16.4%' -> percent 16.4; 'up 16.4% year-on-year' -> change +16.4; 'eased to 10.9%'."""
    text = clean(text)
    context = context if isinstance(context, str) and len(context) <= 2000 else ""
    bare, extra = split_qualifier(text)
    digits = words_to_digits(bare)
    found = list(PERCENT_RE.finditer(digits))
    if not text or len(found) != 1:
        return None
    match = found[0]
    try:
        number = Decimal(match["num"])
    except InvalidOperation:
        return None
    at = context.lower().find(text.lower()) if text else -1
    before = (context[:at] if at >= 0 else context) + " " + digits[: match.start()]
    after = digits[match.end() :] + " " + (context[at + len(text) :] if at >= 0 else "")
    marker, direction = _direction(_tokens(before), _tokens(after))
    if match["sign"] and not direction and marker is None:
        direction = "up" if match["sign"] == "+" else "down"
    unit = "basis point" if match["unit"][0] in "bB" else "percent"
    unit = "percentage point" if POINTS_RE.match(match["unit"]) else unit
    basis = BASIS_RE.search(after[:80])
    data = {"unit": unit} | ({"basis": BASIS[basis.lastgroup or "y"]} if basis else {}) | extra
    if marker is not None:
        kept = {"direction": direction} if direction and marker != "from" else {}
        return Value("percent", to_text(number), {"value": to_json(number)} | data | kept)
    if direction is None and basis is None:
        return Value("percent", to_text(number), {"value": to_json(number)} | data)
    signed = -number if direction == "down" else number
    sign = {"up": "+", "down": "-"}.get(direction or "", "")
    value = {"value": to_json(signed), "direction": direction}
    return Value("change", f"{sign}{to_text(number)}", value | data)


@lru_cache(maxsize=8192)  # dateparser costs ~10 ms a call; the same strings recur
def normalize(label: str, text: str, published: str | None, context: str = "") -> Value | None:
    """Normalise text by its spaCy label (DATE, TIME, MONEY, PERCENT, CARDINAL, ...)."""
    handlers: dict[str, Callable[[str], Value | None]] = {
        "DATE": lambda value: normalize_date(value, published),
        "TIME": lambda value: normalize_date(value, published),
        "MONEY": normalize_money,
        "PERCENT": lambda value: normalize_percent(value, context),
        "CARDINAL": normalize_number,
        "ORDINAL": normalize_number,
        "QUANTITY": normalize_quantity,
    }
    handler = handlers.get(label.upper()) if isinstance(label, str) else None
    return handler(text) if handler else None
