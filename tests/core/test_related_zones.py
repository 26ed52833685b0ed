"""Related-story zones ("ALSO READ: ...", "Related news" lists): marked as zones, and no fact
is taken from them by extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.facts.extract import extract_facts
from desktop.core.ingest.importer import ingest
from desktop.core.ingest.zones import detect_zones
from desktop.core.nlp.extract import extract, in_zones


def texts_of(text: str, kind: str) -> list[str]:
    return [text[z.start : z.end].strip() for z in detect_zones(text) if z.kind == kind]


def kind_at(text: str, needle: str) -> str:
    offset = text.index(needle)
    return next(z.kind for z in detect_zones(text) if z.start <= offset < z.end)


ARTICLE = """\
Harbour city opens new ferry terminal

KOTA MERAH, May 3 (Reuters) - The port authority of Kota Merah opened a ferry terminal on Friday.

ALSO READ: Tin miners sign supply deal with smelter group in Perak

Port chief Aminah Roslan said the terminal would handle 4,000 passengers a day.

Read more: Rail link to the coast wins backing from two provinces

Ticket sales rose 18 percent in April, the authority said.

ALSO READ
Lumber exporters meet buyers from Guangzhou in Kuching

The terminal cost 120 million ringgit, officials said.

Related news
Vietnam and Laos sign power trade agreement in Vientiane
Vietnam and Laos signed three power trade agreements in Vientiane, Minister Tran Van Hung said.
Thai minister met Chinese counterpart in Kunming on Monday
"""


@pytest.mark.parametrize(
    "line",
    [
        "ALSO READ: Tin miners sign supply deal with smelter group in Perak",
        "Read more: Rail link to the coast wins backing from two provinces",
        "ALSO READ\nLumber exporters meet buyers from Guangzhou in Kuching",
        "Related news\nVietnam and Laos sign power trade agreement in Vientiane\n"
        "Vietnam and Laos signed three power trade agreements in Vientiane,"
        " Minister Tran Van Hung said.\n"
        "Thai minister met Chinese counterpart in Kunming on Monday",
    ],
)
def test_related_markers_and_their_headlines_are_related(line: str) -> None:
    assert line in texts_of(ARTICLE, "related")


@pytest.mark.parametrize(
    "needle",
    [
        "Port chief Aminah Roslan said",
        "Ticket sales rose 18 percent",
        "The terminal cost 120 million ringgit",
    ],
)
def test_body_between_inline_markers_stays_body(needle: str) -> None:
    assert kind_at(ARTICLE, needle) == "body"


@pytest.mark.parametrize(
    "line",
    [
        "See also: Farmers in Isan switch to durian",
        "You may also like: Five new flights to Da Nang",
        "Related: Singapore bank opens branch in Hanoi",
        "read also | Ministers discuss rice stockpiles",
    ],
)
def test_other_inline_markers(line: str) -> None:
    text = f"Headline of the story\n\nThe first sentence.\n{line}\nMore body text here.\n"
    assert texts_of(text, "related") == [line]
    assert kind_at(text, "More body text") == "body"


@pytest.mark.parametrize(
    "line",
    [
        "Also, readers were told the fair would open at noon.",
        "Related projects were signed in Hanoi on Monday.",
        "See also the annex for the full figures.",
    ],
)
def test_ordinary_sentences_starting_alike_stay_body(line: str) -> None:
    text = f"The first paragraph is an ordinary sentence.\n{line}\nAnother sentence.\n"
    assert [z.kind for z in detect_zones(text)] == ["body"]


def test_no_fact_from_related_zones(store, pipeline, tmp_path: Path) -> None:
    path = tmp_path / "ferry.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (event,) = list(ingest(store, [path]))
    doc_id = event.document_id
    list(extract(store, pipeline))
    zones = [(z.start, z.end) for z in store.documents.get(doc_id).zones if z.kind == "related"]
    assert len(zones) == 4
    facts = store.facts.for_document(doc_id)
    assert facts  # the body's facts are there
    for fact in facts:
        spans = [(fact.evidence_start, fact.evidence_end)]
        spans += [(a.start, a.end) for a in fact.arguments if a.start is not None]
        assert not any(s < ze and zs < e for s, e in spans for zs, ze in zones), fact
    # the rules do find facts in the teasers: extraction leaves them out
    doc = pipeline.nlp(ARTICLE)
    found = extract_facts(doc, None)
    assert any(in_zones(f, zones) for f in found)
    assert len(facts) == sum(not in_zones(f, zones) for f in found)
