"""UI test fixtures: no test may leave a worker thread running."""

from __future__ import annotations

import pytest

from desktop.ui.main_window import MainWindow
from desktop.ui.workers import RUNNERS


class Questions:
    """The window's yes/no questions in a test: answered from `replies`, in order."""

    def __init__(self) -> None:
        self.replies: list[bool] = []
        self.asked: list[str] = []
        self.unexpected: list[str] = []

    def answer(self, title: str, text: str) -> bool:
        self.asked.append(f"{title}: {text}")
        if not self.replies:
            self.unexpected.append(text)
            return False
        return self.replies.pop(0)


@pytest.fixture(autouse=True)
def questions(monkeypatch, request):
    """A modal question would block an offscreen test for ever: MainWindow.ask is answered
    from `questions.replies` (the test says what it expects), and a question nobody
    expected fails the test (answered No). Tests marked real_dialogs click real boxes."""
    box = Questions()
    if "real_dialogs" not in request.keywords:
        monkeypatch.setattr(MainWindow, "ask", lambda self, title, text: box.answer(title, text))
    yield box
    assert not box.unexpected, f"the window asked unexpectedly: {box.unexpected}"


@pytest.fixture(autouse=True)
def no_threads_left_running():
    """Fail a test that leaves a TaskRunner's worker thread alive (napari does the same)."""
    yield
    running = [r for r in list(RUNNERS) if r.busy]
    for runner in running:
        runner.shutdown()
    assert not running, f"{len(running)} task runner(s) still running after the test"


@pytest.fixture
def private_settings(tmp_path):
    """QSettings (layout, recent projects, last document, export folder) inside the
    test's folder, for the tests that build the whole window."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("FactdeskTests")
    QCoreApplication.setApplicationName("FactdeskTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))


@pytest.fixture
def open_window(qtbot, pipeline):
    """A factory for a shown main window with a project open (closed after the test).
    `active`: it waits to be the active window (for key presses); `idle`: it waits for
    the jobs the open started (the model load, a resolution)."""
    from PySide6.QtWidgets import QApplication

    from desktop.ui.errors import ErrorReporter
    from desktop.ui.jobs import PipelineHolder

    opened: list[MainWindow] = []

    def make(project, *, active: bool = False, idle: bool = False) -> MainWindow:
        win = MainWindow(ErrorReporter(), PipelineHolder(lambda: pipeline))
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        if active:
            win.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
        assert win.open_project(project)
        if idle:
            qtbot.waitUntil(lambda: not win.runner.busy, timeout=30000)
        opened.append(win)
        return win

    yield make
    for win in opened:
        win.close()
