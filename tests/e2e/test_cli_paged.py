"""`factdesk ingest` on PDF and Word files, as a user runs it: the good files imported with
their pages, each bad one named on one line of stderr, and the pages in the export."""

from __future__ import annotations

import json
from pathlib import Path


def test_ingest_pdf_and_word_files_and_export_their_pages(
    tmp_path: Path, paged_files, factdesk_cli
) -> None:
    factdesk = factdesk_cli
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    paged_files.write_report_pdf(inbox / "ports.pdf")
    paged_files.write_report_docx(inbox / "ferries.docx")
    paged_files.write_scanned_pdf(inbox / "scan.pdf")
    paged_files.write_zip_not_docx(inbox / "sheets.docx")
    project = tmp_path / "p.factdesk"

    done = factdesk("ingest", "--project", project, "inbox", cwd=tmp_path)
    assert done.returncode != 0  # some files were refused
    refused = [line for line in done.stderr.splitlines() if line.startswith("refused:")]
    assert sorted(refused) == [
        "refused: inbox/scan.pdf: no text layer — OCR is not supported",
        "refused: inbox/sheets.docx: not a Word file: the zip archive holds no Word document"
        " (ports.csv, notes.txt)",
    ]
    assert "Traceback" not in done.stderr
    assert "2 imported" in done.stderr + done.stdout

    out = tmp_path / "spans.jsonl"
    done = factdesk(
        "export",
        "--project",
        project,
        "--format",
        "jsonl",
        "--out",
        out,
        "--status",
        "proposed",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    lines = {json.loads(x)["meta"]["source"]: json.loads(x) for x in out.read_text().splitlines()}
    assert set(lines) == {"ports", "ferries"}
    assert all(line["spans"] for line in lines.values())
    for line in lines.values():
        starts = line["meta"]["page_starts"]
        assert len(starts) == 2 and starts[0] == 0
        for span in line["spans"]:
            assert span["page"] == (2 if span["start"] >= starts[1] else 1)
