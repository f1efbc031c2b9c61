"""Loss and fit measures.

Training follows the article: the gradient is that of L = (1/m) Σ ½‖prediction − target‖²
(half the mean squared error), which makes the output's error signal simply
prediction − target. What users see is the plain mean squared error, mean((pred − y)²),
the number the article prints, and R², the share of the target's variance explained.
"""

from __future__ import annotations

import numpy as np

from .errors import DataError


def as_targets(y, n_outputs: int, dtype=None) -> np.ndarray:
    """Targets as a (n, n_outputs) array; a flat vector is accepted for one output."""
    y = np.asarray(y, dtype=dtype)
    if y.ndim == 1 and n_outputs == 1:
        y = y.reshape(-1, 1)
    elif y.ndim == 0:
        y = y.reshape(1, 1)
    if y.ndim != 2 or y.shape[1] != n_outputs:
        raise DataError(f"targets must have shape (n, {n_outputs}); got {np.shape(y)}")
    return y


def mse(pred, y) -> float:
    """Plain mean squared error over every sample and output (the article's printed loss)."""
    pred = np.asarray(pred)
    y = as_targets(y, pred.shape[1] if pred.ndim == 2 else 1).reshape(pred.shape)
    diff = pred - y
    return float(np.mean(diff * diff))


def half_mse(pred, y) -> float:
    """The loss whose gradient backpropagation computes: (1/m) Σ ½‖pred − y‖²."""
    pred = np.asarray(pred)
    y = np.asarray(y).reshape(pred.shape)
    diff = pred - y
    return float(0.5 * np.sum(diff * diff) / pred.shape[0])


def r2(pred, y) -> float:
    """Coefficient of determination, 1 − SS_res / SS_tot, pooled over all outputs.

    1 is a perfect fit, 0 is no better than predicting the mean. A constant target has no
    variance to explain: R² is 1 when the fit is exact and 0 otherwise.
    """
    pred = np.asarray(pred, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(pred.shape)
    ss_res = float(np.sum((pred - y) ** 2))
    ss_tot = float(np.sum((y - y.mean(axis=0)) ** 2))
    if ss_tot == 0.0:
        return 1.0 if ss_res == 0.0 else 0.0
    return 1.0 - ss_res / ss_tot
