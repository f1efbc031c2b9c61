"""The loss slice as the tab draws it, without Qt: the loss against one weight or bias.

`Lesson.loss_slice(key, ...)` (nncore) gives the loss as a function of one parameter with
the others fixed. `SliceView` is what the small plot under the inspector needs from it:
the curve, the current value and loss, the slope backpropagation found (once the student
has reached it), the step to w − lr·g and the loss there. `tangent()` is the one piece of
drawing geometry: the straight line through the current point with that slope, across the
plotted range (a line to draw, not a number about the network). `caption()` says it in
words, with the numbers formatted by `nncore.formatting.fmt`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore.formatting import fmt


@dataclass(frozen=True)
class SliceView:
    """One parameter's loss slice, ready to plot (every number from the lesson)."""

    name: str  # "w(x₁→h₁)"
    values: np.ndarray  # (n,) parameter values across the slice
    losses: np.ndarray  # (n,) the loss at each
    current: float  # the parameter now
    loss_now: float  # the loss now
    lr: float
    slope: float | None = None  # ∂L/∂w by backpropagation; None until it is computed
    stepped: float | None = None  # w − lr·g, the value after the update
    loss_after: float | None = None  # the loss at `stepped`, the others fixed

    def tangent(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Two points of the tangent at the current value, at the ends of the range."""
        if self.slope is None or not len(self.values):
            return None
        xs = np.array([self.values[0], self.values[-1]], dtype=float)  # (2,)
        return xs, self.loss_now + self.slope * (xs - self.current)  # (2,)

    def caption(self) -> str:
        """One or two sentences under the plot, with the numbers in."""
        text = f"Loss against {self.name}, the others fixed: now {fmt(self.loss_now)}."
        if self.slope is None:
            return text + " Step into the backward pass for the slope (the gradient)."
        direction = "uphill to the right" if self.slope > 0 else "uphill to the left"
        if self.slope == 0:
            return text + " The slope is 0: the update leaves it where it is."
        text += f" Slope {fmt(self.slope)} ({direction}), so the update steps the other way"
        if self.stepped is not None and self.loss_after is not None:
            text += f": to {fmt(self.stepped)}, loss {fmt(self.loss_after)}."
        else:
            text += "."
        return text


SLICE_SPAN = 1.0  # the plot covers the parameter ± this much (and the step, if farther)
SLICE_POINTS = 81


def _grad_key(key):
    """The lesson state's gradient key for an item key ("edge"/"bias" tuples)."""
    if key[0] == "edge":
        return tuple(key[1:])
    return ("bias", *key[1:])


def _first(obj, *names):
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    raise AttributeError(f"{type(obj).__name__} has none of {names}")


def slice_view_for(lesson, position: int, key) -> SliceView | None:
    """The loss slice of a weight or bias at `position`, from `lesson.loss_slice`.

    The slope and the step appear once the student has reached the parameter's gradient
    (so the plot gives away nothing Predict mode is about to ask). None for other items,
    or a lesson without the engine's loss slice.
    """
    if key is None or key[0] not in ("edge", "bias") or not hasattr(lesson, "loss_slice"):
        return None
    if key[0] == "edge":
        name = lesson.names.weight(*key[1:])
    else:
        name = lesson.names.bias(*key[1:])
    data = lesson.loss_slice(key, span=SLICE_SPAN, n=SLICE_POINTS)
    known = _grad_key(key) in lesson.state_at(position).grads
    values = np.asarray(_first(data, "values", "xs", "params"), dtype=float)  # (n,)
    losses = np.asarray(_first(data, "losses", "ys", "loss_values"), dtype=float)  # (n,)
    return SliceView(
        name=name,
        values=values,
        losses=losses,
        current=float(_first(data, "current", "value", "w")),
        loss_now=float(_first(data, "loss_now", "loss", "current_loss")),
        lr=float(lesson.lr),
        slope=float(_first(data, "gradient", "slope", "grad")) if known else None,
        stepped=float(_first(data, "stepped", "new_value", "after")) if known else None,
        loss_after=float(_first(data, "loss_after", "new_loss", "stepped_loss")) if known else None,
    )
