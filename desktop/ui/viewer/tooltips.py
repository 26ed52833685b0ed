"""The hover text of a mention: label, status, origin, extractor and confidence."""

from __future__ import annotations

import html
from collections.abc import Iterable

from desktop.core.records import MentionRecord
from desktop.ui.viewer.styles import LabelStyle

MISSING = "—"


def mention_tooltip(mention: MentionRecord, style: LabelStyle) -> str:
    """Plain text, one field a line."""
    confidence = MISSING if mention.confidence is None else f"{mention.confidence:.2f}"
    return "\n".join(
        (
            f"{style.name} · {mention.status}",
            f"Origin: {mention.origin or MISSING}",
            f"Extractor: {mention.extractor or MISSING}",
            f"Confidence: {confidence}",
        )
    )


def tooltip_html(texts: Iterable[str]) -> str:
    """Several tooltips as one rich-text tooltip (escaped), separated by rules."""
    parts = [html.escape(text).replace("\n", "<br>") for text in texts]
    return "<qt>" + "<hr>".join(parts) + "</qt>" if parts else ""
