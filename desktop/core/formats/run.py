"""Every export by format name, with the shared filters: the one call the CLI and the GUI make."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.formats.entities import export_selected_entities
from desktop.core.formats.exporters import EXPORTERS, export
from desktop.core.formats.facts import export_facts_csv, export_facts_jsonl
from desktop.core.formats.report import ExportCancelled, ExportReport
from desktop.core.formats.selection import NothingSelected, Selection

if TYPE_CHECKING:
    from desktop.core.store import Store

FACT_FORMATS = {"facts-jsonl": export_facts_jsonl, "facts-csv": export_facts_csv}
ENTITY_FORMATS = {"entities-jsonl": export_selected_entities}
ALL_FORMATS = (*EXPORTERS, *FACT_FORMATS, *ENTITY_FORMATS)
SPAN_FILTERS_ONLY = ("labels", "zones")  # filters a facts export reads through its arguments


class UnknownDocument(ValueError):
    """A `--document` filter names no document of the project."""


def check_documents(store: Store, selection: Selection) -> None:
    """Raise UnknownDocument if a document filter names nothing in the project."""
    if not selection.documents:
        return
    known: set[str | int] = set()
    for doc_id, source in store.exports.sources().items():
        known |= {doc_id, source}
    missing = sorted(str(d) for d in selection.documents if d not in known)
    if missing:
        raise UnknownDocument(f"no document named {', '.join(missing)} in the project")


def run_export(
    store: Store,
    fmt: str,
    out: Path,
    selection: Selection,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
    **options: Any,
) -> ExportReport:
    """Export in any format through one selection. When nothing passes the selection,
    nothing is written and the report's `empty` says why; a cancelled export writes nothing."""
    if fmt not in ALL_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(ALL_FORMATS)}")
    check_documents(store, selection)
    out = Path(out)
    try:
        if fmt in FACT_FORMATS:
            return FACT_FORMATS[fmt](store, out, selection, progress=progress, cancelled=cancelled)
        if fmt in ENTITY_FORMATS:
            kind = options.get("kind")
            return ENTITY_FORMATS[fmt](
                store, out, selection, kind=kind, progress=progress, cancelled=cancelled
            )
        return export(store, fmt, out, selection, progress=progress, cancelled=cancelled, **options)
    except ExportCancelled:
        return ExportReport(fmt, out, cancelled=True)
    except NothingSelected as exc:
        report = ExportReport(fmt, out)
        report.empty = f"0 {exc.what}: {exc.reason}"
        report.proposed = exc.proposed
        return report
