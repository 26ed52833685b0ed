"""One document's failure never stops the others: model, rules and write failures are
recorded with the reason, the document stays pending and is retried; dead runs are
shown and marked as interrupted."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from sqlmodel import Session, select

from desktop.core.models import ExtractionRun
from desktop.core.nlp.extract import FAIL_ENV, extract
from desktop.core.nlp.pipeline import Pipeline
from desktop.core.records import NewDocument

TEXTS = {
    "one": "Minister Tran Van Son met Foreign Minister Li Qiang in Hanoi on Monday.",
    "two": "The MOUs were signed on Monday. Agreements were signed.",
    "three": "The signing of the MOUs was witnessed by the Prime Minister in Vientiane.",
    "four": "Malaysia and Indonesia signed three agreements on digital trade in Jakarta.",
}


@pytest.fixture
def project(store):
    for name, text in TEXTS.items():
        store.documents.add(NewDocument(source=name, text=text))
    return store


def _by_source(store):
    return {store.documents.get(i).info.source: i for i in store.documents.ids()}


def test_passive_signing_sentences_extract_everything(project, pipeline):
    steps = list(extract(project, pipeline))
    assert [s.failed for s in steps] == [None] * 4
    assert project.documents.ids(pending_extraction=True) == []
    for fact in project.facts.query():
        assert fact.arguments, fact  # no fact is written without arguments
    assert project.runs.last().failed_count == 0


def test_a_rule_failure_is_recorded_and_the_others_are_extracted(project, pipeline, monkeypatch):
    monkeypatch.setenv(FAIL_ENV, "Agreements were signed")
    steps = list(extract(project, pipeline))
    failed = {s.source: s.failed for s in steps if s.failed}
    assert list(failed) == ["two"]
    assert failed["two"] == f"rules: RuntimeError: failure forced by {FAIL_ENV}"
    docs = _by_source(project)
    for name in ("one", "three", "four"):
        assert project.mentions.for_document(docs[name]), name
    assert project.mentions.for_document(docs["two"]) == []
    assert project.documents.ids(pending_extraction=True) == [docs["two"]]
    assert project.documents.extraction_failures() == [(docs["two"], "two", failed["two"])]
    run = project.runs.last()
    assert (run.status, run.document_count, run.failed_count) == ("done", 4, 1)
    assert project.stats().extraction_failed == [("two", failed["two"])]

    monkeypatch.delenv(FAIL_ENV)
    again = list(extract(project, pipeline))  # the pending one is tried again
    assert [(s.source, s.failed) for s in again] == [("two", None)]
    assert project.documents.extraction_failures() == []
    assert project.documents.ids(pending_extraction=True) == []


class _Breaks:
    """The real pipeline, except that it raises on texts holding `marker` (pipe and call)."""

    def __init__(self, nlp, marker):
        self.nlp, self.marker = nlp, marker

    def __getattr__(self, name):  # the tokenizer, the vocab, ...: the real pipeline's
        return getattr(self.nlp, name)

    def _check(self, text):
        if self.marker in text:
            raise ValueError(f"[E000] cannot parse {len(text)} characters")
        return text

    def pipe(self, texts, batch_size=32):
        return self.nlp.pipe((self._check(t) for t in texts), batch_size=batch_size)

    def __call__(self, text):
        return self.nlp(self._check(text))


def test_a_model_failure_in_a_batch_loses_only_that_document(project, pipeline):
    broken = Pipeline(_Breaks(pipeline.nlp, "witnessed"), pipeline.info)
    steps = list(extract(project, broken, batch_size=4))
    assert {s.source: s.failed for s in steps} == {
        "one": None,
        "two": None,
        "three": f"model: ValueError: [E000] cannot parse {len(TEXTS['three'])} characters",
        "four": None,
    }
    docs = _by_source(project)
    assert project.mentions.for_document(docs["four"])  # after the failure, in the same batch


def test_a_write_failure_is_recorded_and_nothing_half_written(project, pipeline, monkeypatch):
    docs = _by_source(project)
    real = project.mentions.replace_proposals

    def replace(doc_id, *args, **kwargs):
        if doc_id == docs["one"]:
            raise OSError("disk I/O error")
        return real(doc_id, *args, **kwargs)

    monkeypatch.setattr(project.mentions, "replace_proposals", replace)
    steps = list(extract(project, pipeline))
    assert [s.failed for s in steps] == ["write: OSError: disk I/O error", None, None, None]
    assert project.mentions.for_document(docs["one"]) == []
    assert project.facts.for_document(docs["one"]) == []


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def test_a_run_whose_process_died_is_interrupted_and_the_next_extract_resumes(project, pipeline):
    docs = _by_source(project)
    list(extract(project, pipeline, document_ids=[docs["one"]]))
    with Session(project.engine) as session:  # what a killed `factdesk ingest` leaves
        session.add(
            ExtractionRun(
                pipeline="p",
                pipeline_version="1",
                rules_version="r",
                components=[],
                pid=_dead_pid(),
                host=socket.gethostname(),
            )
        )
        session.add(
            ExtractionRun(
                pipeline="p",
                pipeline_version="1",
                rules_version="r",
                components=[],
                pid=_dead_pid(),
                host="another-machine",
            )
        )
        session.commit()
    assert project.runs.last().status == "running"  # another machine's: cannot tell
    with Session(project.engine) as session:
        runs = session.exec(select(ExtractionRun).order_by(ExtractionRun.id)).all()
        assert [r.status for r in runs] == ["done", "running", "running"]
        runs[-1].host = socket.gethostname()
        session.commit()
    assert project.stats().last_run.status == "interrupted"
    steps = list(extract(project, pipeline))
    assert sorted(s.source for s in steps) == ["four", "three", "two"]
    with Session(project.engine) as session:
        statuses = [
            r.status for r in session.exec(select(ExtractionRun).order_by(ExtractionRun.id))
        ]
    assert statuses == ["done", "interrupted", "interrupted", "done"]
