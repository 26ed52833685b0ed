"""brat standoff details: discontinuous text-bound annotations."""

from __future__ import annotations

from pathlib import Path

from desktop.core.formats.imports import import_file

TEXT = "Bank of China and Bank of Vietnam signed in Hanoi."
ANN = (
    "T1\tORG 0 13\tBank of China\n"
    "T2\tORG 0 4;26 33\tBank Vietnam\n"  # "Bank ... Vietnam": two fragments
    "T3\tGPE 44 49\tHanoi\n"
    "R1\tSIGNED_IN Arg1:T2 Arg2:T3\n"
)


def test_discontinuous_span_kept_as_its_cover_and_reported(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.ann").write_text(ANN, encoding="utf-8")
    report = import_file(store, "brat", tmp_path)
    assert report.documents_added == 1 and report.mentions_added == 3 and report.facts_added == 1
    assert report.mismatches == {
        "a": [
            "a.ann line 2: discontinuous span T2 ORG (0 4;26 33) kept as its covering span [0, 33)"
        ]
    }
    doc = store.documents.ids()[0]
    texts = [(m.label, m.text) for m in store.mentions.for_document(doc)]
    assert texts == [("ORG", "Bank of China"), ("ORG", TEXT[0:33]), ("GPE", "Hanoi")]


def test_contiguous_spans_report_nothing(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tORG 0 13\tBank of China\n", encoding="utf-8")
    report = import_file(store, "brat", tmp_path)
    assert report.mentions_added == 1 and not report.mismatches


def test_fragments_apart_only_by_line_breaks_are_one_span(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "Bank of\nChina opened.\r\nBank\n\nof Vietnam too."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8", newline="")
    ann = "T1\tORG 0 7;8 13\tBank of China\nT2\tORG 23 27;29 39\tBank of Vietnam\n"
    (tmp_path / "a.ann").write_text(ann, encoding="utf-8")
    report = import_file(store, "brat", tmp_path)
    assert report.mentions_added == 2 and not report.mismatches
    doc = store.documents.ids()[0]
    assert [m.text for m in store.mentions.for_document(doc)] == [text[0:13], text[23:39]]
