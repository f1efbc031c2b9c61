"""Tests for the live views: contour maps, loss curve, layer health and weight matrices."""

from __future__ import annotations

import numpy as np
import pytest

from app.widgets.marching_squares import nice_levels


def kept(epochs, train, val=None, slot=0, name="run", visible=True):
    """An earlier run as LossPlot.show_runs takes it (app.train.run_names.KeptRun's fields)."""
    from types import SimpleNamespace

    n = len(epochs)
    nan = np.full(n, np.nan)
    return SimpleNamespace(
        epochs=np.asarray(epochs, dtype=float),
        train=np.asarray(train, dtype=float),
        val=nan if val is None else np.asarray(val, dtype=float),
        train_acc=nan,
        val_acc=nan,
        slot=slot,
        name=name,
        visible=visible,
    )


def test_contour_view_draws_image_lines_and_reads_values(qtbot):
    from app.widgets.contour_view import ContourView

    view = ContourView("test")
    qtbot.addWidget(view)
    xs = np.linspace(-10, 10, 100)
    ys = np.linspace(-10, 10, 100)
    X, Y = np.meshgrid(xs, ys)
    Z = X + 2 * Y
    view.set_grid(xs, ys)
    view.set_values(Z, (-30, 30), nice_levels(-30, 30, 6))
    assert view.contour_point_count() > 0
    assert view.image.image.shape == (100, 100)
    # the value under a point is the grid value there: row = y, column = x
    assert view.value_at(xs[10], ys[70]) == pytest.approx(xs[10] + 2 * ys[70])
    assert view.value_at(50.0, 0.0) is None
    view.clear_values("nothing")
    assert view.value_at(0.0, 0.0) is None and view.contour_point_count() == 0


def test_loss_plot_draws_earlier_runs_behind_the_current_one_each_in_its_own_look(qtbot):
    from app.widgets.plots import LossPlot, run_style

    plot = LossPlot()
    qtbot.addWidget(plot)
    epochs = np.arange(1, 51)
    plot.set_history(epochs, 1.0 / epochs, np.full(50, np.nan), np.full(50, 1e-3))
    assert not plot.has_previous()
    runs = [kept(epochs, k / epochs, 1.1 * k / epochs, slot=k) for k in range(3)]
    plot.show_runs(runs)
    assert plot.has_previous()
    assert plot.run_curve_count() == 6  # training and validation of each
    pens = {(c.opts["pen"].color().name(), c.opts["pen"].style()) for c in plot._run_curves}
    assert len(pens) == 6  # every curve tells its run (colour) and its kind (dash) apart
    assert {run_style(k) for k in range(8)} == {run_style(k) for k in range(8)} and len(
        {run_style(k) for k in range(8)}
    ) == 8
    current = plot.train.opts["pen"].widthF()
    assert all(c.opts["pen"].widthF() < current for c in plot._run_curves)  # current strongest
    runs[1].visible = False
    plot.show_runs(runs)
    assert plot.run_curve_count() == 4
    plot.clear_previous()
    assert not plot.has_previous()


def test_health_and_weight_views_take_arrays(qtbot):
    from app.widgets.plots import HealthPlots, WeightMatricesView

    health = HealthPlots()
    qtbot.addWidget(health)
    epochs = np.arange(1, 11)
    health.set_history(epochs, np.ones((10, 4)), np.full((10, 4), 0.1), np.zeros((10, 3)))
    assert len(health.weight_curves) == 4 and len(health.dead_curves) == 3
    weights = WeightMatricesView()
    qtbot.addWidget(weights)
    mats = [np.ones((2, 8)), -np.ones((8, 8)), np.arange(8.0).reshape(8, 1)]
    weights.set_weights(mats)
    assert [img.image.shape for img in weights.images] == [(2, 8), (8, 8), (8, 1)]


def test_loss_plot_axes_hold_both_runs_also_on_a_log_epoch_axis(qtbot):
    from app.widgets.plots import LossPlot

    plot = LossPlot()
    qtbot.addWidget(plot)
    long_run = np.arange(1, 2001)
    plot.set_span(2000)
    plot.show_runs([kept(long_run, 10.0 / long_run)])
    plot.set_span(100)
    short = np.arange(1, 101)
    plot.set_history(short, 0.5 / short, 0.6 / short, np.linspace(4e-3, 0, 100))
    (x0, x1), (y0, y1) = plot.plot.getViewBox().viewRange()
    assert x0 <= 0 and x1 >= 2000  # both runs fit
    assert y0 <= np.log10(0.005) and y1 >= np.log10(10.0)  # log10 units, whole decades
    assert y0 > -3.2 and y1 < 1.2  # 0.001 … 10, padded a little
    plot.set_log_epochs(True)
    (x0, x1), _ = plot.plot.getViewBox().viewRange()
    assert x0 <= 0 and x1 >= np.log10(2000)  # epoch 1 … 2000 on a log axis
    lr_x, _ = plot.lr_curve.getData()
    assert np.allclose(lr_x, np.log10(short))  # the learning rate follows the axis


