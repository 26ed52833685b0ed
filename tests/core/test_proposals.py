"""Merge proposals on entity records: the rules, and work that grows with the names, not
their square (comparisons are counted; no test reads a clock)."""

from __future__ import annotations

import random
import string
from collections import Counter
from itertools import combinations

from rapidfuzz import fuzz

from desktop.core.entities.keys import compact, entity_key, head_words, leading_subsequences
from desktop.core.entities.proposals import (
    FUZZY_MIN,
    MAX_ABBREVIATION_CANDIDATES,
    MAX_BLOCK,
    propose,
)
from desktop.core.records import EntityRecord


def _records(*specs: tuple, first_id: int = 1) -> list[EntityRecord]:
    """Records from (name, kind) or (name, kind, aliases), numbered from `first_id`."""
    return [
        EntityRecord(i, spec[1], spec[0], spec[2] if len(spec) > 2 else (), 1)
        for i, spec in enumerate(specs, first_id)
    ]


def _found(records, distinct=frozenset(), work=None):
    return {frozenset((p.a_name, p.b_name)): p for p in propose(records, set(distinct), work)}


# --- the rules ----------------------------------------------------------------------------


def test_acronyms_abbreviations_and_administrative_suffixes():
    found = _found(
        _records(
            ("NDRC", "organization"),
            ("National Development and Reform Commission", "organization"),
            ("CAEXPO", "event"),
            ("China-ASEAN Expo", "event"),
            ("ASEAN", "organization"),
            ("Association of Southeast Asian Nations", "organization"),
            ("Guangxi", "place"),
            ("Guangxi Zhuang Autonomous Region", "place"),
            ("Guangxi University", "place"),
        )
    )
    scores = {tuple(sorted(pair)): (p.score, p.reason.split(":")[0]) for pair, p in found.items()}
    assert scores == {
        ("NDRC", "National Development and Reform Commission"): (0.9, "acronym"),
        ("CAEXPO", "China-ASEAN Expo"): (0.85, "acronym"),
        ("ASEAN", "Association of Southeast Asian Nations"): (0.75, "abbreviation"),
        ("Guangxi", "Guangxi Zhuang Autonomous Region"): (0.85, "administrative suffix"),
    }


def test_similar_spellings_but_not_other_numbers_or_institutions():
    found = _found(
        _records(
            ("Bolikhamxay", "place"),
            ("Bolikhamxai", "place"),
            ("Ministry of Science 123", "organization"),
            ("Ministry of Science 124", "organization"),
            ("Hanoi University", "organization"),
            ("Hanoi Universal", "organization"),
        )
    )
    assert set(found) == {frozenset(("Bolikhamxay", "Bolikhamxai"))}
    assert found[frozenset(("Bolikhamxay", "Bolikhamxai"))].reason.startswith("similar spelling")


def test_person_names_in_another_order_and_short_forms():
    found = _found(
        _records(
            ("Wei Tao", "person"),
            ("Tao Wei", "person"),
            ("Le Hoai Trung", "person", ("Trung",)),  # "Trung" linked as a short form
            ("Nguyen Van Trung", "person", ("Trung",)),
            ("Phuong", "person"),
            ("Bui Hoang Phuong", "person"),
        )
    )
    assert found[frozenset(("Wei Tao", "Tao Wei"))].score == 0.85
    assert found[frozenset(("Phuong", "Bui Hoang Phuong"))].reason == "short form: Phuong"
    # A shared one-word short form is no name "in another order": two people.
    assert frozenset(("Le Hoai Trung", "Nguyen Van Trung")) not in found


def test_not_the_same_pairs_never_come_back():
    records = _records(
        ("NDRC", "organization"), ("National Development and Reform Commission", "organization")
    )
    assert _found(records)
    assert _found(records, {frozenset((1, 2))}) == {}


# --- blocking loses nothing ---------------------------------------------------------------


def _brute_force_similar(records: list[EntityRecord]) -> set[frozenset[int]]:
    """Every pair the fuzzy rule may propose, found by comparing all pairs of names."""
    heads = head_words()
    names = [
        (e.id, e.kind, entity_key(n))
        for e in records
        for n in {e.preferred_name, *e.aliases}
        if len(compact(entity_key(n))) >= 6
    ]
    out = set()
    for (a, kind_a, ka), (b, kind_b, kb) in combinations(names, 2):
        fa, fb = compact(ka), compact(kb)
        if a == b or kind_a != kind_b or fa == fb:
            continue
        if fa[:3] != fb[:3] and fa[-3:] != fb[-3:]:
            continue
        differ = set(ka.split()) ^ set(kb.split())
        if heads & differ or any(c.isdigit() for w in differ for c in w):
            continue
        if fuzz.ratio(fa, fb) >= FUZZY_MIN:
            out.add(frozenset((a, b)))
    return out


