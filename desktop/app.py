"""Composition root: the application object, error handling, settings, the main window."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str]) -> int:
    """Start the GUI on a project (default: the user's, created from the seeds on first run)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from desktop import APP_NAME, __version__
    from desktop.core.locations import default_project
    from desktop.core.resources import resource_path, seeds_dir
    from desktop.ui import errors
    from desktop.ui.main_window import MainWindow

    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    errors.setup_logging()
    reporter = errors.ErrorReporter()
    errors.install(reporter)
    style = resource_path("style.qss")
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))  # type: ignore[union-attr]

    project = Path(argv[0]) if argv else default_project()
    first_run = not argv and not project.exists()
    window = MainWindow(reporter)
    window.show()
    window.open_project(project, seeds=seeds_dir() if first_run else None)
    # What start-up built lives as long as the app: keep it out of the full collections
    # that otherwise pause the GUI for ~100 ms every few edits on large documents.
    gc.freeze()
    return int(app.exec())  # type: ignore[union-attr]
