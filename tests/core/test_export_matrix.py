"""Every export format × every filter × statuses, on one project with items of every kind.

The expected items are worked out here from plain store reads with the rules as the
issue states them (the fact's own status decides; tags of the item or its document, any
of them; labels through a fact's arguments; boilerplate facts only when asked or when a
zone filter names a boilerplate zone), and each written file is read back with the
format's own reader (spaCy's DocBin, seqeval, pybrat, json, csv)."""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from pathlib import Path

import pytest
import spacy
from seqeval.metrics.sequence_labeling import get_entities
from spacy.tokens import DocBin

from desktop.core.entities.resolve import resolve
from desktop.core.formats.run import ALL_FORMATS, UnknownDocument, run_export
from desktop.core.formats.selection import Selection
from desktop.core.ingest.importer import ingest
from desktop.core.ingest.zones import BOILERPLATE_ZONES
from desktop.core.nlp.extract import extract
from desktop.core.store import Store

TALKS = "004_eeecfdc9a415f39d"
WEI = "000_fc24534519ea242c"
SPAN_FORMATS = ("jsonl", "spacy", "conll", "brat")
BOTH = ("proposed", "accepted")


@pytest.fixture(scope="module")
def project(tmp_path_factory, pipeline):
    """The seeds, extracted, then decided at random (seeded): every status, analyst-added
    spans and facts, tags on documents, mentions and facts."""
    folder = tmp_path_factory.mktemp("matrix")
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    rng = random.Random(20261206)
    with Store.open(folder / "p.factdesk") as store:
        list(ingest(store, [seeds]))
        list(extract(store, pipeline))
        for doc_id in store.documents.ids():
            for m in store.mentions.for_document(doc_id):
                roll = rng.random()
                if roll < 0.35:
                    store.mentions.set_status(m.id, "accepted")
                elif roll < 0.45:
                    store.mentions.set_status(m.id, "rejected")
                if rng.random() < 0.08:
                    store.tags.set("mention", m.id, [rng.choice(["gold", "check"])])
            for f in store.facts.for_document(doc_id):
                roll = rng.random()
                if roll < 0.4:
                    store.facts.set_status(f.id, "accepted")
                elif roll < 0.5:
                    store.facts.set_status(f.id, "rejected")
                if rng.random() < 0.15:
                    store.tags.set("fact", f.id, ["gold"])
        wei = _doc(store, WEI)
        text = store.documents.get(wei).text
        at = text.index("Wei Tao")
        store.mentions.add(wei, at, at + 7, "PERSON", status="proposed")  # analyst-added
        store.facts.create(
            wei, "ROLE", (at - 10, at + 20), [("person", at, at + 7, "Wei Tao")]
        )  # analyst-made, status proposed by default
        store.tags.set("document", _doc(store, TALKS), ["train"])
        resolve(store)
        yield store


def _doc(store, source):
    return next(i for i in store.documents.ids() if store.documents.get(i).info.source == source)


SELECTIONS = {
    "default": Selection(),
    "both statuses": Selection.of(statuses=BOTH),
    "proposed, no analyst's": Selection.of(statuses=["proposed"], include_human=False),
    "tag gold": Selection.of(statuses=BOTH, tags=["gold"]),
    "tags gold+train": Selection.of(statuses=BOTH, tags=["gold", "train"]),
    "label PERSON": Selection.of(statuses=BOTH, labels=["PERSON"]),
    "labels ORG+GPE accepted": Selection.of(labels=["ORG", "GPE"]),
    "type MEETING": Selection.of(statuses=BOTH, fact_types=["MEETING"]),
    "zone caption": Selection.of(statuses=BOTH, zones=["caption"]),
    "zone body": Selection.of(statuses=BOTH, zones=["body"]),
    "boilerplate": Selection.of(statuses=BOTH, include_boilerplate=True),
    "document": Selection.of(statuses=BOTH, documents=[TALKS]),
    "two documents": Selection.of(documents=[TALKS, WEI]),
    "nothing": Selection.of(labels=["NO_SUCH_LABEL"]),
}


def _doc_tags(store, source):
    return set(store.tags.of("document", _doc(store, source)))


def _status_ok(sel, status, origin):
    if status == "rejected":
        return False
    return status in sel.statuses or (sel.include_human and origin == "human")


def _in_zone(zones, kinds, start, end):
    return any(z.kind in kinds and z.start <= start and end <= z.end for z in zones)


def expected(store, sel):
    """{source: (mentions, facts)} of what the selection must hold, from plain reads."""
    out = {}
    for doc_id in store.documents.ids():
        doc = store.documents.get(doc_id)
        source = doc.info.source
        if sel.documents and source not in sel.documents:
            continue
        doc_tags = set(store.tags.of("document", doc_id))
        mentions = [
            m
            for m in store.mentions.for_document(doc_id)
            if _status_ok(sel, m.status, m.origin)
            and (not sel.labels or m.label in sel.labels)
            and (not sel.zones or _in_zone(doc.zones, sel.zones, m.start, m.end))
            and (not sel.tags or (doc_tags | set(store.tags.of("mention", m.id))) & sel.tags)
        ]
        facts = [
            f
            for f in store.facts.for_document(doc_id)
            if _status_ok(sel, f.status, f.origin)
            and (not sel.fact_types or f.type in sel.fact_types)
            and (not sel.zones or f.zone in sel.zones)
            and (
                f.zone not in BOILERPLATE_ZONES
                or sel.include_boilerplate
                or sel.zones & BOILERPLATE_ZONES
            )
            and (not sel.labels or any(a.label in sel.labels for a in f.arguments))
            and (not sel.tags or (doc_tags | set(f.tags)) & sel.tags)
        ]
        chosen = bool(sel.documents) or bool(doc_tags & sel.tags)
        if mentions or facts or chosen:
            out[source] = (mentions, facts)
    return out


