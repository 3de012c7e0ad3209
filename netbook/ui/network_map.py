"""The network on a map: people as dots, relationships as lines (QGraphicsView).

By default the selected contact's circle two steps out, or the whole book filtered by a
tag or a circle. Dots are coloured by circle, sized by the touches of the last three
months and faded when the person is overdue; a click opens the contact. The data and
the layout are made off the GUI thread (ui/workers.py); the scene holds one item per
person and a single path for all the lines, so 2,000 people pan and zoom smoothly.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from ..data.contacts import Store
from ..data.networking import CIRCLES
from ..plan import connector
from ..plan.connector import NetworkMap
from .text import isolate, plain_label
from .workers import run_job

SCALE = 60.0  # scene units per layout unit
LABELS_UP_TO = 200  # names under the dots on maps this small (else: hover for the name)
CIRCLE_COLOURS = {"inner": "#d1495b", "close": "#edae49", "network": "#00798c",
                  "acquaintance": "#66a182", None: "#8d8d8d"}
ID_KEY = 0  # QGraphicsItem.data key holding the contact id
MAX_FIT = 1.2
SMOOTH_UP_TO = 300  # antialiased drawing for maps up to this many people


def node_radius(recent: int) -> float:
    """Bigger for people you were in touch with lately."""
    return 7.0 + 4.0 * math.sqrt(max(recent, 0))


class LinesItem(QGraphicsItem):
    """Every relationship line in one item, drawn in one call (thousands of line items,
    or one long path, cost a frame's time to draw)."""

    def __init__(self, lines: list[QLineF]) -> None:
        super().__init__()
        self.lines = lines
        self.pen = QPen(QColor(140, 140, 140, 160), 0)  # cosmetic: 1 px at any zoom
        xs = [v for line in lines for v in (line.x1(), line.x2())] or [0.0]
        ys = [v for line in lines for v in (line.y1(), line.y2())] or [0.0]
        self.bounds = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def boundingRect(self) -> QRectF:
        return self.bounds.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setPen(self.pen)
        painter.drawLines(self.lines)


class MapView(QGraphicsView):
    """Pan by dragging, zoom with the wheel; a click on a dot opens that person."""

    open_contact = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setAccessibleName("Network map")
        self.nodes: dict[int, QGraphicsEllipseItem] = {}
        self._press: QPointF | None = None

    def show_map(self, network: NetworkMap) -> None:
        scene = self.scene()
        scene.clear()
        self.nodes = {}
        where = {n.contact_id: QPointF(n.x * SCALE, n.y * SCALE) for n in network.nodes}
        lines = LinesItem([QLineF(where[a], where[b]) for a, b, _kind in network.links])
        lines.setZValue(0)
        scene.addItem(lines)
        labels = len(network.nodes) <= LABELS_UP_TO
        # smooth edges while the map is small; a big one is drawn crisp, to pan at 60 fps
        self.setRenderHint(QPainter.RenderHint.Antialiasing,
                           len(network.nodes) <= SMOOTH_UP_TO)
        for node in network.nodes:
            r = node_radius(node.recent)
            dot = QGraphicsEllipseItem(-r, -r, 2 * r, 2 * r)
            dot.setPos(where[node.contact_id])
            colour = QColor(CIRCLE_COLOURS.get(node.circle, CIRCLE_COLOURS[None]))
            dot.setBrush(QBrush(colour))
            dot.setPen(QPen(colour.darker(140), 3 if node.contact_id == network.center else 1))
            if node.overdue:
                dot.setOpacity(0.35)
            overdue = " — overdue" if node.overdue else ""
            # tool tips may be read as rich text: the name from a card is escaped
            name = isolate(node.name)  # a name's direction stays inside it
            dot.setToolTip(f"<p>{html.escape(name)}{html.escape(overdue)}</p>")
            dot.setData(ID_KEY, node.contact_id)
            dot.setCursor(Qt.CursorShape.PointingHandCursor)
            dot.setZValue(1)
            scene.addItem(dot)
            self.nodes[node.contact_id] = dot
            if labels:
                label = QGraphicsSimpleTextItem(name, dot)  # plain text by nature
                label.setPos(-label.boundingRect().width() / 2, r + 2)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-40, -40, 40, 40))
        self.fit()

    def fit(self) -> None:
        """The whole map in view, never blown up past 1.2× (a map of three people)."""
        self.resetTransform()
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > MAX_FIT:
            self.resetTransform()
            self.scale(MAX_FIT, MAX_FIT)
            self.centerOn(self.scene().sceneRect().center())

    def node_at(self, point: QPointF) -> int | None:
        for item in self.items(point.toPoint()):
            cid = item.data(ID_KEY)
            if cid is None and item.parentItem() is not None:
                cid = item.parentItem().data(ID_KEY)
            if cid is not None:
                return int(cid)
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if (press is not None and event.button() == Qt.MouseButton.LeftButton
                and (event.position() - press).manhattanLength() < 5):  # a click, not a drag
            cid = self.node_at(event.position())
            if cid is not None:
                self.open_contact.emit(cid)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom(1.0015 ** event.angleDelta().y())

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.02 < scale < 20:
            self.scale(factor, factor)


