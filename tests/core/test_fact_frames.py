"""The predicate frames of resources/facts/frames.json and the rules built on them, on
sentences written for these tests (invented people, firms and events), parsed by the real
pipeline; and the zone filter that extraction and the bench share."""

from __future__ import annotations

import json

import pytest
from fact_helpers import PUBLISHED, facts, texts

from desktop.core.facts.extract import extract_facts
from desktop.core.facts.frames import frame_specs
from desktop.core.ingest.zones import detect_zones
from desktop.core.nlp.extract import NO_ARGUMENT_ZONES, RESTATING_ZONES, zone_filtered
from desktop.core.resources import resource_path


def participant_sets(found) -> list[set[str]]:
    return [set(texts(f, "participant")) for f in found]


def test_every_frame_loads_with_a_trigger_and_known_lexicon_lists():
    raw = json.loads(resource_path("facts", "frames.json").read_text(encoding="utf-8"))
    specs = frame_specs()
    assert len(specs) == sum(len(v) for v in raw["frames"].values())
    for frame, pattern in specs:
        assert "trigger" in frame.nodes, frame.name
        assert all(isinstance(n["RIGHT_ATTRS"], dict) for n in pattern)
        assert "@" not in json.dumps(pattern), frame.name  # every list reference resolved


# --- MEETING ------------------------------------------------------------------------------


def test_the_two_leaders_are_the_participants_of_the_meeting_just_told(nlp):
    text = (
        "Lao Prime Minister Khamsing Vorachit received Thai Prime Minister Anurak Boonmee "
        "in Vientiane on Monday. The two leaders met again at the Presidential Palace on "
        "Tuesday and reviewed the railway project."
    )
    found = facts(nlp, text, "MEETING")
    again = [f for f in found if "Presidential Palace" in texts(f, "place")]
    assert again, found
    assert {"Khamsing Vorachit", "Anurak Boonmee"} <= set(texts(again[0], "participant"))


def test_during_the_meeting_with_a_b_said_is_a_meeting_of_a_and_b(nlp):
    text = (
        "During the meeting with Malaysian Trade Minister Rosli Hamdan, Vietnamese Deputy "
        "Minister Trịnh Văn Phúc said both sides would open a halal testing centre."
    )
    assert {"Rosli Hamdan", "Trịnh Văn Phúc"} in participant_sets(facts(nlp, text, "MEETING"))


def test_meetings_with_two_companies_are_the_visitor_meeting_each(nlp):
    text = (
        "Minister Lim Wei Kang also held meetings with Sembawang Ocean Energy and "
        "Kerapu Digital Holdings in Jakarta."
    )
    found = participant_sets(facts(nlp, text, "MEETING"))
    assert {"Lim Wei Kang", "Sembawang Ocean Energy"} in found, found
    assert {"Lim Wei Kang", "Kerapu Digital Holdings"} in found, found
    assert {"Sembawang Ocean Energy", "Kerapu Digital Holdings"} not in found


def test_met_separately_gives_one_meeting_per_person(nlp):
    text = (
        "Vice President Maria Soledad Ocampo arrived in Phnom Penh on Monday. "
        "She met with Tep Sokha and Chea Vanny separately."
    )
    found = participant_sets(facts(nlp, text, "MEETING"))
    assert {"Maria Soledad Ocampo", "Tep Sokha"} in found, found
    assert {"Maria Soledad Ocampo", "Chea Vanny"} in found, found


def test_a_courtesy_call_received_from_a_delegation_led_by_someone(nlp):
    text = (
        "Minister of Energy Pengiran Hamzah received a courtesy call from a delegation "
        "of the Yunnan Power Grid Company led by its vice president, Gao Minghui, at the "
        "ministry yesterday."
    )
    found = participant_sets(facts(nlp, text, "MEETING"))
    assert any({"Pengiran Hamzah", "Gao Minghui"} <= s for s in found), found


def test_co_hosting_a_meeting_is_a_meeting_of_the_hosts(nlp):
    text = (
        "Thai Foreign Minister Anan Sukwong and his Lao counterpart Kham Vongsa co-hosted "
        "a meeting of the joint border commission in Luang Prabang."
    )
    found = participant_sets(facts(nlp, text, "MEETING"))
    assert any({"Anan Sukwong", "Kham Vongsa"} <= s for s in found), found


def test_the_myanmar_minister_is_the_myanmar_holder_of_the_title_however_far_back(nlp):
    text = (
        "Thai Labour Minister Prasit Chanta and Myanmar's Minister for Labour U Zaw Lin Aung "
        "agreed to cut recruitment fees. Both countries will open new service centres. "
        "Employers welcomed the plan. Unions asked for more inspections. Workers queued "
        "at the centres. The Myanmar minister also met with representatives of the "
        "Federation of Thai Industries."
    )
    found = participant_sets(facts(nlp, text, "MEETING"))
    assert any({"Zaw Lin Aung", "Federation of Thai Industries"} <= s for s in found), found
    assert not any("Prasit Chanta" in s for s in found), found


