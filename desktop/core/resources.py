"""The one door to bundled files (resources/, seeds/), from source or a frozen bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def app_root() -> Path:
    """The folder holding resources/ and seeds/: the bundle's, or the source checkout's."""
    override = os.environ.get("FACTDESK_ROOT")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def resource_path(*parts: str) -> Path:
    """A file under resources/."""
    return app_root().joinpath("resources", *parts)


def seeds_dir() -> Path:
    """The bundled sample corpus."""
    return app_root() / "seeds"
