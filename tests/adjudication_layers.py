"""The layers of the fact adjudication tests (tests/core/test_adjudication.py and
tests/ui/test_adjudication_window.py): a project of one ferry article holding an EVENT
fact (organizer, place), and a colleague's layer made from its real Prodigy export in
which the same EVENT has Friday as its date instead of Quenby Isle as its place."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FERRY = "Ferry line opens\n\nThe Osterly Ferry Company opened a line to Quenby Isle on Friday."


@contextmanager
def ferry_store(folder: Path) -> Iterator:  # type: ignore[type-arg]
    """The ferry project (f.factdesk in `folder`), open: ORG and GPE marked, and the EVENT."""
    from desktop.core.ingest.importer import ingest
    from desktop.core.store import Store

    articles = folder / "ferry"
    articles.mkdir()
    (articles / "ferry.txt").write_text(FERRY, encoding="utf-8")
    with Store.open(folder / "f.factdesk") as store:
        list(ingest(store, [articles]))
        (doc_id,) = store.documents.ids()
        text = store.documents.get(doc_id).text
        org, isle = text.index("Osterly Ferry Company"), text.index("Quenby Isle")
        store.mentions.add(doc_id, org, org + 21, "ORG")
        store.mentions.add(doc_id, isle, isle + 11, "GPE")
        store.facts.create(
            doc_id,
            "EVENT",
            (0, len(text)),
            [
                ("organizer", org, org + 21, "Osterly Ferry Company"),
                ("place", isle, isle + 11, "Quenby Isle"),
            ],
        )
        yield store


def friday_as_date(record: dict, *, date_span: bool = True) -> None:
    """The colleague's change to a Prodigy record of the ferry: the EVENT's second
    argument is Friday as its date, not Quenby Isle as its place (and, with `date_span`,
    Friday is marked as a DATE span too)."""
    (rel,) = record["relations"]
    start = record["text"].index("Friday")
    if date_span:
        record["spans"].append({"start": start, "end": start + 6, "label": "DATE"})
    rel["child_span"] = {"start": start, "end": start + 6, "label": "date"}
    rel["child_role"] = "date"


def colleague_export(store, folder: Path, change=None) -> Path:  # type: ignore[no-untyped-def]
    """Our real Prodigy export with the colleague's `change(record)` made to each record:
    theirs.jsonl in `folder` (ours.jsonl there is the export as it was)."""
    from desktop.core.formats.run import run_export
    from desktop.core.formats.selection import Selection

    ours = folder / "ours.jsonl"
    assert run_export(store, "jsonl", ours, Selection()).empty is None
    records = [json.loads(line) for line in ours.read_text(encoding="utf-8").splitlines()]
    for record in records:
        if change is not None:
            change(record)
    theirs = folder / "theirs.jsonl"
    theirs.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return theirs
