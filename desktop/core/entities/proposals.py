"""Merge proposals: entity pairs that may be one, scored, for an analyst to confirm.

Rules: acronyms ("NDRC", "CAEXPO", "ASEAN"), administrative suffixes of places
("Guangxi Zhuang Autonomous Region"), person names in another order or cut short,
the same name under two kinds, and near-duplicate spellings (rapidfuzz). Pairs are
found through blocking keys, never by comparing every pair, and no block compared
pair by pair holds more than MAX_BLOCK names, so the work grows with the number of
names, not with its square. Nothing is merged here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import combinations
from typing import TYPE_CHECKING, TypeVar

from rapidfuzz import fuzz, process

from desktop.core.entities.keys import (
    abbreviates,
    acronym_keys_of,
    compact,
    content_words,
    entity_key,
    head_words,
    initials,
    leading_subsequences,
    looks_like_acronym,
    strip_admin_key,
)
from desktop.core.records import EntityRecord, MergeProposal

if TYPE_CHECKING:
    from desktop.core.store import Store

FUZZY_MIN = 90  # rapidfuzz ratio over keys without spaces
MAX_SHORT_FORM_TARGETS = 3  # a surname matching more full names than this is not proposed
MAX_BLOCK = 200  # names compared pair by pair at most; bigger blocks are cut finer
MAX_ABBREVIATION_CANDIDATES = 500  # long names an acronym is tried on, fewest initials last

_NUMBERED = re.compile(r"\S*\d\S*")  # a word of an ASCII key holding a digit


# One written name of an entity: (entity id, kind, name as written, folded key). A plain
# tuple of strings and ints, which the garbage collector stops tracking: a class instance
# per name would make every full collection during propose() walk 100,000s more objects.
_Name = tuple[int, str, str, str]

Found = Iterable[tuple[int, int, float, str]]
K = TypeVar("K")
V = TypeVar("V")


def merge_proposals(store: Store, kind: str | None = None) -> list[MergeProposal]:
    """Scored proposals, best first; pairs marked "not the same" never come back."""
    return propose(store.entities.list(kind), store.entities.distinct_pairs())


def propose(
    entities: list[EntityRecord],
    distinct: set[frozenset[int]],
    work: Counter[str] | None = None,
) -> list[MergeProposal]:
    """Proposals over entity records (pure: no database).

    `work`, when given, counts the comparisons each rule made (for tests and benchmarks).
    """
    work = Counter() if work is None else work
    by_id = {e.id: e for e in entities}
    names = _written_names(entities)
    best: dict[frozenset[int], tuple[float, str]] = {}

    def offer(a: int, b: int, score: float, reason: str) -> None:
        pair = frozenset((a, b))
        if a != b and pair not in distinct and score > best.get(pair, (0.0, ""))[0]:
            best[pair] = (score, reason)

    for rule in (_acronyms, _admin, _kinds, _persons, _fuzzy):
        for a, b, score, reason in rule(names, work):
            offer(a, b, score, reason)
    out = []
    for pair, (score, reason) in best.items():
        keep, other = sorted((by_id[i] for i in pair), key=lambda e: (-e.mention_count, e.id))
        out.append(
            MergeProposal(
                keep.id,
                other.id,
                score,
                reason,
                keep.kind,
                keep.preferred_name,
                other.preferred_name,
            )
        )
    return sorted(out, key=lambda p: (-p.score, p.a_name, p.b_name))


def _written_names(entities: list[EntityRecord]) -> list[_Name]:
    """Every entity's names (preferred name first), each folded once."""
    keys: dict[str, str] = {}
    out = []
    for e in entities:
        for text in dict.fromkeys((e.preferred_name, *e.aliases)):
            key = keys.get(text)
            if key is None:
                key = keys[text] = entity_key(text)
            out.append((e.id, e.kind, text, key))
    return out


