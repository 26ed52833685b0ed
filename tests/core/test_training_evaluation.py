"""Scores of the held-out comparison, worked out by hand, and the stable held-out split."""

from __future__ import annotations

import hashlib

import pytest

from desktop.core.learning.evaluation import Comparison, held_out, score, split, table


def test_scores_per_label_on_a_case_worked_out_by_hand():
    gold = [
        (1, 0, 5, "PERSON"),
        (1, 10, 15, "PERSON"),
        (1, 20, 25, "ORG"),
        (2, 0, 4, "GPE"),
    ]
    predicted = [
        (1, 0, 5, "PERSON"),  # right
        (1, 10, 14, "PERSON"),  # wrong span: a false positive and a miss
        (1, 20, 25, "PERSON"),  # wrong label
        (2, 0, 4, "GPE"),  # right
        (2, 6, 9, "DATE"),  # a label not compared
    ]
    s = score(gold, predicted, ["PERSON", "ORG", "GPE"])
    # PERSON: 1 right of 3 predicted, 1 of 2 gold -> P 1/3, R 1/2, F1 0.4
    assert (s["PERSON"].correct, s["PERSON"].predicted, s["PERSON"].support) == (1, 3, 2)
    assert s["PERSON"].precision == pytest.approx(1 / 3)
    assert s["PERSON"].recall == pytest.approx(0.5)
    assert s["PERSON"].f1 == pytest.approx(0.4)
    # ORG: nothing predicted, one gold -> 0 / 0 / 0
    assert (s["ORG"].precision, s["ORG"].recall, s["ORG"].f1, s["ORG"].support) == (0, 0, 0, 1)
    assert s["GPE"].f1 == 1.0
    # all three labels: 2 right of 4 predicted, 2 of 4 gold -> 0.5 everywhere
    assert (s["ALL"].precision, s["ALL"].recall, s["ALL"].f1) == (0.5, 0.5, 0.5)
    assert "DATE" not in s


def _comparison(base_f1_person: tuple, project_person: tuple) -> Comparison:
    gold = [(1, i, i + 1, "PERSON") for i in range(0, 20, 2)] + [(1, 100, 101, "ORG")]
    base = score(gold, [g for g in gold[: base_f1_person[0]]] + [gold[-1]], ["PERSON", "ORG"])
    project = score(
        gold, [g for g in gold[: project_person[0]]] + list(project_person[1]), ["PERSON", "ORG"]
    )
    return Comparison(3, base, project)


def test_the_verdict_says_in_one_sentence_whether_the_new_model_is_better():
    better = _comparison((5,), (9, [(1, 100, 101, "ORG")]))
    assert better.verdict().startswith("The project model is better: F1")
    assert "3 held-out documents" in better.verdict()
    worse_on_org = _comparison((5,), (10, []))  # all persons, lost the ORG
    assert "but worse on ORG" in worse_on_org.verdict()
    worse = _comparison((9,), (2, []))
    assert worse.verdict().startswith("The project model is worse")
    same = _comparison((5,), (5, [(1, 100, 101, "ORG")]))
    assert same.verdict().startswith("The project model is about as good")
    assert Comparison(0, {}, {}).verdict().startswith("Too few reviewed documents")
    text = table(better)
    assert text.splitlines()[1].split()[:2] == ["PERSON", "10"]  # most support first
    assert text.splitlines()[-2].startswith("ALL")


def test_the_held_out_share_is_seeded_and_stable_by_document():
    shas = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(400)]
    train, test = split(shas)
    assert 50 < len(test) < 110  # about a fifth
    assert sorted(train + test) == list(range(400))
    # a document keeps its side when others are added
    more_train, more_test = split([*shas, hashlib.sha256(b"x").hexdigest()])
    assert set(test) <= set(more_test) and set(train) <= set(more_train)
    assert [held_out(s) for s in shas] == [held_out(s) for s in shas]
    assert [held_out(s, seed=1) for s in shas] != [held_out(s) for s in shas]
    # few documents: at least one of each side
    assert [len(side) for side in split(shas[:2])] == [1, 1]
    assert split(shas[:1]) == ([0], [])
