"""Agreement of any number of layers: every pair's figures, and Krippendorff's α over all.

The first layer is the reference: every other layer is aligned on its documents
(`matching.align`), each pair of layers is compared as two layers are (`compare`), and α
is computed over the tokens of every document at least two layers hold, each layer a
coder (a layer without the document is a missing value, as α allows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from desktop.core.agreement import token_units as tu
from desktop.core.agreement.compare import Agreement, compare
from desktop.core.agreement.layers import AgreementError, DocumentLayer, Layer
from desktop.core.agreement.matching import align, common_ground
from desktop.core.tokens import token_spans


@dataclass
class DocumentAlpha:
    """α of one document over the layers that hold it."""

    source: str
    sha256: str
    layers: int
    tokens: int
    alpha: float | None


@dataclass
class Panel:
    """The agreement of several layers: names, every pair, α overall, per label and per
    document."""

    names: list[str]
    pairs: list[Agreement]
    alpha: float | None = None
    label_alpha: dict[str, float | None] = field(default_factory=dict)
    documents: list[DocumentAlpha] = field(default_factory=list)
    tokens: int = 0

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready values."""
        return {
            "layers": self.names,
            "alpha": self.alpha,
            "tokens": self.tokens,
            "label_alpha": [{"label": k, "alpha": v} for k, v in sorted(self.label_alpha.items())],
            "pairs": [p.as_dict() for p in self.pairs],
            "documents_alpha": [
                {
                    "source": d.source,
                    "sha256": d.sha256,
                    "layers": d.layers,
                    "tokens": d.tokens,
                    "alpha": d.alpha,
                }
                for d in self.documents
            ],
        }


def aligned(layers: Sequence[Layer]) -> list[Layer]:
    """The layers, every one after the first keyed and offset on the first's documents,
    their facts on common ground (`matching.common_ground`)."""
    return common_ground([layers[0], *(align(layers[0], other) for other in layers[1:])])


def compare_many(
    layers: Sequence[Layer], progress: Callable[[int, int], None] = lambda done, total: None
) -> Panel:
    """Every pair of layers compared (the earlier one the reference) and α over all.

    Raises `AgreementError` with fewer than two layers or when a pair shares nothing."""
    for step in compare_steps(layers):
        if isinstance(step, Panel):
            return step
        progress(*step)
    raise AssertionError("compare_steps ends with its Panel")  # pragma: no cover


def steps_of(layers: int) -> int:
    """How many (done, total) steps `compare_steps` counts for this many layers: one a
    pair, and α over all of them."""
    return layers * (layers - 1) // 2 + 1


def compare_steps(layers: Sequence[Layer]) -> Iterator[tuple[int, int] | Panel]:
    """`compare_many` as steps: (done, total) after each pair and after α, then the
    `Panel` (a worker yields them, and stops between pairs when cancelled)."""
    if len(layers) < 2:
        raise AgreementError("agreement needs at least two layers")
    from desktop.core.formats.imports import _cyclic_gc_paused

    with _cyclic_gc_paused():  # many small tuples: see layers.read_layer
        layers = aligned(layers)
    pairs = list(combinations(range(len(layers)), 2))
    total = steps_of(len(layers))
    out = Panel([layer.name for layer in layers], [])
    units: dict[str, list[tuple[int, int]]] = {}  # each document tokenized once
    for done, (i, j) in enumerate(pairs, start=1):
        with _cyclic_gc_paused():
            out.pairs.append(compare(layers[i], layers[j], units))
        yield (done, total)
    with _cyclic_gc_paused():
        _alphas(layers, out, units)
    yield (total, total)
    yield out


def _alphas(layers: Sequence[Layer], out: Panel, cache: dict[str, list[tuple[int, int]]]) -> None:
    holders: dict[str, list[DocumentLayer]] = {}
    for layer in layers:
        for sha, doc in layer.documents.items():
            holders.setdefault(sha, []).append(doc)
    docs = {sha: held for sha, held in holders.items() if len(held) >= 2}
    labels = sorted({s.label for held in docs.values() for d in held for s in d.spans})
    codes = {tu.OUTSIDE: 0} | {label: i + 1 for i, label in enumerate(labels)}
    size = len(codes)
    tables = []
    for sha, held in docs.items():
        units = cache.get(sha) or token_spans(held[0].text)
        counts = tu.value_counts([tu.token_codes(units, d.spans, codes) for d in held], size)
        out.documents.append(
            DocumentAlpha(held[0].source, sha, len(held), len(units), tu.alpha_of_counts(counts))
        )
        tables.append(counts)
        out.tokens += len(units)
    if not tables:
        return
    every = np.concatenate(tables)
    out.alpha = tu.alpha_of_counts(every)
    out.label_alpha = {label: tu.label_alpha(every, codes[label]) for label in labels}
