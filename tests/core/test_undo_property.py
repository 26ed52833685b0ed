"""Undo and redo as a property over a real project file: any sequence of edits of every kind
the revision log records, with restarts anywhere, undoes back to the project it started
from and redoes to the project it ended at.

The undo stack is driven as the window drives it (desktop/ui/commands.py): each edit pushes
its batch (a new edit drops the redo tail), and a restart rebuilds the stack from
`store.history.stack()` in a freshly opened Store.

What the comparison leaves out, and why:
- the `revision` table, whole: it is the undo log itself. Every undo and redo appends its
  own row to it and flips `undone` on the rows it replays, and an import's undo keeps the
  rows it took out in `before`; none of that is project content.
- the `extractionrun` table: the record of which process ran which pipeline when. Undo
  does not un-run a process: the rows a run wrote come and go with the import they
  belong to, the run's own row stays (as the revision log's rows do).
- nothing else. Every other table is compared row by row, every column, timestamps
  included (an edit's snapshot holds `updated_at`, so undo writes the old one back), and
  the search index is compared by its rows (rowid, folded title and text) and by what
  `Store.search` answers for every word of every article.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.entities.resolve import resolve, resolve_documents
from desktop.core.formats.imports import import_file
from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.store import Store
from desktop.core.store.analysts import Conflict, SteppedOver
from desktop.core.store.plain_reads import ENTITY_LISTING_KEY, RESOLUTION_MARK_KEY

# Invented articles, short enough to extract in a few milliseconds each.
BASE_ARTICLES = {
    "harbour": (
        "Port Elsby, 4 March 2024 - Harbour minister Clara Voss met the director of Nordlake "
        "Shipping, Tomas Brenner, in Port Elsby on Monday. Voss said the new quay would open "
        "in June. Nordlake Shipping will invest 40 million euros in the quay."
    ),
    "council": (
        "The Valmora city council approved a budget of 12 million dollars on Tuesday. Mayor "
        "Ines Caldera said the money would repair three bridges. Council member Otto Pilgrim "
        "voted against the plan."
    ),
    "summit": (
        "Leaders of Arvenia and Kostrava signed a water agreement in Dellport on 9 May. "
        "President Mara Lind of Arvenia called the deal historic. Kostrava's prime minister, "
        "Pavel Oren, said talks would continue in autumn."
    ),
}
# Articles an operation may import later (as .txt files), and a small dataset file.
LATER_ARTICLES = (
    "Engineer Lena Hart joined Brightwater Energy in Salgrove. Brightwater Energy said "
    "Hart would lead its solar unit.",
    "The Ostermark health ministry opened a clinic in Fenwick on Friday. Minister Jonas "
    "Vail praised the staff.",
)
DATASET = (
    {
        "text": "Clara Voss visited Fenwick.",
        "spans": [
            {"start": 0, "end": 10, "label": "PERSON"},
            {"start": 19, "end": 26, "label": "GPE"},
        ],
    },
    {
        "text": "Nordlake Shipping hired Rosa Quill in Valmora.",
        "spans": [
            {"start": 0, "end": 17, "label": "ORG"},
            {"start": 24, "end": 34, "label": "PERSON"},
        ],
        "relations": [
            {
                "head_span": {"start": 24, "end": 34, "label": "PERSON"},
                "child_span": {"start": 0, "end": 17, "label": "ORG"},
                "label": "ROLE",
            }
        ],
    },
)
WORDS = sorted(
    {
        w.lower()
        for text in [*BASE_ARTICLES.values(), *LATER_ARTICLES, *(d["text"] for d in DATASET)]
        for w in re.findall(r"[A-Za-z]{3,}", text)
    }
)
LABELS = ("PERSON", "ORG", "GPE", "DATE", "MONEY", "NORP", "EVENT")
TAGS = ("check", "source?", "key")
FACT_TYPES = ("ROLE", "MEETING", "STATEMENT", "FUNDING")
COLOURS = ("#112233", "#aa5500", "#00aa99")


# -- the project ------------------------------------------------------------------------


def import_job(store: Store, pipeline, paths: list[Path], label: str) -> int | None:  # type: ignore[no-untyped-def]
    """What the window's import does (desktop/ui/jobs.py import_job): ingest, log the new
    documents as one import, extract them, resolve entities."""
    new_ids = [
        e.document_id
        for e in ingest(store, paths)
        if e.kind == "imported" and e.document_id is not None
    ]
    if not new_ids:
        return None
    batch = store.imports.record_documents(new_ids, label)
    list(extract(store, pipeline, document_ids=new_ids))
    resolve(store)
    return batch


@pytest.fixture(scope="module")
def base_project(tmp_path_factory, pipeline) -> Path:  # type: ignore[no-untyped-def]
    """A small extracted project, made once; each example works on a copy."""
    folder = tmp_path_factory.mktemp("undo-base")
    texts = folder / "articles"
    texts.mkdir()
    for name, text in BASE_ARTICLES.items():
        (texts / f"{name}.txt").write_text(text, encoding="utf-8")
    path = folder / "base.factdesk"
    build_base(path, texts, pipeline)
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


def build_base(location: str | Path, texts: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    with Store.open(location) as store:
        store.labels.ensure()
        assert import_job(store, pipeline, [texts], "articles") is not None
        store.labels.ensure()
        assert store.entities.list() and store.facts.query(), "extraction found nothing"


@pytest.fixture(scope="module")
def pg_base_project(tmp_path_factory, pipeline, pg_server) -> str:  # type: ignore[no-untyped-def]
    """The same base project in a database of the session's PostgreSQL server; each
    example works on a copy (CREATE DATABASE ... TEMPLATE)."""
    texts = tmp_path_factory.mktemp("undo-base-pg") / "articles"
    texts.mkdir()
    for name, text in BASE_ARTICLES.items():
        (texts / f"{name}.txt").write_text(text, encoding="utf-8")
    url = pg_server.create_database()
    build_base(url, texts, pipeline)
    return url


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every table's rows, sorted (the revision log left out: see the module's note), the
    search index's rows and the hits of every word."""
    out: dict[str, list[tuple]] = {}
    with store.engine.connect() as conn:
        names = [
            n
            for n in sa.inspect(conn).get_table_names()
            if not n.startswith(("sqlite_", "document_fts"))
        ]
        for name in sorted(names):
            if name in ("revision", "extractionrun"):
                continue
            rows = conn.exec_driver_sql(f'SELECT * FROM "{name}"').all()
            if name == "setting":  # the resolution mark and its listing: a cache that checks itself
                rows = [r for r in rows if r[0] not in (RESOLUTION_MARK_KEY, ENTITY_LISTING_KEY)]
            out[name] = sorted((tuple(r) for r in rows), key=repr)
        fts = conn.exec_driver_sql("SELECT rowid, title, body FROM document_fts").all()
        out["document_fts"] = sorted(tuple(r) for r in fts)
    out["search"] = [(w, tuple(sorted(h.document_id for h in store.search(w)))) for w in WORDS]
    return out


