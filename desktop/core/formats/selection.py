"""What an export holds: one set of filters shared by every format."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field

from desktop.core.formats.report import ExportCancelled
from desktop.core.records import DocumentRecord, FactRecord, MentionRecord
from desktop.core.store import Store


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
    if sel.documents and not ({doc.info.id, doc.info.source} & sel.documents):
        return None
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
        for f in store.facts.for_document(document_id)
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
    """The selected documents in import order; checks `cancelled()` between documents."""
    ids = store.documents.ids()
    for done, doc_id in enumerate(ids, start=1):
        if cancelled():
            raise ExportCancelled
        item = load(store, doc_id, sel)
        if item is not None:
            yield item
        progress(done, len(ids))
    if cancelled():
        raise ExportCancelled
