"""An export as a worker job: the exporter runs in a helper thread, its progress is yielded."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from desktop.core.formats.run import run_export as export_any
from desktop.core.formats.selection import Selection
from desktop.core.store import Store


def run_export(
    store: Store,
    fmt: str,
    out: Path,
    selection: Selection,
    cancelled: Callable[[], bool],
    **options: Any,
) -> Iterator[Any]:
    """Yield (done, total) while exporting, then the ExportReport."""
    steps: queue.Queue[tuple[int, int] | None] = queue.Queue()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["report"] = export_any(
                store,
                fmt,
                out,
                selection,
                progress=lambda d, t: steps.put((d, t)),
                cancelled=cancelled,
                **options,
            )
        except Exception as exc:  # handed to the worker, which reports it to the user
            outcome["error"] = exc
        finally:
            steps.put(None)

    thread = threading.Thread(target=work, name="factdesk-export", daemon=True)
    thread.start()
    while (step := steps.get()) is not None:
        yield step
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    yield outcome["report"]
