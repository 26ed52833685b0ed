"""PDF files with a text layer (pdfminer.six lays out each page: columns are read one after
the other). Running headers, footers and page numbers, headings and tables are told apart
by where they sit on the page and by their type size."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
import zlib
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.core.ingest.errors import ReadCancelled, RefusedFile
from desktop.core.ingest.paged import Block, FileMetadata, Page, file_title, join_lines

# Share of the page height at its top and bottom where running lines sit.
_BAND = 0.1
_HEADING_SCALE = 1.15  # a heading's type is this much larger than the body's, at least
_HEADING_MAX = 200  # characters
_SCAN_CHARS = 20  # a page with pictures and fewer characters than this is a scan
_TABLE_WORDS = 4  # a table cell holds this many words a line at most, on average
_PAGE_NUMBER = re.compile(
    r"(?i)[-–—(\[]?\s*(?:page|p\.|trang|第)?\s*(?:\d{1,4}|[ivxlc]{1,7})"
    r"(?:\s*(?:/|of|\|)\s*\d{1,4})?\s*(?:页)?\s*[-–—)\]]?"
)
_DIGITS = re.compile(r"\d+")
# Typeset ligatures as the letters they join ("ﬁ" = "fi"), so words are found and searched.
_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
     "\ufb05": "st", "\ufb06": "st"}
)  # fmt: skip
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?")


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool


@dataclass(slots=True)
class _Box:
    lines: list[_Line]
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def text(self) -> str:
        return join_lines(line.text for line in self.lines)


@dataclass(slots=True)
class _RawPage:
    height: float
    boxes: list[_Box]
    images: int


def _line(element) -> _Line | None:  # type: ignore[no-untyped-def]
    """A text line with the size and weight of its first letter."""
    from pdfminer.layout import LTChar

    text = element.get_text().strip().translate(_LIGATURES)
    if not text:
        return None
    size, bold = 0.0, False
    for char in element:
        if isinstance(char, LTChar) and not char.get_text().isspace():
            size, bold = char.size, "bold" in char.fontname.lower()
            break
    return _Line(text, element.x0, element.y0, element.x1, element.y1, size, bold)


def _boxes(container) -> Iterator[_Box]:  # type: ignore[no-untyped-def]
    """The text boxes of a page in its order, those inside its figures too."""
    from pdfminer.layout import LTFigure, LTTextBox

    for element in container:
        if isinstance(element, LTTextBox):
            lines = [line for line in map(_line, element) if line is not None]
            if lines:
                yield _Box(lines, element.x0, element.y0, element.x1, element.y1)
        elif isinstance(element, LTFigure):
            yield from _boxes(element)


def _count_images(element) -> int:  # type: ignore[no-untyped-def]
    """Pictures on a page: they sit on it or in its figures (never in its text boxes)."""
    from pdfminer.layout import LTFigure, LTImage, LTPage

    if isinstance(element, LTImage):
        return 1
    if isinstance(element, LTPage | LTFigure):
        return sum(_count_images(child) for child in element)
    return 0


def _raw_pages(path: Path) -> tuple[Generator[_RawPage, None, None], FileMetadata]:
    """The laid-out pages of a PDF (read one at a time) and its metadata."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psexceptions import PSException

    quiet = logging.getLogger("pdfminer")
    if quiet.level == logging.NOTSET:  # its notes on a file's quirks are not for the user
        quiet.setLevel(logging.ERROR)
    with path.open("rb") as probe:
        head = probe.read(1024)
        probe.seek(0, 2)
        size = probe.tell()
        probe.seek(max(0, size - 2048))
        tail = probe.read()
    if b"%PDF-" not in head:
        raise RefusedFile(path, "not a PDF file (no PDF header)")
    if b"%%EOF" not in tail:
        raise RefusedFile(path, "damaged or truncated PDF (its end is missing)")
    handle = path.open("rb")
    try:
        document = PDFDocument(PDFParser(handle))
        meta = _metadata(document)
    except PDFPasswordIncorrect as exc:
        handle.close()
        raise RefusedFile(path, "encrypted PDF: it needs a password to open") from exc
    except PDFEncryptionError as exc:
        handle.close()
        raise RefusedFile(path, f"encrypted PDF that cannot be opened ({exc})") from exc
    except (PSException, ValueError, KeyError, TypeError, zlib.error, EOFError) as exc:
        handle.close()
        raise RefusedFile(path, f"damaged PDF ({type(exc).__name__}: {exc})") from exc

    def pages() -> Generator[_RawPage, None, None]:
        try:
            manager = PDFResourceManager(caching=True)
            # all_texts: text drawn inside form objects (some writers put whole pages in
            # one) is laid out too
            device = PDFPageAggregator(manager, laparams=LAParams(all_texts=True))
            interpreter = PDFPageInterpreter(manager, device)
            for page in PDFPage.create_pages(document):
                interpreter.process_page(page)
                layout = device.get_result()
                yield _RawPage(layout.height, list(_boxes(layout)), _count_images(layout))
        except PDFPasswordIncorrect as exc:
            raise RefusedFile(path, "encrypted PDF: it needs a password to open") from exc
        except (PSException, ValueError, KeyError, TypeError, zlib.error, EOFError) as exc:
            raise RefusedFile(path, f"damaged PDF ({type(exc).__name__}: {exc})") from exc
        finally:
            handle.close()

    return pages(), meta


