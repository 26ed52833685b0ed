"""Tests of value normalisation: dates, money, percents and changes, numbers."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.facts.values import (
    Value,
    normalize,
    normalize_date,
    normalize_money,
    normalize_number,
    normalize_percent,
    normalize_quantity,
)

PUB = "2025-11-26"  # a Wednesday


@pytest.mark.parametrize(
    ("text", "published", "iso", "precision"),
    [
        ("November 25", "2025-11-26", "2025-11-25", "day"),
        ("November 25", "2025-11-26T08:30:00+07:00", "2025-11-25", "day"),
        ("November 25", None, "--11-25", "day"),
        ("November 2025", None, "2025-11", "month"),
        ("November 2025", PUB, "2025-11", "month"),
        ("2024", None, "2024", "year"),
        ("2024", PUB, "2024", "year"),
        ("Sept. 18, 2025", None, "2025-09-18", "day"),
        ("September 18", "2025-09-19", "2025-09-18", "day"),
        ("Nov. 25", PUB, "2025-11-25", "day"),
        ("25 November", PUB, "2025-11-25", "day"),
        ("on Friday, Nov. 21", PUB, "2025-11-21", "day"),
        ("2025-11-20", None, "2025-11-20", "day"),
        ("November", None, "--11", "month"),
        ("March", PUB, "2025-03", "month"),
        # within a month after publication a year-less date is still to come
        ("December 5", PUB, "2025-12-05", "day"),
        ("January", "2025-12-15", "2026-01", "month"),
        ("January", PUB, "2025-01", "month"),
        ("Feb 29", PUB, "2024-02-29", "day"),
        # weekdays: the most recent one on or before publication
        ("Thursday", PUB, "2025-11-20", "day"),
        ("Thursday", "2025-11-27", "2025-11-27", "day"),
        ("Wednesday morning", PUB, "2025-11-26", "day"),
        ("Monday's", PUB, "2025-11-24", "day"),
        ("last Thursday", "2025-11-27", "2025-11-20", "day"),
        # relative to publication
        ("yesterday", PUB, "2025-11-25", "day"),
        ("this morning", PUB, "2025-11-26", "day"),
        ("last month", PUB, "2025-10", "month"),
        ("next month", PUB, "2025-12", "month"),
        ("last year", PUB, "2024", "year"),
        ("this year", PUB, "2025", "year"),
        ("two years ago", PUB, "2023", "year"),
        ("last week", PUB, "2025-W47", "week"),
        ("this week", PUB, "2025-W48", "week"),
        # explicit years stay as written, future ones too
        ("2026 spring meeting", PUB, "2026", "year"),
        ("fiscal 2024", PUB, "2024", "year"),
        # times
        ("10 a.m.", PUB, "T10:00", "time"),
        ("noon", None, "T12:00", "time"),
        ("10 p.m. on Monday", PUB, "2025-11-24T22:00", "minute"),
        ("10:30 a.m. (local time) on November 20", PUB, "2025-11-20T10:30", "minute"),
    ],
)
def test_dates(text: str, published: str | None, iso: str, precision: str) -> None:
    value = normalize_date(text, published)
    assert value == Value("date", iso, value.data if value else {})
    assert value.data["iso"] == iso
    assert value.data["precision"] == precision


@pytest.mark.parametrize(
    ("text", "iso", "qualifier"),
    [
        ("spring 2026", "2026", "spring"),
        ("early 2025", "2025", "early"),
        ("mid-2024", "2024", "mid"),
        ("the end of 2025", "2025", "end"),
        ("late November", "2025-11", "late"),
        ("by 2030", "2030", "by"),
    ],
)
def test_qualified_dates(text: str, iso: str, qualifier: str) -> None:
    value = normalize_date(text, PUB)
    assert value is not None
    assert (value.text, value.data["qualifier"]) == (iso, qualifier)


@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        ("between 2023 and 2024", PUB, "2023", "2024"),
        ("from 2023 to 2024", None, "2023", "2024"),
        ("2023-2024", None, "2023", "2024"),
        ("2023–24", None, "2023", "2024"),
        ("2023/2024", None, "2023", "2024"),
        ("from January to March 2025", None, "2025-01", "2025-03"),
        ("between January and March", PUB, "2025-01", "2025-03"),
        ("November 20-25", PUB, "2025-11-20", "2025-11-25"),
        ("20–25 November 2025", None, "2025-11-20", "2025-11-25"),
        ("Q1 2025", None, "2025-01", "2025-03"),
        ("the first quarter", PUB, "2025-01", "2025-03"),
        ("the fourth quarter of 2024", None, "2024-10", "2024-12"),
        ("the first half of 2025", None, "2025-01", "2025-06"),
        ("the 1990s", None, "1990", "1999"),
    ],
)
def test_date_ranges(text: str, published: str | None, start: str, end: str) -> None:
    value = normalize_date(text, published)
    assert value is not None
    assert value.text == f"{start}/{end}"
    assert (value.data["start"], value.data["end"]) == (start, end)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("the past two years", PUB),
        ("annually", PUB),
        ("later this year", PUB),
        ("earlier this month", PUB),
        ("recent years", PUB),
        ("three days", PUB),
        ("24 hours", PUB),
        ("a year", PUB),
        ("the weekend", PUB),
        ("since 2020", PUB),
        ("2024 and 2025", PUB),
        ("Thursday", None),  # relative, and no publication date to resolve it
        ("yesterday", None),
        ("44", PUB),
        ("1700000000", PUB),
        ("2025 to 2023", PUB),
        ("", PUB),
        ("November 25", "not a date"),  # an unreadable publication date counts as none...
    ],
)
def test_dates_left_as_none(text: str, published: str | None) -> None:
    value = normalize_date(text, published)
    if text == "November 25":  # ...so the year stays unknown
        assert value is not None and value.text == "--11-25"
    else:
        assert value is None


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("about 42 billion USD", 42_000_000_000, "USD"),
        ("500,000 USD", 500_000, "USD"),
        ("US$1.2 million", 1_200_000, "USD"),
        ("$3bn", 3_000_000_000, "USD"),
        ("1.4 billion USD", 1_400_000_000, "USD"),
        ("VND 5 trillion", 5_000_000_000_000, "VND"),
        ("¥300m", 300_000_000, "CNY"),
        ("€2.5 million", 2_500_000, "EUR"),
        ("15 million yuan", 15_000_000, "CNY"),
        ("RMB 80 million", 80_000_000, "CNY"),
        ("RMB80mn", 80_000_000, "CNY"),
        ("5 trillion dong", 5_000_000_000_000, "VND"),
        ("five million dollars", 5_000_000, "USD"),
        ("1.2 million US dollars", 1_200_000, "USD"),
        ("S$3 bn", 3_000_000_000, "SGD"),
        ("HK$250,000", 250_000, "HKD"),
        ("£1.25", 1.25, "GBP"),
        ("3 €", 3, "EUR"),
        ("JPY 10 billion", 10_000_000_000, "JPY"),
        ("more than US$ 10 billion", 10_000_000_000, "USD"),
        ("one and a half million euros", 1_500_000, "EUR"),
    ],
)
def test_money(text: str, amount: float, currency: str) -> None:
    value = normalize_money(text)
    assert value is not None
    assert value.kind == "money"
    assert (value.data["amount"], value.data["currency"]) == (amount, currency)
    assert value.text == f"{value.data['amount']} {currency}"


def test_money_qualifiers_and_missing_currency() -> None:
    about = normalize_money("about 42 billion USD")
    assert about == Value(
        "money",
        "42000000000 USD",
        {"amount": 42_000_000_000, "currency": "USD", "approximate": True, "qualifier": "about"},
    )
    more = normalize_money("more than $500")
    assert more is not None and more.data["qualifier"] == "more than"
    assert more.data["approximate"] is False
    bare = normalize_money("200 million")
    assert bare is not None and (bare.text, bare.data["currency"]) == ("200000000", None)
    assert normalize_money("$1.2 million-$1.5 million") is None
    assert normalize_money("millions of dollars") is None
    assert normalize_money("USD") is None


@pytest.mark.parametrize(
    ("text", "context", "kind", "normalized", "direction"),
    [
        ("16.4%", "", "percent", "16.4", None),
        ("16.4%", "exports were up 16.4% year-on-year", "change", "+16.4", "up"),
        ("up 16.4%", "", "change", "+16.4", "up"),
        ("3 percent", "shares fell 3 percent on Monday", "change", "-3", "down"),
        ("5.2%", "a 5.2% decline in exports", "change", "-5.2", "down"),
        ("16.4%", "a 16.4% year-on-year increase", "change", "+16.4", "up"),
        ("five percent", "sales rose five percent", "change", "+5", "up"),
        ("7%", "growth of 7%", "change", "+7", "up"),
        ("3%", "exports were 3% higher", "change", "+3", "up"),
        ("-3%", "", "change", "-3", "down"),
        ("+2.1%", "", "change", "+2.1", "up"),
        # a level reached is a percent that keeps the direction it came from
        ("10.9%", "inflation eased to 10.9% in October", "percent", "10.9", "down"),
        ("6%", "the rate rose from 5% to 6%", "percent", "6", "up"),
        ("5%", "the rate rose from 5% to 6%", "percent", "5", None),
        ("5%", "unemployment stood at 5%", "percent", "5", None),
        # direction words of another clause or number do not leak
        ("3%", "GDP grew 7% while inflation was 3%", "percent", "3", None),
        ("5%", "a 5% stake fell into foreign hands", "percent", "5", None),
    ],
)
def test_percent_and_change(
    text: str, context: str, kind: str, normalized: str, direction: str | None
) -> None:
    value = normalize_percent(text, context)
    assert value is not None
    assert (value.kind, value.text, value.data.get("direction")) == (kind, normalized, direction)
    assert value.data["unit"] == "percent"


def test_change_data() -> None:
    up = normalize_percent("16.4%", "up 16.4% year-on-year")
    assert up == Value(
        "change",
        "+16.4",
        {"value": 16.4, "direction": "up", "unit": "percent", "basis": "year-on-year"},
    )
    down = normalize_percent("0.5 percentage points", "cut rates by 0.5 percentage points")
    assert down is not None and down.text == "-0.5"
    assert (down.data["value"], down.data["unit"]) == (-0.5, "percentage point")
    bps = normalize_percent("25 basis points", "raised rates by 25 basis points")
    assert bps is not None and (bps.text, bps.data["unit"]) == ("+25", "basis point")
    about = normalize_percent("about 20%", "about 20% of the population")
    assert about is not None and about.kind == "percent" and about.data["approximate"] is True
    assert normalize_percent("10% and 20%") is None
    assert normalize_percent("a lot") is None


@pytest.mark.parametrize(
    ("text", "number", "extra"),
    [
        ("five", 5, {}),
        ("44", 44, {}),
        ("1,234", 1234, {}),
        ("1.5", 1.5, {}),
        ("forty-four", 44, {}),
        ("one hundred and five", 105, {}),
        ("seven point two", 7.2, {}),
        ("a hundred", 100, {}),
        ("more than 200", 200, {"qualifier": "more than"}),
        ("more than two hundred", 200, {"qualifier": "more than"}),
        ("about 1,000", 1000, {"qualifier": "about", "approximate": True}),
        ("100 million", 100_000_000, {}),
        ("1.2 million", 1_200_000, {}),
        ("two hundred thousand", 200_000, {}),
        ("one and a half million", 1_500_000, {}),
        ("a million", 1_000_000, {}),
        ("a dozen", 12, {}),
        ("two dozen", 24, {}),
        ("half a dozen", 6, {}),
        ("first", 1, {"ordinal": True}),
        ("the third", 3, {"ordinal": True}),
        ("21st", 21, {"ordinal": True}),
    ],
)
def test_numbers(text: str, number: float, extra: dict) -> None:
    value = normalize_number(text)
    assert value is not None
    assert value.kind == "number"
    assert value.data == {"value": number} | extra
    assert value.text == str(number)


@pytest.mark.parametrize(
    ("text", "factor"),
    [("eightfold", 8), ("8-fold", 8), ("two-fold", 2), ("tenfold", 10), ("1.5-fold", 1.5)],
)
def test_multipliers(text: str, factor: float) -> None:
    assert normalize_number(text) == Value("multiplier", f"x{factor}", {"factor": factor})


def test_number_edge_cases() -> None:
    nearly = normalize_number("nearly eightfold")
    assert nearly is not None and nearly.data["qualifier"] == "nearly"
    for vague in ("hundreds", "dozens", "thousands of", "several", "three times", "manifold", ""):
        assert normalize_number(vague) is None, vague


@pytest.mark.parametrize(
    ("text", "normalized", "unit"),
    [
        ("2 million tonnes", "2000000 tonnes", "tonnes"),
        ("1.5 million square metres", "1500000 square metres", "square metres"),
        ("5km", "5 km", "km"),
        ("300 m", "300 m", "m"),  # metres: single-letter scales only count next to money
        ("five kilometres", "5 kilometres", "kilometres"),
    ],
)
def test_quantities(text: str, normalized: str, unit: str) -> None:
    value = normalize_quantity(text)
    assert value is not None
    assert (value.text, value.data["unit"]) == (normalized, unit)


def test_dispatch_by_label() -> None:
    assert normalize("DATE", "November 25", PUB) == normalize_date("November 25", PUB)
    assert normalize("TIME", "10 a.m.", PUB) == normalize_date("10 a.m.", PUB)
    assert normalize("MONEY", "$3bn", None).text == "3000000000 USD"
    assert normalize("PERCENT", "16.4%", None, "up 16.4%").text == "+16.4"
    assert normalize("CARDINAL", "five", None).text == "5"
    assert normalize("ORDINAL", "second", None).data == {"value": 2, "ordinal": True}
    assert normalize("QUANTITY", "300,000 tonnes", None).text == "300000 tonnes"
    assert normalize("cardinal", "eightfold", None).text == "x8"
    assert normalize("GPE", "Hanoi", PUB) is None


def test_data_is_json() -> None:
    values = [
        normalize_date("between 2023 and 2024", PUB),
        normalize_money("£1.25"),
        normalize_percent("3%", "fell 3%"),
        normalize_number("1.5-fold"),
    ]
    for value in values:
        assert value is not None
        assert json.loads(json.dumps(value.data)) == value.data


LABELS = st.sampled_from(["DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "QUANTITY", "ORDINAL"])
WORDS = st.sampled_from(
    [
        "up",
        "fell",
        "to",
        "$",
        "€",
        "million",
        "bn",
        "five",
        "fold",
        "%",
        "percent",
        "November",
        "25",
        "2025",
        "between",
        "and",
        "from",
        "-",
        "–",
        "/",
        "a.m.",
        "Q1",
        "the",
        "dozen",
        "1.5",
    ]
)
MIXED = st.one_of(st.text(max_size=60), st.lists(WORDS, max_size=8).map(" ".join))
PUBLISHED = st.one_of(st.none(), st.just(PUB), st.text(max_size=12))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=LABELS, text=MIXED, published=PUBLISHED, context=MIXED)
def test_never_raises(label: str, text: str, published: str | None, context: str) -> None:
    for value in (
        normalize(label, text, published, context),
        normalize_date(text, published),
        normalize_money(text),
        normalize_percent(text, context),
        normalize_number(text),
        normalize_quantity(text),
    ):
        assert value is None or (isinstance(value, Value) and isinstance(value.text, str))
