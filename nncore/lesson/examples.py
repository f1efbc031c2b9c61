"""What a lesson is given, checked, and the bounds that keep its arithmetic finite.

Every refusal of a *value* is a `LessonError`, which is a `ValueError` (what the app and the
CLI catch) and an `nncore.errors.NNCoreError`, with a message that says what is wrong in
plain words. A value of the wrong *type* (text, None or a bool where numbers belong, a
network that is not one) is a `TypeError` naming the argument, raised here at the boundary
rather than from deep inside the arithmetic: the app parses what the student types into
numbers first (`app.step.parsing`), so a wrong type is a programming mistake.

The bounds (`VALUE_LIMIT`, `LR_LIMIT`, `MAX_BATCH`, `MAX_STEPS`) are what a lesson is *given*.
Numbers a lesson *computes* can still outgrow a float after many iterations with a large
learning rate, or on a network the caller built with huge weights: `overflow` words the
`LessonError` that then stops the lesson (the engine checks every number it computes).
"""

from __future__ import annotations

import numpy as np

from ..checks import number, number_array, whole
from ..errors import DataError, NNCoreError
from ..formatting import fmt
from ..losses import class_indices, target_probabilities
from ..network import Network

MAX_BATCH = 8  # a lesson is read step by step; more examples would drown the student
MAX_STEPS = 50_000  # guards against building a lesson for a 64-wide training network
MAX_ITERATION = 10**9  # an iteration number far beyond any classroom, small enough to print

# Why ±1000 and a learning rate of at most 10 (the same limits as the Step tab's fields):
# on the largest custom network (4-6-6-6-3, CUSTOM_LIMITS) with MAX_BATCH examples, every
# input, target, weight and bias at ±1000 and linear neurons (ReLU, sigmoid and tanh only
# shrink numbers), the sums reach 8.6×10¹⁷, the error signals 9.3×10²⁸, the gradients
# 1.2×10³², the updated weights 1.2×10³³ and the loss after the update 1.5×10²⁷⁵: every
# number of the first iteration stays finite (a float64 holds up to 1.8×10³⁰⁸). At ±10⁴ the
# loss after the update could overflow. tests/nncore/lesson/test_hostile_lessons.py repeats
# this bound.
VALUE_LIMIT = 1000.0  # inputs, targets, and the weights and biases a student types
LR_LIMIT = 10.0
# Far more inputs or targets than any batch has (the shape checks then say what is wrong),
# but refused by their count before a huge list is converted and scanned.
_MAX_VALUES = 10_000


class LessonError(NNCoreError, ValueError):
    """A lesson cannot be built from what it was given (the message says why)."""


