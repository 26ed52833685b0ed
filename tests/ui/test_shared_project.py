"""Two windows on one shared PostgreSQL project (issue 17): what one accepts, labels,
merges or imports appears in the other within 2 seconds, its selection and scroll kept;
the server going away mid-edit leaves one message, a read-only window and the edit kept,
saved once the server is back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QTextCursor

from desktop.core.entities.resolve import resolve
from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.ui.models import canonical
from desktop.ui.viewer.offsets import OffsetMap

pytestmark = pytest.mark.usefixtures("private_settings")  # tests/ui/conftest.py

SENTENCES = [
    "Orla Venn opened the Marrow Bridge in Quenby on Tuesday.",
    "The Harbour Council of Lessport met Tobin Hale to discuss the ferry.",
    "Mira Castell said the Quenby Water Board would repair the dam.",
]


@pytest.fixture
def shared(pg_url, tmp_path, pipeline):
    """A shared project on the test server: two extracted documents, the first long
    enough to scroll."""
    folder = tmp_path / "docs"
    folder.mkdir()
    long_text = "\n\n".join(f"{SENTENCES[i % 3]} Day {i} of the works." for i in range(60))
    (folder / "long.txt").write_text(long_text, encoding="utf-8")
    (folder / "short.txt").write_text(SENTENCES[1], encoding="utf-8")
    with Store.open(pg_url) as store:
        list(ingest(store, [folder]))
        list(extract(store, pipeline))
        resolve(store)  # as `factdesk ingest` does
    return pg_url


def _show(window, source):
    store = window.store
    doc = next(i for i in store.documents.ids() if store.documents.get(i).info.source == source)
    window.documents.select_document(doc)
    assert window.controller.document_id == doc
    return doc


def _select_text(window, start, end):
    offsets = OffsetMap(window.controller.text)
    cursor = window.view.textCursor()
    cursor.setPosition(offsets.to_qt(start))
    cursor.setPosition(offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)


def _corpus_ids(window):
    """The entity ids the sidebar's corpus tree shows (any depth)."""
    model = window.entities.tree.model()
    found, todo = set(), [QModelIndex()]
    while todo:
        parent = todo.pop()
        for row in range(model.rowCount(parent)):
            index = model.index(row, canonical.NAME, parent)
            value = index.data(canonical.ENTITY_ID_ROLE)
            if value is not None:
                found.add(int(value))
            todo.append(model.index(row, 0, parent))
    return found


def test_edits_in_one_window_appear_in_the_other(qtbot, open_window, shared, tmp_path):
    a = open_window(shared, idle=True)
    b = open_window(shared, idle=True)
    doc = _show(a, "long")
    assert _show(b, "long") == doc
    # b looks at a proposal far down the text, scrolled there
    proposals = [m for m in b.controller.mentions if m.status == "proposed"]
    assert len(proposals) > 20
    theirs = proposals[-5]
    assert b.view.select_mention(theirs.id)
    bar = b.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0)
    scroll = bar.value()
    # a accepts the first proposal
    first = next(m for m in a.controller.mentions if m.status == "proposed")
    assert a.view.select_mention(first.id)
    a.controller.accept()
    assert a.store.mentions.get(first.id).status == "accepted"

    def status_in_b(mention_id):
        found = [m for m in b.controller.mentions if m.id == mention_id]
        return found[0].status if found else None

    qtbot.waitUntil(lambda: status_in_b(first.id) == "accepted", timeout=2000)
    assert b.view.selected_mention() == theirs.id
    assert bar.value() == scroll
    assert "1 accepted" in b.counts_label.text()

    # a labels text nobody had marked: the span appears in b
    text = a.controller.text
    start = text.index("Day 7")
    _select_text(a, start, start + len("Day 7"))
    a.controller.apply_label("DATE")
    added = next(m for m in a.store.mentions.for_document(doc) if m.start == start)
    qtbot.waitUntil(lambda: status_in_b(added.id) is not None, timeout=2000)
    assert b.view.selected_mention() == theirs.id
    assert bar.value() == scroll

    # a merges two entities: b's sidebar reads the corpus again
    entities = a.store.entities.list()
    people = [e for e in entities if e.kind == "person"][:2]
    assert len(people) == 2, [(e.kind, e.preferred_name) for e in entities]
    b.entities.set_corpus(True)
    qtbot.waitUntil(lambda: people[1].id in _corpus_ids(b), timeout=5000)
    assert a.entity_controller.edit(
        [(lambda s: s.entities.merge(people[0].id, people[1].id), "Merge entities")]
    )
    qtbot.waitUntil(lambda: people[1].id not in _corpus_ids(b), timeout=2000)

    # a imports a file: its row appears in b's list
    new = tmp_path / "new.txt"
    new.write_text("Tobin Hale and Orla Venn signed the Lessport ferry deal.", encoding="utf-8")
    rows = b.documents.model.rowCount()
    a.import_paths([new])
    qtbot.waitUntil(lambda: b.documents.model.rowCount() == rows + 1, timeout=30000)
    qtbot.waitUntil(lambda: not a.runner.busy, timeout=30000)
    assert b.controller.document_id == doc
    assert b.view.selected_mention() == theirs.id
    assert bar.value() == scroll


@pytest.fixture
def own_server():
    """A server of this test's own, which it stops and starts again."""
    from pg_server import PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed")
    server = PgServer(bindir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_server_lost_mid_edit_keeps_the_edit_until_it_returns(
    qtbot, open_window, own_server, tmp_path, pipeline
):
    url = own_server.create_database()
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "one.txt").write_text(" ".join(SENTENCES), encoding="utf-8")
    with Store.open(url) as store:
        list(ingest(store, [folder]))
        list(extract(store, pipeline))
    window = open_window(url, idle=True)
    first, second = [m for m in window.controller.mentions if m.status == "proposed"][:2]
    assert window.view.select_mention(first.id)
    own_server.pause()
    window.controller.accept()  # the server is gone: kept, not lost
    outbox = window.outbox
    assert outbox.offline and len(outbox.pending) == 1
    assert window.last_warning is not None and window.last_warning[0] == "Connection lost"
    qtbot.waitUntil(lambda: outbox.banner.isVisible())
    # read-only meanwhile: the shown document stays, another edit is refused, not kept
    assert window.controller.document_id is not None
    assert window.view.select_mention(second.id)
    messages = []
    window.controller.message.connect(messages.append)
    window.controller.reject()
    assert any("Read-only" in m for m in messages)
    assert len(outbox.pending) == 1
    warnings = window.last_warning
    own_server.resume()
    qtbot.waitUntil(lambda: not outbox.offline, timeout=15000)
    assert not outbox.banner.isVisible()
    assert outbox.pending == []
    assert window.last_warning is warnings  # one message for the outage, no second one
    with Store.open(url) as other:
        assert other.mentions.get(first.id).status == "accepted"
        assert other.mentions.get(second.id).status == "proposed"  # refused while away
    status = {m.id: m.status for m in window.controller.mentions}
    assert status[first.id] == "accepted"
    assert window.stack.count() >= 1 and "Accept" in window.stack.text(window.stack.count() - 1)
