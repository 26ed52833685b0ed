"""Where two layers disagree on spans: the places an adjudicator walks through.

On each document both layers hold, the spans of both are grouped into places: spans that
overlap (whatever their labels) are one place, chained (A overlaps B overlaps C). A place
where the two layers do not hold the very same spans is a disagreement: a label, an edge,
a span only one layer has. Each carries the sentence around it, for showing both sides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.agreement.layers import DocumentLayer, FactItem, Layer, Span
from desktop.core.agreement.matching import align, common_ground

CONTEXT = 240  # at most this many characters of sentence on each side of a place
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*\n|\n")


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One place where the layers differ (`ours` is the reference: the project)."""

    sha256: str
    source: str
    document_id: int | None
    start: int  # the place: from the first span's start to the last one's end
    end: int
    ours: tuple[Span, ...]
    theirs: tuple[Span, ...]
    sentence: tuple[int, int]  # offsets of the text shown around it
    ours_facts: tuple[FactItem, ...] = ()  # a fact place: the facts of each side there
    theirs_facts: tuple[FactItem, ...] = ()

    @property
    def is_fact(self) -> bool:
        """Whether the place is about facts (its spans are then empty)."""
        return bool(self.ours_facts or self.theirs_facts)

    @property
    def kind(self) -> str:
        """label, boundary, only ours, only theirs, or several (more spans on a side);
        fact, fact only ours, fact only theirs for a fact place."""
        if self.is_fact:
            if not self.theirs_facts:
                return "fact only ours"
            return "fact only theirs" if not self.ours_facts else "fact"
        if not self.theirs:
            return "only ours"
        if not self.ours:
            return "only theirs"
        if len(self.ours) == len(self.theirs) == 1:
            a, b = self.ours[0], self.theirs[0]
            return "label" if (a.start, a.end) == (b.start, b.end) else "boundary"
        return "several"


def places(spans_a: tuple[Span, ...], spans_b: tuple[Span, ...]) -> list[tuple[list, list]]:
    """The spans of both sides grouped by overlap, in text order: (ours, theirs) a place."""
    tagged = sorted([(s, 0) for s in spans_a] + [(s, 1) for s in spans_b])
    out: list[tuple[list, list]] = []
    reach = -1
    for span, side in tagged:
        if span.start >= reach:  # shares no character with the place so far
            out.append(([], []))
            reach = span.end
        else:
            reach = max(reach, span.end)
        out[-1][side].append(span)
    return out


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or sentences) holding [start, end), at most CONTEXT characters on
    either side."""
    low = max(0, start - CONTEXT)
    left = low
    for m in _SENTENCE_END.finditer(text, low, start):
        left = m.end()
    if left == low and low > 0:  # cut short: start at a word
        space = text.find(" ", low, start)
        left = space + 1 if space >= 0 else low
    found = _SENTENCE_END.search(text, end, min(len(text), end + CONTEXT))
    if found:
        right = found.start() if text[found.start()].isspace() else found.start() + 1
    else:
        right = min(len(text), end + CONTEXT)
        if right < len(text):  # cut short: end at a word
            space = text.rfind(" ", end, right)
            right = space if space >= 0 else right
    return left, max(right, end)


def _where(fact: FactItem) -> tuple[int, int] | None:
    """From the first argument's start to the last one's end (None: all literal)."""
    placed = [(s, e) for _r, s, e in fact.arguments if s is not None and e is not None]
    if not placed:
        return None
    return min(s for s, _e in placed), max(e for _s, e in placed)


def _touch(a: FactItem, b: FactItem) -> bool:
    """Same type, and an argument of one shares a character with one of the other."""
    if a.type != b.type:
        return False
    return any(
        s1 is not None
        and s2 is not None
        and e1 is not None
        and e2 is not None
        and s1 < e2
        and s2 < e1
        for _r1, s1, e1 in a.arguments
        for _r2, s2, e2 in b.arguments
    )


def fact_places(ours: DocumentLayer, theirs: DocumentLayer) -> list[Disagreement]:
    """The facts one side holds and the other not, a fact of ours paired with one of
    theirs of the same type that shares an argument's text (their arguments differ)."""
    only_a = sorted(set(ours.facts) - set(theirs.facts))
    only_b = sorted(set(theirs.facts) - set(ours.facts))
    pairs: list[tuple[tuple[FactItem, ...], tuple[FactItem, ...]]] = []
    for fa in only_a:
        match = next((fb for fb in only_b if _touch(fa, fb)), None)
        if match is not None:
            only_b.remove(match)
            pairs.append(((fa,), (match,)))
        else:
            pairs.append(((fa,), ()))
    pairs += [((), (fb,)) for fb in only_b]
    out = []
    for a, b in pairs:
        spots = [w for w in map(_where, a + b) if w is not None]
        if not spots:
            continue  # only literal arguments: nothing to show in the text
        start, end = min(s for s, _e in spots), max(e for _s, e in spots)
        out.append(
            Disagreement(
                ours.sha256,
                ours.source,
                ours.document_id,
                start,
                end,
                (),
                (),
                sentence_around(ours.text, start, end),
                a,
                b,
            )
        )
    return out


