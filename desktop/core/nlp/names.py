"""Shape tests for romanised Vietnamese and Chinese given names (no spaCy here)."""

from __future__ import annotations

import re

from desktop.core.folding import fold

_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"[aeiouy]{1,3}"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|uai|uan|ian|iao|ai|ei|ao|ou|an|en|in|un|"
    r"ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u|v)"
)
_PINYIN_NAME = re.compile(rf"{_PINYIN_SYLLABLE}(?:['-]?{_PINYIN_SYLLABLE})?")


def is_title_word(word: str) -> bool:
    """A capitalised word: first letter upper-case, the rest lower-case letters."""
    return len(word) >= 2 and word[0].isupper() and word[1:].islower() and word.isalpha()


def is_vietnamese_syllable(word: str) -> bool:
    """Whether a word is shaped like one Vietnamese syllable ("Hoai", "Phương", "Đức")."""
    return is_title_word(word) and _VI_SYLLABLE.fullmatch(fold(word)) is not None


def is_pinyin_given_name(word: str) -> bool:
    """Whether a word is one or two pinyin syllables ("Tao", "Hongbin", "Xi'an")."""
    return len(word) >= 2 and word[0].isupper() and _PINYIN_NAME.fullmatch(fold(word)) is not None
