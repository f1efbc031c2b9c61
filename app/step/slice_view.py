"""The loss slice as the tab draws it, without Qt: the loss against one weight or bias.

`nncore.lesson.loss_slice` gives the loss as a function of one parameter with the others
fixed, with the gradient backpropagation found and the step w − lr·g. `SliceView` is what
the small plot under the inspector needs from it: the curve, the current value and loss,
the tangent (its points computed by the engine's `LossSlice.tangent`), the step and the
loss after it, the tangent and step only once the student has reached the gradient.
`caption()` says it in words, with the numbers formatted by `nncore.formatting.fmt`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore.formatting import fmt
from nncore.lesson import loss_slice


@dataclass(frozen=True)
class SliceView:
    """One parameter's loss slice, ready to plot (every number from the engine)."""

    name: str  # "w(x₁→h₁)"
    loss_name: str  # what the vertical axis is, e.g. "½ MSE"
    values: np.ndarray  # (n,) parameter values across the slice
    losses: np.ndarray  # (n,) the loss at each
    current: float  # the parameter now
    loss_now: float  # the loss now
    lr: float
    slope: float | None = None  # ∂L/∂w by backpropagation; None until it is reached
    tangent: tuple[np.ndarray, np.ndarray] | None = None  # two points of the tangent
    stepped: float | None = None  # w − lr·g, the value after the update
    loss_after: float | None = None  # the loss at `stepped`, the others fixed

    def caption(self) -> str:
        """One or two sentences under the plot, with the numbers in."""
        text = f"{self.loss_name} against {self.name}, the others fixed: now {fmt(self.loss_now)}."
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


SLICE_POINTS = 101


def engine_key(key) -> tuple:
    """The engine's key for an item key: ("edge", l, i, j) → (l, i, j); a bias stays."""
    return tuple(key[1:]) if key[0] == "edge" else ("bias", *key[1:])


def slice_view_for(lesson, position: int, key) -> SliceView | None:
    """The loss slice of a weight or bias after `position` steps (None for other items).

    The slope, the tangent and the step appear once the student has reached the
    parameter's gradient, so the plot gives away nothing Predict mode is about to ask.
    """
    if key is None or key[0] not in ("edge", "bias"):
        return None
    data = loss_slice(lesson, engine_key(key), n=SLICE_POINTS)
    known = engine_key(key) in lesson.state_at(position).grads
    values = np.asarray(data.values, dtype=float)  # (n,)
    tangent = None
    if known:
        ends = np.array([values[0], values[-1]])  # (2,)
        tangent = (ends, np.asarray(data.tangent(ends), dtype=float))  # (2,), (2,)
    return SliceView(
        name=data.name,
        loss_name=data.loss_name,
        values=values,
        losses=np.asarray(data.losses, dtype=float),  # (n,)
        current=float(data.current),
        loss_now=float(data.current_loss),
        lr=float(data.lr),
        slope=float(data.gradient) if known else None,
        tangent=tangent,
        stepped=float(data.step_to) if known else None,
        loss_after=float(data.loss_after_step) if known else None,
    )
