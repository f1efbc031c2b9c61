"""Neuron maps: a thumbnail of every neuron's activation over the input plane, layer by layer.

`NeuronMapsView` draws what `nncore.neuron_maps` computed: for each layer a block of
thumbnails (8 × 8 for a 64-wide layer), each one neuron's activation over the (x, y) plane,
high y at the top like the prediction map. Colours are the app's diverging map (orange
negative, pale grey zero, blue positive) on a scale shared by the layer, so one neuron's
brightness can be compared with its neighbours'. A ReLU layer is never negative: its maps
go from pale grey (silent) to blue (firing). A dead neuron (silent everywhere) is a flat
darker grey tile with a thin cross, and the layer's label counts them ("12 of 64 dead").

It is painted fast on purpose: one RGB image per layer (tiled by the Qt-free
`app.widgets.neuron_maps_layout`, which also decides where every thumbnail goes), drawn
thumbnail by thumbnail from that image with QPainter; no widget or scene item per neuron.
The thumbnails' rectangles are made once per arrangement, the dead neurons' crosses drawn
in one call. The images may come coloured already (`set_maps(maps, tiles)`, from
`colour_layers(maps, *view.colour_table())` run off the GUI thread), else they are
coloured here.
Hovering a thumbnail emits `hovered(layer, neuron)` (−1, −1 off the thumbnails), a click
`clicked(layer, neuron)`.

`NeuronDetailView` is the enlarged map of one neuron with its incoming weights as a row of
bars and its bias; hovering the map emits `point_hovered(x, y)` in the plane's units, so
that its owner can ask nncore for the neuron's exact value there and show it
(`show_value`).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.pictures import SaveImageMenu
from app.widgets.colormaps import diverging_colormap, theme_colors
from app.widgets.neuron_maps_layout import (
    BLOCK_GAP,
    LABEL_HEIGHT,
    Arrangement,
    arrange,
    colour_indices,
    colour_layers,
    packed_lut,
)
from nncore.neuron_maps import LayerMaps, NeuronDetail, NeuronMaps, layer_scale

EMPTY_TEXT = "The neuron maps appear when the network has weights to show."


def layer_name(layer: int, n_layers: int) -> str:
    """ "Layer 2" for a hidden layer (1-based, as the Layers field counts), "Output" last."""
    return "Output" if layer == n_layers - 1 else f"Layer {layer + 1}"


def layer_label(layer: LayerMaps, n_layers: int) -> tuple[str, str]:
    """The two lines above a layer's block, short enough for an 8-thumbnail-wide block:
    its name and colour scale, then how many of its ReLUs are dead (else its activation)."""
    n = layer.n_neurons
    first = f"{layer_name(layer.layer, n_layers)} · ±{layer.limit:.2g}"
    if layer.activation == "relu":
        return first, f"{layer.n_dead} of {n} dead"
    return first, f"{n} {layer.activation}"


# Opaque 0xFFRRGGBB pixels are the same bytes in this format, and it is the one a widget's
# backing store paints from, so Qt need not convert it while drawing the thumbnails
# (measured offscreen, 193 thumbnails: a repaint took 1.07 ms instead of 1.22 ms).
FORMAT = QImage.Format.Format_ARGB32_Premultiplied


def _qimage(pixels: np.ndarray) -> QImage:
    """A (h, w) uint32 array of 0xFFRRGGBB pixels as a QImage that owns its pixels."""
    h, w = pixels.shape
    pixels = np.ascontiguousarray(pixels)
    return QImage(pixels.data, w, h, 4 * w, FORMAT).copy()


def _qimage_view(pixels: np.ndarray) -> QImage:
    """A QImage over a C-contiguous (h, w) uint32 array's own memory, without a copy: the
    caller keeps the array alive (and unchanged) as long as the image is drawn."""
    h, w = pixels.shape
    return QImage(pixels.data, w, h, 4 * w, FORMAT)


def _lut(colors: dict) -> np.ndarray:
    """The diverging colour map as 256 packed pixels (see `packed_lut`)."""
    return packed_lut(diverging_colormap(colors).getLookupTable(0.0, 1.0, 256, alpha=False))


def _dead_pixel(colors: dict) -> np.uint32:
    """A dead neuron's flat grey, as one packed pixel."""
    dim = QColor(colors["dim"])
    return np.uint32(0xFF000000 | (dim.red() << 16) | (dim.green() << 8) | dim.blue())


