"""Label set, tags, notes, document filters and the entity summary, all undoable."""

import pytest

from desktop.core.records import NewDocument

TEXT = "Chairman Wei Tao met Minister Le Hoai Trung in Hanoi. Wei Tao thanked Hanoi."


@pytest.fixture
def doc(store):
    doc_id, _ = store.documents.add(NewDocument(source="talks", text=TEXT))
    return doc_id


def test_new_project_gets_the_default_labels_with_hotkeys(store):
    labels = store.labels.ensure()
    assert [lb.name for lb in labels][:3] == ["PERSON", "ORG", "GPE"]
    assert {lb.hotkey for lb in labels if lb.hotkey} == set("123456789")
    assert store.labels.ensure() == labels  # idempotent


def test_labels_used_by_mentions_join_the_set(store, doc):
    store.labels.ensure()
    store.mentions.add(doc, 9, 16, "MINISTRY")
    assert "MINISTRY" in [lb.name for lb in store.labels.ensure()]


def test_rename_moves_mentions_and_undoes(store, doc):
    store.labels.ensure()
    mid = store.mentions.add(doc, 9, 16, "PERSON").mention.id
    person = next(lb for lb in store.labels.all() if lb.name == "PERSON")
    change = store.labels.update(person.id, name="PER", color="#112233")
    assert store.mentions.get(mid).label == "PER"
    assert next(lb for lb in store.labels.all() if lb.id == person.id).color == "#112233"
    store.history.undo(change.batch)
    assert store.mentions.get(mid).label == "PERSON"
    assert next(lb for lb in store.labels.all() if lb.id == person.id).name == "PERSON"


def test_a_hotkey_moves_from_the_label_that_had_it(store):
    store.labels.ensure()
    fac = next(lb for lb in store.labels.all() if lb.name == "FAC")
    store.labels.update(fac.id, hotkey="1")
    keys = {lb.name: lb.hotkey for lb in store.labels.all()}
    assert keys["FAC"] == "1" and keys["PERSON"] is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"name": "two words"}, "one word"), ({"color": "red"}, "colour"), ({"hotkey": "0"}, "1-9")],
)
def test_bad_label_edits_are_refused(store, kwargs, message):
    store.labels.ensure()
    with pytest.raises(ValueError, match=message):
        store.labels.update(store.labels.all()[0].id, **kwargs)


def test_tags_on_documents_and_mentions_with_completion_and_undo(store, doc):
    mid = store.mentions.add(doc, 9, 16, "PERSON").mention.id
    store.tags.set("document", doc, ["verified", " trade  talks ", "verified"])
    change = store.tags.set("mention", mid, ["check"])
    assert store.tags.of("document", doc) == ["trade talks", "verified"]
    assert store.tags.names() == ["check", "trade talks", "verified"]
    assert store.documents.ids(tag="verified") == [doc]
    assert store.documents.ids(tag="missing") == []
    store.history.undo(change.batch)
    assert store.tags.of("mention", mid) == []
    store.tags.set("document", doc, ["verified"])
    assert store.tags.of("document", doc) == ["verified"]


def test_notes_and_status_filter(store, doc):
    other, _ = store.documents.add(NewDocument(source="other", text="Nothing here."))
    change = store.documents.set_note(doc, "check the date")
    assert store.documents.note(doc) == "check the date"
    store.history.undo(change.batch)
    assert store.documents.note(doc) is None
    mid = store.mentions.add(doc, 9, 16, "PERSON", status="proposed", origin="model").mention.id
    store.mentions.set_note(mid, "surname first")
    assert store.mentions.note(mid) == "surname first"
    assert store.documents.ids(status="proposed") == [doc]
    assert store.documents.ids(status="accepted") == []
    assert set(store.documents.ids()) == {doc, other}


def test_entity_summary_counts_names_per_label(store, doc):
    spans = []
    for name, label in [("Wei Tao", "PERSON"), ("Hanoi", "GPE"), ("Le Hoai Trung", "PERSON")]:
        first = TEXT.index(name)
        spans.append((first, first + len(name), label))
        again = TEXT.find(name, first + 1)
        if again != -1:
            spans.append((again, again + len(name), label))
    for start, end, label in spans:
        store.mentions.add(doc, start, end, label)
    rejected = store.mentions.add(doc, 0, 8, "ORG").mention.id
    store.mentions.set_status(rejected, "rejected")
    summary = store.mentions.summary(doc)
    assert [(e.label, e.text, e.count) for e in summary] == [
        ("GPE", "Hanoi", 2),
        ("PERSON", "Wei Tao", 2),
        ("PERSON", "Le Hoai Trung", 1),
    ]
    assert len(summary[1].mention_ids) == 2
