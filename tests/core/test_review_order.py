"""Review order on a real project file: documents whose open proposals are least certain
come first, the analyst's decisions move the chances, reviewed documents come last."""

from __future__ import annotations

import math

import pytest

from desktop.core.learning.review_order import (
    MODEL_PRIOR,
    PRIOR_WEIGHT,
    entropy,
    least_certain_first,
    review_order,
)
from desktop.core.records import NewDocument, ProposedMention

TEXT = "Arun Petchkul met Siti Rahmah and Dara Vongsa in Kota Lestari and Savan Nua today."


def _model(start: int, end: int, label: str = "PERSON") -> ProposedMention:
    return ProposedMention(start, end, label, TEXT[start:end], "model", "en-3.8.0")


def _rule(start: int, end: int, label: str = "GPE", confidence: float = 0.95) -> ProposedMention:
    return ProposedMention(start, end, label, TEXT[start:end], "rule", "places.v1:x", confidence)


PEOPLE = [(0, 13), (18, 29), (34, 45)]
PLACES = [(49, 61), (66, 75)]


@pytest.fixture
def project(store):
    ids = [
        i
        for i, _new in store.documents.add_many(
            [NewDocument(source=f"d{n}", text=TEXT + " " * n) for n in range(4)]
        )
    ]
    a, b, c, d = ids
    store.mentions.replace_proposals(a, [_model(*s) for s in PEOPLE[:2]], None)
    store.mentions.replace_proposals(b, [_rule(*s) for s in PLACES], None)
    store.mentions.replace_proposals(
        c, [_model(*s) for s in PEOPLE] + [_rule(*s) for s in PLACES], None
    )
    store.mentions.replace_proposals(d, [_model(*PEOPLE[0])], None)
    return store, ids


def test_least_certain_documents_first_reviewed_last(project):
    store, (a, b, c, d) = project
    order = review_order(store)
    # nothing reviewed yet: a and d hold model entities only (a two, d one), c model
    # entities and rule places, b rule places only
    assert [p.document_id for p in order] == [a, d, c, b]
    assert order[0].bits == order[1].bits == pytest.approx(entropy(MODEL_PRIOR))
    mixed = (3 * entropy(MODEL_PRIOR) + 2 * entropy(0.95)) / 5
    assert order[2].bits == pytest.approx(mixed)
    assert order[3].bits == pytest.approx(entropy(0.95))
    assert not any(p.reviewed for p in order)

    # the analyst rejects every place the rule proposed in c and accepts its people: the
    # rule's GPEs are now the least certain kind, and c is reviewed
    for m in store.mentions.for_document(c):
        store.mentions.set_status(m.id, "rejected" if m.label == "GPE" else "accepted")
    store.learning.mark_done([d])
    order = review_order(store)
    assert [p.document_id for p in order] == [b, a, c, d]
    gpe = (0.95 * PRIOR_WEIGHT + 0) / (PRIOR_WEIGHT + 2)
    person = (MODEL_PRIOR * PRIOR_WEIGHT + 3) / (PRIOR_WEIGHT + 3)
    assert order[0].bits == pytest.approx(entropy(gpe))
    assert order[1].bits == pytest.approx(entropy(person))
    assert order[0].least_certain == pytest.approx(gpe)
    assert [p.reviewed for p in order] == [False, False, True, True]
    assert set(store.learning.reviewed_ids()) == {c, d}


def test_marking_done_is_one_undo_step(project):
    store, (a, b, _c, _d) = project
    change = store.learning.mark_done([a, b])
    assert store.learning.marked_done() == {a, b}
    assert store.history.summary(change.batch) == "Mark 2 documents done"
    store.history.undo(change.batch)
    assert store.learning.marked_done() == set()
    store.history.redo(change.batch)
    assert store.learning.marked_done() == {a, b}


def test_proposals_of_a_document_least_certain_first(project):
    store, _ids = project
    c = store.documents.add(NewDocument(source="e", text=TEXT + "\n"))[0]
    store.mentions.replace_proposals(
        c,
        [_model(*s) for s in PEOPLE]
        + [_rule(*PLACES[0], confidence=0.7), _rule(*PLACES[1], confidence=0.99)],
        None,
    )
    order = least_certain_first(store, c)
    texts = [store.mentions.get(mid).text for mid, _p in order]
    assert texts == ["Kota Lestari", "Arun Petchkul", "Siti Rahmah", "Dara Vongsa", "Savan Nua"]
    assert [p for _m, p in order] == pytest.approx([0.7, 0.8, 0.8, 0.8, 0.99])


def test_entropy_is_symmetric_and_peaks_at_a_half():
    assert entropy(0.5) == 1.0
    assert entropy(0.2) == pytest.approx(entropy(0.8))
    assert entropy(1.0) == entropy(0.0) == 0.0
    assert entropy(0.9) == pytest.approx(-(0.9 * math.log2(0.9) + 0.1 * math.log2(0.1)))
