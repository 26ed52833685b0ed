"""The document list panel: search, status and tag filters over a table of documents."""

from __future__ import annotations

from functools import partial

import qtawesome
from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QKeySequence,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.store import Store
from desktop.ui.background import BackgroundCall
from desktop.ui.models import documents as columns
from desktop.ui.models.documents import DocumentListModel
from desktop.ui.tables import elide_middle, plain_rows

SEARCH_DELAY_MS = 250
MIN_TITLE_WIDTH = 200  # narrower panels hide Source, then Date (the title tooltip has both);
# a search wants 1.4 times as much, for the snippet
SNIPPET_LEAD = 24  # characters of context kept before the first match
STATUS_CHOICES = (
    ("All statuses", None),
    ("Has proposed", "proposed"),
    ("Has accepted", "accepted"),
    ("Has rejected", "rejected"),
)


class TitleDelegate(QStyledItemDelegate):
    """Draws a title and, while searching, the matching snippet under it, matches in bold."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        snippet = index.data(columns.SNIPPET_ROLE)
        if not snippet:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        rect.adjust(3, 0, -3, 0)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        line = opt.fontMetrics.height()
        top = rect.top() + (rect.height() - 2 * line) // 2
        painter.save()
        painter.setClipRect(rect)
        painter.setPen(opt.palette.color(role))
        elided = opt.fontMetrics.elidedText(title, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            QRect(rect.left(), top, rect.width(), line), Qt.AlignmentFlag.AlignLeft, elided
        )
        if not selected:
            painter.setPen(opt.palette.color(QPalette.ColorRole.PlaceholderText))
        text, spans = trim_snippet(snippet, index.data(columns.HIGHLIGHTS_ROLE) or [])
        _snippet_layout(text, spans, opt.font).draw(painter, QPointF(rect.left(), top + line))
        painter.restore()


def trim_snippet(snippet: str, spans: list[list[int]]) -> tuple[str, list[list[int]]]:
    """The snippet from a few words before its first match, the spans moved along."""
    first = spans[0][0] if spans else 0
    if first <= SNIPPET_LEAD:
        return snippet, spans
    cut = snippet.find(" ", first - SNIPPET_LEAD) + 1
    if not 0 < cut <= first:
        cut = first
    shift = cut - 1  # one character for the ellipsis
    return "…" + snippet[cut:], [[start - shift, end - shift] for start, end in spans]


def _snippet_layout(text: str, spans: list[list[int]], font: QFont) -> QTextLayout:
    layout = QTextLayout(text, font)
    bold = QTextCharFormat()
    bold.setFontWeight(QFont.Weight.Bold)
    ranges = []
    for start, end in spans:
        matched = QTextLayout.FormatRange()
        matched.start, matched.length, matched.format = start, end - start, bold
        ranges.append(matched)
    layout.setFormats(ranges)
    layout.beginLayout()
    layout.createLine()  # one line, as wide as the text: the painter's clip cuts it
    layout.endLayout()
    return layout


class DocumentListPanel(QWidget):
    """Lists the project's documents; the current row is the document shown.

    Signals:
        document_activated(int): the current row moved to another document.
    """

    document_activated = Signal(int)
    details_requested = Signal(int)  # "Edit document details…" from a row's context menu

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._shown: int | None = None
        self._chosen_columns: set[int] = set()
        self.model = DocumentListModel(parent=self)
        self.search = QLineEdit(placeholderText="Search documents…", clearButtonEnabled=True)
        self.search.addAction(
            qtawesome.icon("mdi6.magnify", color="#78909c"),
            QLineEdit.ActionPosition.LeadingPosition,
        )
        self.search.setToolTip('Words are combined; "quoted words" form a phrase; word* a prefix')
        clear = QAction("Clear search", self.search)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.search.clear)
        self.search.addAction(clear)
        self.status_combo = QComboBox()
        self.status_combo.setToolTip("Show only documents with mentions of this status")
        for text, status in STATUS_CHOICES:
            self.status_combo.addItem(text, status)
        self.tag_combo = QComboBox()
        self.tag_combo.setToolTip("Show only documents with this tag")
        self.tag_combo.addItem("All tags", None)
        self.order_button = QToolButton()
        self.order_button.setObjectName("review_order")
        self.order_button.setCheckable(True)
        self.order_button.setAutoRaise(True)
        self.order_button.setIcon(qtawesome.icon("mdi6.sort-variant", color="#546e7a"))
        self.order_button.setToolTip(
            "Review first what teaches most: documents whose proposals are least certain "
            "first, reviewed ones last (off and on again re-reads it after your decisions)"
        )
        self._ordering = BackgroundCall(self)
        self._ordering.failed.connect(lambda message: self.count_label.setText(message))
        self.table = QTableView()
        self._title_delegate = TitleDelegate(self.table)
        self._source_delegate = elide_middle(self.table)
        self.count_label = QLabel()
        self.count_label.setObjectName("document_count")
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._layout()
        self._setup_table()
        self._connect()
        self._update_count()

    def _layout(self) -> None:
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.status_combo, 1)
        filters.addWidget(self.tag_combo, 1)
        filters.addWidget(self.order_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        plain_rows(table)
        table.viewport().installEventFilter(self)  # resizes fit the columns
        table.setItemDelegateForColumn(columns.TITLE, self._title_delegate)
        table.setItemDelegateForColumn(columns.SOURCE, self._source_delegate)
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._row_menu)
        metrics = table.fontMetrics()
        widths = {
            columns.DATE: metrics.horizontalAdvance("2025-11-26") + 14,
            columns.SOURCE: metrics.horizontalAdvance("000_fc2453") + 14,
        }
        for column in columns.COUNT_COLUMNS:
            widths[column] = max(metrics.horizontalAdvance("000"), 16) + 14
        header.setSectionResizeMode(columns.TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for column in range(columns.TITLE + 1, self.model.columnCount()):
            action = menu.addAction(columns.HEADERS[column])
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(partial(self._show_column, column))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def row_menu(self, pos: QPoint) -> QMenu | None:
        """The context menu of the row at `pos` (None off the rows)."""
        index = self.table.indexAt(pos)
        if not index.isValid():
            return None
        doc_id = self.model.document_id(index.row())
        menu = QMenu(self)
        action = menu.addAction("Edit document details…")
        action.triggered.connect(lambda: self.details_requested.emit(doc_id))
        return menu

    def _row_menu(self, pos: QPoint) -> None:
        menu = self.row_menu(pos)
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))

    def _show_column(self, column: int, shown: bool) -> None:
        self._chosen_columns.add(column)  # the analyst decides; no more automatic hiding
        self.table.setColumnHidden(column, not shown)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Hide Source, then Date, while the title would be narrower than MIN_TITLE_WIDTH."""
        automatic = [c for c in (columns.SOURCE, columns.DATE) if c not in self._chosen_columns]
        for column in automatic:
            self.table.setColumnHidden(column, False)
        header = self.table.horizontalHeader()
        others = sum(
            header.sectionSize(c)
            for c in range(columns.TITLE + 1, self.model.columnCount())
            if not self.table.isColumnHidden(c)
        )
        room = self.table.viewport().width() - others
        wanted = MIN_TITLE_WIDTH * (1.4 if self.model.is_searching() else 1)
        for column in automatic:
            if room >= wanted:
                break
            room += header.sectionSize(column)
            self.table.setColumnHidden(column, True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._search_edited)
        self.search.returnPressed.connect(self._apply_search)
        self._debounce.timeout.connect(self._apply_search)
        self.status_combo.currentIndexChanged.connect(self._apply_filter)
        self.tag_combo.currentIndexChanged.connect(self._apply_filter)
        self.order_button.clicked.connect(self._apply_order)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.model.modelReset.connect(self._model_reset)
        self.model.rowsInserted.connect(self._update_count)

    # -- public ----------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        """Show another project: filters and search cleared."""
        self._store = store
        self._shown = None
        self._ordering.forget()
        with QSignalBlocker(self.search), QSignalBlocker(self.status_combo):
            self._debounce.stop()
            self.search.clear()
            self.status_combo.setCurrentIndex(0)
            self.order_button.setChecked(False)
        self._fill_tags()
        self.model.set_store(store)

    def refresh_tags(self) -> None:
        """Re-read the tag names; a vanished selected tag falls back to All tags."""
        before = self.tag_combo.currentData()
        self._fill_tags()
        if self.tag_combo.currentData() != before:
            self._apply_filter()

    def append_documents(self, document_ids: list[int]) -> None:
        """Add newly imported documents to the list (while searching: search again)."""
        if self.model.is_searching():
            self.model.set_search(self.model.search_query())
            return
        self.model.append_documents(document_ids)

    def reload(self) -> None:
        """Read the list again after documents came or went; filters and search stay."""
        self._fill_tags()
        self.model.set_search(self.model.search_query())

    def refresh_rows(self, document_ids: list[int]) -> None:
        """Update the counts of some documents in place."""
        self.model.refresh_rows(document_ids)

    def focus_search(self) -> None:
        """Put the cursor in the search field, its text selected (for Find)."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def current_document_id(self) -> int | None:
        """The document of the current row, if any."""
        index = self.table.currentIndex()
        return self.model.document_id(index.row()) if index.isValid() else None

    def select_document(self, document_id: int) -> bool:
        """Make a document's row current (if listed); False when the list leaves it out."""
        row = self.model.row_of(document_id)
        if row is None:
            return False
        self._select_row(row)
        return True

    def select_next(self) -> bool:
        """Move to the next document; False at the end."""
        return self._step(1)

    def select_previous(self) -> bool:
        """Move to the previous document; False at the start."""
        return self._step(-1)

    # -- slots -----------------------------------------------------------------
    def _step(self, delta: int) -> bool:
        count = self.model.rowCount()
        if not count:
            return False
        index = self.table.currentIndex()
        row = index.row() + delta if index.isValid() else (0 if delta > 0 else count - 1)
        if not 0 <= row < count:
            return False
        self._select_row(row)
        return True

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, columns.TITLE)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def _fill_tags(self) -> None:
        before = self.tag_combo.currentData()
        names = self._store.tags.names() if self._store is not None else []
        with QSignalBlocker(self.tag_combo):
            self.tag_combo.clear()
            self.tag_combo.addItem("All tags", None)
            for name in names:
                self.tag_combo.addItem(name, name)
            self.tag_combo.setCurrentIndex(max(0, self.tag_combo.findData(before)))

    def _search_edited(self, text: str) -> None:
        if text:
            self._debounce.start()
        else:
            self._apply_search()  # cleared (Esc or the clear button): at once

    def _apply_search(self) -> None:
        self._debounce.stop()
        if self.search.text().strip() != self.model.search_query():
            self.model.set_search(self.search.text())

    def set_review_order(self, on: bool) -> None:
        """Order the list for review (read off the GUI thread) or in import order."""
        self.order_button.setChecked(on)
        self._apply_order()

    def _apply_order(self, *_args: object) -> None:
        store = self._store
        if not self.order_button.isChecked() or store is None:
            self._ordering.forget()
            if self.model.in_review_order():
                self.model.set_review_order(None)
            return
        from desktop.core.learning.review_order import review_order

        self.count_label.setText("Reading the review order…")
        self._ordering.call(lambda: review_order(store), self._ordered)

    def _ordered(self, order) -> None:  # type: ignore[no-untyped-def]
        if self.order_button.isChecked():
            self.model.set_review_order(order)
            self._update_count()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.status_combo.currentData(), self.tag_combo.currentData())

    def _model_reset(self) -> None:
        lines = 2 if self.model.is_searching() else 1
        row_height = self.table.fontMetrics().height() * lines + 8
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self._fit_columns()
        self._update_count()
        row = self.model.row_of(self._shown) if self._shown is not None else None
        if row is not None:
            self._select_row(row)  # the document shown stays current; no new activation
        elif self.model.is_searching() and self.model.rowCount():
            self.table.scrollToTop()

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        document_id = self.model.document_id(current.row())
        if document_id != self._shown:
            self._shown = document_id
            self.document_activated.emit(document_id)

    def _update_count(self) -> None:
        rows = self.model.rowCount()
        if self.model.is_searching():
            text = f"{rows:,} matching document{'s' * (rows != 1)}"
            if rows >= columns.SEARCH_LIMIT:
                text = f"The {rows:,} best matching documents"
        else:
            total = self._store.documents.count() if self._store is not None else 0
            noun = f"document{'s' * (total != 1)}"
            text = f"{total:,} {noun}" if rows == total else f"{rows:,} of {total:,} {noun}"
        self.count_label.setText(text)
