"""Fact rules on more shapes of regional wire news: stacked titles after a statement verb,
meeting frames, funding verbs, numbered mechanisms. Sentences written for these tests, with
invented people; parsed by the real pipeline."""

from __future__ import annotations

import pytest
from fact_helpers import PUBLISHED, facts, texts


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


def participants(found) -> list[list[str]]:
    return [texts(f, "participant") for f in found]


def test_talks_with_a_visiting_guest_name_the_guest(nlp):
    found = facts(
        nlp,
        "Mr Anucha spoke after talks with visiting Cambodian Foreign Minister Keo Ratana at "
        "Government House.",
        "MEETING",
    )
    assert participants(found) == [["Anucha", "Keo Ratana"]], found


@pytest.mark.parametrize(
    ("sentence", "pair"),
    [
        (
            "Minister Aziz also met Coordinating Minister for Food and Agriculture Pak Joko "
            "Wirasena, with whom he reviewed the rice reserve.",
            ["Aziz", "Joko Wirasena"],
        ),
        (
            "Wang also held talks with Vice-Senior General Kyaw Thiha Lin, who said the road "
            "would reopen.",
            ["Wang", "Kyaw Thiha Lin"],
        ),
        (
            "Later, the Lao delegation paid a courtesy call on Deputy Governor Ms. Vanida "
            "Phommachak, who briefed them on the fair.",
            ["Lao delegation", "Vanida Phommachak"],
        ),
    ],
)
def test_a_title_object_is_the_person_named_after_its_title_words(nlp, sentence, pair):
    found = facts(nlp, sentence, "MEETING")
    assert participants(found) == [pair], found


def test_the_two_leaders_are_the_pair_named_together_before(nlp):
    found = facts(
        nlp,
        "President Ramos Horta and Prime Minister Lim Keng Hwee opened the summit, where "
        "Trade Minister Arif Zaini spoke on supply chains. The two leaders met at the Istana "
        "before lunch.",
        "MEETING",
    )
    assert participants(found) == [["Ramos Horta", "Lim Keng Hwee"]], found


def test_a_numbered_meeting_between_two_provinces_is_no_meeting(nlp):
    found = facts(
        nlp,
        "The two provinces co-chaired the 14th annual cooperation meeting between Champasak "
        "and Ubon Ratchathani.",
        "MEETING",
    )
    assert found == []


def test_the_meeting_told_again_is_not_a_second_meeting(nlp):
    found = facts(
        nlp,
        "Tran held talks with Deputy Prime Minister Sok Chenda in Phnom Penh on Monday. "
        "During the meeting with Tran, Sok Chenda said Cambodia would upgrade Route 1.",
        "MEETING",
    )
    assert participants(found) == [["Tran", "Sok Chenda"]], found


def test_the_delegation_received_is_the_one_met_before(nlp):
    found = facts(
        nlp,
        "Governor Vilay met a delegation of the Yunnan provincial government led by Vice "
        "Governor Li Wenjun in Luang Prabang on Monday. Prime Minister Sonesay received the "
        "delegation later that day.",
        "MEETING",
    )
    assert ["Yunnan provincial government", "Li Wenjun", "Sonesay"] in participants(found), found


@pytest.mark.parametrize(
    ("second", "pair"),
    [
        ("The King is scheduled to meet Prime Minister Pham Van Duc on Friday.", "Pham Van Duc"),
        ("The Cambodian leader also met Prime Minister Pham Van Duc.", "Pham Van Duc"),
    ],
)
def test_a_description_of_the_visitor_is_the_visitor(nlp, second, pair):
    found = facts(
        nlp,
        "King Norodom Sirivudh of Cambodia arrived in Hanoi on Tuesday for a state visit. "
        + second,
        "MEETING",
    )
    assert ["Norodom Sirivudh", pair] in participants(found), found


def money_of(fact) -> str | None:
    found = fact.roles("amount")
    return found[0].value.text if found and found[0].value is not None else None


def test_an_amount_set_aside_by_the_government_is_its_funding(nlp):
    found = facts(
        nlp,
        "Santos said the government had set aside PHP 2.8 billion for flood control along "
        "the Pampanga River.",
        "FUNDING",
    )
    assert [(money_of(f), texts(f, "donor")) for f in found] == [
        ("2800000000 PHP", ["government"])
    ], found


def test_money_worth_of_goods_given_with_other_goods_is_funding(nlp):
    found = facts(
        nlp,
        "Japan donated 5,000 tents and P20 million worth of medicine to families displaced "
        "by the typhoon.",
        "FUNDING",
    )
    assert [(money_of(f), texts(f, "donor")) for f in found] == [("20000000 PHP", ["Japan"])]


@pytest.mark.parametrize(
    ("text", "money"),
    [("P15 million", "15000000 PHP"), ("P2.4 billion", "2400000000 PHP"), ("P15", None)],
)
def test_a_p_glued_to_a_scaled_figure_is_the_peso(text, money):
    from desktop.core.facts.values import normalize

    value = normalize("MONEY", text, PUBLISHED)
    assert (value.text if value is not None and value.data.get("currency") else None) == money


def test_a_p_model_name_is_no_money(nlp):
    doc = nlp("The P5 model went on sale in Manila.")
    assert not [e for e in doc.ents if e.label_ == "MONEY"]


def test_a_numbered_commission_named_after_at_is_an_event(nlp):
    found = facts(
        nlp,
        "He said the loan would be signed at the 6th Laos-Thailand Joint Commission on "
        "Trade and Investment Cooperation in Pakse in May.",
        "EVENT",
    )
    names = [texts(f, "name") for f in found]
    assert ["6th Laos-Thailand Joint Commission on Trade and Investment Cooperation"] in names


def test_an_agreement_to_do_something_is_about_that(nlp):
    found = facts(
        nlp,
        "On the sidelines, Perdana Logistik Bhd inked an agreement with Guangzhou Haiyun "
        "Group to build a cold chain hub in Port Klang.",
        "AGREEMENT",
    )
    assert [texts(f, "subject") for f in found] == [["build a cold chain hub in Port Klang"]]
    assert texts(found[0], "party") == ["Perdana Logistik Bhd", "Guangzhou Haiyun Group"]


def test_a_named_expo_told_again_by_its_length_is_one_event(nlp):
    found = facts(
        nlp,
        "The minister opened the 3rd Mekong Organic Food Expo at the Don Chan Palace on "
        "Friday. The four-day expo, organised by the chamber, drew 180 exhibitors.",
        "EVENT",
    )
    assert [texts(f, "name") for f in found] == [["3rd Mekong Organic Food Expo"]], found


def test_an_expo_with_its_length_alone_is_still_an_event(nlp):
    found = facts(nlp, "A four-day expo opens in Vientiane on Friday.", "EVENT")
    assert [texts(f, "name") for f in found] == [["four-day expo"]], found
