"""A shared project's password in the system keyring, when the system has one.

Never in the settings or the log: the recent-projects list keeps the URL without it
(settings.py), and a server without a password in the keyring may still find one in the
user's ~/.pgpass (libpq reads it when none is given). A system with no keyring back end
(a headless Linux box) answers None and stores nothing."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
SERVICE = "Factdesk"


def _keyring():  # type: ignore[no-untyped-def]
    """The keyring module when a real back end is there, else None."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:  # no package, or a back end that fails to load
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


def available() -> bool:
    """Whether passwords can be kept in a system keyring here."""
    return _keyring() is not None


def get(location: str) -> str | None:
    """The kept password of a server project (its URL without a password), if any."""
    ring = _keyring()
    if ring is None:
        return None
    try:
        return ring.get_password(SERVICE, location)  # type: ignore[no-any-return]
    except Exception as exc:  # a locked or broken keyring: as if none were kept
        log.info("keyring read failed: %s", type(exc).__name__)
        return None


def put(location: str, password: str) -> bool:
    """Keep a password for a server project; False when there is no keyring."""
    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.set_password(SERVICE, location, password)
    except Exception as exc:
        log.info("keyring write failed: %s", type(exc).__name__)
        return False
    return True
