"""The entity network: entities as nodes, facts as edges between their arguments' entities.

Only the top N entities by mention count are drawn (readable on a small corpus); a
fact links every pair of its arguments whose mentions belong to drawn entities. The
layout is networkx's spring layout with a fixed seed, so it is the same every time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.records import EntityRecord, FactRecord
from desktop.core.store import Store
from desktop.ui.background import BackgroundCall
from desktop.ui.panels.shown_reads import ReadsWhenShown, on_screen

REFRESH_AFTER_EDITS_MS = 300
KIND_COLORS = {
    "person": "#4E79A7",
    "organization": "#F28E2B",
    "place": "#59A14F",
    "group": "#B07AA1",
    "event": "#E15759",
}
OTHER_COLOR = "#9C9C9C"
KINDS = tuple(KIND_COLORS)
DEFAULT_TOP = 40
LAYOUT_SEED = 7
COMPONENT_SPACING = 85.0  # radius of a group of linked entities per sqrt(size)
EDGE_COLOR = QColor("#8A8A8A")
ZOOM_STEP = 1.15
LABEL_CHARS = 24  # longer names are cut on the drawing (full name in the tooltip)
UNLINKED_STEP = 150.0  # spacing of entities without links, in rows below
LABEL_POINTS = 9.5  # node names on screen at any zoom (they ignore the view's scale)
EDGE_LABEL_POINTS = 9.0


@dataclass
class Edge:
    """All drawn facts between two entities."""

    a: int
    b: int
    facts: list[FactRecord] = field(default_factory=list)

    @property
    def types(self) -> list[str]:
        return sorted({f.type for f in self.facts})


ID_CHUNK = 10_000  # fact ids a query names at once (SQLite's limit on bound values)


@dataclass
class Graph:
    """What the view draws: entities by id and edges by entity pair."""

    entities: dict[int, EntityRecord]
    edges: dict[tuple[int, int], Edge]


def build_graph(
    store: Store,
    kind: str | None = None,
    fact_type: str | None = None,
    include_proposed: bool = False,
    top: int = DEFAULT_TOP,
    tag: str | None = None,
) -> Graph:
    """The top entities (by mentions) and the facts (with `tag`, if given) linking them."""
    entities = sorted(store.entities.list(kind), key=lambda e: (-e.mention_count, e.id))[:top]
    chosen = {e.id: e for e in entities}
    statuses = ["accepted", "proposed"] if include_proposed else ["accepted"]
    types = [fact_type] if fact_type else None
    links = store.facts.entity_links(list(chosen), statuses=statuses, types=types, tag=tag)
    linking = sorted(fid for fid, ids in links.items() if len(ids) >= 2)
    edges: dict[tuple[int, int], Edge] = {}
    chunks = (linking[i : i + ID_CHUNK] for i in range(0, len(linking), ID_CHUNK))
    facts = [f for ids in chunks for f in store.facts.query(fact_ids=ids, statuses=statuses)]
    for fact in facts:
        for a, b in combinations(sorted(links[fact.id]), 2):
            edges.setdefault((a, b), Edge(a, b)).facts.append(fact)
    return Graph(chosen, edges)


def layout(graph: Graph, aspect: float = 2.0) -> dict[int, tuple[float, float]]:
    """Positions in scene units (fixed seed): each group of linked entities by a spring
    layout, groups in rows from the largest, unlinked entities in rows below; rows as
    wide as makes the whole drawing about `aspect` times wider than high (the view's
    shape), so fitting it in the view keeps the nodes readable."""
    g = nx.Graph()
    for (a, b), edge in sorted(graph.edges.items()):
        g.add_edge(a, b, weight=1.0 + math.log(len(edge.facts)))
    components = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))
    radii = [COMPONENT_SPACING * math.sqrt(len(nodes)) for nodes in components]
    alone = sorted(
        (e for e in graph.entities.values() if e.id not in g),
        key=lambda e: (-e.mention_count, e.id),
    )
    area = sum((2 * r + 120) * (2 * r + 80) for r in radii) + len(alone) * UNLINKED_STEP * 70
    width = max([2 * r for r in radii] + [math.sqrt(area * min(max(aspect, 0.5), 6.0))])
    pos: dict[int, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for nodes, radius in zip(components, radii, strict=True):
        sub = g.subgraph(sorted(nodes))
        k = 2.5 / math.sqrt(len(nodes))
        spring = nx.spring_layout(sub, seed=LAYOUT_SEED, k=k, iterations=300, scale=radius)
        if x > 0 and x + 2 * radius > width:
            x, y, row_height = 0.0, y + row_height + 80, 0.0
        for n, (px, py) in spring.items():
            pos[n] = (x + radius + float(px), y + radius + float(py))
        x += 2 * radius + 120
        row_height = max(row_height, 2 * radius)
    bottom = y + row_height + 100 if pos else 0.0
    per_row = max(4, int(width // UNLINKED_STEP) + 1)
    for i, e in enumerate(alone):
        row, col = divmod(i, per_row)
        pos[e.id] = (col * UNLINKED_STEP, bottom + row * 70.0)
    return pos


class NodeItem(QGraphicsEllipseItem):
    """An entity: a circle coloured by kind, sized by mentions, with its name."""

    def __init__(self, entity: EntityRecord, x: float, y: float) -> None:
        radius = 6.0 + 2.5 * math.sqrt(entity.mention_count)
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.entity = entity
        self.radius = radius
        self.setPos(x, y)
        color = QColor(KIND_COLORS.get(entity.kind, OTHER_COLOR))
        self.setBrush(QBrush(color))
        self.setPen(QPen(color.darker(140), 1.2))
        self.setZValue(2 + 10 / radius)  # small nodes above big ones
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(
            f"{entity.preferred_name} ({entity.kind})\n"
            f"{entity.mention_count} mentions in {entity.document_count} documents"
        )
        name = entity.preferred_name
        short = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"
        self.label = screen_label(short, self, LABEL_POINTS)
        self.label.setPos(0, radius + 1)
        rect = self.label.boundingRect()
        self.label.setTransform(QTransform.fromTranslate(-rect.width() / 2, 0))


def screen_label(text: str, parent: QGraphicsItem, points: float) -> QGraphicsSimpleTextItem:
    """A label drawn at `points` on screen whatever the zoom."""
    label = QGraphicsSimpleTextItem(text, parent)
    font = QFont()
    font.setPointSizeF(points)
    label.setFont(font)
    label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
    return label


class EdgeItem(QGraphicsLineItem):
    """Facts between two entities: a line labelled by the fact types (easy to click)."""

    def __init__(self, edge: Edge, a: QPointF, b: QPointF) -> None:
        super().__init__(a.x(), a.y(), b.x(), b.y())
        self.edge = edge
        width = 1.0 + min(len(edge.facts) - 1, 4) * 0.6
        pen = QPen(EDGE_COLOR, width)
        if all(f.status != "accepted" for f in edge.facts):
            pen.setStyle(Qt.PenStyle.DashLine)  # only proposed facts: not verified yet
        self.setPen(pen)
        self.setZValue(0)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(
            "\n".join(f"{f.type} ({f.status}) · document {f.document_id}" for f in edge.facts)
        )
        counts: dict[str, int] = defaultdict(int)
        for f in edge.facts:
            counts[f.type] += 1
        text = ", ".join(f"{t} ×{n}" if n > 1 else t for t, n in sorted(counts.items()))
        label = screen_label(text, self, EDGE_LABEL_POINTS)
        label.setBrush(QBrush(QColor("#4A4A4A")))
        rect = label.boundingRect()
        label.setPos((a + b) / 2)
        label.setTransform(QTransform.fromTranslate(-rect.width() / 2, -rect.height() / 2))
        label.setZValue(1)
        self.label = label

    def shape(self) -> QPainterPath:
        path = QPainterPath(self.line().p1())
        path.lineTo(self.line().p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(8)
        return stroker.createStroke(path)


class GraphView(QGraphicsView):
    """A view that zooms with the wheel and reports clicked nodes and edges."""

    item_clicked = Signal(object)  # NodeItem or EdgeItem
    zoomed = Signal()

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QBrush(QColor("#FFFFFF")))

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom(ZOOM_STEP**steps)
        event.accept()

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        if 0.05 < current * factor < 20:
            self.scale(factor, factor)
            self.zoomed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            hit = owner(self.itemAt(event.position().toPoint()))
            if hit is not None:
                self.item_clicked.emit(hit)
                event.accept()
                return
        super().mousePressEvent(event)


def owner(item: QGraphicsItem | None) -> NodeItem | EdgeItem | None:
    """The node or edge a clicked item (or its label) belongs to."""
    while item is not None and not isinstance(item, NodeItem | EdgeItem):
        item = item.parentItem()
    return item


class NetworkView(ReadsWhenShown):
    """Entities and the facts between them, filtered by kind and fact type."""

    entity_activated = Signal(int)
    fact_activated = Signal(object)  # FactRecord
    drawn = Signal()  # a refresh is on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.graph = Graph({}, {})
        self.nodes: dict[int, NodeItem] = {}
        self.edges: dict[tuple[int, int], EdgeItem] = {}
        self._fitted = False
        self._stale = False  # a refresh was asked for while hidden
        # Edits come in bursts (label, relabel, undo, a key each): the drawing on screen
        # follows the burst once, a moment after its last edit, instead of re-reading and
        # laying out the graph beside every keystroke.
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(REFRESH_AFTER_EDITS_MS)
        self._settle.timeout.connect(self.refresh)
        self._background = BackgroundCall(self)
        self._background.failed.connect(lambda message: self.count_label.setText(message))
        self.hint = QLabel(wordWrap=True)  # shown when no link is drawn
        self.hint.setObjectName("placeholder")
        self.hint.hide()

        self.kind_combo = QComboBox()
        self.kind_combo.addItem("All kinds", None)
        for kind in KINDS:
            self.kind_combo.addItem(kind.capitalize(), kind)
        self.type_combo = QComboBox()
        self.type_combo.addItem("All fact types", None)
        self.tag_combo = QComboBox()
        self.tag_combo.addItem("All tags", None)
        self.tag_combo.setToolTip("Only facts carrying this tag")
        self.proposed_check = QCheckBox("Include proposed facts")
        self.unlinked_check = QCheckBox("Show unlinked")
        self.unlinked_check.setToolTip(
            "Also draw the entities no shown fact links (in rows under the linked groups)"
        )
        self.loads = 0  # reads started (the tests count them)
        self.top_spin = QSpinBox()
        self.top_spin.setRange(2, 400)  # networkx needs scipy from 500 nodes on (not bundled)
        self.top_spin.setValue(DEFAULT_TOP)
        self.top_spin.setPrefix("Top ")
        self.top_spin.setSuffix(" entities")
        self.top_spin.setToolTip("Draw only the most mentioned entities")
        self.count_label = QLabel()

        self.scene = QGraphicsScene(self)
        self.view = GraphView(self.scene)
        self.view.item_clicked.connect(self.activate)
        self.view.zoomed.connect(self.declutter)

        controls = QHBoxLayout()
        for w in (
            self.kind_combo,
            self.type_combo,
            self.tag_combo,
            self.proposed_check,
            self.unlinked_check,
            self.top_spin,
        ):
            controls.addWidget(w)
        controls.addStretch(1)
        controls.addWidget(self.count_label)
        legend = QHBoxLayout()
        for kind, color in KIND_COLORS.items():
            swatch = QLabel(f'<span style="color:{color}">●</span> {kind}')
            legend.addWidget(swatch)
        legend.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addLayout(legend)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)

        self.kind_combo.currentIndexChanged.connect(self.refresh)
        self.type_combo.currentIndexChanged.connect(self.refresh)
        self.tag_combo.currentIndexChanged.connect(self.refresh)
        self.proposed_check.toggled.connect(self.refresh)
        self.unlinked_check.toggled.connect(self.refresh)
        self.top_spin.valueChanged.connect(self.refresh)

    def set_store(self, store: Store | None) -> None:
        """Show another project: read and drawn when the view is (next) shown."""
        self._background.forget()  # nothing may read the old store after this
        self.store = store
        self._stale = store is not None
        self._draw((Graph({}, {}), {}, 0, 0, None))
        if self._stale and on_screen(self):
            self.refresh()

    def refresh_when_shown(self) -> None:
        """After an edit: refresh a moment after the last of a burst of edits if on screen,
        else on the next show (layouts take time)."""
        if self.store is None or not on_screen(self):
            self.refresh()
        else:
            self._settle.start()

    def set_include_proposed(self, on: bool) -> None:
        self.proposed_check.setChecked(on)

    def refresh(self) -> None:
        """Rebuild the graph from the store with the current filters (read and laid out
        off the GUI thread; `drawn` is emitted when it is on screen). While hidden, only
        note that the drawing is stale: it is redrawn when next shown."""
        self._settle.stop()
        store = self.store
        if store is None:
            self._background.forget()
            self._draw((Graph({}, {}), {}, 0, 0, None))
            return
        if not on_screen(self):
            self._stale = True
            return
        self._stale = False
        self.loads += 1
        fact_type, tag = self.type_combo.currentData(), self.tag_combo.currentData()
        include = self.proposed_check.isChecked()
        unlinked = self.unlinked_check.isChecked()
        filters = {"kind": self.kind_combo.currentData(), "fact_type": fact_type, "tag": tag}
        viewport = self.view.viewport().size()
        aspect = viewport.width() / max(viewport.height(), 1)
        top = self.top_spin.value()

        def work() -> tuple:
            graph = build_graph(store, include_proposed=include, top=top, **filters)
            linked = {n for pair in graph.edges for n in pair}
            alone = len(graph.entities) - len(linked)
            if not unlinked:
                graph = Graph({i: e for i, e in graph.entities.items() if i in linked}, graph.edges)
            hidden = 0
            if not graph.edges and not include:  # say how to see them
                types = [fact_type] if fact_type else None
                hidden = len(store.facts.query(statuses=["proposed"], types=types, tag=tag))
            choices = (sorted(store.facts.counts()), store.tags.names())
            return graph, layout(graph, aspect), hidden, alone, choices

        self.count_label.setText("Drawing…")
        self._background.call(work, self._draw)

    def _draw(self, result: tuple) -> None:
        self.graph, pos, hidden, alone, choices = result
        if choices is not None:
            _refill(self.type_combo, "All fact types", choices[0])
            _refill(self.tag_combo, "All tags", choices[1])
        self.hint.hide()
        self.scene.clear()
        self.nodes, self.edges = {}, {}
        for eid, entity in self.graph.entities.items():
            node = NodeItem(entity, *pos[eid])
            self.scene.addItem(node)
            self.nodes[eid] = node
        for key, edge in self.graph.edges.items():
            item = EdgeItem(edge, self.nodes[edge.a].pos(), self.nodes[edge.b].pos())
            self.scene.addItem(item)
            self.edges[key] = item
        n, m = len(self.nodes), len(self.edges)
        counted = f"{n} entities · {m} links"
        if alone and not self.unlinked_check.isChecked():
            counted += f" · {alone} unlinked hidden"
        self.count_label.setText(counted if self.store is not None else "")
        if self.store is not None and not self.edges and not self._stale:
            self.hint.setText(self._empty_text(hidden, alone))
            self.hint.show()
        rect = self.scene.itemsBoundingRect().adjusted(-60, -40, 60, 40)
        self.scene.setSceneRect(rect)
        self.fit()
        if not self._stale:  # not the blank drawing of a project still to be read
            self.drawn.emit()

    def _empty_text(self, hidden: int, alone: int) -> str:
        """What to do when no fact links the drawn entities."""
        if hidden:
            return (
                "No accepted facts link these entities yet. Tick “Include proposed facts” "
                f"to draw links from {hidden} proposed facts (dashed), or accept facts in "
                "the Facts panel."
            )
        text = (
            "No facts link these entities. A link is a fact with two or more entities "
            "among its arguments (a meeting, an agreement, a funding): extract facts, "
            "make one in the Facts panel, or widen the filters above."
        )
        if alone and not self.unlinked_check.isChecked():
            text += f" Tick “Show unlinked” to draw the {alone} entities on their own."
        return text

    def fit(self) -> None:
        """Fit the whole drawing in the view (a small one is not blown up past 1.5x)."""
        rect = self.scene.itemsBoundingRect()
        if not rect.isEmpty():
            self.view.resetTransform()
            self.view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            scale = max(self.view.transform().m11(), 0.05)  # names keep their screen size:
            rect = rect.adjusted(-90 / scale, -24 / scale, 90 / scale, 24 / scale)  # room
            self.scene.setSceneRect(rect)
            self.view.resetTransform()
            self.view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            if self.view.transform().m11() > 1.5:
                self.view.resetTransform()
                self.view.scale(1.5, 1.5)
                self.view.centerOn(rect.center())
            self.declutter()

    def declutter(self) -> None:
        """Show the labels that fit without overlapping at this zoom: names of the most
        mentioned entities first, then link labels (the rest stay in the tooltips)."""
        transform = self.view.viewportTransform()
        taken: list = []

        def place(label: QGraphicsSimpleTextItem) -> None:
            rect = label.deviceTransform(transform).mapRect(label.boundingRect())
            free = not any(rect.intersects(other) for other in taken)
            label.setVisible(free)
            if free:
                taken.append(rect.adjusted(-3, -1, 3, 1))

        for node in sorted(
            self.nodes.values(), key=lambda n: (-n.entity.mention_count, n.entity.id)
        ):
            place(node.label)
        for edge in self.edges.values():
            place(edge.label)

    def node(self, name: str) -> NodeItem | None:
        """The node of an entity by preferred name (None if not drawn)."""
        return next((n for n in self.nodes.values() if n.entity.preferred_name == name), None)

    def activate(self, item: object) -> None:
        """A click on a node or an edge: emit the entity or the edge's first fact."""
        if isinstance(item, NodeItem):
            self.entity_activated.emit(item.entity.id)
        elif isinstance(item, EdgeItem) and item.edge.facts:
            self.fact_activated.emit(item.edge.facts[0])

    def showEvent(self, event) -> None:
        super().showEvent(event)  # a read that is due waits for the dock's layout to settle
        if not self._fitted:
            self._fitted = True
            self.fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()


def _refill(combo: QComboBox, everything: str, values: list[str]) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for value in values:
        combo.addItem(value, value)
    index = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


__all__ = ["EdgeItem", "NetworkView", "NodeItem", "build_graph", "layout"]
