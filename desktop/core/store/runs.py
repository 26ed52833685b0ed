"""Extraction runs: which pipeline and rules produced which rows, and which process ran them."""

from __future__ import annotations

import os
import socket

import sqlalchemy as sa
from sqlmodel import Session, select

from desktop.core.models import ExtractionRun, utcnow
from desktop.core.records import RunRecord
from desktop.core.store.db import transaction

INTERRUPTED = "interrupted"  # a run whose process died before it could finish


def to_record(run: ExtractionRun) -> RunRecord:
    """A read object for a run row."""
    assert run.id is not None
    return RunRecord(
        id=run.id,
        pipeline=run.pipeline,
        pipeline_version=run.pipeline_version,
        rules_version=run.rules_version,
        status=INTERRUPTED if _dead(run) else run.status,
        document_count=run.document_count,
        mention_count=run.mention_count,
        started_at=run.started_at.isoformat(timespec="seconds"),
        finished_at=run.finished_at.isoformat(timespec="seconds") if run.finished_at else None,
        failed_count=run.failed_count or 0,
        pid=run.pid,
        host=run.host,
    )


def process_alive(pid: int) -> bool:
    """Whether a process of this id runs on this machine (assumed so where we cannot tell)."""
    if os.name != "posix":
        return True  # os.kill(pid, 0) would end the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _dead(run: ExtractionRun) -> bool:
    """A "running" run whose process is gone: recorded without a process (older versions,
    which cannot be running now) or by a process of this machine that no longer exists."""
    if run.status != "running":
        return False
    if run.pid is None:
        return True
    return run.host == socket.gethostname() and not process_alive(run.pid)


class Runs:
    """Start, finish and read extraction runs."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def start(self, pipeline: str, version: str, rules_version: str, components: list[str]) -> int:
        """Open a run for this process and return its id."""
        with transaction(self._engine) as session:
            run = ExtractionRun(
                pipeline=pipeline,
                pipeline_version=version,
                rules_version=rules_version,
                components=components,
                pid=os.getpid(),
                host=socket.gethostname(),
            )
            session.add(run)
            session.flush()
            assert run.id is not None
            return run.id

    def finish(
        self, run_id: int, status: str, documents: int, mentions: int, failed: int = 0
    ) -> None:
        """Close a run with its outcome and counts."""
        with transaction(self._engine) as session:
            run = session.get(ExtractionRun, run_id)
            assert run is not None
            run.status = status
            run.finished_at = utcnow()
            run.document_count = documents
            run.mention_count = mentions
            run.failed_count = failed

    def reap(self) -> list[int]:
        """Mark the runs whose process died while running as interrupted; their ids.

        The documents such a run had not written yet are still pending, so the next
        extraction takes them up."""
        with transaction(self._engine) as session:
            running = session.exec(select(ExtractionRun).where(ExtractionRun.status == "running"))
            dead = [run for run in running.all() if _dead(run)]
            for run in dead:
                run.status = INTERRUPTED
            return [run.id for run in dead if run.id is not None]

    def last(self) -> RunRecord | None:
        """The most recent run, if any."""
        with Session(self._engine) as session:
            run = session.exec(select(ExtractionRun).order_by(ExtractionRun.id.desc())).first()
            return to_record(run) if run else None
