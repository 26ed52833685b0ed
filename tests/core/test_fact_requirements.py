"""A fact needs the roles its type requires: the rules drop short candidates, the store
refuses them, and passive signings ("The MOUs were signed on Monday.") give complete facts."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop.core.facts.candidates import ArgCandidate, FactCandidate
from desktop.core.facts.extract import extract_facts
from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.requirements import IncompleteFact, missing
from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract

SENTENCES = Path(__file__).resolve().parents[1] / "data" / "facts" / "agreement_sentences.jsonl"
PUBLISHED = "2026-03-04"


def _cases(split: str) -> list[dict]:
    rows = [json.loads(line) for line in SENTENCES.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r["split"] == split]


def test_every_type_says_what_it_requires_in_roles_it_has():
    schema = lexicon().schema
    for fact_type, spec in schema.items():
        assert spec["requires"], fact_type
        for option in spec["requires"]:
            assert set(option) <= set(spec["roles"]), (fact_type, option)


@pytest.mark.parametrize(
    ("fact_type", "roles", "ok"),
    [
        ("AGREEMENT", [], False),
        ("AGREEMENT", ["date"], False),
        ("AGREEMENT", ["participant", "date"], False),
        ("AGREEMENT", ["subject", "date"], True),
        ("AGREEMENT", ["count"], True),
        ("MEETING", ["participant"], False),
        ("MEETING", ["participant", "participant"], True),
        ("MEETING", ["participant", "place"], True),
        ("ROLE", ["person"], False),
        ("ROLE", ["person", "title"], True),
        ("FUNDING", ["amount"], False),
        ("FUNDING", ["amount", "donor"], True),
        ("NOT_A_TYPE", ["x"], False),
    ],
)
def test_missing_names_what_a_fact_lacks(fact_type, roles, ok):
    reason = missing(fact_type, roles)
    assert (reason is None) == ok
    if not ok:
        assert reason


def _fact(*roles: str) -> FactCandidate:
    args = tuple(ArgCandidate(r, 0, 3, "The") for r in roles)
    return FactCandidate("AGREEMENT", 0, 20, args, "test.v1", 0.5)


def test_the_store_refuses_a_fact_without_arguments_and_writes_nothing(store, tmp_path):
    source = tmp_path / "one.txt"
    source.write_text("The MOUs were signed on Monday.", encoding="utf-8")
    list(ingest(store, [source]))
    (doc_id,) = store.documents.ids()
    with pytest.raises(IncompleteFact, match="no arguments"):
        store.mentions.replace_proposals(doc_id, [], None, facts=[_fact("subject"), _fact()])
    with pytest.raises(IncompleteFact, match="needs"):
        store.mentions.replace_proposals(doc_id, [], None, facts=[_fact("date")])
    assert store.facts.for_document(doc_id) == []
    with sqlite3.connect(tmp_path / "project.factdesk") as db:
        assert db.execute("SELECT count(*) FROM factargument").fetchone() == (0,)
    with pytest.raises(IncompleteFact):
        store.facts.create(doc_id, "AGREEMENT", (0, 20), [])
    assert store.facts.for_document(doc_id) == []


def _matches(fact: FactCandidate, wanted: dict[str, list[str]]) -> bool:
    """Every wanted role is there, each wanted text overlapping one of its arguments (the
    model may cut an honorific off a name)."""
    texts: dict[str, list[str]] = {}
    for a in fact.arguments:
        texts.setdefault(a.role, []).append(a.text)
    return all(
        any(w in t or t in w for t in texts.get(role, []))
        for role, want in wanted.items()
        for w in want
    )


@pytest.mark.parametrize("case", _cases("tuned"), ids=lambda c: c["text"][:40])
def test_signing_sentences_give_complete_agreements(case, pipeline):
    doc = pipeline.nlp(case["text"])
    found = [f for f in extract_facts(doc, PUBLISHED) if f.type == "AGREEMENT"]
    for fact in found:
        assert missing(fact.type, [a.role for a in fact.arguments]) is None
    if not case["facts"]:
        assert found == []
    for wanted in case["facts"]:
        assert any(_matches(f, wanted) for f in found), (found, wanted)


def test_parties_stay_unknown_in_a_passive_signing(pipeline):
    doc = pipeline.nlp(
        "The signing of four agreements on fisheries was witnessed by "
        "Prime Minister Anwar Ibrahim and President Prabowo Subianto."
    )
    (fact,) = [f for f in extract_facts(doc, PUBLISHED) if f.type == "AGREEMENT"]
    roles = {}
    for a in fact.arguments:
        roles.setdefault(a.role, []).append(a.text)
    assert "party" not in roles
    assert roles["count"] == ["four"] and roles["subject"] == ["fisheries"]
    assert sorted(roles["participant"]) == ["Anwar Ibrahim", "Prabowo Subianto"]


def test_a_signing_that_did_not_happen_is_not_an_agreement(pipeline):
    doc = pipeline.nlp("Myanmar has not signed the accord on border trade.")
    assert [f for f in extract_facts(doc, PUBLISHED) if f.type == "AGREEMENT"] == []


def test_passive_signings_in_a_folder_extract_every_file(store, tmp_path, pipeline):
    folder = tmp_path / "news"
    folder.mkdir()
    texts = [
        "Ministers of both countries met in Vientiane on Tuesday to review border trade.",
        "The MOUs were signed on Monday. Agreements were signed. "
        "The signing of the MOUs was witnessed by the Prime Minister.",
        "Trade between the two provinces rose 12% to 3 billion USD last year.",
    ]
    for i, text in enumerate(texts):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    list(ingest(store, [folder]))
    steps = list(extract(store, pipeline))
    assert [s.failed for s in steps] == [None, None, None]
    signed = next(i for i in store.documents.ids() if store.documents.get(i).info.source == "1")
    facts = [f for f in store.facts.for_document(signed) if f.type == "AGREEMENT"]
    assert len(facts) == 2
    for fact in facts:
        assert missing(fact.type, [a.role for a in fact.arguments]) is None
