"""brat standoff: a folder of .txt files with their .ann (T, R, E, A, N and # lines)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from desktop.core.formats.imports.common import ParsedDoc, Relation, Span, read_file_text, refuse
from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.jsondata import excerpt
from desktop.core.ingest.names import shown


def _note(target: Span | Relation | None, text: str) -> None:
    if target is not None:
        target.note = f"{target.note}; {text}" if target.note else text


def _textbound(key: str, body: str, text: str, path: Path, where: str, doc: ParsedDoc) -> Span:
    label, _, ranges = body.partition(" ")
    pieces = []
    for piece in ranges.split(";"):
        numbers = piece.split()
        if len(numbers) != 2 or not all(n.isdigit() and n.isascii() for n in numbers):
            found = excerpt(ranges, 40)
            raise refuse(path, where, f"bad offsets {found} (expected 'start end', ';' between)")
        pieces.append((int(numbers[0]), int(numbers[1])))
    start, end = pieces[0][0], pieces[-1][1]
    # A mention is one stretch of text: the fragments' cover stands for them. Fragments
    # apart only by line breaks (how brat holds a span across lines) are that stretch.
    pairs = list(itertools.pairwise(pieces))
    if any(b[0] < a[-1] or doc.text[a[-1] : b[0]].strip("\r\n") for a, b in pairs):
        doc.problems.append(
            f"{shown(path.name)} {where}: discontinuous span {key} {label} ({ranges}) kept as its "
            f"covering span [{start}, {end})"
        )
    return Span(start, end, label, text if len(pieces) == 1 else None, key)


def _args(parts: list[str], path: Path, where: str) -> list[tuple[str, str]]:
    args = []
    for part in parts:
        role, sep, ref = part.partition(":")
        if not sep or not ref:
            raise refuse(path, where, f"bad argument {excerpt(part, 40)} (expected Role:Id)")
        args.append((role, ref))
    return args


def parse_ann(txt: Path, ann: Path) -> ParsedDoc:
    """One brat document: its text and its annotations."""
    doc = ParsedDoc(read_file_text(txt), shown(txt.stem), shown(ann.name), utf16=False)
    spans: dict[str, Span] = {}
    facts: dict[str, Relation] = {}
    later: list[tuple[str, list[str], str]] = []
    for number, line in enumerate(read_file_text(ann).split("\n"), start=1):
        where = f"line {number}"
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0] or fields[0][0] not in "TREANM#*":
            raise refuse(ann, where, f"not a brat annotation line: {excerpt(line)}")
        key, body = fields[0], fields[1].split()
        if not body:
            raise refuse(ann, where, "empty annotation")
        if key[0] == "T":
            text = "\t".join(fields[2:])  # the span's own text may hold a tab
            spans[key] = _textbound(key, fields[1], text, ann, where, doc)
        elif key[0] == "R":
            args = _args(body[1:], ann, where)
            if len(args) != 2:
                found = f"{len(args)} argument{'s' if len(args) != 1 else ''}"
                raise refuse(ann, where, f"relation {key} needs Arg1 and Arg2 (found {found})")
            roles = {"Arg1": "head", "Arg2": "tail"}
            facts[key] = Relation(body[0], [(roles.get(r, r), ref) for r, ref in args], key)
        elif key[0] == "E":
            kind, _, trigger = body[0].partition(":")
            if not kind or not trigger:
                found = excerpt(body[0], 40)
                raise refuse(ann, where, f"event {key} needs a Type:Trigger (found {found})")
            args = [("trigger", trigger), *_args(body[1:], ann, where)]
            facts[key] = Relation(kind, [(r.rstrip("0123456789") or r, ref) for r, ref in args])
            facts[key].key = key
        else:
            later.append((key, body, fields[2] if len(fields) > 2 else ""))
    for key, body, extra in later:  # A, N, # lines: notes on what they point at
        ref = body[1] if len(body) > 1 else ""
        target = spans.get(ref) or facts.get(ref)
        if target is None and key[0] != "*":
            raise refuse(ann, f"{key}", f"points at unknown annotation {ref!r}")
        value = " ".join(body[2:])
        note = {"A": f"{body[0]}={value}" if value else body[0], "M": body[0]}.get(key[0])
        _note(target, note or f"{body[0]} {value}".strip() + (f": {extra}" if extra else ""))
    for fact in facts.values():
        for _role, ref in fact.args:
            if ref not in spans:
                raise refuse(
                    ann, fact.key or "", f"argument {ref!r} is not a text-bound annotation"
                )
    doc.spans, doc.relations = list(spans.values()), list(facts.values())
    return doc


def parse(path: Path) -> Iterator[ParsedDoc]:
    """Every .txt of a folder (with its .ann, if any), or one .ann/.txt pair, one document
    at a time."""
    if path.is_dir():
        texts = sorted(path.rglob("*.txt"))
        if not texts:
            raise RefusedFile(path, "no .txt files in the folder")
    else:
        texts = [path.with_suffix(".txt")]
        if not texts[0].exists():
            raise RefusedFile(path, f"no text file {texts[0].name} beside it")
    for txt in texts:
        ann = txt.with_suffix(".ann")
        if ann.exists():
            doc = parse_ann(txt, ann)
        else:
            doc = ParsedDoc(read_file_text(txt), shown(txt.stem), "")
        doc.where = shown(ann)
        yield doc
