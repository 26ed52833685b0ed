"""Exports of a document past spaCy's 1,000,000-character limit, read back by the real
readers; what the command line loads: spaCy only for formats with tokens, Alembic only when
a project needs a migration; the export tokenizer (its cache warmed chunk by chunk) against
spaCy's own tokenizer."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
import zlib

import pytest
import spacy
import srsly
from pybrat.parser import BratParser
from seqeval.metrics.sequence_labeling import get_entities
from spacy.tokens import DocBin, Span

from desktop.core.entities.resolve import resolve
from desktop.core.formats import spacy_tokens
from desktop.core.formats.docbin import doc_bin
from desktop.core.formats.run import ALL_FORMATS, run_export
from desktop.core.formats.selection import Selection
from desktop.core.formats.spacy_tokens import blank, make_doc
from desktop.core.records import NewDocument
from desktop.core.store import Store, db

PARAGRAPH = (
    "Minister Lan Hoa met the delegation of the Coastal Trade Office in Hai Duong on "
    "Tuesday. The two sides signed three agreements on river ports and seed banks.\n\n"
)
LIMIT = 1_000_000  # spaCy's nlp.max_length


@pytest.fixture(scope="module")
def long_project(tmp_path_factory):
    """One document of about 1.1 million characters with spans at its start, middle and
    end, a fact over its last sentence and a resolved entity."""
    folder = tmp_path_factory.mktemp("long")
    text = "Harbour report\n\n" + PARAGRAPH * (1_100_000 // len(PARAGRAPH))
    assert len(text) > LIMIT
    with Store.open(folder / "p.factdesk") as store:
        doc_id, _ = store.documents.add(NewDocument(source="harbour", text=text))
        spans = []
        for at in (len("Harbour report\n\n"), len(text) // 2, len(text) - len(PARAGRAPH)):
            start = text.index("Lan Hoa", at)
            place = text.index("Hai Duong", at)
            spans += [(start, start + 7, "PERSON"), (place, place + 9, "GPE")]
        for start, end, label in spans:
            store.mentions.add(doc_id, start, end, label, status="accepted")
        last = spans[-2]
        sentence_end = text.index(".", last[0]) + 1
        store.facts.create(
            doc_id,
            "MEETING",
            (last[0] - len("Minister "), sentence_end),
            [("participant", last[0], last[1], "Lan Hoa"), ("place", *spans[-1][:2], "Hai Duong")],
        )
        store.facts.set_status(store.facts.for_document(doc_id)[0].id, "accepted")
        resolve(store)
        yield store, text, spans


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_a_document_past_spacys_limit_exports_in_every_format(long_project, tmp_path, fmt):
    store, text, spans = long_project
    out = tmp_path / f"out-{fmt}"
    report = run_export(store, fmt, out, Selection())
    assert report.empty is None and not report.cancelled, report.text()
    want = {(s, e, label) for s, e, label in spans}
    if fmt == "jsonl":
        (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert line["text"] == text
        assert {(s["start"], s["end"], s["label"]) for s in line["spans"]} == want
        tokens = line["tokens"]
        assert tokens[-1]["end"] <= len(text) and len(tokens) > 100_000
        for s in line["spans"]:
            assert tokens[s["token_start"]]["start"] == s["start"]
            assert tokens[s["token_end"]]["end"] == s["end"]
        assert [r["label"] for r in line["relations"]] == ["MEETING"]
    elif fmt == "spacy":
        docs = [
            doc
            for part in ("train", "dev")
            for doc in DocBin().from_disk(out / f"{part}.spacy").get_docs(blank().vocab)
        ]
        assert len(docs) == 1 and docs[0].text == text  # one Doc a document
        assert {(e.start_char, e.end_char, e.label_) for e in docs[0].ents} == want
    elif fmt == "conll":
        lines = out.read_text(encoding="utf-8").splitlines()
        tags = [x.split()[-1] for x in lines if x.strip() and not x.startswith("-DOCSTART-")]
        found = sorted(label for label, _s, _e in get_entities(tags))
        assert found == sorted(label for _s, _e, label in spans)
    elif fmt == "brat":
        (example,) = BratParser(error="raise").parse(out)
        assert example.text == text
        got = {(e.spans[0].start, e.spans[-1].end, e.type) for e in example.entities}
        assert want <= got
        assert [e.type for e in example.events] == ["MEETING"]
    elif fmt == "facts-jsonl":
        (fact,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert [a["text"] for a in fact["arguments"]] == ["Lan Hoa", "Hai Duong"]
    elif fmt == "facts-csv":
        with out.open(encoding="utf-8", newline="") as fh:
            (row,) = list(csv.DictReader(fh))
        assert row["participant"] == "Lan Hoa" and row["place"] == "Hai Duong"
    else:
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert {(r["preferred_name"], r["mention_count"]) for r in rows} == {
            ("Lan Hoa", 3),
            ("Hai Duong", 3),
        }


def test_the_sentence_split_is_kept_as_an_option(long_project, tmp_path):
    store, text, spans = long_project
    run_export(store, "spacy", tmp_path / "out", Selection(), by_sentence=True)
    docs = [
        doc
        for part in ("train", "dev")
        for doc in DocBin().from_disk(tmp_path / "out" / f"{part}.spacy").get_docs(blank().vocab)
    ]
    assert len(docs) > 1000  # one a sentence
    found = {
        (d.user_data["start"] + e.start_char, d.user_data["start"] + e.end_char, e.label_)
        for d in docs
        for e in d.ents
    }
    assert found == set(spans)
    assert all(text[d.user_data["start"] :].startswith(d.text) for d in docs[:50])


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False
    )


def test_formats_without_tokens_never_import_spacy(long_project, tmp_path):
    store, _text, _spans = long_project
    done = _run(
        f"""
        import sys
        from desktop.core.formats.run import run_export
        from desktop.core.formats.selection import Selection
        from desktop.core.store import Store
        with Store.open({store.location!r}, create=False) as store:
            for fmt in ("brat", "facts-jsonl", "facts-csv", "entities-jsonl"):
                report = run_export(store, fmt, {str(tmp_path)!r} + "/" + fmt, Selection())
                assert report.total, report.text()
        print("spacy" in sys.modules, "alembic" in sys.modules)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


