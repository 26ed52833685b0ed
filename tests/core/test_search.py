"""Full-text search folding case and diacritics, with snippets of the original text."""

import pytest

from desktop.core.records import NewDocument
from desktop.core.store.search import make_snippet, parse_query

TEXTS = {
    "hanoi": "Lãnh đạo Việt Nam gặp đối tác tại Hà Nội để bàn về hợp tác.",
    "danang": "The expo in Đà Nẵng drew investors from Guangxi and Yunnan.",
    "english": "Vietnam and China signed 44 agreements on artificial intelligence.",
}


@pytest.fixture
def filled(backend_store):
    """The three texts in a project on each back end (SQLite's FTS5, PostgreSQL's folded
    table with trigram indexes): the same query finds the same documents on both."""
    for source, text in TEXTS.items():
        backend_store.documents.add(NewDocument(source=source, text=text, title=source.title()))
    return backend_store


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("viet nam", {"hanoi", "english"}),
        ("VIỆT NAM", {"hanoi", "english"}),
        ("da nang", {"danang"}),
        ("Đà Nẵng", {"danang"}),
        ("ha noi", {"hanoi"}),
        ('"signed 44"', {"english"}),
        ("artif*", {"english"}),
        ("guangxi yunnan", {"danang"}),
        ("guangxi hanoi", set()),
    ],
)
def test_queries_fold_case_and_diacritics(filled, query, expected):
    assert {hit.source for hit in filled.search(query)} == expected


def test_snippet_keeps_the_original_letters_and_marks_matches(filled):
    (hit,) = filled.search("da nang")
    assert "Đà Nẵng" in hit.snippet
    marked = [hit.snippet[s:e] for s, e in hit.highlights]
    assert marked == ["Đà", "Nẵng"]


def test_fts_syntax_in_queries_is_harmless(filled):
    for query in ["AND OR NOT", '"unclosed', "NEAR(", "*", "()", "title:x", ""]:
        filled.search(query)  # must not raise


def test_long_text_snippet_is_a_window_around_the_first_match():
    text = "word " * 200 + "Đà Nẵng is here " + "tail " * 200
    _, phrases = parse_query("da nang")
    snippet, marks = make_snippet(text, phrases)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 260
    assert [snippet[s:e] for s, e in marks] == ["Đà", "Nẵng"]
