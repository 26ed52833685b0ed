"""The importer: folders walked, duplicates and empties reported, bad files never stop good ones."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from desktop.core.ingest import readers
from desktop.core.ingest.importer import IngestEvent, collect_files, ingest
from desktop.core.store import Store


def put(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def run(store: Store, *paths: Path) -> list[IngestEvent]:
    return list(ingest(store, list(paths)))


def stored(store: Store) -> dict[str, str | None]:
    """Source name -> path relative to the import root, of every stored document."""
    result = {}
    for doc_id in store.documents.ids():
        record = store.documents.get(doc_id)
        assert record is not None
        result[record.info.source] = record.path
    return result


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Store.open(tmp_path / "project.factdesk") as opened:
        yield opened


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder of nested articles, with hidden and unsupported files mixed in."""
    root = tmp_path / "corpus"
    put(root, "a_top.txt", "Top-level article about Nanning.")
    put(root, "sub/b_nested.md", "# Nested\n\nA Markdown article about Hanoi.")
    put(root, "sub/deeper/c_deep.html", "<p>A deep HTML article about Guangxi.</p>")
    put(root, "sub/deeper/d_rows.csv", "text\nRow one about Da Nang.\nRow two about Hue.\n")
    put(root, "sub/e_lines.JSONL", json.dumps({"text": "A JSONL record about ASEAN."}) + "\n")
    put(root, ".hidden.txt", "Hidden file: never imported.")
    put(root, ".git/objects/f.txt", "Inside a hidden folder: never imported.")
    put(root, "sub/.cache/g.md", "Inside a nested hidden folder: never imported.")
    put(root, "report.odt", b"PK\x03\x04 not imported")
    put(root, "photo.png", b"\x89PNG\r\n\x1a\n")
    put(root, "README", "No extension: not imported.")
    put(root, "sub/notes.txt.bak", "Backup: not imported.")
    return root


def test_folder_is_walked_recursively_skipping_hidden_and_unsupported(tree: Path) -> None:
    found = collect_files([tree])
    assert [rel for _path, rel in found] == [
        "a_top.txt",
        "sub/b_nested.md",
        "sub/deeper/c_deep.html",
        "sub/deeper/d_rows.csv",
        "sub/e_lines.JSONL",
    ]
    assert all(path == tree / rel for path, rel in found)


def test_folder_import_sources_and_relative_paths(store: Store, tree: Path) -> None:
    events = run(store, tree)
    assert Counter(e.kind for e in events) == {"imported": 6}
    assert stored(store) == {
        "a_top": "a_top.txt",
        "b_nested": "sub/b_nested.md",
        "c_deep": "sub/deeper/c_deep.html",
        "d_rows#2": "sub/deeper/d_rows.csv",
        "d_rows#3": "sub/deeper/d_rows.csv",
        "e_lines#1": "sub/e_lines.JSONL",
    }
    texts = {store.documents.get(i).text for i in store.documents.ids()}  # type: ignore[union-attr]
    assert not any("never imported" in t or "not imported" in t for t in texts)


def test_progress_counts_files(store: Store, tree: Path) -> None:
    events = run(store, tree)
    assert {e.total for e in events} == {5}
    assert [e.done for e in events] == [1, 2, 3, 4, 4, 5]  # the CSV yields two documents


def test_explicit_file_path_is_relative_to_its_folder(store: Store, tree: Path) -> None:
    (event,) = run(store, tree / "sub" / "deeper" / "c_deep.html")
    assert event.kind == "imported"
    assert event.source == "c_deep"
    assert stored(store) == {"c_deep": "c_deep.html"}


def test_explicit_unsupported_or_missing_file_is_refused(store: Store, tree: Path) -> None:
    events = run(store, tree / "report.odt", tree / "missing.txt", tree / "a_top.txt")
    assert [e.kind for e in events] == ["refused", "refused", "imported"]
    assert "unsupported file type '.odt'" in (events[0].reason or "")
    assert events[0].path.endswith("report.odt")
    assert events[1].reason == "no such file or folder"
    assert events[1].path.endswith("missing.txt")
    assert store.documents.count() == 1


def test_duplicate_text_is_reported_and_not_stored_again(store: Store, tmp_path: Path) -> None:
    first = put(tmp_path, "in/first.txt", "The same story, word for word.")
    second = put(tmp_path, "in/second.txt", "The same story, word for word.")
    events = run(store, first, second)
    assert [e.kind for e in events] == ["imported", "duplicate"]
    assert events[1].document_id == events[0].document_id
    assert events[1].source == "second"
    assert "already in the project" in events[1].line()
    assert store.documents.count() == 1
    assert stored(store) == {"first": "first.txt"}


