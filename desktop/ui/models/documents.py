"""The document list model: ids of the current filter or search, rows fetched in pages."""

from __future__ import annotations

from typing import Any

import qtawesome
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QGuiApplication, QIcon, QPalette

from desktop.core.learning.review_order import DocumentPriority
from desktop.core.records import DocumentInfo, SearchHit
from desktop.core.store import Store

TITLE, DATE, SOURCE, PROPOSED, ACCEPTED, REJECTED = range(6)
HEADERS = ("Title", "Date", "Source", "Proposed", "Accepted", "Rejected")
HEADER_TIPS = (
    "Headline, or the file name when the document has none",
    "Publication date",
    "File or record the document was imported from",
    "Proposed: mentions from the pipeline not yet reviewed",
    "Accepted: mentions accepted or added by an analyst",
    "Rejected: mentions rejected by an analyst",
)
COUNT_COLUMNS = (PROPOSED, ACCEPTED, REJECTED)
# Count columns show an icon in the header (narrow columns leave room for titles).
STATUS_ICONS = {
    PROPOSED: ("mdi6.help-circle-outline", "#d08700"),
    ACCEPTED: ("mdi6.check-circle-outline", "#2e7d32"),
    REJECTED: ("mdi6.close-circle-outline", "#c62828"),
}
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 1  # on Title while searching: where it matched
HIGHLIGHTS_ROLE = Qt.ItemDataRole.UserRole + 2  # (start, end) spans of the snippet
PAGE_SIZE = 200
SEARCH_LIMIT = 500
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    """Documents of the project under a status/tag filter and an optional search.

    The model holds only ids; metadata and counts come from the store a page at
    a time, outside data(): a miss in data() queues its page and a zero-delay
    timer loads it and emits dataChanged. While searching, Title carries the
    snippet (SNIPPET_ROLE, HIGHLIGHTS_ROLE; also in its tooltip).

    Signals: the standard model signals only.
    """

    def __init__(self, store: Store | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._status: str | None = None
        self._tag: str | None = None
        self._query = ""
        self._ids: list[int] = []
        self._rows: dict[int, int] = {}
        self._infos: dict[int, DocumentInfo] = {}
        self._hits: dict[int, SearchHit] = {}
        self._wanted: set[int] = set()
        self._icons: dict[int, QIcon] = {}
        self._priority: dict[int, DocumentPriority] | None = None  # review order, when on
        self._rank: dict[int, int] = {}
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._load_wanted)
        if store is not None:
            self.set_store(store)

    # -- state -----------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        """Show another project (or none), unfiltered, in import order."""
        self._priority, self._rank = None, {}
        self._reload(store, None, None, "")

    def set_filter(self, status: str | None = None, tag: str | None = None) -> None:
        """Only documents with a mention of `status` and/or with `tag` (None: any)."""
        self._reload(self._store, status, tag, self._query)

    def set_search(self, query: str) -> None:
        """Only documents matching a full-text query, best first; '' ends the search."""
        self._reload(self._store, self._status, self._tag, query.strip())

    def set_review_order(self, order: list[DocumentPriority] | None) -> None:
        """List documents in review order (what a review would teach most first; reviewed
        ones last), or with None in import order again. A search keeps its own order."""
        self._priority = {p.document_id: p for p in order} if order is not None else None
        self._rank = {p.document_id: n for n, p in enumerate(order or ())}
        self._reload(self._store, self._status, self._tag, self._query)

    def in_review_order(self) -> bool:
        """Whether rows are in review order."""
        return self._priority is not None

    def priority(self, document_id: int) -> DocumentPriority | None:
        """A document's review priority, when the review order is on."""
        return self._priority.get(document_id) if self._priority is not None else None

    def is_searching(self) -> bool:
        """Whether a search query is in force."""
        return bool(self._query)

    def search_query(self) -> str:
        """The search query in force ('' when none)."""
        return self._query

    def document_ids(self) -> list[int]:
        """The ids of the rows, in row order."""
        return list(self._ids)

    def document_id(self, row: int) -> int:
        """The id of the document at `row`."""
        return self._ids[row]

    def row_of(self, document_id: int) -> int | None:
        """The row of a document, or None when the current list leaves it out."""
        return self._rows.get(document_id)

    def append_documents(self, document_ids: list[int]) -> None:
        """Add newly imported documents at the end (those the current filter admits)."""
        if self._store is None or self._query:
            return
        fresh = sorted({i for i in document_ids if i not in self._rows})
        if fresh and (self._status is not None or self._tag is not None):
            admitted = set(self._store.documents.ids(status=self._status, tag=self._tag))
            fresh = [i for i in fresh if i in admitted]
        if not fresh:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._ids.extend(fresh)
        self._rows.update((doc_id, first + n) for n, doc_id in enumerate(fresh))
        self.endInsertRows()

    def refresh_rows(self, document_ids: list[int]) -> None:
        """Re-read the counts of some documents and update their rows in place.

        Rows stay even when they no longer match the status filter, so the list does not
        shift under the analyst; the next set_filter applies it again."""
        if self._store is None:
            return
        rows = sorted(r for r in (self._rows.get(i) for i in set(document_ids)) if r is not None)
        if not rows:
            return
        for info in self._store.documents.infos([self._ids[r] for r in rows]):
            self._infos[info.id] = info
        last = self.columnCount() - 1
        for row in rows:
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def fetched_count(self) -> int:
        """How many rows have their metadata loaded (for tests and diagnostics)."""
        return len(self._infos)

    def _reload(self, store: Store | None, status: str | None, tag: str | None, query: str) -> None:
        ids, hits = _find(store, status, tag, query)  # query first: a failure changes nothing
        if self._priority is not None and not query:
            last = len(self._rank)
            ids = sorted(ids, key=lambda i: (self._rank.get(i, last), i))
        first_page = store.documents.infos(ids[:PAGE_SIZE]) if store and ids else []
        self.beginResetModel()
        self._store, self._status, self._tag, self._query = store, status, tag, query
        self._fetch_timer.stop()
        self._wanted.clear()
        self._ids = ids
        self._rows = {doc_id: row for row, doc_id in enumerate(ids)}
        self._hits = {hit.document_id: hit for hit in hits}
        self._infos = {info.id: info for info in first_page}
        self.endResetModel()

    # -- paging ----------------------------------------------------------------
    def _load_page(self, page: int) -> None:
        assert self._store is not None
        page_ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        ids = [i for i in page_ids if i not in self._infos]  # appended rows join loaded pages
        for info in self._store.documents.infos(ids):
            self._infos[info.id] = info

    def _want(self, row: int) -> None:
        self._wanted.add(row // PAGE_SIZE)
        if not self._fetch_timer.isActive():
            self._fetch_timer.start()

    def _load_wanted(self) -> None:
        pages, self._wanted = sorted(self._wanted), set()
        if self._store is None:
            return
        last = self.columnCount() - 1
        for page in pages:
            self._load_page(page)
            first = page * PAGE_SIZE
            end = min(first + PAGE_SIZE, len(self._ids)) - 1
            if end >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(end, last))

    # -- Qt overrides ----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return None if section in COUNT_COLUMNS else HEADERS[section]
        if role == Qt.ItemDataRole.DecorationRole and section in COUNT_COLUMNS:
            if section not in self._icons:
                name, color = STATUS_ICONS[section]
                self._icons[section] = qtawesome.icon(name, color=color)
            return self._icons[section]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return HEADER_TIPS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in COUNT_COLUMNS else _LEFT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        doc_id = self._ids[index.row()]
        column = index.column()
        if role == DOCUMENT_ID_ROLE:
            return doc_id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in COUNT_COLUMNS else _LEFT
        hit = self._hits.get(doc_id)
        if column == TITLE and hit is not None and role in (SNIPPET_ROLE, HIGHLIGHTS_ROLE):
            return hit.snippet if role == SNIPPET_ROLE else [list(s) for s in hit.highlights]
        info = self._infos.get(doc_id)
        if info is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._want(index.row())
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(info, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = _tooltip(info, hit, column)
            if column == TITLE and self._priority is not None and doc_id in self._priority:
                tip = f"{tip}\n{_priority_text(self._priority[doc_id])}"
            if column == TITLE and info.extraction_error:
                why = f"Extraction failed: {info.extraction_error}\n(Extract again retries it.)"
                return f"{why}\n\n{tip}" if tip else why
            return tip
        if role == Qt.ItemDataRole.DecorationRole and column == TITLE and info.extraction_error:
            return _failed_icon()
        if role == Qt.ItemDataRole.ForegroundRole and column == TITLE and info.extraction_error:
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        zero_count = column in COUNT_COLUMNS and _display(info, column) == 0
        if role == Qt.ItemDataRole.ForegroundRole and zero_count:
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None


def _failed_icon() -> QIcon:
    """The mark of a document whose extraction failed (made once)."""
    global _FAILED_ICON
    if _FAILED_ICON is None:
        _FAILED_ICON = qtawesome.icon("mdi6.alert-circle-outline", color="#c62828")
    return _FAILED_ICON


_FAILED_ICON: QIcon | None = None


def _find(
    store: Store | None, status: str | None, tag: str | None, query: str
) -> tuple[list[int], list[SearchHit]]:
    """The ids a filter and search select, in row order, with the search hits."""
    if store is None:
        return [], []
    if not query:
        return store.documents.ids(status=status, tag=tag), []
    hits = store.search(query, limit=SEARCH_LIMIT)
    if status is not None or tag is not None:
        admitted = set(store.documents.ids(status=status, tag=tag))
        hits = [h for h in hits if h.document_id in admitted]
    return [h.document_id for h in hits], hits


def _priority_text(p: DocumentPriority) -> str:
    """'Review: 0.72 bits a proposal over 12 open, least certain 61%'."""
    if p.reviewed:
        return "Reviewed"
    if not p.open:
        return "Review: nothing open"
    least = f", least certain {p.least_certain:.0%}" if p.least_certain is not None else ""
    return f"Review: {p.bits:.2f} bits a proposal over {p.open} open{least}"


def _display(info: DocumentInfo, column: int) -> Any:
    if column == TITLE:
        return info.title or info.source
    if column == DATE:
        return info.published or ""
    if column == SOURCE:
        return info.source
    return (info.proposed, info.accepted, info.rejected)[column - PROPOSED]


def _tooltip(info: DocumentInfo, hit: SearchHit | None, column: int) -> str | None:
    if column == TITLE:
        lines = [
            info.title or "(no title)",
            " · ".join(filter(None, (info.source, info.published))),
        ]
        if info.publisher or info.dateline:
            lines.append(" · ".join(p for p in (info.publisher, info.dateline) if p))
        if hit is not None:
            lines.append(hit.snippet)
        return "\n".join(lines)
    if column == SOURCE:
        return info.source
    if column in COUNT_COLUMNS:
        return f"{_display(info, column)} {HEADERS[column].lower()}"
    return None
