"""Filled contour maps with contour lines and a colour bar, and a scatter of data points.

The Train tab shows three maps of the same square, side by side: the true function, the
network's prediction and their difference. Each map is an `ImageItem` (one coloured pixel
per grid point, `axisOrder="row-major"` so `Z[row=y, col=x]` reads like the data) with
contour lines drawn on top and a colour bar beside it.

The contour lines come from `contour_segments`, a marching-squares pass written with whole-
array NumPy operations: a binary search finds, for every grid cell at once, the levels that
cut it; those (cell, level) pairs are classified and their crossing points interpolated at
once, and all levels end up in one pair of coordinate arrays that a single
`PlotCurveItem(connect="pairs")` draws. That is about five times faster than pyqtgraph's
`IsocurveItem` (see STACK.md), which matters when the maps refresh twenty times a second.

Nothing here knows about networks: the views take NumPy arrays and draw them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor

from app.theme import theme

# ---- colours --------------------------------------------------------------------------


def theme_colors() -> dict:
    """The app's current drawing colours (see app.theme)."""
    return theme.colors()


def connect_theme_changed(slot) -> None:
    """Call `slot(name)` whenever the student switches between the light and dark theme."""
    theme.changed.connect(slot)


def value_colormap() -> pg.ColorMap:
    """Colour map for function values: viridis, perceptually even and colour-blind safe."""
    return pg.colormap.get("viridis")


def diverging_colormap(colors: dict | None = None) -> pg.ColorMap:
    """Colour map for signed quantities: orange (negative), pale grey (zero), blue (positive).

    The same two colours mean "negative" and "positive" everywhere in the app.
    """
    colors = colors or theme_colors()
    return pg.ColorMap(
        [0.0, 0.5, 1.0], [QColor(colors["negative"]), QColor("#f2f2f2"), QColor(colors["positive"])]
    )


# ---- contour geometry -----------------------------------------------------------------


