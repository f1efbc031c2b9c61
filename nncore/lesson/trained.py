"""A lesson on a network trained elsewhere: one more iteration of it, on one training point.

The Train tab (or a notebook) trains a network on normalised data: the network never sees
the raw inputs and targets, only their z-scores (`nncore.normaliser`). A lesson on that network
must therefore be given the point the way the network saw it, or its numbers would not be the
numbers training computed. `lesson_from_trained` does that translation and nothing else; the
`Lesson` it returns is an ordinary one, stepped and checked like every other.

Only small networks can be read step by step: `step_through_problem` says in words why a
network does not fit (the same limits as the Step tab's own network, `CUSTOM_LIMITS`), or
returns None when it does. `point_losses` says which training point the network gets most
wrong (the most instructive one to take apart) and `prediction_at` what it predicts at a point,
in the units the student knows.
"""

from __future__ import annotations

import numpy as np

from ..formatting import fmt
from ..network import Network
from ..normaliser import Normaliser
from .engine import Lesson
from .examples import VALUE_LIMIT, LessonError
from .presets import CUSTOM_LIMITS


def step_through_problem(network: Network) -> str | None:
    """Why `network` cannot be opened in Step through (a sentence), or None if it can."""
    sizes = network.sizes
    n_hidden = len(sizes) - 2
    lo, hi = CUSTOM_LIMITS["hidden"]
    most_layers = CUSTOM_LIMITS["hidden_layers"][1]
    limits = f"at most {most_layers} hidden layers of {lo} to {hi} neurons, e.g. 2-6-6-1"
    if n_hidden > most_layers or any(not lo <= h <= hi for h in sizes[1:-1]):
        return f"Step through draws {limits}; this network is {network.architecture}"
    lo, hi = CUSTOM_LIMITS["inputs"]
    if not lo <= sizes[0] <= hi:
        return f"Step through takes {lo} to {hi} inputs; this network has {sizes[0]}"
    lo, hi = CUSTOM_LIMITS["outputs"]
    if not lo <= sizes[-1] <= hi:
        return f"Step through takes {lo} to {hi} outputs; this network has {sizes[-1]}"
    largest = max(float(np.max(np.abs(p))) for p in (*network.weights, *network.biases))
    if not np.isfinite(largest) or largest > VALUE_LIMIT:
        return (
            f"a weight or bias of this network is {fmt(largest)}, beyond the ±{fmt(VALUE_LIMIT)} "
            "a lesson works with (the run diverged?)"
        )
    return None


def point_losses(network: Network, normaliser: Normaliser, X, y) -> np.ndarray:
    """Each point's loss as training measured it, shape (n,): the squared error of the
    normalised prediction, or a classifier's −log p(true class)."""
    X_seen = normaliser.transform_x(np.asarray(X, dtype=np.float64))
    p = network.predict(X_seen).astype(np.float64)  # (n, n_outputs)
    if not network.is_classifier:
        y_seen = normaliser.transform_y(np.asarray(y, dtype=np.float64).reshape(len(p), -1))
        return np.mean((p - y_seen) ** 2, axis=1)
    classes = np.asarray(y).reshape(-1).astype(np.int64)  # (n,)
    if p.shape[1] == 1:  # one sigmoid output: the probability of class 1
        p = np.hstack([1.0 - p, p])
    tiny = np.finfo(np.float64).tiny  # a probability of 0 is a loss of 708, not infinity
    return -np.log(np.maximum(p[np.arange(len(p)), classes], tiny))


def prediction_at(network: Network, normaliser: Normaliser, x) -> np.ndarray:
    """What `network` predicts at the point `x` (original units): the prediction in the
    target's units, or a classifier's probability for each class. Shape (n_outputs,), or
    (2,) for one sigmoid output."""
    x_seen = normaliser.transform_x(np.asarray(x, dtype=np.float64).reshape(1, -1))
    p = network.predict(x_seen).astype(np.float64)
    if not network.is_classifier:
        return normaliser.inverse_y(p)[0]
    return np.array([1.0 - p[0, 0], p[0, 0]]) if p.shape[1] == 1 else p[0]


def lesson_from_trained(
    network: Network,
    normaliser: Normaliser,
    x,
    target,
    lr: float,
    title: str = "",
) -> Lesson:
    """One iteration of `network` on the point `x` with `target`, both in original units.

    The inputs are normalised as training normalised them; so is a regression target. A
    classifier's target is a class and stays one. The lesson takes one plain gradient-descent
    step with `lr`, whatever optimiser trained the network. Raises LessonError (a ValueError)
    with `step_through_problem`'s words when the network is too large to read step by step.
    """
    problem = step_through_problem(network)
    if problem is not None:
        raise LessonError(problem)
    x_seen = normaliser.transform_x(np.asarray(x, dtype=np.float64).reshape(1, -1))[0]
    if network.is_classifier:
        target_seen = np.asarray(target).reshape(-1)
    else:
        y = np.asarray(target, dtype=np.float64).reshape(1, -1)
        target_seen = normaliser.transform_y(y)[0]
    return Lesson(
        network.astype("float64"),
        x_seen.tolist(),
        target_seen.tolist(),
        lr,
        title=title or f"Your trained {network.architecture} network",
    )
