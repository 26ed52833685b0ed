"""Why an input file is refused: one exception carrying the file and a plain reason."""

from __future__ import annotations

from pathlib import Path

from desktop.core.ingest.names import shown

MAX_REASON = 300  # characters: a reason is one short line


class RefusedFile(Exception):
    """A file that cannot be imported; str() is the one line shown to the user (the name
    as printable text, see names.shown)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        reason = shown(reason)
        if len(reason) > MAX_REASON:  # readers quote short excerpts; this is the last stop
            reason = reason[: MAX_REASON - 1] + "…"
        super().__init__(f"{shown(path)}: {reason}")
        self.path = Path(path)
        self.reason = reason


class ReadCancelled(Exception):
    """The user cancelled the import while a long file was being read."""
