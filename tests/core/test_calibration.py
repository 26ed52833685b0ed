"""Fact confidence calibration: a monotone fit of raw scores to the share of right facts, the
bundled fit, and extraction storing calibrated confidences."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.facts import calibration
from desktop.core.facts.calibration import apply, calibrated, fit, fit_types, load
from desktop.core.facts.extract import extract_facts
from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract

observations = st.lists(
    st.tuples(st.floats(0, 1, allow_nan=False), st.booleans()), min_size=1, max_size=60
)


@settings(max_examples=200, deadline=None)
@given(observations, st.lists(st.floats(0, 1, allow_nan=False), min_size=2, max_size=10))
def test_fit_is_monotone_and_a_probability(pairs, raws) -> None:
    blocks = fit(pairs)
    values = [apply(blocks, raw) for raw in sorted(raws)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values == sorted(values)


def test_fit_follows_the_observed_rates() -> None:
    low = [(0.5, i < 3) for i in range(10)]  # 3 in 10 right
    high = [(0.9, i < 9) for i in range(10)]  # 9 in 10 right
    blocks = fit(low + high)
    assert 0.3 <= apply(blocks, 0.5) < 0.45  # pulled a little towards the overall 0.6
    assert 0.75 < apply(blocks, 0.9) <= 0.9
    assert apply(blocks, 0.7) == round((apply(blocks, 0.5) + apply(blocks, 0.9)) / 2, 4)


def test_a_rare_type_uses_the_fit_of_all_types(tmp_path: Path) -> None:
    seen = [("ROLE", 0.8, True)] * 20 + [("ROLE", 0.6, False)] * 10 + [("EVENT", 0.8, False)]
    table = fit_types(seen)
    assert set(table["types"]) == {"*", "ROLE"}
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(table), encoding="utf-8")
    loaded = load(path)
    assert set(loaded) == {"*", "ROLE"}


def test_bundled_calibration_loads_and_changes_raw_scores(pipeline) -> None:
    table = load()
    assert "*" in table and "ROLE" in table
    doc = pipeline.nlp("Vietnamese Deputy Minister Tran Van Minh met Chinese officials in Hanoi.")
    raw = extract_facts(doc, "2025-03-01")
    assert raw
    for fact in raw:
        out = calibrated(fact)
        assert 0.0 <= out.confidence <= 1.0
        assert out == replace(fact, confidence=out.confidence)


def test_extraction_stores_calibrated_confidence(store, pipeline, tmp_path, monkeypatch) -> None:
    path = tmp_path / "visit.txt"
    path.write_text(
        "HANOI, March 3 (VNA) - Deputy Prime Minister Tran Hong Ha met Chinese Vice Premier"
        " Ding Xuexiang in Hanoi on Monday. The two sides signed three agreements on trade.\n",
        encoding="utf-8",
    )
    # a calibration that sends every raw score to 0.42 shows it is the one applied
    flat = {"*": [(0.0, 0.42, 1.0), (1.0, 0.42, 1.0)]}
    monkeypatch.setattr(calibration, "load", lambda path=None: flat)
    (event,) = list(ingest(store, [path]))
    list(extract(store, pipeline))
    facts = store.facts.for_document(event.document_id)
    assert facts and all(f.confidence == 0.42 for f in facts)
