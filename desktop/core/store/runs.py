"""Extraction runs: which pipeline and rules produced which rows."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from desktop.core.models import ExtractionRun, utcnow
from desktop.core.records import RunRecord
from desktop.core.store.db import transaction


def to_record(run: ExtractionRun) -> RunRecord:
    """A read object for a run row."""
    assert run.id is not None
    return RunRecord(
        id=run.id,
        pipeline=run.pipeline,
        pipeline_version=run.pipeline_version,
        rules_version=run.rules_version,
        status=run.status,
        document_count=run.document_count,
        mention_count=run.mention_count,
        started_at=run.started_at.isoformat(timespec="seconds"),
        finished_at=run.finished_at.isoformat(timespec="seconds") if run.finished_at else None,
    )


class Runs:
    """Start, finish and read extraction runs."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def start(self, pipeline: str, version: str, rules_version: str, components: list[str]) -> int:
        """Open a run and return its id."""
        with transaction(self._engine) as session:
            run = ExtractionRun(
                pipeline=pipeline,
                pipeline_version=version,
                rules_version=rules_version,
                components=components,
            )
            session.add(run)
            session.flush()
            assert run.id is not None
            return run.id

    def finish(self, run_id: int, status: str, documents: int, mentions: int) -> None:
        """Close a run with its outcome and counts."""
        with transaction(self._engine) as session:
            run = session.get(ExtractionRun, run_id)
            assert run is not None
            run.status = status
            run.finished_at = utcnow()
            run.document_count = documents
            run.mention_count = mentions

    def last(self) -> RunRecord | None:
        """The most recent run, if any."""
        with Session(self._engine) as session:
            run = session.exec(select(ExtractionRun).order_by(ExtractionRun.id.desc())).first()
            return to_record(run) if run else None
