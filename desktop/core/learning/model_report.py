"""`factdesk model`: which model extracts, the project's trained models, and the way back.

Without `--use` it lists the shipped model and the project's models, marking the one that
extracts. `--use base` goes back to the shipped model; `--use ID` (or `latest`) makes a
project model extract. A choice is one undo step, as the dialog's."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from desktop.core.learning.choice import choose_model
from desktop.core.learning.models_dir import MODEL_SETTING, ModelsError, find_model, list_models
from desktop.core.nlp.pipeline import MODEL_PACKAGE

if TYPE_CHECKING:
    from desktop.core.store import Store

BASE = "base"  # `--use base`: the shipped model
LATEST = "latest"  # `--use latest`: the newest project model


def resolve_choice(store: Store, wanted: str) -> str | None:
    """The model id `--use` names (None for the shipped model); ModelsError when there is
    no such model."""
    if wanted == BASE:
        return None
    if wanted == LATEST:
        models = list_models(store.location)
        if not models:
            raise ModelsError("the project has no trained model yet: `factdesk train` makes one")
        return models[-1].id
    return find_model(store.location, wanted).id


def listing(store: Store) -> dict[str, Any]:
    """The models a project can extract with, and the one it does ("base" or an id)."""
    chosen = store.settings.get(MODEL_SETTING)
    models = []
    for model in list_models(store.location):
        held_out = ((model.scores.get("labels") or {}).get("ALL") or {}).get("project") or {}
        models.append(
            {
                "id": model.id,
                "created": model.created,
                "training_documents": len(model.training_documents),
                "labels": list(model.labels),
                "f1": held_out.get("f1"),
            }
        )
    return {"base": MODEL_PACKAGE, "chosen": str(chosen) if chosen else BASE, "models": models}


def text(about: dict[str, Any]) -> str:
    """The listing as lines: a star before the model that extracts."""
    lines = [f"{'*' if about['chosen'] == BASE else ' '} base  {about['base']} (shipped)"]
    for m in about["models"]:
        star = "*" if about["chosen"] == m["id"] else " "
        f1 = "" if m["f1"] is None else f", held-out F1 {100 * m['f1']:.1f}"
        lines.append(
            f"{star} {m['id']}  {m['training_documents']} training documents, "
            f"labels {' '.join(m['labels'])}{f1}"
        )
    return "\n".join(lines)


def run_model(store: Store, args: argparse.Namespace, error: type[Exception]) -> int:
    """Choose with --use (base, latest or an id), then print the listing (text or JSON)."""
    if args.use is not None:
        try:
            model_id = resolve_choice(store, args.use)
            if model_id != (store.settings.get(MODEL_SETTING) or None):
                choose_model(store, model_id)
        except ModelsError as exc:
            raise error(str(exc)) from exc
    about = listing(store)
    print(json.dumps(about, indent=2) if args.json else text(about))
    return 0
