"""Activation functions, each with the derivative backpropagation needs.

An `Activation` pairs the function `f(z)` with `df(z, a)`, the elementwise derivative
da/dz, given both the weighted sum `z` and the already computed output `a = f(z)` (sigmoid
and tanh are cheapest from `a`, ReLU from `z`). Backpropagation multiplies the error by
`df(z, a)`. Every function keeps the dtype of its input, so a float32 network stays float32;
ReLU's derivative is the boolean mask `z > 0` itself ("ReLU acts like a weight of 1 or 0"):
multiplying by True or False is multiplying by 1.0 or 0.0, without a converted copy.
`can_die` says whether a unit can get stuck passing no gradient at all (ReLU: a sum ≤ 0 on
every sample gives output 0 and slope 0; leaky ReLU's slope is never 0).
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


def get_activation(name: str | Activation) -> Activation:
    """Look an activation up by name ('relu', 'leaky_relu', 'sigmoid', 'tanh', 'linear')."""
    if isinstance(name, Activation):
        return name
    key = str(name).strip().lower().replace("-", "_")
    if key in ("identity", "none"):
        key = "linear"
    if key not in ACTIVATIONS:
        known = ", ".join(ACTIVATIONS)
        raise SettingsError(f"unknown activation {name!r}; choose one of: {known}")
    return ACTIVATIONS[key]
