"""Every key of the real window: bound once per context, as the README says, doing what it says.

The README's key tables are read from README.md itself, so a key it lists that nothing
binds fails here. Keys are pressed with qtbot on the widget that has the focus in normal
use (the document view, the facts table, the entity sidebar), through Qt's shortcut map.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QDockWidget, QWidget

from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.ui.viewer import keys as view_keys
from desktop.ui.viewer.offsets import OffsetMap

README = Path(__file__).resolve().parents[2] / "README.md"
TALKS = "004_eeecfdc9a415f39d"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
WINDOW_CONTEXTS = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)
# Keys the README lists that a widget handles itself (no shortcut: a window-wide Enter would
# take Enter from every field); each is pressed in its widget by a test below.
WIDGET_KEYS = {"Enter": "the entity sidebar's list (test_enter_opens_the_entity_page)"}


pytestmark = pytest.mark.usefixtures("private_settings")  # tests/ui/conftest.py


@pytest.fixture
def project(tmp_path, seeds_dir, pipeline):
    path = tmp_path / "seeds.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [seeds_dir]))
        list(extract(store, pipeline))
    return path


@pytest.fixture
def window(open_window, project):
    return open_window(project, active=True)


# -- what is bound ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Binding:
    """One key sequence of one action or shortcut, in the scope where it competes."""

    key: str  # QKeySequence.toString(), portable text
    scope: str  # "window", or "widget <name>" for widget-only shortcuts
    owner: QObject
    name: str


def _name(owner: QObject) -> str:
    text = owner.text() if isinstance(owner, QAction) else ""
    return f"{type(owner).__name__} {text or owner.objectName() or '(unnamed)'}"


def bindings(window: QWidget) -> list[Binding]:
    """Every key sequence of every QAction and QShortcut in the window (repeats kept)."""
    found: list[Binding] = []
    for action in window.findChildren(QAction):
        widgets = [o for o in action.associatedObjects() if isinstance(o, QWidget)]
        for key in action.shortcuts():
            if action.shortcutContext() in WINDOW_CONTEXTS:
                found.append(Binding(key.toString(), "window", action, _name(action)))
            else:
                found += [
                    Binding(
                        key.toString(), f"widget {w.objectName() or id(w)}", action, _name(action)
                    )
                    for w in widgets
                ]
    for shortcut in window.findChildren(QShortcut):
        scope = "window"
        if shortcut.context() not in WINDOW_CONTEXTS:
            scope = f"widget {shortcut.parent().objectName() or id(shortcut.parent())}"
        for key in shortcut.keys():  # noqa: SIM118 (a QShortcut, not a dict)
            found.append(Binding(key.toString(), scope, shortcut, _name(shortcut)))
    return found


def duplicates(found: list[Binding]) -> list[str]:
    """Keys bound twice in one scope; a widget's key also competes with the window's."""
    window_keys = Counter(b.key for b in found if b.scope == "window")
    by_scope: dict[str, Counter[str]] = defaultdict(Counter)
    for binding in found:
        by_scope[binding.scope][binding.key] += 1
    clashes = []
    for scope, counts in by_scope.items():
        for key, count in counts.items():
            total = count + (window_keys[key] if scope != "window" else 0)
            if total > 1:
                owners = [b.name for b in found if b.key == key and b.scope in (scope, "window")]
                clashes.append(f"{key} in {scope}: {owners}")
    return sorted(clashes)


def mnemonic(text: str) -> str | None:
    """The letter after a single '&' ('&&' is a literal ampersand)."""
    match = re.search(r"(?<!&)&([^&])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def mnemonic_clashes(actions: list[QAction], where: str) -> list[str]:
    """Mnemonics used twice among one menu's (or the menu bar's) entries, submenus too."""
    clashes = []
    letters = Counter(m for a in actions if a.isVisible() and (m := mnemonic(a.text())))
    for letter, count in letters.items():
        if count > 1:
            texts = [a.text() for a in actions if mnemonic(a.text()) == letter]
            clashes.append(f"Alt+{letter.upper()} in {where}: {texts}")
    for action in actions:
        if action.menu() is not None:
            clashes += mnemonic_clashes(action.menu().actions(), action.text())
    return clashes


def test_no_key_is_bound_twice_in_one_context(window):
    found = bindings(window)
    assert len(found) > 40  # the window's actions were collected at all
    assert {"Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+H", "1"} <= {b.key for b in found}
    assert duplicates(found) == []


def test_the_duplicate_check_finds_a_duplicate(window):
    extra = QAction("Another redo", window)
    extra.setShortcut(QKeySequence("Ctrl+Shift+Z"))
    window.addAction(extra)
    clash = duplicates(bindings(window))
    assert len(clash) == 1 and clash[0].startswith("Ctrl+Shift+Z in window")


def test_menu_mnemonics_are_unique(window):
    bar = window.menuBar().actions()
    assert mnemonic_clashes(bar, "the menu bar") == []
    window_keys = {b.key for b in bindings(window) if b.scope == "window"}
    taken = [f"Alt+{m.upper()}" for a in bar if (m := mnemonic(a.text()))]
    assert [k for k in taken if k in window_keys] == []  # a mnemonic is no shortcut's key


@pytest.mark.skipif(not shutil.which("Xvfb"), reason="needs Xvfb (make system-deps installs it)")
def test_keys_are_unique_with_the_linux_desktop_key_bindings_too(tmp_path):
    """The offscreen platform maps Qt's standard keys as Windows does (Redo: Ctrl+Y); a real
    X11 session maps them as Linux desktops do (Redo: Ctrl+Shift+Z). Run the duplicate
    check and the undo/redo keys there as well."""
    number = next(n for n in range(140, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    log = (tmp_path / "xvfb.log").open("w")
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            assert server.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{number}"}
        for name in ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION"):
            env.pop(name, None)  # Qt's generic X11 key bindings
        tests = [
            f"{__file__}::test_no_key_is_bound_twice_in_one_context",
            f"{__file__}::test_ctrl_z_undoes_and_ctrl_shift_z_redoes_a_labelling",
        ]
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
        assert "2 passed" in run.stdout
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


# -- the README's keys -----------------------------------------------------------------------


def readme_keys() -> list[tuple[str, str]]:
    """(key, action) for each key in the README's `| keys | action |` tables."""
    rows: list[tuple[str, str]] = []
    in_table = False
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and [c.lower() for c in cells] == ["keys", "action"]:
            in_table = True
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        if not in_table or set(cells[0]) <= set("-: "):
            continue
        for part in re.split(r"\s*[/,]\s*", cells[0]):
            rows += [(key, cells[1]) for key in _expand(part)]
    return rows


