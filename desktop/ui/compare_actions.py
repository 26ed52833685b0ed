"""File › Compare with another project…: the dialog, then the adjudication window.

Kept out of the main window: it asks for the file, opens the report, and wires the
adjudication view's changes back to the window's views.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from desktop.ui.dialogs.compare_dialog import OTHER_FILTER, CompareDialog
from desktop.ui.panels.adjudication import AdjudicationView, AdjudicationWindow

if TYPE_CHECKING:
    from desktop.ui.compare_jobs import Compared
    from desktop.ui.main_window import MainWindow


def compare_with(
    window: MainWindow, paths: str | Path | Sequence[str | Path] | None = None
) -> CompareDialog | None:
    """Ask for colleagues' projects or exports (unless given; several can be chosen) and
    compare in a dialog."""
    if window.store is None:
        return None
    if paths is None:
        chosen, _ = QFileDialog.getOpenFileNames(
            window, "Compare with other projects", "", OTHER_FILTER
        )
        if not chosen:
            return None
        paths = chosen
    files = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    dialog = CompareDialog(window.store, files, window)
    dialog.adjudicate_requested.connect(lambda compared: adjudicate(window, compared))
    window.compare_dialog = dialog  # type: ignore[attr-defined]  # kept alive, and for tests
    dialog.show()
    dialog.start()
    return dialog


def adjudicate(window: MainWindow, compared: Compared) -> AdjudicationWindow | None:
    """Open the adjudication of a comparison's disagreements beside the main window."""
    if window.store is None:
        return None
    texts = {sha: doc.text for sha, doc in compared.ours.documents.items()}
    colors = {name: style.color for name, style in getattr(window, "label_styles", {}).items()}
    view = AdjudicationView(
        window.store,
        compared.places,
        texts,
        compared.theirs.name,
        window.stack,
        colors,
        theirs=compared.theirs,
    )
    view.changed.connect(lambda doc_id: _follow(window, doc_id))
    view.open_requested.connect(lambda doc_id, offset: _show(window, doc_id, offset))
    adjudication = AdjudicationWindow(view, window)
    window.adjudication_window = adjudication  # type: ignore[attr-defined]
    adjudication.show()
    view.setFocus()
    return adjudication


def _follow(window: MainWindow, document_id: int) -> None:
    """After a choice or its undo: the shown document and the counts read again."""
    if window.controller.document_id == document_id:
        window.show_document(document_id)
    window.facts.refresh()


def _show(window: MainWindow, document_id: int, offset: int) -> None:
    window.documents.select_document(document_id)
    window.show_document(document_id)
    window.view.select_span(offset, offset)
    window.raise_()