class NeuronMapsView(SaveImageMenu, QWidget):
    """Every layer's thumbnails (see the module docstring). `set_maps` shows new maps."""

    hovered = Signal(int, int)  # (layer, neuron), or (−1, −1) off the thumbnails
    clicked = Signal(int, int)
    picture_name = "the neuron maps"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(240, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.maps: NeuronMaps | None = None
        self.images: list[QImage] = []  # one per layer
        self._pixels: list[np.ndarray] = []  # the images' pixels (they share the memory)
        self.labels: list[tuple[str, str]] = []
        self.selected: tuple[int, int] | None = None
        self._hover: tuple[int, int] | None = None
        self._arrangement: Arrangement | None = None
        self._tile_rects: tuple | None = None  # (arrangement, grid, rectangles): `_tiles`
        # the paint covers every pixel: Qt need not paint the widgets behind it first
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.apply_theme()

    # ---- data -----------------------------------------------------------------------------
    def set_maps(self, maps: NeuronMaps | None, tiles: list[np.ndarray] | None = None) -> None:
        """Show these maps (None: the empty view with a sentence). `tiles`: what
        `colour_layers(maps, *self.colour_table())` returned, computed elsewhere (off the
        GUI thread; the view draws from them as they are, so they must not change after);
        without them the maps are coloured here."""
        self.maps = maps
        self._colour(tiles)
        sizes = [layer.n_neurons for layer in maps.layers] if maps is not None else []
        old = self._arrangement
        if old is None or [b.n for b in old.blocks] != sizes:
            self._arrangement = None  # a new architecture: lay out again
        if self.selected is not None and maps is not None:
            layer, neuron = self.selected
            if layer >= len(sizes) or neuron >= sizes[layer]:
                self.selected = None
        self.update()

    def colour_table(self) -> tuple[np.ndarray, np.uint32]:
        """(look-up table, dead neuron's pixel) of the current theme, for `colour_layers`."""
        return self._lut, self._dead_pixel

    def _colour(self, tiles: list[np.ndarray] | None = None) -> None:
        maps = self.maps
        if maps is None:
            self.images, self.labels, self._pixels = [], [], []
            return
        n_layers = len(maps.layers)
        if tiles is None or len(tiles) != n_layers:
            tiles = colour_layers(maps, self._lut, self._dead_pixel)
        # the images share the arrays' memory (no copy): the view keeps the arrays alive
        self._pixels = [np.ascontiguousarray(t, dtype=np.uint32) for t in tiles]
        self.images = [_qimage_view(pixels) for pixels in self._pixels]
        self.labels = [layer_label(layer, n_layers) for layer in maps.layers]

    def select(self, cell: tuple[int, int] | None) -> None:
        """Outline this thumbnail (layer, neuron), or none."""
        self.selected = cell
        self.update()

    def arrangement(self) -> Arrangement:
        """Where every thumbnail is at the view's current size."""
        if self._arrangement is None:
            sizes = [layer.n_neurons for layer in self.maps.layers] if self.maps else []
            self._arrangement = arrange(sizes, self.width(), self.height())
        return self._arrangement

    def tile_center(self, layer: int, neuron: int) -> QPointF:
        """The centre of a thumbnail in this view's coordinates (for tests and scripts)."""
        x, y, w, h = self.arrangement().tile_rect(layer, neuron)
        return QPointF(x + w / 2, y + h / 2)

    # ---- painting -------------------------------------------------------------------------
    def _tiles(self) -> list[list[tuple[QRectF, QRectF]]]:
        """Per layer, every thumbnail's (place in the view, square in its layer's image),
        made once per arrangement and grid rather than at every paint (193 of each)."""
        a, g = self.arrangement(), self.maps.grid
        if self._tile_rects is None or self._tile_rects[0] is not a or self._tile_rects[1] != g:
            rects = []
            for k, block in enumerate(a.blocks):
                layer = []
                for j in range(block.n):
                    row, col = divmod(j, block.cols)
                    target = QRectF(*a.tile_rect(k, j))
                    layer.append((target, QRectF(col * g, row * g, g, g)))
                rects.append(layer)
            self._tile_rects = (a, g, rects)
        return self._tile_rects[2]

    def resizeEvent(self, event) -> None:
        self._arrangement = None
        super().resizeEvent(event)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._background)
        if self.maps is None:
            painter.setPen(self._muted)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, EMPTY_TEXT)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        a = self.arrangement()
        cross = QPen(self._muted, 1)
        for k, (layer, image, tiles) in enumerate(
            zip(self.maps.layers, self.images, self._tiles())
        ):
            block = a.blocks[k]
            self._paint_label(painter, k, block.x, block.y, a.block_width(k))
            for target, source in tiles:
                painter.drawImage(target, image, source)
            # the crosses after the images: each stays on its own tile and the gap beside it
            crosses = []
            for j in np.flatnonzero(layer.dead):
                target = tiles[j][0]
                crosses.append(QLineF(target.topLeft(), target.bottomRight()))
                crosses.append(QLineF(target.topRight(), target.bottomLeft()))
            if crosses:
                painter.setPen(cross)
                painter.drawLines(crosses)
        if self.selected is not None:
            x, y, w, h = a.tile_rect(*self.selected)
            painter.setPen(QPen(self._highlight, 2))
            painter.drawRect(QRectF(x - 1.5, y - 1.5, w + 3, h + 3))

    def _paint_label(self, painter: QPainter, k: int, x: int, top: int, width: int) -> None:
        first, second = self.labels[k]
        line = LABEL_HEIGHT // 2
        room = width + BLOCK_GAP - 4  # a label may reach into the gap, never the next block
        rect = QRectF(x + width / 2 - room / 2, top - LABEL_HEIGHT, room, line)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom
        metrics = self.fontMetrics()
        elide = Qt.TextElideMode.ElideRight
        painter.setPen(self._foreground)
        painter.drawText(rect, flags, metrics.elidedText(first, elide, int(room)))
        painter.setPen(self._muted)
        second = metrics.elidedText(second, elide, int(room))
        painter.drawText(rect.translated(0, line - 2), flags, second)

    # ---- mouse ----------------------------------------------------------------------------
    def _cell_at(self, event) -> tuple[int, int] | None:
        if self.maps is None:
            return None
        pos = event.position()
        return self.arrangement().tile_at(pos.x(), pos.y())

    def mouseMoveEvent(self, event) -> None:
        cell = self._cell_at(event)
        if cell != self._hover:
            self._hover = cell
            self.hovered.emit(*(cell if cell is not None else (-1, -1)))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        if self._hover is not None:
            self._hover = None
            self.hovered.emit(-1, -1)
        super().leaveEvent(event)

    def mousePressEvent(self, event) -> None:
        cell = self._cell_at(event)
        if event.button() == Qt.MouseButton.LeftButton and cell is not None:
            self.clicked.emit(*cell)
        super().mousePressEvent(event)

    # ---- theme ----------------------------------------------------------------------------
    def apply_theme(self, _name: str | None = None) -> None:
        colors = theme_colors()
        self._lut = _lut(colors)
        self._background = QColor(colors["background"])
        self._foreground = QColor(colors["foreground"])
        self._muted = QColor(colors["muted"])
        self._highlight = QColor(colors["highlight"])
        self._dead_pixel = _dead_pixel(colors)
        self._colour()
        self.update()


