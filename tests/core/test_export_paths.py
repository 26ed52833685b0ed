"""The command line's export path (a plain sqlite3 connection, no store) writes what the
store's path writes, byte for byte, and JSONL lines written from token offsets are the
json module's own."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.entities.resolve import resolve
from desktop.core.formats.prodigy import document_json, document_line
from desktop.core.formats.report import ExportReport
from desktop.core.formats.run import ALL_FORMATS, run_export
from desktop.core.formats.selection import Selected, Selection
from desktop.core.formats.spacy_tokens import Tokens, make_doc, token_bounds
from desktop.core.records import DocumentInfo, DocumentRecord, MentionRecord, NewDocument, NewZone
from desktop.core.store import Store
from desktop.core.store.export_reads import ReadOnlyProject

TEXTS = {
    "quay": (
        'Quay works begin\n\nMinister Lan Hoa said "the quay opens in May" at the Coastal '
        "Trade Office in Hai Duong.\tA caption follows.\n\nPhoto: the Đà Nẵng pier \\ dawn."
    ),
    "seeds": (
        "Seed banks\n\nThe Mekong Seed Institute and the Coastal Trade Office opened three "
        "seed banks near Hai Duong.\nChen Wei of the Mekong Seed Institute spoke first."
    ),
}
SPANS = ("Lan Hoa", "Coastal Trade Office", "Hai Duong", "Mekong Seed Institute", "Chen Wei")
SELECTIONS = {
    "both": Selection.of(statuses=["proposed", "accepted"]),
    "accepted": Selection(),
    "tagged": Selection.of(statuses=["proposed", "accepted"], tags=["checked"]),
    "named": Selection.of(statuses=["accepted"], documents=["seeds"]),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """Two documents with zones, mentions of every status, one across a line break, notes,
    tags on a document, a mention and a fact, facts with arguments, resolved entities."""
    path = tmp_path_factory.mktemp("paths") / "p.factdesk"
    with Store.open(path) as store:
        store.labels.ensure()
        n = 0
        for source, text in TEXTS.items():
            head = text.index("\n")
            doc_id, _ = store.documents.add(
                NewDocument(source=source, text=text, title=text[:head],
                            zones=(NewZone(0, head, "headline"),))
            )  # fmt: skip
            for name in SPANS:
                at = text.find(name)
                while at >= 0:
                    label = "PERSON" if name in ("Lan Hoa", "Chen Wei") else "ORG"
                    status = ("accepted", "proposed", "rejected")[n % 3]
                    change = store.mentions.add(doc_id, at, at + len(name), label, status=status)
                    if n % 4 == 0 and change.mention is not None:
                        store.mentions.set_note(change.mention.id, "spelling to check")
                    if n == 1 and change.mention is not None:
                        store.tags.set("mention", change.mention.id, ["checked"])
                    n += 1
                    at = text.find(name, at + 1)
            broken = text.index("Duong.") + 2
            store.mentions.add(doc_id, broken, text.index("\n", broken) + 4, "MISC")
            start = text.index("the Coastal") if "the Coastal" in text else text.index("The")
            lan = text.find("Lan Hoa")
            args = [("party", text.index("Coastal"), text.index("Coastal") + 20, "Coastal Trade")]
            if lan >= 0:
                args.append(("participant", lan, lan + 7, "Lan Hoa"))
            store.facts.create(doc_id, "MEETING", (start, text.index(".", start) + 1), args)
            store.facts.set_note(store.facts.for_document(doc_id)[0].id, "date unclear")
            if source == "seeds":
                store.tags.set("document", doc_id, ["checked"])
        resolve(store)
    return path


@pytest.mark.parametrize("name", list(SELECTIONS))
@pytest.mark.parametrize("fmt", [f for f in ALL_FORMATS if f != "entities-jsonl"])
def test_the_plain_path_writes_the_stores_bytes(project, tmp_path, fmt, name):
    selection = SELECTIONS[name]
    outs = {}
    for side in ("store", "plain"):
        out = tmp_path / side / f"export-{fmt}"
        if side == "store":
            with Store.open(project, create=False) as store:
                report = run_export(store, fmt, out, selection)
        else:
            conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
            try:
                report = run_export(ReadOnlyProject.of(conn), fmt, out, selection)  # type: ignore[arg-type]
            finally:
                conn.close()
        assert report.empty is None, report.text()
        files = sorted(p for p in out.parent.rglob("*") if p.is_file())
        outs[side] = {
            str(p.relative_to(out.parent)): p.read_bytes().split(b"\n", 1)[-1]  # past the path
            if p.name.endswith("report.txt")
            else p.read_bytes()
            for p in files
        }
        assert report.total > 0
    assert outs["plain"] == outs["store"]


def test_both_reads_give_the_same_batch(project):
    conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    plain = ReadOnlyProject.of(conn).exports
    with Store.open(project, create=False) as store:
        ids = store.documents.ids()
        assert plain.ids() == ids == store.exports.ids()
        assert plain.batch(ids) == store.exports.batch(ids)
        assert plain.sources() == store.exports.sources()
        both = ("mention", "fact")
        assert plain.status_counts(both) == store.exports.status_counts(both)
        assert plain.count() == store.documents.count() == 2
    conn.close()


def test_the_command_line_exports_without_the_store(project, tmp_path):
    # stderr is a pipe here, so there is no progress bar and tqdm is not loaded either
    probe = textwrap.dedent(
        f"""
        import sys
        from desktop.cli import main
        codes = [main(["export", "-p", {str(project)!r}, "-f", fmt, "-o",
                       {str(tmp_path)!r} + "/" + fmt, "--status", "proposed"])
                 for fmt in ("brat", "facts-jsonl", "facts-csv")]
        print(codes, [m for m in ("sqlalchemy", "sqlmodel", "spacy", "tqdm") if m in sys.modules])
        main(["export", "-p", {str(project)!r}, "-f", "jsonl", "-o", {str(tmp_path)!r} + "/j"])
        print([m for m in ("sqlalchemy", "sqlmodel", "spacy") if m in sys.modules])
        """
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[0, 0, 0] []", "['spacy']"]
    assert (tmp_path / "brat" / "quay.ann").read_text(encoding="utf-8").startswith("T1\t")


def _selected(text: str, spans: list[tuple[int, int]]) -> Selected:
    info = DocumentInfo(1, "doc", "Title", None, None, None, None, None, len(text))
    mentions = [
        MentionRecord(i, 1, s, e, "ORG", text[s:e], "human", None, None, "accepted", None, None)
        for i, (s, e) in enumerate(spans, start=1)
    ]
    return Selected(DocumentRecord(info, text), mentions)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(alphabet=st.sampled_from('ab Z"\\\t\n\r.,-đẵ\x07\u2028京'), max_size=60),
    data=st.data(),
)
def test_a_line_from_offsets_is_json_dumps_of_the_object(text, data):
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    spans = [(a, b) for a, b in pairwise(cuts) if a < b]
    item = _selected(text, spans)
    line = document_line(item, ExportReport("jsonl"))
    assert line == json.dumps(document_json(item, ExportReport("jsonl")), ensure_ascii=False)
    assert json.loads(line)["text"] == text
    doc = make_doc(text)
    tokens = Tokens.of(doc)
    for start, end in spans:
        assert tokens.bounds(start, end) == token_bounds(doc, start, end)
