"""Mentions: the pipeline's proposals (bulk, idempotent) and analysts' decisions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from desktop.core.facts.candidates import FactCandidate
from desktop.core.models import Document, Mention, MentionTag, Tag, utcnow
from desktop.core.records import EntitySummary, MentionRecord, ProposedMention
from desktop.core.store import extraction_undo, proposal_io
from desktop.core.store.changes import Change, Recorder
from desktop.core.store.db import transaction
from desktop.core.store.facts import replace_fact_proposals
from desktop.core.store.relabel import follow_label

MACHINE_ORIGINS = frozenset({"model", "rule", "project"})  # project: learned names
STATUSES = ("proposed", "accepted", "rejected")


@dataclass(frozen=True, slots=True)
class ProposalOutcome:
    """What re-proposing a document's mentions changed."""

    inserted: int
    removed: int
    kept: int
    facts_inserted: int = 0
    facts_removed: int = 0


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


class Mentions:
    """All queries and mutations of mentions."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def for_document(self, document_id: int) -> list[MentionRecord]:
        """The mentions of a document in text order."""
        m = Mention.__table__
        query = (
            sa.select(
                m.c.id,
                m.c.document_id,
                m.c.start,
                m.c.end,
                m.c.label,
                m.c.text,
                m.c.origin,
                m.c.extractor,
                m.c.confidence,
                m.c.status,
                m.c.entity_id,
                m.c.run_id,
            )
            .where(m.c.document_id == document_id)
            .order_by(m.c.start, m.c.end, m.c.id)
        )  # plain rows, not ORM objects: this runs on every document shown and every edit
        with self._engine.connect() as conn:
            return [MentionRecord(*row) for row in conn.execute(query).all()]

    def summary(self, document_id: int) -> list[EntitySummary]:
        """A document's names by label with their mention ids, rejected mentions left out."""
        m = Mention.__table__
        query = sa.select(m.c.label, m.c.text, m.c.id).where(
            m.c.document_id == document_id, m.c.status != "rejected"
        )
        groups: dict[tuple[str, str], list[int]] = {}
        with self._engine.connect() as conn:
            for label, text, mid in conn.execute(query).all():
                groups.setdefault((label, text), []).append(mid)
        found = [
            EntitySummary(label, text, len(ids), tuple(sorted(ids)))
            for (label, text), ids in groups.items()
        ]
        return sorted(found, key=lambda e: (e.label, -e.count, e.text))

    def get(self, mention_id: int) -> MentionRecord | None:
        """One mention, if it exists."""
        with Session(self._engine) as session:
            m = session.get(Mention, mention_id)
            return to_record(m) if m else None

    def replace_proposals(
        self,
        document_id: int,
        proposals: Iterable[ProposedMention],
        run_id: int | None,
        facts: Sequence[FactCandidate] | None = None,
        step: int | None = None,
    ) -> ProposalOutcome:
        """Make the machine proposals of a document equal to `proposals`.

        Proposals identical to an existing one (span, label and origin: a name the
        project learned replaces the model's reading of it) keep their row (and id); stale
        untouched machine proposals go (a kept one takes the extractor of this proposal:
        another model may propose it this time); spans an analyst decided on, added or
        imported are never proposed again and never changed. With `step` (the undo
        step of an analyst's run) the document's revision joins that batch and keeps
        what went, for undo (store/extraction_undo.py).
        """
        with self._engine.begin() as conn:
            io = proposal_io.for_connection(conn)
            decided: set[tuple[int, int]] = set()
            machine: dict[tuple[int, int, str, str], int] = {}  # start, end, label, origin
            for mid, start, end, label, origin, status, note, has_tags in io.own(document_id):
                untouched = note is None and not has_tags
                if status == "proposed" and origin in MACHINE_ORIGINS and untouched:
                    machine[(start, end, label, origin)] = mid
                else:
                    decided.add((start, end))
            wanted: dict[tuple[int, int, str, str], ProposedMention] = {}
            for p in proposals:
                if (p.start, p.end) not in decided:
                    wanted.setdefault((p.start, p.end, p.label, p.origin), p)
            stale = [mid for key, mid in machine.items() if key not in wanted]
            fresh = [p for key, p in wanted.items() if key not in machine]
            removed = extraction_undo.snapshot_mentions(conn, stale) if step else None
            if stale:
                io.delete(stale)
            if fresh:
                io.insert(document_id, fresh, run_id)
            # a kept proposal names what proposed it this time (another model, say)
            io.restamp([(wanted[k].extractor, mid) for k, mid in machine.items() if k in wanted])
            new_facts = old_facts = 0
            if facts is not None:
                new_facts, old_facts = replace_fact_proposals(
                    conn, document_id, facts, run_id, removed
                )
            outcome = ProposalOutcome(
                len(fresh), len(stale), len(wanted) - len(fresh), new_facts, old_facts
            )
            logged: dict = {
                "run_id": run_id,
                "inserted": outcome.inserted,
                "removed": outcome.removed,
                "facts_inserted": new_facts,
                "facts_removed": old_facts,
            }
            if step:
                logged["removed"] = removed
                logged["last_run_before"] = extraction_undo.last_run(conn, document_id)
            io.finish(
                document_id,
                run_id,
                logged,
                f"Extraction: +{outcome.inserted} -{outcome.removed} mentions",
            )
            if step:
                extraction_undo.join_step(conn, document_id, step)
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
    ) -> Change:
        """Add one mention by hand; its text is taken from the document."""
        with transaction(self._engine) as session:
            text = _document_text(session, document_id)
            _check_span(text, start, end, document_id)
            now = utcnow()
            rec = Recorder(session, actor, "mention.add", f"Add {label} '{text[start:end]}'")
            row = rec.insert(
                "mention",
                {
                    "document_id": document_id,
                    "start": start,
                    "end": end,
                    "label": label,
                    "text": text[start:end],
                    "origin": origin,
                    "status": status,
                    "extractor": actor if origin == "human" else None,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            return Change(rec.batch, _row_record(row))

    def delete(self, mention_id: int, actor: str = "analyst") -> Change:
        """Delete a mention (and its tag links), recorded for undo."""
        with transaction(self._engine) as session:
            m = _get(session, mention_id)
            rec = Recorder(session, actor, "mention.delete", f"Delete {m.label} '{m.text}'")
            for link in session.exec(
                select(MentionTag).where(MentionTag.mention_id == mention_id)
            ).all():
                rec.delete("mentiontag", {"mention_id": mention_id, "tag_id": link.tag_id})
            rec.delete("mention", {"id": mention_id})
            return Change(rec.batch, None)

    def set_status(self, mention_id: int, status: str, actor: str = "analyst") -> Change:
        """Accept, reject or re-propose a mention."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        verb = {"accepted": "Accept", "rejected": "Reject", "proposed": "Reset"}[status]
        with transaction(self._engine) as session:
            m = _get(session, mention_id)
            rec = Recorder(session, actor, f"mention.{status}", f"{verb} {m.label} '{m.text}'")
            row = rec.update("mention", {"id": mention_id}, status=status)
            return Change(rec.batch, _row_record(row))

    def relabel(self, mention_id: int, label: str, actor: str = "analyst") -> Change:
        """Give a mention another label (the analyst's label is accepted). Its entity and
        the facts that use it follow in the same undo step (see relabel.follow_label)."""
        with transaction(self._engine) as session:
            m = _get(session, mention_id)
            rec = Recorder(
                session, actor, "mention.relabel", f"Relabel '{m.text}' {m.label} → {label}"
            )
            row = rec.update("mention", {"id": mention_id}, label=label, status="accepted")
            flagged = follow_label(rec, row, label) if m.label != label else []
            linked = sa.select(Mention.__table__.c.entity_id).where(
                Mention.__table__.c.id == mention_id
            )
            row = {**row, "entity_id": session.execute(linked).scalar()}
            return Change(rec.batch, _row_record(row), tuple(flagged))

    def resize(self, mention_id: int, start: int, end: int, actor: str = "analyst") -> Change:
        """Move a mention's edges; its text follows the document."""
        with transaction(self._engine) as session:
            m = _get(session, mention_id)
            text = _document_text(session, m.document_id)
            _check_span(text, start, end, m.document_id)
            rec = Recorder(
                session, actor, "mention.resize", f"Resize '{m.text}' → '{text[start:end]}'"
            )
            row = rec.update(
                "mention", {"id": mention_id}, start=start, end=end, text=text[start:end]
            )
            return Change(rec.batch, _row_record(row))

    def accept_all(self, document_id: int, actor: str = "analyst") -> Change:
        """Accept every proposed mention of a document, as one undoable change."""
        with transaction(self._engine) as session:
            ids = session.exec(
                select(Mention.id).where(
                    Mention.document_id == document_id, Mention.status == "proposed"
                )
            ).all()
            rec = Recorder(session, actor, "mention.accept_all", f"Accept {len(ids)} proposals")
            for mid in ids:
                rec.update("mention", {"id": mid}, status="accepted")
            return Change(rec.batch, None)

    def set_note(self, mention_id: int, note: str | None, actor: str = "analyst") -> Change:
        """Set or clear a mention's note."""
        with transaction(self._engine) as session:
            m = _get(session, mention_id)
            rec = Recorder(session, actor, "mention.note", f"Note on '{m.text}'")
            row = rec.update("mention", {"id": mention_id}, note=note or None)
            return Change(rec.batch, _row_record(row))

    def note(self, mention_id: int) -> str | None:
        """A mention's note."""
        with Session(self._engine) as session:
            return _get(session, mention_id).note

    def remarks(self, document_id: int) -> dict[int, tuple[tuple[str, ...], str | None]]:
        """The tags (sorted) and note of each mention of a document that has either."""
        found: dict[int, tuple[list[str], str | None]] = {}
        with Session(self._engine) as session:
            noted = session.exec(
                select(Mention.id, Mention.note).where(
                    Mention.document_id == document_id,
                    Mention.note.is_not(None),  # type: ignore[union-attr]
                )
            ).all()
            for mention_id, note in noted:
                found[mention_id] = ([], note)
            tagged = session.exec(
                select(MentionTag.mention_id, Tag.name)
                .join(Tag, MentionTag.tag_id == Tag.id)  # type: ignore[arg-type]
                .join(Mention, MentionTag.mention_id == Mention.id)  # type: ignore[arg-type]
                .where(Mention.document_id == document_id)
            ).all()
            for mention_id, name in tagged:
                found.setdefault(mention_id, ([], None))[0].append(name)
        return {k: (tuple(sorted(tags)), note) for k, (tags, note) in found.items()}


def _get(session: Session, mention_id: int) -> Mention:
    m = session.get(Mention, mention_id)
    if m is None:
        raise KeyError(f"no mention {mention_id}")
    return m


def _document_text(session: Session, document_id: int) -> str:
    text = session.exec(select(Document.text).where(Document.id == document_id)).first()
    if text is None:
        raise KeyError(f"no document {document_id}")
    return text


def _check_span(text: str, start: int, end: int, document_id: int) -> None:
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} is outside document {document_id}")


def _row_record(row: dict) -> MentionRecord:
    return MentionRecord(
        row["id"],
        row["document_id"],
        row["start"],
        row["end"],
        row["label"],
        row["text"],
        row["origin"],
        row["extractor"],
        row["confidence"],
        row["status"],
        row["entity_id"],
        row["run_id"],
    )
