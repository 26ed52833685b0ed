"""The document view: highlights plus clicks, tooltips, context menu, zoom keys, selection."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from desktop.core import tokens
from desktop.ui.viewer import geometry, keys, styles, tooltips
from desktop.ui.viewer.highlight_view import HighlightView
from desktop.ui.viewer.mention_index import PlacedMention


class DocumentView(HighlightView):
    """A read-only document with its mentions as clickable objects.

    Offsets in and out are code points of the document text. Label hotkeys, Del, A, X
    and Tab are left to the main window's shortcuts; the view keeps Ctrl+Plus,
    Ctrl+Minus, Ctrl+0 (zoom), cursor keys and Ctrl+C.

    Signals:
        mention_selected(int): a click picked a mention (its id) or hit none (-1).
        selection_changed(): the text selection changed.
        context_menu_requested(QPoint, int): global position and the mention id there, or -1.
    """

    mention_selected = QtCore.Signal(int)
    selection_changed = QtCore.Signal()
    context_menu_requested = QtCore.Signal(QtCore.QPoint, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._snap_to_tokens = True
        self._press_pos: QtCore.QPoint | None = None
        self.selectionChanged.connect(self.selection_changed)

    # -- mentions ------------------------------------------------------------------------

    def next_mention(self, status: str | None = None, forward: bool = True) -> int | None:
        """Id of the next (previous) mention after the selected one or the cursor, wrapping.

        Reading order: by start, a container before the mentions inside it. Only mentions
        of `status` count when it is given. The selection does not move.
        """
        position = self.textCursor().position()
        return self._index.step(self._selected, position, status, forward)

    def mentions_at(self, point: QtCore.QPoint) -> list[int]:
        """Ids of the mentions under a viewport point, innermost first."""
        return [placed.id for placed in self._placed_at(point)]

    def _placed_at(self, point: QtCore.QPoint) -> list[PlacedMention]:
        position = self.cursorForPosition(point).position()
        first, last = geometry.visible_range(self)
        where = QtCore.QPointF(point)
        return [
            placed
            for placed in self._index.around(position)
            if geometry.contains(
                geometry.line_rects(self, max(placed.start, first), min(placed.end, last)), where
            )
        ]

    def _pick(self, point: QtCore.QPoint, cycle: bool) -> int:
        """Select the innermost mention at `point` (the next one out when cycling)."""
        hits = self.mentions_at(point)
        if not hits:
            self._selected = None
        elif self._selected in hits:
            if cycle:
                self._selected = hits[(hits.index(self._selected) + 1) % len(hits)]
        else:
            self._selected = hits[0]
        self.viewport().update()
        return -1 if self._selected is None else self._selected

    def tooltip_texts(self, point: QtCore.QPoint) -> list[str]:
        """Plain tooltip texts of the mentions under a viewport point, innermost first."""
        texts = []
        for mention_id in self.mentions_at(point):
            record = self._index.by_id[mention_id].record
            tags, note = self.remarks(mention_id)
            style = styles.style_for(self._labels, record.label)
            texts.append(tooltips.mention_tooltip(record, style, tags, note))
        return texts

    # -- text selection ------------------------------------------------------------------

    @property
    def snap_to_tokens(self) -> bool:
        """Whether selection_span() expands the selection to whole tokens."""
        return self._snap_to_tokens

    @snap_to_tokens.setter
    def snap_to_tokens(self, value: bool) -> None:
        self._snap_to_tokens = bool(value)

    def token_spans(self) -> list[tokens.Span]:
        """Token spans of the text (computed once per document)."""
        if self._tokens is None:
            self._tokens = tokens.token_spans(self._record.text if self._record else "")
        return self._tokens

    def selection_span(self) -> tuple[int, int] | None:
        """The selected text as a code point span (snapped if snap_to_tokens), or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self._offsets.span_from_qt(cursor.selectionStart(), cursor.selectionEnd())
        if self._snap_to_tokens:
            return tokens.snap(self.token_spans(), start, end)
        return (start, end) if start < end else None

    def select_span(self, start: int, end: int) -> None:
        """Select a code point span of the text and scroll to it."""
        cursor = QtGui.QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_qt(start))
        cursor.setPosition(self._offsets.to_qt(end), QtGui.QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # -- Qt overrides --------------------------------------------------------------------

    def event(self, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.ShortcutOverride:
            assert isinstance(event, QtGui.QKeyEvent)
            if keys.zoom_action(event) is not None:
                event.accept()  # ours even if the window has a shortcut on the same keys
                return True
            if keys.belongs_to_window(event):
                event.ignore()
                return False
        return super().event(event)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        action = keys.zoom_action(event)
        if action == keys.ZOOM_IN:
            self.zoom_in()
        elif action == keys.ZOOM_OUT:
            self.zoom_out()
        elif action == keys.ZOOM_RESET:
            self.reset_zoom()
        elif keys.belongs_to_window(event):
            event.ignore()
            return
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def wheelEvent(self, event: QtGui.QWheelEvent) -> None:
        if not event.modifiers() & QtCore.Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            return
        delta = event.angleDelta().y()
        if delta:
            (self.zoom_in if delta > 0 else self.zoom_out)()
        event.accept()

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        left = event.button() == QtCore.Qt.MouseButton.LeftButton
        self._press_pos = event.position().toPoint() if left else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pressed, self._press_pos = self._press_pos, None
        point = event.position().toPoint()
        distance = QtWidgets.QApplication.startDragDistance()
        if pressed is not None and (point - pressed).manhattanLength() < distance:
            self.mention_selected.emit(self._pick(point, cycle=True))

    def contextMenuEvent(self, event: QtGui.QContextMenuEvent) -> None:
        if event.reason() == QtGui.QContextMenuEvent.Reason.Mouse:
            previous = self._selected
            mention = self._pick(event.pos(), cycle=False)
            if mention != (-1 if previous is None else previous):
                self.mention_selected.emit(mention)
            global_pos = event.globalPos()
        else:
            mention = -1 if self._selected is None else self._selected
            global_pos = self.viewport().mapToGlobal(self.cursorRect().center())
        self.context_menu_requested.emit(global_pos, mention)
        event.accept()

    def viewportEvent(self, event: QtCore.QEvent) -> bool:
        if event.type() != QtCore.QEvent.Type.ToolTip:
            return super().viewportEvent(event)
        assert isinstance(event, QtGui.QHelpEvent)
        texts = self.tooltip_texts(event.pos())
        if texts:
            QtWidgets.QToolTip.showText(event.globalPos(), tooltips.tooltip_html(texts), self)
        else:
            QtWidgets.QToolTip.hideText()
            event.ignore()
        return True
