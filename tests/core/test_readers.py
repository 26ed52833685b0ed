"""Readers for each file type: HTML, Markdown, JSONL, CSV and the plain-text seeds."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.html import html_to_text
from desktop.core.ingest.importer import ingest
from desktop.core.ingest.readers import read_documents
from desktop.core.records import NewDocument
from desktop.core.store import Store

SEEDS = Path(__file__).parents[2] / "seeds"


def read(path: Path) -> list[NewDocument]:
    """The documents a file holds, as the importer reads them."""
    return read_documents(path, path.name)


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    return path


def refusal(path: Path) -> str:
    """The one-line message of a refused file."""
    with pytest.raises(RefusedFile) as info:
        read(path)
    assert info.value.path == path
    return str(info.value)


def imported_sources(tmp_path: Path, *paths: Path) -> tuple[list[str], list[str]]:
    """Ingest files into a fresh project: (kinds of the events, sources stored)."""
    with Store.open(tmp_path / "project.factdesk") as store:
        kinds = [e.kind for e in ingest(store, list(paths))]
        sources = [i.source for i in store.documents.infos(store.documents.ids())]
    return kinds, sources


# --- HTML ---------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Guangxi and Vietnam sign AI pact | Example News</title>
  <meta property="article:published_time" content="2025-09-19T10:00:00+07:00">
  <meta property="og:site_name" content="Example News">
  <link rel="canonical" href="https://news.example/ai-pact">
  <link rel="stylesheet" href="{base}/style.css">
  <style>body {{ color: red; }} .SECRET_STYLE {{ }}</style>
  <script src="{base}/tracker.js"></script>
  <script>var SECRET_SCRIPT = "document.write('injected')";</script>
</head>
<body>
  <noscript><p>SECRET_NOSCRIPT enable JavaScript</p></noscript>
  <h1>Guangxi and Vietnam sign AI pact</h1>
  <p>
    NANNING – Officials from Guangxi and Vietnam
    signed an agreement on artificial intelligence.
  </p>
  <img src="{base}/photo.jpg" alt="SECRET_ALT">
  <iframe src="{base}/ad.html">SECRET_IFRAME</iframe>
  <svg viewBox="0 0 1 1"><title>SECRET_SVG icon</title></svg>
  <p>Wei Tao welcomed the delegation &amp; praised the <b>talent</b> programme.<br>
  A second line.</p>
  <template><p>SECRET_TEMPLATE</p></template>
  <table><tr><td>Trade</td><td>16.4%</td></tr></table>
</body>
</html>
"""


class _Recorder(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"fetched")

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    """A local web server that records every request made to it."""
    requests: ClassVar[list[str]] = []
    handler = type("Recorder", (_Recorder,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def test_html_text_title_date_and_nothing_fetched(
    tmp_path: Path, http_server: tuple[str, list[str]]
) -> None:
    base, requests = http_server
    path = write(tmp_path, "ai-pact.html", PAGE.format(base=base))
    (doc,) = read(path)

    assert doc.title == "Guangxi and Vietnam sign AI pact | Example News"
    assert doc.published == "2025-09-19"
    assert doc.publisher == "Example News"
    assert doc.url == "https://news.example/ai-pact"
    assert doc.source == "ai-pact"
    assert "SECRET" not in doc.text
    assert "color: red" not in doc.text and "document.write" not in doc.text
    assert "fetched" not in doc.text
    assert requests == []  # no stylesheet, script, image or frame was requested
    assert doc.text == (
        "Guangxi and Vietnam sign AI pact\n\n"
        "NANNING – Officials from Guangxi and Vietnam signed an agreement on artificial "
        "intelligence.\n\n"
        "Wei Tao welcomed the delegation & praised the talent programme.\n"
        "A second line.\n\n"
        "Trade 16.4%"
    )


def test_html_import_stores_text_and_fetches_nothing(
    tmp_path: Path, http_server: tuple[str, list[str]]
) -> None:
    base, requests = http_server
    path = write(tmp_path, "ai-pact.html", PAGE.format(base=base))
    with Store.open(tmp_path / "p.factdesk") as store:
        (event,) = ingest(store, [path])
        assert event.kind == "imported"
        record = store.documents.get(event.document_id or 0)
    assert record is not None
    assert record.info.published == "2025-09-19"
    assert record.info.encoding == "utf-8"
    assert "Wei Tao welcomed the delegation" in record.text
    assert "SECRET" not in record.text
    assert requests == []


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('<meta property="article:published_time" content="2025-09-19T23:30:00Z">', "2025-09-19"),
        ('<meta property="og:published_time" content="2025-09-19">', "2025-09-19"),
        ('<meta name="pubdate" content="Fri, 19 Sep 2025 10:00:00 +0700">', "2025-09-19"),
        ('<meta itemprop="datePublished" content="2025-09-19T10:00:00+07:00">', "2025-09-19"),
        ('<meta name="date" content="September 19, 2025">', "2025-09-19"),
        ('<meta name="DC.date" content="2025-11-26">', "2025-11-26"),
        ('<meta name="date" content="yesterday">', None),
        ('<meta name="date" content="not a date">', None),
        ("", None),
    ],
)
def test_html_published_date_to_iso(tmp_path: Path, meta: str, expected: str | None) -> None:
    page = f"<html><head><title>T</title>{meta}</head><body><p>Body.</p></body></html>"
    (doc,) = read(write(tmp_path, "dated.html", page))
    assert doc.published == expected


