"""Predicate frames as data: spaCy DependencyMatcher patterns read from resources/facts/frames.json.

A frame is a named dependency pattern whose nodes carry the names the rules read: `trigger`
(the word the fact hangs on), and role nodes such as `agent` (who acts: a subject) and
`partner` (who is met, signed with, paid). In the file, `"@name"` stands for the lexicon's
word list of that name and `LEMMA_LOWER` for the lower-case lemma, so one list of meeting
verbs serves the rule code and the patterns alike. The matcher is built once per vocabulary.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token

from desktop.core.facts.lexicon import lexicon
from desktop.core.resources import resource_path

LEMMA_EXT = "factdesk_lemma"  # the lower-case lemma, for patterns


@dataclass(frozen=True, slots=True)
class Frame:
    """One pattern of a fact type: its name, confidence and node names in pattern order."""

    fact_type: str
    name: str
    confidence: float
    nodes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FrameMatch:
    """A frame found in a sentence: the frame and the token of each named node."""

    frame: Frame
    tokens: dict[str, Token]

    @property
    def trigger(self) -> Token:
        return self.tokens["trigger"]


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _register() -> None:
    if not Token.has_extension(LEMMA_EXT):
        Token.set_extension(LEMMA_EXT, getter=_lemma)


def _resolve(value: Any, words: dict[str, frozenset[str]]) -> Any:
    """A pattern value with "@list" references replaced by the lexicon's words."""
    if isinstance(value, str) and value.startswith("@"):
        return sorted(w for w in words[value[1:]] if " " not in w)
    if isinstance(value, dict):
        return {k: _resolve(v, words) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, words) for v in value]
    return value


def _attrs(raw: dict[str, Any], words: dict[str, frozenset[str]]) -> dict[str, Any]:
    """Token attributes of a node, with LEMMA_LOWER turned into the extension attribute."""
    attrs = {k: _resolve(v, words) for k, v in raw.items() if k != "LEMMA_LOWER"}
    if "LEMMA_LOWER" in raw:
        attrs["_"] = {LEMMA_EXT: _resolve(raw["LEMMA_LOWER"], words)}
    return attrs


@cache
def frame_specs() -> tuple[tuple[Frame, tuple[dict[str, Any], ...]], ...]:
    """Every frame with its DependencyMatcher pattern, in file order."""
    raw = json.loads(resource_path("facts", "frames.json").read_text(encoding="utf-8"))
    words = lexicon().words
    out = []
    for fact_type, frames in raw["frames"].items():
        for spec in frames:
            pattern = []
            for node in spec["pattern"]:
                built = {k: v for k, v in node.items() if k != "RIGHT_ATTRS"}
                built["RIGHT_ATTRS"] = _attrs(node.get("RIGHT_ATTRS", {}), words)
                pattern.append(built)
            nodes = tuple(n["RIGHT_ID"] for n in pattern)
            frame = Frame(fact_type, spec["name"], float(spec["confidence"]), nodes)
            out.append((frame, tuple(pattern)))
    return tuple(out)


_MATCHERS: dict[int, tuple[DependencyMatcher, dict[str, Frame]]] = {}


def _matcher(doc: Doc) -> tuple[DependencyMatcher, dict[str, Frame]]:
    """The matcher of every frame for a document's vocabulary (built once per vocabulary)."""
    key = id(doc.vocab)
    if key not in _MATCHERS:
        _register()
        matcher = DependencyMatcher(doc.vocab)
        names: dict[str, Frame] = {}
        for frame, pattern in frame_specs():
            label = f"{frame.fact_type}:{frame.name}"
            matcher.add(label, [list(pattern)])
            names[label] = frame
        _MATCHERS[key] = (matcher, names)
    return _MATCHERS[key]


def frame_matches(doc: Doc) -> list[FrameMatch]:
    """Every frame match in a parsed document, cached on it."""
    cached = doc.user_data.get("factdesk_frames")
    if cached is not None:
        return cached
    matcher, names = _matcher(doc)
    found = []
    for match_id, token_ids in matcher(doc):
        frame = names[doc.vocab.strings[match_id]]
        tokens = (doc[i] for i in token_ids)
        found.append(FrameMatch(frame, dict(zip(frame.nodes, tokens, strict=True))))
    found.sort(key=lambda m: (m.trigger.i, m.frame.name))
    doc.user_data["factdesk_frames"] = found
    return found


def matches_in(sent: Span, fact_type: str) -> Iterator[FrameMatch]:
    """The frame matches of one fact type whose trigger lies in a sentence."""
    for found in frame_matches(sent.doc):
        if found.frame.fact_type == fact_type and sent.start <= found.trigger.i < sent.end:
            yield found
