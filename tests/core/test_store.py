"""The project store on a real SQLite file: pragmas, atomic writes, records, revisions."""

import sqlite3
from dataclasses import FrozenInstanceError

import pytest
import sqlalchemy as sa

from desktop.core.records import DocumentRecord, NewDocument, NewZone, ProposedMention
from desktop.core.store import ProjectError, Store


def _doc(text: str = "Wei Tao met Le Hoai Trung in Hanoi.", source: str = "a") -> NewDocument:
    return NewDocument(
        source=source, text=text, title="Talks", zones=(NewZone(0, len(text), "body"),)
    )


def test_project_file_uses_wal_and_foreign_keys(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    raw = sqlite3.connect(store.location)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_same_text_twice_is_a_no_op(store):
    first = store.documents.add(_doc())
    second = store.documents.add(_doc(source="b"))
    assert first == (first[0], True)
    assert second == (first[0], False)
    assert store.documents.count() == 1
    assert store.revisions.count("document.add") == 1


def test_reads_are_plain_frozen_records(store):
    doc_id, _ = store.documents.add(_doc())
    record = store.documents.get(doc_id)
    store.close()
    assert isinstance(record, DocumentRecord)
    assert record.text.startswith("Wei Tao")
    assert record.zones[0].kind == "body"
    with pytest.raises(FrozenInstanceError):
        record.text = "changed"  # type: ignore[misc]


def test_failed_add_leaves_nothing_behind(store):
    bad = NewDocument(source="bad", text="Some text here.", zones=(NewZone(0, 4, None),))  # type: ignore[arg-type]
    with pytest.raises(sa.exc.IntegrityError):
        store.documents.add(bad)
    assert store.documents.count() == 0
    assert store.revisions.count() == 0
    assert store.search("text") == []


def test_delete_cascades_to_mentions_zones_and_index(store):
    doc_id, _ = store.documents.add(_doc())
    store.mentions.add(doc_id, 0, 7, "PERSON")
    store.documents.delete(doc_id)
    with store.engine.connect() as conn:
        for table in ("mention", "zone", "document_fts"):
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0
    assert store.revisions.count("document.delete") == 1


def test_counts_per_status_in_document_list(store):
    doc_id, _ = store.documents.add(_doc())
    a = store.mentions.add(doc_id, 0, 7, "PERSON", status="proposed", origin="model").mention
    store.mentions.add(doc_id, 12, 25, "PERSON", status="proposed", origin="model")
    store.mentions.set_status(a.id, "rejected")
    (info,) = store.documents.page()
    assert (info.proposed, info.accepted, info.rejected) == (1, 0, 1)
    assert store.revisions.latest(1)[0]["action"] == "mention.rejected"


def test_mention_outside_the_text_is_refused(store):
    doc_id, _ = store.documents.add(_doc())
    with pytest.raises(ValueError, match="outside"):
        store.mentions.add(doc_id, 10, 500, "ORG")


def test_opening_a_file_that_is_not_a_project_changes_nothing(tmp_path):
    path = tmp_path / "notes.factdesk"
    path.write_bytes(b"not a database at all\n" * 10)
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="not a Factdesk project"):
        Store.open(path)
    assert path.read_bytes() == before


def test_opening_a_missing_project_without_create_fails(tmp_path):
    with pytest.raises(ProjectError, match="no such project"):
        Store.open(tmp_path / "missing.factdesk", create=False)


def _proposal(start, end, label, text="x"):
    return ProposedMention(start, end, label, text, "model", "test-model", None)


@pytest.fixture(params=["sqlite-driver", "core"])
def proposal_path(request, monkeypatch):
    """Run a test through the SQLite fast path and through the portable Core statements."""
    from desktop.core.store import proposal_io

    if request.param == "core":
        monkeypatch.setattr(proposal_io, "for_connection", proposal_io.CoreIO)
    return request.param


def test_re_proposing_keeps_ids_removes_stale_and_respects_decisions(store, proposal_path):
    doc_id, _ = store.documents.add(_doc())
    runs = [store.runs.start("test-model", "1", "rules-x", ["ner"]) for _ in range(3)]
    first = store.mentions.replace_proposals(
        doc_id,
        [_proposal(0, 7, "PERSON"), _proposal(12, 25, "ORG"), _proposal(29, 34, "GPE")],
        runs[0],
    )
    assert (first.inserted, first.removed) == (3, 0)
    by_span = {(m.start, m.end): m for m in store.mentions.for_document(doc_id)}
    store.mentions.set_status(by_span[(12, 25)].id, "rejected")
    store.mentions.set_status(by_span[(29, 34)].id, "accepted")
    human = store.mentions.add(doc_id, 8, 11, "MISC").mention

    again = store.mentions.replace_proposals(
        doc_id,
        [
            _proposal(0, 7, "PERSON"),
            _proposal(12, 25, "ORG"),
            _proposal(29, 34, "LOC"),
            _proposal(8, 11, "ORG"),
        ],
        runs[1],
    )
    assert (again.inserted, again.removed, again.kept) == (0, 0, 1)
    after = {(m.start, m.end): m for m in store.mentions.for_document(doc_id)}
    assert after[(0, 7)].id == by_span[(0, 7)].id
    assert after[(12, 25)].status == "rejected" and after[(12, 25)].label == "ORG"
    assert after[(29, 34)].status == "accepted" and after[(29, 34)].label == "GPE"
    assert after[(8, 11)] == human
    assert len(after) == 4

    dropped = store.mentions.replace_proposals(doc_id, [], runs[2])
    assert dropped.removed == 1
    assert {(m.start, m.end) for m in store.mentions.for_document(doc_id)} == {
        (12, 25),
        (29, 34),
        (8, 11),
    }


def test_another_applications_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE contacts (name TEXT)")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="another application"):
        Store.open(path)
    assert path.read_bytes() == before
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("contacts",)]


def test_documents_of_one_batch_land_together_or_not_at_all(store):
    good = NewDocument(source="good", text="A good document.")
    bad = NewDocument(source="bad", text="Another one.", zones=(NewZone(0, 3, None),))  # type: ignore[arg-type]
    with pytest.raises(sa.exc.IntegrityError):
        store.documents.add_many([good, bad])
    assert store.documents.count() == 0
    results = store.documents.add_many([good, good, NewDocument(source="c", text="Third.")])
    assert [created for _, created in results] == [True, False, True]
    assert results[0][0] == results[1][0]
