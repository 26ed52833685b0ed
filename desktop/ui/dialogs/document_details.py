"""Edit a document's title, publication date and source; the caller applies the result."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.core.store.document_edits import DetailsError, check_published


class DocumentDetailsDialog(QDialog):
    """Title, publication date (YYYY-MM-DD, YYYY-MM or YYYY; empty: unknown) and source.

    OK keeps the dialog open with the reason shown while a field is not valid."""

    def __init__(
        self, title: str | None, published: str | None, source: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit document details")
        self.title_edit = QLineEdit(title or "")
        self.date_edit = QLineEdit(published or "", placeholderText="YYYY-MM-DD (empty: unknown)")
        self.date_edit.setToolTip(
            "Dates written without a year or relative to it ('June 4', 'yesterday') are read"
            " against this date; changing it reads them again"
        )
        self.source_edit = QLineEdit(source)
        self.problem = QLabel()
        self.problem.setObjectName("details_problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Title:", self.title_edit)
        form.addRow("Publication &date:", self.date_edit)
        form.addRow("&Source:", self.source_edit)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.resize(460, self.sizeHint().height())

    def accept(self) -> None:
        try:
            check_published(self.date_edit.text())
            if not self.source_edit.text().strip():
                raise DetailsError("source: a document needs a source name")
        except DetailsError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        super().accept()

    def result_details(self) -> tuple[str | None, str | None, str]:
        """(title, publication date, source) as entered."""
        return (
            self.title_edit.text().strip() or None,
            self.date_edit.text().strip() or None,
            self.source_edit.text().strip(),
        )
