"""Issue 15 through the real window: layout, label chips, palette, toolbar, find, restore."""

from __future__ import annotations

import itertools
import json
import math
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QDockWidget

from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.ui.dialogs.export_dialog import ExportDialog, default_folder
from desktop.ui.errors import ErrorReporter
from desktop.ui.jobs import PipelineHolder
from desktop.ui.main_window import MainWindow
from desktop.ui.viewer.geometry import line_rects
from desktop.ui.viewer.offsets import OffsetMap

TALKS = "004_eeecfdc9a415f39d"


pytestmark = pytest.mark.usefixtures("private_settings")  # tests/ui/conftest.py


@pytest.fixture(scope="module")
def extracted(tmp_path_factory, pipeline):
    path = tmp_path_factory.mktemp("screen") / "seeds.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [Path(__file__).resolve().parents[2] / "seeds"]))
        list(extract(store, pipeline))
    return path


@pytest.fixture
def project(tmp_path, extracted):
    copy = tmp_path / "seeds.factdesk"
    shutil.copy(extracted, copy)
    return copy


def _window(qtbot, pipeline, size: QSize | None = None) -> MainWindow:
    win = MainWindow(ErrorReporter(), PipelineHolder(lambda: pipeline))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(10)  # the window fits itself to the (small) offscreen screen first
    if size is not None:
        win.resize(size)  # then takes the size of the screen under test
    win.activateWindow()
    return win


@pytest.fixture
def window(qtbot, project, pipeline):
    win = _window(qtbot, pipeline)
    assert win.open_project(project)
    yield win
    win.close()


def _open(window, source):
    store = window.store
    doc_id = next(i for i in store.documents.ids() if store.documents.get(i).info.source == source)
    window.documents.select_document(doc_id)
    assert window.controller.document_id == doc_id
    return doc_id


def _area(widget) -> int:
    return widget.width() * widget.height()


# -- layout ------------------------------------------------------------------------------
@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_the_document_is_the_largest_area(qtbot, project, pipeline, width, height):
    win = _window(qtbot, pipeline, QSize(width, height))
    assert win.open_project(project)
    win.reset_layout()
    qtbot.wait(50)
    assert win.size() == QSize(width, height)  # laying out the docks did not grow it
    docks = [d for d in win.findChildren(QDockWidget) if d.isVisible()]
    shown = [d for d in docks if not d.visibleRegion().isEmpty()]
    assert shown
    assert all(_area(win.view) > _area(d) for d in shown), [
        (d.objectName(), d.size().toTuple()) for d in shown
    ]
    assert win.view.height() >= 0.55 * height
    win.close()


TAB_BARS_SCRIPT = """
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar
from desktop.ui import errors
from desktop.ui.main_window import MainWindow

QCoreApplication.setOrganizationName("FactdeskTabBars")
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
app = QApplication([sys.argv[0]])
win = MainWindow(errors.ErrorReporter())
win.setGeometry(0, 0, 1366, 768)
win.show()
win.open_project(Path(sys.argv[1]))

def settle():
    end = time.time() + 0.4
    while time.time() < end:
        app.processEvents()
        time.sleep(0.02)

def bars():
    shown = [b for b in win.findChildren(QTabBar) if b.parent() is win and b.isVisible()]
    titles = sorted(sorted(b.tabText(i) for i in range(b.count())) for b in shown)
    groups = {
        frozenset(x.windowTitle() for x in (d, *win.tabifiedDockWidgets(d)))
        for d in win.findChildren(QDockWidget)
        if d.isVisible() and win.tabifiedDockWidgets(d)
    }
    return titles, sorted(sorted(g) for g in groups)

report = []
for step in (lambda: None, win.reset_layout, lambda: win.set_compact(False),
             lambda: win.set_compact(True)):
    step()
    settle()
    report.append(bars())
win.close()
print(json.dumps(report))
"""


