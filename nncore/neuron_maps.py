"""Neuron maps: what every neuron of a two-input network responds to, over the input plane.

A network of two inputs (x, y) turns every point of the plane into one activation per
neuron. Drawn as a small heat map, a neuron's activations show what it has learnt to
detect: a ReLU neuron in the first layer is a half-plane (zero on one side of a line, a
ramp on the other); deeper neurons combine those lines into bends, wedges and bumps; the
output's map is the prediction itself.

One forward pass over a coarse `grid` × `grid` mesh of the domain gives every neuron's map
at once, because `Network.forward` records every layer's activations (`ForwardRecord.a`).
The mesh is laid out in ORIGINAL units (e.g. [−10, 10]²) and normalised before the pass,
exactly as the network's training inputs were (`Normaliser.transform_x`), so the maps are
over the plane the student sees on the prediction map.

- `neuron_maps(network, normaliser, domain, grid)` returns a `NeuronMaps`: per layer, the
  activations as (neurons, grid, grid) indexed [neuron, row = y, column = x], a symmetric
  colour scale ±limit shared by the layer (so brightness compares across its neurons), and
  which neurons are dead on the mesh. The limit is not the layer's largest |a| but the 90th
  percentile of its neurons' peaks (`layer_scale`): in a trained 64-wide layer the
  strongest neuron peaks three to four times higher than the typical one, and a scale set
  by it alone left most thumbnails near-white. The few neurons above it saturate.
- `neuron_detail(network, normaliser, layer, neuron, point)` returns one neuron's incoming
  weights, its bias and its exact activation at a point (in original units).

"Dead on the mesh": a neuron of a hidden ReLU layer whose weighted sum z is ≤ 0 at every
mesh point, so its activation is exactly 0 over the whole plane drawn and no gradient can
reach it from any point there. It is the definition of `Network.dead_fraction`, applied to
the mesh instead of the training points (the training points lie inside the domain, so a
neuron dead on the mesh is dead on them too, unless a point falls between mesh lines where
the neuron just fires). Neurons of other activations (leaky ReLU, tanh, sigmoid, the output
layer) are never called dead: their slope is never exactly 0.

Values are the network's own (normalised) activations: the output layer of a regressor is
its prediction in normalised units (its map has the prediction's shape), a classifier's
output maps are its class probabilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import checks
from .errors import SettingsError
from .network import Network
from .normaliser import Normaliser

SCALE_PERCENTILE = 90.0  # a layer's colour scale: this percentile of its neurons' peaks
DEFAULT_GRID = 24  # mesh points per side: 576 points, enough for a thumbnail's shape
MAX_GRID = 200  # 40,000 points: the pass stays a few milliseconds for a 64-wide network


@dataclass(frozen=True)
class LayerMaps:
    """One layer's maps. `maps` is (neurons, grid, grid) [neuron, row = y, column = x]."""

    layer: int  # 0-based: 0 is the first hidden layer, the last is the output layer
    activation: str  # its activation's name, e.g. "relu"
    maps: np.ndarray
    limit: float  # the layer's colour scale is −limit … +limit (> 0, finite)
    dead: np.ndarray  # (neurons,) bool: dead on the mesh (see the module docstring)

    @property
    def n_neurons(self) -> int:
        return int(self.maps.shape[0])

    @property
    def n_dead(self) -> int:
        return int(np.count_nonzero(self.dead))


@dataclass(frozen=True)
class NeuronMaps:
    """Every layer's maps over one mesh: `xs` (grid,) are its columns' x, `ys` its rows' y."""

    xs: np.ndarray
    ys: np.ndarray
    layers: tuple[LayerMaps, ...]

    @property
    def grid(self) -> int:
        return int(self.xs.shape[0])


@dataclass(frozen=True)
class NeuronDetail:
    """One neuron: its incoming weights (fan_in,), its bias and its activation at `point`."""

    layer: int
    neuron: int
    weights: np.ndarray
    bias: float
    point: tuple[float, float]  # (x, y) in original units
    value: float


def _domain(domain: Sequence[float]) -> tuple[float, float, float, float]:
    if len(domain) != 4:
        raise SettingsError(f"the domain is (x_lo, x_hi, y_lo, y_hi); got {len(domain)} numbers")
    x_lo, x_hi, y_lo, y_hi = (checks.number(v, "a domain bound") for v in domain)
    if not (x_lo < x_hi and y_lo < y_hi):
        raise SettingsError(
            f"the domain needs x_lo < x_hi and y_lo < y_hi; got ({x_lo}, {x_hi}, {y_lo}, {y_hi})"
        )
    return x_lo, x_hi, y_lo, y_hi