def test_titles_legend_and_axis_labels_follow_the_application_font(qtbot):
    """View ▸ Text size changes the application font; pyqtgraph's fixed sizes follow it."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from app.widgets.plots import HealthPlots, LossPlot

    loss, health = LossPlot(), HealthPlots()
    for widget in (loss, health):
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
    normal = QFont(QApplication.font())
    larger = QFont(normal)
    larger.setPointSizeF(normal.pointSizeF() * 2)
    try:
        QApplication.setFont(larger)
        points = f"{larger.pointSizeF():.1f}pt"
        # A top-level widget hears of the application font through a posted event.
        qtbot.waitUntil(lambda: loss.plot.getAxis("bottom").labelStyle["font-size"] == points)
        assert loss.key.opts["size"] == f"{larger.pointSizeF() * 0.9:.1f}pt"
        qtbot.waitUntil(lambda: health.weight_plot.titleLabel.opts["size"] == points)
    finally:
        QApplication.setFont(normal)


def _shown_loss_plot(qtbot, width=345, height=260):
    from app.widgets.plots import LossPlot

    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(width, height)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def test_the_loss_key_stays_whole_and_clear_of_the_curves_with_a_previous_run(qtbot):
    """A narrow loss plot after Reset: the key must not lose its left part (and with it
    the swatches) nor cover the curves; the earlier runs are named in the list below."""
    plot = _shown_loss_plot(qtbot)
    epochs = np.arange(1, 41, dtype=float)
    losses = 10.0 / epochs
    plot.show_runs([kept(epochs, losses, losses * 1.1, name="article, lr 0.001")])
    plot.set_history(epochs, losses / 2, losses / 2, np.full(40, 0.001))
    qtbot.waitUntil(lambda: plot.key.sceneBoundingRect().height() > 0)
    key = plot.key.sceneBoundingRect()
    drawing = plot.plot.getViewBox().sceneBoundingRect()
    assert key.left() >= 0 and key.top() >= 0  # nothing of it is cut off
    assert not key.intersects(drawing)  # above the curves, not on them
    text = plot.key_text()
    for name in ("this run", "training MSE", "validation MSE", "learning rate"):
        assert name in text
    assert plot.key.text.count("━") >= 2 * 2  # a swatch (coloured line) for every loss curve


def test_an_emptied_loss_plot_forgets_a_diverged_runs_range(qtbot):
    plot = _shown_loss_plot(qtbot)
    epochs = np.arange(1, 4, dtype=float)
    plot.set_history(epochs, np.array([1.0, 1e12, 1e25]), None, np.full(3, 10.0))
    assert plot.plot.getViewBox().viewRange()[1][1] > 24  # log10 units: up to 1e25
    plot.clear_current()  # "Start again" after the run diverged: an empty chart
    _low, high = plot.plot.getViewBox().viewRange()[1]
    assert high < 2  # back to the fresh plot's 1 … 10


@pytest.mark.parametrize("size", [(300, 450), (600, 300)])
def test_a_contour_map_keeps_its_square_domain_square_and_as_large_as_fits(qtbot, size):
    """The maps were drawn portrait (the square [−10, 10]² as 166 × 316 px)."""
    from app.widgets.contour_view import ContourView

    view = ContourView("test", bar_label="z")
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    xs = np.linspace(-10, 10, 100)
    view.set_grid(xs, xs)
    view.set_values(np.add.outer(xs, xs), (-20, 20), [0.0])
    box = view.plot.getViewBox()
    qtbot.waitUntil(lambda: abs(box.width() - box.height()) <= 1.5)
    # as large as the room allows: the short side of the room is used whole
    left, top, _right, _bottom = view.ci.layout.getContentsMargins()
    assert min(left, top) == pytest.approx(9.0)  # no margin added on the limiting side
    assert box.width() > 0.4 * min(size)


def test_the_run_list_names_each_run_with_its_swatch_and_toggles_and_clears(qtbot):
    from app.widgets.plots import RunList

    runs = [kept([1, 2], [1, 0.5], name=f"lr {r}", slot=k) for k, r in enumerate((0.1, 1))]
    box = RunList()
    qtbot.addWidget(box)
    box.set_runs(runs, "1 older run dropped")
    assert box.names() == ["lr 0.1", "lr 1"]
    assert all(not b.icon().isNull() for b in box.boxes)
    assert box.note.text() == "1 older run dropped"
    with qtbot.waitSignal(box.toggled) as toggled:
        box.boxes[1].click()
    assert toggled.args == [1]
    with qtbot.waitSignal(box.clear_requested):
        box.clear_button.click()
    box.set_runs([])
    assert box.names() == [] and box.isHidden()
