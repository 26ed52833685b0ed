"""Fact rules (agreement, statistic, event, funding, statement) on seed and invented sentences."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from desktop.core.facts.candidates import Context, FactCandidate
from desktop.core.facts.rules import agreement, event, funding, statement, statistic
from desktop.core.facts.spans import EntityIndex

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PUBLISHED = {"000": "2026-03-09", "001": "2025-09-19", "002": "2025-09-18"}
PUBLISHED |= {"003": "2025-09-19", "004": "2025-11-26"}
MODULES = (agreement, event, funding, statement, statistic)


@pytest.fixture(scope="session")
def full_pipeline():
    """The real pipeline with the parser (the fact rules need dependencies), loaded once."""
    from desktop.core.nlp.pipeline import load_pipeline

    loaded = load_pipeline(exclude=())
    assert "parser" in loaded.nlp.pipe_names
    return loaded


@pytest.fixture(scope="session")
def seed_docs(full_pipeline):
    """Each seed article parsed whole, by its three-digit prefix."""
    return {p.name[:3]: full_pipeline.nlp(p.read_text()) for p in sorted(SEEDS.glob("*.txt"))}


def run(module: ModuleType, doc, published: str | None = "2025-09-19") -> list[FactCandidate]:
    return list(module.extract(doc, EntityIndex(doc), Context(published=published)))


def on_text(full_pipeline, module: ModuleType, text: str, published="2025-09-19"):
    return run(module, full_pipeline.nlp(text), published)


def in_seed(seed_docs, module: ModuleType, seed: str, snippet: str) -> list[FactCandidate]:
    """The facts a rule finds in a seed whose evidence holds a snippet."""
    doc = seed_docs[seed]
    facts = run(module, doc, PUBLISHED[seed])
    return [f for f in facts if snippet in doc.text[f.evidence_start : f.evidence_end]]


def texts(fact: FactCandidate, role: str) -> list[str]:
    return [a.text for a in fact.roles(role)]


def value(fact: FactCandidate, role: str) -> str | None:
    found = fact.roles(role)
    return found[0].value.text if found and found[0].value is not None else None


def one(facts: list[FactCandidate]) -> FactCandidate:
    assert len(facts) == 1, facts
    return facts[0]


def test_rule_ids_and_evidence(full_pipeline):
    assert [m.RULE_ID for m in MODULES] == [
        "agreement.v1",
        "event.v1",
        "funding.v1",
        "statement.v1",
        "statistic.v1",
    ]
    text = "Intro sentence here. Japan and Thailand signed an MoU on energy cooperation."
    fact = one(on_text(full_pipeline, agreement, text))
    assert text[fact.evidence_start : fact.evidence_end].startswith("Japan and Thailand")
    assert fact.extractor == "agreement.v1" and 0 < fact.confidence <= 1
    doc = full_pipeline.nlp(text)
    for module in MODULES:
        for fact in run(module, doc):
            for a in fact.arguments:
                assert text[a.start : a.end] == a.text


# AGREEMENT


def test_agreement_seed_signing_of_44_agreements(seed_docs):
    fact = one(in_seed(seed_docs, agreement, "000", "44 cooperation agreements"))
    assert fact.type == "AGREEMENT"
    assert texts(fact, "party") == ["ASEAN", "Vietnam", "Laos", "Malaysia", "Myanmar"]
    assert texts(fact, "count") == ["44"] and value(fact, "count") == "44"
    assert texts(fact, "subject") == ["AI"]


def test_agreement_seed_concluded_and_memorandum(seed_docs):
    fact = one(in_seed(seed_docs, agreement, "000", "concluded 14"))
    assert value(fact, "count") == "14"
    assert texts(fact, "subject") == ["digital economy and AI"]
    assert texts(fact, "party") == []
    mou = one(in_seed(seed_docs, agreement, "000", "memorandum of understanding"))
    assert texts(mou, "subject") == ["China–Vietnam AI Application Cooperation Centre"]


def test_agreement_signed_mou_with_parties_subject_and_date(full_pipeline):
    text = "Japan and Thailand signed an MoU on renewable energy cooperation in Bangkok on Monday."
    fact = one(on_text(full_pipeline, agreement, text))
    assert texts(fact, "party") == ["Japan", "Thailand"]
    assert texts(fact, "subject") == ["renewable energy cooperation"]
    assert texts(fact, "date") == ["Monday"] and value(fact, "date") == "2025-09-15"


def test_agreement_passive_with_between_and_count(full_pipeline):
    text = "Five agreements were signed between Vietnam and Laos in Vientiane on October 2."
    fact = one(on_text(full_pipeline, agreement, text))
    assert texts(fact, "party") == ["Vietnam", "Laos"]
    assert value(fact, "count") == "5"
    assert value(fact, "date") == "2025-10-02"
    assert texts(fact, "subject") == []  # "on October 2" is the date, not the subject


def test_agreement_reached_and_inked(full_pipeline):
    text = "Indonesia and Singapore reached an agreement on airspace management in 2022."
    fact = one(on_text(full_pipeline, agreement, text))
    assert texts(fact, "party") == ["Indonesia", "Singapore"]
    assert texts(fact, "subject") == ["airspace management"]
    assert value(fact, "date") == "2022"
    inked = one(
        on_text(full_pipeline, agreement, "The two sides inked three deals worth 2 billion USD.")
    )
    assert value(inked, "count") == "3"


@pytest.mark.parametrize(
    "text",
    [
        "The agreement will take effect next year.",
        "Officials discussed a possible trade deal.",
        "Both sides agreed to expand cooperation in agriculture.",
    ],
)
def test_agreement_needs_a_signing(full_pipeline, text):
    assert on_text(full_pipeline, agreement, text) == []


def test_agreement_not_for_implementing_existing_agreements(seed_docs):
    assert in_seed(seed_docs, agreement, "004", "three legal documents") == []


# STATISTIC


def test_statistic_seed_trade_turnover(seed_docs):
    fact = one(in_seed(seed_docs, statistic, "004", "bilateral trade turnover"))
    assert fact.type == "STATISTIC"
    assert texts(fact, "measure") == ["bilateral trade turnover"]
    assert texts(fact, "value") == ["about 42 billion USD"]
    assert value(fact, "value") == "42000000000 USD"
    assert value(fact, "period") == "2024"
    assert texts(fact, "change") == ["16.4%"] and value(fact, "change") == "+16.4"


def test_statistic_seed_eightfold_and_unicorns(seed_docs):
    fact = one(in_seed(seed_docs, statistic, "001", "eightfold"))
    assert texts(fact, "measure") == ["capital inflows"]
    assert value(fact, "change") == "x8" and value(fact, "period") == "2023/2024"
    unicorns = one(in_seed(seed_docs, statistic, "002", "unicorn"))
    assert texts(unicorns, "measure") == ["unicorn companies"]
    assert texts(unicorns, "value") == ["more than 400"] and value(unicorns, "value") == "400"
    assert unicorns.roles("value")[0].value.data["qualifier"] == "more than"


def test_statistic_seed_investment_and_capacity(seed_docs):
    invest = one(in_seed(seed_docs, statistic, "004", "total investment"))
    assert texts(invest, "measure") == ["total investment"]
    assert value(invest, "value") == "1400000000 USD"
    capacity = one(in_seed(seed_docs, statistic, "004", "combined capacity"))
    assert texts(capacity, "value") == ["1,624 MW"] and value(capacity, "value") == "1624 MW"


def test_statistic_level_with_direction_is_a_value(full_pipeline):
    fact = one(on_text(full_pipeline, statistic, "Unemployment stood at 2.3% in December."))
    assert texts(fact, "measure") == ["Unemployment"]
    assert value(fact, "value") == "2.3" and fact.roles("change") == []
    assert value(fact, "period") == "2024-12"


def test_statistic_value_and_change(full_pipeline):
    text = "Thailand's rice exports reached 7.5 million tonnes in 2023, up 12% year-on-year."
    fact = one(on_text(full_pipeline, statistic, text))
    assert texts(fact, "measure") == ["Thailand's rice exports"]
    assert value(fact, "value") == "7500000 tonnes"
    assert value(fact, "change") == "+12" and value(fact, "period") == "2023"


def test_statistic_change_by_and_level_to(full_pipeline):
    text = "Foreign direct investment in Cambodia fell by 8.5% to 3.2 billion USD last year."
    fact = one(on_text(full_pipeline, statistic, text))
    assert texts(fact, "measure") == ["Foreign direct investment"]
    assert value(fact, "change") == "-8.5"
    assert value(fact, "value") == "3200000000 USD"
    assert value(fact, "period") == "2024"


def test_statistic_doubled_and_counted(full_pipeline):
    fact = one(
        on_text(full_pipeline, statistic, "Tourist arrivals in Laos doubled between 2022 and 2023.")
    )
    assert texts(fact, "measure") == ["Tourist arrivals"]
    assert value(fact, "change") == "x2" and value(fact, "period") == "2022/2023"
    startups = one(on_text(full_pipeline, statistic, "Indonesia now has more than 2,000 startups."))
    assert texts(startups, "measure") == ["startups"] and value(startups, "value") == "2000"


@pytest.mark.parametrize(
    "text",
    [
        "The two sides agreed on three priorities for next year.",
        "Nations must build on four pillars: governance, infrastructure and people.",
        "Guangxi organised five AI training programmes for Vietnamese participants.",
        "The 22nd China-ASEAN Expo opened in Nanning.",
    ],
)
def test_statistic_not_for_small_counts_and_ordinals(full_pipeline, text):
    assert on_text(full_pipeline, statistic, text) == []


def test_statistic_not_for_ranks(seed_docs):
    assert in_seed(seed_docs, statistic, "001", "top five") == []
    assert in_seed(seed_docs, statistic, "001", "placed third") == []


# EVENT


def test_event_seed_roundtable_held(seed_docs):
    fact = one(in_seed(seed_docs, event, "001", "held on September 18"))
    assert fact.type == "EVENT"
    assert texts(fact, "name") == ["ASEAN-China ministerial roundtable on AI"]
    assert texts(fact, "place") == ["Nanning"]
    assert value(fact, "date") == "2025-09-18"


def test_event_seed_cohosted_roundtable_and_expo(seed_docs):
    facts = in_seed(seed_docs, event, "003", "co-hosted by")
    names = {f.roles("name")[0].text: f for f in facts}
    roundtable = names["China-ASEAN Ministerial Roundtable on Artificial Intelligence"]
    assert texts(roundtable, "organizer") == [
        "National Development and Reform Commission",
        "Guangxi",
    ]
    assert texts(roundtable, "place") == ["Nanning"]
    assert texts(names["22nd China-ASEAN Expo"], "place") == ["Nanning"]  # as the gold names it


def test_event_seed_hosted_innovation_day(seed_docs):
    fact = one(in_seed(seed_docs, event, "001", "hosted Innovation Day"))
    assert texts(fact, "name") == ["Innovation Day 2025"]
    assert texts(fact, "organizer") == ["Schneider Electric"]
    assert texts(fact, "place") == ["Hanoi"] and value(fact, "date") == "2025-09-17"


def test_event_seed_launched_dialogue(seed_docs):
    fact = one(in_seed(seed_docs, event, "003", "launched their first"))
    assert texts(fact, "name") == ["ministerial dialogue on artificial intelligence"]
    assert texts(fact, "organizer") == ["China", "ASEAN"]
    assert value(fact, "date") == "2025-09-18"  # the Thursday before 2025-09-19


def test_event_organised_and_held(full_pipeline):
    text = (
        "The Mekong-Lancang Cooperation Forum, organised by the Ministry of Foreign Affairs "
        "of Laos, was held in Vientiane on October 3."
    )
    fact = one(on_text(full_pipeline, event, text))
    assert texts(fact, "name") == ["Mekong-Lancang Cooperation Forum"]
    assert texts(fact, "organizer") == ["Ministry of Foreign Affairs of Laos"]
    assert texts(fact, "place") == ["Vientiane"] and value(fact, "date") == "2025-10-03"


def test_event_hosted_opened_attended(full_pipeline):
    text = (
        "The Singapore government hosted the ASEAN Digital Ministers' Meeting in Singapore "
        "on January 12."
    )
    hosted = one(on_text(full_pipeline, event, text))
    assert texts(hosted, "name") == ["ASEAN Digital Ministers' Meeting"]
    assert texts(hosted, "organizer") == ["Singapore"] and value(hosted, "date") == "2025-01-12"
    fair = one(
        on_text(
            full_pipeline,
            event,
            "The Vietnam International Trade Fair opened in Hanoi on April 10.",
        )
    )
    assert texts(fair, "name") == ["Vietnam International Trade Fair"]
    assert texts(fair, "place") == ["Hanoi"] and fair.roles("organizer") == []
    text = (
        "Delegates from 30 countries attended the Asia-Pacific Economic Forum in Jakarta "
        "on March 5, 2025."
    )
    forum = one(on_text(full_pipeline, event, text))
    assert texts(forum, "place") == ["Jakarta"] and value(forum, "date") == "2025-03-05"


@pytest.mark.parametrize(
    "text",
    [
        "The forum will discuss trade.",
        "The Prime Minister spoke at the ceremony.",
        "The event was a success, organisers said.",
    ],
)
def test_event_needs_a_name_and_a_place_date_or_host(full_pipeline, text):
    assert on_text(full_pipeline, event, text) == []


def test_event_not_for_a_platform_mention(seed_docs):
    assert in_seed(seed_docs, event, "003", "Participants agreed") == []


# FUNDING


def test_funding_seed_chinese_government_support(seed_docs):
    fact = one(in_seed(seed_docs, funding, "004", "500,000 USD"))
    assert fact.type == "FUNDING"
    assert texts(fact, "donor") == ["Chinese Government"]
    assert texts(fact, "recipient") == ["Vietnam"]
    assert texts(fact, "amount") == ["500,000 USD"] and value(fact, "amount") == "500000 USD"
    assert texts(fact, "purpose") == ["overcome the consequences of natural disasters"]


def test_funding_grant_with_indirect_object(full_pipeline):
    fact = one(
        on_text(
            full_pipeline,
            funding,
            "Japan will grant Laos 2 billion yen for flood prevention projects.",
        )
    )
    assert texts(fact, "donor") == ["Japan"] and texts(fact, "recipient") == ["Laos"]
    assert value(fact, "amount") == "2000000000 JPY"
    assert texts(fact, "purpose") == ["flood prevention projects"]


def test_funding_loan_noun_and_purpose_clause(full_pipeline):
    text = "The ADB approved a 300 million USD loan to Cambodia to upgrade rural roads."
    fact = one(on_text(full_pipeline, funding, text))
    assert texts(fact, "donor") == ["ADB"] and texts(fact, "recipient") == ["Cambodia"]
    assert value(fact, "amount") == "300000000 USD"
    assert texts(fact, "purpose") == ["upgrade rural roads"]


def test_funding_currency_after_a_number_and_received(full_pipeline):
    text = "The European Union has pledged 5 million EUR in humanitarian aid to Myanmar."
    fact = one(on_text(full_pipeline, funding, text))
    assert texts(fact, "donor") == ["European Union"] and texts(fact, "recipient") == ["Myanmar"]
    assert texts(fact, "amount") == ["5 million EUR"] and value(fact, "amount") == "5000000 EUR"
    text = "Vietnam received 3 million USD from South Korea to build schools in Quang Tri."
    received = one(on_text(full_pipeline, funding, text))
    assert texts(received, "donor") == ["South Korea"] and texts(received, "recipient") == [
        "Vietnam"
    ]
    assert texts(received, "purpose") == ["build schools in Quang Tri"]


@pytest.mark.parametrize(
    "text",
    [
        "Bilateral trade reached 42 billion USD last year.",
        "The plants have a total investment of around 1.4 billion USD.",
        "Vietnam always supports and creates favourable conditions for localities.",
        "The ministry will provide training for 200 teachers.",
    ],
)
def test_funding_needs_money_given(full_pipeline, text):
    assert on_text(full_pipeline, funding, text) == []


# STATEMENT


def test_statement_seed_stressed_and_adding(seed_docs):
    facts = in_seed(seed_docs, statement, "003", "Wang Changlin")
    assert [texts(f, "speaker") for f in facts] == [["Wang Changlin"], ["Wang Changlin"]]
    assert texts(facts[0], "content") == [
        "AI has become a new driver of growth and regional integration"
    ]
    assert texts(facts[1], "content")[0].startswith("China is ready to work with ASEAN partners")
    assert all(f.type == "STATEMENT" and f.confidence == 0.8 for f in facts)


def test_statement_seed_according_to(seed_docs):
    fact = one(in_seed(seed_docs, statement, "000", "According to Wei"))
    assert texts(fact, "speaker") == ["Wei"]
    assert texts(fact, "content")[0].startswith("these developments highlight the strong potential")


def test_statement_seed_quote_with_pronoun(seed_docs):
    fact = one(in_seed(seed_docs, statement, "001", "he stated"))
    assert fact.roles("speaker") == [] and fact.confidence == 0.4
    content = texts(fact, "content")[0]
    assert content.startswith("Whoever masters AI") and content.endswith("not replace them")
    doc = seed_docs["001"]
    assert doc.text[fact.evidence_start :].startswith('"Whoever masters AI')


def test_statement_seed_said_after_title(seed_docs):
    facts = in_seed(seed_docs, statement, "002", "still have ample room")
    fact = one(facts)
    assert texts(fact, "speaker") == ["Bui Hoang Phuong"]
    assert texts(fact, "content") == [
        "Vietnam and China still have ample room for expanded cooperation"
    ]


def test_statement_inverted_and_according_to_an_organisation(full_pipeline):
    text = (
        "The economy is recovering steadily, Thai central bank governor "
        "Sethaput Suthiwartnarueput told reporters."
    )
    fact = one(on_text(full_pipeline, statement, text))
    assert texts(fact, "speaker") == ["Sethaput Suthiwartnarueput"]
    assert texts(fact, "content") == ["The economy is recovering steadily"]
    text = "According to the World Bank, growth in the region will slow to 4.5% next year."
    bank = one(on_text(full_pipeline, statement, text))
    assert texts(bank, "speaker") == ["World Bank"]
    assert texts(bank, "content") == ["growth in the region will slow to 4.5% next year"]


def test_statement_emphasised_that_and_literal_speaker(full_pipeline):
    text = (
        "Malaysian Prime Minister Anwar Ibrahim emphasised that ASEAN must remain neutral "
        "and united."
    )
    fact = one(on_text(full_pipeline, statement, text))
    assert texts(fact, "speaker") == ["Anwar Ibrahim"]
    assert texts(fact, "content") == ["ASEAN must remain neutral and united"]
    text = "The visiting minister added that both sides should open more border gates."
    literal = one(on_text(full_pipeline, statement, text))
    assert texts(literal, "speaker") == ["visiting minister"]
    assert literal.roles("speaker")[0].label is None and literal.confidence == 0.55


@pytest.mark.parametrize(
    "text",
    [
        "He said.",
        "The company noted a rise in sales.",
        "These developments highlight the strong potential for cooperation.",
        "The statement was made by Bui Hoang Phuong at the roundtable.",
    ],
)
def test_statement_needs_a_speaker_and_a_clause(full_pipeline, text):
    assert on_text(full_pipeline, statement, text) == []