class NetworkMapDialog(QDialog):
    """The map window: whose network, which part of the book, and the map itself."""

    open_contact = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 center: int | None = None, tags: list[str] | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.setWindowTitle("Network map")
        self.store = store
        self.center = center
        self._today = today
        self.network: NetworkMap | None = None
        self._generation = 0  # the latest reload's number: only its layout is shown
        self.scope_box = QComboBox(self)
        self.scope_box.setAccessibleName("Whose network")
        if center is not None:
            name = store.display_names([center]).get(center, "")
            self.scope_box.addItem(f"Around {isolate(name)} (two steps)", "around")
        self.scope_box.addItem("The whole book", "book")
        self.tag_box = QComboBox(self)
        self.tag_box.setAccessibleName("Only this tag")
        self.tag_box.addItem("Any tag", None)
        for tag in tags if tags is not None else store.all_tags():
            self.tag_box.addItem(tag, tag)
        self.circle_box = QComboBox(self)
        self.circle_box.setAccessibleName("Only this circle")
        self.circle_box.addItem("Any circle", None)
        for circle in CIRCLES:
            self.circle_box.addItem(circle.capitalize(), circle)
        for box in (self.scope_box, self.tag_box, self.circle_box):
            box.currentIndexChanged.connect(self.reload)
        self.status_label = plain_label("", self)
        self.legend_label = plain_label(
            "Colour: circle (inner red, close amber, network teal, acquaintance green) · "
            "size: touches in the last 3 months · faded: overdue · click a dot to open", self)
        self.legend_label.setWordWrap(True)
        self.view = MapView(self)
        self.view.open_contact.connect(self.open_contact)

        top = QHBoxLayout()
        top.addWidget(self.scope_box)
        top.addWidget(self.tag_box)
        top.addWidget(self.circle_box)
        top.addStretch(1)
        top.addWidget(self.status_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend_label)
        self.resize(820, 620)
        self.reload()

    def _filters_enabled(self) -> None:
        whole = self.scope_box.currentData() == "book"
        self.tag_box.setEnabled(whole)
        self.circle_box.setEnabled(whole)

    @Slot()
    def reload(self) -> None:
        """Gather and lay out the chosen part of the network off the GUI thread."""
        self._filters_enabled()
        around = self.scope_box.currentData() == "around"
        center = self.center if around else None
        tag = None if around else self.tag_box.currentData()
        circle = None if around else self.circle_box.currentData()
        today = self._today()
        self.status_label.setText("Laying out…")
        # only the latest choice is drawn: an older, slower layout must not paint over it
        self._generation += 1
        generation = self._generation

        def work(report: Callable[[int, int], None]) -> NetworkMap:
            return connector.network_map(self.store, today, center=center, tag=tag,
                                         circle=circle, report=report)

        run_job(self, "Laying out the network", work,
                lambda network: self._show(network, generation),
                lambda message: self._failed(message, generation), store=self.store)

    def _show(self, network: NetworkMap, generation: int | None = None) -> None:
        if generation is not None and generation != self._generation:
            return  # the user chose another part of the network meanwhile
        self.network = network
        self.view.show_map(network)
        people, links = len(network.nodes), len(network.links)
        self.status_label.setText(f"{people} people, {links} links" if links or people > 1
                                  else "No relationships yet: relate people in their card")

    def _failed(self, message: str, generation: int | None = None) -> None:
        if generation is not None and generation != self._generation:
            return
        self.status_label.setText(message)

