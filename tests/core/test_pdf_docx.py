"""PDF and Word files as analysts receive them: reading order, running lines, headings,
tables, non-Latin text, the file's own metadata, pages kept, and the bad files refused one
line each while the others are imported."""

from __future__ import annotations

import socket

import pytest

from desktop.core.ingest.importer import ingest
from desktop.core.ingest.paged import join_lines
from desktop.core.ingest.readers import read_documents


def zone_texts(doc, kind):
    return [doc.text[z.start : z.end].strip() for z in doc.zones if z.kind == kind]


def zone_at(doc, offset):
    return next(z.kind for z in doc.zones if z.start <= offset < z.end)


@pytest.fixture
def report_pdf(tmp_path, paged_files):
    return paged_files.write_report_pdf(tmp_path / "ports report.pdf")


@pytest.fixture
def report_docx(tmp_path, paged_files):
    return paged_files.write_report_docx(tmp_path / "ferry note.docx")


def test_pdf_columns_are_read_one_after_the_other_with_hyphens_joined(report_pdf, paged_files):
    (doc,) = read_documents(report_pdf, report_pdf.name)
    left = join_lines(paged_files.LEFT)
    right = join_lines(paged_files.RIGHT)
    assert "planners described as the largest" in left  # 'de-' + 'scribed'
    assert left in doc.text and right in doc.text
    assert doc.text.index(left) < doc.text.index(right)
    assert "de-" not in doc.text and "Luang Prabang" in doc.text


def test_a_paragraph_running_on_into_the_next_column_stays_one(tmp_path, paged_files):
    path = paged_files.write_flowing_columns_pdf(tmp_path / "flow.pdf")
    (doc,) = read_documents(path, path.name)
    whole = join_lines(paged_files.FLOW_LEFT + paged_files.FLOW_RIGHT)
    assert "it finally approved the budget" in whole
    assert whole in doc.text


def test_a_paragraph_over_a_page_turn_stays_whole_on_its_first_page(tmp_path, paged_files):
    path = paged_files.write_page_turn_pdf(tmp_path / "turn.pdf")
    (doc,) = read_documents(path, path.name)
    whole = join_lines(paged_files.TURN_BEFORE + paged_files.TURN_AFTER[:1])
    assert "which the governors will build" in whole
    assert whole in doc.text
    start = doc.text.index(whole)
    second = doc.page_starts[1]
    assert start < second  # cited from the page where it starts
    assert doc.text[second:].startswith(paged_files.HEADER)
    assert doc.text.index("A second paragraph") > second
    assert zone_texts(doc, "page_footer") == ["Page 1 of 2", "Page 2 of 2"]


def test_pdf_running_lines_are_boilerplate_and_the_heading_is_the_headline(report_pdf, paged_files):
    (doc,) = read_documents(report_pdf, report_pdf.name)
    assert zone_texts(doc, "page_header") == [paged_files.HEADER, paged_files.HEADER]
    assert zone_texts(doc, "page_footer") == ["Page 1 of 2", "Page 2 of 2"]
    assert zone_texts(doc, "headline") == [paged_files.TITLE]
    assert doc.title == paged_files.TITLE  # the text's heading wins over the file's title
    body = doc.text.index("Engineers from three provinces")
    assert zone_at(doc, body) == "body"


def test_pdf_table_rows_vietnamese_and_chinese(report_pdf, paged_files):
    (doc,) = read_documents(report_pdf, report_pdf.name)
    rows = ["\t".join(row) for row in paged_files.TABLE]
    assert "\n".join(rows) in doc.text
    assert paged_files.VIETNAMESE in doc.text
    assert paged_files.CHINESE in doc.text


def test_pdf_text_inside_a_form_object_is_read(tmp_path, paged_files):
    path = paged_files.write_form_pdf(tmp_path / "form.pdf")
    (doc,) = read_documents(path, path.name)
    assert join_lines(paged_files.FORM_LINES) in doc.text


