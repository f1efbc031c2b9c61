"""The Step tab's two plots offer "Save image…" and follow View ▸ Text size."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from app.pictures import SAVE_IMAGE_TEXT, save_picture
from app.step.loss_chart import LossChart
from app.step.slice_plot import LossSlicePlot


@pytest.mark.parametrize("plot_class", [LossChart, LossSlicePlot])
def test_the_step_plots_save_pictures_and_follow_the_text_size(qtbot, tmp_path, plot_class):
    plot = plot_class()
    qtbot.addWidget(plot)
    plot.resize(300, 200)
    texts = [a.text() for a in plot.picture_menu().actions()]
    assert SAVE_IMAGE_TEXT in texts
    save_picture(plot, str(tmp_path / "plot.png"))
    assert (tmp_path / "plot.png").stat().st_size > 0
    app = QApplication.instance()
    before = app.font()
    axis = plot.getPlotItem().getAxis("left")
    try:
        big = QFont(before)
        big.setPointSizeF(before.pointSizeF() * 2)
        app.setFont(big)
        QApplication.sendPostedEvents()
        plot.apply_theme()
        assert axis.labelStyle["font-size"] == f"{big.pointSizeF():.1f}pt"
    finally:
        app.setFont(before)


def test_the_loss_chart_grows_with_the_text_so_its_labels_stay_apart(qtbot):
    chart = LossChart()
    qtbot.addWidget(chart)
    app = QApplication.instance()
    before = app.font()
    normal = chart.minimumHeight()
    try:
        big = QFont(before)
        big.setPointSizeF(before.pointSizeF() * 2)
        app.setFont(big)
        QApplication.sendPostedEvents()
        assert chart.minimumHeight() >= 6 * chart.fontMetrics().lineSpacing() > normal
    finally:
        app.setFont(before)
        QApplication.sendPostedEvents()
    assert chart.minimumHeight() == normal
