"""Where the user's projects and logs live (platform conventions via platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_DIR = "Factdesk"
PROJECT_SUFFIX = ".factdesk"


def data_dir() -> Path:
    """The user's data folder for Factdesk (FACTDESK_DATA_DIR overrides it)."""
    override = os.environ.get("FACTDESK_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_DIR, False))


def log_dir() -> Path:
    """The user's log folder for Factdesk."""
    override = os.environ.get("FACTDESK_DATA_DIR")
    return Path(override) / "logs" if override else Path(platformdirs.user_log_dir(APP_DIR, False))


def default_project() -> Path:
    """The project opened when none is named."""
    return data_dir() / f"default{PROJECT_SUFFIX}"
