"""app.widgets.neuron_maps_layout: where the thumbnails go and their colours, without Qt."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from app.widgets.neuron_maps_layout import (
    GAP,
    arrange,
    colour_indices,
    colour_tiles,
    tile_grid,
)


@pytest.mark.parametrize(
    "n, grid", [(64, (8, 8)), (1, (1, 1)), (3, (2, 2)), (10, (3, 4)), (512, (23, 23))]
)
def test_a_layer_is_a_near_square_block(n, grid):
    assert tile_grid(n) == grid


def test_every_thumbnail_is_found_under_its_own_centre_and_inside_the_view():
    a = arrange([64, 64, 64, 1], 900, 300)
    for layer, n in enumerate([64, 64, 64, 1]):
        for neuron in range(n):
            x, y, w, h = a.tile_rect(layer, neuron)
            assert x >= 0 and x + w <= 900
            assert y >= 0 and y + h <= 300
            assert a.tile_at(x + w / 2, y + h / 2) == (layer, neuron)
    x, y, w, h = a.tile_rect(0, 0)
    assert a.tile_at(x + w + GAP / 2, y + 1) is None  # the gap between two thumbnails
    assert a.tile_at(1, 1) is None


def test_the_output_map_is_as_large_as_a_64_neuron_block():
    a = arrange([64, 64, 64, 1], 900, 300)
    assert a.blocks[3].scale == 8
    assert a.tile_rect(3, 0)[2] == a.block_width(0)


def test_a_tall_view_wraps_the_layers_onto_more_lines_when_the_thumbnails_grow():
    wide = arrange([64, 64, 64, 1], 1200, 300)
    tall = arrange([64, 64, 64, 1], 400, 600)
    assert len({b.y for b in wide.blocks}) == 1  # one line
    assert len({b.y for b in tall.blocks}) == 2
    assert tall.tile > arrange([64, 64, 64, 1], 400, 600 // 4).tile


def test_the_widest_layer_still_fits_a_small_view():
    a = arrange([512, 512, 1], 300, 200)
    assert a.tile >= 4 and a.tile_at(*a.tile_rect(1, 511)[:2]) == (1, 511)


def test_colours_follow_the_symmetric_scale_and_dead_tiles_are_flat():
    assert colour_indices(np.array([-2.0, 0.0, 2.0, 9.0, np.nan]), 2.0).tolist() == [
        0,
        127,
        255,
        255,
        127,
    ]
    lut = np.stack([np.arange(256)] * 3, axis=1).astype(np.uint8)  # grey ramp: index = value
    maps = np.zeros((3, 2, 2))
    maps[0] = [[-1.0, 1.0], [0.0, 0.0]]  # row 0 is the lowest y: drawn at the bottom
    image = colour_tiles(maps, 1.0, lut, np.array([False, True, False]), (9, 9, 9))
    assert image.shape == (4, 4, 3)  # 3 maps tiled 2 × 2, the fourth slot empty
    assert image[:2, :2, 0].tolist() == [[127, 127], [0, 255]]  # turned: high y on top
    assert np.all(image[:2, 2:4] == 9)  # the dead neuron, flat


def test_the_layout_module_loads_no_gui_library():
    code = (
        "import json, sys, app.widgets.neuron_maps_layout, nncore.neuron_maps\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'pyqtgraph'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_colour_layers_colours_every_layer_on_its_own_scale_as_colour_tiles_does():
    from types import SimpleNamespace

    from app.widgets.neuron_maps_layout import colour_layers, packed_lut

    lut = packed_lut(np.stack([np.arange(256)] * 3, axis=1).astype(np.uint8))
    rng = np.random.default_rng(1)
    layers = [
        SimpleNamespace(maps=rng.normal(size=(5, 3, 3)), limit=2.0, dead=np.arange(5) == 1),
        SimpleNamespace(
            maps=np.array([[[np.inf, -np.inf], [np.nan, 0.0]]]), limit=1.0, dead=np.array([False])
        ),
    ]
    images = colour_layers(SimpleNamespace(layers=layers), lut, np.uint32(7))
    for image, layer in zip(images, layers):
        want = colour_tiles(layer.maps, layer.limit, lut, layer.dead, np.uint32(7))
        assert image.dtype == np.uint32 and np.array_equal(image, want)
    assert np.all(images[0][:3, 3:6] == 7)  # the dead neuron
    assert np.all(images[0][3:6, 6:9] == 0)  # the empty slot after the last neuron
    # +inf at the top of the scale, −inf at the bottom, NaN at zero; top row = high y
    assert (images[1] & 0xFF).tolist() == [[127, 127], [255, 0]]
