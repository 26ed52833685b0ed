"""A project others work on too (issue 17): their edits appear here, and a server that goes
away leaves the window read-only with the edit under way kept until it returns.

`ChangeWatcher` carries the core's change feed (desktop/core/store/changefeed.py) to the
GUI thread; `show_change` refreshes only what another client changed (the rows of its
documents, the shown document's highlights, the panels its tables feed), keeping the
selection and the scroll. `Outbox` holds edits that met a lost connection and tries
them again once a probe (off the GUI thread) reaches the server."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from desktop.core.store.changefeed import Changed, ChangeFeed
from desktop.core.store.db import is_disconnect
from desktop.ui.background import BackgroundCall

if TYPE_CHECKING:
    from desktop.core.store import Store
    from desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)
PROBE_MS = 1000  # while offline: how often to look for the server
LOST = (
    "The connection to the project's server was lost. The window is read-only until it "
    "returns; the edit under way is kept and saved then."
)
ENTITY_TABLES = {"entity", "alias", "entitydecision", "entitytag", "mention"}
FACT_TABLES = {"fact", "factargument", "facttag"}
TAG_TABLES = {"tag", "documenttag"}


class ChangeWatcher(QObject):
    """The change feed of a store, its reports as signals on the GUI thread.

    Signals: changed(Changed), connection(bool)
    """

    changed = Signal(object)
    connection = Signal(bool)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.feed = ChangeFeed(store.engine, self.changed.emit, self.connection.emit)
        self.feed.start()

    def stop(self) -> None:
        self.feed.stop()


def show_change(window: MainWindow, change: Changed) -> None:
    """Refresh what another client changed; selection and scroll stay."""
    store = window.store
    if store is None:
        return
    shown = window.controller.document_id
    model = window.documents.model
    listed = set(model.document_ids())
    docs = set(change.documents)
    if change.everything or docs - listed:
        present = set(store.documents.ids())
        if listed - present:  # documents went: read the list again, keep the shown one
            window.documents.reload()
            if shown in present:
                window.documents.select_document(shown)
        elif present - listed:
            window.documents.append_documents(sorted(present - listed))
        if change.everything:
            docs = present
    rows = sorted(docs & set(model.document_ids()))
    if rows:
        window.documents.refresh_rows(rows)
    if shown is not None and (shown in docs or change.everything):
        if store.documents.get(shown) is None:
            window._reread_all()
            return
        window.controller.reload()  # highlights only: scroll and selected mention stay
        window.view.set_remarks(store.mentions.remarks(shown))
        window.entities.show_document(shown)
        window._update_counts()
    tables = change.tables
    if change.everything or "label" in tables:
        window._set_labels(store.labels.all())
    if change.everything or tables & ENTITY_TABLES:
        window._refresh_entities()
    if change.everything or tables & FACT_TABLES:
        window.facts.refresh()
        window.timeline.refresh()
    if change.everything or tables & TAG_TABLES:
        window.documents.refresh_tags()


class Outbox(QObject):
    """Edits kept while the server is away, and the window's read-only state meanwhile.

    Signals: offline_changed(bool)
    """

    offline_changed = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pending: list[Callable[[], None]] = []
        self.offline = False
        self.saved = 0  # kept edits saved since the connection came back
        self.banner = QLabel(LOST)
        self.banner.setObjectName("offline_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fde2c8; color: #5a2d00; padding: 6px;")
        self.banner.hide()
        self._probe_timer = QTimer(self)
        self._probe_timer.setInterval(PROBE_MS)
        self._probe_timer.timeout.connect(self._probe)
        self._probes = BackgroundCall(self)

    def blocks(self, message: Callable[[str], None]) -> bool:
        """Whether edits must wait (offline); says so through `message`."""
        if self.offline:
            message("Read-only: the server is unreachable; edits resume when it returns")
        return self.offline

    def keep(self, retry: Callable[[], None]) -> None:
        """An edit met a lost connection: keep it, go read-only, look for the server."""
        self.pending.append(retry)
        self.go_offline()

    def lost(self, exc: BaseException) -> bool:
        """For the error reporter: a lost connection anywhere (a read, an undo) is this one
        message, not a crash dialog. False for any other error."""
        if not is_disconnect(exc):
            return False
        log.warning("server connection lost: %s", type(exc).__name__)
        self.go_offline()
        return True

    def go_offline(self) -> None:
        if self.offline:
            return
        self.offline = True
        self.banner.show()
        self.window.statusBar().showMessage("Server unreachable: read-only", 0)
        self.window.warn("Connection lost", LOST)
        self._probe_timer.start()
        self.offline_changed.emit(True)

    def connection(self, connected: bool) -> None:
        """The change feed's word: the server went away, or answers again."""
        if not connected:
            self.go_offline()
        elif self.offline:
            self._probe()

    def _probe(self) -> None:
        store = self.window.store
        if store is None or self._probes.pending:
            return

        def ping() -> bool:
            import sqlalchemy as sa

            try:
                with store.engine.connect() as conn:
                    conn.execute(sa.text("SELECT 1"))
            except sa.exc.DBAPIError:
                return False
            return True

        self._probes.call(ping, self._probed)

    def _probed(self, reachable: bool) -> None:
        if not reachable or not self.offline:
            return
        self.offline = False
        pending, self.pending = self.pending, []
        for retry in pending:
            retry()  # meets the server again: saved (or kept once more if it went again)
        if self.offline:
            return
        self._probe_timer.stop()
        self.banner.hide()
        self.saved = len(pending)
        kept = f"; {len(pending)} kept edit(s) saved" if pending else ""
        self.window.statusBar().showMessage(f"Connected to the server again{kept}", 8000)
        self.offline_changed.emit(False)
        if self.window.store is not None:
            show_change(self.window, Changed(everything=True))  # what others did meanwhile

    def stop(self) -> None:
        self._probe_timer.stop()
        self._probes.forget()
        self.pending = []
        self.offline = False
        self.banner.hide()
