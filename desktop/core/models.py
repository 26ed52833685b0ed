"""SQLModel tables: the whole project schema (stand-off annotation over documents).

Offsets are Python code points into `Document.text`, end-exclusive. Only the
store module queries or mutates these tables; everyone else gets records.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class Document(SQLModel, table=True):
    """One imported text; never modified after import."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True)
    source: str = Field(index=True)  # file name without extension, or the record's source
    path: str | None = None  # path relative to the import root
    title: str | None = None
    published: str | None = Field(default=None, index=True)  # ISO 8601, possibly partial
    publisher: str | None = None
    dateline: str | None = None
    url: str | None = None
    language: str = "en"
    encoding: str | None = None
    text: str = Field(sa_type=sa.Text)
    # Where each page of a paged file (PDF, Word) starts in `text`: the first is 0; None for
    # texts that have no pages.
    page_starts: list[int] | None = Field(default=None, sa_type=sa.JSON(none_as_null=True))
    note: str | None = None
    last_run_id: int | None = Field(default=None, index=True)  # last extraction over it
    extraction_error: str | None = Field(default=None, sa_type=sa.Text)  # why it last failed
    reviewed_at: datetime | None = None  # when the analyst marked it done (None: not marked)
    created_at: datetime = Field(default_factory=utcnow)


class Zone(SQLModel, table=True):
    """A span of a document: headline, byline, body, caption, related, tags ..."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    start: int
    end: int
    kind: str
    origin: str = "rule"  # rule / human


class ExtractionRun(SQLModel, table=True):
    """One pass of the pipeline over some documents: what produced which rows."""

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    pipeline: str  # model package name, or "blank:en"
    pipeline_version: str
    rules_version: str
    components: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    status: str = "running"  # running / done / cancelled / failed / interrupted
    document_count: int = 0
    mention_count: int = 0
    failed_count: int = 0  # documents whose extraction failed in this run
    pid: int | None = None  # the process running it (a dead one means interrupted)
    host: str | None = None


class Entity(SQLModel, table=True):
    """A canonical record that mentions resolve to."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    preferred_name: str
    note: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Alias(SQLModel, table=True):
    """A name that resolves to an entity, with its folded matching key."""

    __table_args__ = (sa.UniqueConstraint("entity_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True, ondelete="CASCADE")
    name: str
    key: str = Field(index=True)


class EntityDecision(SQLModel, table=True):
    """An analyst's merge / split / not-the-same decision, kept to be reversible."""

    id: int | None = Field(default=None, primary_key=True)
    action: str  # merge / split / distinct / rename
    entity_a: int
    entity_b: int | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    reverted: bool = False
    decided_by: str | None = None  # the analyst who made the decision
    created_at: datetime = Field(default_factory=utcnow)


class Mention(SQLModel, table=True):
    """A labelled span in a document, proposed by a model or rule, or added by hand."""

    __table_args__ = (sa.Index("ix_mention_doc_span", "document_id", "start", "end"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    start: int
    end: int
    label: str = Field(index=True)
    text: str
    origin: str  # model / rule / project (a name the analyst confirmed) / human / import
    extractor: str | None = None
    confidence: float | None = None
    status: str = Field(default="proposed", index=True)  # proposed / accepted / rejected
    entity_id: int | None = Field(
        default=None, foreign_key="entity.id", index=True, ondelete="SET NULL"
    )
    run_id: int | None = Field(default=None, foreign_key="extractionrun.id", ondelete="SET NULL")
    note: str | None = None
    decided_by: str | None = None  # the analyst who last added, accepted, rejected or edited it
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Fact(SQLModel, table=True):
    """A typed n-ary record (MEETING, ROLE, ...) with its evidence span."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    type: str = Field(index=True)
    evidence_start: int
    evidence_end: int
    zone: str | None = None
    origin: str
    extractor: str | None = None
    confidence: float | None = None
    status: str = Field(default="proposed", index=True)
    run_id: int | None = Field(default=None, foreign_key="extractionrun.id", ondelete="SET NULL")
    note: str | None = None
    decided_by: str | None = None  # the analyst who last added, accepted, rejected or edited it
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class FactArgument(SQLModel, table=True):
    """One role of a fact, filled by a mention or by a literal, with its normalized value."""

    id: int | None = Field(default=None, primary_key=True)
    fact_id: int = Field(foreign_key="fact.id", index=True, ondelete="CASCADE")
    role: str
    position: int = 0
    mention_id: int | None = Field(
        default=None, foreign_key="mention.id", index=True, ondelete="SET NULL"
    )
    start: int | None = None
    end: int | None = None
    text: str | None = None
    value: str | None = None  # normalized: ISO date, "42000000000 USD", "+16.4"
    # None is SQL NULL (not the JSON text null), however the row is written: undo and
    # redo write snapshots back, where the two would read alike and compare unequal.
    value_json: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON(none_as_null=True))
    decided_by: str | None = None  # the analyst who last added or edited it


class Tag(SQLModel, table=True):
    """A tag name an analyst puts on documents, mentions, entities and facts."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    color: str | None = None


class DocumentTag(SQLModel, table=True):
    """Tag link on a document."""

    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class MentionTag(SQLModel, table=True):
    """Tag link on a mention."""

    mention_id: int = Field(foreign_key="mention.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class EntityTag(SQLModel, table=True):
    """Tag link on an entity."""

    entity_id: int = Field(foreign_key="entity.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class FactTag(SQLModel, table=True):
    """Tag link on a fact."""

    fact_id: int = Field(foreign_key="fact.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class Label(SQLModel, table=True):
    """An entity label of the project's label set, with colour and hotkey."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    color: str = "#999999"
    hotkey: str | None = None
    position: int = 0


class LearnedName(SQLModel, table=True):
    """An analyst's own entry in what the project learned: a name to find in every document
    (kind "name") or a span not to propose again (kind "rejection"). Most of what the
    project knows is read from decisions (accepted and rejected mentions, merges, renames);
    a row here adds an entry, or with `forgotten` removes one read from decisions."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # name / rejection
    forgotten: bool = False
    label: str
    key: str = Field(index=True)  # entities.keys.entity_key of the text
    text: str
    context: str | None = None  # a rejection's zone kind (None: in any zone)
    entity_id: int | None = Field(default=None, foreign_key="entity.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class Revision(SQLModel, table=True):
    """Append-only audit of every change; undo and redo are built on it."""

    __table_args__ = (sa.Index("ix_revision_target", "target", "target_id"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    actor: str  # the analyst's name, or "pipeline" / "import" (not undoable)
    client: str | None = None  # which Store object wrote it (a window, a command)
    action: str  # e.g. "ingest", "extract", "mention.accept"
    target: str  # table name
    target_id: int | None = None
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    summary: str = ""
    undone: bool = False
    batch: int | None = Field(default=None, index=True)  # revisions of one user action


class Setting(SQLModel, table=True):
    """A project-level key/value setting (JSON value)."""

    key: str = Field(primary_key=True)
    value: Any = Field(default=None, sa_type=sa.JSON)
