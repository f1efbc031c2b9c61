"""Live training plots: the loss curve, per-layer health and the weight matrices.

These views draw numbers that the training run already computed (nncore's `EpochReport`s
and the network's weight arrays); they do no arithmetic beyond choosing colour ranges.

- `LossPlot`: training and validation MSE per epoch on a log scale, the learning rate on a
  second (right-hand) axis, and the session's earlier runs behind the current one, each in
  a colour and dash of its own (thinner; validation dotted), so recipes, learning rates or
  seeds can be compared (optionally on a logarithmic epoch axis, when one run is much
  shorter than another). The current run is drawn strongest. Axis ranges move
  in round steps only, so the axes are not re-laid out at every refresh; with nothing to
  draw they go back to where a fresh plot starts. Its key is a line of text above the
  plot, not a legend inside it: a legend box in the corner covered the curves, and one
  wider than the plot (with the previous run's label) lost its left part and its swatches.
  The earlier runs are listed below the plot instead (`RunList`), where a click shows or
  hides each one and "Clear runs" lets them all go.
  For a classifier (`set_loss_name("cross_entropy")`) the loss is its cross-entropy, and a
  second, small plot below it (x axes linked) shows the accuracy in %, training and
  validation, from 0 to 100.
- `HealthPlots`: for every layer, the size (norm) of its weights and of their gradients,
  and the share of "dead" ReLU neurons that output zero for every training point.
- `WeightMatricesView`: each weight matrix as a heat map (blue positive, orange negative).
  A drawing of all 8,384 connections of a 2-64-64-64-1 network is an unreadable hairball;
  a matrix shows every weight at once.

The contour maps are in `app.widgets.contour_view`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QPushButton, QWidget

from app.pictures import SaveImageMenu
from app.widgets.colormaps import diverging_colormap, theme_colors
from app.widgets.contour_view import (
    FollowsTextSize,
    let_label_overhang,
    let_title_overhang,
    size_axis_labels,
    text_size,
)
from app.widgets.marching_squares import nice_step

FEW_POINTS = 30  # curves this short also get a dot per point
RUN_LIST_COLUMNS = 3  # the list of earlier runs wraps after this many
EMPTY_LOSS_RANGE = (0.0, 1.0)  # log10 units: the loss axis of a plot with no curve, 1 … 10

# One colour per layer, distinct for colour-blind readers (Okabe–Ito order).
LAYER_COLORS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)


# The earlier runs' looks: colours apart from the current run's blue and orange (Okabe–Ito),
# solid first, then dashed, so eight runs stay distinguishable in colour or in dash alone.
RUN_COLORS = ("#009E73", "#CC79A7", "#56B4E9", "#D55E00")
RUN_DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine)


def run_style(slot: int) -> tuple[str, Qt.PenStyle]:
    """The colour and dash of an earlier run's training curve (its validation is dotted)."""
    slot %= len(RUN_COLORS) * len(RUN_DASHES)
    return RUN_COLORS[slot % len(RUN_COLORS)], RUN_DASHES[slot // len(RUN_COLORS)]


def _style_axes(plot: pg.PlotItem, colors: dict, axes=("left", "bottom")) -> None:
    fg = colors["foreground"]
    for name in axes:
        axis = plot.getAxis(name)
        axis.setPen(fg)
        axis.setTextPen(fg)
    size_axis_labels(plot, axes)


def layer_color(i: int) -> str:
    return LAYER_COLORS[i % len(LAYER_COLORS)]


class DecadeAxis(pg.AxisItem):
    """A log axis labelled at whole decades only (0.01, 0.1, 1, 10 …), with unlabelled minor
    ticks at 2…9 times each decade, and no SI-prefix factor in its title."""

    def __init__(self, orientation: str, **kw):
        super().__init__(orientation, **kw)
        self.enableAutoSIPrefix(False)
        self.setStyle(maxTextLevel=0)

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        lo, hi = math.floor(minVal), math.ceil(maxVal)
        decades = [float(v) for v in range(lo, hi + 1) if minVal <= v <= maxVal]
        step = max(1, math.ceil(len(decades) / 6))  # at most about six labels
        major = decades[::step]
        minor = (
            [
                v + math.log10(k)
                for v in range(lo, hi)
                for k in range(2, 10)
                if minVal < v + math.log10(k) < maxVal
            ]
            if step == 1
            else []
        )
        return [(float(step), major), (None, minor)]


def round_range(lo: float, hi: float, log: bool) -> tuple[float, float] | None:
    """A rounded axis range holding [lo, hi]: whole decades on a log axis (in log10 units,
    as pyqtgraph's log mode expects), 1-2-5 steps on a linear one. None without data.

    Axes are re-laid out (tick labels re-measured) whenever their range changes; a range
    that only moves in round steps keeps that from happening at every refresh.
    """
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return None
    if log:
        if hi <= 0:
            return None
        lo = lo if lo > 0 else hi / 10
        a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        return (float(a), float(b if b > a else a + 1))
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    step = nice_step(hi - lo, 4)
    return (math.floor(lo / step) * step, math.ceil(hi / step) * step)


class _StickyRange:
    """Sets a plot's axis range only when its rounded value changes."""

    def __init__(self, view: pg.ViewBox, axis: str, log: bool = False, floor: float | None = None):
        self.view, self.axis, self.log, self.floor = view, axis, log, floor
        self.current: tuple[float, float] | None = None

    def update(self, values: np.ndarray) -> None:
        finite = values[np.isfinite(values)]
        if self.log:
            finite = finite[finite > 0]
        if finite.size == 0:
            return
        lo, hi = float(finite.min()), float(finite.max())
        if self.floor is not None:
            lo = min(lo, self.floor)
        wanted = round_range(lo, hi, self.log)
        if wanted is None or wanted == self.current:
            return
        self.current = wanted
        if self.axis == "x":
            self.view.setXRange(*wanted, padding=0)
        else:
            self.view.setYRange(*wanted, padding=0.02)

    def reset(self) -> None:
        self.current = None

    def show_default(self, wanted: tuple[float, float]) -> None:
        """Nothing to draw: show `wanted`, as a fresh plot does."""
        if wanted != self.current:
            self.current = wanted
            self.view.setYRange(*wanted, padding=0.02)


class LossPlot(FollowsTextSize, SaveImageMenu, pg.GraphicsLayoutWidget):
    """Training and validation loss per epoch (log scale) with the learning rate on the right."""

    picture_name = "the loss curve"
    runs_cleared = Signal()  # clear_previous() was called: the runs' owner lets them go too

    def __init__(self, parent=None):
        super().__init__(parent=parent)
        self.setMinimumSize(300, 200)
        self._colors = theme_colors()
        # the key: one line of text above the plot, clear of the curves (see the module doc)
        self.key = self.addLabel("", row=0, col=0, justify="right")
        let_label_overhang(self.key)
        self.plot = self.addPlot(
            row=1, col=0, axisItems={"left": DecadeAxis("left"), "bottom": DecadeAxis("bottom")}
        )
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setLogMode(x=False, y=True)
        self.plot.showGrid(x=False, y=False)
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "mean squared error (normalised)")
        self.plot.setDownsampling(auto=True, mode="peak")
        self.plot.setClipToView(True)
        self.plot.getViewBox().disableAutoRange()
        self._run_curves: list[pg.PlotDataItem] = []  # the earlier runs, behind the current
        self._runs: list = []  # what they draw (app.train.run_names.KeptRun-like)
        self._current_name = ""
        self.train = self.plot.plot([], [])
        self.val = self.plot.plot([], [], connect="finite")
        # learning rate on its own view box, sharing the x axis
        self.lr_view = pg.ViewBox(enableMenu=False)
        self.lr_view.setMouseEnabled(False, False)
        self.plot.showAxis("right")
        self.plot.scene().addItem(self.lr_view)
        self.plot.getAxis("right").linkToView(self.lr_view)
        self.plot.getAxis("right").setLabel("learning rate")
        self.lr_view.setXLink(self.plot)
        self.lr_curve = pg.PlotCurveItem([], [])
        self.lr_view.addItem(self.lr_curve)
        self.lr_view.disableAutoRange()
        self.plot.getAxis("right").setLogMode(False, False)
        self.plot.getViewBox().sigResized.connect(self._sync_lr_view)
        self._current = (np.empty(0), np.empty(0), None)
        self._runs_loss = np.empty(0)  # every shown earlier run's losses, for the y range
        self._runs_last = 0.0  # the last epoch of the longest shown earlier run
        self._span = 1
        self._log_epochs = False
        self._current_lr = np.empty(0)
        self._x_range = _StickyRange(self.plot.getViewBox(), "x")
        self._y_range = _StickyRange(self.plot.getViewBox(), "y", log=True)
        self._lr_range = _StickyRange(self.lr_view, "y", floor=0.0)
        self._loss_name = "mse"
        # a classifier's accuracy, in a plot of its own below (in the layout only then)
        self.accuracy_plot = pg.PlotItem()
        self.accuracy_plot.setMenuEnabled(False)
        self.accuracy_plot.hideButtons()
        self.accuracy_plot.setMouseEnabled(False, False)
        self.accuracy_plot.setLabel("left", "accuracy %")
        self.accuracy_plot.setYRange(0, 100, padding=0.02)
        self.accuracy_plot.setXLink(self.plot)
        self.accuracy_plot.showAxis("right")
        self.accuracy_plot.getAxis("right").setStyle(showValues=False)
        self.accuracy_plot.getAxis("bottom").setStyle(showValues=False)
        self._run_accuracy_curves: list[pg.PlotDataItem] = []
        self.train_accuracy = self.accuracy_plot.plot([], [])
        self.val_accuracy = self.accuracy_plot.plot([], [], connect="finite")
        self.set_span(100)
        self.apply_theme()

    def set_loss_name(self, name: str) -> None:
        """Say which loss the curves are ("mse" or "cross_entropy"); a classifier's also
        shows the accuracy plot below the loss."""
        if name == self._loss_name:
            return
        self._loss_name = name
        classifier = name == "cross_entropy"
        self.plot.setLabel(
            "left", "cross-entropy" if classifier else "mean squared error (normalised)"
        )
        size_axis_labels(self.plot)
        if classifier:
            self.addItem(self.accuracy_plot, row=2, col=0)
            self.ci.layout.setRowStretchFactor(1, 3)
            self.ci.layout.setRowStretchFactor(2, 1)
        else:
            self.removeItem(self.accuracy_plot)
            self.train_accuracy.setData([], [])
            self.val_accuracy.setData([], [])
        self._draw_runs()

    @property
    def shows_accuracy(self) -> bool:
        return self._loss_name == "cross_entropy"

    def set_accuracy(self, epochs: np.ndarray, train: np.ndarray, val: np.ndarray) -> None:
        """A classifier's accuracy per epoch, in % (NaN where there is no value)."""
        few = len(epochs) <= FEW_POINTS
        symbol = {"symbol": "o", "symbolSize": 4, "symbolPen": None} if few else {"symbol": None}
        pen = self.train_accuracy.opts["pen"].color()
        self.train_accuracy.setData(epochs, train, symbolBrush=pen, **symbol)
        if np.any(np.isfinite(val)):
            pen = self.val_accuracy.opts["pen"].color()
            self.val_accuracy.setData(epochs, val, symbolBrush=pen, **symbol)
        else:
            self.val_accuracy.setData([], [])

    def accuracy_point_count(self) -> int:
        x = self.train_accuracy.getData()[0]
        return 0 if x is None else len(x)

    def set_span(self, epochs: int) -> None:
        """Fix the x axis to 0 … `epochs` (the planned run), so it does not creep."""
        self._span = max(int(epochs), 1)
        self._update_x()

    def set_log_epochs(self, on: bool) -> None:
        """A logarithmic epoch axis: a short run and a long one both get room to be seen."""
        self._log_epochs = bool(on)
        self.plot.setLogMode(x=self._log_epochs, y=True)
        self.accuracy_plot.setLogMode(x=self._log_epochs, y=False)
        self.plot.getAxis("right").setLogMode(False, False)
        self._x_range = _StickyRange(self.plot.getViewBox(), "x", log=self._log_epochs)
        self.lr_curve.setData(self._lr_x(self._current[0]), self._current_lr)
        self._update_x()

    def _lr_x(self, epochs: np.ndarray) -> np.ndarray:
        # the learning rate lives in its own view box, which knows nothing of log mode
        epochs = np.asarray(epochs, dtype=float)
        return np.log10(epochs) if self._log_epochs else epochs

    def _update_x(self) -> None:
        last = self._current[0][-1] if len(self._current[0]) else 0
        first = 1.0 if self._log_epochs else 0.0
        self._x_range.update(np.array([first, self._span, last, self._runs_last], dtype=float))

    def _sync_lr_view(self) -> None:
        """Keep the learning rate's view box exactly over the loss plot's."""
        rect = self.plot.getViewBox().sceneBoundingRect()
        if self.lr_view.sceneBoundingRect() != rect:
            self.lr_view.setGeometry(rect)
            self.lr_view.linkedViewChanged(self.plot.getViewBox(), self.lr_view.XAxis)

    def set_history(
        self, epochs: np.ndarray, train_mse: np.ndarray, val_mse: np.ndarray | None, lr: np.ndarray
    ) -> None:
        """The whole history so far (arrays of equal length; NaN where there is no value)."""
        self._current = (epochs, train_mse, val_mse)
        few = len(epochs) <= FEW_POINTS  # a handful of epochs: show them as dots
        symbol = {"symbol": "o", "symbolSize": 5, "symbolPen": None} if few else {"symbol": None}
        self.train.setData(epochs, train_mse, symbolBrush=self.train.opts["pen"].color(), **symbol)
        if val_mse is not None and np.any(np.isfinite(val_mse)):
            self.val.setData(epochs, val_mse, symbolBrush=self.val.opts["pen"].color(), **symbol)
        else:
            self.val.setData([], [])
        self._current_lr = np.asarray(lr, dtype=float)
        self.lr_curve.setData(self._lr_x(epochs), self._current_lr)
        self._update_x()
        self._update_y()
        self._sync_lr_view()  # the axes may have changed width since the last resize
        lr = np.asarray(lr, dtype=float)
        # headroom: the line sits at about half height, clear of the loss curves at the top
        self._lr_range.update(lr * 1.6 if lr.size else lr)

    def _update_y(self) -> None:
        _, train_mse, val_mse = self._current
        parts = [np.asarray(train_mse, dtype=float), self._runs_loss]
        if val_mse is not None:
            parts.append(np.asarray(val_mse, dtype=float))
        values = np.concatenate(parts)
        if np.any(np.isfinite(values) & (values > 0)):
            self._y_range.update(values)
        else:  # an empty chart must not keep the range of a curve no longer drawn
            self._y_range.show_default(EMPTY_LOSS_RANGE)

    def show_runs(self, runs: Sequence) -> None:
        """Draw these earlier runs behind the current one: each has `epochs`, `train`,
        `val`, `train_acc`, `val_acc` (arrays, NaN where there is no value), `slot` (its
        look, `run_style`) and `visible`; a hidden one is not drawn and leaves the axes."""
        self._runs = list(runs)
        self._draw_runs()

    def _draw_runs(self) -> None:
        for curve in self._run_curves:
            self.plot.removeItem(curve)
        for curve in self._run_accuracy_curves:
            self.accuracy_plot.removeItem(curve)
        self._run_curves, self._run_accuracy_curves = [], []
        shown = [run for run in self._runs if run.visible and len(run.epochs)]
        for run in shown:
            color, dash = run_style(run.slot)
            # a one-epoch run is a dot, not nothing
            few = len(run.epochs) <= FEW_POINTS
            symbol = {"symbol": "o", "symbolSize": 4, "symbolPen": None} if few else {}
            symbol = {"symbol": None, **symbol, "symbolBrush": QColor(color)}
            pairs = [(self.plot, self._run_curves, run.train, run.val)]
            if self.shows_accuracy:
                pairs.append(
                    (self.accuracy_plot, self._run_accuracy_curves, run.train_acc, run.val_acc)
                )
            for plot, curves, train, val in pairs:
                pen = pg.mkPen(color, width=1.5, style=dash)
                curves.append(plot.plot(run.epochs, train, pen=pen, **symbol))
                if np.any(np.isfinite(val)):
                    pen = pg.mkPen(color, width=1, style=Qt.PenStyle.DotLine)
                    curves.append(plot.plot(run.epochs, val, pen=pen, connect="finite", **symbol))
        for curve in self._run_curves + self._run_accuracy_curves:
            curve.setZValue(-1)  # behind the current run's curves
        losses = [np.asarray(part, dtype=float) for run in shown for part in (run.train, run.val)]
        self._runs_loss = np.concatenate(losses) if losses else np.empty(0)
        self._runs_last = max((float(run.epochs[-1]) for run in shown), default=0.0)
        self._update_key()
        self._update_x()
        self._update_y()

    def set_current_name(self, name: str) -> None:
        """The current run's name beside the earlier ones (e.g. "lr 0.01"), for the key."""
        self._current_name = name
        self._update_key()

    def _this_run(self) -> str:
        """The key's opening words while earlier runs are drawn, else ""."""
        if not self._run_curves:
            return ""
        return f"this run ({self._current_name}): " if self._current_name else "this run: "

    def clear_previous(self) -> None:
        """Let go of every earlier run (and say so: `runs_cleared`)."""
        self.show_runs([])
        self.runs_cleared.emit()

    def has_previous(self) -> bool:
        """Whether an earlier run is drawn."""
        return bool(self._run_curves)

    def run_curve_count(self) -> int:
        """How many curves the earlier runs draw on the loss plot (training + validation)."""
        return len(self._run_curves)

    def clear_current(self) -> None:
        self._current = (np.empty(0), np.empty(0), None)
        self._current_lr = np.empty(0)
        self.train.setData([], [])
        self.val.setData([], [])
        self.lr_curve.setData([], [])
        self.train_accuracy.setData([], [])
        self.val_accuracy.setData([], [])
        self._update_x()
        self._update_y()

    def key_text(self) -> str:
        """The key's entries as plain text, e.g. "training MSE · validation MSE · …"."""
        names = [name for _color, _mark, name in self._key_entries()]
        return self._this_run() + " · ".join(names)

    def _key_entries(self) -> list[tuple[str, str, str]]:
        """(colour, line mark, name) for each of the current run's curves."""
        c = self._colors
        loss = "cross-entropy" if self._loss_name == "cross_entropy" else "MSE"
        entries = [
            (c["positive"], "━━", f"training {loss}"),
            (c["negative"], "━━", f"validation {loss}"),
            (c["muted"], "╌╌", "learning rate"),
        ]
        return entries

    def _update_key(self) -> None:
        spans = [
            f'<span style="color:{color}">{mark}</span>&nbsp;{html.escape(name)}'
            for color, mark, name in self._key_entries()
        ]
        text = "&nbsp;&nbsp;&nbsp;".join(spans)
        if self._run_curves:  # the earlier runs are named in the list below the plot
            text = html.escape(self._this_run()) + text
        self.key.setText(text, size=text_size(0.9), color=self._colors["foreground"])

    def apply_theme(self, _name: str | None = None) -> None:
        self._colors = c = theme_colors()
        self.setBackground(c["background"])
        _style_axes(self.plot, c, ("left", "bottom", "right"))
        self.train.setPen(pg.mkPen(c["positive"], width=2.5))
        self.val.setPen(pg.mkPen(c["negative"], width=2.5))
        self.lr_curve.setPen(pg.mkPen(c["muted"], width=1, style=Qt.PenStyle.DashLine))
        _style_axes(self.accuracy_plot, c, ("left", "bottom", "right"))
        self.train_accuracy.setPen(pg.mkPen(c["positive"], width=2))
        self.val_accuracy.setPen(pg.mkPen(c["negative"], width=2))
        self._update_key()


