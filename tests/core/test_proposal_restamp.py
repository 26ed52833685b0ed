"""A kept proposal names the model that proposed it last (both write paths)."""

from __future__ import annotations

import pytest

from desktop.core.records import NewDocument, ProposedMention

TEXT = "Tomas Arvelio toured Tanjung Vessa on Monday."


@pytest.fixture(params=["sqlite-driver", "core"])
def proposal_path(request, monkeypatch):
    from desktop.core.store import proposal_io

    if request.param == "core":
        monkeypatch.setattr(proposal_io, "for_connection", proposal_io.CoreIO)
    return request.param


def _p(start: int, end: int, label: str, extractor: str) -> ProposedMention:
    return ProposedMention(start, end, label, TEXT[start:end], "model", extractor, None)


def test_a_kept_proposal_takes_the_new_extractor_and_keeps_its_id_and_run(store, proposal_path):
    doc_id, _ = store.documents.add(NewDocument(source="d", text=TEXT))
    first = store.runs.start("base", "1", "r", ["ner"])
    store.mentions.replace_proposals(
        doc_id, [_p(0, 13, "PERSON", "base-1"), _p(21, 34, "PERSON", "base-1")], first
    )
    old = {(m.start, m.label): m for m in store.mentions.for_document(doc_id)}
    second = store.runs.start("base+project", "x", "r", ["ner"])
    outcome = store.mentions.replace_proposals(
        doc_id, [_p(0, 13, "PERSON", "project-x"), _p(21, 34, "GPE", "project-x")], second
    )
    assert (outcome.inserted, outcome.removed) == (1, 1)
    now = {(m.start, m.label): m for m in store.mentions.for_document(doc_id)}
    kept = now[(0, "PERSON")]
    assert kept.id == old[(0, "PERSON")].id
    assert kept.extractor == "project-x"
    assert now[(21, "GPE")].extractor == "project-x"
    assert (21, "PERSON") not in now
