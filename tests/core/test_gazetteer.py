"""The project gazetteer's matching rules on a blank English tokenizer: folded for case and
diacritics, leftmost-longest, a capital where the name has one, never inside a longer
entity, replacing what it overlaps."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from desktop.core.learning.gazetteer import CONTESTED_ID, PROJECT_ID, Gazetteer, origin_of
from desktop.core.learning.learned import build, zone_at
from desktop.core.learning.names import ADDED, CONFIRMED, KnownName, ProjectKnowledge

NLP = spacy.blank("en")


def _tokens(text: str) -> list[str]:
    return [t.text for t in NLP.make_doc(text)]


def _name(text: str, label: str, entity: int | None = None, source=CONFIRMED, n=1) -> KnownName:  # type: ignore[no-untyped-def]
    from desktop.core.entities.keys import entity_key

    return KnownName(entity_key(text), label, text, entity, source, n)


def _merged(gaz: Gazetteer, text: str, ents=()) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    doc = NLP.make_doc(text)
    spans = []
    for words, label in ents:
        start = text.index(words)
        spans.append(doc.char_span(start, start + len(words), label=label))
    return [(e.text, e.label_, e.id_) for e in gaz.merge(doc, spans)]


def test_folded_longest_match_linked_to_its_entity():
    gaz = Gazetteer([_name("Việt Nam", "GPE", 1), _name("Viet Nam Airlines", "ORG", 2)], _tokens)
    found = _merged(gaz, "VIET NAM said Viet Nam Airlines flew to viet nam.")
    # the longest name wins where both start; the lower-case "viet nam" is left out, as a
    # capitalised name needs a capital in the text
    assert found == [
        ("VIET NAM", "GPE", f"{PROJECT_ID}:1"),
        ("Viet Nam Airlines", "ORG", f"{PROJECT_ID}:2"),
    ]


def test_a_capital_is_needed_where_the_name_has_one():
    gaz = Gazetteer([_name("Long", "PERSON", 3)], _tokens)
    assert _merged(gaz, "It was a long road, Long said.") == [("Long", "PERSON", "project:3")]


def test_no_match_inside_a_longer_entity_and_replacing_what_it_covers():
    gaz = Gazetteer([_name("Guangxi", "GPE", 1), _name("Savan Nua", "GPE", 2)], _tokens)
    text = "Guangxi University staff went to Savan Nua and Guangxi."
    found = _merged(gaz, text, [("Guangxi University", "ORG"), ("Savan Nua", "PERSON")])
    assert found == [
        ("Guangxi University", "ORG", ""),  # the longer entity stands
        ("Savan Nua", "GPE", f"{CONTESTED_ID}:2"),  # the model's PERSON gives way
        ("Guangxi", "GPE", f"{PROJECT_ID}:1"),
    ]
    # a match covering a shorter entity replaces it
    gaz = Gazetteer([_name("Bank of Laos", "ORG", 5)], _tokens)
    found = _merged(gaz, "The Bank of Laos said.", [("Laos", "GPE")])
    assert found == [("Bank of Laos", "ORG", "project!:5")]


def test_leading_the_is_no_part_of_the_name_and_an_added_name_wins_a_tie():
    gaz = Gazetteer(
        [
            _name("the Dong Son Cooperative", "ORG", 1, n=5),
            _name("Dong Son Cooperative", "PERSON", 2, source=ADDED),
        ],
        _tokens,
    )
    assert _merged(gaz, "From Đông Sơn Cooperative.") == [
        ("Đông Sơn Cooperative", "PERSON", "project:2")
    ]


def test_origin_of_a_span_id():
    assert origin_of("project:7") == ("project", "project-names", 0.95, 7)
    assert origin_of("project!:") == ("project", "project-names", 0.6, None)
    assert origin_of("person_names.v1") is None
    assert origin_of("") is None


def test_remembered_rejections_hold_in_their_kind_of_zone():
    from desktop.core.learning.names import RememberedRejection

    knowledge = ProjectKnowledge()
    knowledge.rejections[("wei", "ORG", "body")] = RememberedRejection(
        "wei", "ORG", "Wei", "body", "rejected", 1
    )
    learned = build(knowledge, _tokens)
    text = "Wei spoke.\n\nWei spoke again."
    doc = NLP.make_doc(text)
    doc.ents = [Span(doc, 0, 1, label="ORG"), Span(doc, 4, 5, label="ORG")]
    zones = [(0, 10, "headline"), (12, len(text), "body")]
    assert learned.apply(doc, 0, zones) == 1
    assert [(e.start_char, e.label_) for e in doc.ents] == [(0, "ORG")]


def test_zone_at_takes_the_smallest_zone_holding_the_offset():
    zones = [(0, 100, "body"), (10, 20, "caption"), (150, 160, "related")]
    assert zone_at(zones, 5) == "body"
    assert zone_at(zones, 15) == "caption"
    assert zone_at(zones, 120) == "text"
    assert zone_at([], 3) == "text"


def test_names_split_as_the_tokenizer_splits_them():
    from desktop.core.learning.learned import splitter

    split = splitter(NLP.tokenizer)
    names = [
        "Dong Son Cooperative",
        "Lanexang Agro 2",
        "Bank of Laos",
        "U.S.",
        "Dato' Seri Harun",
        "Vietnam's",
        "Đông Sơn",
        "Cannot Ltd",  # "Cannot" is a special case of the tokenizer: two words
    ]
    for name in names:
        assert list(split(name)) == [t.text for t in NLP.tokenizer(name)], name
    assert list(split("Cannot Ltd")) == ["Can", "not", "Ltd"]
