"""Numerical gradients, to check backpropagation's answer for one weight, bias or neuron.

Backpropagation finds every gradient at once with the chain rule. A slower, independent way
is to nudge one parameter up and down by a tiny h, run the network forward each time and
see how the loss moves: the central difference (L(p + h) − L(p − h)) / 2h. When the two
agree to several digits, the chain rule was applied correctly.

The loss is the one the lesson's gradients belong to, L = (1/m) Σ ½‖prediction − target‖²
(`nncore.losses.half_mse`), or for a classifier the mean cross-entropy (`Network.loss`).
Every evaluation runs the network forward on a copy of it; the original is never touched.

The Step through tab shows this number beside backpropagation's when a student clicks a
weight, a bias or a neuron.
"""

from __future__ import annotations

from nncore.losses import half_mse

DEFAULT_STEP = 1e-6


def _loss(network, X, Y) -> float:
    if network.is_classifier:
        return network.loss(X, Y)  # (1/m) Σ −log p(true class), the gradient's own loss
    return half_mse(network.predict(X), Y)


def numerical_gradient(network, X, Y, key, h: float = DEFAULT_STEP) -> float:
    """∂L/∂(item) by a central difference.

    `key` is ("edge", layer, i, j) for a weight, ("bias", layer, j) for a bias, or
    ("node", column, j) for a neuron's weighted sum z (column ≥ 1): nudging z by h is the
    same as nudging the neuron's bias by h, so for one example the neuron's error signal
    δ = ∂L/∂z equals this number (for a batch it is the batch average).
    Raises ValueError for an input node: inputs are data, not something the network learns.
    """
    kind = key[0]
    plus, minus = network.copy(), network.copy()
    if kind == "edge":
        _, layer, i, j = key
        value = float(network.weights[layer][i, j])
        plus.set_weight(layer, i, j, value + h)
        minus.set_weight(layer, i, j, value - h)
    elif kind in ("bias", "node"):
        if kind == "node":
            column, j = key[1], key[2]
            if column == 0:
                raise ValueError("inputs are data, not learned: they have no gradient step")
            layer = column - 1
        else:
            _, layer, j = key
        value = float(network.biases[layer][0, j])
        plus.set_bias(layer, j, value + h)
        minus.set_bias(layer, j, value - h)
    else:
        raise ValueError(f"no gradient for {key!r}")
    return (_loss(plus, X, Y) - _loss(minus, X, Y)) / (2 * h)
