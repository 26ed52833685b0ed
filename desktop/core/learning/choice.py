"""Which model extracts: the shipped one or a project model, a project setting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.learning.models_dir import MODEL_SETTING, ProjectModel, find_model
from desktop.core.nlp.pipeline import FULL, Pipeline, load_pipeline

if TYPE_CHECKING:
    from desktop.core.store import Store
    from desktop.core.store.changes import Change


def chosen_model(store: Store) -> ProjectModel | None:
    """The project model chosen to extract, or None for the shipped model (ModelsError
    when the chosen one is no longer on disk)."""
    model_id = store.settings.get(MODEL_SETTING)
    return find_model(store.location, str(model_id)) if model_id else None


def choose_model(store: Store, model_id: str | None) -> Change:
    """Make a project model (by id; None: the shipped model) the one that extracts."""
    if model_id is not None:
        find_model(store.location, model_id)  # it must be there
    summary = (
        f"Extract with project model {model_id}" if model_id else "Extract with the shipped model"
    )
    return store.settings.set(MODEL_SETTING, model_id, summary)


def pipeline_for(
    store: Store, *, use_model: bool = True, exclude: tuple[str, ...] = FULL
) -> Pipeline:
    """The extraction pipeline the project asks for: its chosen model, else the shipped one."""
    model = chosen_model(store) if use_model else None
    return load_pipeline(use_model=use_model, exclude=exclude, model=model.path if model else None)
