"""The small loss-slice plot under the inspector: why the update goes the way it goes.

When a weight or bias is inspected, it draws the loss against that one parameter (the
others fixed), a dot at the current value, the tangent whose slope is the gradient that
backpropagation found, and an arrow to w − lr·g with the loss after the step. "The gradient
points uphill, so we step the other way" becomes visible, and so does the overshoot of a
too-large learning rate. It draws a `app.step.slice_view.SliceView` and computes nothing.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSize

from app import theme as app_theme
from app.pictures import SaveImageMenu
from app.step.slice_view import SliceView
from app.widgets.contour_view import size_axis_labels


class LossSlicePlot(SaveImageMenu, pg.PlotWidget):
    """Loss against one parameter: curve, current point, tangent, step and where it lands."""

    picture_name = "the loss along the inspected parameter"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Loss against the inspected parameter")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        plot = self.getPlotItem()
        plot.setLabel("left", "loss")
        plot.showGrid(x=True, y=True, alpha=0.25)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).enableAutoSIPrefix(False)
        self.curve = self.plot([], [])
        self.tangent = self.plot([], [])
        self.step_line = self.plot([], [])
        self.now_dot = self.plot([], [], symbol="o", symbolSize=9, pen=None)
        self.after_dot = self.plot([], [], symbol="t1", symbolSize=10, pen=None)
        self.data: SliceView | None = None
        self.apply_theme()
        app_theme.theme.changed.connect(self.apply_theme)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 9)

    def show_slice(self, data: SliceView | None) -> None:
        """Draw `data` (None clears)."""
        self.data = data
        if data is None:
            for item in (self.curve, self.tangent, self.step_line, self.now_dot, self.after_dot):
                item.setData([], [])
            return
        self.getPlotItem().setLabel("bottom", data.name)
        self.curve.setData(data.values, data.losses, connect="finite")
        self.now_dot.setData([data.current], [data.loss_now])
        self.getPlotItem().setLabel("left", data.loss_name)
        if data.tangent is None:
            self.tangent.setData([], [])
        else:
            self.tangent.setData(*data.tangent)
        if data.stepped is not None and data.loss_after is not None and data.slope is not None:
            self.step_line.setData([data.current, data.stepped], [data.loss_now, data.loss_now])
            self.after_dot.setData([data.stepped], [data.loss_after])
        else:
            self.step_line.setData([], [])
            self.after_dot.setData([], [])
        # The tangent may leave the curve's range: keep the view on the curve.
        self.getPlotItem().enableAutoRange(enable=False)
        self.setXRange(float(data.values[0]), float(data.values[-1]), padding=0.04)
        low, high = float(min(data.losses)), float(max(data.losses))
        self.setYRange(min(0.0, low), high if high > low else low + 1.0, padding=0.08)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        changed = event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange)
        plot = getattr(self, "plotItem", None)  # None while being built and once closed
        if changed and plot is not None:
            size_axis_labels(plot, ("left", "bottom"))  # View ▸ Text size

    def apply_theme(self, *_):
        c = app_theme.colors()
        self.setBackground(c["background"])
        size_axis_labels(self.getPlotItem(), ("left", "bottom"))
        for axis in ("left", "bottom"):
            ax = self.getPlotItem().getAxis(axis)
            ax.setPen(c["muted"])
            ax.setTextPen(c["foreground"])
        self.curve.setPen(pg.mkPen(c["positive"], width=2))
        self.tangent.setPen(pg.mkPen(c["backward"], width=2, style=pg.QtCore.Qt.DashLine))
        self.step_line.setPen(pg.mkPen(c["highlight"], width=2))
        self.now_dot.setSymbolBrush(c["foreground"])
        self.now_dot.setSymbolPen(c["foreground"])
        self.after_dot.setSymbolBrush(c["highlight"])
        self.after_dot.setSymbolPen(c["highlight"])
