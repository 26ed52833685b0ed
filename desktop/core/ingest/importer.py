"""Import files and folders into a project, one event per document or refused file."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.core.ingest.errors import MAX_REASON, ReadCancelled, RefusedFile
from desktop.core.ingest.names import shown
from desktop.core.ingest.readers import READERS, read_documents
from desktop.core.store import Store


@dataclass(frozen=True, slots=True)
class IngestEvent:
    """What happened to one document or file; `done`/`total` count files."""

    kind: str  # imported / duplicate / empty / refused / skipped
    path: str  # as printable text (names.shown)
    source: str | None = None
    document_id: int | None = None
    reason: str | None = None
    done: int = 0
    total: int = 0

    def line(self) -> str:
        """A one-line report for the user."""
        what = self.source or self.path
        match self.kind:
            case "imported":
                return f"imported {what}"
            case "duplicate":
                return f"already in the project: {what} (same text as document {self.document_id})"
            case "empty":
                return f"skipped empty document: {what}"
            case _:
                return f"{self.path}: {self.reason}"


def collect_files(paths: Sequence[Path | str]) -> list[tuple[Path, str]]:
    """Files to import with their path relative to the import root; folders are walked."""
    found: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                hidden = any(part.startswith(".") for part in rel.parts)
                if child.is_file() and not hidden and child.suffix.lower() in READERS:
                    found.append((child, shown(rel.as_posix())))
        else:
            found.append((path, shown(path.name)))
    return found


def ingest(
    store: Store,
    paths: Sequence[Path | str],
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[IngestEvent]:
    """Import every good file; a bad file is reported and never stops the others."""
    files = collect_files(paths)
    total = len(files)
    for done, (path, rel) in enumerate(files, start=1):
        if cancelled():
            return
        name = shown(path)
        if not path.exists():
            yield IngestEvent(
                "refused", name, reason="no such file or folder", done=done, total=total
            )
            continue
        try:
            documents = read_documents(path, rel, cancelled)
        except ReadCancelled:
            return
        except RefusedFile as exc:
            yield IngestEvent("refused", name, reason=shown(exc.reason), done=done, total=total)
            continue
        except Exception as exc:  # a reader's bug must not stop the other files either
            reason = shown(f"could not be read ({type(exc).__name__}: {exc})")[:MAX_REASON]
            yield IngestEvent("refused", name, reason=reason, done=done, total=total)
            continue
        if not documents:
            yield IngestEvent("empty", name, source=shown(path.stem), done=done, total=total)
        for new in documents:
            if not new.text.strip():
                yield IngestEvent("empty", name, source=new.source, done=done, total=total)
        # All documents of one file land together, or none of them do.
        kept = [new for new in documents if new.text.strip()]
        for new, (doc_id, created) in zip(kept, store.documents.add_many(kept), strict=True):
            kind = "imported" if created else "duplicate"
            yield IngestEvent(kind, name, new.source, doc_id, done=done, total=total)
