"""Entity resolution: keys, automatic linking, proposals, analysts' decisions and undo."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desktop.core.entities.keys import (
    abbreviates,
    acronym,
    acronym_keys,
    compact,
    entity_key,
    kind_of,
    strip_admin,
)
from desktop.core.entities.names import preferred_name
from desktop.core.entities.proposals import merge_proposals, propose
from desktop.core.entities.resolve import resolve, resolve_documents
from desktop.core.formats.entities import KEYS, export_entities_jsonl
from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.records import EntityRecord, NewDocument
from desktop.core.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# --- keys -------------------------------------------------------------------------------


def test_vietnamese_names_fold_to_one_key_with_or_without_spaces():
    assert entity_key("Việt Nam") == entity_key("Viet Nam") == "viet nam"
    assert compact(entity_key("Việt Nam")) == compact(entity_key("Vietnam")) == "vietnam"
    assert entity_key("Đà Nẵng") == "da nang"
    assert entity_key("ĐẶNG Thị Hồng") == "dang thi hong"
    assert entity_key("Lê Hoài Trung") == entity_key("Le Hoai Trung")


def test_chinese_names_transliterate():
    assert compact(entity_key("习近平")) == compact(entity_key("Xi Jinping")) == "xijinping"
    assert compact(entity_key("广西")) == "guangxi"


def test_the_possessives_dashes_and_spacing_are_dropped():
    assert entity_key("the Philippines") == entity_key("Philippines") == "philippines"
    assert entity_key("Vietnam's") == entity_key("Vietnam’s") == "vietnam"
    assert entity_key("China–ASEAN  Expo") == entity_key("China-ASEAN Expo") == "china asean expo"
    assert entity_key("  Wei   Tao ") == "wei tao"
    assert entity_key("Theodore") == "theodore"  # only the word "the"


def test_abbreviations():
    assert entity_key("U.S.") == entity_key("US") == "us"
    assert entity_key("N.D.R.C.") == "ndrc"
    assert acronym("National Development and Reform Commission") == "ndrc"
    assert "caexpo" in acronym_keys("China-ASEAN Expo")
    assert abbreviates("asean", ["association", "southeast", "asian", "nations"])
    assert not abbreviates("guangxi", ["guangxi", "university"])


def test_kinds_and_administrative_suffixes():
    assert [kind_of(x) for x in ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT")] == [
        "person",
        "organization",
        "place",
        "place",
        "place",
        "group",
        "event",
    ]
    assert kind_of("DATE") is None and kind_of("MONEY") is None and kind_of("CARDINAL") is None
    assert strip_admin("Guangxi Zhuang Autonomous Region") == "guangxi"
    assert strip_admin("Bolikhamxay province") == "bolikhamxay"
    assert strip_admin("Guangxi University") == "guangxi university"


def test_preferred_name_is_the_most_frequent_full_name():
    assert preferred_name({"Wei": 8, "Wei Tao": 6}, "person") == "Wei Tao"
    assert preferred_name({"Vietnam": 50, "Việt Nam": 4}, "place") == "Vietnam"
    assert preferred_name({"NDRC": 2, "the National Development Commission": 1}, "x") == (
        "National Development Commission"
    )


# --- the seeds ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, pipeline):
    """The seeds ingested, extracted and resolved once; tests work on copies."""
    path = tmp_path_factory.mktemp("seeded") / "seeds.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [SEEDS]))
        list(extract(store, pipeline))
        resolve(store)
    return path


@pytest.fixture
def project(seeded, tmp_path):
    path = tmp_path / "copy.factdesk"
    shutil.copy(seeded, path)
    with Store.open(path) as store:
        yield store


def by_name(store, name, kind=None):
    found = [e for e in store.entities.list(kind) if e.preferred_name == name]
    assert len(found) == 1, (name, found)
    return found[0]


def test_short_forms_link_to_the_full_name_in_the_same_document(project):
    for full, short, source in [
        ("Wei Tao", "Wei", "004_eeecfdc9a415f39d"),
        ("Le Hoai Trung", "Trung", "004_eeecfdc9a415f39d"),
        ("Bui Hoang Phuong", "Phuong", "001_e2401dab50313443"),
    ]:
        entity = by_name(project, full, "person")
        assert short in entity.aliases and source in entity.sources
        texts = {m.text for m in project.entities.mentions_of(entity.id)}
        assert {full, short} <= texts
    assert not [e for e in project.entities.list("person") if e.preferred_name == "Wei"]


def test_same_key_groups_across_documents_and_spellings(project):
    vietnam = by_name(project, "Vietnam", "place")
    assert "Việt Nam" in vietnam.aliases and vietnam.document_count == 5
    assert vietnam.mention_count == sum(
        1 for m in project.entities.mentions_of(vietnam.id) if m.status != "rejected"
    )
    guangxi = by_name(project, "Guangxi", "place")
    region = by_name(project, "Guangxi Zhuang Autonomous Region", "place")
    assert guangxi.id != region.id  # never merged silently
    assert "Guangxi Zhuang autonomous region" in region.aliases


def _pairs(store):
    return {frozenset((p.a_name, p.b_name)): p for p in merge_proposals(store)}


def test_uncertain_matches_are_proposed(project):
    pairs = _pairs(project)
    for a, b in [
        ("Guangxi", "Guangxi Zhuang Autonomous Region"),
        ("NDRC", "National Development and Reform Commission"),
        ("CAEXPO", "China-ASEAN Expo"),
        ("ASEAN", "Association of Southeast Asian Nations"),
    ]:
        proposal = pairs[frozenset((a, b))]
        assert 0 < proposal.score < 1 and proposal.reason


def test_guangxi_university_is_never_proposed_as_guangxi(project, pipeline):
    text = (
        "Guangxi University signs AI pact\n\nNANNING - Guangxi University and Hanoi University "
        "of Science and Technology signed an agreement in Guangxi on Monday. Guangxi University "
        "will host the joint lab."
    )
    doc_id, _ = project.documents.add(NewDocument(source="gxu", text=text))
    list(extract(project, pipeline, document_ids=[doc_id]))
    resolve_documents(project, [doc_id])
    names = {e.preferred_name for e in project.entities.list()}
    assert "Guangxi University" in names
    for pair in _pairs(project):
        assert pair != frozenset(("Guangxi", "Guangxi University"))
    # Even as the same kind, with the rules on their own.
    records = [
        EntityRecord(1, "place", "Guangxi", (), 3),
        EntityRecord(2, "place", "Guangxi University", (), 2),
    ]
    assert propose(records, set()) == []


def test_resolution_is_idempotent(project):
    before = project.entities.list()
    plan = resolve(project)
    assert plan.moves == [] and plan.new_entities == {} and plan.new_aliases == {}
    assert project.entities.list() == before


def test_merge_undo_redo_and_re_resolution(project):
    before = project.entities.list()
    long = by_name(project, "National Development and Reform Commission")
    short = by_name(project, "NDRC")
    change = project.entities.merge(short.id, long.id)
    merged = project.entities.get(short.id)
    assert project.entities.get(long.id) is None
    assert merged.preferred_name == "National Development and Reform Commission"
    assert merged.aliases == ("NDRC",) and merged.mention_count == 3
    assert frozenset(("NDRC", "National Development and Reform Commission")) not in _pairs(project)
    assert [d.action for d in project.entities.decisions()] == ["merge"]
    resolve(project)  # stays merged
    assert project.entities.get(short.id).mention_count == 3
    project.history.undo(change.batch)
    assert project.entities.list() == before and project.entities.decisions() == []
    project.history.redo(change.batch)
    assert project.entities.get(short.id) == merged


def test_split_moves_names_to_a_new_entity_and_stays_split(project):
    before = project.entities.list()
    wei = by_name(project, "Wei Tao")
    change = project.entities.split(wei.id, ["Wei"])
    (decision,) = project.entities.decisions("split")
    new = project.entities.get(decision.entity_b)
    assert new.preferred_name == "Wei" and new.mention_count == wei.mention_count - 6
    assert project.entities.get(wei.id).aliases == ()
    resolve(project)
    assert project.entities.get(decision.entity_b) == new
    assert frozenset(("Wei", "Wei Tao")) not in _pairs(project)  # a split says: not the same
    project.history.undo(change.batch)
    assert project.entities.list() == before


def test_rename_is_kept_by_resolution_and_undoable(project):
    vietnam = by_name(project, "Vietnam")
    change = project.entities.rename(vietnam.id, "Socialist Republic of Viet Nam")
    resolve(project)
    renamed = project.entities.get(vietnam.id)
    assert renamed.preferred_name == "Socialist Republic of Viet Nam"
    assert {"Vietnam", "Việt Nam"} <= set(renamed.aliases)
    project.history.undo(change.batch)
    assert project.entities.get(vietnam.id).preferred_name == "Vietnam"


def test_not_the_same_keeps_a_proposal_away_until_undone(project):
    pair = frozenset(("Guangxi", "Guangxi Zhuang Autonomous Region"))
    proposal = _pairs(project)[pair]
    change = project.entities.mark_distinct(proposal.a_id, proposal.b_id)
    assert pair not in _pairs(project)
    resolve(project)
    assert pair not in _pairs(project)
    project.history.undo(change.batch)
    assert pair in _pairs(project)


def test_decisions_and_history_survive_reopening(seeded, tmp_path):
    path = tmp_path / "reopen.factdesk"
    shutil.copy(seeded, path)
    with Store.open(path) as store:
        short, long = by_name(store, "CAEXPO"), by_name(store, "China-ASEAN Expo")
        change = store.entities.merge(long.id, short.id)
        merged = store.entities.get(long.id)
    with Store.open(path) as store:
        assert store.entities.get(long.id) == merged and store.entities.get(short.id) is None
        assert store.entities.decisions()[0].payload["b"]["preferred_name"] == "CAEXPO"
        store.history.undo(change.batch)
    with Store.open(path) as store:
        assert store.entities.get(short.id).preferred_name == "CAEXPO"


def test_entities_jsonl_has_exactly_the_keys(project, tmp_path):
    out = tmp_path / "entities.jsonl"
    count = export_entities_jsonl(project, out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert count == len(rows) == len(project.entities.list())
    assert all(tuple(row) == KEYS for row in rows)
    wei = next(r for r in rows if r["preferred_name"] == "Wei Tao")
    assert wei["kind"] == "person" and wei["aliases"] == ["Wei"] and wei["mention_count"] == 14
    assert export_entities_jsonl(project, tmp_path / "p.jsonl", kind="place") == len(
        project.entities.list("place")
    )


# --- small hand-made projects ---------------------------------------------------------------


def _add(store, doc_id, text, name, label, status="accepted"):
    start = text.index(name)
    return store.mentions.add(doc_id, start, start + len(name), label, status=status).mention


def test_short_forms_never_cross_documents(store):
    one = "Wei Tao met Chen Gang. Wei said so on Monday."
    two = "Wei spoke later."
    a, _ = store.documents.add(NewDocument(source="one", text=one))
    b, _ = store.documents.add(NewDocument(source="two", text=two))
    full = _add(store, a, one, "Wei Tao", "PERSON")
    short = store.mentions.add(
        a, one.index("Wei said"), one.index("Wei said") + 3, "PERSON"
    ).mention
    other = _add(store, b, two, "Wei", "PERSON")
    date = _add(store, a, one, "Monday", "DATE")
    rejected = _add(store, a, one, "Chen Gang", "PERSON", status="rejected")
    resolve(store)
    got = {m.id: m.entity_id for doc in (a, b) for m in store.mentions.for_document(doc)}
    assert got[full.id] == got[short.id] is not None
    assert got[other.id] not in (None, got[full.id])
    assert got[date.id] is None and got[rejected.id] is None


def test_resolution_scales_linearly_enough(store):
    """A smoke check of the bulk path (the real figures are in bench/entities.py)."""
    text = " ".join(f"Name{i} Person{i}." for i in range(300))
    doc_id, _ = store.documents.add(NewDocument(source="many", text=text))
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            'INSERT INTO mention (document_id, start, "end", label, text, origin, status, '
            "created_at, updated_at) VALUES "
            + ",".join(
                f"({doc_id}, {i}, {i + 1}, 'ORG', 'Org {i % 50}', 'model', 'proposed', "
                "'2025-01-01', '2025-01-01')"
                for i in range(2000)
            )
        )
    plan = resolve(store)
    assert len(plan.new_entities) == 50 and plan.assigned == 2000
    assert {e.mention_count for e in store.entities.list()} == {40}


def test_jsonl_spans_carry_the_canonical_entity(tmp_path, store, seeds_dir, pipeline):
    import json

    from desktop.core.entities.resolve import resolve
    from desktop.core.formats.exporters import export
    from desktop.core.formats.selection import Selection
    from desktop.core.ingest.importer import ingest
    from desktop.core.nlp.extract import extract

    list(ingest(store, [seeds_dir]))
    list(extract(store, pipeline))
    resolve(store)
    out = tmp_path / "spans.jsonl"
    export(store, "jsonl", out, Selection.of(statuses=["proposed"]))
    spans = [
        s
        for line in out.read_text(encoding="utf-8").splitlines()
        for s in json.loads(line)["spans"]
    ]
    wei = [s for s in spans if s["label"] == "PERSON" and s["entity"] == "Wei Tao"]
    assert len({s["entity_id"] for s in wei}) == 1
    assert len(wei) >= 3  # "Wei Tao" and the short form "Wei", across documents
    dates = [s for s in spans if s["label"] == "DATE"]
    assert all(s["entity_id"] is None for s in dates)


NOTICES = (
    "Wei Tao of the Coastal Trade Office met Lan Hoa in Hai Duong. Wei said the office agreed.",
    "Lan Hoa and the CoastalTrade Office spoke in Hai Duong; Wei Tao was away.",
    "Wei spoke alone. The Coastal Trade Office closed for the day in Hải Dương.",
    "Chen Gang met Lan Hoa. Chen said the Coastal Trade Office would pay.",
)
NOTICE_NAMES = (
    ("Wei Tao", "PERSON"), ("Wei", "PERSON"), ("Lan Hoa", "PERSON"), ("Chen Gang", "PERSON"),
    ("Chen", "PERSON"), ("Coastal Trade Office", "ORG"), ("CoastalTrade Office", "ORG"),
    ("Hai Duong", "GPE"), ("Hải Dương", "GPE"),
)  # fmt: skip


def _notices_resolved(path: Path, batch: int, monkeypatch) -> tuple:  # type: ignore[no-untyped-def]
    """Twelve notices with their names, resolved `batch` documents at a time: what it made."""
    import desktop.core.entities.resolve as resolution

    monkeypatch.setattr(resolution, "DOCUMENT_BATCH", batch)
    with Store.open(path) as store:
        ids = []
        for i in range(12):
            text = NOTICES[i % len(NOTICES)] + f" (notice {i})"
            doc_id, _ = store.documents.add(NewDocument(source=f"n{i}", text=text))
            ids.append(doc_id)
            at = 0
            for name, label in NOTICE_NAMES:
                at = text.find(name)
                while at >= 0:
                    store.mentions.add(doc_id, at, at + len(name), label, status="accepted")
                    at = text.find(name, at + len(name))
        resolve_documents(store, ids)
        links = sorted(
            (m.start, m.document_id, m.entity_id)
            for d in ids
            for m in store.mentions.for_document(d)
        )
        entities = sorted(
            (e.id, e.kind, e.preferred_name, e.aliases, e.mention_count)
            for e in store.entities.list()
        )
    return links, entities


def test_resolving_an_import_in_batches_links_as_one_pass(tmp_path, monkeypatch):
    one_pass = _notices_resolved(tmp_path / "one.factdesk", 10_000, monkeypatch)
    batched = _notices_resolved(tmp_path / "two.factdesk", 2, monkeypatch)
    assert batched == one_pass
    links, entities = one_pass
    assert all(eid is not None for _s, _d, eid in links)
    names = {(kind, name, aliases) for _id, kind, name, aliases, _n in entities}
    assert names == {
        ("person", "Wei Tao", ("Wei",)),  # "Wei" after "Wei Tao" in the same notice
        ("person", "Wei", ()),  # the notice where Wei speaks alone
        ("person", "Lan Hoa", ()),
        ("person", "Chen Gang", ("Chen",)),
        ("organization", "Coastal Trade Office", ("CoastalTrade Office",)),
        ("place", "Hai Duong", ("Hải Dương",)),
    }
