"""Matching keys for entity names: folding, kinds, acronyms and administrative suffixes."""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache

from desktop.core.folding import fold, fold_key
from desktop.core.resources import resource_path

KINDS = {
    "PERSON": "person",
    "PER": "person",
    "ORG": "organization",
    "ORGANIZATION": "organization",
    "GPE": "place",
    "LOC": "place",
    "LOCATION": "place",
    "FAC": "place",
    "NORP": "group",
    "EVENT": "event",
}
STOPWORDS = frozenset({"of", "and", "the", "for", "on", "in", "to", "at", "de", "du", "des", "a"})

_LEADING_THE = re.compile(r"^the\s+")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")


def kind_of(label: str) -> str | None:
    """The entity kind of an NER label, or None for labels that are not entities."""
    return KINDS.get(label.upper())


@lru_cache(maxsize=65536)
def entity_key(name: str) -> str:
    """The folded key of a name: no case, diacritics, punctuation, leading "the" or "'s"."""
    text = fold(name).strip()
    text = _LEADING_THE.sub("", text)
    text = _POSSESSIVE.sub("", text.rstrip())
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    return fold_key(text)


def compact(key: str) -> str:
    """A key without spaces: "viet nam" and "vietnam" are one name."""
    return key.replace(" ", "")


def tokens(name: str) -> list[str]:
    """The folded words of a name."""
    return entity_key(name).split()


def content_tokens(name: str) -> list[str]:
    """The folded words of a name without stopwords ("of", "and", "the" ...)."""
    return content_words(entity_key(name))


def content_words(key: str) -> list[str]:
    """The words of a key without stopwords (`content_tokens` of an already folded key)."""
    return [t for t in key.split() if t not in STOPWORDS]


def initials(words: list[str]) -> str:
    """The first letter of each word."""
    return "".join(t[0] for t in words)


def acronym(name: str) -> str:
    """The initials of a name's content words ("National Development and Reform Commission")."""
    return initials(content_tokens(name))


def acronym_keys(name: str) -> set[str]:
    """Abbreviations a multi-word name may go by: initials, with or without stopwords,
    and initials followed by the last word in full ("China-ASEAN Expo" -> "caexpo")."""
    return acronym_keys_of(entity_key(name))


def acronym_keys_of(key: str) -> set[str]:
    """`acronym_keys` of an already folded key."""
    out = set()
    for words in (content_words(key), key.split()):
        if len(words) >= 2:
            out.add(initials(words))
            out.add(initials(words[:-1]) + words[-1])
    return out


def leading_subsequences(abbr: str) -> set[str]:
    """Every subsequence of `abbr` of two letters or more that keeps its first letter:
    the initials a name must have for `abbreviates(abbr, words)` to hold."""
    found = {abbr[:1]} if abbr else set()
    for c in abbr[1:]:
        found |= {s + c for s in found}
    return {s for s in found if len(s) >= 2}


def looks_like_acronym(name: str) -> bool:
    """Whether a written name is one short word with at least two capitals ("NDRC", "CAExpo")."""
    word = name.strip().removeprefix("the ").removeprefix("The ")
    if not word or " " in word or not 2 <= len(compact(entity_key(word))) <= 10:
        return False
    return sum(c.isupper() for c in word) >= 2


def abbreviates(abbr: str, words: list[str]) -> bool:
    """Whether `abbr` takes each word's first letter, maybe with more of its letters in
    order, word by word ("asean": a-ssociation, s-outh-e-ast, a-sian, n-ations)."""

    def more(part: str, word: str) -> bool:
        rest = iter(word)
        return all(c in rest for c in part)

    @cache
    def fits(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(abbr)
        word = words[j]
        if i >= len(abbr) or abbr[i] != word[0]:
            return False
        left = len(abbr) - i - 1 - (len(words) - j - 1)
        return any(
            more(abbr[i + 1 : i + 1 + n], word[1:]) and fits(i + 1 + n, j + 1)
            for n in range(max(left, -1) + 1)
        )

    return bool(words) and len(words) <= len(abbr) and fits(0, 0)


@cache
def _admin() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = json.loads(resource_path("entities", "suffixes.json").read_text(encoding="utf-8"))
    by_length = lambda words: tuple(sorted(words, key=len, reverse=True))  # noqa: E731
    return by_length(data["suffixes"]), by_length(data["prefixes"])


@cache
def head_words() -> frozenset[str]:
    """Words naming a different institution than the place they follow ("university")."""
    data = json.loads(resource_path("entities", "headwords.json").read_text(encoding="utf-8"))
    return frozenset(data["words"])


def admin_words() -> frozenset[str]:
    """Every word of the administrative suffixes and prefixes."""
    suffixes, prefixes = _admin()
    return frozenset(w for phrase in suffixes + prefixes for w in phrase.split())


@lru_cache(maxsize=65536)
def strip_admin(name: str) -> str:
    """A place key without its administrative suffix or prefix ("guangxi" from
    "Guangxi Zhuang Autonomous Region", "bolikhamxay" from "Bolikhamxay province")."""
    return strip_admin_key(entity_key(name))


def strip_admin_key(key: str) -> str:
    """`strip_admin` of an already folded key."""
    if head_words() & set(key.split()):
        return key
    suffixes, prefixes = _admin()
    for suffix in suffixes:
        if key.endswith(" " + suffix):
            key = key[: -len(suffix) - 1]
            break
    for prefix in prefixes:
        if key.startswith(prefix + " "):
            key = key[len(prefix) + 1 :]
            break
    return key
