"""The Value record and the number, money, percent and quantity normalisers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from text_to_num import alpha2digit

MAX_CHARS = 200  # longer input is not an entity: give up early, keep the parsers fast

# Hand-written on purpose: no maintained library maps news scale words and currency marks.
WORD_SCALES = {"dozen": 12, "thousand": 10**3, "million": 10**6, "billion": 10**9}
WORD_SCALES |= {"trillion": 10**12, "mn": 10**6, "mln": 10**6, "bn": 10**9, "bln": 10**9}
WORD_SCALES |= {"tn": 10**12, "trn": 10**12, "bil": 10**9, "mil": 10**6, "tril": 10**12}
SHORT_SCALES = WORD_SCALES | {"k": 10**3, "m": 10**6, "b": 10**9}  # only next to money
APPROXIMATE: tuple[str, ...] = (
    "about",
    "around",
    "approximately",
    "roughly",
    "some",
    "nearly",
    "almost",
)
APPROXIMATE += ("an estimated", "estimated", "close to", "circa", "approx.", "~")
BOUNDS: tuple[str, ...] = (
    "more than",
    "over",
    "above",
    "at least",
    "up to",
    "less than",
    "fewer than",
    "under",
)
BOUNDS += ("below", "at most", "as many as", "as much as", "just over", "just under")
BOUNDS += ("well over", "in excess of", "upwards of")
SYMBOLS = {"US$": "USD", "U.S.$": "USD", "S$": "SGD", "HK$": "HKD", "A$": "AUD", "AU$": "AUD"}
SYMBOLS |= {"C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "NT$": "TWD", "R$": "BRL", "$": "USD"}
SYMBOLS |= {"€": "EUR", "£": "GBP", "¥": "CNY", "CN¥": "CNY", "JP¥": "JPY", "₫": "VND"}
SYMBOLS |= {"₩": "KRW", "₹": "INR", "₱": "PHP", "฿": "THB", "Rp": "IDR", "RM": "MYR"}
SYMBOLS |= {"B$": "BND", "BN$": "BND", "₭": "LAK", "៛": "KHR", "Rp.": "IDR"}
CODES = "USD EUR GBP JPY CNY VND KRW INR SGD HKD AUD CAD NZD TWD THB MYR IDR PHP CHF RUB BRL"
CURRENCIES = {code.lower(): code for code in (CODES + " LAK KHR MMK BND AED SAR MXN").split()}
CURRENCIES |= {"rmb": "CNY", "yuan": "CNY", "renminbi": "CNY", "yen": "JPY", "dong": "VND"}
CURRENCIES |= {"us dollars": "USD", "u.s. dollars": "USD", "dollars": "USD", "dollar": "USD"}
CURRENCIES |= {"euros": "EUR", "euro": "EUR", "sterling": "GBP", "pounds sterling": "GBP"}
CURRENCIES |= {"won": "KRW", "baht": "THB", "ringgit": "MYR", "rupiah": "IDR", "rupees": "INR"}
CURRENCIES |= {"kip": "LAK", "riel": "KHR", "kyat": "MMK", "vietnamese dong": "VND"}
CURRENCIES |= {"peso": "PHP", "pesos": "PHP", "philippine pesos": "PHP", "kyats": "MMK"}
CURRENCIES |= {"brunei dollars": "BND", "ringgit malaysia": "MYR", "cny": "CNY", "rmb": "CNY"}
for _place, _code in {"singapore": "SGD", "hong kong": "HKD", "australian": "AUD"}.items():
    CURRENCIES[f"{_place} dollars"] = _code
for _place, _code in {"canadian": "CAD", "taiwan": "TWD", "new taiwan": "TWD"}.items():
    CURRENCIES[f"{_place} dollars"] = _code


def _alternation(words: Any) -> str:
    """Regex alternation of words, longest first so that 'US$' wins over '$'."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


QUALIFIER_RE = re.compile(rf"^(?P<q>{_alternation(APPROXIMATE + BOUNDS)})(?:\s+|(?<=~))", re.I)
SCALE_RE = re.compile(rf"^(?P<head>.*?)[\s-]*(?P<scale>{_alternation(SHORT_SCALES)})$")
DECIMAL_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$")
GROUPING_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
HALF_RE = re.compile(r"^(?P<head>.+?)\s+and\s+a\s+half$")
VAGUE_RE = re.compile(
    r"\b(?:hundreds|thousands|millions|billions|trillions|dozens|tens|scores|several|few"
    r"|many|numerous|multiple|some\s+of)\b"
)
ORDINAL_RE = re.compile(r"^(?P<n>\d+)(?:st|nd|rd|th)$")
FOLD_RE = re.compile(r"^(?P<head>.+?)[\s-]?fold$")
TIMES_RE = re.compile(r"^(?:[x×]\s*(?P<a>\d+(?:\.\d+)?)|(?P<b>\d+(?:\.\d+)?)\s*[x×])$")
PREFIX_MONEY_RE = re.compile(rf"^(?P<cur>{_alternation(SYMBOLS)})(?![A-Za-z])\s*(?P<rest>.+)$")
WORD_MONEY_RE = re.compile(
    rf"^(?P<cur>{_alternation(CURRENCIES)})(?![A-Za-z])\s*(?P<rest>.+)$", re.I
)
SUFFIX_MONEY_RE = re.compile(
    rf"^(?P<rest>.+?)\s*(?P<cur>\b(?:{_alternation(CURRENCIES)})|[€£¥₫₩₹])$", re.I
)
GLUED_PESO_RE = re.compile(r"^P(?=\d[\d,]*(?:\.\d+)?\s*(?:million|billion|trillion|[mb]\b))")
QUANTITY_RE = re.compile(r"^(?P<head>.*?\d)(?P<unit>[^\d\s.,][^\d]*)$")
SPACE_RE = re.compile(r"\s+")
DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Value:
    """A normalised value: kind, the text stored in FactArgument.value, structured data."""

    kind: str
    text: str
    data: dict[str, Any]


