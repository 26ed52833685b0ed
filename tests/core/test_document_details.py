"""Editing a document's details: one logged change; the dates of its facts follow a new
publication date, and undo gives every value back."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.core.store.document_edits import DetailsError

TEXT = (
    "Ministers agree on rail link\n\n"
    "VIENTIANE (KPL) - Lao Deputy Prime Minister Somchai Keomany met Thai Transport Minister"
    " Anan Chaiyaporn in Vientiane on June 4.\n\n"
    "The two sides signed three agreements on rail freight on Tuesday.\n"
)


def date_values(store: Store, doc_id: int) -> dict[tuple[int, str, str], str | None]:
    return {
        (f.id, a.role, a.text): a.value
        for f in store.facts.for_document(doc_id)
        for a in f.arguments
        if a.role in ("date", "period")
    }


@pytest.fixture
def extracted(tmp_path: Path, pipeline):
    path = tmp_path / "rail.txt"
    path.write_text(TEXT, encoding="utf-8")
    with Store.open(tmp_path / "project.factdesk") as store:
        (event,) = list(ingest(store, [path]))
        list(extract(store, pipeline))
        yield store, event.document_id


def test_new_publication_date_renormalizes_dates_and_undo_restores(extracted) -> None:
    store, doc_id = extracted
    assert store.documents.get(doc_id).info.published is None
    before = date_values(store, doc_id)
    assert "--06-04" in before.values()  # yearless without a publication date
    change = store.documents.set_details(
        doc_id, title="Laos and Thailand agree on rail link", published="2025-06-06", source="rail"
    )
    info = store.documents.get(doc_id).info
    assert (info.title, info.published, info.source) == (
        "Laos and Thailand agree on rail link",
        "2025-06-06",
        "rail",
    )
    after = date_values(store, doc_id)
    assert "2025-06-04" in after.values() and "--06-04" not in after.values()
    assert "2025-06-03" in after.values()  # "Tuesday" before Friday 6 June 2025
    assert [h.document_id for h in store.search("Thailand rail")] == [doc_id]
    store.history.undo(change.batch)
    assert date_values(store, doc_id) == before
    assert store.search("Thailand") == []  # the title's word is gone from the index too
    assert store.documents.get(doc_id).info.published is None
    store.history.redo(change.batch)
    assert date_values(store, doc_id) == after
    assert [h.document_id for h in store.search("Thailand")] == [doc_id]


def test_an_analysts_value_is_kept(extracted) -> None:
    store, doc_id = extracted
    fact = next(f for f in store.facts.for_document(doc_id) if f.type == "MEETING")
    arg = next(a for a in fact.arguments if a.role == "date")
    store.facts.set_argument_value(arg.id, "2019-06-04")
    store.documents.set_details(doc_id, title=None, published="2025-06-06", source="rail")
    values = date_values(store, doc_id)
    assert values[(fact.id, "date", arg.text)] == "2019-06-04"


@pytest.mark.parametrize(
    ("published", "source", "message"),
    [
        ("June 2025", "rail", "publication date"),
        ("2025-02-30", "rail", "publication date"),
        ("2025-06-06", "  ", "source"),
    ],
)
def test_bad_details_are_refused_and_nothing_changes(extracted, published, source, message):
    store, doc_id = extracted
    before = store.documents.get(doc_id).info
    with pytest.raises(DetailsError, match=message):
        store.documents.set_details(doc_id, title="x", published=published, source=source)
    assert store.documents.get(doc_id).info == before
