"""The network drawing's items for one architecture: created once, styled, laid out.

`NetworkScene` is the QGraphicsScene behind `NetworkView`. For a network of given layer
sizes it creates every item once (a circle, value, name and caption per neuron; a line and
a number per weight; a plate per bias, target and layer title; the pulse, legend and result
bubble), gives them the theme's colours and the app's fonts, and places them to fit the
view: neurons in columns (`network_display.node_centres`), weight numbers where they cover
nothing (`network_placement.place_edge_labels`), two-line layer titles when one line would
collide. What the items show during a step is the view's business.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication, QGraphicsScene

from app.widgets.network_display import layer_title, node_centres
from app.widgets.network_items import EdgeItem, LabelItem, LegendItem, NodeItem, PulseItem
from app.widgets.network_placement import place_edge_labels


class DrawingFonts(NamedTuple):
    """The drawing's fonts, derived from the application font."""

    base: QFont  # targets
    value: QFont  # the numbers inside neurons, the result bubble
    small: QFont  # weights, biases, captions, names, legend
    title: QFont  # layer titles

    @classmethod
    def from_application(cls) -> DrawingFonts:
        base = QFont(QApplication.font())
        value = QFont(base)
        value.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(6.0, base.pointSizeF() * 0.92))
        title = QFont(base)
        title.setBold(True)
        return cls(base, value, small, title)


