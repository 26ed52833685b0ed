"""Export, then import into a new project: the same annotations come back (hypothesis).

Texts mix ASCII words, Vietnamese diacritics, emoji outside the BMP (one UTF-16 pair each,
and a flag of two), tabs, LF and CRLF line ends. Each format is checked on what it can hold:

- jsonl (Prodigy) and brat keep the text and every span, overlapping ones included; Prodigy
  spans must lie on token boundaries (others are reported as misaligned); a brat span that
  starts or ends on a line break is reported, not written (brat splits spans at line
  breaks into fragments, and its text column cannot hold one), and two brat annotations
  never share a span.
- CoNLL keeps tokens and tags only: the importer rebuilds the text from the tokens (joined
  by one space, one sentence a line), so whitespace and line ends differ. The check is on
  the labels and token positions of non-overlapping spans inside one sentence.
- spaCy DocBin (read back with `DocBin().from_disk`) keeps non-overlapping token-aligned
  spans inside one sentence as `doc.ents`, one Doc a sentence.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from spacy.tokens import DocBin

from desktop.core.formats.exporters import export
from desktop.core.formats.imports import import_file
from desktop.core.formats.report import LINE_BREAK_EDGE
from desktop.core.formats.selection import NothingSelected
from desktop.core.formats.spacy_tokens import blank, make_doc
from desktop.core.records import NewDocument
from desktop.core.store import Store

WORDS = ["Hanoi", "Việt", "Nam", "Đà", "Nẵng", "người", "Nguyễn", "Thị", "Wei", "Tao",
         "said", "talks", "2026", "5.3%", "😀", "🇻🇳", "👍🏽", "𝔘nicode", "Lê-Lợi",
         "(VNA)", "x"]  # fmt: skip
SEPARATORS = [" ", " ", " ", "  ", ", ", ". ", "\n", "\r\n", "\r\n\r\n", "\t", " - "]
LABELS = ["PERSON", "ORG", "GPE"]
SETTINGS = settings(
    max_examples=int(os.environ.get("ROUNDTRIP_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Spans = set[tuple[int, int, str]]


@st.composite
def texts(draw: st.DrawFn) -> str:
    """A text of 1-30 words with random separators, a word first and last."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True))[: -len(seps[-1])]


def token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of non-space tokens of the exporters' tokenizer."""
    tokens = [(t.idx, t.idx + len(t.text)) for t in make_doc(text) if not t.is_space]
    return [(a[0], b[1]) for i, a in enumerate(tokens) for b in tokens[i : i + 4]]


@st.composite
def documents(draw: st.DrawFn, aligned: bool) -> list[tuple[str, Spans]]:
    """1-3 documents of distinct texts, each with 1-8 distinct spans (they may overlap; two
    aligned spans may share their offsets, with different labels, but brat's may not)."""
    found = draw(st.lists(texts(), min_size=1, max_size=3, unique=True))
    docs = []
    for text in found:
        if aligned:
            where = st.sampled_from(token_spans(text))
        else:
            where = st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).filter(
                lambda p: p[0] < p[1]
            )
        unique = (lambda s: s) if aligned else (lambda s: s[0])
        labelled = st.tuples(where, st.sampled_from(LABELS))
        spans = draw(st.lists(labelled, min_size=1, max_size=8, unique_by=unique))
        docs.append((text, {(s, e, label) for (s, e), label in spans}))
    return docs


def on_line_break(text: str, start: int, end: int) -> bool:
    """Whether a span starts or ends on a line break (brat cannot hold it)."""
    return text[start] in "\r\n" or text[end - 1] in "\r\n"


def one_sentence_no_overlap(text: str, spans: Spans) -> Spans:
    """The spans CoNLL and DocBin hold: on tokens, in one sentence, none overlapping (the
    earliest start, then the longest, wins, as the exporters keep them)."""
    doc = make_doc(text, sentences=True)
    kept: list[tuple[int, int, str]] = []
    for s, e, label in sorted(spans, key=lambda x: (x[0], -x[1], x[2])):
        span = doc.char_span(s, e, alignment_mode="strict")
        if span is None or any(t.is_sent_start for t in span[1:]):
            continue
        if kept and s < kept[-1][1]:
            continue
        kept.append((s, e, label))
    return set(kept)


def stored(docs: list[tuple[str, Spans]], folder: Path) -> Store:
    """A new project holding the documents with their spans, accepted."""
    store = Store.open(folder / "source.factdesk")
    for number, (text, spans) in enumerate(docs):
        doc_id, _ = store.documents.add(NewDocument(source=f"doc{number}", text=text))
        for s, e, label in sorted(spans):
            store.mentions.add(doc_id, s, e, label, status="accepted")
    return store


