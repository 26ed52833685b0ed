"""The one door to icons: qtawesome names behind app-level names."""

from __future__ import annotations

from functools import cache

import qtawesome
from PySide6.QtGui import QIcon

_NAMES = {
    "new": "mdi6.file-plus-outline",
    "open": "mdi6.folder-open-outline",
    "import": "mdi6.file-import-outline",
    "export": "mdi6.file-export-outline",
    "quit": "mdi6.exit-to-app",
    "undo": "mdi6.undo",
    "redo": "mdi6.redo",
    "history": "mdi6.history",
    "labels": "mdi6.label-multiple-outline",
    "accept": "mdi6.check-circle-outline",
    "reject": "mdi6.close-circle-outline",
    "delete": "mdi6.delete-outline",
    "accept_all": "mdi6.check-all",
    "tag": "mdi6.tag-outline",
    "next": "mdi6.chevron-down",
    "previous": "mdi6.chevron-up",
    "next_document": "mdi6.page-next-outline",
    "previous_document": "mdi6.page-previous-outline",
    "zoom_in": "mdi6.magnify-plus-outline",
    "zoom_out": "mdi6.magnify-minus-outline",
    "extract": "mdi6.auto-fix",
    "cancel": "mdi6.stop-circle-outline",
    "snap": "mdi6.format-letter-matches",
    "app": "mdi6.text-box-search-outline",
}


@cache
def icon(name: str) -> QIcon:
    """The icon for an app-level name (see _NAMES)."""
    return qtawesome.icon(_NAMES[name], color="#37474f")
