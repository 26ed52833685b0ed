"""Entity shapes of the region's news on the real model (invented sentences): organisations by
their heads and tails, places by their tails, a direction before a country, dates written out,
personal names after titles, in a patronymic or with a nickname, southern Chinese names,
short names in brackets and agency credits, and the honorifics read from the one list."""

from __future__ import annotations

import json

import pytest

from desktop.core.nlp.rules import load_rules, written_forms
from desktop.core.resources import resource_path


def ents(pipeline, text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in pipeline.nlp(text).ents}


def labelled(pipeline, text: str, label: str) -> set[str]:
    return {t for t, lab in ents(pipeline, text) if lab == label}


@pytest.mark.parametrize(
    ("text", "org"),
    [
        (
            "Officials of the Lao Ministry of Energy and Mines toured the dam.",
            "Lao Ministry of Energy and Mines",
        ),
        (
            "A letter from the Ministry of Planning and Investment arrived.",
            "Ministry of Planning and Investment",
        ),
        (
            "The Council for the Development of Cambodia approved six projects.",
            "Council for the Development of Cambodia",
        ),
        (
            "The Mekong Rice Research Institute will train 40 experts.",
            "Mekong Rice Research Institute",
        ),
        ("Staff at the Philippine Embassy in Dili handed out forms.", "Philippine Embassy in Dili"),
        (
            "He is Minister at the Prime Minister's Office in the cabinet.",
            "Prime Minister's Office",
        ),
        (
            "The Government of the People's Republic of China will fund it.",
            "Government of the People's Republic of China",
        ),
        ("The Sabah state government signed a lease for the land.", "Sabah state government"),
        (
            "The Dak Lak provincial People's Committee set up a task force.",
            "Dak Lak provincial People's Committee",
        ),
        ("The Savannakhet Party Committee met on Friday.", "Savannakhet Party Committee"),
        (
            "The Joint Commission on River Navigation met in Pakse.",
            "Joint Commission on River Navigation",
        ),
        (
            "Trains run by the State Railway of Thailand will stop there.",
            "State Railway of Thailand",
        ),
        ("Kinabalu Palm Oil Sdn Bhd posted a profit.", "Kinabalu Palm Oil Sdn Bhd"),
        ("Shares of Tanjung Harbour Holdings Bhd rose.", "Tanjung Harbour Holdings Bhd"),
        ("PT Nusa Logam Tbk will build a smelter in Sulawesi.", "PT Nusa Logam Tbk"),
        ("PT Sinar Kapuas Energi signed the supply contract.", "PT Sinar Kapuas Energi"),
        ("Hoa Sen Steel JSC ships coils to Laos.", "Hoa Sen Steel JSC"),
        ("Lanna Rice Co., Ltd will open a mill in Chiang Rai.", "Lanna Rice Co., Ltd"),
        ("Mekong Freight Corporation bought six barges.", "Mekong Freight Corporation"),
        ("Electricité du Cambodge will buy the power.", "Electricité du Cambodge"),
    ],
)
def test_organisations_by_their_heads_and_tails(pipeline, text: str, org: str) -> None:
    assert org in labelled(pipeline, text, "ORG")


def test_two_bodies_joined_by_and_stay_two(pipeline) -> None:
    text = "The Thai Chamber of Commerce and the Cambodia Chamber of Commerce signed a deal."
    orgs = labelled(pipeline, text, "ORG")
    assert {"Thai Chamber of Commerce", "Cambodia Chamber of Commerce"} <= orgs
    text = "The State Railway of Thailand and Mekong Freight Corporation agreed."
    assert {"State Railway of Thailand", "Mekong Freight Corporation"} <= labelled(
        pipeline, text, "ORG"
    )


def test_a_nationality_before_government_stays_a_nationality(pipeline) -> None:
    found = ents(pipeline, "The Philippine government said the loan was approved.")
    assert ("Philippine", "NORP") in found
    assert not any(label == "ORG" and "government" in t for t, label in found)


def test_a_body_stops_before_a_title_and_the_person_after_it(pipeline) -> None:
    text = "Department of Agriculture Secretary Ramon Cortez visited the farm."
    found = ents(pipeline, text)
    assert ("Department of Agriculture", "ORG") in found
    assert ("Ramon Cortez", "PERSON") in found


