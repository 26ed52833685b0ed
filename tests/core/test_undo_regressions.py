"""Undo and redo cases the property test (test_undo_property.py) found, each on its own."""

from __future__ import annotations

import json

import sqlalchemy as sa

from desktop.core.entities.resolve import resolve
from desktop.core.formats.imports import import_file
from desktop.core.records import NewDocument
from desktop.core.store import Store

OLD = "Harbour minister Clara Voss opened the quay in Port Elsby."
NEW = "Engineer Lena Hart joined Brightwater Energy in Salgrove."


def _rows(store: Store, table: str) -> list[tuple]:
    with store.engine.connect() as conn:
        return sorted(tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{table}"').all())


def _ingest(store: Store, text: str, source: str) -> tuple[int, int]:
    """What the window's import does without the model: the document logged as one import,
    a proposal in it, entity resolution over the project. (document id, import batch)"""
    ((doc, _new),) = store.documents.add_many([NewDocument(source=source, text=text)])
    batch = store.imports.record_documents([doc], source)
    store.mentions.add(doc, 9, 18, "PERSON", origin="model", status="proposed")
    resolve(store)
    store.labels.ensure()
    return doc, batch


def test_undoing_a_mention_delete_gives_the_fact_argument_its_mention_back(tmp_path):
    with Store.open(tmp_path / "p.factdesk") as store:
        ((doc, _),) = store.documents.add_many([NewDocument(source="old", text=OLD)])
        mention = store.mentions.add(doc, 17, 27, "PERSON").mention
        assert mention is not None
        store.facts.create(doc, "STATEMENT", (0, 27), [("speaker", 17, 27, "Clara Voss")])
        (fact,) = store.facts.query()
        arg = fact.arguments[0].id
        store.facts.remove_argument(arg)
        store.history.undo(store.history.stack()[0][-1].batch)
        store.facts.add_argument(fact.id, "speaker", 17, 27, "Clara Voss", mention.id)
        (linked,) = [a for a in store.facts.query()[0].arguments if a.mention_id]
        deleted = store.mentions.delete(mention.id).batch
        assert deleted is not None
        assert store.facts.query()[0].arguments[-1].mention_id is None
        store.history.undo(deleted)
        assert store.facts.query()[0].arguments[-1].mention_id == mention.id == linked.mention_id
        store.history.redo(deleted)
        assert store.facts.query()[0].arguments[-1].mention_id is None


def test_an_argument_without_a_value_stays_sql_null_through_undo_and_redo(tmp_path):
    line = {
        "text": NEW,
        "spans": [
            {"start": 9, "end": 18, "label": "PERSON"},
            {"start": 26, "end": 44, "label": "ORG"},
        ],
        "relations": [
            {
                "head_span": {"start": 9, "end": 18, "label": "PERSON"},
                "child_span": {"start": 26, "end": 44, "label": "ORG"},
                "label": "ROLE",
            }
        ],
    }
    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps(line), encoding="utf-8")
    with Store.open(tmp_path / "p.factdesk") as store:
        batch = import_file(store, "prodigy", data).batch
        assert batch is not None
        before = _rows(store, "factargument")
        store.history.undo(batch)
        store.history.redo(batch)  # the rows written back in bulk
        assert _rows(store, "factargument") == before
        assert {row[-1] for row in before} == {None}  # value_json: NULL, not the text 'null'


def test_an_edit_undone_before_a_newer_one_never_comes_back_after_a_restart(tmp_path):
    path = tmp_path / "p.factdesk"
    with Store.open(path) as store:
        ((doc, _),) = store.documents.add_many([NewDocument(source="old", text=OLD)])
        first = store.mentions.add(doc, 17, 27, "PERSON")
        store.history.undo(first.batch)  # type: ignore[arg-type]
        second = store.mentions.add(doc, 46, 56, "GPE")  # takes the same mention id
        assert first.mention and second.mention and first.mention.id == second.mention.id
        store.history.undo(second.batch)  # type: ignore[arg-type]
    with Store.open(path) as store:  # the window rebuilds its stack from the log
        done, redoable = store.history.stack()
        assert done == [] and [e.batch for e in redoable] == [second.batch]
        store.history.redo(second.batch)  # type: ignore[arg-type]
        assert [(m.start, m.label) for m in store.mentions.for_document(doc)] == [(46, "GPE")]


def test_undoing_an_import_takes_out_the_entities_resolution_made_for_it(tmp_path):
    with Store.open(tmp_path / "p.factdesk") as store:
        store.labels.ensure()
        ((old, _),) = store.documents.add_many([NewDocument(source="old", text=OLD)])
        store.mentions.add(old, 17, 27, "PERSON", origin="model", status="proposed")
        resolve(store)
        before = {t: _rows(store, t) for t in ("entity", "alias", "mention", "label")}
        doc, batch = _ingest(store, NEW, "new")
        (made,) = [m.entity_id for m in store.mentions.for_document(doc)]
        after = {t: _rows(store, t) for t in before}
        assert made is not None and len(after["entity"]) == len(before["entity"]) + 1

        store.history.undo(batch)
        assert {t: _rows(store, t) for t in before} == before
        store.history.redo(batch)
        assert {t: _rows(store, t) for t in before} == after
        assert store.entities.get(made) is not None


