"""File › Compare with another project…: the comparison as a worker job, and its tables.

The job reads this project's layer, the other file's (a project or an export in an import
format), compares them and finds the places they disagree on; it yields (done, total)
steps and then one `Compared`. The rows of the report's tables are made here too, from
the core's figures, so the dialog only shows them.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.agreement.disagreements import Disagreement, find
from desktop.core.agreement.files import open_any
from desktop.core.agreement.layers import Layer, read_layer
from desktop.core.agreement.many import Panel, compare_many
from desktop.core.agreement.spans import MISSING
from desktop.core.store import Store

STEPS = 4


@dataclass(frozen=True)
class Compared:
    """What a comparison found: the figures, the disagreements, the two layers."""

    panel: Panel
    places: list[Disagreement]
    ours: Layer
    theirs: Layer


def compare_job(
    store: Store, path: Path, fmt: str | None = None
) -> Callable[[Callable[[], bool]], Iterator[Any]]:
    """Read both layers, compare them, find the disagreements (off the GUI thread)."""

    def job(cancelled: Callable[[], bool]) -> Iterator[Any]:
        yield (0, STEPS)
        ours = read_layer(store, Path(store.location).name)
        yield (1, STEPS)
        if cancelled():
            return
        theirs = open_any(path, fmt, cancelled=cancelled)
        theirs.name = path.name
        yield (2, STEPS)
        if cancelled():
            return
        panel = compare_many([ours, theirs])
        yield (3, STEPS)
        places = find(ours, theirs, cancelled=cancelled)
        if cancelled():
            return
        yield (4, STEPS)
        yield Compared(panel, places, ours, theirs)

    return job


LABEL_HEADERS = ("Label", "Ours", "Theirs", "Exact", "P", "R", "Exact F1", "Overlap F1", "κ", "α")
LABEL_TIPS = (
    "",
    "spans in this project",
    "spans in the other file",
    "spans in both, same offsets and label",
    "precision: share of theirs that ours holds too",
    "recall: share of ours that theirs holds too",
    "exact F1: same offsets and label",
    "overlap F1: same label, at least one character in common",
    "Cohen's κ over tokens (this label against the rest)",
    "Krippendorff's α (nominal) over tokens (this label against the rest)",
)
FACT_HEADERS = ("Fact type", "Ours", "Theirs", "Exact", "P", "R", "F1")
FACT_TIPS = (
    "",
    "facts in this project",
    "facts in the other file",
    "facts in both: same type and arguments (role and offsets)",
    "precision",
    "recall",
    "F1",
)
DOCUMENT_HEADERS = (
    "Document",
    "Tokens",
    "Ours",
    "Theirs",
    "Exact F1",
    "Overlap F1",
    "κ",
    "α",
    "Fact F1",
)
DOCUMENT_TIPS = (
    "",
    "tokens of the document",
    "spans in this project",
    "spans in the other file",
    "exact span F1",
    "overlap span F1",
    "Cohen's κ over tokens",
    "Krippendorff's α over tokens",
    "exact fact F1",
)


def label_rows(panel: Panel) -> list[tuple]:
    """One row a label, then "all labels"."""
    g = panel.pairs[0]
    rows = []
    for f in [*g.labels, g.overall]:
        e = f.exact
        alpha = g.alpha if f is g.overall else panel.label_alpha.get(f.label)
        name = "all labels" if f is g.overall else f.label
        rows.append(
            (name, e.a, e.b, e.a_matched, e.precision, e.recall, e.f1, f.overlap.f1, f.kappa, alpha)
        )
    return rows


def fact_rows(panel: Panel) -> list[tuple]:
    """One row a fact type, then "all facts"."""
    g = panel.pairs[0]
    items = [*sorted(g.facts.items()), ("all facts", g.facts_overall)]
    return [(k, m.a, m.b, m.a_matched, m.precision, m.recall, m.f1) for k, m in items]


ENTITY_HEADERS = ("Label", "Ours", "Theirs", "Both", "P", "R", "F1")
ENTITY_TIPS = (
    "",
    "names (label and folded name) this project marks in a document, summed over documents",
    "names the other file marks",
    "names both mark in the same document, wherever and however often",
    "precision",
    "recall",
    "F1",
)


def entity_rows(panel: Panel) -> list[tuple]:
    """One row a label, then "all labels": do both find the same entities?"""
    g = panel.pairs[0]
    items = [*sorted(g.entities.items()), ("all labels", g.entities_overall)]
    return [(k, m.a, m.b, m.a_matched, m.precision, m.recall, m.f1) for k, m in items]


def confusion_table(panel: Panel) -> tuple[list[str], list[tuple]]:
    """Headers and rows of the label confusion table (ours down, theirs across)."""
    confusion = panel.pairs[0].confusion
    names = sorted({a for a, _ in confusion} | {b for _, b in confusion} - {MISSING})
    names = [n for n in names if n != MISSING] + [MISSING]
    headers = ["ours \\ theirs", *[n if n != MISSING else "(none)" for n in names]]
    rows = [
        (a if a != MISSING else "(none)", *(confusion.get((a, b), 0) for b in names)) for a in names
    ]
    return headers, rows


def document_rows(panel: Panel) -> list[tuple]:
    """One row a document both layers hold, the weakest (by κ) first."""
    docs = sorted(
        panel.pairs[0].per_document, key=lambda d: d.kappa if d.kappa is not None else 2.0
    )
    return [
        (
            d.source,
            d.tokens,
            d.exact.a,
            d.exact.b,
            d.exact.f1,
            d.overlap.f1,
            d.kappa,
            d.alpha,
            d.facts.f1,
        )
        for d in docs
    ]


def summary(compared: Compared) -> str:
    """One paragraph over the tables."""
    g = compared.panel.pairs[0]

    def f(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    return (
        f"<b>{html.escape(compared.ours.name)}</b> (ours) compared with "
        f"<b>{html.escape(compared.theirs.name)}</b> "
        f"(theirs): {g.documents} documents in common ({len(g.only_a)} only in ours, "
        f"{len(g.only_b)} only in theirs), {g.tokens} tokens.<br>"
        f"Spans: exact F1 <b>{f(g.overall.exact.f1)}</b>, overlap F1 {f(g.overall.overlap.f1)}, "
        f"Cohen's κ <b>{f(g.overall.kappa)}</b>, Krippendorff's α {f(g.alpha)}. "
        f"Entities: F1 {f(g.entities_overall.f1)}. Facts: F1 {f(g.facts_overall.f1)}. "
        f"<b>{len(compared.places)}</b> places disagree."
    )
