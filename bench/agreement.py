"""Agreement of two annotation layers at scale: `desktop.core.agreement` against a plain script.

Run with `.venv/bin/python bench/agreement.py [--documents 2000] [--spans 20] [--rounds 3]`.

The corpus is generated with a fixed seed: documents of invented words (about 160 tokens
each), layer A with `--spans` spans a document (2,000 × 20 = 40k), layer B made from A the
way a second analyst differs (a span dropped, relabelled, cut short or added), and three
facts a document in each layer. Both sides compute the same figures from the same
in-memory layers: exact and overlap F1 per label and overall, a confusion table, exact fact
F1, Cohen's κ and Krippendorff's α over the project's tokens per document and overall.
The plain script is what one writes without the package: a loop per token over the spans
for the token labels, κ by counting, and the `krippendorff` library called on the raw
reliability data (2 × tokens) per document and for the corpus. The figures of both sides
are checked equal before the times are printed.

`--files` also writes the two layers into two real project files and times reading them
and comparing (`factdesk agreement`'s work, in this process), then the whole
`factdesk agreement` command in a child process (`cli_s`, start-up included).

`--adjudication STEPS` writes layer A into a project and times the adjudication view
(offscreen): finding the disagreements, Next against a floor step (the same mentions read,
the sentences set as plain text), and a choice written as one undo step. Target: Next under
50 ms.

Prints `name: value` lines; `ratio` is ours / plain (median of the rounds). Target: ours
under 2 s on the compute. Always exits 0.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import krippendorff
import numpy as np

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from figures import emit, peak_rss_mb  # noqa: E402

from desktop.core.agreement import compare, open_layer  # noqa: E402
from desktop.core.agreement.layers import DocumentLayer, FactItem, Layer, Span  # noqa: E402
from desktop.core.tokens import token_spans  # noqa: E402

LABELS = ("PERSON", "ORG", "GPE", "DATE", "MONEY", "EVENT")
SYLLABLES = ("ka", "lo", "mi", "ren", "tas", "vu", "dor", "pel", "si", "an", "or", "qu")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def _text(rng: random.Random, n: int, tokens: int) -> str:
    words = [f"Note {n}:"]
    while len(words) < tokens:
        w = _word(rng)
        words.append(w.capitalize() if rng.random() < 0.2 else w)
        if rng.random() < 0.08:
            words[-1] += rng.choice(",.")
    return " ".join(words)


def _spans(rng: random.Random, tokens: list[tuple[int, int]], n: int) -> set[Span]:
    out: set[Span] = set()
    step = max(1, len(tokens) // n)
    for i in range(2, len(tokens) - 3, step):
        j = i + rng.randint(0, 2)
        out.add(Span(tokens[i][0], tokens[j][1], rng.choice(LABELS)))
        if len(out) == n:
            break
    return out


def _second(rng: random.Random, spans: set[Span], tokens: list[tuple[int, int]]) -> set[Span]:
    """How a second analyst differs: 80% kept, the rest dropped, relabelled, cut, or moved."""
    out: set[Span] = set()
    for s in sorted(spans):
        roll = rng.random()
        if roll < 0.80:
            out.add(s)
        elif roll < 0.85:
            continue
        elif roll < 0.92:
            out.add(Span(s.start, s.end, rng.choice(LABELS)))
        elif roll < 0.97:
            first = next(t for t in tokens if t[0] >= s.start)
            out.add(Span(s.start, first[1], s.label))
        else:
            t = rng.choice(tokens)
            out.add(Span(t[0], t[1], s.label))
    return out


def _facts(rng: random.Random, spans: set[Span]) -> tuple[FactItem, ...]:
    chosen = rng.sample(sorted(spans), min(6, len(spans)))
    facts = []
    for k in range(0, len(chosen) - 1, 2):
        x, y = chosen[k], chosen[k + 1]
        args = tuple(sorted([("agent", x.start, x.end), ("place", y.start, y.end)]))
        facts.append(FactItem(rng.choice(("MEETING", "ROLE", "FUNDING")), args))
    return tuple(sorted(facts))


def corpus(documents: int, spans: int, seed: int = 18) -> tuple[Layer, Layer]:
    rng = random.Random(seed)
    a, b = Layer("A"), Layer("B")
    for n in range(documents):
        text = _text(rng, n, 160)
        tokens = token_spans(text)
        sa = _spans(rng, tokens, spans)
        sb = _second(rng, sa, tokens)
        fa = _facts(rng, sa)
        fb = tuple(sorted(f for f in fa if rng.random() < 0.85))
        sha = f"{n:064x}"
        a.documents[sha] = DocumentLayer(sha, f"note-{n}", text, tuple(sorted(sa)), fa)
        b.documents[sha] = DocumentLayer(sha, f"note-{n}", text, tuple(sorted(sb)), fb)
    return a, b


# --- the plain script ---------------------------------------------------------------------


def _f1(a_matched: int, a: int, b_matched: int, b: int) -> float | None:
    if not a and not b:
        return None
    p = b_matched / b if b else 0.0
    r = a_matched / a if a else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _kappa(x: list[str], y: list[str]) -> float | None:
    n = len(x)
    if not n:
        return None
    po = sum(p == q for p, q in zip(x, y, strict=True)) / n
    pe = sum((x.count(k) / n) * (y.count(k) / n) for k in set(x) | set(y))
    return None if pe >= 1 else (po - pe) / (1 - pe)


def _alpha(x: list[str], y: list[str]) -> float | None:
    if len(set(x) | set(y)) < 2:
        return None
    domain = sorted(set(x) | set(y))
    code = {v: i for i, v in enumerate(domain)}
    data = np.array([[code[v] for v in x], [code[v] for v in y]], dtype=float)
    return float(
        krippendorff.alpha(
            reliability_data=data,
            level_of_measurement="nominal",
            value_domain=list(range(len(domain))),
        )
    )


def _labels(tokens: list[tuple[int, int]], spans: tuple[Span, ...]) -> list[str]:
    out = []
    for ts, te in tokens:
        best = None
        for s in spans:
            if s.start < te and ts < s.end:
                rank = (-(s.end - s.start), s.start, s.label)
                if best is None or rank < best[0]:
                    best = (rank, s.label)
        out.append(best[1] if best else "O")
    return out


def plain(a: Layer, b: Layer) -> dict[str, object]:
    exact = {"a": 0, "b": 0, "m": 0}
    overlap = {"a": 0, "b": 0, "am": 0, "bm": 0}
    facts = {"a": 0, "b": 0, "m": 0}
    confusion: dict[tuple[str, str], int] = {}
    all_x: list[str] = []
    all_y: list[str] = []
    per_doc = []
    for sha, left in a.documents.items():
        right = b.documents.get(sha)
        if right is None:
            continue
        sa, sb = set(left.spans), set(right.spans)
        exact["a"] += len(sa)
        exact["b"] += len(sb)
        exact["m"] += len(sa & sb)
        overlap["a"] += len(sa)
        overlap["b"] += len(sb)
        overlap["am"] += sum(
            any(x.label == y.label and x.start < y.end and y.start < x.end for y in sb) for x in sa
        )
        overlap["bm"] += sum(
            any(x.label == y.label and x.start < y.end and y.start < x.end for x in sa) for y in sb
        )
        fa, fb = set(left.facts), set(right.facts)
        facts["a"] += len(fa)
        facts["b"] += len(fb)
        facts["m"] += len(fa & fb)
        for s in sa & sb:
            confusion[(s.label, s.label)] = confusion.get((s.label, s.label), 0) + 1
        rest_a: dict[tuple[int, int], list[str]] = {}
        rest_b: dict[tuple[int, int], list[str]] = {}
        for s in sa - sb:
            rest_a.setdefault((s.start, s.end), []).append(s.label)
        for s in sb - sa:
            rest_b.setdefault((s.start, s.end), []).append(s.label)
        for off in rest_a.keys() | rest_b.keys():
            la, lb = sorted(rest_a.get(off, [])), sorted(rest_b.get(off, []))
            for i in range(max(len(la), len(lb))):
                key = (la[i] if i < len(la) else "—", lb[i] if i < len(lb) else "—")
                confusion[key] = confusion.get(key, 0) + 1
        tokens = token_spans(left.text)
        x, y = _labels(tokens, left.spans), _labels(tokens, right.spans)
        all_x += x
        all_y += y
        per_doc.append((_kappa(x, y), _alpha(x, y)))
    return {
        "exact_f1": _f1(exact["m"], exact["a"], exact["m"], exact["b"]),
        "overlap_f1": _f1(overlap["am"], overlap["a"], overlap["bm"], overlap["b"]),
        "fact_f1": _f1(facts["m"], facts["a"], facts["m"], facts["b"]),
        "kappa": _kappa(all_x, all_y),
        "alpha": _alpha(all_x, all_y),
        "confusion": confusion,
        "per_document": per_doc,
    }


def ours(a: Layer, b: Layer) -> dict[str, object]:
    g = compare(a, b)
    return {
        "exact_f1": g.overall.exact.f1,
        "overlap_f1": g.overall.overlap.f1,
        "fact_f1": g.facts_overall.f1,
        "kappa": g.overall.kappa,
        "alpha": g.alpha,
        "confusion": dict(g.confusion),
        "per_document": [(d.kappa, d.alpha) for d in g.per_document],
    }


def _same(x: dict[str, object], y: dict[str, object]) -> bool:
    for key in ("exact_f1", "overlap_f1", "fact_f1", "kappa", "alpha"):
        if not np.isclose(x[key], y[key]):  # type: ignore[arg-type]
            print(f"differs: {key}: {x[key]} vs {y[key]}", file=sys.stderr)
            return False
    docs = np.array(x["per_document"], dtype=float), np.array(y["per_document"], dtype=float)
    return x["confusion"] == y["confusion"] and bool(np.allclose(*docs, equal_nan=True))


def _timed(fn, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - started, out


# --- project files ------------------------------------------------------------------------


def write_project(path: Path, layer: Layer) -> None:
    """A real project (the store makes the schema) holding the layer's documents,
    spans as accepted mentions and facts as accepted facts, written in bulk."""
    import sqlite3

    from desktop.core.store import Store

    Store.open(path).close()
    conn = sqlite3.connect(path)
    now = "2026-12-07 12:00:00"
    with conn:
        for n, doc in enumerate(layer.documents.values(), start=1):
            conn.execute(
                "INSERT INTO document (id, sha256, source, language, text, created_at)"
                " VALUES (?, ?, ?, 'en', ?, ?)",
                (n, doc.sha256, doc.source, doc.text, now),
            )
            conn.executemany(
                'INSERT INTO mention (document_id, start, "end", label, text, origin, status,'
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'human', 'accepted', ?, ?)",
                [
                    (n, s.start, s.end, s.label, doc.text[s.start : s.end], now, now)
                    for s in doc.spans
                ],
            )
            for fact in doc.facts:
                fact_id = conn.execute(
                    "INSERT INTO fact (document_id, type, evidence_start, evidence_end, origin,"
                    " status, created_at, updated_at)"
                    " VALUES (?, ?, 0, ?, 'human', 'accepted', ?, ?)",
                    (n, fact.type, len(doc.text), now, now),
                ).lastrowid
                conn.executemany(
                    'INSERT INTO factargument (fact_id, role, position, start, "end")'
                    " VALUES (?, ?, ?, ?, ?)",
                    [(fact_id, r, i, s, e) for i, (r, s, e) in enumerate(fact.arguments)],
                )
    conn.close()


def three(a: Layer, b: Layer, rounds: int) -> None:
    """Three layers (a third analyst made from A as B was): every pair and α over all
    three, against the library on the raw 3 × tokens reliability data of the corpus."""
    from desktop.core.agreement import token_units as tu
    from desktop.core.agreement.many import compare_many

    rng = random.Random(19)
    c = Layer("C")
    for sha, doc in a.documents.items():
        tokens = token_spans(doc.text)
        spans = tuple(sorted(_second(rng, set(doc.spans), tokens)))
        c.documents[sha] = DocumentLayer(sha, doc.source, doc.text, spans, doc.facts)
    mine, libs = [], []
    for _ in range(rounds):
        t, panel = _timed(compare_many, [a, b, c])
        mine.append(t)
        started = time.perf_counter()
        labels = sorted(
            {s.label for layer in (a, b, c) for d in layer.documents.values() for s in d.spans}
        )
        codes = {"O": 0} | {label: i + 1 for i, label in enumerate(labels)}
        rows: list[list[np.ndarray]] = [[], [], []]
        for sha, doc in a.documents.items():
            units = token_spans(doc.text)
            for k, layer in enumerate((a, b, c)):
                rows[k].append(tu.token_codes(units, layer.documents[sha].spans, codes))
        data = np.array([np.concatenate(r) for r in rows], dtype=float)
        library = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        libs.append(time.perf_counter() - started)
    emit("three_layers_alpha", f"{panel.alpha:.4f}")
    emit("three_layers_same_alpha", bool(np.isclose(panel.alpha, library)))
    emit("three_layers_s", f"{statistics.median(mine):.3f}")
    emit("three_layers_library_alpha_s", f"{statistics.median(libs):.3f}")


# --- adjudication -------------------------------------------------------------------------


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f}"


def adjudication(a: Layer, b: Layer, steps: int) -> None:
    """The adjudication view over layer A (a real project file) against layer B: finding
    the disagreements, then `steps` times Next (read the place's mentions, mark both
    sentences, show them) alternating with a floor step (the same mentions read, the two
    sentences set as plain text), then `steps` choices (take theirs: one store write, one
    undo step, then Next)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from desktop.core.agreement.disagreements import find
    from desktop.core.agreement.layers import read_layer
    from desktop.core.store import Store
    from desktop.ui.panels.adjudication import AdjudicationView

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "a.factdesk"
        write_project(path, a)
        store = Store.open(path, create=False)
        ours_layer = read_layer(store, "A")
        t_find, places = _timed(find, ours_layer, b)
        emit("adjudication_places", len(places))
        emit("adjudication_find_s", f"{t_find:.3f}")
        texts = {sha: doc.text for sha, doc in ours_layer.documents.items()}
        stack = QUndoStack()
        colors = {label: "#3b7dd8" for label in LABELS}
        view = AdjudicationView(store, places, texts, "B", stack, colors)
        view.resize(1040, 400)
        view.show()
        app.processEvents()

        def floor(i: int) -> None:
            place = places[i % len(places)]
            assert place.document_id is not None
            store.mentions.for_document(place.document_id)
            low, high = place.sentence
            view.ours_view.setPlainText(texts[place.sha256][low:high])
            view.theirs_view.setPlainText(texts[place.sha256][low:high])

        shown, floors = [], []
        for i in range(min(steps, len(places) - 1)):
            started = time.perf_counter()
            view.next()
            app.processEvents()
            shown.append(time.perf_counter() - started)
            started = time.perf_counter()
            floor(i)
            app.processEvents()
            floors.append(time.perf_counter() - started)
        emit("adjudication_next_ms", _ms(shown))
        emit("adjudication_next_max_ms", f"{max(shown) * 1000:.1f}")
        emit("adjudication_floor_ms", _ms(floors))
        emit(
            "adjudication_next_ratio", f"{statistics.median(shown) / statistics.median(floors):.2f}"
        )
        view.show_place(0)
        taken = []
        for _ in range(min(steps, len(places))):
            started = time.perf_counter()
            view.take("right")
            app.processEvents()
            taken.append(time.perf_counter() - started)
        emit("adjudication_take_ms", _ms(taken))
        emit("adjudication_take_max_ms", f"{max(taken) * 1000:.1f}")
        emit("adjudication_undo_steps", stack.count())
        view.close()
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--spans", type=int, default=20, help="spans a document in layer A")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--files", action="store_true", help="also read two project files")
    parser.add_argument(
        "--third", action="store_true", help="also compare three layers (alpha over all three)"
    )
    parser.add_argument(
        "--adjudication",
        type=int,
        default=0,
        metavar="STEPS",
        help="also time the adjudication view",
    )
    args = parser.parse_args(argv)
    a, b = corpus(args.documents, args.spans)
    emit("documents", len(a.documents))
    emit("spans_a", sum(len(d.spans) for d in a.documents.values()))
    emit("spans_b", sum(len(d.spans) for d in b.documents.values()))
    emit("tokens", sum(len(token_spans(d.text)) for d in a.documents.values()))
    ours_s, plain_s = [], []
    for _ in range(args.rounds):
        t_ours, mine = _timed(ours, a, b)
        t_plain, theirs = _timed(plain, a, b)
        ours_s.append(t_ours)
        plain_s.append(t_plain)
    emit("same_figures", _same(mine, theirs))
    for key in ("exact_f1", "overlap_f1", "fact_f1", "kappa", "alpha"):
        emit(key, f"{mine[key]:.4f}")
    emit("ours_s", f"{statistics.median(ours_s):.3f}")
    emit("plain_s", f"{statistics.median(plain_s):.3f}")
    emit("ratio", f"{statistics.median(ours_s) / statistics.median(plain_s):.3f}")
    if args.files:
        with tempfile.TemporaryDirectory() as work:
            paths = Path(work) / "a.factdesk", Path(work) / "b.factdesk"
            write_project(paths[0], a)
            write_project(paths[1], b)
            reads, totals = [], []
            for _ in range(args.rounds):
                started = time.perf_counter()
                layers = open_layer(paths[0]), open_layer(paths[1])
                read = time.perf_counter() - started
                from_files = compare(*layers)
                reads.append(read)
                totals.append(time.perf_counter() - started)
            emit("files_read_s", f"{statistics.median(reads):.3f}")
            emit("files_read_and_compare_s", f"{statistics.median(totals):.3f}")
            emit("files_same_figures", from_files.overall.kappa == mine["kappa"])
            command = [sys.executable, "-m", "desktop.cli", "agreement", "-p", str(paths[0])]
            runs = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                subprocess.run([*command, "--with", str(paths[1])], capture_output=True, check=True)
                runs.append(time.perf_counter() - started)
            emit("cli_s", f"{statistics.median(runs):.3f}")  # the whole command, start to exit
    if args.third:
        three(a, b, args.rounds)
    if args.adjudication:
        adjudication(a, b, args.adjudication)
    emit("peak_rss_mb", f"{peak_rss_mb():.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
