"""Entity extraction over stored documents: a generator with progress and cancellation."""

from __future__ import annotations

import logging
import multiprocessing
import os
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from desktop.core.facts.calibration import calibrated
from desktop.core.facts.candidates import ArgCandidate, FactCandidate
from desktop.core.facts.extract import extract_facts
from desktop.core.facts.requirements import missing
from desktop.core.learning import gazetteer
from desktop.core.nlp.pipeline import Pipeline, PipelineInfo
from desktop.core.nlp.rules import GAZETTEER_ID, RULE_CONFIDENCE, load_rules
from desktop.core.records import ExtractProgress, ProposedMention
from desktop.core.store import extraction_undo

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from desktop.core.learning.learned import Learned
    from desktop.core.store import Store

NO_FACT_ZONES = ("related",)  # teasers of other stories: no fact is taken from them
NO_ARGUMENT_ZONES = ("dateline",)  # the place and agency of filing: no fact argument
RESTATING_ZONES = ("headline",)  # a fact here is dropped when the body tells one of its type
CHUNK_CHARS = 100_000  # texts longer than this are cut at line breaks before spaCy sees them
READ_BATCH = 64  # documents read from the store at a time
PROCESSES_ENV = "FACTDESK_EXTRACT_PROCESSES"  # how many model processes (default: up to 2)
PARALLEL_FROM = 100  # documents: fewer are not worth starting a second process for
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
    learned = gazetteer.origin_of(span_id)
    if learned is not None:  # a name the analyst confirmed, found again
        return learned[:3]
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
                entity_id=gazetteer.entity_of(ent.id_),
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


def without_dateline_arguments(
    fact: FactCandidate, datelines: Sequence[tuple[int, int]]
) -> FactCandidate | None:
    """A fact without the arguments lying in a dateline ("BANDAR SERI BEGAWAN, 12 May -",
    "Vientiane (KPL) -": the place of filing and the agency are no participant, party or
    date of what the story tells); None when what is left falls short of its type."""
    if not datelines:
        return fact
    kept = []
    for a in fact.arguments:
        for s, e in datelines:
            if s < a.end and a.start < e:
                a = _cut(a, s, e)  # type: ignore[assignment]
                if a is None:
                    break
        if a is not None:
            kept.append(a)
    if kept == list(fact.arguments):
        return fact
    if missing(fact.type, (a.role for a in kept)) is not None:
        return None
    return replace(fact, arguments=tuple(kept))


def _cut(a: ArgCandidate, start: int, end: int) -> ArgCandidate | None:
    """An argument without the part of it in a zone; None when nothing of it is left
    (a quotation running on from a dateline keeps what follows the dateline)."""
    if start <= a.start and a.end <= end:
        return None
    if a.start < end < a.end and a.start >= start:
        rest = a.text[end - a.start :]
        shift = len(rest) - len(rest.lstrip())
        rest = rest.strip()
        return replace(a, start=end + shift, text=rest) if rest else None
    return a


def zone_filtered(
    facts: Iterable[FactCandidate],
    related: Sequence[tuple[int, int]],
    datelines: Sequence[tuple[int, int]],
    headlines: Sequence[tuple[int, int]] = (),
) -> tuple[list[FactCandidate], int]:
    """(the facts extraction keeps, how many touched a related-story zone): no fact from a
    related zone, no argument from a dateline, and no headline fact of a type the body
    tells (the headline says in short what the story then says in full)."""
    kept, dropped = [], 0
    for fact in facts:
        if in_zones(fact, related):
            dropped += 1
            continue
        clean = without_dateline_arguments(fact, datelines)
        if clean is not None:
            kept.append(clean)
    told = {f.type for f in kept if not _evidence_in(f, headlines)}
    return [f for f in kept if f.type not in told or not _evidence_in(f, headlines)], dropped


