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


def _questions(store, path: Path) -> int:  # type: ignore[no-untyped-def]
    """How many times an import of `path` asks `cancelled` when it is never cancelled."""
    cancel = _CancelAt(10**9)
    report = import_file(store, "prodigy", path, cancelled=cancel)
    assert not report.cancelled
    store.history.undo(report.batch)  # the project as it was
    return cancel.asked


# import_file reads, checks and writes the file in batches of 500 documents inside one
# transaction: it asks once per document read, before and during each batch's write, and
# once more just before the revision and the commit. Cancelling at any of those questions
# (while the second batch is still unread, between the batches, at the very last) leaves
# the project as it was.
WRITE_STEPS = {
    "while reading the first batch": lambda total: 10,
    "writing the first batch": lambda total: 502,
    "reading the second batch": lambda total: total - 60,
    "just before the commit": lambda total: total,
}


@pytest.mark.parametrize("step", list(WRITE_STEPS))
def test_cancel_mid_write_leaves_the_project_unchanged(store, tmp_path: Path, step: str) -> None:  # type: ignore[no-untyped-def]
    import_file(store, "prodigy", _prodigy(tmp_path / "first.jsonl", 3, first=10_000))
    path = _prodigy(tmp_path / "p.jsonl", DOCUMENTS)
    before = _counts(store)
    total = _questions(store, path)
    assert total > DOCUMENTS + 3  # per document, and from inside the write
    assert _counts(store)[:2] == before[:2]
    before = _counts(store)
    at = WRITE_STEPS[step](total)
    cancel = _CancelAt(at)
    report = import_file(store, "prodigy", path, cancelled=cancel)
    assert at <= cancel.asked <= at + 1  # it stopped at once (the write asks once on its way out)
    assert report.cancelled
    assert (report.documents_added, report.mentions_added) == (0, 0)
    assert _counts(store) == before
    again = import_file(store, "prodigy", tmp_path / "p.jsonl")
    assert not again.cancelled
    assert (again.documents_added, again.mentions_added) == (DOCUMENTS, 2 * DOCUMENTS)


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


def test_malformed_line_past_the_first_batch_leaves_the_project_unchanged(
    store, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # The file is read batch by batch inside the write's transaction: a bad line found after
    # 500 documents went in still rolls every one of them back.
    from desktop.core.ingest.errors import RefusedFile

    import_file(store, "prodigy", _prodigy(tmp_path / "first.jsonl", 3, first=10_000))
    before = _counts(store)
    path = _prodigy(tmp_path / "p.jsonl", DOCUMENTS)
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"text": "Late line", "spans": [{"start": 0, "end": 99, "label": "ORG"}]}\n')
    with pytest.raises(RefusedFile, match=f"line {DOCUMENTS + 1}: span"):
        import_file(store, "prodigy", path)
    assert _counts(store) == before
    assert store.search("Wei") and len(store.search("Wei")) == 3  # no search row left behind


def test_documents_repeated_across_batches_are_one_document(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The same text at line 1 and line 600 (different batches): one document, its spans once,
    # and the second copy's relation lands on the first copy's mentions.
    path = _prodigy(tmp_path / "p.jsonl", DOCUMENTS)
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    wei, hanoi = first["spans"]
    first["relations"] = [{"head_span": wei, "child_span": hanoi, "label": "MEETING"}]
    lines.append(json.dumps(first))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(store, "prodigy", path)
    assert report.documents == DOCUMENTS + 1
    assert (report.documents_added, report.mentions_added) == (DOCUMENTS, 2 * DOCUMENTS)
    assert report.mentions_skipped == 2 and report.facts_added == 1
    doc_id = report.document_ids[0]
    (fact,) = store.facts.for_document(doc_id)
    assert all(arg.mention_id is not None for arg in fact.arguments)
