"""Background jobs of the GUI: import and extraction, as core generators for the TaskRunner."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.ingest.importer import IngestEvent, ingest
from desktop.core.nlp.pipeline import Pipeline, PipelineInfo, load_pipeline
from desktop.core.records import ExtractProgress
from desktop.core.store import Store

# desktop.core.nlp.extract (spaCy, dateparser: ~0.8 s) is imported by the jobs that extract,
# in their worker thread, so the window is on screen before spaCy is even imported.


@dataclass(frozen=True, slots=True)
class ModelReady:
    """The pipeline finished loading (or fell back to rules)."""

    info: PipelineInfo


class PipelineHolder:
    """Loads the spaCy pipeline once, in whichever worker needs it first; again when the
    project asks for another model (`want`: a project model's folder, None the shipped)."""

    def __init__(self, loader: Callable[[], Pipeline] = load_pipeline) -> None:
        self._loader = loader
        self._pipeline: Pipeline | None = None
        self._lock = threading.Lock()
        self._wanted: Path | None = None
        self._loaded_for: Path | None = None

    def want(self, model: Path | None) -> None:
        """The model the next `get` should give (loaded then, if another is loaded now)."""
        with self._lock:
            self._wanted = model

    @property
    def info(self) -> PipelineInfo | None:
        """The loaded pipeline's description, if loaded."""
        return self._pipeline.info if self._pipeline else None

    def get(self) -> Pipeline:
        """The pipeline, loading it on first use (slow: call from a worker)."""
        with self._lock:
            if self._pipeline is None or self._loaded_for != self._wanted:
                wanted = self._wanted
                self._pipeline = self._loader() if wanted is None else load_pipeline(model=wanted)
                self._loaded_for = wanted
            return self._pipeline


def import_job(
    store: Store, paths: Sequence[Path | str], holder: PipelineHolder
) -> Callable[[Callable[[], bool]], Iterator[Any]]:
    """Import files, then extract entities from the new documents."""

    def job(cancelled: Callable[[], bool]) -> Iterator[Any]:
        new_ids = []
        for event in ingest(store, paths, cancelled=cancelled):
            if event.kind == "imported" and event.document_id is not None:
                new_ids.append(event.document_id)
            yield event
        if new_ids:  # one undo step takes them all out again (also when cancelled midway)
            label = Path(paths[0]).name if len(paths) == 1 else f"{len(paths)} items"
            batch = store.imports.record_documents(new_ids, label)
            yield DocumentsImported(batch, tuple(new_ids), label)
        if new_ids and not cancelled():
            yield from extract_job(store, holder, new_ids)(cancelled)

    return job


def extract_job(
    store: Store,
    holder: PipelineHolder,
    ids: Sequence[int] | None = None,
    everything: bool = False,
    step: str | None = None,
) -> Callable[[Callable[[], bool]], Iterator[Any]]:
    """Load the pipeline if needed, then extract (the given documents, or the pending ones).
    A run the analyst started (`step`, its name) ends with `ExtractionStep`, its undo step."""

    def job(cancelled: Callable[[], bool]) -> Iterator[Any]:
        from desktop.core.learning.choice import chosen_model
        from desktop.core.nlp.extract import extract, extraction_step

        model = chosen_model(store)  # the project's choice (Annotate › Train model…)
        holder.want(model.path if model else None)
        pipeline = holder.get()
        yield ModelReady(pipeline.info)
        run_id = None
        for progress in extract(
            store, pipeline, document_ids=ids, everything=everything, cancelled=cancelled, step=step
        ):
            run_id = progress.run_id
            yield progress
        if not cancelled():
            from desktop.core.entities.resolve import resolve

            resolve(store)
        batch = extraction_step(store, run_id) if step and run_id is not None else None
        if batch is not None:
            yield ExtractionStep(batch, store.history.summary(batch) or step or "")

    return job


@dataclass(frozen=True, slots=True)
class ExtractionStep:
    """An extraction run the analyst started wrote proposals: one undo step (`batch`)."""

    batch: int
    name: str


@dataclass(frozen=True, slots=True)
class DocumentsImported:
    """Ingest added these documents, logged as one undoable import (`batch`)."""

    batch: int
    document_ids: tuple[int, ...]
    label: str


@dataclass(frozen=True, slots=True)
class DatasetImported:
    """An annotated dataset from another tool was imported."""

    report: Any


def dataset_job(
    store: Store, fmt: str, path: Path
) -> Callable[[Callable[[], bool]], Iterator[Any]]:
    """Import a doccano / Label Studio / brat / Prodigy / CoNLL export."""

    def job(cancelled: Callable[[], bool]) -> Iterator[Any]:
        from desktop.core.entities.resolve import resolve_documents
        from desktop.core.formats.imports import import_file

        report = import_file(store, fmt, path, cancelled=cancelled)
        if report.unresolved_ids and not report.cancelled:  # the new ones were linked as written
            resolve_documents(store, report.unresolved_ids)  # imported names join entities
        yield DatasetImported(report)

    return job


def load_model_job(holder: PipelineHolder) -> Callable[[Callable[[], bool]], Iterator[Any]]:
    """Load the pipeline (nothing else)."""

    def job(cancelled: Callable[[], bool]) -> Iterator[Any]:
        yield ModelReady(holder.get().info)

    return job


def step_progress(step: Any) -> tuple[int, int]:
    """(done, total) of a job step, for the progress bar."""
    if isinstance(step, IngestEvent | ExtractProgress):
        return step.done, step.total
    return 0, 0