def test_pdf_ligatures_are_letters(report_pdf):
    (doc,) = read_documents(report_pdf, report_pdf.name)
    assert "The final floods affected the office." in doc.text


def test_pdf_pages_are_recorded_and_stored(report_pdf, paged_files, store):
    (doc,) = read_documents(report_pdf, report_pdf.name)
    first, second = doc.page_starts
    assert first == 0
    assert doc.text[second:].startswith(paged_files.HEADER)
    assert doc.text.index("Page 1 of 2") < second <= doc.text.index("A second round")
    events = list(ingest(store, [report_pdf]))
    assert [e.kind for e in events] == ["imported"]
    stored = store.documents.get(events[0].document_id)
    assert stored.page_starts == doc.page_starts
    assert stored.text == doc.text
    assert {z.kind for z in stored.zones} >= {"page_header", "page_footer", "headline"}


def test_a_pdf_encrypted_for_its_owner_only_opens_without_a_password(tmp_path, paged_files):
    path = paged_files.write_report_pdf(tmp_path / "owner.pdf", encrypt="")
    assert b"/Encrypt" in path.read_bytes()
    (doc,) = read_documents(path, path.name)
    assert doc.title == paged_files.TITLE
    assert paged_files.VIETNAMESE in doc.text and len(doc.page_starts) == 2


def test_pdf_metadata_fills_what_the_text_does_not_say(tmp_path, paged_files):
    path = paged_files.write_report_pdf(tmp_path / "untitled.pdf", heading=False)
    (doc,) = read_documents(path, path.name)
    assert doc.title == "Upper river ports (file title)"
    assert doc.published == "2025-03-14"
    assert doc.publisher == "Mekong Ports Authority"


def test_long_pdf_keeps_every_page(tmp_path, paged_files):
    paragraphs = ["The survey boats measured the channel depth at dawn on each day."] * 40
    path = paged_files.write_long_pdf(tmp_path / "long.pdf", 6, paragraphs)
    (doc,) = read_documents(path, path.name)
    assert len(doc.page_starts) >= 6
    assert list(doc.page_starts) == sorted(set(doc.page_starts))
    headers = zone_texts(doc, "page_header")
    assert len(headers) == len(doc.page_starts)
    for start in doc.page_starts:  # every page opens on its running header
        assert doc.text[start:].startswith(paged_files.HEADER)


def test_docx_order_headings_table_header_footer_and_pages(report_docx, paged_files):
    (doc,) = read_documents(report_docx, report_docx.name)
    assert zone_texts(doc, "headline") == ["New ferry links across the delta", "Timetable"]
    assert zone_texts(doc, "page_header") == ["Delta Transport Office | Internal note"]
    assert zone_texts(doc, "page_footer") == ["For official use"]
    rows = "\n".join("\t".join(row) for row in paged_files.TABLE)
    order = [
        "New ferry links",
        "two ferry links",
        rows,
        paged_files.VIETNAMESE,
        paged_files.CHINESE,
        "Timetable",
    ]
    found = [doc.text.index(part) for part in order]
    assert found == sorted(found)
    first, second = doc.page_starts
    assert first == 0 and doc.text[second:].startswith("Timetable")
    assert doc.title == "New ferry links across the delta"


def test_docx_text_in_a_content_control_is_read_in_its_place(tmp_path, paged_files):
    path = paged_files.write_report_docx(
        tmp_path / "cover.docx", cover_control="Annual review of river transport"
    )
    (doc,) = read_documents(path, path.name)
    cover = doc.text.index("Annual review of river transport")
    assert cover < doc.text.index("New ferry links across the delta")


def test_docx_tracked_changes_read_as_taken(tmp_path, paged_files):
    path = paged_files.write_report_docx(tmp_path / "edited.docx", tracked_changes=True)
    (doc,) = read_documents(path, path.name)
    assert "Fares stay at twelve thousand dong a trip." in doc.text
    assert "ten" not in doc.text.split()


