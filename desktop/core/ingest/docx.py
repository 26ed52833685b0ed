"""Word (.docx) files through python-docx: paragraphs and tables in the order they are
written, headings as headlines, the header and footer as running lines, and pages where
the file marks them (page breaks, and the breaks Word noted when it last laid it out)."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.paged import Block, FileMetadata, Page, file_title, join_lines

_HEADING_STYLES = ("heading", "title", "subtitle")
_BREAK_XPATH = './/w:br[@w:type="page"] | .//w:lastRenderedPageBreak'
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BR, _RENDERED, _T, _TYPE = f"{_W}br", f"{_W}lastRenderedPageBreak", f"{_W}t", f"{_W}type"
_P, _TBL, _SDT, _SDT_CONTENT = f"{_W}p", f"{_W}tbl", f"{_W}sdt", f"{_W}sdtContent"
_TAB, _CR, _NO_BREAK_HYPHEN = f"{_W}tab", f"{_W}cr", f"{_W}noBreakHyphen"
_DEL, _MOVE_FROM, _TEXT_BOX = f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent"


def _check_package(path: Path) -> None:
    """RefusedFile unless the file is a zip archive that holds a Word document."""
    if not zipfile.is_zipfile(path):
        raise RefusedFile(
            path,
            "not a Word file (not a zip archive: an old .doc, an encrypted or a damaged file?)",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise RefusedFile(path, f"damaged Word file ({exc})") from exc
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        held = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
        raise RefusedFile(
            path, f"not a Word file: the zip archive holds no Word document ({held or 'empty'})"
        )


def _break_before_text(paragraph) -> bool | None:  # type: ignore[no-untyped-def]
    """None without a page break; True when the break comes before any of its text."""
    if not paragraph._p.xpath(_BREAK_XPATH):
        return None
    for element in paragraph._p.iter(_BR, _RENDERED, _T):
        if element.tag == _T:
            if element.text and element.text.strip():
                return False
        elif element.tag == _RENDERED or element.get(_TYPE) == "page":
            return True
    return True


def paragraph_text(element) -> str:  # type: ignore[no-untyped-def]
    """The text of a w:p as the document reads with its tracked changes taken: insertions
    in, deletions and moved-away text out (python-docx leaves insertions out), tabs and
    breaks as spaces; text boxes anchored in it are left out."""
    parts = []
    for node in element.iter(_T, _TAB, _BR, _CR, _NO_BREAK_HYPHEN):
        if any(True for _ in node.iterancestors(_DEL, _MOVE_FROM, _TEXT_BOX)):
            continue
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        else:
            parts.append(" ")
    return "".join(parts)


def _is_heading(paragraph) -> bool:  # type: ignore[no-untyped-def]
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name.casefold().startswith(_HEADING_STYLES)


def _table_text(table) -> str:  # type: ignore[no-untyped-def]
    """A table as rows of tab-separated cells (a merged cell once)."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(join_lines(paragraph_text(p) for p in cell._tc.iter(_P)))
        if any(cells):
            rows.append("\t".join(cells))
    return "\n".join(rows)


def _running(parts, kind: str) -> list[Block]:  # type: ignore[no-untyped-def]
    text = join_lines(paragraph_text(p._p) for p in parts.paragraphs) if parts is not None else ""
    return [Block(text, kind)] if text else []


def _blocks(document):  # type: ignore[no-untyped-def]
    """The paragraphs and tables of the body in order, those inside content controls too
    (a cover page's title and date are often in one)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document._body

    def walk(element):  # type: ignore[no-untyped-def]
        for child in element.iterchildren(_P, _TBL, _SDT):
            if child.tag == _P:
                yield Paragraph(child, body)
            elif child.tag == _TBL:
                yield Table(child, body)
            else:
                for content in child.iterchildren(_SDT_CONTENT):
                    yield from walk(content)

    yield from walk(document.element.body)


def read_docx_pages(path: Path) -> tuple[list[Page], FileMetadata]:
    """The pages of a Word file as blocks, and its core properties."""
    _check_package(path)
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        pages = [Page()]
        for item in _blocks(document):
            if isinstance(item, Table):
                pages[-1].blocks.append(Block(_table_text(item), "table"))
                continue
            brk = _break_before_text(item)
            if brk and pages[-1].blocks:
                pages.append(Page())
            text = join_lines([paragraph_text(item._p)])
            if text:
                pages[-1].blocks.append(Block(text, "headline" if _is_heading(item) else "body"))
            if brk is False:
                pages.append(Page())
        section = document.sections[0] if document.sections else None
        if section is not None:
            pages[0].blocks[:0] = _running(section.header, "page_header")
            pages[-1].blocks += _running(section.footer, "page_footer")
        props = document.core_properties
        date = props.created or props.modified
        meta = FileMetadata(
            title=file_title(props.title),
            author=(props.author or "").strip() or None,
            published=date.date().isoformat() if date else None,
        )
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        ValueError,
    ) as exc:
        raise RefusedFile(path, f"damaged Word file ({type(exc).__name__}: {exc})") from exc
    except SyntaxError as exc:  # lxml's XMLSyntaxError
        raise RefusedFile(path, f"damaged Word file (bad XML: {exc})") from exc
    return [page for page in pages if page.blocks] or [Page()], meta
