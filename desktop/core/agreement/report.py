"""The agreement as the command line prints it: plain tables, JSON or CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from desktop.core.agreement.compare import Agreement
from desktop.core.agreement.many import Panel
from desktop.core.agreement.spans import MISSING, Matches

WORST = 10  # documents listed in the table (all of them in the JSON)


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def as_json(agreement: Agreement) -> str:
    return json.dumps(agreement.as_dict(), indent=2, ensure_ascii=False)


def as_text(agreement: Agreement) -> str:
    """Overall and per-label figures, facts, the confusion table, the weakest documents."""
    g = agreement
    lines = [
        f"A (reference): {g.a}",
        f"B: {g.b}",
        f"documents in common: {g.documents} ({len(g.only_a)} only in A, "
        f"{len(g.only_b)} only in B); tokens: {g.tokens}",
        "",
        f"{'label':<16}{'spans A':>9}{'spans B':>9}{'exact':>7}{'P':>7}{'R':>7}"
        f"{'F1':>7}{'ovl F1':>8}{'kappa':>8}",
    ]
    for row in [*g.labels, g.overall]:
        e = row.exact
        lines.append(
            f"{row.label:<16}{e.a:>9}{e.b:>9}{e.a_matched:>7}{_f(e.precision):>7}"
            f"{_f(e.recall):>7}{_f(e.f1):>7}{_f(row.overlap.f1):>8}{_f(row.kappa):>8}"
        )
    lines.append(f"Krippendorff's alpha (nominal, tokens): {_f(g.alpha)}")
    lines += ["", f"{'fact type':<16}{'facts A':>9}{'facts B':>9}{'exact':>7}{'F1':>7}"]
    for kind, m in [*sorted(g.facts.items()), ("all", g.facts_overall)]:
        lines.append(_fact_line(kind, m))
    lines += [
        "",
        "entities (label and folded name, anywhere in a document):",
        f"{'label':<16}{'names A':>9}{'names B':>9}{'both':>7}{'F1':>7}",
    ]
    for label, m in [*sorted(g.entities.items()), ("all", g.entities_overall)]:
        lines.append(_fact_line(label, m))
    lines += ["", "confusion (same offsets; — = no span there in that layer):"]
    names = sorted({la for la, _ in g.confusion} | {lb for _, lb in g.confusion} - {MISSING})
    names = [n for n in names if n != MISSING] + [MISSING]
    first = max([6, *(len(n) + 2 for n in names)])
    widths = [max(len(n), len(str(max(g.confusion.values(), default=0)))) + 2 for n in names]
    lines.append(
        "A \\ B".ljust(first) + "".join(n.rjust(w) for n, w in zip(names, widths, strict=True))
    )
    for la in names:
        cells = (
            str(g.confusion.get((la, lb), 0)).rjust(w) for lb, w in zip(names, widths, strict=True)
        )
        lines.append(la.ljust(first) + "".join(cells))
    weakest = sorted(
        g.per_document, key=lambda d: (d.kappa if d.kappa is not None else 2.0, d.source)
    )[:WORST]
    lines += ["", f"weakest documents by kappa (of {len(g.per_document)}; --json lists all):"]
    lines.append(f"{'document':<32}{'tokens':>7}{'F1':>7}{'ovl F1':>8}{'kappa':>8}{'alpha':>8}")
    for d in weakest:
        lines.append(
            f"{d.source[:31]:<32}{d.tokens:>7}{_f(d.exact.f1):>7}{_f(d.overlap.f1):>8}"
            f"{_f(d.kappa):>8}{_f(d.alpha):>8}"
        )
    return "\n".join(lines)


def is_empty(agreement: Agreement) -> bool:
    """Whether neither layer has a span or a fact that counts."""
    spans, facts = agreement.overall.exact, agreement.facts_overall
    return not (spans.a or spans.b or facts.a or facts.b)


def _fact_line(kind: str, m: Matches) -> str:
    return f"{kind:<16}{m.a:>9}{m.b:>9}{m.a_matched:>7}{_f(m.f1):>7}"


CSV_COLUMNS = (
    "section",
    "layer_a",
    "layer_b",
    "item",
    "spans_a",
    "spans_b",
    "exact_matches",
    "exact_precision",
    "exact_recall",
    "exact_f1",
    "overlap_f1",
    "kappa",
    "alpha",
    "count",
)


def csv_rows(panel: Panel) -> Iterator[dict[str, object]]:
    """The figures as rows of one table (`CSV_COLUMNS`), a `section` column telling what a
    row holds: label, overall, fact_type, facts, entity_label, entities (names: spans_a
    and spans_b count (label, name) pairs), confusion, document (per pair of layers),
    then alpha and label_alpha over every layer, and document_alpha."""
    for g in panel.pairs:
        pair = {"layer_a": g.a, "layer_b": g.b}
        for row in [*g.labels, g.overall]:
            e = row.exact
            yield {
                "section": "overall" if row is g.overall else "label",
                **pair,
                "item": row.label,
                "spans_a": e.a,
                "spans_b": e.b,
                "exact_matches": e.a_matched,
                "exact_precision": e.precision,
                "exact_recall": e.recall,
                "exact_f1": e.f1,
                "overlap_f1": row.overlap.f1,
                "kappa": row.kappa,
                "alpha": g.alpha if row is g.overall else None,
            }
        yield from _matched_rows(pair, "facts", "fact_type", g.facts, g.facts_overall)
        yield from _matched_rows(pair, "entities", "entity_label", g.entities, g.entities_overall)
        for (la, lb), n in sorted(g.confusion.items()):
            yield {"section": "confusion", **pair, "item": f"{la} -> {lb}", "count": n}
        for d in g.per_document:
            yield {
                "section": "document",
                **pair,
                "item": d.source,
                "spans_a": d.exact.a,
                "spans_b": d.exact.b,
                "exact_matches": d.exact.a_matched,
                "exact_precision": d.exact.precision,
                "exact_recall": d.exact.recall,
                "exact_f1": d.exact.f1,
                "overlap_f1": d.overlap.f1,
                "kappa": d.kappa,
                "alpha": d.alpha,
                "count": d.tokens,
            }
    every = {"layer_a": " + ".join(panel.names), "layer_b": ""}
    yield {"section": "alpha", **every, "item": "all", "alpha": panel.alpha, "count": panel.tokens}
    for label, value in sorted(panel.label_alpha.items()):
        yield {"section": "label_alpha", **every, "item": label, "alpha": value}
    for held in panel.documents:
        yield {
            "section": "document_alpha",
            **every,
            "item": held.source,
            "alpha": held.alpha,
            "count": held.tokens,
        }


def write_csv(panel: Panel, path: str | Path) -> int:
    """Write the figures as CSV (UTF-8, one header line); the number of rows written."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, CSV_COLUMNS)
        writer.writeheader()
        for row in csv_rows(panel):
            writer.writerow({k: _cell(v) for k, v in row.items()})
            n += 1
    return n


