"""Entity actions: open an entity's page, rename, merge, split a name off, not the same,
and answer merge proposals — from the menu bar, wherever the focus is.

Each action runs store mutations and pushes their changes on the undo stack (several
at once as one macro, undone by one Ctrl+Z); `changed` asks the window to re-read
what shows entities.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDockWidget, QInputDialog, QWidget

from desktop.core.store import Store, db
from desktop.core.store.changes import Change
from desktop.ui.commands import push_joined
from desktop.ui.dialogs.tag_dialog import TagDialog
from desktop.ui.panels.entity_sidebar import EntitySidebar

if TYPE_CHECKING:
    from desktop.ui.shared import Outbox


class EntityController(QObject):
    """Turns entity actions into undoable store edits.

    Signals: changed() — entities changed; message(str); show_entity(int) — open a page.
    """

    changed = Signal()
    message = Signal(str)
    show_entity = Signal(int)

    def __init__(
        self,
        stack: QUndoStack,
        sidebar: EntitySidebar,
        selected_mention: Callable[[], int | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.stack = stack
        self.sidebar = sidebar
        self.selected_mention = selected_mention
        self.window = parent
        self.store: Store | None = None
        self.outbox: Outbox | None = None  # a shared project's kept edits (ui/shared.py)
        self.actions = self._make_actions()

    def _action(self, text: str, keys: str, slot: Callable[[], None], tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _=False: slot())
        return action

    def _make_actions(self) -> dict[str, QAction]:
        a = self._action
        corpus = a(
            "&Whole corpus entities",
            "Ctrl+Shift+C",
            lambda: self.sidebar.set_corpus(not self.sidebar.is_corpus()),
            "Show the canonical entities of every document in the sidebar",
        )
        corpus.setCheckable(True)
        self.sidebar.corpus_button.toggled.connect(corpus.setChecked)
        return {
            "corpus": corpus,
            "open": a(
                "&Open entity page",
                "Ctrl+Shift+O",
                self.open_page,
                "The page of the entity selected in the sidebar or of the selected mention",
            ),
            "rename": a("&Rename entity…", "F2", self.rename, "Set the preferred name"),
            "tags": a(
                "Entity &tags and note…",
                "Ctrl+Alt+T",
                self.edit_tags,
                "Tags and a note on the selected entity",
            ),
            "merge": a(
                "&Merge selected entities",
                "Ctrl+M",
                self.merge_selected,
                "Merge the entities selected in the sidebar into the most mentioned one",
            ),
            "split": a(
                "&Split names off",
                "Ctrl+Shift+M",
                self.split_selected,
                "Move the mentions written as the selected names to a new entity",
            ),
            "distinct": a(
                "&Not the same",
                "Ctrl+Shift+D",
                self.distinct_selected,
                "Two selected entities are different: never propose merging them",
            ),
            "proposals": a(
                "Merge &proposals",
                "Ctrl+Shift+P",
                self.focus_proposals,
                "Go to the merge proposals (A merges, X rejects)",
            ),
            "accept_proposal": a(
                "&Accept merge proposal",
                "Ctrl+Alt+A",
                lambda: self.sidebar.proposals.accept_current(),
                "Merge the selected proposal's pair",
            ),
            "reject_proposal": a(
                "Re&ject merge proposal",
                "Ctrl+Alt+X",
                lambda: self.sidebar.proposals.reject_current(),
                "The selected proposal's pair is not the same",
            ),
        }

    def set_store(self, store: Store | None) -> None:
        """Work on another project."""
        self.store = store

    # -- edits -----------------------------------------------------------------
    def edit(self, runs: list[tuple[Callable[[Store], Change], str]], text: str = "") -> bool:
        """Run store edits and push them as one undo step named `text` (a single edit
        keeps its own name when `text` is empty); the first error stops."""
        if self.store is None or not runs:
            return False
        store = self.store
        outbox = self.outbox
        if outbox is not None and outbox.blocks(self.message.emit):
            return False
        if len(runs) == 1 and text:
            runs = [(runs[0][0], text)]
        batches: list[int | None] = []
        for done, (run, _step_text) in enumerate(runs):
            try:
                batches.append(run(store).batch)
            except (ValueError, KeyError) as exc:
                self.message.emit(str(exc))
                break
            except Exception as exc:
                if outbox is None or not db.is_disconnect(exc):
                    raise
                rest = runs[done:]  # those made stay made; the rest waits for the server
                outbox.keep(lambda rest=rest: self.edit(rest, text) and None)
                break
        name = text or (runs[0][1] if len(runs) == 1 else "")
        return push_joined(self.stack, store, batches, name, self.changed.emit)

    def _entity(self) -> int | None:
        """The entity to act on: the sidebar's selection, else the selected mention's."""
        ids = self.sidebar.selected_entity_ids()
        if ids:
            return ids[0]
        mention = self.selected_mention()
        if self.store is None or mention is None:
            return None
        found = self.store.entities.of_mentions([mention])
        return found[mention][0] if mention in found else None

    def open_page(self) -> None:
        entity_id = self._entity()
        if entity_id is None:
            self.message.emit("Select an entity in the sidebar or a resolved mention first")
            return
        self.show_entity.emit(entity_id)

    def rename(self) -> None:
        entity_id = self._entity()
        entity = self.store.entities.get(entity_id) if self.store and entity_id else None
        if entity is None:
            self.message.emit("Select an entity in the sidebar or a resolved mention first")
            return
        names = [entity.preferred_name, *entity.aliases]
        name, ok = QInputDialog.getItem(
            self.window, "Rename entity", f"Preferred name ({entity.kind}):", names, 0, True
        )
        name = " ".join(name.split())
        if ok and name and name != entity.preferred_name:
            self.edit([(lambda s: s.entities.rename(entity.id, name), "Rename entity")])

    def edit_tags(self, entity_id: int | None = None) -> None:
        """Tags and note on an entity (the selected one when not given), one undo step."""
        entity_id = entity_id if entity_id is not None else self._entity()
        store = self.store
        entity = store.entities.get(entity_id) if store and entity_id else None
        if store is None or entity is None:
            self.message.emit("Select an entity in the sidebar or a resolved mention first")
            return
        tags = store.tags.of("entity", entity.id)
        subject = f"entity '{entity.preferred_name}' ({entity.kind})"
        dialog = TagDialog(subject, tags, entity.note, store.tags.names(), self.window)
        if not dialog.exec():
            return
        new_tags, note = dialog.result_tags(), dialog.result_note()
        runs = []
        if new_tags != tags:
            runs.append((lambda s: s.tags.set("entity", entity.id, new_tags), "Tag entity"))
        if note != entity.note:
            runs.append((lambda s: s.entities.set_note(entity.id, note), "Note on entity"))
        self.edit(runs, f"Tags and note on '{entity.preferred_name}'" if len(runs) > 1 else "")

    def merge_selected(self) -> None:
        ids = self.sidebar.selected_entity_ids()
        if self.store is None or len(ids) < 2:
            self.message.emit("Select two or more entities in the corpus sidebar to merge")
            return
        records = [r for r in (self.store.entities.get(i) for i in ids) if r is not None]
        keep = min(records, key=lambda r: (-r.mention_count, r.id))
        others = [r for r in records if r.id != keep.id]
        runs = [(_merge(keep.id, r.id), f"Merge '{r.preferred_name}'") for r in others]
        self.edit(runs, f"Merge {len(others) + 1} entities into '{keep.preferred_name}'")

    def split_selected(self) -> None:
        chosen = self.sidebar.selected_aliases()
        if chosen is None:
            self.message.emit("Select one or more names under an entity to split them off")
            return
        entity_id, names = chosen
        text = f"Split {', '.join(repr(n) for n in names)} off"
        self.edit([(lambda s: s.entities.split(entity_id, names), text)])

    def distinct_selected(self) -> None:
        ids = self.sidebar.selected_entity_ids()
        if len(ids) != 2:
            self.message.emit("Select exactly two entities in the corpus sidebar")
            return
        a, b = ids
        self.edit([(lambda s: s.entities.mark_distinct(a, b), "Not the same")])

    def focus_proposals(self) -> None:
        dock = self.sidebar.parent()
        if isinstance(dock, QDockWidget):
            dock.show()
            dock.raise_()
        self.sidebar.set_corpus(True)
        self.sidebar.proposals.focus_list()


def _merge(keep: int, other: int) -> Callable[[Store], Change]:
    return lambda s: s.entities.merge(keep, other)
