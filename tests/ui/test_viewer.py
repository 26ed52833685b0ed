"""Tests of the document view: offsets, highlights, clicks, selection, zoom, keys, tooltips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6 import QtCore, QtGui, QtWidgets

from desktop.core.records import DocumentInfo, DocumentRecord, MentionRecord, ZoneRecord
from desktop.ui.viewer import DocumentView, LabelStyle, styles
from desktop.ui.viewer.offsets import OffsetMap
from desktop.ui.viewer.tooltips import mention_tooltip

Qt = QtCore.Qt
LABELS = {
    "ORG": LabelStyle("ORG", "#1f77b4", "o"),
    "GPE": LabelStyle("GPE", "#2ca02c", "g"),
    "PERSON": LabelStyle("PERSON", "#d62728", "p"),
}
TRICKY = (
    "Hà Nội 😀 — Vie\u0323\u0302t Nam\r\n"
    "Wei Tao 👩\u200d💻 met Le Hoai Trung.\r\n\r\n"
    "China-ASEAN trade rose 16.4% 🇻🇳 in Guangxi.\n"
)


def record(text: str, zones: tuple[ZoneRecord, ...] = ()) -> DocumentRecord:
    info = DocumentInfo(1, "doc.txt", None, None, None, None, None, None, len(text))
    return DocumentRecord(info, text, zones)


def mention(
    mention_id: int,
    text: str,
    phrase: str,
    label: str = "ORG",
    status: str = "proposed",
    nth: int = 0,
    confidence: float | None = 0.75,
    extractor: str | None = "ner.v1",
) -> MentionRecord:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return MentionRecord(
        mention_id, 1, start, start + len(phrase), label, phrase, "model", extractor,
        confidence, status, None, None,
    )  # fmt: skip


def as_document_text(text: str) -> str:
    """How a QTextCursor reports text: every line break is a paragraph separator."""
    return text.replace("\r\n", "\u2029").replace("\r", "\u2029").replace("\n", "\u2029")


@pytest.fixture
def view(qtbot) -> DocumentView:
    widget = DocumentView()
    qtbot.addWidget(widget)
    widget.resize(640, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def point_in(view: DocumentView, mention_id: int, fraction: float = 0.5) -> QtCore.QPoint:
    """A viewport point on the character at `fraction` of a mention's length."""
    cursor = view.mention_cursor(mention_id)
    assert cursor is not None
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    cursor.setPosition(start + max(1, int((end - start) * fraction)))
    rect = view.cursorRect(cursor)
    return QtCore.QPoint(rect.left() - 2, rect.center().y())


# -- offsets ---------------------------------------------------------------------------------


@given(
    st.lists(
        st.sampled_from(["a", "é", "e\u0301", "\r\n", "\r", "\n", "😀", "\u2028", "\u2029", " "]),
        max_size=25,
    ).map("".join)
)
def test_offset_map_matches_qt_positions(text: str) -> None:
    document = QtGui.QTextDocument()
    document.setPlainText(text)
    offsets = OffsetMap(text)
    assert offsets.qt_length == document.characterCount() - 1
    for start in range(len(text) + 1):
        position = offsets.to_qt(start)
        if not (start > 0 and text[start - 1 : start + 1] == "\r\n"):
            assert offsets.from_qt(position) == start
        for end in range(start, len(text) + 1):
            cursor = QtGui.QTextCursor(document)
            cursor.setPosition(position)
            cursor.setPosition(offsets.to_qt(end), QtGui.QTextCursor.MoveMode.KeepAnchor)
            expected = text[start:end]
            if expected.endswith("\r") and text[end : end + 1] == "\n":
                expected = expected[:-1]  # "\r\n" is one separator, at the "\r"'s place
            assert cursor.selectedText() == as_document_text(expected)


def test_offset_map_inside_a_surrogate_pair_maps_to_the_character() -> None:
    offsets = OffsetMap("a😀b")
    assert [offsets.to_qt(i) for i in range(4)] == [0, 1, 3, 4]
    assert [offsets.from_qt(p) for p in range(5)] == [0, 1, 1, 2, 3]


# -- highlights ------------------------------------------------------------------------------


