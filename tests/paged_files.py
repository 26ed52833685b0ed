"""PDF and Word files the tests write themselves (reportlab and python-docx), with invented
text: a two-column report with running lines, headings, a table and non-Latin lines; and
the bad files an analyst is sent (encrypted, scanned, cut short, a zip of something else)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core

HEADER = "Mekong Basin Monitor | Issue 12"
TITLE = "Dredging plans for the upper river ports"
LEFT = [
    "Engineers from three provinces met in Luang",
    "Prabang to weigh a plan for deeper berths at",
    "the river ports, a project the planners de-",
    "scribed as the largest of the decade.",
]
RIGHT = [
    "Boat operators asked the officials to keep",
    "one channel open while the work goes on so",
    "that rice barges can still reach the markets",
    "downstream before the monsoon.",
]
VIETNAMESE = "Hội nghị ở Đà Nẵng bàn về hợp tác đường thủy."
CHINESE = "中国与老挝的航运合作继续扩大。"
TABLE = [("Port", "Berths", "Depth"), ("Pakbeng", "4", "3.5 m"), ("Houayxay", "6", "4.0 m")]
LIGATURES = "The \ufb01nal \ufb02oods a\ufb00ected the o\ufb03ce."  # fi, fl, ff, ffi
SECOND_PAGE = [
    "A second round of talks is planned for the dry",
    "season, when the water is low enough for surveys.",
]


def _canvas(target, **kwargs):  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    assert DEJAVU.exists(), "the tests need Debian's fonts-dejavu-core (make test installs it)"
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return canvas.Canvas(target, pagesize=A4, **kwargs), A4


def write_report_pdf(
    path: Path,
    *,
    title: str | None = "Upper river ports (file title)",
    author: str | None = "Mekong Ports Authority",
    created: dt.datetime | None = dt.datetime(2025, 3, 14, 9, 30),
    heading: bool = True,
    encrypt: str | None = None,
    second_page: list[str] | None = None,
) -> Path:
    """A two-page report: running header, page numbers, a heading, two columns whose lines
    are drawn across both columns (left line, right line, ...), a hyphenated word, a table,
    a Vietnamese and a Chinese line; the file's title, author and creation date."""
    kwargs = {}
    if encrypt is not None:  # "": anyone may open it, only the owner may change it
        from reportlab.lib.pdfencrypt import StandardEncryption

        kwargs["encrypt"] = StandardEncryption(encrypt, ownerPassword="owner" + encrypt)
    pdf, (width, height) = _canvas(str(path), **kwargs)
    if title:
        pdf.setTitle(title)
    if author:
        pdf.setAuthor(author)
    for number in (1, 2):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, height - 36, HEADER)
        y = height - 110
        if number == 1:
            if heading:
                pdf.setFont("Helvetica-Bold", 18)
                pdf.drawString(72, y, TITLE)
            y -= 40
            pdf.setFont("Helvetica", 10)
            for left, right in zip(LEFT, RIGHT, strict=True):
                pdf.drawString(72, y, left)
                pdf.drawString(318, y, right)
                y -= 13
            y -= 30
            for row in TABLE:
                for x, cell in zip((72, 220, 360), row, strict=True):
                    pdf.drawString(x, y, cell)
                y -= 16
            y -= 30
            pdf.setFont("DejaVu", 10)
            pdf.drawString(72, y, VIETNAMESE)
            pdf.setFont("STSong-Light", 10)
            pdf.drawString(72, y - 24, CHINESE)
        else:
            pdf.setFont("DejaVu", 10)
            pdf.drawString(72, y + 40, LIGATURES)
            pdf.setFont("Helvetica", 10)
            for line in second_page or SECOND_PAGE:
                pdf.drawString(72, y, line)
                y -= 13
        pdf.setFont("Helvetica", 8)
        pdf.drawCentredString(width / 2, 30, f"Page {number} of 2")
        pdf.showPage()
    pdf.save()
    if created and encrypt is None:
        _set_creation_date(path, created)
    return path


def _set_creation_date(path: Path, created: dt.datetime) -> None:
    """Write the file's creation date over the one reportlab wrote (same length, so the
    cross-reference offsets stay right)."""
    data = path.read_bytes()
    stamp = created.strftime("%Y%m%d%H%M%S").encode()
    start = data.index(b"/CreationDate (D:") + len(b"/CreationDate (D:")
    path.write_bytes(data[:start] + stamp + data[start + len(stamp) :])


FLOW_LEFT = [
    "The port committee met on Tuesday and, after",
    "a long debate about the cost of the new cranes",
    "and the loss of fishing grounds, it finally ap-",
]
FLOW_RIGHT = [
    "proved the budget for the first stage of works",
    "on the northern quay of the harbour.",
]


def write_flowing_columns_pdf(path: Path) -> Path:
    """One paragraph that runs from the foot of the left column to the head of the right
    one, the word at the turn broken by a hyphen."""
    pdf, (_width, height) = _canvas(str(path))
    pdf.setFont("Helvetica", 10)
    for x, lines in ((72, FLOW_LEFT), (318, FLOW_RIGHT)):
        y = height - 120
        for line in lines:
            pdf.drawString(x, y, line)
            y -= 13
    pdf.showPage()
    pdf.save()
    return path


TURN_BEFORE = [
    "The ministers agreed to open a joint customs post at the border crossing and",
    "to share the cost of the new road between the two provinces, which the gover-",
]
TURN_AFTER = [
    "nors will build over the next three years.",
    "A second paragraph on the next page starts here.",
]


