"""spaCy DocBin export: `train.spacy` and `dev.spacy` with a reproducible split."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span

from desktop.core.formats.atomic import atomic_dir
from desktop.core.formats.report import CROSSES_SENTENCE, MISALIGNED, OVERLAP, ExportReport
from desktop.core.formats.selection import Selected, Selection, iter_selected
from desktop.core.formats.spacy_tokens import make_doc
from desktop.core.store import Store


def entity_doc(item: Selected, report: ExportReport, by_sentence: bool = False) -> list[Doc]:
    """The document (or its sentences) with the mentions as `doc.ents` (left-outs reported);
    each Doc's `user_data` holds its `source` and the `start` offset of its text."""
    doc = make_doc(item.document.text, sentences=by_sentence)
    ents: list[Span] = []
    for m in item.mentions:
        span = doc.char_span(m.start, m.end, label=m.label, alignment_mode="strict")
        if span is None or len(span) == 0:
            report.skip(MISALIGNED, item.source, m.start, m.end, m.text, m.label)
        elif ents and span.start < ents[-1].end:
            report.skip(OVERLAP, item.source, m.start, m.end, m.text, m.label)
        elif by_sentence and any(t.is_sent_start for t in span[1:]):
            report.skip(CROSSES_SENTENCE, item.source, m.start, m.end, m.text, m.label)
        else:
            ents.append(span)
    doc.ents = ents
    report.count("spans", len(ents))
    sents = [s for s in doc.sents if s.text.strip()] if by_sentence else []
    parts = [s.as_doc() for s in sents] if by_sentence else [doc]
    starts = [s.start_char for s in sents] if by_sentence else [0]
    for part, start in zip(parts, starts, strict=True):
        part.user_data.update({"source": item.source, "start": start})
    return parts


def split(keys: Sequence[tuple[str, int]], dev_fraction: float, seed: int) -> set:
    """The dev keys: a seeded shuffle of the sorted keys (at least one a side if 2+)."""
    names = sorted(keys)
    random.Random(seed).shuffle(names)
    n_dev = round(len(names) * dev_fraction)
    if len(names) >= 2 and 0 < dev_fraction < 1:
        n_dev = min(max(n_dev, 1), len(names) - 1)
    return set(names[:n_dev])


def export_docbin(
    store: Store,
    out: Path,
    selection: Selection | None = None,
    *,
    dev_fraction: float = 0.2,
    seed: int = 0,
    by_sentence: bool = True,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """Write `out/train.spacy`, `out/dev.spacy` and `out/report.txt` (atomically): one Doc a
    sentence (or a document), the examples split by a seeded shuffle of (source, offset)."""
    report = ExportReport("spacy", out)
    docs: dict[tuple[str, int], Doc] = {}
    for item in iter_selected(
        store, selection or Selection(), progress, cancelled, need="mentions"
    ):
        report.count("documents")
        for doc in entity_doc(item, report, by_sentence):
            docs[(item.source, doc.user_data["start"])] = doc
    dev = split(list(docs), dev_fraction, seed)
    with atomic_dir(out) as tmp:
        for name, wanted in (("train", False), ("dev", True)):
            part = [docs[k] for k in sorted(docs) if (k in dev) == wanted]
            DocBin(docs=part, store_user_data=True).to_disk(tmp / f"{name}.spacy")
            report.count(f"{name} examples", len(part))
        report.write(tmp / "report.txt")
    report.report_path = out / "report.txt"
    return report
