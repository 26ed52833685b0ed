"""File › Compare with another project…: the comparison as a worker job, and its tables.

The job reads this project's layer and each other file's (colleagues' projects or exports
in an import format), compares every pair and all of them together (Krippendorff's α over
any number of layers, `core.agreement.many`) and finds the places ours and each file
disagree on; it yields (done, total) steps and then one `Compared`. The rows of the
report's tables are made here too, from the core's figures, so the dialog only shows them.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desktop.core.agreement.compare import Agreement
from desktop.core.agreement.disagreements import Disagreement, find
from desktop.core.agreement.files import open_any
from desktop.core.agreement.layers import Layer, read_layer
from desktop.core.agreement.many import Panel, compare_steps
from desktop.core.agreement.many import steps_of as many_steps
from desktop.core.agreement.spans import MISSING
from desktop.core.store import Store


@dataclass(frozen=True)
class Compared:
    """What a comparison found: the figures over every layer, the layers (ours first),
    and for each other layer the places it and ours disagree on. `chosen` is the other
    layer the adjudication walks (its `theirs` and `places`)."""

    panel: Panel
    ours: Layer
    others: tuple[Layer, ...]
    disagreements: tuple[list[Disagreement], ...]
    chosen: int = 0

    @property
    def theirs(self) -> Layer:
        """The other layer adjudicated against."""
        return self.others[self.chosen]

    @property
    def places(self) -> list[Disagreement]:
        """The places ours and `theirs` disagree on."""
        return self.disagreements[self.chosen]

    def choose(self, other: int) -> Compared:
        """The same comparison, adjudicated against another layer."""
        return replace(self, chosen=other)


def layer_names(ours: str, paths: Sequence[Path]) -> list[str]:
    """Each file's name in the tables: its file name, with its folder when two share one
    (colleagues' project files are often all called the same)."""
    names = [p.name for p in paths]
    taken = Counter([ours, *names])
    return [f"{p.parent.name}/{p.name}" if taken[p.name] > 1 else p.name for p in paths]


def steps_of(files: int) -> int:
    """The job's (done, total) steps for this many other files: our layer read, each
    file read, every pair compared and α over all (`many.steps_of`), each file's places."""
    return 1 + files + many_steps(files + 1) + files


def compare_job(
    store: Store, paths: Path | Sequence[Path], fmt: str | None = None
) -> Callable[[Callable[[], bool]], Iterator[Any]]:
    """Read our layer and each file's, compare them all, find where ours and each file
    disagree (off the GUI thread); yields (done, total), then one `Compared`."""
    files = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]

    def job(cancelled: Callable[[], bool]) -> Iterator[Any]:
        total = steps_of(len(files))
        yield (0, total)
        ours = read_layer(store, Path(store.location).name)
        done = 1
        yield (done, total)
        others = []
        for path, name in zip(files, layer_names(ours.name, files), strict=True):
            if cancelled():
                return
            theirs = open_any(path, fmt, cancelled=cancelled)
            theirs.name = name
            others.append(theirs)
            done += 1
            yield (done, total)
        panel = None
        for step in compare_steps([ours, *others]):
            if cancelled():
                return
            if isinstance(step, Panel):
                panel = step
            else:
                yield (done + step[0], total)
        assert panel is not None
        done += many_steps(len(files) + 1)
        found = []
        for theirs in others:
            found.append(find(ours, theirs, cancelled=cancelled))
            if cancelled():
                return
            done += 1
            yield (done, total)
        yield Compared(panel, ours, tuple(others), tuple(found))

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


def label_rows(g: Agreement) -> list[tuple]:
    """One row a label of a pair of layers, then "all labels"."""
    rows = []
    for f in [*g.labels, g.overall]:
        e = f.exact
        name = "all labels" if f is g.overall else f.label
        figures = (e.a, e.b, e.a_matched, e.precision, e.recall, e.f1, f.overlap.f1)
        rows.append((name, *figures, f.kappa, f.alpha))
    return rows


def fact_rows(g: Agreement) -> list[tuple]:
    """One row a fact type, then "all facts"."""
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


