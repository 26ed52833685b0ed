"""Entity shapes for places and facilities of the region on the real model (sentences
written for these tests): seas, rivers, lakes and mountains by their heads, corridors and
industrial zones, buildings and canals, administrative regions and cities by their tails,
the peso glued to a scaled figure, numbered joint commissions on a long subject."""

from __future__ import annotations

import pytest


def labelled(pipeline, text: str, label: str) -> set[str]:
    return {e.text for e in pipeline.nlp(text).ents if e.label_ == label}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Patrol boats left for the Anambas Sea on Monday.", "Anambas Sea"),
        ("The trail crosses the Cardamom mountains twice.", "Cardamom mountains"),
        ("Villages along the Sekong River were flooded.", "Sekong River"),
        ("Ferries cross the Johor Strait every hour.", "Johor Strait"),
        (
            "Investors eyed the Kunming-Vientiane Economic Corridor.",
            "Kunming-Vientiane Economic Corridor",
        ),
        ("Firms moved to the Bintan-Karimun industrial zones.", "Bintan-Karimun industrial zones"),
    ],
)
def test_landforms_corridors_and_zones_are_locations(pipeline, text, place):
    assert place in labelled(pipeline, text, "LOC")


def test_a_commission_named_after_a_river_stays_an_organisation(pipeline):
    text = "The Mekong River Commission met in Vientiane."
    assert "Mekong River Commission" in labelled(pipeline, text, "ORG")
    assert "Mekong River" not in labelled(pipeline, text, "LOC")


@pytest.mark.parametrize(
    ("text", "facility"),
    [
        ("The ministers met at the Sathorn Maitri Building.", "Sathorn Maitri Building"),
        ("Work began on the Phnom Tamao Canal.", "Phnom Tamao Canal"),
    ],
)
def test_buildings_and_canals_are_facilities(pipeline, text, facility):
    assert facility in labelled(pipeline, text, "FAC")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Flood victims in Magway region received rice.", "Magway region"),
        ("The plant will open in General Trias City next year.", "General Trias City"),
    ],
)
def test_regions_and_cities_by_their_tails_are_places(pipeline, text, place):
    assert place in labelled(pipeline, text, "GPE")


def test_a_peso_sign_glued_to_a_scaled_figure_is_money(pipeline):
    assert "P12 million" in labelled(pipeline, "The town received P12 million in aid.", "MONEY")


def test_a_numbered_commission_on_a_long_subject_is_one_event(pipeline):
    text = "They co-chaired the 5th Joint Commission on Trade and Investment Cooperation in Hue."
    assert "5th Joint Commission on Trade and Investment Cooperation" in labelled(
        pipeline, text, "EVENT"
    )
