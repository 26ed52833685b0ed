"""`factdesk ingest` / `extract` as a user runs them when a document is unusual or fails."""

from __future__ import annotations

import json
from pathlib import Path

FILES = {
    "a_talks.txt": "Minister Tran Van Son met Foreign Minister Li Qiang in Hanoi on Monday.",
    "b_signing.txt": "The MOUs were signed on Monday.\n\nThe signing of the MOUs was witnessed "
    "by the Prime Minister. Agreements were signed.",
    "c_trade.txt": "Malaysia and Indonesia signed three agreements on digital trade in Jakarta.",
}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _stats(factdesk, project: Path, cwd: Path) -> dict:  # type: ignore[type-arg]
    done = factdesk("stats", "--project", project, "--json", cwd=cwd)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_passive_signing_in_the_second_file_extracts_every_file(tmp_path, factdesk_cli):
    factdesk = factdesk_cli
    project = tmp_path / "p.factdesk"
    done = factdesk("ingest", "--project", project, _folder(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "failed" not in done.stderr and "Traceback" not in done.stderr
    assert "extracted 3 of 3 documents" in done.stderr
    stats = _stats(factdesk, project, tmp_path)
    assert stats["pending_extraction"] == 0 and stats["extraction_failed"] == []
    assert stats["last_run"]["failed_count"] == 0


def test_a_failing_document_is_named_the_others_extracted_and_retried(tmp_path, factdesk_cli):
    factdesk = factdesk_cli
    project = tmp_path / "p.factdesk"
    hook = {"FACTDESK_TEST_FAIL_EXTRACTION": "witnessed by"}
    done = factdesk("ingest", "--project", project, _folder(tmp_path), cwd=tmp_path, env=hook)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    failed = [x for x in done.stderr.splitlines() if x.startswith("extract: failed:")]
    assert failed == [
        "extract: failed: b_signing: rules: RuntimeError: failure forced by "
        "FACTDESK_TEST_FAIL_EXTRACTION"
    ]
    assert "extracted 2 of 3 documents" in done.stderr
    text = factdesk("stats", "--project", project, cwd=tmp_path).stdout
    assert "extraction failed: 1 documents (pending)" in text and "b_signing: rules:" in text
    assert "(1 failed)" in text

    debug = factdesk("extract", "--project", project, "--debug", cwd=tmp_path, env=hook)
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr

    again = factdesk("extract", "--project", project, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "extracted 1 of 1 documents" in again.stderr
    assert _stats(factdesk, project, tmp_path)["extraction_failed"] == []
