"""Fit fact confidence calibration on the genre corpus's dev part and the seed articles.

Run with `.venv/bin/python bench/calibrate.py [--dry-run]`. The fact rules run with their raw
scores; each predicted article fact is right when it matches a gold fact (as bench/facts.py
matches them). The per-type monotone fit (desktop/core/facts/calibration.py) is written to
resources/facts/calibration.json (not with --dry-run), and the reliability table of the raw
and the calibrated scores on the same facts is printed. The held-out part is never read: its
figures in bench/facts.py stay an honest measure of the calibration.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import facts as base  # noqa: E402
import facts_corpora as corpora  # noqa: E402
from figures import emit  # noqa: E402

from desktop.core.facts.calibration import CALIBRATION_FILE, apply, fit_types  # noqa: E402
from desktop.core.resources import resource_path  # noqa: E402

DEV = ("genre_dev", corpora.GENRE_DIR / "dev")


def predictions(docs: dict[str, base.Document], pipeline: Any, extract: Any) -> list[base.Fact]:
    """Raw-scored article facts of some documents, kept as extraction keeps them."""
    out = []
    for name, doc in docs.items():
        spacy_doc = pipeline.nlp(doc.text)
        found, _dropped = base.kept(extract(spacy_doc, doc.published), doc)
        out += [base.candidate_fact(name, c, doc) for c in found]
    return out


def observations(
    docs: dict[str, base.Document], gold: list[base.Fact], predicted: list[base.Fact]
) -> list[tuple[str, float, bool]]:
    """(type, raw score, right) of every article fact with a score."""
    scores = base.compare(docs, gold, predicted)
    false_ids = {id(p) for p, _dup in scores.false}
    return [
        (p.type, float(p.confidence), id(p) not in false_ids)
        for p in predicted
        if p.zone == base.BODY and p.confidence is not None
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the file")
    args = parser.parse_args(argv)
    pipeline, extract = base.load_extractor(raw=True)
    dev = corpora.load_part(*DEV)
    seed_docs, seed_gold, _problems = base.load_gold(base.read_gold())
    seen = observations(dev.docs, dev.gold, predictions(dev.docs, pipeline, extract))
    seen += observations(seed_docs, seed_gold, predictions(seed_docs, pipeline, extract))
    table = fit_types(seen)
    emit("calibration_facts", len(seen))
    emit("calibration_right", sum(ok for _k, _r, ok in seen))
    for kind, entry in table["types"].items():
        emit(
            f"calibration_{kind}",
            f"{entry['right']}/{entry['facts']} right, {len(entry['blocks'])} blocks",
        )
    blocks = {k: [tuple(b) for b in e["blocks"]] for k, e in table["types"].items()}
    calibrated = [(apply(blocks.get(kind) or blocks["*"], raw), ok) for kind, raw, ok in seen]
    corpora.print_reliability("fit raw", [(raw, ok) for _k, raw, ok in seen])
    corpora.print_reliability("fit calibrated", calibrated)
    if not args.dry_run:
        path = resource_path("facts", CALIBRATION_FILE)
        path.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
        emit("written", path.relative_to(base.ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
