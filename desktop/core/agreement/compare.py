"""The agreement of two layers: every figure, per label, per document and overall."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from desktop.core.agreement import spans as sp
from desktop.core.agreement import token_units as tu
from desktop.core.agreement.layers import (
    AgreementError,
    DocumentLayer,
    Layer,
    labels_of,
    only_in,
    shared,
)
from desktop.core.tokens import token_spans


@dataclass
class LabelFigures:
    """Span and token agreement on one label (or on all of them)."""

    label: str
    exact: sp.Matches = field(default_factory=sp.Matches)
    overlap: sp.Matches = field(default_factory=sp.Matches)
    kappa: float | None = None  # tokens of this label against the rest (overall: all labels)
    alpha: float | None = None  # Krippendorff's α, the same tokens (overall: all labels)

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "spans_a": self.exact.a,
            "spans_b": self.exact.b,
            "exact_matches": self.exact.a_matched,
            "exact_precision": self.exact.precision,
            "exact_recall": self.exact.recall,
            "exact_f1": self.exact.f1,
            "overlap_f1": self.overlap.f1,
            "kappa": self.kappa,
            "alpha": self.alpha,
        }


@dataclass
class DocumentFigures:
    """The agreement on one document."""

    source: str
    sha256: str
    tokens: int
    exact: sp.Matches
    overlap: sp.Matches
    kappa: float | None
    alpha: float | None
    facts: sp.Matches = field(default_factory=sp.Matches)

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "sha256": self.sha256,
            "tokens": self.tokens,
            "spans_a": self.exact.a,
            "spans_b": self.exact.b,
            "exact_f1": self.exact.f1,
            "overlap_f1": self.overlap.f1,
            "kappa": self.kappa,
            "alpha": self.alpha,
            "facts_a": self.facts.a,
            "facts_b": self.facts.b,
            "facts_f1": self.facts.f1,
        }


@dataclass
class Agreement:
    """Everything `compare` measured; `a` is the reference layer."""

    a: str
    b: str
    documents: int  # documents both layers hold
    only_a: list[str]  # source names of documents only in a
    only_b: list[str]
    tokens: int
    overall: LabelFigures
    labels: list[LabelFigures]
    alpha: float | None
    per_document: list[DocumentFigures]
    confusion: Counter[tuple[str, str]]
    facts_overall: sp.Matches
    facts: dict[str, sp.Matches]
    # entities: per document, the (label, folded name) pairs each layer marks anywhere in it
    entities_overall: sp.Matches = field(default_factory=sp.Matches)
    entities: dict[str, sp.Matches] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready values."""
        return {
            "a": self.a,
            "b": self.b,
            "documents": self.documents,
            "only_in_a": self.only_a,
            "only_in_b": self.only_b,
            "tokens": self.tokens,
            "overall": {**self.overall.as_dict(), "alpha": self.alpha},
            "labels": [f.as_dict() for f in self.labels],
            "confusion": [
                {"a": la, "b": lb, "count": n} for (la, lb), n in sorted(self.confusion.items())
            ],
            "facts": {
                "overall": _fact_dict("all", self.facts_overall),
                "types": [_fact_dict(t, m) for t, m in sorted(self.facts.items())],
            },
            "entities": {
                "overall": _fact_dict("all", self.entities_overall),
                "labels": [_fact_dict(k, m) for k, m in sorted(self.entities.items())],
            },
            "documents_detail": [d.as_dict() for d in self.per_document],
        }


def _fact_dict(kind: str, m: sp.Matches) -> dict[str, object]:
    return {
        "type": kind,
        "facts_a": m.a,
        "facts_b": m.b,
        "matches": m.a_matched,
        "precision": m.precision,
        "recall": m.recall,
        "f1": m.f1,
    }


def compare(a: Layer, b: Layer, units: dict[str, list[tuple[int, int]]] | None = None) -> Agreement:
    """Compare two layers on the documents they share (`a` is the reference). `units`
    keeps each document's tokens by sha256 across calls (comparing several pairs).

    Raises `AgreementError` when they share no document."""
    pairs = shared(a, b)
    if not pairs:
        raise AgreementError(
            f"{b.name or 'the second layer'}: no document in common with "
            f"{a.name or 'the first layer'} (documents are matched by their text)"
        )
    labels = labels_of(pairs)
    codes = {tu.OUTSIDE: 0} | {label: i + 1 for i, label in enumerate(labels)}
    size = len(codes)
    per_label = {label: LabelFigures(label) for label in labels}
    overall = LabelFigures("all")
    table = np.zeros((size, size), dtype=np.int64)
    confusion: Counter[tuple[str, str]] = Counter()
    facts: dict[str, sp.Matches] = {}
    entities: dict[str, sp.Matches] = {}
    documents: list[DocumentFigures] = []
    tokens = 0
    for left, right in pairs:
        exact, overlap = sp.Matches(), sp.Matches()
        at_a, at_b = sp.by_label(left.spans), sp.by_label(right.spans)
        for label in at_a.keys() | at_b.keys():
            oa, ob = at_a.get(label, []), at_b.get(label, [])
            e, o = sp.exact(oa, ob), sp.overlap(oa, ob)
            per_label[label].exact.add(e)
            per_label[label].overlap.add(o)
            exact.add(e)
            overlap.add(o)
        overall.exact.add(exact)
        overall.overlap.add(overlap)
        confusion.update(sp.confusion(left.spans, right.spans))
        for label, m in sp.name_matches(left.text, left.spans, right.spans).items():
            entities.setdefault(label, sp.Matches()).add(m)
        doc_facts = sp.Matches()
        for kind, m in sp.fact_matches(left.facts, right.facts).items():
            facts.setdefault(kind, sp.Matches()).add(m)
            doc_facts.add(m)
        doc_units = _units(left, units)
        ca = tu.token_codes(doc_units, left.spans, codes)
        cb = tu.token_codes(doc_units, right.spans, codes)
        doc_table = tu.cross_table(ca, cb, size)
        table += doc_table
        tokens += len(doc_units)
        documents.append(
            DocumentFigures(
                left.source,
                left.sha256,
                len(doc_units),
                exact,
                overlap,
                tu.kappa(doc_table),
                tu.pooled_alpha(doc_table),
                doc_facts,
            )
        )
    overall.kappa = tu.kappa(table)
    overall.alpha = tu.pooled_alpha(table)
    for label, figures in per_label.items():
        figures.kappa = tu.label_kappa(table, codes[label])
        figures.alpha = tu.pooled_alpha(tu.label_table(table, codes[label]))
    facts_overall, entities_overall = sp.Matches(), sp.Matches()
    for m in facts.values():
        facts_overall.add(m)
    for m in entities.values():
        entities_overall.add(m)
    return Agreement(
        a.name,
        b.name,
        len(pairs),
        only_in(a, b),
        only_in(b, a),
        tokens,
        overall,
        [per_label[label] for label in labels],
        overall.alpha,
        documents,
        confusion,
        facts_overall,
        facts,
        entities_overall,
        entities,
    )


def _units(doc: DocumentLayer, cache: dict[str, list[tuple[int, int]]] | None) -> list:
    """The document's tokens, from `cache` when it holds them (and into it)."""
    if cache is None:
        return token_spans(doc.text)
    found = cache.get(doc.sha256)
    if found is None:
        found = cache[doc.sha256] = token_spans(doc.text)
    return found
