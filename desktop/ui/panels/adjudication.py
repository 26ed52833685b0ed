"""The adjudication view: walks the places two layers disagree on, side by side.

Left is the project as it is now (the curated layer), right the other layer as it was
read. A choice (take ours, take theirs, take both, or an edit) is written into the
project by the store as one revision batch and pushed on the window's undo stack as one
step. A place counts as settled while the project holds what was chosen there (or what
theirs holds), so an undo opens it again; Next skips settled places.

An undo can take back a decision of an earlier session too (the stack is rebuilt from the
log): a place decided then for theirs agrees now, so a new comparison did not list it.
When an undo or redo changes a remembered decision, the view reads that document of the
project again and lists the places it and theirs now disagree on, open again.

Signals: changed(int) — the project's spans on this document changed; open_requested(int,
int) — show this document at this offset in the main window.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.agreement.disagreements import (
    Disagreement,
    chosen_facts,
    chosen_spans,
    find_in_document,
    summary,
)
from desktop.core.agreement.layers import FactItem, Layer, Span, read_layer
from desktop.core.formats.selection import fact_key
from desktop.core.store import Store
from desktop.core.store.adjudication import (
    Adjudication,
    choice_text,
    decided_choices,
    place_key,
    remember,
    settle_facts,
)
from desktop.ui.commands import push_change

Spans = tuple[tuple[int, int, str], ...]
FALLBACK_COLOR = "#b0b0b0"
FACT_COLOR = "#8e6bd8"  # a fact's arguments, marked by role
KEYS = {  # action -> shortcuts (the buttons say them)
    "left": "Left; 1",
    "right": "Right; 2",
    "both": "B; 3",
    "edit": "E",
    "previous": "Up; P",
    "next": "Down; N",
    "open": "O",
}


def tint(color: str, share: float = 0.3) -> str:
    """A light opaque tint of "#rrggbb" (Qt's rich text reads 8 hex digits as #aarrggbb,
    so a translucent "#rrggbb55" would be another colour)."""
    c = color.lstrip("#")
    if len(c) != 6:
        c = FALLBACK_COLOR.lstrip("#")
    rgb = [int(c[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - v) * share):02x}" for v in rgb)


KINDS = {
    "label": "the labels differ",
    "boundary": "the edges differ",
    "only ours": "only ours has a span",
    "only theirs": "only theirs has a span",
    "several": "several spans differ",
    "fact": "the facts' arguments differ",
    "fact only ours": "only ours has this fact",
    "fact only theirs": "only theirs has this fact",
}


def fact_marks(facts: Sequence[FactItem]) -> tuple[Span, ...]:
    """The facts' arguments as spans to mark, each labelled with its role."""
    return tuple(
        sorted(
            {
                Span(s, e, role)
                for f in facts
                for role, s, e in f.arguments
                if s is not None and e is not None
            }
        )
    )


def _text_order(arg: tuple[str, int | None, int | None]) -> tuple[bool, int]:
    """Arguments in text order, literal ones (no offsets) last."""
    return arg[1] is None, arg[1] or 0


def _fact_listing(text: str, facts: Sequence[FactItem]) -> str:
    if not facts:
        return "<i>no fact here</i>"
    lines = []
    for f in facts:
        args = ", ".join(
            f"{html.escape(role)} “{html.escape(text[s:e])}”"
            if s is not None and e is not None
            else html.escape(role)
            for role, s, e in sorted(f.arguments, key=_text_order)
        )
        lines.append(f"<b>{html.escape(f.type)}</b>: {args}")
    return "<br>".join(lines)


def marked_html(text: str, window: tuple[int, int], spans: Sequence[Span], colors: dict) -> str:
    """The text of `window` with the spans marked (a tint and the label after each)."""
    low, high = window
    cuts = sorted({low, high, *(max(low, min(high, p)) for s in spans for p in (s.start, s.end))})
    out = []
    for a, b in itertools.pairwise(cuts):
        over = [s for s in spans if s.start < b and s.end > a]
        piece = html.escape(text[a:b]).replace("\n", "<br>")
        if over:
            color = colors.get(over[0].label, FALLBACK_COLOR)
            piece = f'<span style="background-color:{tint(color)};">{piece}</span>'

        out.append(piece)
        for s in spans:
            if s.end == b and s.start < b:
                color = colors.get(s.label, FALLBACK_COLOR)
                out.append(
                    f'<sup style="color:{color}; font-weight:bold;">{html.escape(s.label)}</sup>'
                )
    body = "".join(out)
    before = "… " if low > 0 else ""
    after = " …" if high < len(text) else ""
    return f'<div style="font-size:12pt; line-height:150%;">{before}{body}{after}</div>'


