"""Tests of layout zone detection on the seed articles and on invented texts."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.ingest import zones
from desktop.core.ingest.zones import BOILERPLATE_ZONES, ZONE_KINDS, ZoneSpan, detect_zones

SEEDS = Path(__file__).parents[2] / "seeds"


def seed(prefix: str) -> str:
    """Text of the seed file whose name starts with prefix."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def texts_of(text: str, kind: str) -> list[str]:
    """Stripped texts of the zones of one kind."""
    return [text[z.start : z.end].strip() for z in detect_zones(text) if z.kind == kind]


def kind_at(text: str, needle: str) -> str:
    """Kind of the zone holding the first character of needle."""
    offset = text.index(needle)
    return next(z.kind for z in detect_zones(text) if z.start <= offset < z.end)


def assert_covers(text: str, zones: list[ZoneSpan]) -> None:
    """Zones are sorted, contiguous, non-empty, merged, and cover text exactly."""
    if not text:
        assert zones == []
        return
    assert zones[0].start == 0 and zones[-1].end == len(text)
    for before, after in itertools.pairwise(zones):
        assert before.end == after.start
        assert before.kind != after.kind
    assert all(z.start < z.end and z.kind in ZONE_KINDS for z in zones)


# --- seed articles -------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_zones_cover_text(prefix: str) -> None:
    text = seed(prefix)
    assert_covers(text, detect_zones(text))


def test_seed_000_dateline_prefix_then_body() -> None:
    text = seed("000")
    assert texts_of(text, "dateline") == ["date 2026-03-09 BEIJING –"]
    assert texts_of(text, "headline") == []
    assert kind_at(text, "The close geographical proximity") == "body"
    assert detect_zones(text)[:2] == [ZoneSpan(0, 1, "body"), ZoneSpan(1, 26, "dateline")]


def test_seed_001_headline_dateline_byline() -> None:
    text = seed("001")
    assert texts_of(text, "headline") == [
        "Vietnam attends China-ASEAN ministerial roundtable on AI"
    ]
    assert texts_of(text, "dateline") == ["September 19, 2025 | 10:00"]
    assert texts_of(text, "byline") == ["By Bich Thuy"]


def test_seed_001_captions_include_repeated_headline() -> None:
    captions = texts_of(seed("001"), "caption")
    assert len(captions) == 2
    assert all(c.startswith("Vietnam attends China-ASEAN") for c in captions)
    assert captions[0].endswith("The China-ASEAN AI ministerial roundtable 2025. Photo: MST")
    assert captions[1].endswith("Science and Technology. Photo: MST")


def test_seed_001_related_teasers_and_tags() -> None:
    text = seed("001")
    (related,) = texts_of(text, "related")
    assert related.startswith("AI boom drives data centre surge in Southeast Asia AI boom")
    assert "Vietnam plans to introduce Law on Artificial Intelligence" in related
    assert related.endswith("partners from diverse sectors.")
    (tags,) = texts_of(text, "tags")
    assert tags.startswith("TagTag:\nVietnam Vietnamese Deputy Minister")
    assert tags.endswith("Themes: Digital Transformation")
    assert kind_at(text, "The roundtable is expected") == "body"


@pytest.mark.parametrize("prefix", ["002", "003"])
def test_seeds_without_headline(prefix: str) -> None:
    text = seed(prefix)
    assert texts_of(text, "headline") == []
    assert detect_zones(text)[0].kind == "body"


def test_seed_002_photo_captions() -> None:
    captions = texts_of(seed("002"), "caption")
    assert len(captions) == 2
    assert captions[0] == (
        "Deputy Prime Minister Mai Van Chinh speaks at the conference. "
        "Photo: Ministry of Science and Technology"
    )


def test_seed_003_bracketed_photo_captions() -> None:
    text = seed("003")
    captions = texts_of(text, "caption")
    assert len(captions) == 2
    assert all(c.endswith("[Photo provided to China.org.cn by CAEXPO]") for c in captions)
    assert kind_at(text, "It aimed to build a regular mechanism") == "body"


def test_seed_004_headline_and_lead() -> None:
    text = seed("004")
    assert texts_of(text, "headline") == [
        "Foreign Minister holds talks with Guangxi Zhuang Autonomous Region’s Chairman"
    ]
    assert kind_at(text, "Both sides agreed") == "body"


def test_seed_004_everything_after_see_more_is_related() -> None:
    text = seed("004")
    start = text.index("See more")
    assert detect_zones(text)[-1] == ZoneSpan(start, len(text), "related")


