"""The `factdesk` command line: headless ingest, extraction, search, stats and export."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack, closing
from dataclasses import asdict
from pathlib import Path

from desktop import __version__

EXIT_OK, EXIT_REFUSED, EXIT_ERROR = 0, 1, 2
EXIT_EMPTY = 1  # an export that matched nothing (and wrote nothing)
EXIT_PIPE = 141  # the reader closed our output (128 + SIGPIPE, as the shell reports)
DEBUG_HELP = "show tracebacks and debug logging (for a bug report)"
ANALYST_HELP = (
    "who makes the changes, written on each one (default: $FACTDESK_ANALYST, else the OS user name)"
)
NO_MODEL_HELP = "use the domain rules without spaCy's model"


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 2."""


class _NoBar:
    """What tqdm's bar does with `disable=None` when stderr is no terminal: count, show
    nothing. Then tqdm (and the importlib.metadata it loads, 0.05-0.1 s) is not imported."""

    def __init__(self) -> None:
        self.n = 0

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        self.n += n

    def clear(self) -> None:
        return None


def _progress(total: int, unit: str, desc: str):  # type: ignore[no-untyped-def]
    """A progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, disable=None, leave=False)


def _open_store(project: str, create: bool = True):  # type: ignore[no-untyped-def]
    from desktop.core.store import ProjectError, Store

    try:
        return Store.open(project, create=create)
    except ProjectError as exc:
        raise CliError(str(exc)) from exc


def _plain_reader(project: str):  # type: ignore[no-untyped-def]
    """A read-only sqlite3 connection when the project is a file at the newest schema,
    else None (then the command goes through the store, which migrates or explains).
    Read-only commands take this path: no SQLAlchemy, SQLModel or Alembic is imported."""
    from desktop.core.store.plain_reads import open_current

    return open_current(project)


def _load_pipeline(no_model: bool, store=None):  # type: ignore[no-untyped-def]
    from desktop.core.learning.choice import pipeline_for
    from desktop.core.learning.models_dir import ModelsError
    from desktop.core.nlp.pipeline import load_pipeline

    try:  # the project's chosen model (factdesk train --use), else the shipped one
        pipeline = (
            pipeline_for(store, use_model=not no_model)
            if store is not None
            else load_pipeline(use_model=not no_model)
        )
    except ModelsError as exc:
        raise CliError(str(exc)) from exc
    if pipeline.info.fallback:
        print(
            f"note: {pipeline.info.label}; entities come from the domain rules alone",
            file=sys.stderr,
        )
    return pipeline


def run_extract(
    store,
    everything: bool,
    no_model: bool,
    ids: Sequence[int] | None = None,
    step: str | None = None,
) -> int:  # type: ignore[no-untyped-def]
    """Extract with a progress bar, one line per document that failed; returns how many
    failed (they stay pending, and the next `extract` tries them again). With `step` the
    run is one undo step of that name (the window's Edit › Undo takes it back)."""
    from desktop.core.nlp.extract import extract, processes_for

    todo = list(ids) if ids is not None else store.documents.ids(pending_extraction=not everything)
    if not todo:
        print(
            "extract: nothing to do (every document is extracted; --all re-runs)", file=sys.stderr
        )
        return 0
    pipeline = _load_pipeline(no_model, store)
    inserted = removed = 0
    failed: list[str] = []
    with _progress(len(todo), "doc", "extracting") as bar:
        processes = processes_for(len(todo))  # the model on both cores of a two-core machine
        for done in extract(store, pipeline, document_ids=todo, step=step, n_process=processes):
            inserted += done.inserted
            removed += done.removed
            if done.failed is not None:
                failed.append(done.source)
                bar.clear()
                print(f"extract: failed: {done.source}: {done.failed}", file=sys.stderr)
            bar.update(1)
    from desktop.core.entities.resolve import resolve

    resolve(store)  # link the new mentions to canonical entities
    tail = (
        f"; {len(failed)} failed (kept pending: `factdesk extract` tries them again)"
        if failed
        else ""
    )
    print(
        f"extracted {len(todo) - len(failed)} of {len(todo)} documents with "
        f"{pipeline.info.label}: {inserted} new proposals, {removed} withdrawn{tail}",
        file=sys.stderr,
    )
    return len(failed)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Import files and folders, then extract the new documents."""
    from desktop.core.ingest.importer import collect_files, ingest

    counts = {"imported": 0, "duplicate": 0, "empty": 0, "refused": 0}
    new_ids: list[int] = []
    with _open_store(args.project) as store:
        with _progress(len(collect_files(args.paths)), "file", "importing") as bar:
            last = 0
            for event in ingest(store, args.paths):
                counts[event.kind] = counts.get(event.kind, 0) + 1
                if event.kind == "imported" and event.document_id is not None:
                    new_ids.append(event.document_id)
                if event.kind in ("refused", "empty", "duplicate"):
                    bar.clear()
                    prefix = "refused: " if event.kind == "refused" else ""
                    print(prefix + event.line(), file=sys.stderr)
                bar.update(event.done - last)
                last = event.done
        print(
            f"ingest: {counts['imported']} imported, {counts['duplicate']} already present, "
            f"{counts['empty']} empty skipped, {counts['refused']} files refused",
            file=sys.stderr,
        )
        failed = 0
        if new_ids and not args.no_extract:
            failed = run_extract(store, everything=False, no_model=args.no_model, ids=new_ids)
    return EXIT_REFUSED if counts["refused"] or failed else EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    """(Re)run extraction."""
    with _open_store(args.project, create=False) as store:
        name = "Re-extract all (command line)" if args.all else "Extract (command line)"
        failed = run_extract(store, everything=args.all, no_model=args.no_model, step=name)
    return EXIT_REFUSED if failed else EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """Print counts over the project."""
    plain = _plain_reader(args.project)
    if plain is not None:
        from desktop.core.store.plain_reads import project_stats

        with closing(plain):
            stats = project_stats(plain)
    else:
        with _open_store(args.project, create=False) as store:
            stats = store.stats()
    if args.json:
        print(json.dumps(asdict(stats), indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"documents: {stats.documents} ({stats.pending_extraction} not yet extracted)")
    print(f"mentions: {stats.mentions}")
    for title, counts in (
        ("status", stats.by_status),
        ("origin", stats.by_origin),
        ("label", stats.by_label),
        ("zones", stats.zones),
        ("fact type", stats.facts),
    ):
        if counts:
            print(f"  by {title}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if stats.last_run:
        run = stats.last_run
        print(
            f"last run: #{run.id} {run.pipeline} {run.pipeline_version} ({run.rules_version}), "
            f"{run.status}, {run.document_count} documents"
            + (f" ({run.failed_count} failed)" if run.failed_count else "")
            + f", {run.started_at}"
        )
    if stats.extraction_failed:
        print(f"extraction failed: {len(stats.extraction_failed)} documents (pending)")
        for source, reason in stats.extraction_failed:
            print(f"  {source}: {reason}")
    print(f"schema: {stats.schema_revision}")
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    """Full-text search, one line per matching document."""
    plain = _plain_reader(args.project)
    if plain is not None:
        from desktop.core.store.search import search_connection

        with closing(plain):
            hits = search_connection(plain, args.query, limit=args.limit)
    else:
        with _open_store(args.project, create=False) as store:
            hits = store.search(args.query, limit=args.limit)
    for hit in hits:
        print(f"{hit.source}\t{hit.title or ''}\t{hit.snippet}")
    if not hits:
        print(f"no documents match {args.query!r}", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write a dataset; print and save the report of what it holds and what it left out.

    Exits non-zero, writing nothing, when no item passes the filters."""
    from desktop.core.formats.run import UnknownDocument, run_export
    from desktop.core.formats.selection import Selection

    selection = Selection.of(
        statuses=args.status or ["accepted"],
        include_human=not args.no_human,
        tags=args.tag,
        labels=args.label,
        fact_types=args.type,
        zones=args.zone,
        documents=args.document,
        include_boilerplate=args.include_boilerplate,
    )
    options: dict[str, object] = {}
    if args.format == "spacy":
        options = {
            "dev_fraction": args.dev_fraction,
            "seed": args.seed,
            "by_sentence": args.by_sentence,
        }
    elif args.format == "entities-jsonl":
        options = {"kind": args.kind}
    out = Path(args.out)
    # Exports only read, but entities-jsonl resolves entities first (a write): the store.
    plain = _plain_reader(args.project) if args.format != "entities-jsonl" else None
    with ExitStack() as stack:
        if plain is not None:
            from desktop.core.store.export_reads import ReadOnlyProject

            stack.enter_context(closing(plain))
            store = ReadOnlyProject.of(plain, args.project)
        else:
            store = stack.enter_context(_open_store(args.project, create=False))
        if args.agreed_with:
            selection = _agreed(store, args, selection)
        bar = stack.enter_context(_progress(store.exports.count(), "doc", "exporting"))
        try:
            report = run_export(
                store,  # type: ignore[arg-type]
                args.format,
                out,
                selection,
                progress=lambda done, total: bar.update(done - bar.n),
                **options,
            )
        except UnknownDocument as exc:
            raise CliError(f"{exc} (nothing was written)") from exc
    if report.empty is not None:
        hint = "; `--status proposed` includes proposals" if report.proposed else ""
        print(f"export: {report.empty}{hint}. Nothing was written.", file=sys.stderr)
        return EXIT_EMPTY
    print(report.text(), file=sys.stderr)
    return EXIT_OK


def cmd_entities(args: argparse.Namespace) -> int:
    """List canonical entities with their names and counts. The stored resolution is
    read as it is unless something it depends on changed since (then it is redone)."""
    resolved = False
    plain = _plain_reader(args.project)
    if plain is not None:
        from desktop.core.store.plain_reads import (
            entity_list,
            resolution_is_current,
            stored_entity_list,
        )

        with closing(plain):
            entities = None if args.proposals else stored_entity_list(plain, args.kind)
            if entities is None:
                resolved = resolution_is_current(plain)
                if resolved and not args.proposals:
                    entities = entity_list(plain, args.kind)
        if entities is not None:
            _print_entities(entities)
            return EXIT_OK
    from desktop.core.entities.proposals import merge_proposals
    from desktop.core.entities.resolve import resolve

    with _open_store(args.project, create=False) as store:
        if not resolved:
            resolve(store)
        if args.proposals:  # score, kind, the two preferred names, why
            for p in merge_proposals(store, args.kind):
                print(f"{p.score:.2f}\t{p.kind}\t{p.a_name}\t{p.b_name}\t{p.reason}")
            return EXIT_OK
        entities = store.entities.list(args.kind)
    _print_entities(entities)
    return EXIT_OK


def _print_entities(entities) -> None:  # type: ignore[no-untyped-def]
    """One line an entity: id, kind, name, counts, the other names it is written as."""
    for e in entities:
        aliases = "; ".join(e.aliases)
        print(
            f"{e.id}\t{e.kind}\t{e.preferred_name}\t{e.mention_count} mentions\t"
            f"{e.document_count} documents\t{aliases}"
        )


def cmd_import(args: argparse.Namespace) -> int:
    """Import annotated documents made by another tool. A project file at the newest schema
    is written with sqlite3 alone (no SQLAlchemy or SQLModel to load); the store opens only
    for what that leaves: a migration, a server database, documents the project held."""
    from desktop.core.formats.imports import import_file
    from desktop.core.ingest.errors import RefusedFile
    from desktop.core.store.imports import open_plain

    plain = open_plain(args.project)
    with plain or _open_store(args.project) as store:
        try:
            report = import_file(store, args.format, Path(args.path))
        except RefusedFile as exc:
            raise CliError(f"{exc} (nothing was imported)") from exc
    if report.unresolved_ids:  # documents already in the project: resolved as before
        from desktop.core.entities.resolve import resolve_documents

        with _open_store(args.project) as store:
            resolve_documents(store, report.unresolved_ids)
    print(
        f"import: {report.documents_added} new documents, {report.documents_matched} already "
        f"present; {report.mentions_added} spans, {report.facts_added} relations/events added "
        f"({report.mentions_skipped} duplicate spans skipped)",
        file=sys.stderr,
    )
    for source, problems in report.mismatches.items():
        for problem in problems:
            print(f"import: {source}: {problem}", file=sys.stderr)
    return EXIT_REFUSED if report.mismatches else EXIT_OK


def _agreed(store, args: argparse.Namespace, selection):  # type: ignore[no-untyped-def]
    """The selection narrowed to the items the --agreed-with layers hold too."""
    from dataclasses import replace

    from desktop.core.agreement import AgreementError
    from desktop.core.agreement.agreed import agreed_with_files

    try:
        agreed = agreed_with_files(
            store,
            args.agreed_with,
            args.agreed_format,
            statuses=selection.statuses,
            include_human=selection.include_human,
        )
    except AgreementError as exc:
        raise CliError(f"{exc} (nothing was written)") from exc
    return replace(selection, agreed=agreed)


def cmd_agreement(args: argparse.Namespace) -> int:
    """Compare the annotations of a project with other projects' or exports' on the
    documents they share (matched by text)."""
    from desktop.core.agreement import AgreementError
    from desktop.core.agreement.files import open_any
    from desktop.core.agreement.many import compare_many
    from desktop.core.agreement.report import is_empty, panel_json, panel_text, write_csv

    chosen = {"statuses": args.status or ["accepted"], "include_human": not args.no_human}
    try:
        layers = [open_any(args.project, "project", **chosen)]  # type: ignore[arg-type]
        layers += [open_any(p, args.with_format, **chosen) for p in args.with_project]  # type: ignore[arg-type]
        panel = compare_many(layers)
    except AgreementError as exc:
        raise CliError(str(exc)) from exc
    print(panel_json(panel) if args.json else panel_text(panel))
    if args.csv:
        rows = write_csv(panel, args.csv)
        print(f"agreement: {rows} rows written to {args.csv}", file=sys.stderr)
    if all(is_empty(g) for g in panel.pairs):
        print(
            "agreement: neither project has a span or fact that counts "
            "(accepted or analyst-added; --status proposed adds the proposals)",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    """Train a project model on the reviewed documents (desktop/core/learning)."""
    from desktop.core.learning.train_report import run_training

    with _open_store(args.project, create=False) as store:
        return run_training(store, args, CliError)


def cmd_model(args: argparse.Namespace) -> int:
    """List the models a project can extract with; --use chooses one (base: the shipped)."""
    from desktop.core.learning.model_report import run_model

    with _open_store(args.project, create=False) as store:
        return run_model(store, args, CliError)


def cmd_open(args: argparse.Namespace) -> int:
    """Open the desktop window on an existing project."""
    with _open_store(args.project_file, create=False):
        pass  # a missing or foreign file is one line here, not a dialog
    from desktop.app import main as app_main

    return app_main([args.project_file])


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring a project's schema (a file or a server database) to this version's newest."""
    from desktop.core.store import db
    from desktop.core.store.copy import shown

    where, before = shown(args.project), None
    if "://" in args.project or Path(args.project).expanduser().is_file():
        engine = db.create_engine(args.project)
        try:
            before = db.current_revision(engine)
        except Exception as exc:  # the server's own words: refused, no such database ...
            if "://" in args.project:
                reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
                raise CliError(f"{where}: cannot connect ({reason})") from exc
        finally:  # a file that is no project: the store's open says so below
            engine.dispose()
    with _open_store(args.project) as store:
        head = store.schema_revision()
    if before == head:
        print(f"migrate: {where} is at schema {head}, the newest: nothing to do", file=sys.stderr)
    else:
        print(f"migrate: {where} from schema {before or '(none)'} to {head}", file=sys.stderr)
    return EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    """Copy a whole project into an empty file or database (SQLite <-> PostgreSQL)."""
    from desktop.core.store.copy import CopyError, copy_project, shown

    last: dict[str, int] = {}

    def progress(table: str, done: int, total: int) -> None:
        if done == total and last.get(table) != done:
            print(f"copy: {table}: {done} rows", file=sys.stderr)
        last[table] = done

    try:
        copied = copy_project(args.source, args.target, progress)
    except CopyError as exc:
        raise CliError(str(exc)) from exc
    print(
        f"copy: {sum(copied.values())} rows in {len(copied)} tables copied from "
        f"{shown(args.source)} to {shown(args.target)}",
        file=sys.stderr,
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="factdesk", description="Extract, correct and export entities and facts from news."
    )
    parser.add_argument("--version", action="version", version=f"factdesk {__version__}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    parser.add_argument("--analyst", metavar="NAME", help=ANALYST_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument(
            "--project", "-p", required=True, help="project file (SQLite) or postgresql:// URL"
        )
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
        p.add_argument("--analyst", metavar="NAME", default=argparse.SUPPRESS, help=ANALYST_HELP)
        return p

    p = command(
        "ingest",
        "import documents (txt, md, html, jsonl, csv, pdf, docx; folders recursively) "
        "and extract entities from them",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to import")
    p.add_argument("--no-extract", action="store_true", help="import only")
    p.add_argument(
        "--no-model", action="store_true", help="use the domain rules without spaCy's model"
    )
    p.set_defaults(func=cmd_ingest)

    p = command("extract", "propose entity mentions for documents not yet extracted")
    p.add_argument("--all", action="store_true", help="re-run over every document")
    p.add_argument(
        "--no-model", action="store_true", help="use the domain rules without spaCy's model"
    )
    p.set_defaults(func=cmd_extract)

    p = command(
        "train",
        "fine-tune the model's NER on the reviewed documents; scores it against the shipped "
        "model on held-out reviewed documents",
    )
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--use", action="store_true", help="then extract with the new model")
    p.add_argument("--epochs", type=int, help="passes over the data (default: the config's)")
    p.set_defaults(func=cmd_train)

    p = command(
        "model",
        "list the shipped model and the project's trained models (* extracts); "
        "--use base goes back to the shipped model",
    )
    p.add_argument("--use", metavar="MODEL", help="base, latest or a model id: it extracts next")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_model)

    p = command("stats", "print counts of documents, mentions and runs")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_stats)

    p = command(
        "search", "full-text search, folding case and diacritics ('da nang' finds 'Đà Nẵng')"
    )
    p.add_argument("query", help='words (all must match), "a phrase", or a prefix*')
    p.add_argument("--limit", type=int, default=50, help="at most this many documents")
    p.set_defaults(func=cmd_search)

    p = command("entities", "list canonical entities (names folded and linked across documents)")
    p.add_argument("--kind", choices=["person", "organization", "place", "group", "event"])
    p.add_argument(
        "--proposals",
        action="store_true",
        help="list the pending merge proposals instead (score, kind, names, reason)",
    )
    p.set_defaults(func=cmd_entities)

    p = command(
        "import",
        "import annotated documents from doccano, Label Studio, brat, Prodigy or CoNLL files",
    )
    p.add_argument(
        "--format",
        "-f",
        required=True,
        choices=["doccano", "label-studio", "brat", "prodigy", "conll"],
    )
    p.add_argument("path", metavar="PATH", help="the exported file (or brat folder)")
    p.set_defaults(func=cmd_import)

    p = command("migrate", "create or upgrade a project's tables (a file or a server database)")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "copy",
        help="copy a whole project into a new file or an empty database (SQLite <-> PostgreSQL)",
        description="Copy a whole project (every table, undo history included) into a new "
        "file or an empty database; the target must hold no rows.",
    )
    p.add_argument(
        "--from", dest="source", required=True, metavar="SRC", help="project file or URL"
    )
    p.add_argument("--to", dest="target", required=True, metavar="DST", help="project file or URL")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    p.set_defaults(func=cmd_copy)

    p = sub.add_parser(
        "open",
        help="open a project in the window (also: factdesk PROJECT)",
        description="Open a project in the window (also: factdesk PROJECT). Needs a display.",
    )
    p.add_argument("project_file", metavar="PROJECT", help="project file (SQLite)")
    p.set_defaults(func=cmd_open)

    p = command("export", "write annotations as a dataset (report of anything left out)")
    p.add_argument(
        "--format",
        "-f",
        required=True,
        choices=["spacy", "jsonl", "conll", "brat", "facts-jsonl", "facts-csv", "entities-jsonl"],
        help="spacy and brat write a folder; the others a file",
    )
    p.add_argument("--out", "-o", required=True, help="output file or folder")
    p.add_argument(
        "--status",
        action="append",
        choices=["proposed", "accepted"],
        help="statuses to include (repeatable; default accepted; never rejected)",
    )
    p.add_argument(
        "--no-human",
        action="store_true",
        help="leave out analyst-added items that are not of those statuses",
    )
    p.add_argument(
        "--tag",
        action="append",
        help="only items (or documents) with this tag (repeatable: any of the tags)",
    )
    p.add_argument("--label", action="append", help="only mentions of a label (repeatable)")
    p.add_argument("--type", action="append", help="only facts of a type (repeatable)")
    p.add_argument("--zone", action="append", help="only inside zones of a kind (repeatable)")
    p.add_argument(
        "--document", action="append", help="only this document (source name; repeatable)"
    )
    p.add_argument("--dev-fraction", type=float, default=0.2, help="spacy: share held out")
    p.add_argument("--seed", type=int, default=13, help="spacy: seed of the split")
    p.add_argument(
        "--by-sentence",
        action="store_true",
        help="spacy: one example a sentence instead of one a document",
    )
    p.add_argument(
        "--include-boilerplate",
        action="store_true",
        help="also facts from captions, related-story lists, tag lines",
    )
    p.add_argument("--kind", help="entities: only one kind (person, organization, place ...)")
    p.add_argument(
        "--agreed-with",
        action="append",
        metavar="LAYER",
        help="only items this other project or export holds too (repeatable: all of them)",
    )
    p.add_argument(
        "--agreed-format",
        choices=["project", "prodigy", "doccano", "label-studio", "brat", "conll"],
        help="what the --agreed-with files are (default: told from each file)",
    )
    p.set_defaults(func=cmd_export)

    p = command("agreement", "agreement of this project's annotations with other layers")
    p.add_argument(
        "--with",
        dest="with_project",
        action="append",
        required=True,
        help="another project file or an export of the same documents (repeatable: "
        "Krippendorff's alpha over all layers)",
    )
    p.add_argument(
        "--with-format",
        choices=["project", "prodigy", "doccano", "label-studio", "brat", "conll"],
        help="what the --with files are (default: told from each file)",
    )
    p.add_argument("--json", action="store_true", help="print JSON (with every document)")
    p.add_argument("--csv", metavar="FILE", help="also write every figure to a CSV file")
    p.add_argument(
        "--status",
        action="append",
        choices=["proposed", "accepted"],
        help="statuses that count (repeatable; default accepted; never rejected)",
    )
    p.add_argument(
        "--no-human", action="store_true", help="leave out analyst-added items of other statuses"
    )
    p.set_defaults(func=cmd_agreement)
    return parser


def _logging(debug: bool) -> None:
    """Warnings (such as a document that failed to extract) as plain lines; all with --debug."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("desktop")
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.ERROR)


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    return {
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }


def _reader_gone() -> int:
    """The reader of our output closed it (`factdesk search ... | head -1`): stop quietly,
    as a command killed by SIGPIPE does (status 141), with nothing left to flush."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `factdesk` console script."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and argv[0] not in _commands(parser):
        argv.insert(0, "open")  # `factdesk PROJECT`
    args = parser.parse_args(argv)
    _logging(args.debug)
    if args.analyst is not None:  # every Store the command opens writes under this name
        name = " ".join(args.analyst.split())
        if not name:
            print("factdesk: error: an analyst's name cannot be empty", file=sys.stderr)
            return EXIT_ERROR
        os.environ["FACTDESK_ANALYST"] = name
    if args.command is None:
        from desktop.app import main as app_main

        return app_main([])
    try:
        status = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return status
    except BrokenPipeError:
        return _reader_gone()
    except CliError as exc:
        print(f"factdesk: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("factdesk: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        message = " ".join(str(exc).split())[:400]
        print(
            f"factdesk: error: {type(exc).__name__}: {message} (--debug shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