def _acronyms(names: list[_Name], work: Counter[str]) -> Found:
    """Acronyms that are a long name's initials (exact), or abbreviate its words.

    Long names are indexed only under the keys some acronym of their kind asks for: its
    spelling (exact), and the initials `abbreviates` could accept (leading subsequences)."""
    acronyms: dict[tuple[int, str], _Name] = {}  # the first name of an entity spelling it
    for name in names:
        if looks_like_acronym(name[2]):
            acronyms.setdefault((name[0], compact(name[3])), name)
    wanted_exact = {(kind, abbr) for (_, abbr), (_, kind, _, _) in acronyms.items()}
    wanted_initials = {
        (kind, s)
        for (_, abbr), (_, kind, _, _) in acronyms.items()
        for s in leading_subsequences(abbr)
    }
    kinds = {kind for _, kind, _, _ in acronyms.values()}
    exact: dict[tuple[str, str], dict[int, str]] = {}  # -> entity -> its first long name
    by_initials: dict[tuple[str, str], list[tuple[int, list[str], str]]] = {}
    for entity, kind, text, key in names:
        if kind not in kinds:
            continue
        words = content_words(key)
        if len(words) < 2:
            continue
        for short in acronym_keys_of(key):
            if (kind, short) in wanted_exact:
                exact.setdefault((kind, short), {}).setdefault(entity, text)
        slot = (kind, initials(words))
        if slot in wanted_initials:
            by_initials.setdefault(slot, []).append((entity, words, "".join(words)))
    for (entity, abbr), (_, kind, text, _) in acronyms.items():
        matches = exact.get((kind, abbr), {})
        for other, long in matches.items():
            score = 0.9 if initials(content_words(entity_key(long))) == abbr else 0.85
            yield entity, other, score, f"acronym: {text} = {long}"
        # Most initials first: "asan" before "as" for "ASEAN". A group of names that would
        # take the acronym past its budget is left out.
        budget = MAX_ABBREVIATION_CANDIDATES
        for letters in sorted(leading_subsequences(abbr), key=lambda s: (-len(s), s)):
            candidates = by_initials.get((kind, letters), ())
            if len(candidates) > budget:
                work["abbreviation_groups_skipped"] += 1
                continue
            budget -= len(candidates)
            for other, words, joined in candidates:
                if other not in matches:
                    work["abbreviation"] += 1
                    if _subsequence(abbr, joined) and abbreviates(abbr, words):
                        yield entity, other, 0.75, f"abbreviation: {text} = {' '.join(words)}"


def _subsequence(part: str, whole: str) -> bool:
    """Whether the letters of `part` come in `whole` in order (what `abbreviates` needs
    at least, at a tenth of its cost)."""
    rest = iter(whole)
    return all(c in rest for c in part)


def _admin(names: list[_Name], work: Counter[str]) -> Found:
    """Places that are one once administrative suffixes and prefixes are dropped.

    A group holds one entity per distinct key that strips to its core (resolution gives
    one key one entity), so its size is bounded by the suffix and prefix lists."""
    places = ((strip_admin_key(key), (e, text)) for e, kind, text, key in names if kind == "place")
    for core, found in _shared(places).items():
        members: dict[int, str] = {}
        for entity, text in found:
            members.setdefault(entity, text)
        work["admin"] += len(members) * (len(members) - 1) // 2
        for (a, na), (b, nb) in combinations(sorted(members.items()), 2):
            yield a, b, 0.85, f"administrative suffix: {na} / {nb} ({core})"


def _kinds(names: list[_Name], work: Counter[str]) -> Found:
    """The same preferred name (without spaces) under different kinds."""
    seen: set[int] = set()
    preferred = []
    for entity, kind, _, key in names:
        if entity not in seen:  # the first name of an entity is its preferred name
            seen.add(entity)
            preferred.append((compact(key), (entity, kind)))
    for members in _shared(preferred).values():
        work["kinds"] += len(members) * (len(members) - 1) // 2
        for (a, kind_a), (b, kind_b) in combinations(members, 2):
            if kind_a != kind_b:
                yield a, b, 0.7, f"same name, kinds differ: {kind_a} / {kind_b}"


def _persons(names: list[_Name], work: Counter[str]) -> Found:
    """Person names of two words or more in another order; one-word names cut short.

    Only names of two words or more count for "another order": a one-word alias shared by
    two full names (their given name, linked as a short form) says nothing about order."""
    people = [(entity, text, key) for entity, kind, text, key in names if kind == "person"]
    orders = ((tuple(sorted(key.split())), entity) for entity, _, key in people if " " in key)
    for found in _shared(orders).values():
        members = sorted(set(found))
        work["order"] += len(members) * (len(members) - 1) // 2
        for a, b in combinations(members, 2):
            yield a, b, 0.85, "same person name in another order"
    preferred: dict[int, tuple[str, str]] = {}  # entity -> its first name and key
    for entity, text, key in people:
        preferred.setdefault(entity, (text, key))
    short = {key for _, key in preferred.values() if " " not in key}
    full_names: dict[str, set[int]] = {}  # a word of a full name -> entities
    for entity, _, key in people:
        if " " in key:
            for word in short.intersection(key.split()):
                full_names.setdefault(word, set()).add(entity)
    for entity, (text, key) in preferred.items():
        targets = full_names.get(key, set()) - {entity}
        if 0 < len(targets) <= MAX_SHORT_FORM_TARGETS:
            for t in sorted(targets):
                yield entity, t, 0.6, f"short form: {text}"


