"""The entity sidebar: names by label in the shown document or the whole corpus."""

from __future__ import annotations

import dataclasses

import qtawesome
from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.records import EntitySummary, LabelRecord
from desktop.core.store import Store
from desktop.ui.models import entities as roles
from desktop.ui.models.entities import EntityFilterProxy, EntityTreeModel

ICON_COLOR = "#37474f"


class EntitySidebar(QWidget):
    """Names by label with mention counts; selecting one highlights its mentions.

    Signals:
        entity_selected(list): mention ids (in the shown document) of the selected
            name or label; [] when the selection goes.
        step_requested(int): -1 or +1, move to the previous or next of those mentions.
    """

    entity_selected = Signal(list)
    step_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._document_id: int | None = None
        self._labels: dict[str, LabelRecord] = {}
        self._corpus: list[EntitySummary] | None = None  # cached corpus summary
        self._collapsed: set[str] = set()
        self._quiet = False  # set while the sidebar itself expands or reselects
        self.model = EntityTreeModel(self)
        self.proxy = EntityFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit = QLineEdit(placeholderText="Filter names…", clearButtonEnabled=True)
        self.corpus_button = self._tool_button(
            "mdi6.book-multiple-outline", "Whole corpus", "Count names over every document"
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
        layout.addWidget(self.tree, 1)

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
        for column in range(roles.COUNT, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(roles.HEADERS[column]) + 18)

    def _connect(self) -> None:
        self.corpus_button.toggled.connect(lambda: self._reload(keep_selection=True))
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.previous_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_button.clicked.connect(lambda: self.step_requested.emit(1))
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree.collapsed.connect(lambda index: self._remember_expansion(index, False))
        self.tree.expanded.connect(lambda index: self._remember_expansion(index, True))

    # -- public ----------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        """Show another project (nothing until show_document)."""
        self._store = store
        self._document_id = None
        self._corpus = None
        self._labels = {lb.name: lb for lb in store.labels.all()} if store is not None else {}
        self._reload()

    def show_document(self, document_id: int | None) -> None:
        """Show the names of a document (re-read: call it again after edits)."""
        if document_id != self._document_id:
            self._document_id = document_id
            self._reload()
            return
        self.refresh()

    def refresh(self) -> None:
        """Re-read labels and counts, keeping the selected name and collapsed labels."""
        self._corpus = None
        if self._store is not None:
            self._labels = {lb.name: lb for lb in self._store.labels.all()}
        self._reload(keep_selection=True)

    def is_corpus(self) -> bool:
        """Whether the sidebar counts over the whole corpus."""
        return self.corpus_button.isChecked()

    def selected_mention_ids(self) -> list[int]:
        """Mention ids of the selected name or label in the shown document."""
        index = self.tree.currentIndex()
        selected = self.tree.selectionModel().isSelected(index)
        return list(index.data(roles.MENTION_IDS_ROLE) or []) if selected else []

    # -- slots -----------------------------------------------------------------
    def _reload(self, keep_selection: bool = False) -> None:
        before = self._selected_key()
        entities, corpus, present = self._summary()
        self._quiet = True
        try:
            self.model.set_entities(entities, self._labels, corpus=corpus, present=present)
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
        if before is not None and not index.isValid():
            self.entity_selected.emit([])
        self._update_buttons()

    def _summary(self) -> tuple[list[EntitySummary], bool, set[tuple[str, str]] | None]:
        if self._store is None:
            return [], False, None
        doc = self._document_id
        here = self._store.mentions.summary(doc) if doc is not None else []
        if not self.corpus_button.isChecked():
            return here, False, None
        if self._corpus is None:
            self._corpus = self._store.mentions.summary(None)
        ids = {(e.label, e.text): e.mention_ids for e in here}
        merged = [
            dataclasses.replace(e, mention_ids=ids.get((e.label, e.text), ())) for e in self._corpus
        ]
        return merged, True, set(ids)

    def _expand(self) -> None:
        """Expand every label, except those the analyst collapsed (all while filtering)."""
        if self.proxy.filter_text():
            self.tree.expandAll()
            return
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, roles.NAME)
            self.tree.setExpanded(index, index.data(roles.LABEL_ROLE) not in self._collapsed)

    def _remember_expansion(self, index: QModelIndex, expanded: bool) -> None:
        if self._quiet or self.proxy.filter_text():
            return
        label = index.data(roles.LABEL_ROLE)
        if expanded:
            self._collapsed.discard(label)
        else:
            self._collapsed.add(label)

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
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
