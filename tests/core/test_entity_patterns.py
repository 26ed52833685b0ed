"""Amounts, shares, events, facilities, zones and nationality words of the region's news, read by
the shape patterns (resources/rules/entity_shapes.json) with the model and with rules only."""

import pytest

from desktop.core.nlp.rules import SHAPES_ID, load_rules

BOTH = ["pipeline", "rules_pipeline"]


@pytest.fixture(params=BOTH)
def nlp(request):
    return request.getfixturevalue(request.param).nlp


def ents(nlp, text):
    return {(e.text, e.label_) for e in nlp(text).ents}


def labelled(nlp, text, label):
    return {e.text for e in nlp(text).ents if e.label_ == label}


MONEY_SENTENCES = [
    ("The ministry set aside RM7.8bil for rural clinics next year.", "RM7.8bil"),
    ("Exports of palm products reached RM 4.6 billion in March.", "RM 4.6 billion"),
    ("The state fund approved RM2.4 bil in soft loans.", "RM2.4 bil"),
    ("A further RM85mln went to flood relief.", "RM85mln"),
    ("Bangkok pledged 640 million baht for the border school.", "640 million baht"),
    ("The road will cost about 2.5 trillion kip over five years.", "about 2.5 trillion kip"),
    ("Phnom Penh raised 950 billion riel from the bond sale.", "950 billion riel"),
    ("The loan is worth 73 billion KHR in total.", "73 billion KHR"),
    ("Jakarta spent Rp 7.2 trillion on the toll road.", "Rp 7.2 trillion"),
    ("The mine drew Rp41 billion in new capital.", "Rp41 billion"),
    ("Farmers received 3,000 billion rupiah in credit.", "3,000 billion rupiah"),
    ("Manila released PHP 480 million for the irrigation works.", "PHP 480 million"),
    ("Each family got ₱ 12,000 in cash aid.", "₱ 12,000"),
    ("The port deal is valued at S$3.1 billion.", "S$3.1 billion"),
    ("Brunei invested B$760 million in the refinery.", "B$760 million"),
    ("The dam will need 18 trillion dong in public money.", "18 trillion dong"),
    ("Shipments rose to 6.4 billion USD last year.", "6.4 billion USD"),
    ("Beijing offered grant aid of USD 45 million for water supply.", "USD 45 million"),
    ("The park drew 310 million yuan from investors.", "310 million yuan"),
    ("Fees were cut to RMB 150 per tonne.", "RMB 150"),
    (
        "The agency approved US$2.2 billion to 2.6 billion in loans.",
        "US$2.2 billion to 2.6 billion",
    ),
    ("More than US$90 million was pledged at the meeting.", "More than US$90 million"),
]


@pytest.mark.parametrize(("text", "amount"), MONEY_SENTENCES)
def test_amounts_in_the_regions_currencies_are_money(nlp, text, amount):
    assert amount in labelled(nlp, text, "MONEY")


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("Trade grew 14.5 per cent in the first half.", "14.5 per cent"),
        ("Rice exports fell 6 percent on the year.", "6 percent"),
        ("The jobless rate eased to 3.1 pct in May.", "3.1 pct"),
        ("Arrivals rose 27% over the holiday.", "27%"),
        ("The deficit narrowed by 1.5 percentage points.", "1.5 percentage points"),
        ("Nearly 40 per cent of the goods went by rail.", "Nearly 40 per cent"),
    ],
)
def test_percent_words_make_a_percent(nlp, text, share):
    assert share in labelled(nlp, text, "PERCENT")
    assert share not in labelled(nlp, text, "MONEY")


def test_a_share_inside_a_longer_phrase_is_the_share_alone(nlp):
    text = "Surveyors still have to mark the remaining 23% of the frontier."
    assert "23%" in labelled(nlp, text, "PERCENT")


