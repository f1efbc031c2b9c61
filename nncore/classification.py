"""Measuring a classifier: accuracy, the confusion matrix, and labels turned into classes.

A classifier (`Network(..., loss="cross_entropy")`) answers with probabilities; its chosen
class for a point is the most probable one (`Network.predict_classes`). How good those
choices are is counted here:

- `accuracy`: the share of points whose chosen class is the true one.
- `confusion_matrix`: a k × k table of counts, row = the true class, column = the chosen
  one; the diagonal holds the right answers, every other cell one particular mistake
  ("class 2 taken for class 0, 14 times").
- `decision_map`: a classifier's answer on many points (a map's grid): per point the chosen
  class, its probability, every class's probability, and each class's margin (its
  probability minus the largest other one: positive inside the class's region, zero on
  its boundary), which is all a picture of the decision regions needs.
- `row_shares`: a confusion matrix's counts as shares of each true class (rows sum to 1).
- `label_indices`: labels as a data file holds them (numbers or names such as "cat") turned
  into class indices 0 … k − 1, with the class names in the order of their indices.

Nothing here needs Qt; the Train tab and the command line show these numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import DataError, SettingsError
from .losses import class_indices

__all__ = [
    "DecisionMap",
    "accuracy",
    "confusion_matrix",
    "decision_map",
    "default_class_names",
    "label_indices",
    "row_shares",
]


def default_class_names(k: int) -> tuple[str, ...]:
    """("class 0", "class 1", ...): names for classes that have none."""
    return tuple(f"class {c}" for c in range(k))


def _classes(network, X, y) -> tuple[np.ndarray, np.ndarray]:
    if not getattr(network, "is_classifier", False):
        raise SettingsError("this needs a classifier: a network with loss='cross_entropy'")
    true = class_indices(y, network.n_classes)
    chosen = network.predict_classes(X)
    if len(true) != len(chosen):
        raise DataError(f"{len(chosen)} inputs but {len(true)} labels")
    return true, chosen


def accuracy(network, X, y) -> float:
    """The share (0 … 1) of the rows of X whose most probable class is their label in y
    (class indices or one-hot rows)."""
    true, chosen = _classes(network, X, y)
    return float(np.mean(true == chosen)) if len(true) else 0.0


def confusion_matrix(network, X, y) -> np.ndarray:
    """Counts (k, k) of int: entry [t, c] is how many rows of true class t were put in
    class c. Rows sum to each class's number of points; the trace counts the right answers."""
    true, chosen = _classes(network, X, y)
    k = network.n_classes
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (true, chosen), 1)
    return counts


def row_shares(counts) -> np.ndarray:
    """A confusion matrix's counts (k, k) as shares of each row (each true class), float
    (k, k); a class with no points gets a row of zeros."""
    counts = np.asarray(counts, dtype=np.float64)
    totals = counts.sum(axis=1, keepdims=True)  # (k, 1)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)


@dataclass(frozen=True)
class DecisionMap:
    """A classifier's answers on n points (see `decision_map`).

    `chosen` (n,) int: the most probable class; `confidence` (n,): its probability;
    `probabilities` (n, k): every class's (rows sum to 1); `margins` (n, k): each class's
    probability minus the largest of the others, > 0 exactly where that class is chosen,
    0 on its boundary. On a grid, `reshaped(rows, cols)` gives the same arrays as images.
    """

    chosen: np.ndarray
    confidence: np.ndarray
    probabilities: np.ndarray
    margins: np.ndarray

    @property
    def n_classes(self) -> int:
        return int(self.probabilities.shape[-1])

    def reshaped(self, rows: int, cols: int) -> DecisionMap:
        """The same map as (rows, cols[, k]) images, row-major like the points."""
        k = self.n_classes
        return DecisionMap(
            self.chosen.reshape(rows, cols),
            self.confidence.reshape(rows, cols),
            self.probabilities.reshape(rows, cols, k),
            self.margins.reshape(rows, cols, k),
        )


def decision_map(probabilities) -> DecisionMap:
    """The decision map of a classifier's probabilities on n points, as `Network.predict`
    gives them: (n, k) for a softmax output, or (n, 1), the probability of class 1, for one
    sigmoid output (taken as the two classes 1 − p and p).

    The chosen class is the most probable one, as in `Network.predict_classes` (a tie goes
    to the lower class; for one sigmoid output class 1 needs p > ½).
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] == 0:
        raise DataError(f"probabilities must have shape (n, k); got {p.shape}")
    if p.shape[1] == 1:  # one sigmoid output: p is class 1's probability
        p = np.column_stack((1.0 - p[:, 0], p[:, 0]))  # (n, 2)
    k = p.shape[1]
    chosen = np.argmax(p, axis=1).astype(np.intp)  # (n,)
    confidence = p[np.arange(len(p)), chosen]  # (n,)
    # The largest probability among the other classes, for each class: the best overall,
    # except for the chosen class itself, whose rival is the second best.
    order = np.sort(p, axis=1)  # (n, k) ascending
    best, second = order[:, -1:], order[:, -2:-1]  # (n, 1) each; k >= 2 here
    rival = np.where(np.arange(k)[None, :] == chosen[:, None], second, best)  # (n, k)
    return DecisionMap(chosen, confidence, p, p - rival)


def label_indices(labels: Sequence) -> tuple[np.ndarray, tuple[str, ...]]:
    """(indices (n,) int, class names): labels as read from a file turned into classes.

    Whole numbers 0 … k − 1 stay as they are (names "class 0", ...); any other labels
    (names, or numbers that are not 0 … k − 1) are sorted and numbered in that order, and
    keep their text as the class names. At least two classes are needed.
    """
    values = list(labels)
    if not values:
        raise DataError("no labels given")
    as_numbers = _whole_numbers(values)
    if as_numbers is not None and set(as_numbers.tolist()) == set(range(as_numbers.max() + 1)):
        k = int(as_numbers.max()) + 1
        if k < 2:
            raise DataError("the labels name only one class; a classifier needs at least two")
        return as_numbers, default_class_names(k)
    texts = [str(v).strip() for v in values]
    names = sorted(set(texts), key=_sort_key)
    if len(names) < 2:
        raise DataError(f"the labels name only one class ({names[0]!r}); a classifier needs two")
    index = {name: i for i, name in enumerate(names)}
    return np.array([index[t] for t in texts], dtype=np.intp), tuple(names)


def _whole_numbers(values: list) -> np.ndarray | None:
    try:
        arr = np.array([float(v) for v in values])
    except (TypeError, ValueError):
        return None
    if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)) or arr.min() < 0:
        return None
    return arr.astype(np.intp)


def _sort_key(text: str) -> tuple[int, float, str]:
    """Numbers in numeric order first, then names alphabetically."""
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)
