"""Tests of metadata detection (title, publication date, publisher, dateline place)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.ingest.metadata import (
    TextMetadata,
    detect_metadata,
    first_sentence,
    parse_date,
    trim_title,
)
from desktop.core.ingest.zones import detect_zones

SEEDS = Path(__file__).parents[2] / "seeds"


def seed(prefix: str) -> str:
    """Text of the seed file whose name starts with prefix."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# --- seed articles -------------------------------------------------------------------------


def test_seed_000_date_and_place_from_dateline_prefix() -> None:
    meta = detect_metadata(seed("000"))
    assert meta.published == "2026-03-09"
    assert meta.dateline == "Beijing"
    assert meta.publisher is None
    assert meta.title is not None and meta.title.startswith("The close geographical proximity")
    assert len(meta.title) <= 200 and meta.title.endswith("…")
    assert "date 2026" not in meta.title


def test_seed_001_headline_and_date_line() -> None:
    meta = detect_metadata(seed("001"))
    assert meta == TextMetadata(
        title="Vietnam attends China-ASEAN ministerial roundtable on AI",
        published="2025-09-19",
        publisher=None,
        dateline=None,
    )


def test_seed_002_title_is_first_sentence() -> None:
    meta = detect_metadata(seed("002"))
    assert meta.title == (
        "Several major Chinese technology firms have expressed interest in investing in "
        "artificial intelligence, cloud computing, renewable energy, railways, and the "
        "digital economy in Vietnam."
    )
    assert meta.published is None


def test_seed_003_caption_date_is_not_publication_date() -> None:
    text = seed("003")
    assert "Sept. 18, 2025" in text
    meta = detect_metadata(text)
    assert meta.published is None
    assert meta.title is not None and meta.title.startswith("China and ASEAN nations launched")


def test_seed_004_agency_and_place_but_no_date() -> None:
    text = seed("004")
    assert "December 13, 2025" in text
    meta = detect_metadata(text)
    assert meta.published is None
    assert meta.publisher == "VNA"
    assert meta.dateline == "Hanoi"
    assert meta.title == (
        "Foreign Minister holds talks with Guangxi Zhuang Autonomous Region’s Chairman"
    )


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_given_zones_give_same_metadata(prefix: str) -> None:
    text = seed(prefix)
    assert detect_metadata(text, detect_zones(text)) == detect_metadata(text)


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-09", "2026-03-09"),
        ("September 19, 2025 | 10:00", "2025-09-19"),
        ("Sept. 18, 2025", "2025-09-18"),
        ("Dec 1st 2024", "2024-12-01"),
        ("19 September 2025", "2025-09-19"),
        ("Thursday, 4 July 2024 - 09:30 GMT+7", "2024-07-04"),
        ("19/09/2025", "2025-09-19"),
        ("03/04/2025", "2025-04-03"),
        ("09/19/2025", "2025-09-19"),
        ("05.11.2023 10:00", "2023-11-05"),
        ("March 2024", "2024-03"),
        ("31/02/2025", None),
        ("2025-13-40", None),
        ("March 3", None),
        ("no date at all", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


# --- invented articles ---------------------------------------------------------------------


def test_published_line_with_label_and_time() -> None:
    text = "Port strike ends\nPublished: 12 March 2024 08:15\n\nDock workers returned.\n"
    assert detect_metadata(text) == TextMetadata(
        title="Port strike ends", published="2024-03-12", publisher=None, dateline=None
    )


def test_wire_dateline_without_year() -> None:
    text = "BEIJING, March 3 (Xinhua) -- China set a growth target on Tuesday.\n"
    meta = detect_metadata(text)
    assert (meta.published, meta.publisher, meta.dateline) == (None, "Xinhua", "Beijing")
    assert meta.title == "China set a growth target on Tuesday."


def test_multi_word_capital_place_is_title_cased() -> None:
    text = "Trade fair opens\n\nHO CHI MINH CITY, 19/09/2025 (VNA) – The fair opened.\n"
    meta = detect_metadata(text)
    assert (meta.published, meta.publisher, meta.dateline) == (
        "2025-09-19",
        "VNA",
        "Ho Chi Minh City",
    )


def test_signoff_line_gives_publisher() -> None:
    text = "Rains lift rice crop\n\nFarmers expect a better harvest.\n\n(Reuters)\n"
    assert detect_metadata(text).publisher == "Reuters"


def test_dates_in_body_and_related_list_are_ignored() -> None:
    text = (
        "Ministers meet in Jakarta\n\n"
        "The meeting on September 19, 2025 ended with a joint statement.\n\n"
        "Related news\n\nTalks resume (Photo: VNA)\nPublished: 1 October 2025\n"
    )
    assert detect_metadata(text).published is None


def test_date_line_far_below_the_top_is_ignored() -> None:
    body = "".join(f"Paragraph {n} says something.\n\n" for n in range(12))
    assert detect_metadata(f"Headline words\n\n{body}September 19, 2025\n").published is None


def test_empty_text_has_no_metadata() -> None:
    assert detect_metadata("") == TextMetadata(None, None, None, None)
    assert detect_metadata(" \n\r\n") == TextMetadata(None, None, None, None)


def test_crlf_text() -> None:
    text = "Port strike ends\r\n\r\nMay 2, 2024 | 14:00\r\n\r\nDock workers returned.\r\n"
    meta = detect_metadata(text)
    assert (meta.title, meta.published) == ("Port strike ends", "2024-05-02")


# --- titles --------------------------------------------------------------------------------


def test_first_sentence_skips_abbreviations_and_initials() -> None:
    text = "Mr. Tan met Dr. J. Smith on Sept. 18 in Hanoi. They talked. More."
    assert first_sentence(text) == "Mr. Tan met Dr. J. Smith on Sept. 18 in Hanoi."


def test_first_sentence_of_text_without_full_stop() -> None:
    assert first_sentence("just words") == "just words"


def test_trim_title_cuts_on_word_boundary() -> None:
    text = " ".join(["cooperation"] * 30)
    title = trim_title(text)
    assert len(title) <= 200 and title.endswith("cooperation…")
    assert trim_title("short  title\n") == "short title"


def test_long_first_sentence_title_is_trimmed() -> None:
    text = "The " + "very " * 60 + "long sentence ends here. Second sentence.\n"
    title = detect_metadata(text).title
    assert title is not None and len(title) <= 200 and title.endswith("very…")


# --- robustness ----------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "Hanoi (VNA) –",
        "date 2026-03-09 BEIJING –",
        "September 19, 2025 | 10:00",
        "31/31/2025",
        "VNA",
        "By Jane Roe",
        "See more",
        "Headline words",
        "Body sentence. Another one.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=15), st.sampled_from("\n\r"))
def test_detect_metadata_never_raises(lines: list[str], newline: str) -> None:
    meta = detect_metadata(newline.join(lines))
    assert meta.title is None or len(meta.title) <= 200
    assert meta.published is None or len(meta.published) in (7, 10)
