"""A paged file (PDF, Word) as one document: its blocks laid out page after page, with the
page starts recorded and the layout's own zones (headings, running headers and footers)
put over the zones the text rules find."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from desktop.core.ingest.metadata import detect_metadata
from desktop.core.ingest.zones import ZoneSpan, detect_zones
from desktop.core.records import NewDocument, NewZone

# Block kinds the layout tells: they become zones of the same name; "body" and "table"
# are left to the text rules (a dateline or byline in the body is still found).
LAYOUT_ZONES = frozenset({"headline", "page_header", "page_footer"})
BLOCK_GAP = "\n\n"  # between blocks, and between pages


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, heading, table (rows on lines, cells split by tabs) or running line."""

    text: str
    kind: str = "body"  # body / table / headline / page_header / page_footer


@dataclass(slots=True)
class Page:
    """The blocks of one page, in reading order."""

    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FileMetadata:
    """What the file says about itself, used where the text says nothing."""

    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date


_TOOL_PREFIX = re.compile(r"(?i)^microsoft (?:word|powerpoint|excel) - ")
_FILE_NAME = re.compile(r"(?i)^[\w\-. ()]+\.(?:docx?|pdf|odt|rtf|indd|qxd|txt|pptx?)$")
_NO_TITLE = frozenset({"untitled", "title", "document", "no title", "untitled document"})


def file_title(value: str | None) -> str | None:
    """A title from a file's metadata, unless it is what the writing tool put there (its
    name before a file name, a file name, 'Untitled')."""
    if not value:
        return None
    title = _TOOL_PREFIX.sub("", " ".join(value.split()))
    if not title or _FILE_NAME.match(title) or title.casefold() in _NO_TITLE:
        return None
    return title


_HYPHEN_END = re.compile(r"(?<=[^\W\d_])[-\u00ad]$")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def join_lines(lines: Iterable[str]) -> str:
    """The lines of one paragraph as one line: a word broken by a hyphen at a line end
    is joined ('re-' + 'gion' = 'region'), and lines of Chinese or Japanese meet without
    a space."""
    out = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not out:
            out = line
        elif _HYPHEN_END.search(out) and line[0].islower():
            out = out[:-1] + line
        elif _CJK.match(out[-1]) and _CJK.match(line[0]):
            out += line
        else:
            out += " " + line
    return out


def _carve(zones: list[ZoneSpan], cuts: list[tuple[int, int]], text: str) -> list[ZoneSpan]:
    """The zones less the ranges of `cuts` (sorted, disjoint); pieces of blank text go."""
    out: list[ZoneSpan] = []
    for zone in zones:
        start = zone.start
        for cut_start, cut_end in cuts:
            if cut_end <= start or cut_start >= zone.end:
                continue
            if cut_start > start:
                out.append(ZoneSpan(start, cut_start, zone.kind))
            start = max(start, cut_end)
        if start < zone.end:
            out.append(ZoneSpan(start, zone.end, zone.kind))
    return [z for z in out if text[z.start : z.end].strip()]


def assemble(
    pages: Sequence[Page],
    *,
    source: str,
    path: str,
    meta: FileMetadata,
    file_year: int | None = None,
) -> NewDocument:
    """One document from the pages of a file; metadata from the text first, the file's
    own after."""
    parts: list[str] = []
    page_starts: list[int] = []
    layout: list[ZoneSpan] = []
    offset = 0
    for page in pages:
        page_starts.append(offset)
        first = True
        for block in page.blocks:
            if not block.text.strip():
                continue
            if offset:
                parts.append(BLOCK_GAP)
                offset += len(BLOCK_GAP)
            if first:  # a page starts at its first character, after the gap
                page_starts[-1] = offset
                first = False
            parts.append(block.text)
            if block.kind in LAYOUT_ZONES:
                layout.append(ZoneSpan(offset, offset + len(block.text), block.kind))
            offset += len(block.text)
    text = "".join(parts)
    # The text rules read the text without the running lines and headings (spaces in their
    # place keep the offsets), so a header is never taken for the article's headline.
    masked, done = [], 0
    for zone in layout:  # in text order
        masked += [text[done : zone.start], " " * (zone.end - zone.start)]
        done = zone.end
    masked.append(text[done:])
    found = detect_zones("".join(masked)) if text else []
    spans = sorted(
        _carve(found, [(z.start, z.end) for z in layout], text) + layout, key=lambda z: z.start
    )
    read = detect_metadata(text, spans, file_year=None if meta.published else file_year)
    # The text has a title when it opens on a heading (a section heading further down is
    # not one); else the file's title, else the first sentence.
    opening = next((z.kind for z in spans if z.kind not in ("page_header", "page_footer")), None)
    title = (read.title if opening == "headline" else None) or meta.title or read.title
    return NewDocument(
        source=source,
        text=text,
        path=path,
        title=title,
        published=read.published or meta.published,
        publisher=read.publisher or meta.author,
        dateline=read.dateline,
        encoding=None,
        zones=tuple(NewZone(z.start, z.end, z.kind) for z in spans),
        page_starts=tuple(min(start, len(text)) for start in page_starts),
    )
