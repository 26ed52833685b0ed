"""Facts in the store: stored beside the mentions, idempotent re-runs, analysts' edits, exports."""

import csv
import json

import pytest

from desktop.core.formats.facts import export_facts_csv, export_facts_jsonl
from desktop.core.formats.selection import Selection
from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract

TALKS = "004_eeecfdc9a415f39d"


@pytest.fixture
def seeded(store, seeds_dir, pipeline):
    list(ingest(store, [seeds_dir]))
    list(extract(store, pipeline))
    return store


def _doc(store, source):
    return next(i for i in store.documents.ids() if store.documents.get(i).info.source == source)


def _meeting(store):
    doc_id = _doc(store, TALKS)
    return next(
        f for f in store.facts.for_document(doc_id, boilerplate=False) if f.type == "MEETING"
    )


def test_the_hanoi_talks_are_a_meeting_with_place_and_date(seeded):
    fact = _meeting(seeded)
    by_role = {}
    for a in fact.arguments:
        by_role.setdefault(a.role, []).append(a)
    assert {a.text for a in by_role["participant"]} == {"Le Hoai Trung", "Wei Tao"}
    assert [a.text for a in by_role["place"]] == ["Hanoi"]
    assert [(a.text, a.value) for a in by_role["date"]] == [("November 25", "--11-25")]
    assert all(a.mention_id is not None for a in by_role["participant"])
    assert {a.label for a in by_role["participant"]} == {"PERSON"}
    assert (fact.zone, fact.status, fact.origin, fact.extractor) == (
        "body",
        "proposed",
        "rule",
        "meeting.v2",
    )
    doc = seeded.documents.get(fact.document_id)
    assert "held talks" in doc.text[fact.evidence_start : fact.evidence_end]


def test_caption_facts_are_marked_and_hidden_by_default(seeded):
    doc_id = _doc(seeded, TALKS)
    everything = seeded.facts.for_document(doc_id)
    article = seeded.facts.for_document(doc_id, boilerplate=False)
    hidden = [f for f in everything if f not in article]
    assert hidden and {f.zone for f in hidden} <= {"caption", "related", "tags"}
    assert all(f.zone not in {"caption", "related", "tags"} for f in article)


def test_rerun_keeps_facts_and_decisions(seeded, pipeline):
    before = {f.id: f for f in seeded.facts.query()}
    meeting = _meeting(seeded)
    seeded.facts.set_status(meeting.id, "rejected")
    steps = list(extract(seeded, pipeline, everything=True))
    assert sum(s.facts for s in steps) == 0
    after = {f.id: f for f in seeded.facts.query()}
    assert set(after) == set(before)
    assert after[meeting.id].status == "rejected"


def test_fact_edits_are_undoable(seeded):
    meeting = _meeting(seeded)
    date = next(a for a in meeting.arguments if a.role == "date")
    changes = [
        seeded.facts.set_argument_value(date.id, "2025-11-25"),
        seeded.facts.set_type(meeting.id, "EVENT"),
        seeded.facts.remove_argument(next(a.id for a in meeting.arguments if a.role == "place")),
        seeded.tags.set("fact", meeting.id, ["verified"]),
        seeded.facts.set_note(meeting.id, "date from the dateline"),
    ]
    edited = seeded.facts.get(meeting.id)
    assert (edited.type, edited.status, edited.tags, edited.note) == (
        "EVENT",
        "accepted",
        ("verified",),
        "date from the dateline",
    )
    assert [a.value for a in edited.arguments if a.role == "date"] == ["2025-11-25"]
    for change in reversed(changes):
        seeded.history.undo(change.batch)
    assert seeded.facts.get(meeting.id) == meeting


def test_a_fact_made_by_hand(seeded):
    doc_id = _doc(seeded, TALKS)
    text = seeded.documents.get(doc_id).text
    start = text.index("500,000 USD")
    sentence = (text.rfind(".", 0, start) + 2, text.index(".", start) + 1)
    change = seeded.facts.create(
        doc_id, "FUNDING", sentence, [("amount", start, start + 11, "500,000 USD")]
    )
    made = [f for f in seeded.facts.for_document(doc_id) if f.origin == "human"]
    assert len(made) == 1 and made[0].status == "accepted"
    assert [(a.role, a.text) for a in made[0].arguments] == [("amount", "500,000 USD")]
    seeded.history.undo(change.batch)
    assert not [f for f in seeded.facts.for_document(doc_id) if f.origin == "human"]


def test_facts_jsonl_has_exactly_the_design_schema(seeded, tmp_path):
    out = tmp_path / "facts.jsonl"
    proposed = Selection.of(statuses=["proposed", "accepted"])
    n = export_facts_jsonl(seeded, out, proposed).written["facts"]
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert n == len(lines) > 0
    for line in lines:
        assert list(line) == [
            "document",
            "fact_id",
            "type",
            "status",
            "origin",
            "extractor",
            "confidence",
            "evidence",
            "zone",
            "arguments",
            "tags",
        ]
        assert line["zone"] not in {"caption", "related", "tags"}
        assert set(line["evidence"]) == {"start", "end", "text"}
        for a in line["arguments"]:
            assert list(a) == ["role", "text", "label", "start", "end", "entity", "value"]
    meeting = next(x for x in lines if x["type"] == "MEETING" and x["document"] == TALKS)
    date = next(a for a in meeting["arguments"] if a["role"] == "date")
    assert (date["entity"], date["value"]) == (None, "--11-25")
    wei = next(a for a in meeting["arguments"] if a["text"] == "Wei Tao")
    assert wei["entity"] == "Wei Tao" and wei["label"] == "PERSON"

    with_boilerplate = tmp_path / "all.jsonl"
    everything = Selection.of(statuses=["proposed", "accepted"], include_boilerplate=True)
    m = export_facts_jsonl(seeded, with_boilerplate, everything).written["facts"]
    zones = {json.loads(x)["zone"] for x in with_boilerplate.read_text().splitlines()}
    assert m > n and "caption" in zones


def test_facts_csv_one_row_per_fact_roles_as_columns(seeded, tmp_path):
    out = tmp_path / "facts.csv"
    meetings = Selection.of(statuses=["proposed"], fact_types=["MEETING"])
    n = export_facts_csv(seeded, out, meetings).written["facts"]
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(rows) == n > 0
    assert {"participant", "participant_value", "place", "date_value"} <= set(rows[0])
    talks = next(r for r in rows if r["document"] == TALKS)
    assert set(talks["participant"].split(" | ")) == {"Le Hoai Trung", "Wei Tao"}
    assert talks["date_value"] == "--11-25"


def test_facts_export_names_the_canonical_entity(seeded, tmp_path):
    from desktop.core.entities.resolve import resolve

    resolve(seeded)
    out = tmp_path / "facts.jsonl"
    everything = Selection.of(statuses=["proposed"], include_boilerplate=True)
    export_facts_jsonl(seeded, out, everything)
    args = [
        a
        for line in out.read_text(encoding="utf-8").splitlines()
        for a in json.loads(line)["arguments"]
    ]
    short = [a for a in args if a["text"] in {"Wei", "Trung"} and a["label"] == "PERSON"]
    assert short, "the seeds quote Wei and Trung by their short names"
    assert {a["entity"] for a in short} <= {"Wei Tao", "Le Hoai Trung"}
