"""Names the project knows: the names extraction finds in every document and the rejections
it remembers, to look through, take out or add to.

The lists are read off the GUI thread (they count every mention); each edit is one store
change the window pushes on its undo stack (`edit` is called with a function of the store
that returns the Change and the step's name), after which the lists are read again. The
dialog's own Undo and Redo act on the window's stack, so an edit is undone here too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.entities.keys import kind_of
from desktop.core.ingest.zones import ZONE_KINDS
from desktop.core.learning.listing import (
    ANY_ZONE,
    ForgottenRow,
    Listing,
    NameRow,
    RejectionRow,
    read_listing,
)
from desktop.core.store import Store
from desktop.core.store.changes import Change
from desktop.ui.background import BackgroundCall
from desktop.ui.models.known_names import (
    FORGOTTEN_COLUMNS,
    NAME_COLUMNS,
    REJECTION_COLUMNS,
    RowsModel,
)

Edit = Callable[[Callable[[Store], Change], str], bool]
NAMES, REJECTIONS, FORGOTTEN = range(3)
TITLES = ("Names", "Rejections", "Taken out")
MAX_COLUMN = 190  # pixels: a long name is elided (its tooltip has it whole)
INTRO = (
    "Extraction finds these names in every new document (and when you extract again), "
    "linked to their entity, and does not propose the rejected spans again in the same "
    "kind of zone. They come from your decisions; remove one here to stop it."
)


class AddEntryDialog(QDialog):
    """Asks for a name (or a rejection): text, label and, for a rejection, the zone kind."""

    def __init__(self, kind: str, labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setWindowTitle("Add a name" if kind == "name" else "Add a rejection")
        self.text = QLineEdit()
        self.text.setPlaceholderText("as written, e.g. Lanexang Agro")
        self.label = QComboBox()
        for name in labels:
            if kind == "rejection" or kind_of(name) is not None:
                self.label.addItem(name)
        self.zone = QComboBox()
        self.zone.addItem(ANY_ZONE, None)
        for zone in ZONE_KINDS:
            self.zone.addItem(zone, zone)
        self.zone.addItem("outside zones", "text")
        form = QFormLayout(self)
        form.addRow("&Text", self.text)
        form.addRow("&Label", self.label)
        if kind == "rejection":
            form.addRow("&Where", self.zone)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.text.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def entry(self) -> tuple[str, str, str | None]:
        """(text, label, zone kind or None)."""
        return self.text.text().strip(), self.label.currentText(), self.zone.currentData()


class KnownNamesDialog(QDialog):
    """The project's known names, remembered rejections and forgotten entries.

    Signals: loaded() — the lists show a fresh read.
    """

    loaded = Signal()

    def __init__(self, store: Store, stack: QUndoStack, edit: Edit, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("known_names")
        self.setWindowTitle("Names the project knows")
        self.store = store
        self.stack = stack
        self._edit = edit
        self.listing: Listing | None = None
        self._reading = BackgroundCall(self)
        self._reading.failed.connect(self._failed)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.filter = QLineEdit(placeholderText="Filter…", clearButtonEnabled=True)
        self.tabs = QTabWidget()
        columns = (NAME_COLUMNS, REJECTION_COLUMNS, FORGOTTEN_COLUMNS)
        self.models = [RowsModel(c, self) for c in columns]
        self.views: list[QTableView] = []
        for model, title in zip(self.models, TITLES, strict=True):
            proxy = QSortFilterProxyModel(self)
            proxy.setSourceModel(model)
            proxy.setFilterKeyColumn(-1)
            proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            proxy.setSortRole(Qt.ItemDataRole.DisplayRole)
            view = QTableView()
            view.setModel(proxy)
            view.setSortingEnabled(True)
            view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the listing's own order
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.verticalHeader().hide()
            view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
            view.setWordWrap(False)
            view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
            view.horizontalHeader().setStretchLastSection(True)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            view.selectionModel().selectionChanged.connect(self._update_buttons)
            self.views.append(view)
            self.tabs.addTab(view, title)
        self.add_name = QPushButton("Add &name…")
        self.add_rejection = QPushButton("Add re&jection…")
        self.remove = QPushButton("&Remove")
        self.restore = QPushButton("Remember &again")
        self.undo = QToolButton()
        self.undo.setDefaultAction(stack.createUndoAction(self, "&Undo"))
        self.undo.defaultAction().setShortcut(QKeySequence("Ctrl+Z"))
        self.redo = QToolButton()
        self.redo.setDefaultAction(stack.createRedoAction(self, "Re&do"))
        self.redo.defaultAction().setShortcuts(QKeySequence.listFromString("Ctrl+Shift+Z; Ctrl+Y"))
        self.addActions([self.undo.defaultAction(), self.redo.defaultAction()])
        self.status = QLabel("Reading…")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        row = QHBoxLayout()
        for button in (self.add_name, self.add_rejection, self.remove, self.restore):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.undo)
        row.addWidget(self.redo)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(row)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        layout.addLayout(bottom)

        self.filter.textChanged.connect(self._filter)
        self.tabs.currentChanged.connect(self._update_buttons)
        self.add_name.clicked.connect(lambda: self.ask_add("name"))
        self.add_rejection.clicked.connect(lambda: self.ask_add("rejection"))
        self.remove.clicked.connect(self.remove_selected)
        self.restore.clicked.connect(self.remove_selected)
        stack.indexChanged.connect(self.reload)
        self.resize(900, 520)
        self._update_buttons()
        self.reload()

    # -- reading ---------------------------------------------------------------
    def reload(self, *_args: object) -> None:
        """Read the lists again, off the GUI thread."""
        store = self.store
        self._reading.call(lambda: read_listing(store), self._show)

    def _show(self, listing: Listing) -> None:
        self.listing = listing
        rows = (listing.names, listing.rejections, listing.forgotten)
        for model, view, found in zip(self.models, self.views, rows, strict=True):
            model.set_rows(found)
            view.resizeColumnsToContents()
            for column in range(model.columnCount()):
                view.setColumnWidth(column, min(view.columnWidth(column) + 8, MAX_COLUMN))
        for n, (title, found) in enumerate(zip(TITLES, rows, strict=True)):
            self.tabs.setTabText(n, f"{title} ({len(found)})")
        self.status.setText(
            f"{len(listing.names):,} names, {len(listing.rejections):,} remembered rejections"
        )
        self._update_buttons()
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        self.status.setText(f"Could not read the names: {message}")

    def done(self, result: int) -> None:
        self._reading.forget()
        with contextlib.suppress(RuntimeError, TypeError):  # already gone with the stack
            self.stack.indexChanged.disconnect(self.reload)
        super().done(result)

    # -- selection -------------------------------------------------------------
    def selected(self) -> NameRow | RejectionRow | ForgottenRow | None:
        """The row selected in the shown tab."""
        view = self.views[self.tabs.currentIndex()]
        rows = view.selectionModel().selectedRows()
        if not rows:
            return None
        proxy = view.model()
        source = proxy.mapToSource(rows[0])  # type: ignore[attr-defined]
        return self.models[self.tabs.currentIndex()].row(source.row())

    def select(self, tab: int, row: int) -> None:
        """Select a row of a tab (row of the shown, sorted and filtered, table)."""
        self.tabs.setCurrentIndex(tab)
        view = self.views[tab]
        view.selectRow(row)

    def _filter(self, text: str) -> None:
        for view in self.views:
            view.model().setFilterFixedString(text)  # type: ignore[attr-defined]

    def _update_buttons(self, *_args: object) -> None:
        tab = self.tabs.currentIndex()
        chosen = self.selected() is not None
        self.remove.setVisible(tab != FORGOTTEN)
        self.restore.setVisible(tab == FORGOTTEN)
        self.remove.setEnabled(chosen)
        self.restore.setEnabled(chosen)

    # -- edits -----------------------------------------------------------------
    def ask_add(self, kind: str) -> bool:
        """Ask for a new name or rejection and add it (one undo step)."""
        dialog = AddEntryDialog(kind, [label.name for label in self.store.labels.all()], self)
        if not dialog.exec():
            return False
        text, label, zone = dialog.entry()
        return self.add(kind, text, label, zone)

    def add(self, kind: str, text: str, label: str, zone: str | None = None) -> bool:
        """Add a name or a rejection (one undo step)."""
        what = "name" if kind == "name" else "rejection"
        try:
            return self._edit(
                lambda s: s.learning.add_entry(kind, text, label, context=zone),
                f"Add {what} {label} '{text}'",
            )
        except ValueError as exc:
            self.status.setText(str(exc))
            return False

    def remove_selected(self) -> bool:
        """Take the selected entry out (an added one goes; one read from decisions is
        forgotten), or in the third tab remember a taken-out entry again."""
        row = self.selected()
        if row is None:
            return False
        if isinstance(row, ForgottenRow):
            return self._edit(
                lambda s: s.learning.remove_entry(row.entry_id),
                f"Remember {row.kind} {row.label} '{row.text}' again",
            )
        kind = "name" if isinstance(row, NameRow) else "rejection"
        if row.entry_id is not None:
            return self._edit(
                lambda s: s.learning.remove_entry(row.entry_id),  # type: ignore[arg-type]
                f"Remove {kind} {row.label} '{row.text}'",
            )
        context = row.context if isinstance(row, RejectionRow) else None
        return self._edit(
            lambda s: s.learning.add_entry(
                kind, row.text, row.label, context=context, forgotten=True
            ),
            f"Forget {kind} {row.label} '{row.text}'",
        )
