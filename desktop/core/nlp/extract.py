"""Entity extraction over stored documents: a generator with progress and cancellation."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from desktop.core.facts.candidates import FactCandidate
from desktop.core.facts.extract import extract_facts
from desktop.core.nlp.pipeline import Pipeline, PipelineInfo
from desktop.core.nlp.rules import GAZETTEER_ID, RULE_CONFIDENCE, load_rules
from desktop.core.records import ExtractProgress, ProposedMention
from desktop.core.store import extraction_undo

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from desktop.core.store import Store

NO_FACT_ZONES = ("related",)  # teasers of other stories: no fact is taken from them
CHUNK_CHARS = 100_000  # texts longer than this are cut at line breaks before spaCy sees them
READ_BATCH = 64  # documents read from the store at a time
FAIL_ENV = "FACTDESK_TEST_FAIL_EXTRACTION"  # test hook: documents holding this text fail
log = logging.getLogger(__name__)


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Cut a long text into (offset, piece) pieces of at most `limit` chars, at line breaks."""
    if len(text) <= limit:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            cut = text.rfind("\n", start + 1, end)
            if cut == -1:
                cut = text.rfind(" ", start + 1, end)
            end = cut + 1 if cut != -1 else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _origin(span_id: str, info: PipelineInfo) -> tuple[str, str, float | None]:
    """(origin, extractor, confidence) for an entity, from the rule id on its span."""
    if not span_id:
        return "model", info.extractor, None
    if span_id.startswith("+"):  # a model entity a fix rule trimmed or split
        return "model", info.extractor + span_id, None
    rule_set = span_id.split(":", 1)[0]
    names = load_rules().person_names
    confidence = RULE_CONFIDENCE.get(rule_set)
    if rule_set == names["version"]:
        confidence = float(names.get("confidence", 0.85))
    return "rule", span_id, confidence


def proposals_from_doc(doc: Doc, offset: int, info: PipelineInfo) -> list[ProposedMention]:
    """The entities of a processed piece as proposals, in document offsets."""
    out = []
    for ent in doc.ents:
        origin, extractor, confidence = _origin(ent.id_, info)
        out.append(
            ProposedMention(
                start=ent.start_char + offset,
                end=ent.end_char + offset,
                label=ent.label_,
                text=ent.text,
                origin=origin,
                extractor=extractor,
                confidence=confidence,
            )
        )
    return out


def shift(fact: FactCandidate, offset: int) -> FactCandidate:
    """A fact found in a piece of a long text, in whole-document offsets."""
    if not offset:
        return fact
    args = tuple(replace(a, start=a.start + offset, end=a.end + offset) for a in fact.arguments)
    return replace(
        fact,
        evidence_start=fact.evidence_start + offset,
        evidence_end=fact.evidence_end + offset,
        arguments=args,
    )


