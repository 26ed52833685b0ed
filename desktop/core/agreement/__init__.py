"""How far two annotation layers of the same documents agree (Qt-free).

A layer is what one analyst (or one project file) holds for each document: its spans
(start, end, label) and its facts (type with its arguments). `layers` reads a layer from
a project and pairs the documents of two layers by content; `spans` and `tokens` hold
the figures; `compare` puts them together into an `Agreement`, and `report` writes it
as a table, JSON or CSV. `files` reads a layer from a project or an export, `matching`
pairs documents by content, `many` compares any number of layers, `disagreements`
finds the places an adjudicator walks, `agreed` the items an "agreed only" export keeps.
"""

from __future__ import annotations

from desktop.core.agreement.compare import Agreement, compare
from desktop.core.agreement.layers import (
    AgreementError,
    DocumentLayer,
    Layer,
    Span,
    open_layer,
    read_layer,
)

__all__ = [
    "Agreement",
    "AgreementError",
    "DocumentLayer",
    "Layer",
    "Span",
    "compare",
    "open_layer",
    "read_layer",
]
