"""The facts panel: facts of the shown document or the corpus, filters, and one fact's arguments."""

from __future__ import annotations

from typing import Any

import qtawesome
from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QRegularExpression,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.facts.lexicon import fact_types
from desktop.core.records import FactArgRecord, FactRecord
from desktop.core.store import Store
from desktop.ui.models import facts as columns
from desktop.ui.models.facts import FactFilterProxy, FactTableModel
from desktop.ui.tables import WrapDelegate, elide_middle, plain_rows

ICON_COLOR = "#37474f"
STATUS_CHOICES = (
    ("All statuses", None),
    ("Proposed", "proposed"),
    ("Accepted", "accepted"),
    ("Rejected", "rejected"),
)
DATE_PATTERN = r"\d{0,4}(-\d{0,2}(-\d{0,2})?)?"  # what the from/to boxes accept while typing
ARG_ROLE, ARG_TEXT, ARG_VALUE = range(3)
ARGUMENT_RECORD_ROLE = Qt.ItemDataRole.UserRole


class FactsPanel(QWidget):
    """Facts of the shown document (or the whole corpus) under filters, with the selected
    fact's arguments listed underneath.

    Type, status, tag and boilerplate filters re-query the store; the entity text and the
    date range filter the rows already read (FactFilterProxy). Edits made elsewhere come
    back through refresh_fact (one row) or refresh (everything, the selection kept).

    Signals:
        fact_selected(object): the selected FactRecord, or None when the selection goes.
        argument_activated(object): the FactArgRecord double-clicked (or Enter) in the
            details; for a fact of another document, document_requested comes first.
        document_requested(int): in corpus scope, a fact of a document other than the
            shown one was activated (double-click or Enter on its row).
    """

    fact_selected = Signal(object)
    argument_activated = Signal(object)
    document_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._document_id: int | None = None
        self._selected_id: int | None = None  # the fact last announced by fact_selected
        self._details_for: tuple[FactRecord | None, bool] | None = None  # (fact, corpus) shown
        self.model = FactTableModel(self)
        self.proxy = FactFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.document_button = self._scope_button("mdi6.file-document-outline", "This document")
        self.corpus_button = self._scope_button("mdi6.book-multiple-outline", "Whole corpus")
        self.document_button.setChecked(True)
        self._scope = QButtonGroup(self)
        self._scope.setExclusive(True)
        self._scope.addButton(self.document_button)
        self._scope.addButton(self.corpus_button)
        self.boilerplate_check = QCheckBox("Show boilerplate")
        self.boilerplate_check.setToolTip("Also list facts found in captions, related links, tags")
        self.doubtful_check = QCheckBox("Doubtful first")
        self.doubtful_check.setToolTip(
            "Only facts of a confidence below 0.6 (right less than 6 times in 10), "
            "the least sure first"
        )
        self.type_combo = QComboBox()
        self.type_combo.setToolTip("Show only facts of this type")
        self.type_combo.addItem("All types", None)
        for name in fact_types():
            self.type_combo.addItem(name, name)
        self.status_combo = QComboBox()
        self.status_combo.setToolTip("Show only facts of this status")
        for text, status in STATUS_CHOICES:
            self.status_combo.addItem(text, status)
        self.tag_combo = QComboBox()
        self.tag_combo.setToolTip("Show only facts with this tag")
        self.tag_combo.addItem("All tags", None)
        self.entity_edit = QLineEdit(placeholderText="Filter by entity…", clearButtonEnabled=True)
        self.entity_edit.setToolTip("Facts with an argument containing this text (any accents)")
        self.entity_edit.addAction(
            qtawesome.icon("mdi6.magnify", color="#78909c"),
            QLineEdit.ActionPosition.LeadingPosition,
        )
        self.date_from = self._date_edit("From", "Facts dated on or after (2025, 2025-11…)")
        self.date_to = self._date_edit("To", "Facts dated on or before (2025, 2025-11…)")
        self.table = QTableView()
        self._document_delegate = elide_middle(self.table)
        self.details_label = QLabel()
        self.details_label.setObjectName("fact_details")
        self.details_label.setTextFormat(Qt.TextFormat.PlainText)
        self.details_label.setWordWrap(True)
        self.arguments = QTreeWidget()
        self.count_label = QLabel()
        self.count_label.setObjectName("fact_count")
        self._layout()
        self._setup_table()
        self._setup_arguments()
        self._connect()
        self._show_details(None)
        self._update_count()

    def _scope_button(self, icon: str, text: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setCheckable(True)
        button.setIcon(qtawesome.icon(icon, color=ICON_COLOR))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def _date_edit(self, placeholder: str, tip: str) -> QLineEdit:
        edit = QLineEdit(placeholderText=placeholder, clearButtonEnabled=True)
        edit.setToolTip(tip)
        edit.setValidator(QRegularExpressionValidator(QRegularExpression(DATE_PATTERN), edit))
        edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("2025-11-25") + 44)
        return edit

    def _layout(self) -> None:
        scope = QHBoxLayout()
        scope.setContentsMargins(0, 0, 0, 0)
        scope.setSpacing(2)
        scope.addWidget(self.document_button)
        scope.addWidget(self.corpus_button)
        scope.addSpacing(6)
        filters = scope  # one row: scope and filters (the dock is wide and short)
        filters.addWidget(self.type_combo, 1)
        filters.addWidget(self.status_combo, 1)
        filters.addWidget(self.tag_combo, 1)
        search = QHBoxLayout()
        search.setContentsMargins(0, 0, 0, 0)
        search.addWidget(self.entity_edit, 2)
        search.addWidget(self.date_from, 1)
        search.addWidget(self.date_to, 1)
        search.addWidget(self.doubtful_check)
        search.addWidget(self.boilerplate_check)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.setSpacing(2)
        details_layout.addWidget(self.details_label)
        details_layout.addWidget(self.arguments, 1)
        # side by side: the bottom dock is wide, so both lists keep their height
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(scope)
        layout.addLayout(search)
        layout.addWidget(self.splitter, 1)
        scope.addWidget(self.count_label)  # on the first row: the lists keep the height

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.proxy)
        plain_rows(table)
        table.setItemDelegateForColumn(columns.DOCUMENT, self._document_delegate)
        header = table.horizontalHeader()
        header.setSortIndicatorClearable(True)  # a third click returns to text order
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        metrics = table.fontMetrics()
        bold = QFont(table.font())
        bold.setBold(True)  # the Type column's font
        type_width = max(QFontMetrics(bold).horizontalAdvance(name) for name in fact_types())
        widths = {
            columns.TYPE: type_width + 16,
            columns.STATUS: 32,  # an icon
            columns.TAGS: metrics.horizontalAdvance("tag, tag") + 14,
            columns.DOCUMENT: metrics.horizontalAdvance("Vietnam attends China") + 14,
            columns.CONFIDENCE: metrics.horizontalAdvance("Conf.") + 24,
        }
        header.setSectionResizeMode(columns.ARGUMENTS, QHeaderView.ResizeMode.Stretch)
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self._update_columns()

    def _setup_arguments(self) -> None:
        tree = self.arguments
        tree.setColumnCount(3)
        tree.setHeaderLabels(["Role", "Text", "Value"])
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(False)  # long texts and values wrap: no sideways scrolling
        tree.setWordWrap(True)
        tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        tree.setAlternatingRowColors(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setToolTip("Double-click an argument to show it in the text")
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ARG_ROLE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ARG_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ARG_VALUE, QHeaderView.ResizeMode.ResizeToContents)
        tree.setItemDelegate(WrapDelegate(tree))  # long names wrap onto taller rows

    def _connect(self) -> None:
        self.document_button.toggled.connect(self._scope_toggled)
        self.boilerplate_check.toggled.connect(self._requery)
        self.doubtful_check.toggled.connect(self._doubtful_toggled)
        self.type_combo.currentIndexChanged.connect(self._requery)
        self.status_combo.currentIndexChanged.connect(self._requery)
        self.tag_combo.currentIndexChanged.connect(self._requery)
        self.entity_edit.textChanged.connect(self.proxy.set_entity_text)
        self.date_from.textChanged.connect(self._date_range_edited)
        self.date_to.textChanged.connect(self._date_range_edited)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._sync_selection)
        selection.selectionChanged.connect(self._sync_selection)
        self.table.activated.connect(self._row_activated)
        self.arguments.itemActivated.connect(self._argument_activated)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._keep_current_visible)  # after a sort

    # -- public ----------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        """Show another project: filters cleared, nothing until show_document (or corpus)."""
        self._store = store
        self._document_id = None
        edits = (self.entity_edit, self.date_from, self.date_to)
        blockers = [QSignalBlocker(w) for w in (self.type_combo, self.status_combo, *edits)]
        self.type_combo.setCurrentIndex(0)
        self.status_combo.setCurrentIndex(0)
        for edit in edits:
            edit.clear()
        for blocker in blockers:
            blocker.unblock()
        self.proxy.set_entity_text("")
        self.proxy.set_date_range("", "")
        self._fill_tags(reset=True)
        self._reload(keep_selection=False)

    def show_document(self, document_id: int | None) -> None:
        """Make a document the shown one: its facts in document scope (re-read if the same);
        in corpus scope the list stays and only 'another document' changes meaning."""
        changed = document_id != self._document_id
        self._document_id = document_id
        if self.is_corpus():
            return
        self._reload(keep_selection=not changed)

    def document_id(self) -> int | None:
        """The shown document."""
        return self._document_id

    def is_corpus(self) -> bool:
        """Whether the panel lists the facts of the whole corpus."""
        return self.corpus_button.isChecked()

    def set_corpus(self, corpus: bool) -> None:
        """Switch between the shown document's facts and the corpus's."""
        (self.corpus_button if corpus else self.document_button).setChecked(True)

    def refresh(self) -> None:
        """Re-read the facts and tag names under the current filters, keeping the selection."""
        self._fill_tags()
        self._reload(keep_selection=True)

    def refresh_fact(self, fact_id: int) -> None:
        """Re-read one fact after an edit and update its row alone (or add or drop it).

        A fact that no longer matches the type/status/tag filters keeps its row until the
        next re-query, so the list does not shift under the analyst."""
        if self._store is None:
            return
        fact = self._store.facts.get(fact_id)
        if fact is None:
            self.model.remove_fact(fact_id)
        elif self.model.row_of(fact_id) is not None:
            self.model.update_fact(fact)
        elif self._query(fact_ids=[fact_id]):
            infos = self._store.documents.names([fact.document_id])
            self.model.insert_fact(fact, infos[0] if infos else None)
        current = self.current_fact()
        if current is not None and current.id == fact_id:
            self._show_details(current)
        self._update_columns()
        self._update_count()

    def current_fact(self) -> FactRecord | None:
        """The selected fact, if any."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.fact(self.proxy.mapToSource(index).row())

    def current_argument(self) -> FactArgRecord | None:
        """The argument selected in the details list, if any."""
        item = self.arguments.currentItem()
        return item.data(ARG_ROLE, ARGUMENT_RECORD_ROLE) if item is not None else None

    def select_fact(self, fact_id: int) -> bool:
        """Select a fact's row; False when the list (or a filter) leaves it out."""
        row = self.model.row_of(fact_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, columns.TYPE))
        if not index.isValid():
            return False
        self._select_index(index)
        return True

    def select_next_unreviewed(self, forward: bool = True) -> bool:
        """Select the next (or previous) proposed fact after the selected row, wrapping
        around; False when no other row is proposed."""
        count = self.proxy.rowCount()
        if not count:
            return False
        current = self.table.currentIndex()
        step = 1 if forward else -1
        if current.isValid():
            rows = [(current.row() + step * k) % count for k in range(1, count)]
        else:
            rows = list(range(count)) if forward else list(range(count - 1, -1, -1))
        for row in rows:
            source = self.proxy.mapToSource(self.proxy.index(row, columns.TYPE))
            if self.model.fact(source.row()).status == "proposed":
                self._select_index(self.proxy.index(row, columns.TYPE))
                return True
        return False

    # -- loading -----------------------------------------------------------------
    def _query(self, fact_ids: list[int] | None = None) -> list[FactRecord]:
        if self._store is None:
            return []
        document_ids = None
        if not self.is_corpus():
            if self._document_id is None:
                return []
            document_ids = [self._document_id]
        fact_type = self.type_combo.currentData()
        status = self.status_combo.currentData()
        return self._store.facts.query(
            document_ids=document_ids,
            fact_ids=fact_ids,
            types=[fact_type] if fact_type else None,
            statuses=[status] if status else None,
            tag=self.tag_combo.currentData(),
            boilerplate=self.boilerplate_check.isChecked(),
        )

    def _reload(self, keep_selection: bool) -> None:
        facts = self._query()  # first: a failure changes nothing
        document_ids = sorted({f.document_id for f in facts})
        infos = self._store.documents.names(document_ids) if self._store and document_ids else []
        before = self._selected_id if keep_selection else None
        self.model.set_facts(facts, {info.id: info for info in infos})
        self._update_columns()
        if before is not None and self.select_fact(before):
            self.table.scrollTo(self.table.currentIndex())
        self._sync_selection()

    def _update_columns(self) -> None:
        """Document only in corpus scope; Tags only when a fact shown has tags."""
        self.table.setColumnHidden(columns.DOCUMENT, not self.is_corpus())
        tagged = any(f.tags for f in self.model.facts())
        self.table.setColumnHidden(columns.TAGS, not tagged)

    def _fill_tags(self, reset: bool = False) -> None:
        before = None if reset else self.tag_combo.currentData()
        names = self._store.tags.names() if self._store is not None else []
        shown = [self.tag_combo.itemData(i) for i in range(1, self.tag_combo.count())]
        if not reset and self.tag_combo.count() and shown == names:
            return  # the same tags: the list and its choice stay as they are
        with QSignalBlocker(self.tag_combo):
            self.tag_combo.clear()
            self.tag_combo.addItem("All tags", None)
            for name in names:
                self.tag_combo.addItem(name, name)
            self.tag_combo.setCurrentIndex(max(0, self.tag_combo.findData(before)))

    # -- slots -----------------------------------------------------------------
    def _scope_toggled(self) -> None:
        self._reload(keep_selection=True)

    def _doubtful_toggled(self, on: bool) -> None:
        """Doubtful facts only, sorted by rising confidence; off: all, in text order."""
        self.proxy.set_doubtful(on)
        if on:
            self.table.sortByColumn(columns.CONFIDENCE, Qt.SortOrder.AscendingOrder)
        else:
            self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self.proxy.sort(-1)

    def _requery(self) -> None:
        self._reload(keep_selection=True)

    def _date_range_edited(self) -> None:
        self.proxy.set_date_range(self.date_from.text(), self.date_to.text())

    def _select_index(self, index: QModelIndex) -> None:
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def _sync_selection(self, *_args: Any) -> None:
        """Show the selected fact's details; announce it when it is another one."""
        fact = self.current_fact()
        self._show_details(fact)
        fact_id = fact.id if fact is not None else None
        if fact_id != self._selected_id:
            self._selected_id = fact_id
            self.fact_selected.emit(fact)

    def _keep_current_visible(self) -> None:
        if self.current_fact() is not None:
            self.table.scrollTo(self.table.currentIndex())

    def _row_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        fact = self.model.fact(self.proxy.mapToSource(index).row())
        self._request_document(fact)

    def _request_document(self, fact: FactRecord) -> None:
        if self.is_corpus() and fact.document_id != self._document_id:
            self.document_requested.emit(fact.document_id)

    def _argument_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        argument = item.data(ARG_ROLE, ARGUMENT_RECORD_ROLE)
        fact = self.current_fact()
        if not isinstance(argument, FactArgRecord) or fact is None:
            return
        self._request_document(fact)
        self.argument_activated.emit(argument)

    def _show_details(self, fact: FactRecord | None) -> None:
        if self._details_for == (fact, self.is_corpus()):
            return  # current and selection signals both come for one click
        self._details_for = (fact, self.is_corpus())
        self.arguments.clear()
        if fact is None:
            self.details_label.setText("No fact selected")
            return
        parts = [fact.type, fact.status.capitalize()]
        parts.append("made by hand" if fact.origin == "human" else fact.extractor or fact.origin)
        if fact.confidence is not None:
            parts.append(f"confidence {fact.confidence:.2f}")
        if fact.zone:
            parts.append(f"in {fact.zone}")
        if self.is_corpus():
            info = self.model.document(fact.document_id)
            parts.append(info.source if info is not None else f"document {fact.document_id}")
        lines = [columns.SEPARATOR.join(parts)]
        if fact.tags:
            lines.append("Tags: " + ", ".join(fact.tags))
        if fact.note:
            lines.append("Note: " + fact.note)
        self.details_label.setText("\n".join(lines))
        for role in columns.role_order(fact):
            for argument in (a for a in fact.arguments if a.role == role):
                item = QTreeWidgetItem([role, argument.text or "", argument.value or ""])
                item.setData(ARG_ROLE, ARGUMENT_RECORD_ROLE, argument)
                item.setToolTip(ARG_TEXT, argument.text or "")
                if argument.label:
                    item.setToolTip(ARG_ROLE, f"{role} ({argument.label} mention)")
                self.arguments.addTopLevelItem(item)

    def _update_count(self, *_args: Any) -> None:
        if self._store is None or (not self.is_corpus() and self._document_id is None):
            self.count_label.setText("No document shown" if self._store is not None else "")
            return
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        proposed = sum(1 for f in self.model.facts() if f.status == "proposed")
        noun = f"fact{'s' * (total != 1)}"
        text = f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        self.count_label.setText(f"{text} · {proposed:,} proposed")
