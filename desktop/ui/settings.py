"""Persistent UI settings: window layout, recent projects, view toggles (QSettings)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


def settings() -> QSettings:
    """The application's settings store (organisation and app name set in app.py)."""
    return QSettings()


def recent_projects() -> list[str]:
    """Recently opened projects that still exist, newest first."""
    raw = settings().value("recent_projects", [])
    items = [raw] if isinstance(raw, str) else list(raw or [])
    return [p for p in items if is_shared(p) or Path(p).exists()][:MAX_RECENT]


def remember_project(path: str | Path) -> list[str]:
    """Put a project at the top of the recent list."""
    text = _location(path)
    items = [text] + [p for p in recent_projects() if p != text]
    settings().setValue("recent_projects", items[:MAX_RECENT])
    return items[:MAX_RECENT]


def is_shared(location: str | Path) -> bool:
    """Whether a project location is a server URL (a shared project) rather than a file."""
    return "://" in str(location)


def _location(project: str | Path) -> str:
    """How a project is remembered: a file by its resolved path, a server URL without any
    password (the keyring or ~/.pgpass keeps that, never the settings)."""
    text = str(project)
    if not is_shared(text):
        return str(Path(text).resolve())
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(text)
    if parts.password is not None:
        host = parts.hostname or ""
        netloc = f"{parts.username}@{host}" if parts.username else host
        if parts.port:
            netloc += f":{parts.port}"
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def save_layout(geometry: QByteArray, state: QByteArray) -> None:
    """Remember the main window's geometry and dock layout."""
    store = settings()
    store.setValue("window/geometry", geometry)
    store.setValue("window/state", state)


def layout() -> tuple[QByteArray | None, QByteArray | None]:
    """The remembered geometry and dock layout, if any."""
    store = settings()
    return store.value("window/geometry"), store.value("window/state")


def flag(name: str, default: bool) -> bool:
    """A remembered on/off setting."""
    value = settings().value(f"view/{name}", default)
    return value in (True, "true", "1", 1)


def set_flag(name: str, value: bool) -> None:
    """Remember an on/off setting."""
    settings().setValue(f"view/{name}", value)


def _project_key(path: str | Path) -> str:
    """A settings key for a project: its resolved path, slashes made safe."""
    text = _location(path)
    return "last_document/" + text.replace("/", "|").replace("\\", "|")


def remember_document(project: str | Path, document_id: int, scroll: int) -> None:
    """Remember the document last shown in a project and its scroll position (the Qt text
    position at the top of the view: it survives another window width)."""
    settings().setValue(_project_key(project), f"{document_id}:{scroll}")


def last_document(project: str | Path) -> tuple[int | None, int]:
    """The document last shown in a project and its scroll position (None, 0 if none)."""
    raw = str(settings().value(_project_key(project), "") or "")
    doc, _, scroll = raw.partition(":")
    try:
        return int(doc), int(scroll or 0)
    except ValueError:
        return None, 0
