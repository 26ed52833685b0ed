"""A read-only text view that draws a document's zones and mention highlights."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6 import QtCore, QtGui, QtWidgets

from desktop.core import tokens
from desktop.core.records import DocumentRecord, MentionRecord
from desktop.ui.viewer import chips, geometry, page_marks, painting, styles, zone_formats
from desktop.ui.viewer.mention_index import MentionIndex, in_reading_order
from desktop.ui.viewer.offsets import OffsetMap

MIN_POINT_SIZE = 6.0
MAX_POINT_SIZE = 40.0
ZOOM_STEP = 1.0
Flag = QtCore.Qt.TextInteractionFlag


class HighlightView(QtWidgets.QPlainTextEdit):
    """Shows a document's text with zone formats and mention highlights; no interaction.

    Offsets in and out are code points of the document text.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QtWidgets.QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QtGui.QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setTextInteractionFlags(Flag.TextSelectableByMouse | Flag.TextSelectableByKeyboard)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.document().setDocumentMargin(12)
        app_size = QtWidgets.QApplication.font().pointSizeF()
        self._default_point_size = round((app_size if app_size > 0 else 10.0) * 1.2)
        self._record: DocumentRecord | None = None
        self._pages: list[tuple[int, int]] = []  # (page number, Qt position) after the first
        self._labels: dict[str, styles.LabelStyle] = {}
        self._chips_on = True
        self._chip_metrics: chips.ChipMetrics | None = None
        self._remarks: dict[int, tuple[tuple[str, ...], str | None]] = {}
        self._reset_annotations()
        self._set_font_size(self._default_point_size)

    def _reset_annotations(self) -> None:
        self._offsets = OffsetMap(self._record.text if self._record else "")
        self._tokens: list[tokens.Span] | None = None
        self._index = MentionIndex((), self._offsets)
        self._selected: int | None = None
        self._entity: frozenset[int] = frozenset()
        self._evidence: tuple[int, int] | None = None  # Qt positions of the shown evidence
        self._gaps: dict[int, float] = {}  # widened characters (Qt positions) and their room
        self._slots: dict[int, chips.Slot] = {}
        self._block_starts: frozenset[int] | None = None  # read once the text is set

    def set_document(
        self,
        record: DocumentRecord,
        mentions: Iterable[MentionRecord],
        labels: dict[str, styles.LabelStyle],
    ) -> None:
        """Show `record` with `mentions`, coloured by `labels`; scrolls to the top."""
        self._record = record
        self._labels = dict(labels)
        self._remarks = {}
        self._reset_annotations()
        self.setPlainText(record.text)
        self._pages = page_marks.page_positions(record, self._offsets)
        self._apply_zones()
        self.set_mentions(mentions)

    def set_mentions(self, mentions: Iterable[MentionRecord]) -> None:
        """Replace the highlights only: scroll position and the selected mention stay.

        The selection is dropped (without a signal) when its mention is gone.
        """
        self._index = MentionIndex(mentions, self._offsets)
        self._mentions_replaced()

    def update_mentions(
        self, changed: Iterable[MentionRecord], removed: Iterable[int] = ()
    ) -> None:
        """Change some highlights in place: scroll position and the selected mention stay.

        `changed` mentions replace those with their ids (or are added), `removed` ids go. The
        view then shows what set_mentions() with the whole new list would show, but only the
        nesting around the change is worked out again.
        """
        records = list(changed)
        gone = {*removed, *(record.id for record in records)}
        before = [self._slots[i].key for i in gone if i in self._slots]
        self._index.patch(records, removed, self._offsets)
        self._mentions_replaced(gone, before)

    def _mentions_replaced(self, gone: set[int] | None = None, keys: Iterable[int] = ()) -> None:
        """After the mentions changed: all of them, or only those with ids `gone` (whose
        chips sat at the gap characters `keys`)."""
        if self._selected not in self._index:
            self._selected = None
        self._entity = frozenset(i for i in self._entity if i in self._index)
        full = gone is None or not self._chips_on or self._record is None
        if full or self._chip_metrics is None or self._block_starts is None:
            self._layout_chips()
        else:
            self._relayout_chips(gone or set(), keys)
        self.viewport().update()

    # -- label chips ---------------------------------------------------------------------

    def chips_shown(self) -> bool:
        """Whether spans carry a chip with their label."""
        return self._chips_on

    def set_chips_shown(self, on: bool) -> None:
        """Show or hide the label chips (the text makes room for them or closes up)."""
        self._chips_on = bool(on)
        self._layout_chips()
        self.viewport().update()

    def chip_slots(self) -> dict[int, chips.Slot]:
        """Where each mention's chip sits (empty when chips are off)."""
        return dict(self._slots)

    def _layout_chips(self) -> None:
        if self._chips_on and self._record is not None:
            if self._chip_metrics is None:
                self._chip_metrics = chips.ChipMetrics(self.font())
            if self._block_starts is None:
                self._block_starts = block_starts(self.document())
            gaps, slots = chips.layout(
                self._index.ordered, self._block_starts.__contains__, self._chip_metrics.width
            )
        else:
            gaps, slots = {}, {}
        chips.apply_gaps(self.document(), self._gaps, gaps)
        self._gaps, self._slots = gaps, slots

    def _relayout_chips(self, gone: set[int], keys: Iterable[int]) -> None:
        """The chips of a few changed mentions, and of those sharing their gaps."""
        assert self._chip_metrics is not None and self._block_starts is not None
        opens = self._block_starts.__contains__
        by_id = self._index.by_id
        now = (chips.gap_key(by_id[i], opens) for i in gone if i in by_id)
        keys = [*keys, *(k for k in now if k is not None)]
        gaps, slots = chips.relayout(
            self._gaps,
            self._slots,
            keys,
            gone,
            lambda key: in_reading_order(self._index.overlapping(key, key + 2)),
            opens,
            self._chip_metrics.width,
        )
        chips.apply_gaps(self.document(), self._gaps, gaps, keys)
        self._gaps, self._slots = gaps, slots

    def set_remarks(self, remarks: dict[int, tuple[tuple[str, ...], str | None]]) -> None:
        """Tags and notes of the shown mentions (by id): marked in the text, in tooltips."""
        self._remarks = {k: v for k, v in remarks.items() if v[0] or v[1]}
        self.viewport().update()

    def remarks(self, mention_id: int) -> tuple[tuple[str, ...], str | None]:
        """A mention's tags and note, as set_remarks() gave them."""
        return self._remarks.get(mention_id, ((), None))

    def clear(self) -> None:
        """Show nothing."""
        self._record = None
        self._pages = []
        self._remarks = {}
        self._reset_annotations()
        super().clear()

    def offsets(self) -> OffsetMap:
        """The map between code points of the text and Qt positions."""
        return self._offsets

    def document_record(self) -> DocumentRecord | None:
        """The document shown, if any."""
        return self._record

    def _apply_zones(self) -> None:
        if self._record is not None:
            size = self.font().pointSizeF()
            zone_formats.apply_zones(self.document(), self._record.zones, self._offsets, size)

    def selected_mention(self) -> int | None:
        """The id of the selected mention."""
        return self._selected

    def select_mention(self, mention_id: int | None) -> bool:
        """Select a mention, move the text cursor to its start and scroll there (no signal).

        Returns False (and selects nothing) when the mention is not shown.
        """
        if mention_id is None or mention_id not in self._index:
            self._selected = None
            self.viewport().update()
            return False
        self._selected = mention_id
        cursor = QtGui.QTextCursor(self.document())
        cursor.setPosition(self._index.by_id[mention_id].start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.viewport().update()
        return True

    def mention_cursor(self, mention_id: int) -> QtGui.QTextCursor | None:
        """A text cursor selecting exactly the characters highlighted for a mention."""
        placed = self._index.by_id.get(mention_id)
        if placed is None:
            return None
        cursor = QtGui.QTextCursor(self.document())
        cursor.setPosition(placed.start)
        cursor.setPosition(placed.end, QtGui.QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def highlight_entity(self, mention_ids: Iterable[int]) -> None:
        """Draw a thick border around these mentions (an empty list clears it)."""
        self._entity = frozenset(i for i in mention_ids if i in self._index)
        self.viewport().update()

    def show_evidence(self, start: int | None, end: int | None = None) -> None:
        """Shade a code point span as a fact's evidence and scroll to it (None clears it).

        The evidence is drawn, not selected: the text selection and the selected mention
        are dropped, so a label key afterwards has nothing to act on until the analyst
        picks some text or an annotation.
        """
        if start is None or end is None or end <= start or self._record is None:
            self._evidence = None
            self.viewport().update()
            return
        qt_start, qt_end = self._offsets.to_qt(start), self._offsets.to_qt(end)
        self._evidence = (qt_start, qt_end)
        self._selected = None
        cursor = QtGui.QTextCursor(self.document())
        cursor.setPosition(qt_end)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        cursor.setPosition(qt_start)
        self.setTextCursor(cursor)  # the start wins when the sentence is taller than the view
        self.ensureCursorVisible()
        self.viewport().update()

    def evidence_span(self) -> tuple[int, int] | None:
        """The code point span shown as evidence, if any."""
        if self._evidence is None:
            return None
        return self._offsets.span_from_qt(*self._evidence)

    def evidence_rects(self) -> list[QtCore.QRectF]:
        """The evidence's rectangles in the viewport (one a line), of its visible part."""
        if self._evidence is None:
            return []
        first, last = geometry.visible_range(self)
        start, end = self._evidence
        return geometry.line_rects(self, max(start, first), min(end, last))

    # -- zoom ----------------------------------------------------------------------------

    def zoom_in(self) -> None:
        """Larger text."""
        self._set_font_size(self.font().pointSizeF() + ZOOM_STEP)

    def zoom_out(self) -> None:
        """Smaller text."""
        self._set_font_size(self.font().pointSizeF() - ZOOM_STEP)

    def reset_zoom(self) -> None:
        """The default text size."""
        self._set_font_size(self._default_point_size)

    def _set_font_size(self, size: float) -> None:
        font = self.font()
        font.setPointSizeF(min(max(size, MIN_POINT_SIZE), MAX_POINT_SIZE))
        self.setFont(font)
        self._apply_zones()
        self._chip_metrics = None
        if self._record is not None:
            self._layout_chips()

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        highlights = self._visible_highlights()
        painter = QtGui.QPainter(self.viewport())
        painting.paint_evidence(painter, self.evidence_rects())
        painting.paint_fills(painter, highlights, self._selected)
        painter.end()
        super().paintEvent(event)
        painter = QtGui.QPainter(self.viewport())
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painting.paint_rejected(painter, highlights, self.palette().base().color())
        painting.paint_lines(painter, highlights)
        painting.paint_outlines(painter, highlights, self._selected, self._entity)
        self._paint_chips(painter, highlights)
        page_marks.paint_page_marks(painter, self, self.page_mark_lines())
        painter.end()

    def page_mark_lines(self) -> list[tuple[int, float]]:
        """(page number, viewport y) of the page marks in view (PDF and Word documents)."""
        return page_marks.mark_lines(self, self._pages)

    def _paint_chips(self, painter: QtGui.QPainter, highlights: list[painting.Highlight]) -> None:
        for item in highlights:
            if item.placed.id in self._remarks and item.rects:
                chips.paint_mark(painter, item.rects[-1])
        metrics = self._chip_metrics
        if not self._slots or metrics is None:
            return
        for item in highlights:
            slot = self._slots.get(item.placed.id)
            if slot is None:
                continue
            gap_rects = geometry.line_rects(self, slot.key, slot.key + 1)
            if not gap_rects:
                continue
            record = item.placed.record
            rejected = record.status == styles.REJECTED
            gap = self._gaps.get(slot.key, 0.0)
            chips.paint_chip(
                painter, metrics, gap_rects[-1], gap, slot, record.label, item.color, rejected
            )

    def _visible_highlights(self) -> list[painting.Highlight]:
        first, last = geometry.visible_range(self)
        return [
            painting.Highlight(
                placed,
                styles.style_for(self._labels, placed.record.label).color,
                geometry.line_rects(self, max(placed.start, first), min(placed.end, last)),
            )
            for placed in self._index.overlapping(first, last)
        ]


def block_starts(document: QtGui.QTextDocument) -> frozenset[int]:
    """The Qt positions where the document's paragraphs start (the text never changes
    while it is shown, so these are read once instead of a lookup per chip)."""
    starts = []
    block = document.begin()
    while block.isValid():
        starts.append(block.position())
        block = block.next()
    return frozenset(starts)
