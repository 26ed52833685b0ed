"""The roles a fact needs before it is worth proposing: the schema's "requires".

Each fact type lists alternatives; a fact meets its type when its arguments cover one of
them (a role written twice needs two arguments). A type without alternatives needs at
least one argument. The rules' candidates are checked against these before they are
stored, and the store checks them again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache

from desktop.core.entities.keys import kind_of
from desktop.core.facts.lexicon import lexicon


class IncompleteFact(ValueError):
    """A fact the store refuses: it lacks the arguments its type needs."""

    def __init__(self, fact_type: str, reason: str) -> None:
        super().__init__(f"{fact_type} fact {reason}")
        self.fact_type = fact_type
        self.reason = reason


@cache
def alternatives(fact_type: str) -> tuple[Counter[str], ...]:
    """The role counts of which a fact of this type must meet one (empty if the type is unknown)."""
    spec = lexicon().schema.get(fact_type)
    if spec is None:
        return ()
    return tuple(Counter(option) for option in spec.get("requires", []))


def describe(fact_type: str) -> str:
    """What a type needs, in words: "party, count or subject"."""
    options = [
        " + ".join(f"{n} {role}s" if n > 1 else role for role, n in option.items())
        for option in alternatives(fact_type)
    ]
    if not options:
        return "at least one argument"
    return options[0] if len(options) == 1 else ", ".join(options[:-1]) + " or " + options[-1]


def missing(fact_type: str, roles: Iterable[str]) -> str | None:
    """Why a fact with arguments in these roles falls short of its type, or None if it does not."""
    if fact_type not in lexicon().schema:
        return f"unknown fact type {fact_type!r}"
    have = Counter(roles)
    if not have:
        return "no arguments"
    options = alternatives(fact_type)
    if not options or any(all(have[r] >= n for r, n in o.items()) for o in options):
        return None
    return f"needs {describe(fact_type)}"


def check(fact_type: str, roles: Iterable[str]) -> None:
    """Raise IncompleteFact when a fact with these roles falls short of its type."""
    reason = missing(fact_type, roles)
    if reason is not None:
        raise IncompleteFact(fact_type, reason)


def kind_of_label(label: str) -> str:
    """What a mention with this label is, in the schema's 'kinds' words: its entity kind
    (PERSON → person, GPE → place), else the label in lower case (DATE → date)."""
    return kind_of(label) or label.lower()


def unfit(fact_type: str, role: str, label: str) -> str | None:
    """Why a mention labelled `label` does not fit `role` of a fact type, or None if it does
    (or the schema does not say what the role takes)."""
    spec = lexicon().schema.get(fact_type, {}).get("roles", {}).get(role, {})
    kinds = spec.get("kinds")
    if not kinds:
        return None
    kind = kind_of_label(label)
    if kind in kinds:
        return None
    return f"its {role} is now {label}; a {fact_type} {role} is {' or '.join(kinds)}"
