"""Every export by format name, with the shared filters: the one call the CLI and the GUI make."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.core.formats.exporters import EXPORTERS, export
from desktop.core.formats.facts import export_facts_csv, export_facts_jsonl
from desktop.core.formats.report import ExportReport
from desktop.core.formats.selection import Selection
from desktop.core.ingest.zones import BOILERPLATE_ZONES
from desktop.core.store import Store

FACT_FORMATS = {"facts-jsonl": export_facts_jsonl, "facts-csv": export_facts_csv}
ALL_FORMATS = (*EXPORTERS, *FACT_FORMATS)


def run_export(
    store: Store,
    fmt: str,
    out: Path,
    selection: Selection,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
    include_boilerplate: bool = False,
    **options: Any,
) -> ExportReport:
    """Export in any format; the report is also written beside the output."""
    if fmt not in FACT_FORMATS:
        return export(store, fmt, out, selection, progress=progress, cancelled=cancelled, **options)
    statuses = set(selection.statuses) | (
        {"proposed", "accepted"} if selection.include_human else set()
    )
    boilerplate = include_boilerplate or bool(selection.zones & BOILERPLATE_ZONES)
    n = FACT_FORMATS[fmt](
        store,
        out,
        statuses=sorted(statuses),
        tag=next(iter(selection.tags), None),
        types=sorted(selection.fact_types) or None,
        include_boilerplate=boilerplate,
    )
    report = ExportReport(fmt, out)
    report.count("facts", n)
    progress(1, 1)
    return report
