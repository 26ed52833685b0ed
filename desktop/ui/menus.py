"""The main window's menus: every action with its shortcut, in one place.

Shortcuts are written out as the README lists them rather than taken from Qt's standard
keys: those differ by platform (Redo is Ctrl+Y on one, Ctrl+Shift+Z on another), and a
standard key that resolves to a key bound beside it makes both ambiguous, so neither fires.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from desktop.ui import settings, window_layout
from desktop.ui.document_actions import edit_document_details
from desktop.ui.icons import icon
from desktop.ui.learning_actions import show_known_names, toggle_done

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


def _act(window: MainWindow, text: str, keys: str | None, slot, icon_name=None):  # type: ignore[no-untyped-def]
    """An action of the window; `keys` may list several shortcuts: "Ctrl++; Ctrl+="."""
    action = QAction(text, window)
    if keys is not None:
        action.setShortcuts(QKeySequence.listFromString(keys))
    if icon_name:
        action.setIcon(icon(icon_name))
    action.triggered.connect(slot)
    return action


def _train_model(window: MainWindow) -> None:
    """Annotate › Train model…: spaCy's training code loads on first use."""
    from desktop.ui.training_actions import show_train_dialog

    show_train_dialog(window)


def _compare_with(window: MainWindow) -> None:
    """File › Compare…: its modules (and numpy) load on first use, not at start-up."""
    from desktop.ui.compare_actions import compare_with

    compare_with(window)


def _analyst_name(window: MainWindow) -> None:
    """File › Analyst name…: the name written on this analyst's changes."""
    from desktop.ui.analysts import change_name

    change_name(window)


def bring_to_front(dock: QDockWidget) -> None:
    """Show a dock (closed or behind another tab), put it in front and give it the focus."""
    dock.show()
    dock.raise_()
    dock.activateWindow()  # a floating dock is a window of its own
    content = dock.widget()
    if content is not None:
        content.setFocus(Qt.FocusReason.ShortcutFocusReason)


