"""Fact confidence calibrated on annotated articles: the rules' raw score of a fact becomes
the share of facts with such a score that were right (resources/facts/calibration.json,
written by bench/calibrate.py).

The fit is per fact type: pool-adjacent-violators (isotonic) over the raw scores, each block
shrunk towards the type's overall rate (a few pseudo-observations) and made monotone again.
A raw score between two blocks is interpolated between their mean scores, so the mapping is
monotone: a higher raw score never gets a lower confidence.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from desktop.core.facts.candidates import FactCandidate
from desktop.core.resources import resource_path

CALIBRATION_FILE = "calibration.json"
PSEUDO = 2.0  # pseudo-observations pulling each block towards the type's overall rate
MIN_FACTS = 8  # a type with fewer observed facts uses the fit of all types together
ALL = "*"

Block = tuple[float, float, float]  # (mean raw score, calibrated confidence, weight)


def _pav(points: Sequence[tuple[float, float, float]]) -> list[Block]:
    """Pool adjacent violators over (raw, value, weight) points sorted by raw score."""
    blocks: list[list[float]] = []  # [sum raw*w, sum value*w, sum w]
    for raw, value, weight in points:
        blocks.append([raw * weight, value * weight, weight])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            blocks[-1] = [a + b for a, b in zip(blocks[-1], last, strict=True)]
    return [(r / w, v / w, w) for r, v, w in blocks]


def fit(observations: Iterable[tuple[float, bool]]) -> list[Block]:
    """A monotone map from raw score to the chance of being right, from (raw, right) pairs."""
    pairs = sorted((float(raw), 1.0 if right else 0.0) for raw, right in observations)
    if not pairs:
        return []
    rate = sum(v for _r, v in pairs) / len(pairs)
    grouped: dict[float, list[float]] = {}
    for raw, value in pairs:
        grouped.setdefault(raw, []).append(value)
    points = [(raw, sum(vs) / len(vs), float(len(vs))) for raw, vs in sorted(grouped.items())]
    shrunk = [
        (raw, (value * weight + rate * PSEUDO) / (weight + PSEUDO), weight)
        for raw, value, weight in _pav(points)
    ]
    return [(raw, round(value, 4), weight) for raw, value, weight in _pav(shrunk)]


def apply(blocks: Sequence[Block], raw: float) -> float:
    """The calibrated confidence of a raw score (the raw score itself without a fit)."""
    if not blocks:
        return raw
    means = [b[0] for b in blocks]
    i = bisect.bisect_left(means, raw)
    if i == 0:
        return blocks[0][1]
    if i == len(blocks):
        return blocks[-1][1]
    (r0, v0, _w0), (r1, v1, _w1) = blocks[i - 1], blocks[i]
    share = (raw - r0) / (r1 - r0) if r1 > r0 else 1.0
    return round(v0 + share * (v1 - v0), 4)


def fit_types(observations: Iterable[tuple[str, float, bool]]) -> dict[str, Any]:
    """The calibration file's content from (type, raw score, right) triples."""
    by_type: dict[str, list[tuple[float, bool]]] = {}
    for kind, raw, right in observations:
        by_type.setdefault(kind, []).append((raw, right))
        by_type.setdefault(ALL, []).append((raw, right))
    types = {}
    for kind, pairs in sorted(by_type.items()):
        if kind != ALL and len(pairs) < MIN_FACTS:
            continue
        types[kind] = {
            "facts": len(pairs),
            "right": sum(1 for _r, ok in pairs if ok),
            "blocks": [list(b) for b in fit(pairs)],
        }
    return {
        "version": "calibration.v1",
        "about": "Raw rule score -> share of such facts that were right, per fact type ('*':"
        " all types, for a type seen too rarely). Blocks are [mean raw score, confidence,"
        " facts]; between blocks the confidence is interpolated. Written by bench/calibrate.py"
        " from the genre corpus's dev part and the seed articles.",
        "types": types,
    }


@cache
def load(path: Path | None = None) -> dict[str, list[Block]]:
    """Blocks by fact type from the calibration file; empty when there is none (raw scores
    are kept) or it cannot be read."""
    path = path or resource_path("facts", CALIBRATION_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            kind: [(float(r), float(v), float(w)) for r, v, w in entry["blocks"]]
            for kind, entry in data["types"].items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def calibrated(fact: FactCandidate, table: dict[str, list[Block]] | None = None) -> FactCandidate:
    """The fact with its confidence calibrated (unchanged without a calibration)."""
    table = load() if table is None else table
    blocks = table.get(fact.type) or table.get(ALL)
    if not blocks or fact.confidence is None:
        return fact
    return replace(fact, confidence=apply(blocks, float(fact.confidence)))