def test_seed_004_captions_signoff_and_dateline() -> None:
    text = seed("004")
    captions = texts_of(text, "caption")
    assert len(captions) == 2
    assert captions[0].count("(Photo: VNA)") == 2
    assert captions[1].startswith("le-hoai-trung-2.jpg\nAt the talks between")
    assert texts_of(text, "byline") == ["VNA"]
    assert texts_of(text, "dateline") == ["Hanoi (VNA) –"]
    assert (
        kind_at(
            text,
            "Member of the Communist Party of Vietnam Central Committee and Minister"
            " of Foreign Affairs Le Hoai Trung held",
        )
        == "body"
    )


# --- invented articles ---------------------------------------------------------------------

WIRE = """\
Kenya and Ethiopia sign power-sharing pact
Published: 12 March 2024 08:15
By Maria Lopez and Tom Ng

NAIROBI, March 12 (Reuters) - Kenya and Ethiopia signed a deal on Tuesday to share power.

By 2030, the link is expected to carry 2,000 megawatts, officials said.
Officials sign the agreement in Nairobi. File photo
The ministers said talks on March 20, 2024 would follow.

(Reuters)

Related articles
Uganda opens new dam (Photo: AFP)
Tanzania plans rail line

Keywords: energy, East Africa
"""


def test_wire_story_zones() -> None:
    assert texts_of(WIRE, "headline") == ["Kenya and Ethiopia sign power-sharing pact"]
    assert texts_of(WIRE, "dateline") == [
        "Published: 12 March 2024 08:15",
        "NAIROBI, March 12 (Reuters) -",
    ]
    assert texts_of(WIRE, "byline") == ["By Maria Lopez and Tom Ng", "(Reuters)"]
    assert texts_of(WIRE, "caption") == ["Officials sign the agreement in Nairobi. File photo"]
    assert texts_of(WIRE, "related") == [
        "Related articles\nUganda opens new dam (Photo: AFP)\nTanzania plans rail line"
    ]
    assert texts_of(WIRE, "tags") == ["Keywords: energy, East Africa"]
    assert kind_at(WIRE, "By 2030") == "body"
    assert kind_at(WIRE, "Kenya and Ethiopia signed") == "body"
    assert_covers(WIRE, detect_zones(WIRE))


def test_bare_tags_line_takes_the_keyword_line() -> None:
    text = "Storm hits coast\n\nThe storm hit.\n\nTags:\nweather storm coast\n"
    assert texts_of(text, "tags") == ["Tags:\nweather storm coast"]


def test_tags_close_a_related_list() -> None:
    text = "Headline here\n\nBody text.\n\nSee also:\nOther story one\nOther story two\nTag: x y\n"
    assert texts_of(text, "related") == ["See also:\nOther story one\nOther story two"]
    assert texts_of(text, "tags") == ["Tag: x y"]


def test_doubled_teaser_headline_opens_related_list() -> None:
    teaser = "Rice exports climb to record high"
    text = f"Body first paragraph.\n\n{teaser} {teaser}\n\nExports rose 12%.\nBy Ann Lee\n"
    assert texts_of(text, "related") == [f"{teaser} {teaser}\n\nExports rose 12%."]
    assert texts_of(text, "byline") == ["By Ann Lee"]


def test_image_file_name_is_caption() -> None:
    text = "The port reopened.\nharbour_view-01.JPG\nShips queued outside.\n"
    assert texts_of(text, "caption") == ["harbour_view-01.JPG"]


def test_headline_repeat_later_is_caption() -> None:
    text = "Floods close schools\n\nSchools were shut.\n\nFloods close schools\nMore text.\n"
    assert texts_of(text, "headline") == ["Floods close schools"]
    assert texts_of(text, "caption") == ["Floods close schools"]


@pytest.mark.parametrize(
    "line",
    [
        "The Deputy Prime Minister – who arrived on Monday – opened the fair.",
        "AI – short for artificial intelligence – was the theme.",
        "Hanoi – the capital – hosted the event.",
    ],
)
def test_dash_in_ordinary_sentence_is_not_a_dateline(line: str) -> None:
    text = f"Title of story\n\n{line}\n"
    assert texts_of(text, "dateline") == []


@pytest.mark.parametrize(
    "line",
    [
        "By contrast, exports fell.",
        "By 2030 the plan should be complete",
        "Photographers gathered at the hall.",
        "Tagging birds is common in spring.",
        "The meeting was held on September 19, 2025 in Hanoi.",
    ],
)
def test_ordinary_lines_stay_body(line: str) -> None:
    text = f"The first paragraph is an ordinary sentence.\n{line}\nAnother sentence.\n"
    assert [z.kind for z in detect_zones(text)] == ["body"]


