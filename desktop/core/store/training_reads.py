"""Reviewed documents as training and evaluation read them: text, identity, every mention.

Which documents are reviewed is the store's `learning.reviewed_ids()` (marked done, or
every proposal decided)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from desktop.core.models import Document, Mention


@dataclass(frozen=True, slots=True)
class ReviewedSpan:
    """A mention of a reviewed document as training and evaluation see it."""

    start: int
    end: int
    label: str
    status: str  # proposed / accepted / rejected
    origin: str  # model / rule / human / import


@dataclass(frozen=True, slots=True)
class ReviewedDocument:
    """A reviewed document: its text, identity and mentions."""

    id: int
    sha256: str
    source: str
    text: str
    spans: tuple[ReviewedSpan, ...]


class TrainingReads:
    """Reads of reviewed documents for training and evaluation."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def documents(self, ids: Sequence[int]) -> list[ReviewedDocument]:
        """The documents with their mentions (every status), in the order of `ids`."""
        out: dict[int, ReviewedDocument] = {}
        spans: dict[int, list[ReviewedSpan]] = defaultdict(list)
        with Session(self._engine) as session:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                query = select(
                    Mention.document_id,
                    Mention.start,
                    Mention.end,
                    Mention.label,
                    Mention.status,
                    Mention.origin,
                ).where(col(Mention.document_id).in_(chunk))
                for doc_id, s, e, label, status, origin in session.exec(query).all():
                    spans[doc_id].append(ReviewedSpan(s, e, label, status, origin))
                rows = session.exec(
                    select(Document.id, Document.sha256, Document.source, Document.text).where(
                        col(Document.id).in_(chunk)
                    )
                ).all()
                for doc_id, sha, source, text in rows:
                    found = tuple(sorted(spans[doc_id], key=lambda s: (s.start, s.end)))
                    out[doc_id] = ReviewedDocument(doc_id, sha, source, text, found)
        return [out[i] for i in ids if i in out]
