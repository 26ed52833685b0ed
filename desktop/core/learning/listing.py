"""What "Names the project knows" lists: known names with their entity and other names,
remembered rejections, and the entries the analyst took out (plain rows, read off the GUI
thread: it reads every mention)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.core.learning import names

if TYPE_CHECKING:
    from desktop.core.store import Store

SOURCE_TEXT = {
    names.CONFIRMED: "accepted",
    names.MERGED: "merge",
    names.RENAMED: "rename",
    names.ADDED: "added by hand",
    names.REJECTED: "rejected",
}
ANY_ZONE = "any zone"


def where(context: str | None) -> str:
    """A rejection's context for reading: "body", "body, before “sri”", "any zone"."""
    if context is None:
        return ANY_ZONE
    zone, _sep, word = context.partition(names.BEFORE)
    return f"{zone}, before “{word}”" if word else zone


@dataclass(frozen=True, slots=True)
class NameRow:
    """A known name as the dialog shows it."""

    text: str
    label: str
    entity: str  # the entity's preferred name ("" when not linked yet)
    aliases: str  # the entity's other names, "; "-separated
    documents: int
    source: str  # names.CONFIRMED ...
    key: str
    entry_id: int | None  # the analyst's own row (an added name), else None


@dataclass(frozen=True, slots=True)
class RejectionRow:
    """A remembered rejection as the dialog shows it."""

    text: str
    label: str
    context: str | None  # zone kind, None for any zone
    rejected: int
    documents: int
    source: str
    key: str
    entry_id: int | None


@dataclass(frozen=True, slots=True)
class ForgottenRow:
    """A name or rejection the analyst took out of what the project learned."""

    kind: str  # name / rejection
    text: str
    label: str
    context: str | None
    entry_id: int


@dataclass(frozen=True, slots=True)
class Listing:
    """Everything the dialog shows, sorted for reading."""

    names: tuple[NameRow, ...]
    rejections: tuple[RejectionRow, ...]
    forgotten: tuple[ForgottenRow, ...]


def read_listing(store: Store) -> Listing:
    """The project's known names, remembered rejections and forgotten entries."""
    knowledge = names.load(store, count_documents=True)
    wanted = {n.entity_id for n in knowledge.names.values() if n.entity_id is not None}
    entities = {e.id: e for e in store.entities.list() if e.id in wanted}
    rows = []
    for n in knowledge.names.values():
        e = entities.get(n.entity_id) if n.entity_id is not None else None
        if e is None and n.entity_id is not None:
            e = store.entities.get(n.entity_id)  # one without mentions (added by hand)
        shown = {n.text, e.preferred_name if e else ""}
        others = [a for a in (e.aliases if e else ()) if a not in shown]
        rows.append(
            NameRow(
                n.text,
                n.label,
                e.preferred_name if e else "",
                "; ".join(others),
                n.documents,
                n.source,
                n.key,
                n.entry_id,
            )
        )
    rows.sort(key=lambda r: (r.label, -r.documents, r.text.casefold()))
    rejections = sorted(
        (
            RejectionRow(
                r.text, r.label, r.context, r.rejected, r.documents, r.source, r.key, r.entry_id
            )
            for r in knowledge.rejections.values()
        ),
        key=lambda r: (r.label, -r.rejected, r.text.casefold()),
    )
    forgotten = tuple(
        ForgottenRow(kind, text, label, context, entry_id)
        for entry_id, kind, label, text, context in knowledge.forgotten
    )
    return Listing(tuple(rows), tuple(rejections), forgotten)
