"""A relabel carries its entity and its facts along, as one undo step that survives a restart."""

from __future__ import annotations

import pytest

from desktop.core.entities.resolve import resolve
from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.core.store.relabel import NEEDS_REVIEW

TEXT = (
    "Deputy Minister Pham Thi Lan met Governor Wei Tao in Nanning on Monday. "
    "Pham Thi Lan said the Lantern Robotics deal would be signed soon. "
    "Lantern Robotics is based in Hue.\n"
)


@pytest.fixture
def project(tmp_path, pipeline):
    (tmp_path / "talks.txt").write_text(TEXT, encoding="utf-8")
    store = Store.open(tmp_path / "p.factdesk")
    list(ingest(store, [tmp_path / "talks.txt"]))
    list(extract(store, pipeline))
    resolve(store)
    yield store, store.documents.ids()[0]
    store.close()


def _mentions(store, doc_id, text):
    return [m for m in store.mentions.for_document(doc_id) if m.text == text]


def _fact(store, doc_id, fact_type, text):
    return next(
        f
        for f in store.facts.for_document(doc_id)
        if f.type == fact_type and any(a.text == text for a in f.arguments)
    )


def _snapshot(store, doc_id):
    mentions = sorted(
        (m.id, m.label, m.status, m.entity_id) for m in store.mentions.for_document(doc_id)
    )
    entities = sorted(
        (e.id, e.kind, e.preferred_name, e.mention_count) for e in store.entities.list()
    )
    facts = sorted(
        (f.id, f.status, tuple(store.tags.of("fact", f.id)))
        for f in store.facts.for_document(doc_id)
    )
    return mentions, entities, facts, store.tags.names()


def test_a_lone_mention_takes_its_entity_along_and_the_role_is_flagged(project, tmp_path):
    store, doc_id = project
    (wei,) = _mentions(store, doc_id, "Wei Tao")
    role = _fact(store, doc_id, "ROLE", "Wei Tao")
    meeting = _fact(store, doc_id, "MEETING", "Wei Tao")
    store.facts.set_status(role.id, "accepted")
    store.facts.set_status(meeting.id, "accepted")
    before = _snapshot(store, doc_id)

    change = store.mentions.relabel(wei.id, "ORG")

    assert change.flagged_facts == (role.id,)
    assert change.mention.entity_id == wei.entity_id
    assert store.entities.get(wei.entity_id).kind == "organization"
    assert store.facts.get(role.id).status == "proposed"  # out of the reviewed exports
    assert store.tags.of("fact", role.id) == [NEEDS_REVIEW]
    assert store.facts.get(meeting.id).status == "accepted"  # an organization may meet
    assert store.tags.of("fact", meeting.id) == []
    after = _snapshot(store, doc_id)

    store.close()  # one undo step, also after a restart
    store = Store.open(tmp_path / "p.factdesk")
    store.history.undo(change.batch)
    assert _snapshot(store, doc_id) == before
    store.history.redo(change.batch)
    assert _snapshot(store, doc_id) == after
    store.close()


def test_one_of_several_mentions_moves_to_an_entity_of_the_new_kind(project):
    store, doc_id = project
    first, second = _mentions(store, doc_id, "Lantern Robotics")
    org = first.entity_id
    assert second.entity_id == org

    moved = store.mentions.relabel(first.id, "PERSON").mention
    person = moved.entity_id
    assert person not in (None, org)
    assert store.entities.get(person).kind == "person"
    assert store.entities.get(org).kind == "organization"  # the other mention stays an ORG

    again = store.mentions.relabel(second.id, "PERSON").mention
    assert again.entity_id == person  # the same name joins the same entity
    shown = {e.id: e for e in store.entities.list()}
    assert org not in shown  # nothing of it is left to show
    assert shown[person].mention_count == 2
    subject = _fact(store, doc_id, "AGREEMENT", "Lantern Robotics")
    assert store.tags.of("fact", subject.id) == []  # a subject may be anything


def test_a_label_that_names_no_entity_unlinks_and_flags_the_place(project):
    store, doc_id = project
    (nanning,) = _mentions(store, doc_id, "Nanning")
    meeting = _fact(store, doc_id, "MEETING", "Nanning")
    change = store.mentions.relabel(nanning.id, "DATE")
    assert change.mention.entity_id is None
    assert change.flagged_facts == (meeting.id,)
    assert all(e.preferred_name != "Nanning" for e in store.entities.list())
    store.history.undo(change.batch)
    assert _mentions(store, doc_id, "Nanning")[0].entity_id == nanning.entity_id
    assert store.tags.of("fact", meeting.id) == []
    assert NEEDS_REVIEW not in store.tags.names()


def test_a_name_already_held_by_an_entity_of_the_new_kind_goes_there(project):
    store, doc_id = project
    first, second = _mentions(store, doc_id, "Pham Thi Lan")
    moved = store.mentions.relabel(second.id, "ORG").mention  # one of two: a new ORG entity
    joined = store.mentions.relabel(first.id, "ORG").mention  # the last one: joins it
    assert joined.entity_id == moved.entity_id
    assert store.entities.get(moved.entity_id).kind == "organization"