def test_a_record_of_discussion_is_a_document_not_a_meeting(nlp):
    text = (
        "Minister Sok Dara held talks with Minister Bui Van Nam in Hanoi. The two sides "
        "inked a record of discussion on social security."
    )
    found = facts(nlp, text, "MEETING")
    assert len(found) == 1, found


@pytest.mark.parametrize(
    "text",
    [
        "He said Myanmar welcomed Chinese investment in the Dawei Special Economic Zone.",
        '"We are family," Prime Minister Rahmat Idris said at a dinner hosted by the Sultan.',
        "Cambodia received 2.1 million foreign visitors from Thailand and Vietnam last year.",
        "Prime Minister Hun Manet received Ambassador Wang Lei's letter of credence on Monday.",
    ],
)
def test_no_meeting_where_nobody_met(nlp, text):
    assert facts(nlp, text, "MEETING") == []


# --- AGREEMENT ----------------------------------------------------------------------------


def test_signers_named_with_their_titles_are_the_people_not_their_ministries(nlp):
    text = (
        "The protocol was signed in Bangkok by Thai Minister of Agriculture Somsak "
        "Pattana and Chinese Vice Minister of Customs Liang Wenhao."
    )
    (fact,) = facts(nlp, text, "AGREEMENT")
    parties = texts(fact, "party")
    assert "Somsak Pattana" in parties and "Liang Wenhao" in parties, parties
    assert not any(p in {"Thai", "Chinese", "Customs"} for p in parties)


def test_the_agreement_signed_by_right_after_is_the_same_agreement(nlp):
    text = (
        "Laos and Cambodia have signed an agreement on cross-border power trade. "
        "The agreement was signed in Pakse by Lao Minister Phouvong Sengdara and "
        "Cambodian Minister Keo Ratana."
    )
    found = facts(nlp, text, "AGREEMENT")
    assert len(found) == 1, found
    parties = set(texts(found[0], "party"))
    assert {"Phouvong Sengdara", "Keo Ratana"} <= parties, parties
    assert texts(found[0], "subject") == ["cross-border power trade"]


def test_between_hung_deep_in_the_phrase_gives_the_parties_and_ends_the_subject(nlp):
    text = (
        "The ministers witnessed the signing of a memorandum of understanding on cooperation "
        "in fisheries research between the Brunei Fisheries Department and the Sabah "
        "Marine Institute."
    )
    (fact,) = facts(nlp, text, "AGREEMENT")
    subject = " ".join(texts(fact, "subject"))
    assert "between" not in subject and "fisheries research" in subject, subject
    assert any("Sabah Marine Institute" in p for p in texts(fact, "party")), fact


def test_between_under_the_signing_noun_names_the_parties(nlp):
    text = (
        "He witnessed the signing of cooperation documents on ports, power and tourism "
        "between Myanmar and Bangladesh."
    )
    (fact,) = facts(nlp, text, "AGREEMENT")
    assert {"Myanmar", "Bangladesh"} <= set(texts(fact, "party")), fact
    assert texts(fact, "subject") == ["ports, power and tourism"]


def test_a_renewed_memorandum_is_an_agreement(nlp):
    text = "Indonesia and Malaysia on Friday renewed a memorandum of understanding on palm oil."
    (fact,) = facts(nlp, text, "AGREEMENT")
    assert texts(fact, "subject") == ["palm oil"]
    assert {"Indonesia", "Malaysia"} <= set(texts(fact, "party"))


# --- FUNDING ------------------------------------------------------------------------------


def test_grant_aid_worth_an_amount_with_a_pronoun_donor(nlp):
    text = (
        "Korean Vice Minister Park Jun-seo met Lao officials in Vientiane, where he "
        "announced grant aid worth USD 45 million for rural clinics."
    )
    (fact,) = facts(nlp, text, "FUNDING")
    assert texts(fact, "amount") == ["USD 45 million"]
    assert texts(fact, "donor") == ["Park Jun-seo"]
    assert texts(fact, "purpose") == ["rural clinics"]


def test_provide_a_country_with_aid_of_an_amount(nlp):
    text = "Vietnam will provide Cambodia with non-refundable aid of 300 billion dong for schools."
    (fact,) = facts(nlp, text, "FUNDING")
    assert texts(fact, "recipient") == ["Cambodia"] and texts(fact, "donor") == ["Vietnam"]
    assert fact.roles("amount")[0].value.data["currency"] == "VND"


def test_fund_a_project_through_a_grant(nlp):
    text = (
        "The Government of Japan will fund the construction of a water plant in Kampot "
        "through a grant of US$12 million."
    )
    (fact,) = facts(nlp, text, "FUNDING")
    assert texts(fact, "amount") == ["US$12 million"]
    assert "construction of a water plant" in " ".join(texts(fact, "purpose"))


def test_a_currency_glued_to_its_figure_stays_in_the_amount(nlp):
    text = "Indonesia would provide a grant of Rp75 billion for the training of nurses."
    (fact,) = facts(nlp, text, "FUNDING")
    assert texts(fact, "amount") == ["Rp75 billion"] and texts(fact, "donor") == ["Indonesia"]