def run_icon(slot: int) -> QIcon:
    """A short line in an earlier run's colour and dash, its swatch in the list of runs."""
    color, dash = run_style(slot)
    size = QSize(28, 12)
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(pg.mkPen(color, width=2.5, style=dash))
    painter.drawLine(1, size.height() // 2, size.width() - 1, size.height() // 2)
    painter.end()
    return QIcon(pixmap)


class RunList(QWidget):
    """The earlier runs on the loss curve, by name: a check box each (unticked: hidden),
    "Clear runs", and a note when older runs were let go. Emits `toggled(index)` and
    `clear_requested()`; the owner changes the runs and calls `set_runs` again."""

    toggled = Signal(int)
    clear_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(0)
        self.boxes: list[QCheckBox] = []
        self.clear_button = QPushButton("Clear runs")
        self.clear_button.setToolTip("Take every earlier run off the loss curve")
        self.clear_button.clicked.connect(self.clear_requested)
        self.note = QLabel("")
        self.note.setEnabled(False)  # muted: a remark, not a control
        self.set_runs([])

    def set_runs(self, runs: Sequence, note: str = "") -> None:
        """Show these runs (each with `name`, `slot` and `visible`), oldest first."""
        for box in self.boxes:
            self._grid.removeWidget(box)
            box.deleteLater()
        self._grid.removeWidget(self.clear_button)
        self._grid.removeWidget(self.note)
        self.boxes = []
        for k, run in enumerate(runs):
            box = QCheckBox(run.name)
            box.setIcon(run_icon(run.slot))
            box.setChecked(run.visible)
            box.setToolTip(f"Show or hide the run “{run.name}” on the loss curve")
            box.toggled.connect(lambda _on, k=k: self.toggled.emit(k))
            self._grid.addWidget(box, k // RUN_LIST_COLUMNS, k % RUN_LIST_COLUMNS)
            self.boxes.append(box)
        row = (len(runs) + RUN_LIST_COLUMNS - 1) // RUN_LIST_COLUMNS
        self._grid.addWidget(self.clear_button, row, 0)
        self._grid.addWidget(self.note, row, 1, 1, RUN_LIST_COLUMNS - 1)
        self.note.setText(note)
        self.setVisible(bool(runs) or bool(note))

    def names(self) -> list[str]:
        return [box.text() for box in self.boxes]


class HealthPlots(FollowsTextSize, SaveImageMenu, pg.GraphicsLayoutWidget):
    """Per-layer weight norms, gradient norms and dead-ReLU share over the epochs."""

    picture_name = "the training health plots"
    # two short lines each, so three plots side by side fit a narrow window
    TITLES = ("weights<br>‖W‖", "gradients<br>‖∂L/∂W‖", "dead ReLUs<br>(share)")

    def __init__(self, parent=None):
        super().__init__(parent=parent)
        self.setMinimumSize(300, 200)
        self._colors = theme_colors()
        self.key = self.addLabel("", row=0, col=0, colspan=3)
        self.weight_plot = self._make_plot(0, log=False)
        self.grad_plot = self._make_plot(1, log=True)
        self.dead_plot = self._make_plot(2, log=False)
        self.dead_plot.setYRange(0, 1, padding=0.05)
        self.grad_plot.setXLink(self.weight_plot)
        self.dead_plot.setXLink(self.weight_plot)
        self.weight_curves: list[pg.PlotDataItem] = []
        self.grad_curves: list[pg.PlotDataItem] = []
        self.dead_curves: list[pg.PlotDataItem] = []
        self._x_range = _StickyRange(self.weight_plot.getViewBox(), "x")
        self._weight_range = _StickyRange(self.weight_plot.getViewBox(), "y", floor=0.0)
        self._grad_range = _StickyRange(self.grad_plot.getViewBox(), "y", log=True)
        self._span = 100
        self._x_range.update(np.array([0.0, self._span]))
        self._n_layers = 0
        self.apply_theme()

    def _make_plot(self, col: int, log: bool) -> pg.PlotItem:
        axes = {"left": DecadeAxis("left")} if log else None
        plot = self.addPlot(row=1, col=col, axisItems=axes)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setLogMode(y=log)
        plot.setLabel("bottom", "epoch")
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        plot.getViewBox().disableAutoRange()
        plot.getViewBox().setMouseEnabled(False, False)
        return plot

    def set_span(self, epochs: int) -> None:
        """Fix the shared x axis to 0 … `epochs`, with few ticks (the plots are narrow)."""
        self._span = max(int(epochs), 1)
        self._x_range.reset()
        self._x_range.update(np.array([0.0, self._span]))
        major = nice_step(self._span, 2)
        for plot in (self.weight_plot, self.grad_plot, self.dead_plot):
            plot.getAxis("bottom").setTickSpacing(major, major / 2)

    def set_layers(self, n_layers: int, n_hidden: int) -> None:
        """Make one curve per layer (weights, gradients) and per hidden layer (dead share)."""
        for plot, curves in (
            (self.weight_plot, self.weight_curves),
            (self.grad_plot, self.grad_curves),
            (self.dead_plot, self.dead_curves),
        ):
            for curve in curves:
                plot.removeItem(curve)
            curves.clear()
        for i in range(n_layers):
            pen = pg.mkPen(layer_color(i), width=1)
            self.weight_curves.append(self.weight_plot.plot([], [], pen=pen))
            self.grad_curves.append(self.grad_plot.plot([], [], pen=pen))
        for i in range(n_hidden):
            self.dead_curves.append(self.dead_plot.plot([], [], pen=pg.mkPen(layer_color(i))))
        self._n_layers = n_layers
        self._weight_range.reset()
        self._grad_range.reset()
        self._update_key()

    def _update_key(self) -> None:
        names = [
            f'<span style="color:{layer_color(i)}">━ layer {i + 1}</span>'
            for i in range(self._n_layers)
        ]
        self.key.setText(
            "&nbsp;&nbsp;".join(names), size=text_size(0.9), color=self._colors["foreground"]
        )

    def set_history(
        self, epochs: np.ndarray, weight_norms: np.ndarray, grad_norms: np.ndarray, dead: np.ndarray
    ) -> None:
        """Arrays of shape (n_epochs, n_layers) / (n_epochs, n_hidden)."""
        if weight_norms.ndim != 2:
            return
        if (weight_norms.shape[1], dead.shape[1]) != (
            len(self.weight_curves),
            len(self.dead_curves),
        ):
            self.set_layers(weight_norms.shape[1], dead.shape[1])
        for k, curve in enumerate(self.weight_curves):
            curve.setData(epochs, weight_norms[:, k])
        for k, curve in enumerate(self.grad_curves):
            curve.setData(epochs, grad_norms[:, k])
        for k, curve in enumerate(self.dead_curves):
            curve.setData(epochs, dead[:, k])
        if len(epochs):
            self._x_range.update(np.array([0.0, self._span, epochs[-1]], dtype=float))
            self._weight_range.update(weight_norms.ravel())
            self._grad_range.update(grad_norms.ravel())

    def clear_curves(self) -> None:
        for curve in self.weight_curves + self.grad_curves + self.dead_curves:
            curve.setData([], [])
        self._weight_range.reset()
        self._grad_range.reset()

    def apply_theme(self, _name: str | None = None) -> None:
        self._colors = c = theme_colors()
        self.setBackground(c["background"])
        for plot, title in zip((self.weight_plot, self.grad_plot, self.dead_plot), self.TITLES):
            _style_axes(plot, c)
            plot.setTitle(title, size=text_size(), color=c["foreground"])
            let_title_overhang(plot)
        self._update_key()


class WeightMatricesView(FollowsTextSize, SaveImageMenu, pg.GraphicsLayoutWidget):
    """Every weight matrix as a heat map: row = input neuron, column = output neuron.

    Each matrix gets a symmetric colour range ±max|w| of its own (shown in its title), so
    the pattern inside a small-weight layer stays visible next to a large-weight one.
    """

    picture_name = "the weight matrices"

    def __init__(self, parent=None):
        super().__init__(parent=parent)
        self.setMinimumSize(300, 200)
        self._colors = theme_colors()
        self._cmap = diverging_colormap(self._colors)
        self._lut = self._cmap.getLookupTable(0.0, 1.0, 256)
        self.plots: list[pg.PlotItem] = []
        self.images: list[pg.ImageItem] = []
        self._shapes: list[tuple[int, int]] = []
        self._titles: list[str] = []
        self.apply_theme()

    def _build(self, shapes: list[tuple[int, int]]) -> None:
        self.clear()
        self.plots, self.images, self._titles = [], [], ["" for _ in shapes]
        self._shapes = list(shapes)
        for k, (rows, cols) in enumerate(shapes):
            plot = self.addPlot(row=0, col=k)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            # equal heights, widths by column count: a 2×64 matrix shows two tall bands
            self.ci.layout.setColumnStretchFactor(k, max(cols, 16))
            plot.setPreferredWidth(1)
            let_title_overhang(plot)  # a one-column matrix is narrower than its title
            plot.getViewBox().setMouseEnabled(False, False)
            plot.getViewBox().invertY(True)
            plot.hideAxis("bottom")
            plot.hideAxis("left")
            image = pg.ImageItem(axisOrder="row-major")
            image.setLookupTable(self._lut)
            plot.addItem(image)
            plot.setRange(xRange=(0, cols), yRange=(0, rows), padding=0.02)
            self.plots.append(plot)
            self.images.append(image)
        self.caption = self.addLabel(
            "one cell per weight · row: input · column: neuron<br>blue positive · orange negative",
            row=1,
            col=0,
            colspan=max(len(shapes), 1),
            size=text_size(0.9),
            color=self._colors["muted"],
        )

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Show the matrices (each (fan_in, fan_out))."""
        shapes = [tuple(w.shape) for w in weights]
        if shapes != self._shapes:
            self._build(shapes)
        fg = self._colors["foreground"]
        for k, (w, image, plot) in enumerate(zip(weights, self.images, self.plots)):
            limit = float(np.max(np.abs(w))) if w.size else 1.0
            limit = limit if limit > 0 and np.isfinite(limit) else 1.0
            image.setImage(w, levels=(-limit, limit), autoLevels=False)
            title = f"W{k + 1}  {w.shape[0]}×{w.shape[1]}<br>±{limit:.2g}"
            if title != self._titles[k]:
                self._titles[k] = title
                plot.setTitle(title, size=text_size(0.9), color=fg)

    def apply_theme(self, _name: str | None = None) -> None:
        self._colors = theme_colors()
        self.setBackground(self._colors["background"])
        for k, plot in enumerate(self.plots):
            plot.setTitle(self._titles[k], size=text_size(0.9), color=self._colors["foreground"])


__all__ = [
    "LossPlot",
    "HealthPlots",
    "RunList",
    "WeightMatricesView",
    "layer_color",
    "round_range",
    "run_style",
]