def _evidence_in(fact: FactCandidate, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a fact's evidence starts inside one of the spans."""
    return any(s <= fact.evidence_start < e for s, e in spans)


def _batches(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _why(stage: str, exc: BaseException) -> str:
    """A one-line reason for a failed document: the stage, the error's type and message."""
    message = " ".join(str(exc).split())[:300]
    return f"{stage}: {type(exc).__name__}" + (f": {message}" if message else "")


Piece = tuple[int, int, str]  # document id, offset in the document, text


def _parse(
    nlp: Language, pieces: Iterator[Piece], batch_size: int, n_process: int = 1
) -> Iterator[tuple[Piece, Doc | BaseException]]:
    """Each piece with its Doc (or the error it raised), in order, through one `nlp.pipe`
    over the whole stream (on `n_process` processes). If the pipe fails, the pieces it held
    are parsed one by one here, so that only the piece that fails is lost, and the pipe goes
    on with the rest. An error reading the pieces themselves goes on to the caller."""
    flight: deque[Piece] = deque()  # handed to the pipe, not yet given back
    redo: list[Piece] = []  # a worker's batch that failed, parsed here one by one
    feed_error: list[BaseException] = []

    def feed() -> Iterator[str]:
        try:
            for piece in pieces:
                flight.append(piece)
                yield piece[2]
        except Exception as exc:  # not the model's: raised again below
            feed_error.append(exc)

    def one_by_one(todo: list[Piece]) -> Iterator[tuple[Piece, Doc | BaseException]]:
        for piece in todo:
            try:
                yield piece, nlp(piece[2])
            except Exception as exc:
                yield piece, exc

    source = feed()
    if n_process > 1:
        yield from _parse_workers(nlp, source, flight, redo, batch_size, n_process, one_by_one)
    else:
        while True:
            try:
                for doc in nlp.pipe(source, batch_size=batch_size):
                    yield flight.popleft(), doc
                break
            except Exception:
                if feed_error:
                    break
                log.debug("nlp.pipe failed; parsing its %d pieces one by one", len(flight))
            todo = list(flight)
            flight.clear()
            yield from one_by_one(todo)
    if feed_error:
        raise feed_error[0]


def _parse_workers(nlp, source, flight, redo, batch_size, n_process, one_by_one):  # type: ignore[no-untyped-def]
    """`_parse` with the model in worker processes. A worker's failure costs its batch,
    which is parsed here one by one; stopping early ends the workers first (spaCy would
    wait for them, and they can be blocked sending what nobody reads any more)."""
    main = os.getpid()

    def on_error(_name, _proc, _docs, exc):  # type: ignore[no-untyped-def]
        if os.getpid() != main:
            raise exc  # in a worker: the batch fails whole, and says so to the main process
        redo.extend(flight.popleft() for _ in range(min(batch_size, len(flight))))

    before = set(multiprocessing.active_children())
    kept = nlp.default_error_handler
    nlp.default_error_handler = on_error
    pipe = nlp.pipe(source, batch_size=batch_size, n_process=n_process)

    def here(todo: list) -> Iterator:  # with spaCy's own handler: a failing piece raises
        nlp.default_error_handler = kept
        try:
            yield from one_by_one(todo)
        finally:
            nlp.default_error_handler = on_error

    finished = False
    try:
        for doc in pipe:
            if redo:
                todo = redo[:]
                redo.clear()
                yield from here(todo)
            yield flight.popleft(), doc
        finished = True
        if redo:
            yield from here(redo[:])
    finally:
        nlp.default_error_handler = kept
        if not finished:
            for proc in set(multiprocessing.active_children()) - before:
                proc.terminate()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # spaCy's note that a worker did not exit 0
                pipe.close()


def processes_for(documents: int) -> int:
    """How many processes the model should run on for a run of `documents` documents: two
    where there are two cores and enough work, else one; FACTDESK_EXTRACT_PROCESSES sets it."""
    wanted = os.environ.get(PROCESSES_ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 if (cores or 1) >= 2 and documents >= PARALLEL_FROM else 1


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
    n_process: int = 1,
    learned: Learned | None = None,
) -> Iterator[ExtractProgress]:
    """Propose mentions for documents; yields after each document is stored or failed.

    Without ids, only documents never extracted (or whose last try failed) are
    processed (all with `everything`). Each document's proposals land in one
    transaction, so a cancelled or killed run leaves every document either done or
    untouched. A document that fails in the model, a rule or the write is recorded
    with the reason (`ExtractProgress.failed`), keeps its pending state, and the others
    go on. A run an analyst started (`step`, its name) is one undo step
    (store/extraction_undo.py), found by `extraction_step(store, run_id)`. With
    `n_process` > 1 the model runs in that many worker processes (spaCy's `nlp.pipe`)
    while this one applies the fact rules and writes, with the same results. What the
    project learned from the analyst (`learned`, read from the store when None) adds the
    names it knows and drops the rejections it remembers (desktop/core/learning).
    """
    store.runs.reap()
    ids = (
        list(dict.fromkeys(document_ids))  # each once, so that progress reaches its total
        if document_ids is not None
        else store.documents.ids(pending_extraction=not everything)
    )
    info = pipeline.info
    if learned is None:
        from desktop.core.learning.learned import for_pipeline

        learned = for_pipeline(store, pipeline.nlp)
    run_id = store.runs.start(info.name, info.version, info.rules_version, list(info.components))
    undo_step = extraction_undo.open_step(store.engine, run_id, step) if step else None
    done = inserted_total = failed = 0
    status = "failed"
    # document id -> [source, published, (related, dateline, headline zones), pieces to parse]
    about: dict[int, list] = {}

    def pieces() -> Iterator[Piece]:
        """The documents' pieces, read from the store as the pipe asks for them."""
        for batch in _batches(ids, READ_BATCH):
            rows = store.documents.for_extraction(list(batch))
            sources = {i.id: i.source for i in store.documents.infos(list(batch))}
            related = store.documents.zone_spans(list(batch), NO_FACT_ZONES)
            datelines = store.documents.zone_spans(list(batch), NO_ARGUMENT_ZONES)
            headlines = store.documents.zone_spans(list(batch), RESTATING_ZONES)
            kinds = store.learning.zone_kinds(list(batch)) if not learned.empty else {}
            for doc_id, text, date in rows:
                parts = split_text(text)
                source = sources.get(doc_id, f"document {doc_id}")
                zones = (
                    related.get(doc_id, ()),
                    datelines.get(doc_id, ()),
                    headlines.get(doc_id, ()),
                )
                about[doc_id] = [source, date, zones, len(parts), kinds.get(doc_id, [])]
                for off, piece in parts:
                    yield doc_id, off, piece

    pending: list[ProposedMention] = []
    found: list[FactCandidate] = []
    problem: str | None = None
    parsed = _parse(pipeline.nlp, pieces(), batch_size, n_process)
    try:
        for (doc_id, off, piece), doc in parsed:
            source, published, zones, left, kinds = about[doc_id]
            if problem is None:
                problem = _one_piece(
                    doc, off, piece, info, facts, published, pending, found, (learned, kinds)
                )
            about[doc_id][3] = left = left - 1
            if left:
                continue
            del about[doc_id]
            if cancelled():
                status = "cancelled"
                return
            if problem is None:
                found = zone_filtered(found, *zones)[0]
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
        parsed.close()  # stops the pipe (and its worker processes) when cut short
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
    learned: tuple[Learned, Sequence[tuple[int, int, str]]] | None = None,
) -> str | None:
    """Add a parsed piece's proposals and facts; the reason if the piece failed. `learned`
    is what the project learned and the document's zones (start, end, kind)."""
    if isinstance(doc, BaseException):
        log.debug("the pipeline failed on a piece", exc_info=doc)
        return _why("model", doc)
    try:
        _forced_failure(piece)
        if learned is not None:
            learned[0].apply(doc, off, learned[1])
        pending.extend(proposals_from_doc(doc, off, info))
        if facts:
            found.extend(shift(calibrated(f), off) for f in extract_facts(doc, published))
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
    "processes_for",
    "proposals_from_doc",
    "split_text",
    "without_dateline_arguments",
    "zone_filtered",
]
