"""Dataset exports (spaCy DocBin, Prodigy JSONL, CoNLL, brat), read back by the real tools."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin
from sqlmodel import Session

from desktop.core.formats.exporters import export
from desktop.core.formats.report import MISALIGNED, OVERLAP
from desktop.core.formats.selection import Selection
from desktop.core.ingest.importer import ingest
from desktop.core.models import Entity, Mention
from desktop.core.nlp.extract import extract
from desktop.core.store import Store

CONFIG = Path(__file__).resolve().parents[1] / "data" / "spacy" / "ner.cfg"
TALKS = "004_eeecfdc9a415f39d"
WEI = "000_fc24534519ea242c"
ALL = Selection(statuses=frozenset({"proposed", "accepted"}))


def _doc(store, source):
    return next(i for i in store.documents.ids() if store.documents.get(i).info.source == source)


@pytest.fixture(scope="module")
def project(tmp_path_factory, pipeline):
    """The seeds, extracted; TALKS accepted with analysts' edits, one rejection, tags, notes."""
    folder = tmp_path_factory.mktemp("exports")
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    with Store.open(folder / "project.factdesk") as store:
        list(ingest(store, [seeds]))
        list(extract(store, pipeline))
        talks = _doc(store, TALKS)
        store.mentions.accept_all(talks)
        mentions = store.mentions.for_document(talks)
        wei = next(m for m in mentions if m.text == "Wei Tao")
        store.mentions.set_status(mentions[0].id, "rejected")
        # analysts' spans: one overlapping Wei Tao, one cutting a word (both still proposed)
        store.mentions.add(talks, wei.start, wei.start + 3, "PERSON", status="proposed")
        store.mentions.add(talks, wei.start + 1, wei.end, "ORG", status="proposed")
        store.mentions.set_note(wei.id, "Guangxi's chairman")
        store.tags.set("mention", wei.id, ["gold"])
        store.tags.set("document", _doc(store, WEI), ["train"])
        facts = store.facts.for_document(talks)
        for f in facts:
            store.facts.set_status(f.id, "accepted")
        store.facts.set_status(facts[-1].id, "rejected")
        with Session(store.engine) as session:
            entity = Entity(kind="PERSON", preferred_name="Wei Tao")
            session.add(entity)
            session.flush()
            session.get(Mention, wei.id).entity_id = entity.id
            session.commit()
        yield store, folder, wei, mentions[0]


def _expected(store, source, sel=None):
    sel = sel or Selection()
    return {
        (m.start, m.end, m.label)
        for m in store.mentions.for_document(_doc(store, source))
        if sel.status_ok(m.status, m.origin)
    }


def _read_docbin(path):
    vocab = spacy.blank("en").vocab
    return list(DocBin().from_disk(path).get_docs(vocab))


def test_docbin_holds_the_same_entities(project, tmp_path):
    store, _, _, _ = project
    report = export(store, "spacy", tmp_path / "out", ALL, seed=3)
    got: dict[str, set] = {}
    for part in ("train", "dev"):
        for doc in _read_docbin(tmp_path / "out" / f"{part}.spacy"):
            start, source = doc.user_data["start"], doc.user_data["source"]
            got.setdefault(source, set()).update(
                (start + e.start_char, start + e.end_char, e.label_) for e in doc.ents
            )
    assert got[WEI] == _expected(store, WEI, ALL)
    assert (tmp_path / "out" / "report.txt").read_text().startswith("Export: spacy")
    assert report.skipped[OVERLAP] >= 1 and report.skipped[MISALIGNED] >= 1


def _dev(tmp_path, store, seed):
    out = tmp_path / f"seed{seed}"
    export(store, "spacy", out, ALL, seed=seed, dev_fraction=0.3)
    return sorted(
        (d.user_data["source"], d.user_data["start"]) for d in _read_docbin(out / "dev.spacy")
    )


def test_the_split_is_reproducible(project, tmp_path):
    store, _, _, _ = project
    assert _dev(tmp_path, store, 7) == _dev(tmp_path, store, 7)
    assert _dev(tmp_path, store, 7) != _dev(tmp_path, store, 8)


