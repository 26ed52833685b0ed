"""Disagreements between two layers and the adjudicator's decisions written into the project:
places grouped by overlap, the sentence around them, and each decision (take ours, theirs,
both, an edit) as one revision batch that undo takes back to the very rows before it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from desktop.core.agreement import open_layer
from desktop.core.agreement.disagreements import (
    chosen_facts,
    chosen_spans,
    find,
    find_in_document,
    places,
    sentence_around,
    summary,
)
from desktop.core.agreement.files import read_export
from desktop.core.agreement.layers import DocumentLayer, Layer, Span, read_layer
from desktop.core.ingest.importer import ingest
from desktop.core.store import Store
from desktop.core.store.adjudication import Adjudication, settle_facts


def test_overlapping_spans_of_both_sides_make_one_place():
    ours = (Span(0, 5, "ORG"), Span(20, 30, "GPE"), Span(40, 44, "DATE"))
    theirs = (Span(3, 9, "ORG"), Span(7, 12, "PERSON"), Span(40, 44, "DATE"))
    found = places(ours, theirs)
    assert found == [
        ([Span(0, 5, "ORG")], [Span(3, 9, "ORG"), Span(7, 12, "PERSON")]),  # chained
        ([Span(20, 30, "GPE")], []),
        ([Span(40, 44, "DATE")], [Span(40, 44, "DATE")]),
    ]


def test_the_sentence_around_a_place_stops_at_sentence_ends():
    text = "First one here. The Pell Trust paid. Last one."
    start = text.index("Pell")
    assert text[slice(*sentence_around(text, start, start + 10))] == "The Pell Trust paid."


def test_disagreements_name_their_kind_and_skip_agreed_places():
    text = "Mara Quellin of Lisvane met Osian Pell in Corrow on Tuesday ."
    at = {
        w: (text.index(w), text.index(w) + len(w))
        for w in ("Mara Quellin", "Lisvane", "Osian Pell", "Corrow", "Tuesday", "Pell")
    }
    ours = Layer(
        "ours",
        {
            "d": DocumentLayer(
                "d",
                "note",
                text,
                tuple(
                    sorted(
                        [
                            Span(*at["Mara Quellin"], "PERSON"),
                            Span(*at["Lisvane"], "GPE"),
                            Span(*at["Osian Pell"], "PERSON"),
                            Span(*at["Corrow"], "GPE"),
                        ]
                    )
                ),
                (),
                7,
            )
        },
    )
    theirs = Layer(
        "theirs",
        {
            "d": DocumentLayer(
                "d",
                "note",
                text,
                tuple(
                    sorted(
                        [
                            Span(*at["Mara Quellin"], "PERSON"),
                            Span(*at["Lisvane"], "ORG"),
                            Span(*at["Pell"], "PERSON"),
                            Span(*at["Tuesday"], "DATE"),
                        ]
                    )
                ),
            )
        },
    )
    found = find(ours, theirs)
    assert [d.kind for d in found] == ["label", "boundary", "only ours", "only theirs"]
    assert all(d.document_id == 7 for d in found)
    assert chosen_spans(found[0], "right") == [(*at["Lisvane"], "ORG")]
    assert chosen_spans(found[0], "both") == [(*at["Lisvane"], "GPE"), (*at["Lisvane"], "ORG")]
    assert chosen_spans(found[2], "right") == []
    assert summary(found[0], "right", text, chosen_spans(found[0], "right")) == (
        "Adjudicate note: take theirs ('Lisvane' ORG)"
    )


ARTICLE = (
    "Crane for the harbour\n\nThe Lisvane Port Authority took a crane in Corrow on Tuesday. "
    "Engineer Mara Quellin said it lifts 90 tonnes."
)


@pytest.fixture
def store(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "harbour.txt").write_text(ARTICLE, encoding="utf-8")
    with Store.open(tmp_path / "p.factdesk") as s:
        list(ingest(s, [folder]))
        yield s


def _mentions(store: Store) -> list[tuple]:
    t = sa.table(
        "mention",
        sa.column("id"),
        sa.column("start"),
        sa.column("end"),
        sa.column("label"),
        sa.column("status"),
        sa.column("origin"),
    )
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(t).order_by(t.c.id)).all()]


def _add(store, doc_id, words, label, **kw):
    start = ARTICLE.index(words)
    return store.mentions.add(doc_id, start, start + len(words), label, **kw).mention.id


def _colleague(layers, store, tmp_path, change):
    """Our export with the colleague's changes (`change(record)`), read as a layer
    (`layers`: tests/adjudication_layers.py)."""
    return read_export(layers.colleague_export(store, tmp_path, change), "prodigy")


def _span(words, label):
    start = ARTICLE.index(words)
    return {"start": start, "end": start + len(words), "label": label}


def test_each_choice_is_one_batch_and_undo_gives_back_the_rows(
    store, tmp_path, adjudication_layers
):
    (doc_id,) = store.documents.ids()
    _add(store, doc_id, "Lisvane Port Authority", "ORG")
    _add(store, doc_id, "Corrow", "GPE")
    _add(store, doc_id, "Mara Quellin", "PERSON")
    # a model's proposal nobody decided on, inside the place of "Engineer Mara Quellin"
    _add(store, doc_id, "Engineer", "TITLE", origin="model", status="proposed")

    def change(record):
        spans = [s for s in record["spans"] if s["label"] != "PERSON"]
        for s in spans:
            if s["label"] == "GPE":
                s["label"] = "LOC"
        record["spans"] = [
            *spans,
            _span("Engineer Mara Quellin", "PERSON"),
            _span("Tuesday", "DATE"),
        ]

    theirs = _colleague(adjudication_layers, store, tmp_path, change)
    found = find(open_layer(store.location), theirs)
    assert [d.kind for d in found] == ["label", "only theirs", "boundary"]
    adjudication = Adjudication(store.engine)
    before = _mentions(store)
    revisions = store.revisions.count()

    # take theirs on "Corrow": the GPE mention is relabelled LOC, not doubled
    corrow = found[0]
    change = adjudication.settle(
        doc_id, (corrow.start, corrow.end), chosen_spans(corrow, "right"), "take theirs"
    )
    assert change.batch is not None
    after = _mentions(store)
    assert len(after) == len(before)
    relabelled = [m for m in after if m[1:3] == (corrow.start, corrow.end)]
    assert [(m[3], m[4]) for m in relabelled] == [("LOC", "accepted")]
    assert {
        r["batch"] for r in store.revisions.latest(revisions) if r["action"] == "mention.adjudicate"
    } == {change.batch}
    store.history.undo(change.batch)
    assert _mentions(store) == before

    # take theirs on "Engineer Mara Quellin": ours and the stray proposal rejected, theirs added
    mara = found[2]
    batch = adjudication.settle(
        doc_id, (mara.start, mara.end), chosen_spans(mara, "right"), "take theirs"
    ).batch
    spans = {(m[1], m[2], m[3]): (m[4], m[5]) for m in _mentions(store)}
    start = ARTICLE.index("Engineer")
    assert spans[(start, start + len("Engineer Mara Quellin"), "PERSON")] == ("accepted", "human")
    assert spans[(start, start + 8, "TITLE")] == ("rejected", "model")
    assert spans[(ARTICLE.index("Mara"), ARTICLE.index(" said"), "PERSON")][0] == "rejected"
    layer = open_layer(store.location)
    assert not [d for d in find(layer, theirs) if d.start == mara.start]
    store.history.undo(batch)
    assert _mentions(store) == before
    store.history.redo(batch)
    assert len(_mentions(store)) == len(before) + 1

    # take both on Tuesday (only theirs): added; take ours where ours is accepted: no change
    tuesday = found[1]
    assert (
        adjudication.settle(
            doc_id, (tuesday.start, tuesday.end), chosen_spans(tuesday, "both"), "both"
        ).batch
        is not None
    )
    assert (
        adjudication.settle(
            doc_id, (corrow.start, corrow.end), chosen_spans(corrow, "left"), "ours"
        ).batch
        is None
    )
    # an edit: any span the adjudicator marks, checked against the text
    with pytest.raises(ValueError, match="outside document"):
        adjudication.settle(doc_id, (0, 5), [(0, 10**6, "ORG")], "edit")


# the `ferry` project and `adjudication_layers` come from tests/conftest.py
# (tests/adjudication_layers.py, shared with tests/ui/test_adjudication_window.py)


def _event_facts(store):
    (doc_id,) = store.documents.ids()
    return sorted(
        (f.type, f.status, tuple((a.role, a.text) for a in f.arguments))
        for f in store.facts.for_document(doc_id)
    )


def test_our_prodigy_export_holds_our_facts_with_their_roles(ferry, tmp_path, adjudication_layers):
    theirs = _colleague(adjudication_layers, ferry, tmp_path, None)
    (doc,) = theirs.documents.values()
    assert [s.label for s in doc.spans] == ["ORG", "GPE"]  # the relation ends are no spans
    (fact,) = doc.facts
    assert [role for role, _s, _e in fact.arguments] == ["organizer", "place"]
    assert find(open_layer(ferry.location), theirs) == []


def test_a_fact_place_is_settled_as_one_step(ferry, tmp_path, adjudication_layers):
    # the colleague read Friday as the event's date, not Quenby Isle as its place
    layers = adjudication_layers
    theirs = _colleague(layers, ferry, tmp_path, layers.friday_as_date)
    found = find(open_layer(ferry.location), theirs)
    # in text order: the fact (from Osterly on), then the DATE span only theirs has
    assert [d.kind for d in found] == ["fact", "only theirs"]
    fact_place = found[0]
    assert fact_place.is_fact and not fact_place.ours and not fact_place.theirs
    assert chosen_facts(fact_place, "right") == list(fact_place.theirs_facts)
    before = _event_facts(ferry)
    (doc_id,) = ferry.documents.ids()
    name = summary(
        fact_place, "right", adjudication_layers.FERRY, chosen_facts(fact_place, "right")
    )
    assert name == "Adjudicate ferry: take theirs (EVENT fact)"
    stake = list(fact_place.ours_facts + fact_place.theirs_facts)
    batch = settle_facts(ferry, doc_id, stake, chosen_facts(fact_place, "right"), name)
    assert _event_facts(ferry) == [
        ("EVENT", "accepted", (("organizer", "Osterly Ferry Company"), ("date", "Friday"))),
        ("EVENT", "rejected", (("organizer", "Osterly Ferry Company"), ("place", "Quenby Isle"))),
    ]
    assert ferry.history.summary(batch) == name
    assert [e.batch for e in ferry.history.entries()][-1] == batch  # one step in History
    ferry.history.undo(batch)
    assert _event_facts(ferry) == before
    both = settle_facts(ferry, doc_id, stake, chosen_facts(fact_place, "both"), "both")
    assert [f[1] for f in _event_facts(ferry)] == ["accepted", "accepted"]
    assert settle_facts(ferry, doc_id, stake, chosen_facts(fact_place, "both"), "again") is None
    assert both is not None


def test_one_documents_places_are_found_again_as_in_the_whole_comparison(
    store, tmp_path, adjudication_layers
):
    (doc_id,) = store.documents.ids()
    _add(store, doc_id, "Corrow", "GPE")

    def change(record):
        record["spans"] = [_span("Corrow", "LOC"), _span("Tuesday", "DATE")]

    theirs = _colleague(adjudication_layers, store, tmp_path, change)
    whole = find(open_layer(store.location), theirs)
    one = read_layer(store, "ours", ids=[doc_id])
    assert next(iter(one.documents.values())).document_id == doc_id
    (sha,) = one.documents
    assert find_in_document(one, theirs, sha) == whole
    assert [d.kind for d in whole] == ["label", "only theirs"]
    assert read_layer(store, "none", ids=[]).documents == {}
