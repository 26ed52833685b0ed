"""STATEMENT speakers in shapes of regional wire news: a relative clause that names its
speaker, and a pronoun read by the forms of address of the people before it. Sentences
written for these tests, with invented people; parsed by the real pipeline."""

from __future__ import annotations

import pytest
from fact_helpers import facts, texts


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Wang held talks with Lieutenant General Soe Thiha, who said the border would "
            "reopen next month.",
            "Soe Thiha",
        ),
        (
            "The delegation toured the Dawei zone, where Daw Thida Win, head of the zone "
            "committee, said 40 firms had signed leases.",
            "Thida Win",
        ),
    ],
)
def test_a_relative_clause_that_names_its_speaker_is_a_statement(nlp, text, speaker):
    found = facts(nlp, text, "STATEMENT")
    assert [speaker] in [texts(f, "speaker") for f in found], found


def test_a_relative_clause_with_a_pronoun_is_still_no_statement(nlp):
    text = "The bridge, which he said is very important, opens in May."
    assert facts(nlp, text, "STATEMENT") == []


@pytest.mark.parametrize(
    ("second", "speaker"),
    [
        ("She said the loan would be signed in May.", "Ma. Luisa Fernandez"),
        ("He said the loan would be signed in May.", "Chen"),
    ],
)
def test_a_pronoun_takes_the_person_whose_form_of_address_fits(nlp, second, speaker):
    found = facts(
        nlp,
        "Chen later called on Budget Secretary Ma. Luisa Fernandez at her office. " + second,
        "STATEMENT",
    )
    assert [texts(f, "speaker") for f in found] == [[speaker]], found