# --- edge cases ----------------------------------------------------------------------------


def test_empty_and_blank_texts() -> None:
    assert detect_zones("") == []
    assert detect_zones("\n\n  \n") == [ZoneSpan(0, 5, "body")]


def test_single_short_line_without_newline_is_headline() -> None:
    assert detect_zones("Markets rally in Asia") == [ZoneSpan(0, 21, "headline")]


def test_single_paragraph_is_body() -> None:
    text = "Markets rallied across Asia on Monday as investors cheered the data."
    assert detect_zones(text) == [ZoneSpan(0, len(text), "body")]


def test_long_unpunctuated_first_line_is_body() -> None:
    text = "word " * 40 + "\nMore.\n"
    assert texts_of(text, "headline") == []


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_endings_give_same_zones(newline: str) -> None:
    converted = WIRE.replace("\n", newline)
    assert [z.kind for z in detect_zones(converted)] == [z.kind for z in detect_zones(WIRE)]
    assert [t.replace(newline, "\n") for t in texts_of(converted, "related")] == texts_of(
        WIRE, "related"
    )
    assert_covers(converted, detect_zones(converted))


def test_seed_without_trailing_newline_ends_in_body() -> None:
    text = seed("003")
    assert not text.endswith("\n")
    assert detect_zones(text)[-1].end == len(text)


def test_boilerplate_kinds_are_zone_kinds() -> None:
    assert BOILERPLATE_ZONES.issubset(ZONE_KINDS)


# --- regional wire layouts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "dateline"),
    [
        ("JAKARTA, Indonesia — Two ports will open next year.", "JAKARTA, Indonesia —"),
        ("HO CHI MINH CITY, Viet Nam – Exports rose.", "HO CHI MINH CITY, Viet Nam –"),
        ("YANGON, 14 February (MNA) – The ministry said.", "YANGON, 14 February (MNA) –"),
        ("Phnom Penh, 3 Nov (AKP) -- Talks ended.", "Phnom Penh, 3 Nov (AKP) --"),
        ("KOTA KINABALU, 21st June — Rain fell.", "KOTA KINABALU, 21st June —"),
    ],
)
def test_city_country_and_day_month_datelines(lead: str, dateline: str) -> None:
    text = f"Ports to open in two provinces\n\n{lead}\n\nA second paragraph.\n"
    assert texts_of(text, "dateline") == [dateline]
    assert kind_at(text, lead[len(dateline) + 1 :]) == "body"


@pytest.mark.parametrize(
    "line",
    [
        "Khmer Times, 12 May 2024",
        "The Jakarta Post | 5 June 2025",
        "Voice of the People, Monday, 3 March 2025",
        "Daily Mirror, 2025-01-04 09:30",
    ],
)
def test_paper_name_and_date_line_is_a_dateline(line: str) -> None:
    text = f"Rubber prices climb in the south\n\n{line}\n\nRubber prices rose 4% this week.\n"
    assert texts_of(text, "dateline") == [line]
    assert texts_of(text, "headline") == ["Rubber prices climb in the south"]
    assert kind_at(text, "Rubber prices rose") == "body"


@pytest.mark.parametrize(
    "line",
    [
        "Hanoi, Vietnam – the capital – hosted the fair.",  # the city is not in capitals
        "Jakarta, the capital, said on 9 October – as expected – that it agreed.",
        "Bangkok Bank, 2 April 2025 results show higher profit.",
        "MANILA and Hanoi signed it – a first for both.",
        "Vientiane Times reported on 2 April 2025 that the bridge was ready.",
        "The ministry met the press in Dili (Tatoli) on Monday and took questions.",
    ],
)
def test_body_lines_opening_on_a_place_stay_body(line: str) -> None:
    text = f"Bridge talks end\n\n{line}\n\nA second paragraph.\n"
    assert kind_at(text, line) == "body"
    assert texts_of(text, "dateline") == []


@pytest.mark.parametrize(
    "teaser",
    [
        "READ: Malaysia, Thailand plan new border rail link",
        "Read also: Lao coffee growers eye Chinese buyers",
        "Related news: Brunei to host fisheries forum",
        "read: Rice output seen steady in Mekong delta",
    ],
)
def test_inline_teaser_lines_are_related(teaser: str) -> None:
    text = f"Rail link agreed\n\nThe ministers agreed on a link.\n{teaser}\nWork starts soon.\n"
    assert texts_of(text, "related") == [teaser]
    assert kind_at(text, "Work starts soon.") == "body"


