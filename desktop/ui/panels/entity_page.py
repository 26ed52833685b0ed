"""One entity on a page: its names and counts, every mention in context, its facts.

The page only asks: renaming emits `rename_requested`; the window performs the edit,
pushes it on the undo stack and calls `refresh()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.records import EntityRecord, FactRecord, MentionRecord
from desktop.core.store import Store
from desktop.ui.background import BackgroundCall
from desktop.ui.models.facts import describe_arguments, summarize
from desktop.ui.tables import ElideDelegate, elide_middle, plain_rows

CONTEXT = 60  # characters either side of a mention
ID_ROLE = Qt.ItemDataRole.UserRole + 1
KWIC_HEADERS = ("Before", "Mention", "After", "Document")  # short: never clipped
FACT_HEADERS = ("Type", "Status", "Document", "Summary")
WIDE_PAGE = 900  # pixels: from this width (and twice the height) details go beside tables


def kwic(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str, str]:
    """Left context, the mention, right context (one line each, cut at `width`)."""

    def flat(s: str) -> str:
        return " ".join(s.split())

    left = flat(text[max(0, start - width * 2) : start])[-width:]
    right = flat(text[end : end + width * 2])[:width]
    if start > 0 and text[start - 1].isspace():
        left += " "
    if end < len(text) and text[end].isspace():
        right = " " + right
    if len(left) >= width and start > width:
        left = "…" + left[1:]
    if len(right) >= width and end + width < len(text):
        right = right[:-1] + "…"
    return left, flat(text[start:end]), right


@dataclass(frozen=True, slots=True)
class PageData:
    """What the page shows of one entity, read off the GUI thread."""

    entity: EntityRecord
    tags: list[str]
    mentions: list[MentionRecord]  # not rejected, by document and position
    contexts: list[tuple[str, str, str]]  # keyword in context, a row a mention
    sources: dict[int, str]  # document id -> source name
    facts: list[FactRecord]  # facts with a mention of it among their arguments
    titles: dict[int, str] | None = None  # document id -> title (the source when untitled)
    remarks: dict[int, tuple[tuple[str, ...], str | None]] | None = None  # mention tags, note


def read_page(store: Store, entity_id: int) -> PageData | None:
    """An entity's page, or None when it no longer exists."""
    entity = store.entities.get(entity_id)
    if entity is None:
        return None
    every = store.entities.mentions_of(entity_id)
    mentions = [m for m in every if m.status != "rejected"]
    doc_ids = sorted({m.document_id for m in mentions})
    texts = {i: doc.text for i, doc in store.documents.get_many(doc_ids).items()}
    contexts = [kwic(texts.get(m.document_id, ""), m.start, m.end) for m in mentions]
    infos = store.documents.infos(doc_ids)
    sources = {info.id: info.source for info in infos}
    titles = {info.id: info.title or info.source for info in infos}
    ids = {m.id for m in every}
    candidates = store.facts.query(document_ids=doc_ids) if doc_ids else []
    facts = [f for f in candidates if any(a.mention_id in ids for a in f.arguments)]
    tags = store.tags.of("entity", entity_id)
    remarks: dict[int, tuple[tuple[str, ...], str | None]] = {}
    for doc_id in doc_ids:
        remarks.update(store.mentions.remarks(doc_id))
    return PageData(entity, tags, mentions, contexts, sources, facts, titles, remarks)


def _item(
    text: str, data: object = None, align: Qt.AlignmentFlag | None = None
) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if data is not None:
        item.setData(ID_ROLE, data)
    if align is not None:
        item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    plain_rows(table)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    return table


