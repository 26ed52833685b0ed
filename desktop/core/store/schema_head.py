"""The newest schema revision this code knows, read without SQLAlchemy or Alembic.

Opening a project that needs no migration, and the read-only commands of the command
line, compare the stored revision with this one and import neither library."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# `revision = "0004"` / `down_revision = "0003"` lines of a migration script
_REVISION_LINE = re.compile(
    r"^(down_revision|revision)\s*(?::[^=]+)?=\s*(?:['\"]([^'\"]+)['\"]|None)", re.M
)


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision, from the migration scripts' own `revision` / `down_revision`
    lines (the one no script names as its parent)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for name, value in _REVISION_LINE.findall(script.read_text(encoding="utf-8")):
            if value:
                (revisions if name == "revision" else parents).add(value)
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()