def build_menus(w: MainWindow) -> dict[str, QAction | QMenu]:
    """Create the menu bar; returns the actions others refer to."""
    bar = w.menuBar()
    out: dict[str, QAction | QMenu] = {}
    from desktop.ui.analysts import install

    install(w)  # History with its Analyst column; projects open under the analyst's name

    file = bar.addMenu("&File")
    file.addAction(_act(w, "&New project…", "Ctrl+N", w.new_project, "new"))
    file.addAction(_act(w, "&Open project…", "Ctrl+O", w.choose_project, "open"))
    file.addMenu(w.recent_menu)
    file.addSeparator()
    file.addAction(_act(w, "&Import documents…", "Ctrl+I", w.choose_imports, "import"))
    file.addAction(
        _act(
            w,
            "Import &annotations (doccano, Label Studio, brat…)…",
            "Ctrl+Shift+I",
            w.choose_dataset,
            "import",
        )
    )
    file.addAction(_act(w, "&Export dataset…", "Ctrl+Shift+S", w.export_dataset, "export"))
    file.addAction(
        _act(w, "Co&mpare with another project…", None, lambda: _compare_with(w), "open")
    )
    file.addSeparator()
    analyst = _act(w, "Ana&lyst name…", None, lambda: _analyst_name(w))
    file.addAction(analyst)
    out["analyst_name"] = analyst
    file.addSeparator()
    file.addAction(_act(w, "&Quit", "Ctrl+Q", w.close, "quit"))

    edit = bar.addMenu("&Edit")
    undo = w.stack.createUndoAction(w, "&Undo")
    undo.setShortcut(QKeySequence("Ctrl+Z"))
    undo.setIcon(icon("undo"))
    redo = w.stack.createRedoAction(w, "&Redo")
    redo.setShortcuts(QKeySequence.listFromString("Ctrl+Shift+Z; Ctrl+Y"))
    redo.setIcon(icon("redo"))
    edit.addActions([undo, redo])
    history_dock = w.findChild(QDockWidget, "dock_history")
    if history_dock is not None:
        history = _act(w, "Show &history", "Ctrl+H", lambda: bring_to_front(history_dock))
        history.setIcon(icon("history"))
        edit.addAction(history)
        out["history"] = history
    edit.addSeparator()
    edit.addAction(_act(w, "&Label set…", "Ctrl+L", w.edit_labels, "labels"))
    snap = _act(w, "&Snap selections to tokens", "Ctrl+K", w.toggle_snap, "snap")
    snap.setCheckable(True)
    snap.setChecked(w.view.snap_to_tokens)
    edit.addAction(snap)
    out["snap"] = snap

    annotate = bar.addMenu("&Annotate")
    labels_menu = annotate.addMenu("&Label as")
    out["labels_menu"] = labels_menu
    c = w.controller.actions
    for key in ("accept", "reject", "delete", "accept_all"):
        annotate.addAction(c[key])
    annotate.addSeparator()
    for key in ("grow_start", "grow_end", "shrink_start", "shrink_end"):
        annotate.addAction(c[key])
    annotate.addSeparator()
    tags = _act(w, "&Tags and note…", "Ctrl+T", w.edit_tags, "tag")
    annotate.addAction(tags)
    out["tags"] = tags
    annotate.addSeparator()
    annotate.addAction(
        _act(w, "&Extract pending documents", "Ctrl+E", lambda: w.extract(False), "extract")
    )
    annotate.addAction(
        _act(w, "&Re-extract all documents", "Ctrl+Shift+E", lambda: w.extract(True))
    )
    train = _act(w, "Tra&in model…", None, lambda: _train_model(w))
    train.setToolTip("Fine-tune the model on the reviewed documents and compare it")
    annotate.addAction(train)
    out["train_model"] = train

    document = bar.addMenu("&Document")
    details = _act(w, "Edit document &details…", None, lambda: edit_document_details(w))
    details.setToolTip("Title, publication date and source of the shown document")
    document.addAction(details)
    out["document_details"] = details
    done = _act(w, "Mark as d&one (reviewed)", "Ctrl+Shift+R", lambda: toggle_done(w), "accept")
    done.setToolTip("The shown document is reviewed: it goes to the end of the review order")
    document.addAction(done)
    out["document_done"] = done
    w.documents.details_requested.connect(lambda doc_id: edit_document_details(w, doc_id))

    facts = bar.addMenu("Fa&cts")
    f = w.fact_controller.actions
    for key in ("accept", "reject"):
        facts.addAction(f[key])
    facts.addAction(
        _act(w, "&Next unreviewed fact", "Alt+Down", lambda: w.next_unreviewed_fact(True), "next")
    )
    facts.addAction(
        _act(
            w,
            "&Previous unreviewed fact",
            "Alt+Up",
            lambda: w.next_unreviewed_fact(False),
            "previous",
        )
    )
    facts.addSeparator()
    for key in ("create", "retype", "add_argument", "remove_argument", "correct_value"):
        facts.addAction(f[key])
    facts.addAction(_act(w, "Fact &tags and note…", "Ctrl+Shift+T", w.edit_fact_tags, "tag"))
    for action in f.values():
        w.addAction(action)

    entities = bar.addMenu("E&ntities")
    e = w.entity_controller.actions
    for keys in (("corpus", "open"), ("rename", "tags", "merge", "split", "distinct")):
        entities.addActions([e[k] for k in keys])
        entities.addSeparator()
    entities.addActions([e[k] for k in ("proposals", "accept_proposal", "reject_proposal")])
    entities.addSeparator()
    known = _act(w, "Names the project &knows…", None, lambda: show_known_names(w))
    known.setToolTip("Names found in every document and rejections not proposed again")
    entities.addAction(known)
    out["known_names"] = known
    for action in e.values():
        w.addAction(action)

    go = bar.addMenu("&Go")
    go.addAction(c["next"])
    go.addAction(c["previous"])
    go.addAction(c["least_certain"])
    go.addSeparator()
    go.addAction(_act(w, "Next &document", "Ctrl+Down", w.documents.select_next, "next_document"))
    go.addAction(
        _act(w, "Pre&vious document", "Ctrl+Up", w.documents.select_previous, "previous_document")
    )
    go.addSeparator()
    go.addAction(_act(w, "&Find in document…", "Ctrl+F", w.open_find))
    go.addAction(_act(w, "Next &hit", "F3", lambda: w.find_step(True)))
    go.addAction(_act(w, "Previous h&it", "Shift+F3", lambda: w.find_step(False)))
    go.addAction(_act(w, "&Search documents", "Ctrl+Alt+F", w.documents.focus_search))

    view = bar.addMenu("&View")
    view.addAction(_act(w, "Zoom &in", "Ctrl++; Ctrl+=", w.view.zoom_in, "zoom_in"))
    view.addAction(_act(w, "Zoom &out", "Ctrl+-", w.view.zoom_out, "zoom_out"))
    view.addAction(_act(w, "&Reset zoom", "Ctrl+0", w.view.reset_zoom))
    view.addSeparator()
    chips = _act(w, "Label c&hips on spans", None, w.toggle_chips)
    chips.setCheckable(True)
    chips.setChecked(w.view.chips_shown())
    view.addAction(chips)
    out["chips"] = chips
    compact = _act(w, "&Compact layout (small screens)", None, w.set_compact)
    compact.setCheckable(True)
    compact.setChecked(settings.flag("compact", window_layout.wants_compact(w.size())))
    view.addAction(compact)
    out["compact"] = compact
    view.addAction(_act(w, "Reset la&yout", None, w.reset_layout))
    view.addSeparator()
    for dock_name in (
        "dock_documents",
        "dock_entities",
        "dock_facts",
        "dock_timeline",
        "dock_entity_page",
        "dock_network",
        "dock_history",
    ):
        dock = w.findChild(QDockWidget, dock_name)
        if dock is not None:
            view.addAction(dock.toggleViewAction())

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(_act(w, f"&About {w.windowTitle()}", None, w.about))

    for action in list(c.values()):
        w.addAction(action)
    return out