def differences(a: dict, b: dict) -> str:
    """A readable account of how two dumps differ."""
    lines = []
    for name in sorted(set(a) | set(b)):
        left, right = set(a.get(name, [])), set(b.get(name, []))
        if left != right:
            lines.append(f"{name}: only before {sorted(left - right, key=repr)[:5]}")
            lines.append(f"{name}: only after {sorted(right - left, key=repr)[:5]}")
    return "\n".join(lines)


# -- the window's undo stack ------------------------------------------------------------


@dataclass
class Session:
    """A Store and an undo stack as the window holds them."""

    path: Path | str  # a project file or a server URL
    pipeline: object
    work: Path
    analyst: str | None = None  # None: the default one (FACTDESK_ANALYST or the OS user)
    store: Store = field(init=False)
    stack: list[int] = field(default_factory=list)
    index: int = 0
    floor: int = 0  # the base project's own steps, never undone here
    files: int = 0
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.open()
        self.floor = self.index

    def open(self) -> None:
        """Open the project and rebuild the stack from its history (rebuild_stack)."""
        self.store = Store.open(self.path, create=False, analyst=self.analyst)
        done, redoable = self.store.history.stack()  # this analyst's own steps
        self.stack = [e.batch for e in done + redoable]
        self.index = len(done)

    def restart(self) -> None:
        self.store.close()
        self.open()

    def push(self, batch: int | None) -> None:
        """An applied edit: on the stack, the redo tail gone (QUndoStack.push)."""
        if batch is None:
            return
        del self.stack[self.index :]
        self.stack.append(batch)
        self.index += 1

    def undo(self) -> bool:
        if self.index <= self.floor:
            return False
        self.index -= 1
        self.store.history.undo(self.stack[self.index])
        return True

    def redo(self) -> bool:
        if self.index >= len(self.stack):
            return False
        self.store.history.redo(self.stack[self.index])
        self.index += 1
        return True


