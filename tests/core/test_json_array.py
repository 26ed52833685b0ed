"""Label Studio's JSON export read a task at a time (desktop/core/formats/imports/json_array.py):
the same values and the same refusals as reading the file whole, in memory that does not
grow with the file."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.formats.imports import import_file, json_array
from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.jsondata import loads

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=12,
)


def streamed(raw: bytes, path: Path = Path("tasks.json")) -> list:
    found = json_array.items(path, io.BytesIO(raw))
    assert found is not None
    return list(found)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(values, max_size=8), st.integers(1, 40), st.sampled_from(["", " ", "\n  "]))
def test_items_are_the_arrays_items_whatever_the_window(items, chunk, space):
    text = "\ufeff" + space + "[" + space + f",{space}".join(map(json.dumps, items)) + "]\n"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_array, "CHUNK", chunk)  # items cut across reads
        assert streamed(text.encode("utf-8")) == items


BROKEN = [
    '[{"a": 1}, {"a": 2]',  # bracket of the wrong kind
    '[{"a": 1}\n {"a": 2}]',  # no comma
    '[{"a": 1},\n\n {"a": "unterminated}]',
    '[{"a": 1}] trailing',
    '[{"a": 1},',
    "[1, 2",
    '[{"a": 1}, ]',
]


@pytest.mark.parametrize("text", BROKEN)
def test_a_broken_array_is_refused_on_the_line_the_whole_file_reading_names(monkeypatch, text):
    monkeypatch.setattr(json_array, "CHUNK", 3)
    path = Path("tasks.json")
    with pytest.raises(RefusedFile) as whole:
        loads(path, text, "")
    with pytest.raises(RefusedFile) as stream:
        streamed(text.encode("utf-8"), path)
    assert str(stream.value).split(": invalid JSON")[0] == str(whole.value).split(": invalid")[0]
    assert "invalid JSON" in str(stream.value)


def test_not_utf8_and_lone_surrogates_are_refused_with_their_place(monkeypatch):
    monkeypatch.setattr(json_array, "CHUNK", 4)
    with pytest.raises(RefusedFile, match="byte 8: not UTF-8"):
        streamed(b'[{"a": "\xff"}]')
    with pytest.raises(RefusedFile, match=r"line 2: .*invalid character \(\\ud800\)"):
        streamed(b'[{"a": 1},\n{"a": "\\ud800"}]')


def test_a_file_that_is_no_array_is_left_to_the_whole_reading():
    assert json_array.items(Path("t.json"), io.BytesIO(b'  {"tasks": []}')) is None


def _task(n: int) -> dict:
    text = f"Report {n}: Minister Lan Hoa met the Coastal Trade Office in Hai Duong. " * 4
    start = text.index("Lan Hoa")
    region = {"start": start, "end": start + 7, "text": "Lan Hoa", "labels": ["PERSON"]}
    result = [{"id": f"r{n}", "type": "labels", "value": region}]
    return {"id": n, "data": {"text": text}, "annotations": [{"result": result}]}


def test_memory_stays_flat_in_the_files_size(tmp_path, monkeypatch):
    monkeypatch.setattr(json_array, "CHUNK", 1 << 16)
    peaks = {}
    for count in (2_000, 8_000):
        path = tmp_path / f"ls-{count}.json"
        path.write_text(json.dumps([_task(n) for n in range(count)]), encoding="utf-8")
        tracemalloc.start()
        with path.open("rb") as raw:
            found = json_array.items(path, raw)
            assert found is not None
            seen = sum(1 for _ in found)
        peaks[count] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert seen == count
    assert path.stat().st_size > 3_000_000
    assert peaks[8_000] < 1.5 * peaks[2_000] < 1_000_000  # flat, and far below the file


def test_a_label_studio_export_imports_task_by_task(store, tmp_path, monkeypatch):
    monkeypatch.setattr(json_array, "CHUNK", 500)
    path = tmp_path / "export.json"
    path.write_text(json.dumps([_task(n) for n in range(30)], indent=1), encoding="utf-8")
    report = import_file(store, "label-studio", path)
    assert report.documents_added == 30 and report.mentions_added == 30
    first = store.documents.ids()[0]
    assert [m.text for m in store.mentions.for_document(first)] == ["Lan Hoa"]
    broken = tmp_path / "broken.json"
    broken.write_text(path.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    with pytest.raises(RefusedFile, match="invalid JSON"):
        import_file(store, "label-studio", broken)
    assert store.documents.count() == 30  # the broken file wrote nothing
