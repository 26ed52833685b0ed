"""CoNLL-2003 files: tokens and IOB tags (IOB1 or IOB2), documents split at -DOCSTART-."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from desktop.core.formats.imports.common import ParsedDoc, Span, file_lines, refuse
from desktop.core.ingest.jsondata import excerpt
from desktop.core.ingest.names import shown


class _Builder:
    """Rebuilds one document's text (tokens joined by spaces, a sentence a line) and spans."""

    def __init__(self, source: str, where: str) -> None:
        self.source, self.where = source, where
        self.sentences: list[str] = []
        self.tokens: list[str] = []
        self.length = 0
        self.spans: list[Span] = []
        self.open: Span | None = None

    def token(self, token: str, tag: str, path: Path, where: str) -> None:
        start = self.length + (1 if self.tokens else 0)
        self.tokens.append(token)
        self.length = start + len(token)
        if tag == "O":
            self.open = None
            return
        prefix, _, label = tag.partition("-")
        if prefix not in ("B", "I", "E", "S") or not label:
            raise refuse(
                path, where, f"bad tag {excerpt(tag, 40)} (expected O, B-X, I-X, E-X or S-X)"
            )
        if self.open is not None and self.open.label == label and prefix in ("I", "E"):
            self.open.end = self.length
        else:
            self.open = Span(start, self.length, label)
            self.spans.append(self.open)
        if prefix in ("E", "S"):
            self.open = None

    def end_sentence(self) -> None:
        self.open = None
        if self.tokens:
            self.sentences.append(" ".join(self.tokens))
            self.tokens = []
            self.length += 1  # the newline between sentences

    def build(self) -> ParsedDoc | None:
        self.end_sentence()
        if not self.sentences:
            return None
        text = "\n".join(self.sentences)
        for span in self.spans:
            span.text = text[span.start : span.end]
        return ParsedDoc(text, self.source, self.where, self.spans, utf16=False)


def _lines(path: Path) -> Iterator[str]:
    """The file's lines as str.splitlines cuts them, read as it goes."""
    for _number, line in file_lines(path):
        yield from line.splitlines() or [""]


def parse(path: Path, blank_splits_documents: bool = False) -> Iterator[ParsedDoc]:
    """The documents of a CoNLL-2003 file (token first, tag last on each line), one at a
    time; Label Studio writes one task per blank-line block under a single -DOCSTART-."""
    made = 0
    stem = shown(path.stem)
    current = _Builder(f"{stem}#1", "line 1")
    for number, line in enumerate(_lines(path), start=1):
        where = f"line {number}"
        fields = line.split()
        if not fields and not blank_splits_documents:
            current.end_sentence()
            continue
        if not fields or fields[0] == "-DOCSTART-":
            if (doc := current.build()) is not None:
                made += 1
                yield doc
            current = _Builder(f"{stem}#{made + 1}", where)
            continue
        if len(fields) < 2:
            found = excerpt(line.strip())
            raise refuse(path, where, f"expected a token and a tag column, found {found}")
        current.token(fields[0], fields[-1], path, where)
    if (doc := current.build()) is not None:
        yield doc
