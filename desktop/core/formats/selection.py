"""What an export holds: one set of filters shared by every format."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from desktop.core.formats.report import ExportCancelled
from desktop.core.ingest.zones import BOILERPLATE_ZONES
from desktop.core.records import DocumentRecord, FactRecord, MentionRecord

if TYPE_CHECKING:
    from desktop.core.store import Store
    from desktop.core.store.export_reads import DocumentBatchItem

CHUNK = 200  # documents read at once by iter_selected

# A fact as agreement compares it: its type and its (role, start, end) arguments, sorted.
FactKey = tuple[str, tuple[tuple[str, int | None, int | None], ...]]


@dataclass(frozen=True, eq=False)
class Agreed:
    """What other layers hold too, by document sha256: an export of "agreed items only"
    keeps an item of the project only when every other layer has the same item (a span:
    same offsets and label; a fact: same type and arguments). Made by
    `desktop.core.agreement.agreed`."""

    name: str
    spans: dict[str, frozenset[tuple[int, int, str]]] = field(default_factory=dict)
    facts: dict[str, frozenset[FactKey]] = field(default_factory=dict)
    literal_arguments: bool = True  # False: the others cannot hold them (an export)

    def span_ok(self, sha: str, start: int, end: int, label: str) -> bool:
        """Whether the other layers hold this span of this document too."""
        return (start, end, label) in self.spans.get(sha, ())

    def fact_ok(self, sha: str, fact: FactRecord) -> bool:
        """Whether the other layers hold this fact of this document too."""
        kind, args = fact_key(fact)
        if not self.literal_arguments:  # compared on the arguments the others can hold
            args = tuple(a for a in args if a[1] is not None)
        return (kind, args) in self.facts.get(sha, ())


def _arg_key(arg: tuple[str, int | None, int | None]) -> tuple[str, int, int]:
    role, start, end = arg
    return role, -1 if start is None else start, -1 if end is None else end


def fact_key(fact: FactRecord) -> FactKey:
    """A fact's type and arguments in the order agreement compares them."""
    args = sorted(((a.role, a.start, a.end) for a in fact.arguments), key=_arg_key)
    return fact.type, tuple(args)


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
    include_boilerplate: bool = False  # facts found in captions, related-story lists, tag lines
    agreed: Agreed | None = None  # only the items these other layers hold too

    @classmethod
    def of(cls, **filters: Collection | bool | Agreed | None) -> Selection:
        """A selection from plain collections (None or empty means no filter)."""
        clean = {
            k: v if isinstance(v, bool | Agreed) else frozenset(v or ())  # type: ignore[arg-type]
            for k, v in filters.items()
        }
        if not clean.get("agreed"):
            clean.pop("agreed", None)
        return cls(**clean)  # type: ignore[arg-type]

    def status_ok(self, status: str, origin: str) -> bool:
        """Whether an item of this status and origin is exported."""
        if status == "rejected":
            return False
        return status in self.statuses or (self.include_human and origin == "human")

    def fact_ok(self, fact: FactRecord) -> bool:
        """Whether a fact passes every filter but tags (which depend on its document).

        The fact's own status decides, never its arguments'; a label filter keeps facts
        with an argument of one of those labels."""
        return (
            self.status_ok(fact.status, fact.origin)
            and (not self.fact_types or fact.type in self.fact_types)
            and (not self.zones or fact.zone in self.zones)
            and (
                self.include_boilerplate
                or fact.zone not in BOILERPLATE_ZONES
                or bool(self.zones & BOILERPLATE_ZONES)
            )
            and (not self.labels or any(a.label in self.labels for a in fact.arguments))
        )

    def describe(self) -> str:
        """The filters in words, for messages ("accepted or analyst-added; tag verified")."""
        statuses = sorted(self.statuses)
        parts = [" or ".join(statuses + (["analyst-added"] if self.include_human else [])) or "-"]
        for name, values in (
            ("tag", self.tags),
            ("label", self.labels),
            ("type", self.fact_types),
            ("zone", self.zones),
            ("document", self.documents),
        ):
            if values:
                parts.append(f"{name} {', '.join(sorted(map(str, values)))}")
        if self.agreed is not None:
            parts.append(f"agreed with {self.agreed.name}")
        return "; ".join(parts)


class NothingSelected(Exception):
    """Raised at the end of `iter_selected` when no item passed: nothing is written.

    `reason` says why in words a user can act on; `proposed` counts the items that
    `--status proposed` would add."""

    def __init__(self, what: str, reason: str, proposed: int) -> None:
        super().__init__(f"0 {what}: {reason}")
        self.what = what
        self.reason = reason
        self.proposed = proposed


