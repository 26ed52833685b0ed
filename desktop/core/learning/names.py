"""The names the project knows and the rejections it remembers, read from the analyst's
decisions (pure: the rows come from store.learning).

A known name is a name the analyst confirmed: the text of an accepted mention, a name
of an entity the analyst merged others into, the preferred name of an entity the
analyst renamed, or a name added by hand in "Names the project knows". A one-word
person name that is part of a longer name of the same entity ("Wei" of "Wei Tao") is
left out: alone it may be somebody else.

A remembered rejection is a label the analyst rejected on a text in one kind of
context: the zone the span lies in (headline, body, caption ...) and the word right after
it. The same folded text with the same label in the same kind of zone, followed by the
same word, is not proposed again ("Tan" rejected as a PERSON in "Tan Sri Azman" is still
proposed in "Tan said"); rejected before two different words or more, it is not proposed
again anywhere in that kind of zone. A rejection of a name the analyst also confirmed
with that label is not remembered: there the context decides, so the analyst does.
Entries added by hand hold in every zone unless they say otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from desktop.core.entities.keys import entity_key, kind_of
from desktop.core.folding import fold
from desktop.core.store.learning import LearningInputs

CONFIRMED, MERGED, RENAMED, ADDED, REJECTED = "confirmed", "merged", "renamed", "added", "rejected"
BEFORE = "|"  # a context "body|sri": in the body, before the word "Sri"
_NEXT_WORD = re.compile(r"\s*(\w+|\S)")


def next_word(following: str) -> str:
    """The folded word (or punctuation mark) a text starts with, after any spaces."""
    found = _NEXT_WORD.match(following)
    return fold(found.group(1)) if found else ""


def zone_of(context: str | None) -> str | None:
    """The zone kind of a rejection's context (None: any zone)."""
    return None if context is None else context.split(BEFORE, 1)[0]


@dataclass(frozen=True, slots=True)
class KnownName:
    """A name extraction finds in every document, linked to its entity."""

    key: str
    label: str
    text: str
    entity_id: int | None
    source: str  # confirmed / merged / renamed / added
    confirmed: int = 0  # accepted mentions of it
    documents: int = 0  # documents it is written in (non-rejected), when counted
    entry_id: int | None = None  # the analyst's learnedname row, for an added name


@dataclass(frozen=True, slots=True)
class RememberedRejection:
    """A label not to propose again on a text in one kind of zone (None: any zone)."""

    key: str
    label: str
    text: str
    context: str | None
    source: str  # rejected / added
    rejected: int = 0  # rejected mentions behind it
    documents: int = 0
    entry_id: int | None = None


@dataclass
class ProjectKnowledge:
    """Known names by (key, label) and remembered rejections by (key, label, context),
    with the analyst's forgettings (so the dialog can list and restore them)."""

    names: dict[tuple[str, str], KnownName] = field(default_factory=dict)
    rejections: dict[tuple[str, str, str | None], RememberedRejection] = field(default_factory=dict)
    forgotten: list[tuple[int, str, str, str, str | None]] = field(default_factory=list)

    def rejects(self, key: str, label: str, context: str, following: str = "") -> bool:
        """Whether a proposal of this text and label in this kind of zone, followed by
        this word (folded), is remembered as rejected."""
        found = self.rejections
        return (
            (key, label, context) in found
            or (key, label, None) in found
            or (key, label, f"{context}{BEFORE}{following}") in found
        )


def _short_person_forms(names: dict[tuple[str, str], KnownName]) -> set[tuple[str, str]]:
    """One-word person names that are a word of a longer name of the same entity."""
    words: dict[int, set[str]] = {}
    for (key, label), n in names.items():
        if n.entity_id is not None and kind_of(label) == "person" and " " in key:
            words.setdefault(n.entity_id, set()).update(key.split())
    return {
        (key, label)
        for (key, label), n in names.items()
        if kind_of(label) == "person"
        and " " not in key
        and n.source != ADDED
        and key in words.get(n.entity_id or -1, set())
    }


def derive(
    inputs: LearningInputs, documents: dict[tuple[str, str], int] | None = None
) -> ProjectKnowledge:
    """What the project knows, from its decisions and the analyst's own entries."""
    out = ProjectKnowledge()
    docs = documents or {}
    written: dict[tuple[str, str], Counter[str]] = {}
    linked: dict[tuple[str, str], Counter[int]] = {}
    for entity_id, label, text, _doc in inputs.accepted:
        key = entity_key(text)
        if not key or kind_of(label) is None:
            continue
        written.setdefault((key, label), Counter())[text] += 1
        if entity_id is not None:
            linked.setdefault((key, label), Counter())[entity_id] += 1
    for pair, texts in written.items():
        ents = linked.get(pair)
        out.names[pair] = KnownName(
            pair[0],
            pair[1],
            texts.most_common(1)[0][0],
            ents.most_common(1)[0][0] if ents else None,
            CONFIRMED,
            sum(texts.values()),
            docs.get(pair, 0),
        )
    for entity_id, aliases in inputs.entity_aliases.items():
        label = inputs.entity_labels.get(entity_id)
        if label is None:
            continue
        for key, name in aliases:
            source = None
            if entity_id in inputs.merged:
                source = MERGED
            elif entity_key(inputs.renamed.get(entity_id, "")) == key:
                source = RENAMED
            if source and key and (key, label) not in out.names:
                text = inputs.renamed.get(entity_id, name) if source == RENAMED else name
                out.names[(key, label)] = KnownName(
                    key, label, text, entity_id, source, 0, docs.get((key, label), 0)
                )
    for pair in _short_person_forms(out.names):
        del out.names[pair]
    rejected: dict[tuple[str, str, str], Counter[str]] = {}
    rejected_docs: dict[tuple[str, str, str], set[int]] = {}
    words: dict[tuple[str, str, str], set[str]] = {}
    for label, text, _doc, zone, following in inputs.rejected:
        key = entity_key(text)
        if key and (key, label) not in out.names:
            words.setdefault((key, label, zone), set()).add(next_word(following))
    for label, text, doc, zone, following in inputs.rejected:
        key = entity_key(text)
        if not key or (key, label) in out.names:
            continue
        context = zone  # rejected before several words: in the whole zone
        if len(words[(key, label, zone)]) < 2:
            context = f"{zone}{BEFORE}{next_word(following)}"
        rejected.setdefault((key, label, context), Counter())[text] += 1
        rejected_docs.setdefault((key, label, context), set()).add(doc)
    for triple, texts in rejected.items():
        out.rejections[triple] = RememberedRejection(
            triple[0],
            triple[1],
            texts.most_common(1)[0][0],
            triple[2],
            REJECTED,
            sum(texts.values()),
            len(rejected_docs[triple]),
        )
    for entry_id, kind, forgotten, label, key, text, context, entity_id in inputs.entries:
        if forgotten:
            out.forgotten.append((entry_id, kind, label, text, context))
            if kind == "name":
                out.names.pop((key, label), None)
            else:
                out.rejections.pop((key, label, context), None)
        elif kind == "name":
            out.names[(key, label)] = KnownName(
                key, label, text, entity_id, ADDED, 0, docs.get((key, label), 0), entry_id
            )
        else:
            out.rejections[(key, label, context)] = RememberedRejection(
                key, label, text, context, ADDED, 0, 0, entry_id
            )
    return out


def load(store, *, count_documents: bool = False) -> ProjectKnowledge:  # type: ignore[no-untyped-def]
    """What the project knows now (with the documents each name is written in, for the
    dialog: that reads every mention)."""
    documents = store.learning.name_documents() if count_documents else None
    return derive(store.learning.inputs(), documents)