@pytest.mark.parametrize(
    "line",
    [
        "Read: the minister said the plan was ready.",  # a sentence, not a headline
        "Readers wrote in to say the fair was crowded.",
        "Related talks will follow next month.",
    ],
)
def test_sentences_that_open_on_read_or_related_stay_body(line: str) -> None:
    text = f"Fair draws crowds\n\nThe fair opened.\n{line}\nIt closes Sunday.\n"
    assert kind_at(text, line) == "body"


@pytest.mark.parametrize(
    "caption",
    [
        "Delegates tour the new port in Kuantan. — Pic courtesy of MOT",
        "Ministers at the signing in Kuching. - Pic by Ahmad Nizam",
        "Workers tap rubber trees in Songkhla. (Antara/Budi Santoso)",
        "Visitors at the fair in Nanning. (Xinhua/Li Wen)",
        "Delegates at the opening ceremony. (Photo: AKP)",
        "Photo: Ministry of Trade",
        "Pic: Bernama",
    ],
)
def test_photo_credits_make_captions(caption: str) -> None:
    text = f"Port opens\n\nThe port opened on Monday.\n{caption}\nShips queued outside.\n"
    assert texts_of(text, "caption") == [caption]
    assert kind_at(text, "Ships queued outside.") == "body"


@pytest.mark.parametrize(
    "line",
    [
        "The minister told Xinhua (Xinhua) that trade rose in the first half.",
        "Trade rose 8 percent, the agency said (Xinhua).",
        "The talks ended on Friday (Reuters/AFP)",  # two agencies: a sign-off, not a credit
        "Officials shared pictures from the visit — pictures from the event spread widely.",
        "He showed reporters a picture from the flood zone.",
    ],
)
def test_agency_names_in_running_text_stay_body(line: str) -> None:
    text = f"Trade rises\n\nTrade rose.\n{line}\nMore figures are due.\n"
    assert kind_at(text, line) == "body"


def test_signoff_in_brackets_stays_a_byline() -> None:
    text = "Trade rises\n\nTrade rose in May, officials said.\n\n(Xinhua)\n"
    assert texts_of(text, "byline") == ["(Xinhua)"]
    assert texts_of(text, "caption") == []


_BODY_WORDS = [
    "the", "minister", "said", "trade", "rose", "percent", "on", "Monday", "in", "Hanoi",
    "Jakarta", "Manila", "MANILA", "Vientiane", "Times", "(Xinhua)", "Xinhua", "(VNA)", "photo",
    "photos", "pictures", "picture", "pic", "image", "courtesy", "of", "by", "from", "read",
    "also", "related", "news", "more", "see", "—", "–", "-", "9", "October", "2025", "credit",
    "agreement", "signed", "border", "officials", "a", "new", "and", ",", "(AKP)", "Wang",
    "Teng", "READ", "Related", "talks", "with", "China", "Laos", "provided", "grant", "file",
]  # fmt: skip
_OPENERS = ["The", "Officials", "Hanoi", "MANILA", "Vientiane", "Trade", "Xinhua", "He"]


@st.composite
def _body_sentence(draw: st.DrawFn) -> str:
    """A running-text sentence: a capitalized opener, words, and a full stop."""
    words = [draw(st.sampled_from(_OPENERS))]
    words += draw(st.lists(st.sampled_from(_BODY_WORDS), min_size=4, max_size=30))
    return " ".join(words).replace(" ,", ",") + "."


@settings(max_examples=300, deadline=None)
@given(st.lists(_body_sentence(), min_size=1, max_size=4))
def test_running_text_never_becomes_related_or_caption(sentences: list[str]) -> None:
    text = "Trade talks end in Hanoi\n\n" + "\n".join(sentences) + "\n"
    for zone in detect_zones(text):
        if zone.kind in ("related", "caption"):
            pytest.fail(f"{zone.kind}: {text[zone.start : zone.end]!r}")


# --- coverage property ---------------------------------------------------------------------

