"""`factdesk copy` and `factdesk migrate` (issue 17) through the real command line, between a
real SQLite file and a database on the test session's throwaway PostgreSQL server."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from desktop.core.store import Store, db
from desktop.core.store.copy import SEARCH_TABLE

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def _dump(location: str | Path) -> dict[str, list[tuple]]:
    """Every table's rows, typed by the database's own reflection (JSON parsed), ordered by
    primary key; the search index's folded rows by document id."""
    engine = db.create_engine(location)
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            meta = sa.MetaData()
            keep = [n for n in names if n != "alembic_version" and not n.startswith(SEARCH_TABLE)]
            meta.reflect(conn, only=keep)
            out = {}
            for table in meta.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                rows = conn.execute(sa.select(table).order_by(*order))
                out[table.name] = [tuple(map(_utc, r)) for r in rows]
            search = f"SELECT rowid, title, body FROM {SEARCH_TABLE} ORDER BY rowid"
            out[SEARCH_TABLE] = [tuple(r) for r in conn.execute(sa.text(search))]
            out["alembic_version"] = [
                tuple(r) for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))
            ]
    finally:
        engine.dispose()
    return out


def _utc(value: object) -> object:
    """A date-time as an instant in UTC (SQLite keeps UTC without a zone, PostgreSQL a
    timestamptz shown in the session's zone)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)
    return value


def _raw_sqlite(path: Path) -> dict[str, list[tuple]]:
    """An SQLite file's tables as stored (bytes of text, no type conversion), without FTS5's
    internal segment tables (their layout depends on the order of writes, not the data)."""
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith(f"{SEARCH_TABLE}_") and r[0] != SEARCH_TABLE
        ]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def edited_project(tmp_path_factory, factdesk_cli) -> tuple[Path, int]:
    """The seeds ingested and extracted by the real pipeline, then an analyst's edits:
    accepts, a relabel, a merge, notes, tags, a setting, one step undone (redo tail) and the
    last step (a relabel) still on the undo stack; its batch is returned."""
    folder = tmp_path_factory.mktemp("copy")
    project = folder / "team.factdesk"
    done = factdesk_cli("ingest", "--project", project, SEEDS, cwd=folder)
    assert done.returncode == 0, done.stderr
    with Store.open(project) as store:
        doc = store.documents.ids()[0]
        mentions = store.mentions.for_document(doc)
        store.mentions.accept_all(doc)
        store.mentions.set_note(
            mentions[0].id, "checked against the Quenby Gazette, both spellings"
        )
        store.documents.set_note(doc, "the second paragraph repeats the lead")
        store.tags.set("document", doc, ["verified", "harbour-talks"])
        store.tags.set("mention", mentions[1].id, ["verified"])
        facts = store.facts.for_document(doc)
        store.facts.set_status(facts[0].id, "accepted")
        store.facts.set_note(facts[0].id, "date read from the dateline")
        people = store.entities.list("person")
        store.entities.merge(people[0].id, people[1].id)
        store.settings.set("review.order", {"by": "published", "desc": True}, "Review order")
        undone = store.mentions.set_status(mentions[2].id, "rejected").batch
        assert undone is not None
        store.history.undo(undone)
        last = store.mentions.relabel(mentions[3].id, "ORG").batch
        assert last is not None
    return project, last


def _undo_last(location: str | Path, batch: int) -> None:
    """Undo the project's last step (the relabel) and see it taken back; then the id
    sequences still give new rows fresh ids."""
    with Store.open(location, create=False) as store:
        done, _redo = store.history.stack()
        assert done[-1].batch == batch
        relabelled = [m for d in store.documents.ids() for m in store.mentions.for_document(d)]
        before = {m.id: m.label for m in relabelled}
        store.history.undo(batch)
        after = {
            m.id: m.label for d in store.documents.ids() for m in store.mentions.for_document(d)
        }
        changed = {i for i in before if before[i] != after[i]}
        assert len(changed) == 1 and before[changed.pop()] == "ORG"
        doc = store.documents.ids()[0]
        top = max(before)
        added = store.mentions.add(doc, 0, 4, "GPE").mention
        assert added is not None and added.id > top


def test_round_trip_sqlite_postgresql_sqlite(edited_project, pg_url, tmp_path, factdesk_cli):
    project, last = edited_project
    back = tmp_path / "back.factdesk"
    original = _dump(project)
    to_pg = factdesk_cli("copy", "--from", project, "--to", pg_url, cwd=tmp_path)
    assert to_pg.returncode == 0, to_pg.stderr
    lines = to_pg.stderr.splitlines()
    assert "copy: mention: " in to_pg.stderr and "copy: revision: " in to_pg.stderr
    assert lines[-1].startswith("copy: ") and "rows in" in lines[-1] and pg_url in lines[-1]
    assert _dump(pg_url) == original
    to_file = factdesk_cli("copy", "--from", pg_url, "--to", back, cwd=tmp_path)
    assert to_file.returncode == 0, to_file.stderr
    assert _dump(back) == original
    assert _raw_sqlite(back) == _raw_sqlite(project)  # byte for byte, timestamps and JSON too
    for copy in (back, pg_url):
        with Store.open(copy, create=False) as store:
            hits = {h.document_id for h in store.search(_a_word(store))}
            assert hits
    _undo_last(back, last)
    _undo_last(pg_url, last)


def _a_word(store: Store) -> str:
    text = store.documents.get(store.documents.ids()[0]).text
    return max(text.split(), key=len).strip(".,;:\"'()")


def test_the_project_is_the_same_through_the_store_on_both_back_ends(
    edited_project, pg_url, tmp_path, factdesk_cli
):
    project, _last = edited_project
    assert factdesk_cli("copy", "--from", project, "--to", pg_url, cwd=tmp_path).returncode == 0
    stats = [
        json.loads(factdesk_cli("stats", "--project", p, "--json", cwd=tmp_path).stdout)
        for p in (project, pg_url)
    ]
    assert stats[0] == stats[1]
    entities = [
        factdesk_cli("entities", "--project", p, cwd=tmp_path).stdout for p in (project, pg_url)
    ]
    assert entities[0] == entities[1] and entities[0].strip()


def _tables(url: str) -> list[str]:
    engine = db.create_engine(url)
    try:
        with engine.connect() as conn:
            return sa.inspect(conn).get_table_names()
    finally:
        engine.dispose()


def _one_error(done, *names: str) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = [ln for ln in done.stderr.strip().splitlines() if not ln.startswith("copy: ")]
    assert len(lines) == 1 and lines[0].startswith("factdesk: error: "), done.stderr
    assert "Traceback" not in done.stderr
    for name in names:
        assert name in lines[0]
    return lines[0]


def test_bad_inputs_give_one_clear_error(edited_project, pg_server, pg_url, tmp_path, factdesk_cli):
    project, _last = edited_project
    missing = tmp_path / "nowhere.factdesk"
    line = _one_error(
        factdesk_cli("copy", "--from", missing, "--to", pg_url, cwd=tmp_path), str(missing)
    )
    assert "no such project" in line
    assert not missing.exists()
    assert _tables(pg_url) == []
    dead = "postgresql://factdesk:secret@127.0.0.1:1/team"
    line = _one_error(
        factdesk_cli("copy", "--from", project, "--to", dead, cwd=tmp_path), "127.0.0.1:1/team"
    )
    assert "cannot connect" in line and "secret" not in line
    no_db = pg_server.url("no_such_database")
    line = _one_error(factdesk_cli("copy", "--from", project, "--to", no_db, cwd=tmp_path), no_db)
    assert "does not exist" in line
    # a target holding a project is refused and left as it was, on either back end
    other = tmp_path / "other.factdesk"
    assert factdesk_cli("copy", "--from", project, "--to", other, cwd=tmp_path).returncode == 0
    assert factdesk_cli("copy", "--from", project, "--to", pg_url, cwd=tmp_path).returncode == 0
    kept = {str(other): _raw_sqlite(other), pg_url: _dump(pg_url)}
    for target in (other, pg_url):
        line = _one_error(
            factdesk_cli("copy", "--from", project, "--to", target, cwd=tmp_path), str(target)
        )
        assert "not empty" in line
    assert _raw_sqlite(other) == kept[str(other)]
    assert _dump(pg_url) == kept[pg_url]
    line = _one_error(factdesk_cli("copy", "--from", project, "--to", project, cwd=tmp_path))
    assert "same project" in line


def test_a_failed_copy_leaves_the_target_as_it_was(edited_project, pg_url, tmp_path, factdesk_cli):
    """A source row that breaks a foreign key (written behind the store's back) fails the
    copy half-way: the server database has no table, the new file is not there."""
    project, _last = edited_project
    broken = tmp_path / "broken.factdesk"
    broken.write_bytes(project.read_bytes())
    conn = sqlite3.connect(broken)
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(
            "UPDATE factargument SET fact_id = 999999 WHERE id = (SELECT max(id) FROM factargument)"
        )
    conn.close()
    line = _one_error(factdesk_cli("copy", "--from", broken, "--to", pg_url, cwd=tmp_path), pg_url)
    assert "nothing written" in line
    assert _tables(pg_url) == []
    target = tmp_path / "never.factdesk"
    line = _one_error(
        factdesk_cli("copy", "--from", broken, "--to", target, cwd=tmp_path), str(target)
    )
    assert "nothing written" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.factdesk"]


def test_migrate_a_server_database_then_ingest(pg_url, tmp_path, factdesk_cli):
    first = factdesk_cli("migrate", "--project", pg_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    head = db.head_revision()
    assert f"from schema (none) to {head}" in first.stderr
    engine = db.create_engine(pg_url)
    try:
        assert db.current_revision(engine) == head
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
        assert {"document", "mention", "fact", "revision", SEARCH_TABLE} <= tables
        again = factdesk_cli("migrate", "--project", pg_url, cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        assert "nothing to do" in again.stderr
        assert db.current_revision(engine) == head
        with engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) == tables
            assert conn.execute(sa.text("SELECT count(*) FROM document")).scalar() == 0
    finally:
        engine.dispose()
    ingest = factdesk_cli("ingest", "--project", pg_url, SEEDS, cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    stats = json.loads(factdesk_cli("stats", "--project", pg_url, "--json", cwd=tmp_path).stdout)
    assert stats["documents"] == len(list(SEEDS.iterdir()))
    assert stats["mentions"] > 0 and stats["pending_extraction"] == 0


def test_migrate_refuses_an_unreachable_server_in_one_line(tmp_path, factdesk_cli):
    done = factdesk_cli("migrate", "--project", "postgresql://team@127.0.0.1:1/team", cwd=tmp_path)
    line = _one_error(done, "127.0.0.1:1/team")
    assert "cannot connect" in line


def test_agreement_with_a_copy_on_the_server_is_perfect(
    edited_project, pg_url, tmp_path, factdesk_cli
):
    project, _last = edited_project
    assert factdesk_cli("copy", "--from", project, "--to", pg_url, cwd=tmp_path).returncode == 0
    done = factdesk_cli("agreement", "--project", project, "--with", pg_url, "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pair = json.loads(done.stdout)  # `--with` a URL reads the server's project as a layer
    assert pair["b"] == pg_url and pair["documents"] == len(list(SEEDS.iterdir()))
    overall = pair["overall"]
    assert overall["spans_a"] == overall["spans_b"] == overall["exact_matches"] > 0
    assert overall["exact_f1"] == 1.0
