"""Optimisers and learning-rate schedules: how the computed gradients become weight changes.

Backpropagation tells every parameter which way is downhill (its gradient). An optimiser
decides how far to move:

- `GradientDescent`, the article's rule: every parameter moves against its own gradient,
  scaled by the learning rate, `p ← p − lr·g`, once all gradients have been computed.
- `Momentum` keeps a running "velocity" of past gradients, `v ← β·v + g`, and moves by
  `lr·v`; steady slopes speed up, zig-zags cancel out.
- `Adam` keeps running averages of the gradient (m) and of its square (v), corrects their
  start-up bias, and moves each parameter by `lr·m̂ / (√v̂ + ε)`: roughly `lr` per step
  whatever the gradient's scale.

Optimisers follow joelnet's shape: `step(params, grads, lr)` updates the parameter arrays in
place (the lists come from `Network.parameters()` and `Gradients.as_list()`, in the same
order) and keeps its own state for each parameter position. Arithmetic stays in the
parameters' dtype: a float32 network is never silently promoted to float64.

A schedule is a callable `lr_at(epoch) -> float` (epochs counted from 0): `ConstantLR`,
`StepDecay` (multiply by `gamma` every `every` epochs) and `CosineAnnealing` (an optional
linear warm-up, then a half cosine down to `min_lr`). A schedule refuses settings that make
no sense (a rate above MAX_LEARNING_RATE, a "decay" that grows) and answers for any epoch,
however large, with a finite rate: it never overflows.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence

import numpy as np

from .checks import number, whole
from .errors import SettingsError

OPTIMIZERS = ("gd", "momentum", "adam")
SCHEDULES = ("constant", "step", "cosine")

# The largest learning rate anything accepts. Useful rates are below 1; rates up to a million
# are still accepted so that a learner can watch a run diverge (the training run stops it and
# says why), but beyond that the numbers only test how floating point overflows.
MAX_LEARNING_RATE = 1e6


def _count(value, what: str, minimum: int) -> int:
    """A whole number >= minimum (epochs, a step length), via nncore.checks."""
    checked = whole(value, what, minimum)
    assert checked is not None  # None is only accepted with allow_none
    return checked


def _real(value, what: str, low: float = 0.0, low_open: bool = False) -> float:
    """A finite number >= low (> low with low_open), via nncore.checks."""
    checked = number(value, what, low, low_open=low_open)
    assert checked is not None
    return checked


def _positive(value, what: str) -> float:
    """A finite number above zero (a learning rate, eps, gamma)."""
    return _real(value, what, low_open=True)


def learning_rate(value, what: str = "the learning rate") -> float:
    """A learning rate: a finite number above 0 and at most MAX_LEARNING_RATE."""
    checked = number(value, what, 0.0, MAX_LEARNING_RATE, low_open=True)
    assert checked is not None
    return checked


def _fraction(value, what: str) -> float:
    """A finite number from 0 up to, but not including, 1 (a decay rate such as beta)."""
    x = _real(value, what)
    if x >= 1.0:
        raise SettingsError(f"{what} must be at least 0 and below 1; got {value!r}")
    return x


# ---- optimisers ---------------------------------------------------------------------------


class Optimizer:
    """Base class: checks the (param, grad) lists and owns per-parameter state.

    Subclasses implement `_update(index, param, grad, lr)`. State is created lazily, with
    each parameter's shape and dtype, the first time that parameter position is seen.
    """

    name = "optimizer"

    def __init__(self):
        self.steps = 0  # updates made since creation or reset()
        self._shapes: list[tuple] | None = None

    def reset(self) -> None:
        """Forget all state (velocities, moment estimates, step count)."""
        self.steps = 0
        self._shapes = None
        self._reset_state()

    def _reset_state(self) -> None:
        pass

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray], lr: float) -> None:
        """Move every parameter using its gradient; `params` are changed in place."""
        if not (type(lr) is float and 0.0 <= lr <= MAX_LEARNING_RATE):  # the common case
            checked = number(lr, "the learning rate", 0.0, MAX_LEARNING_RATE)
            assert checked is not None
            lr = checked
        if len(params) != len(grads):
            raise SettingsError(f"{len(params)} parameters but {len(grads)} gradients")
        shapes = [(p.shape, p.dtype) for p in params]
        if self._shapes is None:
            self._shapes = shapes
        elif shapes != self._shapes:
            raise SettingsError(
                "this optimiser was used with differently shaped parameters; "
                "call reset() before using it with another network"
            )
        for p, g in zip(params, grads):
            if p.shape != g.shape:
                raise SettingsError(
                    f"a parameter of shape {p.shape} got a gradient of shape {g.shape}"
                )
        self.steps += 1
        for index, (p, g) in enumerate(zip(params, grads)):
            self._update(index, p, g, lr)

    def _update(self, index: int, param: np.ndarray, grad: np.ndarray, lr: float) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class GradientDescent(Optimizer):
    """Plain gradient descent, the article's update: `p ← p − lr·g`."""

    name = "gd"

    def __init__(self):
        super().__init__()
        self._scratch: dict[int, np.ndarray] = {}

    def _reset_state(self) -> None:
        self._scratch = {}

    def _update(self, index, param, grad, lr):
        # Same arithmetic as `W -= lr * dW`, without allocating a temporary each step.
        change = self._scratch.get(index)
        if change is None:
            change = self._scratch[index] = np.empty_like(param)
        np.multiply(grad, lr, out=change)
        param -= change