def tricky_mentions(status: str = "proposed") -> list[MentionRecord]:
    phrases = [
        ("Hà Nội", "GPE"), ("Vie\u0323\u0302t Nam", "GPE"), ("Wei Tao", "PERSON"),
        ("👩\u200d💻", "PERSON"), ("Le Hoai Trung", "PERSON"), ("China-ASEAN", "ORG"),
        ("16.4%", "ORG"), ("🇻🇳 in Guangxi", "GPE"), ("Guangxi", "GPE"),
        ("Nam\r\nWei", "ORG"),
    ]  # fmt: skip
    return [
        mention(i, TRICKY, phrase, label, status) for i, (phrase, label) in enumerate(phrases, 1)
    ]


@pytest.mark.parametrize("status", ["proposed", "accepted", "rejected"])
def test_highlights_cover_exactly_the_mention_text(view: DocumentView, status: str) -> None:
    mentions = tricky_mentions(status)
    view.set_document(record(TRICKY), mentions, LABELS)
    for item in mentions:
        cursor = view.mention_cursor(item.id)
        assert cursor is not None
        assert cursor.selectedText() == as_document_text(item.text)
    view.grab()  # paints every status without error


def test_fill_stops_at_the_mention_edges(view: DocumentView) -> None:
    text = "😀😀 xx Guangxi yy"
    view.set_document(record(text), [mention(1, text, "Guangxi", "GPE", "accepted")], LABELS)
    image = view.viewport().grab().toImage()
    cursor = view.mention_cursor(1)
    assert cursor is not None
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    cursor.setPosition(start)
    left = view.cursorRect(cursor)
    cursor.setPosition(end)
    right = view.cursorRect(cursor)
    y = left.top() + 1
    base = view.palette().color(QtGui.QPalette.ColorRole.Base)

    def tinted(x: int) -> bool:
        return image.pixelColor(x, y) != base

    assert tinted(left.left() + 2) and tinted(right.left() - 2)
    assert not tinted(left.left() - 3) and not tinted(right.left() + 3)


def test_zones_are_formatted(view: DocumentView) -> None:
    text = "Headline here\nHanoi (VNA) –\nBody text.\nPhoto: caption\n"
    zones = (
        ZoneRecord(1, 0, 13, "headline", "auto"),
        ZoneRecord(2, 14, 27, "dateline", "auto"),
        ZoneRecord(3, 28, 38, "body", "auto"),
        ZoneRecord(4, 39, 53, "caption", "auto"),
    )
    view.set_document(record(text, zones), [], LABELS)

    def fmt(offset: int) -> QtGui.QTextCharFormat:
        cursor = QtGui.QTextCursor(view.document())
        cursor.setPosition(offset + 1)
        return cursor.charFormat()

    body_size = view.font().pointSizeF()
    assert fmt(0).fontWeight() == QtGui.QFont.Weight.Bold
    assert fmt(0).fontPointSize() > body_size
    assert fmt(14).fontItalic() and not fmt(28).fontItalic()
    grey = fmt(39).foreground().color()
    assert grey.lightness() > 80 and fmt(28).foreground().style() == Qt.BrushStyle.NoBrush


# -- mentions as objects ---------------------------------------------------------------------


def test_click_selects_the_mention_under_the_mouse(view: DocumentView, qtbot) -> None:
    mentions = tricky_mentions()
    view.set_document(record(TRICKY), mentions, LABELS)
    for item_id in (3, 5, 6, 7):  # after emoji, combining marks and "\r\n"
        with qtbot.waitSignal(view.mention_selected) as blocker:
            point = point_in(view, item_id, 0.8)  # "Tao" of "Wei Tao": not in mention 10
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert blocker.args == [item_id]
        assert view.selected_mention() == item_id
    end = view.document().lastBlock().layout().lineAt(0).rect().bottomRight()
    with qtbot.waitSignal(view.mention_selected) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QtCore.QPoint(600, 400))
    assert blocker.args == [-1] and end.y() < 400
    assert view.selected_mention() is None