def _cell(value: object) -> object:
    return "" if value is None else round(value, 6) if isinstance(value, float) else value


def panel_text(panel: Panel) -> str:
    """Two layers: their table; more: each pair's table, then α over all of them."""
    parts = [as_text(g) for g in panel.pairs]
    if len(panel.names) > 2:
        lines = [
            f"Krippendorff's alpha over {len(panel.names)} layers (nominal, tokens of the "
            f"documents at least two hold; {panel.tokens} tokens): {_f(panel.alpha)}",
        ]
        lines += [f"  {label:<16}{_f(v):>8}" for label, v in sorted(panel.label_alpha.items())]
        lines += ["", "pairs (spans; F1 exact, kappa and alpha over tokens, all labels):"]
        width = max(len(n) for n in panel.names) + 2
        lines.append(
            f"{'A':<{width}}{'B':<{width}}{'docs':>6}{'F1':>7}{'ovl F1':>8}{'kappa':>8}"
            f"{'alpha':>8}{'ent F1':>8}{'fact F1':>8}"
        )
        for g in panel.pairs:
            lines.append(
                f"{g.a:<{width}}{g.b:<{width}}{g.documents:>6}{_f(g.overall.exact.f1):>7}"
                f"{_f(g.overall.overlap.f1):>8}{_f(g.overall.kappa):>8}{_f(g.alpha):>8}"
                f"{_f(g.entities_overall.f1):>8}{_f(g.facts_overall.f1):>8}"
            )
        parts.append("\n".join(lines))
    return ("\n\n" + "=" * 72 + "\n\n").join(parts)


def panel_json(panel: Panel) -> str:
    """Two layers: the pair's JSON as `as_json`; more: every pair and α over all."""
    if len(panel.names) == 2:
        return json.dumps(
            {**panel.pairs[0].as_dict(), "label_alpha": panel.as_dict()["label_alpha"]},
            indent=2,
            ensure_ascii=False,
        )
    return json.dumps(panel.as_dict(), indent=2, ensure_ascii=False)


def _matched_rows(pair: dict, overall_section: str, section: str, by_item: dict, overall):  # type: ignore[no-untyped-def]
    """The CSV rows of exact matching per item (fact type, entity label), then overall."""
    for item, m in [*sorted(by_item.items()), ("all", overall)]:
        yield {
            "section": overall_section if item == "all" else section,
            **pair,
            "item": item,
            "spans_a": m.a,
            "spans_b": m.b,
            "exact_matches": m.a_matched,
            "exact_precision": m.precision,
            "exact_recall": m.recall,
            "exact_f1": m.f1,
        }