def test_undoing_an_import_gives_back_the_links_resolution_changed_outside_it(tmp_path):
    with Store.open(tmp_path / "p.factdesk") as store:
        ((old, _),) = store.documents.add_many([NewDocument(source="old", text=OLD)])
        mention = store.mentions.add(old, 17, 27, "PERSON", origin="model", status="proposed")
        resolve(store)
        assert mention.mention is not None
        store.mentions.resize(mention.mention.id, 23, 27)  # "Voss": no longer its alias
        before = _rows(store, "mention"), _rows(store, "entity")
        _doc, batch = _ingest(store, NEW, "new")  # resolution moves "Voss" elsewhere
        moved = store.mentions.get(mention.mention.id)
        assert moved is not None and moved.entity_id != before[0][0][10]
        after = _rows(store, "mention"), _rows(store, "entity")

        store.history.undo(batch)
        assert (_rows(store, "mention"), _rows(store, "entity")) == before
        store.history.redo(batch)
        assert (_rows(store, "mention"), _rows(store, "entity")) == after


def test_a_label_renamed_before_an_import_renames_back_after_its_undo(tmp_path):
    with Store.open(tmp_path / "p.factdesk") as store:
        store.labels.ensure()
        person = next(label for label in store.labels.all() if label.name == "PERSON")
        renamed = store.labels.update(person.id, name="HUMAN").batch
        _doc, batch = _ingest(store, NEW, "new")  # the label set gets PERSON again
        assert "PERSON" in {label.name for label in store.labels.all()}
        store.history.undo(batch)
        store.history.undo(renamed)  # type: ignore[arg-type]
        names = [label.name for label in store.labels.all()]
        assert names.count("PERSON") == 1 and "HUMAN" not in names
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM label")).scalar() == len(names)


def test_undoing_an_import_gives_entities_back_the_names_they_had_before_it(tmp_path):
    with Store.open(tmp_path / "p.factdesk") as store:
        text = "Harbour minister Clara Voss opened the quay. Voss thanked the crews."
        ((old, _),) = store.documents.add_many([NewDocument(source="old", text=text)])
        added = store.mentions.add(old, 17, 27, "PERSON", origin="model", status="proposed")
        store.mentions.add(old, 45, 49, "PERSON", origin="model", status="proposed")
        resolve(store)
        assert added.mention is not None
        mid = added.mention.id
        entity = store.mentions.get(mid).entity_id  # type: ignore[union-attr]
        assert entity is not None
        store.mentions.resize(mid, 17, 25)  # "Clara Vo"; the entity's name stays
        assert store.entities.get(entity).preferred_name == "Clara Voss"  # type: ignore[union-attr]
        _doc, batch = _ingest(store, NEW, "new")  # resolution moves it and renames the entity
        assert store.mentions.get(mid).entity_id != entity  # type: ignore[union-attr]
        assert store.entities.get(entity).preferred_name == "Voss"  # type: ignore[union-attr]
        store.history.undo(batch)
        assert store.entities.get(entity).preferred_name == "Clara Voss"  # type: ignore[union-attr]
        assert store.mentions.get(mid).entity_id == entity  # type: ignore[union-attr]


def test_undoing_an_import_gives_back_a_name_resolution_refreshed_elsewhere(tmp_path):
    with Store.open(tmp_path / "p.factdesk") as store:
        text = "Harbour minister Clara Voss opened the quay. Voss thanked the crews."
        ((old, _),) = store.documents.add_many([NewDocument(source="old", text=text)])
        added = store.mentions.add(old, 17, 27, "PERSON", origin="model", status="proposed")
        store.mentions.add(old, 45, 49, "PERSON", origin="model", status="proposed")
        resolve(store)
        assert added.mention is not None
        entity = store.mentions.get(added.mention.id).entity_id  # type: ignore[union-attr]
        store.mentions.delete(added.mention.id)  # the entity keeps its name for now
        _doc, batch = _ingest(store, NEW, "new")  # resolving everything renames it
        assert store.entities.get(entity).preferred_name == "Voss"  # type: ignore[arg-type, union-attr]
        store.history.undo(batch)
        assert store.entities.get(entity).preferred_name == "Clara Voss"  # type: ignore[arg-type, union-attr]
        store.history.redo(batch)
        assert store.entities.get(entity).preferred_name == "Voss"  # type: ignore[arg-type, union-attr]