class Momentum(Optimizer):
    """Gradient descent with momentum: `v ← β·v + g`, then `p ← p − lr·v`.

    With β = 0 it is plain gradient descent. The velocity starts at zero.
    """

    name = "momentum"

    def __init__(self, beta: float = 0.9):
        super().__init__()
        self.beta = _fraction(beta, "momentum's beta")
        self.velocity: dict[int, np.ndarray] = {}
        self._scratch: dict[int, np.ndarray] = {}

    def _reset_state(self) -> None:
        self.velocity, self._scratch = {}, {}

    def _update(self, index, param, grad, lr):
        v = self.velocity.get(index)
        if v is None:
            v = self.velocity[index] = np.zeros_like(param)
            self._scratch[index] = np.empty_like(param)
        v *= self.beta
        v += grad
        change = np.multiply(v, lr, out=self._scratch[index])
        param -= change

    def __repr__(self) -> str:
        return f"Momentum(beta={self.beta})"


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), step t counted from 1:

    m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²
    m̂ = m / (1 − β1^t)             v̂ = v / (1 − β2^t)
    p ← p − lr · m̂ / (√v̂ + ε)
    """

    name = "adam"

    def __init__(self, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__()
        self.beta1 = _fraction(beta1, "Adam's beta1")
        self.beta2 = _fraction(beta2, "Adam's beta2")
        self.eps = _positive(eps, "Adam's eps")
        self.m: dict[int, np.ndarray] = {}
        self.v: dict[int, np.ndarray] = {}
        self._scratch: dict[int, np.ndarray] = {}

    def _reset_state(self) -> None:
        self.m, self.v, self._scratch = {}, {}, {}

    def _update(self, index, param, grad, lr):
        m = self.m.get(index)
        if m is None:
            m = self.m[index] = np.zeros_like(param)
            self.v[index] = np.zeros_like(param)
            self._scratch[index] = np.empty_like(param)
        v, tmp = self.v[index], self._scratch[index]
        t = self.steps
        # Plain Python floats keep the arithmetic in the parameters' dtype.
        m *= self.beta1
        m += np.multiply(grad, 1.0 - self.beta1, out=tmp)
        v *= self.beta2
        np.multiply(grad, grad, out=tmp)
        tmp *= 1.0 - self.beta2
        v += tmp
        np.divide(v, 1.0 - self.beta2**t, out=tmp)  # v̂
        np.sqrt(tmp, out=tmp)
        tmp += self.eps  # √v̂ + ε
        np.divide(m, tmp, out=tmp)
        tmp *= lr / (1.0 - self.beta1**t)  # lr · m̂ / (√v̂ + ε)
        param -= tmp

    def __repr__(self) -> str:
        return f"Adam(beta1={self.beta1}, beta2={self.beta2}, eps={self.eps})"


def make_optimizer(name: str, **kwargs) -> Optimizer:
    """An optimiser by name: "gd" (also "sgd"), "momentum" or "adam"; keyword arguments
    (beta, beta1, beta2, eps) go to its constructor."""
    key = str(name).strip().lower()
    classes = {"gd": GradientDescent, "sgd": GradientDescent, "momentum": Momentum, "adam": Adam}
    if key not in classes:
        raise SettingsError(f"unknown optimiser {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
    cls = classes[key]
    try:
        inspect.signature(cls).bind(**kwargs)  # unknown options; bad values raise below
    except TypeError:
        raise SettingsError(
            f"the {key} optimiser does not take the options {', '.join(sorted(kwargs))}"
        ) from None
    return cls(**kwargs)


# ---- learning-rate schedules --------------------------------------------------------------

# The longest annealing a cosine schedule accepts: a million epochs a second for 30 years.
MAX_EPOCHS = 10**15

# Step counts above this are treated as this (see StepDecay.lr_at): gamma**1e300 is already
# exactly 0 for every gamma below 1 and exactly 1 for gamma 1.
_LARGEST_STEP_COUNT = 10**300


class Schedule:
    """A learning rate for every epoch (counted from 0); call it: `schedule(epoch)`."""

    name = "schedule"

    def lr_at(self, epoch: int) -> float:
        raise NotImplementedError

    def __call__(self, epoch: int) -> float:
        return self.lr_at(epoch)

    @staticmethod
    def _epoch(epoch) -> int:
        return _count(epoch, "epoch", 0)


class ConstantLR(Schedule):
    """The same learning rate at every epoch (the article's choice)."""

    name = "constant"

    def __init__(self, lr: float):
        self.lr = learning_rate(lr)

    def lr_at(self, epoch: int) -> float:
        self._epoch(epoch)
        return self.lr

    def __repr__(self) -> str:
        return f"ConstantLR({self.lr})"


class StepDecay(Schedule):
    """Multiply the learning rate by `gamma` every `every` epochs:
    `lr · gamma^(epoch // every)`.

    A decay shrinks the rate, so gamma lies in (0, 1] (1 keeps it constant); a gamma above 1
    would grow it without bound (1e300 overflows at the second step).
    """

    name = "step"

    def __init__(self, lr: float, every: int, gamma: float = 0.5):
        self.lr = learning_rate(lr)
        self.every = _count(every, "step decay's `every` (epochs between steps)", 1)
        checked = number(gamma, "step decay's gamma", 0.0, 1.0, low_open=True)
        assert checked is not None
        self.gamma = checked

    def lr_at(self, epoch: int) -> float:
        steps = self._epoch(epoch) // self.every
        # With 0 < gamma <= 1 the power only shrinks, so it cannot overflow; the exponent is
        # capped because Python cannot turn an integer above ~1e308 into a float (and by then
        # any gamma below 1 has long reached 0).
        return self.lr * self.gamma ** float(min(steps, _LARGEST_STEP_COUNT))

    def __repr__(self) -> str:
        return f"StepDecay({self.lr}, every={self.every}, gamma={self.gamma})"


class CosineAnnealing(Schedule):
    """Linear warm-up, then cosine annealing from `lr` down to `min_lr`.

    - warm-up (epochs 0 .. warmup−1): `lr · (epoch + 1) / warmup`, so the first epoch
      already moves a little and epoch `warmup − 1` reaches the full rate;
    - then, with progress p = (epoch − warmup) / (total_epochs − warmup) going from 0 to 1:
      `min_lr + (lr − min_lr) · (1 + cos(π·p)) / 2`;
    - from `total_epochs` on: `min_lr`.

    Large steps early explore, small steps late settle into a minimum: "annealing", one of
    the remedies the article names.
    """

    name = "cosine"

    def __init__(self, lr: float, total_epochs: int, warmup: int = 0, min_lr: float = 0.0):
        self.lr = learning_rate(lr)
        # A bound no run reaches, which keeps every epoch count exact as a float.
        total_epochs = whole(total_epochs, "cosine annealing's total_epochs", 1, MAX_EPOCHS)
        warmup = _count(warmup, "cosine annealing's warmup", 0)
        if warmup >= total_epochs:
            raise SettingsError(
                f"the warm-up ({warmup} epochs) must be shorter than the run "
                f"({total_epochs} epochs)"
            )
        self.total_epochs, self.warmup = total_epochs, warmup
        self.min_lr = _real(min_lr, "min_lr")
        if self.min_lr > self.lr:
            raise SettingsError(
                f"min_lr ({self.min_lr:g}) must not exceed the learning rate ({self.lr:g})"
            )

    def lr_at(self, epoch: int) -> float:
        epoch = self._epoch(epoch)
        if epoch < self.warmup:
            return self.lr * (epoch + 1) / self.warmup
        if epoch >= self.total_epochs:
            # The end of the annealing; answered before dividing, because epoch / total of
            # two huge integers can be too large for a float (OverflowError).
            return self.min_lr
        progress = (epoch - self.warmup) / (self.total_epochs - self.warmup)
        return self.min_lr + (self.lr - self.min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))

    def __repr__(self) -> str:
        return (
            f"CosineAnnealing({self.lr}, total_epochs={self.total_epochs}, "
            f"warmup={self.warmup}, min_lr={self.min_lr})"
        )


