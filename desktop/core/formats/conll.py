"""CoNLL-2003 export: `TOKEN POS CHUNK NER` lines with strict IOB2 tags, sentence by sentence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.formats.atomic import atomic_text_file
from desktop.core.formats.docbin import sentence_starts
from desktop.core.formats.report import (
    CROSSES_SENTENCE,
    FACT_UNSUPPORTED,
    MISALIGNED,
    OVERLAP,
    ExportReport,
)
from desktop.core.formats.selection import Selected, Selection, iter_selected
from desktop.core.formats.spacy_tokens import Tokens, make_doc

if TYPE_CHECKING:
    from desktop.core.store import Store

DOCSTART = "-DOCSTART- -X- O O"
POS = "-X-"  # placeholder part of speech
CHUNK = "O"  # placeholder chunk tag


def iob_tags(
    words: list[str], starts: list[bool], tokens: Tokens, item: Selected, report: ExportReport
) -> list[str]:
    """One IOB2 tag a token; overlapping, misaligned and cross-sentence spans are reported."""
    tags = ["O"] * len(words)
    for m in item.mentions:
        bounds = tokens.bounds(m.start, m.end)
        inside = [] if bounds is None else [i for i in range(bounds[0], bounds[1] + 1) if words[i]]
        if not inside:
            report.skip(MISALIGNED, item.source, m.start, m.end, m.text, m.label)
        elif any(tags[i] != "O" for i in inside):
            report.skip(OVERLAP, item.source, m.start, m.end, m.text, m.label)
        elif any(starts[inside[0] + 1 : inside[-1] + 1]):
            report.skip(CROSSES_SENTENCE, item.source, m.start, m.end, m.text, m.label)
        else:
            tags[inside[0]] = f"B-{m.label}"
            for i in inside[1:]:
                tags[i] = f"I-{m.label}"
            report.count("spans")
    return tags


def document_lines(item: Selected, report: ExportReport) -> list[str]:
    """The lines of one document: its header, then sentences separated by blank lines."""
    text = item.document.text
    doc = make_doc(text, sentences=True)
    tokens = Tokens.of(doc)
    starts = sentence_starts(doc)
    # a token's text, or "" for whitespace (never written: it would split a CoNLL line)
    words = [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)]
    words = [w if w.strip() else "" for w in words]
    tags = iob_tags(words, starts, tokens, item, report)
    for f in item.facts:
        evidence = text[f.evidence_start : f.evidence_end]
        report.skip(
            FACT_UNSUPPORTED, item.source, f.evidence_start, f.evidence_end, evidence, f.type
        )
    lines = [DOCSTART, ""]
    rows: list[str] = []
    for i, word in enumerate(words):
        if starts[i] and rows:
            lines += [*rows, ""]
            rows = []
        if word:
            rows.append(f"{word} {POS} {CHUNK} {tags[i]}")
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