def _fuzzy(names: list[_Name], work: Counter[str]) -> Found:
    """Near-duplicate spellings: a rapidfuzz ratio of at least FUZZY_MIN without spaces.

    Two names are compared when they share kind, first or last three letters, and their
    words holding digits and their head words ("university"): a pair differing in those
    is never proposed, so keying on them loses nothing and keeps numbered names apart."""
    heads = head_words()
    prefixes, suffixes = [], []
    for entity, kind, _, key in names:
        flat = compact(key)
        if len(flat) >= 6:
            sign = _fuzzy_sign(kind, key, heads)
            prefixes.append(((sign, flat[:3]), (entity, key, flat)))
            suffixes.append(((sign, flat[-3:]), (entity, key, flat)))
    head: Callable[[str, int], str] = lambda flat, k: flat[:k]  # noqa: E731
    tail: Callable[[str, int], str] = lambda flat, k: flat[-k:]  # noqa: E731
    for blocks, cut in ((prefixes, head), (suffixes, tail)):
        for members in _shared(blocks).values():
            for block in _bounded(members, 3, cut, work):
                work["fuzzy"] += len(block) * (len(block) - 1) // 2
                for (a, ka, fa), (b, kb, fb), score in _similar(block):
                    if a != b and fa != fb:
                        yield a, b, round(0.9 * score / 100, 3), f"similar spelling: {ka} / {kb}"


def _shared(items: Iterable[tuple[K, V]]) -> dict[K, list[V]]:
    """The values of each key that has two or more, in order (keys with one value get no
    list: most keys have one, and each list is an object the garbage collector walks)."""
    first: dict[K, V] = {}
    more: dict[K, list[V]] = {}
    for key, value in items:
        if key in more:
            more[key].append(value)
        elif key in first:
            more[key] = [first[key], value]
        else:
            first[key] = value
    return more


def _fuzzy_sign(kind: str, key: str, heads: frozenset[str]) -> str:
    """Kind, words holding a digit and head words of a name, as one string."""
    if key.isascii():  # the usual case: keys are folded to ASCII
        numbered = _NUMBERED.findall(key)
    else:
        numbered = [w for w in key.split() if any(c.isdigit() for c in w)]
    named = heads.intersection(key.split())
    if named:  # keys hold no punctuation, so "|" is no word of theirs
        return " ".join((kind, *sorted(set(numbered)), "|", *sorted(named)))
    if len(numbered) > 1:
        return " ".join((kind, *sorted(set(numbered))))
    return f"{kind} {numbered[0]}" if numbered else kind


def _bounded(
    members: list[tuple[int, str, str]],
    k: int,
    cut: Callable[[str, int], str],
    work: Counter[str],
) -> Iterator[list[tuple[int, str, str]]]:
    """A block, or if it holds more than MAX_BLOCK names, its parts by one more letter."""
    if len(members) <= MAX_BLOCK:
        yield members
        return
    if all(len(m[2]) <= k for m in members):  # one spelling only: nothing to compare
        return
    work["fuzzy_blocks_cut"] += 1
    parts: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for m in members:
        parts[cut(m[2], k + 1)].append(m)
    for part in parts.values():
        yield from _bounded(part, k + 1, cut, work)


def _similar(members: list[tuple[int, str, str]]) -> Iterable[tuple[tuple, tuple, float]]:
    """Pairs of a block whose keys are at least FUZZY_MIN alike (a matrix from ten names;
    float64 so that both ways give the same scores)."""
    if len(members) < 10:
        ratio = fuzz.ratio
        return [
            (x, y, score)
            for x, y in combinations(members, 2)
            if (score := ratio(x[2], y[2], score_cutoff=FUZZY_MIN))
        ]
    flats = [m[2] for m in members]
    matrix = process.cdist(flats, flats, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, dtype="float64")
    return [
        (members[i], members[j], float(matrix[i, j]))
        for i, j in zip(*matrix.nonzero(), strict=True)
        if i < j
    ]