def test_click_on_nested_mentions_picks_the_innermost_then_cycles(
    view: DocumentView, qtbot
) -> None:
    text = "the Communist Party of Vietnam Central Committee met"
    outer = mention(1, text, "Communist Party of Vietnam Central Committee", "ORG", "accepted")
    inner = mention(2, text, "Vietnam", "GPE", "proposed")
    crossing = mention(3, text, "Central Committee met", "ORG", "proposed")
    view.set_document(record(text), [outer, inner, crossing], LABELS)
    picked = []
    for _ in range(3):
        with qtbot.waitSignal(view.mention_selected) as blocker:
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(view, 2))
        picked.append(blocker.args[0])
    assert picked == [2, 1, 2]
    assert view.mentions_at(point_in(view, 3, 0.2)) == [3, 1]  # innermost (shortest) first
    view.grab()


def test_select_mention_scrolls_and_next_mention_orders_and_wraps(view: DocumentView) -> None:
    text = "".join(f"Line {i} about Vietnam and Guangxi.\n" for i in range(200))
    mentions = [
        mention(10, text, "Vietnam", "GPE", "accepted", nth=0),
        mention(11, text, "Line 0 about Vietnam", "ORG", "proposed"),
        mention(12, text, "Guangxi", "GPE", "proposed", nth=0),
        mention(13, text, "Vietnam", "GPE", "rejected", nth=150),
        mention(14, text, "Guangxi", "GPE", "proposed", nth=199),
    ]
    view.set_document(record(text), mentions, LABELS)
    assert view.next_mention() == 11  # from the cursor at the start; container first
    assert view.next_mention(forward=False) == 14  # wraps backwards
    assert view.select_mention(11)
    order = [11]
    for _ in range(5):
        view.select_mention(view.next_mention())
        order.append(view.selected_mention())
    assert order == [11, 10, 12, 13, 14, 11]
    assert view.next_mention("proposed") == 12
    view.select_mention(14)
    assert view.verticalScrollBar().value() > 0  # scrolled to the end
    assert view.next_mention("proposed") == 11  # wraps
    assert view.next_mention("rejected", forward=False) == 13
    assert view.next_mention("missing") is None
    assert not view.select_mention(999) and view.selected_mention() is None


def test_set_mentions_keeps_scroll_and_selected_mention(view: DocumentView) -> None:
    text = "".join(f"Paragraph {i} on Guangxi.\n" for i in range(300))
    mentions = [mention(i, text, "Guangxi", "GPE", nth=i) for i in range(300)]
    view.set_document(record(text), mentions, LABELS)
    view.select_mention(150)
    view.highlight_entity([149, 150, 151, 999])
    scroll = view.verticalScrollBar().value()
    assert scroll > 0
    changed = [m if m.id != 150 else mention(150, text, "Guangxi", "GPE", "accepted", nth=150)
               for m in mentions[1:]]  # fmt: skip
    view.set_mentions(changed)
    assert view.selected_mention() == 150
    assert view.verticalScrollBar().value() == scroll
    view.set_mentions([m for m in changed if m.id != 150])
    assert view.selected_mention() is None
    assert view.verticalScrollBar().value() == scroll
    view.grab()


def test_context_menu_reports_the_mention(view: DocumentView, qtbot) -> None:
    view.set_document(record(TRICKY), tricky_mentions(), LABELS)
    point = point_in(view, 5)
    event = QtGui.QContextMenuEvent(
        QtGui.QContextMenuEvent.Reason.Mouse, point, view.viewport().mapToGlobal(point)
    )
    selected: list[int] = []
    requested: list[tuple[QtCore.QPoint, int]] = []
    view.mention_selected.connect(selected.append)
    view.context_menu_requested.connect(lambda pos, mention_id: requested.append((pos, mention_id)))
    QtWidgets.QApplication.sendEvent(view.viewport(), event)
    assert selected == [5]  # a right click selects the mention first
    assert requested == [(view.viewport().mapToGlobal(point), 5)]
    QtWidgets.QApplication.sendEvent(view.viewport(), event)
    assert selected == [5] and requested[-1][1] == 5  # no second selection signal