def _of_document(ours: DocumentLayer, theirs: DocumentLayer) -> list[Disagreement]:
    out = []
    for a, b in places(ours.spans, theirs.spans):
        if sorted(a) == sorted(b):
            continue
        start = min(s.start for s in a + b)
        end = max(s.end for s in a + b)
        out.append(
            Disagreement(
                ours.sha256,
                ours.source,
                ours.document_id,
                start,
                end,
                tuple(sorted(a)),
                tuple(sorted(b)),
                sentence_around(ours.text, start, end),
            )
        )
    out += fact_places(ours, theirs)
    out.sort(key=lambda d: (d.start, d.is_fact, d.end))
    return out


def find(
    ours: Layer,
    theirs: Layer,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Disagreement]:
    """Every span and fact disagreement on the documents both layers hold, in our
    documents' order and in text order within each."""
    ours, theirs = common_ground([ours, align(ours, theirs)])
    shared = [
        (doc, theirs.documents[sha])
        for sha, doc in ours.documents.items()
        if sha in theirs.documents
    ]
    out: list[Disagreement] = []
    for done, (a, b) in enumerate(shared, start=1):
        if cancelled():
            break
        out.extend(_of_document(a, b))
        if done % 100 == 0 or done == len(shared):
            progress(done, len(shared))
    return out


def find_in_document(ours: Layer, theirs: Layer, sha256: str) -> list[Disagreement]:
    """The disagreements of one document of `ours` (its key) with `theirs`: only that
    document of theirs is looked at when it has the same text, else all of them are
    aligned as `find` does (a re-spaced export)."""
    mine = Layer(ours.name, {sha256: ours.documents[sha256]}, ours.literal_arguments)
    mine.min_arguments, mine.holds_facts = ours.min_arguments, ours.holds_facts
    if sha256 in theirs.documents:
        one = Layer(theirs.name, {sha256: theirs.documents[sha256]}, theirs.literal_arguments)
        one.min_arguments, one.holds_facts = theirs.min_arguments, theirs.holds_facts
        theirs = one
    return find(mine, theirs)


CHOICES = {"left": "take ours", "right": "take theirs", "both": "take both"}


def chosen_spans(d: Disagreement, choice: str) -> list[tuple[int, int, str]]:
    """The spans a choice keeps at a place: ours (left), theirs (right) or both."""
    if choice == "left":
        picked: tuple[Span, ...] = d.ours
    elif choice == "right":
        picked = d.theirs
    elif choice == "both":
        picked = d.ours + d.theirs
    else:
        raise ValueError(f"unknown choice {choice!r} (left, right, both)")
    return sorted({(s.start, s.end, s.label) for s in picked})


def chosen_facts(d: Disagreement, choice: str) -> list[FactItem]:
    """The facts a choice keeps at a fact place: ours (left), theirs (right) or both."""
    picked = {"left": d.ours_facts, "right": d.theirs_facts}.get(choice)
    if picked is None and choice == "both":
        picked = d.ours_facts + d.theirs_facts
    if picked is None:
        raise ValueError(f"unknown choice {choice!r} (left, right, both)")
    return sorted(set(picked))


def summary(d: Disagreement, choice: str, text: str, chosen: list) -> str:
    """The undo step's name: "Adjudicate ferry: take theirs ('Corrow' LOC)"; for facts,
    "Adjudicate ferry: take theirs (EVENT fact)"."""
    if d.is_fact:
        what = ", ".join(f"{f.type} fact" for f in chosen) or "no fact"
        return f"Adjudicate {d.source}: {CHOICES.get(choice, 'edit')} ({what})"
    what = ", ".join(f"'{_short(text[s:e])}' {label}" for s, e, label in chosen) or "no span"
    verb = CHOICES.get(choice, "edit")
    return f"Adjudicate {d.source}: {verb} ({what})"


def _short(words: str, limit: int = 30) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[: limit - 1] + "…"