def _spacy(*args):
    return subprocess.run(
        [sys.executable, "-m", "spacy", *map(str, args)], capture_output=True, text=True
    )


@pytest.mark.slow
def test_spacy_debug_data_accepts_the_docbin(project, tmp_path):
    store, _, _, _ = project
    # `debug data` wants 100 training examples: the five seeds give that one a sentence
    export(store, "spacy", tmp_path / "out", ALL, dev_fraction=0.05, by_sentence=True)
    paths = [
        "--paths.train",
        tmp_path / "out/train.spacy",
        "--paths.dev",
        tmp_path / "out/dev.spacy",
    ]
    done = _spacy("debug", "data", CONFIG, *paths)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_spacy_trains_on_the_docbin(project, tmp_path):
    store, _, _, _ = project
    export(store, "spacy", tmp_path / "out", ALL)
    paths = [
        "--paths.train",
        tmp_path / "out/train.spacy",
        "--paths.dev",
        tmp_path / "out/dev.spacy",
    ]
    done = _spacy("train", CONFIG, *paths, "--output", tmp_path / "model")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "model" / "model-last").is_dir()


def test_conll_is_read_by_spacy_convert_and_seqeval(project, tmp_path):
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    store, _, _, _ = project
    out = tmp_path / "x.conll"
    report = export(store, "conll", out, ALL)
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "-DOCSTART- -X- O O"
    sentences, current = [], []
    for line in lines:
        if line.startswith("-DOCSTART-"):
            continue
        if line:
            current.append(line.split(" "))
        elif current:
            sentences.append(current)
            current = []
    assert all(len(row) == 4 for s in sentences for row in s)
    tags = [[row[3] for row in s] for s in sentences]
    strict = Entities(tags, scheme=IOB2, suffix=False)
    n = sum(len(s) for s in strict.entities)
    assert n == report.written["spans"] == len(get_entities(tags))
    assert report.skipped[OVERLAP] >= 1 and "Wei" in out.with_name("x.conll.report.txt").read_text()
    (tmp_path / "conv").mkdir()
    converted = _spacy("convert", out, tmp_path / "conv", "--converter", "ner")
    assert converted.returncode == 0, converted.stderr
    docs = _read_docbin(tmp_path / "conv" / "x.spacy")
    assert sum(len(d.ents) for d in docs) == n


def test_brat_is_read_by_pybrat(project, tmp_path):
    from pybrat.parser import BratParser

    store, _, _, _ = project
    out = tmp_path / "brat"
    report = export(store, "brat", out)
    examples = BratParser(error="raise").parse(out)
    assert [e.id for e in examples] == [TALKS]
    ex = examples[0]
    ann = (out / f"{TALKS}.ann").read_text(encoding="utf-8").splitlines()
    mentions = [
        m
        for m in store.mentions.for_document(_doc(store, TALKS))
        if Selection().status_ok(m.status, m.origin)
    ]
    facts = [f for f in store.facts.for_document(_doc(store, TALKS)) if Selection().fact_ok(f)]
    assert len(ex.events) == len(facts) == report.written["events"]
    assert report.written["entities"] == len(mentions) - report.skipped.total()
    attributes = [x for x in ann if x.startswith("A")]
    assert len(attributes) == report.written["entities"] + report.written["events"]
    assert all(a.split("\t")[1].split(" ")[0] == "Status" for a in attributes)
    (ref,) = [e for e in ex.entities if e.references]
    assert (ref.mention, ref.references[0].rid, ref.references[0].entry) == (
        "Wei Tao",
        "Factdesk",
        "Wei Tao",
    )
    assert any(x.startswith("#") and "AnnotatorNotes" in x and "chairman" in x for x in ann)
    assert (out / f"{TALKS}.txt").read_text(encoding="utf-8") == store.documents.get(
        _doc(store, TALKS)
    ).text
    assert out.with_name("brat.report.txt").exists()