def _info_text(value) -> str | None:  # type: ignore[no-untyped-def]
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    value = resolve1(value)
    if isinstance(value, bytes):
        value = decode_text(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.replace("\x00", "").split())
    return value or None


def pdf_date(value: str | None) -> str | None:
    """ISO date of a PDF date string ('D:20251126093000+07'00'')."""
    match = _PDF_DATE.match(value or "")
    if match is None:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    if not month or not 1 <= int(month) <= 12:
        return year if 1900 < int(year) < 2200 else None
    if not day:
        return f"{year}-{month}"
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return f"{year}-{month}"


def _metadata(document) -> FileMetadata:  # type: ignore[no-untyped-def]
    from pdfminer.pdftypes import resolve1

    info: dict = {}
    for entry in document.info or ():
        entry = resolve1(entry)
        if isinstance(entry, dict):
            info.update(entry)
    return FileMetadata(
        title=file_title(_info_text(info.get("Title"))),
        author=_info_text(info.get("Author")),
        published=pdf_date(_info_text(info.get("CreationDate"))),
    )


def _shape(text: str) -> str:
    """A running line with its numbers blanked: the same on every page."""
    return _DIGITS.sub("#", " ".join(text.split()).casefold())


def _in_band(box: _Box, height: float) -> str | None:
    if box.y0 >= height * (1 - _BAND):
        return "page_header"
    if box.y1 <= height * _BAND:
        return "page_footer"
    return None


def _rows_of(lines: list[tuple[int, _Line]]) -> list[list[tuple[int, _Line]]]:
    """Lines grouped by the baseline band they share, top to bottom."""
    rows: list[list[tuple[int, _Line]]] = []
    for item in sorted(lines, key=lambda pair: -pair[1].y1):
        line = item[1]
        middle = (line.y0 + line.y1) / 2
        if rows and rows[-1][0][1].y0 <= middle <= rows[-1][0][1].y1:
            rows[-1].append(item)
        else:
            rows.append([item])
    return rows


def _side_by_side(row: list[tuple[int, _Line]]) -> bool:
    cells = sorted((line for _i, line in row), key=lambda ln: ln.x0)
    return len(cells) >= 2 and all(a.x1 <= b.x0 for a, b in itertools.pairwise(cells))


def _table_rows(boxes: list[_Box]) -> tuple[list[list[list[_Line]]], set[int]]:
    """Tables among the boxes of a page: short lines side by side on shared baselines, two
    rows or more, one under the other; each table as rows of cells left to right, and the
    indexes of the boxes it is made of."""
    short = [
        (i, line)
        for i, box in enumerate(boxes)
        if sum(len(line.text.split()) for line in box.lines) <= _TABLE_WORDS * len(box.lines)
        for line in box.lines
    ]
    runs: list[list[list[tuple[int, _Line]]]] = []
    for row in _rows_of(short):
        if not _side_by_side(row):
            runs.append([])
            continue
        height = row[0][1].y1 - row[0][1].y0
        if runs and runs[-1] and runs[-1][-1][0][1].y0 - row[0][1].y1 <= 1.5 * height:
            runs[-1].append(row)
        else:
            runs.append([row])
    tables: list[list[list[_Line]]] = []
    used: set[int] = set()
    for run in runs:
        if len(run) < 2:
            continue
        members = {i for row in run for i, _line in row}
        held = sum(len(row) for row in run)
        if held != sum(len(boxes[i].lines) for i in members):
            continue  # a box reaches out of the table: leave it as text
        tables.append([sorted((ln for _i, ln in row), key=lambda ln: ln.x0) for row in run])
        used |= members
    return tables, used


