"""Undo and redo built on the revision log, surviving a reopened project."""

from desktop.core.records import NewDocument
from desktop.core.store import Store

TEXT = "Chairman Wei Tao met Minister Le Hoai Trung in Hanoi on November 25."


def _project(tmp_path):
    store = Store.open(tmp_path / "p.factdesk")
    doc_id, _ = store.documents.add(NewDocument(source="talks", text=TEXT))
    return store, doc_id


def _state(store, doc_id):
    return sorted((m.start, m.end, m.label, m.status) for m in store.mentions.for_document(doc_id))


def test_each_edit_undoes_and_redoes_exactly(tmp_path):
    store, doc_id = _project(tmp_path)
    states = [_state(store, doc_id)]
    added = store.mentions.add(doc_id, 9, 16, "PERSON", status="proposed", origin="model")
    states.append(_state(store, doc_id))
    mid = added.mention.id
    batches = [
        added.batch,
        store.mentions.relabel(mid, "ORG").batch,
        store.mentions.resize(mid, 9, 13).batch,
        store.mentions.set_status(mid, "rejected").batch,
        store.mentions.delete(mid).batch,
    ]
    # Re-derive the intermediate states by undoing from the end.
    seen_back = []
    for batch in reversed(batches):
        seen_back.append(_state(store, doc_id))
        store.history.undo(batch)
    assert _state(store, doc_id) == states[0]
    seen_forward = []
    for batch in batches:
        store.history.redo(batch)
        seen_forward.append(_state(store, doc_id))
    assert seen_forward == list(reversed(seen_back))
    assert seen_forward[0] == states[1]
    assert seen_forward[2] == [(9, 13, "ORG", "accepted")]
    assert seen_forward[-1] == []


def test_delete_undo_restores_the_same_row_and_its_tags(tmp_path):
    store, doc_id = _project(tmp_path)
    mention = store.mentions.add(doc_id, 9, 16, "PERSON").mention
    with store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO tag (name) VALUES ('verified')")
        conn.exec_driver_sql(f"INSERT INTO mentiontag VALUES ({mention.id}, 1)")
    change = store.mentions.delete(mention.id)
    assert store.mentions.get(mention.id) is None
    store.history.undo(change.batch)
    assert store.mentions.get(mention.id) == mention
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM mentiontag").scalar() == 1


def test_accept_all_is_one_undoable_step(tmp_path):
    store, doc_id = _project(tmp_path)
    for start, end in [(9, 16), (30, 43), (47, 52)]:
        store.mentions.add(doc_id, start, end, "PERSON", status="proposed", origin="model")
    change = store.mentions.accept_all(doc_id)
    assert {m.status for m in store.mentions.for_document(doc_id)} == {"accepted"}
    store.history.undo(change.batch)
    assert {m.status for m in store.mentions.for_document(doc_id)} == {"proposed"}


def test_history_survives_reopening(tmp_path):
    store, doc_id = _project(tmp_path)
    first = store.mentions.add(doc_id, 9, 16, "PERSON")
    second = store.mentions.relabel(first.mention.id, "ORG")
    third = store.mentions.add(doc_id, 47, 52, "GPE")
    store.history.undo(third.batch)
    store.close()

    with Store.open(tmp_path / "p.factdesk") as again:
        done, redoable = again.history.stack()
        assert [e.batch for e in done] == [first.batch, second.batch]
        assert [e.batch for e in redoable] == [third.batch]
        assert "Relabel" in done[-1].summary
        again.history.redo(third.batch)
        assert [m.label for m in again.mentions.for_document(doc_id)] == ["ORG", "GPE"]


def test_a_new_edit_after_undo_drops_the_redo_tail(tmp_path):
    store, doc_id = _project(tmp_path)
    first = store.mentions.add(doc_id, 9, 16, "PERSON")
    store.history.undo(first.batch)
    second = store.mentions.add(doc_id, 47, 52, "GPE")
    done, redoable = store.history.stack()
    assert [e.batch for e in done] == [second.batch]
    assert redoable == []


def test_imports_and_extraction_are_not_in_the_undo_history(tmp_path):
    store, _ = _project(tmp_path)
    assert store.history.entries() == []