def test_html_paragraphs_are_separated_and_source_newlines_are_spaces() -> None:
    page = "<div><p>One\n   two</p><p>Three</p><ul><li>Four</li><li>Five</li></ul>Six</div>"
    assert html_to_text(page).text == "One two\n\nThree\n\nFour\n\nFive\n\nSix"


def test_html_without_closing_head_keeps_the_body() -> None:
    page = "<html><head><title>Title</title><body><p>The body survives.</p></body></html>"
    result = html_to_text(page)
    assert result.title == "Title"
    assert result.text == "The body survives."


def test_html_og_title_wins_over_title_tag() -> None:
    page = (
        '<html><head><title>Site | Headline</title><meta property="og:title" content="Headline">'
        "</head><body><p>x</p></body></html>"
    )
    assert html_to_text(page).title == "Headline"


def test_htm_extension_and_script_only_page_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.htm", "<html><script>alert(1)</script></html>")
    (doc,) = read(path)
    assert doc.text == ""
    kinds, sources = imported_sources(tmp_path, path)
    assert kinds == ["empty"]
    assert sources == []


# --- Markdown -----------------------------------------------------------------------


def test_markdown_is_kept_as_written_with_heading_as_title(tmp_path: Path) -> None:
    text = "# Guangxi opens AI centre\n\nThe *centre* in [Nanning](http://x) trains staff.\n"
    (doc,) = read(write(tmp_path, "centre.md", text))
    assert doc.text == text
    assert doc.title == "Guangxi opens AI centre"
    assert doc.source == "centre"
    assert doc.path == "centre.md"
    assert doc.encoding == "utf-8"


def test_markdown_long_extension(tmp_path: Path) -> None:
    (doc,) = read(write(tmp_path, "notes.markdown", "Plain first line\n\nMore.\n"))
    assert doc.source == "notes"
    assert doc.text.startswith("Plain first line")


# --- JSONL --------------------------------------------------------------------------


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_jsonl_one_document_a_line_with_fields(tmp_path: Path) -> None:
    content = jsonl(
        {
            "text": "Wei Tao met Le Hoai Trung in Hanoi.",
            "title": "Talks in Hanoi",
            "date": "2025-11-26T08:00:00+07:00",
            "source": "vnexpress-talks",
            "url": "https://vnexpress.example/talks",
            "extra": {"ignored": True},
        },
        {"text": "Second story about Nanning.", "date": "Sep 19, 2025"},
    )
    path = write(tmp_path, "batch.jsonl", "\n" + content + "\n\n")
    first, second = read(path)
    assert first.text == "Wei Tao met Le Hoai Trung in Hanoi."
    assert first.title == "Talks in Hanoi"
    assert first.published == "2025-11-26"
    assert first.source == "vnexpress-talks"
    assert first.url == "https://vnexpress.example/talks"
    assert first.path == "batch.jsonl"
    assert second.text == "Second story about Nanning."
    assert second.published == "2025-09-19"
    assert second.source == "batch#3"  # no source field: file name and line number
    assert second.url is None


def test_jsonl_text_may_hold_unicode_line_separators(tmp_path: Path) -> None:
    text = "First paragraph.\u2028Second paragraph.\u0085Third with Việt Nam."
    (doc,) = read(write(tmp_path, "seps.jsonl", jsonl({"text": text})))
    assert doc.text == text


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ('{"text": "unterminated', "invalid JSON"),
        ('["a list", "not an object"]', "expected a JSON object"),
        ('{"title": "no text"}', "no 'text' string"),
        ('{"text": 42}', "no 'text' string"),
        ('{"text": "ok", "title": {"nested": 1}}', "'title' must be a string"),
        ('{"text": "lone \\ud800 surrogate"}', "invalid character"),
    ],
)
def test_jsonl_bad_line_refuses_the_whole_file(tmp_path: Path, bad_line: str, problem: str) -> None:
    good = jsonl({"text": "Good one."}, {"text": "Good two."})
    path = write(tmp_path, "mixed.jsonl", good + bad_line + "\n" + jsonl({"text": "Good four."}))
    message = refusal(path)
    assert "mixed.jsonl" in message
    assert "line 3" in message
    assert problem in message

    other = write(tmp_path, "other.txt", "A good plain file.")
    kinds, sources = imported_sources(tmp_path, path, other)
    assert kinds == ["refused", "imported"]
    assert sources == ["other"]  # nothing from mixed.jsonl, not even its good lines


