"""The domain rule sets kept as data under resources/rules/ (no spaCy import here)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from desktop.core.nlp.shapes import shape_patterns
from desktop.core.resources import resource_path

ENTITY_PATTERNS = "entities.jsonl"
PERSON_NAMES = "person_names.json"
ENTITY_FIXES = "entity_fixes.json"
ENTITY_LEXICONS = "entity_lexicons.json"
ENTITY_SHAPES = "entity_shapes.json"
HONORIFICS = "honorifics.json"  # in resources/facts/: one list for the fact and entity rules

# Ids put on spans by each rule set, and the confidence proposals from it carry.
GAZETTEER_ID = "entities.v1"
SHORT_FORMS_ID = "short_forms.v1"
SHAPES_ID = "entity_shapes.v1"
SHORT_NAMES_ID = "short_names.v1"
RULE_CONFIDENCE = {GAZETTEER_ID: 0.95, SHORT_FORMS_ID: 0.8, SHAPES_ID: 0.85, SHORT_NAMES_ID: 0.8}


@dataclass(frozen=True)
class RuleSets:
    """Every rule set, loaded; `version` changes whenever any rule file changes."""

    entity_patterns: list[dict[str, Any]]
    person_names: dict[str, Any]
    entity_fixes: dict[str, Any]
    version: str
    entity_lexicons: dict[str, Any] | None = None
    honorifics: tuple[str, ...] = ()
    also_names: tuple[str, ...] = ()
    body_heads: tuple[str, ...] = ()  # words ending an organisation's name ("Corporation")

    @property
    def honorific_forms(self) -> tuple[str, ...]:
        """Every honorific as it may be written: with and without its final period or
        apostrophe, the apostrophe straight or curly ("Dato'", "Dato’", "Dato")."""
        return tuple(form for entry in self.honorifics for form in written_forms(entry))

    @property
    def single_honorifics(self) -> frozenset[str]:
        """The one-word honorifics in every written form ("Dr", "Dr.", "Datuk", "U")."""
        return frozenset(f for f in self.honorific_forms if " " not in f)


def written_forms(entry: str) -> list[str]:
    """An honorific and the other ways it is written (see `RuleSets.honorific_forms`)."""
    forms = [entry]
    if entry.endswith(".") and len(entry) > 2 and not entry.startswith("("):
        forms.append(entry[:-1])
    if "'" in entry:  # "Dato' Sri", "Dato’ Sri", "Dato Sri"
        forms += [entry.replace("'", "’"), entry.replace("'", "")]
    return forms


def rules_dir() -> Path:
    """Where the rule files live."""
    return resource_path("rules")


@cache
def load_rules(folder: Path | None = None) -> RuleSets:
    """Read the rule files once; gazetteer pattern ids are prefixed with the set's id."""
    base = folder or rules_dir()
    digest = hashlib.sha256()
    raw = {}
    for name in (ENTITY_PATTERNS, PERSON_NAMES, ENTITY_FIXES, ENTITY_LEXICONS, ENTITY_SHAPES):
        if name in (ENTITY_LEXICONS, ENTITY_SHAPES) and not (base / name).exists():
            raw[name] = "{}"  # an older rules folder without it
            continue
        data = (base / name).read_bytes()
        digest.update(data)
        raw[name] = data.decode("utf-8")
    for extra in sorted((base.parent / "facts").glob("*.json")):
        digest.update(extra.read_bytes())  # the fact rules' data versions the run too
    honorifics_path = base.parent / "facts" / HONORIFICS
    honorifics = json.loads(honorifics_path.read_text("utf-8")) if honorifics_path.exists() else {}
    patterns = []
    for line in raw[ENTITY_PATTERNS].splitlines():
        if line.strip():
            pattern = json.loads(line)
            pattern["id"] = f"{GAZETTEER_ID}:{pattern.get('id', pattern['label'].lower())}"
            patterns.append(pattern)
    shapes = json.loads(raw[ENTITY_SHAPES])
    lexicons = json.loads(raw[ENTITY_LEXICONS])
    companies = {k: lexicons.get(k, []) for k in ("company_suffixes", "company_prefixes")}
    for pattern in shape_patterns({**shapes, **companies}) if shapes else []:  # money, events ...
        patterns.append({**pattern, "id": f"{SHAPES_ID}:{pattern['id']}"})
    return RuleSets(
        entity_patterns=patterns,
        person_names=json.loads(raw[PERSON_NAMES]),
        entity_fixes=json.loads(raw[ENTITY_FIXES]),
        entity_lexicons=lexicons,
        version=f"rules-{digest.hexdigest()[:12]}",
        honorifics=tuple(honorifics.get("honorifics", [])),
        also_names=tuple(honorifics.get("also_names", [])),
        body_heads=tuple(
            [*shapes.get("org_heads_after", []), *shapes.get("org_heads_of", [])]
            + [s[-1] for s in companies["company_suffixes"]]
        ),
    )