@pytest.mark.parametrize(
    ("text", "place", "label"),
    [
        ("Floods hit Luang Namtha province last week.", "Luang Namtha province", "GPE"),
        (
            "Farmers in Svay Rieng and Prey Veng provinces planted early.",
            "Prey Veng provinces",
            "GPE",
        ),
        ("The market in Aranyaprathet district reopened.", "Aranyaprathet district", "GPE"),
        ("Traders in Dong Ha city welcomed it.", "Dong Ha city", "GPE"),
        ("Fighting in northern Kachin state stopped.", "Kachin state", "GPE"),
        ("The road links central Laos and northeast Thailand.", "central Laos", "LOC"),
        ("The road links central Laos and northeast Thailand.", "northeast Thailand", "LOC"),
        ("Trucks queued at the Moc Bai border gate.", "Moc Bai border gate", "FAC"),
        ("Trucks queued at the Nam Can border post.", "Nam Can border post", "FAC"),
        ("The Bavet land port reopened.", "Bavet land port", "FAC"),
    ],
)
def test_places_by_their_tails_and_directions(pipeline, text: str, place: str, label: str) -> None:
    assert place in labelled(pipeline, text, label)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("The talks were held on 27 March 2026 in Hue.", "27 March 2026"),
        ("The port opened on 22 Apr 2026 after delays.", "22 Apr 2026"),
        ("Bids close on Mar 25, 2026, the agency said.", "Mar 25, 2026"),
        ("The ferry resumes on Aug 5 after repairs.", "Aug 5"),
        ("It was signed on 3 Jun 2025 in Poipet.", "3 Jun 2025"),
        ("KUCHING, Saturday, 26th April 2025 – The fair closed.", "Saturday, 26th April 2025"),
        ("Published: 21/08/2025 14:05", "21/08/2025"),
        ("Laos is the guest country of this year's fair in Kunming.", "this year"),
        ("Earlier in the day, Somsak received the envoy at his office.", "Earlier in the day"),
        ("On the same day, the two sides opened a market.", "the same day"),
    ],
)
def test_dates_written_out(pipeline, text: str, date: str) -> None:
    assert date in labelled(pipeline, text, "DATE")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Lao Minister of Industry and Commerce Khampheng Saysomphone met the traders.",
            "Khampheng Saysomphone",
        ),
        (
            "Vietnamese Minister of Agriculture and Rural Development Lê Văn Hoàn spoke.",
            "Lê Văn Hoàn",
        ),
        ("Chairman Hồ Chí Minh opened the session.", "Hồ Chí Minh"),
        ("Thai Minister of Transport Anucha Srisawat cut the ribbon.", "Anucha Srisawat"),
        (
            "Cambodian Deputy Prime Minister H.E. Sun Chanvuth signed for Phnom Penh.",
            "Sun Chanvuth",
        ),
        (
            "Coordinating Minister for Maritime Affairs Jenderal (Purn) Luhut Wiryanto spoke.",
            "Luhut Wiryanto",
        ),
        ("Home Minister Datuk Seri Saiful Anuar Ismail met them.", "Saiful Anuar Ismail"),
        (
            "Minister of Petroleum and Mineral Resources Francisco da Silva Amaral came.",
            "Francisco da Silva Amaral",
        ),
        (
            "Minister for Digital Development and Society Grace Teo Mei Lan spoke.",
            "Grace Teo Mei Lan",
        ),
        (
            "Managing Director Dayang Hajah Noraini binti Haji Yusof said so.",
            "Noraini binti Haji Yusof",
        ),
        ('Senator Maria "Mae" Dela Cruz asked for the figures.', 'Maria "Mae" Dela Cruz'),
        ("Ambassador Ma. Teresa Lopez-Garcia received them.", "Ma. Teresa Lopez-Garcia"),
        ("Minister for Transport Ho Kah Wei and Ms Chua Li Hui toured it.", "Ho Kah Wei"),
        ("Minister for Transport Ho Kah Wei and Ms Chua Li Hui toured it.", "Chua Li Hui"),
        ("Deputy Prime Minister Koh Boon Seng arrived on Monday.", "Koh Boon Seng"),
        ("The envoy called on President Rajan Kumar Menon at the Istana.", "Rajan Kumar Menon"),
        ("Senior Gen. Than Aung Kyaw, Chairman of the council, met them.", "Than Aung Kyaw"),
    ],
)
def test_personal_names_of_the_region(pipeline, text: str, name: str) -> None:
    persons = labelled(pipeline, text, "PERSON")
    assert name in persons, persons


def test_a_portfolio_word_after_and_is_no_name(pipeline) -> None:
    text = "Thai Minister of Digital Economy and Society Somsak Rattana spoke."
    assert "Somsak Rattana" in labelled(pipeline, text, "PERSON")
    assert not any("Society" in p for p in labelled(pipeline, text, "PERSON"))


def test_no_person_from_a_title_in_a_headline_or_before_a_body(pipeline) -> None:
    doc = pipeline.nlp("Minister Visits New Rice Mill In Pakse\n")  # the model's guesses aside
    assert not [e for e in doc.ents if e.label_ == "PERSON" and e.id_.startswith("entity_lex")]
    text = (
        "The Guangxi Party Committee Secretary and the Party Committee Secretaries of Lang Son met."
    )
    assert not labelled(pipeline, text, "PERSON")
    doc = pipeline.nlp("Chairman Hồ Chí Minh Memorial Fund trustees met.")
    assert not [e for e in doc.ents if e.label_ == "PERSON" and e.id_.startswith("entity_lex")]


