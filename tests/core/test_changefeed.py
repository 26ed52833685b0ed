"""The change feed (issue 17): what another client commits is reported, with the
documents it touched on PostgreSQL; this process's own writes are not."""

from __future__ import annotations

import threading
import time

from desktop.core.records import NewDocument
from desktop.core.store import Store
from desktop.core.store.changefeed import Changed, ChangeFeed, parse_notices


def _collect(store: Store) -> tuple[ChangeFeed, list[Changed], threading.Event]:
    seen: list[Changed] = []
    arrived = threading.Event()

    def got(change: Changed) -> None:
        seen.append(change)
        arrived.set()

    feed = ChangeFeed(store.engine, got)
    feed.start()
    return feed, seen, arrived


def test_parse_notices_merges_documents_and_tables():
    change = parse_notices(["d:3,1", "d:3", "t:label", "t:entity"])
    assert change.documents == {1, 3}
    assert change.tables == {"document", "label", "entity"}
    assert not change.everything
    assert parse_notices(["d:*"]).everything


def test_pg_other_clients_documents_are_reported_not_own(pg_url):
    with Store.open(pg_url) as mine, Store.open(pg_url) as theirs:
        (doc_a, _), (doc_b, _) = theirs.documents.add_many(
            [NewDocument(source="a.txt", text="Orla Venn opened the Marrow Bridge."),
             NewDocument(source="b.txt", text="Tobin Hale visited Quenby Isle.")]
        )  # fmt: skip
        feed, seen, arrived = _collect(mine)
        try:
            time.sleep(0.3)  # listening
            mine.mentions.add(doc_a, 0, 9, "PERSON")  # our own write: not reported
            time.sleep(0.6)
            assert seen == []
            theirs.mentions.add(doc_b, 0, 10, "PERSON")
            assert arrived.wait(2.0)
            docs = set().union(*(c.documents for c in seen))
            assert docs == {doc_b}
        finally:
            feed.stop()


def test_pg_rolled_back_write_sends_nothing(pg_url):
    import sqlalchemy as sa

    with Store.open(pg_url) as mine, Store.open(pg_url) as theirs:
        feed, seen, arrived = _collect(mine)
        try:
            time.sleep(0.3)
            with theirs.engine.connect() as conn:
                conn.execute(sa.text("INSERT INTO tag(name, color) VALUES ('draft', '#888888')"))
                conn.rollback()
            assert not arrived.wait(0.8)
            with theirs.engine.begin() as conn:
                conn.execute(sa.text("INSERT INTO tag(name, color) VALUES ('draft', '#888888')"))
            assert arrived.wait(2.0)
            assert "tag" in seen[0].tables
        finally:
            feed.stop()


def test_sqlite_another_connection_is_noticed_own_is_not(tmp_path):
    path = tmp_path / "p.factdesk"
    with Store.open(path) as mine, Store.open(path) as theirs:
        ((doc, _),) = mine.documents.add_many([NewDocument(source="a.txt", text="Orla Venn.")])
        feed, seen, arrived = _collect(mine)
        try:
            time.sleep(0.3)
            mine.mentions.add(doc, 0, 4, "PERSON")
            time.sleep(1.2)
            assert seen == []
            theirs.mentions.add(doc, 5, 9, "PERSON")
            assert arrived.wait(2.0)
            assert seen[0].everything
        finally:
            feed.stop()