def nice_step(span: float, n: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `n` steps in `span`."""
    if not math.isfinite(span) or span <= 0 or n < 1:
        return 1.0
    raw = span / n
    power = 10.0 ** math.floor(math.log10(raw))
    for mult in (1.0, 2.0, 2.5, 5.0, 10.0):
        if mult * power >= raw * 0.999:
            return mult * power
    return 10.0 * power


def nice_levels(lo: float, hi: float, n: int = 8) -> np.ndarray:
    """Contour levels at round numbers strictly inside (lo, hi), about `n` of them."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return np.empty(0)
    step = nice_step(hi - lo, n + 1)
    first = math.floor(lo / step) + 1
    last = math.ceil(hi / step) - 1
    levels = np.arange(first, last + 1) * step
    return levels[(levels > lo) & (levels < hi)]


def symmetric_limit(values: np.ndarray, quantile: float = 0.99) -> float:
    """A round bound B so that [−B, B] holds the given share of |values| (for error maps).

    Rounding to 1-2-5 steps keeps the colour scale from flickering as the values creep.
    """
    finite = np.abs(values[np.isfinite(values)]).ravel()
    if finite.size == 0:
        return 1.0
    k = min(int(np.ceil(quantile * finite.size)) - 1, finite.size - 1)
    bound = float(np.partition(finite, max(k, 0))[max(k, 0)])  # the quantile, in O(n)
    if bound <= 0:
        bound = float(finite.max()) or 1.0
    power = 10.0 ** math.floor(math.log10(bound))
    for mult in (1.0, 2.0, 5.0, 10.0):
        if mult * power >= bound:
            return mult * power
    return 10.0 * power


# Cell corners: bit 0 = (row i, col j), bit 1 = (i, j+1), bit 2 = (i+1, j+1), bit 3 = (i+1, j).
# Cell edges: 0 = bottom (i; j..j+1), 1 = right (j+1; i..i+1), 2 = top (i+1; j..j+1),
# 3 = left (j; i..i+1). Rows grow with y, so "bottom" is the lower y.
_EDGE_CORNERS = ((0, 1), (1, 2), (3, 2), (0, 3))


def _segment_table() -> np.ndarray:
    """Which edges each of the 18 cell cases joins: (18, 2 segments, 2 edges), −1 = none.

    Cases 0-15 are the corner bit patterns. The two saddles (5 and 10) are ambiguous; the
    cell's mean decides: cases 5 and 10 are used when the centre is below the level, 16
    and 17 (same corners) when it is above, so that the high corners join through the middle.
    """
    table = -np.ones((18, 2, 2), dtype=np.int64)
    for case in range(16):
        bits = [(case >> k) & 1 for k in range(4)]
        crossed = [e for e, (c0, c1) in enumerate(_EDGE_CORNERS) if bits[c0] != bits[c1]]
        if len(crossed) == 2:
            table[case, 0] = crossed
    # Saddle 5: corners 0 and 2 above. Centre below: each high corner is cut off on its own.
    table[5] = [[0, 3], [1, 2]]
    table[16] = [[0, 1], [2, 3]]  # centre above: the low corners 1 and 3 are cut off
    # Saddle 10: corners 1 and 3 above.
    table[10] = [[0, 1], [2, 3]]
    table[17] = [[0, 3], [1, 2]]
    return table


_SEGMENTS = _segment_table()


def contour_segments(
    Z: np.ndarray, xs: np.ndarray, ys: np.ndarray, levels: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """Contour lines of a grid as line segments, for `connect="pairs"` drawing.

    `Z[i, j]` is the value at (xs[j], ys[i]). Returns `(px, py)`: points 2k and 2k+1 are the
    ends of segment k. Each end lies on a cell edge where linear interpolation between the
    edge's two corner values equals the level. Cells touching a NaN are skipped.
    """
    Z = np.asarray(Z, dtype=np.float64)
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    if Z.ndim != 2 or Z.shape != (ys.size, xs.size):
        raise ValueError(
            f"Z must have shape (len(ys), len(xs)) = ({ys.size}, {xs.size}); got {Z.shape}"
        )
    if Z.shape[0] < 2 or Z.shape[1] < 2 or len(levels) == 0:
        return np.empty(0), np.empty(0)
    n_cols = Z.shape[1] - 1
    corners = np.stack(
        [
            Z[:-1, :-1].ravel(),
            Z[:-1, 1:].ravel(),  # (4, n_cells)
            Z[1:, 1:].ravel(),
            Z[1:, :-1].ravel(),
        ]
    )
    finite = np.all(np.isfinite(corners), axis=0)  # (n_cells,)
    level_values = np.sort(np.asarray(levels, dtype=np.float64))
    # A cell is cut by the levels in [its lowest corner, its highest corner): find them by
    # binary search, so the work grows with the cut cells, not with cells × levels.
    low = np.searchsorted(level_values, corners.min(axis=0), side="left")
    high = np.searchsorted(level_values, corners.max(axis=0), side="left")
    count = np.where(finite, high - low, 0)
    cell = np.repeat(np.arange(count.size), count)  # (n_cut,)
    if cell.size == 0:
        return np.empty(0), np.empty(0)
    first = np.cumsum(count) - count  # start per cell
    level_index = low[cell] + (np.arange(cell.size) - first[cell])
    level_at = level_values[level_index]
    vals = corners[:, cell]  # (4, n_cut)
    above = vals > level_at
    case = above[0] * 1 + above[1] * 2 + above[2] * 4 + above[3] * 8
    centre_above = vals.mean(axis=0) > level_at
    case = np.where((case == 5) & centre_above, 16, case)
    case = np.where((case == 10) & centre_above, 17, case)
    table = _SEGMENTS[case]  # (n_cut, 2, 2)
    second = table[:, 1, 0] >= 0  # saddles: 2 segments
    cell = np.concatenate([cell, cell[second]])
    level = np.concatenate([level_at, level_at[second]])
    edge_a = np.concatenate([table[:, 0, 0], table[second, 1, 0]])
    edge_b = np.concatenate([table[:, 0, 1], table[second, 1, 1]])
    rows, cols = np.divmod(cell, n_cols)
    vals = corners[:, cell]
    x0, x1, y0, y1 = xs[cols], xs[cols + 1], ys[rows], ys[rows + 1]
    ax, ay = _edge_points(edge_a, vals, level, x0, x1, y0, y1)
    bx, by = _edge_points(edge_b, vals, level, x0, x1, y0, y1)
    px = np.empty(2 * cell.size)
    py = np.empty(2 * cell.size)
    px[0::2], px[1::2] = ax, bx
    py[0::2], py[1::2] = ay, by
    return px, py


def _edge_points(edge, vals, level, x0, x1, y0, y1):
    """Where `level` (one per cell) crosses the given edge of each cell, interpolating
    linearly between the edge's two corner values `vals` (4, n)."""
    first = np.choose(edge, [0, 1, 3, 0])
    second = np.choose(edge, [1, 2, 2, 3])
    idx = np.arange(edge.size)
    va = vals[first, idx]
    vb = vals[second, idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(vb != va, (level - va) / (vb - va), 0.5)
    horizontal = (edge == 0) | (edge == 2)
    x = np.where(horizontal, x0 + t * (x1 - x0), np.where(edge == 1, x1, x0))
    y = np.where(horizontal, np.where(edge == 0, y0, y1), y0 + t * (y1 - y0))
    return x, y


# ---- views ----------------------------------------------------------------------------


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
    view.plot.setTitle(view._title, color=fg)
    return fg


def let_title_overhang(plot: pg.PlotItem) -> None:
    """Keep the plot's title from setting the plot's minimum width.

    pyqtgraph's LabelItem makes its text width its minimum width after every change and
    resize; in a narrow window a long title ("Network's prediction") then pushes the colour
    bar out of the view. This label keeps only its height as a minimum and overhangs.
    """
    label = plot.titleLabel

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


class ContourView(pg.GraphicsLayoutWidget):
    """One filled contour map: image, contour lines, colour bar, optional points and hover.

    Call `set_grid(xs, ys)` once per domain, then `set_values(Z, levels, contour_levels)` as
    often as the values change. `hovered(x, y, inside)` is emitted as the mouse moves, in
    data coordinates; `value_at(x, y)` reads the grid value nearest to a point.
    """

    hovered = Signal(float, float, bool)

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
        self.contours = pg.PlotCurveItem(connect="pairs", antialias=False)
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
        self.scene().sigMouseMoved.connect(self._mouse_moved)
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

    def set_values(
        self, Z: np.ndarray, levels: tuple[float, float], contour_levels: Sequence[float] = ()
    ) -> None:
        """Show grid values `Z[row=y, col=x]` coloured over `levels` with contour lines."""
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
        px, py = contour_segments(Z, self._xs, self._ys, contour_levels)
        self.contours.setData(px, py)
        if not self.image.isVisible():
            self.image.setVisible(True)
            self.contours.setVisible(True)

    def set_points(
        self,
        X: np.ndarray | None,
        values: np.ndarray | None = None,
        levels: tuple[float, float] | None = None,
    ) -> None:
        """Overlay data points (n, 2), coloured by value over `levels`; None hides them."""
        if X is None or len(X) == 0:
            self.points.setVisible(False)
            return
        brush = (
            value_brushes(values, levels, self.colorbar.colorMap())
            if values is not None
            else pg.mkBrush(theme_colors()["foreground"])
        )
        self.points.setData(x=X[:, 0], y=X[:, 1], brush=brush, size=4 if len(X) <= 2000 else 2.5)
        self.points.setVisible(True)

    def clear_values(self, message: str = "") -> None:
        """Blank the map, optionally saying why (e.g. "no known function for CSV data")."""
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

    def value_at(self, x: float, y: float) -> float | None:
        """The value at the grid point nearest to (x, y), or None outside the grid."""
        if self._Z is None:
            return None
        j = int(np.searchsorted(self._xs, x))
        i = int(np.searchsorted(self._ys, y))
        if not (self._xs[0] <= x <= self._xs[-1] and self._ys[0] <= y <= self._ys[-1]):
            return None
        j = min(range(max(j - 1, 0), min(j + 1, self._xs.size)), key=lambda k: abs(self._xs[k] - x))
        i = min(range(max(i - 1, 0), min(i + 1, self._ys.size)), key=lambda k: abs(self._ys[k] - y))
        return float(self._Z[i, j])

    def set_title(self, title: str) -> None:
        self._title = title
        self.plot.setTitle(title, color=self._colors["foreground"])

    # -- look --
    def apply_theme(self, _name: str | None = None) -> None:
        self._colors = theme_colors()
        fg = _style_map(self, self._colors)
        self.contours.setPen(pg.mkPen(QColor(20, 20, 20, 150), width=1))
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


class ScatterView(pg.GraphicsLayoutWidget):
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
        self.plot.setTitle(self._title, color=self._colors["foreground"])
        self.plot.autoRange()

    def point_count(self) -> int:
        return len(self.scatter.data)

    def apply_theme(self, _name: str | None = None) -> None:
        self._colors = theme_colors()
        _style_map(self, self._colors)


__all__ = [
    "theme_colors",
    "connect_theme_changed",
    "value_colormap",
    "diverging_colormap",
    "nice_step",
    "nice_levels",
    "symmetric_limit",
    "contour_segments",
    "ContourView",
    "let_title_overhang",
    "ScatterView",
    "value_brushes",
]