def _listing(text: str, spans: Sequence[Span]) -> str:
    if not spans:
        return "<i>no span here</i>"
    items = (
        f"<b>{html.escape(s.label)}</b> “{html.escape(text[s.start : s.end])}” "
        f"<span style='color:gray'>{s.start}–{s.end}</span>"
        for s in spans
    )
    return "<br>".join(items)


class AdjudicationView(QWidget):
    """Side by side: ours (the project now) and theirs, with the choice buttons."""

    changed = Signal(int)
    open_requested = Signal(int, int)

    def __init__(
        self,
        store: Store,
        places: list[Disagreement],
        texts: dict[str, str],
        theirs_name: str,
        stack: QUndoStack,
        colors: dict[str, str] | None = None,
        parent: QWidget | None = None,
        theirs: Layer | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.theirs = theirs  # the other layer: a document's places found again after an undo
        self.places = places
        self.texts = texts  # sha256 -> text
        self.stack = stack
        self.colors = colors or {}
        self.adjudication = Adjudication(store.engine)
        self.keys = [place_key(p.sha256, p.theirs, p.theirs_facts) for p in places]
        self.decisions = decided_choices(store.engine)  # place key -> choices, kept in the project
        self.index = 0
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.ours_view, self.theirs_view = QTextBrowser(), QTextBrowser()
        self.ours_list, self.theirs_list = QLabel(), QLabel()
        grid = QGridLayout()
        for column, (title, view, listing) in enumerate(
            (
                ("Ours — this project, now", self.ours_view, self.ours_list),
                (f"Theirs — {theirs_name}", self.theirs_view, self.theirs_list),
            )
        ):
            caption = QLabel(f"<b>{html.escape(title)}</b>")
            listing.setTextFormat(Qt.TextFormat.RichText)
            listing.setWordWrap(True)
            listing.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            view.setOpenLinks(False)
            grid.addWidget(caption, 0, column)
            grid.addWidget(view, 1, column)
            grid.addWidget(listing, 2, column)
        grid.setRowStretch(1, 1)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text in (
            ("left", "◀ Take ours"),
            ("right", "Take theirs ▶"),
            ("both", "Take both"),
            ("edit", "Edit…"),
            ("previous", "▲ Previous"),
            ("next", "Next ▼"),
            ("open", "Show in document"),
        ):
            keys = QKeySequence.listFromString(KEYS[key])
            button = QPushButton(
                f"{text}  ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})"
            )
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(self._slot(key))
            self.buttons[key] = button
            row.addWidget(button)
            for sequence in keys:
                shortcut = QShortcut(sequence, self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(self._slot(key))
        for names, slot in (("Ctrl+Z", self.stack.undo), ("Ctrl+Shift+Z; Ctrl+Y", self.stack.redo)):
            for sequence in QKeySequence.listFromString(names):
                shortcut = QShortcut(sequence, self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(grid, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.stack.indexChanged.connect(self._stack_moved)
        if places:
            self.show_place(0)
            if self.settled(0) is not None:  # decided in an earlier session: the first open one
                self.next()

    def _slot(self, key: str) -> Callable[[], None]:
        actions: dict[str, Callable[[], None]] = {
            "left": lambda: self.take("left"),
            "right": lambda: self.take("right"),
            "both": lambda: self.take("both"),
            "edit": self.edit,
            "previous": self.previous,
            "next": self.next,
            "open": self._open,
        }
        return actions[key]

    # -- state ---------------------------------------------------------------------
    def current(self) -> Disagreement | None:
        """The place shown."""
        return self.places[self.index] if self.places else None

    def live(self, place: Disagreement) -> tuple[Span, ...]:
        """The project's spans in the place now (those an export would hold by default)."""
        if place.document_id is None:
            return place.ours
        found = {
            Span(m.start, m.end, m.label)
            for m in self.store.mentions.for_document(place.document_id)
            if m.start < place.end
            and m.end > place.start
            and m.status != "rejected"
            and (m.status == "accepted" or m.origin == "human")
        }
        return tuple(sorted(found))

    def live_facts(self, place: Disagreement) -> tuple[FactItem, ...]:
        """Of the facts at stake at a fact place, those the project holds now that count."""
        stake = set(place.ours_facts) | set(place.theirs_facts)
        if place.document_id is None:
            return place.ours_facts
        found = set()
        for fact in self.store.facts.for_document(place.document_id):
            key = fact_key(fact)
            counts = fact.status == "accepted" or fact.origin == "human"
            if key in stake and fact.status != "rejected" and counts:
                found.add(FactItem(*key))
        return tuple(sorted(found))

    def settled(self, i: int, live: tuple | None = None) -> str | None:
        """How place `i` was settled ("agrees with theirs", "decided"), or None if open."""
        place = self.places[i]
        if place.is_fact:
            now = set(live if live is not None else self.live_facts(place))
            theirs: set = set(place.theirs_facts)
        else:
            now = {tuple(s) for s in (live if live is not None else self.live(place))}
            theirs = {tuple(s) for s in place.theirs}
        if now == theirs:
            return "agrees with theirs now"
        if choice_text(now) in self.decisions.get(self.keys[i], ()):
            return "decided"
        return None

    def open_count(self) -> int:
        """How many places are still open (reads the project for those decided)."""
        return sum(1 for i in range(len(self.places)) if self.settled(i) is None)

    # -- showing -------------------------------------------------------------------
    def _stack_moved(self, _index: int) -> None:
        """An undo, redo or new step (here or in the main window): show the place again,
        and list again the places of a document whose remembered decisions changed."""
        if self.isVisible():
            before, self.decisions = self.decisions, decided_choices(self.store.engine)
            changed = {
                key.split(":")[1]
                for key in before.keys() | self.decisions.keys()
                if before.get(key) != self.decisions.get(key)
            }
            for sha in sorted(changed):
                self.find_again(sha)
            self.show_place(self.index)

    def find_again(self, sha256: str) -> int:
        """Add the places document `sha256` of the project and theirs disagree on now that
        the view does not list yet (in text order); how many were added."""
        place = next((p for p in self.places if p.sha256 == sha256), None)
        doc_id = place.document_id if place is not None else self._document_of(sha256)
        if self.theirs is None or doc_id is None:
            return 0
        ours = read_layer(self.store, "ours", ids=[doc_id])
        if sha256 not in ours.documents:
            return 0
        added = 0
        for found in find_in_document(ours, self.theirs, sha256):
            key = place_key(found.sha256, found.theirs, found.theirs_facts)
            if key in self.keys:
                continue
            at = self._slot_for(found)
            self.places.insert(at, found)
            self.keys.insert(at, key)
            if at <= self.index and len(self.places) > 1:
                self.index += 1
            added += 1
        return added

    def _document_of(self, sha256: str) -> int | None:
        return self.store.documents.find_by_sha(sha256)

    def _slot_for(self, found: Disagreement) -> int:
        """Where a place found again goes: among its document's places, in text order."""
        same = [i for i, p in enumerate(self.places) if p.sha256 == found.sha256]
        for i in same:
            if (self.places[i].start, self.places[i].end) > (found.start, found.end):
                return i
        return same[-1] + 1 if same else len(self.places)

    def show_place(self, i: int) -> None:
        """Show place `i` (both sides, its sentence, whether it is settled)."""
        if not self.places:
            self.header.setText("No disagreements: the two layers hold the same spans.")
            return
        self.index = max(0, min(i, len(self.places) - 1))
        place = self.places[self.index]
        text = self.texts.get(place.sha256, "")
        live: tuple
        if place.is_fact:
            live = self.live_facts(place)
            ours_marks, theirs_marks = fact_marks(live), fact_marks(place.theirs_facts)
            self.ours_list.setText(_fact_listing(text, live))
            self.theirs_list.setText(_fact_listing(text, place.theirs_facts))
        else:
            live = ours_marks = self.live(place)
            theirs_marks = place.theirs
            self.ours_list.setText(_listing(text, live))
            self.theirs_list.setText(_listing(text, place.theirs))
        colors = self.colors
        if place.is_fact:
            colors = colors | {s.label: FACT_COLOR for s in (*ours_marks, *theirs_marks)}
        self.ours_view.setHtml(marked_html(text, place.sentence, ours_marks, colors))
        self.theirs_view.setHtml(marked_html(text, place.sentence, theirs_marks, colors))
        state = self.settled(self.index, live)
        mark = f" — <span style='color:#2a7a2a'>✔ {state}</span>" if state else ""
        self.header.setText(
            f"<b>Place {self.index + 1} of {len(self.places)}</b> · "
            f"{html.escape(place.source)} · {KINDS.get(place.kind, place.kind)}{mark}"
        )

    def next(self) -> None:
        """The next place still open (after the one shown; wraps around)."""
        n = len(self.places)
        for step in range(1, n + 1):
            i = (self.index + step) % n
            if self.settled(i) is None:
                self.show_place(i)
                return
        self.status.setText("Every place is settled.")

    def previous(self) -> None:
        """The place before the one shown, settled or not."""
        if self.index > 0:
            self.show_place(self.index - 1)

    # -- choices -------------------------------------------------------------------
    def take(self, choice: str) -> None:
        """Write a choice for the place shown (left: ours as they were compared, right:
        theirs, both)."""
        place = self.current()
        if place is None:
            return
        if place.is_fact:
            self.settle_facts(chosen_facts(place, choice), choice)
        else:
            self.settle(chosen_spans(place, choice), choice)  # ours as compared, not as now

    def settle(self, chosen: list[tuple[int, int, str]], choice: str = "edit") -> None:
        """Make the project hold `chosen` in the place shown: one undo step, then Next."""
        place = self.current()
        if place is None or place.document_id is None:
            return
        text = self.texts.get(place.sha256, "")
        name = summary(place, choice, text, chosen)
        change = self.adjudication.settle(place.document_id, (place.start, place.end), chosen, name)
        self._pushed(self._remember(chosen, change.batch, name), name, place.document_id)

    def settle_facts(self, chosen: list[FactItem], choice: str) -> None:
        """Make the project hold `chosen` of the facts at stake here: one undo step."""
        place = self.current()
        if place is None or place.document_id is None:
            return
        name = summary(place, choice, "", chosen)
        stake = list(place.ours_facts + place.theirs_facts)
        batch = settle_facts(self.store, place.document_id, stake, chosen, name)
        self._pushed(self._remember(chosen, batch, name), name, place.document_id)

    def _remember(self, chosen: Sequence, batch: int | None, name: str) -> int | None:
        """Keep the choice of the place shown in the project, in the same undo step."""
        key = self.keys[self.index]
        batch = remember(self.store, key, chosen, batch, name)
        self.decisions.setdefault(key, set()).add(choice_text(chosen))
        return batch

    def _pushed(self, batch: int | None, name: str, doc_id: int) -> None:
        if not push_change(self.stack, self.store, batch, name, lambda: self.changed.emit(doc_id)):
            self.status.setText("The project already held that: nothing to change.")
        else:
            self.status.setText(f"Written: {name} (Ctrl+Z undoes it).")
        self.next()

    def edit(self) -> None:
        """Choose the spans of the place by hand (a dialog), then write them."""
        place = self.current()
        if place is None:
            return
        if place.is_fact:
            self._edit_fact(place)
            return
        from desktop.ui.dialogs.place_editor import PlaceEditor

        text = self.texts.get(place.sha256, "")
        labels = sorted(set(self.colors) | {s.label for s in place.ours + place.theirs})
        dialog = PlaceEditor(text, place.sentence, self.live(place), place.theirs, labels, self)
        first = (place.theirs or place.ours)[0]
        dialog.label.setCurrentText(first.label)
        dialog.select(first.start, first.end)
        self.editor = dialog
        dialog.accepted.connect(lambda: self.settle(dialog.chosen(), "edit"))
        dialog.open()

    def _edit_fact(self, place: Disagreement) -> None:
        """Choose the fact's type and arguments by hand (a dialog), then write them."""
        from desktop.core.facts.lexicon import lexicon
        from desktop.ui.dialogs.fact_place_editor import FactPlaceEditor

        text = self.texts.get(place.sha256, "")
        live = self.live_facts(place) or place.ours_facts
        dialog = FactPlaceEditor(text, live, place.theirs_facts, lexicon().schema, self)
        self.editor = dialog  # type: ignore[assignment]
        dialog.accepted.connect(lambda: self.settle_facts(dialog.chosen(), "edit"))
        dialog.open()

    def _open(self) -> None:
        place = self.current()
        if place is not None and place.document_id is not None:
            self.open_requested.emit(place.document_id, place.start)


class AdjudicationWindow(QDialog):
    """The adjudication view in a window of its own, beside the main window."""

    def __init__(self, view: AdjudicationView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Adjudicate disagreements")
        self.view = view
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        self.resize(1040, 400)
