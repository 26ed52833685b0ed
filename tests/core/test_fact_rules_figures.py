"""Several figures in one sentence: "respectively" pairs each figure with its own period or
measure, a change right after a value qualifies it, counts written in digits. Sentences
written for these tests with invented figures; parsed by the real pipeline."""

from __future__ import annotations

import pytest
from fact_helpers import PUBLISHED

from desktop.core.facts.extract import extract_facts
from desktop.core.facts.values import normalize


def stats(nlp, text: str) -> list:
    return [f for f in extract_facts(nlp(text), PUBLISHED) if f.type == "STATISTIC"]


def by_value(found: list) -> dict[str, object]:
    """Each statistic under its value text (or change text when it has no value)."""
    out = {}
    for fact in found:
        figure = fact.roles("value") or fact.roles("change")
        out[figure[0].text] = fact
    return out


def role_text(fact, role: str) -> str | None:
    found = fact.roles(role)
    return found[0].text if found else None


def role_value(fact, role: str) -> str | None:
    found = fact.roles(role)
    return found[0].value.text if found and found[0].value is not None else None


def test_respectively_pairs_each_amount_with_its_own_year(nlp):
    found = by_value(
        stats(
            nlp,
            "Officials said tourist arrivals from Korea totalled 1.4 million and 2.2 million "
            "in 2023 and 2024 respectively.",
        )
    )
    assert set(found) >= {"1.4 million", "2.2 million"}, found
    assert role_value(found["1.4 million"], "period") == "2023"
    assert role_value(found["2.2 million"], "period") == "2024"


def test_respectively_pairs_amounts_with_a_year_and_a_span_of_months(nlp):
    found = by_value(
        stats(
            nlp,
            "The ministry said rubber exports reached 3.2 billion USD and 2.7 billion USD in "
            "2025 and the first eight months of 2026, respectively.",
        )
    )
    assert role_value(found["3.2 billion USD"], "value") == "3200000000 USD"
    assert role_value(found["3.2 billion USD"], "period") == "2025"
    assert role_value(found["2.7 billion USD"], "period") == "2026-01/2026-08"
    assert role_text(found["2.7 billion USD"], "measure") == "rubber exports"


def test_respectively_pairs_coordinated_subjects_with_their_figures(nlp):
    found = by_value(
        stats(
            nlp,
            "Penang Port and Kuantan Port handled 1.9 million and 0.6 million TEUs last year, "
            "respectively.",
        )
    )
    assert role_text(found["1.9 million"], "measure") == "Penang Port"
    assert role_text(found["0.6 million"], "measure") == "Kuantan Port"


def test_a_bare_number_before_an_amount_with_a_currency_takes_that_currency(nlp):
    found = by_value(
        stats(
            nlp,
            "Trade through the two checkpoints totalled 420 million and 95 million dollars "
            "respectively.",
        )
    )
    assert role_value(found["420 million"], "value") == "420000000 USD"
    assert role_value(found["95 million dollars"], "value") == "95000000 USD"


def test_a_shared_counted_noun_is_the_measure_of_each_figure(nlp):
    found = by_value(
        stats(
            nlp,
            "The ferry line carried 2.5 million and 640,000 passengers in 2024 and 2025, "
            "respectively.",
        )
    )
    assert role_text(found["2.5 million"], "measure") == "passengers"
    assert role_text(found["640,000"], "measure") == "passengers"
    assert role_value(found["640,000"], "period") == "2025"


def test_respective_changes_go_to_the_counts_they_follow(nlp):
    found = stats(
        nlp,
        "The port handled 530,000 containers and 81,000 vehicles in 2025, up 12 percent and "
        "4 percent respectively.",
    )
    changes = {role_text(f, "value"): role_value(f, "change") for f in found}
    assert changes == {"530,000": "+12", "81,000": "+4"}, found


