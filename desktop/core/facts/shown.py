"""Normalized fact values written for people: units and thousands separators.

The store keeps values in a plain form ("42000000000 USD", "+16.4", "1500", "2025-11-25");
views show them as "42,000,000,000 USD", "+16.4 %", "1,500". The separators are given by
the caller (the UI takes them from the user's locale), so this module stays Qt-free.
Dates, periods and anything that is not a plain number are returned as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER_RE = re.compile(r"^(?P<sign>[+-]?)(?P<int>\d+)(?:\.(?P<frac>\d+))?(?P<rest>(?: .+)?)$")
DATE_ROLES = ("date", "period")  # their values are ISO dates, never numbers
PERCENT_UNITS = {"percent": " %", "percentage point": " pp", "basis point": " bp"}
PERCENT_LABELS = ("PERCENT",)
PERCENT_ROLES = ("change",)  # a change without a stored unit is in percent (the rules' way)
DATE_LABELS = ("DATE", "TIME")


@dataclass(frozen=True, slots=True)
class Separators:
    """How numbers are written: thousands group, decimal point, signs."""

    group: str = ","
    decimal: str = "."
    minus: str = "-"
    plus: str = "+"


ENGLISH = Separators()


def group_digits(digits: str, group: str) -> str:
    """'42000000000' -> '42,000,000,000' (with `group` between groups of three)."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return group.join(parts)


def format_number(text: str, separators: Separators = ENGLISH) -> str | None:
    """A plain number ('-1234.5', '+16.4') written with separators; None if not a number."""
    match = NUMBER_RE.match(text)
    if match is None or match["rest"]:
        return None
    return _written(match, separators)


def _written(match: re.Match[str], separators: Separators) -> str:
    sign = {"+": separators.plus, "-": separators.minus}.get(match["sign"], "")
    number = group_digits(match["int"], separators.group)
    if match["frac"]:
        number += separators.decimal + match["frac"]
    return sign + number


def format_value(
    value: str | None,
    *,
    role: str | None = None,
    label: str | None = None,
    unit: str | None = None,
    separators: Separators = ENGLISH,
) -> str:
    """A stored value as a person reads it.

    'money' values ('42000000000 USD') and quantities ('12000 tonnes') get separators in
    the number; percentages and changes (a PERCENT argument, the role 'change', or the
    stored unit) get their unit ('+16.4 %', '2.5 pp'); other numbers get separators
    ('1,500'). Dates (by role or label) and anything else come back unchanged.
    """
    if not value:
        return value or ""
    if role in DATE_ROLES or label in DATE_LABELS:
        return value
    match = NUMBER_RE.match(value)
    if match is None:
        return value
    written = _written(match, separators)
    rest = match["rest"]
    if rest:  # a currency code or a unit after the number
        return written + rest
    percent = PERCENT_UNITS.get(unit or "")
    if percent is None and (label in PERCENT_LABELS or role in PERCENT_ROLES):
        percent = PERCENT_UNITS["percent"]
    return written + percent if percent is not None else written


__all__ = ["ENGLISH", "Separators", "format_number", "format_value", "group_digits"]
