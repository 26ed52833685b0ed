"""An extraction run an analyst started is one undo step, across restarts too."""

from __future__ import annotations

from pathlib import Path

from desktop.core.entities.resolve import resolve
from desktop.core.nlp.extract import extract, extraction_step
from desktop.core.records import NewDocument, ProposedMention
from desktop.core.store import Store

FIRST = (
    "Minister of Trade Arun Petchkul met Deputy Governor Siti Rahmah in Kota Lestari on "
    "4 March 2026. The two sides signed three memoranda on rice exports, worth 40 million "
    "baht. Exports rose 12 percent to 2.1 billion USD last year, Arun said."
)
SECOND = (
    "The Lower Mekong Seed Fund granted 5 million USD to farmers in Savan Nua province, "
    "its chairwoman Dara Vongsa said on Tuesday."
)
TABLES = (
    "mention", "fact", "factargument", "entity", "alias", "label", "mentiontag", "facttag",
    "document",
)  # fmt: skip


def _state(store: Store) -> dict[str, list[tuple]]:
    with store.engine.connect() as conn:
        return {
            t: sorted(tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{t}"').all())
            for t in TABLES
        }


def _run(store: Store, pipeline, name: str, **kw) -> int | None:  # type: ignore[no-untyped-def]
    progress = list(extract(store, pipeline, step=name, **kw))
    resolve(store)
    return extraction_step(store, progress[-1].run_id) if progress else None


def test_undo_of_an_extraction_run_gives_back_the_proposals_before_it(tmp_path: Path, pipeline):
    path = tmp_path / "p.factdesk"
    with Store.open(path) as store:
        ids = [
            i
            for i, _new in store.documents.add_many(
                [NewDocument(source="a.txt", text=FIRST), NewDocument(source="b.txt", text=SECOND)]
            )
        ]
        # what an older model proposed: a wrong span, kept only as a machine proposal
        old = ProposedMention(0, 8, "PERSON", "Minister", "model", "old-model", 0.5)
        store.mentions.replace_proposals(ids[0], [old], None)
        resolve(store)
        before = _state(store)
        step = _run(store, pipeline, "Extract")
        assert step is not None
        after = _state(store)
        assert after["fact"] and len(after["mention"]) > len(before["mention"])
        spans = {(m.start, m.end) for m in store.mentions.for_document(ids[0])}
        assert (0, 8) not in spans  # the stale proposal went
        done, _redo = store.history.stack()
        assert done[-1].batch == step
        assert done[-1].summary == "Extract: 2 documents"
    with Store.open(path) as store:  # after a restart
        assert store.documents.ids(pending_extraction=True) == []
        store.history.undo(step)
        assert _state(store) == before
        assert sorted(store.documents.ids(pending_extraction=True)) == sorted(ids)
    with Store.open(path) as store:
        store.history.redo(step)
        assert _state(store) == after
        store.history.undo(step)
        assert _state(store) == before


def test_undoing_a_re_extraction_links_an_accepted_fact_to_the_old_mention_again(
    store: Store, pipeline
):
    ((doc, _),) = store.documents.add_many([NewDocument(source="c.txt", text=SECOND)])
    start = SECOND.index("Dara Vongsa")
    old = ProposedMention(start, start + 4, "PERSON", "Dara", "model", "old-model", 0.5)
    store.mentions.replace_proposals(doc, [old], None)
    (mention,) = store.mentions.for_document(doc)
    store.facts.create(doc, "STATEMENT", (0, len(SECOND)), [("speaker", start, start + 4, "Dara")])
    (fact,) = store.facts.query()
    store.facts.add_argument(fact.id, "speaker", start, start + 4, "Dara", mention.id)
    linked = {a.id for a in store.facts.query()[0].arguments if a.mention_id == mention.id}
    assert linked
    before = _state(store)
    step = _run(store, pipeline, "Re-extract all", everything=True)
    assert step is not None
    (kept,) = store.facts.query(fact_ids=[fact.id])
    assert all(a.mention_id is None for a in kept.arguments if a.id in linked)
    store.history.undo(step)
    assert _state(store) == before
    store.history.redo(step)
    store.history.undo(step)
    assert _state(store) == before


def test_a_run_that_writes_nothing_is_no_step(store: Store, pipeline):
    assert _run(store, pipeline, "Extract") is None
    assert store.history.stack() == ([], [])
