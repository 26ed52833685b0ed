"""Every `factdesk` command the README shows runs as written, on a fresh project.

The commands are read from the README itself (its ```sh blocks and the `factdesk ...`
spans in its prose), so the README cannot drift from the program again. `[--x]`
options are run both without and with the option; `PROJECT` is the project the
earlier commands made. `make` targets are what CI runs, so they are not run here."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
FACTDESK = Path(sys.executable).parent / "factdesk"


def readme_commands() -> list[list[str]]:
    """The factdesk commands of the README in order, optional parts expanded."""
    text = README.read_text(encoding="utf-8")
    # The Team server section's commands need a server: test_readme_team.py runs them.
    text = re.sub(r"\n## Team server\n.*?(?=\n## )", "\n", text, flags=re.S)
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        lines += [line.split("#", 1)[0].strip() for line in block.splitlines()]
    lines += re.findall(r"`((?:\.venv/bin/)?factdesk [^`]+)`", text)
    commands: list[list[str]] = []
    for line in lines:
        if not re.match(r"(\.venv/bin/)?factdesk\s", line):
            continue
        optional = re.findall(r"\[([^\]]+)\]", line)
        bare = re.sub(r"\s*\[[^\]]+\]", "", line)
        commands.append(shlex.split(bare))
        if optional:
            commands.append(shlex.split(re.sub(r"\[([^\]]+)\]", r"\1", line)))
    return commands


def test_the_readme_shows_the_commands_it_documents():
    names = {c[1] for c in readme_commands()}
    assert {"ingest", "extract", "stats", "search", "export", "import", "entities", "open"} <= names


DOCCANO = [
    {"text": "Minister Tran Van Son met Li Qiang in Hanoi.", "label": [[9, 21, "PERSON"]]},
    {"text": "Laos and Thailand signed two agreements in Vientiane.", "label": [[0, 4, "GPE"]]},
]


@pytest.mark.slow
def test_every_readme_command_works_as_written(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "export.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in DOCCANO), encoding="utf-8"
    )
    home = tmp_path / "home"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONIOENCODING": "utf-8",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "FACTDESK_STARTUP_PROBE": str(tmp_path / "probe.txt"),
        "FACTDESK_STARTUP_EXIT": "1",
    }
    ran = []
    for command in readme_commands():
        argv = [str(FACTDESK), *("p.factdesk" if a == "PROJECT" else a for a in command[1:])]
        done = subprocess.run(
            argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        shown = " ".join(command)
        assert done.returncode == 0, f"{shown}\n{done.stderr}"
        assert "Traceback" not in done.stderr, shown
        ran.append(command[1])
    assert (tmp_path / "spans.jsonl").stat().st_size > 0
    assert "ingest" in ran and "open" in ran


@pytest.mark.slow
def test_the_readme_benchmark_command_runs(tmp_path):
    text = README.read_text(encoding="utf-8")
    shown = re.findall(r"`\.venv/bin/python (bench/\S+\.py)(?: \[(--\w+)\])?`", text)
    assert shown, "the README names a benchmark command"
    for script, option in shown:
        argv = [sys.executable, str(ROOT / script), *([option] if option else [])]
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        done = subprocess.run(
            argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
        )
        assert done.returncode == 0, f"{script}\n{done.stderr[-2000:]}"
        assert re.search(r"^\w[\w ]*: ", done.stdout, flags=re.M), done.stdout
