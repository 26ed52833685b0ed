"""Where the main window's docks go, and how large they start, so the text has the room.

The document is the largest area at 1366×768 and up. In the compact layout (small
screens) the Documents, Entities and Entity docks share the left side as tabs and the
bottom tabs are lower; the normal one has Documents left and Entities right.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea
BOTTOM_DOCKS = ("facts", "timeline", "network", "history")
COMPACT_BELOW = QSize(1500, 900)  # screens smaller than this start compact


def first_size(available: QSize) -> tuple[int, int]:
    """The window's size at the first start: most of the screen, at most 1880×1040."""
    width = min(max(available.width() - 40, 800), 1880)
    height = min(max(available.height() - 40, 560), 1040)
    return width, height


def wants_compact(size: QSize) -> bool:
    """Whether a window of this size is better off with the compact layout."""
    return size.width() < COMPACT_BELOW.width() or size.height() < COMPACT_BELOW.height()


def _dock(window: QMainWindow, name: str) -> QDockWidget | None:
    return window.findChild(QDockWidget, f"dock_{name}")


def arrange(window: QMainWindow, compact: bool) -> None:
    """Put every dock in its place (shown, docked) at sizes that favour the text."""
    docks = {
        n: d
        for n in ("documents", "entities", "entity_page", *BOTTOM_DOCKS)
        if (d := _dock(window, n)) is not None
    }
    size = window.size()  # adding docks one by one may grow the window: keep its size
    for dock in docks.values():
        dock.setFloating(False)
        dock.show()
    side = LEFT if compact else RIGHT
    window.addDockWidget(LEFT, docks["documents"])
    window.addDockWidget(side, docks["entities"])
    if compact:  # the entity page's contexts want width: with the wide bottom tabs
        window.tabifyDockWidget(docks["documents"], docks["entities"])
        names = (*BOTTOM_DOCKS[:1], "entity_page", *BOTTOM_DOCKS[1:])
    else:
        window.addDockWidget(side, docks["entity_page"])
        window.tabifyDockWidget(docks["entities"], docks["entity_page"])
        names = BOTTOM_DOCKS
    bottom = [docks[n] for n in names if n in docks]
    for dock in bottom:
        window.addDockWidget(BOTTOM, dock)
    for before, after in itertools.pairwise(bottom):
        window.tabifyDockWidget(before, after)
    bottom[0].raise_()
    docks["documents"].raise_()
    if not compact:
        docks["entities"].raise_()
    window.resize(size)
    size_docks(window, compact, size)
    QTimer.singleShot(0, lambda: size_docks(window, compact, size))  # after the layout settles


def size_docks(window: QMainWindow, compact: bool, size: QSize) -> None:
    """Give the window back `size` and the docks their shares of it."""
    window.resize(size)
    docks = {n: d for n in ("documents", "entities") if (d := _dock(window, n)) is not None}
    bottom = [d for n in BOTTOM_DOCKS if (d := _dock(window, n)) is not None]
    width, height = size.width(), size.height()
    if compact:
        window.resizeDocks(
            [docks["documents"]], [max(240, width * 22 // 100)], Qt.Orientation.Horizontal
        )
    else:
        window.resizeDocks(
            [docks["documents"], docks["entities"]],
            [max(220, width * 16 // 100), max(280, width * 24 // 100)],
            Qt.Orientation.Horizontal,
        )
    share = 34 if compact else 33
    window.resizeDocks(bottom[:1], [max(170, height * share // 100)], Qt.Orientation.Vertical)
    hide_stale_tab_bars(window)


def hide_stale_tab_bars(window: QMainWindow) -> None:
    """Hide the dock tab bars Qt left behind from earlier arrangements.

    Each tabify makes or reuses a tab bar; after docks are tabbed again in another order
    (a layout reset, compact on or off) Qt keeps some old bars shown, and they show
    through as a doubled row of tabs. The bar in use for a group of tabbed docks names
    exactly the docks of that group and sits right under the one shown, as wide as it;
    every other bar is stale.
    """
    groups: dict[frozenset[str], QDockWidget] = {}
    for dock in window.findChildren(QDockWidget):
        if dock.isVisible() and not dock.isFloating():
            tabbed = window.tabifiedDockWidgets(dock)
            if tabbed:
                groups[frozenset(d.windowTitle() for d in (dock, *tabbed))] = dock
    best: dict[frozenset[str], tuple[int, QTabBar]] = {}
    for bar in window.findChildren(QTabBar):
        if bar.parent() is not window or not bar.isVisible():
            continue
        titles = frozenset(bar.tabText(i) for i in range(bar.count()))
        dock = groups.get(titles)
        miss = _distance(bar, dock) if dock is not None else None
        if miss is None or miss > 12 or (titles in best and best[titles][0] <= miss):
            bar.hide()
        else:
            if titles in best:
                best[titles][1].hide()
            best[titles] = (miss, bar)


class StaleTabBarWatch(QObject):
    """Hides stale dock tab bars whenever Qt shows a tab bar again.

    Qt may show an old bar on a layout pass after the arrangement ran (seen after a layout
    reset, now and then), so hiding once at the end of `size_docks` is not enough: each
    dock tab bar is watched, and a bar shown is checked on the next turn of the event loop.
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._pending = False
        window.installEventFilter(self)
        for bar in window.findChildren(QTabBar):
            bar.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ChildAdded and watched is self._window:
            child = event.child()  # type: ignore[attr-defined]
            if isinstance(child, QTabBar):
                child.installEventFilter(self)
        elif kind == QEvent.Type.Show and isinstance(watched, QTabBar) and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._check)
        return False

    def _check(self) -> None:
        self._pending = False
        hide_stale_tab_bars(self._window)


def _distance(bar: QTabBar, dock: QDockWidget) -> int:
    """How far `bar` is from sitting right under `dock`, as wide as it (pixels)."""
    b, d = bar.geometry(), dock.geometry()
    return abs(b.top() - d.bottom() - 1) + abs(b.left() - d.left()) + abs(b.width() - d.width())
