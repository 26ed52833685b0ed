"""Small helpers of the store that need no SQLAlchemy, so that the import command's plain
path (store/imports.py on a sqlite3 connection) loads without it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime


def text_sha256(text: str) -> str:
    """The identity of a document: sha256 of its UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def zone_of(zones: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The zone covering most of a span (a dateline prefix does not make a sentence one)."""
    overlap: dict[str, int] = {}
    for z_start, z_end, kind in zones:
        shared = min(end, z_end) - max(start, z_start)
        if shared > 0:
            overlap[kind] = overlap.get(kind, 0) + shared
    return max(overlap, key=lambda k: overlap[k]) if overlap else None


def sqlite_stamp() -> str:
    """Now as SQLAlchemy's UTCDateTime stores it in SQLite: naive UTC with microseconds."""
    return datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


BUSY_TIMEOUT = 30.0  # as desktop.core.store.db.BUSY_TIMEOUT: seconds to wait for a writer's lock
