"""Publication dates taken from the file when the text gives none: HTML meta and JSON-LD,
record fields, a dateline without a year."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from desktop.core.ingest.html import html_to_text
from desktop.core.ingest.metadata import detect_metadata
from desktop.core.ingest.readers import read_documents

WIRE = "PHNOM PENH, June 4 (Xinhua) -- Cambodia and China opened a new bridge on Tuesday.\n"


def test_dateline_without_year_takes_the_year_of_a_full_date_in_the_body() -> None:
    text = WIRE + "\nThe bridge was first planned on 12 March 2019 and built from January 2023.\n"
    text += "Work began on 3 May 2023, officials said.\n"
    assert detect_metadata(text).published == "2023-06-04"


def test_dateline_without_year_takes_a_named_year_but_not_a_target_year() -> None:
    text = WIRE + "\nTraffic in 2024 is expected to double by 2030.\n"
    assert detect_metadata(text).published == "2024-06-04"


def test_dateline_without_year_and_no_year_anywhere_uses_the_file_year_else_nothing() -> None:
    assert detect_metadata(WIRE).published is None
    assert detect_metadata(WIRE, file_year=2022).published == "2022-06-04"


def test_the_file_year_comes_before_the_years_the_body_names() -> None:
    text = WIRE + "\nThe plan of 2024 foresaw a second bridge in 2031.\n"
    assert detect_metadata(text, file_year=2025).published == "2025-06-04"
    assert detect_metadata(text).published == "2031-06-04"  # nothing says better


def test_a_year_of_the_body_never_beats_the_file_year() -> None:
    """A yearless dateline and a bare year in the body ("in 2019") or a past full date:
    the file's year is the better source."""
    text = "HANOI, March 3 – Trade between the two neighbours was first counted in 2019.\n"
    text += "\nThe first crossing opened on 9 May 2011, officials said.\n"
    assert detect_metadata(text, file_year=2026).published == "2026-03-03"
    assert detect_metadata(text).published == "2011-03-03"  # the body is all there is


def test_a_full_date_line_at_the_top_beats_the_years_of_the_body() -> None:
    for line in ("Published: 03/03/2026", "Tuesday, 3 March 2026", "Posted 3 Mar 2026"):
        text = f"Two neighbours count their trade\n{line}\n\n"
        text += "HANOI, March 3 – Trade was first counted in 2019 and again in 2021.\n"
        found = detect_metadata(text, file_year=2024)
        assert (found.published, found.publisher, found.dateline) == ("2026-03-03", None, "Hanoi")


@pytest.mark.parametrize(
    "paper_line",
    ["Mekong Daily Courier, 3 March 2026", "Mekong Daily Courier | Tuesday, 3 March 2026 | 08:15"],
)
def test_a_paper_name_and_date_line_gives_publisher_and_date(paper_line: str) -> None:
    text = f"Ferry service resumes on the river\n\n{paper_line}\n\n"
    text += "PAKSE, March 1 – The ferry between the two banks ran again after repairs in 2024.\n"
    found = detect_metadata(text, file_year=2025)
    assert (found.published, found.publisher, found.dateline) == (
        "2026-03-03",
        "Mekong Daily Courier",
        "Pakse",
    )


def test_a_dateline_with_a_year_is_no_paper_line() -> None:
    found = detect_metadata("Ferry service resumes\n\nPAKSE, 3 March 2026 – The ferry ran.\n")
    assert (found.published, found.publisher, found.dateline) == ("2026-03-03", None, "Pakse")


def test_text_file_gets_the_year_of_its_modification_time(tmp_path: Path) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(WIRE, encoding="utf-8")
    stamp = 1_650_000_000  # April 2022
    os.utime(path, (stamp, stamp))
    (doc,) = read_documents(path, "bridge.txt")
    assert doc.published == "2022-06-04"


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="article:published_time" content="2024-07-26T08:00:00+07:00">',
        '<meta name="pubdate" content="2024-07-26">',
        '<meta name="date" content="26 July 2024">',
        '<meta itemprop="datePublished" content="2024-07-26">',
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
        '[{"@type": "WebPage"}, {"@type": "NewsArticle", "datePublished": "2024-07-26T10:00Z"}]}'
        "</script>",
    ],
)
def test_html_publication_date_from_meta_or_json_ld(tmp_path: Path, head: str) -> None:
    path = tmp_path / "page.html"
    body = "<p>VIENTIANE, July 25 (KPL) -- Laos and Vietnam agreed on a power line.</p>"
    path.write_text(f"<html><head>{head}</head><body>{body}</body></html>", encoding="utf-8")
    (doc,) = read_documents(path, "page.html")
    assert doc.published == "2024-07-26"
    assert "Laos and Vietnam agreed" in doc.text and "datePublished" not in doc.text


def test_broken_json_ld_is_passed_over() -> None:
    page = html_to_text('<script type="application/ld+json">{"datePublished": </script><p>Hi.</p>')
    assert page.published is None and page.text == "Hi."


@pytest.mark.parametrize("key", ["date", "published", "published_at", "publish_date"])
def test_jsonl_and_csv_date_fields(tmp_path: Path, key: str) -> None:
    record = {"text": "MANILA, July 25 -- The ports reopened.", key: "2021-07-26"}
    jsonl = tmp_path / "items.jsonl"
    jsonl.write_text(json.dumps(record) + "\n", encoding="utf-8")
    csv_path = tmp_path / "items.csv"
    csv_path.write_text(f'text,{key}\n"{record["text"]}",2021-07-26\n', encoding="utf-8")
    for path in (jsonl, csv_path):
        (doc,) = read_documents(path, path.name)
        assert doc.published == "2021-07-26"


def test_record_date_field_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    from desktop.core.ingest.errors import RefusedFile

    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps({"text": "x", "published": [2021]}) + "\n", encoding="utf-8")
    with pytest.raises(RefusedFile, match="'published' must be a string"):
        read_documents(path, path.name)