def test_jsonl_blank_file_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.jsonl", "\n\n  \n")
    assert read(path) == []
    kinds, _ = imported_sources(tmp_path, path)
    assert kinds == ["empty"]


# --- CSV ----------------------------------------------------------------------------


def test_csv_rows_with_quoted_multiline_text_and_extra_columns(tmp_path: Path) -> None:
    content = (
        "id,Title,text,date,source,url,notes\r\n"
        '1,"Talks, in Hanoi","Wei Tao met Le Hoai Trung.\r\n\r\nThey agreed on ""AI"" '
        'training.",2025-11-26,vna-talks,https://vna.example/1,ignored\r\n'
        "2,,Second row text.,,,,\r\n"
    )
    first, second = read(write(tmp_path, "sheet.csv", content))
    assert first.text == 'Wei Tao met Le Hoai Trung.\r\n\r\nThey agreed on "AI" training.'
    assert first.title == "Talks, in Hanoi"
    assert first.published == "2025-11-26"
    assert first.source == "vna-talks"
    assert first.url == "https://vna.example/1"
    assert "ignored" not in first.text and "ignored" not in (first.title or "")
    assert second.text == "Second row text."
    assert second.source == "sheet#3"  # spreadsheet row 3, though it is line 5 of the file
    assert second.published is None and second.url is None


def test_csv_with_bom_and_text_only(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufefftext\nCafé in Hà Nội\n".encode())
    (doc,) = read(path)
    assert doc.text == "Café in Hà Nội"
    assert doc.encoding == "utf-8-sig"


def test_csv_without_text_column_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "notext.csv", "title,body\nA,B\n")
    message = refusal(path)
    assert "notext.csv" in message
    assert "no 'text' column" in message
    assert "title" in message and "body" in message


def test_csv_semicolon_separated_is_refused_not_misread(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "semi.csv", "title;text\nA;B\n"))
    assert "no 'text' column" in message


def test_csv_row_with_too_many_fields_refuses_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "ragged.csv", "text,title\nok,fine\nbad,row,extra\n")
    message = refusal(path)
    assert "row 3" in message
    assert "more fields than the header" in message
    kinds, sources = imported_sources(tmp_path, path)
    assert kinds == ["refused"]
    assert sources == []


def test_csv_rows_are_counted_as_rows_not_lines(tmp_path: Path) -> None:
    content = 'text,title\n"one\ntwo\nthree",ok\nbad,row,extra\n'
    message = refusal(write(tmp_path, "multi.csv", content))
    assert "row 3: more fields than the header" in message


def test_csv_header_only_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "header.csv", "text,title\n")
    assert read(path) == []
    kinds, _ = imported_sources(tmp_path, path)
    assert kinds == ["empty"]


def test_csv_row_with_empty_text_is_skipped_as_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "gaps.csv", "text,title\n,No text\nReal text,Has text\n")
    kinds, sources = imported_sources(tmp_path, path)
    assert kinds == ["empty", "imported"]
    assert sources == ["gaps#3"]


# --- unsupported and seeds ------------------------------------------------------------


def test_unsupported_extension_is_refused_with_the_supported_list(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "report.odt", "not really a docx"))
    assert "unsupported file type '.odt'" in message
    assert ".txt" in message and ".csv" in message


def test_seed_article_has_metadata_and_zones(tmp_path: Path) -> None:
    (path,) = SEEDS.glob("001_*.txt")
    (doc,) = read(path)
    assert doc.source == "001_e2401dab50313443"
    assert doc.published == "2025-09-19"
    assert doc.title == "Vietnam attends China-ASEAN ministerial roundtable on AI"
    assert doc.encoding == "utf-8"
    assert doc.text == path.read_text(encoding="utf-8")
    kinds = {z.kind for z in doc.zones}
    assert {"headline", "body"} <= kinds
    assert all(0 <= z.start < z.end <= len(doc.text) for z in doc.zones)
    headline = next(z for z in doc.zones if z.kind == "headline")
    assert doc.text[headline.start : headline.end] == doc.title


def test_seed_zones_and_metadata_are_stored(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.factdesk") as store:
        events = list(ingest(store, [SEEDS]))
        assert [e.kind for e in events] == ["imported"] * 5
        by_source = {e.source: e.document_id for e in events}
        record = store.documents.get(by_source["001_e2401dab50313443"] or 0)
        assert record is not None
        assert record.info.published == "2025-09-19"
        assert record.path == "001_e2401dab50313443.txt"
        assert record.zones
        assert {z.kind for z in record.zones} >= {"headline", "body"}
        for source, doc_id in by_source.items():
            stored = store.documents.get(doc_id or 0)
            assert stored is not None
            assert stored.text == (SEEDS / f"{source}.txt").read_text(encoding="utf-8")
            assert stored.zones, source
