"""CoNLL-2003 export: `TOKEN POS CHUNK NER` lines with strict IOB2 tags, sentence by sentence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spacy.tokens import Doc

from desktop.core.formats.atomic import atomic_text_file
from desktop.core.formats.report import (
    CROSSES_SENTENCE,
    FACT_UNSUPPORTED,
    MISALIGNED,
    OVERLAP,
    ExportReport,
)
from desktop.core.formats.selection import Selected, Selection, iter_selected
from desktop.core.formats.spacy_tokens import make_doc
from desktop.core.store import Store

DOCSTART = "-DOCSTART- -X- O O"
POS = "-X-"  # placeholder part of speech
CHUNK = "O"  # placeholder chunk tag


def iob_tags(doc: Doc, item: Selected, report: ExportReport) -> list[str]:
    """One IOB2 tag a token; overlapping, misaligned and cross-sentence spans are reported."""
    tags = ["O"] * len(doc)
    for m in item.mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="strict")
        words = [] if span is None else [t.i for t in span if not t.is_space]
        if not words:
            report.skip(MISALIGNED, item.source, m.start, m.end, m.text, m.label)
        elif any(tags[i] != "O" for i in words):
            report.skip(OVERLAP, item.source, m.start, m.end, m.text, m.label)
        elif any(doc[i].is_sent_start for i in range(words[0] + 1, words[-1] + 1)):
            report.skip(CROSSES_SENTENCE, item.source, m.start, m.end, m.text, m.label)
        else:
            tags[words[0]] = f"B-{m.label}"
            for i in words[1:]:
                tags[i] = f"I-{m.label}"
            report.count("spans")
    return tags


def document_lines(item: Selected, report: ExportReport) -> list[str]:
    """The lines of one document: its header, then sentences separated by blank lines."""
    doc = make_doc(item.document.text, sentences=True)
    tags = iob_tags(doc, item, report)
    for f in item.facts:
        text = item.document.text[f.evidence_start : f.evidence_end]
        report.skip(FACT_UNSUPPORTED, item.source, f.evidence_start, f.evidence_end, text, f.type)
    lines = [DOCSTART, ""]
    for sent in doc.sents:
        rows = [f"{tok.text} {POS} {CHUNK} {tags[tok.i]}" for tok in sent if not tok.text.isspace()]
        if rows:
            lines += [*rows, ""]
    return lines


def export_conll(
    store: Store,
    out: Path,
    selection: Selection | None = None,
    *,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """Write the selected documents to one CoNLL file and `<out>.report.txt` (atomically)."""
    report = ExportReport("conll", out)
    with atomic_text_file(out) as fh:
        for item in iter_selected(
            store, selection or Selection(), progress, cancelled, need="mentions"
        ):
            fh.write("\n".join(document_lines(item, report)) + "\n")
            report.count("documents")
    report.write(out.with_name(out.name + ".report.txt"))
    return report
