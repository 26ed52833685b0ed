"""Undo and redo of a whole dataset import through the revision log."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from desktop.core.formats.imports import import_file
from desktop.core.records import NewDocument

KNOWN = "Wei Tao visits Vietnam."
NEW = "Minister Nguyễn Mạnh Hùng opened the Đà Nẵng forum with Guangxi delegates."


def rows(store) -> dict[str, int]:  # type: ignore[no-untyped-def]
    names = ("document", "zone", "mention", "fact", "factargument", "facttag", "mentiontag")
    with store.engine.connect() as conn:
        counts = {n: conn.execute(sa.text(f"SELECT count(*) FROM {n}")).scalar() for n in names}
        counts["fts"] = conn.execute(sa.text("SELECT count(*) FROM document_fts")).scalar()
    return counts


def spans(store) -> set[tuple]:  # type: ignore[type-arg, no-untyped-def]
    return {
        (m.id, m.document_id, m.start, m.end, m.label, m.origin, m.status)
        for i in store.documents.ids()
        for m in store.mentions.for_document(i)
    }


def dataset(tmp_path: Path) -> Path:
    head = {"start": 0, "end": 7, "label": "PERSON"}
    child = {"start": 15, "end": 22, "label": "GPE"}
    relation = {"head_span": head, "child_span": child, "label": "VISITS"}
    person = {"start": 9, "end": 25, "label": "PERSON"}
    place = {"start": 30, "end": 37, "label": "GPE"}
    lines = [
        {"text": KNOWN, "spans": [head, child], "relations": [relation]},
        {"text": NEW, "meta": {"source": "forum"}, "spans": [person, place]},
    ]
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    return path


def test_an_import_is_one_undo_step_that_takes_everything_out_and_back(backend_store, tmp_path):
    store = backend_store  # on SQLite and on PostgreSQL: the bulk writes, undo, the index
    ((known, _),) = store.documents.add_many([NewDocument(source="visit", text=KNOWN)])
    store.mentions.add(known, 0, 7, "PERSON")  # the analyst's own, before the import
    before_rows, before_spans = rows(store), spans(store)
    report = import_file(store, "prodigy", dataset(tmp_path))
    assert (report.documents_added, report.documents_matched, report.facts_added) == (1, 1, 1)
    assert report.batch is not None
    (new_doc,) = set(report.document_ids) - {known}
    store.mentions.add(new_doc, 52, 59, "GPE", status="proposed")  # extraction proposes later
    after_rows, after_spans = rows(store), spans(store)
    assert [e.summary for e in store.history.entries()][-2].startswith("Imported prodigy")

    done, _ = store.history.stack()
    assert report.batch in {e.batch for e in done}
    store.history.undo(report.batch)
    assert rows(store) == before_rows and spans(store) == before_spans
    assert not store.search("da nang")  # the search index lost the document too
    assert store.documents.get(new_doc) is None

    store.history.redo(report.batch)
    # everything comes back with its ids, also what came to the new document later
    assert rows(store) == after_rows and spans(store) == after_spans
    assert [h.document_id for h in store.search("da nang")] == [new_doc]
    (fact,) = store.facts.query(types=["VISITS"])
    assert [(a.role, a.text) for a in fact.arguments] == [("head", "Wei Tao"), ("tail", "Vietnam")]


def test_ingested_documents_are_one_undo_step_with_their_proposals(backend_store):
    store = backend_store
    before_rows = rows(store)
    added = store.documents.add_many(
        [NewDocument(source="a", text=KNOWN), NewDocument(source="b", text=NEW)]
    )
    ids = [doc_id for doc_id, _new in added]
    store.mentions.add(ids[1], 30, 37, "GPE", status="proposed")  # what extraction proposed
    batch = store.imports.record_documents(ids, "drop")
    assert store.history.stack()[0][-1].summary == "Imported drop: 2 documents"
    store.history.undo(batch)
    assert rows(store) == before_rows and store.documents.ids() == []
    store.history.redo(batch)
    assert store.documents.ids() == ids
    assert [h.document_id for h in store.search("da nang")] == [ids[1]]
    assert rows(store)["mention"] == 1  # extraction's proposal is back, with its id
    assert [m.start for m in store.mentions.for_document(ids[1])] == [30]
