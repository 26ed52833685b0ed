"""Automatic resolution: every entity mention linked to a canonical entity, only when safe.

Safe means the same kind and the same folded key (across documents), or, within a
document, a one-word person name that is a word of a full name written earlier
("Wei" after "Wei Tao"). The alias table is the resolver's memory: analysts'
merges and splits move aliases, so later runs follow them. A mention that
already points to a fitting entity is left alone, so re-running changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.core.entities.keys import compact, entity_key, kind_of
from desktop.core.entities.names import is_short_form

if TYPE_CHECKING:
    from desktop.core.store import Store

# (mention id, document id, label, text, status, entity id), in document and text order
MentionRow = tuple[int, int, str, str, str, "int | None"]


@dataclass
class ResolutionState:
    """What the resolver reads: mentions in scope and the existing entities' aliases."""

    mentions: Sequence[MentionRow]
    kinds: dict[int, str]  # entity id -> kind
    aliases: dict[int, set[str]]  # entity id -> alias keys
    merged: set[int] = field(default_factory=set)  # entities analysts merged others into
    mark: list[object] | None = None  # the inputs' figures when read (store.plain_reads)


@dataclass
class ResolutionPlan:
    """What the resolver writes; new entities have negative ids until stored."""

    new_entities: dict[int, str] = field(default_factory=dict)  # ref -> kind
    moves: list[tuple[int, int | None]] = field(default_factory=list)  # mention, entity ref
    new_aliases: dict[tuple[int, str], Counter[str]] = field(default_factory=dict)
    touched: set[int] = field(default_factory=set)  # entities whose names changed
    assigned: int = 0
    inputs_mark: list[object] | None = None  # the state's mark: stored if still true


class _Lookup:
    """(kind, key) -> entity, by exact key first, then by key without spaces."""

    def __init__(self, state: ResolutionState) -> None:
        self.exact: dict[tuple[str, str], int] = {}
        self.loose: dict[tuple[str, str], int] = {}
        for eid in sorted(state.aliases):
            kind = state.kinds.get(eid)
            keys = state.aliases[eid]
            for key in keys:
                if kind is not None and not (kind == "person" and is_short_form(key, keys)):
                    self.add(kind, key, eid)

    def add(self, kind: str, key: str, ref: int) -> None:
        self.exact.setdefault((kind, key), ref)
        self.loose.setdefault((kind, compact(key)), ref)

    def find(self, kind: str, key: str) -> int | None:
        found = self.exact.get((kind, key))
        return found if found is not None else self.loose.get((kind, compact(key)))


def plan_resolution(state: ResolutionState) -> ResolutionPlan:
    """Decide the entity of every mention in scope (pure: no database)."""
    plan = Resolver(state).plan(state.mentions)
    plan.inputs_mark = state.mark
    return plan


class Resolver:
    """plan_resolution over mentions given in parts (an import's batches, written as they
    come), remembering what earlier parts decided: the entities they made (negative refs,
    never reused) and the alias keys they gave, as one pass over all the parts would.
    `state.mentions` is not read; the parts are given to `plan`."""

    def __init__(self, state: ResolutionState) -> None:
        self.state = state
        self.lookup = _Lookup(state)
        self.keys_of = {eid: set(keys) for eid, keys in state.aliases.items()}
        self.made = 0  # new entities so far: the next one is -(made + 1)

    def plan(self, mentions: Sequence[MentionRow]) -> ResolutionPlan:
        """The decisions for these mentions (in document and text order)."""
        state, lookup, keys_of = self.state, self.lookup, self.keys_of
        plan = ResolutionPlan()
        doc: int | None = None
        words: dict[str, set[int]] = {}  # word of a full person name -> its entities, this doc
        for mid, doc_id, label, text, status, current in mentions:
            if doc_id != doc:
                doc, words = doc_id, {}
            kind = kind_of(label)
            key = entity_key(text) if kind else ""
            if kind is None or status == "rejected" or not key:
                if current is not None:
                    plan.moves.append((mid, None))
                continue
            target = _fits(state, current, kind, key)
            if target is None and kind == "person" and " " not in key:
                earlier = words.get(key, set())
                target = next(iter(earlier)) if len(earlier) == 1 else None
            if target is None:
                target = lookup.find(kind, key)
                if target is None:
                    self.made += 1
                    target = -self.made
                    plan.new_entities[target] = kind
                    lookup.add(kind, key, target)
            if kind == "person" and " " in key:
                for word in key.split():
                    words.setdefault(word, set()).add(target)
            known = keys_of.setdefault(target, set())
            if key not in known:
                plan.new_aliases.setdefault((target, key), Counter())
                known.add(key)
            if (target, key) in plan.new_aliases:
                plan.new_aliases[(target, key)][text] += 1
            if target != current:
                plan.moves.append((mid, target))
                plan.touched.add(target)
                if current is not None:
                    plan.touched.add(current)
            plan.assigned += 1
        return plan


def _fits(state: ResolutionState, current: int | None, kind: str, key: str) -> int | None:
    """The mention's current entity if it still fits it (same key; same kind unless merged)."""
    if current is None or current not in state.kinds:
        return None
    if key not in state.aliases.get(current, ()):
        return None
    return current if state.kinds[current] == kind or current in state.merged else None


def resolve(store: Store) -> ResolutionPlan:
    """Resolve every mention of the project; returns what was decided."""
    return resolve_documents(store, None)


# Documents resolved at once by resolve_documents: the mentions read and the links planned
# are held for one batch, so resolving a large import does not grow with its size.
DOCUMENT_BATCH = 5_000


def resolve_documents(store: Store, document_ids: Sequence[int] | None) -> ResolutionPlan:
    """Resolve the mentions of some documents (all with None) against the whole project.

    Given documents are resolved `DOCUMENT_BATCH` at a time, each batch in its own
    transaction against what the earlier ones stored (the entities and aliases they made):
    the same links as one pass, since a mention's entity depends only on its own document
    and the aliases known. Returns the plan of the last batch."""
    if document_ids is None:
        state = store.entities.resolution_state(None)
        plan = plan_resolution(state)
        store.entities.apply_resolution(plan, everything=True)
        return plan
    ids = sorted(set(document_ids))
    plan = ResolutionPlan()
    for first in range(0, len(ids), DOCUMENT_BATCH):
        state = store.entities.resolution_state(ids[first : first + DOCUMENT_BATCH])
        plan = plan_resolution(state)
        store.entities.apply_resolution(plan, everything=False)
        del state
    return plan
