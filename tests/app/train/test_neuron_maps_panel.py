"""The Train tab's Neuron maps tab (pytest-qt, offscreen): live maps, dead neurons, one
neuron enlarged, and no computation while the tab is hidden."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from app.train.neuron_maps_panel import MAX_HZ, NeuronMapsPanel
from app.train.session import DataSettings
from app.train.worker import TrainingSnapshot
from app.widgets.colormaps import theme_colors
from nncore import training
from nncore.network import Network
from nncore.neuron_maps import neuron_detail
from nncore.normaliser import Normaliser
from nncore.reports import RunState

SMALL_DATA = DataSettings(function="article", samples=200, seed=3, val_share=0.2)


def small_config(**overrides):
    settings = {"sizes": (2, 16, 16, 1), "batch_size": 32, "epochs": 30, **overrides}
    return training.recipe("modern", **settings)


def _shown_tab(tab, qtbot, neuron_tab: bool):
    tab.resize(1280, 760)
    tab.show()
    qtbot.waitExposed(tab)
    if neuron_tab:
        tab.lower_tabs.setCurrentWidget(tab.views.neuron_maps)
    return tab.views.neuron_maps


def _train_a_while(tab, qtbot, enough):
    """Start an endless run, wait until `enough()` holds while it trains, then stop it."""
    tab.start()
    qtbot.waitUntil(lambda: tab.state == "running" and enough(), timeout=60_000)
    with qtbot.waitSignal(tab.run_finished, timeout=30_000):
        tab.stop()
    qtbot.waitUntil(lambda: tab.state == "finished")


def test_the_maps_follow_a_run_and_are_the_networks_activations(tab, qtbot):
    assert tab.configure(SMALL_DATA, small_config(epochs=1_000_000))
    panel = _shown_tab(tab, qtbot, neuron_tab=True)
    qtbot.waitUntil(lambda: panel.maps is not None)  # the fresh network, before training
    first = panel.computed
    _train_a_while(tab, qtbot, lambda: panel.computed >= first + 3 and len(tab.history) > 5)
    qtbot.waitUntil(lambda: panel.snapshot is tab.last_snapshot)  # the run's end is drawn
    snap = tab.last_snapshot
    net, normaliser = snap.state.network, snap.state.normaliser
    maps = panel.maps
    assert [layer.maps.shape[0] for layer in maps.layers] == [16, 16, 1]
    x_lo, x_hi = tab.prepared.xs[0], tab.prepared.xs[-1]
    assert (maps.xs[0], maps.xs[-1]) == (x_lo, x_hi)  # over the prediction map's plane
    for row, col in [(0, 0), (7, 19), (23, 2)]:
        point = [[maps.xs[col], maps.ys[row]]]
        record = net.forward(normaliser.transform_x(point))
        for k, layer in enumerate(maps.layers):
            # the modern recipe trains in float32: one point and a batch round differently
            np.testing.assert_allclose(
                layer.maps[:, row, col], record.a[k + 1][0], rtol=1e-5, atol=1e-6
            )


def test_a_hidden_neuron_maps_tab_computes_nothing_until_it_is_shown(tab, qtbot):
    assert tab.configure(SMALL_DATA, small_config(epochs=1_000_000))
    panel = _shown_tab(tab, qtbot, neuron_tab=False)  # the layer health is on show
    _train_a_while(tab, qtbot, lambda: len(tab.history) > 20)
    assert panel.computed == 0 and panel.maps is None
    tab.lower_tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.maps is not None)
    assert panel.computed == 1
    assert panel.snapshot is tab.last_snapshot  # the run's last network, not an older one


def _snapshot_with_a_dead_neuron(final: bool = False) -> TrainingSnapshot:
    net = Network([2, 8, 4, 1], activations="relu", init="he", seed=5)
    biases = net.biases[0].ravel().copy()
    biases[3] = -1000.0  # never positive anywhere on the plane: dead
    net.set_biases(0, biases)
    state = RunState(0, 0.01, False, None, None, net, Normaliser.identity(2, 1))
    return TrainingSnapshot(
        run_id=1, reports=[], state=state, total_epochs=1, epochs_per_second=0, final=final
    )


def _panel(qtbot) -> NeuronMapsPanel:
    panel = NeuronMapsPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 320)
    panel.set_domain(np.linspace(-10, 10, 5), np.linspace(-10, 10, 5))
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_snapshot(_snapshot_with_a_dead_neuron())
    return panel


def test_a_dead_neuron_is_a_flat_grey_tile_with_a_cross_and_counted(qtbot):
    panel = _panel(qtbot)
    assert panel.maps.layers[0].dead.tolist() == [False] * 3 + [True] + [False] * 4
    assert panel.view.labels[0][1] == "1 of 8 dead"
    image = panel.view.grab().toImage()
    x, y, w, h = panel.view.arrangement().tile_rect(0, 3)
    colors = theme_colors()
    ratio = panel.view.devicePixelRatioF()
    off_the_cross = QPoint(int((x + w * 0.5) * ratio), int((y + h * 0.15) * ratio))
    on_the_cross = QPoint(int((x + w * 0.5) * ratio), int((y + h * 0.5) * ratio))
    assert image.pixelColor(off_the_cross) == QColor(colors["dim"])
    assert image.pixelColor(on_the_cross) != QColor(colors["dim"])
    panel.view.hovered.emit(0, 3)
    assert "dead" in panel.hover_label.text() and "neuron 4" in panel.hover_label.text()


def test_clicking_a_thumbnail_shows_its_weights_bias_and_value_under_the_mouse(qtbot):
    panel = _panel(qtbot)
    assert panel.detail.isHidden()
    width = panel.view.width()
    centre = panel.view.tile_center(1, 2).toPoint()
    qtbot.mouseClick(panel.view, Qt.MouseButton.LeftButton, pos=centre)
    assert not panel.detail.isHidden() and panel.explanation.isHidden()
    QApplication.processEvents()  # a relayout, if any, happens here: the thumbnails stay
    assert panel.view.width() == width
    snap = panel.snapshot
    net = snap.state.network
    np.testing.assert_array_equal(panel.detail.bars.weights, net.weights[1][:, 2])
    assert "neuron 3" in panel.detail.title.text() and "Layer 2" in panel.detail.title.text()
    assert f"bias {net.biases[1][0, 2]:+.3g}" in panel.detail.weights_caption.text()
    where = panel.detail.map_view.pixel_of(4.0, -6.0).toPoint()
    qtbot.mouseMove(panel.detail.map_view, where)
    qtbot.waitUntil(lambda: panel.detail.map_view.marker is not None and panel._point != (0, 0))
    x, y = panel._point
    assert abs(x - 4.0) < 0.5 and abs(y + 6.0) < 0.5
    value = neuron_detail(net, snap.state.normaliser, 1, 2, (x, y)).value
    assert f"activation {value:.4g}" in panel.detail.value_label.text()
    panel.detail.close_button.click()
    assert panel.detail.isHidden() and panel.view.selected is None
    assert not panel.explanation.isHidden()
    centre = panel.view.tile_center(0, 1).toPoint()
    qtbot.mouseClick(panel.view, Qt.MouseButton.LeftButton, pos=centre)
    assert not panel.detail.isHidden() and panel.view.selected == (0, 1)
    qtbot.mouseClick(panel.view, Qt.MouseButton.LeftButton, pos=centre)  # again: closed
    assert panel.detail.isHidden()


def test_live_snapshots_are_drawn_at_most_max_hz_and_the_last_one_always(qtbot):
    now = [100.0]
    panel = NeuronMapsPanel(clock=lambda: now[0])
    qtbot.addWidget(panel)
    panel.set_domain(np.linspace(-10, 10, 5), np.linspace(-10, 10, 5))
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_snapshot(_snapshot_with_a_dead_neuron())
    assert panel.computed == 1
    now[0] += 0.5 / MAX_HZ
    panel.show_snapshot(_snapshot_with_a_dead_neuron())  # too soon: skipped
    assert panel.computed == 1
    last = _snapshot_with_a_dead_neuron(final=True)
    panel.show_snapshot(last)  # the run's last snapshot: drawn however soon
    assert panel.computed == 2 and panel.snapshot is last
    now[0] += 1.5 / MAX_HZ
    panel.show_snapshot(_snapshot_with_a_dead_neuron())  # due again
    assert panel.computed == 3


def test_an_opened_weight_file_and_a_finished_run_are_shown(tab, qtbot, tmp_path):
    from app.train.tab import TrainTab

    assert tab.configure(SMALL_DATA, small_config(epochs=12))
    panel = _shown_tab(tab, qtbot, neuron_tab=True)
    with qtbot.waitSignal(tab.run_finished, timeout=30_000):
        tab.start()
    qtbot.waitUntil(lambda: panel.snapshot is tab.last_snapshot and tab.last_snapshot.epoch == 12)
    path = tmp_path / "net.npz"
    assert tab.export_weights(str(path)), tab.banner.text()
    other = TrainTab()
    qtbot.addWidget(other)
    try:
        other_panel = _shown_tab(other, qtbot, neuron_tab=True)
        assert other.open_weights(str(path)), other.banner.text()
        qtbot.waitUntil(lambda: other_panel.snapshot is other.last_snapshot is not None)
        opened = other.last_snapshot.state.network
        assert opened.architecture == "2-16-16-1" and other.last_snapshot.epoch == 12
        for mine, theirs in zip(other_panel.maps.layers, panel.maps.layers):
            np.testing.assert_allclose(mine.maps, theirs.maps, rtol=1e-6, atol=1e-6)
    finally:
        other.shutdown()
