"""The project store: the only place with queries and mutations.

`Store` and `ProjectError` load on first use, so a module of the package that needs no
SQLAlchemy (`plain_reads`, `schema_head`, `search`) can be imported without it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.core.store.project import ProjectError, Store

__all__ = ["ProjectError", "Store"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from desktop.core.store import project

        return getattr(project, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
