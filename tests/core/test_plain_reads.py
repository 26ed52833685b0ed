"""The read-only commands' plain sqlite3 path (desktop/core/store/plain_reads.py) gives what
the store gives on the same project file, and the resolution mark notices every change
that resolution reads."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import asdict, replace

import pytest

from desktop.core.entities.resolve import plan_resolution, resolve
from desktop.core.records import NewDocument, NewZone
from desktop.core.store import Store, db
from desktop.core.store import plain_reads as plain
from desktop.core.store.search import search_connection

ARTICLES = {
    "harbour": (
        "Harbour deal signed\n\nMinister Lan Hoa met Chen Wei of the Coastal Trade Office in "
        "Hai Duong on Tuesday. Lan Hoa said the Coastal Trade Office would fund two ports. "
        "Photo: Đà Nẵng pier at dawn."
    ),
    "seeds": (
        "Seed banks open\n\nThe Mekong Seed Institute and the Coastal Trade Office opened "
        "three seed banks near Hai Duong. Chen Wei of the Mekong Seed Institute spoke first."
    ),
    "quiet": "Weather notes\n\nRain fell over the delta. Nobody was named in this note.",
}
NAMES = ("Lan Hoa", "Chen Wei", "Coastal Trade Office", "Hai Duong", "Mekong Seed Institute")
LABEL = {"Lan Hoa": "PERSON", "Chen Wei": "PERSON", "Hai Duong": "GPE"}


@pytest.fixture
def project(tmp_path):
    """A real project file: documents with zones, mentions of every status and origin,
    a fact, a finished run, a failed extraction, resolved entities."""
    path = tmp_path / "p.factdesk"
    with Store.open(path) as store:
        ids = {}
        for source, text in ARTICLES.items():
            head = text.index("\n")
            zones = (NewZone(0, head, "headline"),)
            doc_id, _ = store.documents.add(
                NewDocument(source=source, text=text, title=text[:head], zones=zones)
            )
            ids[source] = doc_id
        n = 0
        for source, text in ARTICLES.items():
            for name in NAMES:
                at = text.find(name)
                while at >= 0:
                    status = ("accepted", "proposed", "rejected")[n % 3]
                    origin = ("human", "model")[n % 2]
                    store.mentions.add(
                        ids[source],
                        at,
                        at + len(name),
                        LABEL.get(name, "ORG"),
                        status=status,
                        origin=origin,
                    )
                    n += 1
                    at = text.find(name, at + 1)
        text = ARTICLES["harbour"]
        start = text.index("Minister")
        store.facts.create(
            ids["harbour"],
            "MEETING",
            (start, text.index("Tuesday.") + 8),
            [("participant", text.index("Lan Hoa"), text.index("Lan Hoa") + 7, "Lan Hoa")],
        )
        run = store.runs.start("bench", "1", "rules", ["ner"])
        store.runs.finish(run, "done", 2, n)
        store.documents.set_extraction_error(ids["quiet"], "the model ran out of memory")
        resolve(store)
    yield path, ids


def current(path):
    conn = plain.open_current(path)
    assert conn is not None
    return conn


def test_stats_are_the_stores(project):
    path, _ids = project
    with Store.open(path, create=False) as store:
        want = store.stats()
    got = plain.project_stats(current(path))
    assert got == want
    assert got.by_status and got.zones == {"headline": 3} and got.facts == {"MEETING": 1}
    assert got.extraction_failed == [("quiet", "the model ran out of memory")]
    assert got.last_run is not None and got.last_run.status == "done"


@pytest.mark.parametrize("query", ["coastal", "da nang", '"seed banks"', "hai*", "nothing"])
def test_search_is_the_stores(project, query):
    path, _ids = project
    with Store.open(path, create=False) as store:
        want = store.search(query)
    assert search_connection(current(path), query) == want


@pytest.mark.parametrize("kind", [None, "person", "organization", "place", "event"])
def test_entity_list_is_the_stores_but_sources(project, kind):
    path, _ids = project
    with Store.open(path, create=False) as store:
        want = [replace(e, sources=()) for e in store.entities.list(kind)]
    got = plain.entity_list(current(path), kind)
    assert got == want
    if kind in (None, "person"):
        assert any(e.preferred_name == "Lan Hoa" for e in got)


def test_the_mark_follows_each_change_that_resolution_reads(project):
    path, ids = project
    with Store.open(path, create=False) as store:
        assert plain.resolution_is_current(current(path))
        mention = next(m for m in store.mentions.for_document(ids["harbour"]) if m.entity_id)
        edits = [
            lambda: store.mentions.set_status(mention.id, "rejected"),
            lambda: store.mentions.relabel(mention.id, "ORG"),
            lambda: store.mentions.resize(mention.id, mention.start, mention.end - 1),
            lambda: store.mentions.add(ids["quiet"], 0, 7, "PERSON"),
        ]
        for edit in edits:
            batch = edit().batch
            assert not plain.resolution_is_current(current(path))
            resolve(store)
            assert plain.resolution_is_current(current(path))
            store.history.undo(batch)  # back to the data it was resolved on, but recorded
            assert not plain.resolution_is_current(current(path))
            resolve(store)
        a, b = (e.id for e in store.entities.list("person")[:2])
        store.entities.merge(a, b)
        assert not plain.resolution_is_current(current(path))
        resolve(store)
        store.entities.rename(a, "H.E. Lan Hoa")
        assert not plain.resolution_is_current(current(path))


@pytest.mark.parametrize("kind", [None, "person", "place"])
def test_the_listing_stored_with_the_mark_is_the_counted_one(project, kind):
    path, ids = project
    before = plain.stored_entity_list(current(path), kind)
    assert before == plain.entity_list(current(path), kind)
    with Store.open(path, create=False) as store:
        lan = next(
            m
            for m in store.mentions.for_document(ids["harbour"])
            if m.text == "Lan Hoa" and m.status != "rejected" and m.entity_id
        )
        store.mentions.set_status(lan.id, "rejected")  # one mention fewer for Lan Hoa
        assert plain.stored_entity_list(current(path), kind) is None  # the mark moved
        resolve(store)
    after = plain.stored_entity_list(current(path), kind)
    assert after == plain.entity_list(current(path), kind)
    counts = [{e.id: e.mention_count for e in listing} for listing in (before, after)]
    if kind != "place":
        assert counts[1][lan.entity_id] == counts[0][lan.entity_id] - 1
    else:
        assert counts[1] == counts[0]


def test_a_change_while_resolving_leaves_the_mark_out(project):
    path, ids = project
    with Store.open(path, create=False) as store:
        state = store.entities.resolution_state()
        store.mentions.add(ids["quiet"], 0, 7, "PERSON")  # another writer, meanwhile
        store.entities.apply_resolution(plan_resolution(state), everything=True)
        assert not plain.resolution_is_current(current(path))
        resolve(store)  # the next resolution sees it and marks
        assert plain.resolution_is_current(current(path))


def test_only_a_project_at_the_newest_schema_opens_plainly(tmp_path, project):
    path, _ids = project
    assert plain.open_current(path) is not None
    old = tmp_path / "old.factdesk"
    engine = db.create_engine(old)
    db.upgrade(engine, "0003")
    engine.dispose()
    assert plain.open_current(old) is None  # a migration is due: the store's path
    assert plain.open_current(tmp_path / "missing.factdesk") is None
    assert not (tmp_path / "missing.factdesk").exists()
    text = tmp_path / "notes.factdesk"
    text.write_text("not a database", encoding="utf-8")
    assert plain.open_current(text) is None
    assert plain.open_current("sqlite:///" + str(path)) is None


# --- the command line: the fast path prints what the store path prints -----------------

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "spacy")


def cli(*args: object) -> tuple[str, list[str]]:
    """Run `factdesk ARGS` in a fresh interpreter: its output and the heavy modules it loaded."""
    probe = textwrap.dedent(
        f"""
        import contextlib, io, sys
        from desktop.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main({[str(a) for a in args]!r})
        print(out.getvalue(), end="")
        print("LOADED", *[m for m in {HEAVY!r} if m in sys.modules], "EXIT", code)
        """
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    body, _, tail = done.stdout.rpartition("LOADED")
    loaded, _, code = tail.partition("EXIT")
    assert code.strip() == "0", done.stderr
    return body, loaded.split()


def store_entity_lines(path, kind=None) -> str:
    """`factdesk entities` as the store path prints it: resolve, then list."""
    with Store.open(path, create=False) as store:
        resolve(store)
        return "".join(
            f"{e.id}\t{e.kind}\t{e.preferred_name}\t{e.mention_count} mentions\t"
            f"{e.document_count} documents\t{'; '.join(e.aliases)}\n"
            for e in store.entities.list(kind)
        )


def test_stats_and_search_commands_print_the_stores_output_without_sqlalchemy(project):
    path, _ids = project
    out, loaded = cli("stats", "-p", path, "--json")
    assert loaded == []
    with Store.open(path, create=False) as store:
        assert json.loads(out) == json.loads(json.dumps(asdict(store.stats())))
        hits = store.search("coastal office")
    out, loaded = cli("search", "-p", path, "coastal office")
    assert loaded == []
    assert out == "".join(f"{h.source}\t{h.title or ''}\t{h.snippet}\n" for h in hits)
    assert len(hits) == 2


def test_entities_command_reads_stored_resolution_until_an_edit_changes_it(project):
    path, ids = project
    first, loaded = cli("entities", "-p", path)
    assert loaded == []  # resolved when built: read as stored
    assert first == store_entity_lines(path)
    with Store.open(path, create=False) as store:
        lan = next(m for m in store.mentions.for_document(ids["harbour"]) if m.text == "Lan Hoa")
        store.mentions.resize(lan.id, lan.start, lan.start + 3)  # now "Lan": another name
    stale, loaded = cli("entities", "-p", path, "--kind", "person")
    assert "sqlalchemy" in loaded  # something changed: resolved again through the store
    fresh, loaded = cli("entities", "-p", path, "--kind", "person")
    assert loaded == []
    assert stale == fresh == store_entity_lines(path, "person")
    assert stale != "".join(line + "\n" for line in first.splitlines() if "\tperson\t" in line)


def test_entities_command_prints_the_stored_listing_while_the_mark_matches(project):
    path, _ids = project
    # the listing is written beside the mark; a copy changed in place (the mark untouched)
    # shows that the command prints it rather than counting the mentions
    with sqlite3.connect(path) as conn:
        (stored,) = conn.execute(
            "SELECT value FROM setting WHERE key = ?", (plain.ENTITY_LISTING_KEY,)
        ).fetchone()
        rows = json.loads(stored)
        rows[0][2] = "Name From The Stored Listing"
        conn.execute(
            "UPDATE setting SET value = ? WHERE key = ?",
            (json.dumps(rows), plain.ENTITY_LISTING_KEY),
        )
    conn.close()
    out, loaded = cli("entities", "-p", path)
    assert loaded == []
    assert out.splitlines()[0].split("\t")[:3] == [str(rows[0][0]), rows[0][1], rows[0][2]]


def test_a_project_with_a_migration_due_goes_through_the_store(tmp_path):
    old = tmp_path / "old.factdesk"
    engine = db.create_engine(old)
    db.upgrade(engine, "0003")
    engine.dispose()
    out, loaded = cli("stats", "-p", old)
    assert "alembic" in loaded and f"schema: {db.head_revision()}" in out
    out, loaded = cli("stats", "-p", old)
    assert loaded == []  # migrated by the first call


def test_a_run_whose_process_died_is_interrupted_on_both_paths(project):
    path, _ids = project
    with Store.open(path, create=False) as store:
        run = store.runs.start("bench", "1", "rules", ["ner"])
        assert plain.last_run(current(path)).status == "running"  # this process: alive
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE extractionrun SET pid = ? WHERE id = ?", (int(gone.stdout), run))
        conn.close()
        assert plain.last_run(current(path)) == store.runs.last()
        assert store.runs.last().status == "interrupted"


def test_entities_export_resolves_only_when_the_mark_has_moved(project, tmp_path, monkeypatch):
    import desktop.core.entities.resolve as resolution
    from desktop.core.formats.run import run_export
    from desktop.core.formats.selection import Selection

    path, ids = project
    calls = []
    real = resolution.resolve
    monkeypatch.setattr(resolution, "resolve", lambda store: calls.append(1) or real(store))

    def exported(store) -> dict[str, dict]:  # type: ignore[no-untyped-def]
        out = tmp_path / f"entities{len(calls)}.jsonl"
        run_export(store, "entities-jsonl", out, Selection.of(statuses=["accepted", "proposed"]))
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        return {r["preferred_name"]: r for r in rows}

    with Store.open(path, create=False) as store:
        first = exported(store)
        assert calls == []  # resolved when built, nothing changed since
        assert first["Lan Hoa"]["sources"] == ["harbour"]
        text = ARTICLES["quiet"]
        store.mentions.add(ids["quiet"], text.index("Nobody"), text.index("Nobody") + 6, "PERSON")
        second = exported(store)
        assert calls == [1]  # a new mention: resolved first, so it has its entity
        assert second["Nobody"]["sources"] == ["quiet"]
        assert {k: v for k, v in second.items() if k != "Nobody"} == first
