"""Domain rules fix what the small model gets wrong on this news, on seed and invented sentences."""

import pytest


def ents(pipeline, text):
    return {(e.text, e.label_) for e in pipeline.nlp(text).ents}


def labels_of(pipeline, text, name):
    return {label for t, label in ents(pipeline, text) if t == name}


SEED_SENTENCES = {
    "viet_nam": "The close geographical proximity, cultural affinity and expanding economic ties "
    "between China's Guangxi Zhuang Autonomous Region and Việt Nam, together with growing "
    "cooperation in science and technology, offer favourable conditions.",
    "ai_gpe": "Guangxi is ready to deepen AI cooperation with Việt Nam in four priority areas.",
    "expo": "On September 17, during the 22nd China-ASEAN Expo (CAEXPO) and the China-ASEAN "
    "Business and Investment Summit (CABIS) held in Nanning, China, a high-level Roundtable "
    "Dialogue took place.",
    "ndrc": "Wang Changlin, deputy head of the NDRC, stressed that AI has become a new driver of "
    "growth and regional integration.",
    "vna": "In an interview with the Vietnam News Agency in China, Wei said AI has emerged as a "
    "major focus globally over the past two years.",
}


def test_viet_nam_is_a_place(pipeline):
    assert labels_of(pipeline, SEED_SENTENCES["viet_nam"], "Việt Nam") == {"GPE"}
    assert labels_of(pipeline, "Viet Nam and Laos agreed to cooperate.", "Viet Nam") == {"GPE"}


@pytest.mark.parametrize("key", ["ai_gpe", "ndrc", "vna"])
def test_ai_is_never_an_entity_on_its_own(pipeline, key):
    assert labels_of(pipeline, SEED_SENTENCES[key], "AI") == set()


def test_ai_is_kept_inside_longer_names(pipeline):
    text = "The 2024 Government AI Readiness Index ranked Vietnam among the top five in ASEAN."
    assert any("AI" in t and len(t) > 2 for t, _ in ents(pipeline, text))


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("expo", "CAEXPO"),
        ("expo", "CABIS"),
        ("ndrc", "NDRC"),
        ("vna", "Vietnam News Agency"),
        ("ai_gpe", "Guangxi"),
    ],
)
def test_known_organisations_and_places(pipeline, key, name):
    expected = "GPE" if name == "Guangxi" else "ORG"
    assert labels_of(pipeline, SEED_SENTENCES[key], name) == {expected}


def test_asean_and_vna_are_organisations(pipeline):
    text = "Hanoi (VNA) – Vietnam has been ranked among the top five in ASEAN, VNA reported."
    found = ents(pipeline, text)
    assert ("ASEAN", "ORG") in found and ("VNA", "ORG") in found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Minister of Foreign Affairs Le Hoai Trung held talks with Chairman Wei Tao in Hanoi.",
            "Le Hoai Trung",
        ),
        (
            "Minister of Foreign Affairs Le Hoai Trung held talks with Chairman Wei Tao in Hanoi.",
            "Wei Tao",
        ),
        (
            "The statement was made by Bui Hoang Phuong, Vietnamese Deputy Minister of Science and "
            "Technology, at the roundtable.",
            "Bui Hoang Phuong",
        ),
        (
            "In his opening remarks, Deputy Prime Minister Mai Van Chinh emphasized the point.",
            "Mai Van Chinh",
        ),
        ("On the Chinese side, Ren Hongbin, Chairman of the China Council, spoke.", "Ren Hongbin"),
        (
            "Chen Gang, secretary of the CPC Guangxi Regional Committee, said so.",
            "Chen Gang",
        ),
        # invented: other names, other phrasing
        (
            "Deputy Minister Nguyen Thi Thanh Ha welcomed Premier Li Qiang to the summit.",
            "Nguyen Thi Thanh Ha",
        ),
        (
            "Deputy Minister Nguyen Thi Thanh Ha welcomed Premier Li Qiang to the summit.",
            "Li Qiang",
        ),
        (
            "Economist Tran Quoc Khanh and governor Zhou Jiangyong signed the memorandum.",
            "Zhou Jiangyong",
        ),
        ("Bộ trưởng Đặng Quốc Khánh phát biểu tại hội nghị.", "Đặng Quốc Khánh"),
    ],
)
def test_vietnamese_and_chinese_names_are_people(pipeline, text, name):
    assert labels_of(pipeline, text, name) == {"PERSON"}


@pytest.mark.parametrize("place", ["Cao Bang", "Hai Phong", "Tuyen Quang", "Lang Son"])
def test_provinces_that_look_like_names_are_places(pipeline, place):
    text = f"Party secretaries of {place} and Guangxi met in the spring."
    assert labels_of(pipeline, text, place) == {"GPE"}


def test_short_forms_follow_a_full_name_given_earlier(pipeline):
    text = (
        "Minister Le Hoai Trung held talks with Wei Tao in Hanoi. "
        "Trung appreciated the visit, and Wei thanked him."
    )
    doc = pipeline.nlp(text)
    late = {
        e.text: e.label_ for e in doc.ents if e.start_char > text.index("Trung appreciated") - 1
    }
    assert late == {"Trung": "PERSON", "Wei": "PERSON"}


def test_short_form_before_the_full_name_is_left_alone(pipeline):
    text = "Hoang spoke first. Later, Pham Minh Hoang, the director, closed the meeting."
    doc = pipeline.nlp(text)
    assert not any(
        e.text == "Hoang"
        and e.start_char == 0
        and e.label_ == "PERSON"
        and e.id_ == "short_forms.v1"
        for e in doc.ents
    )


def test_no_entity_crosses_a_line_break(pipeline, seeds_dir):
    text = (seeds_dir / "001_e2401dab50313443.txt").read_text(encoding="utf-8")
    for ent in pipeline.nlp(text).ents:
        assert "\n" not in ent.text, ent.text


def test_possessive_is_trimmed(pipeline):
    text = "Trung expressed appreciation for the Chinese Government’s recent decision."
    assert not any(t.endswith("’s") for t, _ in ents(pipeline, text))


def test_rules_alone_still_find_domain_entities(rules_pipeline):
    assert rules_pipeline.info.fallback
    assert "rules only" in rules_pipeline.info.label
    found = ents(rules_pipeline, "Chairman Wei Tao visited Việt Nam and met ASEAN officials.")
    assert {("Wei Tao", "PERSON"), ("Việt Nam", "GPE"), ("ASEAN", "ORG")} <= found
