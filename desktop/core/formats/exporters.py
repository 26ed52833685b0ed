"""One entry point for every dataset export: `export(store, fmt, out, ...)`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.formats.brat import export_brat
from desktop.core.formats.conll import export_conll
from desktop.core.formats.docbin import export_docbin
from desktop.core.formats.prodigy import export_prodigy
from desktop.core.formats.report import ExportCancelled, ExportReport
from desktop.core.formats.selection import Selection

if TYPE_CHECKING:
    from desktop.core.store import Store

EXPORTERS: dict[str, Callable[..., ExportReport]] = {
    "spacy": export_docbin,
    "jsonl": export_prodigy,
    "conll": export_conll,
    "brat": export_brat,
}
FORMATS = tuple(EXPORTERS)
FOLDER_FORMATS = frozenset({"spacy", "brat"})  # `out` is a folder for these


def export(
    store: Store,
    fmt: str,
    out: Path,
    selection: Selection | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
    **options: Any,
) -> ExportReport:
    """Export in `fmt` (options: `dev_fraction`, `seed` for spacy); a cancelled export
    writes nothing and returns a report with `cancelled` set."""
    if fmt not in EXPORTERS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    try:
        return EXPORTERS[fmt](
            store, Path(out), selection, progress=progress, cancelled=cancelled, **options
        )
    except ExportCancelled:
        return ExportReport(fmt, Path(out), cancelled=True)
