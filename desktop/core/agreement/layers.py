"""Annotation layers: what one project says about each of its documents.

A layer maps a document's content hash (`documents.sha256`) to its text, spans and
facts, so the layers of two projects that imported the same articles line up whatever
ids the documents got in each project.

Which items count: by default an item (mention or fact) counts when its status is
``accepted`` or when an analyst added it by hand (origin ``human``) and did not reject
it; a ``rejected`` item never counts, and a model's ``proposed`` item only when
``statuses`` names ``proposed``. The rule is the export's (`formats.selection`), so the
figures are about the dataset each project would export.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from desktop.core.store.export_reads import DocumentBatchItem

BATCH = 500  # documents read at a time

# One argument of a fact: (role, start, end); start and end are None for a literal
# argument that has no place in the text.
Argument = tuple[str, int | None, int | None]


class AgreementError(Exception):
    """A layer that cannot be read or compared: one line naming the file and the problem."""

    for_the_user = True  # the window shows the line without a traceback


class Span(NamedTuple):
    """A labelled span, offsets in code points, end-exclusive (a tuple: cheap to make,
    hash and sort by offsets)."""

    start: int
    end: int
    label: str


class FactItem(NamedTuple):
    """A fact as agreement sees it: its type and its arguments, sorted."""

    type: str
    arguments: tuple[Argument, ...]


@dataclass(frozen=True, slots=True)
class DocumentLayer:
    """One document's annotations in one layer."""

    sha256: str
    source: str
    text: str
    spans: tuple[Span, ...] = ()
    facts: tuple[FactItem, ...] = ()
    document_id: int | None = None  # its id in the project it was read from


@dataclass
class Layer:
    """A layer: documents by content hash, and where it was read from."""

    name: str
    documents: dict[str, DocumentLayer] = field(default_factory=dict)
    # What its facts can hold: an export may have no literal arguments (no place in the
    # text) and no fact of fewer than `min_arguments` spanned ones (Prodigy: 2).
    literal_arguments: bool = True
    min_arguments: int = 1
    holds_facts: bool = True  # a CoNLL file holds none: facts are then not compared


class _Reads(Protocol):
    def ids(self) -> list[int]: ...

    def batch(self, ids: Sequence[int]) -> dict[int, DocumentBatchItem]: ...


class _Project(Protocol):
    @property
    def exports(self) -> _Reads: ...


def _counts(status: str, origin: str, statuses: Collection[str], include_human: bool) -> bool:
    if status == "rejected":
        return False
    return status in statuses or (include_human and origin == "human")


def read_layer(
    project: _Project,
    name: str = "",
    *,
    statuses: Collection[str] = ("accepted",),
    include_human: bool = True,
    include_boilerplate: bool = False,
    ids: Sequence[int] | None = None,
) -> Layer:
    """The layer of an open project (a `Store`, or the command line's read-only project);
    of the documents `ids` only, when given.

    `statuses` are the statuses that count, `include_human` whether analyst-added items
    of any other status count too; rejected items never do (see the module's note).
    Facts found in captions, related-story lists and tag lines count only with
    `include_boilerplate`, as an export leaves them out unless asked."""
    from desktop.core.formats.imports import _cyclic_gc_paused
    from desktop.core.ingest.zones import BOILERPLATE_ZONES

    skipped = frozenset() if include_boilerplate else BOILERPLATE_ZONES
    # tens of thousands of small tuples: the cycle collector would run over the whole heap
    # again and again (half the time of reading 2,000 documents); counting frees them
    with _cyclic_gc_paused():
        return _read(project, name, statuses, include_human, skipped, ids)


def _read(
    project: _Project,
    name: str,
    statuses: Collection[str],
    include_human: bool,
    skipped: frozenset[str],
    only: Sequence[int] | None = None,
) -> Layer:
    reads = project.exports
    layer = Layer(name)
    ids = reads.ids() if only is None else list(only)
    for first in range(0, len(ids), BATCH):
        for item in reads.batch(ids[first : first + BATCH]).values():
            doc = item.document
            spans = sorted(
                {
                    Span(m.start, m.end, m.label)
                    for m in item.mentions
                    if _counts(m.status, m.origin, statuses, include_human)
                }
            )
            facts = sorted(
                {
                    FactItem(
                        f.type,
                        tuple(sorted([_argument(a) for a in f.arguments], key=_arg_key)),
                    )
                    for f in item.facts
                    if _counts(f.status, f.origin, statuses, include_human)
                    and f.zone not in skipped
                },
                key=lambda f: (f.type, [_arg_key(a) for a in f.arguments]),
            )
            layer.documents[doc.sha256] = DocumentLayer(
                doc.sha256, doc.info.source, doc.text, tuple(spans), tuple(facts), doc.info.id
            )
    return layer


def _argument(argument: Any) -> Argument:
    return argument.role, argument.start, argument.end


def _arg_key(argument: Argument) -> tuple[str, int, int]:
    role, start, end = argument
    return role, -1 if start is None else start, -1 if end is None else end


def open_layer(
    path: str | Path,
    *,
    statuses: Collection[str] = ("accepted",),
    include_human: bool = True,
) -> Layer:
    """Read the layer of a project file. A file at the newest schema is read with
    sqlite3 alone and never written; an older one goes through the store, which
    upgrades it in place as opening it in the window would. Raises `AgreementError`
    for a missing file or one that is not a project."""
    from desktop.core.store.plain_reads import open_current

    name = str(path)
    plain = open_current(path)
    if plain is not None:
        from desktop.core.store.export_reads import ReadOnlyProject

        with closing(plain):
            return read_layer(
                ReadOnlyProject.of(plain, name),
                name,
                statuses=statuses,
                include_human=include_human,
            )
    from desktop.core.store import ProjectError, Store

    try:
        store = Store.open(path, create=False)
    except ProjectError as exc:
        raise AgreementError(str(exc)) from exc
    with store:
        return read_layer(store, name, statuses=statuses, include_human=include_human)


def shared(a: Layer, b: Layer) -> list[tuple[DocumentLayer, DocumentLayer]]:
    """The documents both layers hold, paired by content, in the first layer's order."""
    return [(doc, b.documents[sha]) for sha, doc in a.documents.items() if sha in b.documents]


def only_in(a: Layer, b: Layer) -> list[str]:
    """Source names of the documents of `a` that `b` does not hold."""
    return [doc.source for sha, doc in a.documents.items() if sha not in b.documents]


def labels_of(pairs: Iterable[tuple[DocumentLayer, DocumentLayer]]) -> list[str]:
    """Every span label either layer uses on these documents, sorted."""
    found: set[str] = set()
    for a, b in pairs:
        found.update(s.label for s in a.spans)
        found.update(s.label for s in b.spans)
    return sorted(found)
