"""Filled contour maps with contour lines and a colour bar, and a scatter of data points.

The Train tab shows three maps of the same square, side by side: the true function, the
network's prediction and their difference. Each map (`ContourView`) is an `ImageItem` (one
coloured pixel per grid point, `axisOrder="row-major"` so `Z[row=y, col=x]` reads like the
data) with contour lines drawn on top and a colour bar beside it. The lines come from
`app.widgets.marching_squares.contour_segments`, all levels in one array, drawn by a single
`PlotCurveItem(connect="pairs")`; they may come computed already (`contours=`, from
`app.widgets.map_lines`, off the GUI thread), else the view finds them. `ScatterView` shows data points coloured by their value.

A classifier's map (`set_regions`) is an RGB image instead, on an image item of its own (the
colour bar's would recolour it): each class's region in its colour, shaded by how sure the
network is (`app.widgets.class_colors`), the boundary drawn where two classes are equally
likely (the zero of nncore's margins), and the points in their class's colour and shape
(`set_class_points`).

Each map keeps its domain's shape: the square [−10, 10]² is drawn square, as large as the
widget allows, with the spare room as even margins around it (a plot stretched to its
widget's shape drew it as a tall, narrow strip).

A map can take drawn points (`set_drawing(True)`, the Train tab's "Draw points"): a left
click inside the domain emits `point_added(x, y)`, a right-drag `erase_moved(x, y)` at every
move and `erase_ended()` when the button is let go, all in data coordinates; while drawing,
the right button erases instead of opening the Save image menu. `widget_position(x, y)`
is the inverse mapping, for tests that click at a place on the map.

Nothing here knows about networks: the views take NumPy arrays and draw them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from app.pictures import SaveImageMenu
from app.theme import class_color
from app.widgets.class_colors import class_symbol, hex_rgb, region_image
from app.widgets.colormaps import theme_colors, value_colormap
from app.widgets.marching_squares import contour_segments, region_boundaries


def text_size(factor: float = 1.0) -> str:
    """pyqtgraph's size text for `factor` × the application font ("13.5pt" at 150 %).

    pyqtgraph titles, legends and axis labels take a fixed size in points when they are
    made; deriving it from the application font lets View ▸ Text size zoom them too.
    """
    points = QApplication.font().pointSizeF()
    if points <= 0:  # the font is set in pixels: pyqtgraph's own default size
        points = 9.0
    return f"{points * factor:.1f}pt"


def size_axis_labels(plot: pg.PlotItem, names=("left", "bottom", "right")) -> None:
    """Give the plot's axis titles ("epoch", "z") the application font's size again."""
    for name in names:
        size_axis_label(plot.getAxis(name))


def size_axis_label(axis: pg.AxisItem) -> None:
    """One axis title at the application font's size (an axis with no title stays so)."""
    if axis.labelText or axis.labelUnits:
        style = dict(axis.labelStyle, **{"font-size": text_size()})
        axis.setLabel(axis.labelText, axis.labelUnits, axis.labelUnitPrefix, **style)


class FollowsTextSize:
    """Mixin for a plot widget: restyle (`apply_theme`) when the application font changes.

    View ▸ Text size changes the application font; the widget is told by a FontChange
    event and draws its titles, legends and axis labels at the new size.
    """

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)  # type: ignore[misc]
        changed = event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange)
        # Not while being built (no colours yet), nor once closed: pyqtgraph's close()
        # clears the scene and drops its central item, leaving nothing to restyle.
        built = getattr(self, "_colors", None) is not None
        if changed and built and getattr(self, "centralWidget", None) is not None:
            self.apply_theme()  # type: ignore[attr-defined]