def _page_blocks(page: _RawPage, body_size: float, repeated: set[str]) -> Page:
    """The blocks of one laid-out page, in pdfminer's reading order."""
    tables, in_table = _table_rows(page.boxes)
    header: list[Block] = []
    footer: list[Block] = []
    blocks: list[Block] = []
    table_at: dict[int, list[list[_Line]]] = {}
    for rows in tables:
        first = min(
            i for i, box in enumerate(page.boxes) for line in box.lines if line is rows[0][0]
        )
        table_at[first] = rows
    for i, box in enumerate(page.boxes):
        if i in in_table:
            if i in table_at:
                text = "\n".join("\t".join(c.text for c in row) for row in table_at[i])
                blocks.append(Block(text, "table"))
            continue
        text = box.text
        band = _in_band(box, page.height)
        if band and (_PAGE_NUMBER.fullmatch(text) or _shape(text) in repeated):
            (header if band == "page_header" else footer).append(Block(text, band))
            continue
        sizes = [line.size for line in box.lines]
        larger = body_size and min(sizes) >= body_size * _HEADING_SCALE
        bold = all(line.bold for line in box.lines) and len(box.lines) <= 2
        ends = text.rstrip()[-1:] in ".,;:"
        if (larger or bold) and len(text) <= _HEADING_MAX and not ends:
            blocks.append(Block(text, "headline"))
        else:
            blocks.append(Block(text, "body"))
    return Page(header + _join_runs(blocks) + footer)


_RUNNING = frozenset({"page_header", "page_footer"})
_RUNS_ON = re.compile(r"[^\W\d_][-\u00ad]?$|,$")  # a paragraph that does not end here


def _runs_on(first: Block, then: Block) -> bool:
    """Whether `then` goes on with the paragraph `first`: that one ends on a word or comma,
    this one starts in lower case."""
    return (
        first.kind == then.kind == "body"
        and _RUNS_ON.search(first.text) is not None
        and then.text[:1].islower()
    )


def _join_runs(blocks: list[Block]) -> list[Block]:
    """A paragraph that runs on from the foot of one column to the head of the next is one
    block."""
    out: list[Block] = []
    for block in blocks:
        if out and _runs_on(out[-1], block):
            out[-1] = Block(join_lines([out[-1].text, block.text]), "body")
        else:
            out.append(block)
    return out


def _join_page_turns(pages: list[Page]) -> None:
    """A paragraph that runs on over a page turn is kept whole on the page where it starts
    (where it is cited from); the running lines of both pages follow it."""
    for before, after in itertools.pairwise(pages):
        text_before = [i for i, b in enumerate(before.blocks) if b.kind not in _RUNNING]
        text_after = [i for i, b in enumerate(after.blocks) if b.kind not in _RUNNING]
        if not text_before or not text_after:
            continue
        last, first = text_before[-1], text_after[0]
        if _runs_on(before.blocks[last], after.blocks[first]):
            joined = join_lines([before.blocks[last].text, after.blocks[first].text])
            before.blocks[last] = Block(joined, "body")
            del after.blocks[first]


def read_pdf_pages(
    path: Path, cancelled: Callable[[], bool] = lambda: False
) -> tuple[list[Page], FileMetadata]:
    """The pages of a PDF as blocks, and its metadata; RefusedFile when it has no text,
    ReadCancelled when `cancelled` says so between two pages."""
    raw_pages, meta = _raw_pages(path)
    raw = []
    for page in raw_pages:
        if cancelled():
            raw_pages.close()  # closes the file
            raise ReadCancelled(path)
        raw.append(page)
    if not raw:
        raise RefusedFile(path, "damaged PDF (no page could be read)")
    sizes: Counter[float] = Counter()
    bands: Counter[str] = Counter()
    images = 0
    for page in raw:
        images += page.images
        for box in page.boxes:
            for line in box.lines:
                sizes[round(line.size, 1)] += len(line.text)
            if _in_band(box, page.height):
                bands[_shape(box.text)] += 1
    # A scan may carry a few words of text (a stamp, a page number): still no text layer.
    if images and sum(sizes.values()) < _SCAN_CHARS * len(raw):
        raise RefusedFile(path, "no text layer — OCR is not supported")
    if not sizes:
        return [], meta
    body_size = sizes.most_common(1)[0][0]
    repeated = {shape for shape, count in bands.items() if count >= 2}
    pages = [_page_blocks(page, body_size, repeated) for page in raw]
    _join_page_turns(pages)
    return pages, meta
