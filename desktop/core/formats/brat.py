"""brat standoff export: a folder with `<source>.txt` and `<source>.ann` a document.

Mentions are T lines, with an A line for their status (`A1\tStatus T1 accepted`), an N
line when they resolve to an entity (`N1\tReference T1 Factdesk:7\tWei Tao`) and an
AnnotatorNotes line for a note. A fact is an E line whose trigger is a T line of the fact
type over its evidence (shared by every fact with the same evidence, whatever its type:
the E line keeps its own type), with one
`role:Tn` argument an argument (repeated roles numbered: participant, participant2), an A
line for its status and an AnnotatorNotes line for its note. An argument that is not an
exported mention gets a T line of its label (or role). Spans across line breaks are split
into fragments; a mention that starts or ends on a line break is reported, not written
(no fragment can hold the break). Two annotations on the exact same span are reported,
not written (pybrat refuses them). The report goes beside the folder (`<out>.report.txt`):
a stray `.txt` inside would read as a document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.formats.atomic import atomic_dir
from desktop.core.formats.report import LINE_BREAK_EDGE, NO_SPAN, SAME_SPAN, ExportReport
from desktop.core.formats.selection import Selected, Selection, iter_selected

if TYPE_CHECKING:
    from desktop.core.store import Store

_LINE = re.compile(r"[^\r\n]+")


@lru_cache(maxsize=4096)
def _name(label: str) -> str:
    """A label or role as brat takes it (no spaces, colons or semicolons)."""
    return re.sub(r"[\s:;]+", "_", label) or "_"


def _one_line(text: str) -> str:
    return " ".join(text.split())


class AnnWriter:
    """Numbers the annotations of one document and collects its .ann lines."""

    def __init__(self, item: Selected, report: ExportReport) -> None:
        self.item, self.report, self.text = item, report, item.document.text
        self.lines: list[str] = []
        self.spans: dict[tuple[int, int], tuple[str, str]] = {}
        self.n = {"T": 0, "E": 0, "A": 0, "N": 0, "#": 0}

    def next_id(self, kind: str) -> str:
        self.n[kind] += 1
        return f"{kind}{self.n[kind]}"

    def t_line(self, start: int, end: int, label: str) -> str:
        """Add a T line (split at line breaks); returns its id."""
        words = self.text[start:end]
        if "\n" in words or "\r" in words:
            frags = [(m.start(), m.end()) for m in _LINE.finditer(self.text, start, end)]
            frags = frags or [(start, end)]
            where = ";".join(f"{s} {e}" for s, e in frags)
            words = " ".join(self.text[s:e] for s, e in frags)
        else:  # most spans: one fragment
            where = f"{start} {end}"
        self.n["T"] += 1
        tid = f"T{self.n['T']}"
        self.lines.append(f"{tid}\t{_name(label)} {where}\t{words}")
        self.spans[(start, end)] = (tid, label)
        return tid

    def status(self, target: str, status: str) -> None:
        self.lines.append(f"{self.next_id('A')}\tStatus {target} {status}")

    def note(self, target: str, note: str | None) -> None:
        if note and note.strip():
            self.lines.append(f"{self.next_id('#')}\tAnnotatorNotes {target}\t{_one_line(note)}")


def ann_lines(item: Selected, report: ExportReport) -> list[str]:
    """The .ann lines of one document."""
    w = AnnWriter(item, report)
    text, lines, spans, n = w.text, w.lines, w.spans, w.n  # the mentions are most lines
    entities, notes = item.entities, item.notes
    names: dict[str, str] = {}  # an entity's name on one line, worked out once
    written = 0
    for m in item.mentions:
        start, end, label = m.start, m.end, m.label
        if (start, end) in spans:
            report.skip(SAME_SPAN, item.source, start, end, m.text, label)
            continue
        if text[start] in "\r\n" or text[end - 1] in "\r\n":
            report.skip(LINE_BREAK_EDGE, item.source, start, end, m.text, label)
            continue
        words = text[start:end]
        if "\n" in words or "\r" in words:
            tid = w.t_line(start, end, label)
        else:  # most mentions: one fragment, the T line written here
            n["T"] += 1
            tid = f"T{n['T']}"
            lines.append(f"{tid}\t{_name(label)} {start} {end}\t{words}")
            spans[(start, end)] = (tid, label)
        n["A"] += 1
        lines.append(f"A{n['A']}\tStatus {tid} {m.status}")
        if m.entity_id is not None:
            raw = entities.get(m.id, (m.entity_id, m.text))[1]
            name = names.get(raw)
            if name is None:
                name = names[raw] = _one_line(raw)
            n["N"] += 1
            lines.append(f"N{n['N']}\tReference {tid} Factdesk:{m.entity_id}\t{name}")
        note = notes.get(m.id)
        if note:
            w.note(tid, note)
        written += 1
    if written:
        report.count("entities", written)
    for f in item.facts:
        key = (f.evidence_start, f.evidence_end)
        trigger = w.spans[key][0] if key in w.spans else w.t_line(*key, f.type)
        args, seen = [], {}
        for a in f.arguments:
            if a.start is None or a.end is None:
                report.skip(NO_SPAN, item.source, None, None, a.value or "", f"{f.type}.{a.role}")
                continue
            got = w.spans.get((a.start, a.end))
            tid = got[0] if got else w.t_line(a.start, a.end, a.label or a.role)
            seen[a.role] = seen.get(a.role, 0) + 1
            role = _name(a.role) + (str(seen[a.role]) if seen[a.role] > 1 else "")
            args.append(f"{role}:{tid}")
        eid = w.next_id("E")
        w.lines.append(f"{eid}\t{_name(f.type)}:{trigger}" + "".join(f" {x}" for x in args))
        w.status(eid, f.status)
        w.note(eid, f.note)
        report.count("events")
    return w.lines


def export_brat(
    store: Store,
    out: Path,
    selection: Selection | None = None,
    *,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """Write the selected documents into the folder `out` and `<out>.report.txt` (atomically)."""
    report = ExportReport("brat", out)
    used: set[str] = set()
    with atomic_dir(out) as tmp:
        for item in iter_selected(store, selection or Selection(), progress, cancelled):
            stem = _name(item.source.replace("/", "_"))
            if stem in used:
                stem = f"{stem}_{item.document.info.id}"
            used.add(stem)
            (tmp / f"{stem}.txt").write_text(item.document.text, encoding="utf-8", newline="")
            lines = ann_lines(item, report)
            (tmp / f"{stem}.ann").write_text("".join(x + "\n" for x in lines), encoding="utf-8")
            report.count("documents")
    report.write(out.with_name(out.name + ".report.txt"))
    return report