def test_reimporting_a_folder_changes_nothing(store: Store, tree: Path) -> None:
    run(store, tree)
    count, revisions = store.documents.count(), store.revisions.count()
    again = run(store, tree)
    assert [e.kind for e in again] == ["duplicate"] * 6
    assert store.documents.count() == count
    assert store.revisions.count() == revisions


def test_text_differing_only_in_whitespace_is_a_different_document(
    store: Store, tmp_path: Path
) -> None:
    a = put(tmp_path, "in/a.txt", "Same words.")
    b = put(tmp_path, "in/b.txt", "Same words.\n")
    assert [e.kind for e in run(store, a, b)] == ["imported", "imported"]


@pytest.mark.parametrize("content", ["", "   \n\t\n  ", "\ufeff", "\ufeff \r\n"])
def test_empty_or_whitespace_file_is_skipped(store: Store, tmp_path: Path, content: str) -> None:
    path = put(tmp_path, "in/blank.txt", content.encode("utf-8"))
    (event,) = run(store, path)
    assert event.kind == "empty"
    assert event.source == "blank"
    assert event.line() == "skipped empty document: blank"
    assert store.documents.count() == 0
    assert store.revisions.count() == 0


BAD_FILES: dict[str, tuple[str | bytes, str]] = {
    "00_scan.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    "01_broken.jsonl": ('{"text": "good"}\n{"text": \n', "line 2: invalid JSON"),
    "02_columns.csv": ("title,body\nA,B\n", "no 'text' column"),
    "03_bad_bom.txt": (b"\xef\xbb\xbfGood start \xff bad end", "invalid utf-8-sig"),
    "04_document.pdf.txt": (b"%PDF-1.4\n", "PDF"),
    "05_nuls.md": (b"text\x00with\x00nuls", "NUL bytes"),
}


def test_bad_files_never_stop_the_good_ones(store: Store, tmp_path: Path) -> None:
    root = tmp_path / "mixed"
    for name, (content, _reason) in BAD_FILES.items():
        put(root, f"bad/{name}", content)
    good = {
        "a_story": "First good story about Nanning.",
        "m_story": "Second good story about Hanoi.",
        "z_story": "Third good story about Guangxi.",
    }
    for name, text in good.items():
        put(root, f"{name}.txt", text)
    put(root, "bad/06_empty.txt", "  \n")

    events = run(store, root)
    refused = [e for e in events if e.kind == "refused"]
    assert sorted(Path(e.path).name for e in refused) == sorted(BAD_FILES)
    for event in refused:
        name = Path(event.path).name
        assert BAD_FILES[name][1] in (event.reason or ""), event
        assert event.line().startswith(event.path) and name in event.line()
    assert [e.source for e in events if e.kind == "imported"] == sorted(good)
    assert [e.source for e in events if e.kind == "empty"] == ["06_empty"]
    assert len(events) == len(BAD_FILES) + len(good) + 1
    assert stored(store) == {name: f"{name}.txt" for name in good}
    for doc_id in store.documents.ids():
        record = store.documents.get(doc_id)
        assert record is not None
        assert record.text == good[record.info.source]


def test_refused_file_leaves_existing_documents_untouched(store: Store, tmp_path: Path) -> None:
    run(store, put(tmp_path, "in/kept.txt", "An article already in the project."))
    before = [(i.id, i.source, i.length) for i in store.documents.infos(store.documents.ids())]
    revisions = store.revisions.count()
    bad = put(tmp_path, "in/bad.jsonl", '{"text": "new"}\n{"text": "also new"}\nnot json\n')
    assert [e.kind for e in run(store, bad)] == ["refused"]
    after = [(i.id, i.source, i.length) for i in store.documents.infos(store.documents.ids())]
    assert after == before
    assert store.revisions.count() == revisions


def test_each_imported_document_has_its_zones(store: Store, tree: Path) -> None:
    for event in run(store, tree):
        record = store.documents.get(event.document_id or 0)
        assert record is not None
        assert record.zones, event.source
        assert record.zones[0].start == 0
        assert record.zones[-1].end == len(record.text)


def test_a_crashing_reader_is_reported_and_others_continue(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_path: Path, _rel: str) -> list:  # type: ignore[type-arg]
        raise ValueError("reader bug")

    monkeypatch.setitem(readers.READERS, ".md", broken)
    md = put(tmp_path, "in/a.md", "Markdown")
    txt = put(tmp_path, "in/b.txt", "Plain text")
    events = run(store, md, txt)
    assert [e.kind for e in events] == ["refused", "imported"]
    assert "ValueError: reader bug" in (events[0].reason or "")
    assert stored(store) == {"b": "b.txt"}


def test_cancel_stops_before_the_next_file(store: Store, tree: Path) -> None:
    seen: list[IngestEvent] = []
    for event in ingest(store, [tree], cancelled=lambda: len(seen) >= 2):
        seen.append(event)
    assert [e.kind for e in seen] == ["imported", "imported"]
    assert store.documents.count() == 2
