"""Squared error vs cross-entropy, side by side: why cross-entropy learns faster when wrong.

One sigmoid neuron, ŷ = σ(z) with z = w·x + b, and a true class y (0 or 1). It is stepped
once with each loss, from the same w and b:

    squared error   L = ½(ŷ − y)²                         (the house convention, below)
                    ∂L/∂z = ∂L/∂ŷ × σ′(z) = (ŷ − y) × σ′(z)
    cross-entropy   L = −[y·log ŷ + (1 − y)·log(1 − ŷ)]
                    ∂L/∂z = (ŷ − y) / σ′(z) × σ′(z) = ŷ − y

σ′(z) = ŷ(1 − ŷ) is the sigmoid's slope. Squared error multiplies it in; cross-entropy's
log has the 1/(ŷ(1 − ŷ)) that cancels it. A neuron that is *confidently wrong* (z = −4 for
class 1: ŷ = 0.018) sits where the sigmoid is flat, σ′(z) = 0.018, so squared error's
signal is cut to a fiftieth and the neuron crawls, while cross-entropy's is the full error
ŷ − y = −0.98 and the neuron escapes. `compare` works one step with each loss out, with every
formula in plain text and LaTeX (like `nncore.lesson.formulas`) and a sentence per result;
`Comparison.stepped()` steps each neuron once more from where its own loss took it;
`gradient_curves` gives |∂L/∂z| against z for a plot; `steps_to_answer` counts the steps
each loss needs before the neuron's answer turns right (a short, bounded simulation).

Squared error is ½(ŷ − y)², not (ŷ − y)²: `Network(loss="mse")` differentiates
(1/m) Σ ½‖ŷ − y‖² (see `nncore.losses` and `nncore.lesson.loss_slice`), so these gradients
are exactly those of a 1-1 network with a sigmoid output, `loss="mse"` or
`loss="cross_entropy"`. The ½ only makes the derivative plain ŷ − y; it changes no
direction.

The lesson engine does not use this module; the app's comparison window does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..activations import ACTIVATIONS
from ..checks import number, whole
from ..errors import SettingsError
from ..formatting import fmt, fmt_tex, operand, operand_tex, signed
from ..losses import cross_entropy_terms
from . import formulas

__all__ = [
    "LOSS_KEYS",
    "LOSS_TITLES",
    "Neuron",
    "LossStep",
    "Comparison",
    "GradientCurves",
    "compare",
    "one_step",
    "gradient_curves",
    "steps_to_answer",
    "steps_sentence",
    "DEFAULT_NEURON",
    "MAX_STEPS",
]

Text = tuple[str, str]  # (plain text, LaTeX)

LOSS_KEYS = ("mse", "cross_entropy")  # the names `Network(loss=...)` takes
LOSS_TITLES = {"mse": "Squared error", "cross_entropy": "Cross-entropy"}

LIMIT = 1000.0  # |w|, |x|, |b| at most this: σ is already exactly 0 or 1 far before
MAX_LR = 100.0
MAX_STEPS = 10_000  # `steps_to_answer` gives up here (squared error can need very many)

_SIGMOID = ACTIVATIONS["sigmoid"]


@dataclass(frozen=True)
class Neuron:
    """One sigmoid neuron and the example it is taught: ŷ = σ(w·x + b), true class y."""

    w: float
    b: float
    x: float
    y: int  # the true class, 0 or 1
    lr: float  # the learning rate of its gradient steps

    def __post_init__(self) -> None:
        object.__setattr__(self, "w", number(self.w, "the weight w", -LIMIT, LIMIT))
        object.__setattr__(self, "b", number(self.b, "the bias b", -LIMIT, LIMIT))
        object.__setattr__(self, "x", number(self.x, "the input x", -LIMIT, LIMIT))
        object.__setattr__(self, "y", whole(self.y, "the true class y", 0, 1))
        lr = number(self.lr, "the learning rate", 0.0, MAX_LR, low_open=True)
        object.__setattr__(self, "lr", lr)

    @property
    def z(self) -> float:
        return self.w * self.x + self.b

    def moved(self, w: float, b: float) -> Neuron:
        """The same neuron, example and learning rate with new parameters."""
        return Neuron(w=w, b=b, x=self.x, y=self.y, lr=self.lr)


# The default: confidently wrong. z = −4 gives ŷ = 0.018 for an example of class 1.
DEFAULT_NEURON = Neuron(w=-4.0, b=0.0, x=1.0, y=1, lr=1.0)


def _sigmoid(z: float) -> float:
    return float(_SIGMOID.f(np.array([z], dtype=np.float64))[0])


def _loss(key: str, z: float, y: int) -> float:
    """The loss of one example, from z: ½(σ(z) − y)², or the binary cross-entropy computed
    from z itself (`nncore.losses`), so that it stays finite where ŷ rounds to 0 or 1."""
    if key == "mse":
        return 0.5 * (_sigmoid(z) - y) ** 2
    return float(cross_entropy_terms(np.array([[z]]), np.array([[float(y)]]))[0])


def _d_loss_d_z(key: str, z: float, y: int) -> float:
    pred = _sigmoid(z)
    if key == "mse":
        return (pred - y) * pred * (1.0 - pred)
    return pred - y


@dataclass(frozen=True)
class LossStep:
    """One gradient step of one loss, every number of it, its formulas and sentences.

    `formulas[name]` is (plain text, LaTeX) and `narration[name]` one sentence, for the
    names in `ROWS`: prediction, loss, slope, d_pred, d_z, d_w, d_b, w, b, new_prediction,
    new_loss. `d_pred` (∂L/∂ŷ) is ±∞ for cross-entropy where σ′(z) underflows to 0; ∂L/∂z
    never is.
    """

    ROWS = (
        "prediction",
        "loss",
        "slope",
        "d_pred",
        "d_z",
        "d_w",
        "d_b",
        "w",
        "b",
        "new_prediction",
        "new_loss",
    )

    loss_key: str  # "mse" or "cross_entropy"
    neuron: Neuron  # before the step
    z: float
    prediction: float  # ŷ = σ(z)
    loss: float
    slope: float  # σ′(z) = ŷ(1 − ŷ)
    d_pred: float  # ∂L/∂ŷ
    d_z: float  # ∂L/∂z: (ŷ − y)·σ′(z) for squared error, ŷ − y for cross-entropy
    d_w: float  # ∂L/∂w = ∂L/∂z × x
    d_b: float  # ∂L/∂b = ∂L/∂z
    new_w: float
    new_b: float
    new_z: float
    new_prediction: float
    new_loss: float
    formulas: dict[str, Text] = field(default_factory=dict, compare=False)
    narration: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def title(self) -> str:
        return LOSS_TITLES[self.loss_key]

    @property
    def multiplies_slope(self) -> bool:
        """Whether ∂L/∂z carries the factor σ′(z): squared error's does, cross-entropy's not."""
        return self.loss_key == "mse"

    def next_neuron(self) -> Neuron:
        """The neuron after this step (same example and learning rate)."""
        return self.neuron.moved(self.new_w, self.new_b)


def one_step(neuron: Neuron, loss: str) -> LossStep:
    """One gradient step of `neuron` on its example with `loss` ("mse": ½(ŷ − y)², or
    "cross_entropy"), with the formulas and sentences that explain it."""
    if loss not in LOSS_KEYS:
        raise SettingsError(f"unknown loss {loss!r}; choose one of: {', '.join(LOSS_KEYS)}")
    z = neuron.z
    pred = _sigmoid(z)
    slope = pred * (1.0 - pred)
    error = pred - neuron.y
    d_z = _d_loss_d_z(loss, z, neuron.y)
    if loss == "mse":
        d_pred = error
    else:  # (ŷ − y) / (ŷ(1 − ŷ)) is −1/ŷ for class 1 and 1/(1 − ŷ) for class 0
        p_true = pred if neuron.y == 1 else 1.0 - pred
        d_pred = (
            (-1.0 if neuron.y == 1 else 1.0) / p_true
            if p_true > 0
            else math.copysign(math.inf, error)
        )
    d_w, d_b = d_z * neuron.x, d_z
    new_w, new_b = neuron.w - neuron.lr * d_w, neuron.b - neuron.lr * d_b
    new_z = new_w * neuron.x + new_b
    new_pred = _sigmoid(new_z)
    step = LossStep(
        loss_key=loss,
        neuron=neuron,
        z=z,
        prediction=pred,
        loss=_loss(loss, z, neuron.y),
        slope=slope,
        d_pred=d_pred,
        d_z=d_z,
        d_w=d_w,
        d_b=d_b,
        new_w=new_w,
        new_b=new_b,
        new_z=new_z,
        new_prediction=new_pred,
        new_loss=_loss(loss, new_z, neuron.y),
    )
    step.formulas.update(_formulas(step))
    step.narration.update(_narration(step))
    return step


# ---- formulas ------------------------------------------------------------------------------
def _formulas(s: LossStep) -> dict[str, Text]:
    n, y = s.neuron, s.neuron.y
    out: dict[str, Text] = {
        "prediction": (
            f"z = w·x + b = {operand(n.w)} × {operand(n.x)} + {operand(n.b)} = {fmt(s.z)}, "
            f"ŷ = σ(z) = 1 / (1 + e^({fmt(-s.z)})) = {fmt(s.prediction)}",
            f"z = w x + b = {operand_tex(n.w)} \\cdot {operand_tex(n.x)} + {operand_tex(n.b)} "
            f"= {fmt_tex(s.z)},\\quad \\hat y = \\sigma(z) = \\frac{{1}}{{1 + e^{{{fmt_tex(-s.z)}}}}}"
            f" = {fmt_tex(s.prediction)}",
        ),
        "slope": (
            f"σ′(z) = ŷ(1 − ŷ) = {fmt(s.prediction)} × {operand(1 - s.prediction)} = {fmt(s.slope)}",
            f"\\sigma'(z) = \\hat y (1 - \\hat y) = {fmt_tex(s.prediction)} \\cdot "
            f"{operand_tex(1 - s.prediction)} = {fmt_tex(s.slope)}",
        ),
        "d_w": (
            f"∂L/∂w = ∂L/∂z × x = {operand(s.d_z)} × {operand(n.x)} = {fmt(s.d_w)}",
            f"\\frac{{\\partial L}}{{\\partial w}} = \\frac{{\\partial L}}{{\\partial z}} \\cdot x "
            f"= {operand_tex(s.d_z)} \\cdot {operand_tex(n.x)} = {fmt_tex(s.d_w)}",
        ),
        "d_b": (
            f"∂L/∂b = ∂L/∂z = {fmt(s.d_b)}",
            f"\\frac{{\\partial L}}{{\\partial b}} = \\frac{{\\partial L}}{{\\partial z}} "
            f"= {fmt_tex(s.d_b)}",
        ),
        "w": formulas.update("w", "w", n.w, n.lr, s.d_w, s.new_w),
        "b": formulas.update("b", "b", n.b, n.lr, s.d_b, s.new_b),
        "new_prediction": (
            f"ŷ = σ({fmt(s.new_z)}) = {fmt(s.new_prediction)} (was {fmt(s.prediction)}, "
            f"true class {y})",
            f"\\hat y = \\sigma({fmt_tex(s.new_z)}) = {fmt_tex(s.new_prediction)}\\quad"
            f"(\\text{{was }} {fmt_tex(s.prediction)}, \\text{{ true class }} {y})",
        ),
    }
    error = s.prediction - y
    if s.loss_key == "mse":
        out["loss"] = (
            f"L = ½(ŷ − y)² = ½ × ({fmt(s.prediction)} − {y})² = {fmt(s.loss)}",
            f"L = \\tfrac12 (\\hat y - y)^2 = \\tfrac12 ({fmt_tex(s.prediction)} - {y})^2 "
            f"= {fmt_tex(s.loss)}",
        )
        out["d_pred"] = (
            f"∂L/∂ŷ = ŷ − y = {fmt(s.prediction)} − {y} = {fmt(s.d_pred)}",
            f"\\frac{{\\partial L}}{{\\partial \\hat y}} = \\hat y - y = "
            f"{fmt_tex(s.prediction)} - {y} = {fmt_tex(s.d_pred)}",
        )
        out["d_z"] = (
            f"∂L/∂z = (ŷ − y) × σ′(z) = {operand(error)} × {operand(s.slope)} = {fmt(s.d_z)}",
            f"\\frac{{\\partial L}}{{\\partial z}} = (\\hat y - y) \\cdot \\sigma'(z) = "
            f"{operand_tex(error)} \\cdot {operand_tex(s.slope)} = {fmt_tex(s.d_z)}",
        )
        out["new_loss"] = (
            f"L = ½(ŷ − y)² = {fmt(s.new_loss)} (was {fmt(s.loss)})",
            f"L = \\tfrac12 (\\hat y - y)^2 = {fmt_tex(s.new_loss)}\\quad"
            f"(\\text{{was }} {fmt_tex(s.loss)})",
        )
        return out
    log_of, log_of_tex = ("ŷ", "\\hat y") if y == 1 else ("1 − ŷ", "1 - \\hat y")
    p_true = s.prediction if y == 1 else 1 - s.prediction
    out["loss"] = (
        f"L = −log({log_of}) = −log({fmt(p_true)}) = {fmt(s.loss)}",
        f"L = -\\log({log_of_tex}) = -\\log({fmt_tex(p_true)}) = {fmt_tex(s.loss)}",
    )
    simple, simple_tex = (
        ("−1/ŷ", "-\\frac{1}{\\hat y}") if y == 1 else ("1/(1 − ŷ)", "\\frac{1}{1 - \\hat y}")
    )
    top, top_tex = ("−1", "-1") if y == 1 else ("1", "1")
    out["d_pred"] = (
        f"∂L/∂ŷ = (ŷ − y) / (ŷ(1 − ŷ)) = {simple} = {top} / {fmt(p_true)} = {fmt(s.d_pred)}",
        f"\\frac{{\\partial L}}{{\\partial \\hat y}} = \\frac{{\\hat y - y}}{{\\hat y (1 - \\hat y)}}"
        f" = {simple_tex} = \\frac{{{top_tex}}}{{{fmt_tex(p_true)}}} = {fmt_tex(s.d_pred)}",
    )
    out["d_z"] = (
        f"∂L/∂z = (ŷ − y) / σ′(z) × σ′(z) = ŷ − y = {fmt(s.prediction)} − {y} = {fmt(s.d_z)}",
        f"\\frac{{\\partial L}}{{\\partial z}} = \\frac{{\\hat y - y}}{{\\sigma'(z)}} \\cdot "
        f"\\sigma'(z) = \\hat y - y = {fmt_tex(s.prediction)} - {y} = {fmt_tex(s.d_z)}",
    )
    out["new_loss"] = (
        f"L = −log({log_of}) = {fmt(s.new_loss)} (was {fmt(s.loss)})",
        f"L = -\\log({log_of_tex}) = {fmt_tex(s.new_loss)}\\quad(\\text{{was }} {fmt_tex(s.loss)})",
    )
    return out


# ---- narration -----------------------------------------------------------------------------
def _confidence(pred: float, y: int) -> str:
    """How the neuron's answer reads: 'confidently wrong', 'unsure', 'right'."""
    p_true = pred if y == 1 else 1 - pred
    if p_true < 0.1:
        return "confidently wrong"
    if p_true < 0.5:
        return "wrong"
    if p_true < 0.9:
        return "right, but unsure"
    return "confidently right"


