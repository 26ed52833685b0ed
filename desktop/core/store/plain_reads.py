"""The read-only commands' queries on a plain sqlite3 connection, without SQLAlchemy.

`factdesk stats`, `search` and `entities` only read. On a project file already at the
newest schema they open it with sqlite3 alone (`open_current`) and run these queries,
which read the same tables the store's own methods read and build the same records
(tests compare them on real projects). Anything else, such as a missing file, an old
schema or a server URL, returns None from `open_current`, and the command goes through
the store, which migrates, creates or explains.

The resolution mark says whether entity resolution is up to date: automatic resolution
of the whole project stores it (`store.entity_io.apply_plan`), and it is made of counts
and maxima that any write to what resolution reads moves (mentions, entities, aliases,
analysts' decisions, the revision log of edits and undos). `entities` reads the stored
entities while the mark still matches, and resolves again only when it does not.

With the mark, resolution stores the entity listing `entities` prints (`listing_rows`:
ids, kinds, names, other names and counts), taken in the same transaction. While the mark
matches, `entities` prints that instead of counting 400,000 mentions again.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from desktop.core.records import EntityRecord, ProjectStats, RunRecord
from desktop.core.store.schema_head import head_revision

RESOLUTION_MARK_KEY = "entities.resolution_mark"
ENTITY_LISTING_KEY = "entities.listing"  # entity_list() as of the stored mark
# One row: every figure a change to resolution's inputs moves (updated_at is set by
# every recorded mention update; undo and redo flip `undone`; deletes lower a count).
RESOLUTION_MARK_SQL = (
    "SELECT (SELECT count(*) FROM mention), (SELECT max(id) FROM mention),"
    " (SELECT max(updated_at) FROM mention),"
    " (SELECT count(*) FROM entity), (SELECT max(id) FROM entity),"
    " (SELECT count(*) FROM alias), (SELECT max(id) FROM alias),"
    " (SELECT count(*) FROM entitydecision), (SELECT max(id) FROM entitydecision),"
    " (SELECT count(*) FROM entitydecision WHERE reverted),"
    " (SELECT count(*) FROM revision), (SELECT max(id) FROM revision),"
    " (SELECT count(*) FROM revision WHERE undone)"
)
INTERRUPTED = "interrupted"  # as desktop.core.store.runs says of a run whose process died
_SQLITE_MAGIC = b"SQLite format 3\x00"


def open_current(project: str | Path) -> sqlite3.Connection | None:
    """A read-only sqlite3 connection to a project file at the newest schema, or None
    when the project needs the store (not a file, not a project, or a migration due)."""
    text = str(project)
    if "://" in text:
        return None
    path = Path(text).expanduser()
    try:
        if not path.is_file() or path.stat().st_size < len(_SQLITE_MAGIC):
            return None
        with path.open("rb") as fh:
            if fh.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
                return None
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)
    except (OSError, sqlite3.Error):
        return None
    try:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall() if found else []
        if [r[0] for r in rows] == [head_revision()]:
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None


def resolution_mark(conn: sqlite3.Connection) -> list[object]:
    """The figures resolution's inputs are at now (see the module's note)."""
    return list(conn.execute(RESOLUTION_MARK_SQL).fetchone())


def resolution_is_current(conn: sqlite3.Connection) -> bool:
    """Whether the whole project was resolved and nothing resolution reads changed since."""
    row = conn.execute('SELECT value FROM setting WHERE "key" = ?', (RESOLUTION_MARK_KEY,))
    stored = row.fetchone()
    if stored is None:
        return False
    try:
        return bool(json.loads(stored[0]) == resolution_mark(conn))
    except (TypeError, ValueError):
        return False


def listing_rows(conn: sqlite3.Connection) -> list[list[object]]:
    """`entity_list(conn)` as resolution stores it beside its mark: [id, kind, preferred
    name, other names, mentions, documents] an entity, in the listing's order."""
    return [
        [e.id, e.kind, e.preferred_name, list(e.aliases), e.mention_count, e.document_count]
        for e in entity_list(conn)
    ]


def stored_entity_list(
    conn: sqlite3.Connection, kind: str | None = None
) -> list[EntityRecord] | None:
    """`entity_list(conn, kind)` as stored with the resolution mark, without notes or
    sources; None unless the mark is stored and still matches (then count again)."""
    stored = dict(
        conn.execute(
            'SELECT "key", value FROM setting WHERE "key" IN (?, ?)',
            (RESOLUTION_MARK_KEY, ENTITY_LISTING_KEY),
        )
    )
    if RESOLUTION_MARK_KEY not in stored or ENTITY_LISTING_KEY not in stored:
        return None
    try:
        if json.loads(stored[RESOLUTION_MARK_KEY]) != resolution_mark(conn):
            return None
        return [
            EntityRecord(eid, ekind, name, tuple(aliases), mentions, documents)
            for eid, ekind, name, aliases, mentions, documents in json.loads(
                stored[ENTITY_LISTING_KEY]
            )
            if kind is None or ekind == kind
        ]
    except (TypeError, ValueError):
        return None


