"""Crashes leave no damage: a killed extraction keeps the project whole, and an unexpected
error in the GUI reaches the user (a dialog naming the log file) and the log."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
COPIES = 12  # of each seed: 65 documents, extraction runs for several seconds


def factdesk(*args: str | Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the real command line."""
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def scalar(project: Path, sql: str) -> int:
    """One number from the project file, read-only, as a separate process would."""
    with closing(sqlite3.connect(f"file:{project}?mode=ro", uri=True, timeout=10)) as db:
        return int(db.execute(sql).fetchone()[0])


def bigger_corpus(folder: Path) -> Path:
    """Copies of the seeds with a different first line (the store dedupes identical texts)."""
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for copy in range(COPIES):
            note = f"Desk note {copy}: filed again by the regional desk, copy {copy}.\n\n"
            (folder / f"{seed.stem}_copy{copy:02d}.txt").write_text(note + text, encoding="utf-8")
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONIOENCODING": "utf-8",
        "FACTDESK_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }


def test_killed_extraction_leaves_the_project_whole(tmp_path: Path, env: dict[str, str]) -> None:
    project = tmp_path / "p.factdesk"
    for source in (SEEDS, bigger_corpus(tmp_path / "copies")):
        done = factdesk("ingest", "--project", project, source, "--no-extract", env=env)
        assert done.returncode == 0, done.stderr
    total = scalar(project, "SELECT count(*) FROM document")
    assert total == 5 * (COPIES + 1)

    extraction = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "extract", "--project", str(project), "--all"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while scalar(project, "SELECT count(*) FROM document WHERE last_run_id IS NOT NULL") < 3:
            assert extraction.poll() is None, extraction.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "extraction never stored a document"
            time.sleep(0.05)
        time.sleep(0.2)  # in the middle of a document's transaction, most likely
        assert extraction.poll() is None, "extraction ended before the kill: make the corpus bigger"
        extraction.send_signal(signal.SIGKILL)
        extraction.wait(timeout=30)
    finally:
        if extraction.poll() is None:
            extraction.kill()
            extraction.wait()
        extraction.stderr.close()  # type: ignore[union-attr]
    assert extraction.returncode == -signal.SIGKILL

    with closing(sqlite3.connect(project)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        per_document = db.execute(
            "SELECT d.id, d.last_run_id, "
            "(SELECT count(*) FROM mention m WHERE m.document_id = d.id), "
            "(SELECT count(*) FROM fact f WHERE f.document_id = d.id) "
            "FROM document d"
        ).fetchall()
    extracted = [row for row in per_document if row[1] is not None]
    pending = [row for row in per_document if row[1] is None]
    assert 3 <= len(extracted) < total, "the kill did not land mid-run"
    # One transaction per document: each is either done (with its proposals) or untouched.
    assert all(mentions > 0 for _id, _run, mentions, _facts in extracted)
    assert all(mentions == 0 and facts == 0 for _id, _run, mentions, facts in pending)

    from desktop.core.store import Store

    with Store.open(project, create=False) as store:
        stats = store.stats()
    assert stats.documents == total
    assert stats.pending_extraction == len(pending)
    assert stats.mentions == sum(row[2] for row in extracted)

    # The next run picks up exactly where the killed one stopped.
    done = factdesk("stats", "--project", project, "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert f'"pending_extraction": {len(pending)}' in done.stdout


CRASHING_SLOT = textwrap.dedent(
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.ui import errors

    app = QApplication([])
    errors.setup_logging()
    reporter = errors.ErrorReporter()
    errors.install(reporter)


    def boom():
        raise RuntimeError("the slot went wrong")


    def check():
        boxes = [w for w in app.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        for box in boxes:
            parts = (box.windowTitle(), box.text(), box.informativeText())
            print("DIALOG", " | ".join(parts).replace("\\n", " "))
        app.quit()


    QTimer.singleShot(0, boom)
    QTimer.singleShot(500, check)
    app.exec()
    print("ALIVE")
    """
)


def test_an_error_in_a_slot_shows_a_dialog_and_is_logged(
    tmp_path: Path, env: dict[str, str]
) -> None:
    script = tmp_path / "crashing_slot.py"
    script.write_text(CRASHING_SLOT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    log = Path(env["FACTDESK_DATA_DIR"]) / "logs" / "factdesk.log"
    # The app survives the error, and the user is told what happened and where the log is.
    assert "ALIVE" in done.stdout
    dialogs = [line for line in done.stdout.splitlines() if line.startswith("DIALOG")]
    assert len(dialogs) == 1, done.stdout + done.stderr
    assert "Unexpected error" in dialogs[0]
    assert "RuntimeError: the slot went wrong" in dialogs[0]
    assert str(log) in dialogs[0]
    # The log has the whole traceback.
    text = log.read_text(encoding="utf-8")
    assert "Unexpected error:" in text
    assert "Traceback (most recent call last)" in text
    assert ", in boom\n" in text
    assert 'raise RuntimeError("the slot went wrong")' in text
