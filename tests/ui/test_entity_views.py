"""Entity views on the seeds: merge proposals, the entity page and the network view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.core.entities.resolve import resolve
from desktop.core.ingest.importer import ingest
from desktop.core.nlp.extract import extract
from desktop.core.records import FactRecord
from desktop.core.store import Store
from desktop.ui.panels.entity_page import EntityPage, kwic
from desktop.ui.panels.merge_proposals import MergeProposalsPanel
from desktop.ui.panels.network_view import EdgeItem, NetworkView, build_graph, owner


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, pipeline):
    """The seeds ingested, extracted and resolved (read-only for the tests here)."""
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    path = tmp_path_factory.mktemp("entities") / "seeds.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [seeds]))
        list(extract(store, pipeline))
        resolve(store)
        yield store


def entity_id(store, name: str) -> int:
    return next(e.id for e in store.entities.list() if e.preferred_name == name)


def test_kwic_cuts_context_on_one_line():
    text = "a" * 100 + "\n\nWei Tao  met\nLe " + "b" * 100
    start = text.index("Wei Tao")
    left, mention, right = kwic(text, start, start + 7, width=20)
    assert mention == "Wei Tao"
    assert left.endswith("a ") and left.startswith("…") and len(left) <= 21
    assert right.startswith(" met Le") and "\n" not in right and right.endswith("…")


# -- merge proposals --------------------------------------------------------------------


@pytest.fixture
def proposals(qtbot, seeded):
    panel = MergeProposalsPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.computed, timeout=20_000):
        panel.set_store(seeded)  # computed off the GUI thread
    yield panel
    panel.set_store(None)


def test_proposals_list_ndrc(proposals):
    texts = [proposals.list.item(i).text() for i in range(proposals.list.count())]
    ndrc = [t for t in texts if "NDRC" in t]
    assert ndrc == ["NDRC ⇄ National Development and Reform Commission · 0.90 · acronym"]


def test_enter_and_x_request_merge_and_distinct(qtbot, proposals, seeded):
    row = next(i for i, p in enumerate(proposals.proposals) if p.a_name == "NDRC")
    proposals.list.setCurrentRow(row)
    ids = entity_id(seeded, "NDRC"), entity_id(seeded, "National Development and Reform Commission")
    with qtbot.waitSignal(proposals.merge_requested) as merged:
        qtbot.keyClick(proposals.list, Qt.Key.Key_Return)
    assert tuple(merged.args) == ids
    with qtbot.waitSignal(proposals.merge_requested) as merged:
        qtbot.keyClick(proposals.list, Qt.Key.Key_A)
    assert tuple(merged.args) == ids
    with qtbot.waitSignal(proposals.distinct_requested) as distinct:
        qtbot.keyClick(proposals.list, Qt.Key.Key_X)
    assert tuple(distinct.args) == ids
    with qtbot.waitSignal(proposals.distinct_requested):
        qtbot.keyClick(proposals.list, Qt.Key.Key_Delete)


def test_kind_filter(qtbot, proposals):
    with qtbot.waitSignal(proposals.computed, timeout=20_000):
        proposals.kind_combo.setCurrentIndex(proposals.kind_combo.findData("place"))
    assert proposals.proposals and {p.kind for p in proposals.proposals} == {"place"}


# -- entity page -----------------------------------------------------------------------


@pytest.fixture
def page(qtbot, seeded):
    widget = EntityPage()
    qtbot.addWidget(widget)
    widget.set_store(seeded)
    with qtbot.waitSignal(widget.shown, timeout=20_000):  # read off the GUI thread
        widget.show_entity(entity_id(seeded, "Wei Tao"))
    yield widget
    widget.set_store(None)


def test_entity_page_header(page):
    assert page.name_edit.text() == "Wei Tao"
    assert page.kind_label.text() == "person"
    assert "Wei" in page.aliases_label.text()
    assert page.counts_label.text() == "14 mentions in 3 documents"
    assert not page.rename_button.isEnabled()


def test_entity_page_mentions_in_context_across_documents(page):
    table = page.mention_table
    assert table.rowCount() == 14
    mentions = {table.item(r, 1).text() for r in range(table.rowCount())}
    assert mentions == {"Wei Tao", "Wei"}
    shown = {table.item(r, 3).text() for r in range(table.rowCount())}
    assert not any(s[:3].isdigit() for s in shown)  # titles, not file names with hashes
    assert len(shown) == 3 and any(s.startswith("The close") for s in shown)
    sources = {table.item(r, 3).toolTip().splitlines()[-1] for r in range(table.rowCount())}
    assert {s[:3] for s in sources} == {"000", "002", "004"}  # the source in the tooltip
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    width = table.horizontalHeader().fontMetrics().horizontalAdvance
    assert all(table.columnWidth(c) >= width(h) for c, h in enumerate(headers[:3]))
    lefts = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert all(len(t) <= 61 for t in lefts) and any(t.strip() for t in lefts)
    assert any("Chairman" in t for t in lefts)


def test_entity_page_facts(page, seeded):
    table = page.fact_table
    types = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "MEETING" in types
    meeting = page.facts[types.index("MEETING")]
    doc004 = next(i for i in seeded.documents.infos([meeting.document_id]))
    assert doc004.source.startswith("004")
    assert "Le Hoai Trung" in table.item(types.index("MEETING"), 3).text()


def test_entity_page_signals(qtbot, page):
    first = page.mentions[0]
    with qtbot.waitSignal(page.mention_activated) as activated:
        page.activate_mention(0)
    assert activated.args == [first.document_id, first.id]
    with qtbot.waitSignal(page.fact_activated) as fact:
        page.activate_fact(0)
    assert isinstance(fact.args[0], FactRecord)
    page.name_edit.setText("Wei  Tao Chairman")
    assert page.rename_button.isEnabled()
    with qtbot.waitSignal(page.rename_requested) as renamed:
        qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)
    assert renamed.args == [page.entity.id, "Wei Tao Chairman"]


def test_entity_page_unknown_entity_clears(qtbot, page):
    with qtbot.waitSignal(page.shown, timeout=20_000):
        page.show_entity(10**6)
    assert page.entity is None and page.mention_table.rowCount() == 0


def test_entity_page_screenshot(qtbot, page):
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page)
    page.grab().save("/tmp/entity_page.png")


def visible_rows(table) -> int:
    """How many rows of a table are on screen in full."""
    height = table.viewport().height()
    return sum(
        table.rowViewportPosition(r) >= 0
        and table.rowViewportPosition(r) + table.rowHeight(r) <= height
        for r in range(table.rowCount())
    )


def test_entity_page_keeps_mention_rows_in_a_low_wide_dock_and_stacks_in_a_tall_one(qtbot, page):
    page.show()
    page.resize(1360, 230)  # the bottom tabs at 1366x768
    qtbot.waitExposed(page)
    qtbot.waitUntil(page.is_wide)
    page.layout().activate()
    assert page.info.geometry().right() < page.splitter.geometry().left()
    assert page.splitter.orientation() == Qt.Orientation.Horizontal
    assert visible_rows(page.mention_table) >= 4
    page.resize(420, 760)  # a right-hand dock
    qtbot.waitUntil(lambda: not page.is_wide())
    page.layout().activate()
    assert page.info.geometry().bottom() < page.splitter.geometry().top()
    assert visible_rows(page.mention_table) >= 4


# -- network view ----------------------------------------------------------------------


@pytest.fixture
def network(qtbot, seeded):
    widget = shown_network(qtbot)
    redraw(qtbot, widget, lambda: widget.set_store(seeded))
    yield widget
    widget.set_store(None)


def shown_network(qtbot) -> NetworkView:  # type: ignore[no-untyped-def]
    """A network view on screen (it reads nothing while hidden)."""
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(1100, 520)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def redraw(qtbot, view, change) -> None:  # type: ignore[no-untyped-def]
    """Make a change that refreshes the view and wait until it is drawn again."""
    with qtbot.waitSignal(view.drawn, timeout=20_000):
        change()


def meeting_edge(network, a: str, b: str) -> EdgeItem | None:
    ids = {network.node(a).entity.id, network.node(b).entity.id}
    return next((e for e in network.edges.values() if {e.edge.a, e.edge.b} == ids), None)


def test_network_nodes_and_proposed_edges(qtbot, network):
    assert not network.nodes  # nothing accepted links them, and unlinked ones are hidden
    assert "40 unlinked hidden" in network.count_label.text()
    redraw(qtbot, network, lambda: network.unlinked_check.setChecked(True))
    assert network.node("Wei Tao") is not None and network.node("Le Hoai Trung") is not None
    assert len(network.nodes) == 40
    assert meeting_edge(network, "Wei Tao", "Le Hoai Trung") is None  # all seeds proposed
    redraw(qtbot, network, lambda: network.set_include_proposed(True))
    edge = meeting_edge(network, "Wei Tao", "Le Hoai Trung")
    assert edge is not None and "MEETING" in edge.edge.types
    assert "MEETING" in edge.label.text()


def naive_edges(store, kind, fact_type, include_proposed, top, tag):
    """The network's edges worked out the long way: every mention of every drawn entity,
    every fact read whole (what build_graph did before it joined in SQL)."""
    from itertools import combinations

    entities = sorted(store.entities.list(kind), key=lambda e: (-e.mention_count, e.id))[:top]
    entity_of = {
        m.id: e.id for e in entities for m in store.entities.mentions_of(e.id)
        if m.status != "rejected"
    }  # fmt: skip
    statuses = ["accepted", "proposed"] if include_proposed else ["accepted"]
    types = [fact_type] if fact_type else None
    edges: dict[tuple[int, int], list[int]] = {}
    for fact in store.facts.query(statuses=statuses, types=types, tag=tag):
        ids = sorted({entity_of[a.mention_id] for a in fact.arguments if a.mention_id in entity_of})
        for pair in combinations(ids, 2):
            edges.setdefault(pair, []).append(fact.id)
    return edges


@pytest.mark.parametrize("include_proposed", [True, False])
@pytest.mark.parametrize("fact_type", [None, "MEETING", "ROLE", "AGREEMENT"])
@pytest.mark.parametrize(("kind", "top"), [(None, 40), (None, 8), ("person", 40)])
def test_the_network_joins_in_sql_what_reading_every_fact_gives(
    seeded, include_proposed, fact_type, kind, top
):
    graph = build_graph(seeded, kind, fact_type, include_proposed, top)
    got = {pair: [f.id for f in edge.facts] for pair, edge in graph.edges.items()}
    assert got == naive_edges(seeded, kind, fact_type, include_proposed, top, None)
    assert include_proposed is False or fact_type not in (None, "MEETING") or got


def test_network_filters(qtbot, network, seeded):
    redraw(qtbot, network, lambda: network.set_include_proposed(True))
    redraw(
        qtbot,
        network,
        lambda: network.type_combo.setCurrentIndex(network.type_combo.findData("MEETING")),
    )
    assert network.edges
    assert all(e.edge.types == ["MEETING"] for e in network.edges.values())
    redraw(
        qtbot,
        network,
        lambda: network.kind_combo.setCurrentIndex(network.kind_combo.findData("person")),
    )
    assert {n.entity.kind for n in network.nodes.values()} == {"person"}
    redraw(qtbot, network, lambda: network.unlinked_check.setChecked(True))
    redraw(qtbot, network, lambda: network.top_spin.setValue(5))
    assert len(network.nodes) == 5


def test_network_layout_is_stable(seeded):
    from desktop.ui.panels.network_view import layout

    graph = build_graph(seeded, include_proposed=True)
    assert layout(graph) == layout(graph)


def test_network_clicks(qtbot, network):
    redraw(qtbot, network, lambda: network.set_include_proposed(True))
    wei = network.node("Wei Tao")
    with qtbot.waitSignal(network.entity_activated) as activated:
        network.activate(wei)
    assert activated.args == [wei.entity.id]
    edge = meeting_edge(network, "Wei Tao", "Le Hoai Trung")
    with qtbot.waitSignal(network.fact_activated) as fact:
        network.activate(edge)
    assert isinstance(fact.args[0], FactRecord)
    # a real click on the node's centre goes through the view
    network.resize(900, 700)
    network.show()
    qtbot.waitExposed(network)
    point = network.view.mapFromScene(wei.scenePos())
    top = owner(network.view.itemAt(point))
    assert top is wei  # small nodes are drawn above big ones
    with qtbot.waitSignal(network.entity_activated) as clicked:
        qtbot.mouseClick(network.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert clicked.args == [wei.entity.id]


def test_network_wheel_zoom(network):
    before = network.view.transform().m11()
    network.view.zoom(1.5)
    assert network.view.transform().m11() == pytest.approx(before * 1.5)


def test_network_screenshot(qtbot, network):
    redraw(qtbot, network, lambda: network.set_include_proposed(True))
    network.resize(1200, 900)
    network.show()
    qtbot.waitExposed(network)
    network.grab().save("/tmp/network_view.png")


@pytest.fixture
def editable(seeded, tmp_path):
    """A private copy of the seeded project, for tests that change it."""
    import sqlite3

    copy = tmp_path / "copy.factdesk"
    with sqlite3.connect(seeded.location) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    with Store.open(copy) as store:
        yield store


def test_network_says_how_to_see_proposed_links(qtbot, editable):
    view = shown_network(qtbot)
    redraw(qtbot, view, lambda: view.set_store(editable))
    assert not view.edges and view.hint.isVisibleTo(view)
    assert "Include proposed facts" in view.hint.text()
    redraw(qtbot, view, lambda: view.set_include_proposed(True))
    assert view.edges and not view.hint.isVisibleTo(view)
    edge = meeting_edge(view, "Wei Tao", "Le Hoai Trung")
    assert edge.pen().style() == Qt.PenStyle.DashLine  # only proposed facts behind it
    accepted = {f.id for f in edge.edge.facts}
    for fact_id in accepted:
        editable.facts.set_status(fact_id, "accepted")
    redraw(qtbot, view, lambda: view.set_include_proposed(False))
    edge = meeting_edge(view, "Wei Tao", "Le Hoai Trung")
    assert edge is not None and edge.pen().style() == Qt.PenStyle.SolidLine
    assert not view.hint.isVisibleTo(view)
    assert {f.id for e in view.edges.values() for f in e.edge.facts} == accepted


def test_network_filters_by_tag_and_refreshes_only_when_shown(qtbot, editable):
    view = shown_network(qtbot)
    redraw(qtbot, view, lambda: view.set_store(editable))
    redraw(qtbot, view, lambda: view.set_include_proposed(True))
    edge = meeting_edge(view, "Wei Tao", "Le Hoai Trung")
    view.hide()
    loads = view.loads
    editable.tags.set("fact", edge.edge.facts[0].id, ["checked"])
    view.refresh_when_shown()  # hidden: nothing happens until shown
    assert view.tag_combo.findData("checked") == -1 and view.loads == loads
    redraw(qtbot, view, view.show)  # shown: the refresh asked for while hidden runs
    qtbot.waitExposed(view)
    redraw(qtbot, view, lambda: view.tag_combo.setCurrentIndex(view.tag_combo.findData("checked")))
    assert [sorted(e.edge.types) for e in view.edges.values()] == [["MEETING"]]
    assert meeting_edge(view, "Wei Tao", "Le Hoai Trung") is not None


def test_a_burst_of_edits_redraws_the_shown_network_once_after_the_last(qtbot, seeded):
    view = shown_network(qtbot)
    redraw(qtbot, view, lambda: view.set_store(seeded))
    loads = view.loads
    for _ in range(3):  # label, relabel, undo: each asks for a refresh
        view.refresh_when_shown()
        qtbot.wait(20)
    assert view.loads == loads  # not beside each edit
    with qtbot.waitSignal(view.drawn, timeout=20_000):
        pass
    assert view.loads == loads + 1
    qtbot.wait(400)
    assert view.loads == loads + 1
    view.set_store(None)


def test_network_reads_nothing_until_shown(qtbot, seeded):
    view = NetworkView()
    qtbot.addWidget(view)
    view.set_store(seeded)
    view.refresh_when_shown()
    assert view.loads == 0 and not view.nodes
    with qtbot.waitSignal(view.drawn, timeout=20_000):
        view.show()
    assert view.loads == 1
    view.hide()
    view.show()  # nothing changed: not read again
    assert view.loads == 1
    view.set_store(None)


def test_network_is_fitted_with_labels_of_nine_points_or_more(qtbot, network):
    redraw(qtbot, network, lambda: network.set_include_proposed(True))
    redraw(qtbot, network, lambda: network.unlinked_check.setChecked(True))
    view = network.view
    viewport = view.viewport().rect()
    for node in network.nodes.values():  # every node is inside the view, none cut off
        assert viewport.contains(view.mapFromScene(node.scenePos()))
    labels = [n.label for n in network.nodes.values()] + [e.label for e in network.edges.values()]
    assert labels
    for label in labels:
        scale = label.deviceTransform(view.viewportTransform()).m22()
        assert label.font().pointSizeF() * scale >= 9.0
    top = max(network.nodes.values(), key=lambda n: n.entity.mention_count)
    assert top.label.isVisible()  # the most mentioned entity is always named
    shown = [
        label.deviceTransform(view.viewportTransform()).mapRect(label.boundingRect())
        for label in labels
        if label.isVisible()
    ]
    assert all(not a.intersects(b) for i, a in enumerate(shown) for b in shown[i + 1 :])
    before = view.transform().m11()
    network.resize(network.width(), 330)  # resized: fitted again, smaller
    qtbot.waitUntil(lambda: view.transform().m11() < before)
    for node in network.nodes.values():
        assert view.viewport().rect().contains(view.mapFromScene(node.scenePos()))


def test_network_says_what_to_do_when_nothing_links(qtbot, editable):
    for fact in editable.facts.query():
        editable.facts.set_status(fact.id, "rejected")
    view = shown_network(qtbot)
    redraw(qtbot, view, lambda: view.set_store(editable))
    redraw(qtbot, view, lambda: view.set_include_proposed(True))
    assert not view.edges and not view.nodes
    assert view.hint.isVisibleTo(view)
    text = view.hint.text()
    assert text.startswith("No facts link these entities") and "Show unlinked" in text
    redraw(qtbot, view, lambda: view.unlinked_check.setChecked(True))
    assert len(view.nodes) == 40 and view.hint.isVisibleTo(view)
    assert "Show unlinked" not in view.hint.text()
