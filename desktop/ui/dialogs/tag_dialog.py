"""Tags and a note for one document or mention; the caller applies the result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desktop.core.store.tags import clean_tags

if TYPE_CHECKING:
    from desktop.core.store import Store


def elide(text: str, limit: int = 32) -> str:
    """`text` cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_tags(text: str) -> list[str]:
    """Comma-separated tags, cleaned (trimmed, no empties, no duplicates)."""
    return clean_tags(text.split(","))


class TagLineEdit(QLineEdit):
    """A comma-separated tag field whose completer completes the item at the cursor.

    Signals: QLineEdit's.
    """

    def __init__(self, known: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._known = known
        self._model = QStringListModel(self)
        self.tag_completer = QCompleter(self._model, self)
        self.tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag_completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.tag_completer.setWidget(self)
        self.tag_completer.activated.connect(self.insert_completion)  # the str overload
        self.textEdited.connect(self._complete)

    def current_item(self) -> tuple[int, int]:
        """The span (start, end) of the comma-separated item at the cursor, trimmed."""
        text, cursor = self.text(), self.cursorPosition()
        start = text.rfind(",", 0, cursor) + 1
        end = text.find(",", cursor)
        end = len(text) if end < 0 else end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def insert_completion(self, tag: str) -> None:
        """Replace the item at the cursor with `tag` and start the next item."""
        text = self.text()
        start, end = self.current_item()
        rest = text[end:].lstrip().removeprefix(",").lstrip()
        head = text[:start] + tag + ", "
        self.setText(head + rest)
        self.setCursorPosition(len(head))

    def _complete(self, _text: str) -> None:
        start = self.current_item()[0]
        prefix = self.text()[start : self.cursorPosition()]
        entered = {t.casefold() for t in split_tags(self.text())} - {prefix.casefold()}
        self._model.setStringList([t for t in self._known if t.casefold() not in entered])
        self.tag_completer.setCompletionPrefix(prefix)
        popup = self.tag_completer.popup()
        if popup is None:
            return
        if not prefix.strip() or self.tag_completer.completionCount() == 0:
            popup.hide()
            return
        popup.setCurrentIndex(self.tag_completer.completionModel().index(0, 0))
        self.tag_completer.complete()


class TagDialog(QDialog):
    """Edit the tags and the note of a document or a mention; read the results after OK.

    Signals: only QDialog's (accepted, rejected, finished).
    """

    def __init__(
        self,
        subject: str,
        tags: list[str],
        note: str | None,
        known_tags: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Tags and note — {subject}")
        self._tags, self._note = list(tags), note or None
        self.tags_edit = TagLineEdit(known_tags, self)
        self.tags_edit.setText(", ".join(tags))
        self.tags_edit.setPlaceholderText("Comma-separated, e.g. verified, trade")
        self.note_edit = QPlainTextEdit(note or "", self)
        self.note_edit.setPlaceholderText("A note for yourself and other analysts")
        self.note_edit.setTabChangesFocus(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setToolTip("Ctrl+Enter")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.accept)
        form = QFormLayout(self)
        form.addRow("&Tags", self.tags_edit)
        form.addRow("&Note", self.note_edit)
        form.addRow(buttons)
        self.resize(440, 260)

    @classmethod
    def for_document(
        cls, store: Store, document_id: int, parent: QWidget | None = None
    ) -> TagDialog:
        """The dialog for a document, filled from the store."""
        info = store.documents.infos([document_id])[0]
        return cls(
            f"document {elide(info.source)}",
            store.tags.of("document", document_id),
            store.documents.note(document_id),
            store.tags.names(),
            parent,
        )

    @classmethod
    def for_mention(cls, store: Store, mention_id: int, parent: QWidget | None = None) -> TagDialog:
        """The dialog for a mention, filled from the store."""
        mention = store.mentions.get(mention_id)
        if mention is None:
            raise KeyError(f"no mention {mention_id}")
        return cls(
            f"mention '{elide(mention.text)}' ({mention.label})",
            store.tags.of("mention", mention_id),
            store.mentions.note(mention_id),
            store.tags.names(),
            parent,
        )

    def result_tags(self) -> list[str]:
        """The tags typed, cleaned: trimmed, no empties, no duplicates."""
        return split_tags(self.tags_edit.text())

    def result_note(self) -> str | None:
        """The note, or None when it is empty."""
        return self.note_edit.toPlainText().strip() or None

    def tags_changed(self) -> bool:
        """Whether the tags differ from those the dialog opened with."""
        return sorted(self.result_tags()) != sorted(self._tags)

    def note_changed(self) -> bool:
        """Whether the note differs from the one the dialog opened with."""
        return self.result_note() != ((self._note or "").strip() or None)
