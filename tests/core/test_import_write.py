"""The import's write into a real project: batches, cancelling mid-write, what it reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.formats.imports import import_file

DOCUMENTS = 600  # more than one batch of documents (500) between two looks at `cancelled`


def _prodigy(path: Path, count: int, first: int = 0) -> Path:
    lines = []
    for i in range(first, first + count):
        text = f"Report {i}\n\nWei Tao met Pham Minh Chinh in Hanoi on day {i}.\nPhoto: VNA"
        spans = [
            {"start": text.index("Wei"), "end": text.index("Wei") + 7, "label": "PERSON"},
            {"start": text.index("Hanoi"), "end": text.index("Hanoi") + 5, "label": "GPE"},
        ]
        lines.append(json.dumps({"text": text, "spans": spans, "meta": {"source": f"d{i}"}}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _counts(store) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    return store.documents.count(), store.stats().mentions, store.revisions.count()


class _CancelAt:
    """A `cancelled` hook that answers True from its n-th question on."""

    def __init__(self, n: int) -> None:
        self.n, self.asked = n, 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.asked >= self.n


# import_file asks once per document and once before the write; the write then asks before
# each batch of 500 documents, before each batch of mentions, and before writing the facts
# and the revision.
WRITE_STEPS = {
    "after the first document batch": DOCUMENTS + 3,
    "before the mentions": DOCUMENTS + 4,
    "just before the commit": DOCUMENTS + 6,
}


@pytest.mark.parametrize("step", list(WRITE_STEPS))
def test_cancel_mid_write_leaves_the_project_unchanged(store, tmp_path: Path, step: str) -> None:  # type: ignore[no-untyped-def]
    import_file(store, "prodigy", _prodigy(tmp_path / "first.jsonl", 3, first=10_000))
    before = _counts(store)
    cancel = _CancelAt(WRITE_STEPS[step])
    report = import_file(
        store, "prodigy", _prodigy(tmp_path / "p.jsonl", DOCUMENTS), cancelled=cancel
    )
    assert cancel.asked == WRITE_STEPS[step]  # the last question came from inside the write
    assert report.cancelled
    assert (report.documents_added, report.mentions_added) == (0, 0)
    assert _counts(store) == before
    again = import_file(store, "prodigy", tmp_path / "p.jsonl")
    assert not again.cancelled
    assert (again.documents_added, again.mentions_added) == (DOCUMENTS, 2 * DOCUMENTS)


def test_write_asks_until_the_revision(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cancel = _CancelAt(10**9)
    report = import_file(
        store, "prodigy", _prodigy(tmp_path / "p.jsonl", DOCUMENTS), cancelled=cancel
    )
    assert cancel.asked == max(WRITE_STEPS.values()) and not report.cancelled
    assert _counts(store) == (DOCUMENTS, 2 * DOCUMENTS, 1)


def test_batched_documents_get_ids_zones_metadata_and_search(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_file(store, "prodigy", _prodigy(tmp_path / "first.jsonl", 2, first=10_000))
    path = _prodigy(tmp_path / "p.jsonl", DOCUMENTS)
    with path.open("a", encoding="utf-8") as fh:  # the same text twice is one document
        fh.write(path.read_text(encoding="utf-8").splitlines()[0] + "\n")
    report = import_file(store, "prodigy", path)
    assert (report.documents_added, report.mentions_added) == (DOCUMENTS, 2 * DOCUMENTS)
    assert report.mentions_skipped == 2
    ids = store.documents.ids()
    assert ids == list(range(1, DOCUMENTS + 3))
    last = store.documents.get(ids[-1])
    assert last.info.title == f"Report {DOCUMENTS - 1}" and last.info.source == f"d{DOCUMENTS - 1}"
    assert [z.kind for z in last.zones] == ["headline", "body", "caption"]
    assert [m.text for m in store.mentions.for_document(ids[-1])] == ["Wei Tao", "Hanoi"]
    assert store.search(f"day {DOCUMENTS - 1}")
