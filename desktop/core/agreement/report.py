"""The agreement as the command line prints it: plain tables, or JSON."""

from __future__ import annotations

import json

from desktop.core.agreement.compare import Agreement
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
