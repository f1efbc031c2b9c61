"""Tests for views that take their arithmetic done elsewhere (off the GUI thread): contour
lines and decision boundaries (`ContourView`), coloured thumbnails (`NeuronMapsView`)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from app.widgets.marching_squares import contour_segments, nice_levels, region_boundaries

XS = np.linspace(-10, 10, 50)
YS = np.linspace(-10, 10, 40)
X, Y = np.meshgrid(XS, YS)
ONE_SEGMENT = (np.array([-5.0, 5.0]), np.array([0.0, 1.0]))  # unlike any contour here


def _map(qtbot):
    from app.widgets.contour_view import ContourView

    view = ContourView("test")
    qtbot.addWidget(view)
    view.set_grid(XS, YS)
    return view


def test_a_map_draws_the_contour_lines_it_is_handed_and_finds_them_without(qtbot):
    view = _map(qtbot)
    Z = X + 2 * Y
    levels = nice_levels(-30, 30, 6)
    view.set_values(Z, (-30, 30), levels, contours=ONE_SEGMENT)
    px, py = view.contours.getData()
    assert np.array_equal(px, ONE_SEGMENT[0]) and np.array_equal(py, ONE_SEGMENT[1])
    assert view.value_at(XS[3], YS[5]) == Z[5, 3]  # the values are the map's as ever
    view.set_values(Z, (-30, 30), levels)
    px, _py = view.contours.getData()
    assert np.array_equal(px, contour_segments(Z, XS, YS, levels)[0])


def test_a_decision_map_draws_the_boundary_it_is_handed_and_finds_it_without(qtbot):
    view = _map(qtbot)
    margins = np.stack([X - Y, Y - X], axis=-1)
    chosen = (margins[..., 1] > margins[..., 0]).astype(int)
    probabilities = np.stack([chosen == 0, chosen == 1], axis=-1).astype(float)
    confidence = probabilities.max(axis=-1)
    view.set_regions(chosen, confidence, probabilities, margins, boundary=ONE_SEGMENT)
    px, _py = view.boundary.getData()
    assert np.array_equal(px, ONE_SEGMENT[0])
    view.set_regions(chosen, confidence, probabilities, margins)
    px, _py = view.boundary.getData()
    assert np.array_equal(px, region_boundaries(margins, XS, YS)[0]) and px.size > 0


def _maps_view(qtbot):
    from app.widgets.neuron_maps import NeuronMapsView
    from nncore.network import Network
    from nncore.neuron_maps import neuron_maps
    from nncore.normaliser import Normaliser

    net = Network([2, 8, 4, 1], activations="relu", init="he", seed=5)
    maps = neuron_maps(net, Normaliser.identity(2, 1), (-10, 10, -10, 10), 12)
    view = NeuronMapsView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)
    return view, maps


def test_the_neuron_maps_draw_the_thumbnails_they_are_handed(qtbot):
    from app.widgets.neuron_maps_layout import colour_layers

    view, maps = _maps_view(qtbot)
    lut, dead = view.colour_table()
    coloured = colour_layers(maps, lut, dead)
    view.set_maps(maps)  # coloured here: the same pixels as colour_layers
    assert all(np.array_equal(a, b) for a, b in zip(view._pixels, coloured))
    flat = [np.full_like(image, 0xFF112233) for image in coloured]
    view.set_maps(maps, flat)
    picture = view.grab().toImage()
    for layer in range(len(maps.layers)):
        centre = view.tile_center(layer, 0)
        x, _y, w, _h = view.arrangement().tile_rect(layer, 0)
        # a quarter across, off the diagonals a dead neuron's cross is drawn on
        pixel = picture.pixelColor(int(x + w / 4), int(centre.y()))
        assert pixel == QColor(0x11, 0x22, 0x33), layer


def test_dead_neurons_keep_their_cross_over_the_thumbnail(qtbot):
    from app.widgets.colormaps import theme_colors

    view, maps = _maps_view(qtbot)
    layers = list(maps.layers)
    dead = layers[0].dead.copy()
    dead[1] = True
    layers[0] = type(layers[0])(**{**vars(layers[0]), "dead": dead})
    maps = type(maps)(**{**vars(maps), "layers": tuple(layers)})
    view.set_maps(maps)
    picture = view.grab().toImage()
    x, y, w, h = view.arrangement().tile_rect(0, 1)
    muted = QColor(theme_colors()["muted"])
    on_cross = picture.pixelColor(x + w // 2, y + h // 2)
    assert on_cross == muted