def _spans_of(fmt, out):
    """{source: Counter of (start, end, label)} or, for CoNLL, one Counter of labels."""
    if fmt == "jsonl":
        lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        return {
            r["meta"]["source"]: Counter((s["start"], s["end"], s["label"]) for s in r["spans"])
            for r in lines
        }
    if fmt == "spacy":
        got: dict[str, Counter] = {}
        vocab = spacy.blank("en").vocab
        for part in ("train", "dev"):
            for doc in DocBin().from_disk(out / f"{part}.spacy").get_docs(vocab):
                start = doc.user_data["start"]
                got.setdefault(doc.user_data["source"], Counter()).update(
                    (start + e.start_char, start + e.end_char, e.label_) for e in doc.ents
                )
        return got
    if fmt == "brat":  # the T lines that carry a Status are the mentions
        from pybrat.parser import BratParser

        got = {}
        for ex in BratParser(error="raise").parse(out):
            ann = (out / f"{ex.id}.ann").read_text(encoding="utf-8").splitlines()
            marked = {line.split()[2] for line in ann if line.split("\t")[1].startswith("Status T")}
            got[ex.id] = Counter(
                (e.spans[0].start, e.spans[-1].end, e.type) for e in ex.entities if e.id in marked
            )
        return got
    tags = [
        line.split()[-1]
        for line in out.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("-DOCSTART-")
    ]
    return Counter(label for label, _s, _e in get_entities(tags))


def _brat_events(out):
    from pybrat.parser import BratParser

    return {ex.id: len(ex.events) for ex in BratParser(error="raise").parse(out)}


def _fact_ids(fmt, out):
    if fmt == "facts-jsonl":
        return [json.loads(x)["fact_id"] for x in out.read_text(encoding="utf-8").splitlines()]
    with out.open(encoding="utf-8", newline="") as fh:
        return [int(r["fact_id"]) for r in csv.DictReader(fh)]


def _target(tmp_path, fmt, name):
    return tmp_path / f"{name.replace(' ', '_').replace(',', '').replace('+', '_')}-{fmt}"


@pytest.mark.parametrize("name", list(SELECTIONS))
@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_every_format_holds_exactly_the_selection(project, tmp_path, fmt, name):
    store, sel = project, SELECTIONS[name]
    want = expected(store, sel)
    out = _target(tmp_path, fmt, name)
    report = run_export(store, fmt, out, sel, seed=1) if fmt == "spacy" else None
    report = report or run_export(store, fmt, out, sel)
    chosen = {s for s in want if sel.documents or _doc_tags(store, s) & sel.tags}
    mentions = {s: ms for s, (ms, _fs) in want.items() if ms or s in chosen}
    facts = {s: fs for s, (_ms, fs) in want.items() if fs}
    holds = {
        "facts-jsonl": facts,
        "facts-csv": facts,
        "spacy": mentions,
        "conll": mentions,
        "entities-jsonl": mentions,
    }.get(fmt, want)
    if fmt == "entities-jsonl":
        linked = store.entities.of_mentions(m.id for ms in mentions.values() for m in ms)
        holds = {eid for eid, _n in linked.values()}
    if not holds:
        assert report.empty, report.text()
        assert report.empty.startswith("0 "), report.empty
        assert not out.exists(), f"{fmt} wrote {out} though nothing was selected"
        return
    assert report.empty is None and not report.cancelled, report.text()
    assert out.exists()

    if fmt in ("facts-jsonl", "facts-csv"):
        want_ids = sorted(f.id for fs in facts.values() for f in fs)
        assert sorted(_fact_ids(fmt, out)) == want_ids
        assert report.written["facts"] == len(want_ids)
        return
    if fmt == "entities-jsonl":
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert {r["id"] for r in rows} == holds
        assert sum(r["mention_count"] for r in rows) == len(linked)
        return

    skipped = sum(report.skipped.values())
    got = _spans_of(fmt, out)
    if fmt == "conll":
        want_labels = Counter(m.label for ms in mentions.values() for m in ms)
        assert not got - want_labels, "CoNLL holds a span the selection does not"
        assert sum(got.values()) + skipped >= sum(want_labels.values())
        return
    # brat and JSONL hold every selected document, also one with facts and no spans
    assert set(got) == (set(mentions) if fmt == "spacy" else set(want))
    written = 0
    for source, counter in got.items():
        wanted = Counter((m.start, m.end, m.label) for m in mentions.get(source, []))
        assert not counter - wanted, (source, counter - wanted)
        written += sum(counter.values())
    total = sum(len(ms) for ms in mentions.values())
    assert written <= total and written + skipped >= total
    if fmt == "brat":
        events = _brat_events(out)
        assert sum(events.values()) == sum(len(fs) for fs in facts.values())


def test_a_document_filter_naming_nothing_is_refused(project, tmp_path):
    with pytest.raises(UnknownDocument, match="no document named nowhere"):
        run_export(project, "jsonl", tmp_path / "x.jsonl", Selection.of(documents=["nowhere"]))
    assert not (tmp_path / "x.jsonl").exists()


def test_an_accepted_fact_over_proposed_mentions_is_noted(project, tmp_path):
    facts = [f for f in project.facts.query() if f.status == "accepted"]
    over_proposed = [f for f in facts if any(a.status == "proposed" for a in f.arguments)]
    assert over_proposed, "the random decisions leave some accepted facts on proposals"
    report = run_export(project, "facts-jsonl", tmp_path / "f.jsonl", Selection())
    assert report.notes["accepted fact, argument mention still proposed"] >= 1
    assert "Note (accepted fact, argument mention still proposed)" in report.text()