def _narration(s: LossStep) -> dict[str, str]:
    n, y = s.neuron, s.neuron.y
    p_true = s.prediction if y == 1 else 1 - s.prediction
    text = {
        "prediction": (
            f"The weighted sum is {fmt(s.z)}, so the neuron gives class 1 a probability of "
            f"{fmt(s.prediction)}; the true class is {y}: it is "
            f"{_confidence(s.prediction, y)}."
        ),
        "slope": (
            f"The sigmoid's slope at z = {fmt(s.z)} is {fmt(s.slope)}"
            + (
                ": it is nearly flat there, so a change of z hardly moves ŷ."
                if s.slope < 0.05
                else "."
            )
        ),
        "d_w": (
            f"The weight's gradient is ∂L/∂z times the input that flowed along it, "
            f"{fmt(n.x)}: {fmt(s.d_w)} (desired change {signed(-s.d_w)})."
        ),
        "d_b": (
            f"The bias is added straight into z, so its gradient is ∂L/∂z itself, {fmt(s.d_b)}."
        ),
        "w": f"w moves by −{fmt(n.lr)} × {operand(s.d_w)} = {signed(-n.lr * s.d_w)}.",
        "b": f"b moves by −{fmt(n.lr)} × {operand(s.d_b)} = {signed(-n.lr * s.d_b)}.",
        "new_prediction": (
            f"Run forward again: ŷ = {fmt(s.new_prediction)} (was {fmt(s.prediction)}); the "
            f"neuron is now {_confidence(s.new_prediction, y)}."
        ),
        "new_loss": f"The loss went from {fmt(s.loss)} to {fmt(s.new_loss)}.",
    }
    if s.loss_key == "mse":
        text["loss"] = (
            f"Squared error: half the square of the miss, ½({fmt(s.prediction)} − {y})² = "
            f"{fmt(s.loss)}. It can never exceed ½, however wrong the neuron is."
        )
        text["d_pred"] = f"How the loss changes with ŷ: the miss itself, ŷ − y = {fmt(s.d_pred)}."
        text["d_z"] = (
            f"To reach z, the chain rule multiplies by the sigmoid's slope σ′(z) = "
            f"{fmt(s.slope)}: the signal {fmt(s.d_pred)} shrinks to {fmt(s.d_z)}."
        )
    else:
        text["loss"] = (
            f"Cross-entropy: the surprise at the true class, −log {fmt(p_true)} = "
            f"{fmt(s.loss)}. It grows without bound as the neuron grows surer of the wrong class."
        )
        steep = p_true < 0.1  # confidently wrong: ŷ(1 − ŷ) is small
        text["d_pred"] = (
            f"How the loss changes with ŷ: the miss divided by ŷ(1 − ŷ), which is σ′(z): "
            f"{fmt(s.d_pred)}"
            + (", steep, because the neuron is sure of the wrong class." if steep else ".")
        )
        text["d_z"] = (
            f"The chain rule multiplies by σ′(z) = {fmt(s.slope)}, which cancels the log's "
            f"1/σ′(z): ∂L/∂z is the whole miss, ŷ − y = {fmt(s.d_z)}."
        )
    return text


