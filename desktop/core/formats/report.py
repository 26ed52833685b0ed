"""What an export wrote and what it could not hold, counted by reason with examples."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.formats.atomic import atomic_text_file

# Reasons a span or fact is left out of a format (the keys of ExportReport.skipped).
OVERLAP = "overlapping span"
MISALIGNED = "span not on token boundaries"
CROSSES_SENTENCE = "span crosses a sentence boundary"
FACT_UNSUPPORTED = "facts cannot be held by the format"
NO_SPAN = "fact argument without a span"
SAME_SPAN = "same span as another annotation"
LINE_BREAK_EDGE = "span starts or ends on a line break"
FEW_ARGS = "fact with fewer than two arguments on spans"


class ExportCancelled(Exception):
    """Raised inside an exporter when `cancelled()` says so; nothing is left behind."""


@dataclass(frozen=True, slots=True)
class Example:
    """One left-out item: where it was and what it said."""

    document: str
    start: int | None
    end: int | None
    text: str
    label: str


@dataclass
class ExportReport:
    """Counts of what was written and of what was left out, by reason."""

    format: str
    out: Path | None = None
    max_examples: int = 10
    written: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Example]] = field(default_factory=dict)
    notes: Counter[str] = field(default_factory=Counter)  # written, but worth knowing
    note_examples: dict[str, list[Example]] = field(default_factory=dict)
    cancelled: bool = False
    empty: str | None = None  # why nothing was written, when nothing matched
    proposed: int = 0  # when empty: the proposals that asking for them would add
    report_path: Path | None = None

    def count(self, what: str, n: int = 1) -> None:
        """Count `n` written items of a kind ("documents", "spans", "facts"...)."""
        self.written[what] += n

    def skip(
        self, reason: str, document: str, start: int | None, end: int | None, text: str, label: str
    ) -> None:
        """Record one left-out item (kept as an example up to `max_examples` a reason)."""
        self.skipped[reason] += 1
        shown = self.examples.setdefault(reason, [])
        if len(shown) < self.max_examples:
            shown.append(Example(document, start, end, text, label))

    def note(
        self, what: str, document: str, start: int | None, end: int | None, text: str, label: str
    ) -> None:
        """Record something about a written item the user should know (with examples)."""
        self.notes[what] += 1
        shown = self.note_examples.setdefault(what, [])
        if len(shown) < self.max_examples:
            shown.append(Example(document, start, end, text, label))

    @property
    def total(self) -> int:
        """How many items (spans, facts, entities, relations) were written."""
        return sum(n for what, n in self.written.items() if what != "documents")

    def text(self) -> str:
        """A plain-text summary for the command line and the report file."""
        lines = [f"Export: {self.format}" + (f" -> {self.out}" if self.out else "")]
        if self.cancelled:
            lines.append("Cancelled: nothing was written.")
            return "\n".join(lines) + "\n"
        if self.empty is not None:
            lines.append(f"Nothing written: {self.empty}.")
            return "\n".join(lines) + "\n"
        lines += [f"  {what}: {n}" for what, n in sorted(self.written.items())]
        if not self.skipped:
            lines.append("Nothing left out.")
        for title, counts, examples in (
            ("Left out", self.skipped, self.examples),
            ("Note", self.notes, self.note_examples),
        ):
            for reason, n in sorted(counts.items()):
                lines.append(f"{title} ({reason}): {n}")
                for ex in examples.get(reason, []):
                    where = f"{ex.start}-{ex.end}" if ex.start is not None else "-"
                    lines.append(f"  {ex.document} [{where}] {ex.label}: {ex.text!r}")
        return "\n".join(lines) + "\n"

    def write(self, path: Path) -> Path:
        """Write `text()` to `path` atomically; returns the path."""
        with atomic_text_file(path) as fh:
            fh.write(self.text())
        self.report_path = path
        return path
