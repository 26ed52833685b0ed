"""The read-only commands piped into a reader that stops early (`factdesk search ... | head -1`):
they stop quietly, as a command killed by SIGPIPE does, with nothing on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.entities.resolve import resolve
from desktop.core.records import NewDocument
from desktop.core.store import Store

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = (("stats",), ("search", "ferry"), ("entities",))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """Forty documents that all mention a ferry and a harbour master by name."""
    path = tmp_path_factory.mktemp("pipes") / "p.factdesk"
    with Store.open(path) as store:
        store.labels.ensure()
        for i in range(40):
            name = f"Harbour Master Tran Van {chr(65 + i % 26)}{i}"
            text = f"Ferry notice {i}\n\n{name} said the night ferry to Cat Ba runs again."
            doc_id, _ = store.documents.add(NewDocument(source=f"notice{i}.txt", text=text))
            start = text.index("Tran")
            store.mentions.add(doc_id, start, start + len(name) - 15, "PERSON", status="accepted")
        resolve(store)
    return path


def _piped(project: Path, args: tuple[str, ...], lines: int) -> tuple[int, str, list[str]]:
    """Run `factdesk ARGS -p PROJECT` into a pipe whose reader takes `lines` lines and closes
    it; (exit status, stderr, the lines read)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", *args, "-p", str(project)],
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout is not None and proc.stderr is not None
    read = [proc.stdout.readline() for _ in range(lines)]
    proc.stdout.close()  # the reader is gone: every later write of the command fails
    err = proc.stderr.read()
    return proc.wait(timeout=120), err, read


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_a_reader_that_closes_at_once_gets_a_quiet_stop(project, args):
    status, err, _ = _piped(project, args, lines=0)
    assert err == ""
    assert status == 141


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_a_reader_that_takes_one_line_gets_it_and_a_quiet_stop(project, args):
    status, err, read = _piped(project, args, lines=1)
    assert err == ""
    assert read[0].strip()
    assert status in (0, 141)  # 0 if everything fitted in the pipe before it was closed
