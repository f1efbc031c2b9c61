"""Activation functions, each with the derivative backpropagation needs.

An `Activation` pairs the function `f(z)` with `df(z, a)`, the elementwise derivative
da/dz, given both the weighted sum `z` and the already computed output `a = f(z)` (sigmoid
and tanh are cheapest from `a`, ReLU from `z`). Backpropagation multiplies the error by
`df(z, a)`. Every function keeps the dtype of its input, so a float32 network stays float32;
ReLU's derivative is the boolean mask `z > 0` itself ("ReLU acts like a weight of 1 or 0"):
multiplying by True or False is multiplying by 1.0 or 0.0, without a converted copy.
`can_die` says whether a unit can get stuck passing no gradient at all (ReLU: a sum ≤ 0 on
every sample gives output 0 and slope 0; leaky ReLU's slope is never 0).

`ACTIVATIONS` holds the elementwise ones, which any layer may use (the app's menus list
them). Softmax is different: each output depends on every sum of its layer,
p_j = e^(z_j) / Σ_k e^(z_k), so it has no elementwise slope and belongs only on a classifier's
output layer, with the cross-entropy loss, whose error signal p − y needs no slope at all (see
`nncore.network`). It lives apart, in `OUTPUT_ACTIVATIONS`, looked up by
`get_output_activation`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import SettingsError

LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray, np.ndarray], np.ndarray]
    description: str
    can_die: bool = False
    elementwise: bool = True  # False for softmax: its df is not a slope (never called)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def _relu(z):
    return np.maximum(z, 0)


def _relu_df(z, a):
    # "ReLU acts like a weight of 1 or 0": the derivative is the mask of active neurons.
    return z > 0


def _leaky(z):
    return np.where(z > 0, z, z * z.dtype.type(LEAKY_SLOPE))


def _leaky_df(z, a):
    one = z.dtype.type(1)
    return np.where(z > 0, one, z.dtype.type(LEAKY_SLOPE))


def _sigmoid(z):
    # Split by sign so that exp never overflows: for z < 0 use e^z / (1 + e^z).
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1 + ez)
    return out


def _sigmoid_df(z, a):
    return a * (1 - a)


def _tanh_df(z, a):
    return 1 - a * a


def _linear(z):
    return z


def _linear_df(z, a):
    return np.ones_like(z)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "relu", _relu, _relu_df, "max(0, z): zero below zero, identity above", can_die=True
        ),
        Activation("leaky_relu", _leaky, _leaky_df, f"z above zero, {LEAKY_SLOPE}·z below"),
        Activation("sigmoid", _sigmoid, _sigmoid_df, "1 / (1 + e^(−z)), squashes into (0, 1)"),
        Activation("tanh", np.tanh, _tanh_df, "tanh(z), squashes into (−1, 1)"),
        Activation("linear", _linear, _linear_df, "z unchanged (no activation)"),
    )
}


def _softmax(z):
    # Subtracting each row's largest sum first changes nothing (the factor e^(−max) cancels
    # between numerator and denominator) and keeps every exponent ≤ 0: no overflow, whatever
    # the sums, and the largest term is exactly e^0 = 1, so the denominator is never 0.
    shifted = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)


def _softmax_df(z, a):
    raise SettingsError(
        "softmax has no elementwise slope; use it with loss='cross_entropy', whose output "
        "error p − y needs none"
    )


SOFTMAX = Activation(
    "softmax",
    _softmax,
    _softmax_df,
    "e^(z_j) / Σ_k e^(z_k): probabilities over the classes, summing to 1",
    elementwise=False,
)

# Output-only activations: a classifier's last layer (with loss="cross_entropy").
OUTPUT_ACTIVATIONS: dict[str, Activation] = {SOFTMAX.name: SOFTMAX}


def _key(name) -> str:
    key = str(name).strip().lower().replace("-", "_")
    return "linear" if key in ("identity", "none") else key


def get_activation(name: str | Activation) -> Activation:
    """Look an elementwise activation up by name ('relu', 'leaky_relu', 'sigmoid', 'tanh',
    'linear'); softmax is refused with the reason (see `get_output_activation`)."""
    if isinstance(name, Activation):
        if not name.elementwise:
            raise SettingsError(_output_only(name.name))
        return name
    key = _key(name)
    if key in OUTPUT_ACTIVATIONS:
        raise SettingsError(_output_only(key))
    if key not in ACTIVATIONS:
        known = ", ".join(ACTIVATIONS)
        raise SettingsError(f"unknown activation {name!r}; choose one of: {known}")
    return ACTIVATIONS[key]


def _output_only(name: str) -> str:
    return (
        f"{name} is not elementwise (each output depends on the whole layer), so it can only "
        f"be the output layer's activation: Network(sizes, activations=[..., '{name}'], "
        f"loss='cross_entropy')"
    )


def get_output_activation(name: str | Activation) -> Activation:
    """An output layer's activation: any of `ACTIVATIONS`, or 'softmax'."""
    if isinstance(name, Activation):
        return name
    key = _key(name)
    if key in OUTPUT_ACTIVATIONS:
        return OUTPUT_ACTIVATIONS[key]
    if key not in ACTIVATIONS:
        known = ", ".join([*ACTIVATIONS, *OUTPUT_ACTIVATIONS])
        raise SettingsError(f"unknown output activation {name!r}; choose one of: {known}")
    return ACTIVATIONS[key]
