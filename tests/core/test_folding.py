"""Folding of case, diacritics and transliteration."""

from hypothesis import given
from hypothesis import strategies as st

from desktop.core.folding import fold, fold_key, fold_with_offsets


def test_vietnamese_letters_fold_including_d_with_stroke():
    assert fold("Việt Nam") == "viet nam"
    assert fold("Đà Nẵng") == "da nang"
    assert fold("đường Lê Lợi") == "duong le loi"


def test_other_scripts_and_letters_transliterate():
    assert fold("Zürich Øresund Łódź") == "zurich oresund lodz"
    assert fold("Straße") == "strasse"


def test_keys_drop_punctuation_and_collapse_spaces():
    assert fold_key("  Viet-Nam's   ") == "viet nam s"
    assert fold_key("Việt Nam") == fold_key("viet nam") == "viet nam"


def test_decomposed_input_folds_like_composed():
    composed = "Nguyễn"
    decomposed = "Nguye\u0302\u0303n"
    assert fold(decomposed) == fold(composed) == "nguyen"


@given(st.text(max_size=60))
def test_offsets_point_back_into_the_original(text):
    folded, offsets = fold_with_offsets(text)
    assert len(offsets) == len(folded)
    assert offsets == sorted(offsets)
    assert all(0 <= i < len(text) for i in offsets)
    assert folded == fold(text)


@given(st.text(alphabet=st.sampled_from("aZ 9.-đĐẵễ\u0302Øß京\n"), max_size=80))
def test_offsets_are_those_of_folding_one_character_at_a_time(text):
    from desktop.core.folding import fold_char

    want_text, want_offsets = [], []
    for i, char in enumerate(text):
        folded = fold_char(char)
        want_text.append(folded)
        want_offsets += [i] * len(folded)
    assert fold_with_offsets(text) == ("".join(want_text), want_offsets)
