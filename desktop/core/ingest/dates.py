"""Publication dates given as metadata fields (ISO, RFC 2822 or free text) to ISO 8601."""

from __future__ import annotations

from datetime import date, datetime
from email.utils import parsedate_to_datetime


def iso_date(value: str | None) -> str | None:
    """The ISO 8601 date (YYYY-MM-DD) of a metadata date string, or None."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    import dateparser  # slow to import: only for free-text dates

    # absolute dates only: "yesterday" in a metadata field must not become the import date
    settings = {"STRICT_PARSING": True, "PARSERS": ["custom-formats", "absolute-time"]}
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed else None