def entity_rows(g: Agreement) -> list[tuple]:
    """One row a label, then "all labels": do both find the same entities?"""
    items = [*sorted(g.entities.items()), ("all labels", g.entities_overall)]
    return [(k, m.a, m.b, m.a_matched, m.precision, m.recall, m.f1) for k, m in items]


def confusion_table(g: Agreement) -> tuple[list[str], list[tuple]]:
    """Headers and rows of the label confusion table (A down, B across)."""
    confusion = g.confusion
    names = sorted({a for a, _ in confusion} | {b for _, b in confusion} - {MISSING})
    names = [n for n in names if n != MISSING] + [MISSING]
    headers = ["A \\ B", *[n if n != MISSING else "(none)" for n in names]]
    rows = [
        (a if a != MISSING else "(none)", *(confusion.get((a, b), 0) for b in names)) for a in names
    ]
    return headers, rows


def document_rows(g: Agreement) -> list[tuple]:
    """One row a document both layers hold, the weakest (by κ) first."""
    docs = sorted(g.per_document, key=lambda d: d.kappa if d.kappa is not None else 2.0)
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


PAIR_HEADERS = (
    "A",
    "B",
    "Documents",
    "Spans A",
    "Spans B",
    "Exact F1",
    "Overlap F1",
    "κ",
    "α",
    "Entity F1",
    "Fact F1",
)
PAIR_TIPS = (
    "the pair's reference layer",
    "the other layer",
    "documents both hold (matched by text)",
    "spans in A on those documents",
    "spans in B",
    "exact span F1: same offsets and label",
    "overlap span F1: same label, at least one character in common",
    "Cohen's κ over tokens, all labels",
    "Krippendorff's α (nominal) over tokens, the two layers",
    "F1 of (label, folded name) per document",
    "exact fact F1: same type and arguments",
)
ALPHA_HEADERS = ("Label", "α", "Layers")
ALPHA_TIPS = (
    "",
    "Krippendorff's α (nominal) over the tokens of every document at least two layers "
    "hold, each layer a coder (this label against the rest; last row: all labels)",
    "how many layers are compared",
)


def pair_rows(panel: Panel) -> list[tuple]:
    """One row each pair of layers: the pairwise figures (κ, α, F1) side by side."""
    return [
        (
            g.a,
            g.b,
            g.documents,
            g.overall.exact.a,
            g.overall.exact.b,
            g.overall.exact.f1,
            g.overall.overlap.f1,
            g.overall.kappa,
            g.alpha,
            g.entities_overall.f1,
            g.facts_overall.f1,
        )
        for g in panel.pairs
    ]


def alpha_rows(panel: Panel) -> list[tuple]:
    """α over every layer: one row a label, then "all labels"."""
    n = len(panel.names)
    rows = [(label, value, n) for label, value in sorted(panel.label_alpha.items())]
    return [*rows, ("all labels", panel.alpha, n)]


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def summary(compared: Compared) -> str:
    """One paragraph over the tables: ours against the layer adjudicated against, and α
    over every layer when there are more than two."""
    panel = compared.panel
    g = panel.pairs[compared.chosen]  # pairs (0, 1), (0, 2) … come first
    others = ", ".join(f"<b>{html.escape(o.name)}</b>" for o in compared.others)
    text = (
        f"<b>{html.escape(compared.ours.name)}</b> (ours) compared with {others} "
        f"(theirs). With <b>{html.escape(g.b)}</b>: {g.documents} documents in common "
        f"({len(g.only_a)} only in ours, {len(g.only_b)} only in theirs), {g.tokens} tokens; "
        f"spans: exact F1 <b>{_f(g.overall.exact.f1)}</b>, overlap F1 "
        f"{_f(g.overall.overlap.f1)}, Cohen's κ <b>{_f(g.overall.kappa)}</b>, "
        f"Krippendorff's α {_f(g.alpha)}. Entities: F1 {_f(g.entities_overall.f1)}. "
        f"Facts: F1 {_f(g.facts_overall.f1)}. "
        f"<b>{len(compared.places)}</b> places disagree."
    )
    if len(panel.names) > 2:
        text += (
            f"<br>Krippendorff's α over all <b>{len(panel.names)}</b> layers: "
            f"<b>{_f(panel.alpha)}</b> ({panel.tokens} tokens)."
        )
    return text
