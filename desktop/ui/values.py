"""Fact values in the user's locale: the core's formatter with QLocale's separators."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QLocale

from desktop.core.facts.shown import Separators, format_value
from desktop.core.records import FactArgRecord


@cache
def locale_separators() -> Separators:
    """Group, decimal and sign characters of the default locale (read once)."""
    locale = QLocale()
    return Separators(
        group=locale.groupSeparator() or ",",
        decimal=locale.decimalPoint() or ".",
        minus=locale.negativeSign() or "-",
        plus=locale.positiveSign() or "+",
    )


def shown_value(argument: FactArgRecord) -> str:
    """An argument's normalized value as the user reads it ('42,000,000,000 USD')."""
    return format_value(
        argument.value,
        role=argument.role,
        label=argument.label,
        unit=argument.unit,
        separators=locale_separators(),
    )