def as_batch(
    x, target, batch, n_in: int, n_out: int, classifier: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Inputs X (m, n_in) and targets Y (m, n_out) as new float64 arrays from `x`/`target` or
    `batch`, each value finite and within ±VALUE_LIMIT.

    One example may be given flat (`x=(0.1, 0.3)`, `target=0.2`); a batch as `batch=(X, Y)`.
    For a `classifier` the targets are classes (see `class_targets`): Y holds the
    probabilities the output should give, one-hot rows (softmax) or the class 0/1 (sigmoid).
    """
    if batch is not None:
        if x is not None or target is not None:
            raise LessonError("give either x and target or batch=(X, Y), not both")
        if isinstance(batch, (str, bytes)) or not hasattr(batch, "__len__") or len(batch) != 2:
            raise TypeError("batch must be a pair (X, Y) of inputs and targets")
        x, target = batch
    if x is None or target is None:
        raise TypeError("a lesson needs inputs x and a target (or batch=(X, Y))")
    X, Y = (
        number_array(v, what, limit=VALUE_LIMIT, max_count=_MAX_VALUES, error=LessonError)
        for v, what in ((x, "the inputs"), (target, "the targets"))
    )
    if X.ndim == 0:
        X = X.reshape(1, 1)
    if X.ndim == 1:
        X = X.reshape(1, -1) if X.shape[0] == n_in else X.reshape(-1, 1)
    if X.ndim != 2 or X.shape[1] != n_in:
        raise LessonError(f"the network has {n_in} input(s); got inputs of shape {np.shape(x)}")
    m = X.shape[0]
    if classifier:
        Y = class_targets(Y, m, n_out)
    if Y.ndim == 0:
        Y = Y.reshape(1, 1)
    if Y.ndim == 1:
        Y = Y.reshape(m, -1) if Y.size == m * n_out else Y.reshape(1, -1)
    if Y.ndim != 2 or Y.shape != (m, n_out):
        raise LessonError(
            f"need {m} target row(s) of {n_out} value(s) (one per output); "
            f"got shape {np.shape(target)}"
        )
    if not 1 <= m <= MAX_BATCH:
        raise LessonError(f"a lesson works on 1 to {MAX_BATCH} examples; got {m}")
    return X, Y


def finite_list(values, what: str, length: int) -> list[float]:
    """`values` as a flat list of `length` finite floats within ±VALUE_LIMIT; TypeError for
    anything that is not numbers."""
    if isinstance(values, list | tuple | np.ndarray) and len(values) > length:
        raise LessonError(f"{what} needs {length} value(s); got {len(values):,}")  # fail fast
    arr = number_array(values, what, limit=VALUE_LIMIT, max_count=length, error=LessonError)
    arr = arr.reshape(-1) if arr.ndim <= 1 else arr
    if arr.ndim != 1:
        raise LessonError(f"{what} must be a flat list of numbers")
    if arr.shape[0] != length:
        raise LessonError(f"{what} needs {length} value(s); got {arr.shape[0]}")
    return arr.tolist()


def learning_rate(lr) -> float:
    """The learning rate as a float in (0, LR_LIMIT]."""
    return number(lr, "the learning rate", 0.0, LR_LIMIT, low_open=True, error=LessonError)


def iteration_number(iteration) -> int:
    """Which iteration a lesson is: a whole number from 1 to MAX_ITERATION."""
    return whole(iteration, "the iteration number", 1, MAX_ITERATION, error=LessonError)


def title_text(title) -> str:
    """The lesson's title: text, or None for none."""
    if title is None:
        return ""
    if not isinstance(title, str):
        raise TypeError(f"the title must be text (or None); got {type(title).__name__}")
    return title


TASKS = ("regression", "softmax", "binary")


def task_of(network: Network) -> str:
    """What the lesson narrates for `network`: "regression" (squared error, any elementwise
    output), "softmax" (cross-entropy over k ≥ 2 classes) or "binary" (one sigmoid output,
    binary cross-entropy). `Network` itself refuses every other combination (a softmax
    hidden layer, squared error through a softmax, cross-entropy on a linear output)."""
    if not network.is_classifier:
        if "softmax" in network.activation_names:  # Network refuses this; a subclass might not
            raise LessonError("a softmax output learns with loss='cross_entropy'")
        return "regression"
    output = network.activations[-1].name
    if output == "softmax" and network.n_outputs >= 2:
        return "softmax"
    if output == "sigmoid" and network.n_outputs == 1:
        return "binary"
    raise LessonError(  # unreachable through Network's own checks; said in words all the same
        f"a cross-entropy lesson needs a softmax output of 2 or more classes or one sigmoid "
        f"output; the network is {network.architecture}, {', '.join(network.activation_names)}"
    )


def class_targets(Y: np.ndarray, m: int, n_out: int) -> np.ndarray:
    """A classifier's targets (already checked to be finite numbers) as the (m, n_out) rows
    of probabilities the output should give.

    Accepted: one class index per example, counting from 0 (`target=2`, or `[0, 2]` for a
    batch of two; shape (m,) or (m, 1)), or one-hot rows (`target=[0, 0, 1]`, shape (m, k)).
    One sigmoid output has the classes 0 and 1 (its target row is the class itself).
    """
    n_classes = max(n_out, 2)
    if m == 1 and Y.ndim == 1 and n_out > 1 and Y.shape[0] == n_out:
        Y = Y.reshape(1, -1)  # one example's one-hot row, given flat
    try:
        classes = class_indices(Y, n_classes)
    except DataError as exc:
        raise LessonError(f"the target: {exc}") from None
    if classes.shape[0] != m:
        raise LessonError(
            f"need one class per example ({m}); got {classes.shape[0]} "
            f"(give class indices 0 to {n_classes - 1}, or one-hot rows of {n_classes})"
        )
    return target_probabilities(classes, n_out)


def checked_network(network, batch_size: int) -> None:
    """A network a lesson can take apart: an nncore Network with finite parameters, small
    enough that its steps can be read one by one.

    Its parameters are not held to ±VALUE_LIMIT: the next iteration works on the weights the
    last one left, which may have grown; the engine's overflow check covers those.
    """
    if not isinstance(network, Network):
        raise TypeError(f"a lesson needs an nncore Network; got {type(network).__name__}")
    task_of(network)
    for l, (W, b) in enumerate(zip(network.weights, network.biases), start=1):
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise LessonError(f"layer {l}'s weights and biases must be finite numbers")
    s, m = network.sizes, batch_size
    per_pass = sum(o * (i + 3) for i, o in zip(s[:-1], s[1:]))
    estimate = 3 * m * per_pass + network.n_parameters
    if estimate > MAX_STEPS:
        raise LessonError(
            f"a {network.architecture} network on {m} example(s) would need "
            f"about {estimate} steps; lessons are for small networks "
            f"(at most {MAX_STEPS} steps)"
        )


FLOAT_MAX_TEXT = fmt(float(np.finfo(np.float64).max), 2)  # "1.8×10³⁰⁸"

# The numbers the engine checks, by kind: (their words, which `NodeNames` method names the
# neuron or parameter they belong to, the phase that computes them).
OVERFLOWED: dict[str, tuple[str, str | None, str]] = {
    "sum": ("the weighted sum of {}", "node", "forward"),
    "loss": ("the loss (mean squared error)", None, "loss"),
    "output_grad": ("the gradient of {}", "node", "backward"),
    "carried": ("the error signal carried back to {}", "node", "backward"),
    "weight_grad": ("the gradient of {}", "weight", "backward"),
    "bias_grad": ("the gradient of {}", "bias", "backward"),
    "new_weight": ("the new value of {}", "weight", "update"),
    "new_bias": ("the new value of {}", "bias", "update"),
    "new_sum": ("the new weighted sum of {}", "node", "check"),
    "new_loss": ("the loss (mean squared error) after the update", None, "check"),
    "log_loss": ("the loss (cross-entropy)", None, "loss"),
    "new_log_loss": ("the loss (cross-entropy) after the update", None, "check"),
}


def overflow(what: str, iteration: int, phase: str) -> LessonError:
    """The refusal when `what` (e.g. "the weighted sum of h₁") cannot be computed: too large
    for a float64. The advice depends on where it happened: in the update and the check the
    learning rate made the step too big; before that, in a later iteration, earlier updates
    made the weights grow; in the first iteration, the numbers given were too large."""
    if phase in ("update", "check"):
        why = "this learning rate moves the parameters too far; lower the learning rate"
    elif iteration > 1:
        why = "the weights grew without bound over the iterations; lower the learning rate"
    else:
        why = (
            "the network's weights and inputs are too large to compute with; "
            "start from smaller ones"
        )
    return LessonError(
        f"iteration {iteration}: {what} is too large to compute (over {FLOAT_MAX_TEXT}): {why}"
    )
