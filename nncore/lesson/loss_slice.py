"""Why this way? The loss as a function of one parameter, the others held where they are.

`loss_slice(lesson, key)` moves one weight `(layer, i, j)` or one bias `("bias", layer, j)`
of the network the lesson started with across a range around its value, keeps every other
parameter fixed, and works out the loss of the lesson's own example(s) at each point:

    values  -> losses                  the curve (a cut through the loss landscape)
    current, current_loss              where the parameter is now
    gradient                           the lesson's backprop gradient ∂L/∂parameter
    tangent(xs)                        the line through the current point with that slope
    step_to, loss_after_step           where the update w − lr·g lands, and the loss there

The loss is L = (1/m) Σ ½‖ŷ − y‖², the one backpropagation differentiates (see
`nncore.network`), so the tangent's slope *is* the lesson's gradient: "the gradient points
uphill, so we step the other way" can be seen, and so can a learning rate so large that the
step jumps past the bottom. For one output this L is half the MSE the loss steps show. A
classifier's L is the mean cross-entropy its loss steps show, (1/m) Σ −ln p(true class),
computed as `Network.loss` does (from the output sums), so the slope is again the gradient.

Only the lesson's public parts are read (`network`, `X`, `Y`, `lr`, `steps`); nothing in it
is changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..checks import number, whole
from ..losses import half_mse
from ..network import Network
from .examples import LessonError

__all__ = ["CLASSIFIER_LOSS_NAME", "LossSlice", "loss_slice", "LOSS_NAME", "MAX_POINTS"]

LOSS_NAME = "½ MSE"  # what `losses` are, for a plot's axis
CLASSIFIER_LOSS_NAME = "cross-entropy"  # the same for a classifier's lesson
MAX_POINTS = 10_001


@dataclass(frozen=True)
class LossSlice:
    """The loss along one parameter, with the lesson's gradient and update on it.

    `values` (n,) and `losses` (n,) are the curve; `name` is the parameter as the lesson
    writes it (w(x₁→h₁), b(h₁)).
    """

    key: tuple
    name: str
    values: np.ndarray
    losses: np.ndarray
    current: float
    current_loss: float
    gradient: float
    lr: float
    step_to: float
    loss_after_step: float
    loss_name: str = LOSS_NAME

    def tangent(self, xs) -> np.ndarray:
        """The tangent line at the current value: current_loss + gradient × (x − current)."""
        xs = np.asarray(xs, dtype=np.float64)
        return self.current_loss + self.gradient * (xs - self.current)


def loss_slice(lesson, key, span: float | None = None, n: int = 101) -> LossSlice:
    """The loss of `lesson`'s example(s) as one parameter moves, the others fixed.

    `key`: a weight (layer, i, j), i.e. weights[layer][i, j], or a bias ("bias", layer, j).
    `span`: how far either side of the current value the curve goes (by default far enough
    to show the update's step with room beyond it, and at least 1). `n`: points on it (odd
    numbers put the current value exactly in the middle).
    """
    net = getattr(lesson, "network", None)
    if not isinstance(net, Network) or not hasattr(lesson, "steps"):
        raise TypeError(f"a loss slice needs a Lesson; got {type(lesson).__name__}")
    layer, i, j, is_bias = _parse_key(key, net.sizes)
    n = whole(n, "the number of points", 3, MAX_POINTS, error=LessonError)
    key = ("bias", layer, j) if is_bias else (layer, i, j)
    gradient = _lesson_gradient(lesson, key)
    lr = float(lesson.lr)
    start = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    current = float(start[1][layer][0, j] if is_bias else start[0][layer][i, j])
    step_to = current - lr * gradient
    if span is None:
        span = max(1.0, 1.5 * abs(lr * gradient))
    span = number(span, "the span", 0.0, low_open=True, error=LessonError)
    values = np.linspace(current - span, current + span, n)  # (n,)
    if n % 2 == 1:
        values[n // 2] = current  # exactly, not up to linspace's rounding

    probe = net.copy()

    def loss_at(v: float) -> float:
        probe.weights[layer][...] = start[0][layer]
        probe.biases[layer][...] = start[1][layer]
        if is_bias:
            probe.biases[layer][0, j] = v
        else:
            probe.weights[layer][i, j] = v
        with np.errstate(over="ignore", invalid="ignore"):  # a far point may overflow: inf
            if probe.is_classifier:
                return probe.loss(lesson.X, lesson.Y)  # Y: the one-hot (or 0/1) rows
            return half_mse(probe.forward(lesson.X).output, lesson.Y)

    losses = np.array([loss_at(float(v)) for v in values])  # (n,)
    name = lesson.names.bias(layer, j) if is_bias else lesson.names.weight(layer, i, j)
    return LossSlice(
        key=key,
        name=name,
        values=values,
        losses=losses,
        current=current,
        current_loss=loss_at(current),
        gradient=gradient,
        lr=lr,
        step_to=step_to,
        loss_after_step=loss_at(step_to),
        loss_name=CLASSIFIER_LOSS_NAME if net.is_classifier else LOSS_NAME,
    )


def _parse_key(key, sizes) -> tuple[int, int, int, bool]:
    """(layer, i, j, is_bias) from (layer, i, j) or ("bias", layer, j), checked against sizes."""
    if not isinstance(key, tuple) or len(key) != 3:
        raise TypeError(f"a parameter key is (layer, i, j) or ('bias', layer, j); got {key!r}")
    n_layers = len(sizes) - 1
    if key[0] == "bias":
        layer = whole(key[1], "the layer", 0, n_layers - 1, error=LessonError)
        j = whole(key[2], "the neuron", 0, sizes[layer + 1] - 1, error=LessonError)
        return layer, 0, j, True
    layer = whole(key[0], "the layer", 0, n_layers - 1, error=LessonError)
    i = whole(key[1], "the input index i", 0, sizes[layer] - 1, error=LessonError)
    j = whole(key[2], "the neuron index j", 0, sizes[layer + 1] - 1, error=LessonError)
    return layer, i, j, False


def _lesson_gradient(lesson, key: tuple) -> float:
    """The gradient the lesson's backward pass computed for `key` (its gradient step)."""
    for step in lesson.steps:
        if step.kind == "weight_grad" and key[0] != "bias" and step.edges[0] == key:
            return step.value
        if (
            step.kind == "bias_grad"
            and key[0] == "bias"
            and (step.layer, step.neuron) == (key[1], key[2])
        ):
            return step.value
    raise LessonError(f"the lesson has no gradient step for {key!r}")  # pragma: no cover