def test_docx_metadata_fills_what_the_text_does_not_say(tmp_path, paged_files):
    path = paged_files.write_report_docx(tmp_path / "plain.docx", heading=False)
    (doc,) = read_documents(path, path.name)
    assert doc.title == "Ferry links (file title)"
    assert doc.published == "2025-06-02"
    assert doc.publisher == "Delta Transport Office"


def test_nothing_is_fetched_for_a_linked_picture(tmp_path, paged_files, store, monkeypatch):
    path = paged_files.write_report_docx(tmp_path / "linked.docx", external_picture=True)
    pdf = paged_files.write_report_pdf(tmp_path / "linked.pdf")

    def refuse(*_args, **_kwargs):
        raise AssertionError("ingest tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    events = list(ingest(store, [path, pdf]))
    assert [e.kind for e in events] == ["imported", "imported"]


def test_bad_files_are_refused_one_line_each_and_the_others_imported(tmp_path, paged_files, store):
    folder = tmp_path / "inbox"
    folder.mkdir()
    paged_files.write_report_pdf(folder / "locked.pdf", encrypt="river")
    paged_files.write_scanned_pdf(folder / "scan.pdf")
    paged_files.write_scanned_pdf(folder / "stamped.pdf", stamp="Scan 12")
    paged_files.write_truncated_pdf(folder / "cut.pdf", tmp_path / "whole.pdf")
    (folder / "junk.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf at all\n%%EOF\n")
    (folder / "page.pdf").write_text("<html><body>a web page</body></html>")
    paged_files.write_zip_not_docx(folder / "sheets.docx")
    (folder / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    paged_files.write_report_pdf(folder / "good.pdf")
    paged_files.write_report_docx(folder / "good-note.docx")

    lines = {e.path: e.line() for e in ingest(store, [folder]) if e.kind == "refused"}
    expected = {
        "locked.pdf": "encrypted PDF",
        "scan.pdf": "no text layer — OCR is not supported",
        "stamped.pdf": "no text layer — OCR is not supported",
        "cut.pdf": "truncated PDF",
        "junk.pdf": "damaged PDF",
        "page.pdf": "not a PDF file",
        "sheets.docx": "not a Word file: the zip archive holds no Word document",
        "old.docx": "not a Word file",
    }
    assert {p.rsplit("/", 1)[-1] for p in lines} == set(expected)
    for path, line in lines.items():
        name = path.rsplit("/", 1)[-1]
        assert line.startswith(path + ": ") and expected[name] in line, line
        assert "\n" not in line and "Traceback" not in line
    assert sorted(info.source for info in store.documents.page()) == ["good", "good-note"]


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["co-", "operation"], "cooperation"),
        (["Viet-", "Nam"], "Viet- Nam"),  # a capital after the hyphen: not a broken word
        (["year 2025-", "26"], "year 2025- 26"),
        (["中国与", "东盟"], "中国与东盟"),
        (["Hà  Nội", " và Huế "], "Hà Nội và Huế"),
    ],
)
def test_lines_of_a_paragraph_are_joined(lines, joined):
    assert join_lines(lines) == joined


MEETING_LINES = [
    "Lao Deputy Prime Minister Saleumxay Kommasith met Vietnamese Foreign Minister",
    "Bui Thanh Son in Vientiane on March 3, 2025 to discuss the river ports.",
]