def test_fuzzy_blocking_finds_what_comparing_every_pair_finds():
    rng = random.Random(5)
    stems = ["Bolikhamxay", "Quang Ninh", "Lang Son", "Nanning", "Hai Phong", "Vientiane"]
    records = []
    for i in range(600):
        name = rng.choice(stems)
        if rng.random() < 0.5:  # a typo
            at = rng.randrange(len(name))
            name = name[:at] + rng.choice("aeiouhny") + name[at + 1 :]
        name += rng.choice(["", "", " University", " Port", f" {rng.randrange(5)}"])
        records.append(EntityRecord(i + 1, "place", name, (), 1))
    expected = _brute_force_similar(records)
    assert len(expected) > 100
    got = {frozenset((p.a_id, p.b_id)) for p in propose(records, set()) if "similar" in p.reason}
    others = {frozenset((p.a_id, p.b_id)) for p in propose(records, set())} - got
    assert got == expected - others


# --- work grows linearly ------------------------------------------------------------------


def _similar_orgs(n: int, seed: int = 3) -> list[EntityRecord]:
    """n organizations one prefix and one suffix apart: one big fuzzy block each way."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        word = "".join(rng.choices(string.ascii_lowercase, k=8))
        out.append(EntityRecord(i + 1, "organization", f"Department of {word} Affairs", (), 1))
    return out


def test_fuzzy_blocks_stay_bounded_on_many_similar_names():
    for n in (1_000, 8_000):
        work: Counter[str] = Counter()
        propose(_similar_orgs(n), set(), work)
        assert work["fuzzy_blocks_cut"] > 0
        # Each name sits in one prefix and one suffix block of at most MAX_BLOCK names;
        # comparing within the two blocks as they come would be n * (n - 1) comparisons.
        assert work["fuzzy"] <= n * MAX_BLOCK


def test_near_duplicates_in_a_block_that_is_cut_are_still_found():
    records = _similar_orgs(2_000) + _records(
        ("Department of Xylophone Affairs", "organization"),
        ("Department of Xylofone Affairs", "organization"),
        first_id=5_000,
    )
    work: Counter[str] = Counter()
    found = _found(records, work=work)
    assert work["fuzzy_blocks_cut"] > 0
    assert frozenset(("Department of Xylophone Affairs", "Department of Xylofone Affairs")) in found


def _long_names_and_acronyms(long: int, short: int, seed: int = 9) -> list[EntityRecord]:
    """Organizations of two to four words from a few initials, and acronyms of theirs."""
    rng = random.Random(seed)
    letters = "abcdef"
    words = {c: [c + "".join(rng.choices("aeioulnrst", k=6)) for _ in range(40)] for c in letters}
    out = []
    for i in range(long):
        initials = "a" + "".join(rng.choices(letters, k=rng.randrange(1, 4)))
        name = " ".join(rng.choice(words[c]) for c in initials).title()
        out.append(EntityRecord(i + 1, "organization", name, (), 1))
    for i in range(short):
        abbr = "A" + "".join(rng.choices(letters.upper(), k=rng.randrange(2, 5)))
        out.append(EntityRecord(long + i + 1, "organization", abbr, (), 1))
    return out


def test_abbreviations_are_tried_on_a_bounded_number_of_names():
    long, short = 4_000, 200
    work: Counter[str] = Counter()
    found = propose(_long_names_and_acronyms(long, short), set(), work)
    assert work["abbreviation"] <= short * MAX_ABBREVIATION_CANDIDATES
    assert work["abbreviation_groups_skipped"] > 0  # the budget binds at this size
    assert any(p.reason.startswith("abbreviation") for p in found)


def test_an_acronym_is_tried_on_the_names_with_most_initials_first():
    rng = random.Random(2)
    crowd = [  # as many names with initials "as" as an acronym's budget holds
        EntityRecord(i + 1, "organization", f"Asian S{''.join(rng.choices('aeiou', k=9))}", (), 1)
        for i in range(MAX_ABBREVIATION_CANDIDATES)
    ]
    records = crowd + _records(
        ("ASEAN", "organization"),
        ("Association of Southeast Asian Nations", "organization"),
        first_id=5_000,
    )
    work: Counter[str] = Counter()
    found = _found(records, work=work)
    assert found[frozenset(("ASEAN", "Association of Southeast Asian Nations"))].score == 0.75
    assert work["abbreviation_groups_skipped"] == 1  # the crowd, tried after


def test_leading_subsequences():
    assert leading_subsequences("ndrc") == {
        "nd",
        "nr",
        "nc",
        "ndr",
        "ndc",
        "nrc",
        "ndrc",
    }
    assert leading_subsequences("a") == set() == leading_subsequences("")
