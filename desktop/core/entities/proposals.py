"""Merge proposals: entity pairs that may be one, scored, for an analyst to confirm.

Rules: acronyms ("NDRC", "CAEXPO", "ASEAN"), administrative suffixes of places
("Guangxi Zhuang Autonomous Region"), person names in another order or cut short,
the same name under two kinds, and near-duplicate spellings (rapidfuzz). Pairs are
found through blocking keys, never by comparing every pair. Nothing is merged here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from desktop.core.entities.keys import (
    abbreviates,
    acronym,
    acronym_keys,
    compact,
    content_tokens,
    entity_key,
    head_words,
    looks_like_acronym,
    strip_admin,
)
from desktop.core.records import EntityRecord, MergeProposal

if TYPE_CHECKING:
    from desktop.core.store import Store

FUZZY_MIN = 90  # rapidfuzz ratio over keys without spaces
MAX_SHORT_FORM_TARGETS = 3  # a surname matching more full names than this is not proposed


def merge_proposals(store: Store, kind: str | None = None) -> list[MergeProposal]:
    """Scored proposals, best first; pairs marked "not the same" never come back."""
    return propose(store.entities.list(kind), store.entities.distinct_pairs())


def propose(entities: list[EntityRecord], distinct: set[frozenset[int]]) -> list[MergeProposal]:
    """Proposals over entity records (pure: no database)."""
    by_id = {e.id: e for e in entities}
    best: dict[frozenset[int], tuple[float, str]] = {}

    def offer(a: int, b: int, score: float, reason: str) -> None:
        pair = frozenset((a, b))
        if a != b and pair not in distinct and score > best.get(pair, (0.0, ""))[0]:
            best[pair] = (score, reason)

    for rule in (_acronyms, _admin, _kinds, _persons, _fuzzy):
        for a, b, score, reason in rule(entities):
            offer(a, b, score, reason)
    out = []
    for pair, (score, reason) in best.items():
        x, y = (by_id[i] for i in pair)
        a, b = sorted((x, y), key=lambda e: (-e.mention_count, e.id))
        out.append(
            MergeProposal(a.id, b.id, score, reason, a.kind, a.preferred_name, b.preferred_name)
        )
    return sorted(out, key=lambda p: (-p.score, p.a_name, p.b_name))


def _names(e: EntityRecord) -> set[str]:
    return {e.preferred_name, *e.aliases}


Found = Iterable[tuple[int, int, float, str]]


def _acronyms(entities: list[EntityRecord]) -> Found:
    exact: dict[tuple[str, str], set[int]] = defaultdict(set)
    blocks: dict[tuple[str, str, str], list[tuple[int, list[str]]]] = defaultdict(list)
    for e in entities:
        for name in _names(e):
            words = content_tokens(name)
            if len(words) >= 2:
                for key in acronym_keys(name):
                    exact[(e.kind, key)].add(e.id)
                blocks[(e.kind, words[0][0], words[-1][0])].append((e.id, words))
    by_id = {e.id: e for e in entities}
    for e in entities:
        for name in filter(looks_like_acronym, _names(e)):
            abbr = compact(entity_key(name))
            initials = exact.get((e.kind, abbr), set())
            for other in initials:
                long = next(n for n in _names(by_id[other]) if abbr in acronym_keys(n))
                score = 0.9 if acronym(long) == abbr else 0.85
                yield e.id, other, score, f"acronym: {name} = {long}"
            for last in set(abbr[1:]):
                for other, words in blocks.get((e.kind, abbr[0], last), ()):
                    if other not in initials and abbreviates(abbr, words):
                        yield e.id, other, 0.75, f"abbreviation: {name} = {' '.join(words)}"


def _admin(entities: list[EntityRecord]) -> Found:
    groups: dict[str, dict[int, str]] = defaultdict(dict)
    for e in entities:
        if e.kind == "place":
            for name in _names(e):
                groups[strip_admin(name)].setdefault(e.id, name)
    for core, members in groups.items():
        for (a, na), (b, nb) in combinations(sorted(members.items()), 2):
            yield a, b, 0.85, f"administrative suffix: {na} / {nb} ({core})"


def _kinds(entities: list[EntityRecord]) -> Found:
    groups: dict[str, list[EntityRecord]] = defaultdict(list)
    for e in entities:
        groups[compact(entity_key(e.preferred_name))].append(e)
    for members in groups.values():
        for x, y in combinations(members, 2):
            if x.kind != y.kind:
                yield x.id, y.id, 0.7, f"same name, kinds differ: {x.kind} / {y.kind}"


def _persons(entities: list[EntityRecord]) -> Found:
    people = [e for e in entities if e.kind == "person"]
    order: dict[tuple[str, ...], set[int]] = defaultdict(set)
    word_index: dict[str, set[int]] = defaultdict(set)
    for e in people:
        for name in _names(e):
            words = entity_key(name).split()
            order[tuple(sorted(words))].add(e.id)
            if len(words) > 1:
                for w in words:
                    word_index[w].add(e.id)
    for members in order.values():
        for a, b in combinations(sorted(members), 2):
            yield a, b, 0.85, "same person name in another order"
    for e in people:
        key = entity_key(e.preferred_name)
        if " " not in key:
            targets = word_index.get(key, set()) - {e.id}
            if 0 < len(targets) <= MAX_SHORT_FORM_TARGETS:
                for t in targets:
                    yield e.id, t, 0.6, f"short form: {e.preferred_name}"


def _fuzzy(entities: list[EntityRecord]) -> Found:
    blocks: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    for e in entities:
        for name in _names(e):
            key = entity_key(name)
            flat = compact(key)
            if len(flat) >= 6:
                blocks[(e.kind, flat[:3])].append((e.id, key, flat))
                blocks[(e.kind, "$" + flat[-3:])].append((e.id, key, flat))
    heads = head_words()
    for members in blocks.values():
        for (a, ka, fa), (b, kb, fb), score in _similar(members):
            if a == b or fa == fb:
                continue
            differ = set(ka.split()) ^ set(kb.split())
            if heads & differ or any(c.isdigit() for w in differ for c in w):
                continue
            yield a, b, round(0.9 * score / 100, 3), f"similar spelling: {ka} / {kb}"


def _similar(members: list[tuple[int, str, str]]) -> Iterable[tuple[tuple, tuple, float]]:
    """Pairs of a block whose keys are at least FUZZY_MIN alike (matrix for big blocks)."""
    if len(members) < 64:
        for x, y in combinations(members, 2):
            score = fuzz.ratio(x[2], y[2], score_cutoff=FUZZY_MIN)
            if score:
                yield x, y, score
        return
    flats = [m[2] for m in members]
    matrix = process.cdist(flats, flats, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
    for i, j in zip(*matrix.nonzero(), strict=True):
        if i < j:
            yield members[i], members[j], float(matrix[i, j])
