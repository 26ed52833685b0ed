"""Scores an analyst can read: base and project model side by side on held-out documents.

A share of the reviewed documents is held out of training, chosen by a seeded hash of
each document's identity (its sha256), so a document stays on its side as more are
reviewed. On them, each model's entities are compared with the analyst's (exact span
and label), per label: precision, recall, F1 and support (the analyst's entities)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

HELD_OUT_SHARE = 0.2
SEED = 13
Span = tuple[int, int, int, str]  # document id, start, end, label


def held_out(sha256: str, share: float = HELD_OUT_SHARE, seed: int = SEED) -> bool:
    """Whether a document (by its sha256) is held out of training for evaluation."""
    return _draw(sha256, seed) < share


def _draw(sha256: str, seed: int) -> float:
    digest = hashlib.sha256(f"{seed}:{sha256}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split(
    shas: Sequence[str], share: float = HELD_OUT_SHARE, seed: int = SEED
) -> tuple[list[int], list[int]]:
    """(training, held-out) indexes of documents given by sha256. With two documents or
    more at least one is held out (the one drawn lowest) and at least one trains."""
    test = [i for i, sha in enumerate(shas) if held_out(sha, share, seed)]
    if not test and len(shas) >= 2:
        test = [min(range(len(shas)), key=lambda i: _draw(shas[i], seed))]
    if len(test) == len(shas) and shas:
        test.remove(max(test, key=lambda i: _draw(shas[i], seed)))
    train = [i for i in range(len(shas)) if i not in test]
    return train, test


@dataclass(frozen=True, slots=True)
class LabelScore:
    """One label's figures for one model."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int  # the analyst's entities of this label
    predicted: int
    correct: int


def score(
    gold: Iterable[Span], predicted: Iterable[Span], labels: Iterable[str]
) -> dict[str, LabelScore]:
    """Per-label scores (and "ALL", micro-averaged over `labels`) of exact matches."""
    wanted = set(labels)
    gold_set = {s for s in gold if s[3] in wanted}
    pred_set = {s for s in predicted if s[3] in wanted}
    right = gold_set & pred_set
    g, p, c = (Counter(s[3] for s in x) for x in (gold_set, pred_set, right))
    out = {label: _figures(label, g[label], p[label], c[label]) for label in sorted(wanted)}
    out["ALL"] = _figures("ALL", len(gold_set), len(pred_set), len(right))
    return out


def _figures(label: str, support: int, predicted: int, correct: int) -> LabelScore:
    precision = correct / predicted if predicted else 0.0
    recall = correct / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScore(label, precision, recall, f1, support, predicted, correct)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Base and project model on the same held-out documents."""

    documents: int
    base: dict[str, LabelScore]
    project: dict[str, LabelScore]

    def verdict(self) -> str:
        """One sentence: is the project model better?"""
        if not self.documents:
            return (
                "Too few reviewed documents to hold some out, so the new model could not be "
                "compared with the shipped one."
            )
        b, p = self.base["ALL"].f1 * 100, self.project["ALL"].f1 * 100
        worse = [
            label
            for label, s in self.project.items()
            if label != "ALL" and s.support and s.f1 * 100 < self.base[label].f1 * 100 - 1
        ]
        docs = f"{self.documents} held-out document{'s' if self.documents != 1 else ''}"
        if p > b + 0.5 and not worse:
            return f"The project model is better: F1 {p:.1f} against {b:.1f} on {docs}."
        if p > b + 0.5:
            return (
                f"The project model is better overall (F1 {p:.1f} against {b:.1f} on {docs}) "
                f"but worse on {', '.join(worse)}."
            )
        if p < b - 0.5:
            return f"The project model is worse: F1 {p:.1f} against {b:.1f} on {docs}."
        return (
            f"The project model is about as good as the shipped one: F1 {p:.1f} against "
            f"{b:.1f} on {docs}."
        )

    def rows(self) -> list[tuple[str, LabelScore, LabelScore]]:
        """(label, base, project) rows, the labels with support first, ALL last."""
        if not self.base:
            return []
        labels = sorted(
            (k for k in self.base if k != "ALL"),
            key=lambda k: (-self.base[k].support, k),
        )
        return [(k, self.base[k], self.project[k]) for k in [*labels, "ALL"]]

    def as_dict(self) -> dict:
        """JSON-ready figures (for the model's meta and `factdesk train --json`)."""
        return {
            "documents": self.documents,
            "verdict": self.verdict(),
            "labels": {k: {"base": asdict(b), "project": asdict(p)} for k, b, p in self.rows()},
        }


def table(comparison: Comparison) -> str:
    """A plain-text table of the comparison, then the verdict."""
    head = f"{'label':<12} {'support':>7}   {'base P':>6} {'R':>5} {'F1':>5}"
    lines = [head + f"   {'project P':>9} {'R':>5} {'F1':>5}"]
    for label, b, p in comparison.rows():
        base = f"{b.precision * 100:>6.1f} {b.recall * 100:>5.1f} {b.f1 * 100:>5.1f}"
        project = f"{p.precision * 100:>9.1f} {p.recall * 100:>5.1f} {p.f1 * 100:>5.1f}"
        lines.append(f"{label:<12} {b.support:>7}   {base}   {project}")
    lines.append(comparison.verdict())
    return "\n".join(lines)
