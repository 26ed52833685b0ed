"""Extraction with the model on two processes: the same mentions and facts as on one, a
document that fails in a worker is the only one lost, and cancelling stops the workers."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from spacy.language import Language

from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract, processes_for
from desktop.core.records import NewDocument
from desktop.core.store import Store

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tests" / "data" / "facts" / "articles"
MARKER = "Zqxv-test-marker"  # the worker component below fails on a text holding it


@Language.component("factdesk_test_fails_on_marker")
def _fails_on_marker(doc):  # type: ignore[no-untyped-def]
    if MARKER in doc.text:
        raise RuntimeError("the test component refused this text")
    return doc


def _project(path: Path, seeds_dir: Path) -> Store:
    store = Store.open(path)
    list(ingest(store, [seeds_dir, ARTICLES]))
    return store


def _results(store: Store) -> dict[str, tuple[list, list]]:
    """Per document source: its mentions and its facts with their arguments."""
    out = {}
    for doc_id in store.documents.ids():
        source = store.documents.infos([doc_id])[0].source
        mentions = sorted(
            (m.start, m.end, m.label, m.text, m.origin, m.extractor, m.confidence)
            for m in store.mentions.for_document(doc_id)
        )
        facts = sorted(
            (
                f.type,
                f.evidence_start,
                f.evidence_end,
                tuple((a.role, a.start, a.end, a.text) for a in f.arguments),
            )
            for f in store.facts.for_document(doc_id)
        )
        out[source] = (mentions, facts)
    return out


def test_two_processes_give_the_same_mentions_and_facts(tmp_path, pipeline, seeds_dir):  # type: ignore[no-untyped-def]
    results = []
    for n in (1, 2):
        with _project(tmp_path / f"p{n}.factdesk", seeds_dir) as store:
            # small batches: both workers get documents, and the order must still hold
            steps = list(extract(store, pipeline, batch_size=2, n_process=n))
            assert [s.done for s in steps] == list(range(1, len(steps) + 1))
            assert all(s.failed is None for s in steps)
            results.append(_results(store))
    one, two = results
    assert len(one) >= 8
    assert sum(len(m) for m, _f in one.values()) > 100
    assert sum(len(f) for _m, f in one.values()) > 5
    assert two == one


def test_a_document_failing_in_a_worker_is_the_only_one_lost(store, pipeline, seeds_dir):  # type: ignore[no-untyped-def]
    list(ingest(store, [seeds_dir]))
    bad, _ = store.documents.add(NewDocument(source="bad", text=f"Hanoi, May 2.\n\n{MARKER} text."))
    pipeline.nlp.add_pipe("factdesk_test_fails_on_marker", first=True)
    try:
        steps = list(extract(store, pipeline, batch_size=2, n_process=2))
    finally:
        pipeline.nlp.remove_pipe("factdesk_test_fails_on_marker")
    failed = [s for s in steps if s.failed is not None]
    assert [s.document_id for s in failed] == [bad]
    assert failed[0].failed.startswith("model: RuntimeError")
    assert len(steps) == 6 and steps[-1].done == 6
    assert store.stats().pending_extraction == 1  # the bad one stays pending
    assert store.runs.last().status == "done"
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("how", ["cancelled", "closed"])
def test_cancelling_two_processes_stops_the_workers(store, pipeline, seeds_dir, how):  # type: ignore[no-untyped-def]
    list(ingest(store, [seeds_dir, ARTICLES]))
    total = store.stats().pending_extraction
    seen = []
    run = extract(
        store,
        pipeline,
        batch_size=1,
        n_process=2,
        cancelled=lambda: how == "cancelled" and len(seen) >= 2,
    )
    for step in run:
        seen.append(step)
        if how == "closed" and len(seen) == 2:
            run.close()
            break
    assert len(seen) == 2
    assert store.runs.last().status == "cancelled"
    assert store.stats().pending_extraction == total - 2
    assert not multiprocessing.active_children()


def test_two_processes_only_with_enough_work(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("FACTDESK_EXTRACT_PROCESSES", raising=False)
    assert processes_for(3) == 1
    monkeypatch.setenv("FACTDESK_EXTRACT_PROCESSES", "1")
    assert processes_for(10_000) == 1
    monkeypatch.setenv("FACTDESK_EXTRACT_PROCESSES", "2")
    assert processes_for(3) == 2