def test_a_body_is_cut_before_the_person_the_model_found_after_it(pipeline) -> None:
    text = "Deputy head of the General Administration of Customs of China Lu Xiaoming attended."
    found = ents(pipeline, text)
    assert ("Lu Xiaoming", "PERSON") in found
    assert not any(label == "ORG" and "Lu" in t for t, label in found)


def test_short_names_in_brackets_name_the_same_thing_later(pipeline) -> None:
    text = (
        "The Halal Certification Agency (HALCA) and Viettel Cambodia Co., Ltd (Metfone) met.\n\n"
        "HALCA will audit the plants, and Metfone will pay for the audit."
    )
    found = ents(pipeline, text)
    assert {("Halal Certification Agency", "ORG"), ("Viettel Cambodia Co., Ltd", "ORG")} <= found
    spans = [(e.text, e.label_) for e in pipeline.nlp(text).ents]
    assert spans.count(("HALCA", "ORG")) == 2
    assert spans.count(("Metfone", "ORG")) == 2


def test_the_short_name_of_a_numbered_meeting_names_the_body(pipeline) -> None:
    text = "The 9th Joint Council for Border Trade (JCBT) opened.\n\nThe JCBT meets each year."
    found = ents(pipeline, text)
    assert ("9th Joint Council for Border Trade", "EVENT") in found
    assert ("JCBT", "ORG") in found


def test_agency_credits_are_organisations(pipeline) -> None:
    text = (
        "VIENTIANE, May 4 (Lao Wire) – The bridge opened.\n\n"
        "The two ministers at the opening. Photo: Mekong Herald\n\n"
        "Traffic will double. (Photo from KPL)\n"
    )
    orgs = labelled(pipeline, text, "ORG")
    assert {"Lao Wire", "Mekong Herald", "KPL"} <= orgs
    assert "Vientiane" not in labelled(pipeline, "PHNOM PENH (AKP) – Rice exports rose.", "ORG")


def test_a_place_before_an_agency_gives_the_agency_no_place_label(pipeline) -> None:
    found = ents(pipeline, "Phnom Penh (AKP) – Rice exports rose.\n")
    assert ("AKP", "ORG") in found
    assert ("AKP", "GPE") not in found


def test_one_honorific_list_for_facts_and_entities() -> None:
    """The entity rules read the fact rules' list: every honorific is trimmed there too."""
    raw = json.loads(resource_path("facts", "honorifics.json").read_text(encoding="utf-8"))
    rules = load_rules()
    assert rules.honorifics == tuple(raw["honorifics"])
    assert "honorifics" not in (rules.entity_lexicons or {})
    assert "honorifics" not in rules.person_names
    assert {"Dr", "Dr.", "Dato", "Dato'", "Dato’"} <= rules.single_honorifics
    assert written_forms("Dato' Sri") == ["Dato' Sri", "Dato’ Sri", "Dato Sri"]


@pytest.mark.parametrize(
    "honorific", ["Puan Sri", "YB", "Khunying", "Neak Oknha", "Engr.", "Atty."]
)
def test_honorifics_only_in_the_fact_list_before_now_leave_names_too(pipeline, honorific) -> None:
    text = f"{honorific} Ratana Chaiwong opened the trade fair in Udon Thani."
    assert "Ratana Chaiwong" in labelled(pipeline, text, "PERSON")


def test_platforms_are_organisations(pipeline) -> None:
    assert "Facebook" in labelled(pipeline, "In a Facebook post, the minister thanked them.", "ORG")


def test_a_comma_ends_a_body_the_model_ran_on(pipeline) -> None:
    text = "A memorandum with the Ministry of Finance and Economy, Singapore, was signed."
    found = ents(pipeline, text)  # the model alone reads one ORG up to "Singapore"
    assert {("Ministry of Finance and Economy", "ORG"), ("Singapore", "GPE")} <= found


def test_a_hyphenated_surname_alone_is_the_person_named_before(pipeline) -> None:
    text = "Ambassador Ma. Teresa Bautista-Lim received them.\n\n"
    text += "The grants will help 40 engineers, Bautista-Lim said."
    spans = [(e.text, e.label_) for e in pipeline.nlp(text).ents]
    assert ("Ma. Teresa Bautista-Lim", "PERSON") in spans
    assert ("Bautista-Lim", "PERSON") in spans  # the model alone reads an ORG here
    assert ("Bautista-Lim", "ORG") not in spans
