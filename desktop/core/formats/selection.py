"""What an export holds: one set of filters shared by every format."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from desktop.core.formats.report import ExportCancelled
from desktop.core.models import DocumentTag, Tag
from desktop.core.records import DocumentRecord, FactRecord, MentionRecord
from desktop.core.store import Store

CHUNK = 200  # documents read at once by iter_selected


@dataclass(frozen=True)
class Selection:
    """Filters; an empty collection means "no filter" (rejected items are never exported)."""

    statuses: frozenset[str] = frozenset({"accepted"})
    include_human: bool = True  # analyst-added (origin "human") items of any other status
    tags: frozenset[str] = frozenset()  # an item passes if it or its document has one
    labels: frozenset[str] = frozenset()
    fact_types: frozenset[str] = frozenset()
    zones: frozenset[str] = frozenset()  # mentions inside a zone of these kinds, facts in them
    documents: frozenset[str | int] = frozenset()  # source names or document ids

    @classmethod
    def of(cls, **filters: Collection | bool | None) -> Selection:
        """A selection from plain collections (None or empty means no filter)."""
        clean = {k: v if isinstance(v, bool) else frozenset(v or ()) for k, v in filters.items()}
        return cls(**clean)  # type: ignore[arg-type]

    def status_ok(self, status: str, origin: str) -> bool:
        """Whether an item of this status and origin is exported."""
        if status == "rejected":
            return False
        return status in self.statuses or (self.include_human and origin == "human")


@dataclass(frozen=True)
class Selected:
    """One document with its selected mentions (by start) and facts."""

    document: DocumentRecord
    mentions: list[MentionRecord] = field(default_factory=list)
    facts: list[FactRecord] = field(default_factory=list)
    tags: frozenset[str] = frozenset()

    @property
    def source(self) -> str:
        """The document's source name."""
        return self.document.info.source


def _in_zones(doc: DocumentRecord, kinds: frozenset[str], start: int, end: int) -> bool:
    return any(z.kind in kinds and z.start <= start and end <= z.end for z in doc.zones)


def load(store: Store, document_id: int, sel: Selection) -> Selected | None:
    """The document with the mentions and facts passing `sel`; None if it does not pass or
    has nothing selected (unless named or tagged: an empty document is then a negative)."""
    doc = store.documents.get(document_id)
    if doc is None:
        return None
    return _select(store, doc, store.facts.for_document(document_id), sel)


def _document_tags(store: Store, ids: list[int]) -> dict[int, frozenset[str]]:
    """The tags of each of these documents that has any."""
    query = (
        select(DocumentTag.document_id, Tag.name)
        .join(Tag, col(DocumentTag.tag_id) == Tag.id)
        .where(col(DocumentTag.document_id).in_(ids))
    )
    found: dict[int, set[str]] = {}
    with Session(store.engine) as session:
        for doc_id, name in session.exec(query).all():
            found.setdefault(doc_id, set()).add(name)
    return {i: frozenset(names) for i, names in found.items()}


def _select(
    store: Store,
    doc: DocumentRecord,
    doc_facts: list[FactRecord],
    sel: Selection,
    doc_tags: frozenset[str] | None = None,
) -> Selected | None:
    """`load` for a document and its facts (and tags, if given) already read."""
    document_id = doc.info.id
    if sel.documents and not ({doc.info.id, doc.info.source} & sel.documents):
        return None
    if doc_tags is None:
        doc_tags = frozenset(store.tags.of("document", document_id))
    doc_tagged = not sel.tags or bool(doc_tags & sel.tags)
    mentions = [
        m
        for m in store.mentions.for_document(document_id)
        if sel.status_ok(m.status, m.origin)
        and (not sel.labels or m.label in sel.labels)
        and (not sel.zones or _in_zones(doc, sel.zones, m.start, m.end))
        and (doc_tagged or bool(set(store.tags.of("mention", m.id)) & sel.tags))
    ]
    facts = [
        f
        for f in doc_facts
        if sel.status_ok(f.status, f.origin)
        and (not sel.fact_types or f.type in sel.fact_types)
        and (not sel.zones or f.zone in sel.zones)
        and (doc_tagged or bool(set(f.tags) & sel.tags))
    ]
    chosen = bool(sel.documents) or bool(sel.tags & doc_tags)  # explicitly, so even if empty
    if not mentions and not facts and not chosen:
        return None
    mentions.sort(key=lambda m: (m.start, -m.end, m.id))
    return Selected(doc, mentions, facts, doc_tags)


def iter_selected(
    store: Store,
    sel: Selection,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[Selected]:
    """The selected documents in import order; checks `cancelled()` between documents.
    Documents and facts are read `CHUNK` documents at a time."""
    ids = store.documents.ids()
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        docs = store.documents.get_many(chunk)
        tags = _document_tags(store, chunk)
        facts: dict[int, list[FactRecord]] = {}
        for f in store.facts.query(document_ids=chunk):  # by document, then by position
            facts.setdefault(f.document_id, []).append(f)
        for done, doc_id in enumerate(chunk, start=first + 1):
            if cancelled():
                raise ExportCancelled
            doc = docs.get(doc_id)
            doc_facts, doc_tags = facts.get(doc_id, []), tags.get(doc_id, frozenset())
            item = None if doc is None else _select(store, doc, doc_facts, sel, doc_tags)
            if item is not None:
                yield item
            progress(done, len(ids))
    if cancelled():
        raise ExportCancelled
