"""Unexpected errors reach the user: a dialog with the message and the log file's location."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.locations import log_dir

log = logging.getLogger("factdesk")


def log_file() -> Path:
    """Where Factdesk writes its log."""
    return log_dir() / "factdesk.log"


def setup_logging() -> Path:
    """Log to a rotating file in the user's log folder; returns its path."""
    path = log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


class ErrorReporter(QObject):
    """Shows errors from any thread in a dialog on the GUI thread.

    Signals: reported(str title, str message)
    """

    reported = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self.shown: list[tuple[str, str]] = []
        # a lost server connection is the window's one message, not a crash (ui/shared.py)
        self.connection_lost: Callable[[BaseException], bool] | None = None
        # Open dialogs: without a parent (no active window) nothing else keeps them alive,
        # and Python would delete the box as soon as _show returns.
        self._open: set[QMessageBox] = set()

    def report(self, title: str, message: str) -> None:
        """Log and show an error (safe from any thread)."""
        log.error("%s: %s", title, message)
        self.reported.emit(title, message)

    def _show(self, title: str, message: str) -> None:
        self.shown.append((title, message))
        parent = QApplication.activeWindow()
        box = QMessageBox(QMessageBox.Icon.Critical, title, message, parent=parent)
        box.setInformativeText(f"Details are in the log file:\n{log_file()}")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._open.add(box)
        box.finished.connect(lambda _result: self._open.discard(box))
        box.open()

    def excepthook(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        """sys.excepthook: log the traceback and tell the user instead of dying silently."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        if self.connection_lost is not None and self.connection_lost(value):
            return
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        self.reported.emit("Unexpected error", f"{kind.__name__}: {value}")


def install(reporter: ErrorReporter) -> None:
    """Route uncaught exceptions (including those in slots) to the reporter."""
    sys.excepthook = reporter.excepthook
