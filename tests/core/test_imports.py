"""Dataset imports from doccano, Label Studio, brat, Prodigy and CoNLL, into a real project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.formats.imports import import_file
from desktop.core.ingest.errors import RefusedFile

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/fixtures not beside the repo")


def _truth() -> dict[str, dict]:
    lines = (FIXTURES / "sample5_truth.jsonl").read_text(encoding="utf-8").splitlines()
    return {(r := json.loads(line))["doc_id"]: r for line in lines if line.strip()}


def _spans(store) -> dict[str, list[tuple[int, int, str, str]]]:  # type: ignore[no-untyped-def]
    out = {}
    for info in store.documents.page():
        ms = store.mentions.for_document(info.id)
        out[info.source] = sorted((m.start, m.end, m.label, m.text) for m in ms)
        assert all(m.origin == "import" and m.status == "accepted" for m in ms)
    return out


def _relations(store) -> set[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    found = set()
    for info in store.documents.page():
        for fact in store.facts.for_document(info.id):
            roles = {a.role: a for a in fact.arguments}
            assert set(roles) == {"head", "tail"} and all(a.mention_id for a in roles.values())
            found.add((info.source, fact.type, roles["head"].text, roles["tail"].text))
    return found


def _truth_spans() -> dict[str, list[tuple[int, int, str, str]]]:
    return {
        k: sorted((e["start"], e["end"], e["label"], r["text"][e["start"] : e["end"]])
                  for e in r["entities"])
        for k, r in _truth().items()
    }  # fmt: skip


def _truth_relations() -> set[tuple[str, str, str, str]]:
    found = set()
    for key, r in _truth().items():
        ents = {e["id"]: r["text"][e["start"] : e["end"]] for e in r["entities"]}
        found |= {(key, x["type"], ents[x["from_id"]], ents[x["to_id"]]) for x in r["relations"]}
    return found


FILES = [
    ("doccano", "doccano/sample5_seq_JSONL__all.jsonl", False),
    ("doccano", "doccano/sample5_seq_JSONL.zip", False),
    ("doccano", "doccano/sample5_rel_JSONL__all.jsonl", True),
    ("doccano", "doccano/sample5_rel_JSONL.zip", True),
    ("label-studio", "label_studio/sample5_JSON.json", True),
    ("label-studio", "label_studio/sample5_JSON_MIN.json", False),
    ("label-studio", "label_studio/sample5_snapshot_JSON_full_predictions.json", True),
]


@pytest.mark.parametrize(("fmt", "name", "relations"), FILES)
def test_fixture_matches_truth(store, fmt: str, name: str, relations: bool) -> None:  # type: ignore[no-untyped-def]
    report = import_file(store, fmt, FIXTURES / name)
    assert report.documents_added == 5 and not report.mismatches
    assert _spans(store) == _truth_spans()
    assert _relations(store) == (_truth_relations() if relations else set())
    assert store.search("cooperation")
    again = import_file(store, fmt, FIXTURES / name)
    assert (again.documents_added, again.mentions_added, again.facts_added) == (0, 0, 0)
    assert again.documents_matched == 5 and again.mentions_skipped == 101


def test_label_studio_conll_by_tokens(store) -> None:  # type: ignore[no-untyped-def]
    report = import_file(store, "label-studio", FIXTURES / "label_studio/sample5_CONLL2003.conll")
    assert report.documents_added == 5 and report.mentions_added == 101
    truth = _truth()
    for info, key in zip(store.documents.page(), sorted(truth), strict=True):
        got = [(m.label, m.text.split()[0]) for m in store.mentions.for_document(info.id)]
        want = [(e["label"], truth[key]["text"][e["start"] : e["end"]].split()[0])
                for e in sorted(truth[key]["entities"], key=lambda e: e["start"])]  # fmt: skip
        assert [label for label, _ in got] == [label for label, _ in want]
        assert all(
            w.startswith(g) or g.startswith(w) for (_, g), (_, w) in zip(got, want, strict=True)
        )


def test_text_already_in_project_gains_annotations_only(store) -> None:  # type: ignore[no-untyped-def]
    import_file(store, "doccano", FIXTURES / "doccano/sample5_seq_JSONL__all.jsonl")
    report = import_file(store, "label-studio", FIXTURES / "label_studio/sample5_JSON.json")
    assert (report.documents_added, report.documents_matched) == (0, 5)
    assert report.mentions_added == 0 and report.facts_added == 11
    assert store.documents.count() == 5


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_utf16_offsets_converted(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "Fans 😀😀 cheered Hanoi FC in Hà Nội."
    start16 = len(text[: text.index("Hanoi")].encode("utf-16-le")) // 2
    value = {"start": start16, "end": start16 + 8, "text": "Hanoi FC", "labels": ["ORG"]}
    task = {"data": {"text": text}, "annotations": [{"result": [{"id": "a", "value": value}]}]}
    report = import_file(store, "label-studio", _write(tmp_path, "ls.json", json.dumps([task])))
    assert report.utf16_converted and not report.mismatches
    assert [m.text for m in store.mentions.for_document(store.documents.ids()[0])] == ["Hanoi FC"]


def test_span_text_mismatch_reported(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    line = {"text": "Wei Tao met Pham Minh Chinh.", "meta": {"source": "m1"},
            "spans": [{"start": 0, "end": 7, "label": "PERSON", "text": "Wei Tao"},
                      {"start": 12, "end": 16, "label": "PERSON", "text": "Minh"}]}  # fmt: skip
    report = import_file(store, "prodigy", _write(tmp_path, "p.jsonl", json.dumps(line)))
    assert list(report.mismatches) == ["m1"] and "'Pham'" in report.mismatches["m1"][0]
    assert report.mentions_added == 1


def test_prodigy_spans_and_relations(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    head = {"start": 0, "end": 7, "label": "PERSON"}
    child = {"start": 15, "end": 22, "label": "GPE"}
    lines = [
        {"text": "Wei Tao visits Vietnam.", "spans": [head, child], "answer": "accept",
         "relations": [{"head_span": head, "child_span": child, "label": "VISITS"}]},
        {"text": "Rejected example.", "spans": [], "answer": "reject"},
    ]  # fmt: skip
    path = _write(tmp_path, "p.jsonl", "\n".join(json.dumps(x) for x in lines))
    report = import_file(store, "prodigy", path)
    assert (report.documents_added, report.mentions_added, report.facts_added) == (1, 2, 1)
    assert {r[1:] for r in _relations(store)} == {("VISITS", "Wei Tao", "Vietnam")}
    assert all(m.extractor == "prodigy" for m in store.mentions.for_document(1))


def test_brat_folder(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "brat"
    folder.mkdir()
    _write(folder, "a.txt", "Wei Tao met Pham Minh Chinh in Hanoi.")
    _write(folder, "a.ann", "T1\tPERSON 0 7\tWei Tao\nT2\tPERSON 12 27\tPham Minh Chinh\n"
           "T3\tMEETING 8 11\tmet\nT4\tGPE 31 36\tHanoi\nR1\tMET_WITH Arg1:T1 Arg2:T2\n"
           "E1\tMEETING:T3 Participant:T1 Participant2:T2 Place:T4\nA1\tNegated E1\n"
           "N1\tReference T4 Wikidata:Q1858\tHanoi\n"
           "#1\tAnnotatorNotes T1\tcheck title\n")  # fmt: skip
    report = import_file(store, "brat", folder)
    assert (report.documents_added, report.mentions_added, report.facts_added) == (1, 4, 2)
    facts = {f.type: f for f in store.facts.for_document(1)}
    assert sorted(a.role for a in facts["MEETING"].arguments) == [
        "Participant", "Participant", "Place", "trigger"]  # fmt: skip
    assert [a.role for a in facts["MET_WITH"].arguments] == ["head", "tail"]


CONLL_IOB2 = "-DOCSTART- -X- O O\n\nWei NNP B-NP B-PER\nTao NNP I-NP I-PER\nvisits VBZ O O\n\
Viet NNP B-NP B-LOC\nNam NNP I-NP I-LOC\n. . O O\n\n-DOCSTART- -X- O O\n\nASEAN NNP O B-ORG\n"
CONLL_IOB1 = (
    "Wei NNP I-PER\nTao NNP I-PER\nmet VBD O\nLi NNP I-PER\nLi NNP B-PER\n\nHanoi NNP I-LOC\n"
)


def test_conll_iob2(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = import_file(store, "conll", _write(tmp_path, "c.conll", CONLL_IOB2))
    assert report.documents_added == 2
    first, second = store.documents.ids()
    assert store.documents.get(first).text == "Wei Tao visits Viet Nam ."
    assert [(m.label, m.text) for m in store.mentions.for_document(first)] == [
        ("PER", "Wei Tao"), ("LOC", "Viet Nam")]  # fmt: skip
    assert [m.text for m in store.mentions.for_document(second)] == ["ASEAN"]


def test_conll_iob1(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_file(store, "conll", _write(tmp_path, "c.conll", CONLL_IOB1))
    doc = store.documents.ids()[0]
    assert store.documents.get(doc).text == "Wei Tao met Li Li\nHanoi"
    assert [m.text for m in store.mentions.for_document(doc)] == ["Wei Tao", "Li", "Li", "Hanoi"]


BAD = [
    ("doccano", "d.jsonl", '{"text": "ok", "label": []}\n{"text": "x", "label": [[0, 1, "A"]\n',
     "line 2: invalid JSON"),
    ("doccano", "d.jsonl",
     '{"text": "ok", "label": []}\n{"text": "short", "label": [[0, 9, "A"]]}\n',
     "line 2: span [0, 9)"),
    ("prodigy", "p.jsonl", '{"text": "ok"}\n\n{"spans": []}\n', "line 3: no 'text'"),
    ("conll", "c.conll", "Wei B-PER\nTao\n", "line 2: expected a token and a tag"),
    ("conll", "c.conll", "Wei NNP X-PER\n", "line 1: bad tag"),
]  # fmt: skip


@pytest.mark.parametrize(("fmt", "name", "content", "message"), BAD)
def test_malformed_refused_and_project_unchanged(
    store, tmp_path, fmt, name, content, message
) -> None:  # type: ignore[no-untyped-def]
    import_file(store, "doccano", FIXTURES / "doccano/sample5_seq_JSONL__all.jsonl")
    before = (store.documents.count(), store.stats().mentions)
    fresh = '{"text": "A fresh document.", "label": [[2, 7, "X"]]}\n'
    path = _write(tmp_path, name, fresh + content if fmt == "doccano" else content)
    with pytest.raises(RefusedFile) as caught:
        import_file(store, fmt, path)
    assert str(path) in str(caught.value)
    assert message.replace("line 2", "line 3") in str(caught.value) if fmt == "doccano" else (
        message in str(caught.value))  # fmt: skip
    assert (store.documents.count(), store.stats().mentions) == before