def _expand(part: str) -> list[str]:
    """'1–9' is nine keys; Plus and Minus are written out in the README."""
    span = re.fullmatch(r"(\d)\s*[–-]\s*(\d)", part)
    if span:
        return [str(n) for n in range(int(span.group(1)), int(span.group(2)) + 1)]
    return [re.sub(r"\+Plus$", "++", re.sub(r"\+Minus$", "+-", part))]


def test_the_readme_tables_are_read():
    keys = [key for key, _ in readme_keys()]
    assert len(keys) > 40
    assert {"1", "9", "Tab", "Ctrl+Shift+Z", "Ctrl++", "Ctrl+Alt+X", "Enter"} <= set(keys)
    for key in keys:  # every one is a key Qt knows
        sequence = QKeySequence(key)
        assert sequence.count() == 1 and sequence.toString(), key


def _combination(key: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    combination = QKeySequence(key)[0]
    pressed, modifiers = combination.key(), combination.keyboardModifiers()
    if pressed == Qt.Key.Key_Tab and modifiers & SHIFT:
        pressed = Qt.Key.Key_Backtab  # what a keyboard sends for Shift+Tab
    return pressed, modifiers


class ShortcutSpy(QObject):
    """Records the shortcut events the actions get and swallows them (nothing runs)."""

    def __init__(self, owners: list[QObject]) -> None:
        super().__init__()
        self.events: list[tuple[QObject, bool]] = []
        self.owners = owners
        for owner in owners:
            owner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Shortcut:
            self.events.append((watched, event.isAmbiguous()))
            return True
        return False

    def remove(self) -> None:
        for owner in self.owners:
            owner.removeEventFilter(self)


def test_every_readme_key_is_bound_and_reaches_its_action(qtbot, window):
    _open(window, TALKS)
    for needle in ("Ban Gioc-Detian Waterfalls", "Detian"):  # two edits, one undone:
        _select_text(window, needle)  # undo and redo both have a step to take
        window.controller.apply_label("LOC")
    window.stack.undo()
    found = [b for b in bindings(window) if b.scope == "window"]
    by_key = {b.key: b for b in found}
    listed = readme_keys()
    unbound = [
        f"{key} ({what})"
        for key, what in listed
        if QKeySequence(key).toString() not in by_key and key not in WIDGET_KEYS
    ]
    assert unbound == [], "README keys bound to nothing"

    spy = ShortcutSpy(list({id(b.owner): b.owner for b in found}.values()))
    missed = []
    focus_widgets = {
        "document view": window.view,
        "facts table": window.facts.table,
        "entity sidebar": window.entities.tree,
    }
    try:
        for where, widget in focus_widgets.items():
            widget.setFocus()
            qtbot.waitUntil(widget.hasFocus)
            for key, _what in listed:
                if key in WIDGET_KEYS:
                    continue
                pressed, modifiers = _combination(key)
                event = QKeyEvent(QEvent.Type.KeyPress, pressed, modifiers)
                if widget is window.view and view_keys.zoom_action(event) is not None:
                    continue  # the view zooms itself (test_zoom_keys)
                spy.events.clear()
                qtbot.keyClick(widget, pressed, modifiers)
                expected = by_key[QKeySequence(key).toString()].owner
                if spy.events != [(expected, False)]:
                    got = [(_name(o), "ambiguous" if a else "") for o, a in spy.events]
                    missed.append(f"{key} on the {where}: {got or 'nothing'}")
    finally:
        spy.remove()
    assert missed == [], "\n".join(missed)


# -- what the keys do ------------------------------------------------------------------------


def _open(window, source):
    store = window.store
    doc_id = next(i for i in store.documents.ids() if store.documents.get(i).info.source == source)
    window.documents.select_document(doc_id)
    assert window.controller.document_id == doc_id
    return doc_id


def _select_text(window, needle):
    text = window.controller.text
    start = text.index(needle)
    offsets = OffsetMap(text)
    cursor = window.view.textCursor()
    cursor.setPosition(offsets.to_qt(start))
    cursor.setPosition(offsets.to_qt(start + len(needle)), QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    window.view.setFocus()
    return start, start + len(needle)


def _mentions_at(window, doc_id, start, end):
    return [
        m for m in window.store.mentions.for_document(doc_id) if (m.start, m.end) == (start, end)
    ]


def test_ctrl_z_undoes_and_ctrl_shift_z_redoes_a_labelling(qtbot, window):
    doc_id = _open(window, TALKS)
    start, end = _select_text(window, "Ban Gioc-Detian Waterfalls")
    assert _mentions_at(window, doc_id, start, end) == []
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    [added] = _mentions_at(window, doc_id, start, end)
    assert added.label == "PERSON"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert window.store.mentions.get(added.id) is None
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert window.store.mentions.get(added.id).label == "PERSON"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_Y, CTRL)  # the other redo key
    assert window.store.mentions.get(added.id).label == "PERSON"


def in_front(dock: QDockWidget) -> bool:
    """Shown and not behind another dock's tab (those stay 'visible', moved off screen)."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def test_ctrl_h_brings_history_to_the_front(qtbot, window):
    dock = window.findChild(QDockWidget, "dock_history")
    facts = window.findChild(QDockWidget, "dock_facts")
    history = window.history_view
    assert in_front(facts) and not in_front(dock)  # History is a tab behind Facts
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL)
    qtbot.waitUntil(lambda: in_front(dock))
    assert not in_front(facts)
    qtbot.waitUntil(history.hasFocus)
    qtbot.keyClick(history, Qt.Key.Key_H, CTRL)  # again: it stays in front
    assert in_front(dock) and history.hasFocus()
    dock.close()
    assert not dock.isVisible()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL)  # closed: shown again, in front
    qtbot.waitUntil(lambda: in_front(dock))
    qtbot.waitUntil(history.hasFocus)


def test_tab_a_and_x_review_the_proposals(qtbot, window):
    doc_id = _open(window, TALKS)
    proposed = {m.id for m in window.store.mentions.for_document(doc_id) if m.status == "proposed"}
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    first = window.view.selected_mention()
    assert first in proposed
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert window.store.mentions.get(first).status == "accepted"
    second = window.view.selected_mention()  # accepting moves on to the next proposal
    assert second in proposed and second != first
    qtbot.keyClick(window.view, Qt.Key.Key_X)
    assert window.store.mentions.get(second).status == "rejected"
    qtbot.keyClick(window.view, Qt.Key.Key_Backtab, SHIFT)
    assert window.view.selected_mention() in proposed - {first, second}


def test_ctrl_down_and_up_step_through_the_documents(qtbot, window):
    first = window.controller.document_id
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Down, CTRL)
    second = window.controller.document_id
    assert second is not None and second != first
    assert window.view.document_record().info.id == second
    qtbot.keyClick(window.view, Qt.Key.Key_Up, CTRL)
    assert window.controller.document_id == first


def test_ctrl_f_finds_in_the_document_ctrl_alt_f_searches_and_ctrl_k_snaps(qtbot, window):
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(window.find_bar.edit.hasFocus)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(window.documents.search.hasFocus)
    window.view.setFocus()
    snapping = window.view.snap_to_tokens
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert window.view.snap_to_tokens is not snapping
    assert window.menu_actions["snap"].isChecked() is not snapping
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert window.view.snap_to_tokens is snapping


def test_zoom_keys(qtbot, window):
    _open(window, TALKS)
    size = window.view.font().pointSizeF()
    for widget in (window.view, window.facts.table):  # the view's own keys, then the menu's
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Plus, CTRL)
        assert window.view.font().pointSizeF() > size
        qtbot.keyClick(widget, Qt.Key.Key_Minus, CTRL)
        qtbot.keyClick(widget, Qt.Key.Key_Minus, CTRL)
        assert window.view.font().pointSizeF() < size
        qtbot.keyClick(widget, Qt.Key.Key_0, CTRL)
        assert window.view.font().pointSizeF() == size


def test_enter_opens_the_entity_page(qtbot, window):
    from desktop.core.entities.resolve import resolve

    resolve(window.store)
    with qtbot.waitSignal(window.entities.corpus_read, timeout=20_000):
        window.entity_controller.actions["corpus"].trigger()
    tree = window.entities.tree
    model = tree.model()
    entity = model.index(0, 0, model.index(0, 0))
    tree.setCurrentIndex(entity)
    tree.setFocus()
    with qtbot.waitSignal(window.entity_page.shown, timeout=20_000):
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.entity_page.entity is not None
    assert window.entity_page.entity.preferred_name == entity.data()
    assert window.entity_page.isVisible()


# -- problem 5: a fact's evidence is shown, not selected ----------------------------------------


def _row_point(table, row: int) -> QPoint:
    return table.visualRect(table.model().index(row, 0)).center()


def test_a_selected_facts_evidence_is_shaded_and_a_label_key_leaves_it_alone(qtbot, window):
    doc_id = _open(window, TALKS)
    store = window.store
    meeting = next(
        f for f in store.facts.for_document(doc_id, boilerplate=False) if f.type == "MEETING"
    )
    evidence = window.controller.text[meeting.evidence_start : meeting.evidence_end]
    mentions_before = store.mentions.for_document(doc_id)
    entities_before = {e.preferred_name for e in store.entities.list()}
    table = window.facts.table
    row = next(
        r
        for r in range(table.model().rowCount())
        if window.facts.proxy.mapToSource(table.model().index(r, 0)).row()
        == window.facts.model.row_of(meeting.id)
    )
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=_row_point(table, row))
    assert window.facts.current_fact().id == meeting.id

    assert window.view.evidence_span() == (meeting.evidence_start, meeting.evidence_end)
    assert window.view.evidence_rects()  # shaded where it can be seen
    assert not window.view.textCursor().hasSelection()
    qtbot.keyClick(table, Qt.Key.Key_1)  # the focus is on the facts table after the click
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert store.mentions.for_document(doc_id) == mentions_before
    assert evidence not in {e.preferred_name for e in store.entities.list()}
    assert {e.preferred_name for e in store.entities.list()} == entities_before
    assert window.view.evidence_span() is not None  # still shown

    # An analyst's own selection: a double-click on a word of the evidence that no mention
    # covers, then 1.
    text = window.controller.text
    covered = {i for m in mentions_before for i in range(m.start, m.end)}
    word = next(
        w
        for w in re.finditer(r"[A-Za-z]{4,}", evidence)
        if not covered
        & set(range(meeting.evidence_start + w.start(), meeting.evidence_start + w.end()))
    )
    start = meeting.evidence_start + word.start()
    end = meeting.evidence_start + word.end()
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(OffsetMap(text).to_qt(start) + 1)
    point = window.view.cursorRect(cursor).center()
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.view.selection_span() == (start, end)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    [added] = _mentions_at(window, doc_id, start, end)
    assert (added.label, added.text) == ("PERSON", text[start:end])
    assert len(store.mentions.for_document(doc_id)) == len(mentions_before) + 1


def test_a_label_key_with_nothing_picked_does_nothing(qtbot, window):
    doc_id = _open(window, TALKS)
    before = window.store.mentions.for_document(doc_id)
    window.view.select_mention(None)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    assert window.store.mentions.for_document(doc_id) == before
    assert "Select some text" in window.statusBar().currentMessage()
