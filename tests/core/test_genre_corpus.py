"""The genre corpus (tests/data/genre/dev, heldout and mine) is well-formed.

Every gold fact names an article of its part, has a known type, known roles and a known
zone, and its evidence and argument texts occur in the article; every entity line has a
known label and a text found in its article; every article has gold; the two parts share
no document name. The checker is also run on a copy with a broken line, which it must catch.
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest

from desktop.core.facts.lexicon import lexicon

GENRE = Path(__file__).resolve().parents[1] / "data" / "genre"
PARTS = [
    p for p in (GENRE / "dev", GENRE / "heldout", GENRE / "mine") if (p / "gold.jsonl").is_file()
]
LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "DATE", "MONEY", "PERCENT"}
ZONES = {"body", "related", "caption", "tags"}
KEYS = {"document", "type", "arguments", "values", "evidence", "zone"}
# A speaker, participant, party, donor or recipient may be written as the article names
# the person elsewhere ("Trung" for "he"), so those texts need only be in the article.
ARTICLE_WIDE_ROLES = {"speaker", "participant", "party", "donor", "recipient"}


def lines(path: Path) -> list[tuple[int, str]]:
    """The non-blank lines of a file, numbered from 1."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def gold_line_problems(record: object, articles: dict[str, str]) -> list[str]:
    """What is wrong with one gold fact line."""
    if not isinstance(record, dict) or set(record) != KEYS:
        return [f"keys must be {sorted(KEYS)}"]
    text = articles.get(record["document"])
    if text is None:
        return [f"no article {record['document']!r}"]
    roles = lexicon().schema.get(record["type"], {}).get("roles")
    if roles is None:
        return [f"unknown type {record['type']!r}"]
    problems = []
    if record["zone"] not in ZONES:
        problems.append(f"unknown zone {record['zone']!r}")
    evidence = record["evidence"]
    if not isinstance(evidence, str) or not evidence or evidence not in text:
        problems.append("evidence not in the article")
        evidence = ""
    if not isinstance(record["arguments"], dict) or not record["arguments"]:
        return [*problems, "arguments must be a non-empty object"]
    for role, texts in record["arguments"].items():
        if role not in roles:
            problems.append(f"unknown role {role!r} for {record['type']}")
        if not isinstance(texts, list) or not texts:
            problems.append(f"role {role!r} must be a non-empty list")
            continue
        for found in texts:
            where = text if role in ARTICLE_WIDE_ROLES else evidence
            if not isinstance(found, str) or not found or found not in where:
                problems.append(
                    f"{role} {found!r} not in the {'article' if where is text else 'evidence'}"
                )
    if not isinstance(record["values"], dict):
        problems.append("values must be an object")
    else:
        problems += [
            f"value of missing role {r!r}" for r in record["values"] if r not in record["arguments"]
        ]
    return problems


def part_problems(folder: Path) -> list[str]:
    """Every problem of one part: gold lines, entity lines, articles without gold."""
    articles = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
    problems, with_gold = [], set()
    for number, line in lines(folder / "gold.jsonl"):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            problems.append(f"gold line {number}: not JSON")
            continue
        problems += [f"gold line {number}: {p}" for p in gold_line_problems(record, articles)]
        if isinstance(record, dict):
            with_gold.add(record.get("document"))
    for number, line in lines(folder / "entities.jsonl"):
        entity = json.loads(line)
        text = articles.get(entity.get("document"))
        if set(entity) != {"document", "text", "label"} or text is None:
            problems.append(f"entities line {number}: bad keys or unknown document")
        elif entity["label"] not in LABELS:
            problems.append(f"entities line {number}: unknown label {entity['label']!r}")
        elif not entity["text"] or entity["text"] not in text:
            problems.append(f"entities line {number}: {entity['text']!r} not in the article")
    problems += [f"article {name} has no gold" for name in articles if name not in with_gold]
    return problems


@pytest.mark.parametrize("folder", PARTS, ids=[p.name for p in PARTS])
def test_part_is_well_formed(folder: Path) -> None:
    assert part_problems(folder) == []
    assert lines(folder / "entities.jsonl"), "every part has gold entities"


def test_dev_part_is_there() -> None:
    assert GENRE / "dev" in PARTS
    assert len(list((GENRE / "dev").glob("*.txt"))) >= 20


def test_parts_share_no_document() -> None:
    names = [{p.stem for p in folder.glob("*.txt")} for folder in PARTS]
    shared = {n for a, b in itertools.combinations(names, 2) for n in a & b}
    assert shared == set()


def broken_copy(tmp_path: Path, change) -> Path:
    """A copy of the dev part whose first gold line went through `change`."""
    folder = tmp_path / "dev"
    shutil.copytree(GENRE / "dev", folder)
    gold = folder / "gold.jsonl"
    first, *rest = gold.read_text(encoding="utf-8").splitlines()
    gold.write_text("\n".join([change(json.loads(first)), *rest]) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda r: json.dumps({**r, "evidence": r["evidence"] + " (edited)"}), "evidence not in"),
        (lambda r: json.dumps({**r, "type": "RUMOUR"}), "unknown type"),
        (
            lambda r: json.dumps({**r, "arguments": {**r["arguments"], "colour": ["red"]}}),
            "unknown role",
        ),
        (lambda r: json.dumps({**r, "zone": "sidebar"}), "unknown zone"),
        (lambda r: json.dumps({**r, "document": "no_such_article"}), "no article"),
        (lambda r: json.dumps(r)[:-3], "not JSON"),
    ],
)
def test_checker_catches_a_broken_gold_line(tmp_path: Path, change, expected: str) -> None:
    problems = part_problems(broken_copy(tmp_path, change))
    assert any(p.startswith("gold line 1:") and expected in p for p in problems), problems


def test_checker_catches_an_argument_not_in_the_evidence(tmp_path: Path) -> None:
    def change(record: dict) -> str:
        role = next(r for r in record["arguments"] if r not in ARTICLE_WIDE_ROLES)
        record["arguments"][role] = ["words that the article never uses"]
        return json.dumps(record)

    problems = part_problems(broken_copy(tmp_path, change))
    assert any("not in the evidence" in p for p in problems), problems