def in_zones(fact: FactCandidate, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a fact's evidence or any argument overlaps one of the spans."""
    edges = [(fact.evidence_start, fact.evidence_end)]
    edges += [(a.start, a.end) for a in fact.arguments if a.start is not None and a.end is not None]
    return any(s < z_end and z_start < e for s, e in edges for z_start, z_end in spans)


def _batches(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _why(stage: str, exc: BaseException) -> str:
    """A one-line reason for a failed document: the stage, the error's type and message."""
    message = " ".join(str(exc).split())[:300]
    return f"{stage}: {type(exc).__name__}" + (f": {message}" if message else "")


def _parse(
    nlp: Language, pieces: list[tuple[int, int, str]], batch_size: int
) -> Iterator[Doc | BaseException]:
    """One Doc (or the error it raised) per piece, in order. Pieces go through `nlp.pipe`
    in batches; if a batch fails, its pieces are parsed one by one so that only the piece
    that fails is lost."""
    done = 0
    try:
        for doc in nlp.pipe((p[2] for p in pieces), batch_size=batch_size):
            done += 1
            yield doc
    except Exception:
        log.debug("nlp.pipe failed after %d pieces; parsing the rest one by one", done)
        for _doc_id, _off, piece in pieces[done:]:
            try:
                yield nlp(piece)
            except Exception as exc:
                yield exc


def _forced_failure(text: str) -> None:
    """The test hook: fail a document whose text holds the marker in FAIL_ENV."""
    marker = os.environ.get(FAIL_ENV)
    if marker and marker in text:
        raise RuntimeError(f"failure forced by {FAIL_ENV}")


def extract(
    store: Store,
    pipeline: Pipeline,
    *,
    document_ids: Sequence[int] | None = None,
    everything: bool = False,
    batch_size: int = 32,
    cancelled: Callable[[], bool] = lambda: False,
    facts: bool = True,
    step: str | None = None,
) -> Iterator[ExtractProgress]:
    """Propose mentions for documents; yields after each document is stored or failed.

    Without ids, only documents never extracted (or whose last try failed) are
    processed (all with `everything`). Each document's proposals land in one
    transaction, so a cancelled or killed run leaves every document either done or
    untouched. A document that fails in the model, a rule or the write is recorded
    with the reason (`ExtractProgress.failed`), keeps its pending state, and the others
    go on. A run an analyst started (`step`, its name) is one undo step
    (store/extraction_undo.py), found by `extraction_step(store, run_id)`.
    """
    store.runs.reap()
    ids = (
        list(dict.fromkeys(document_ids))  # each once, so that progress reaches its total
        if document_ids is not None
        else store.documents.ids(pending_extraction=not everything)
    )
    info = pipeline.info
    run_id = store.runs.start(info.name, info.version, info.rules_version, list(info.components))
    undo_step = extraction_undo.open_step(store.engine, run_id, step) if step else None
    done = inserted_total = failed = 0
    status = "failed"
    try:
        for batch in _batches(ids, READ_BATCH):
            rows = store.documents.for_extraction(list(batch))
            sources = {i.id: i.source for i in store.documents.infos(list(batch))}
            published = {doc_id: date for doc_id, _text, date in rows}
            related = store.documents.zone_spans(list(batch), NO_FACT_ZONES)
            pieces = [
                (doc_id, off, piece)
                for doc_id, text, _date in rows
                for off, piece in split_text(text)
            ]
            pending: list[ProposedMention] = []
            found: list[FactCandidate] = []
            problem: str | None = None
            parsed = _parse(pipeline.nlp, pieces, batch_size)
            for index, ((doc_id, off, piece), doc) in enumerate(zip(pieces, parsed, strict=True)):
                if problem is None:
                    problem = _one_piece(
                        doc, off, piece, info, facts, published[doc_id], pending, found
                    )
                last_piece = index + 1 == len(pieces) or pieces[index + 1][0] != doc_id
                if not last_piece:
                    continue
                if cancelled():
                    status = "cancelled"
                    return
                source = sources.get(doc_id, f"document {doc_id}")
                if problem is None:
                    found = [f for f in found if not in_zones(f, related.get(doc_id, ()))]
                    try:
                        outcome = store.mentions.replace_proposals(
                            doc_id, pending, run_id, facts=found if facts else None, step=undo_step
                        )
                    except Exception as exc:
                        log.debug("writing the proposals of %s failed", source, exc_info=True)
                        problem = _why("write", exc)
                pending, found = [], []
                done += 1
                if problem is not None:
                    failed += 1
                    log.warning("extraction failed for %s: %s", source, problem)
                    store.documents.set_extraction_error(doc_id, problem)
                    yield ExtractProgress(
                        run_id, done, len(ids), doc_id, 0, 0, 0, source=source, failed=problem
                    )
                    problem = None
                    continue
                inserted_total += outcome.inserted
                yield ExtractProgress(
                    run_id,
                    done,
                    len(ids),
                    doc_id,
                    outcome.inserted,
                    outcome.removed,
                    outcome.facts_inserted,
                    source=source,
                )
        status = "done"
    except GeneratorExit:
        status = "cancelled"
        raise
    finally:
        store.runs.finish(run_id, status, done, inserted_total, failed)
        if undo_step is not None and step is not None:
            extraction_undo.close_step(store.engine, undo_step, done - failed, step)


def extraction_step(store: Store, run_id: int) -> int | None:
    """The undo step of an analyst's run, if it wrote anything."""
    return extraction_undo.step_of_run(store.engine, run_id)


def _one_piece(
    doc: Doc | BaseException,
    off: int,
    piece: str,
    info: PipelineInfo,
    facts: bool,
    published: str | None,
    pending: list[ProposedMention],
    found: list[FactCandidate],
) -> str | None:
    """Add a parsed piece's proposals and facts; the reason if the piece failed."""
    if isinstance(doc, BaseException):
        log.debug("the pipeline failed on a piece", exc_info=doc)
        return _why("model", doc)
    try:
        _forced_failure(piece)
        pending.extend(proposals_from_doc(doc, off, info))
        if facts:
            found.extend(shift(f, off) for f in extract_facts(doc, published))
    except Exception as exc:
        log.debug("the rules failed on a piece", exc_info=True)
        return _why("rules", exc)
    return None


__all__ = [
    "FAIL_ENV",
    "GAZETTEER_ID",
    "ExtractProgress",
    "extract",
    "extraction_step",
    "proposals_from_doc",
    "split_text",
]