class EnlargedMap(QWidget):
    """One neuron's map, large and square, with the plane's bounds on its edges; hovering
    emits `point_hovered(x, y)` in the plane's units and marks the point."""

    point_hovered = Signal(float, float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(80, 80)
        self.image: QImage | None = None
        self.bounds = (0.0, 1.0, 0.0, 1.0)  # x_lo, x_hi, y_lo, y_hi
        self.marker: tuple[float, float] | None = None
        self.apply_theme()

    def set_map(self, rgb: np.ndarray, bounds: tuple[float, float, float, float]) -> None:
        """`rgb` (g, g) packed pixels, the top row the highest y; `bounds` of the plane."""
        self.image = _qimage(rgb)
        self.bounds = bounds
        self.update()

    def square(self) -> QRectF:
        """The map's square, leaving room for the bounds' numbers below and at the left."""
        text = self.fontMetrics().height()
        left = self.fontMetrics().horizontalAdvance("−10.5") + 4  # the y bounds' numbers
        side = max(10.0, min(self.width() - left - 4, self.height() - text - 6))
        return QRectF(left, 2, side, side)

    def plane_point(self, px: float, py: float) -> tuple[float, float] | None:
        """The plane's (x, y) under the pixel (px, py), or None outside the map."""
        r = self.square()
        if not r.contains(QPointF(px, py)):
            return None
        x_lo, x_hi, y_lo, y_hi = self.bounds
        return (
            x_lo + (px - r.left()) / r.width() * (x_hi - x_lo),
            y_hi - (py - r.top()) / r.height() * (y_hi - y_lo),
        )

    def pixel_of(self, x: float, y: float) -> QPointF:
        """Where the plane's (x, y) is drawn (for the marker, the tests and scripts)."""
        r = self.square()
        x_lo, x_hi, y_lo, y_hi = self.bounds
        return QPointF(
            r.left() + (x - x_lo) / (x_hi - x_lo) * r.width(),
            r.top() + (y_hi - y) / (y_hi - y_lo) * r.height(),
        )

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._background)
        if self.image is None:
            return
        r = self.square()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(r, self.image)
        painter.setPen(self._muted)
        x_lo, x_hi, y_lo, y_hi = self.bounds
        h = self.fontMetrics().height()
        below = QRectF(r.left(), r.bottom() + 2, r.width(), h)
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft, f"{x_lo:g}")
        painter.drawText(below, Qt.AlignmentFlag.AlignHCenter, "x")
        painter.drawText(below, Qt.AlignmentFlag.AlignRight, f"{x_hi:g}")
        left = QRectF(0, r.top(), r.left() - 3, r.height())
        right_aligned = Qt.AlignmentFlag.AlignRight
        painter.drawText(left, right_aligned | Qt.AlignmentFlag.AlignTop, f"{y_hi:g}")
        painter.drawText(left, right_aligned | Qt.AlignmentFlag.AlignVCenter, "y")
        painter.drawText(left, right_aligned | Qt.AlignmentFlag.AlignBottom, f"{y_lo:g}")
        if self.marker is not None:
            p = self.pixel_of(*self.marker)
            painter.setPen(QPen(self._foreground, 1.5))
            painter.drawEllipse(p, 4, 4)

    def mouseMoveEvent(self, event) -> None:
        point = self.plane_point(event.position().x(), event.position().y())
        if point is not None:
            self.marker = point
            self.point_hovered.emit(*point)
            self.update()
        super().mouseMoveEvent(event)

    def apply_theme(self, _name: str | None = None) -> None:
        colors = theme_colors()
        self._background = QColor(colors["background"])
        self._foreground = QColor(colors["foreground"])
        self._muted = QColor(colors["muted"])
        self.update()