@dataclass(frozen=True)
class Selected:
    """One document with its selected mentions (by start) and facts."""

    document: DocumentRecord
    mentions: list[MentionRecord] = field(default_factory=list)
    facts: list[FactRecord] = field(default_factory=list)
    tags: frozenset[str] = frozenset()
    chosen: bool = False  # named by a document filter or tagged with a wanted tag
    notes: dict[int, str] = field(default_factory=dict)  # mention id -> note
    entities: dict[int, tuple[int, str]] = field(default_factory=dict)  # mention -> entity

    @property
    def source(self) -> str:
        """The document's source name."""
        return self.document.info.source


def _in_zones(doc: DocumentRecord, kinds: frozenset[str], start: int, end: int) -> bool:
    return any(z.kind in kinds and z.start <= start and end <= z.end for z in doc.zones)


def load(store: Store, document_id: int, sel: Selection) -> Selected | None:
    """The document with the mentions and facts passing `sel`; None if it does not pass or
    has nothing selected (unless named or tagged: an empty document is then a negative)."""
    found = store.exports.batch([document_id]).get(document_id)
    return None if found is None else _select(found, sel)


def _select(read: DocumentBatchItem, sel: Selection) -> Selected | None:
    """`load` for a document read with everything on it."""
    doc, doc_tags = read.document, read.tags
    if sel.documents and not ({doc.info.id, doc.info.source} & sel.documents):
        return None
    doc_tagged = not sel.tags or bool(doc_tags & sel.tags)
    no_tags: frozenset[str] = frozenset()
    agreed, sha = sel.agreed, doc.sha256
    mentions = [
        m
        for m in read.mentions
        if sel.status_ok(m.status, m.origin)
        and (agreed is None or agreed.span_ok(sha, m.start, m.end, m.label))
        and (not sel.labels or m.label in sel.labels)
        and (not sel.zones or _in_zones(doc, sel.zones, m.start, m.end))
        and (doc_tagged or bool(read.mention_tags.get(m.id, no_tags) & sel.tags))
    ]  # already by (start, -end, id)
    facts = [
        f
        for f in read.facts
        if sel.fact_ok(f)
        and (doc_tagged or bool(set(f.tags) & sel.tags))
        and (agreed is None or agreed.fact_ok(sha, f))
    ]
    chosen = bool(sel.documents) or bool(sel.tags & doc_tags)  # explicitly, so even if empty
    if not mentions and not facts and not chosen:
        return None
    return Selected(doc, mentions, facts, doc_tags, chosen, read.notes, read.entities)


def iter_selected(
    store: Store,
    sel: Selection,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
    need: str = "items",
) -> Iterator[Selected]:
    """The selected documents in import order; checks `cancelled()` between documents.
    Documents and facts are read `CHUNK` documents at a time.

    When not one item of the kind `need` names ("facts", "mentions", or "items" for
    either) was selected, raises NothingSelected after the last document, so an
    exporter writing inside an atomic block leaves the target untouched."""
    found = 0
    for item in _iter_selected(store, sel, progress, cancelled):
        if need == "mentions" and not item.mentions and not item.chosen:
            continue  # a span dataset would read it as a text with no entities at all
        found += _count(item, need)
        yield item
    if not found:
        raise nothing_selected(store, sel, need)


def _count(item: Selected, need: str) -> int:
    if need == "facts":
        return len(item.facts)
    if need == "mentions":
        return len(item.mentions)
    return len(item.mentions) + len(item.facts)


def nothing_selected(store: Store, sel: Selection, need: str) -> NothingSelected:
    """Why nothing of `need` passed `sel`, with how many proposals would."""
    what = {"facts": "facts", "mentions": "spans"}.get(need, "spans or facts")
    counts = store.exports.status_counts(
        {"facts": ("fact",), "mentions": ("mention",)}.get(need, ("mention", "fact"))
    )
    proposed = 0
    if "proposed" not in sel.statuses and counts.get("proposed"):
        wider = replace(sel, statuses=sel.statuses | {"proposed"})
        proposed = sum(_count(item, need) for item in _iter_selected(store, wider))
    would = f"; {proposed} proposed {what} would match" if proposed else ""
    if not sum(counts.values()):
        reason = f"the project has no {what} yet (import and extract documents first)"
    elif not counts.get("accepted") and "proposed" not in sel.statuses:
        reason = f"nothing is accepted yet{would}"
    else:
        reason = f"nothing matches the filters ({sel.describe()}){would}"
    return NothingSelected(what, reason, proposed)


def _iter_selected(
    store: Store,
    sel: Selection,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[Selected]:
    ids = store.exports.ids()
    if sel.documents:  # read only the documents named
        named = store.exports.sources()
        ids = [i for i in ids if {i, named.get(i)} & sel.documents]
    for first in range(0, len(ids), CHUNK):
        if cancelled():
            raise ExportCancelled
        chunk = ids[first : first + CHUNK]
        batch = store.exports.batch(chunk)
        for done, doc_id in enumerate(chunk, start=first + 1):
            if cancelled():
                raise ExportCancelled
            read = batch.pop(doc_id, None)
            item = None if read is None else _select(read, sel)
            if item is not None:
                yield item
            progress(done, len(ids))
    if cancelled():
        raise ExportCancelled
