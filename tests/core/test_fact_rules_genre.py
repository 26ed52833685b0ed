"""Fact rules on more shapes of regional wire news: stacked titles after a statement verb,
meeting frames, funding verbs, numbered mechanisms. Sentences written for these tests, with
invented people; parsed by the real pipeline."""

from __future__ import annotations

import pytest

from desktop.core.facts.extract import extract_facts

PUBLISHED = "2026-04-10"


@pytest.fixture(scope="module")
def nlp():
    from desktop.core.nlp.pipeline import load_pipeline

    return load_pipeline(exclude=()).nlp


def facts(nlp, text: str, kind: str) -> list:
    return [f for f in extract_facts(nlp(text), PUBLISHED) if f.type == kind]


def texts(fact, role: str) -> list[str]:
    return [a.text for a in fact.roles(role)]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "The new crossing will open in June, said Deputy Prime Minister and Interior "
            "Minister Somsak Chaiyaporn.",
            "Somsak Chaiyaporn",
        ),
        (
            "Deputy Prime Minister and Minister of Industry Trần Quốc Vinh told reporters that "
            "the plant would be finished next year.",
            "Trần Quốc Vinh",
        ),
    ],
)
def test_stacked_titles_before_a_speaker_are_not_speakers(nlp, sentence, speaker):
    found = facts(nlp, sentence, "STATEMENT")
    assert [texts(f, "speaker") for f in found] == [[speaker]], found


def test_a_title_alone_is_still_a_speaker(nlp):
    found = facts(nlp, "The minister said the border would reopen on Monday.", "STATEMENT")
    assert [texts(f, "speaker") for f in found] == [["minister"]], found
