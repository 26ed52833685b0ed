"""ROLE facts on shapes of regional wire news: a title between commas after a name, a rank
as the only title, a shorter restatement of a pair, a portfolio joined by "and". Sentences
written for these tests, with invented people; parsed by the real pipeline."""

from __future__ import annotations

import pytest
from fact_helpers import facts, texts


def roles(found) -> list[tuple[str, str]]:
    return [(texts(f, "person")[0], texts(f, "title")[0]) for f in found]


def test_a_title_between_commas_after_a_name_is_its_role(nlp):
    found = facts(
        nlp,
        "Pham Thi Hoa, Trade Counsellor of the Vietnamese Embassy in Vientiane, said more "
        "firms would come.",
        "ROLE",
    )
    assert roles(found) == [("Pham Thi Hoa", "Trade Counsellor")], found


@pytest.mark.parametrize(
    ("sentence", "pair"),
    [
        (
            "The road was opened by Vice-Senior General Aung Kyaw Moe on Friday.",
            ("Aung Kyaw Moe", "Vice-Senior General"),
        ),
        ("Sen. Ramon Dizon filed the bill on Monday.", ("Ramon Dizon", "Sen.")),
    ],
)
def test_a_rank_written_as_the_only_title_is_the_title(nlp, sentence, pair):
    assert roles(facts(nlp, sentence, "ROLE")) == [pair]


def test_a_rank_before_a_name_with_a_title_is_no_role_of_its_own(nlp):
    found = facts(
        nlp,
        "Senior Gen. Zaw Min Htike, Chairman of the National Defence Council, received them.",
        "ROLE",
    )
    assert roles(found) == [("Zaw Min Htike", "Chairman")], found


def test_a_shorter_restatement_of_a_role_is_not_a_second_role(nlp):
    found = facts(
        nlp,
        "Minister of Industry and Trade Nguyen Van Binh received the delegation in Hanoi. "
        "Minister Binh said the two sides would meet again.",
        "ROLE",
    )
    assert roles(found) == [("Nguyen Van Binh", "Minister of Industry and Trade")], found
