"""Named analysts on one project: two Store objects (two clients, two analysts) on the same
SQLite file or PostgreSQL database. Every revision and decision names its analyst; undo
takes one's own steps only and refuses to step over another analyst's later change; a
write to a row another client changed since this one read it is refused (version check)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from desktop.core.records import NewDocument
from desktop.core.store import Store
from desktop.core.store.analysts import Conflict, SteppedOver, default_analyst

TEXT = (
    "Harbour minister Ilse Marrow met the Tarnby ferry board in Quellport on Monday. "
    "Marrow said the new pier would open in spring."
)


@pytest.fixture
def two(project_url):  # type: ignore[no-untyped-def]
    """Ana's and Ben's clients on one fresh project, with one document and two mentions
    both have seen."""
    with Store.open(project_url, analyst="Ana") as ana:
        doc, _ = ana.documents.add(NewDocument(source="harbour", text=TEXT))
        ana.mentions.add(doc, 17, 28, "PERSON", status="proposed")  # Ilse Marrow
        ana.mentions.add(doc, 37, 43, "ORG", status="proposed")  # Tarnby
        with Store.open(project_url, analyst="Ben") as ben:
            ana.catch_up()
            yield ana, ben, doc


def mention(store: Store, doc: int, text: str):  # type: ignore[no-untyped-def]
    return next(m for m in store.mentions.for_document(doc) if m.text == text)


def row(store: Store, table: str, row_id: int) -> dict:
    with store.engine.connect() as conn:
        t = sa.table(table, sa.column("id"), sa.column("decided_by"))
        return dict(conn.execute(sa.select(t).where(t.c.id == row_id)).mappings().one())


def test_revisions_and_decisions_name_their_analyst(two):
    ana, ben, doc = two
    marrow = mention(ben, doc, "Ilse Marrow")
    ben.mentions.set_status(marrow.id, "accepted")
    tarnby = mention(ana, doc, "Tarnby")
    ana.mentions.relabel(tarnby.id, "GPE")
    assert row(ana, "mention", marrow.id)["decided_by"] == "Ben"
    assert row(ana, "mention", tarnby.id)["decided_by"] == "Ana"
    by_step = {e.summary: e.actor for e in ana.history.entries()}
    assert by_step["Accept PERSON 'Ilse Marrow'"] == "Ben"
    assert by_step["Relabel 'Tarnby' ORG → GPE"] == "Ana"
    with ana.engine.connect() as conn:
        clients = dict(
            conn.execute(
                sa.text("SELECT actor, client FROM revision WHERE action LIKE 'mention.%'")
            ).all()
        )
    assert clients["Ana"] == ana.identity.client != clients["Ben"] == ben.identity.client


def test_undo_takes_ones_own_steps_only(two):
    ana, ben, doc = two
    marrow = mention(ben, doc, "Ilse Marrow")
    ben.mentions.set_status(marrow.id, "accepted")
    ana.mentions.set_status(mention(ana, doc, "Tarnby").id, "rejected")
    own = [e.summary for e in ben.history.stack()[0]]
    assert own == ["Accept PERSON 'Ilse Marrow'"]
    assert "Reject ORG 'Tarnby'" in [e.summary for e in ana.history.stack()[0]]
    assert "Accept PERSON 'Ilse Marrow'" not in [e.summary for e in ana.history.stack()[0]]
    ben.history.undo(ben.history.stack()[0][-1].batch)
    assert mention(ana, doc, "Ilse Marrow").status == "proposed"
    assert mention(ana, doc, "Tarnby").status == "rejected"  # Ana's stays


def test_undo_over_another_analysts_later_change_is_refused(two):
    ana, ben, doc = two
    marrow = mention(ben, doc, "Ilse Marrow")
    accepted = ben.mentions.set_status(marrow.id, "accepted").batch
    ana.catch_up()
    relabel = ana.mentions.relabel(marrow.id, "ORG").batch
    with pytest.raises(SteppedOver) as refused:
        ben.history.undo(accepted)
    message = str(refused.value)
    assert "Ana" in message and "mention 'Ilse Marrow'" in message and "not undone" in message
    assert refused.value.analyst == "Ana"
    after = mention(ben, doc, "Ilse Marrow")
    assert (after.status, after.label) == ("accepted", "ORG")  # nothing was changed
    ana.history.undo(relabel)  # Ana takes hers back: Ben's undo goes through now
    ben.history.undo(accepted)
    after = mention(ben, doc, "Ilse Marrow")
    assert (after.status, after.label) == ("proposed", "PERSON")


def test_redo_over_another_analysts_later_change_is_refused(two):
    ana, ben, doc = two
    marrow = mention(ben, doc, "Ilse Marrow")
    accepted = ben.mentions.set_status(marrow.id, "accepted").batch
    ben.history.undo(accepted)
    ana.catch_up()
    ana.mentions.set_status(marrow.id, "rejected")
    with pytest.raises(SteppedOver, match=r"not redone: Ana changed mention 'Ilse Marrow'"):
        ben.history.redo(accepted)
    assert mention(ben, doc, "Ilse Marrow").status == "rejected"
    # a step on another row is no one else's business
    tarnby = ben.mentions.set_status(mention(ben, doc, "Tarnby").id, "accepted").batch
    ben.history.undo(tarnby)
    ben.history.redo(tarnby)
    assert mention(ana, doc, "Tarnby").status == "accepted"


def test_second_write_to_an_item_changed_meanwhile_is_refused(two):
    ana, ben, doc = two
    heard: list[Conflict] = []
    ana.on_conflict(heard.append)
    marrow = mention(ana, doc, "Ilse Marrow")  # both read it as proposed
    ben.mentions.set_status(marrow.id, "accepted")
    with pytest.raises(Conflict) as refused:
        ana.mentions.relabel(marrow.id, "ORG")  # Ana's view is older than Ben's accept
    message = str(refused.value)
    assert message.startswith("Ben changed mention 'Ilse Marrow' (PERSON) since this view")
    assert "Accept PERSON 'Ilse Marrow'" in message and "not made" in message
    assert heard == [refused.value]
    now = mention(ana, doc, "Ilse Marrow")
    assert (now.label, now.status) == ("PERSON", "accepted")  # Ben's change, not Ana's
    # another item is not refused, and once Ana's view is read again her edit goes in
    ana.mentions.set_status(mention(ana, doc, "Tarnby").id, "rejected")
    ana.catch_up()
    ana.mentions.relabel(marrow.id, "ORG")
    assert mention(ben, doc, "Ilse Marrow").label == "ORG"
    # her own later writes never refuse her (one client's changes are its own)
    ana.mentions.relabel(marrow.id, "GPE")
    ana.mentions.set_status(marrow.id, "rejected")
    assert ben.mentions.get(marrow.id).status == "rejected"


def test_undo_by_another_client_counts_as_a_change(two):
    ana, ben, doc = two
    marrow = mention(ana, doc, "Ilse Marrow")
    step = ben.mentions.set_status(marrow.id, "accepted").batch
    ana.catch_up()
    ben.history.undo(step)  # after Ana read it: the row changed again
    with pytest.raises(Conflict, match="Ben changed mention 'Ilse Marrow'"):
        ana.mentions.set_status(marrow.id, "rejected")


def test_writes_at_the_same_moment_one_goes_in_one_is_refused(two):
    """Two threads, two clients, the same mention, released together: in every round
    exactly one write goes in and the other is refused, naming the winner."""
    ana, ben, doc = two
    marrow = mention(ana, doc, "Ilse Marrow")
    for round_ in range(8):
        ana.catch_up()
        ben.catch_up()
        gate = threading.Barrier(2)
        outcome: dict[str, object] = {}

        def write(
            store: Store,
            label: str,
            gate: threading.Barrier = gate,
            outcome: dict[str, object] = outcome,
        ) -> None:
            gate.wait()
            try:
                store.mentions.relabel(marrow.id, label)
                outcome[store.analyst] = "written"
            except Conflict as exc:
                outcome[store.analyst] = exc

        current = ana.mentions.get(marrow.id).label  # both write a label it does not have
        labels = [x for x in ("ORG", "GPE", "LOC") if x != current][:2]
        labels = labels[::-1] if round_ % 2 else labels
        threads = [
            threading.Thread(target=write, args=(ana, labels[0])),
            threading.Thread(target=write, args=(ben, labels[1])),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        written = [name for name, what in outcome.items() if what == "written"]
        refused = [what for what in outcome.values() if isinstance(what, Conflict)]
        assert len(written) == 1 and len(refused) == 1, outcome
        assert refused[0].analyst == written[0]
        label = labels[0] if written[0] == "Ana" else labels[1]
        assert ana.mentions.get(marrow.id).label == label


def test_the_analyst_comes_from_the_environment_or_the_user(monkeypatch, tmp_path):
    monkeypatch.setenv("FACTDESK_ANALYST", " Cleo Varga ")
    assert default_analyst() == "Cleo Varga"
    with Store.open(tmp_path / "p.factdesk") as store:
        assert store.analyst == "Cleo Varga"
        doc, _ = store.documents.add(NewDocument(source="s", text=TEXT))
        store.mentions.add(doc, 17, 28, "PERSON")
        assert store.history.entries()[-1].actor == "Cleo Varga"
    monkeypatch.delenv("FACTDESK_ANALYST")
    import getpass

    assert default_analyst() == getpass.getuser()
    with pytest.raises(ValueError):
        Store.open(tmp_path / "p.factdesk", analyst="   ")
