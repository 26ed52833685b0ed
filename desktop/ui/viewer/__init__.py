"""The document viewer: text, zones and clickable mention highlights."""

from desktop.ui.viewer.document_view import DocumentView
from desktop.ui.viewer.styles import LabelStyle

__all__ = ["DocumentView", "LabelStyle"]
