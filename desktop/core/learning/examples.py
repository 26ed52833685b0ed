"""Training examples from reviewed documents, with rehearsal of what the analyst left alone.

For the labels the analyst reviews, a document's entities are its accepted and
analyst-added mentions; rejected ones are outside any entity, and proposals still pending
are left unknown (no signal either way). For every other label the base model's own
predictions are kept as annotations (rehearsal), so fine-tuning changes only what the
analyst corrected. Documents are cut into pieces at line breaks, as examples of a few
hundred words train better than whole reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from desktop.core.store.training_reads import ReviewedDocument, ReviewedSpan

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import EntityRecognizer
    from spacy.tokens import Doc

PIECE_CHARS = 1200  # examples are cut at line breaks to about this length


def reviewed_labels(documents: Iterable[ReviewedDocument]) -> set[str]:
    """The labels the analyst reviews: those with a decision (accepted, rejected or added
    by hand) in a reviewed document."""
    return {
        s.label
        for d in documents
        for s in d.spans
        if s.status in ("accepted", "rejected") or s.origin == "human"
    }


def is_gold(span: ReviewedSpan) -> bool:
    """Whether a mention is an entity by the analyst's word: accepted or added by hand."""
    return span.status == "accepted" or (span.origin == "human" and span.status != "rejected")


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) pieces of a text cut at line breaks, each at most about `limit` chars
    (a single longer paragraph stays whole); blank stretches are left out."""
    out: list[tuple[int, int]] = []
    start = 0
    lines = text.splitlines(keepends=True)
    pos = 0
    for line in lines:
        end = pos + len(line)
        if end - start > limit and pos > start:
            out.append((start, pos))
            start = pos
        pos = end
    if start < len(text):
        out.append((start, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def training_docs(
    nlp: Language,
    ner: EntityRecognizer,
    documents: Sequence[ReviewedDocument],
    labels: set[str],
) -> list[Doc]:
    """One annotated Doc a piece of every document: the analyst's entities for `labels`,
    the base NER's (`ner`) for the rest, tokenised by `nlp`'s tokenizer."""
    from spacy.util import filter_spans

    out = []
    for document in documents:
        for start, end in pieces(document.text):
            doc = nlp.make_doc(document.text[start:end])
            inside = [s for s in document.spans if start <= s.start and s.end <= end]
            gold, unknown = [], []
            for s in inside:
                if s.label not in labels:
                    continue
                span = doc.char_span(s.start - start, s.end - start, s.label, "expand")
                if span is None:
                    continue
                if is_gold(s):
                    gold.append(span)
                elif s.status == "proposed":
                    unknown.append(span)
            predicted = ner(nlp.make_doc(doc.text))
            taken = [(t.start, t.end) for t in [*gold, *unknown]]
            rehearsed = [doc.char_span(e.start_char, e.end_char, e.label_) for e in predicted.ents]
            kept = [
                r
                for r in rehearsed
                if r is not None
                and r.label_ not in labels
                and not any(a < r.end and r.start < b for a, b in taken)
            ]
            entities = filter_spans([*gold, *kept])
            covered = [(e.start, e.end) for e in entities]
            missing = [u for u in unknown if not any(a < u.end and u.start < b for a, b in covered)]
            doc.set_ents(entities, missing=missing, default="outside")
            out.append(doc)
    return out
