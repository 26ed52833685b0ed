"""Edit one place of an adjudication: tick the spans to keep, add a span from a selection."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.agreement.layers import Span

SpanKey = tuple[int, int, str]


class PlaceEditor(QDialog):
    """The spans both sides hold at a place, as a checklist (ours ticked), and the
    sentence, where a selection can be added as a span of a label."""

    def __init__(
        self,
        text: str,
        window: tuple[int, int],
        ours: Sequence[Span],
        theirs: Sequence[Span],
        labels: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit the spans of this place")
        self.text = text
        self.low = window[0]
        self.sentence = QPlainTextEdit(text[window[0] : window[1]])
        self.sentence.setReadOnly(True)
        self.sentence.setMaximumHeight(110)
        self.spans = QListWidget()
        keep = {tuple(s) for s in ours}
        for s in sorted({tuple(s) for s in (*ours, *theirs)}):
            self._add_item(s, s in keep)  # type: ignore[arg-type]
        self.label = QComboBox()
        self.label.addItems(list(labels))
        add = QPushButton("Add the selected words as")
        add.clicked.connect(self.add_selection)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(self.label, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Select words in the sentence to add a span:"))
        layout.addWidget(self.sentence)
        layout.addLayout(row)
        layout.addWidget(QLabel("Spans the project keeps here (ticked):"))
        layout.addWidget(self.spans, 1)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def _add_item(self, key: SpanKey, checked: bool) -> None:
        start, end, label = key
        item = QListWidgetItem(f"{label}  “{self.text[start:end]}”  {start}–{end}")
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.spans.addItem(item)

    def select(self, start: int, end: int) -> None:
        """Select document offsets [start, end) in the sentence."""
        cursor = self.sentence.textCursor()
        cursor.setPosition(start - self.low)
        cursor.setPosition(end - self.low, QTextCursor.MoveMode.KeepAnchor)
        self.sentence.setTextCursor(cursor)

    def add_selection(self) -> SpanKey | None:
        """Add the selected words (edges trimmed of spaces) as a ticked span."""
        cursor = self.sentence.textCursor()
        start, end = self.low + cursor.selectionStart(), self.low + cursor.selectionEnd()
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start >= end or not self.label.currentText():
            return None
        key = (start, end, self.label.currentText())
        self._add_item(key, True)
        return key

    def chosen(self) -> list[SpanKey]:
        """The ticked spans."""
        return sorted(
            {
                tuple(self.spans.item(i).data(Qt.ItemDataRole.UserRole))  # type: ignore[misc]
                for i in range(self.spans.count())
                if self.spans.item(i).checkState() == Qt.CheckState.Checked
            }
        )
