"""Loss and fit measures.

Training follows the article: the gradient is that of L = (1/m) Σ ½‖prediction − target‖²
(half the mean squared error), which makes the output's error signal simply
prediction − target. What users see is the plain mean squared error, mean((pred − y)²),
the number the article prints, and R², the share of the target's variance explained.

A classifier (`Network(..., loss="cross_entropy")`, output "softmax" or one "sigmoid")
minimises the mean cross-entropy instead, L = (1/m) Σ −log p(true class): the surprise at the
right answer. Here it is computed from the output layer's weighted sums z (the "logits"), not
from the probabilities, so that it stays finite for any z: log p_j = z_j − log Σ_k e^(z_k),
with the log-sum-exp shifted by the largest z (softmax), and −log σ(z) = log(1 + e^(−z)) by
`np.logaddexp` (sigmoid). Targets are class indices, (n,) or (n, 1), or one-hot rows;
`class_indices` checks and converts them, `target_probabilities` gives the (n, outputs)
rows the output should have produced (one-hot, or the class 0/1 for one sigmoid output).
"""

from __future__ import annotations

import numpy as np

from .errors import DataError

LOSSES = ("mse", "cross_entropy")


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


def class_indices(y, n_classes: int) -> np.ndarray:
    """Class labels as an int array (n,): from indices, (n,) or (n, 1), whole numbers in
    0 … n_classes − 1, or from one-hot rows (n, n_classes). DataError says what is wrong."""
    y = np.asarray(y)
    if y.ndim == 0:
        y = y.reshape(1)
    if y.ndim == 2 and y.shape[1] == n_classes and n_classes > 1 and y.shape[1] != 1:
        return _from_one_hot(y, n_classes)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.reshape(-1)
    if y.ndim != 1:
        raise DataError(
            f"class targets must be indices, shape (n,) or (n, 1), or one-hot rows "
            f"(n, {n_classes}); got shape {y.shape}"
        )
    if y.dtype.kind not in "biuf":
        raise DataError(f"class labels must be numbers 0 to {n_classes - 1}; got {y.dtype} values")
    values = y.astype(np.float64)
    bad = ~(np.isfinite(values) & (values == np.round(values)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"class labels must be whole numbers 0 to {n_classes - 1}; sample {i} is "
            f"{values[i]:g} (turn names into numbers with nncore.classification.label_indices)"
        )
    out = (values < 0) | (values >= n_classes)
    if out.any():
        i = int(np.flatnonzero(out)[0])
        raise DataError(
            f"class labels must be 0 to {n_classes - 1} for a network with {n_classes} "
            f"classes; sample {i} is {values[i]:g} (give the output layer more neurons, or "
            f"renumber the classes)"
        )
    return values.astype(np.intp)


def _from_one_hot(y: np.ndarray, n_classes: int) -> np.ndarray:
    values = np.asarray(y, dtype=np.float64)
    ones = values == 1.0
    rows_ok = (ones | (values == 0.0)).all(axis=1) & (ones.sum(axis=1) == 1)
    if not rows_ok.all():
        i = int(np.flatnonzero(~rows_ok)[0])
        raise DataError(
            f"one-hot targets need exactly one 1 and {n_classes - 1} zeros in each row; "
            f"row {i} is {values[i].tolist()} (or give class indices, shape (n,))"
        )
    return np.argmax(values, axis=1).astype(np.intp)


def target_probabilities(indices: np.ndarray, n_outputs: int, dtype=np.float64) -> np.ndarray:
    """(n, n_outputs): what the output should have said. Softmax (n_outputs ≥ 2): one-hot
    rows; one sigmoid output: the probability of class 1, which is the class itself."""
    if n_outputs == 1:
        return np.asarray(indices, dtype=dtype).reshape(-1, 1)
    return np.eye(n_outputs, dtype=dtype)[indices]


def cross_entropy_terms(z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """−log p(true class) per sample (n,), from the logits z (n, k) and the target rows Y.

    k ≥ 2 (softmax): log Σ_k e^(z_k) − Σ_j Y_j z_j, the log-sum-exp shifted by each row's
    largest z so that no exponent exceeds 0. k = 1 (sigmoid, binary cross-entropy):
    −[y log σ(z) + (1 − y) log(1 − σ(z))] = log(1 + e^z) − y·z, with log(1 + e^z) from
    `np.logaddexp(0, z)`, exact for large |z|.
    """
    z = np.asarray(z, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if z.shape[1] == 1:
        return (np.logaddexp(0.0, z) - Y * z)[:, 0]
    top = np.max(z, axis=1, keepdims=True)  # (n, 1)
    lse = top[:, 0] + np.log(np.sum(np.exp(z - top), axis=1))
    return lse - np.sum(Y * z, axis=1)


def cross_entropy(z, Y) -> float:
    """The mean cross-entropy (1/m) Σ −log p(true class), from logits and target rows."""
    return float(np.mean(cross_entropy_terms(z, Y)))
