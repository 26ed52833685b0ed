"""`factdesk entities` end to end: canonical entities and merge proposals of the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def project(tmp_path_factory, factdesk_cli) -> Path:
    factdesk = factdesk_cli
    path = tmp_path_factory.mktemp("cli_entities") / "seeds.factdesk"
    done = factdesk("ingest", "--project", path, ROOT / "seeds", cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    return path


def rows(out: str) -> list[list[str]]:
    return [line.split("\t") for line in out.splitlines() if line]


def test_entities_lists_canonical_names_with_aliases(project, factdesk_cli):
    factdesk = factdesk_cli
    done = factdesk("entities", "--project", project, "--kind", "place", cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    places = {r[2]: r for r in rows(done.stdout)}
    assert {r[1] for r in places.values()} == {"place"}
    vietnam = places["Vietnam"]
    assert vietnam[3:5] == ["54 mentions", "5 documents"]
    assert "Việt Nam" in vietnam[5].split("; ")
    assert "Guangxi" in places and "Guangxi Zhuang Autonomous Region" in places  # kept apart


def test_entities_proposals_ask_without_merging(project, factdesk_cli):
    factdesk = factdesk_cli
    done = factdesk("entities", "--project", project, "--proposals", cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    pairs = {frozenset(r[2:4]): (float(r[0]), r[1]) for r in rows(done.stdout)}
    assert pairs[frozenset(("NDRC", "National Development and Reform Commission"))] == (
        0.9,
        "organization",
    )
    assert pairs[frozenset(("Guangxi", "Guangxi Zhuang Autonomous Region"))] == (0.85, "place")
    assert frozenset(("China-ASEAN Expo", "CAEXPO")) in pairs
    assert not any("Guangxi University" in pair for pair in pairs)
    again = factdesk("entities", "--project", project, "--kind", "place", cwd=ROOT, timeout=600)
    assert "\tGuangxi\t" in again.stdout  # asking merged nothing
