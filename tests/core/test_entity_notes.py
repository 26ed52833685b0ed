"""Tags and notes on canonical entities: stored, undoable, carried by a merge."""

from __future__ import annotations

import pytest

from desktop.core.entities.resolve import resolve
from desktop.core.records import NewDocument

TEXT = "Wei Tao met Le Hoai Trung in Hanoi. NDRC and the National Development Commission agreed."


@pytest.fixture
def entities(store):
    ((doc, _),) = store.documents.add_many([NewDocument(source="talks", text=TEXT)])
    for name, label in (("Wei Tao", "PERSON"), ("Le Hoai Trung", "PERSON"), ("Hanoi", "GPE")):
        start = TEXT.index(name)
        store.mentions.add(doc, start, start + len(name), label)
    resolve(store)
    return {e.preferred_name: e.id for e in store.entities.list()}


def test_entity_note_is_set_cleared_and_undone(store, entities):
    wei = entities["Wei Tao"]
    change = store.entities.set_note(wei, "  Party Secretary of Guangxi  ")
    assert store.entities.get(wei).note == "Party Secretary of Guangxi"
    cleared = store.entities.set_note(wei, "   ")
    assert store.entities.get(wei).note is None
    store.history.undo(cleared.batch)
    store.history.undo(change.batch)
    assert store.entities.get(wei).note is None
    with pytest.raises(KeyError):
        store.entities.set_note(999, "no such entity")


def test_entity_tags_follow_a_merge_and_its_undo(store, entities):
    wei, le = entities["Wei Tao"], entities["Le Hoai Trung"]
    store.tags.set("entity", le, ["delegation", "vietnam"])
    assert store.tags.of("entity", le) == ["delegation", "vietnam"]
    merge = store.entities.merge(wei, le)
    assert store.tags.of("entity", wei) == ["delegation", "vietnam"]
    store.history.undo(merge.batch)
    assert store.tags.of("entity", wei) == []
    assert store.tags.of("entity", le) == ["delegation", "vietnam"]
