"""Exports written through the atomic helpers get the modes the umask gives a plain file."""

from __future__ import annotations

import os
import stat

import pytest

from desktop.core.formats.atomic import atomic_dir, atomic_text_file

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_written_file_is_readable_by_others_under_umask_022(tmp_path, umask_022):
    target = tmp_path / "facts.csv"
    with atomic_text_file(target) as fh:
        fh.write("a,b\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_written_folder_follows_the_umask_too(tmp_path, umask_022):
    target = tmp_path / "brat"
    with atomic_dir(target) as folder:
        (folder / "doc.txt").write_text("text", encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o755


def test_a_strict_umask_is_kept(tmp_path):
    old = os.umask(0o077)
    try:
        target = tmp_path / "spans.jsonl"
        with atomic_text_file(target) as fh:
            fh.write("{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
