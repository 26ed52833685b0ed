"""Search on a PostgreSQL project: the same query language and folding as SQLite's FTS5
(desktop.core.store.search), as word-start regular expressions over the folded titles and
texts of `document_fts` (migration 0007; its trigram indexes serve them)."""

from __future__ import annotations

import sqlalchemy as sa

from desktop.core.folding import fold
from desktop.core.records import SearchHit


def query_patterns(query: str, query_part, word) -> tuple[list[str], str | None]:  # type: ignore[no-untyped-def]
    """The patterns every hit matches (ANDed), and the words-written-together alternative
    ("viet nam" also finds "Vietnam") or None: the parts FTS5 gets from `parse_query`."""
    patterns: list[str] = []
    bare: list[str] = []
    for match in query_part.finditer(query):
        quoted, plain = match.groups()
        words = word.findall(fold(quoted if quoted is not None else plain))
        if not words:
            continue
        if quoted is not None:
            patterns.append(r"\m" + r"\W+".join(words) + r"\M")
            continue
        prefix = plain.endswith("*")
        for i, one in enumerate(words):
            end = "" if prefix and i == len(words) - 1 else r"\M"
            patterns.append(r"\m" + one + end)
            bare.append(one)
    joined = None
    if len(patterns) >= 2 and len(bare) == len(patterns):
        joined = r"\m" + "".join(bare) + r"\M"
    return patterns, joined


def search_pg(engine: sa.Engine, query: str, limit: int, query_part, word):  # type: ignore[no-untyped-def]
    """Rows (id, source, title, text, rank) of the documents matching `query`, best first:
    titles count four times the text, as the SQLite ranking weighs them."""
    patterns, joined = query_patterns(query, query_part, word)
    if not patterns:
        return []
    params: dict[str, object] = {"limit": limit}
    both = []
    for i, pattern in enumerate(patterns):
        params[f"p{i}"] = pattern
        both.append(f"(f.title ~ :p{i} OR f.body ~ :p{i})")
    where = " AND ".join(both)
    score = " + ".join(
        f"4 * (f.title ~ :p{i})::int + (f.body ~ :p{i})::int" for i in range(len(patterns))
    )
    if joined is not None:
        params["j"] = joined
        where = f"({where}) OR f.title ~ :j OR f.body ~ :j"
        score += " + 4 * (f.title ~ :j)::int + (f.body ~ :j)::int"
    sql = (
        f"SELECT d.id, d.source, d.title, d.text, -({score}) AS rank "
        "FROM document_fts AS f JOIN document AS d ON d.id = f.rowid "
        f"WHERE {where} ORDER BY rank, d.id LIMIT :limit"
    )
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).all()


def hits(rows, phrases, make_snippet) -> list[SearchHit]:  # type: ignore[no-untyped-def]
    out = []
    for doc_id, source, title, text, rank in rows:
        snippet, marks = make_snippet(text, phrases)
        out.append(SearchHit(doc_id, source, title, snippet, float(rank), marks))
    return out
