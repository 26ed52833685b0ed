"""`factdesk export` and `factdesk open` as a user runs them: real subprocesses, a real project."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from desktop.core.store import Store

SEEDS = Path(__file__).parents[2] / "seeds"
TALKS = "004_eeecfdc9a415f39d"


@pytest.fixture(scope="module")
def project(tmp_path_factory, factdesk_cli) -> Path:
    factdesk = factdesk_cli
    folder = tmp_path_factory.mktemp("cli-export")
    path = folder / "p.factdesk"
    done = factdesk("ingest", "--project", path, SEEDS, cwd=folder)
    assert done.returncode == 0, done.stderr
    return path


def test_nothing_reviewed_exports_nothing_and_says_why(project, tmp_path, factdesk_cli):
    factdesk = factdesk_cli
    for fmt in ("facts-jsonl", "facts-csv", "jsonl", "conll", "spacy", "brat", "entities-jsonl"):
        out = tmp_path / f"out-{fmt}"
        done = factdesk("export", "--project", project, "--format", fmt, "--out", out, cwd=tmp_path)
        assert done.returncode == 1, (fmt, done.stderr)
        assert "nothing is accepted yet" in done.stderr, done.stderr
        assert "`--status proposed` includes proposals" in done.stderr
        assert "Traceback" not in done.stderr
        assert not out.exists() and not list(tmp_path.glob(f".out-{fmt}*")), fmt


def test_accepting_one_fact_exports_exactly_that_fact(project, tmp_path, factdesk_cli):
    factdesk = factdesk_cli
    copy = tmp_path / "one.factdesk"
    copy.write_bytes(project.read_bytes())
    with Store.open(copy) as store:
        fact = next(f for f in store.facts.query(boilerplate=False) if f.type == "MEETING")
        store.facts.set_status(fact.id, "accepted")
    out = tmp_path / "facts.jsonl"
    done = factdesk(
        "export", "--project", copy, "--format", "facts-jsonl", "--out", out, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["fact_id"] for x in lines] == [fact.id]
    assert lines[0]["status"] == "accepted"
    assert "facts: 1" in done.stderr
    assert "accepted fact, argument mention still proposed" in done.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "conll", "brat", "facts-jsonl", "facts-csv"])
def test_document_limits_every_format(project, tmp_path, fmt, factdesk_cli):
    factdesk = factdesk_cli
    out = tmp_path / f"doc-{fmt}"
    args = ("--status", "proposed", "--document", TALKS)
    done = factdesk(
        "export", "--project", project, "--format", fmt, "--out", out, *args, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "documents: 1" in done.stderr, done.stderr
    if fmt == "brat":
        assert sorted(p.name for p in out.iterdir()) == [f"{TALKS}.ann", f"{TALKS}.txt"]
    elif fmt == "jsonl":
        lines = out.read_text(encoding="utf-8").splitlines()
        assert [json.loads(x)["meta"]["source"] for x in lines] == [TALKS]
    elif fmt == "facts-jsonl":
        docs = {json.loads(x)["document"] for x in out.read_text(encoding="utf-8").splitlines()}
        assert docs == {TALKS}
    elif fmt == "facts-csv":
        with out.open(encoding="utf-8", newline="") as f:  # evidence may hold line breaks
            assert {row[0] for row in list(csv.reader(f))[1:]} == {TALKS}
    else:
        assert out.read_text(encoding="utf-8").count("-DOCSTART-") == 1


def test_an_unknown_document_is_one_line(project, tmp_path, factdesk_cli):
    factdesk = factdesk_cli
    done = factdesk(
        "export",
        "--project",
        project,
        "-f",
        "jsonl",
        "-o",
        tmp_path / "x",
        "--document",
        "nope",
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "factdesk: error: no document named nope in the project (nothing was written)"
    )


@pytest.mark.parametrize("form", [["open"], []])
def test_open_starts_the_window_on_that_project(project, tmp_path, form, factdesk_cli):
    factdesk = factdesk_cli
    probe = tmp_path / "probe.txt"
    env = {
        "FACTDESK_STARTUP_PROBE": str(probe),
        "FACTDESK_STARTUP_EXIT": "1",
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"),
        "XDG_DATA_HOME": str(tmp_path / "home" / ".local" / "share"),
    }
    done = factdesk(*form, project, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    lines = probe.read_text(encoding="utf-8").splitlines()
    assert [line.split()[0] for line in lines] == ["first_window", "extraction_ready"]
    opened = probe.with_name(probe.name + ".project").read_text(encoding="utf-8")
    assert opened == str(project)


def test_open_of_a_missing_project_is_one_line(tmp_path, factdesk_cli):
    factdesk = factdesk_cli
    done = factdesk("open", tmp_path / "none.factdesk", cwd=tmp_path)
    assert done.returncode == 2
    assert "no such project" in done.stderr and "Traceback" not in done.stderr