def reimported(fmt: str, out: Path, folder: Path) -> dict[str, Spans]:
    """Text -> spans of a new project the file was imported into."""
    with Store.open(folder / "target.factdesk") as store:
        report = import_file(store, fmt, out)
        assert not report.mismatches, report.mismatches
        return {
            store.documents.get(info.id).text: {  # type: ignore[union-attr]
                (m.start, m.end, m.label) for m in store.mentions.for_document(info.id)
            }
            for info in store.documents.page()
        }


def roundtrip(docs: list[tuple[str, Spans]], export_fmt: str, import_fmt: str, name: str):  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with stored(docs, folder) as store:
            report = export(store, export_fmt, folder / name)
        return report, reimported(import_fmt, folder / name, folder)


@SETTINGS
@given(documents(aligned=True))
def test_prodigy_jsonl_keeps_text_and_every_span(docs) -> None:  # type: ignore[no-untyped-def]
    report, back = roundtrip(docs, "jsonl", "prodigy", "out.jsonl")
    assert not report.skipped
    assert back == dict(docs)


@SETTINGS
@given(documents(aligned=False))
def test_brat_keeps_text_and_every_span(docs) -> None:  # type: ignore[no-untyped-def]
    report, back = roundtrip(docs, "brat", "brat", "out")
    left_out = sum(on_line_break(text, s, e) for text, spans in docs for s, e, _label in spans)
    assert dict(report.skipped) == ({LINE_BREAK_EDGE: left_out} if left_out else {})
    kept = {t: {x for x in spans if not on_line_break(t, *x[:2])} for t, spans in docs}
    assert back == kept  # a document whose spans were all left out comes back without any


def _words(text: str) -> list[tuple[int, int]]:
    """(start, end) of the non-space tokens, as CoNLL writes them."""
    return [(t.idx, t.idx + len(t.text)) for t in make_doc(text) if not t.text.isspace()]


def _by_token(text: str, spans: Spans, words: list[tuple[int, int]]) -> set[tuple[int, int, str]]:
    starts = {s: i for i, (s, _e) in enumerate(words)}
    ends = {e: i for i, (_s, e) in enumerate(words)}
    return {(starts[s], ends[e], label) for s, e, label in spans}


@SETTINGS
@given(documents(aligned=True))
def test_conll_keeps_labels_on_the_same_tokens(docs) -> None:  # type: ignore[no-untyped-def]
    docs = [(text, one_sentence_no_overlap(text, spans)) for text, spans in docs]
    docs = [(text, spans) for text, spans in docs if spans]
    if not docs:
        return
    _report, back = roundtrip(docs, "conll", "conll", "out.conll")
    assert len(back) == len(docs)
    # The documents come back in export order, their text rebuilt from the tokens.
    for (text, spans), (new_text, new_spans) in zip(docs, back.items(), strict=True):
        words = _words(text)
        new_words = []
        pos = 0
        for token in new_text.replace("\n", " ").split(" "):
            new_words.append((pos, pos + len(token)))
            pos += len(token) + 1
        assert [text[s:e] for s, e in words] == [new_text[s:e] for s, e in new_words]
        assert _by_token(text, spans, words) == _by_token(new_text, new_spans, new_words)


@SETTINGS
@given(documents(aligned=True))
@example([("Hanoi Hanoi Hanoi. Hanoi", {(6, 24, "PERSON")})])  # a span across a sentence end
def test_docbin_holds_the_same_entities(docs) -> None:  # type: ignore[no-untyped-def]
    docs = [(text, one_sentence_no_overlap(text, spans)) for text, spans in docs]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with stored(docs, folder) as store:
            if not any(spans for _text, spans in docs):
                # No span a DocBin can hold: the export refuses and writes nothing.
                with pytest.raises(NothingSelected, match="0 spans"):
                    export(store, "spacy", folder / "out", dev_fraction=0.0)
                assert not (folder / "out").exists()
                return
            export(store, "spacy", folder / "out", dev_fraction=0.0)
        found: dict[str, Spans] = {}
        for name in ("train", "dev"):
            for doc in DocBin().from_disk(folder / "out" / f"{name}.spacy").get_docs(blank().vocab):
                source, start = doc.user_data["source"], doc.user_data["start"]
                text = dict(enumerate(t for t, _ in docs))[int(source[3:])]
                assert text[start : start + len(doc.text)] == doc.text
                found.setdefault(text, set()).update(
                    (start + e.start_char, start + e.end_char, e.label_) for e in doc.ents
                )
    assert found == {text: spans for text, spans in docs if spans}
