"""Find in the shown document folds case, diacritics and Đ as the corpus search does."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.folding import fold
from desktop.core.records import DocumentInfo, DocumentRecord
from desktop.ui.viewer import DocumentView
from desktop.ui.viewer.find_bar import FindBar, original_span

TEXT = (
    "Đà Nẵng city hosted the forum. Delegates from Da Nang and from ĐÀ NẴNG province met\r\n"
    "the mayor of Đà Lạt 😀 before the talks in Hà Nội."
)


def shown(qtbot, text: str) -> tuple[DocumentView, FindBar]:
    view = DocumentView()
    qtbot.addWidget(view)
    info = DocumentInfo(1, "doc.txt", None, None, None, None, None, None, len(text))
    view.set_document(DocumentRecord(info, text, ()), [], {})
    bar = FindBar(view)
    qtbot.addWidget(bar)
    return view, bar


def marked(view: DocumentView, bar: FindBar) -> list[str]:
    texts = []
    for start, end in bar.hits:
        cursor = view.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
        texts.append(cursor.selectedText())
    return texts


def test_find_marks_every_spelling_of_a_vietnamese_name(qtbot):
    view, bar = shown(qtbot, TEXT)
    assert bar.find_words(["da nang"]) == 3
    assert marked(view, bar) == ["Đà Nẵng", "Da Nang", "ĐÀ NẴNG"]
    assert bar.find_words(["Hà Nội"]) == 1 and marked(view, bar) == ["Hà Nội"]
    assert bar.find_words(["đà lạt"]) == 1 and marked(view, bar) == ["Đà Lạt"]  # past the emoji
    assert len(view.extraSelections()) == 1


def test_decomposed_marks_stay_with_their_letter(qtbot):
    text = unicodedata.normalize("NFD", "Hội An and Huế")
    view, bar = shown(qtbot, text)
    assert bar.find_words(["hue"]) == 1
    assert marked(view, bar) == [unicodedata.normalize("NFD", "Huế")]


words = st.text(
    alphabet=st.sampled_from([*"aădđeêoơuưAĂDĐ àảãáạằẵặ", "\u0301", "\u0323"]),
    min_size=1,
    max_size=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words, st.integers(0, 29), st.integers(1, 6))
def test_a_hit_is_text_that_folds_to_the_query(text, at, length):
    from desktop.core.folding import fold_with_offsets

    folded, where = fold_with_offsets(text)
    if not folded:
        return
    start = min(at, len(folded) - 1)
    end = min(len(folded), start + length)
    first, last = original_span(text, where, start, end)
    assert fold(text[first:last]).startswith(folded[start:end]) or folded[start:end] in fold(
        text[first:last]
    )
    assert last == len(text) or not unicodedata.combining(text[last])
