"""The network drawing of the "Step through" tab: neurons as circles, weights as lines.

`NetworkView` is a QGraphicsView that draws a small fully connected network (1–4 inputs,
up to three hidden layers of 1–6 neurons, 1–3 outputs) and animates one lesson step at a
time. Every item is created once per architecture and afterwards only updated:

- an edge's colour says the sign of its weight (blue positive, orange negative, the
  colour-blind-safe Okabe–Ito pair) and its thickness the weight's size;
- a neuron's fill says the sign and size of its activation; its value is written inside,
  its weighted sum z, bias b and error δ (dL/dz) beside it;
- during a step the neurons and weights it uses stay bright and the rest is dimmed, while
  a pulse runs along the edges: left to right in the forward pass, right to left (in
  pink) in the backward pass; in the update every changed weight flashes and its line
  takes its new thickness.

One `QVariantAnimation` drives every moving part, so an animation costs one repaint a
frame whatever the network's size; `skip_animation()` jumps to the end state. The view
computes nothing about the network: it shows the numbers it is given (a `LessonState`
from `nncore.lesson` or a plain `Network`). Clicking a neuron, weight or bias emits
`itemClicked(key)`; double-clicking a weight or bias emits `itemDoubleClicked(key)`.
Keys are tuples: ("node", column, index), ("edge", layer, i, j), ("bias", layer, j).

The drawing is split by concept: `network_scene` creates and lays out the items
(`network_items`), `network_display` decides their texts without Qt, `network_placement`
finds free spots for labels; this module paints a step's state and runs the animation.
`answer_box_position` tells Predict mode where its answer box covers none of the step's
numbers. (A little over 600 lines: painting, animation and the placement of the bubble and
the box all read the same items, so they stay together.)
"""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QPointF,
    QRectF,
    Qt,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsView,
    QSizePolicy,
)

from app import theme as app_theme
from app.pictures import SaveImageMenu
from app.widgets.network_display import (
    DisplayState,
    StepFocus,
    bias_text,
    bubble_text,
    edge_width,
    layer_name,
    layer_title_lines,
    node_caption_lines,
    node_value_text,
    shown_between,
    target_line,
    weight_text,
)
from app.widgets.network_items import mix
from app.widgets.network_placement import (
    box_candidates_near,
    bubble_candidates_at_node,
    bubble_candidates_on_edge,
    free_spot,
)
from app.widgets.network_scene import NetworkScene

# Okabe–Ito colours: the keys this view needs, should a theme lack one.
FALLBACK_COLORS = {
    "background": "#ffffff",
    "foreground": "#1b1b1b",
    "muted": "#5f5f5f",
    "grid": "#d4d4d4",
    "positive": "#0072B2",
    "negative": "#E69F00",
    "forward": "#009E73",
    "backward": "#CC79A7",
    "highlight": "#D55E00",
    "dim": "#c8c8c8",
}

DEFAULT_DURATION_MS = 450
DIM_OPACITY = 0.22
DIM_LABEL_OPACITY = 0.45  # dimmed numbers stay readable


def theme_colors() -> dict:
    """The app's current drawing colours (app.theme), completed by the fallback palette."""
    colors = dict(FALLBACK_COLORS)
    colors.update(app_theme.colors())
    return colors