_PIECES = [
    "",
    " ",
    "Headline words here",
    "By Jane Roe",
    "VNA",
    "(Xinhua)",
    "See more",
    "Tags:",
    "Themes: Economy",
    "September 19, 2025 | 10:00",
    "BEIJING, March 3 (Xinhua) -- Text follows.",
    "A caption here. Photo: AFP",
    "img-1.png",
    "Doubled teaser title Doubled teaser title",
    "Plain body sentence, with a comma.",
    "–",
    "Việt Nam đồng ý.",
]
_LINES = st.one_of(st.sampled_from(_PIECES), st.text(max_size=40))
_ENDINGS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\u2028", "\x0c", ""])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_LINES, _ENDINGS), max_size=25))
def test_zones_cover_any_text(parts: list[tuple[str, str]]) -> None:
    text = "".join(line + ending for line, ending in parts)
    assert_covers(text, detect_zones(text))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_zones_cover_every_truncation_of_seeds(prefix: str) -> None:
    text = seed(prefix)
    for cut in range(0, len(text), 97):
        for piece in (text[:cut], text[cut:], text[cut : cut + 300]):
            assert_covers(piece, detect_zones(piece))


# The quick tests in zones must agree with the plain definitions they stand for.
_QUICK_PIECES = st.sampled_from(
    [
        "Photo",
        "photos",
        "(",
        "[ file ",
        "file photo",
        "courtesy photo",
        "photograph by",
        "Credit",
        "image",
        "picture",
        ":",
        " ",
        "  ",
        "İmage",
        "ımage",
        "x" * 50,
        "Jan",
        "5th",
        "2024",
        "2024-01-05",
        "12/03/2025",
        "10:30",
        "GMT+7",
        "Monday",
        "at",
        "on",
        "Updated:",
        "candidate",
        "|",
        ",",
        "-",
        " – ",
        "—",
        "HANOI",
        "Hanoi (VNA)",
        "a.jpg",
        "ſ",
        "٣",
        "(Reuters)",
        "VNA/AFP",
        "–\n",
        "-\t",
    ]
)
_QUICK_LINES = st.lists(st.one_of(_QUICK_PIECES, st.text(max_size=5)), max_size=16).map("".join)


@settings(max_examples=300, deadline=None)
@given(_QUICK_LINES)
def test_caption_test_agrees_with_finditer(line: str) -> None:
    tail = len(line) - zones._CAPTION_TAIL
    found = zones._CAPTION_RE.finditer(line)
    expected = bool(zones._IMAGE_FILE_RE.fullmatch(line)) or any(
        m.start() == 0 or m.start() >= tail for m in found
    )
    assert zones._is_caption(line) == expected


@settings(max_examples=300, deadline=None)
@given(_QUICK_LINES)
def test_date_line_test_agrees_with_substitution(line: str) -> None:
    expected = len(line) <= 80 and bool(zones._DATE_RE.search(line))
    if expected:
        rest = zones._DATE_PARTS_RE.sub(" ", zones._DATE_LABEL_RE.sub("", line, count=1))
        expected = re.fullmatch(r"[\s|,;/:.()\-–—]*", rest) is not None
    assert zones.is_date_line(line) == expected


@settings(max_examples=300, deadline=None)
@given(_QUICK_LINES)
def test_quick_tests_hold_for_every_match(line: str) -> None:
    head = line[: zones._DATELINE_SCAN_CHARS]
    assert zones._spaced_dash(line) == bool(re.search(r"[–—-](?=\s|$)", head))
    if zones._DATELINE_PREFIX_RE.match(head):
        assert zones._spaced_dash(line)
    if zones._DATE_RE.search(line):
        assert zones._DIGIT_RE.search(line)
    if zones._SIGNOFF_RE.fullmatch(line):
        assert "," not in line


def test_caption_quick_path_follows_finditer_chain() -> None:
    # "(photo" starts one character before the tail and overlaps "photo credit", which starts
    # in it: finditer goes on from the end of "(photo", so only "credit:" would count.
    for rest, caption in ((" x", False), (": x", True)):
        tail = f"(photo credit{rest} ".ljust(zones._CAPTION_TAIL + 1, "y")
        line = "Body text " * 5 + tail
        assert line.index("(") == len(line) - zones._CAPTION_TAIL - 1
        assert zones._is_caption(line) is caption
    assert zones._is_caption("Photo: VNA") and zones._is_caption("ımage: VNA")
    assert zones._is_caption("Ảnh İmage: VNA")


def test_first_letter_sets_hold_what_the_patterns_match_ignoring_case() -> None:
    for letters, first in (("tk", zones._TAGS_FIRST), ("wrstb", zones._BYLINE_FIRST)):
        letter = re.compile(f"[{letters}]", re.IGNORECASE)
        assert {chr(c) for c in range(0x30000) if letter.fullmatch(chr(c))} == set(first)