def _style_map(view, colors: dict) -> str:
    """Give a map view (plot, colour bar, title) the theme's colours; returns the text colour.

    The colour bar's title sits on its own axis ("left" for a vertical bar), apart from
    the axis with the numbers, so both are styled.
    """
    fg = colors["foreground"]
    view.setBackground(colors["background"])
    axes = [
        view.plot.getAxis("left"),
        view.plot.getAxis("bottom"),
        view.colorbar.axis,
        view.colorbar.getAxis("left"),
    ]
    for axis in axes:
        axis.setPen(fg)
        axis.setTextPen(fg)
    view.plot.setTitle(view._title, color=fg, size=text_size())
    size_axis_labels(view.plot, ("left", "bottom"))
    size_axis_label(view.colorbar.getAxis("left"))  # the colour bar's title ("z")
    return fg


def let_title_overhang(plot: pg.PlotItem) -> None:
    """Keep the plot's title from setting the plot's minimum width.

    pyqtgraph's LabelItem makes its text width its minimum width after every change and
    resize; in a narrow window a long title ("Network's prediction") then pushes the colour
    bar out of the view. This label keeps only its height as a minimum and overhangs.
    """
    let_label_overhang(plot.titleLabel)


def let_label_overhang(label: pg.LabelItem) -> None:
    """Keep a LabelItem's text width from being its minimum width (see `let_title_overhang`)."""

    def update_min() -> None:
        bounds = label.itemRect()
        label.setMinimumWidth(0)
        label.setMinimumHeight(bounds.height())
        label._sizeHint = {
            Qt.SizeHint.MinimumSize: (0, bounds.height()),
            Qt.SizeHint.PreferredSize: (bounds.width(), bounds.height()),
            Qt.SizeHint.MaximumSize: (-1, -1),
            Qt.SizeHint.MinimumDescent: (0, 0),
        }
        label.updateGeometry()

    label.updateMin = update_min
    update_min()


LAYOUT_MARGIN = 9.0  # pyqtgraph's own margin around a GraphicsLayoutWidget's items, px
MAX_ASPECT = 4.0  # a domain longer than 4:1 (CSV data in unlike units) is drawn at 4:1