def _narrow_document_column(table: QTableWidget, column: int) -> None:
    """Document names are long ids: a narrow column cut in the middle (the whole name
    is in the tooltip), so the contexts keep the width."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(column, table.fontMetrics().horizontalAdvance("0" * 11 + "…") + 12)
    table.setItemDelegateForColumn(column, elide_middle(table))


class EntityPage(QWidget):
    """Names, kind, counts, mentions in context (KWIC) and facts of one entity."""

    rename_requested = Signal(int, str)
    tags_requested = Signal(int)  # entity id: edit its tags and note
    shown = Signal()  # the page shows what show_entity asked for
    mention_activated = Signal(int, int)  # document id, mention id
    fact_activated = Signal(object)  # FactRecord

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.entity: EntityRecord | None = None
        self.mentions: list[MentionRecord] = []
        self.facts: list[FactRecord] = []
        self._background = BackgroundCall(self)
        self._background.failed.connect(lambda message: self.mentions_title.setText(message))

        self.name_edit = QLineEdit()
        font = QFont(self.name_edit.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name_edit.setFont(font)
        self.name_edit.returnPressed.connect(self.request_rename)
        self.name_edit.textChanged.connect(self._update_rename)
        self.rename_button = QPushButton("Rename")
        self.rename_button.setToolTip("Set the preferred name (Enter)")
        self.rename_button.clicked.connect(self.request_rename)
        self.tags_button = QPushButton("Tags and note…")
        self.tags_button.setToolTip("Tags and a note on this entity (Ctrl+Alt+T)")
        self.tags_button.clicked.connect(
            lambda: self.entity is not None and self.tags_requested.emit(self.entity.id)
        )
        self.tags_label = QLabel()
        self.tags_label.setWordWrap(True)
        self.kind_label = QLabel()
        self.aliases_label = QLabel()
        self.aliases_label.setWordWrap(True)
        self.counts_label = QLabel()
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        for label in self._info_labels():
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()  # under the name, which keeps the dock's whole width
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.tags_button)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Kind:", self.kind_label)
        form.addRow("Aliases:", self.aliases_label)
        form.addRow("Counts:", self.counts_label)
        form.addRow("Tags:", self.tags_label)
        form.addRow("Note:", self.note_label)

        self.mentions_title = QLabel("Mentions")
        self.mention_table = _table(KWIC_HEADERS)
        self.mention_table.setItemDelegateForColumn(
            0, ElideDelegate(Qt.TextElideMode.ElideLeft, self.mention_table)
        )
        header = self.mention_table.horizontalHeader()
        header.setMinimumSectionSize(header.fontMetrics().horizontalAdvance("Mention") + 18)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        _narrow_document_column(self.mention_table, 3)
        self.mention_table.cellActivated.connect(lambda row, _c: self.activate_mention(row))
        self.mention_table.cellDoubleClicked.connect(lambda row, _c: self.activate_mention(row))

        self.facts_title = QLabel("Facts")
        self.fact_table = _table(FACT_HEADERS)
        header = self.fact_table.horizontalHeader()
        for column in range(2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        _narrow_document_column(self.fact_table, 2)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.fact_table.cellActivated.connect(lambda row, _c: self.activate_fact(row))
        self.fact_table.cellDoubleClicked.connect(lambda row, _c: self.activate_fact(row))

        mentions_box = QWidget()
        box = QVBoxLayout(mentions_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.mentions_title)
        box.addWidget(self.mention_table)
        facts_box = QWidget()
        box = QVBoxLayout(facts_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.facts_title)
        box.addWidget(self.fact_table)
        for table in (self.mention_table, self.fact_table):  # never a bare header
            rows = table.verticalHeader().defaultSectionSize() * 4
            table.setMinimumHeight(table.horizontalHeader().sizeHint().height() + rows)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(mentions_box)
        self.splitter.addWidget(facts_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.info = QWidget()  # name, buttons and details: above the tables, or beside
        info = QVBoxLayout(self.info)
        info.setContentsMargins(0, 0, 0, 0)
        info.addWidget(self.name_edit)
        info.addLayout(buttons)
        info.addLayout(form)
        info.addStretch(1)
        self._layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._layout.addWidget(self.info)
        self._layout.addWidget(self.splitter, 1)
        self.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A wide, low page (the bottom tabs) puts the details beside the tables and the
        tables side by side, so the mentions keep their rows; a tall one stacks them."""
        size = event.size()
        wide = size.width() >= WIDE_PAGE and size.width() >= 2 * size.height()
        if wide:
            self._layout.setDirection(QBoxLayout.Direction.LeftToRight)
            self.info.setFixedWidth(max(260, size.width() // 4))
            self.splitter.setOrientation(Qt.Orientation.Horizontal)
        else:
            self._layout.setDirection(QBoxLayout.Direction.TopToBottom)
            self.info.setMinimumWidth(0)
            self.info.setMaximumWidth(16_777_215)  # Qt's QWIDGETSIZE_MAX
            self.splitter.setOrientation(Qt.Orientation.Vertical)
        super().resizeEvent(event)

    def is_wide(self) -> bool:
        """Whether the details sit beside the tables (see resizeEvent)."""
        return self._layout.direction() == QBoxLayout.Direction.LeftToRight

    # -- public ---------------------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        self._background.forget()  # nothing may read the old store after this
        self.store = store
        self.clear()

    def clear(self) -> None:
        self.entity = None
        self.mentions, self.facts = [], []
        self.name_edit.clear()
        self.name_edit.setEnabled(False)
        self.tags_button.setEnabled(False)
        for label in self._info_labels():
            label.clear()
        self.mention_table.setRowCount(0)
        self.fact_table.setRowCount(0)
        self.mentions_title.setText("Mentions")
        self.facts_title.setText("Facts")
        self._update_rename()

    def show_entity(self, entity_id: int) -> None:
        """Show one entity (clears the page if it no longer exists); read in the
        background, `shown` is emitted once it is on the page."""
        store = self.store
        if store is None:
            self.clear()
            self.shown.emit()
            return
        self._background.call(lambda: read_page(store, entity_id), self._show)

    def _show(self, data: PageData | None) -> None:
        if data is None:
            self.clear()
            self.shown.emit()
            return
        entity = self.entity = data.entity
        self.name_edit.setEnabled(True)
        self.name_edit.setText(entity.preferred_name)
        self.kind_label.setText(entity.kind)
        self.aliases_label.setText(", ".join(entity.aliases) or "—")
        self.counts_label.setText(
            f"{entity.mention_count} mention{'s' if entity.mention_count != 1 else ''} in "
            f"{entity.document_count} document{'s' if entity.document_count != 1 else ''}"
        )
        self.note_label.setText(entity.note or "—")
        self.tags_label.setText(", ".join(data.tags) or "—")
        self.tags_button.setEnabled(True)
        self._fill_mentions(data)
        self._fill_facts(data)
        self._update_rename()
        self.shown.emit()

    def _info_labels(self) -> tuple[QLabel, ...]:
        labels = (self.kind_label, self.aliases_label, self.counts_label)
        return (*labels, self.tags_label, self.note_label)

    def refresh(self) -> None:
        """Show the current entity again (after an edit, undo or redo)."""
        if self.entity is not None:
            self.show_entity(self.entity.id)

    def request_rename(self) -> None:
        name = " ".join(self.name_edit.text().split())
        if self.entity is not None and name and name != self.entity.preferred_name:
            self.rename_requested.emit(self.entity.id, name)

    def activate_mention(self, row: int) -> None:
        if 0 <= row < len(self.mentions):
            m = self.mentions[row]
            self.mention_activated.emit(m.document_id, m.id)

    def activate_fact(self, row: int) -> None:
        if 0 <= row < len(self.facts):
            self.fact_activated.emit(self.facts[row])

    # -- filling --------------------------------------------------------------------------

    def _fill_mentions(self, data: PageData) -> None:
        mentions = self.mentions = data.mentions
        table = self.mention_table
        table.setUpdatesEnabled(False)
        table.setRowCount(len(mentions))
        bold = QFont(table.font())
        bold.setBold(True)
        right = Qt.AlignmentFlag.AlignRight
        for row, (m, (left, text, after)) in enumerate(zip(mentions, data.contexts, strict=True)):
            source = data.sources.get(m.document_id, str(m.document_id))
            title = (data.titles or {}).get(m.document_id, source)
            tags, note = (data.remarks or {}).get(m.id, ((), None))
            marked = f"{text} ✎" if tags or note else text  # tagged or noted, as in the text
            middle = _item(marked, m.id, Qt.AlignmentFlag.AlignHCenter)
            middle.setFont(bold)
            tip = [f"{m.label} · {m.status} · {m.origin}"]
            tip += [f"Tags: {', '.join(tags)}"] if tags else []
            tip += [f"Note: {note}"] if note else []
            middle.setToolTip("\n".join(tip))
            table.setItem(row, 0, _item(left, m.id, right))
            table.setItem(row, 1, middle)
            table.setItem(row, 2, _item(after, m.id))
            document = _item(title, m.document_id)
            document.setToolTip(f"{title}\n{source}")
            table.setItem(row, 3, document)
        table.setUpdatesEnabled(True)
        documents = len(data.sources)
        self.mentions_title.setText(f"Mentions ({len(mentions)} in {documents} documents)")

    def _fill_facts(self, data: PageData) -> None:
        self.facts = data.facts
        table = self.fact_table
        table.setRowCount(len(self.facts))
        for row, fact in enumerate(self.facts):
            summary = _item(summarize(fact), fact.id)
            summary.setToolTip(describe_arguments(fact))
            table.setItem(row, 0, _item(fact.type, fact.id))
            table.setItem(row, 1, _item(fact.status, fact.id))
            source = data.sources.get(fact.document_id, "")
            document = _item((data.titles or {}).get(fact.document_id, source), fact.id)
            document.setToolTip(f"{document.text()}\n{source}")
            table.setItem(row, 2, document)
            table.setItem(row, 3, summary)
        self.facts_title.setText(f"Facts ({len(self.facts)})")

    def _update_rename(self, *_args: object) -> None:
        name = " ".join(self.name_edit.text().split())
        self.rename_button.setEnabled(
            self.entity is not None and bool(name) and name != self.entity.preferred_name
        )
