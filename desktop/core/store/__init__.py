"""The project store: the only place with queries and mutations."""

from desktop.core.store.project import ProjectError, Store

__all__ = ["ProjectError", "Store"]
