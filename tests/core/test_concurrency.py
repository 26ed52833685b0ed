"""Several processes on one project file: real `factdesk` processes ingesting and importing
overlapping files at once, and exports killed in the middle of writing."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop.core.formats import atomic
from desktop.core.formats.atomic import atomic_dir, atomic_text_file, remove_stale_temporaries
from desktop.core.store import Store

SHARED, OWN = 300, 60  # files both processes get (first, in the same order), files each alone
CLI = [sys.executable, "-m", "desktop.cli"]
ROOT = Path(__file__).resolve().parents[2]


def _article(n: int) -> str:
    return (
        f"Harbour bulletin {n}\n\nThe port board of Kestrel Bay met on day {n} and approved "
        f"{n % 17 + 2} new berths for the ferry line, its chair said.\n"
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two folders and two doccano files sharing SHARED texts, each with OWN of its own."""
    root = tmp_path_factory.mktemp("corpus")
    numbers = {
        "a": [*range(SHARED), *range(SHARED, SHARED + OWN)],
        "b": [*range(SHARED), *range(SHARED + OWN, SHARED + 2 * OWN)],
    }
    paths: dict[str, Path] = {}
    for side, ns in numbers.items():
        folder = root / side
        folder.mkdir()
        for n in ns:
            (folder / f"bulletin{n:04d}.txt").write_text(_article(n), encoding="utf-8")
        lines = [
            json.dumps({"text": _article(n), "label": [[0, 8, "ORG"]]}, ensure_ascii=False)
            for n in ns
        ]
        (root / f"{side}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths[side] = folder
        paths[f"{side}.jsonl"] = root / f"{side}.jsonl"
    return paths


def _start(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run_together(*commands: list[str | Path]) -> list[tuple[int, str]]:
    procs = [_start(*command) for command in commands]
    results = []
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        results.append((proc.returncode, err))
    return results


def _check_project(project: Path) -> None:
    """Every text exactly once, and SQLite finds nothing wrong with the file."""
    con = sqlite3.connect(project)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        total, distinct = con.execute(
            "SELECT count(*), count(DISTINCT sha256) FROM document"
        ).fetchone()
        fts = con.execute("SELECT count(*) FROM document_fts").fetchone()[0]
    finally:
        con.close()
    assert (total, distinct) == (SHARED + 2 * OWN, SHARED + 2 * OWN)
    assert fts == total  # every document searchable once


def _ingest_counts(err: str) -> tuple[int, int, set[str]]:
    """(imported, already present, names reported as already in the project)."""
    summary = re.search(r"ingest: (\d+) imported, (\d+) already present", err)
    assert summary is not None, err
    skipped = set(re.findall(r"already in the project: (bulletin\d+)", err))
    return int(summary[1]), int(summary[2]), skipped


@pytest.mark.parametrize("round_", range(3))
def test_two_ingests_of_overlapping_folders_both_finish(tmp_path, corpus, round_):
    # Round 0 also has both processes create the new project file at the same moment.
    project = tmp_path / "shared.factdesk"
    if round_:
        Store.open(project).close()  # made beforehand
    results = _run_together(
        ["ingest", "--project", project, "--no-extract", corpus["a"]],
        ["ingest", "--project", project, "--no-extract", corpus["b"]],
    )
    for code, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "error" not in err, err
    (added_a, present_a, skipped_a), (added_b, present_b, skipped_b) = (
        _ingest_counts(err) for _code, err in results
    )
    # Each shared text went in once, by one of them; the other said it skipped it, by name.
    assert added_a + added_b == SHARED + 2 * OWN
    assert present_a + present_b == SHARED
    assert (len(skipped_a), len(skipped_b)) == (present_a, present_b)
    assert not skipped_a & skipped_b
    assert len(skipped_a | skipped_b) == SHARED
    _check_project(project)


@pytest.mark.parametrize("round_", range(2))
def test_two_imports_of_overlapping_datasets_both_finish(tmp_path, corpus, round_):
    project = tmp_path / "shared.factdesk"
    Store.open(project).close()
    results = _run_together(
        ["import", "--project", project, "--format", "doccano", corpus["a.jsonl"]],
        ["import", "--project", project, "--format", "doccano", corpus["b.jsonl"]],
    )
    counts = []
    for code, err in results:
        assert code == 0, err
        found = re.search(r"import: (\d+) new documents, (\d+) already present", err)
        assert found is not None, err
        counts.append((int(found[1]), int(found[2])))
    # One import's transaction went first; the second found the shared texts and said so.
    assert sorted(counts) == [(OWN, SHARED), (SHARED + OWN, 0)]
    _check_project(project)
    con = sqlite3.connect(project)
    try:  # the shared texts gained their span once: the second import skipped it as a duplicate
        spans = con.execute("SELECT count(*) FROM mention").fetchone()[0]
    finally:
        con.close()
    assert spans == SHARED + 2 * OWN


def test_ingest_and_import_at_once(tmp_path, corpus):
    project = tmp_path / "shared.factdesk"
    results = _run_together(
        ["ingest", "--project", project, "--no-extract", corpus["a"]],
        ["import", "--project", project, "--format", "doccano", corpus["b.jsonl"]],
    )
    for code, err in results:
        assert code == 0, err
    _check_project(project)


# Exports stopped in the middle of writing ----------------------------------------------

_SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from desktop.core.formats.atomic import atomic_text_file
    with atomic_text_file(Path(sys.argv[1])) as fh:
        fh.write("half a line")
        fh.flush()
        print("writing", flush=True)
        time.sleep(60)
    """
)


def _parts(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".part", ".old")))


def _accepted_project(tmp_path: Path, corpus: dict[str, Path]) -> Path:
    project = tmp_path / "p.factdesk"
    [(code, err)] = _run_together(
        ["import", "--project", project, "--format", "doccano", corpus["a.jsonl"]]
    )
    assert code == 0, err
    return project


def test_a_killed_export_leaves_a_part_file_the_next_export_removes(tmp_path, corpus):
    out = tmp_path / "out" / "spans.jsonl"
    out.parent.mkdir()
    (out.parent / ".spans.jsonl.notes").write_text("not ours", encoding="utf-8")
    writer = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "writing"
    os.kill(writer.pid, signal.SIGKILL)  # no handler, no cleanup
    writer.wait(timeout=30)
    left = _parts(out.parent)
    assert len(left) == 1 and left[0].startswith(f".spans.jsonl.{writer.pid}.")
    assert not out.exists()

    project = _accepted_project(tmp_path, corpus)
    [(code, err)] = _run_together(
        ["export", "--project", project, "--format", "jsonl", "--out", out]
    )
    assert code == 0, err
    assert _parts(out.parent) == []  # the dead process's temporary is gone
    assert (out.parent / ".spans.jsonl.notes").exists()  # a file not named like ours stays
    assert len(out.read_text(encoding="utf-8").splitlines()) == SHARED + OWN


def test_a_live_exports_temporary_is_left_alone(tmp_path):
    out = tmp_path / "facts.jsonl"
    writer = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "writing"
        assert remove_stale_temporaries(out) == []
        assert len(_parts(tmp_path)) == 1
    finally:
        writer.kill()
        writer.wait(timeout=30)
    left = _parts(tmp_path)
    assert [p.name for p in remove_stale_temporaries(out)] == left  # now its process is gone
    assert _parts(tmp_path) == []


@pytest.mark.parametrize("error", [ValueError("bad row"), KeyboardInterrupt()])
def test_a_failed_write_removes_its_temporary_and_keeps_the_old_file(tmp_path, error):
    out = tmp_path / "report.csv"
    out.write_text("old\n", encoding="utf-8")
    with pytest.raises(type(error)), atomic_text_file(out) as fh:
        fh.write("new, half")
        assert len(_parts(tmp_path)) == 1
        raise error
    assert _parts(tmp_path) == []
    assert out.read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize("error", [RuntimeError("disk"), KeyboardInterrupt()])
def test_a_failed_folder_export_removes_its_temporary(tmp_path, error):
    out = tmp_path / "brat"
    out.mkdir()
    (out / "a.txt").write_text("old", encoding="utf-8")
    with pytest.raises(type(error)), atomic_dir(out) as tmp:
        (tmp / "a.txt").write_text("new", encoding="utf-8")
        raise error
    assert _parts(tmp_path) == []
    assert (out / "a.txt").read_text(encoding="utf-8") == "old"


def test_stopped_between_the_two_renames_of_a_folder_the_old_one_comes_back(tmp_path):
    out = tmp_path / "brat"
    out.mkdir()
    (out / "a.txt").write_text("old", encoding="utf-8")
    real_replace = os.replace
    calls = []

    def replace_then_stop(src, dst):  # type: ignore[no-untyped-def]
        calls.append((src, dst))
        if len(calls) == 2:  # the old folder moved away, the new one not yet in place
            raise KeyboardInterrupt
        real_replace(src, dst)

    with pytest.MonkeyPatch.context() as mp, pytest.raises(KeyboardInterrupt):
        mp.setattr(atomic.os, "replace", replace_then_stop)
        with atomic_dir(out) as tmp:
            (tmp / "a.txt").write_text("new", encoding="utf-8")
    assert (out / "a.txt").read_text(encoding="utf-8") == "old"
    assert _parts(tmp_path) == []


def test_a_dead_folder_exports_leftovers_are_cleared_and_a_moved_target_restored(tmp_path):
    out = tmp_path / "brat"
    dead = _dead_pid()
    # Killed between the renames: the target sits inside the .old folder, the new beside it.
    old = tmp_path / f".brat.{dead}.k2j4_x.old"
    (old / "brat").mkdir(parents=True)
    (old / "brat" / "a.txt").write_text("old", encoding="utf-8")
    (tmp_path / f".brat.{dead}.q8zz1a.part").mkdir()
    (tmp_path / ".brat.oldstyle1.part").write_text("", encoding="utf-8")  # no pid, recent
    (tmp_path / ".brat.something.else").write_text("", encoding="utf-8")  # not ours
    with atomic_dir(out) as tmp:
        assert (out / "a.txt").read_text(encoding="utf-8") == "old"  # put back first
        (tmp / "a.txt").write_text("new", encoding="utf-8")
    assert (out / "a.txt").read_text(encoding="utf-8") == "new"
    assert _parts(tmp_path) == [".brat.oldstyle1.part"]  # no pid: kept until it is old
    stale = time.time() - atomic.STALE_AFTER - 60
    os.utime(tmp_path / ".brat.oldstyle1.part", (stale, stale))
    remove_stale_temporaries(out)
    assert _parts(tmp_path) == []
    assert (tmp_path / ".brat.something.else").exists()


def _dead_pid() -> int:
    """The pid of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=30)
    return proc.pid