def test_jsonl_token_offsets_agree_with_tokens(project, tmp_path):
    store, _, _, _ = project
    out = tmp_path / "x.jsonl"
    report = export(store, "jsonl", out, ALL)
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5 and report.written["relations"] > 0
    for r in records:
        tokens = r["tokens"]
        spans = r["spans"] + [
            x for rel in r["relations"] for x in (rel["head_span"], rel["child_span"])
        ]
        for s in spans:
            assert tokens[s["token_start"]]["start"] == s["start"]
            assert tokens[s["token_end"]]["end"] == s["end"]
        assert set(r["meta"]) == {"source", "title", "date"}
    talks = next(r for r in records if r["meta"]["source"] == TALKS)
    assert {rel["label"] for rel in talks["relations"]} >= {"MEETING"}


def test_rejected_items_are_never_exported(project, tmp_path):
    store, _, _, rejected = project
    out = tmp_path / "x.jsonl"
    export(store, "jsonl", out, Selection(statuses=frozenset({"proposed", "accepted", "rejected"})))
    spans = [s for line in out.read_text().splitlines() for s in json.loads(line)["spans"]]
    assert rejected.id not in {s["mention_id"] for s in spans}
    assert all(s["status"] != "rejected" for s in spans)


def _spans(store, tmp_path, sel):
    out = tmp_path / "f.jsonl"
    export(store, "jsonl", out, sel)
    records = [json.loads(x) for x in out.read_text().splitlines()]
    return {r["meta"]["source"]: r for r in records}


def test_the_default_is_accepted_and_analysts_spans(project, tmp_path):
    store, _, _, _ = project
    records = _spans(store, tmp_path, Selection())
    assert list(records) == [TALKS]
    assert {s["status"] for s in records[TALKS]["spans"]} == {"accepted", "proposed"}
    assert {s["origin"] for s in records[TALKS]["spans"] if s["status"] == "proposed"} == {"human"}
    only = _spans(store, tmp_path, Selection(include_human=False))
    assert {s["status"] for s in only[TALKS]["spans"]} == {"accepted"}


def test_filters_by_tag_label_type_zone_and_document(project, tmp_path):
    store, _, wei, _ = project
    tagged = _spans(
        store, tmp_path, Selection.of(statuses=["proposed", "accepted"], tags=["gold", "train"])
    )
    assert sorted(tagged) == [WEI, TALKS]
    assert [s["mention_id"] for s in tagged[TALKS]["spans"]] == [wei.id]
    people = _spans(
        store, tmp_path, Selection.of(statuses=["proposed", "accepted"], labels=["PERSON"])
    )
    assert {s["label"] for r in people.values() for s in r["spans"]} == {"PERSON"}
    meetings = _spans(store, tmp_path, Selection.of(fact_types=["MEETING"]))
    assert {rel["label"] for rel in meetings[TALKS]["relations"]} == {"MEETING"}
    body = _spans(store, tmp_path, Selection.of(statuses=["proposed", "accepted"], zones=["body"]))
    doc = store.documents.get(_doc(store, TALKS))
    inside = [(z.start, z.end) for z in doc.zones if z.kind == "body"]
    assert all(
        any(a <= s["start"] and s["end"] <= b for a, b in inside) for s in body[TALKS]["spans"]
    )
    assert len(body[TALKS]["spans"]) < len(_spans(store, tmp_path, ALL)[TALKS]["spans"])
    one = _spans(store, tmp_path, Selection.of(statuses=["proposed"], documents=[WEI]))
    assert list(one) == [WEI]


def test_a_cancelled_export_leaves_nothing(project, tmp_path):
    store, _, _, _ = project
    seen = []
    for fmt, out in [
        ("spacy", tmp_path / "sp"),
        ("brat", tmp_path / "b"),
        ("conll", tmp_path / "c"),
    ]:
        report = export(
            store,
            fmt,
            out,
            ALL,
            progress=lambda d, t: seen.append((d, t)),
            cancelled=lambda: len(seen) >= 2,
        )
        assert report.cancelled
        seen.clear()
    assert list(tmp_path.iterdir()) == []
    done = []
    export(store, "conll", tmp_path / "c", ALL, progress=lambda d, t: done.append((d, t)))
    assert done[-1] == (5, 5)
