"""HTML to plain text with the standard library parser: nothing is fetched or executed."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object"})
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "table",
        "tr",
        "blockquote",
        "figure",
        "figcaption",
        "pre",
        "dt",
        "dd",
        "dl",
        "form",
        "hr",
        "address",
        "title",
    }
)
_META_TITLE = ("og:title", "twitter:title")
_META_DATE = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "parsely-pub-date",
    "sailthru.date",
)
_LD_DATE = ("datePublished", "dateCreated")
_META_SITE = ("og:site_name", "publisher", "dc.publisher")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_WHITESPACE = re.compile(r"\s+")
_AROUND_BREAK = re.compile(r" *\n *")
_CELLS = frozenset({"td", "th"})


@dataclass
class HtmlText:
    """The readable text of a page and the metadata its head declares."""

    text: str
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.in_head = False
        self.pre_depth = 0
        self.in_title = False
        self.has_title = False
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.in_ld_json = False
        self.ld_json: list[str] = []

    def _flush(self) -> None:
        line = _AROUND_BREAK.sub("\n", _SPACES.sub(" ", "".join(self.current))).strip()
        if line:
            self.blocks.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = values.get("property") or values.get("name") or values.get("itemprop") or ""
            key = key.lower()
            if key and values.get("content"):
                self.meta.setdefault(key, values["content"].strip())
        elif tag == "link" and values.get("rel", "").lower() == "canonical":
            self.canonical = values.get("href") or None
        if tag == "head":
            self.in_head = True
        elif tag == "body" or (tag in _BLOCK and tag != "title"):
            self.in_head = False  # </head> may be omitted
        if tag == "title":
            # the page's first <title>, not an <svg>'s
            self.in_title = not self.skip_depth and not self.has_title
        elif tag in _SKIP:
            self.skip_depth += 1
            if tag == "script" and values.get("type", "").strip().lower() == "application/ld+json":
                self.in_ld_json = True
                self.ld_json.append("")
        elif tag == "br":
            self.current.append("\n")
        elif tag in _CELLS:
            self.current.append(" ")
        elif tag in _BLOCK:
            self._flush()
            if tag == "pre":
                self.pre_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag == "title":
            if self.in_title:
                self.has_title = True
            self.in_title = False
        elif tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            self.in_ld_json = False
        elif tag in _BLOCK:
            self._flush()
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self.in_ld_json:
            self.ld_json[-1] += data
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skip_depth and not self.in_head:
            # source line breaks are spaces, except in <pre>; <br> is the line break
            self.current.append(data if self.pre_depth else _WHITESPACE.sub(" ", data))


def ld_date(blocks: list[str]) -> str | None:
    """The publication date a page's JSON-LD blocks declare ("datePublished"), if any; a
    block that is not valid JSON is passed over (it is the page's, not the user's, error)."""
    for block in blocks:
        try:
            stack = [json.loads(block)]
        except (ValueError, RecursionError):
            continue
        seen = 0
        while stack and seen < 10_000:  # a bounded walk: pages may nest @graph lists
            item, seen = stack.pop(), seen + 1
            if isinstance(item, dict):
                for key in _LD_DATE:
                    if isinstance(item.get(key), str) and item[key].strip():
                        return item[key].strip()
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(reversed(item))
    return None


def html_to_text(markup: str) -> HtmlText:
    """Readable text (one block a paragraph) and head metadata of an HTML page."""
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    parser._flush()
    meta = parser.meta
    title = _SPACES.sub(" ", "".join(parser.title_parts)).strip() or None
    title = next((meta[k] for k in _META_TITLE if meta.get(k)), title)
    return HtmlText(
        text="\n\n".join(parser.blocks),
        title=title,
        published=next((meta[k] for k in _META_DATE if meta.get(k)), None)
        or ld_date(parser.ld_json),
        publisher=next((meta[k] for k in _META_SITE if meta.get(k)), None),
        url=parser.canonical or meta.get("og:url"),
        meta=meta,
    )