@pytest.mark.parametrize(
    "text",
    [
        "The Lao side will spend 60 billion kip on an access road to the bridge.",
        "Officials said Thai companies had committed 9 billion baht in new investments.",
    ],
)
def test_spending_or_investing_ones_own_money_is_no_funding(nlp, text):
    assert facts(nlp, text, "FUNDING") == []


# --- EVENT --------------------------------------------------------------------------------


def test_co_chairing_a_numbered_committee_is_an_event_with_place_and_date(nlp):
    text = (
        "Foreign ministers Dara Keo and Somchai Inthara co-chaired the 14th Joint "
        "Commission on Bilateral Cooperation in Siem Reap on 3 May 2024."
    )
    names = {t for f in facts(nlp, text, "EVENT") for t in texts(f, "name")}
    assert any("14th Joint Commission" in n for n in names), names


def test_each_coordinated_event_that_opened_is_its_own_event(nlp):
    text = "The 5th Mekong Trade Expo and the Mekong Investment Summit opened on Friday in Kunming."
    names = {t for f in facts(nlp, text, "EVENT") for t in texts(f, "name")}
    assert any("Mekong Trade Expo" in n for n in names), names
    assert any("Mekong Investment Summit" in n for n in names), names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "The delegation will also tour Pakse and Champasak during the four-day trip.",
            "four-day trip",
        ),
        (
            "The visit by Nguyen Thanh Long, the first since 2019, runs from May 3 to 6.",
            "visit by Nguyen Thanh Long",
        ),
    ],
)
def test_a_visit_told_by_its_length_or_visitor_is_an_event(nlp, text, name):
    names = {t for f in facts(nlp, text, "EVENT") for t in texts(f, "name")}
    assert name in names, names


# --- zones --------------------------------------------------------------------------------


ARTICLE = (
    "Brunei, Malaysia sign border deal\n\n"
    "BANDAR SERI BEGAWAN, 12 August 2025 - Brunei and Malaysia signed an agreement on the "
    "final demarcation of their land border on Monday.\n"
)


def zone_spans(text: str, kinds: tuple[str, ...]) -> list[tuple[int, int]]:
    return [(z.start, z.end) for z in detect_zones(text) if z.kind in kinds]


def test_no_argument_comes_from_a_dateline_and_no_headline_restates_the_body(nlp):
    found = extract_facts(nlp(ARTICLE), PUBLISHED)
    datelines = zone_spans(ARTICLE, NO_ARGUMENT_ZONES)
    headlines = zone_spans(ARTICLE, RESTATING_ZONES)
    assert datelines and headlines
    kept, dropped = zone_filtered(found, [], datelines, headlines)
    assert dropped == 0
    for fact in kept:
        assert all(not (s < a.end and a.start < e) for a in fact.arguments for s, e in datelines)
        assert not any(s <= fact.evidence_start < e for s, e in headlines), fact
    agreements = [f for f in kept if f.type == "AGREEMENT"]
    assert agreements and "final demarcation of their land border" in " ".join(
        texts(agreements[0], "subject")
    )


# --- STATISTIC ----------------------------------------------------------------------------


def test_a_large_count_told_again_is_no_new_statistic(nlp):
    text = (
        "More than 300 Thai firms joined the fair. The 300 firms signed contracts with "
        "local buyers."
    )
    found = facts(nlp, text, "STATISTIC")
    assert len(found) == 1 and found[0].evidence_start == 0, found


def test_a_grant_and_its_conversion_are_funding_not_statistics(nlp):
    text = (
        "China will provide a grant of 150 million yuan (about 21 million USD) to the Lao "
        "government for building rural clinics."
    )
    found = extract_facts(nlp(text), PUBLISHED)
    assert [f for f in found if f.type == "FUNDING"]
    assert [f for f in found if f.type == "STATISTIC"] == [], found


def test_a_quantity_of_something_is_a_statistic_of_it(nlp):
    text = "Cambodia exported some 2.4 million metric tons of milled rice to Europe last year."
    found = facts(nlp, text, "STATISTIC")
    assert any(
        "milled rice" in " ".join(texts(f, "measure"))
        and texts(f, "value") == ["some 2.4 million metric tons"]
        for f in found
    ), found


def test_raising_a_measure_to_a_target_measures_the_object(nlp):
    text = "The two ministers agreed to raise bilateral trade to US$8 billion by 2028."
    found = facts(nlp, text, "STATISTIC")
    assert any(
        texts(f, "measure") == ["bilateral trade"] and texts(f, "value") == ["US$8 billion"]
        for f in found
    ), found


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "The leaders agreed to lift bilateral trade, which was only 90 million USD in 2024.",
            "90 million USD",
        ),
        ("Some 3,400 Cambodians work in Brunei, the embassy said.", "Some 3,400"),
    ],
)
def test_a_copula_value_and_a_count_of_people_by_nationality(nlp, text, value):
    values = {t for f in facts(nlp, text, "STATISTIC") for t in texts(f, "value")}
    assert value in values, values
