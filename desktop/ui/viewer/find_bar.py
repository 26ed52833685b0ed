"""The find bar under the document: find in the shown text, hits marked, F3 / Shift+F3.

Search hits from the document list's search are marked the same way: the window hands
the search words to find_words() when a searched document is shown.
"""

from __future__ import annotations

import re
import unicodedata

from PySide6 import QtCore, QtGui, QtWidgets

from desktop.core.folding import fold, fold_with_offsets
from desktop.ui.viewer.document_view import DocumentView

HIT_COLOR = "#ffe066"
CURRENT_COLOR = "#ff9f1c"


def query_words(query: str) -> list[str]:
    """The words and "quoted phrases" of a search query, without operators or stars."""
    phrases = re.findall(r'"([^"]+)"', query)
    rest = re.sub(r'"[^"]*"', " ", query)
    words = [w.strip("*") for w in rest.split() if w.upper() not in ("AND", "OR", "NOT")]
    return [p for p in phrases if p.strip()] + [w for w in words if w]


class FindBar(QtWidgets.QWidget):
    """A line edit with next/previous and a hit count, working on one DocumentView.

    Signals: closed() — the bar was hidden with Escape or its close button.
    """

    closed = QtCore.Signal()

    def __init__(self, view: DocumentView, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setObjectName("find_bar")
        self.edit = QtWidgets.QLineEdit(
            placeholderText="Find in document…", clearButtonEnabled=True
        )
        self.count = QtWidgets.QLabel("")
        previous = QtWidgets.QToolButton(text="▲", toolTip="Previous hit (Shift+F3)")
        following = QtWidgets.QToolButton(text="▼", toolTip="Next hit (F3, Enter)")
        close = QtWidgets.QToolButton(text="✕", toolTip="Close (Esc)")
        previous.clicked.connect(lambda: self.step(False))
        following.clicked.connect(lambda: self.step(True))
        close.clicked.connect(self.close_bar)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(QtWidgets.QLabel("Find:"))
        row.addWidget(self.edit, 1)
        row.addWidget(previous)
        row.addWidget(following)
        row.addWidget(self.count)
        row.addWidget(close)
        self.hits: list[tuple[int, int]] = []  # Qt positions
        self._folded: tuple[str, str, list[int]] | None = None  # text, folded, offsets
        self.current = -1
        self._words: list[str] = []
        self.edit.textChanged.connect(lambda text: self.find_words([text] if text else []))
        self.edit.returnPressed.connect(lambda: self.step(True))
        self.hide()

    def open_bar(self) -> None:
        """Show the bar with the focus in its field, the text selected."""
        self.show()
        self.edit.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def close_bar(self) -> None:
        """Hide the bar and its marks; the focus goes back to the text."""
        self.hide()
        self.find_words([])
        self.view.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        self.closed.emit()

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() == QtCore.Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)

    def find_words(self, words: list[str]) -> int:
        """Mark every occurrence of the words in the shown text, folding case, diacritics
        and Đ as the corpus search does ("da nang" marks "Đà Nẵng"); the count."""
        self._words = [w for w in words if w.strip()]
        record = self.view.document_record()
        self.hits = []
        self.current = -1
        folded_words = [f for f in (fold(w) for w in self._words) if f]
        if record is not None and folded_words:
            text = record.text
            if self._folded is None or self._folded[0] is not text:
                self._folded = (text, *fold_with_offsets(text))
            _text, folded, where = self._folded
            pattern = re.compile("|".join(re.escape(w) for w in folded_words))
            offsets = self.view.offsets()
            self.hits = [
                (offsets.to_qt(start), offsets.to_qt(end))
                for m in pattern.finditer(folded)
                if m.end() > m.start()
                for start, end in [original_span(text, where, m.start(), m.end())]
            ]
        self._mark()
        return len(self.hits)

    def refresh(self) -> None:
        """Find the same words again (another document is shown)."""
        self.find_words(self._words)

    def step(self, forward: bool) -> bool:
        """Select the next (previous) hit after (before) the cursor, wrapping; False: none."""
        if not self.hits:
            self._mark()
            return False
        cursor = self.view.textCursor()
        here = cursor.selectionEnd() if forward else cursor.selectionStart()
        starts = [s for s, _e in self.hits]
        if forward:
            after = [i for i, s in enumerate(starts) if s >= here]
            index = after[0] if after else 0
        else:
            before = [i for i, s in enumerate(starts) if s < here]
            index = before[-1] if before else len(starts) - 1
        self.current = index
        start, end = self.hits[index]
        select = QtGui.QTextCursor(self.view.document())
        select.setPosition(start)
        select.setPosition(end, QtGui.QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(select)
        self.view.ensureCursorVisible()
        self._mark()
        return True

    def _mark(self) -> None:
        marks = []
        for index, (start, end) in enumerate(self.hits):
            selection = QtWidgets.QTextEdit.ExtraSelection()
            cursor = QtGui.QTextCursor(self.view.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QtGui.QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor  # type: ignore[attr-defined]
            fmt = QtGui.QTextCharFormat()
            fmt.setBackground(QtGui.QColor(CURRENT_COLOR if index == self.current else HIT_COLOR))
            selection.format = fmt  # type: ignore[attr-defined]
            marks.append(selection)
        self.view.setExtraSelections(marks)
        if not self._words:
            self.count.setText("")
        elif not self.hits:
            self.count.setText("no hits")
        elif self.current >= 0:
            self.count.setText(f"{self.current + 1} of {len(self.hits)}")
        else:
            self.count.setText(f"{len(self.hits)} hits")


def original_span(text: str, where: list[int], start: int, end: int) -> tuple[int, int]:
    """The span of `text` that folded to folded[start:end] (`where`: the offset in `text`
    of each folded character), with the combining marks after its last letter."""
    first, last = where[start], where[end - 1] + 1
    while last < len(text) and unicodedata.combining(text[last]):
        last += 1
    return first, last
