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
    "NORM": {"REGEX": r"^\D*$"},  # no figure inside a name ("a RM2.1bil industrial park")
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
    for sign in lex.get("scaled_only_signs", []):  # "P15 million", never a bare "P15"
        bases.append([{"TEXT": {"REGEX": f"^{re.escape(sign)}{number_re}$"}}, scale])
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
    runs = _name_run(not_first)
    tails: list[Pattern] = [[], [meeting], [_YEAR], [*acronym_note, _YEAR]]
    # "Group on Labour Cooperation", "Joint Commission on Economic and Trade Cooperation"
    tail_runs = [runs[0], [*runs[0], {"LOWER": {"IN": ["and", "&"]}}, _NAME, {**_NAME, "OP": "*"}]]
    tails += [[{"LOWER": {"IN": ["on", "for", "of"]}}, *tail_run] for tail_run in tail_runs]
    for run in runs:
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


def landform_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """Seas, rivers, lakes, straits, deltas and mountains by their heads, with a capitalised
    name before them ("North Natuna Sea", "Annamite mountains", "Tonle Sap Lake")."""
    head: Token = {"ORTH": {"IN": lex.get("landform_heads", [])}}
    out = [[*run, head] for run in _name_run(lex["not_first_words"], joiners=["of"])]
    of_head: Token = {"ORTH": {"IN": lex.get("landform_of_heads", [])}}
    name: Token = {**_NAME, "IS_TITLE": True}
    # "Gulf of Tonkin", "Bay of Bengal", "Strait of Malacca"
    out += [[of_head, {"LOWER": "of"}, name, {**name, "OP": "?"}]]
    return out


def date_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """Dates written out: "27 March 2026", "26th April 2025", "Mar 25, 2026", "Aug 5",
    "Saturday, 26th April 2025", "21/08/2025"."""
    day: Token = {"LOWER": {"REGEX": r"^(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?$"}}
    month: Token = {"ORTH": {"IN": lex["months"]}}
    comma: Token = {"ORTH": ",", "OP": "?"}
    weekday = [{"ORTH": {"IN": lex["weekdays"]}}, {"ORTH": ","}]
    numeric: Token = {
        "TEXT": {"REGEX": r"^(?:0?[1-9]|[12]\d|3[01])[/.](?:0?[1-9]|1[0-2])[/.]\d{4}$"}
    }
    bases: list[Pattern] = [
        [day, month],
        [day, month, _YEAR],
        [month, day],
        [month, day, comma, _YEAR],
    ]
    unit: Token = {"LOWER": {"IN": lex["date_units"]}}
    relative = [[*_phrase(w, "LOWER"), unit] for w in lex["relative_date_words"]]  # "this year"
    return [[numeric], *bases, *([*weekday, *base] for base in bases), *relative]


def _not_words(words: list[str]) -> Token:
    return {**_NAME, "ORTH": {"NOT_IN": words}}


def _org_run(lex: dict[str, Any], joiners: list[str] = _JOINERS) -> list[Pattern]:
    """Capitalised words of an organisation's name: no title, honorific or weekday among
    them ("Department of Agriculture Secretary X" stops before "Secretary")."""
    not_words = lex["org_not_words"]
    first: Token = {**_not_words(not_words), "IS_STOP": False}
    rest: Token = {**_not_words(not_words), "OP": "*"}
    not_heads = not_words + lex["org_heads_of"] + lex["org_heads_after"]  # "A Chamber and
    second: Token = {**_not_words(not_heads), "IS_STOP": False}  # B Corporation": two bodies
    more: Token = {**_not_words(not_heads), "OP": "*"}
    joined = [first, rest, {"LOWER": {"IN": joiners}}, second, more]
    return [[first, rest], joined]


def org_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """Organisations by their heads and tails: "Ministry of Energy and Mines", "Lao Ministry
    of Finance", "Council for the Development of Cambodia", "Brunei Economic Development
    Board", "Philippine Embassy in Dili", "Prime Minister's Office", "Government of the
    People's Republic of China", "Johor state government", "provincial People's Committee",
    "PT Surya Batam Energi Tbk", "Mekong Foods JSC", "Viettel Cambodia Co., Ltd"."""
    possessive: Token = {"ORTH": {"IN": ["'s", "’s"]}}
    head_of: Token = {"ORTH": {"IN": lex["org_heads_of"]}}
    head_after: Token = {"ORTH": {"IN": lex["org_heads_after"]}}
    linker: Token = {"LOWER": {"IN": ["of", "for", "on"]}}
    the: Token = {"LOWER": "the", "OP": "?"}
    prefixes: list[Pattern] = [[], *_org_run(lex, joiners=[])]
    out: list[Pattern] = []
    runs = _org_run(lex)
    for prefix, run in product(prefixes, runs):
        out.append([*prefix, head_of, linker, the, *run])
        out += [[*prefix, head_of, linker, the, *runs[0], possessive, *r] for r in runs]
    for run in _org_run(lex, joiners=["of", "for", "on", "&"]):  # never "A and B Assembly"
        out.append([*run, head_after])
    for head in lex["org_french_heads"]:  # "Electricité du Laos"
        out += [[{"LOWER": head}, {"LOWER": {"IN": ["du", "de", "des"]}}, *run] for run in runs[:1]]
    for located in lex["org_located_heads"]:
        place = [
            {"LOWER": "in"},
            {**_NAME, "IS_TITLE": True},
            {**_NAME, "IS_TITLE": True, "OP": "?"},
        ]
        for prefix in prefixes:
            out.append([*prefix, *_phrase(located), *place])
    for office in lex["org_offices_of"]:
        out.append([*_phrase(office), possessive, {"ORTH": {"IN": ["Office", "Department"]}}])
        out.append([{"ORTH": "Office"}, {"LOWER": "of"}, the, *_phrase(office)])
    level: Token = {"ORTH": {"IN": lex["government_levels"]}}
    optional_level: Token = {**level, "OP": "?"}
    for heads in _any_of(lex["government_heads"], "ORTH"):
        out.append([*runs[0], level, *heads])  # "Johor state government", not "Thai government"
    for heads in _any_of(lex["committee_heads"], "ORTH"):
        out.append([*runs[0], optional_level, *heads])  # "Lang Son provincial Party Committee"
        out.append([level, *heads])  # "the provincial Party Committee"
    suffixes = [list(s) for s in lex.get("company_suffixes", [])]
    prefix_words = lex.get("company_prefixes", [])
    company: Token = {**_not_words(lex["org_not_words"]), "IS_STOP": False}
    many: Token = {**_not_words(lex["org_not_words"]), "OP": "*"}
    for suffix in suffixes:
        out.append([company, many, *({"ORTH": w} for w in suffix)])
    for word in prefix_words:
        out.append([{"ORTH": word}, company, many])
        out += [[{"ORTH": word}, company, many, *({"ORTH": w} for w in s)] for s in suffixes]
    return out


