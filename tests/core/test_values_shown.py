"""Fact values as people read them: units, thousands separators and signs."""

from __future__ import annotations

from desktop.core.facts.shown import Separators, format_number, format_value

GERMAN = Separators(group=".", decimal=",")


def test_money_gets_thousands_separators():
    assert format_value("42000000000 USD") == "42,000,000,000 USD"
    assert format_value("42000000000 USD", separators=GERMAN) == "42.000.000.000 USD"
    assert format_value("1200000.5 EUR") == "1,200,000.5 EUR"


def test_changes_and_percentages_carry_their_unit_and_sign():
    assert format_value("+16.4", role="change") == "+16.4 %"
    assert format_value("-4.1", role="change") == "-4.1 %"
    assert format_value("10.9", label="PERCENT") == "10.9 %"
    assert format_value("+0.25", unit="percentage point") == "+0.25 pp"
    assert format_value("+16.4", role="change", separators=GERMAN) == "+16,4 %"


def test_plain_numbers_and_quantities():
    assert format_value("1500") == "1,500"
    assert format_value("999") == "999"
    assert format_value("12000 tonnes") == "12,000 tonnes"
    assert format_number("-1234.5") == "-1,234.5"
    assert format_number("12 tonnes") is None


def test_dates_and_other_values_stay_as_stored():
    assert format_value("2025-11-25", role="date") == "2025-11-25"
    assert format_value("2024", role="period") == "2024"
    assert format_value("2024", label="DATE") == "2024"
    assert format_value("--11-25") == "--11-25"
    assert format_value("x2") == "x2"
    assert format_value(None) == ""
    assert format_value("Hanoi") == "Hanoi"
