"""Token patterns for the span ruler built from the word lists in entity_shapes.json.

Amounts ("RM12.5bil", "USD 90 million", "420 billion riel"), percentages ("5.4 per cent"),
numbered and named events ("the 22nd China-ASEAN Expo", "Joint Trade Committee meeting"),
facilities and zones with capitalised names ("Vung Ang port", "Bukit Chagar RTS Link station")
and nationality words. Plain Python: no spaCy import, the patterns are dictionaries.
"""

from __future__ import annotations

import re
from itertools import product
from typing import Any

Token = dict[str, Any]
Pattern = list[Token]

# Tokens that end a capitalised name run.
_BREAKS = [",", ".", ";", ":", "(", ")", '"', "“", "”", "!", "?", "/", "[", "]", "$", "*"]
_NAME: Token = {
    "IS_LOWER": False,
    "IS_SPACE": False,
    "LIKE_NUM": False,
    "TEXT": {"NOT_IN": _BREAKS},
}
_JOINERS = ["and", "of", "for", "on", "&"]
_NUMBER: Token = {"LIKE_NUM": True}
_ACRONYM: Token = {"IS_UPPER": True, "IS_ALPHA": True, "LENGTH": {">=": 2}}
_YEAR: Token = {"SHAPE": "dddd"}


def _words(phrase: str) -> list[str]:
    """The tokens of a phrase as the tokenizer splits it (a hyphen on its own)."""
    return re.findall(r"[-–]|[^\s\-–]+", phrase)


def _phrase(phrase: str, attr: str = "ORTH") -> Pattern:
    return [{attr: w.lower() if attr == "LOWER" else w} for w in _words(phrase)]


def _any_of(phrases: list[str], attr: str) -> list[Pattern]:
    """One token matching any single-word phrase, plus each longer phrase token by token."""
    single = [p.lower() if attr == "LOWER" else p for p in phrases if len(_words(p)) == 1]
    out = [[{attr: {"IN": single}}]] if single else []
    return out + [_phrase(p, attr) for p in phrases if len(_words(p)) > 1]


def _name_run(
    first_not: list[str], extra_not: list[str] | None = None, joiners: list[str] = _JOINERS
) -> list[Pattern]:
    """A run of capitalised tokens (hyphens and apostrophes inside), optionally with one
    lower-case joiner ("Business and Investment", "Group on Labour"). It never starts with
    a stop word, a weekday or a title."""
    first: Token = {**_NAME, "IS_STOP": False, "TEXT": {"NOT_IN": _BREAKS + first_not}}
    rest: Token = {**_NAME, "OP": "*"}
    if extra_not:
        lowered = [w.lower() for w in extra_not]
        first = {**first, "LOWER": {"NOT_IN": lowered}}
        rest = {**rest, "LOWER": {"NOT_IN": lowered}}
    plain = [first, rest]
    joined = [first, rest, {"LOWER": {"IN": joiners}}, {"LOWER": "the", "OP": "?"}, _NAME, rest]
    return [plain, joined]


def _with_approximators(bases: list[Pattern], approximators: list[str]) -> list[Pattern]:
    out = list(bases)
    for approx in approximators:
        out += [_phrase(approx, "LOWER") + base for base in bases]
    return out


def money_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """Amounts: a sign or code before the number (glued or not), or a currency word after it."""
    signs, codes = lex["currency_signs"], lex["currency_codes"]
    sign_re = "|".join(re.escape(s) for s in signs)
    scale_re = "|".join(re.escape(s) for s in lex["scale_words"])
    number_re = r"\d[\d,]*(?:\.\d+)?"
    glued: Token = {"TEXT": {"REGEX": f"^(?:{sign_re}){number_re}$"}}
    glued_scaled: Token = {"TEXT": {"REGEX": f"^(?:{sign_re}){number_re}(?:{scale_re})$"}}
    bare_scaled: Token = {"LOWER": {"REGEX": f"^{number_re}(?:{scale_re})$"}}
    before: Token = {"ORTH": {"IN": signs + codes}}
    scale: Token = {"LOWER": {"IN": lex["scale_words"]}}
    dash: Token = {"ORTH": {"IN": ["-", "–"]}}
    after = [*_any_of(lex["currency_words"], "LOWER"), [{"ORTH": {"IN": codes}}]]
    amounts: list[Pattern] = [[before, _NUMBER], [glued]]
    bases: list[Pattern] = [[glued_scaled]]
    for amount in amounts:
        bases += [amount, [*amount, scale], [*amount, dash, scale]]
        for link in ("to", "-", "–"):  # "US$30 billion to 50 billion"
            bases.append([*amount, scale, {"LOWER": link}, _NUMBER, scale])
    for number, currency in product([[_NUMBER], [_NUMBER, scale], [bare_scaled]], after):
        bases.append(number + currency)
    return _with_approximators(bases, lex["approximators"])