# -- the operations ---------------------------------------------------------------------


def pick(items, n: int):  # type: ignore[no-untyped-def]
    items = list(items)
    return items[n % len(items)] if items else None


def mentions(s: Session) -> list:
    return [m for d in s.store.documents.ids() for m in s.store.mentions.for_document(d)]


def word_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[A-Z][\w']*(?: [A-Z][\w']*)*|\d+", text)]


def op_add(s: Session, a: int, b: int) -> int | None:
    doc = pick(s.store.documents.ids(), a)
    if doc is None:
        return None
    record = s.store.documents.get(doc)
    assert record is not None
    span = pick(word_spans(record.text), b)
    if span is None:
        return None
    return s.store.mentions.add(doc, span[0], span[1], pick(LABELS, a + b)).batch


def op_relabel(s: Session, a: int, b: int) -> int | None:
    m = pick(mentions(s), a)
    return s.store.mentions.relabel(m.id, pick(LABELS, b)).batch if m else None


def op_resize(s: Session, a: int, b: int) -> int | None:
    m = pick(mentions(s), a)
    if m is None:
        return None
    record = s.store.documents.get(m.document_id)
    assert record is not None
    start = max(0, m.start - b % 3)
    end = min(len(record.text), max(start + 1, m.end + (b // 3) % 5 - 2))
    return s.store.mentions.resize(m.id, start, end).batch


def op_status(s: Session, a: int, b: int) -> int | None:
    m = pick(mentions(s), a)
    status = pick(("accepted", "rejected", "proposed"), b)
    return s.store.mentions.set_status(m.id, status).batch if m else None


def op_delete(s: Session, a: int, _b: int) -> int | None:
    m = pick(mentions(s), a)
    return s.store.mentions.delete(m.id).batch if m else None


def op_accept_all(s: Session, a: int, _b: int) -> int | None:
    doc = pick(s.store.documents.ids(), a)
    return s.store.mentions.accept_all(doc).batch if doc is not None else None


def _target(s: Session, kind: str, a: int) -> int | None:
    if kind == "document":
        return pick(s.store.documents.ids(), a)
    if kind == "mention":
        m = pick(mentions(s), a)
        return m.id if m else None
    if kind == "fact":
        f = pick(s.store.facts.query(), a)
        return f.id if f else None
    e = pick(s.store.entities.list(), a)
    return e.id if e else None


def op_tags_and_note(s: Session, a: int, b: int) -> int | None:
    """The tag dialog: tags and note of one target, one undo step."""
    kind = pick(("document", "mention", "fact", "entity"), b)
    target = _target(s, kind, a)
    if target is None:
        return None
    names = [t for i, t in enumerate(TAGS) if (a >> i) & 1]
    note = pick((None, "see the wire copy", "ask the desk"), b // 4)
    tags = s.store.tags.set(kind, target, names)
    notes = {
        "document": s.store.documents.set_note,
        "mention": s.store.mentions.set_note,
        "fact": s.store.facts.set_note,
        "entity": s.store.entities.set_note,
    }
    noted = notes[kind](target, note)
    return s.store.history.join([tags.batch, noted.batch], f"Tags and note on {kind}")


def op_fact_create(s: Session, a: int, b: int) -> int | None:
    doc = pick(s.store.documents.ids(), a)
    if doc is None:
        return None
    found = s.store.mentions.for_document(doc)
    m = pick(found, b)
    if m is None:
        return None
    other = pick(found, b // 7)
    start, end = min(m.start, other.start), max(m.end, other.end)
    args = [("subject", m.start, m.end, m.text)]
    if other.id != m.id:
        args.append(("object", other.start, other.end, other.text))
    return s.store.facts.create(doc, pick(FACT_TYPES, a + b), (start, end), args).batch


def op_fact_edit(s: Session, a: int, b: int) -> int | None:
    fact = pick(s.store.facts.query(), a)
    if fact is None:
        return None
    what = b % 5
    if what == 0:
        return s.store.facts.set_status(fact.id, pick(("accepted", "rejected"), b // 5)).batch
    if what == 1:
        return s.store.facts.set_type(fact.id, pick(FACT_TYPES, b // 5)).batch
    if what == 2 and fact.arguments:
        arg = pick(fact.arguments, b // 5)
        return s.store.facts.set_argument_value(arg.id, pick(("2024-06", None), b // 7)).batch
    if what == 3 and len(fact.arguments) > 1:
        return s.store.facts.remove_argument(pick(fact.arguments, b // 5).id).batch
    m = pick(s.store.mentions.for_document(fact.document_id), b // 5)
    if m is None:
        return None
    return s.store.facts.add_argument(fact.id, "place", m.start, m.end, m.text, m.id).batch


def op_entity(s: Session, a: int, b: int) -> int | None:
    entities = s.store.entities.list()
    first = pick(entities, a)
    if first is None:
        return None
    what = b % 4
    second = pick([e for e in entities if e.id != first.id], b // 4)
    if what == 0 and second is not None:
        return s.store.entities.merge(first.id, second.id).batch
    if what == 1 and second is not None:
        return s.store.entities.mark_distinct(first.id, second.id).batch
    if what == 2 and first.aliases:
        return s.store.entities.split(first.id, [pick(first.aliases, b // 4)]).batch
    name = pick(("Voss", "The Council", "Arvenian government"), b // 4)
    return s.store.entities.rename(first.id, name).batch


def op_label(s: Session, a: int, b: int) -> int | None:
    labels = s.store.labels.all()
    what = b % 4
    if what == 0:
        name = f"TOPIC{a % 3}"
        if any(label.name == name for label in labels):
            return None
        return s.store.labels.add(name, pick(COLOURS, b), pick(("5", None), a)).batch
    label = pick(labels, a)
    if what == 1:
        new = f"{label.name}X" if len(label.name) < 12 else label.name[:4]
        if any(other.name == new for other in labels):
            return None
        return s.store.labels.update(label.id, name=new).batch
    if what == 2:
        return s.store.labels.update(label.id, color=pick(COLOURS, b // 4)).batch
    return s.store.labels.update(label.id, hotkey=pick(("1", "2", "9", None), b // 4)).batch


def op_import_text(s: Session, a: int, _b: int) -> int | None:
    s.files += 1
    path = s.work / f"later{s.files}.txt"
    path.write_text(pick(LATER_ARTICLES, a), encoding="utf-8")
    batch = import_job(s.store, s.pipeline, [path], path.name)
    s.store.labels.ensure()
    return batch


def op_import_dataset(s: Session, a: int, _b: int) -> int | None:
    """What the window's dataset import does (dataset_job, then labels.ensure)."""
    s.files += 1
    path = s.work / f"data{s.files}.jsonl"
    lines = DATASET if a % 2 else DATASET[:1]
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    report = import_file(s.store, "prodigy", path)
    if report.document_ids:
        resolve_documents(s.store, report.document_ids)
    s.store.labels.ensure()
    return report.batch


LEARNED_NAMES = (("Clara Voss", "PERSON"), ("Nordlake Shipping", "ORG"), ("Dellport", "GPE"))


def op_learned(s: Session, a: int, b: int) -> int | None:
    """The learned-name edits of the Names dialog and Mark as done: add a name (with the
    entity it links to), add a rejection in a kind of zone, forget a name read from the
    decisions, rename a learned name's entity, remove an entry, mark a document done or not."""
    what = b % 6
    text, label = pick(LEARNED_NAMES, a)
    if what == 0:
        return s.store.learning.add_entry("name", text, label).batch
    if what == 1:
        zone = pick(("body", "headline", None), b // 6)
        return s.store.learning.add_entry("rejection", text, label, context=zone).batch
    if what == 2:
        return s.store.learning.add_entry("name", text, label, forgotten=True).batch
    if what == 3:
        linked = [e[7] for e in s.store.learning.inputs().entries if e[7] is not None]
        entity_id = pick(linked, b // 6)  # the entity a learned name links to
        if entity_id is None:
            return None
        return s.store.entities.rename(entity_id, pick(("Clara Voss-Lind", "Nordlake"), a)).batch
    if what == 4:
        entry = pick(s.store.learning.inputs().entries, b // 6)  # (id, kind, forgotten, ...)
        return None if entry is None else s.store.learning.remove_entry(entry[0]).batch
    doc_id = pick(s.store.documents.ids(), a)
    if doc_id is None:
        return None
    return s.store.learning.mark_done([doc_id], done=b // 6 % 2 == 0).batch


EDITS: dict[str, Callable[[Session, int, int], int | None]] = {
    "add": op_add,
    "relabel": op_relabel,
    "resize": op_resize,
    "status": op_status,
    "delete": op_delete,
    "accept_all": op_accept_all,
    "tags_and_note": op_tags_and_note,
    "fact_create": op_fact_create,
    "fact_edit": op_fact_edit,
    "entity": op_entity,
    "label": op_label,
    "import_text": op_import_text,
    "import_dataset": op_import_dataset,
    "learned": op_learned,
}
STEPS = (*EDITS, "restart", "undo", "redo")


def run_step(s: Session, name: str, a: int, b: int) -> None:
    if name == "restart":
        s.restart()
    elif name == "undo":
        s.undo()
    elif name == "redo":
        s.redo()
    else:
        try:
            batch = EDITS[name](s, a, b)
        except ValueError:  # an edit the store refuses (a span outside, a bad split)
            return
        s.push(batch)


steps = st.lists(
    st.tuples(st.sampled_from(STEPS), st.integers(0, 10_000), st.integers(0, 10_000)),
    min_size=1,
    max_size=16,
)


# 300 sequences of up to 16 steps take about two minutes on one core; UNDO_EXAMPLES
# asks for more (or fewer) when hunting.
@settings(
    max_examples=int(os.environ.get("UNDO_EXAMPLES", "300")),
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=steps, restarts=st.lists(st.booleans(), min_size=4, max_size=4))
def test_undo_everything_then_redo_everything(base_project, pipeline, tmp_path, ops, restarts):
    work = tmp_path / f"ex{len(list(tmp_path.iterdir()))}"
    work.mkdir()
    path = work / "project.factdesk"
    shutil.copyfile(base_project, path)
    undo_then_redo(Session(path, pipeline, work), ops, restarts)


# The same property on PostgreSQL, on fewer sequences (each a fresh copy of the base
# database): the server's transactions, ids and search table undo as SQLite's do.
@settings(
    max_examples=int(os.environ.get("UNDO_EXAMPLES_PG", "20")),
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=steps, restarts=st.lists(st.booleans(), min_size=4, max_size=4))
def test_undo_everything_then_redo_everything_on_postgresql(
    pg_base_project, pg_server, pipeline, tmp_path, ops, restarts
):  # type: ignore[no-untyped-def]
    work = tmp_path / f"ex{len(list(tmp_path.iterdir()))}"
    work.mkdir()
    url = pg_server.create_database(template=pg_base_project)
    undo_then_redo(Session(url, pipeline, work), ops, restarts)


def undo_then_redo(s: Session, ops, restarts) -> None:  # type: ignore[no-untyped-def]
    """Run the steps, undo everything (restarting the window now and then): the project is
    the base again; redo everything: it is what the steps made."""
    try:
        initial = dump(s.store)
        for name, a, b in ops:
            run_step(s, name, a, b)
        final, done = dump(s.store), s.index  # what a redo tail holds stays undone
        turn = 0
        while s.undo():  # Ctrl+Z until the stack is at the base project
            turn += 1
            if restarts[turn % 4]:
                s.restart()
        back = dump(s.store)
        assert back == initial, differences(initial, back)
        while s.index < done and s.redo():
            turn += 1
            if restarts[turn % 4]:
                s.restart()
        again = dump(s.store)
        assert again == final, differences(final, again)
    finally:
        s.store.close()


# -- two analysts -----------------------------------------------------------------------
# Ana and Ben work on one project through two Store objects (two windows), each with an
# undo stack of their own steps. Their edits, undos, redos and restarts interleave; an
# undo or redo that would step over the other's later change to one of its rows is refused
# and changes nothing. Then, undoing in the reverse of the order the steps took effect
# (whoever made the newest one undoes it) is never refused and gives the base project
# back; redoing in the order of the undos' reverse gives the project the steps made.
TEAM_EDITS = tuple(n for n in EDITS if not n.startswith("import"))  # imports: see below
team_steps = st.lists(
    st.tuples(
        st.sampled_from((0, 1)),
        st.sampled_from((*TEAM_EDITS, "restart", "undo", "redo")),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
    ),
    min_size=2,
    max_size=20,
)


def table_rows(store: Store) -> dict[str, list[tuple]]:
    """Every table but the log's (a refused step must leave them all as they were)."""
    return {k: v for k, v in dump(store).items() if k not in ("search", "document_fts")}


@dataclass
class Team:
    """Two analysts' sessions, and the steps in force in the order they took effect."""

    members: list[Session]
    order: list[tuple[int, int]] = field(default_factory=list)  # (member, batch)
    refused: int = 0

    def step(self, who: int, name: str, a: int, b: int) -> None:
        s = self.members[who]
        if name == "restart":
            s.restart()
        elif name in ("undo", "redo"):
            self.replay(who, name == "redo", may_refuse=True)
        else:
            s.store.catch_up()  # the window reads before the analyst edits
            try:
                batch = EDITS[name](s, a, b)
            except Conflict as exc:  # nobody wrote since this client read: never refused
                raise AssertionError(f"{s.analyst}'s edit refused: {exc}") from exc
            except ValueError:
                return
            if batch is not None:
                s.push(batch)
                self.order.append((who, batch))

    def replay(self, who: int, forward: bool, may_refuse: bool) -> bool:
        s = self.members[who]
        if (s.index >= len(s.stack)) if forward else (s.index <= s.floor):
            return False
        batch = s.stack[s.index] if forward else s.stack[s.index - 1]
        before = table_rows(s.store) if may_refuse else None
        try:
            (s.store.history.redo if forward else s.store.history.undo)(batch)
        except SteppedOver as exc:
            other = self.members[1 - who].analyst
            assert may_refuse, f"refused in turn: {exc}"
            assert exc.analyst == other and other in str(exc), str(exc)
            assert table_rows(s.store) == before, "a refused step changed the project"
            self.refused += 1
            return False
        if forward:
            s.index += 1
            self.order.append((who, batch))
        else:
            s.index -= 1
            assert self.order and (who, batch) in self.order
            mine = [i for i, (w, _b) in enumerate(self.order) if w == who]
            assert self.order[mine[-1]] == (who, batch), "undo is not the analyst's newest"
            del self.order[mine[-1]]
        return True


def two_analysts(path: Path | str, pipeline, work: Path, ops) -> None:  # type: ignore[no-untyped-def]
    team = Team([Session(path, pipeline, work, "Ana"), Session(path, pipeline, work, "Ben")])
    try:
        initial = dump(team.members[0].store)
        for who, name, a, b in ops:
            team.step(who, name, a, b)
        for s in team.members:  # each one's redo tail stays undone: not part of `final`
            del s.stack[s.index :]
        final = dump(team.members[0].store)
        undone: list[int] = []
        while team.order:  # the newest step in force first: never refused
            who, _batch = team.order[-1]
            assert team.replay(who, forward=False, may_refuse=False)
            undone.append(who)
        back = dump(team.members[1].store)
        assert back == initial, differences(initial, back)
        for who in reversed(undone):
            assert team.replay(who, forward=True, may_refuse=False)
        again = dump(team.members[0].store)
        assert again == final, differences(final, again)
    finally:
        for s in team.members:
            s.store.close()


@settings(
    max_examples=int(os.environ.get("UNDO_EXAMPLES_TEAM", "100")),
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=team_steps)
def test_two_analysts_interleaving_undo_their_own_steps(base_project, pipeline, tmp_path, ops):
    work = tmp_path / f"ex{len(list(tmp_path.iterdir()))}"
    work.mkdir()
    path = work / "project.factdesk"
    shutil.copyfile(base_project, path)
    two_analysts(path, pipeline, work, ops)


@settings(
    max_examples=int(os.environ.get("UNDO_EXAMPLES_TEAM_PG", "10")),
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=team_steps)
def test_two_analysts_interleaving_on_postgresql(
    pg_base_project, pg_server, pipeline, tmp_path, ops
):  # type: ignore[no-untyped-def]
    work = tmp_path / f"ex{len(list(tmp_path.iterdir()))}"
    work.mkdir()
    url = pg_server.create_database(template=pg_base_project)
    two_analysts(url, pipeline, work, ops)
