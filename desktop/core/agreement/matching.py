"""Documents of two layers paired by content, even when an export re-spaced the text.

A document is the same in both layers when its text is (same sha256), or else when its
characters but whitespace are: a CoNLL file, for one, rebuilds the text from its tokens
joined by single spaces. The second layer's offsets are then moved onto the reference's
text through the non-space characters both texts share, so every figure is computed on
the reference's text and offsets.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from dataclasses import replace

from desktop.core.agreement.layers import DocumentLayer, FactItem, Layer, Span

_SPACE = re.compile(r"\s+")


def squeezed(text: str) -> str:
    """The text without any whitespace (what two spacings of one text share)."""
    return _SPACE.sub("", text)


def squeezed_key(text: str) -> str:
    """The sha256 of the text without whitespace."""
    return hashlib.sha256(squeezed(text).encode("utf-8", "surrogatepass")).hexdigest()


def _solid(text: str) -> list[int]:
    """The offsets of the text's non-space characters, in order."""
    return [i for i, ch in enumerate(text) if not ch.isspace()]


class _Mover:
    """Moves offsets of one spacing of a text onto another spacing of it."""

    def __init__(self, source: str, target: str) -> None:
        self.source = _solid(source)
        self.target = _solid(target)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The target offsets of the non-space characters in [start, end); None if none."""
        first = bisect_left(self.source, start)
        last = bisect_left(self.source, end) - 1
        if first > last or first >= len(self.target):
            return None
        return self.target[first], self.target[last] + 1


def _moved(doc: DocumentLayer, onto: DocumentLayer) -> DocumentLayer:
    mover = _Mover(doc.text, onto.text)
    spans = set()
    for s in doc.spans:
        moved = mover.span(s.start, s.end)
        if moved is not None:
            spans.add(Span(*moved, s.label))
    facts = set()
    for f in doc.facts:
        args = []
        for role, start, end in f.arguments:
            where = mover.span(start, end) if start is not None and end is not None else None
            args.append((role, *where) if where else (role, None, None))
        facts.add(FactItem(f.type, tuple(sorted(args, key=_arg_key))))
    return DocumentLayer(
        onto.sha256,
        doc.source,
        onto.text,
        tuple(sorted(spans)),
        tuple(sorted(facts, key=lambda f: (f.type, [_arg_key(a) for a in f.arguments]))),
    )


def _arg_key(arg: tuple[str, int | None, int | None]) -> tuple[str, int, int]:
    role, start, end = arg
    return role, -1 if start is None else start, -1 if end is None else end


def align(reference: Layer, other: Layer) -> Layer:
    """`other` keyed by the reference's documents: a document with the same text keeps its
    key, one with the same text but for whitespace takes the reference's key, text and
    offsets; the others stay as they are (documents the reference does not hold)."""
    unmatched = {
        squeezed_key(doc.text): doc
        for sha, doc in reference.documents.items()
        if sha not in other.documents
    }
    if not unmatched:
        return other
    out = Layer(other.name, {}, other.literal_arguments, other.min_arguments, other.holds_facts)
    for sha, doc in other.documents.items():
        if sha in reference.documents:
            out.documents[sha] = doc
            continue
        target = unmatched.get(squeezed_key(doc.text))
        if target is None or target.sha256 in out.documents:
            out.documents[sha] = doc
        else:
            out.documents[target.sha256] = _moved(doc, target)
    return out


def common_ground(layers: list[Layer]) -> list[Layer]:
    """The layers with facts each of them could hold: when one cannot hold literal
    arguments (an export), none keeps them; a fact with fewer spanned arguments than one
    of them can hold is left out of all (a Prodigy file holds facts of two or more); when
    one holds no facts at all (CoNLL), facts are not compared.
    Otherwise a fact would differ only by what a file format cannot say."""
    literal = all(layer.literal_arguments for layer in layers)
    least = max(layer.min_arguments for layer in layers)
    facts = all(layer.holds_facts for layer in layers)
    if literal and least <= 1 and facts:
        return layers
    return [_within(layer, literal, least, facts) for layer in layers]


def _within(layer: Layer, literal: bool, least: int, held: bool) -> Layer:
    out = Layer(layer.name, {}, literal, least, held)
    for sha, doc in layer.documents.items():
        facts = set()
        for f in doc.facts if held else ():
            args = tuple(a for a in f.arguments if literal or a[1] is not None)
            if sum(a[1] is not None for a in args) >= least:
                facts.add(FactItem(f.type, args))
        key = lambda f: (f.type, [_arg_key(a) for a in f.arguments])  # noqa: E731
        out.documents[sha] = replace(doc, facts=tuple(sorted(facts, key=key)))
    return out