class NetworkScene(QGraphicsScene):
    """Every item of the drawing, by key, and where it sits (see the module docstring)."""

    def __init__(self, colors: dict, parent=None):
        super().__init__(parent)
        self.colors = colors  # colour name -> QColor
        self.fonts = DrawingFonts.from_application()
        self.sizes: tuple = ()
        self.activation_names: list[str] = []
        self.names: dict = {}  # (col, idx) -> name text
        self.nodes: dict = {}  # (col, idx) -> NodeItem
        self.node_text: dict = {}  # (col, idx) -> LabelItem (value inside the circle)
        self.node_caption: dict = {}  # (col, idx) -> LabelItem (z, δ below the node)
        self.node_name: dict = {}  # (col, idx) -> LabelItem (x₁, h₁, ŷ inside the node)
        self.edges: dict = {}  # (layer, i, j) -> EdgeItem
        self.edge_labels: dict = {}  # (layer, i, j) -> LabelItem
        self.bias_labels: dict = {}  # (layer, j) -> LabelItem
        self.layer_labels: list = []  # one title per column
        self.target_labels: dict = {}  # output index -> LabelItem
        self.pulse = PulseItem()
        self.legend = LegendItem()
        self.bubble = LabelItem(("bubble",))
        # Geometry, set by `lay_out`.
        self.positions: dict = {}  # (col, idx) -> QPointF of the neuron's centre
        self.radius = 20.0
        self.base_width = 1.2  # the thinnest line; every pen width is a multiple of it
        self.two_line_titles = False
        self.label_room: dict = {}  # edge -> its number fits on its line without overlapping
        self.roomy = True  # room for the bias above and z/δ below every neuron

    # ---- items -----------------------------------------------------------------------------
    def build(self, sizes: tuple, activation_names: list[str]) -> None:
        """(Re)create every item for a network of these layer sizes."""
        self.sizes, self.activation_names = sizes, activation_names
        self.names = {}
        self.clear()
        for table in (self.nodes, self.node_text, self.node_caption, self.node_name):
            table.clear()
        for table in (self.edges, self.edge_labels, self.bias_labels, self.target_labels):
            table.clear()
        self.layer_labels.clear()
        for layer in range(len(sizes) - 1):
            for i in range(sizes[layer]):
                for j in range(sizes[layer + 1]):
                    key = (layer, i, j)
                    self.edges[key] = self._add(EdgeItem(("edge", *key)), z=1)
                    self.edge_labels[key] = self._add(LabelItem(("edge", *key)), z=20)
        for col, n in enumerate(sizes):
            for idx in range(n):
                key = ("node", col, idx)
                self.nodes[(col, idx)] = self._add(NodeItem(key), z=10)
                self.node_text[(col, idx)] = self._add(LabelItem(key), z=12)
                self.node_name[(col, idx)] = self._add(LabelItem(key), z=12)
                # Written on the neuron: their contrast is measured against its fill.
                self.node_text[(col, idx)].backdrop = self.nodes[(col, idx)]
                self.node_name[(col, idx)].backdrop = self.nodes[(col, idx)]
                self.node_caption[(col, idx)] = self._add(LabelItem(key, hang=True), z=22)
                if col > 0:
                    bias = LabelItem(("bias", col - 1, idx))
                    self.bias_labels[(col - 1, idx)] = self._add(bias, z=21)
            self.layer_labels.append(self._add(LabelItem(("title", col)), z=0))
        for k in range(sizes[-1]):
            self.target_labels[k] = self._add(LabelItem(("target", k)), z=21)
        self.pulse = self._add(PulseItem(), z=50)
        self.legend = self._add(LegendItem(), z=0)
        self.bubble = self._add(LabelItem(("bubble",)), z=60)
        self.restyle()

    def all_labels(self) -> list[LabelItem]:
        """Every label of the drawing (the contrast test reads each one)."""
        return [item for item in self.items() if isinstance(item, LabelItem)]

    def _add(self, item, z: float):
        item.setZValue(z)
        self.addItem(item)
        return item

    def activation(self, col: int) -> str | None:
        """The activation of layer column `col` (None for the inputs)."""
        return self.activation_names[col - 1] if 0 < col <= len(self.activation_names) else None

    def set_names(self, names: dict) -> None:
        """Names written inside the neurons, e.g. {(0, 0): "x₁", (1, 0): "h₁"}."""
        self.names = dict(names)
        muted = self.colors["muted"]
        for node, label in self.node_name.items():
            label.set_lines([(self.names[node], muted)] if self.names.get(node) else [])

    def set_tooltips(self, names: dict) -> None:
        """Tooltips naming each item, e.g. {("edge", 0, 0, 1): "weight w(x₁→h₂)"}."""
        for key, name in names.items():
            kind, rest = key[0], tuple(key[1:])
            if kind == "node" and rest in self.nodes:
                self.nodes[rest].setToolTip(f"{name}: click to see its values and gradient")
            elif kind == "edge" and rest in self.edges:
                tip = f"{name}: click to inspect, double-click to change"
                self.edges[rest].setToolTip(tip)
                self.edge_labels[rest].setToolTip(tip)
            elif kind == "bias" and rest in self.bias_labels:
                self.bias_labels[rest].setToolTip(
                    f"{name}: click to inspect, double-click to change"
                )

    def restyle(self) -> None:
        """Fonts (from the application font again) and plate colours of every label."""
        self.fonts = DrawingFonts.from_application()
        base, value, small, title = self.fonts
        c = self.colors
        bg = c["background"]
        for label in self.node_text.values():
            label.set_style(value, None)
        for label in self.node_caption.values():
            label.set_style(small, bg)
        for label in self.node_name.values():
            label.set_style(small, None)
        for label in self.edge_labels.values():
            label.set_style(small, bg)
        for label in self.bias_labels.values():
            label.set_style(small, bg)
        for label in self.target_labels.values():
            label.set_style(base, bg, c["grid"])
        for label in self.layer_labels:
            label.set_style(title, bg)
        self.bubble.set_style(value, bg, c["highlight"])
        for label in self.all_labels():
            label.ground = QColor(bg)  # under the plate-less ones (names, values)
        self.legend.set_entries(
            [
                ("positive weight", c["positive"], "line"),
                ("negative weight", c["negative"], "line"),
                ("thicker = larger", c["muted"], "line"),
                ("forward", c["forward"], "dot"),
                ("backward", c["backward"], "dot"),
            ],
            small,
            c["muted"],
        )
        for node, label in self.node_name.items():
            name = self.names.get(node)
            label.set_lines([(name, c["muted"])] if name else [])

    # ---- geometry --------------------------------------------------------------------------
    def lay_out(self, rect: QRectF) -> None:
        """Size and place every item to fill `rect` (the view's viewport)."""
        self.setSceneRect(rect)
        fm = QFontMetricsF(self.fonts.value)
        sfm = QFontMetricsF(self.fonts.small)
        line = fm.height()
        self.base_width = max(1.0, line * 0.075)
        n_cols = len(self.sizes)
        left = rect.left() + fm.horizontalAdvance("−0.0000") * 0.9
        right = rect.right() - fm.horizontalAdvance("target −0.0000") - line * 2.4
        # Layer titles go on two lines ("Hidden 1" over "(relu)") when one would collide.
        tfm = QFontMetricsF(self.fonts.title)
        widest = max(
            tfm.horizontalAdvance(layer_title(col, n_cols, self.activation(col)))
            for col in range(n_cols)
        )
        self.two_line_titles = n_cols > 1 and widest + line > (right - left) / max(1, n_cols - 1)
        top = rect.top() + line * (3.2 if self.two_line_titles else 2.2)
        self.legend.set_max_width(rect.width() - line)
        extra_legend_lines = self.legend.boundingRect().height() - sfm.height() * 1.2
        bottom = rect.bottom() - line * 2.2 - max(0.0, extra_legend_lines)
        spacing = (bottom - top) / max(self.sizes)
        self.radius = max(line * 1.15, min(fm.horizontalAdvance("−0.0000") * 0.62, spacing * 0.30))
        self.roomy = spacing >= 2 * self.radius + 3.2 * sfm.height()
        self.positions = {
            node: QPointF(x, y)
            for node, (x, y) in node_centres(self.sizes, left, right, top, bottom).items()
        }
        r = self.radius
        for key, node in self.nodes.items():
            p = self.positions[key]
            node.setRect(QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r))
            has_name = bool(self.names.get(key))
            self.node_text[key].setPos(p + QPointF(0, sfm.height() * 0.42 if has_name else 0))
            self.node_name[key].setPos(p + QPointF(0, -sfm.height() * 0.55))
            self.node_caption[key].setPos(p + QPointF(0, r + sfm.height() * 0.15))
            if key[0] > 0:
                above = QPointF(0, -r - sfm.height() * 0.62)
                self.bias_labels[(key[0] - 1, key[1])].setPos(p + above)
        for k, label in self.target_labels.items():
            p = self.positions[(n_cols - 1, k)]
            half = fm.horizontalAdvance("target −0.0000") / 2
            label.setPos(p + QPointF(r + line * 0.6 + half, 0))
        for col, label in enumerate(self.layer_labels):
            x = self.positions[(col, 0)].x()
            label.setPos(QPointF(x, rect.top() + line * (1.3 if self.two_line_titles else 0.8)))
        legend = self.legend.boundingRect()
        self.legend.setPos(
            QPointF(rect.left() + line * 0.5, rect.bottom() - legend.height() - line * 0.35)
        )
        for key, edge in self.edges.items():
            layer, i, j = key
            a, b = self.positions[(layer, i)], self.positions[(layer + 1, j)]
            d = b - a
            length = math.hypot(d.x(), d.y()) or 1.0
            u = QPointF(d.x() / length, d.y() / length)  # from a towards b
            edge.setLine(a.x() + u.x() * r, a.y() + u.y() * r, b.x() - u.x() * r, b.y() - u.y() * r)
            edge.pick_width = max(8.0, line * 0.6)
        self.pulse.radius = max(5.0, line * 0.42)

    def edge_point(self, key, t: float) -> QPointF:
        """The point at fraction t along a weight's line (0 at its source neuron)."""
        line = self.edges[key].line()
        return line.p1() + (line.p2() - line.p1()) * t

    def place_edge_labels(self) -> None:
        """Each weight's number on its line where it covers no neuron, bias or other number."""
        taken = [self.nodes[k].sceneBoundingRect().adjusted(-2, -2, 2, 2) for k in self.nodes]
        taken += [lbl.mapRectToScene(lbl.plate_rect()) for lbl in self.bias_labels.values()]
        self.label_room = place_edge_labels(self.sizes, self.edge_labels, self.edge_point, taken)

    def set_colors(self, colors: dict[str, QColor]) -> None:
        self.colors = colors
        self.restyle()
