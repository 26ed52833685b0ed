"""`factdesk train`: run the training with a progress bar and print the scores."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from desktop.core.learning.choice import choose_model
from desktop.core.learning.evaluation import table
from desktop.core.learning.training import TrainingError, TrainProgress, TrainResult, train

if TYPE_CHECKING:
    from desktop.core.store import Store


def run_training(store: Store, args: argparse.Namespace, error: type[Exception]) -> int:
    """Train, print the comparison (text or JSON) and, with --use, choose the new model.
    A training that cannot start raises `error` with its one-line reason."""
    from tqdm import tqdm

    overrides = {"training.max_epochs": args.epochs} if args.epochs else {}
    result: TrainResult | None = None
    bar = tqdm(unit="step", desc="training", file=sys.stderr, disable=None, leave=False)
    try:
        for step in train(store, overrides=overrides):
            if isinstance(step, TrainResult):
                result = step
            elif isinstance(step, TrainProgress) and step.stage == "training":
                bar.total = step.total
                bar.n = step.done
                bar.refresh()
    except TrainingError as exc:
        raise error(str(exc)) from exc
    finally:
        bar.close()
    assert result is not None
    model = result.model
    if args.use:
        choose_model(store, model.id)
    if args.json:
        print(
            json.dumps(
                {
                    "model": model.id,
                    "path": str(model.path),
                    "base": f"{model.base} {model.base_version}",
                    "training_documents": list(model.training_documents),
                    "held_out_documents": list(model.held_out_documents),
                    "seconds": round(result.seconds, 1),
                    "training_seconds": round(result.training_seconds, 1),
                    "evaluate_seconds": round(result.evaluate_seconds, 1),
                    "evaluate_cpu_seconds": round(result.evaluate_cpu_seconds, 1),
                    "chosen": bool(args.use),
                    "scores": result.comparison.as_dict(),
                },
                indent=2,
            )
        )
    else:
        print(table(result.comparison) if result.comparison.documents else "")
        print(
            f"saved project model {model.id} ({len(model.training_documents)} training "
            f"documents, {result.seconds:.0f} s) in {model.path}",
            file=sys.stderr,
        )
        hint = (
            "extraction now uses it"
            if args.use
            else "`factdesk train --use` (or Annotate › Train model…) makes a new one extract"
        )
        print(f"train: {result.comparison.verdict()} {hint}", file=sys.stderr)
    return 0
