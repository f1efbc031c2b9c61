"""nncore.neuron_maps: every neuron's activation over the input plane, from one forward pass."""

from __future__ import annotations

import numpy as np
import pytest

from nncore.errors import SettingsError
from nncore.network import Network
from nncore.neuron_maps import layer_scale, neuron_detail, neuron_maps
from nncore.normaliser import Normaliser

DOMAIN = (-10.0, 10.0, -10.0, 10.0)


def _article_parts(seed: int = 3):
    net = Network([2, 64, 64, 64, 1], activations="relu", init="he", seed=seed)
    # a normaliser that really changes the inputs: the maps must be over the original plane
    normaliser = Normaliser([[1.0, -2.0]], [[5.0, 4.0]], [[0.0]], [[1.0]])
    return net, normaliser


def _by_hand(net: Network, x: float, y: float) -> list[np.ndarray]:
    """Each layer's activations at (x, y), computed here without net.forward."""
    a = np.array([(x - 1.0) / 5.0, (y + 2.0) / 4.0])
    layers = []
    for k, (W, b) in enumerate(zip(net.weights, net.biases)):
        z = a @ W + b[0]
        a = np.maximum(z, 0.0) if k < net.n_layers - 1 else z
        layers.append(a)
    return layers


def test_shapes_and_the_mesh_in_original_units():
    net, normaliser = _article_parts()
    maps = neuron_maps(net, normaliser, DOMAIN, grid=24)
    assert [layer.maps.shape for layer in maps.layers] == [(64, 24, 24)] * 3 + [(1, 24, 24)]
    assert [layer.activation for layer in maps.layers] == ["relu"] * 3 + ["linear"]
    assert maps.grid == 24 and maps.xs[0] == -10.0 and maps.ys[-1] == 10.0
    assert [layer.dead.shape for layer in maps.layers] == [(64,)] * 3 + [(1,)]


@pytest.mark.parametrize("row, col", [(0, 0), (5, 17), (23, 23), (12, 3)])
def test_every_layer_matches_a_forward_pass_by_hand(row, col):
    net, normaliser = _article_parts()
    maps = neuron_maps(net, normaliser, DOMAIN, grid=24)
    x, y = maps.xs[col], maps.ys[row]  # the map is indexed [row = y, column = x]
    for layer, expected in zip(maps.layers, _by_hand(net, x, y)):
        np.testing.assert_allclose(layer.maps[:, row, col], expected, rtol=1e-12, atol=1e-12)


def test_the_scale_is_shared_by_the_layer_and_not_set_by_one_strong_neuron():
    net, normaliser = _article_parts()
    for layer in neuron_maps(net, normaliser, DOMAIN, grid=16).layers:
        peaks = np.max(np.abs(layer.maps), axis=(1, 2))
        assert layer.limit == pytest.approx(np.percentile(peaks, 90))
    maps = np.ones((20, 3, 3))
    maps[4, 1, 1] = -50.0  # one neuron peaks far above the others
    assert layer_scale(maps) == 1.0
    silent = np.zeros((20, 2, 2))
    silent[3, 0, 0] = 3.0  # one neuron of twenty fires, at one point
    assert layer_scale(silent) == 3.0
    assert layer_scale(np.zeros((3, 4, 4))) == 1.0
    broken = np.ones((2, 2, 2))
    broken[0, 0, 0] = np.nan
    broken[1, 0, 0] = np.inf
    assert layer_scale(broken) == 1.0


def test_a_neuron_negative_over_the_whole_plane_is_dead_and_others_are_not():
    net = Network([2, 3, 2, 1], activations="relu", seed=0)
    net.set_weights(0, [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    # neuron 0 fires for x > 0; neuron 1 ignores x and y and has bias −1: dead everywhere;
    # neuron 2 fires for y > 5 only: alive, but on a small part of the plane
    net.set_biases(0, [0.0, -1.0, -5.0])
    net.set_weights(1, [[1.0, -1.0], [0.0, 0.0], [1.0, -1.0]])
    net.set_biases(1, [0.0, -0.5])  # layer 2, neuron 1: −(x⁺ + (y−5)⁺) − 0.5 < 0: dead
    maps = neuron_maps(net, Normaliser.identity(2, 1), DOMAIN, grid=24)
    assert maps.layers[0].dead.tolist() == [False, True, False]
    assert maps.layers[1].dead.tolist() == [False, True]
    assert maps.layers[0].n_dead == 1
    assert not maps.layers[-1].dead.any()  # the output layer is never called dead
    assert np.all(maps.layers[0].maps[1] == 0.0)


def test_other_activations_have_no_dead_neurons():
    net = Network([2, 4, 1], activations="tanh", seed=0)
    net.set_biases(0, [-50.0] * 4)  # saturated, but tanh's slope is never exactly 0
    maps = neuron_maps(net, Normaliser.identity(2, 1), DOMAIN, grid=8)
    assert not maps.layers[0].dead.any()


def test_a_classifier_gives_one_map_per_class():
    net = Network([2, 8, 3], activations=["relu", "softmax"], loss="cross_entropy", seed=1)
    maps = neuron_maps(net, Normaliser.identity(2, 1), DOMAIN, grid=10)
    probabilities = maps.layers[-1].maps  # (3, 10, 10)
    assert probabilities.shape == (3, 10, 10)
    np.testing.assert_allclose(probabilities.sum(axis=0), 1.0)


def test_the_detail_of_one_neuron():
    net, normaliser = _article_parts()
    detail = neuron_detail(net, normaliser, 1, 7, (2.5, -3.0))
    np.testing.assert_array_equal(detail.weights, net.weights[1][:, 7])
    assert detail.weights.shape == (64,)
    assert detail.bias == net.biases[1][0, 7]
    assert detail.value == pytest.approx(_by_hand(net, 2.5, -3.0)[1][7], rel=1e-12, abs=1e-12)
    first = neuron_detail(net, normaliser, 0, 0, (0.0, 0.0))
    assert first.weights.shape == (2,)  # from the inputs x and y


def test_refusals_say_what_is_wrong():
    net, normaliser = _article_parts()
    with pytest.raises(SettingsError, match="x_lo < x_hi"):
        neuron_maps(net, normaliser, (1.0, 1.0, 0.0, 2.0))
    with pytest.raises(SettingsError, match="grid"):
        neuron_maps(net, normaliser, DOMAIN, grid=1)
    with pytest.raises(SettingsError, match="neuron"):
        neuron_detail(net, normaliser, 0, 64, (0.0, 0.0))
    with pytest.raises(SettingsError, match="layer"):
        neuron_detail(net, normaliser, 4, 0, (0.0, 0.0))
    with pytest.raises(SettingsError, match="two inputs"):
        neuron_maps(Network([3, 2, 1]), Normaliser.identity(3, 1), DOMAIN)