def test_each_group_of_tabbed_docks_shows_one_tab_bar_after_resets(project, tmp_path):
    """Tabifying docks again (first start, a reset, compact on and off) left stale tab bars
    showing: the Documents/Entities tabs appeared twice, one row under the other. Run as
    the app starts (sized before shown, the model loading), in a process of its own."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FACTDESK_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", TAB_BARS_SCRIPT, str(project), str(tmp_path / "ini")],
        capture_output=True, text=True, timeout=300, env=env, check=True,
    )  # fmt: skip
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(report) == 4
    for shown, groups in report:
        assert shown == groups  # one bar for each group of tabbed docks, no other


def test_facts_list_and_detail_sit_side_by_side_and_wrap(window):
    window.resize(1366, 768)
    window.reset_layout()
    splitter = window.facts.splitter
    assert splitter.orientation() == Qt.Orientation.Horizontal
    tree = window.facts.arguments
    assert tree.wordWrap()
    assert tree.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_a_long_argument_wraps_onto_rows_tall_enough_for_it(qtbot, window):
    """The second line of a wrapped organization name was cut off: rows were measured
    before the columns took their widths."""
    store, panel = window.store, window.facts
    facts = [f for i in store.documents.ids() for f in store.facts.for_document(i)]
    fact = max(facts, key=lambda f: max(len(a.text or "") for a in f.arguments))
    window.documents.select_document(fact.document_id)
    panel.boilerplate_check.setChecked(True)
    assert panel.select_fact(fact.id)
    panel.splitter.setSizes([900, 260])  # a narrow detail: long texts must wrap
    qtbot.wait(100)
    tree = panel.arguments
    metrics = tree.fontMetrics()
    wrapped = 0
    for row in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(row)
        width = tree.columnWidth(1) - 8
        needed = metrics.boundingRect(
            0, 0, width, 10_000, Qt.TextFlag.TextWordWrap, item.text(1)
        ).height()
        wrapped += needed > metrics.height() * 1.5
        assert tree.visualItemRect(item).height() >= needed, item.text(1)
    assert wrapped  # the case under test happened


def test_the_layout_is_remembered_and_reset(qtbot, project, pipeline):
    win = _window(qtbot, pipeline, QSize(1600, 1000))
    assert win.open_project(project)
    history = win.findChild(QDockWidget, "dock_history")
    history.setFloating(True)
    win.close()
    again = _window(qtbot, pipeline)
    assert again.findChild(QDockWidget, "dock_history").isFloating()  # restoreState
    again.reset_layout()
    assert not again.findChild(QDockWidget, "dock_history").isFloating()
    again.close()


# -- label chips and palette -------------------------------------------------------------
def _rect_of(view, position):
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    return view.cursorRect(cursor)


def test_label_chips_make_room_and_toggle_from_the_view_menu(qtbot, window):
    _open(window, TALKS)
    view = window.view
    slots = view.chip_slots()
    placed = [p for p in view._index.ordered if p.id in slots]
    assert len(slots) == len(view._index.ordered) > 40
    before = [p for p in placed if slots[p.id].key == p.start - 1]  # chip before the span

    def gaps():  # the room between the gap character and the span, on one line
        out = {}
        for p in before:
            a, b = _rect_of(view, p.start - 1), _rect_of(view, p.start)
            if a.y() == b.y():
                out[p.id] = b.x() - a.x()
        return out

    with_chips = gaps()
    action = window.menu_actions["chips"]
    assert action.isChecked()
    action.trigger()
    assert not view.chips_shown() and view.chip_slots() == {}
    without = gaps()
    common = with_chips.keys() & without.keys()
    assert len(common) > 10
    assert all(with_chips[i] > without[i] + 10 for i in common)
    assert QSettings().value("view/label_chips") in (False, "false")
    action.trigger()
    assert view.chips_shown() and view.chip_slots() == slots
    image = view.viewport().grab().toImage()
    assert not image.isNull()


def _lab(color: str) -> tuple[float, float, float]:
    rgb = QColor(color)

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = lin(rgb.redF()), lin(rgb.greenF()), lin(rgb.blueF())
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_the_labels_in_use_have_distinct_colours(window):
    used = {
        m.label for d in window.store.documents.ids() for m in window.store.mentions.for_document(d)
    }
    styles = window.label_styles
    assert used <= set(styles)
    for a, b in itertools.combinations(sorted(styles), 2):
        distance = math.dist(_lab(styles[a].color), _lab(styles[b].color))
        assert distance > 20, (a, b, distance)
    for a, b in (("LOC", "PRODUCT"), ("DATE", "TIME"), ("LANGUAGE", "QUANTITY")):
        assert math.dist(_lab(styles[a].color), _lab(styles[b].color)) > 30


def test_the_toolbar_shows_labels_in_order_of_use_and_number_keys_follow(qtbot, window):
    palette = window.palette
    assert palette.shown == [
        "PERSON", "ORG", "GPE", "LOC", "DATE", "MONEY", "PERCENT", "EVENT", "NORP",
    ]  # fmt: skip
    assert {"FAC", "LAW", "PRODUCT", "CARDINAL"} <= set(palette.hidden)
    assert [a.text() for a in palette.more_menu.actions()] == palette.hidden
    texts = [palette.button(n).text() for n in palette.shown]
    assert texts[:5] == ["1 PERSON", "2 ORG", "3 GPE", "4 LOC", "5 DATE"]
    doc_id = _open(window, TALKS)
    text = window.controller.text
    start = text.index("Waterfalls")
    offsets = OffsetMap(text)
    cursor = window.view.textCursor()
    cursor.setPosition(offsets.to_qt(start))
    cursor.setPosition(offsets.to_qt(start + len("Waterfalls")), QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_5)
    made = [m for m in window.store.mentions.for_document(doc_id) if m.start == start]
    assert [m.label for m in made if m.end == start + len("Waterfalls")] == ["DATE"]


def test_a_tagged_span_is_marked_and_its_tooltip_names_the_tags(window):
    doc_id = _open(window, TALKS)
    mention = window.store.mentions.for_document(doc_id)[3]
    window.store.tags.set("mention", mention.id, ["verified", "trade"])
    window.store.mentions.set_note(mention.id, "Checked against the ministry's release")
    window.show_document(doc_id)
    assert window.view.remarks(mention.id) == (
        ("trade", "verified"),
        mention_note := window.store.mentions.note(mention.id),
    )
    assert mention_note
    window.view.select_mention(mention.id)
    placed = window.view._index.by_id[mention.id]
    rect = line_rects(window.view, placed.start, placed.end)[0]
    texts = window.view.tooltip_texts(rect.center().toPoint())
    joined = "\n".join(texts)
    assert "Tags: trade, verified" in joined and "Note: Checked" in joined


def test_the_labels_behind_more_follow_how_often_the_project_uses_them(qtbot, window):
    usage = window.store.labels.usage()
    palette = window.palette
    hidden = set(palette.hidden)
    assert len(hidden) >= 3
    expected = sorted(hidden, key=lambda name: (-usage.get(name, 0), name))
    assert expected != sorted(hidden)  # use, not the alphabet, decides
    qtbot.waitUntil(lambda: palette.hidden == expected, timeout=10_000)
    menu = [a.iconText() for a in palette.more_menu.actions()]
    assert [m.split()[-1] for m in menu] == expected


# -- find and search ---------------------------------------------------------------------
def test_find_next_and_previous_move_the_cursor_to_the_hits(qtbot, window):
    _open(window, TALKS)
    view = window.view
    window.view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.find_bar.edit.hasFocus)
    qtbot.keyClicks(window.find_bar.edit, "guangxi")
    hits = window.find_bar.hits
    assert len(hits) >= 2
    view.setFocus()
    cursor = view.textCursor()
    cursor.setPosition(0)
    view.setTextCursor(cursor)
    qtbot.keyClick(view, Qt.Key.Key_F3)
    assert (view.textCursor().selectionStart(), view.textCursor().selectionEnd()) == hits[0]
    assert view.textCursor().selectedText().casefold() == "guangxi"
    qtbot.keyClick(view, Qt.Key.Key_F3)
    assert view.textCursor().selectionStart() == hits[1][0]
    qtbot.keyClick(view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().selectionStart() == hits[0][0]
    assert len(view.extraSelections()) == len(hits)  # every hit is marked
    assert window.find_bar.count.text() == f"1 of {len(hits)}"


def test_search_hits_are_marked_and_results_follow_an_import_and_its_undo(
    qtbot, window, tmp_path, questions
):
    window.documents.search.setText("quorvath")
    window.documents._apply_search()
    assert window.documents.model.rowCount() == 0
    article = tmp_path / "quorvath.txt"
    article.write_text(
        "Quorvath port opens to river barges\n\nThe new Quorvath river port opened on Monday, "
        "the provincial transport office said, with room for forty barges.\n",
        encoding="utf-8",
    )
    with qtbot.waitSignal(window.runner.idle, timeout=120_000):
        window.import_paths([article])
    assert window.documents.model.rowCount() == 1
    assert window.documents.model.search_query() == "quorvath"
    new_id = window.documents.model.document_id(0)
    window.documents.select_document(new_id)
    assert len(window.find_bar.hits) == 2
    questions.replies = [True]
    window.stack.undo()
    assert window.documents.model.search_query() == "quorvath"
    assert window.documents.model.rowCount() == 0


# -- restore and history -----------------------------------------------------------------
def test_the_last_document_and_its_scroll_come_back_after_a_restart(qtbot, project, pipeline):
    win = _window(qtbot, pipeline, QSize(1366, 768))
    assert win.open_project(project)
    doc_id = _open(win, TALKS)
    bar = win.view.verticalScrollBar()
    assert bar.maximum() > 40
    bar.setValue(bar.maximum() // 2)
    top = win.view.firstVisibleBlock().blockNumber()
    assert top > 0
    win.close()
    again = _window(qtbot, pipeline, QSize(1366, 768))
    assert again.open_project(project)
    assert again.controller.document_id == doc_id
    assert again.view.firstVisibleBlock().blockNumber() == top
    again.close()


def test_ctrl_h_shows_and_focuses_history_every_time(qtbot, window):
    dock = window.findChild(QDockWidget, "dock_history")
    for _ in range(2):
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        assert dock.isVisible() and not dock.visibleRegion().isEmpty()
        qtbot.waitUntil(window.history_view.hasFocus)


def test_menu_bar_accelerators_are_unique(window):
    keys = [
        a.text().split("&")[1][0].lower() for a in window.menuBar().actions() if "&" in a.text()
    ]
    assert len(keys) == len(set(keys))


# -- export dialog -----------------------------------------------------------------------
def test_export_dialog_defaults_suffix_and_file_mode(qtbot, window, tmp_path):
    dialog = ExportDialog(window.store, window.controller.document_id)
    qtbot.addWidget(dialog)
    assert Path(dialog.out.text()).parent == default_folder()
    assert ".factdesk" not in str(default_folder()) and "data" not in default_folder().name
    names = []
    for index in range(dialog.format.count()):
        dialog.format.setCurrentIndex(index)
        name = Path(dialog.out.text()).name
        names.append(name)
        assert name.count(".") <= 1, name  # one suffix, never "x-facts.facts.csv"
    assert "seeds-facts.csv" in names and "seeds-entities.jsonl" in names
    assert dialog.format.findData("entities-jsonl") >= 0
    dialog.format.setCurrentIndex(dialog.format.findData("conll"))
    assert not dialog.types.isEnabled() and dialog.labels.isEnabled()
    dialog.format.setCurrentIndex(dialog.format.findData("facts-csv"))
    assert dialog.types.isEnabled() and "argument" in dialog.labels_caption.text()
    dialog.proposed_box.setChecked(True)
    out = tmp_path / "exports" / "facts.csv"
    dialog.out.setText(str(out))
    old = os.umask(0o022)
    try:
        with qtbot.waitSignal(dialog.runner.idle, timeout=60_000):
            dialog.start()
    finally:
        os.umask(old)
    assert out.exists()
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert default_folder() == out.parent  # the last folder used comes next
    again = ExportDialog(window.store, None)
    qtbot.addWidget(again)
    assert Path(again.out.text()).parent == out.parent
    dialog.close()
    again.close()
