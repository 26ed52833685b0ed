"""`factdesk ingest` end to end: the real command in a subprocess, on real files and projects."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = Path(__file__).parents[2] / "seeds"
GOOD = {
    "alpha.txt": "Guangxi and Vietnam signed an agreement on AI training in Nanning.",
    "nested/beta.md": "# Beta\n\nWei Tao met Le Hoai Trung in Hanoi on November 25.",
    "nested/deeper/gamma.html": "<title>Gamma</title><p>ASEAN ministers met in Nanning.</p>",
    "rows.csv": 'text,title\n"China-ASEAN Expo opens, with AI on the agenda.",Expo\n',
}
BAD = {
    "broken.jsonl": ('{"text": "fine"}\n{"text": oops}\n', "line 2: invalid JSON"),
    "nested/scan.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    "nested/deeper/sheet.csv": ("headline,body\nA,B\n", "no 'text' column"),
    "latin.md": (b"\xef\xbb\xbfBOM then \xe9 invalid", "invalid utf-8-sig text at byte 9"),
}


def stats(factdesk, project: Path, cwd: Path) -> dict:  # type: ignore[type-arg]
    done = factdesk("stats", "--project", project, "--json", cwd=cwd)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def make(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def refused_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("refused:")]


def test_mixed_folder_imports_the_good_and_refuses_each_bad_file_once(
    tmp_path: Path, factdesk_cli
) -> None:
    factdesk = factdesk_cli
    corpus = make(tmp_path / "corpus", {**GOOD, **{k: v[0] for k, v in BAD.items()}})
    project = tmp_path / "mixed.factdesk"

    done = factdesk("ingest", "--project", project, corpus, "--no-extract", cwd=tmp_path)

    assert done.returncode == 1, done.stderr
    lines = refused_lines(done.stderr)
    assert len(lines) == len(BAD), done.stderr
    for rel, (_content, reason) in BAD.items():
        (line,) = [line for line in lines if f"{Path(rel).name}:" in line]
        assert str(corpus / rel) in line
        assert reason in line, line
    assert "Traceback" not in done.stderr
    assert "ingest: 4 imported, 0 already present, 0 empty skipped, 4 files refused" in done.stderr
    counts = stats(factdesk, project, tmp_path)
    assert counts["documents"] == len(GOOD)
    assert counts["mentions"] == 0
    assert counts["pending_extraction"] == len(GOOD)


def test_all_good_folder_exits_zero(tmp_path: Path, factdesk_cli) -> None:
    factdesk = factdesk_cli
    corpus = make(tmp_path / "corpus", dict(GOOD))
    project = tmp_path / "good.factdesk"
    done = factdesk("ingest", "--project", project, corpus, "--no-extract", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert refused_lines(done.stderr) == []
    assert "ingest: 4 imported, 0 already present, 0 empty skipped, 0 files refused" in done.stderr
    assert stats(factdesk, project, tmp_path)["documents"] == len(GOOD)


def test_reingesting_the_same_folder_is_a_no_op(tmp_path: Path, factdesk_cli) -> None:
    factdesk = factdesk_cli
    corpus = make(tmp_path / "corpus", dict(GOOD))
    project = tmp_path / "again.factdesk"
    first = factdesk("ingest", "--project", project, corpus, "--no-extract", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = stats(factdesk, project, tmp_path)

    second = factdesk("ingest", "--project", project, corpus, "--no-extract", cwd=tmp_path)

    assert second.returncode == 0, second.stderr
    present = [line for line in second.stderr.splitlines() if "already in the project" in line]
    assert len(present) == len(GOOD)
    assert {line.split(": ", 1)[1].split(" (")[0] for line in present} == {
        "alpha",
        "beta",
        "gamma",
        "rows#2",
    }
    assert "ingest: 0 imported, 4 already present, 0 empty skipped, 0 files refused" in (
        second.stderr
    )
    assert stats(factdesk, project, tmp_path) == before


def test_missing_path_is_refused_and_the_rest_imported(tmp_path: Path, factdesk_cli) -> None:
    factdesk = factdesk_cli
    corpus = make(tmp_path / "corpus", {"alpha.txt": GOOD["alpha.txt"]})
    project = tmp_path / "p.factdesk"
    done = factdesk(
        "ingest", "--project", project, tmp_path / "nope.txt", corpus, "--no-extract", cwd=tmp_path
    )
    assert done.returncode == 1
    assert refused_lines(done.stderr) == [
        f"refused: {tmp_path / 'nope.txt'}: no such file or folder"
    ]
    assert stats(factdesk, project, tmp_path)["documents"] == 1


@pytest.mark.parametrize(
    "content",
    [b"Meeting notes, not a database.\n", bytes(range(256)) * 8],
    ids=["text", "binary"],
)
def test_non_sqlite_project_is_refused_and_left_unchanged(
    tmp_path: Path, content: bytes, factdesk_cli
) -> None:
    factdesk = factdesk_cli
    corpus = make(tmp_path / "corpus", dict(GOOD))
    project = tmp_path / "notes.factdesk"
    project.write_bytes(content)
    before = sorted(p.name for p in tmp_path.iterdir())

    done = factdesk("ingest", "--project", project, corpus, "--no-extract", cwd=tmp_path)

    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("factdesk: error: ")
    assert str(project) in line
    assert "not an SQLite database" in line
    assert project.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no -wal/-journal left behind


def test_empty_file_is_warned_about_not_refused(tmp_path: Path, factdesk_cli) -> None:
    factdesk = factdesk_cli
    corpus = make(tmp_path / "corpus", {"alpha.txt": GOOD["alpha.txt"], "blank.txt": "\n \n"})
    done = factdesk(
        "ingest", "--project", tmp_path / "p.factdesk", corpus, "--no-extract", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "skipped empty document: blank" in done.stderr
    assert refused_lines(done.stderr) == []


@pytest.mark.slow
def test_seeds_are_extracted_and_exported(tmp_path: Path, factdesk_cli) -> None:
    factdesk = factdesk_cli
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    project = tmp_path / "seeds.factdesk"

    done = factdesk("ingest", "--project", project, corpus, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    counts = stats(factdesk, project, tmp_path)
    assert counts["documents"] == 5
    assert counts["pending_extraction"] == 0
    assert counts["mentions"] > 0

    out = tmp_path / "export.jsonl"
    # Fresh proposals are not reviewed yet: ask for them (the default is accepted only).
    exported = factdesk(
        "export",
        "--project",
        project,
        "--format",
        "jsonl",
        "--out",
        out,
        "--status",
        "proposed",
        cwd=tmp_path,
    )
    assert exported.returncode == 0, exported.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    records = {r["meta"]["source"]: r for r in map(json.loads, lines)}
    assert sorted(records) == sorted(p.stem for p in SEEDS.glob("*.txt"))

    for source, record in records.items():
        text = record["text"]
        assert text == (SEEDS / f"{source}.txt").read_text(encoding="utf-8")
        assert record["spans"], source
        for span in record["spans"]:
            assert 0 <= span["start"] < span["end"] <= len(text), span
            assert text[span["start"] : span["end"]].strip(), (source, span)

    talks = records["004_eeecfdc9a415f39d"]
    people = {
        talks["text"][s["start"] : s["end"]] for s in talks["spans"] if s["label"] == "PERSON"
    }
    assert "Wei Tao" in people
    assert records["001_e2401dab50313443"]["meta"]["date"] == "2025-09-19"


@pytest.mark.slow
def test_facts_export_from_the_command_line(tmp_path, seeds_dir):
    project = tmp_path / "p.factdesk"
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "desktop.cli", *args], capture_output=True, text=True
    )
    assert run("ingest", "--project", str(project), str(seeds_dir)).returncode == 0
    out = tmp_path / "meetings.jsonl"
    done = run(
        "export",
        "--project",
        str(project),
        "--format",
        "facts-jsonl",
        "--out",
        str(out),
        "--type",
        "MEETING",
        "--status",
        "proposed",
    )
    assert done.returncode == 0, done.stderr
    facts = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert facts and {f["type"] for f in facts} == {"MEETING"}
    assert all(f["zone"] not in {"caption", "related", "tags"} for f in facts)
    everything = tmp_path / "all.csv"
    done = run(
        "export",
        "--project",
        str(project),
        "--format",
        "facts-csv",
        "--out",
        str(everything),
        "--include-boilerplate",
        "--status",
        "proposed",
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(everything.open(encoding="utf-8", newline="")))
    assert "caption" in {r["zone"] for r in rows}
    assert len(rows) > len(facts)