class WeightBars(QWidget):
    """A neuron's incoming weights as a row of bars from a zero line: up and blue for a
    positive weight, down and orange for a negative one, heights on the largest |w|."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumHeight(48)
        self.weights: np.ndarray = np.zeros(0)
        self.apply_theme()

    def set_weights(self, weights: np.ndarray) -> None:
        self.weights = np.asarray(weights, dtype=float)
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._background)
        n = len(self.weights)
        if n == 0:
            return
        w, h = self.width(), self.height()
        middle = h / 2
        painter.setPen(self._muted)
        painter.drawLine(QPointF(0, middle), QPointF(w, middle))
        limit = float(np.max(np.abs(self.weights))) or 1.0
        slot = w / n
        width = max(1.0, slot * 0.8)
        heights = self.weights / limit * (middle - 2)  # drawing units: up for positive
        painter.setPen(Qt.PenStyle.NoPen)
        for k, bar in enumerate(heights):
            painter.setBrush(self._positive if bar >= 0 else self._negative)
            top = middle - max(bar, 0.0)
            painter.drawRect(QRectF(k * slot + (slot - width) / 2, top, width, abs(bar)))

    def apply_theme(self, _name: str | None = None) -> None:
        colors = theme_colors()
        self._background = QColor(colors["background"])
        self._muted = QColor(colors["muted"])
        self._positive = QColor(colors["positive"])
        self._negative = QColor(colors["negative"])
        self.update()


class NeuronDetailView(QWidget):
    """One neuron enlarged: title, map, incoming weights, bias and the value under the mouse;
    its × button emits `close_clicked`."""

    point_hovered = Signal(float, float)
    close_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel("")
        self.title.setWordWrap(True)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Close the enlarged neuron (or click its square again)")
        self.close_button.clicked.connect(self.close_clicked)
        title_row = QHBoxLayout()
        title_row.setContentsMargins(0, 0, 0, 0)
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.map_view = EnlargedMap()
        self.map_view.point_hovered.connect(self.point_hovered)
        self.weights_caption = QLabel("")
        self.weights_caption.setWordWrap(True)
        self.bars = WeightBars()
        self.value_label = QLabel("")
        self.value_label.setWordWrap(True)
        self.value_label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(title_row)
        layout.addWidget(self.map_view, 1)
        layout.addWidget(self.value_label)
        layout.addWidget(self.weights_caption)
        layout.addWidget(self.bars)
        self.apply_theme()

    def show_neuron(
        self,
        layer: LayerMaps,
        neuron: int,
        detail: NeuronDetail,
        bounds: tuple[float, float, float, float],
        n_layers: int,
    ) -> None:
        """Show neuron `neuron` of `layer` and its detail. The map is on the neuron's own
        scale (±its largest |value|), so that a faint neuron's shape shows when enlarged."""
        name = layer_name(layer.layer, n_layers)
        dead = " · dead" if layer.dead[neuron] else ""
        one = layer.maps[neuron][::-1]  # top row = highest y
        limit = layer_scale(one[np.newaxis], percentile=100.0)  # its own peak
        self.title.setText(f"{name}, neuron {neuron + 1}{dead}")
        self.title.setToolTip(
            f"{layer.activation} neuron; its map is on its own colour scale ±{limit:.2g}, so "
            "that a faint neuron's shape shows too"
        )
        rgb = self._lut[colour_indices(one, limit)]
        if layer.dead[neuron]:
            rgb[...] = self._dead_pixel
        self.map_view.set_map(rgb, bounds)
        largest = int(np.argmax(np.abs(detail.weights)))
        if layer.layer == 0:
            source, strongest = "x, y", "xy"[largest]
        else:
            source = f"{layer_name(layer.layer - 1, n_layers)}'s {len(detail.weights)}"
            strongest = f"{largest + 1}"
        self.weights_caption.setText(
            f"Weights in from {source} (largest {detail.weights[largest]:+.3g}, from "
            f"{strongest}) · bias {detail.bias:+.3g}"
        )
        self.bars.set_weights(detail.weights)
        self.show_value(detail)

    def show_value(self, detail: NeuronDetail) -> None:
        """The neuron's value at its detail's point (and the marker there)."""
        x, y = detail.point
        self.map_view.marker = (x, y)
        self.map_view.update()
        self.value_label.setText(f"At ({x:.2f}, {y:.2f}): activation {detail.value:.4g}")

    def apply_theme(self, _name: str | None = None) -> None:
        colors = theme_colors()
        self._lut = _lut(colors)
        self._dead_pixel = _dead_pixel(colors)
        self.map_view.apply_theme()
        self.bars.apply_theme()


__all__ = [
    "NeuronMapsView",
    "NeuronDetailView",
    "EnlargedMap",
    "WeightBars",
    "layer_name",
    "layer_label",
    "EMPTY_TEXT",
]
