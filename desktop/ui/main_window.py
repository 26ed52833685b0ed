"""The main window: lays out the panels and wires them; the work happens elsewhere."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QShowEvent,
    QTextCursor,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.core.ingest.importer import IngestEvent
from desktop.core.ingest.readers import READERS
from desktop.core.locations import PROJECT_SUFFIX
from desktop.core.records import ExtractProgress, FactArgRecord, FactRecord
from desktop.core.store import ProjectError, Store
from desktop.ui import settings, window_layout
from desktop.ui.annotate import AnnotationController
from desktop.ui.background import BackgroundCall
from desktop.ui.commands import (
    Guard,
    StoredChange,
    push_change,
    push_joined,
    rebuild_stack,
    set_guard,
)
from desktop.ui.dialogs import label_palette
from desktop.ui.dialogs.label_editor import LabelEditorDialog
from desktop.ui.dialogs.label_palette import LabelPalette
from desktop.ui.dialogs.tag_dialog import TagDialog
from desktop.ui.entity_actions import EntityController
from desktop.ui.errors import ErrorReporter
from desktop.ui.fact_actions import FactController
from desktop.ui.jobs import (
    DatasetImported,
    DocumentsImported,
    ExtractionStep,
    ModelReady,
    PipelineHolder,
    dataset_job,
    extract_job,
    import_job,
    load_model_job,
    step_progress,
)
from desktop.ui.menus import build_menus
from desktop.ui.panels.document_list import DocumentListPanel
from desktop.ui.panels.entity_page import EntityPage
from desktop.ui.panels.entity_sidebar import EntitySidebar
from desktop.ui.panels.facts_panel import FactsPanel
from desktop.ui.panels.network_view import NetworkView
from desktop.ui.panels.timeline import TimelineView
from desktop.ui.progress import ProgressPanel
from desktop.ui.shared import ChangeWatcher, Outbox, show_change
from desktop.ui.viewer.document_view import DocumentView
from desktop.ui.viewer.find_bar import FindBar, query_words
from desktop.ui.viewer.styles import LabelStyle
from desktop.ui.workers import Task, TaskRunner

IMPORT_FILTER = f"Documents ({' '.join('*' + ext for ext in READERS)});;All files (*)"


class MainWindow(QMainWindow):
    """Document list (left), viewer (centre), entities (right), history (bottom)."""

    def __init__(self, reporter: ErrorReporter, holder: PipelineHolder | None = None) -> None:
        super().__init__()
        self.reporter = reporter
        self.holder = holder or PipelineHolder()
        self.store: Store | None = None
        self.refused: list[str] = []
        self.extract_failed: list[str] = []  # "source: why" of this job's failed documents
        self._ingested: list[DocumentsImported] = []  # of the import job under way
        self._extracted: list[ExtractionStep] = []  # of the extraction job under way
        self.last_warning: tuple[str, str] | None = None
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.runner = TaskRunner(self)
        self.runner.failed.connect(lambda msg, detail: reporter.report(msg, detail[-2000:]))
        self.stack = QUndoStack(self)
        set_guard(
            self.stack,
            Guard(
                confirm=self._confirm_step,
                failed=lambda message: self.warn("Undo or redo failed", message),
            ),
        )
        self._sidebar_timer = QTimer(self)
        self._sidebar_timer.setSingleShot(True)
        self._sidebar_timer.setInterval(150)
        self._sidebar_timer.timeout.connect(
            lambda: self.entities.show_document(self.controller.document_id)
        )
        # The document list's counts follow an edit a frame later, like the sidebar: the
        # edit's own frame only redraws the text (see bench/ui.py, edits < 16 ms).
        self._recount_rows: set[int] = set()
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(150)
        self._rows_timer.timeout.connect(self._recount_documents)

        self.view = DocumentView()
        self.view.snap_to_tokens = settings.flag("snap_to_tokens", True)
        self.view.set_chips_shown(settings.flag("label_chips", True))
        self.find_bar = FindBar(self.view)
        centre = QWidget()
        centre.setObjectName("document_area")
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.outbox = Outbox(self)  # a shared project's edits while its server is away
        reporter.connection_lost = self.outbox.lost
        self.watcher: ChangeWatcher | None = None  # others' edits (a shared project)
        column.addWidget(self.outbox.banner)
        column.addWidget(self.view, 1)
        column.addWidget(self.find_bar)
        self.setCentralWidget(centre)
        self.controller = AnnotationController(self.view, self.stack, self)
        self.controller.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.controller.changed.connect(self._annotations_changed)
        self.controller.beyond_changed.connect(self._relabelled)
        self.fact_controller = FactController(
            self.stack,
            lambda: self.facts.current_fact(),
            lambda: self.facts.current_argument(),
            self._selection,
            lambda: self.controller.document_id,
            self,
        )
        self.fact_controller.message.connect(lambda t: self.statusBar().showMessage(t, 4000))
        self.fact_controller.changed.connect(self._fact_changed)
        self.controller.outbox = self.fact_controller.outbox = self.outbox
        self.documents = DocumentListPanel()
        self.entities = EntitySidebar()
        self.facts = FactsPanel()
        self.timeline = TimelineView()
        self.merge_panel = self.entities.proposals
        self.entity_controller = EntityController(
            self.stack, self.entities, self.view.selected_mention, self
        )
        self.entity_controller.outbox = self.outbox
        self.entity_controller.message.connect(lambda t: self.statusBar().showMessage(t, 4000))
        self.entity_controller.changed.connect(self._refresh_entities)
        self.entity_controller.show_entity.connect(self._show_entity)
        self.entity_page = EntityPage()
        self.network_view = NetworkView()
        self.history_view = QUndoView(self.stack)
        self.history_view.setEmptyLabel("<project opened>")
        self.palette_bar = self.addToolBar("Labels")
        self.palette_bar.setObjectName("labels_toolbar")
        self.palette = LabelPalette()
        self._usage_reads = BackgroundCall(self)  # label use counts, for the palette order
        self._label_usage: dict[str, int] = {}
        self.palette_bar.addWidget(self.palette)
        self._dock("documents", "Documents", self.documents, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("entities", "Entities", self.entities, Qt.DockWidgetArea.RightDockWidgetArea)
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        page_area = QScrollArea()  # the page scrolls rather than make its dock tall
        page_area.setWidgetResizable(True)
        page_area.setFrameShape(QFrame.Shape.NoFrame)
        page_area.setWidget(self.entity_page)
        entity_dock = self._dock("entity_page", "Entity", page_area, right)
        entities_dock = self.findChild(QDockWidget, "dock_entities")
        self.tabifyDockWidget(entities_dock, entity_dock)
        entities_dock.raise_()
        facts = self._dock("facts", "Facts", self.facts, bottom)
        timeline = self._dock("timeline", "Timeline", self.timeline, bottom)
        history = self._dock("history", "History", self.history_view, bottom)
        network = self._dock("network", "Network", self.network_view, bottom)
        self.tabifyDockWidget(facts, timeline)
        self.tabifyDockWidget(timeline, network)
        self.tabifyDockWidget(network, history)
        facts.raise_()
        self._status_bar()
        self.recent_menu = QMenu("&Recent projects", self)
        self.menu_actions = build_menus(self)
        shared = QAction("Open &shared project…", self)  # before Recent projects
        shared.triggered.connect(lambda: self.open_shared())
        self.menuBar().actions()[0].menu().insertAction(self.recent_menu.menuAction(), shared)
        self.menu_actions["open_shared"] = shared
        self._wire()
        self._tab_bars = window_layout.StaleTabBarWatch(self)
        geometry, state = settings.layout()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*window_layout.first_size(self.screen().availableGeometry().size()))
        if state is None or not self.restoreState(state):
            self.reset_layout()

    # -- layout ----------------------------------------------------------------
    def reset_layout(self) -> None:
        """Put every dock back in its place at sizes that leave the text the most room."""
        compact = settings.flag("compact", window_layout.wants_compact(self.size()))
        window_layout.arrange(self, compact)

    def set_compact(self, on: bool) -> None:
        """Compact layout (small screens): lists share one side, the text keeps the rest."""
        settings.set_flag("compact", on)
        window_layout.arrange(self, on)

    def toggle_chips(self, on: bool) -> None:
        """Show or hide the label chips on the spans."""
        self.view.set_chips_shown(on)
        settings.set_flag("label_chips", on)

    def open_find(self) -> None:
        """Find in the shown document (Ctrl+F)."""
        self.find_bar.open_bar()

    def find_step(self, forward: bool) -> None:
        """Go to the next (previous) find or search hit in the text (F3 / Shift+F3)."""
        if not self.find_bar.hits:
            self.find_bar.refresh()
        if not self.find_bar.step(forward):
            self.statusBar().showMessage("No hits in this document", 4000)

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _status_bar(self) -> None:
        bar = self.statusBar()
        self.model_label = QLabel("model: not loaded")
        self.counts_label = QLabel("")
        self.progress = ProgressPanel(self.runner)
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.model_label)

    def _wire(self) -> None:
        self.documents.document_activated.connect(self.show_document)
        self.entities.entity_selected.connect(self._entity_selected)
        self.entities.step_requested.connect(self._entity_step)
        self.entities.entity_activated.connect(self._show_entity)
        self.entities.set_corpus(settings.flag("entities_corpus", False))
        self.entities.corpus_button.toggled.connect(
            lambda on: settings.set_flag("entities_corpus", on)
        )
        self.entities.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.entities.tree.customContextMenuRequested.connect(self._entity_menu)
        self.palette.label_chosen.connect(self.controller.apply_label)
        self.view.context_menu_requested.connect(self._context_menu)
        self.view.mention_selected.connect(lambda _mid: self._update_counts())
        self.facts.fact_selected.connect(self._fact_selected)
        self.facts.argument_activated.connect(self._argument_activated)
        self.facts.document_requested.connect(self.documents.select_document)
        self.timeline.fact_activated.connect(self._timeline_fact)
        edit = self.entity_controller.edit
        self.merge_panel.merge_requested.connect(
            lambda a, b: edit([(lambda s: s.entities.merge(a, b), "Merge entities")])
        )
        self.merge_panel.distinct_requested.connect(
            lambda a, b: edit([(lambda s: s.entities.mark_distinct(a, b), "Not the same")])
        )
        self.entity_page.rename_requested.connect(
            lambda i, name: edit([(lambda s: s.entities.rename(i, name), "Rename entity")])
        )
        self.entity_page.tags_requested.connect(self.entity_controller.edit_tags)
        self.entity_page.mention_activated.connect(self._show_mention)
        self.entity_page.fact_activated.connect(self._timeline_fact)
        self.network_view.entity_activated.connect(self._show_entity)
        self.network_view.fact_activated.connect(self._timeline_fact)

    # -- projects --------------------------------------------------------------
    def open_project(self, path: str | Path, seeds: Path | None = None) -> bool:
        """Open (or create) a project; with `seeds`, import them in the background."""
        try:
            store = Store.open(path)
        except ProjectError as exc:
            self.warn("Cannot open project", str(exc))
            return False
        self.show_project(store, path, seeds)
        return True

    def show_project(self, store: Store, path: str | Path, seeds: Path | None = None) -> None:
        """Make an opened store the window's project (a shared one opens off the GUI thread
        and comes here, dialogs/shared_project.py)."""
        self.close_project()
        self.store = store
        labels = store.labels.ensure()
        self.controller.set_store(store)
        self._set_labels(labels)
        self.documents.set_store(store)
        self.entities.set_store(store)
        self.facts.set_store(store)
        self.timeline.set_store(store)
        self.fact_controller.set_store(store)
        self.entity_controller.set_store(store)
        for panel in (self.entity_page, self.network_view):
            panel.set_store(store)
        rebuild_stack(self.stack, store, self._after_history_step)
        settings.remember_project(path)
        self._fill_recent_menu()
        self.setWindowTitle(f"{Path(str(path)).name} — {APP_NAME} {__version__}")
        ids = store.documents.ids()
        last, scroll = settings.last_document(path)
        target = last if last in ids else (ids[0] if ids else None)
        if target is not None:
            self.documents.select_document(target)
            if target == last and scroll:
                self._restore_scroll(scroll)
        if seeds is not None:
            self.import_paths([seeds])
        elif store.documents.has_pending_extraction():
            self.extract(everything=False, undoable=False)  # catching up: no undo step
        elif self.holder.info is None:
            self.load_model()
        self.watcher = ChangeWatcher(store, self)
        self.watcher.changed.connect(lambda change: show_change(self, change))
        self.watcher.connection.connect(self.outbox.connection)

    def _restore_scroll(self, position: int) -> None:
        """Scroll so the line holding a text position (the one last on top) is on top."""
        if position <= 0 or position >= self.view.document().characterCount():
            return
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())  # from below, ensureCursorVisible stops with it on top
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(position)
        self.view.setTextCursor(cursor)
        self.view.ensureCursorVisible()

    def remember_place(self) -> None:
        """Remember the document shown and how far it is scrolled, for the next start."""
        if self.store is not None and self.controller.document_id is not None:
            top = self.view.cursorForPosition(QPoint(0, 0)).position()  # first line shown
            settings.remember_document(self.store.location, self.controller.document_id, top)

    def close_project(self) -> None:
        """Stop background work and release the current project."""
        self.remember_place()
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        self.outbox.stop()
        self.runner.shutdown()
        self._ingested = []
        self._rows_timer.stop()
        self._recount_rows.clear()
        self.stack.clear()
        self.controller.set_store(None)
        self.fact_controller.set_store(None)
        self.entity_controller.set_store(None)
        self.facts.set_store(None)
        self.timeline.set_store(None)
        self.entities.set_store(None)  # waits for its background reads to finish
        self._usage_reads.forget()
        self._label_usage = {}
        for panel in (self.entity_page, self.network_view):
            panel.set_store(None)
        self.view.clear()
        if self.store is not None:
            self.store.close()
        self.store = None

    def _usage_read(self, labels: list, usage: dict[str, int]) -> None:
        if usage != self._label_usage:
            self._label_usage = usage
            self.palette.set_labels(labels, usage)

    def _set_labels(self, labels: list) -> None:
        styles = {lb.name: LabelStyle(lb.name, lb.color, lb.hotkey) for lb in labels}
        self.label_styles = styles
        self.palette.set_labels(labels, self._label_usage)
        store = self.store
        if store is not None:  # the labels behind "More" follow how often they are used
            self._usage_reads.call(
                store.labels.usage, lambda usage: self._usage_read(labels, usage)
            )
        menu = self.menu_actions.get("labels_menu")
        actions = self.controller.set_labels(label_palette.ordered(labels))
        if isinstance(menu, QMenu):
            menu.clear()
            menu.addActions(actions)
        self.addActions(actions)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in settings.recent_projects():
            action = self.recent_menu.addAction(path)
            if settings.is_shared(path):  # a server's: asked and opened in the background
                action.triggered.connect(lambda _=False, p=path: self.open_shared(p))
            else:
                action.triggered.connect(lambda _=False, p=path: self.open_project(p))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    def new_project(self) -> None:
        """Ask for a file name and create an empty project there."""
        path, _ = QFileDialog.getSaveFileName(
            self, "New project", "", f"Factdesk projects (*{PROJECT_SUFFIX})"
        )
        if path:
            if not path.endswith(PROJECT_SUFFIX):
                path += PROJECT_SUFFIX
            self.open_project(path)

    def open_shared(self, url: str = "") -> None:
        """File › Open shared project…: a project on a PostgreSQL server."""
        from desktop.ui.dialogs.shared_project import open_shared_project

        open_shared_project(self, url)

    def choose_project(self) -> None:
        """Ask for a project file and open it."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Open project", "", f"Factdesk projects (*{PROJECT_SUFFIX});;All (*)"
        )
        if path:
            self.open_project(path)

    # -- background work -------------------------------------------------------
    def choose_imports(self) -> None:
        """Ask for files to import."""
        paths, _ = QFileDialog.getOpenFileNames(self, "Import documents", "", IMPORT_FILTER)
        if paths:
            self.import_paths([Path(p) for p in paths])

    def export_dataset(self) -> None:
        """Open the export dialog (it runs the export in its own worker)."""
        if self.store is None:
            return
        from desktop.ui.dialogs.export_dialog import ExportDialog

        dialog = ExportDialog(self.store, self.controller.document_id, self)
        dialog.open()
        self.export_dialog = dialog

    def choose_dataset(self) -> None:
        """Ask for a tool's export (format, then file or folder) and import it."""
        formats = ["doccano", "label-studio", "brat", "prodigy", "conll"]
        fmt, ok = QInputDialog.getItem(self, "Import annotations", "Made by:", formats, 0, False)
        if not ok:
            return
        if fmt == "brat":
            path = QFileDialog.getExistingDirectory(self, "brat folder")
        else:
            path, _ = QFileDialog.getOpenFileName(
                self, f"{fmt} export", "", "Exports (*.jsonl *.json *.zip *.conll *.txt)"
            )
        if path:
            self.import_dataset(fmt, Path(path))

    def import_dataset(self, fmt: str, path: Path) -> None:
        """Import another tool's annotations in the background."""
        if self.store is None:
            return
        self.runner.submit(
            Task(
                f"Importing {path.name}",
                dataset_job(self.store, fmt, path),
                on_steps=self._dataset_steps,
            )
        )

    def _dataset_steps(self, steps: list) -> None:
        for step in steps:
            if isinstance(step, DatasetImported):
                report = step.report
                if self.store is not None:
                    self._set_labels(self.store.labels.ensure())
                    name = Path(report.path).name
                    if not push_change(  # Ctrl+Z takes the whole import out again
                        self.stack, self.store, report.batch, f"Import {name}", self._reread_all
                    ):
                        self._reread_all()
                problems = [f"{src}: {p}" for src, ps in report.mismatches.items() for p in ps]
                text = (
                    f"{report.documents_added} new documents, {report.documents_matched} "
                    f"already present; {report.mentions_added} spans and "
                    f"{report.facts_added} relations added."
                )
                if problems:
                    self.warn("Imported, with problems", text + "\n\n" + "\n".join(problems[:50]))
                else:
                    self.statusBar().showMessage(text, 8000)

    def _reread_all(self) -> None:
        """Show the project again after documents came or went (an import, its undo)."""
        if self.store is None:
            return
        shown = self.controller.document_id
        self.documents.reload()  # filters and search stay, their results are read again
        ids = self.store.documents.ids()
        if ids:
            target = shown if shown in ids else ids[0]
            self.documents.select_document(target)
            self.show_document(target)  # its annotations may have come or gone too
        else:
            self.controller.set_document(None)
            self.view.clear()
            self.entities.show_document(None)
        self.facts.refresh()
        self.timeline.refresh()
        self._refresh_entities()
        self._update_counts()

    def import_paths(self, paths: list[Path]) -> None:
        """Import files or folders, then extract, in the background."""
        if self.store is None:
            return
        self.refused = []
        self.runner.submit(
            Task(
                f"Importing {len(paths)} item(s)",
                import_job(self.store, paths, self.holder),
                on_steps=self._steps,
                on_done=self._import_done,
                progress=step_progress,
            )
        )

    def load_model(self) -> None:
        """Load the language model in the background, so extraction is ready when asked."""
        self.runner.submit(
            Task("Loading the language model", load_model_job(self.holder), on_steps=self._steps)
        )

    def extract(self, everything: bool = False, undoable: bool = True) -> None:
        """(Re)run extraction in the background; an `undoable` run (one the analyst
        started, not the catch-up on opening a project) is one undo step."""
        if self.store is None:
            return
        self.runner.submit(
            Task(
                "Extracting entities",
                extract_job(
                    self.store,
                    self.holder,
                    everything=everything,
                    step=("Re-extract all" if everything else "Extract pending")
                    if undoable
                    else None,
                ),
                on_steps=self._steps,
                on_done=self._extraction_done,
                progress=step_progress,
            )
        )

    def _steps(self, steps: list) -> None:
        imported, extracted = [], []
        for step in steps:
            if isinstance(step, IngestEvent):
                if step.kind == "imported" and step.document_id is not None:
                    imported.append(step.document_id)
                elif step.kind == "refused":
                    self.refused.append(step.line())
            elif isinstance(step, ExtractProgress):
                extracted.append(step.document_id)
                if step.failed is not None:
                    self.extract_failed.append(f"{step.source}: {step.failed}")
            elif isinstance(step, ModelReady):
                self.model_label.setText(f"model: {step.info.label}")
            elif isinstance(step, DocumentsImported):
                self._ingested.append(step)  # on the undo stack once the job is done
            elif isinstance(step, ExtractionStep):
                self._extracted.append(step)
        if imported:
            self.documents.append_documents(imported)
        if extracted:
            self.documents.refresh_rows(extracted)
            self.facts.refresh()
            self.timeline.refresh()
            self._refresh_entities()
            if self.controller.document_id in extracted:
                self.controller.reload()
                self.entities.show_document(self.controller.document_id)
                self._update_counts()
        if imported and self.controller.document_id is None:
            self.documents.select_document(imported[0])

    def _import_done(self, cancelled: bool) -> None:
        store, ingested, self._ingested = self.store, self._ingested, []
        for done in ingested if store is not None else []:
            assert store is not None  # already applied: pushing it refreshes nothing
            n = len(done.document_ids)
            text = f"Import {done.label}: {n} document{'s' if n != 1 else ''}"
            store.history.rename(done.batch, text)
            self.stack.push(StoredChange(store, done.batch, text, self._reread_all, self.stack))
        if self.store is not None:
            self._set_labels(self.store.labels.ensure())
            self.documents.refresh_tags()
            self._refresh_entities()
        if self.refused:
            self.warn("Some files were not imported", "\n".join(self.refused))
        self._warn_extract_failed()
        if cancelled:
            self.statusBar().showMessage("Import cancelled; what was imported stays", 5000)

    def _extraction_done(self, _cancelled: bool) -> None:
        store, runs, self._extracted = self.store, self._extracted, []
        for run in runs if store is not None else []:
            assert store is not None  # already applied: pushing it refreshes nothing
            self.stack.push(StoredChange(store, run.batch, run.name, self._reread_all, self.stack))
        self._refresh_entities()
        self._warn_extract_failed()

    def _warn_extract_failed(self) -> None:
        """Say which documents could not be extracted (they stay pending and are marked)."""
        failed, self.extract_failed = self.extract_failed, []
        if failed:
            shown = failed[:20] + ([f"… and {len(failed) - 20} more"] if len(failed) > 20 else [])
            self.warn(
                "Some documents could not be extracted",
                f"{len(failed)} documents could not be extracted; the others were. They are "
                "marked in the Documents list and tried again by Extract.\n\n" + "\n".join(shown),
            )

    def _confirm_step(self, batch: int, forward: bool) -> bool:
        """Ask before an undo takes documents out of the project (an import, the seeds)."""
        store = self.store
        if forward or store is None:
            return True
        counts = store.history.removes_documents(batch)
        if counts is None:
            return True
        docs, mentions, facts = counts
        name = store.history.summary(batch) or "the import"
        return self.ask(
            "Undo import?",
            f"Undo “{name}”? This takes {docs} document{'s' if docs != 1 else ''} out of the "
            f"project, with {mentions} annotations and {facts} facts in them. "
            "Redo puts them back.",
        )

    def ask(self, title: str, text: str) -> bool:
        """A yes/no question (No is the default)."""
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _after_history_step(self) -> None:
        """After undo or redo of a step from an earlier session: every view reads again."""
        self._reread_all()
        self.documents.refresh_tags()
        if self.store is not None:
            self._set_labels(self.store.labels.all())

    # -- current document ------------------------------------------------------
    def show_document(self, document_id: int) -> None:
        """Show a document with its annotations."""
        if self.store is None or document_id < 0:
            return
        record = self.store.documents.get(document_id)
        if record is None:
            return
        mentions = self.store.mentions.for_document(document_id)
        self.view.set_document(record, mentions, self.label_styles)
        self.view.set_remarks(self.store.mentions.remarks(document_id))
        self.controller.set_document(document_id, record.text, mentions)
        query = self.documents.model.search_query()
        if query:
            self.find_bar.find_words(query_words(query))  # the search's hits, marked
        else:
            self.find_bar.refresh()
        self.entities.show_document(document_id)
        self.facts.show_document(document_id)
        self._update_counts()

    # -- facts -----------------------------------------------------------------
    def _selection(self) -> tuple[int, int, str] | None:
        span = self.view.selection_span()
        if span is None:
            return None
        return span[0], span[1], self.controller.text[span[0] : span[1]]

    def _fact_selected(self, fact: object) -> None:
        if not isinstance(fact, FactRecord) or fact.document_id != self.controller.document_id:
            self.view.show_evidence(None)
            return
        ids = [a.mention_id for a in fact.arguments if a.mention_id is not None]
        self.view.highlight_entity(ids)
        self.view.show_evidence(fact.evidence_start, fact.evidence_end)  # shaded, not selected

    def _argument_activated(self, argument: object) -> None:
        if isinstance(argument, FactArgRecord):
            if argument.mention_id is not None and self.view.select_mention(argument.mention_id):
                return
            if argument.start is not None and argument.end is not None:
                self.view.select_span(argument.start, argument.end)

    def _timeline_fact(self, fact: object) -> None:
        if isinstance(fact, FactRecord):
            self.documents.select_document(fact.document_id)
            self.facts.select_fact(fact.id)
            self.timeline.select_fact(fact.id)
            self._fact_selected(fact)

    def _fact_changed(self, fact_id: int) -> None:
        if fact_id >= 0:
            self.facts.refresh_fact(fact_id)
        else:
            self.facts.refresh()
        self.timeline.refresh()

    # -- entities --------------------------------------------------------------
    def _refresh_entities(self) -> None:
        self.entities.refresh_corpus()
        self.entity_page.refresh()
        self.network_view.refresh_when_shown()

    def _entity_menu(self, pos: QPoint) -> None:
        if not self.entities.is_corpus():
            return
        actions = self.entity_controller.actions
        menu = QMenu(self)
        menu.addActions([actions[k] for k in ("open", "rename", "tags")])
        menu.addSeparator()
        menu.addActions([actions[k] for k in ("merge", "split", "distinct")])
        menu.exec(self.entities.tree.viewport().mapToGlobal(pos))

    def _show_entity(self, entity_id: int) -> None:
        self.entity_page.show_entity(entity_id)
        dock = self.findChild(QDockWidget, "dock_entity_page")
        if dock is not None:
            dock.show()
            dock.raise_()

    def _show_mention(self, document_id: int, mention_id: int) -> None:
        self.documents.select_document(document_id)
        self.view.select_mention(mention_id)

    def next_unreviewed_fact(self, forward: bool) -> None:
        """Select the next (or previous) fact still proposed."""
        if not self.facts.select_next_unreviewed(forward):
            self.statusBar().showMessage("No unreviewed facts left here", 4000)

    def edit_fact_tags(self) -> None:
        """Tags and note on the selected fact."""
        store, fact = self.store, self.facts.current_fact()
        if store is None or fact is None:
            self.statusBar().showMessage("Select a fact first", 4000)
            return
        dialog = TagDialog(
            f"fact {fact.type} #{fact.id}", list(fact.tags), fact.note, store.tags.names(), self
        )
        if not dialog.exec():
            return
        refresh = lambda: self._fact_changed(fact.id)  # noqa: E731
        tags = store.tags.set("fact", fact.id, dialog.result_tags())
        note = store.facts.set_note(fact.id, dialog.result_note())
        name = f"Tags and note on {fact.type} fact"
        push_joined(self.stack, store, [tags.batch, note.batch], name, refresh)

    def _annotations_changed(self, document_id: int) -> None:
        if document_id >= 0:
            self._recount_rows.add(document_id)
        if self.controller.document_id is not None:
            self._recount_rows.add(self.controller.document_id)
            self._sidebar_timer.start()  # recount after the keystroke's frame
        self._rows_timer.start()
        self._update_counts()

    def _recount_documents(self) -> None:
        """Re-read the counts of the documents edited since the last recount."""
        ids, self._recount_rows = sorted(self._recount_rows), set()
        if ids and self.store is not None:
            self.documents.refresh_rows(ids)

    def _relabelled(self, mention_id: int) -> None:
        """A relabel (or its undo/redo) moved a mention's entity and may have flagged facts:
        those taking the mention as an argument (-1: any mention)."""
        self._refresh_entities()
        store = self.store
        if store is not None and (mention_id < 0 or store.facts.has_argument(mention_id)):
            self._fact_changed(-1)

    def _update_counts(self) -> None:
        counts = Counter(m.status for m in self.controller.mentions)
        self.counts_label.setText(
            f"{counts['proposed']} proposed · {counts['accepted']} accepted · "
            f"{counts['rejected']} rejected"
        )

    def _entity_selected(self, mention_ids: list) -> None:
        self.view.highlight_entity([int(i) for i in mention_ids])
        if mention_ids:
            self.view.select_mention(int(mention_ids[0]))

    def _entity_step(self, direction: int) -> None:
        target = self.view.next_mention(None, direction > 0)
        if target is not None:
            self.view.select_mention(target)

    def _context_menu(self, pos: QPoint, mention_id: int) -> None:
        menu = QMenu(self)
        label_menu = menu.addMenu("Label as")
        label_menu.addActions(self.controller.label_actions)
        if mention_id >= 0:
            self.view.select_mention(mention_id)
            for key in ("accept", "reject", "delete"):
                menu.addAction(self.controller.actions[key])
            menu.addAction(self.menu_actions["tags"])
        menu.exec(pos)

    # -- dialogs ---------------------------------------------------------------
    def edit_labels(self) -> None:
        """Open the label set editor and apply its edits as one undoable step each."""
        if self.store is None:
            return
        dialog = LabelEditorDialog(self.store.labels.all(), self)
        if not dialog.exec():
            return
        store = self.store
        for edit in dialog.edits():
            try:
                if edit.label_id is None:
                    change = store.labels.add(edit.name, edit.color, edit.hotkey)
                else:
                    change = store.labels.update(
                        edit.label_id, name=edit.name, color=edit.color, hotkey=edit.hotkey
                    )
            except ValueError as exc:
                self.warn("Label not changed", str(exc))
                continue
            push_change(
                self.stack, store, change.batch, f"Edit label {edit.name}", self._labels_changed
            )
        self._labels_changed()

    def _labels_changed(self) -> None:
        if self.store is not None:
            self._set_labels(self.store.labels.all())
            if self.controller.document_id is not None:
                self.show_document(self.controller.document_id)

    def edit_tags(self) -> None:
        """Tags and note on the selected annotation, or else on the document."""
        store, doc_id = self.store, self.controller.document_id
        if store is None or doc_id is None:
            return
        mention_id = self.view.selected_mention()
        mention = store.mentions.get(mention_id) if mention_id is not None else None
        kind, target = ("mention", mention.id) if mention else ("document", doc_id)
        info = store.documents.get(doc_id).info
        title = (
            f"mention '{mention.text}' ({mention.label})"
            if mention
            else f"document “{info.title or info.source}”"
        )
        note = store.mentions.note(target) if mention else store.documents.note(target)
        dialog = TagDialog(title, store.tags.of(kind, target), note, store.tags.names(), self)
        if not dialog.exec():
            return
        tags_change = store.tags.set(kind, target, dialog.result_tags())
        set_note = store.mentions.set_note if mention else store.documents.set_note
        note_change = set_note(target, dialog.result_note())
        what = f"'{mention.text}'" if mention else "document"

        def refresh() -> None:
            self.documents.refresh_tags()
            if self.store is not None and self.controller.document_id is not None:
                self.view.set_remarks(self.store.mentions.remarks(self.controller.document_id))

        push_joined(
            self.stack,
            store,
            [tags_change.batch, note_change.batch],
            f"Tags and note on {what}",
            refresh,
        )

    def toggle_snap(self, on: bool) -> None:
        """Snap selections to whole tokens, or take exact characters."""
        self.view.snap_to_tokens = on
        settings.set_flag("snap_to_tokens", on)

    def about(self) -> None:
        """Name, version and the model in use."""
        model = self.holder.info.label if self.holder.info else "not loaded yet"
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Entity and fact extraction for "
            f"news analysts.<br>Model: {model}",
        )

    def warn(self, title: str, text: str) -> None:
        """Tell the user about a problem without blocking the window (and keep it for tests)."""
        self.last_warning = (title, text)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- window events ---------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_paths(paths)
            event.acceptProposedAction()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._fit_screen)

    def _fit_screen(self) -> None:
        """Keep the window inside its screen (a remembered or grown size may not fit)."""
        screen = self.screen().availableGeometry()
        frame = self.frameGeometry()
        extra = frame.size() - self.geometry().size()
        width = min(self.width(), screen.width() - extra.width())
        height = min(self.height(), screen.height() - extra.height())
        if (width, height) != (self.width(), self.height()) and not self.isMaximized():
            self.resize(width, height)
            self.move(
                max(screen.left(), min(frame.left(), screen.right() - frame.width())), frame.top()
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        settings.save_layout(self.saveGeometry(), self.saveState())
        self.close_project()
        super().closeEvent(event)
