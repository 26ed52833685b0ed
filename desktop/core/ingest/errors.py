"""Why an input file is refused: one exception carrying the file and a plain reason."""

from __future__ import annotations

from pathlib import Path


class RefusedFile(Exception):
    """A file that cannot be imported; str() is the one line shown to the user."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason
