"""JSONL in the Prodigy/spaCy style: text, tokens, spans with token offsets, relations, meta.

Relations come from facts. A fact's arguments are taken in their stored order; the first
argument with a span is the head of one relation to each other argument (the child), so
a two-argument fact gives one relation and an n-argument fact n-1. Every relation's label
is the fact type; `head_role`, `child_role` and `fact_id` say where it came from.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring  # the C escaper json.dumps uses (ensure_ascii off)
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.formats.atomic import atomic_text_file
from desktop.core.formats.report import FEW_ARGS, MISALIGNED, NO_SPAN, ExportReport
from desktop.core.formats.selection import Selected, Selection, iter_selected
from desktop.core.formats.spacy_tokens import Tokens, make_doc
from desktop.core.records import FactRecord

if TYPE_CHECKING:
    from desktop.core.store import Store

_TOKEN = '{"text": %s, "start": %d, "end": %d, "id": %d, "ws": %s}'
_BOOL = ("false", "true")


def tokens_text(text: str, tokens: Tokens) -> str:
    """`json.dumps(tokens_json(text, tokens), ensure_ascii=False)`, written straight from
    the offsets: the tokens are most of a line, and a dict a token costs seconds."""
    enc, bools = encode_basestring, _BOOL
    return (
        "["
        + ", ".join(
            _TOKEN % (enc(text[s:e]), s, e, i, bools[ws])
            for i, (s, e, ws) in enumerate(
                zip(tokens.starts, tokens.ends, tokens.spaces, strict=True)
            )
        )
        + "]"
    )


def tokens_json(text: str, tokens: Tokens) -> list[dict[str, Any]]:
    """The tokens as Prodigy writes them."""
    return [
        {"text": text[s:e], "start": s, "end": e, "id": i, "ws": bool(ws)}
        for i, (s, e, ws) in enumerate(zip(tokens.starts, tokens.ends, tokens.spaces, strict=True))
    ]


def span_json(tokens: Tokens, start: int, end: int, label: str | None) -> dict[str, Any] | None:
    """A span with its token offsets (token_end inclusive), or None if not on tokens."""
    bounds = tokens.bounds(start, end)
    if bounds is None:
        return None
    return {
        "start": start,
        "end": end,
        "token_start": bounds[0],
        "token_end": bounds[1],
        "label": label,
    }


def relations(tokens: Tokens, item: Selected, fact: FactRecord, report: ExportReport) -> list[dict]:
    """The relations of one fact: first spanned argument to each other one."""
    args = []
    for a in fact.arguments:
        if a.start is None or a.end is None:
            report.skip(NO_SPAN, item.source, None, None, a.value or "", f"{fact.type}.{a.role}")
            continue
        span = span_json(tokens, a.start, a.end, a.label or a.role)
        if span is None:
            report.skip(
                MISALIGNED, item.source, a.start, a.end, a.text or "", f"{fact.type}.{a.role}"
            )
        else:
            args.append((a.role, span))
    if len(args) < 2:
        text = item.document.text[fact.evidence_start : fact.evidence_end]
        report.skip(FEW_ARGS, item.source, fact.evidence_start, fact.evidence_end, text, fact.type)
        return []
    (head_role, head), rest = args[0], args[1:]
    return [
        {
            "head": head["token_end"],
            "child": child["token_end"],
            "head_span": head,
            "child_span": child,
            "label": fact.type,
            "head_role": head_role,
            "child_role": role,
            "fact_id": fact.id,
        }
        for role, child in rest
    ]


def _document(item: Selected, report: ExportReport) -> tuple[Tokens, dict[str, Any]]:
    """The tokens of one document and its JSON object without them; spans carry their
    canonical entity's id and name."""
    text = item.document.text
    tokens = Tokens.of(make_doc(text))
    spans = []
    for m in item.mentions:
        span = span_json(tokens, m.start, m.end, m.label)
        if span is None:
            report.skip(MISALIGNED, item.source, m.start, m.end, m.text, m.label)
        else:
            entity_id, entity = item.entities.get(m.id, (None, None))
            span["status"], span["origin"], span["mention_id"] = m.status, m.origin, m.id
            span["entity_id"], span["entity"] = entity_id, entity
            if item.document.page_starts:
                span["page"] = item.document.page_of(m.start)
            spans.append(span)
    rels = [r for f in item.facts for r in relations(tokens, item, f, report)]
    report.count("spans", len(spans))
    report.count("relations", len(rels))
    report.count("facts", len({r["fact_id"] for r in rels}))
    info = item.document.info
    meta = {"source": info.source, "title": info.title, "date": info.published}
    if item.document.page_starts:  # PDF and Word files: where each page starts in the text
        meta["page_starts"] = list(item.document.page_starts)
    return tokens, {"text": text, "spans": spans, "relations": rels, "meta": meta}


def document_json(item: Selected, report: ExportReport) -> dict[str, Any]:
    """The JSON object of one document."""
    tokens, line = _document(item, report)
    return {"text": line["text"], "tokens": tokens_json(line["text"], tokens), **line}


def document_line(item: Selected, report: ExportReport) -> str:
    """`json.dumps(document_json(item, report), ensure_ascii=False)`, the same bytes."""
    tokens, line = _document(item, report)
    dumps = json.dumps
    return (
        f'{{"text": {encode_basestring(line["text"])}, '
        f'"tokens": {tokens_text(line["text"], tokens)}, '
        f'"spans": {dumps(line["spans"], ensure_ascii=False)}, '
        f'"relations": {dumps(line["relations"], ensure_ascii=False)}, '
        f'"meta": {dumps(line["meta"], ensure_ascii=False)}}}'
    )


def export_prodigy(
    store: Store,
    out: Path,
    selection: Selection | None = None,
    *,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """Write one JSON line a selected document and `<out>.report.txt` (atomically)."""
    report = ExportReport("jsonl", out)
    with atomic_text_file(out) as fh:
        for item in iter_selected(store, selection or Selection(), progress, cancelled):
            fh.write(document_line(item, report) + "\n")
            report.count("documents")
    report.write(out.with_name(out.name + ".report.txt"))
    return report