class NetworkView(SaveImageMenu, QGraphicsView):
    """Draws a network and animates lesson steps on it (see the module docstring)."""

    picture_name = "the network drawing"

    itemClicked = Signal(object)  # key tuple
    itemDoubleClicked = Signal(object)  # key tuple of an edge or bias
    animationFinished = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.colors = {k: QColor(v) for k, v in theme_colors().items()}
        self.drawing = NetworkScene(self.colors, self)
        self.setScene(self.drawing)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.SmartViewportUpdate)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(260, 200)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setAccessibleName("Network drawing")
        self.setAccessibleDescription(
            "Neurons as circles with their values, weights as lines: blue positive, orange "
            "negative, thicker for larger size. Click an item to inspect it."
        )

        self.display = DisplayState()
        self.previous = DisplayState()
        self.focus = StepFocus()
        self.selected = None
        # The scene's item tables under the names the painting below uses; the scene
        # refills these same dicts for every architecture.
        d = self.drawing
        self.nodes, self.node_text, self.node_caption = d.nodes, d.node_text, d.node_caption
        self.node_name, self.edges, self.edge_labels = d.node_name, d.edges, d.edge_labels
        self.bias_labels, self.target_labels = d.bias_labels, d.target_labels
        self.layer_labels = d.layer_labels

        self._animation = QVariantAnimation(self)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setDuration(DEFAULT_DURATION_MS)
        self._animation.setEasingCurve(QEasingCurve.InOutSine)
        self._animation.valueChanged.connect(self._on_progress)
        self._animation.finished.connect(self._on_finished)
        self._progress = 1.0

        app_theme.theme.changed.connect(self.refresh_theme)

    # ---- public API ------------------------------------------------------------------------
    @property
    def sizes(self) -> tuple:
        return self.drawing.sizes

    @property
    def activation_names(self) -> list[str]:
        return self.drawing.activation_names

    @property
    def pulse(self):
        return self.drawing.pulse

    @property
    def legend(self):
        return self.drawing.legend

    @property
    def bubble(self):
        return self.drawing.bubble

    @property
    def duration(self) -> int:
        return self._animation.duration()

    def set_duration(self, ms: int) -> None:
        """Animation length in ms; 0 shows every step at once."""
        self._animation.setDuration(max(0, int(ms)))

    def is_animating(self) -> bool:
        return self._animation.state() == QVariantAnimation.Running

    def skip_animation(self) -> None:
        """Jump to the end of the running animation."""
        if self.is_animating():
            self._animation.stop()
            self._on_progress(1.0)
            self.animationFinished.emit()

    def refresh_theme(self, *_):
        self.colors = {k: QColor(v) for k, v in theme_colors().items()}
        self.setBackgroundBrush(self.colors["background"])
        self.drawing.set_colors(self.colors)
        self._apply(self._progress)

    def set_architecture(self, sizes, activation_names=()) -> None:
        """(Re)create the items for a network of these layer sizes."""
        sizes = tuple(int(s) for s in sizes)
        names = list(activation_names)
        if sizes == self.sizes and names == self.activation_names and self.nodes:
            return
        self._animation.stop()
        self.display, self.previous, self.focus = DisplayState(), DisplayState(), StepFocus()
        self.selected = None
        self.drawing.build(sizes, names)
        self.setBackgroundBrush(self.colors["background"])
        self._relayout()

    def set_names(self, names: dict) -> None:
        """Names written inside the neurons, e.g. {(0, 0): "x₁", (1, 0): "h₁"}."""
        self.drawing.set_names(names)
        self._relayout()

    def set_tooltips(self, names: dict) -> None:
        """Tooltips naming each item, e.g. {("edge", 0, 0, 1): "weight w(x₁→h₂)"}."""
        self.drawing.set_tooltips(names)

    def set_network(self, network, x=None, target=None) -> None:
        """Show a Network's weights (and optionally an input and target), no step."""
        self.set_architecture(network.sizes, network.activation_names)
        self.show_display(DisplayState.from_network(network, x, target))

    def show_display(
        self,
        display: DisplayState,
        focus: StepFocus | None = None,
        previous: DisplayState | None = None,
        animate: bool = False,
    ) -> None:
        """Show `display`; with a focus, dim the rest and (optionally) animate from `previous`."""
        self._animation.stop()
        self.display = display
        self.previous = previous if previous is not None else display
        self.focus = focus or StepFocus()
        self._update_texts(1.0)
        self.drawing.place_edge_labels()
        self._prepare_pulses()
        if animate and self.duration > 0 and focus is not None and focus.phase:
            self._progress = 0.0
            self._apply(0.0)
            self._animation.start()
        else:
            self._apply(1.0)
            self.animationFinished.emit()

    def select(self, key) -> None:
        """Outline one item (the one the inspector describes); None clears."""
        self.selected = key
        self._apply(self._progress)

    def texts(self) -> dict:
        """Every visible number on the drawing, by item key (what the student reads)."""
        out = {}
        for node, label in self.node_text.items():
            out[("node", *node)] = label.text()
        for node, label in self.node_name.items():
            if label.text():
                out[("name", *node)] = label.text()
        for node, label in self.node_caption.items():
            if label.isVisible():
                out[("caption", *node)] = label.text()
        for key, label in self.edge_labels.items():
            if label.isVisible():
                out[("edge", *key)] = label.text()
        for key, label in self.bias_labels.items():
            if label.isVisible():
                out[("bias", *key)] = label.text()
        for k, label in self.target_labels.items():
            if label.isVisible():
                out[("target", k)] = label.text()
        if self.bubble.isVisible():
            out[("bubble",)] = self.bubble.text()
        return out

    def item_position(self, key) -> QPointF:
        """Centre of an item in viewport coordinates (tests click there)."""
        kind = key[0]
        if kind == "node":
            p = self.drawing.positions[(key[1], key[2])]
        elif kind == "edge":
            label = self.edge_labels[tuple(key[1:])]
            p = label.pos() if label.isVisible() else self.drawing.edge_point(tuple(key[1:]), 0.5)
        elif kind == "bias":
            p = self.bias_labels[tuple(key[1:])].pos()
        else:
            raise KeyError(key)
        return QPointF(self.mapFromScene(p))

    # ---- geometry --------------------------------------------------------------------------
    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.ApplicationFontChange) and self.sizes:
            self.drawing.restyle()
            self._relayout()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._relayout()

    def _relayout(self):
        if not self.sizes:
            return
        self.drawing.lay_out(QRectF(self.viewport().rect()))
        self._update_texts(1.0)  # sizes the labels' plates before they are placed
        self.drawing.place_edge_labels()
        self._prepare_pulses()
        self._apply(self._progress)

    # ---- painting the state ----------------------------------------------------------------
    def _update_texts(self, t: float, only_focus: bool = False):
        """Labels' texts (from app.widgets.network_display); a forward value counts up."""
        fg = self.colors["foreground"]
        d, prev, focus = self.display, self.previous, self.focus
        nodes = (
            ((n, self.node_text[n]) for n in focus.nodes if n in self.node_text)
            if only_focus
            else self.node_text.items()
        )
        for node, label in nodes:
            text, role = node_value_text(node, d, prev, focus, t)
            label.set_lines([(text, self.colors[role])])
        captions = (
            ((n, self.node_caption[n]) for n in focus.nodes if n in self.node_caption)
            if only_focus
            else self.node_caption.items()
        )
        for node, label in captions:
            lines = node_caption_lines(node, d, prev, focus, t)
            label.set_lines([(text, self.colors[role]) for text, role in lines])
        if only_focus:
            return
        for key, label in self.edge_labels.items():
            w = d.weight(key)
            colour = self.colors["positive"] if (w or 0) >= 0 else self.colors["negative"]
            if d.is_hidden("weights", key):
                colour = self.colors["highlight"]
            label.set_lines([(weight_text(d, key), mix(colour, fg, 0.35))])
        muted = self.colors["muted"]
        for key, label in self.bias_labels.items():
            colour = self.colors["highlight"] if d.is_hidden("biases", key) else muted
            label.set_lines([(bias_text(d, key), colour)])
        for k, label in self.target_labels.items():
            line = target_line(k, d)
            label.set_lines([] if line is None else [(line[0], self.colors[line[1]])])
        n_cols = len(self.sizes)
        for col, label in enumerate(self.layer_labels):
            lines = layer_title_lines(
                layer_name(col, n_cols), self.drawing.activation(col), self.drawing.two_line_titles
            )
            label.set_lines([(line, fg) for line in lines])

    def _prepare_pulses(self):
        focus = self.focus
        segments = []
        if focus.phase in ("forward",) and focus.edges:
            for key in focus.edges:
                if key in self.edges:
                    line = self.edges[key].line()
                    segments.append((line.p1(), line.p2()))
            colour = self.colors["forward"]
        elif focus.phase == "backward" and focus.edges:
            for key in focus.edges:
                if key in self.edges:
                    line = self.edges[key].line()
                    segments.append((line.p2(), line.p1()))
            colour = self.colors["backward"]
        else:
            colour = self.colors["forward"]
        self.pulse.rim = self.colors["background"]
        self.pulse.set_segments(segments, colour, self.pulse.radius)

    def _on_progress(self, value):
        self._progress = float(value)
        self._apply(self._progress, only_focus=0.0 < self._progress < 1.0)

    def _on_finished(self):
        self._progress = 1.0
        self._apply(1.0)
        self.animationFinished.emit()

    def _apply(self, t: float, only_focus: bool = False):
        """Set every item's look for animation progress t (1 = the step's end state).

        During an animation only the step's own items change from frame to frame, so
        `only_focus=True` touches just those (and the pulses).
        """
        if not self.sizes:
            return
        self._progress = t
        c = self.colors
        focus, d, prev = self.focus, self.display, self.previous
        active = bool(focus.phase)
        focus_nodes = focus.involved_nodes()
        focus_edges = set(focus.edges)
        focus_biases = set(focus.biases)
        scale = d.weight_scale()
        base_width = self.drawing.base_width
        flash = math.sin(math.pi * t) if t < 1.0 else 0.0
        updating = focus.phase == "update"
        self._update_texts(t, only_focus)

        edges = (
            ((k, self.edges[k]) for k in focus_edges if k in self.edges)
            if only_focus
            else self.edges.items()
        )
        for key, edge in edges:
            w = d.weight(key) or 0.0
            involved = key in focus_edges
            old = prev.weight(key)
            if updating and involved and t < 1.0 and old is not None:
                w = shown_between(old, w, t)  # the line changes while the weight does
            colour = c["positive"] if w >= 0 else c["negative"]
            width = edge_width(w, scale, base_width)
            if involved and updating and flash > 0:
                colour = mix(colour, c["highlight"], flash)
                width += base_width * 3 * flash
            elif involved and focus.phase == "forward":
                colour = mix(colour, c["forward"], 0.35 * (1 - t) + 0.15)
            elif involved and focus.phase == "backward":
                colour = mix(colour, c["backward"], 0.55)
            selected = self.selected == ("edge", *key)
            if selected:
                width += base_width * 3
            edge.dimmed = active and not involved and not selected
            if edge.dimmed:
                # Fade towards the background with an opaque colour: translucent
                # antialiased lines cost ten times more to draw.
                colour = mix(c["background"], colour, DIM_OPACITY)
            pen = QPen(colour, width)
            pen.setCapStyle(Qt.FlatCap)
            edge.setPen(pen)
            label = self.edge_labels[key]
            show = self.drawing.label_room.get(key, False) or involved or selected
            label.setVisible(show)
            label.setOpacity(1.0 if (not active or involved or selected) else DIM_LABEL_OPACITY)
            label.setZValue(40 if involved or selected else 20)
            label.set_border(c["highlight"] if selected else None)

        if only_focus:
            self.pulse.set_progress(t)
            self.bubble.setOpacity(min(1.0, 0.35 + t))
            return
        for node, item in self.nodes.items():
            involved = node in focus_nodes
            value = None if d.is_hidden("a", node) else d.a.get(node)
            fill = QColor(c["background"])
            if (value is not None and node[0] > 0) or (value is not None and node[0] == 0):
                tint = c["positive"] if value >= 0 else c["negative"]
                fill = mix(c["background"], tint, 0.12 + 0.43 * min(1.0, abs(value)))
            border = QColor(c["foreground"])
            width = base_width * 1.6
            if involved and active:
                phase_colour = {
                    "forward": c["forward"],
                    "backward": c["backward"],
                    "update": c["highlight"],
                }.get(focus.phase, c["highlight"])
                border = phase_colour
                width = base_width * 3.2
            if self.selected == ("node", *node):
                border, width = c["highlight"], base_width * 4
            opacity = 1.0 if (not active or involved) else DIM_OPACITY + 0.15
            if opacity < 1.0:
                # Opaque faded colours: translucent antialiased circles are slow to draw.
                border = mix(c["background"], border, opacity)
                fill = mix(c["background"], fill, opacity)
            pen = QPen(border, width)
            if value is None:
                pen.setStyle(Qt.DashLine)
            item.setPen(pen)
            item.setBrush(QBrush(fill))
            item.dimmed = opacity < 1.0
            self.node_text[node].setOpacity(opacity)
            self.node_name[node].setOpacity(opacity)
            caption = self.node_caption[node]
            caption.setVisible(bool(caption.text()) and (self.drawing.roomy or involved))
            caption.setOpacity(opacity)
        for key, label in self.bias_labels.items():
            node = (key[0] + 1, key[1])
            involved = key in focus_biases or (
                focus.phase == "forward" and focus.kind == "bias" and node in focus_nodes
            )
            label.setVisible(self.drawing.roomy or involved or self.selected == ("bias", *key))
            lit = not active or involved or node in focus_nodes
            label.setOpacity(1.0 if lit else DIM_LABEL_OPACITY)
            label.set_border(
                c["highlight"] if (involved and active) or self.selected == ("bias", *key) else None
            )
        for k, label in self.target_labels.items():
            out_node = (len(self.sizes) - 1, k)
            label.setVisible(k < len(d.targets))
            label.setOpacity(
                1.0
                if (not active or out_node in focus_nodes or focus.phase in ("loss", "check"))
                else DIM_LABEL_OPACITY
            )

        self.pulse.set_progress(t)
        self._place_bubble(t)

    def _place_bubble(self, t: float):
        """The step's result, in a framed label beside what it belongs to."""
        focus = self.focus
        if not focus.phase or focus.value is None:
            self.bubble.setVisible(False)
            return
        text = bubble_text(focus)
        colour = {
            "forward": self.colors["forward"],
            "backward": self.colors["backward"],
            "update": self.colors["highlight"],
        }.get(focus.phase, self.colors["foreground"])
        self.bubble.set_lines([(text, mix(colour, self.colors["foreground"], 0.4))])
        self.bubble.set_style(self.drawing.fonts.value, self.colors["background"], colour)
        rect = self.bubble.plate_rect()
        self.bubble.setPos(self._free_spot_near(focus.anchor, rect))
        self.bubble.setVisible(True)
        self.bubble.setOpacity(min(1.0, 0.35 + t))

    def _free_spot_near(
        self, anchor, rect: QRectF, avoid_biases: bool = False, extra: tuple = ()
    ) -> QPointF:
        """Where a box of `rect` (around its centre) goes beside the step's node or edge.

        It must cover no neuron, none of the step's weights, no z/δ caption and not the
        legend (with `avoid_biases`, nor the step's biases); better still if it hides no
        other number (the dimmed ones included).
        """
        focus = self.focus
        if anchor is None and focus.edges:
            anchor = ("edge", *focus.edges[-1])
        elif anchor is None and focus.nodes:
            anchor = ("node", *focus.nodes[-1])
        candidates = []
        if anchor is not None and anchor[0] == "edge" and tuple(anchor[1:]) in self.edges:
            candidates += bubble_candidates_on_edge(
                self.drawing.edge_point, tuple(anchor[1:]), rect.height()
            )
        elif (
            anchor is not None
            and anchor[0] == "node"
            and tuple(anchor[1:]) in self.drawing.positions
        ):
            node = tuple(anchor[1:])
            bias = self.bias_labels.get((node[0] - 1, node[1]))
            candidates += bubble_candidates_at_node(
                self.drawing.positions[node],
                self.drawing.radius,
                caption_height=self.node_caption[node].plate_rect().height(),
                bias_height=bias.plate_rect().height() if bias is not None else 0.0,
                height=rect.height(),
            )
        legend = self.legend.sceneBoundingRect()
        candidates += list(extra)
        candidates.append(QPointF(self.viewport().width() / 2, legend.top() - rect.height() * 0.8))
        must_avoid = [n.sceneBoundingRect() for n in self.nodes.values()]
        must_avoid += [
            lbl.mapRectToScene(lbl.plate_rect())
            for key, lbl in self.edge_labels.items()
            if key in focus.edges
        ]
        must_avoid += [
            lbl.mapRectToScene(lbl.plate_rect())
            for lbl in self.node_caption.values()
            if lbl.text() and lbl.isVisible()
        ]
        if avoid_biases:
            must_avoid += [
                self.bias_labels[b].mapRectToScene(self.bias_labels[b].plate_rect())
                for b in focus.biases
                if b in self.bias_labels and self.bias_labels[b].isVisible()
            ]
        must_avoid.append(legend)
        others = [
            lbl.mapRectToScene(lbl.plate_rect())
            for lbl in (
                list(self.edge_labels.values())
                + list(self.bias_labels.values())
                + self.layer_labels
            )
            if lbl.isVisible()
        ]
        view_rect = QRectF(self.viewport().rect())
        return free_spot(rect, candidates, view_rect, must_avoid, others)

    def answer_box_position(self, anchor, width: float, height: float) -> QPointF:
        """Top-left corner (viewport coordinates) for an answer box of this size.

        Beside the node or edge `anchor` names (("node", c, i) or ("edge", l, i, j)),
        covering none of the numbers the step uses (the same rules as the result bubble).
        """
        rect = QRectF(-width / 2, -height / 2, width, height)
        if (
            anchor is not None
            and anchor[0] == "node"
            and tuple(anchor[1:]) in self.drawing.positions
        ):
            near = self.drawing.positions[tuple(anchor[1:])]
        elif anchor is not None and anchor[0] == "edge" and tuple(anchor[1:]) in self.edges:
            near = self.drawing.edge_point(tuple(anchor[1:]), 0.5)
        else:
            near = QPointF(self.viewport().width() / 2, self.viewport().height() / 2)
        extra = box_candidates_near(
            near, self.drawing.radius, width, height, QRectF(self.viewport().rect())
        )
        centre = self._free_spot_near(anchor, rect, avoid_biases=True, extra=tuple(extra))
        corner = self.mapFromScene(centre - QPointF(width / 2, height / 2))
        return QPointF(corner)

    # ---- mouse -----------------------------------------------------------------------------
    def _key_at(self, pos):
        for item in self.items(pos):
            key = getattr(item, "key", None)
            if key and key[0] in ("node", "edge", "bias"):
                return key
        return None

    def mousePressEvent(self, event):
        key = self._key_at(event.position().toPoint())
        if key is not None and event.button() == Qt.LeftButton:
            self.itemClicked.emit(key)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event):
        key = self._key_at(event.position().toPoint())
        if key is not None and key[0] in ("edge", "bias") and event.button() == Qt.LeftButton:
            self.itemDoubleClicked.emit(key)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)
