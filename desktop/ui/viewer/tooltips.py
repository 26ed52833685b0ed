"""The hover text of a mention: label, status, origin, extractor and confidence."""

from __future__ import annotations

import html
from collections.abc import Iterable

from desktop.core.records import MentionRecord
from desktop.ui.viewer.styles import LabelStyle

MISSING = "—"


def mention_tooltip(
    mention: MentionRecord,
    style: LabelStyle,
    tags: Iterable[str] = (),
    note: str | None = None,
) -> str:
    """Plain text, one field a line; the tags and the note when the mention has them."""
    confidence = MISSING if mention.confidence is None else f"{mention.confidence:.2f}"
    lines = [
        f"{style.name} · {mention.status}",
        f"Origin: {mention.origin or MISSING}",
        f"Extractor: {mention.extractor or MISSING}",
        f"Confidence: {confidence}",
    ]
    tags = list(tags)
    if tags:
        lines.append(f"Tags: {', '.join(tags)}")
    if note:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def tooltip_html(texts: Iterable[str]) -> str:
    """Several tooltips as one rich-text tooltip (escaped), separated by rules."""
    parts = [html.escape(text).replace("\n", "<br>") for text in texts]
    return "<qt>" + "<hr>".join(parts) + "</qt>" if parts else ""
