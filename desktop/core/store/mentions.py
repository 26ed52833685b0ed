"""Mentions: the pipeline's proposals (bulk, idempotent) and analysts' decisions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from desktop.core.models import Document, Mention, MentionTag, utcnow
from desktop.core.records import MentionRecord, ProposedMention
from desktop.core.store.db import transaction
from desktop.core.store.revisions import record

MACHINE_ORIGINS = frozenset({"model", "rule"})
STATUSES = ("proposed", "accepted", "rejected")


@dataclass(frozen=True, slots=True)
class ProposalOutcome:
    """What re-proposing a document's mentions changed."""

    inserted: int
    removed: int
    kept: int


def to_record(m: Mention) -> MentionRecord:
    """A read object for a mention row."""
    assert m.id is not None
    return MentionRecord(
        m.id,
        m.document_id,
        m.start,
        m.end,
        m.label,
        m.text,
        m.origin,
        m.extractor,
        m.confidence,
        m.status,
        m.entity_id,
        m.run_id,
    )


def _snapshot(m: Mention) -> dict[str, object]:
    return {
        "document_id": m.document_id,
        "start": m.start,
        "end": m.end,
        "label": m.label,
        "status": m.status,
        "origin": m.origin,
    }


class Mentions:
    """All queries and mutations of mentions."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def for_document(self, document_id: int) -> list[MentionRecord]:
        """The mentions of a document in text order."""
        query = (
            select(Mention)
            .where(Mention.document_id == document_id)
            .order_by(col(Mention.start), col(Mention.end), col(Mention.id))
        )
        with Session(self._engine) as session:
            return [to_record(m) for m in session.exec(query).all()]

    def get(self, mention_id: int) -> MentionRecord | None:
        """One mention, if it exists."""
        with Session(self._engine) as session:
            m = session.get(Mention, mention_id)
            return to_record(m) if m else None

    def replace_proposals(
        self, document_id: int, proposals: Iterable[ProposedMention], run_id: int | None
    ) -> ProposalOutcome:
        """Make the machine proposals of a document equal to `proposals`.

        Proposals identical to an existing one keep their row (and id); stale
        untouched machine proposals go; spans an analyst decided on, added or
        imported are never proposed again and never changed.
        """
        with transaction(self._engine) as session:
            rows = session.exec(
                select(
                    Mention.id,
                    Mention.start,
                    Mention.end,
                    Mention.label,
                    Mention.origin,
                    Mention.status,
                    Mention.note,
                ).where(Mention.document_id == document_id)
            ).all()
            tagged = set(
                session.exec(
                    select(MentionTag.mention_id)
                    .join(Mention, col(Mention.id) == MentionTag.mention_id)
                    .where(Mention.document_id == document_id)
                ).all()
            )
            decided: set[tuple[int, int]] = set()
            machine: dict[tuple[int, int, str], int] = {}
            for mid, start, end, label, origin, status, note in rows:
                touched = note is not None or mid in tagged
                if status == "proposed" and origin in MACHINE_ORIGINS and not touched:
                    machine[(start, end, label)] = mid
                else:
                    decided.add((start, end))
            wanted: dict[tuple[int, int, str], ProposedMention] = {}
            for p in proposals:
                if (p.start, p.end) not in decided:
                    wanted.setdefault((p.start, p.end, p.label), p)
            stale = [mid for key, mid in machine.items() if key not in wanted]
            fresh = [p for key, p in wanted.items() if key not in machine]
            if stale:
                session.execute(sa.delete(Mention).where(col(Mention.id).in_(stale)))
            now = utcnow()
            if fresh:
                session.execute(
                    sa.insert(Mention),
                    [
                        {
                            "document_id": document_id,
                            "start": p.start,
                            "end": p.end,
                            "label": p.label,
                            "text": p.text,
                            "origin": p.origin,
                            "extractor": p.extractor,
                            "confidence": p.confidence,
                            "status": "proposed",
                            "run_id": run_id,
                            "created_at": now,
                            "updated_at": now,
                        }
                        for p in fresh
                    ],
                )
            session.execute(
                sa.update(Document)
                .where(col(Document.id) == document_id)
                .values(last_run_id=run_id)
            )
            outcome = ProposalOutcome(len(fresh), len(stale), len(wanted) - len(fresh))
            record(
                session,
                actor="pipeline",
                action="extract",
                target="document",
                target_id=document_id,
                after={"run_id": run_id, "inserted": outcome.inserted, "removed": outcome.removed},
                summary=f"Extraction: +{outcome.inserted} -{outcome.removed} mentions",
            )
            return outcome

    def add(
        self,
        document_id: int,
        start: int,
        end: int,
        label: str,
        *,
        origin: str = "human",
        status: str = "accepted",
        actor: str = "analyst",
    ) -> MentionRecord:
        """Add one mention by hand; its text is taken from the document."""
        with transaction(self._engine) as session:
            doc = session.get(Document, document_id)
            if doc is None:
                raise KeyError(f"no document {document_id}")
            if not 0 <= start < end <= len(doc.text):
                raise ValueError(f"span {start}-{end} is outside document {document_id}")
            m = Mention(
                document_id=document_id,
                start=start,
                end=end,
                label=label,
                text=doc.text[start:end],
                origin=origin,
                status=status,
                extractor=actor if origin == "human" else None,
            )
            session.add(m)
            session.flush()
            record(
                session,
                actor=actor,
                action="mention.add",
                target="mention",
                target_id=m.id,
                after=_snapshot(m),
                summary=f"Added {label} '{m.text}'",
            )
            return to_record(m)

    def set_status(self, mention_id: int, status: str, actor: str = "analyst") -> MentionRecord:
        """Accept, reject or re-propose a mention."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with transaction(self._engine) as session:
            m = session.get(Mention, mention_id)
            if m is None:
                raise KeyError(f"no mention {mention_id}")
            before = _snapshot(m)
            m.status = status
            m.updated_at = utcnow()
            session.flush()
            record(
                session,
                actor=actor,
                action=f"mention.{status}",
                target="mention",
                target_id=m.id,
                before=before,
                after=_snapshot(m),
                summary=f"{status.capitalize()} {m.label} '{m.text}'",
            )
            return to_record(m)
