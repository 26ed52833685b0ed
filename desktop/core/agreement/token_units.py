"""Chance-corrected agreement over tokens: Cohen's κ and Krippendorff's α (nominal).

The units are the document's tokens (`desktop.core.tokens`, the project's own
tokenizer). In each layer a token takes the label of the span covering it, or ``O``
when none does. A span covers a token when they share a character; when several spans
cover one token, the longest wins, then the one starting first, then the label first
in alphabetical order.

Labels are coded as small integers, ``O`` being 0. Two layers of one document are two
equal-length code arrays.

κ = (p_o − p_e) / (1 − p_e), with p_o the share of tokens both layers label alike and
p_e = Σ_k p_a(k)·p_b(k) from each layer's own label shares. α is Krippendorff's
nominal α from the coincidence matrix (see _alpha). Both are None when undefined (no tokens, or
one label on every token of both layers, so chance agreement is total).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import numpy as np

from desktop.core.agreement.layers import Span

OUTSIDE = "O"


def token_codes(
    tokens: Sequence[tuple[int, int]], spans: Sequence[Span], codes: dict[str, int]
) -> np.ndarray:
    """The label code of each token (see the module's note for overlapping spans)."""
    labels = [0] * len(tokens)
    if spans:
        starts = [s for s, _e in tokens]
        ends = [e for _s, e in tokens]
        # lowest priority first, so the span that wins is written last
        for span in sorted(spans, key=_priority):
            first = bisect.bisect_right(ends, span.start)
            last = bisect.bisect_left(starts, span.end)
            if last > first:
                labels[first:last] = [codes[span.label]] * (last - first)
    return np.asarray(labels, dtype=np.int64)


def _priority(span: Span) -> tuple[int, int, list[int]]:
    """Sorts the spans so that the one that wins a token comes last."""
    return span.end - span.start, -span.start, [-ord(c) for c in span.label] + [1]


def cross_table(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    """size × size counts of tokens coded i in `a` and j in `b`."""
    return np.bincount(a * size + b, minlength=size * size).reshape(size, size)


def kappa(table: np.ndarray) -> float | None:
    """Cohen's κ of a cross table (rows: one analyst, columns: the other)."""
    n = float(table.sum())
    if not n:
        return None
    observed = float(np.trace(table)) / n
    chance = float((table.sum(axis=1) / n) @ (table.sum(axis=0) / n))
    if chance >= 1.0:
        return None
    return (observed - chance) / (1.0 - chance)


def label_table(table: np.ndarray, code: int) -> np.ndarray:
    """The 2 × 2 cross table of one label against every other (that label or not)."""
    both = table[code, code]
    only_a = table[code, :].sum() - both
    only_b = table[:, code].sum() - both
    neither = table.sum() - both - only_a - only_b
    return np.array([[both, only_a], [only_b, neither]])


def label_kappa(table: np.ndarray, code: int) -> float | None:
    """κ of one label against every other (a token is that label or not)."""
    return kappa(label_table(table, code))


def _alpha(value_counts: np.ndarray) -> float | None:
    """Nominal α from a units × values table of how many coders gave each value.

    The coincidence matrix o (each pairable unit's value pairs, weighted 1/(m_u − 1)),
    its margins n_c and their total n give α = 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k
    (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", nominal data). The
    `krippendorff` package gives the same figure (the tests check it); it is GPL-licensed,
    so the app computes α itself."""
    counts = value_counts[value_counts.sum(axis=1) >= 2].astype(np.float64)
    counts = counts[:, counts.sum(axis=0) > 0] if counts.size else counts
    if counts.shape[0] == 0 or counts.shape[1] < 2:
        return None  # nothing pairable, or one label everywhere: chance agreement is total
    weights = 1.0 / (counts.sum(axis=1) - 1.0)
    coincidences = (counts * weights[:, None]).T @ counts
    coincidences -= np.diag((counts * weights[:, None]).sum(axis=0))
    margins = coincidences.sum(axis=1)
    total = margins.sum()
    expected = total * total - float((margins * margins).sum())
    if expected <= 0:
        return None
    observed = float(coincidences.sum() - np.trace(coincidences))
    return 1.0 - (total - 1.0) * observed / expected


def alpha(a: np.ndarray, b: np.ndarray, size: int) -> float | None:
    """Krippendorff's α (nominal) of two layers' codes of the same tokens."""
    counts = np.zeros((len(a), size), dtype=np.int64)
    rows = np.arange(len(a))
    np.add.at(counts, (rows, a), 1)
    np.add.at(counts, (rows, b), 1)
    return _alpha(counts)


def pooled_alpha(table: np.ndarray) -> float | None:
    """Krippendorff's α (nominal) of every token behind a cross table, from the table.

    α depends on the units only through their coincidences. A token both layers code k
    adds 2 to the coincidence o(k, k), and so does each of its two values in one unit
    of 2·n values all k; the n tokens both coded k are passed as that one unit, and the
    tokens the layers code differently one unit each, as they are. The library then
    sees a few units instead of every token of the corpus (its work is units × labels²
    memory), and gives the same α (the tests hold it equal to α over every token)."""
    size = table.shape[0]
    first, second = np.nonzero(table)
    if not len(first):
        return None
    counts = table[first, second]
    agreed = first == second
    rows = np.arange(len(first))
    units = np.zeros((len(first), size), dtype=np.int64)
    np.add.at(units, (rows, first), 1)
    np.add.at(units, (rows, second), 1)
    units[agreed] *= counts[agreed, np.newaxis]  # 2·n values all k
    return _alpha(np.repeat(units, np.where(agreed, 1, counts), axis=0))


def value_counts(codes: Sequence[np.ndarray], size: int) -> np.ndarray:
    """tokens × values: how many of the layers' code arrays (equal lengths) give each value."""
    counts = np.zeros((len(codes[0]), size), dtype=np.int64)
    rows = np.arange(len(codes[0]))
    for layer_codes in codes:
        np.add.at(counts, (rows, layer_codes), 1)
    return counts


def alpha_of_counts(counts: np.ndarray) -> float | None:
    """Krippendorff's α (nominal) of a tokens × values table, for any number of layers
    (a token fewer than two layers code is not pairable and left out). The coincidences
    are one matrix product over the table (tokens × values²): no per-token work."""
    if not len(counts):
        return None
    return _alpha(counts)


def label_alpha(counts: np.ndarray, code: int) -> float | None:
    """α of one label against every other value (a token is that label or not)."""
    there = counts[:, code]
    binary = np.stack([there, counts.sum(axis=1) - there], axis=1)
    return alpha_of_counts(binary)
