"""Write an output file all at once: a failed export never leaves a half-written file.

The temporary file (or folder) sits beside the target, hidden, named
`.<target name>.<pid>.<random>.part`. It is removed on any exception, Ctrl-C included. A
process killed outright cannot remove it; the next export to the same target does: a
temporary of that target whose process is gone, or which nobody has touched for
STALE_AFTER seconds, is left over and taken away. Nothing else in the folder is touched.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

STALE_AFTER = 3600.0  # seconds untouched after which a temporary is left over, whoever made it
_SUFFIXES = (".part", ".old")
_TAIL = re.compile(r"(?:(?P<pid>\d+)\.)?[A-Za-z0-9_]+\.(?:part|old)")  # after ".<name>."


def _prefix(path: Path) -> str:
    return f".{path.name}.{os.getpid()}."


@contextmanager
def atomic_text_file(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """Open a temporary file beside `path`; it replaces `path` only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=_prefix(path), suffix=".part", dir=path.parent)
        tmp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            yield fh
        _honour_umask(tmp, 0o666)  # mkstemp makes 0600; a written export is a normal file
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """A temporary folder beside `path`; it replaces `path` only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    tmp: Path | None = None
    old: Path | None = None
    try:
        tmp = Path(tempfile.mkdtemp(prefix=_prefix(path), suffix=".part", dir=path.parent))
        yield tmp
        _honour_umask(tmp, 0o777)  # mkdtemp makes 0700; the folder is a normal one
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=_prefix(path), suffix=".old", dir=path.parent))
            os.replace(path, old / path.name)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        if old is not None and (old / path.name).exists() and not path.exists():
            os.replace(old / path.name, path)  # stopped between the two renames: old one back
        for left in (tmp, old):
            if left is not None:
                shutil.rmtree(left, ignore_errors=True)
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _honour_umask(path: Path, base: int) -> None:
    """Give a finished temporary the mode a plain open() would have given it."""
    if os.name == "posix":
        os.chmod(path, base & ~_current_umask())


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporaries of `path` left by exports that were killed; those removed."""
    lead = f".{path.name}."
    removed: list[Path] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(lead) and entry.name.endswith(_SUFFIXES)):
            continue
        match = _TAIL.fullmatch(entry.name[len(lead) :])
        if match is None:
            continue  # not one of ours
        pid = int(match["pid"]) if match["pid"] else None
        try:
            age = time.time() - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if not (_dead(pid) or age > STALE_AFTER):
            continue
        left = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                if _restore(left, path):
                    continue
                shutil.rmtree(left)
            else:
                left.unlink()
        except OSError:
            continue  # gone meanwhile, or not ours to remove: leave it
        removed.append(left)
    return removed


def _restore(old: Path, path: Path) -> bool:
    """A `.old` folder still holding the target, killed between the two renames of
    `atomic_dir` (the target is missing): put it back rather than remove it."""
    inside = old / path.name
    if old.name.endswith(".old") and inside.exists() and not path.exists():
        os.replace(inside, path)
        shutil.rmtree(old, ignore_errors=True)
        return True
    return False


def _dead(pid: int | None) -> bool:
    """Whether the process `pid` is known to have ended (False when it cannot be told)."""
    if pid is None or pid == os.getpid() or os.name != "posix":
        return False  # no pid, ourselves, or no safe probe (os.kill(pid, 0) on Windows kills)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, someone else's
    return False
