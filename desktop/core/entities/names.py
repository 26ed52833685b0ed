"""Choosing an entity's preferred name among the names its mentions are written with."""

from __future__ import annotations

import re
from collections.abc import Mapping

from desktop.core.entities.keys import entity_key, looks_like_acronym

_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['\u2019]s?$")


def clean_name(name: str) -> str:
    """A written name without a leading "the" or a trailing possessive, spaces collapsed."""
    text = " ".join(name.split())
    return _POSSESSIVE.sub("", _THE.sub("", text)).strip() or text


def is_short_form(key: str, others: set[str]) -> bool:
    """Whether a one-word key is a word of one of the other (multi-word) keys."""
    return " " not in key and any(" " in o and key in o.split() for o in others)


def preferred_name(counts: Mapping[str, int], kind: str) -> str | None:
    """The most frequent full name (then the longest); short forms and acronyms only
    when nothing else is written."""
    cleaned: dict[str, int] = {}
    for name, n in counts.items():
        name = clean_name(name)
        cleaned[name] = cleaned.get(name, 0) + n
    if not cleaned:
        return None
    keys = {entity_key(name) for name in cleaned}
    multi = any(" " in k for k in keys)

    def partial(name: str) -> bool:
        if kind == "person" and is_short_form(entity_key(name), keys):
            return True
        return multi and looks_like_acronym(name)

    full = {n: c for n, c in cleaned.items() if not partial(n)} or cleaned
    return max(full, key=lambda n: (full[n], len(n), n))