def test_alembic_loads_only_when_a_migration_is_due(tmp_path):
    path = tmp_path / "old.factdesk"
    engine = db.create_engine(path)
    db.upgrade(engine, "0003")
    engine.dispose()
    probe = f"""
        import sys
        from desktop.core.store import Store
        with Store.open({str(path)!r}, create=False) as store:
            print(store.schema_revision(), "alembic" in sys.modules)
        """
    first, second = _run(probe), _run(probe)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout.split() == [db.head_revision(), "True"]  # migrated
    assert second.stdout.split() == [db.head_revision(), "False"]  # nothing due


def test_the_head_read_from_the_scripts_is_alembics():
    from alembic.script import ScriptDirectory

    assert db.head_revision() == ScriptDirectory.from_config(db.alembic_config()).get_current_head()


def _token_rows(doc) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(t.text, t.idx, t.whitespace_, t.norm_, t.is_punct) for t in doc]


TRICKY = (
    "Dr. Lan's delegation didn't arrive until 5 p.m. on Jan. 3 :) and the U.S.-ASEAN "
    'desk (e-mail desk@port.example, http://port.example/notes?id=4) said "fine".\n\n'
    "  Two  spaces,\ttabs\t\tand a line\r\nend. Đà Nẵng's ferries; the 1,500-tonne barge "
    "isn't late -- it's 'early'! O'Neill & Co. paid US$4.5m (approx.) in 2026... Yes?\n"
)


def test_the_warmed_tokenizer_gives_spacys_own_tokens():
    # a fresh tokenizer with a cold cache tokenizes the whole text the slow way
    reference = spacy.blank("en").tokenizer
    texts = [TRICKY, TRICKY * 40, " " + TRICKY.strip() + " ", "\n\n" + TRICKY + "  "]
    for text in texts:
        want = _token_rows(reference(text))
        assert _token_rows(make_doc(text)) == want
        assert set(text.split()) <= spacy_tokens._warmed  # each chunk went in on its own
        assert _token_rows(make_doc(text)) == want  # again, every chunk already cached


def test_the_long_document_is_tokenized_as_spacy_does_it(long_project):
    _store, text, _spans = long_project
    doc = make_doc(text)
    assert _token_rows(doc) == _token_rows(spacy.blank("en").tokenizer(text))


def test_our_docbin_holds_what_spacys_docbin_holds(long_project):
    _store, text, _spans = long_project
    docs = []
    for piece in (TRICKY, text[:5000], ""):
        doc = make_doc(piece)
        words = [t for t in doc if not t.is_space]
        doc.ents = [Span(doc, t.i, t.i + 1, label="ORG") for t in words[::9]]
        doc.user_data.update({"source": f"s{len(docs)}", "start": len(docs)})
        docs.append(doc)
    theirs, ours = DocBin(docs=docs, store_user_data=True), doc_bin(docs)
    assert ours.strings == theirs.strings and len(ours.strings) > 100
    unpack = [srsly.msgpack_loads(zlib.decompress(b.to_bytes())) for b in (theirs, ours)]
    for key in unpack[0]:
        if key == "strings":  # a set: the order of its list may differ
            assert sorted(unpack[0][key]) == sorted(unpack[1][key])
        else:
            assert unpack[0][key] == unpack[1][key], key
    back = list(DocBin().from_bytes(ours.to_bytes()).get_docs(blank().vocab))
    assert [(d.text, [(e.start_char, e.label_) for e in d.ents], d.user_data) for d in back] == [
        (d.text, [(e.start_char, e.label_) for e in d.ents], d.user_data) for d in docs
    ]