def test_tooltip_text(view: DocumentView) -> None:
    item = mention(1, TRICKY, "Wei Tao", "PERSON", "accepted", confidence=0.8765)
    assert mention_tooltip(item, LABELS["PERSON"]).splitlines() == [
        "PERSON · accepted",
        "Origin: model",
        "Extractor: ner.v1",
        "Confidence: 0.88",
    ]
    bare = mention(2, TRICKY, "Guangxi", "GPE", confidence=None, extractor=None)
    text = mention_tooltip(bare, LABELS["GPE"])
    assert "Extractor: —" in text and "Confidence: —" in text
    view.set_document(record(TRICKY), [item, bare], LABELS)
    assert view.tooltip_texts(point_in(view, 1)) == [mention_tooltip(item, LABELS["PERSON"])]
    assert view.tooltip_texts(QtCore.QPoint(630, 410)) == []


# -- selection, zoom, keys -------------------------------------------------------------------


def test_selection_span_snaps_to_tokens(view: DocumentView, qtbot) -> None:
    view.set_document(record(TRICKY), [], LABELS)
    start = TRICKY.index("hina-ASEAN")
    with qtbot.waitSignal(view.selection_changed):
        view.select_span(start, start + 3)
    assert view.selection_span() == (start - 1, start + 4)  # "China"
    view.select_span(start - 3, start + 7)  # "\r\nChina-ASE"
    assert view.selection_span() == (start - 1, start + 10)  # "China-ASEAN"
    view.snap_to_tokens = False
    assert view.selection_span() == (start - 3, start + 7)
    view.snap_to_tokens = True
    emoji = TRICKY.index("😀")
    view.select_span(emoji - 1, emoji + 2)  # " 😀 "
    assert view.selection_span() == (emoji, emoji + 1)
    view.select_span(emoji + 1, emoji + 2)  # whitespace only
    assert view.selection_span() is None
    view.select_span(3, 3)
    assert view.selection_span() is None


def test_evidence_is_shaded_not_selected_and_scrolled_to(view: DocumentView) -> None:
    filler = "".join(f"Line {n} of an invented dispatch about border trade.\n" for n in range(60))
    sentence = "Wei Tao 👩\u200d💻 met Le Hoai Trung in Guangxi."
    text = filler + sentence + "\n" + filler
    mentions = [mention(1, text, "Wei Tao", "PERSON"), mention(2, text, "Guangxi", "GPE")]
    view.set_document(record(text), mentions, LABELS)
    view.select_mention(1)
    view.select_span(3, 9)  # an earlier selection of the analyst's
    assert view.verticalScrollBar().value() == 0
    start = text.index(sentence)
    base = view.palette().color(QtGui.QPalette.ColorRole.Base)

    view.show_evidence(start, start + len(sentence))

    assert view.evidence_span() == (start, start + len(sentence))
    assert view.selection_span() is None and not view.textCursor().hasSelection()
    assert view.selected_mention() is None  # a label key has nothing to act on now
    assert view.verticalScrollBar().value() > 0  # scrolled down to the sentence
    rects = view.evidence_rects()
    assert rects and all(view.viewport().rect().intersects(r.toRect()) for r in rects)
    image = view.viewport().grab().toImage()
    cursor = QtGui.QTextCursor(view.document())
    cursor.setPosition(OffsetMap(text).to_qt(start + sentence.index(" met ")) + 2)
    point = view.cursorRect(cursor).center()  # inside "met", on no mention
    assert image.pixelColor(point.x(), rects[0].top() + 1) != base  # shaded behind the text
    bar = image.pixelColor(4, int(rects[0].center().y()))
    assert bar == QtGui.QColor(styles.EVIDENCE_EDGE_COLOR)  # the margin bar beside the lines

    view.show_evidence(None)
    assert view.evidence_span() is None and view.evidence_rects() == []
    view.show_evidence(start, start + 5)
    view.set_document(record(text), mentions, LABELS)  # another document: no evidence
    assert view.evidence_span() is None


def test_zoom_changes_the_font_size(view: DocumentView, qtbot) -> None:
    text = "Headline\nbody"
    view.set_document(record(text, (ZoneRecord(1, 0, 8, "headline", "auto"),)), [], LABELS)
    size = view.font().pointSizeF()
    view.zoom_in()
    assert view.font().pointSizeF() > size
    view.reset_zoom()
    assert view.font().pointSizeF() == size
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    bigger = view.font().pointSizeF()
    assert bigger > size
    cursor = QtGui.QTextCursor(view.document())
    cursor.setPosition(1)
    assert cursor.charFormat().fontPointSize() > bigger  # the headline grows too
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSizeF() < size
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSizeF() == size


