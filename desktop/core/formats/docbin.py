"""spaCy DocBin export: `train.spacy` and `dev.spacy` with a reproducible split."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.formats.atomic import atomic_dir
from desktop.core.formats.report import CROSSES_SENTENCE, MISALIGNED, OVERLAP, ExportReport
from desktop.core.formats.selection import Selected, Selection, iter_selected
from desktop.core.formats.spacy_tokens import Tokens, make_doc

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from desktop.core.store import Store


def entity_doc(item: Selected, report: ExportReport, by_sentence: bool = False) -> list[Doc]:
    """The document (or its sentences) with the mentions as `doc.ents`, set in one pass
    (left-outs reported); each Doc's `user_data` holds its `source` and the `start` offset
    of its text."""
    from spacy.tokens import Span

    doc = make_doc(item.document.text, sentences=by_sentence)
    tokens = Tokens.of(doc)
    sent_starts = sentence_starts(doc) if by_sentence else None
    ents: list[Span] = []
    end = 0  # token after the last span kept
    for m in item.mentions:
        bounds = tokens.bounds(m.start, m.end)
        if bounds is None:
            report.skip(MISALIGNED, item.source, m.start, m.end, m.text, m.label)
        elif ents and bounds[0] < end:
            report.skip(OVERLAP, item.source, m.start, m.end, m.text, m.label)
        elif sent_starts is not None and any(sent_starts[bounds[0] + 1 : bounds[1] + 1]):
            report.skip(CROSSES_SENTENCE, item.source, m.start, m.end, m.text, m.label)
        else:
            ents.append(Span(doc, bounds[0], bounds[1] + 1, label=m.label))
            end = bounds[1] + 1
    doc.ents = ents
    report.count("spans", len(ents))
    if not by_sentence:
        doc.user_data.update({"source": item.source, "start": 0})
        return [doc]
    return _sentence_docs(doc, ents, item.source)


def _sentence_docs(doc: Doc, ents: list, source: str) -> list[Doc]:
    """One Doc a sentence with its spans. Built from the words, not with `Span.as_doc`,
    which reads the whole document's arrays for every sentence (quadratic on a long one)."""
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span

    parts = []
    i = 0  # the first span not yet placed (spans are in order and inside sentences)
    for sent in doc.sents:
        inside = []
        while i < len(ents) and ents[i].start < sent.end:
            inside.append(ents[i])
            i += 1
        if not sent.text.strip():
            continue
        words = [t.text for t in sent]
        spaces = [bool(t.whitespace_) for t in sent]
        part = SpacyDoc(doc.vocab, words=words, spaces=spaces)
        part.ents = [
            Span(part, e.start - sent.start, e.end - sent.start, label=e.label_) for e in inside
        ]
        part.user_data.update({"source": source, "start": sent.start_char})
        parts.append(part)
    return parts


def sentence_starts(doc: Doc) -> list[bool]:
    """Whether each token starts a sentence."""
    from spacy.attrs import SENT_START

    return [v == 1 for v in doc.to_array([SENT_START]).tolist()] if len(doc) else []


# The token attributes whose strings DocBin.add puts in its string table.
_STRING_ATTRS = ("ORTH", "TAG", "LEMMA", "NORM", "MORPH", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")


def doc_bin(docs: Sequence[Doc]):  # type: ignore[no-untyped-def]
    """`DocBin(docs=docs, store_user_data=True)`, filled faster: spaCy's `DocBin.add` reads
    nine strings off every token object to build its string table (0.6 s on a 1.43 MB
    document); here each distinct string is read once from the token arrays. The bytes
    written hold the same arrays and the same set of strings."""
    import numpy
    import srsly
    from spacy.attrs import SPACY, intify_attr
    from spacy.tokens import DocBin

    out = DocBin(store_user_data=True)
    wanted = [intify_attr(name) for name in _STRING_ATTRS]
    columns = [out.attrs.index(a) for a in wanted if a in out.attrs]
    others = [a for a in wanted if a not in out.attrs]
    for doc in docs:
        array = doc.to_array(out.attrs)
        if len(array.shape) == 1:
            array = array.reshape((array.shape[0], 1))
        out.tokens.append(array)
        spaces = doc.to_array(SPACY)
        out.spaces.append(numpy.asarray(spaces.reshape((spaces.shape[0], 1)), dtype=bool))
        out.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        table = doc.vocab.strings
        if len(doc):
            keys = set(array[:, columns].ravel().tolist())
            if others:
                keys.update(doc.to_array(others).ravel().tolist())
            out.strings.update(table[key] for key in keys)
        out.cats.append(doc.cats)
        out.user_data.append(srsly.msgpack_dumps(doc.user_data))
        out.span_groups.append(doc.spans.to_bytes())
        for group in doc.spans.values():
            for span in group:
                out.strings.add(span.label_)
                if span.kb_id in table:
                    out.strings.add(span.kb_id_)
                if span.id in table:
                    out.strings.add(span.id_)
    return out


def split(keys: Sequence[tuple[str, int]], dev_fraction: float, seed: int) -> set:
    """The dev keys: a seeded shuffle of the sorted keys (at least one a side if 2+)."""
    names = sorted(keys)
    random.Random(seed).shuffle(names)
    n_dev = round(len(names) * dev_fraction)
    if len(names) >= 2 and 0 < dev_fraction < 1:
        n_dev = min(max(n_dev, 1), len(names) - 1)
    return set(names[:n_dev])


def export_docbin(
    store: Store,
    out: Path,
    selection: Selection | None = None,
    *,
    dev_fraction: float = 0.2,
    seed: int = 0,
    by_sentence: bool = False,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """Write `out/train.spacy`, `out/dev.spacy` and `out/report.txt` (atomically): one Doc a
    document (or a sentence, for trainers that want sentences), the examples split by a
    seeded shuffle of (source, offset)."""
    report = ExportReport("spacy", out)
    docs: dict[tuple[str, int], Doc] = {}
    for item in iter_selected(
        store, selection or Selection(), progress, cancelled, need="mentions"
    ):
        report.count("documents")
        for doc in entity_doc(item, report, by_sentence):
            docs[(item.source, doc.user_data["start"])] = doc
    dev = split(list(docs), dev_fraction, seed)
    with atomic_dir(out) as tmp:
        for name, wanted in (("train", False), ("dev", True)):
            part = [docs[k] for k in sorted(docs) if (k in dev) == wanted]
            doc_bin(part).to_disk(tmp / f"{name}.spacy")
            report.count(f"{name} examples", len(part))
        report.write(tmp / "report.txt")
    report.report_path = out / "report.txt"
    return report