def test_exports_carry_the_page_of_every_span_and_of_each_fact(
    tmp_path, paged_files, store, pipeline
):
    import csv
    import json

    from desktop.core.formats.exporters import export
    from desktop.core.formats.facts import export_facts_csv, export_facts_jsonl
    from desktop.core.formats.selection import Selection
    from desktop.core.nlp.extract import extract

    path = paged_files.write_report_pdf(tmp_path / "talks.pdf", second_page=MEETING_LINES)
    (event,) = ingest(store, [path])
    list(extract(store, pipeline))
    doc = store.documents.get(event.document_id)
    second = doc.page_starts[1]
    everything = Selection(statuses=frozenset({"proposed", "accepted"}))

    export(store, "jsonl", tmp_path / "spans.jsonl", everything)
    (line,) = (json.loads(x) for x in (tmp_path / "spans.jsonl").read_text().splitlines())
    assert line["meta"]["page_starts"] == list(doc.page_starts)
    assert line["spans"]
    for span in line["spans"]:
        assert span["page"] == (2 if span["start"] >= second else 1), span
    assert any(
        s["page"] == 2 and line["text"][s["start"] : s["end"]] == "Vientiane" for s in line["spans"]
    )

    export_facts_jsonl(store, tmp_path / "facts.jsonl", everything)
    facts = [json.loads(x) for x in (tmp_path / "facts.jsonl").read_text().splitlines()]
    assert any(f["evidence"]["page"] == 2 for f in facts)  # the meeting on page 2
    for fact in facts:
        expected = 2 if fact["evidence"]["start"] >= second else 1
        assert fact["evidence"]["page"] == expected

    export_facts_csv(store, tmp_path / "facts.csv", everything)
    with (tmp_path / "facts.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["fact_id"]: r["evidence_page"] for r in rows} == {
        str(f["fact_id"]): str(f["evidence"]["page"]) for f in facts
    }


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_damaged_bytes_are_read_or_refused_never_an_error(tmp_path, paged_files, kind):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from desktop.core.ingest.errors import RefusedFile

    write = paged_files.write_report_pdf if kind == "pdf" else paged_files.write_report_docx
    good = write(tmp_path / f"good.{kind}").read_bytes()
    target = tmp_path / f"damaged.{kind}"
    damage = st.lists(
        st.tuples(st.integers(0, len(good) - 1), st.integers(0, 255)), min_size=1, max_size=20
    )

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(damage)
    def check(changes):
        data = bytearray(good)
        for at, value in changes:
            data[at] = value
        target.write_bytes(bytes(data))
        try:
            docs = read_documents(target, target.name)
        except RefusedFile as exc:
            assert str(exc).startswith(str(target)) and "\n" not in str(exc)
        else:
            assert len(docs) == 1

    check()


@pytest.mark.parametrize(
    ("stamp", "iso"),
    [
        ("D:20251126093000+07'00'", "2025-11-26"),
        ("D:202511", "2025-11"),
        ("D:20250231", "2025-02"),  # no 31 February
        ("20240105", "2024-01-05"),
        ("yesterday", None),
        (None, None),
    ],
)
def test_pdf_dates(stamp, iso):
    from desktop.core.ingest.pdf import pdf_date

    assert pdf_date(stamp) == iso


@pytest.mark.parametrize(
    ("given", "title"),
    [
        ("Microsoft Word - Port plan 2025.docx", None),
        ("Microsoft Word - Port plan for 2025", "Port plan for 2025"),
        ("report_final_v3.pdf", None),
        ("Untitled", None),
        ("  Quarterly   review of river trade ", "Quarterly review of river trade"),
        ("", None),
    ],
)
def test_a_file_title_the_writing_tool_made_up_is_not_taken(given, title):
    from desktop.core.ingest.paged import file_title

    assert file_title(given) == title


def test_the_file_name_as_pdf_title_gives_way_to_the_first_sentence(tmp_path, paged_files):
    path = paged_files.write_report_pdf(
        tmp_path / "named.pdf", title="Microsoft Word - ports.docx", heading=False
    )
    (doc,) = read_documents(path, path.name)
    assert doc.title.startswith("Engineers from three provinces met in Luang Prabang")


def test_cancel_stops_inside_a_long_pdf_and_writes_nothing(tmp_path, paged_files, store):
    paragraphs = ["The survey boats measured the channel depth at dawn on each day."] * 40
    path = paged_files.write_long_pdf(tmp_path / "long.pdf", 6, paragraphs)
    asked = []

    def cancelled():
        asked.append(1)
        return len(asked) >= 3  # before the file, page 1, then cancel before page 2

    events = list(ingest(store, [path], cancelled=cancelled))
    assert events == []
    assert len(asked) == 3
    assert store.documents.count() == 0
    assert [e.kind for e in ingest(store, [path])] == ["imported"]  # the file is not held
