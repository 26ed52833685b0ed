"""Malformed input through every reader and importer: imported, or one clean refusal naming
the file, never another exception; a refused file leaves the project as it was.

The files go through the same entry points the CLI and the window use (`ingest` and
`import_file`) into a real project file. Cases are built by breaking valid files: a value
anywhere replaced by one of the wrong type (nulls, huge numbers, NaN, lone surrogates, deep
nesting), keys taken out, the bytes cut short, re-encoded, given a BOM or replaced by
garbage, under odd file names (bytes that are not UTF-8, spaces, line breaks).
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.formats.imports import import_file
from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.importer import ingest
from desktop.core.ingest.names import shown
from desktop.core.store import Store

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Alice Tran met Bob Le in Hanoi on Monday to sign a port agreement."
#        0    5    10   15   20   25   30   35   40   45   50   55   60   65
ALICE, BOB, HANOI = (0, 10), (15, 21), (25, 30)

# -- valid files, the starting point of every case ------------------------------------------

DOCCANO_SEQ = {"text": TEXT, "label": [[*ALICE, "PER"], [*BOB, "PER"], [*HANOI, "GPE"]]}
DOCCANO_REL = {
    "id": 7,
    "text": TEXT,
    "entities": [
        {"id": 1, "label": "PER", "start_offset": ALICE[0], "end_offset": ALICE[1]},
        {"id": 2, "label": "PER", "start_offset": BOB[0], "end_offset": BOB[1]},
    ],
    "relations": [{"id": 3, "from_id": 1, "to_id": 2, "type": "MET"}],
}


def _ls_region(key: str, where: tuple[int, int], label: str) -> dict:
    value = {"start": where[0], "end": where[1], "text": TEXT[slice(*where)], "labels": [label]}
    return {"id": key, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


LABEL_STUDIO = [
    {
        "id": 1,
        "data": {"text": TEXT, "source": "ls-one"},
        "annotations": [
            {
                "was_cancelled": False,
                "result": [
                    _ls_region("a", ALICE, "PER"),
                    _ls_region("b", BOB, "PER"),
                    {"type": "relation", "from_id": "a", "to_id": "b", "labels": ["MET"]},
                ],
            }
        ],
        "predictions": [{"score": 0.5, "result": [_ls_region("c", HANOI, "GPE")]}],
    },
    {"id": 2, "text": TEXT + " Later.", "label": [_ls_region("d", HANOI, "GPE")["value"]]},
]


def _prodigy_span(where: tuple[int, int], label: str) -> dict:
    return {"start": where[0], "end": where[1], "label": label, "text": TEXT[slice(*where)]}


PRODIGY = {
    "text": TEXT,
    "spans": [_prodigy_span(ALICE, "PER"), _prodigy_span(HANOI, "GPE")],
    "relations": [
        {
            "head_span": _prodigy_span(ALICE, "PER"),
            "child_span": _prodigy_span(BOB, "PER"),
            "label": "MET",
        }
    ],
    "meta": {"source": "prodigy-one"},
    "answer": "accept",
}
BRAT_ANN = (
    f"T1\tPER {ALICE[0]} {ALICE[1]}\tAlice Tran\n"
    f"T2\tPER {BOB[0]} {BOB[1]}\tBob Le\n"
    f"T3\tGPE {HANOI[0]} {HANOI[1]}\tHanoi\n"
    "T4\tMEET 6 9\tmet\n"
    "R1\tMET Arg1:T1 Arg2:T2\n"
    "E1\tMEET:T4 Agent:T1 Agent2:T2\n"
    "A1\tCertain E1\n"
    "N1\tReference T3 geo:1581130\tHanoi\n"
    "#1\tAnnotatorNotes T1\tthe minister\n"
)
CONLL = (
    "-DOCSTART- -X- O O\n\n"
    "Alice NNP B-NP B-PER\nTran NNP I-NP I-PER\nmet VBD B-VP O\nBob NNP B-NP B-PER\n"
    "Le NNP I-NP I-PER\nin IN B-PP O\nHanoi NNP B-NP B-GPE\n. . O O\n\n"
    "-DOCSTART- -X- O O\n\nPorts NNS B-NP O\nopened VBD B-VP O\n"
)
JSONL_RECORD = {
    "text": TEXT,
    "title": "Port talks",
    "date": "2024-03-04",
    "source": "wire-1",
    "url": "https://example.org/a",
}
CSV = 'text,title,date\n"' + TEXT + '",Port talks,2024-03-04\n"Second, quoted row.",,\n'
HTML = (
    "<html><head><title>Port talks</title>"
    '<meta property="article:published_time" content="2024-03-04"></head>'
    f"<body><p>{TEXT}</p><script>alert(1)</script><p>More &amp; more.</p></body></html>"
)
MARKDOWN = f"# Port talks\n\n{TEXT}\n"

# what each case is built from: (entry point, format or extension, file name suffix, start)
JSON_FORMATS: dict[str, tuple[str, str, Any, bool]] = {
    # name: (entry, format, valid value, one record a line)
    "doccano-seq": ("import", "doccano", DOCCANO_SEQ, True),
    "doccano-rel": ("import", "doccano", DOCCANO_REL, True),
    "label-studio": ("import", "label-studio", LABEL_STUDIO, False),
    "prodigy": ("import", "prodigy", PRODIGY, True),
    "ingest-jsonl": ("ingest", ".jsonl", JSONL_RECORD, True),
}
SUFFIX = {"doccano": ".jsonl", "label-studio": ".json", "prodigy": ".jsonl", "conll": ".conll"}
TEXT_FORMATS: dict[str, tuple[str, str, str]] = {
    "brat": ("import", "brat", BRAT_ANN),
    "conll": ("import", "conll", CONLL),
    "ingest-txt": ("ingest", ".txt", TEXT + "\n\nA second paragraph.\n"),
    "ingest-md": ("ingest", ".md", MARKDOWN),
    "ingest-html": ("ingest", ".html", HTML),
    "ingest-csv": ("ingest", ".csv", CSV),
}
KEYS = sorted(
    {"text", "label", "labels", "entities", "relations", "spans", "start", "end", "data"}
    | {"annotations", "predictions", "result", "value", "from_id", "to_id", "id", "meta"}
    | {"head_span", "child_span", "start_offset", "end_offset", "type", "score", "title"}
)
NAMES = [
    b"doc",
    b"a\xff\xfe",  # not UTF-8
    b"with space",
    "Đà Nẵng – báo".encode(),
    b"-leading-dash",
    b"tab\there",
    b"new\nline",
    b"x" * 180,
    b".hidden-looking",
]

# -- building blocks ------------------------------------------------------------------------

HUGE = "\x00huge\x00"  # stand-ins replaced in the JSON text (json.dumps cannot write them)
DEEP = "\x00deep\x00"
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
odd_text = st.text(st.one_of(st.characters(), SURROGATE), max_size=12)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([-1, 2**63, 10**30, HUGE, DEEP, "", "PER", "T1", "a"]),
    st.floats(allow_nan=True, allow_infinity=True),
    odd_text,
)
junk = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.one_of(st.sampled_from(KEYS), odd_text), inner, max_size=3)
    ),
    max_leaves=6,
)
DELETE = object()


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value (the value itself is the empty path)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            found += _paths(inner, (*prefix, i))
    return found


def _replaced(value: Any, path: tuple, new: Any) -> Any:
    """A copy of `value` with the place at `path` replaced (or taken out, for DELETE)."""
    if not path:
        return None if new is DELETE else new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    if new is DELETE and not rest:
        del copy[head]
    else:
        copy[head] = _replaced(value[head], rest, new)
    return copy


@st.composite
def broken_json(draw: st.DrawFn, valid: Any) -> Any:
    """The valid value with one to three places broken."""
    value = valid
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(value)))
        how = draw(st.sampled_from(["junk", "junk", "delete", "wrap", "deep", "huge"]))
        if how == "delete" and path:
            value = _replaced(value, path, DELETE)
            continue
        if how == "wrap":
            inner = value
            for key in path:
                inner = inner[key]
            new = draw(st.sampled_from([[inner], {"value": inner}, [[inner]]]))
        else:
            new = {"deep": DEEP, "huge": HUGE}.get(how) or draw(junk)
        value = _replaced(value, path, new)
    return value


def _dump(value: Any, depth: int) -> str:
    text = json.dumps(value, ensure_ascii=True, allow_nan=True)
    text = text.replace(json.dumps(HUGE), "9" * 5000)
    return text.replace(json.dumps(DEEP), "[" * depth + "]" * depth)


@st.composite
def broken_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """The file's bytes, sometimes cut short, re-encoded, with a BOM, or garbage."""
    how = draw(st.sampled_from(["as is", "as is", "cut", "cut", "bom", "utf-16", "garbage"]))
    if how == "cut":
        return data[: draw(st.integers(0, max(0, len(data) - 1)))]
    if how == "bom":
        return draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff"])) + data
    if how == "utf-16":
        return data.decode("utf-8", "replace").encode(
            draw(st.sampled_from(["utf-16", "utf-16-le"]))
        )
    if how == "garbage":
        junk_bytes = draw(st.binary(min_size=1, max_size=200))
        return draw(st.sampled_from([junk_bytes, data[:20] + junk_bytes, b"\x00" + data]))
    return data