def clean(text: object) -> str:
    """Collapse whitespace and trim quotes and end punctuation; '' for non-text or long text."""
    if not isinstance(text, str) or len(text) > MAX_CHARS:
        return ""
    text = " ".join(text.replace("\u2212", "-").split())
    return text.strip(" \"'“”‘’()[],;:!?").removesuffix("'s").removesuffix("’s")


def to_json(number: Decimal) -> int | float:
    """An int when integral, else a float: what value_json can store."""
    return int(number) if number == number.to_integral_value() else float(number)


def to_text(number: Decimal) -> str:
    """Plain digits without exponent or trailing zeros: '42000000000', '16.4'."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "+0") else text


def split_qualifier(text: str) -> tuple[str, dict[str, Any]]:
    """Split 'more than 200' into '200' and {'qualifier': 'more than'} (+ approximate)."""
    match = QUALIFIER_RE.match(text)
    if not match:
        return text, {}
    qualifier = match["q"].lower()
    extra: dict[str, Any] = {"qualifier": qualifier}
    if qualifier in APPROXIMATE:
        extra["approximate"] = True
    return text[match.end() :].strip(), extra


def words_to_digits(text: str) -> str:
    """Written numbers to digits with text2num ('five' -> '5', 'first' -> '1st')."""
    try:
        return alpha2digit(text, "en", threshold=0)
    except BaseException as error:  # the Rust core panics with a BaseException subclass
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        return text


def _plain(text: str) -> Decimal | None:
    """A number without scale: '44', '1.5', 'forty-four', 'one and a half', 'half a'."""
    text = text.strip()
    if text in ("", "a", "an"):
        return Decimal(1)
    if re.fullmatch(r"half(?: an?)?", text):
        return Decimal("0.5")
    if half := HALF_RE.match(text):
        whole = _plain(half["head"])
        return None if whole is None else whole + Decimal("0.5")
    text = words_to_digits(re.sub(r"^an?\s+", "", text)).strip()
    if not DECIMAL_RE.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_amount(text: str, *, short_scales: bool = False) -> Decimal | None:
    """'100 million' -> 100000000, '3bn' -> 3000000000 (k/m/b only when short_scales)."""
    text = GROUPING_RE.sub("", text.strip().lower())
    if not text or VAGUE_RE.search(text):
        return None
    match = SCALE_RE.match(text)
    scales = SHORT_SCALES if short_scales else WORD_SCALES
    if match and match["scale"] in scales:
        if len(match["scale"]) == 1 and not re.search(r"\d$", match["head"]):
            return None
        head = _plain(match["head"])
        return None if head is None else head * scales[match["scale"]]
    return None if text in ("a", "an") else _plain(text)


def normalize_number(text: str) -> Value | None:
    """'five' -> 5, 'more than 200', '100 million', 'a dozen', 'first', 'eightfold' -> x8."""
    text, extra = split_qualifier(clean(text))
    lowered = text.lower()
    factor = None
    if fold := FOLD_RE.match(lowered):
        factor = parse_amount(fold["head"])
    elif times := TIMES_RE.match(lowered):
        factor = Decimal(times["a"] or times["b"])
    if fold or times:
        if factor is None or factor <= 0:
            return None
        return Value("multiplier", f"x{to_text(factor)}", {"factor": to_json(factor)} | extra)
    if ordinal := ORDINAL_RE.match(words_to_digits(lowered).removeprefix("the ")):
        number = Decimal(ordinal["n"])
        return Value("number", to_text(number), {"value": int(number), "ordinal": True} | extra)
    amount = parse_amount(lowered)
    if amount is None:
        return None
    return Value("number", to_text(amount), {"value": to_json(amount)} | extra)


def normalize_quantity(text: str) -> Value | None:
    """'2 million tonnes' -> 2000000 tonnes, '5km' -> 5 km; a plain number without unit."""
    text, extra = split_qualifier(clean(text))
    splits = [(text, "")]
    splits += [(text[: m.start()], text[m.end() :]) for m in SPACE_RE.finditer(text)][::-1]
    if glued := QUANTITY_RE.match(text):
        splits.append((glued["head"], glued["unit"]))
    for head, unit in splits:
        number = None if DIGIT_RE.search(unit) else parse_amount(head)
        if number is not None:
            data = {"value": to_json(number)} | ({"unit": unit} if unit else {}) | extra
            return Value("number", f"{to_text(number)} {unit}".strip(), data)
    return None


def normalize_money(text: str) -> Value | None:
    """'about 42 billion USD', 'US$1.2 million', '$3bn', 'VND 5 trillion', '¥300m' (CNY)."""
    text, extra = split_qualifier(clean(text))
    text = GLUED_PESO_RE.sub("₱", text)  # "P15 million": the Philippine papers' peso sign
    match = WORD_MONEY_RE.match(text) or PREFIX_MONEY_RE.match(text) or SUFFIX_MONEY_RE.match(text)
    currency, rest = None, text
    if match:
        mark, rest = match["cur"], match["rest"]
        currency = SYMBOLS.get(mark) or CURRENCIES.get(mark.lower())
    rest, more = split_qualifier(rest)
    amount = parse_amount(rest, short_scales=True)
    if amount is None or amount < 0:
        return None
    data = {"amount": to_json(amount), "currency": currency, "approximate": False} | extra | more
    return Value("money", f"{to_text(amount)} {currency or ''}".strip(), data)