def make_schedule(name: str, lr: float, epochs: int | None = None, **kw) -> Schedule:
    """A schedule by name.

    - "constant": `lr` throughout;
    - "step": `every` (default: a tenth of `epochs`, at least 1) and `gamma` (default 0.5);
    - "cosine": anneals over `epochs`; `warmup` (default 0) and `min_lr` (default 0).
    Options that do not belong to the schedule are an error, not silently ignored.
    """
    key = str(name).strip().lower()
    allowed = {"constant": set(), "step": {"every", "gamma"}, "cosine": {"warmup", "min_lr"}}
    if key not in allowed:
        raise SettingsError(f"unknown schedule {name!r}; choose one of: {', '.join(SCHEDULES)}")
    extra = set(kw) - allowed[key]
    if extra:
        raise SettingsError(f"the {key} schedule does not take {', '.join(sorted(extra))}")
    if key == "constant":
        return ConstantLR(lr)
    every = kw.get("every")
    if epochs is None and (key == "cosine" or every is None):
        raise SettingsError(f"the {key} schedule needs the number of epochs")
    if key == "step":
        if every is None:  # not given: a tenth of the run
            every = max(1, _count(epochs, "epochs", 1) // 10)
        # An explicit `every` must be a real step length: 0 is refused, not replaced.
        return StepDecay(lr, every=every, gamma=kw.get("gamma", 0.5))
    assert epochs is not None
    return CosineAnnealing(
        lr, total_epochs=epochs, warmup=kw.get("warmup", 0), min_lr=kw.get("min_lr", 0.0)
    )
