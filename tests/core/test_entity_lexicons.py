"""Entity fixes from the region's lexicons, on the real model: honorifics never in or alone as
a PERSON, company suffixes make ORG, places from the gazetteer, no trailing dash."""

from __future__ import annotations

import pytest


def ents(pipeline, text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in pipeline.nlp(text).ents}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Prime Minister Datuk Seri Rahman Osman opened the fair on Monday.", "Rahman Osman"),
        ("Tengku Datuk Seri Zainal Hamid said the talks went well.", "Zainal Hamid"),
        ("Tan Sri Wong Kah Seng chaired the board meeting in Ipoh.", "Wong Kah Seng"),
        ("Dato' Sri Farid Yusof met the delegation in Kuching.", "Farid Yusof"),
        (
            "Yang Berhormat Pehin Orang Kaya Seri Utama Dato Seri Setia Awang Haji Hamdan bin"
            " Haji Ali received the visitors.",
            "Hamdan bin Haji Ali",
        ),
        ("Pak Bambang Sutrisno visited the smelter on Friday.", "Bambang Sutrisno"),
        ("Foreign Minister Datuk Seri Utama Azmi Karim signed the notes.", "Azmi Karim"),
    ],
)
def test_honorifics_stay_out_of_person_names(pipeline, text: str, name: str) -> None:
    found = ents(pipeline, text)
    persons = {t for t, label in found if label == "PERSON"}
    assert name in persons
    honorifics = {"Datuk", "Seri", "Tan", "Sri", "Dato", "Tengku", "Pehin", "Pak", "Yang", "Awang"}
    for person in persons:
        assert person.split()[0] not in honorifics, person


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("Permata Silikon Bhd will build a plant in Kulim.", "Permata Silikon Bhd"),
        ("The deal with Sinar Jaya Sdn Bhd was signed in Johor.", "Sinar Jaya Sdn Bhd"),
        ("PT Nusa Baterai Tbk said output rose.", "PT Nusa Baterai Tbk"),
        ("Vinh Phat Trading JSC exported rice to Manila.", "Vinh Phat Trading JSC"),
    ],
)
def test_company_suffix_makes_an_org(pipeline, text: str, org: str) -> None:
    assert (org, "ORG") in ents(pipeline, text)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Officials from Luang Namtha and Oudomxay attended.", "Oudomxay"),
        ("The delegation flew from Vientiane to Savannakhet.", "Savannakhet"),
        ("PUTRAJAYA, May 4 (Bernama) -- The ministers met.", "PUTRAJAYA"),
        ("Durians from Chanthaburi reached Kunming by rail.", "Chanthaburi"),
        ("Brunei Minister visits Nanning. Brunei and China signed.", "Nanning"),
    ],
)
def test_region_places_are_gpe(pipeline, text: str, place: str) -> None:
    assert (place, "GPE") in ents(pipeline, text)


def test_a_place_after_a_headline_person_stays_a_place(pipeline) -> None:
    text = "Brunei Minister receives visitors\n\nThe minister said Brunei would host the fair."
    doc = pipeline.nlp(text)
    later = [e for e in doc.ents if e.text == "Brunei" and e.start_char > 40]
    assert later and all(e.label_ == "GPE" for e in later)


def test_no_entity_ends_in_a_dash(pipeline) -> None:
    text = "The Boten- Vientiane line and the Mohan- Boten crossing opened in Laos."
    for ent in pipeline.nlp(text).ents:
        assert not ent.text.endswith(("-", "–", "—", ",")), ent.text
