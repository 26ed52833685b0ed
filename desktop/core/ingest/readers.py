"""Readers for each supported file type: a file becomes one or more NewDocuments."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.core.ingest.dates import iso_date
from desktop.core.ingest.decode import read_text
from desktop.core.ingest.docx import read_docx_pages
from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.html import html_to_text
from desktop.core.ingest.jsondata import excerpt, json_lines
from desktop.core.ingest.metadata import detect_metadata
from desktop.core.ingest.names import shown
from desktop.core.ingest.paged import assemble
from desktop.core.ingest.pdf import read_pdf_pages
from desktop.core.ingest.zones import detect_zones
from desktop.core.records import NewDocument, NewZone

RECORD_FIELDS = ("text", "title", "date", "source", "url", "published")
# Record fields that may hold the publication date, the first one given wins.
DATE_FIELDS = ("date", "published", "published_at", "publish_date", "date_published", "pubdate")


def _file_year(path: Path) -> int | None:
    """The year the file was last written: a dateline without a year takes it when the
    text names no year."""
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).year
    except (OSError, ValueError, OverflowError):
        return None


def _article(
    text: str,
    *,
    source: str,
    path: str | None,
    encoding: str,
    title: str | None = None,
    published: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    file_year: int | None = None,
) -> NewDocument:
    """A document from article text, with metadata and zones read off the text."""
    zones = detect_zones(text)
    found = detect_metadata(text, zones, file_year=None if published else file_year)
    return NewDocument(
        source=source,
        text=text,
        path=path,
        title=title or found.title,
        published=published or found.published,
        publisher=publisher or found.publisher,
        dateline=found.dateline,
        url=url,
        encoding=encoding,
        zones=tuple(NewZone(z.start, z.end, z.kind) for z in zones),
    )


_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


def read_plain(path: Path, rel: str) -> list[NewDocument]:
    """A .txt or .md file is one document (Markdown is kept as written)."""
    text, encoding = read_text(path)
    title = None
    if path.suffix.lower() in (".md", ".markdown"):
        first = next((line for line in text.splitlines() if line.strip()), "")
        heading = _MD_HEADING.match(first)
        title = heading.group(1).strip() if heading else None
    return [
        _article(
            text,
            source=shown(path.stem),
            path=rel,
            encoding=encoding,
            title=title,
            file_year=_file_year(path),
        )
    ]


def read_html(path: Path, rel: str) -> list[NewDocument]:
    """An .html file is one document: its readable text, no scripts or styles."""
    markup, encoding = read_text(path)
    page = html_to_text(markup)
    return [
        _article(
            page.text,
            source=shown(path.stem),
            path=rel,
            encoding=encoding,
            title=page.title,
            published=iso_date(page.published),
            publisher=page.publisher,
            url=page.url,
            file_year=_file_year(path),
        )
    ]


def read_pdf(
    path: Path, rel: str, cancelled: Callable[[], bool] = lambda: False
) -> list[NewDocument]:
    """A .pdf file with a text layer is one document, its pages kept (a long one is read
    page by page: `cancelled` is asked between pages)."""
    pages, meta = read_pdf_pages(path, cancelled)
    doc = assemble(pages, source=shown(path.stem), path=rel, meta=meta, file_year=_file_year(path))
    return [doc]


def read_docx(path: Path, rel: str) -> list[NewDocument]:
    """A Word .docx file is one document, its pages kept where the file marks them."""
    pages, meta = read_docx_pages(path)
    doc = assemble(pages, source=shown(path.stem), path=rel, meta=meta, file_year=_file_year(path))
    return [doc]


def _from_record(
    record: dict[str, Any], path: Path, rel: str, where: str, encoding: str
) -> NewDocument:
    text = record.get("text")
    if not isinstance(text, str):
        raise RefusedFile(path, f"{where}: no 'text' string")
    for key in RECORD_FIELDS[1:]:
        value = record.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, str | int | float)
        ):
            raise RefusedFile(path, f"{where}: '{key}' must be a string (found {excerpt(value)})")
    source = shown(str(record.get("source") or f"{path.stem}#{where.split()[-1]}"))
    key = next((k for k in DATE_FIELDS if record.get(k)), None)
    value = record.get(key) if key else None
    if value is not None and (isinstance(value, bool) or not isinstance(value, str | int | float)):
        raise RefusedFile(path, f"{where}: '{key}' must be a string (found {excerpt(value)})")
    try:
        published = iso_date(str(value)) if value else None
    except (ValueError, OverflowError) as exc:
        raise RefusedFile(path, f"{where}: bad date {excerpt(value)}") from exc
    return _article(
        text,
        source=source,
        path=rel,
        encoding=encoding,
        title=str(record["title"]) if record.get("title") else None,
        published=published,
        url=str(record["url"]) if record.get("url") else None,
    )


def read_jsonl(path: Path, rel: str) -> list[NewDocument]:
    """A .jsonl file holds one document a line (`text`, optional title/date/source/url)."""
    content, encoding = read_text(path)
    return [
        _from_record(record, path, rel, f"line {number}", encoding)
        for number, record in json_lines(path, content)
    ]


def read_csv(path: Path, rel: str) -> list[NewDocument]:
    """A .csv file with a header row and a `text` column holds one document a row."""
    content, encoding = read_text(path)
    csv.field_size_limit(2**31 - 1)
    reader = csv.DictReader(io.StringIO(content, newline=""))
    try:
        header = reader.fieldnames
        if not header or "text" not in [h.strip().lower() for h in header]:
            found = ", ".join(repr(h) for h in header) if header else "nothing"
            raise RefusedFile(path, f"no 'text' column in the header (found {found})")
        docs = []
        # rows are counted as a spreadsheet shows them: the header is row 1, and a quoted
        # field spanning several lines is still one row
        for number, row in enumerate(reader, start=2):
            record = {(k or "").strip().lower(): v for k, v in row.items()}
            if None in row:
                raise RefusedFile(path, f"row {number}: more fields than the header")
            docs.append(_from_record(record, path, rel, f"row {number}", encoding))
    except csv.Error as exc:
        raise RefusedFile(path, f"line {reader.line_num}: malformed CSV ({exc})") from exc
    return docs


READERS: dict[str, Callable[[Path, str], list[NewDocument]]] = {
    ".txt": read_plain,
    ".md": read_plain,
    ".markdown": read_plain,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def read_documents(
    path: Path, rel: str, cancelled: Callable[[], bool] = lambda: False
) -> list[NewDocument]:
    """The documents in one file, by its extension; RefusedFile when it cannot be read,
    ReadCancelled when `cancelled` says so while a long PDF is read."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(READERS))
        raise RefusedFile(path, f"unsupported file type '{path.suffix}' (supported: {supported})")
    if reader is read_pdf:
        return read_pdf(path, rel, cancelled)
    return reader(path, rel)
