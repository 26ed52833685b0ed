"""Plain read objects handed out by the store: no ORM instances ever leave it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ZoneRecord:
    """A zone of a document."""

    id: int
    start: int
    end: int
    kind: str
    origin: str


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A document's metadata and annotation counts (no text)."""

    id: int
    source: str
    title: str | None
    published: str | None
    publisher: str | None
    dateline: str | None
    url: str | None
    encoding: str | None
    length: int
    proposed: int = 0
    accepted: int = 0
    rejected: int = 0
    extraction_error: str | None = None  # why the last extraction of it failed, if it did


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A document with its text and zones."""

    info: DocumentInfo
    text: str
    zones: tuple[ZoneRecord, ...] = ()
    sha256: str = ""
    path: str | None = None
    page_starts: tuple[int, ...] = ()  # where each page starts in `text`; () without pages

    def page_of(self, offset: int) -> int | None:
        """The page (counted from 1) that holds the character at `offset`; None when the
        document has no pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


@dataclass(frozen=True, slots=True)
class MentionRecord:
    """A labelled span."""

    id: int
    document_id: int
    start: int
    end: int
    label: str
    text: str
    origin: str
    extractor: str | None
    confidence: float | None
    status: str
    entity_id: int | None
    run_id: int | None


@dataclass(frozen=True, slots=True)
class ProposedMention:
    """A span proposed by the pipeline, before it is stored."""

    start: int
    end: int
    label: str
    text: str
    origin: str
    extractor: str
    confidence: float | None = None
    entity_id: int | None = None  # linked already (a name the project knows)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text search result with a snippet of the original text."""

    document_id: int
    source: str
    title: str | None
    snippet: str
    rank: float
    highlights: tuple[tuple[int, int], ...] = ()  # spans of `snippet` that matched


@dataclass(frozen=True, slots=True)
class RunRecord:
    """An extraction run."""

    id: int
    pipeline: str
    pipeline_version: str
    rules_version: str
    status: str
    document_count: int
    mention_count: int
    started_at: str
    finished_at: str | None
    failed_count: int = 0  # documents of the run whose extraction failed
    pid: int | None = None
    host: str | None = None


@dataclass(frozen=True, slots=True)
class ProjectStats:
    """Counts over the whole project."""

    documents: int
    mentions: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_label: dict[str, int] = field(default_factory=dict)
    by_origin: dict[str, int] = field(default_factory=dict)
    zones: dict[str, int] = field(default_factory=dict)
    pending_extraction: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    schema_revision: str | None = None
    last_run: RunRecord | None = None
    extraction_failed: list[tuple[str, str]] = field(default_factory=list)  # (source, why)


@dataclass(frozen=True, slots=True)
class NewZone:
    """A zone to store with a new document."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A decoded document on its way into the store."""

    source: str
    text: str
    path: str | None = None
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    dateline: str | None = None
    url: str | None = None
    encoding: str | None = None
    zones: tuple[NewZone, ...] = ()
    page_starts: tuple[int, ...] = ()  # where each page starts in `text` (paged files only)


@dataclass(frozen=True, slots=True)
class LabelRecord:
    """An entity label of the project's label set."""

    id: int
    name: str
    color: str
    hotkey: str | None
    position: int


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """Mentions of one name under one label in one document, for the entity sidebar."""

    label: str
    text: str
    count: int
    mention_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class FactArgRecord:
    """One argument of a stored fact."""

    id: int
    role: str
    position: int
    mention_id: int | None
    start: int | None
    end: int | None
    text: str | None
    value: str | None
    label: str | None = None
    status: str | None = None  # the argument mention's own status (None for a literal)
    unit: str | None = None  # the normalized value's unit ("percent", ...), when it has one


@dataclass(frozen=True, slots=True)
class FactRecord:
    """A stored fact with its arguments."""

    id: int
    document_id: int
    type: str
    evidence_start: int
    evidence_end: int
    zone: str | None
    origin: str
    extractor: str | None
    confidence: float | None
    status: str
    arguments: tuple[FactArgRecord, ...] = ()
    tags: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractProgress:
    """Progress of an extraction run after one more document.

    Here, not in nlp.extract, so the GUI can know it without importing spaCy at start-up.
    """

    run_id: int
    done: int
    total: int
    document_id: int
    inserted: int
    removed: int
    facts: int = 0
    source: str = ""
    failed: str | None = None  # why this document could not be extracted (nothing written)


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """A canonical entity with the names it is written as and where."""

    id: int
    kind: str
    preferred_name: str
    aliases: tuple[str, ...] = ()  # every other name resolving to it, as written
    mention_count: int = 0
    document_count: int = 0
    sources: tuple[str, ...] = ()  # document source names
    note: str | None = None


@dataclass(frozen=True, slots=True)
class EntityDecisionRecord:
    """An analyst's standing entity decision (merge / split / distinct / rename)."""

    id: int
    action: str
    entity_a: int
    entity_b: int | None
    payload: dict
    created_at: str


@dataclass(frozen=True, slots=True)
class MergeProposal:
    """Two entities that may be one, for an analyst to confirm (a is the one to keep)."""

    a_id: int
    b_id: int
    score: float
    reason: str
    kind: str = ""
    a_name: str = ""
    b_name: str = ""
