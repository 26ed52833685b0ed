"""Full-text search over folded titles and texts, with snippets of the original text."""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING

from desktop.core.folding import fold, fold_with_offsets
from desktop.core.records import SearchHit

if TYPE_CHECKING:
    import sqlalchemy as sa

_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
SNIPPET_BEFORE = 60
SNIPPET_AFTER = 120


def parse_query(query: str) -> tuple[str, list[list[str]]]:
    """An FTS5 MATCH expression for a user query, and the folded phrases it looks for.

    Words are ANDed; "quoted words" form a phrase; a trailing * makes a prefix.
    Every word is quoted in the MATCH expression, so no input is an FTS5 syntax error.
    """
    parts: list[str] = []
    phrases: list[list[str]] = []
    for match in _QUERY_PART.finditer(query):
        quoted, bare = match.groups()
        words = _WORD.findall(fold(quoted if quoted is not None else bare))
        if not words:
            continue
        prefix = bare is not None and bare.endswith("*")
        if quoted is not None:
            parts.append('"' + " ".join(words) + '"')
            phrases.append(words)
        else:
            for i, word in enumerate(words):
                star = "*" if prefix and i == len(words) - 1 else ""
                parts.append(f'"{word}"{star}')
                phrases.append([word])
    bare_words = [p[0] for p in phrases if len(p) == 1]
    if len(parts) >= 2 and len(bare_words) == len(parts):
        # "viet nam" also finds "Vietnam": the words written together are an alternative.
        joined = "".join(bare_words)
        phrases.append([joined])
        return f'({" ".join(parts)}) OR "{joined}"', phrases
    return " ".join(parts), phrases


def _match_spans(text: str, phrases: list[list[str]]) -> list[tuple[int, int]]:
    """Spans of `text` (original offsets) where a folded phrase occurs at word starts."""
    folded, offsets = fold_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for words in phrases:
        pattern = r"\b" + r"\W+".join(re.escape(w) for w in words)
        for m in re.finditer(pattern, folded):
            end_word = _WORD.match(folded, m.end())
            end = end_word.end() if end_word else m.end()
            spans.append((offsets[m.start()], offsets[end - 1] + 1))
    return sorted(spans)


def make_snippet(text: str, phrases: list[list[str]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A one-line excerpt around the first match, and where the matches are in it."""
    spans = _match_spans(text, phrases)
    first = spans[0][0] if spans else 0
    lo = max(0, first - SNIPPET_BEFORE)
    hi = min(len(text), first + SNIPPET_AFTER)
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    snippet = prefix + _SPACES.sub(" ", text[lo:hi]).strip() + suffix
    return snippet, tuple(_match_spans(snippet, phrases))


SEARCH_SQL = (
    "SELECT d.id, d.source, d.title, d.text, bm25(document_fts, 4.0, 1.0) AS rank "
    "FROM document_fts JOIN document AS d ON d.id = document_fts.rowid "
    "WHERE document_fts MATCH ? ORDER BY rank LIMIT ?"
)


def search(engine: sa.Engine, query: str, limit: int = 50) -> list[SearchHit]:
    """Documents matching `query`, best first, folding case and diacritics (Đ = D)."""
    if engine.dialect.name == "postgresql":
        from desktop.core.store import search_pg

        _, phrases = parse_query(query)
        rows = search_pg.search_pg(engine, query, limit, _QUERY_PART, _WORD)
        return search_pg.hits(rows, phrases, make_snippet)
    if engine.dialect.name != "sqlite":
        raise NotImplementedError("full-text search needs a SQLite or PostgreSQL project")
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        return search_connection(driver, query, limit)


def search_connection(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[SearchHit]:
    """`search` on a plain sqlite3 connection (the command line's read-only path)."""
    match, phrases = parse_query(query)
    if not match:
        return []
    hits = []
    for doc_id, source, title, text, rank in conn.execute(SEARCH_SQL, (match, limit)):
        snippet, marks = make_snippet(text, phrases)
        hits.append(SearchHit(doc_id, source, title, snippet, float(rank), marks))
    return hits
