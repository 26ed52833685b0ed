"""Training examples: the analyst's entities for reviewed labels, the base model's for the rest."""

from __future__ import annotations

from desktop.core.learning.examples import pieces, reviewed_labels, training_docs
from desktop.core.store.training_reads import ReviewedDocument, ReviewedSpan

TEXT = "Mr Halvor Quist visited Tanjung Vessa on Monday with 30 engineers from Orsindo Marine."


def _span(text: str, label: str, status: str, origin: str = "model") -> ReviewedSpan:
    start = TEXT.index(text)
    return ReviewedSpan(start, start + len(text), label, status, origin)


def test_reviewed_labels_have_a_decision_and_rehearsal_keeps_the_base_models_others(pipeline):
    spans = (
        _span("Halvor Quist", "PERSON", "accepted"),
        _span("Tanjung Vessa", "GPE", "accepted", origin="human"),
        _span("Orsindo Marine", "ORG", "rejected"),  # the analyst says: no ORG here
        _span("Monday", "DATE", "proposed"),
    )
    doc = ReviewedDocument(1, "sha", "d", TEXT, spans)
    labels = reviewed_labels([doc])
    assert labels == {"PERSON", "GPE", "ORG"}  # DATE only proposed: not reviewed
    ner = pipeline.nlp.get_pipe("ner")
    base = {(e.text, e.label_) for e in ner(pipeline.nlp.make_doc(TEXT)).ents}
    assert ("30", "CARDINAL") in base and ("Monday", "DATE") in base
    assert ("Orsindo Marine", "ORG") in base
    (example,) = training_docs(pipeline.nlp, ner, [doc], labels)
    ents = {(e.text, e.label_) for e in example.ents}
    assert ("Halvor Quist", "PERSON") in ents
    assert ("Tanjung Vessa", "GPE") in ents
    assert ("30", "CARDINAL") in ents  # not reviewed: the base model's reading is kept
    assert ("Monday", "DATE") in ents
    assert not any(text == "Orsindo Marine" for text, _label in ents)
    # the rejected span is outside any entity, not unknown
    marine = [t for t in example if t.text in ("Orsindo", "Marine")]
    assert [t.ent_iob_ for t in marine] == ["O", "O"]


def test_a_pending_proposal_of_a_reviewed_label_is_left_unknown(pipeline):
    spans = (
        _span("Halvor Quist", "PERSON", "accepted"),
        _span("Orsindo Marine", "ORG", "accepted"),
        _span("Tanjung Vessa", "PERSON", "proposed"),
    )
    doc = ReviewedDocument(1, "sha", "d", TEXT, spans)
    ner = pipeline.nlp.get_pipe("ner")
    (example,) = training_docs(pipeline.nlp, ner, [doc], reviewed_labels([doc]))
    vessa = [t for t in example if t.text in ("Tanjung", "Vessa")]
    assert [t.ent_iob_ for t in vessa] == ["", ""]  # missing: no signal either way
    assert [t.ent_iob_ for t in example if t.text == "visited"] == ["O"]


def test_pieces_cut_at_line_breaks():
    text = "one line\n" * 300
    cut = pieces(text, limit=1000)
    assert all(e - s <= 1000 for s, e in cut)
    assert "".join(text[s:e] for s, e in cut) == text
    assert all(text[e - 1] == "\n" for s, e in cut)
    assert pieces("a long paragraph " * 200) == [(0, 3400)]