# ---- the two side by side ------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """The same example, one step with each loss: `squared` (½(ŷ − y)²) and
    `cross_entropy`. After `stepped()` the two neurons differ: each goes on from where its
    own loss took it. `steps` counts the steps taken before this one."""

    squared: LossStep
    cross_entropy: LossStep
    steps: int = 0

    @property
    def columns(self) -> tuple[LossStep, LossStep]:
        return self.squared, self.cross_entropy

    @property
    def ratio(self) -> float:
        """|∂L/∂z| of cross-entropy over that of squared error: for the same neuron exactly
        1/σ′(z), the factor one multiplies in and the other cancels (∞ where σ′(z) is 0)."""
        top, bottom = abs(self.cross_entropy.d_z), abs(self.squared.d_z)
        if bottom == 0:
            return math.inf if top > 0 else 1.0
        return top / bottom

    def stepped(self) -> Comparison:
        """One more step with each loss, each neuron from where its last step left it."""
        return Comparison(
            squared=one_step(self.squared.next_neuron(), "mse"),
            cross_entropy=one_step(self.cross_entropy.next_neuron(), "cross_entropy"),
            steps=self.steps + 1,
        )

    def summary(self) -> str:
        """One sentence on the two ∂L/∂z, when both neurons still stand at the same z."""
        s, c = self.squared, self.cross_entropy
        if s.z != c.z:
            return (
                f"After {self.steps} step{'s' if self.steps != 1 else ''}: squared error's "
                f"neuron is at z = {fmt(s.z)} (ŷ = {fmt(s.prediction)}), cross-entropy's at "
                f"z = {fmt(c.z)} (ŷ = {fmt(c.prediction)})."
            )
        if s.d_z == 0:
            return "Both gradients are 0: the neuron is exactly right."
        return (
            f"Same neuron, same miss ŷ − y = {fmt(c.d_z)}: cross-entropy's ∂L/∂z is "
            f"{fmt(self.ratio, 3)} times squared error's, because squared error multiplies "
            f"in σ′(z) = {fmt(s.slope)} and cross-entropy cancels it."
        )


def compare(neuron: Neuron = DEFAULT_NEURON) -> Comparison:
    """One step of the same neuron with squared error and with cross-entropy."""
    return Comparison(one_step(neuron, "mse"), one_step(neuron, "cross_entropy"))


def steps_to_answer(neuron: Neuron, loss: str, limit: int = MAX_STEPS) -> int | None:
    """How many gradient steps `loss` needs before the neuron's answer is right (ŷ > 0.5 for
    class 1, ŷ < 0.5 for class 0): 0 if it already is, None if not within `limit` steps."""
    if loss not in LOSS_KEYS:
        raise SettingsError(f"unknown loss {loss!r}; choose one of: {', '.join(LOSS_KEYS)}")
    limit = whole(limit, "the step limit", 0, MAX_STEPS)
    w, b, x, y, lr = neuron.w, neuron.b, neuron.x, neuron.y, neuron.lr
    # Plain floats and math.exp: up to 10,000 steps of one number, where NumPy's per-call
    # overhead would make the window wait.
    for count in range(limit + 1):
        z = w * x + b
        pred = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
        if (pred > 0.5) if y == 1 else (pred < 0.5):
            return count
        d_z = (pred - y) * pred * (1.0 - pred) if loss == "mse" else pred - y
        w, b = w - lr * d_z * x, b - lr * d_z
    return None


def steps_sentence(neuron: Neuron, loss: str) -> str:
    """'3 steps until ŷ > 0.5' / 'more than 10,000 steps …' at the neuron's learning rate."""
    goal = "ŷ > 0.5" if neuron.y == 1 else "ŷ < 0.5"
    count = steps_to_answer(neuron, loss)
    if count is None:
        return f"Over {MAX_STEPS:,} steps until {goal} at learning rate {fmt(neuron.lr)}."
    if count == 0:
        return f"Already {goal}: the answer is right."
    return (
        f"{count:,} step{'s' if count != 1 else ''} until {goal} at learning rate {fmt(neuron.lr)}."
    )


# ---- the curves for a plot -----------------------------------------------------------------
@dataclass(frozen=True)
class GradientCurves:
    """|∂L/∂z| against z for the true class `y`: `z` (n,), `squared` (n,) = |ŷ − y|·σ′(z),
    `cross_entropy` (n,) = |ŷ − y|."""

    y: int
    z: np.ndarray
    squared: np.ndarray
    cross_entropy: np.ndarray


def gradient_curves(
    y: int = 1, low: float = -8.0, high: float = 8.0, n: int = 321
) -> GradientCurves:
    """The gradient magnitude of each loss at the output's sum z, from `low` to `high`."""
    y = whole(y, "the true class y", 0, 1)
    low = number(low, "the lowest z", -LIMIT, LIMIT)
    high = number(high, "the highest z", -LIMIT, LIMIT)
    if not low < high:
        raise SettingsError(f"the z range must go upwards; got {fmt(low)} to {fmt(high)}")
    n = whole(n, "the number of points", 2, 100_001)
    z = np.linspace(low, high, n)
    pred = _SIGMOID.f(z)
    miss = np.abs(pred - y)
    return GradientCurves(y=y, z=z, squared=miss * pred * (1.0 - pred), cross_entropy=miss)