TOKENS = st.one_of(
    st.sampled_from(["", ":", ";", "T9", "-1", "9" * 40, "R1"]),
    st.from_regex(r"[A-Za-z0-9:;#*\-]{0,6}", fullmatch=True),
    odd_text.map(lambda s: s.encode("utf-8", "replace").decode()),  # text files hold no surrogates
)


@st.composite
def broken_lines(draw: st.DrawFn, text: str) -> str:
    """Line-based files (brat, CoNLL, text): tokens and lines replaced, dropped or repeated."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        parts = lines[i].replace("\t", " \t ").split(" ")
        how = draw(st.sampled_from(["token", "token", "drop token", "drop line", "twice", "odd"]))
        if how in ("token", "drop token"):
            j = draw(st.integers(0, len(parts) - 1))
            new = draw(TOKENS)
            parts[j : j + 1] = [] if how == "drop token" else [new]
            lines[i] = " ".join(parts).replace(" \t ", "\t")
        elif how == "drop line":
            del lines[i]
            lines = lines or [""]
        elif how == "twice":
            lines.insert(i, lines[i])
        else:
            lines[i] = draw(st.sampled_from(["\t", "T1", "R1\tMET", "E1\t", "A1\tX", "#", "*\t"]))
    return "\n".join(lines)


# -- running a case -------------------------------------------------------------------------

_serial = itertools.count()


def _write(folder: Path, name: bytes, data: bytes) -> Path:
    """A file under a name given as bytes (as the file system holds it)."""
    raw = os.path.join(os.fsencode(folder), name)
    fd = os.open(raw, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    return Path(os.fsdecode(raw))


def _rows(store: Store) -> dict[str, int]:
    """Row counts of every table of the project."""
    with sqlite3.connect(store.location) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _clean_refusal(message: str, named: Path) -> None:
    """One short line of valid text that names the file and says what is wrong with it."""
    assert "\n" not in message and "\r" not in message, message
    message.encode("utf-8")  # printable and storable: no lone surrogates
    assert shown(named.name) in message, (message, named)
    where, _, reason = message.rpartition(": ")
    assert where and reason.strip(), message
    assert len(message) < 1000, message[:300]
    # the importer's last-resort net: a reader's own bug shows as its exception's name
    assert "Error" not in message and "could not be read (" not in message, message


def run_import(store: Store, fmt: str, path: Path, named: Path) -> None:
    before = _rows(store)
    try:
        report = import_file(store, fmt, path)
    except RefusedFile as exc:
        _clean_refusal(str(exc), named)
        assert _rows(store) == before, "a refused file changed the project"
        return
    assert report.documents >= report.documents_added
    for source, problems in report.mismatches.items():
        for problem in problems:
            (source + problem).encode("utf-8")


def run_ingest(store: Store, path: Path, named: Path) -> None:
    """The broken file in a batch before a good one: the good one is always imported."""
    good = _write(path.parent, b"good.txt", f"Good article number {next(_serial)}.".encode())
    before = _rows(store)
    events = list(ingest(store, [path, good]))
    ours = [e for e in events if e.path != str(good)]
    assert [e.kind for e in events if e.path == str(good)] == ["imported"], events
    added = sum(e.kind == "imported" for e in ours)
    for event in ours:
        line = event.line()
        assert "\n" not in line
        line.encode("utf-8")
        if event.kind == "refused":
            _clean_refusal(line, named)
    if any(e.kind == "refused" for e in ours):
        assert added == 0
        assert _rows(store)["document"] == before["document"] + 1  # the good one only
    for info in store.documents.page():
        (info.source + (info.title or "")).encode("utf-8")


def run_case(store: Store, entry: str, fmt: str, name: bytes, data: bytes) -> None:
    folder = Path(tempfile.mkdtemp(dir=Path(store.location).parent))
    if fmt == "brat":  # a folder (itself oddly named) of text files with their .ann
        named = Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))
        named.mkdir()
        _write(named, name + b".txt", TEXT.encode())
        _write(named, name + b".ann", data)
        _write(named, b"plain.txt", b"A text without annotations.")
        run_import(store, "brat", named, named)
        return
    path = _write(folder, name + (SUFFIX.get(fmt) or fmt).encode(), data)
    if entry == "import":
        run_import(store, fmt, path, path)
    else:
        run_ingest(store, path, path)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with Store.open(tmp_path_factory.mktemp("fuzz") / "project.factdesk") as store:
        yield store


FUZZ = settings(  # FACTDESK_FUZZ_EXAMPLES=500 for a deeper run by hand
    max_examples=int(os.environ.get("FACTDESK_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)  # fmt: skip


@pytest.mark.parametrize("kind", sorted(JSON_FORMATS))
@FUZZ
@given(data=st.data())
def test_broken_json_files(project: Store, kind: str, data: st.DataObject) -> None:
    entry, fmt, valid, per_line = JSON_FORMATS[kind]
    records = [valid, valid] if per_line else [valid]
    if per_line:  # the broken record among good ones
        records = [data.draw(broken_json(valid)) if i == 1 else r for i, r in enumerate(records)]
    else:
        records = [data.draw(broken_json(valid))]
    depth = data.draw(st.sampled_from([3, 900, 100_000]))
    text = "\n".join(_dump(r, depth) for r in records)
    raw = data.draw(broken_bytes(text.encode()))
    run_case(project, entry, fmt, data.draw(st.sampled_from(NAMES)), raw)


@pytest.mark.parametrize("kind", sorted(TEXT_FORMATS))
@FUZZ
@given(data=st.data())
def test_broken_text_files(project: Store, kind: str, data: st.DataObject) -> None:
    entry, fmt, valid = TEXT_FORMATS[kind]
    text = data.draw(broken_lines(valid)) if data.draw(st.booleans()) else valid
    raw = data.draw(broken_bytes(text.encode("utf-8", "surrogatepass")))
    run_case(project, entry, fmt, data.draw(st.sampled_from(NAMES)), raw)


# -- the cases that gave a traceback (issue 11), each named -----------------------------------

NESTED = "[" * 100_000 + "]" * 100_000


def _ls(task: dict) -> str:
    """A Label Studio export of one task."""
    return json.dumps([task])


def _ls_result(value: dict) -> str:
    return _ls(
        {"data": {"text": "Alice."}, "annotations": [{"result": [{"id": "a", "value": value}]}]}
    )


# case: (format, file content, what the refusal says)
KNOWN = {
    "doccano nested": (
        "doccano",
        '{"text": "A.", "label": ' + NESTED + "}",
        "line 1: nested too deeply",
    ),
    "doccano surrogate text": (
        "doccano",
        '{"text": "Bad \\ud800 text", "label": []}',
        "line 1: 'text' holds an invalid character (\\ud800)",
    ),
    "doccano surrogate label": (
        "doccano",
        '{"text": "Alice.", "label": [[0, 5, "P\\udc00"]]}',
        "line 1: 'label' holds an invalid character (\\udc00)",
    ),
    "doccano label dict": (
        "doccano",
        '{"text": "Alice.", "label": {"a": 1}}',
        "'label' must be a list",
    ),
    "doccano label number": ("doccano", '{"text": "Alice.", "label": 5}', "'label' must be a list"),
    "doccano label not a name": (
        "doccano",
        '{"text": "Alice.", "label": [[0, 5, [1]]]}',
        "'label' must be a label name",
    ),
    "doccano entities number": (
        "doccano",
        '{"text": "Alice.", "entities": 3}',
        "'entities' must be a list",
    ),
    "doccano relations string": (
        "doccano",
        '{"text": "A.", "entities": [], "relations": "x"}',
        "'relations' must be a list",
    ),
    "doccano huge int": (
        "doccano",
        '{"text": "Alice.", "label": [[0, ' + "9" * 5000 + ', "P"]]}',
        "line 1: a number of more than 4300 digits",
    ),
    "label studio nested": ("label-studio", NESTED, "nested too deeply"),
    "label studio surrogate": (
        "label-studio",
        '[{"data": {"text": "Bad \\ud800"}}]',
        "'text' holds an invalid character (\\ud800)",
    ),
    "label studio annotation number": (
        "label-studio",
        _ls({"data": {"text": "A."}, "annotations": [5]}),
        "task 1: bad annotation 5",
    ),
    "label studio annotation string": (
        "label-studio",
        _ls({"data": {"text": "A."}, "annotations": ["x"]}),
        "task 1: bad annotation 'x'",
    ),
    "label studio annotations number": (
        "label-studio",
        _ls({"data": {"text": "A."}, "annotations": 5}),
        "'annotations' must be a list",
    ),
    "label studio labels dict": (
        "label-studio",
        _ls_result({"start": 0, "end": 5, "labels": {"x": 1}}),
        "'labels' must be a list",
    ),
    "label studio labels number": (
        "label-studio",
        _ls_result({"start": 0, "end": 5, "labels": 7}),
        "'labels' must be a list",
    ),
    "label studio result number": (
        "label-studio",
        _ls({"data": {"text": "A."}, "annotations": [{"result": 4}]}),
        "'result' must be a list",
    ),
    "label studio score string": (
        "label-studio",
        _ls({"data": {"text": "Alice."}, "predictions": [{"score": "high", "result": []}]}),
        "'score' must be a number (found 'high')",
    ),
    "prodigy spans number": ("prodigy", '{"text": "Alice.", "spans": 3}', "'spans' must be a list"),
    "prodigy relations number": (
        "prodigy",
        '{"text": "Alice.", "spans": [], "relations": 3}',
        "'relations' must be a list",
    ),
    "prodigy surrogate": (
        "prodigy",
        '{"text": "A \\udfff."}',
        "'text' holds an invalid character (\\udfff)",
    ),
    "brat relation without arguments": (
        "brat",
        "T1\tPER 0 5\tAlice\nR1\tMET\n",
        "line 2: relation R1 needs Arg1 and Arg2 (found 0 arguments)",
    ),
    "brat empty fragment": ("brat", "T1\tPER 0 2;;3 5\tAlice\n", "line 1: bad offsets"),
    "conll binary": ("conll", "\x00\x01\x02 B-\n", "line 1: bad tag 'B-'"),
}


@pytest.mark.parametrize("case", sorted(KNOWN))
def test_known_bad_files_are_refused_cleanly(project: Store, case: str) -> None:
    """Each case that once gave a traceback is refused, saying what is wrong, and changes
    nothing."""
    fmt, content, expected = KNOWN[case]
    folder = Path(tempfile.mkdtemp(dir=Path(project.location).parent))
    if fmt == "brat":
        path = folder
        (folder / "one.txt").write_text("Alice met Bob.", encoding="utf-8")
        (folder / "one.ann").write_text(content, encoding="utf-8")
    else:
        path = _write(folder, b"known" + SUFFIX[fmt].encode(), content.encode())
    before = _rows(project)
    with pytest.raises(RefusedFile) as refused:
        import_file(project, fmt, path)
    message = str(refused.value)
    _clean_refusal(message, path if fmt != "brat" else folder / "one.ann")
    assert expected in message, message
    assert _rows(project) == before


def test_bad_name_does_not_stop_the_batch_and_exports_still_work(tmp_path: Path) -> None:
    """A name that is not UTF-8 is stored as valid text, and exports of it work."""
    from desktop.core.formats.run import run_export
    from desktop.core.formats.selection import Selection

    folder = tmp_path / "in"
    folder.mkdir()
    bad = _write(folder, b"a\xff\xfe.txt", b"The minister opened the new port in Da Nang.")
    _write(folder, b"b.txt", b"A second article on shipping lanes.")
    with Store.open(tmp_path / "p.factdesk") as store:
        events = list(ingest(store, [folder]))
        assert [e.kind for e in events] == ["imported", "imported"]
        sources = sorted(info.source for info in store.documents.page())
        assert sources == ["a\\xff\\xfe", "b"]
        assert all(e.path.encode("utf-8") for e in events)
        assert bad.exists()
        out = tmp_path / "spans.jsonl"
        report = run_export(
            store, "jsonl", out, Selection(statuses=frozenset({"accepted", "proposed"}))
        )
        assert report is not None


def test_cli_ingest_of_a_folder_with_bad_names(tmp_path: Path) -> None:
    """The real command: a refused file gets one line, the others are imported, status 1."""
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, b"a\xff\xfe.txt", b"The minister opened the new port in Da Nang.")
    _write(folder, b"bad\xff.jsonl", b'{"text": "Broken \\ud800 text"}\n')
    _write(folder, b"good.txt", b"The two ports agreed on a shared timetable on Monday.")
    project = tmp_path / "p.factdesk"
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "ingest", "--project", str(project), "--no-extract",
         str(folder)],
        capture_output=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    err = done.stderr.decode("utf-8")  # strict: what was printed is valid UTF-8
    assert done.returncode == 1, err
    assert "Traceback" not in err and "error" not in err, err
    refused = [line for line in err.splitlines() if line.startswith("refused: ")]
    assert refused == [
        f"refused: {folder}/bad\\xff.jsonl: line 1: 'text' holds an invalid character (\\ud800)"
    ]
    assert "2 imported" in err and "1 files refused" in err, err
    with Store.open(project) as store:
        assert sorted(info.source for info in store.documents.page()) == ["a\\xff\\xfe", "good"]


def test_cli_import_of_a_bad_file_is_one_line(tmp_path: Path) -> None:
    """`factdesk import` of a malformed file under an odd name: one line naming both, the
    CLI's error status, and the project as it was."""
    project = tmp_path / "p.factdesk"
    with Store.open(project) as store:
        before = _rows(store)
    bad = _write(tmp_path, b"deep\xff.jsonl", ('{"text": "A.", "label": ' + NESTED + "}").encode())
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "import", "--project", str(project), "--format",
         "doccano", str(bad)],
        capture_output=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2, err
    assert err.splitlines() == [
        f"factdesk: error: {tmp_path}/deep\\xff.jsonl: line 1: nested too deeply to be read "
        "(nothing was imported)"
    ]
    with Store.open(project) as store:
        assert _rows(store) == before
