"""An adjudicator's decision on one place of a document, written as one undo step.

The project is the curated layer. Deciding a place (a stretch of a document where two
layers' spans differ) makes the project's spans there exactly the ones chosen: a chosen
span the project already has is accepted; one it has at the same offsets under another
label is relabelled (its entity and facts follow, as any relabel's do); any other is added
as the analyst's; a span of the project in the place that was not chosen is rejected, not
deleted, so extraction never proposes it again and the log keeps what it was. All of it is
one revision batch: one undo step takes the whole decision back. Facts are decided the
same way (`settle_facts`): the chosen ones accepted or made, the others rejected.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

import sqlalchemy as sa

from desktop.core.formats.selection import FactKey, fact_key
from desktop.core.models import Document, Mention, Setting, utcnow
from desktop.core.store.changes import Change, Recorder
from desktop.core.store.db import transaction
from desktop.core.store.relabel import follow_label

ACTION = "mention.adjudicate"
EXTRACTOR = "adjudication"


class Adjudication:
    """Writes adjudication decisions (the only mutation of this module)."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def settle(
        self,
        document_id: int,
        place: tuple[int, int],
        chosen: Iterable[tuple[int, int, str]],
        summary: str,
        actor: str = "analyst",
    ) -> Change:
        """Make the project's spans inside `place` (start, end) exactly `chosen` (start, end,
        label each); returns the change (its batch is None when nothing had to change)."""
        wanted = sorted(set(chosen))
        low, high = place
        for start, end, _label in wanted:
            low, high = min(low, start), max(high, end)
        m = Mention.__table__
        with transaction(self._engine) as session:
            text = session.execute(
                sa.select(Document.__table__.c.text).where(Document.__table__.c.id == document_id)
            ).scalar()
            if text is None:
                raise KeyError(f"no document {document_id}")
            for start, end, _label in wanted:
                if not 0 <= start < end <= len(text):
                    raise ValueError(f"span {start}-{end} is outside document {document_id}")
            rows = [
                dict(r)
                for r in session.execute(
                    sa.select(m)
                    .where(m.c.document_id == document_id, m.c.start < high, m.c.end > low)
                    .order_by(m.c.start, m.c.end, m.c.id)
                ).mappings()
            ]
            rec = Recorder(session, actor, ACTION, summary)
            used: set[int] = set()
            left = []
            for start, end, label in wanted:
                same = next(
                    (r for r in rows if (r["start"], r["end"], r["label"]) == (start, end, label)),
                    None,
                )
                if same is not None:
                    used.add(same["id"])
                    rec.update("mention", {"id": same["id"]}, status="accepted")
                else:
                    left.append((start, end, label))
            for start, end, label in left:
                other = next(
                    (
                        r
                        for r in sorted(rows, key=_decided_first)
                        if (r["start"], r["end"]) == (start, end)
                        and r["id"] not in used
                        and r["status"] != "rejected"
                    ),
                    None,
                )
                if other is not None:  # same offsets, another label: relabel it
                    used.add(other["id"])
                    row = rec.update("mention", {"id": other["id"]}, label=label, status="accepted")
                    follow_label(rec, row, label)
                    continue
                now = utcnow()
                row = rec.insert(
                    "mention",
                    {
                        "document_id": document_id,
                        "start": start,
                        "end": end,
                        "label": label,
                        "text": text[start:end],
                        "origin": "human",
                        "status": "accepted",
                        "extractor": EXTRACTOR,
                        "created_at": now,
                        "updated_at": now,
                    },
                )
                used.add(int(row["id"]))
            for r in rows:
                if r["id"] not in used and r["status"] != "rejected":
                    rec.update("mention", {"id": r["id"]}, status="rejected")
            return Change(rec.batch, None)


def _decided_first(row: dict) -> tuple[bool, int]:
    """An analyst's or accepted mention is relabelled before a model's open proposal."""
    return not (row["status"] == "accepted" or row["origin"] == "human"), int(row["id"])


def settle_facts(
    store,  # type: ignore[no-untyped-def]  # a Store
    document_id: int,
    at_stake: Iterable[FactKey],
    chosen: Iterable[FactKey],
    summary: str,
    actor: str = "analyst",
) -> int | None:
    """Make the project hold, of the facts `at_stake` (type and (role, start, end)
    arguments), exactly the `chosen` ones: a chosen fact the project has is accepted, one
    it lacks is made by hand (its literal arguments, which have no place in the text, are
    left out), one at stake that was not chosen is rejected. The store calls are joined
    into one batch, one undo step; its id, or None when nothing had to change."""
    wanted = set(chosen)
    stake = set(at_stake) | wanted
    text = store.documents.get(document_id).text
    have: dict[FactKey, list] = {}
    for fact in store.facts.for_document(document_id):
        have.setdefault(fact_key(fact), []).append(fact)
    batches: list[int | None] = []
    for key in sorted(stake):
        found = have.get(key, [])
        if key in wanted:
            if not found:
                placed = [(r, s, e) for r, s, e in key[1] if s is not None and e is not None]
                args = [(r, s, e, text[s:e]) for r, s, e in sorted(placed, key=lambda a: a[1])]
                if args:
                    low, high = min(a[1] for a in args), max(a[2] for a in args)
                    batches.append(
                        store.facts.create(document_id, key[0], (low, high), args, actor).batch
                    )
            elif not any(f.status == "accepted" for f in found):
                batches.append(store.facts.set_status(found[0].id, "accepted", actor).batch)
        else:
            for fact in found:
                if fact.status != "rejected" and (
                    fact.status == "accepted" or fact.origin == "human"
                ):
                    batches.append(store.facts.set_status(fact.id, "rejected", actor).batch)
    return store.history.join(batches, summary)


# -- the decisions remembered ----------------------------------------------------------
# A decision is kept as a project setting `adjudication.decided:<sha256>:<what theirs held>`
# whose value lists the choices made for that place (each the JSON of its sorted items). The
# setting is written in the decision's own batch: one undo step takes back the spans and the
# memory of the choice together. A place is "decided" only while the project still holds
# what was chosen, so the memory can never mark a place settled that an edit reopened.
DECIDED = "adjudication.decided:"


def place_key(sha256: str, theirs: Iterable, theirs_facts: Iterable = ()) -> str:
    """The setting key of a place: its document (by content) and what the other layer holds
    there (which a new comparison of the same files finds again; ours changes by deciding)."""
    digest = hashlib.sha1(
        json.dumps([sorted(theirs), sorted(theirs_facts)]).encode("utf-8")
    ).hexdigest()[:16]
    return f"{DECIDED}{sha256}:{digest}"


def choice_text(items: Iterable) -> str:
    """The canonical form a choice is remembered and compared in."""
    return json.dumps(sorted(items))


def decided_choices(engine: sa.Engine) -> dict[str, set[str]]:
    """Every remembered decision: place key -> its choices (one query)."""
    table = Setting.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(table.c.key, table.c.value).where(table.c.key.startswith(DECIDED))
        ).all()
    return {key: set(value or ()) for key, value in rows}


def remember(store, key: str, chosen: Iterable, batch: int | None, summary: str) -> int | None:  # type: ignore[no-untyped-def]
    """Add `chosen` to the place's remembered choices, joined to the decision's `batch`
    (even when the project already held the choice, the decision itself is one step)."""
    choices = set(store.settings.get(key) or ()) | {choice_text(chosen)}
    change = store.settings.set(key, sorted(choices), summary)
    return store.history.join([batch, change.batch], summary)