class ContourView(FollowsTextSize, SaveImageMenu, pg.GraphicsLayoutWidget):
    """One filled contour map: image, contour lines, colour bar, optional points and hover.

    Call `set_grid(xs, ys)` once per domain, then `set_values(Z, levels, contour_levels)` as
    often as the values change. `hovered(x, y, inside)` is emitted as the mouse moves, in
    data coordinates; `nearest_cell(x, y)` finds the grid point nearest to it, whose place
    (`cell_position`) and value (`value_in_cell`) a readout shows together.
    """

    hovered = Signal(float, float, bool)
    point_added = Signal(float, float)  # while drawing: a left click at (x, y)
    erase_moved = Signal(float, float)  # while drawing: the right-drag's brush at (x, y)
    erase_ended = Signal()  # while drawing: the right button was let go

    def __init__(
        self, title: str = "", colormap: pg.ColorMap | None = None, bar_label: str = "", parent=None
    ):
        super().__init__(parent=parent)
        self._colors = theme_colors()
        self._title = title
        self.setMinimumSize(220, 200)
        self.plot = self.addPlot(row=0, col=0)
        self.plot.setTitle(title)
        let_title_overhang(self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getViewBox().setMouseEnabled(False, False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setAutoDownsample(False)
        self.plot.addItem(self.image)
        self.regions = pg.ImageItem(axisOrder="row-major")  # a classifier's RGB map
        self.regions.setAutoDownsample(False)
        self.regions.setVisible(False)
        self.plot.addItem(self.regions)
        self.boundary = pg.PlotCurveItem(connect="pairs", antialias=True)
        self.boundary.setZValue(6)
        self.plot.addItem(self.boundary, ignoreBounds=True)
        self._regions: tuple | None = None  # (chosen, probabilities) of the map shown
        # drawn as separate lines (one drawLines of a buffer), not one path: the same
        # pixels, stroked faster than a path of thousands of pieces
        self.contours = pg.PlotCurveItem(connect="pairs", antialias=False)
        self.contours.setSegmentedLineMode("on")
        self.contours.setZValue(5)
        self.plot.addItem(self.contours, ignoreBounds=True)
        self.points = pg.ScatterPlotItem(size=4, pen=None)
        self.points.setZValue(10)
        self.points.setVisible(False)
        self.plot.addItem(self.points, ignoreBounds=True)
        self.message = pg.TextItem("", anchor=(0.5, 0.5))
        self.message.setTextWidth(170)
        self.message.setZValue(20)
        self.plot.addItem(self.message, ignoreBounds=True)
        self.colorbar = pg.ColorBarItem(
            colorMap=colormap or value_colormap(),
            width=14,
            interactive=False,
            label=bar_label,
            colorMapMenu=False,
        )
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        # a fixed width: labels such as "−500" fit, and new levels never re-lay out the map
        self.colorbar.axis.setWidth(64 if bar_label else 48)
        self._xs = np.array([0.0, 1.0])
        self._ys = np.array([0.0, 1.0])
        self._rect = (0.0, 0.0, 1.0, 1.0)
        self._applied_rect = None
        self._applied_levels = None
        self._Z: np.ndarray | None = None
        self._contour_pen_color = "#000000"
        self.drawing = False  # clicks add points, a right-drag erases (set_drawing)
        self._erasing = False  # the right button is down while drawing
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self.plot.getViewBox().sigResized.connect(self._keep_domain_shape)
        self.apply_theme()

    # -- data --
    def set_grid(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """The x and y coordinates of the grid columns and rows (evenly spaced)."""
        self._xs = np.asarray(xs, dtype=np.float64)
        self._ys = np.asarray(ys, dtype=np.float64)
        dx = (self._xs[-1] - self._xs[0]) / max(self._xs.size - 1, 1)
        dy = (self._ys[-1] - self._ys[0]) / max(self._ys.size - 1, 1)
        # pixel centres sit on the grid points
        self._rect = (
            self._xs[0] - dx / 2,
            self._ys[0] - dy / 2,
            dx * self._xs.size,
            dy * self._ys.size,
        )
        self.plot.setRange(
            xRange=(self._xs[0], self._xs[-1]), yRange=(self._ys[0], self._ys[-1]), padding=0.0
        )
        self.message.setPos((self._xs[0] + self._xs[-1]) / 2, (self._ys[0] + self._ys[-1]) / 2)
        self._keep_domain_shape()

    def domain_aspect(self) -> float:
        """Height over width of the grid's domain (1 for a square), at most MAX_ASPECT:1."""
        width, height = self._xs[-1] - self._xs[0], self._ys[-1] - self._ys[0]
        if not (width > 0 and height > 0):
            return 1.0
        return float(np.clip(height / width, 1 / MAX_ASPECT, MAX_ASPECT))

    def _keep_domain_shape(self, *_args) -> None:
        """Give the map its domain's shape: the plot area is the largest rectangle of that
        shape that fits, centred; the rest becomes margin (title, axes and colour bar
        stay beside the map)."""
        view = self.plot.getViewBox()
        left, top, right, bottom = self.ci.layout.getContentsMargins()
        # the room the plot area would have without the margins added here
        room_w = view.width() + left + right - 2 * LAYOUT_MARGIN
        room_h = view.height() + top + bottom - 2 * LAYOUT_MARGIN
        if room_w <= 0 or room_h <= 0:
            return
        aspect = self.domain_aspect()
        width = min(room_w, room_h / aspect)
        pad_x, pad_y = (room_w - width) / 2, (room_h - width * aspect) / 2
        wanted = (LAYOUT_MARGIN + pad_x, LAYOUT_MARGIN + pad_y)
        if abs(wanted[0] - left) > 0.5 or abs(wanted[1] - top) > 0.5:
            self.ci.layout.setContentsMargins(wanted[0], wanted[1], wanted[0], wanted[1])

    def set_values(
        self,
        Z: np.ndarray,
        levels: tuple[float, float],
        contour_levels: Sequence[float] = (),
        contours: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """Show grid values `Z[row=y, col=x]` coloured over `levels` with contour lines:
        `contours`, what `contour_segments(Z, xs, ys, contour_levels)` returned (computed
        elsewhere, off the GUI thread), or, without them, found here."""
        if self._regions is not None:  # a classifier's map was shown here before
            self.clear_regions()
        self._Z = Z
        if self.message.toPlainText():
            self.message.setText("")
        levels = (float(levels[0]), float(levels[1]))
        options = {"autoLevels": False}
        if self._applied_levels != levels:
            # new levels re-lay out the colour bar (it listens to the image): only on change
            options["levels"] = levels
        if self._applied_rect != (self._rect, Z.shape):
            # placing the image moves it in the scene: only when the grid changed
            options["rect"] = self._rect
        self.image.setImage(Z, **options)
        if "levels" in options:
            self.colorbar.setLevels(levels)
            self._applied_levels = levels
        self._applied_rect = (self._rect, Z.shape)
        if contours is None:
            contours = contour_segments(Z, self._xs, self._ys, contour_levels)
        self.contours.setData(*contours)
        if not self.image.isVisible():
            self.image.setVisible(True)
            self.contours.setVisible(True)

    def set_points(
        self,
        X: np.ndarray | None,
        values: np.ndarray | None = None,
        levels: tuple[float, float] | None = None,
        size: float | None = None,
    ) -> None:
        """Overlay data points (n, 2), coloured by value over `levels`; None hides them.
        `size` in px, else by how many there are."""
        if X is None or len(X) == 0:
            self.points.setVisible(False)
            return
        brush = (
            value_brushes(values, levels, self.colorbar.colorMap())
            if values is not None
            else pg.mkBrush(theme_colors()["foreground"])
        )
        self.points.setData(
            x=X[:, 0], y=X[:, 1], brush=brush, size=size or (4 if len(X) <= 2000 else 2.5)
        )
        self.points.setVisible(True)

    def set_regions(
        self,
        chosen: np.ndarray,
        confidence: np.ndarray,
        probabilities: np.ndarray,
        margins: np.ndarray,
        boundary: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """Show a classifier's decision regions: `chosen` (rows, cols) class indices and
        `confidence` their probability, `probabilities` (rows, cols, k) for the hover, and
        `margins` (rows, cols, k), whose zero line is drawn as the boundary: `boundary`,
        what `region_boundaries(margins, xs, ys)` returned elsewhere, or found here."""
        k = probabilities.shape[-1]
        if self.message.toPlainText():
            self.message.setText("")
        image = region_image(chosen, confidence, k, self._colors["background"])
        self.regions.setImage(image, levels=(0, 255), autoLevels=False, rect=self._rect)
        self.regions.setVisible(True)
        self._regions = (chosen, probabilities)
        if boundary is None:
            boundary = region_boundaries(margins, self._xs, self._ys)
        self.boundary.setData(*boundary)
        self.boundary.setVisible(True)

    def clear_regions(self) -> None:
        self._regions = None
        self.regions.clear()
        self.regions.setVisible(False)
        self.boundary.setData([], [])

    def probabilities_in_cell(self, row: int, col: int) -> np.ndarray | None:
        """Each class's probability at a grid point of the decision map, or None."""
        if self._regions is None:
            return None
        return self._regions[1][row, col]

    def set_class_points(self, X: np.ndarray | None, labels: np.ndarray | None = None) -> None:
        """Overlay data points (n, 2) in their class's colour and shape (labels (n,) int);
        None hides them. An outline in the background colour keeps them apart from a
        region of their own colour."""
        if X is None or len(X) == 0 or labels is None:
            self.points.setVisible(False)
            return
        labels = np.asarray(labels).astype(int).ravel()
        outline = pg.mkPen(self._colors["background"], width=0.8)
        brushes = {int(c): pg.mkBrush(*hex_rgb(class_color(int(c)))) for c in np.unique(labels)}
        self.points.setData(
            x=X[:, 0],
            y=X[:, 1],
            brush=[brushes[c] for c in labels],
            symbol=[class_symbol(c) for c in labels],
            pen=outline,
            size=6 if len(X) <= 2000 else 4,
        )
        self.points.setVisible(True)

    def clear_values(self, message: str = "") -> None:
        """Blank the map, optionally saying why (e.g. "no known function for CSV data")."""
        self.clear_regions()
        self._Z = None
        self._applied_rect = self._applied_levels = None
        self.image.clear()
        self.image.setVisible(False)
        self.contours.setData([], [])
        self.message.setText(message)

    def values(self) -> np.ndarray | None:
        return self._Z

    def show_colorbar(self, visible: bool, levels: tuple[float, float] | None = None) -> None:
        """Show or hide the colour bar (e.g. for a map that has nothing to show)."""
        self.colorbar.setVisible(visible)
        if levels is not None:
            self.colorbar.setLevels(levels)
            self._applied_levels = None

    def contour_point_count(self) -> int:
        """How many segment end points the contour curve holds (for tests)."""
        xdata = self.contours.getData()[0]
        return 0 if xdata is None else int(len(xdata))

    def nearest_cell(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, column) of the grid point nearest to (x, y), or None outside the grid."""
        if not (self._xs[0] <= x <= self._xs[-1] and self._ys[0] <= y <= self._ys[-1]):
            return None
        j = int(np.searchsorted(self._xs, x))
        i = int(np.searchsorted(self._ys, y))
        j = min(range(max(j - 1, 0), min(j + 1, self._xs.size)), key=lambda k: abs(self._xs[k] - x))
        i = min(range(max(i - 1, 0), min(i + 1, self._ys.size)), key=lambda k: abs(self._ys[k] - y))
        return i, j

    def cell_position(self, row: int, col: int) -> tuple[float, float]:
        """The (x, y) of a grid point: where the values `value_in_cell` reads were computed."""
        return float(self._xs[col]), float(self._ys[row])

    def value_in_cell(self, row: int, col: int) -> float | None:
        """The value at a grid point, or None when the map shows no values."""
        if self._Z is None:
            return None
        return float(self._Z[row, col])

    def value_at(self, x: float, y: float) -> float | None:
        """The value at the grid point nearest to (x, y), or None outside the grid."""
        cell = self.nearest_cell(x, y)
        return None if cell is None else self.value_in_cell(*cell)

    @property
    def picture_name(self) -> str:
        """What right-click ▸ Save image… calls this map (its title)."""
        return self._title or "this map"

    def set_title(self, title: str) -> None:
        self._title = title
        self.plot.setTitle(title, color=self._colors["foreground"], size=text_size())

    # -- drawing points --
    def set_drawing(self, on: bool) -> None:
        """Let clicks add points and a right-drag erase them (see the module docstring)."""
        on = bool(on)
        if on == self.drawing:
            return
        self.drawing = on
        if not on and self._erasing:
            self._erasing = False
            self.erase_ended.emit()
        cursor = Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(cursor)

    def data_position(self, widget_pos: QPointF) -> tuple[float, float, bool]:
        """(x, y, inside the grid's domain) of a position in the widget (its viewport)."""
        scene_pos = self.mapToScene(widget_pos.toPoint())
        p = self.plot.getViewBox().mapSceneToView(scene_pos)
        x, y = float(p.x()), float(p.y())
        inside = self._xs[0] <= x <= self._xs[-1] and self._ys[0] <= y <= self._ys[-1]
        return x, y, bool(inside)

    def widget_position(self, x: float, y: float) -> QPoint:
        """Where the data point (x, y) is drawn, in the widget's (viewport's) pixels."""
        scene_pos = self.plot.getViewBox().mapViewToScene(QPointF(x, y))
        return self.mapFromScene(scene_pos)

    def mousePressEvent(self, event) -> None:
        if not self.drawing:
            super().mousePressEvent(event)
            return
        x, y, inside = self.data_position(event.position())
        if event.button() == Qt.MouseButton.LeftButton and inside:
            self.point_added.emit(x, y)
        elif event.button() == Qt.MouseButton.RightButton:
            self._erasing = True
            self.erase_moved.emit(x, y)
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        if self.drawing and self._erasing:
            x, y, _inside = self.data_position(event.position())
            self.erase_moved.emit(x, y)
        super().mouseMoveEvent(event)  # the hover readout follows the mouse as ever

    def mouseReleaseEvent(self, event) -> None:
        if self.drawing and self._erasing and event.button() == Qt.MouseButton.RightButton:
            self._erasing = False
            self.erase_ended.emit()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event) -> None:
        if self.drawing:  # the right button erases while drawing
            event.accept()
            return
        super().contextMenuEvent(event)

    # -- look --
    def apply_theme(self, _name: str | None = None) -> None:
        self._colors = theme_colors()
        fg = _style_map(self, self._colors)
        self.contours.setPen(pg.mkPen(QColor(20, 20, 20, 150), width=1))
        self.boundary.setPen(pg.mkPen(fg, width=2))
        self.message.setColor(fg)

    def _mouse_moved(self, scene_pos) -> None:
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            self.hovered.emit(0.0, 0.0, False)
            return
        p = vb.mapSceneToView(scene_pos)
        inside = (self._xs[0] <= p.x() <= self._xs[-1]) and (self._ys[0] <= p.y() <= self._ys[-1])
        self.hovered.emit(float(p.x()), float(p.y()), bool(inside))


def value_brushes(
    values: np.ndarray,
    levels: tuple[float, float] | None,
    colormap: pg.ColorMap,
    n_colors: int = 64,
) -> list:
    """One brush per value, picked from `n_colors` shared brushes (fast for 10,000 points)."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if levels is None:
        levels = (float(np.nanmin(values)), float(np.nanmax(values)))
    lo, hi = levels
    span = hi - lo if hi > lo else 1.0
    idx = np.clip(((values - lo) / span * (n_colors - 1)).round(), 0, n_colors - 1).astype(int)
    palette = colormap.getLookupTable(0.0, 1.0, n_colors, alpha=True)
    brushes = [pg.mkBrush(*map(int, rgba)) for rgba in palette]
    return [brushes[k] for k in idx]


class ScatterView(FollowsTextSize, SaveImageMenu, pg.GraphicsLayoutWidget):
    """The training points, coloured by their target value (the article's scatter plot)."""

    def __init__(self, title: str = "Training data", parent=None):
        super().__init__(parent=parent)
        self._title = title
        self._colors = theme_colors()
        self.setMinimumSize(200, 180)
        self.plot = self.addPlot(row=0, col=0)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setAspectLocked(True)
        self.scatter = pg.ScatterPlotItem(size=4, pen=None)
        self.plot.addItem(self.scatter)
        self.colorbar = pg.ColorBarItem(
            colorMap=value_colormap(), width=14, interactive=False, colorMapMenu=False
        )
        self.colorbar.setImageItem([], insert_in=self.plot)
        self.apply_theme()

    def set_points(self, X: np.ndarray, values: np.ndarray, levels=None, title=None) -> None:
        values = np.asarray(values).ravel()
        if levels is None and values.size:
            levels = (float(values.min()), float(values.max()))
        if levels is None or levels[1] <= levels[0]:
            levels = (levels[0] - 1, levels[0] + 1) if levels else (0.0, 1.0)
        size = 4 if len(X) <= 2000 else 2.5
        self.scatter.setData(
            x=X[:, 0],
            y=X[:, 1],
            size=size,
            brush=value_brushes(values, levels, self.colorbar.colorMap()),
        )
        self.colorbar.setLevels(levels)
        if title:
            self._title = title
        self.plot.setTitle(self._title, color=self._colors["foreground"], size=text_size())
        self.plot.autoRange()

    @property
    def picture_name(self) -> str:
        """What right-click ▸ Save image… calls this map (its title)."""
        return self._title or "this map"

    def point_count(self) -> int:
        return len(self.scatter.data)

    def apply_theme(self, _name: str | None = None) -> None:
        self._colors = theme_colors()
        _style_map(self, self._colors)


__all__ = [
    "ContourView",
    "ScatterView",
    "let_label_overhang",
    "let_title_overhang",
    "value_brushes",
]
