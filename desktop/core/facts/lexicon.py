"""The fact schema and the trigger words, read from resources/facts/ once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from desktop.core.resources import resource_path


@dataclass(frozen=True)
class Lexicon:
    """Word lists by name (lower-case sets) and the schema of fact types."""

    words: dict[str, frozenset[str]]
    schema: dict[str, dict[str, Any]]
    version: str

    def __getitem__(self, name: str) -> frozenset[str]:
        return self.words[name]

    def roles(self, fact_type: str) -> list[str]:
        """The argument roles of a fact type, in schema order."""
        return list(self.schema[fact_type]["roles"])


@cache
def lexicon() -> Lexicon:
    """The lexicon and schema shipped under resources/facts/."""
    raw = json.loads(resource_path("facts", "lexicon.json").read_text(encoding="utf-8"))
    schema = json.loads(resource_path("facts", "schema.json").read_text(encoding="utf-8"))
    words = {k: frozenset(v) for k, v in raw.items() if isinstance(v, list)}
    return Lexicon(words, schema["types"], raw["version"])


def fact_types() -> list[str]:
    """Every fact type, in schema order."""
    return list(lexicon().schema)
