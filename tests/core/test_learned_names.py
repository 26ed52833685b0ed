"""Names the analyst confirmed are found again in later documents, linked; rejected spans
are not proposed again in the same kind of zone; both follow undo. Real project file,
real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.entities.resolve import resolve
from desktop.core.learning import names
from desktop.core.learning.gazetteer import CONFIDENCE, CONTESTED_CONFIDENCE, EXTRACTOR
from desktop.core.learning.learned import nothing
from desktop.core.nlp.extract import extract
from desktop.core.records import NewDocument, NewZone
from desktop.core.store import Store

FIRST = "Staff of the Dong Son Cooperative met rice buyers in Savan Nua on Friday."
SECOND = "Relief came from Đông Sơn Cooperative, said officials in Savan Nua."
# the same text twice: a headline, then the body
THIRD_HEAD = "Lanexang Agro will build a mill"
THIRD = THIRD_HEAD + "\n\nLanexang Agro will build a mill in Pakse, its owners said."


def _project(tmp_path: Path, pipeline, *texts: str, zones=None) -> tuple[Store, list[int]]:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "p.factdesk")
    news = [
        NewDocument(source=f"d{n}", text=t, zones=(zones or {}).get(n, ()))
        for n, t in enumerate(texts)
    ]
    ids = [i for i, _new in store.documents.add_many(news)]
    list(extract(store, pipeline))
    resolve(store)
    return store, ids


def _at(store: Store, doc_id: int, text: str, label: str | None = None):  # type: ignore[no-untyped-def]
    found = [
        m
        for m in store.mentions.for_document(doc_id)
        if m.text == text and (label is None or m.label == label)
    ]
    return found[0] if found else None


def _reextract(store: Store, pipeline, doc_id: int, **kw) -> None:  # type: ignore[no-untyped-def]
    list(extract(store, pipeline, document_ids=[doc_id], everything=True, **kw))
    resolve(store)


def test_a_confirmed_name_is_found_in_the_next_document_linked(tmp_path, pipeline):
    store, (one, two) = _project(tmp_path, pipeline, FIRST, SECOND)
    with store:
        # what the model alone proposes in the second document: no cooperative, a PERSON
        assert _at(store, two, "Đông Sơn Cooperative") is None
        assert _at(store, two, "Savan Nua").label == "PERSON"
        coop = _at(store, one, "the Dong Son Cooperative", "ORG")
        store.mentions.set_status(coop.id, "accepted")
        place = _at(store, one, "Savan Nua")
        store.mentions.relabel(place.id, "GPE")  # the analyst's label is accepted
        resolve(store)
        coop_entity = store.mentions.get(coop.id).entity_id
        place_entity = store.mentions.get(place.id).entity_id
        assert coop_entity and place_entity

        _reextract(store, pipeline, two)

        found = _at(store, two, "Đông Sơn Cooperative")
        assert (found.label, found.origin, found.extractor) == ("ORG", "project", EXTRACTOR)
        assert found.confidence == CONFIDENCE and found.status == "proposed"
        assert found.entity_id == coop_entity  # linked to the confirmed entity
        again = _at(store, two, "Savan Nua")
        assert (again.label, again.origin, again.entity_id) == ("GPE", "project", place_entity)
        assert again.confidence == CONTESTED_CONFIDENCE  # the model read a PERSON there
        assert _at(store, two, "Savan Nua", "PERSON") is None

        # without what the project learned the model's reading comes back
        _reextract(store, pipeline, two, learned=nothing())
        assert _at(store, two, "Đông Sơn Cooperative") is None
        assert _at(store, two, "Savan Nua").origin == "model"


def test_undoing_the_confirmation_forgets_the_name(tmp_path, pipeline):
    store, (one, two) = _project(tmp_path, pipeline, FIRST, SECOND)
    with store:
        coop = _at(store, one, "the Dong Son Cooperative", "ORG")
        change = store.mentions.set_status(coop.id, "accepted")
        resolve(store)
        _reextract(store, pipeline, two)
        assert _at(store, two, "Đông Sơn Cooperative").origin == "project"

        store.history.undo(change.batch)
        assert ("dong son cooperative", "ORG") not in names.load(store).names
        _reextract(store, pipeline, two)
        assert _at(store, two, "Đông Sơn Cooperative") is None

        store.history.redo(change.batch)
        _reextract(store, pipeline, two)
        assert _at(store, two, "Đông Sơn Cooperative").origin == "project"


def test_a_rejected_span_is_not_proposed_again_in_the_same_kind_of_zone(tmp_path, pipeline):
    body = NewZone(len(THIRD_HEAD) + 2, len(THIRD), "body")
    zones = {
        0: (NewZone(0, len(THIRD_HEAD), "headline"), body),
        1: (NewZone(0, len(THIRD_HEAD), "headline"), body),
    }
    store, (one, two) = _project(tmp_path, pipeline, THIRD, THIRD + " ", zones=zones)
    with store:
        in_body = [m for m in store.mentions.for_document(one) if m.text == "Lanexang Agro"]
        assert [m.label for m in in_body] == ["PERSON", "PERSON"]  # the model's reading
        wrong = in_body[1]  # the one in the body
        change = store.mentions.set_status(wrong.id, "rejected")
        knowledge = names.load(store)
        # in the body, before the word "will"; not in the headline, nor before another word
        assert knowledge.rejects("lanexang agro", "PERSON", "body", "will")
        assert not knowledge.rejects("lanexang agro", "PERSON", "headline", "will")
        assert not knowledge.rejects("lanexang agro", "PERSON", "body", "said")

        _reextract(store, pipeline, two)
        left = [
            (m.start, m.label)
            for m in store.mentions.for_document(two)
            if m.text == "Lanexang Agro"
        ]
        assert left == [(0, "PERSON")]  # still proposed in the headline, not in the body

        # and not proposed again in its own document either (a re-extraction keeps the
        # rejection, as before)
        _reextract(store, pipeline, one)
        assert store.mentions.get(wrong.id).status == "rejected"

        store.history.undo(change.batch)
        assert not names.load(store).rejects("lanexang agro", "PERSON", "body", "will")
        _reextract(store, pipeline, two)
        again = [m.label for m in store.mentions.for_document(two) if m.text == "Lanexang Agro"]
        assert again == ["PERSON", "PERSON"]


def test_entries_added_and_forgotten_by_hand_are_undoable_steps(tmp_path, pipeline):
    store, (one, two) = _project(tmp_path, pipeline, FIRST, SECOND)
    with store:
        added = store.learning.add_entry("name", "Đông Sơn Cooperative", "ORG")
        known = names.load(store).names[("dong son cooperative", "ORG")]
        assert known.source == names.ADDED and known.entity_id is not None
        _reextract(store, pipeline, one)
        _reextract(store, pipeline, two)
        linked = {_at(store, two, "Đông Sơn Cooperative").entity_id}
        assert linked == {known.entity_id}

        # a rejection typed by hand holds in every zone
        store.learning.add_entry("rejection", "Savan Nua", "PERSON")
        _reextract(store, pipeline, two)
        assert _at(store, two, "Savan Nua") is None

        # forgetting a name read from decisions
        place = _at(store, one, "Savan Nua")
        store.mentions.relabel(place.id, "GPE")
        assert ("savan nua", "GPE") in names.load(store).names
        forget = store.learning.add_entry("name", "Savan Nua", "GPE", forgotten=True)
        assert ("savan nua", "GPE") not in names.load(store).names
        store.history.undo(forget.batch)
        assert ("savan nua", "GPE") in names.load(store).names

        store.history.undo(added.batch)
        assert ("dong son cooperative", "ORG") not in names.load(store).names
        entry = store.learning.add_entry("name", "Dong Son Cooperative", "ORG").batch
        row = next(n for n in names.load(store).names.values() if n.source == names.ADDED)
        removed = store.learning.remove_entry(row.entry_id)
        assert ("dong son cooperative", "ORG") not in names.load(store).names
        store.history.undo(removed.batch)
        assert ("dong son cooperative", "ORG") in names.load(store).names
        assert entry is not None


def test_an_entry_needs_letters_and_an_entity_label(store):
    with pytest.raises(ValueError):
        store.learning.add_entry("name", " - ", "ORG")
    with pytest.raises(ValueError):
        store.learning.add_entry("name", "Friday", "DATE")


def test_a_rejection_before_one_word_holds_before_it_only_before_two_in_the_zone(store):
    text = "Tan Sri Azman met Tan Sri Halim. Tan said trade grew. Tan Seng spoke."
    doc = store.documents.add(NewDocument(source="t", text=text))[0]
    starts = [i for i in range(len(text)) if text.startswith("Tan ", i)]
    from desktop.core.records import ProposedMention

    store.mentions.replace_proposals(
        doc, [ProposedMention(s, s + 3, "PERSON", "Tan", "model", "m") for s in starts], None
    )
    first, second, third, _fourth = store.mentions.for_document(doc)
    store.mentions.set_status(first.id, "rejected")
    store.mentions.set_status(second.id, "rejected")
    knowledge = names.load(store)
    assert knowledge.rejects("tan", "PERSON", "text", "sri")
    assert not knowledge.rejects("tan", "PERSON", "text", "said")  # "Tan said": a name
    store.mentions.set_status(third.id, "rejected")  # now before "Sri" and "said"
    knowledge = names.load(store)
    assert knowledge.rejects("tan", "PERSON", "text", "seng")
    assert not knowledge.rejects("tan", "PERSON", "body", "seng")  # another kind of zone
