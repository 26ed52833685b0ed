"""The entity sidebar: names by label in the shown document, or the whole corpus's
canonical entities with their aliases and the pending merge proposals."""

from __future__ import annotations

from collections import Counter

import qtawesome
from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.records import EntityRecord, LabelRecord
from desktop.core.store import Store
from desktop.ui.background import BackgroundCall
from desktop.ui.models import canonical
from desktop.ui.models import entities as roles
from desktop.ui.models.canonical import CanonicalEntityModel
from desktop.ui.models.entities import EntityFilterProxy, EntityTreeModel
from desktop.ui.panels.merge_proposals import MergeProposalsPanel

ICON_COLOR = "#37474f"


class EntitySidebar(QWidget):
    """Names by label in the shown document; in corpus mode, canonical entities by kind
    with their aliases, and the merge proposals below. Selecting a name or an entity
    highlights its mentions in the shown document.

    Signals:
        entity_selected(list): mention ids (in the shown document) of the selected
            name, label or entity; [] when the selection goes.
        step_requested(int): -1 or +1, move to the previous or next of those mentions.
        entity_activated(int): Enter or double-click on an entity (corpus mode).
        corpus_read(): the corpus's entities, read off the GUI thread, are shown.
    """

    entity_selected = Signal(list)
    step_requested = Signal(int)
    entity_activated = Signal(int)
    corpus_read = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._document_id: int | None = None
        self._labels: dict[str, LabelRecord] = {}
        # the corpus's entities and how each is written, read (in the background) when
        # corpus mode needs them; the last ones read stay shown until fresh ones come
        self._corpus: tuple[list[EntityRecord], dict[int, Counter[str]]] | None = None
        self._shown: tuple[list[EntityRecord], dict[int, Counter[str]]] = ([], {})
        self._reading = BackgroundCall(self)
        self._reading.failed.connect(self._read_failed)
        self._collapsed: set[str] = set()
        self._quiet = False  # set while the sidebar itself expands or reselects
        self.model = EntityTreeModel(self)
        self.proxy = EntityFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.corpus_model = CanonicalEntityModel(self)
        self.corpus_proxy = EntityFilterProxy(self)
        self.corpus_proxy.setSourceModel(self.corpus_model)
        self.proposals = MergeProposalsPanel()
        self.filter_edit = QLineEdit(placeholderText="Filter names…", clearButtonEnabled=True)
        self.empty_label = QLabel(
            "No entities yet: they are resolved after extraction or import.", wordWrap=True
        )
        self.empty_label.setObjectName("placeholder")
        self.corpus_button = self._tool_button(
            "mdi6.book-multiple-outline",
            "Whole corpus",
            "Canonical entities of every document, their aliases and merge proposals",
        )
        self.corpus_button.setCheckable(True)
        self.corpus_button.setAutoRaise(False)  # a frame shows whether it is on
        self.corpus_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.previous_button = self._tool_button(
            "mdi6.chevron-up", "Previous mention", "Previous mention of the selected name"
        )
        self.next_button = self._tool_button(
            "mdi6.chevron-down", "Next mention", "Next mention of the selected name"
        )
        self.tree = QTreeView()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self._layout()
        self._setup_tree()
        self._connect()
        self._update_buttons()

    def _tool_button(self, icon: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setIcon(qtawesome.icon(icon, color=ICON_COLOR))
        return button

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(2)
        bar.addWidget(self.corpus_button)
        bar.addStretch(1)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.filter_edit)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.empty_label)
        column.addWidget(self.tree, 1)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.proposals)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 400])
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.proposals.hide()
        self.empty_label.hide()

    def _setup_tree(self) -> None:
        tree = self.tree
        tree.setModel(self.proxy)
        tree.setUniformRowHeights(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tree.setAlternatingRowColors(True)
        tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        self._size_columns()

    def _size_columns(self) -> None:
        header = self.tree.header()
        header.setSectionResizeMode(roles.NAME, QHeaderView.ResizeMode.Stretch)
        metrics = self.tree.fontMetrics()
        model = self.tree.model()
        for column in range(roles.COUNT, model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(title) + 18)

    def _connect(self) -> None:
        self.corpus_button.toggled.connect(self._mode_changed)
        self.tree.activated.connect(self._activated)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.previous_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_button.clicked.connect(lambda: self.step_requested.emit(1))
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree.collapsed.connect(lambda index: self._remember_expansion(index, False))
        self.tree.expanded.connect(lambda index: self._remember_expansion(index, True))

    # -- public ----------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        """Show another project (nothing until show_document)."""
        self._reading.forget()  # nothing may read the old store after this
        self._store = store
        self._document_id = None
        self._corpus, self._shown = None, ([], {})
        self._labels = {lb.name: lb for lb in store.labels.all()} if store is not None else {}
        self.proposals.set_store(store if self.is_corpus() else None)
        self._reload()

    def show_document(self, document_id: int | None) -> None:
        """Show the names of a document (re-read: call it again after edits)."""
        if document_id != self._document_id:
            self._document_id = document_id
            self._reload()
            return
        self.refresh()

    def refresh(self) -> None:
        """Re-read labels and the shown document's names, keeping the selection and the
        collapsed labels (corpus counts are re-read by `refresh_corpus`)."""
        if self._store is not None:
            self._labels = {lb.name: lb for lb in self._store.labels.all()}
        self._reload(keep_selection=True)

    def refresh_corpus(self) -> None:
        """Re-read the corpus's entities and proposals (after resolution or an entity
        edit, its undo or redo)."""
        self._corpus = None
        if self.is_corpus():
            self._reload(keep_selection=True)  # read before the (slower) proposals
            self.proposals.refresh()

    def set_corpus(self, on: bool) -> None:
        """Switch between the shown document's names and the corpus's entities."""
        self.corpus_button.setChecked(on)

    def selected_entity_ids(self) -> list[int]:
        """Entities selected in corpus mode (their name rows count), in tree order."""
        if not self.is_corpus():
            return []
        rows = self.tree.selectionModel().selectedRows(canonical.NAME)
        ids = [i.data(canonical.ENTITY_ID_ROLE) for i in rows]
        return list(dict.fromkeys(i for i in ids if i is not None))

    def selected_aliases(self) -> tuple[int, list[str]] | None:
        """(entity id, written names) of the name rows selected under one entity."""
        if not self.is_corpus():
            return None
        rows = self.tree.selectionModel().selectedRows(canonical.NAME)
        names = [(i.data(canonical.ENTITY_ID_ROLE), i.data(canonical.ALIAS_ROLE)) for i in rows]
        names = [(e, n) for e, n in names if n is not None]
        if not names or len({e for e, _n in names}) != 1:
            return None
        return names[0][0], [n for _e, n in names]

    def select_entity(self, entity_id: int) -> bool:
        """Select an entity's row in corpus mode (clearing the filter if it hides it)."""
        source = self.corpus_model.find_entity(entity_id)
        if not self.is_corpus() or not source.isValid():
            return False
        index = self.corpus_proxy.mapFromSource(source)
        if not index.isValid():
            self.filter_edit.clear()
            index = self.corpus_proxy.mapFromSource(source)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def is_corpus(self) -> bool:
        """Whether the sidebar counts over the whole corpus."""
        return self.corpus_button.isChecked()

    def selected_mention_ids(self) -> list[int]:
        """Mention ids of the selected name or label in the shown document."""
        index = self.tree.currentIndex()
        selected = self.tree.selectionModel().isSelected(index)
        return list(index.data(roles.MENTION_IDS_ROLE) or []) if selected else []

    # -- slots -----------------------------------------------------------------
    def _mode_changed(self, corpus: bool) -> None:
        self.tree.selectionModel().selectionChanged.disconnect(self._selection_changed)
        self.tree.setModel(self.corpus_proxy if corpus else self.proxy)
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        mode = QAbstractItemView.SelectionMode
        self.tree.setSelectionMode(mode.ExtendedSelection if corpus else mode.SingleSelection)
        self.filter_edit.setPlaceholderText(
            "Filter entities and aliases…" if corpus else "Filter names…"
        )
        self.proposals.setVisible(corpus)
        self._reload()  # the entities are read first: proposals take longer
        self.proposals.set_store(self._store if corpus else None)
        self.entity_selected.emit([])

    def _reload(self, keep_selection: bool = False) -> None:
        if self.is_corpus():
            self._reload_corpus(keep_selection)
            return
        before = self._selected_key()
        doc = self._document_id
        here = self._store.mentions.summary(doc) if self._store and doc is not None else []
        self._quiet = True
        try:
            self.model.set_entities(here, self._labels)
            self._size_columns()
            self._expand()
            index = QModelIndex()
            if keep_selection and before is not None:
                index = self.proxy.mapFromSource(self.model.find(*before))
            if index.isValid():
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)
        finally:
            self._quiet = False
        self.empty_label.hide()
        if before is not None and not index.isValid():
            self.entity_selected.emit([])
        self._update_buttons()

    def _reload_corpus(self, keep_selection: bool) -> None:
        before = self.selected_entity_ids()[:1] if keep_selection else []
        store = self._store
        reading = store is not None and self._corpus is None
        if reading:
            assert store is not None
            self._reading.call(
                lambda: (store.entities.list(), store.entities.names()), self._arrived
            )
        fresh = self._corpus is not None and self._corpus is not self._shown
        entities, names = self._shown = self._corpus or self._shown
        present: dict[int, list[tuple[int, str]]] = {}
        if store is not None and self._document_id is not None:
            for m in store.mentions.for_document(self._document_id):
                if m.entity_id is not None and m.status != "rejected":
                    present.setdefault(m.entity_id, []).append((m.id, m.text))
        self._quiet = True
        try:
            if fresh or not self.corpus_model.entity_count():
                self.corpus_model.set_entities(entities, names, present)
                self._size_columns()
                self._expand()
            else:  # another document: only which entities it mentions changes
                self.corpus_model.set_present(present)
            if before:
                self.select_entity(before[0])
        finally:
            self._quiet = False
        self.empty_label.setText(
            "Reading the corpus's entities…"
            if reading
            else "No entities yet: they are resolved after extraction or import."
        )
        self.empty_label.setVisible(store is not None and not entities)
        if before:
            self.entity_selected.emit(self.selected_mention_ids())
        self._update_buttons()

    def _arrived(self, corpus: tuple[list[EntityRecord], dict[int, Counter[str]]]) -> None:
        self._corpus = corpus
        if self.is_corpus():
            self._reload_corpus(keep_selection=True)
        self.corpus_read.emit()

    def _read_failed(self, message: str) -> None:
        self.empty_label.setText(f"The entities could not be read: {message}")
        self.empty_label.show()

    def _activated(self, index: QModelIndex) -> None:
        entity_id = index.data(canonical.ENTITY_ID_ROLE) if self.is_corpus() else None
        if entity_id is not None:
            self.entity_activated.emit(int(entity_id))

    def _expand(self) -> None:
        """Expand every label or kind, except those the analyst collapsed (all while
        filtering; in corpus mode entities stay folded unless the filter matched)."""
        proxy = self.tree.model()
        assert isinstance(proxy, EntityFilterProxy)
        if proxy.filter_text():
            self.tree.expandAll()
            return
        for row in range(proxy.rowCount()):
            index = proxy.index(row, roles.NAME)
            self.tree.setExpanded(index, self._group_key(index) not in self._collapsed)

    def _group_key(self, index: QModelIndex) -> str:
        prefix = "kind:" if self.is_corpus() else ""
        return prefix + str(index.data(roles.LABEL_ROLE))

    def _remember_expansion(self, index: QModelIndex, expanded: bool) -> None:
        proxy = self.tree.model()
        if self._quiet or index.parent().isValid() or not isinstance(proxy, EntityFilterProxy):
            return
        if proxy.filter_text():
            return
        label = self._group_key(index)
        if expanded:
            self._collapsed.discard(label)
        else:
            self._collapsed.add(label)

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self.corpus_proxy.set_text(text)
        self._quiet = True
        try:
            self._expand()
        finally:
            self._quiet = False

    def _selected_key(self) -> tuple[str, str | None] | None:
        index = self.tree.currentIndex()
        if not index.isValid() or not self.tree.selectionModel().isSelected(index):
            return None
        return (index.data(roles.LABEL_ROLE), index.data(roles.TEXT_ROLE))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._quiet:
            return
        self._update_buttons()
        self.entity_selected.emit(self.selected_mention_ids())

    def _update_buttons(self) -> None:
        has_mentions = bool(self.selected_mention_ids())
        self.previous_button.setEnabled(has_mentions)
        self.next_button.setEnabled(has_mentions)