@pytest.mark.parametrize(
    ("text", "event"),
    [
        (
            "Leaders opened the 14th Mekong-Lancang Trade Fair in Kunming.",
            "14th Mekong-Lancang Trade Fair",
        ),
        (
            "Two ministers co-chaired the 9th Joint Commission on Fisheries in Muara.",
            "9th Joint Commission on Fisheries",
        ),
        ("Delegates met for the 31st JCM in Kota Kinabalu.", "31st JCM"),
        ("He attended the ASEAN-Korea Summit in Vientiane.", "ASEAN-Korea Summit"),
        (
            "The Thailand-Laos Business Forum 2026 drew 400 firms.",
            "Thailand-Laos Business Forum 2026",
        ),
        (
            "Officials prepared the Cambodia-Thailand Joint Border Committee meeting for June.",
            "Cambodia-Thailand Joint Border Committee meeting",
        ),
        (
            "They reviewed the 5th meeting of the Myanmar-China Trade Committee in Yangon.",
            "5th meeting of the Myanmar-China Trade Committee",
        ),
        ("Both sides hailed the outcome of the Leaders' Retreat in Melaka.", "Leaders' Retreat"),
        (
            "Exhibitors from 20 countries joined the Asia Coffee and Tea Expo this week.",
            "Asia Coffee and Tea Expo",
        ),
    ],
)
def test_numbered_and_named_events(nlp, text, event):
    assert event in labelled(nlp, text, "EVENT")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Cargo volumes at Sihanoukville port doubled.", "Sihanoukville port"),
        (
            "Workers finished the Thakhek-Nakhon Phanom railway ahead of time.",
            "Thakhek-Nakhon Phanom railway",
        ),
        ("The convoy left from Moc Bai border gate at dawn.", "Moc Bai border gate"),
        ("Traders crowded Mae Sot market on Sunday.", "Mae Sot market"),
        ("The summit dinner was held at Ba Dinh Hall.", "Ba Dinh Hall"),
        ("The minister flew into Wattay International Airport.", "Wattay International Airport"),
        ("Trucks queued on National Road No. 13 for hours.", "National Road No. 13"),
        ("The prime minister received the envoy at Seri Perdana.", "Seri Perdana"),
        ("Engineers inspected the Nam Theun deep-sea port plan.", "Nam Theun deep-sea port"),
    ],
)
def test_facilities_with_capitalised_names(nlp, text, place):
    assert place in labelled(nlp, text, "FAC")


def test_two_facilities_joined_by_and_stay_two(nlp):
    text = "Wreaths were laid at the Victory Monument and the Unity Monument."
    assert {"Victory Monument", "Unity Monument"} <= labelled(nlp, text, "FAC")


def test_a_body_named_after_a_facility_is_no_facility(nlp):
    text = "The Kuantan Port Authority approved the new berth."
    assert not any("Kuantan Port" in t for t in labelled(nlp, text, "FAC"))


def test_a_nationality_before_a_facility_word_stays_a_nationality(nlp):
    text = "The Thai port handled more rubber than last year."
    found = ents(nlp, text)
    assert ("Thai", "NORP") in found
    assert not any(label == "FAC" for _, label in found)


def test_economic_zones_are_locations(nlp):
    text = "Firms moved into the Savan-Seno Special Economic Zone last year."
    assert "Savan-Seno Special Economic Zone" in labelled(nlp, text, "LOC")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Lao officials welcomed the plan.", "Lao"),
        ("Some 500 Filipinos work at the plant.", "Filipinos"),
        ("Timorese students will study in Manila.", "Timorese"),
    ],
)
def test_nationality_words_are_norp(nlp, text, word):
    assert word in labelled(nlp, text, "NORP")


def test_place_names_holding_a_nationality_word_stay_places(nlp):
    found = ents(nlp, "Trade between Lao Cai and the Lao PDR grew.")
    assert ("Lao Cai", "GPE") in found and ("Lao PDR", "GPE") in found


def test_numbers_without_a_currency_are_no_money(nlp):
    text = "The plant will employ 2,400 workers and 3.5 million tonnes will pass the gate."
    assert labelled(nlp, text, "MONEY") == set()


def test_shape_rules_carry_their_rule_set_id(rules_pipeline):
    doc = rules_pipeline.nlp("The fund gave RM3.3bil to 12 ports.")
    money = [e for e in doc.ents if e.label_ == "MONEY"]
    assert [e.text for e in money] == ["RM3.3bil"]
    assert money[0].id_.startswith(SHAPES_ID + ":money")


def test_every_shape_label_has_patterns():
    labels = {p["label"] for p in load_rules().entity_patterns if p["id"].startswith(SHAPES_ID)}
    assert {"MONEY", "PERCENT", "EVENT", "FAC", "LOC", "NORP"} <= labels