def place_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """Places by their tails ("Luang Namtha province", "Prey Veng provinces", "Shan state",
    "Aranyaprathet district"): GPE. Only a plain run: "A and B provinces" names B alone."""
    not_first = lex["not_first_words"] + lex["place_not_first"] + lex["nationalities"]
    first: Token = {**_NAME, "IS_STOP": False, "IS_TITLE": True, "ORTH": {"NOT_IN": not_first}}
    rest: Token = {**_NAME, "IS_TITLE": True, "OP": "*"}
    tail: Token = {"ORTH": {"IN": lex["place_tails"]}}
    # a direction alone before "region" is a part of a country (LOC), not a place's name
    compass = {d.title() for d in lex["directions"]}
    alone: Token = {**first, "ORTH": {"NOT_IN": [*not_first, *sorted(compass)]}}
    return [[alone, rest, tail], [first, {**rest, "OP": "+"}, tail]]


def region_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """A direction before a place ("central Laos", "northeast Thailand"): LOC. The direction
    is in lower case, so "South China Sea" is left to the other rules."""
    direction: Token = {"ORTH": {"IN": lex["directions"]}}
    not_words = lex["nationalities"] + lex["not_first_words"]
    place: Token = {**_NAME, "IS_TITLE": True, "IS_STOP": False, "ORTH": {"NOT_IN": not_words}}
    out = [[direction, place], [direction, place, {**place, "OP": "?"}]]
    # "the Northeastern region", "Central Region": a part of a country named by its direction
    compass: Token = {"LOWER": {"IN": lex["directions"]}, "IS_TITLE": True}
    if lex.get("region_words"):
        out.append([compass, {"ORTH": {"IN": lex["region_words"]}}])
    return out


def person_patterns(lex: dict[str, Any]) -> list[Pattern]:
    """Personal names the model cuts short: a nickname in quotes ('Francisco "Kiko" Dela
    Paz'), a Malay patronymic ("Rashidah binti Haji Sabtu"), an abbreviated first name
    ("Ma. Elena Santiago-Ruiz")."""
    not_words = lex["org_not_words"]
    word: Token = {**_not_words(not_words), "IS_TITLE": True}
    words: Token = {**word, "OP": "*"}
    joint: Token = {"ORTH": {"IN": ["-", "–"]}, "OP": "?"}
    particle: Token = {"ORTH": {"IN": lex["name_particles"]}, "OP": "?"}
    out: list[Pattern] = []
    for open_q, close_q in (('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’")):
        nick = [{"ORTH": open_q}, word, {"ORTH": close_q}]
        out.append([word, {**word, "OP": "?"}, *nick, particle, word, words])
        out.append([word, {**word, "OP": "?"}, *nick, particle, word, words, joint, word])
    honorific: Token = {"ORTH": {"IN": ["Haji", "Hj", "Hj.", "Hajah"]}, "OP": "?"}
    patronymic: Token = {"ORTH": {"IN": lex["patronymics"]}}
    out.append([word, words, patronymic, honorific, word, words])
    abbreviation = [{"ORTH": {"IN": ["Ma", "Md", "Mohd", "Abd"]}}, {"ORTH": "."}]
    out.append([*abbreviation, word, words, joint, {**word, "OP": "?"}])
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
        ("LOC", "landform", landform_patterns(lex)),
        ("NORP", "nationality", list(lex["nationalities"])),
    ]
    if "months" in lex:  # the later word lists (an older rules folder may lack them)
        groups += [
            ("DATE", "date", date_patterns(lex)),
            ("ORG", "organisation", org_patterns(lex)),
            ("GPE", "place", place_patterns(lex)),
            ("LOC", "region", region_patterns(lex)),
            ("PERSON", "person", person_patterns(lex)),
        ]
    return [
        {"label": label, "pattern": pattern, "id": name}
        for label, name, patterns in groups
        for pattern in patterns
    ]