def _check_inputs(network: Network, normaliser: Normaliser) -> None:
    if network.n_inputs != 2 or normaliser.n_inputs != 2:
        raise SettingsError(
            "neuron maps are drawn over the (x, y) plane: the network and its normaliser "
            f"need two inputs; they have {network.n_inputs} and {normaliser.n_inputs}"
        )


def layer_scale(maps: np.ndarray, percentile: float = SCALE_PERCENTILE) -> float:
    """The colour scale ±limit shared by a layer's maps (neurons, ...): the `percentile` of
    its neurons' peaks (each neuron's largest |value|), so that the few strongest neurons
    saturate instead of washing all the others out; the largest peak when that is 0 (a
    layer almost all dead), and 1.0 when every value is 0 or none is finite."""
    values = maps.reshape(maps.shape[0], -1)  # (neurons, points)
    # max and −min instead of max(|a|): two passes over the values and no copy of them
    peaks = np.maximum(np.max(values, axis=1), -np.min(values, axis=1))  # (neurons,)
    if not np.all(np.isfinite(peaks)):  # a NaN or an infinity somewhere: leave those out
        finite = np.isfinite(values)
        peaks = np.max(np.where(finite, np.abs(values), 0.0), axis=1)
    limit = float(np.percentile(peaks, percentile))
    if limit <= 0.0:
        limit = float(np.max(peaks))
    return limit if limit > 0.0 else 1.0


def neuron_maps(
    network: Network,
    normaliser: Normaliser,
    domain: Sequence[float],
    grid: int = DEFAULT_GRID,
) -> NeuronMaps:
    """Every neuron's activation over a `grid` × `grid` mesh of `domain` = (x_lo, x_hi,
    y_lo, y_hi), in original units; one forward pass (see the module docstring)."""
    _check_inputs(network, normaliser)
    x_lo, x_hi, y_lo, y_hi = _domain(domain)
    g = checks.whole(grid, "the neuron maps' grid", 2, MAX_GRID)
    xs = np.linspace(x_lo, x_hi, g)
    ys = np.linspace(y_lo, y_hi, g)
    X, Y = np.meshgrid(xs, ys)  # (g, g): x varies along columns, y along rows
    points = np.column_stack((X.ravel(), Y.ravel()))  # (g², 2), row k = (xs[k % g], ys[k // g])
    record = network.forward(normaliser.transform_x(points))  # the network sees z-scores
    can_die = set(network.dying_layers())
    layers = []
    for i in range(network.n_layers):
        a = record.a[i + 1]  # (g², neurons)
        maps = np.ascontiguousarray(a.T).reshape(a.shape[1], g, g)  # (neurons, g, g)
        if i in can_die:
            dead = np.all(record.z[i] <= 0, axis=0)  # (neurons,): z ≤ 0 at every mesh point
        else:
            dead = np.zeros(a.shape[1], dtype=bool)
        layers.append(LayerMaps(i, network.activations[i].name, maps, layer_scale(maps), dead))
    return NeuronMaps(xs, ys, tuple(layers))


def neuron_detail(
    network: Network,
    normaliser: Normaliser,
    layer: int,
    neuron: int,
    point: Sequence[float],
) -> NeuronDetail:
    """Neuron `neuron` of layer `layer` (0-based, the output layer is the last): its incoming
    weights (one per neuron of the layer below, or per input x, y for the first layer), its
    bias, and its activation at `point` = (x, y) in original units."""
    _check_inputs(network, normaliser)
    i = checks.whole(layer, "the layer", 0, network.n_layers - 1)
    j = checks.whole(neuron, "the neuron", 0, network.sizes[i + 1] - 1)
    if len(point) != 2:
        raise SettingsError(f"a point is (x, y); got {len(point)} numbers")
    x, y = (checks.number(v, "a point's coordinate") for v in point)
    record = network.forward(normaliser.transform_x([[x, y]]))
    return NeuronDetail(
        layer=i,
        neuron=j,
        weights=network.weights[i][:, j].copy(),  # column j: what flows into neuron j
        bias=float(network.biases[i][0, j]),
        point=(x, y),
        value=float(record.a[i + 1][0, j]),
    )


__all__ = [
    "DEFAULT_GRID",
    "MAX_GRID",
    "LayerMaps",
    "NeuronMaps",
    "NeuronDetail",
    "neuron_maps",
    "neuron_detail",
    "layer_scale",
    "SCALE_PERCENTILE",
]