def write_page_turn_pdf(path: Path) -> Path:
    """A paragraph that runs on from the foot of page 1 to the top of page 2, under and
    over the running lines."""
    pdf, (width, height) = _canvas(str(path))
    for number, lines in ((1, TURN_BEFORE), (2, TURN_AFTER)):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, height - 36, HEADER)
        pdf.drawCentredString(width / 2, 30, f"Page {number} of 2")
        pdf.setFont("Helvetica", 10)
        y = height - 110 if number == 2 else 140
        for i, line in enumerate(lines):
            pdf.drawString(72, y - 13 * i if not (number == 2 and i == 1) else y - 40, line)
        pdf.showPage()
    pdf.save()
    return path


def write_long_pdf(path: Path, pages: int, paragraphs: list[str]) -> Path:
    """A plain report of many pages, each with a running header, page number and text."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()

    def furniture(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, doc.pagesize[1] - 36, HEADER)
        canvas.drawCentredString(doc.pagesize[0] / 2, 30, str(doc.page))

    story = []
    per_page = max(1, len(paragraphs))
    for page in range(pages):
        for i in range(per_page):
            story.append(Paragraph(paragraphs[(page + i) % len(paragraphs)], styles["BodyText"]))
    doc = SimpleDocTemplate(str(path), title="Long report")
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


FORM_LINES = [
    "Text drawn inside a form object, as some writers lay out",
    "whole pages, is read like any other paragraph.",
]


def write_form_pdf(path: Path) -> Path:
    """A page whose text is all inside one form object (an XObject)."""
    pdf, (_width, height) = _canvas(str(path))
    pdf.beginForm("page")
    pdf.setFont("Helvetica", 10)
    for i, line in enumerate(FORM_LINES):
        pdf.drawString(72, height - 120 - 13 * i, line)
    pdf.endForm()
    pdf.doForm("page")
    pdf.showPage()
    pdf.save()
    return path


def write_scanned_pdf(path: Path, stamp: str | None = None) -> Path:
    """A 'scanned' page: one picture and no text at all, or only a stamp in a corner."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = Image.new("RGB", (200, 260), "white")
    for x in range(20, 180):
        for y in range(40, 44):
            picture.putpixel((x, y), (0, 0, 0))
    pdf, (width, height) = _canvas(str(path))
    pdf.drawImage(ImageReader(picture), 50, 100, width - 100, height - 200)
    if stamp:
        pdf.setFont("Helvetica", 8)
        pdf.drawString(50, 40, stamp)
    pdf.showPage()
    pdf.save()
    return path


def write_truncated_pdf(path: Path, scratch: Path) -> Path:
    """A report cut off halfway, as a broken download leaves it."""
    whole = write_report_pdf(scratch)
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def write_report_docx(
    path: Path,
    *,
    title: str | None = "Ferry links (file title)",
    author: str | None = "Delta Transport Office",
    created: dt.datetime | None = dt.datetime(2025, 6, 2, 8, 0),
    heading: bool = True,
    external_picture: bool = False,
    cover_control: str | None = None,
    tracked_changes: bool = False,
) -> Path:
    """A Word report: header and footer, a heading, paragraphs, a table, a page break and a
    second page, Vietnamese and Chinese lines; core properties as given."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Delta Transport Office | Internal note"
    section.footer.paragraphs[0].text = "For official use"
    if cover_control:
        _add_content_control(document, cover_control)
    if heading:
        document.add_heading("New ferry links across the delta", level=1)
    document.add_paragraph(
        "The transport office opened two ferry links between the river towns this spring."
    )
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(table.rows, TABLE, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph(VIETNAMESE)
    document.add_paragraph(CHINESE)
    if external_picture:
        paragraph = document.add_paragraph("See the map of the routes online.")
        paragraph.part.relate_to(
            "http://example.invalid/map.png",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image",
            is_external=True,
        )
    if tracked_changes:
        _add_tracked_changes(document)
    document.add_page_break()
    document.add_heading("Timetable", level=2)
    document.add_paragraph("Boats leave every hour from six in the morning until dusk.")
    props = document.core_properties
    props.title = title or ""
    props.author = author or ""
    if created:
        props.created = created
    document.save(str(path))
    return path


def _add_content_control(document, text: str) -> None:  # type: ignore[no-untyped-def]
    """A block content control (as Word's cover pages use) holding one paragraph."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    control = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr><w:alias w:val='Title'/></w:sdtPr>"
        f"<w:sdtContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document.element.body.insert(0, control)


def _add_tracked_changes(document) -> None:  # type: ignore[no-untyped-def]
    """A paragraph with a tracked insertion, a deletion and a tab."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document.element.body.append(
        parse_xml(
            f"<w:p {nsdecls('w')}><w:r><w:t xml:space='preserve'>Fares stay at </w:t></w:r>"
            "<w:del w:id='1' w:author='editor'><w:r><w:delText>ten</w:delText></w:r></w:del>"
            "<w:ins w:id='2' w:author='editor'><w:r><w:t>twelve</w:t></w:r></w:ins>"
            "<w:r><w:t xml:space='preserve'> thousand dong</w:t><w:tab/><w:t>a trip.</w:t></w:r>"
            "</w:p>"
        )
    )
    document.element.body.append(document.element.body[-2])  # sectPr stays last


def write_zip_not_docx(path: Path) -> Path:
    """A zip archive of spreadsheets saved with a .docx name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ports.csv", "port,berths\nPakbeng,4\n")
        archive.writestr("notes.txt", "not a Word document")
    path.write_bytes(buffer.getvalue())
    return path