def test_window_shortcuts_fire_while_the_view_has_focus(qtbot) -> None:
    window = QtWidgets.QWidget()  # no layout: the offscreen platform warns about size hints
    qtbot.addWidget(window)
    window.resize(640, 480)
    view = DocumentView(window)
    view.setGeometry(0, 0, 640, 440)
    QtWidgets.QLineEdit(window).setGeometry(0, 445, 640, 30)
    fired: list[str] = []
    for keys in ("Tab", "Shift+Tab", "A", "X", "Del", "1"):
        shortcut = QtGui.QShortcut(QtGui.QKeySequence(keys), window)
        shortcut.activated.connect(lambda keys=keys: fired.append(keys))
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is window)
    view.set_document(record(TRICKY), tricky_mentions(), LABELS)
    view.setFocus()
    presses = [
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier),
        (Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_X, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier),
    ]
    for key, modifiers in presses:
        qtbot.keyClick(view, key, modifiers)
        assert view.hasFocus()
    assert fired == ["Tab", "Shift+Tab", "A", "X", "Del", "1"]


def test_clear(view: DocumentView) -> None:
    view.set_document(record(TRICKY), tricky_mentions(), LABELS)
    view.select_mention(3)
    view.clear()
    assert view.toPlainText() == "" and view.document_record() is None
    assert view.selected_mention() is None and view.next_mention() is None
    assert view.mention_cursor(3) is None and view.selection_span() is None
    view.grab()


def _rects_by_every_line(view: QtWidgets.QPlainTextEdit, start: int, end: int) -> list:
    """line_rects the long way: every line of every block the range touches is looked at."""
    rects = []
    offset = view.contentOffset()
    block = view.document().findBlock(start)
    while block.isValid() and block.position() < end:
        layout = block.layout()
        origin = view.blockBoundingGeometry(block).translated(offset).topLeft()
        for index in range(layout.lineCount()):
            line = layout.lineAt(index)
            first = max(start, block.position() + line.textStart())
            last = min(end, block.position() + line.textStart() + line.textLength())
            if first < last:
                left = line.cursorToX(first - block.position())
                right = line.cursorToX(last - block.position())
                left = left[0] if isinstance(left, tuple) else left
                right = right[0] if isinstance(right, tuple) else right
                rect = QtCore.QRectF(min(left, right), line.y(), abs(right - left), line.height())
                rects.append(rect.translated(origin))
        block = block.next()
    return rects


def test_line_rects_reads_only_the_lines_a_range_touches_and_gives_the_same_rects(qtbot) -> None:
    """Long wrapped paragraphs: the rectangles of any range equal those of looking at every
    line, at line edges, across paragraphs and at the ends of the text."""
    from desktop.ui.viewer.geometry import line_rects

    edit = QtWidgets.QPlainTextEdit()
    qtbot.addWidget(edit)
    edit.resize(420, 2000)
    sentence = "The delegation visited the port and signed three agreements on trade"
    words = sentence.split(" ")
    paragraphs = [
        " ".join(words[(i + j) % len(words)] for j in range(60 + 9 * i)) for i in range(4)
    ]
    edit.setPlainText("\n".join(paragraphs))
    edit.show()
    qtbot.waitExposed(edit)
    length = edit.document().characterCount() - 1
    assert edit.document().firstBlock().layout().lineCount() > 5  # the paragraphs wrap
    edges = {0, 1, length - 1, length}
    block = edit.document().firstBlock()
    while block.isValid():
        layout = block.layout()
        for index in range(layout.lineCount()):
            at = block.position() + layout.lineAt(index).textStart()
            edges.update({at - 1, at, at + 1})
        block = block.next()
    points = sorted(p for p in edges | set(range(0, length, 37)) if 0 <= p <= length)
    for start in points[::3]:
        for end in points[::2]:
            assert line_rects(edit, start, end) == _rects_by_every_line(edit, start, end), (
                start,
                end,
            )
