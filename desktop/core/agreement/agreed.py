"""The items other layers hold too, for an export of "agreed items only"."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from desktop.core.agreement.files import open_any
from desktop.core.agreement.layers import Layer, read_layer
from desktop.core.agreement.matching import align, common_ground
from desktop.core.formats.selection import Agreed


def agreed_with(ours: Layer, others: Sequence[Layer]) -> Agreed:
    """What every one of `others` holds, keyed and offset on our documents (a document one
    of them lacks has nothing agreed)."""
    spans: dict[str, frozenset[tuple[int, int, str]]] = {}
    facts: dict[str, frozenset] = {}
    for i, other in enumerate(align(ours, layer) for layer in others):
        other = common_ground([ours, other])[1]
        for sha in ours.documents:
            doc = other.documents.get(sha)
            got_spans = frozenset(tuple(s) for s in doc.spans) if doc else frozenset()
            got_facts = frozenset(doc.facts) if doc else frozenset()
            spans[sha] = got_spans if i == 0 else spans[sha] & got_spans  # type: ignore[assignment]
            facts[sha] = got_facts if i == 0 else facts[sha] & got_facts
    literal = all(layer.literal_arguments for layer in others)
    return Agreed(" + ".join(Path(layer.name).name for layer in others), spans, facts, literal)


def agreed_with_files(
    project,  # type: ignore[no-untyped-def]  # a Store or a read-only project
    paths: Sequence[str | Path],
    fmt: str | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    *,
    statuses: Collection[str] = ("accepted",),
    include_human: bool = True,
) -> Agreed:
    """`agreed_with` other project files or exports (told from each file unless `fmt`),
    their items counted by `statuses` and `include_human` as the export's own are.
    Raises `AgreementError` for a file that cannot be read as a layer."""
    chosen = {"statuses": statuses, "include_human": include_human}
    others = [open_any(p, fmt, cancelled=cancelled, **chosen) for p in paths]  # type: ignore[arg-type]
    # every item of ours, whatever its status: the export's own selection filters those
    ours = read_layer(project, "project", statuses=("accepted", "proposed"))
    return agreed_with(ours, others)
