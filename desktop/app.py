"""Composition root: the application object, error handling, settings, the main window."""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str]) -> int:
    """Start the GUI on a project (default: the user's, created from the seeds on first run)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QIcon
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
    app.setWindowIcon(QIcon(str(resource_path("icons", "factdesk.svg"))))  # type: ignore[union-attr]
    errors.setup_logging()
    reporter = errors.ErrorReporter()
    errors.install(reporter)
    style = resource_path("style.qss")
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))  # type: ignore[union-attr]

    # A server URL stays a string: as a Path its '//' would fold to one slash.
    project: str | Path = (
        (argv[0] if "://" in argv[0] else Path(argv[0])) if argv else default_project()
    )
    first_run = not argv and not Path(project).exists()
    window = MainWindow(reporter)
    window.show()
    window.open_project(project, seeds=seeds_dir() if first_run else None)
    if not os.environ.get("FACTDESK_ANALYST"):  # set: the name is given, nothing to ask
        from desktop.ui.analysts import ask_on_first_use

        ask_on_first_use(window)  # the analyst's name, on the first start
    probe = os.environ.get(PROBE_ENV)
    if probe:
        _start_probe(window, Path(probe))
    # What start-up built lives as long as the app: keep it out of the full collections
    # that otherwise pause the GUI for ~100 ms every few edits on large documents.
    gc.freeze()
    return int(app.exec())  # type: ignore[union-attr]


# Start-up probe for bench/startup.py and the bundle tests: the file gets one
# `first_window <epoch seconds>` line once the window is on screen and one
# `extraction_ready <epoch seconds>` line once the model is loaded (and `<file>.project`
# names the project the window opened); with
# FACTDESK_STARTUP_EXIT=1 the app then closes (after any import/extraction job ends).
PROBE_ENV = "FACTDESK_STARTUP_PROBE"
EXIT_ENV = "FACTDESK_STARTUP_EXIT"


def _start_probe(window, path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def mark(name: str) -> None:
        with path.open("a", encoding="utf-8") as out:
            out.write(f"{name} {time.time():.6f}\n")

    def poll() -> None:
        if window.holder.info is None:
            return
        timer.stop()
        mark("extraction_ready")
        if os.environ.get(EXIT_ENV) == "1":
            if window.runner.busy:
                window.runner.idle.connect(finish)
            else:
                finish()

    def finish() -> None:
        window.close()
        QApplication.quit()

    def first() -> None:
        mark("first_window")
        if window.store is not None:  # which project the window opened, beside the probe
            project = path.with_name(path.name + ".project")
            project.write_text(str(window.store.location), encoding="utf-8")

    QTimer.singleShot(0, first)
    timer = QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(poll)
    timer.start()
