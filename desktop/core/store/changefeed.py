"""What other clients changed in a project, as it happens (issue 17: edits others see).

On PostgreSQL the triggers of migration 0008 queue `NOTIFY factdesk` with the document ids
a commit touched (`d:1,2`) or the table it wrote (`t:entity`); a `ChangeFeed` LISTENs on a
connection of its own in a worker thread and hands each burst of notices, merged into one
`Changed`, to a callback (called in that thread: a window forwards it with a Qt signal).
Notices sent by this process's own connections are left out (the window already shows its
own edits). When the server goes away the feed says so (`on_status(False)`), tries again
every second, and once connected again reports `everything` (notices sent meanwhile are
lost).

An SQLite file has no notices: the feed polls `PRAGMA data_version` (which moves when
another connection commits) every half second, and reports `everything` when it moved
without a commit of this process's engine in between."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

log = logging.getLogger(__name__)
CHANNEL = "factdesk"
GATHER_SECONDS = 0.05  # notices arriving this close together are reported as one change
POLL_SECONDS = 0.5  # SQLite: how often data_version is read
RETRY_SECONDS = 1.0  # after a lost connection: how often to try again


@dataclass(frozen=True)
class Changed:
    """What changed: documents (ids), other tables (names), or `everything`."""

    documents: frozenset[int] = field(default_factory=frozenset)
    tables: frozenset[str] = field(default_factory=frozenset)
    everything: bool = False


def parse_notices(payloads: list[str]) -> Changed:
    """Merge notice payloads ('d:1,2', 'd:*', 't:label') into one Changed."""
    docs: set[int] = set()
    tables: set[str] = set()
    everything = False
    for payload in payloads:
        kind, _, rest = payload.partition(":")
        if kind == "d":
            if rest == "*":
                everything = True
                continue
            docs.update(int(x) for x in rest.split(",") if x.strip().isdigit())
            tables.add("document")
        elif kind == "t" and rest:
            tables.add(rest)
    return Changed(frozenset(docs), frozenset(tables), everything)


def own_backend_pids(engine: sa.Engine) -> set[int]:
    """The server process ids of an engine's connections (db.create_engine keeps them up
    to date as it opens new ones): a notice from one of them is this process's own write."""
    return getattr(engine, "factdesk_pids", set())


class ChangeFeed:
    """Watches a project's engine for other clients' commits (see the module's note)."""

    def __init__(
        self,
        engine: sa.Engine,
        on_change: Callable[[Changed], None],
        on_status: Callable[[bool], None] = lambda _connected: None,
    ) -> None:
        self.engine = engine
        self.on_change = on_change
        self.on_status = on_status
        self.connected = True
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._own_commits = 0
        self._conn: object | None = None

    def start(self) -> None:
        """Begin watching in a daemon thread."""
        if self.engine.dialect.name == "postgresql":
            self._pids = own_backend_pids(self.engine)
            target = self._listen
        else:
            sa.event.listen(self.engine, "commit", self._count_commit)
            target = self._poll
        self._thread = threading.Thread(target=target, name="factdesk-changes", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching and wait for the thread (at most a few tenths of a second)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self.engine.dialect.name != "postgresql" and sa.event.contains(
            self.engine, "commit", self._count_commit
        ):
            sa.event.remove(self.engine, "commit", self._count_commit)

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.on_status(connected)

    # -- PostgreSQL ------------------------------------------------------------
    def _connect(self):  # type: ignore[no-untyped-def]
        import psycopg

        cargs, cparams = self.engine.dialect.create_connect_args(self.engine.url)
        cparams.update(getattr(self.engine, "factdesk_connect_args", {}))
        cparams.setdefault("connect_timeout", 3)
        return psycopg.connect(*cargs, autocommit=True, **cparams)

    def _listen(self) -> None:
        import psycopg

        missed = False
        while not self._stop.is_set():
            try:
                with self._connect() as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._set_connected(True)
                    if missed:  # what others wrote while we were away was not noticed
                        missed = False
                        self.on_change(Changed(everything=True))
                    while not self._stop.is_set():
                        payloads = [
                            n.payload
                            for n in conn.notifies(timeout=0.25, stop_after=1)
                            if n.pid not in self._pids
                        ]
                        if not payloads:
                            continue
                        # a burst (one import's statements) is reported once
                        payloads += [
                            n.payload
                            for n in conn.notifies(timeout=GATHER_SECONDS)
                            if n.pid not in self._pids
                        ]
                        self.on_change(parse_notices(payloads))
            except psycopg.Error as exc:
                log.info("change feed: connection lost (%s)", type(exc).__name__)
                missed = True
                self._set_connected(False)
                self._stop.wait(RETRY_SECONDS)

    # -- SQLite ----------------------------------------------------------------
    def _count_commit(self, _conn: object) -> None:
        self._own_commits += 1

    def _poll(self) -> None:
        path = self.engine.url.database
        if not path:
            return
        conn = sqlite3.connect(path, check_same_thread=False)
        try:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
            own = self._own_commits
            while not self._stop.wait(POLL_SECONDS):
                now = conn.execute("PRAGMA data_version").fetchone()[0]
                if now != version:
                    version = now
                    if self._own_commits == own:  # nobody here committed: another process
                        self.on_change(Changed(everything=True))
                own = self._own_commits
        finally:
            conn.close()