def percent_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """A number and a percent word ("5.4 per cent", "12 pct", "16%"), or both in one token."""
    words = _any_of(lex["percent_words"], "LOWER")
    bases: list[Pattern] = [[{"LOWER": {"REGEX": r"^\d[\d,]*(?:\.\d+)?(?:%|pct|percent)$"}}]]
    for word in words:
        bases.append([_NUMBER, *word])
        bases.append([_NUMBER, {"ORTH": {"IN": ["-", "–"]}}, _NUMBER, *word])
    return _with_approximators(bases, lex["approximators"])


def event_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """Numbered meetings and mechanisms, and names ending in an event word."""
    not_first = lex["not_first_words"]
    ordinal: Token = {
        "LOWER": {"REGEX": r"^(?:\d+(?:st|nd|rd|th)|" + "|".join(lex["ordinal_words"]) + ")$"}
    }
    event_head: Token = {"ORTH": {"IN": lex["event_heads"]}}
    any_head: Token = {"ORTH": {"IN": lex["event_heads"] + lex["mechanism_heads"]}}
    meeting: Token = {"ORTH": {"IN": lex["meeting_words"]}}
    acronym_note = [{"ORTH": "("}, _ACRONYM, {"ORTH": ")"}]
    out: list[Pattern] = [[ordinal, _ACRONYM], [ordinal, _ACRONYM, meeting]]  # "19th JCM"
    for run in _name_run(not_first):
        tails: list[Pattern] = [[], [meeting], [_YEAR], [*acronym_note, _YEAR]]
        tails += [[{"LOWER": {"IN": ["on", "for", "of"]}}, *run]]  # "Group on Labour Cooperation"
        for tail in tails:
            out.append([ordinal, *run, any_head, *tail])
            out.append([*run, event_head, *tail])
        out.append([*run, any_head, meeting])  # "Joint Trade Committee meeting"
        out.append([ordinal, meeting, {"LOWER": "of"}, {"LOWER": "the", "OP": "?"}, *run, any_head])
    return out


def facility_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """Capitalised names ending in a facility word, roads by number, the region's seats of
    government; zones (economic zones, industrial parks) as LOC."""
    not_first = lex["not_first_words"]
    ordinal: Token = {"LOWER": {"IN": lex["ordinal_words"]}, "OP": "?"}
    head: Token = {"ORTH": {"IN": lex["facility_heads"]}}
    acronym_note = [{"ORTH": "("}, _ACRONYM, {"ORTH": ")"}]
    out: list[Pattern] = []
    for run in _name_run(not_first, joiners=["of"]):  # "Hall of ...", never "X and Y Bridge"
        out += [[ordinal, *run, head], [*run, *acronym_note, head]]
        for road in lex["road_heads"]:
            number = [{"ORTH": {"IN": ["No", "No."]}}, {"ORTH": ".", "OP": "?"}, _NUMBER]
            out.append([*run, {"ORTH": road}, *number])
    for run in _name_run(not_first, lex["nationalities"], joiners=["of"]):
        out += [[*run, *words] for words in _any_of(lex["facility_words"], "LOWER")]
        out += [[ordinal, *run, head, *words] for words in _any_of(lex["facility_words"], "LOWER")]
    return out


def owner_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """A facility name followed by an owner word is the body that runs it ("Energy Market
    Authority", "Kuantan Port Corporation"): ORG, so no FAC is read inside it."""
    head: Token = {"ORTH": {"IN": lex["facility_heads"]}}
    owner: Token = {"ORTH": {"IN": lex["facility_owners"]}}
    return [[*run, head, owner] for run in _name_run(lex["not_first_words"], joiners=["of"])]


def zone_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """Economic zones and industrial parks with a capitalised name before them."""
    out: list[Pattern] = []
    for run in _name_run(lex["not_first_words"], lex["nationalities"]):
        out += [[*run, *_phrase(zone, "ORTH")] for zone in lex["zone_heads"]]
    return out


def shape_patterns(lex: dict[str, Any]) -> list[dict[str, Any]]:
    """Every span-ruler pattern of the word lists, with its label and a short id."""
    groups: list[tuple[str, str, list[Any]]] = [
        ("MONEY", "money", money_patterns(lex)),
        ("PERCENT", "percent", percent_patterns(lex)),
        ("EVENT", "event", event_patterns(lex)),
        ("FAC", "facility", facility_patterns(lex)),
        ("FAC", "seat", list(lex["facilities"])),
        ("ORG", "facility_owner", owner_patterns(lex)),
        ("LOC", "zone", zone_patterns(lex)),
        ("NORP", "nationality", list(lex["nationalities"])),
    ]
    return [
        {"label": label, "pattern": pattern, "id": name}
        for label, name, patterns in groups
        for pattern in patterns
    ]
