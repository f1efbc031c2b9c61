"""The loss chart of the "Step through" tab: the loss before each iteration, one point each.

It grows as the student iterates; the axes start at zero so that the drop reads as a share
of the loss, and the iteration axis ticks whole iterations only.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSize

from app import theme as app_theme
from app.pictures import SaveImageMenu
from app.widgets.contour_view import size_axis_labels


class LossChart(SaveImageMenu, pg.PlotWidget):
    """Loss before each iteration (and after the last, once the student gets there)."""

    picture_name = "the loss per iteration"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Loss per iteration chart")
        self._keep_room_for_the_text()
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.getPlotItem().setLabel("bottom", "iterations done")
        self.getPlotItem().setLabel("left", "loss")
        self.getPlotItem().showGrid(x=True, y=True, alpha=0.25)
        for axis in ("left", "bottom"):
            self.getPlotItem().getAxis(axis).enableAutoSIPrefix(False)
        self.curve = self.plot([], [], symbol="o", symbolSize=6)
        self.values: list[float] = []
        self.apply_theme()
        app_theme.theme.changed.connect(self.apply_theme)

    # The plot keeps this many text lines of height: tick labels, the axis title and a few
    # grid lines stay apart at any text size (at 150 % a fixed 120 px squeezed them together).
    MIN_LINES = 6.5

    def _keep_room_for_the_text(self) -> None:
        self.setMinimumHeight(max(120, round(self.fontMetrics().lineSpacing() * self.MIN_LINES)))

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 7)

    def set_loss_name(self, name: str) -> None:
        """The vertical axis's title ("loss", or "loss (cross-entropy)" for a classifier)."""
        plot = self.getPlotItem()
        if plot.getAxis("left").labelText != name:
            plot.setLabel("left", name)
            size_axis_labels(plot, ("left",))

    def set_values(self, values: list[float]) -> None:
        self.values = list(values)
        self.curve.setData(list(range(len(self.values))), self.values, connect="finite")
        # Always start the axes at zero, so the drop reads as a share of the loss.
        finite = [v for v in self.values if math.isfinite(v)]
        top = max(finite) if finite else 1.0
        last = max(4, len(self.values) - 1)
        self.setXRange(0, last, padding=0.05)
        # Whole iterations only: ticks every 1, 2, 5, 10, ... iterations.
        spacing = next(
            s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10**9) if last / s <= 8
        )
        self.getPlotItem().getAxis("bottom").setTickSpacing(major=spacing, minor=spacing)
        self.setYRange(0, top if top > 0 else 1.0, padding=0.08)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        changed = event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange)
        plot = getattr(self, "plotItem", None)  # None while being built and once closed
        if changed and plot is not None:
            size_axis_labels(plot, ("left", "bottom"))  # View ▸ Text size
            self._keep_room_for_the_text()

    def apply_theme(self, *_):
        c = app_theme.colors()
        self.setBackground(c["background"])
        size_axis_labels(self.getPlotItem(), ("left", "bottom"))
        for axis in ("left", "bottom"):
            ax = self.getPlotItem().getAxis(axis)
            ax.setPen(c["muted"])
            ax.setTextPen(c["foreground"])
        self.curve.setPen(pg.mkPen(c["positive"], width=2))
        self.curve.setSymbolBrush(c["positive"])
        self.curve.setSymbolPen(c["positive"])
