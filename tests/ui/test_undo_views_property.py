"""A property through the real window: random edits by keyboard (label, relabel, accept,
reject, delete, tag), undo and redo, with restarts at random points. After every sequence
the views equal those of a window freshly opened on the same project, and undoing
everything gives back the project as it was (every table but the revision log itself)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.entities.resolve import resolve
from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.core.tokens import token_spans
from desktop.ui.dialogs.tag_dialog import TagDialog
from desktop.ui.errors import ErrorReporter
from desktop.ui.jobs import PipelineHolder
from desktop.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ARTICLE = (
    "Ferry link talks in Quang Ninh\n\n"
    "Transport Minister Do Van Khanh met Governor Liang Hui in Ha Long on Friday. "
    "The Beibu Gulf Shipping Company said cargo volumes rose 8% to 2.1 million tonnes. "
    "Both sides signed two memoranda on port data sharing.\n"
)
OPS = st.sampled_from(
    ["label", "relabel", "accept", "reject", "delete", "tag", "undo", "redo", "restart"]
)


@pytest.fixture(scope="module")
def base(tmp_path_factory, pipeline):
    folder = tmp_path_factory.mktemp("base")
    (folder / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / "base.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [folder / "ferry.txt"]))
        list(extract(store, pipeline))
        resolve(store)
    return path


def _launch(qtbot, pipeline, path):
    win = MainWindow(ErrorReporter(), PipelineHolder(lambda: pipeline))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_project(path)
    win.documents.select_document(win.store.documents.ids()[0])
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    win.view.setFocus()
    return win


def _views(win):
    """What the analyst sees: document list rows, annotations, counts, facts, sidebar names."""
    model = win.documents.model
    rows = [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]
    mentions = sorted((m.start, m.end, m.label, m.status) for m in win.controller.mentions)
    facts = win.facts.model
    fact_rows = sorted(
        tuple(str(facts.index(r, c).data()) for c in range(facts.columnCount()))
        for r in range(facts.rowCount())
    )
    side = win.entities.tree.model()
    names = sorted(
        (str(side.index(r, 0).data()), str(side.index(c, 0, side.index(r, 0)).data()))
        for r in range(side.rowCount())
        for c in range(side.rowCount(side.index(r, 0)))
    )
    tags = sorted(
        (m.start, tuple(win.store.tags.of("mention", m.id))) for m in win.controller.mentions
    )
    return rows, mentions, win.counts_label.text(), fact_rows, names, tags


def _dump(path: Path):
    with sqlite3.connect(path) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        skip = {"revision", "sqlite_sequence", "alembic_version"}
        return {
            t: sorted(repr(r[1:]) for r in db.execute(f"SELECT * FROM {t}"))  # ids aside
            for t in tables
            if t not in skip and not t.startswith("search_")
        }


def _search(path: Path):
    with Store.open(path) as store:
        return {
            w: [h.document_id for h in store.search(w)]
            for w in ("ferry", "Khanh", "cargo", "Ha Long")
        }


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(st.tuples(OPS, st.integers(0, 10_000)), min_size=3, max_size=10))
def test_views_follow_every_step_and_undo_all_restores(
    qtbot, base, pipeline, tmp_path_factory, monkeypatch, ops
):
    path = tmp_path_factory.mktemp("run") / "p.factdesk"
    shutil.copy(base, path)
    tag_counter = iter(range(10_000))

    def answer(dialog):
        dialog.tags_edit.setText(f"t{next(tag_counter) % 3}")
        return 1

    monkeypatch.setattr(TagDialog, "exec", answer)
    win = _launch(qtbot, pipeline, path)
    initial, initial_search = _dump(path), _search(path)  # once opened: the label set is in
    for op, n in ops:
        mentions = list(win.controller.mentions)
        if op == "restart":
            win.close()
            win = _launch(qtbot, pipeline, path)
        elif op == "undo":
            qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
        elif op == "redo":
            qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL | SHIFT)
        elif op == "label":
            spans = token_spans(win.controller.text)
            start, end = spans[n % len(spans)]
            _select_span(win, start, end)
            qtbot.keyClick(win.view, "1234"[n % 4])
        elif mentions:
            target = mentions[n % len(mentions)]
            win.view.select_mention(target.id)
            win.view.setFocus()
            key = {
                "relabel": "123"[n % 3],
                "accept": "a",
                "reject": "x",
                "delete": Qt.Key.Key_Delete,
            }.get(op)
            if op == "tag":
                qtbot.keyClick(win.view, Qt.Key.Key_T, CTRL)
            else:
                qtbot.keyClick(win.view, key)
    qtbot.wait(200)  # the sidebar recounts after the keystroke's frame
    seen = _views(win)
    fresh = _launch(qtbot, pipeline, path)
    fresh.documents.select_document(win.controller.document_id)
    qtbot.wait(200)
    assert _views(fresh) == seen
    fresh.close()

    steps = win.stack.index()
    win.close()
    last = _launch(qtbot, pipeline, path)
    for _ in range(steps):
        qtbot.keyClick(last.view, Qt.Key.Key_Z, CTRL)
    assert not last.stack.canUndo()
    last.close()
    assert _dump(path) == initial
    assert _search(path) == initial_search


def _select_span(win, start, end):
    from PySide6.QtGui import QTextCursor

    from desktop.ui.viewer.offsets import OffsetMap

    offsets = OffsetMap(win.controller.text)
    cursor = win.view.textCursor()
    cursor.setPosition(offsets.to_qt(start))
    cursor.setPosition(offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    win.view.setTextCursor(cursor)
    win.view.setFocus()
