"""Review what matters first: how uncertain each open proposal is, and which documents a
review would teach most.

A proposal's certainty is the chance the analyst accepts it. Its prior is the confidence
it was proposed with (rules and known names state one; a model entity has none, and
gets MODEL_PRIOR), and the analyst's decisions so far on proposals of the same kind
(origin, rule set and label: "the model's ORG", "a model entity a rule trimmed",
"a known name the model read otherwise") move it, a Beta update with PRIOR_WEIGHT
pseudo-decisions. Where the model and the rules disagreed (a model entity a fix rule cut,
a known name over another label) the prior is lower, so those come first.

How much a review would teach is the uncertainty (binary entropy, in bits) of a
document's open proposals, averaged: documents whose proposals are least certain come
first; reviewed documents (marked done, or nothing left open) come last.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.core.store import Store

MODEL_PRIOR = 0.8  # the chance a model entity is right, before any decision
FIXED_PRIOR = 0.6  # ... a model entity a fix rule trimmed or split: model and rules disagreed
PRIOR_WEIGHT = 4.0  # how many decisions the prior is worth

# (mention id, document, label, origin, extractor, confidence, status)
ProposalRow = tuple[int, int, str, str, "str | None", "float | None", str]


@dataclass(frozen=True, slots=True)
class DocumentPriority:
    """What a review of one document would teach."""

    document_id: int
    bits: float  # mean uncertainty of its open proposals (0 when none is open)
    open: int  # proposals still to decide
    least_certain: float | None  # the lowest chance of acceptance among them
    reviewed: bool


def kind_of_proposal(origin: str, extractor: str | None, label: str) -> tuple[str, str, str]:
    """The group a proposal's decisions are counted in."""
    rule_set = (extractor or "").split(":", 1)[0]
    if origin == "model":
        rule_set = "fixed" if "+" in (extractor or "") else "model"
    return origin, rule_set, label


def prior(origin: str, extractor: str | None, confidence: float | None) -> float:
    """The chance of acceptance before the analyst's decisions are counted."""
    if confidence is not None:
        return min(max(confidence, 0.01), 0.99)
    if origin == "model" and "+" in (extractor or ""):
        return FIXED_PRIOR
    return MODEL_PRIOR


def entropy(p: float) -> float:
    """Binary entropy in bits."""
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


class Certainty:
    """Chances of acceptance from the priors and the analyst's decisions so far."""

    def __init__(self, decided: Iterable[tuple[str, str | None, str, str, int]]) -> None:
        """From (origin, extractor, label, status, how many) of decided machine mentions."""
        self.counts: dict[tuple[str, str, str], list[int]] = {}
        for origin, extractor, label, status, n in decided:
            if status == "proposed":
                continue
            seen = self.counts.setdefault(kind_of_proposal(origin, extractor, label), [0, 0])
            seen[0] += n if status == "accepted" else 0
            seen[1] += n

    def chance(
        self, label: str, origin: str, extractor: str | None, confidence: float | None
    ) -> float:
        """The chance the analyst accepts a proposal like this."""
        accepted, decided = self.counts.get(kind_of_proposal(origin, extractor, label), (0, 0))
        p0 = prior(origin, extractor, confidence)
        return (p0 * PRIOR_WEIGHT + accepted) / (PRIOR_WEIGHT + decided)


def document_priorities(
    rows: Sequence[ProposalRow],
    document_ids: Iterable[int],
    reviewed: set[int],
    certainty: Certainty | None = None,
) -> list[DocumentPriority]:
    """Every document's priority, those a review would teach most first (the chances
    from the decisions among `rows` unless `certainty` is given)."""
    if certainty is None:
        certainty = Certainty((o, x, lab, st, 1) for _m, _d, lab, o, x, _c, st in rows)
    open_by_doc: dict[int, list[float]] = {}
    for _mid, doc, label, origin, extractor, conf, status in rows:
        if status == "proposed":
            open_by_doc.setdefault(doc, []).append(certainty.chance(label, origin, extractor, conf))
    out = []
    for doc in document_ids:
        chances = open_by_doc.get(doc, [])
        bits = sum(map(entropy, chances)) / len(chances) if chances else 0.0
        done = doc in reviewed
        out.append(
            DocumentPriority(
                doc, 0.0 if done else bits, len(chances), min(chances, default=None), done
            )
        )
    out.sort(key=lambda d: (d.reviewed, -d.bits, 0 if d.reviewed else -d.open, d.document_id))
    return out


def review_order(store: Store, document_ids: Sequence[int] | None = None) -> list[DocumentPriority]:
    """The project's documents (or these) in review order (reads every machine mention:
    run it off the GUI thread)."""
    ids = store.documents.ids() if document_ids is None else list(document_ids)
    rows = store.learning.proposals(None if document_ids is None else ids, only_open=True)
    certainty = Certainty(store.learning.decision_counts())
    reviewed = set(store.learning.reviewed_ids())
    return document_priorities(rows, ids, reviewed, certainty)


def least_certain_first(store: Store, document_id: int) -> list[tuple[int, float]]:
    """(mention id, chance of acceptance) of a document's open proposals, least certain
    first (text order among equals)."""
    certainty = Certainty(store.learning.decision_counts())
    mine = store.learning.proposals([document_id], only_open=True)
    chances = [
        (mid, certainty.chance(label, origin, extractor, conf))
        for mid, _doc, label, origin, extractor, conf, status in mine
        if status == "proposed"
    ]
    order = {mid: n for n, (mid, _c) in enumerate(chances)}
    return sorted(chances, key=lambda c: (c[1], order[c[0]]))