def _counts(conn: sqlite3.Connection, sql: str) -> dict[str, int]:
    return {key: int(n) for key, n in conn.execute(sql)}


def _iso_seconds(stored: str | None) -> str | None:
    """A stored UTC timestamp as the store's records give it ('2026-12-07T11:59:35+00:00')."""
    if stored is None:
        return None
    return datetime.fromisoformat(stored).replace(tzinfo=UTC).isoformat(timespec="seconds")


def _process_gone(pid: int) -> bool:
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def last_run(conn: sqlite3.Connection) -> RunRecord | None:
    """The most recent extraction run (a running one whose process died is interrupted)."""
    row = conn.execute(
        "SELECT id, pipeline, pipeline_version, rules_version, status, document_count,"
        " mention_count, started_at, finished_at, failed_count, pid, host"
        " FROM extractionrun ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    run_id, pipeline, version, rules, status, docs, mentions, started, finished, failed = row[:10]
    pid, host = row[10], row[11]
    if status == "running":
        import socket  # only for a run still marked running (its enums cost start-up)

        if pid is None or (host == socket.gethostname() and _process_gone(pid)):
            status = INTERRUPTED
    return RunRecord(
        id=run_id,
        pipeline=pipeline,
        pipeline_version=version,
        rules_version=rules,
        status=status,
        document_count=docs,
        mention_count=mentions,
        started_at=_iso_seconds(started) or "",
        finished_at=_iso_seconds(finished),
        failed_count=failed or 0,
        pid=pid,
        host=host,
    )


def project_stats(conn: sqlite3.Connection) -> ProjectStats:
    """`Store.stats()` on a plain connection."""
    docs = conn.execute("SELECT count(*) FROM document").fetchone()[0]
    pending = conn.execute("SELECT count(*) FROM document WHERE last_run_id IS NULL").fetchone()
    by = {
        column: _counts(
            conn, f"SELECT {column}, count(*) FROM mention GROUP BY {column} ORDER BY {column}"
        )
        for column in ("status", "label", "origin")
    }
    failed = conn.execute(
        "SELECT source, extraction_error FROM document WHERE extraction_error IS NOT NULL"
        " ORDER BY id"
    ).fetchall()
    version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return ProjectStats(
        documents=int(docs),
        mentions=sum(by["status"].values()),
        by_status=by["status"],
        by_label=dict(sorted(by["label"].items(), key=lambda kv: -kv[1])),
        by_origin=by["origin"],
        zones=_counts(conn, "SELECT kind, count(*) FROM zone GROUP BY kind"),
        pending_extraction=int(pending[0]),
        facts=_counts(conn, "SELECT type, count(*) FROM fact GROUP BY type"),
        schema_revision=version[0] if version else None,
        last_run=last_run(conn),
        extraction_failed=[(s, r) for s, r in failed if r],
    )


def entity_list(conn: sqlite3.Connection, kind: str | None = None) -> list[EntityRecord]:
    """`store.entities.list(kind)` on a plain connection, without the documents' source
    names (`sources` is empty): the command line prints counts, not sources.

    Two scans of the mention table (NOT INDEXED: going through the entity index costs a
    row lookup a mention): the written names with their counts, and the documents."""
    where = "WHERE entity_id IS NOT NULL AND status != 'rejected'"
    written: dict[int, dict[str, int]] = {}
    for eid, text, n in conn.execute(
        f"SELECT entity_id, text, count(*) FROM mention NOT INDEXED {where}"
        " GROUP BY entity_id, text"
    ):
        written.setdefault(eid, {})[text] = n
    in_docs = dict(
        conn.execute(
            f"SELECT entity_id, count(DISTINCT document_id) FROM mention NOT INDEXED {where}"
            " GROUP BY entity_id"
        )
    )
    sql = "SELECT id, kind, preferred_name, note FROM entity"
    rows = conn.execute(sql + " WHERE kind = ?", (kind,)) if kind else conn.execute(sql)
    out = []
    for eid, ekind, name, note in rows:
        names = written.get(eid)
        if not names:
            continue
        ordered = sorted(names.items(), key=lambda item: (-item[1], item[0]))
        aliases = tuple(t for t, _n in ordered if t != name)
        count = sum(names.values())
        out.append(EntityRecord(eid, ekind, name, aliases, count, in_docs.get(eid, 0), (), note))
    return sorted(out, key=lambda r: (r.kind, -r.mention_count, r.preferred_name, r.id))