def test_a_change_right_after_a_value_is_that_values_change(nlp):
    found = stats(
        nlp,
        "Two-way trade stood at S$41.5 billion last year, up 6.2 per cent, the ministry said.",
    )
    assert len(found) == 1, found
    assert role_value(found[0], "value") == "41500000000 SGD"
    assert role_value(found[0], "change") == "+6.2"


def test_a_change_after_a_later_value_is_not_given_to_an_earlier_count(nlp):
    found = by_value(
        stats(
            nlp,
            "Thai investors run 318 projects in Laos with total capital of 5.1 billion USD, "
            "up 2.4% from a year earlier.",
        )
    )
    assert role_value(found["5.1 billion USD"], "change") == "+2.4"
    assert role_value(found["318"], "change") is None


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("The fair drew 35 exhibitors from Brunei and Sabah.", "35"),
        ("Some of the 12 Lao students will study nursing in Hue.", None),  # told already
        ("The grant covers four pillars of cooperation.", None),  # a small count in words
    ],
)
def test_counts_written_in_digits_are_statistics_from_ten(nlp, sentence, count):
    found = stats(nlp, sentence)
    values = [role_text(f, "value") for f in found]
    assert values == ([count] if count else []), found


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("first nine months of 2025", "2025-01/2025-09"),
        ("the first 10 months of this year", "2026-01/2026-10"),
        ("nine months", None),
    ],
)
def test_the_first_months_of_a_year_are_a_month_interval(text, iso):
    value = normalize("DATE", text, PUBLISHED)
    assert (value.text if value is not None else None) == iso


def test_a_target_after_a_dative_to_is_the_value(nlp):
    found = stats(
        nlp,
        "The two sides pledged to lift bilateral trade to RM120bil by 2028.",
    )
    assert [(role_text(f, "measure"), role_value(f, "value")) for f in found] == [
        ("bilateral trade", "120000000000 MYR")
    ], found


@pytest.mark.parametrize(
    ("sentence", "measure", "money"),
    [
        (
            "Sinar Jaya Bhd will build a RM1.8bil solar farm in Kedah.",
            "solar farm",
            "1800000000 MYR",
        ),
        (
            "The firm signed a deal on building a 40 million USD cold storage plant in Hai Phong.",
            "cold storage plant",
            "40000000 USD",
        ),
    ],
)
def test_an_amount_before_a_noun_is_what_that_thing_costs(nlp, sentence, measure, money):
    found = stats(nlp, sentence)
    assert [(role_text(f, "measure"), role_value(f, "value")) for f in found] == [(measure, money)]


def test_an_amount_worth_of_goods_is_no_price(nlp):
    found = stats(nlp, "Korea donated P8 million worth of school supplies to Leyte.")
    assert found == [], found


def test_a_number_before_a_superlative_is_a_rank(nlp):
    found = stats(nlp, "Officials said Thailand was Laos's third largest investor in 2025.")
    ranks = [(role_text(f, "measure"), role_text(f, "value")) for f in found]
    assert ("Laos's third largest investor", "third") in ranks, found


def test_a_superlative_without_a_number_is_no_rank(nlp):
    assert stats(nlp, "China remained Cambodia's largest trading partner.") == []


def test_a_count_the_recogniser_glued_to_a_verb_is_still_counted(nlp):
    from spacy.tokens import Span

    doc = nlp("Malaysia will provide RM5 million to train 2,000 Cambodian vocational teachers.")
    train = next(t for t in doc if t.text == "train")
    glued = Span(
        doc, train.i, train.i + 2, label="CARDINAL"
    )  # "train 2,000", as the model reads it
    doc.ents = [e for e in doc.ents if e.end <= train.i or e.start >= train.i + 2] + [glued]
    found = [f for f in extract_facts(doc, PUBLISHED) if f.type == "STATISTIC"]
    counts = [(role_text(f, "measure"), role_text(f, "value")) for f in found]
    assert ("Cambodian vocational teachers", "2,000") in counts, found
