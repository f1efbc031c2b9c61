"""Ready-made lessons and the student's own: the presets the app and the CLI offer.

- `perceptron`: the article's single perceptron, (0.3×0.3) + (0.7×0.1) + (−0.5×0.5) + 0.01;
- `article`: the article's 2-3-1 ReLU network learning the mean of its inputs, with weights
  chosen so the article's numbers appear exactly (hidden sums 0.4, 0.2, −0.46; prediction −0.1);
- `sigmoid`: the classic two-layer sigmoid worked example (0.05, 0.10 → 0.01, 0.99);
- `softmax`: a 2-2-3 classifier (ReLU, softmax, cross-entropy) on one example of class 2,
  with weights chosen so its sums are 0.8, −0.1 and 0.6 and its loss −ln 0.3679 ≈ 0.9999;
- `logistic`: the perceptron as a logistic unit: the same weighted sum −0.08 through a
  sigmoid, read as the probability 0.48 of class 1, learning with binary cross-entropy;
- `custom`: `make_custom` builds a lesson on a small network the student designs, within
  `CUSTOM_LIMITS`, and says in plain words what is wrong with a refused choice.

`make_lesson(name, **overrides)` builds any of them by name; `PRESETS` lists them in order.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..activations import ACTIVATIONS, get_activation
from ..checks import choice, number_array, whole
from ..errors import SettingsError
from ..network import Network
from ..safetext import shown
from .engine import Lesson
from .examples import VALUE_LIMIT, LessonError, finite_list, learning_rate


@dataclass(frozen=True)
class Preset:
    """A ready-made lesson: `factory(**overrides)` builds it."""

    name: str
    title: str
    description: str
    factory: Callable[..., Lesson]


def _fixed_network(sizes, activations, weights, biases, loss: str = "mse") -> Network:
    net = Network(sizes, activations=activations, init="article", seed=0, loss=loss)
    net.load_parameters(
        [np.array(w, dtype=np.float64) for w in weights],
        [np.array(b, dtype=np.float64).reshape(1, -1) for b in biases],
    )
    return net


PERCEPTRON_WEIGHTS = ([[0.3], [0.1], [0.5]], [[0.01]])


def perceptron_lesson(x=(0.3, 0.7, -0.5), target=0.0, lr=0.5) -> Lesson:
    """The article's single perceptron: (0.3×0.3) + (0.7×0.1) + (−0.5×0.5) + 0.01 = −0.08."""
    net = _fixed_network((3, 1), ["linear"], [PERCEPTRON_WEIGHTS[0]], [PERCEPTRON_WEIGHTS[1]])
    return Lesson(
        net, x, [target] if np.ndim(target) == 0 else target, lr, title="A single perceptron"
    )


# Chosen so the article's numbers appear exactly: hidden sums 0.4, 0.2, −0.46 (ReLU → 0),
# prediction −0.5·0.4 + 0.25·0.2 + 0.9·0 + 0.05 = −0.1 for inputs 0.1, 0.3 and target 0.2.
ARTICLE_WEIGHTS = (
    [[0.6, 0.5, -0.5], [0.8, 0.5, -0.7]],
    [[-0.5], [0.25], [0.9]],
)
ARTICLE_BIASES = ([0.1, 0.0, -0.2], [0.05])


def article_network() -> Network:
    return _fixed_network((2, 3, 1), ["relu", "linear"], ARTICLE_WEIGHTS, ARTICLE_BIASES)


def article_lesson(x=(0.1, 0.3), target=0.2, lr=0.1) -> Lesson:
    """The article's 2-3-1 ReLU network learning the mean of its two inputs."""
    return Lesson(
        article_network(),
        x,
        [target] if np.ndim(target) == 0 else target,
        lr,
        title="The article's network: learning the mean",
    )


# The classic two-layer sigmoid example (inputs 0.05, 0.10 → targets 0.01, 0.99).
SIGMOID_WEIGHTS = ([[0.15, 0.25], [0.20, 0.30]], [[0.40, 0.50], [0.45, 0.55]])
SIGMOID_BIASES = ([0.35, 0.35], [0.60, 0.60])


def sigmoid_network() -> Network:
    return _fixed_network((2, 2, 2), ["sigmoid", "sigmoid"], SIGMOID_WEIGHTS, SIGMOID_BIASES)


def sigmoid_lesson(x=(0.05, 0.10), target=(0.01, 0.99), lr=0.5) -> Lesson:
    """A 2-2-2 network with sigmoid hidden and output layers and two targets."""
    return Lesson(sigmoid_network(), x, target, lr, title="Sigmoid neurons, two outputs")


# A 2-2-3 classifier: ReLU hidden sums 0.6 and 0.5; output sums 0.8, −0.1, 0.6, so the
# exponentials (shifted by the largest, 0.8) are 1, e^−0.9 = 0.4066 and e^−0.2 = 0.8187, the
# probabilities 0.4494, 0.1827 and 0.3679, and the loss for the true class 2 is −ln 0.3679
# ≈ 0.9999. The network favours class 0, so the lesson shows a clear correction.
SOFTMAX_WEIGHTS = ([[0.4, -0.2], [0.3, 0.6]], [[0.5, -0.5, 1.0], [1.0, 0.2, -0.4]])
SOFTMAX_BIASES = ([0.1, 0.0], [0.0, 0.1, 0.2])


def softmax_network() -> Network:
    return _fixed_network(
        (2, 2, 3), ["relu", "softmax"], SOFTMAX_WEIGHTS, SOFTMAX_BIASES, loss="cross_entropy"
    )


def softmax_lesson(x=(0.5, 1.0), target=2, lr=0.5) -> Lesson:
    """A 2-2-3 softmax classifier with cross-entropy; the target is a class index (0, 1 or 2)
    or a one-hot row such as (0, 0, 1)."""
    return Lesson(softmax_network(), x, target, lr, title="Softmax classifier (3 classes)")


def logistic_network() -> Network:
    return _fixed_network(
        (3, 1),
        ["sigmoid"],
        [PERCEPTRON_WEIGHTS[0]],
        [PERCEPTRON_WEIGHTS[1]],
        loss="cross_entropy",
    )


def logistic_lesson(x=(0.3, 0.7, -0.5), target=1, lr=0.5) -> Lesson:
    """The article's perceptron as a logistic unit: σ(−0.08) = 0.48 is the probability of
    class 1; the target is the class, 0 or 1; binary cross-entropy."""
    return Lesson(logistic_network(), x, target, lr, title="A logistic unit (two classes)")


# ---- custom lessons -------------------------------------------------------------------------
CUSTOM_LIMITS = {"inputs": (1, 4), "hidden_layers": (0, 3), "hidden": (1, 6), "outputs": (1, 3)}


def make_custom(
    sizes=(2, 3, 1),
    activations=("relu", "linear"),
    x=(0.1, 0.3),
    target=(0.2,),
    lr: float = 0.1,
    seed: int = 0,
    weights=None,
    biases=None,
    loss=None,
) -> Lesson:
    """A lesson on a network the student builds.

    `sizes`: 1–4 inputs, up to 3 hidden layers of 1–6 neurons, 1–3 outputs. `activations`:
    one name per layer (output included) or one name for the hidden layers (the output then
    linear); the output may be "softmax" (2 or 3 outputs, one per class), which makes the
    network a classifier learning with cross-entropy. `loss`: "mse" or "cross_entropy"
    (default: cross-entropy for a softmax output, else squared error; "cross_entropy" with
    one sigmoid output is a logistic unit). A classifier's `target` is its true class (an
    index from 0, or a one-hot row). Weights and biases are typed in (`weights[l]` of shape
    (fan_in, fan_out), `biases[l]` of fan_out values, each within ±VALUE_LIMIT) or drawn
    uniformly in (−1, 1) from `seed`, biases zero. Raises LessonError (a ValueError) saying
    what is wrong with a value, TypeError naming the argument that is not what it should be
    (None, text, ...).
    """
    sizes = _custom_sizes(sizes)
    n_layers = len(sizes) - 1
    activations = _custom_activations(activations, n_layers)
    loss = _custom_loss(loss, activations[-1], sizes[-1])
    x = finite_list(x, "the inputs", sizes[0])
    if loss == "mse":
        target = finite_list(target, "the target", sizes[-1])
    lr = learning_rate(lr)
    seed = whole(seed, "the seed", 0, 2**32 - 1, error=LessonError)
    net = Network(sizes, activations=activations, init="article", seed=seed, loss=loss)
    if weights is not None:
        _require_layers(weights, "weights", "weight matrices", n_layers)
        for l, w in enumerate(weights):
            what = f"layer {l + 1}'s weights"
            shape = (sizes[l], sizes[l + 1])
            arr = number_array(
                w, what, limit=VALUE_LIMIT, max_count=shape[0] * shape[1], error=LessonError
            )
            if arr.shape != shape:
                raise LessonError(
                    f"{what} must be {shape[0]}×{shape[1]} (inputs × neurons); "
                    f"got shape {arr.shape}"
                )
            net.set_weights(l, arr)
    if biases is not None:
        _require_layers(biases, "biases", "bias lists", n_layers)
        for l, b in enumerate(biases):
            net.set_biases(l, finite_list(b, f"layer {l + 1}'s biases", sizes[l + 1]))
    return Lesson(net, x, target, lr, title="Your own network")


def _custom_sizes(sizes) -> list[int]:
    """The layer sizes of a custom network, within CUSTOM_LIMITS."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence | np.ndarray):
        raise TypeError(
            f"sizes must be a list of whole numbers, e.g. [2, 3, 1]; got {shown(sizes)}"
        )
    if len(sizes) < 2:
        raise LessonError("sizes need at least an input and an output size, e.g. [2, 1]")
    hidden_hi = CUSTOM_LIMITS["hidden_layers"][1]
    if len(sizes) - 2 > hidden_hi:
        raise LessonError(f"at most {hidden_hi} hidden layers; got {len(sizes) - 2}")
    checked = [whole(s, "each of sizes", error=LessonError) for s in sizes]
    lo, hi = CUSTOM_LIMITS["inputs"]
    if not lo <= checked[0] <= hi:
        raise LessonError(f"the network needs {lo} to {hi} inputs; got {checked[0]}")
    lo, hi = CUSTOM_LIMITS["outputs"]
    if not lo <= checked[-1] <= hi:
        raise LessonError(f"the network needs {lo} to {hi} outputs; got {checked[-1]}")
    lo, hi = CUSTOM_LIMITS["hidden"]
    for k, h in enumerate(checked[1:-1], start=1):
        if not lo <= h <= hi:
            raise LessonError(f"hidden layer {k} needs {lo} to {hi} neurons; got {h}")
    return checked


def _custom_loss(loss, output: str, n_outputs: int) -> str:
    """The custom network's loss: given, or cross-entropy for a softmax output; the
    combinations `Network` refuses are said here in the lesson's words."""
    if loss is None:
        loss = "cross_entropy" if output == "softmax" else "mse"
    choice(loss, "loss", ("mse", "cross_entropy"), error=LessonError)
    if output == "softmax":
        if n_outputs < 2:
            raise LessonError(
                "a softmax output needs 2 or 3 outputs, one per class (over one output it "
                "always says 1)"
            )
        if loss != "cross_entropy":
            raise LessonError("a softmax output learns with loss='cross_entropy'")
    elif loss == "cross_entropy" and not (output == "sigmoid" and n_outputs == 1):
        raise LessonError(
            "cross-entropy needs a softmax output (2 or 3 classes) or one sigmoid output "
            "(two classes)"
        )
    return loss


def _custom_activations(activations, n_layers: int) -> list[str]:
    """One activation name per layer: given so, or one name for the hidden layers; the
    output's may also be "softmax"."""
    if isinstance(activations, str):
        activations = [activations] * (n_layers - 1) + ["linear"]
    if not isinstance(activations, Sequence | np.ndarray):
        raise TypeError(f"activations must be a name or a list of names; got {shown(activations)}")
    if len(activations) != n_layers:
        raise LessonError(
            f"need one activation per layer, output included ({n_layers}); got {len(activations)}"
        )
    names = []
    for k, name in enumerate(activations):
        if not isinstance(name, str):
            raise TypeError(f"each activation must be a name such as 'relu'; got {shown(name)}")
        if name.strip().lower() == "softmax":
            if k != n_layers - 1:
                raise LessonError(
                    "softmax can only be the output layer's activation (it turns the "
                    "outputs into class probabilities)"
                )
            names.append("softmax")
            continue
        try:
            names.append(get_activation(name).name)
        except SettingsError:
            raise LessonError(
                f"unknown activation {shown(name)}; choose one of: {', '.join(ACTIVATIONS)}"
            ) from None
    return names


def _require_layers(values, what: str, plural: str, n_layers: int) -> None:
    """`values` is a list with one entry per layer."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence | np.ndarray):
        raise TypeError(f"{what} must be a list of {plural}, one per layer; got {shown(values)}")
    if len(values) != n_layers:
        raise LessonError(f"need {n_layers} {plural} (one per layer); got {len(values)}")


PRESETS: dict[str, Preset] = {
    "perceptron": Preset(
        "perceptron",
        "A single perceptron",
        "Three inputs (0.3, 0.7, −0.5), weights 0.3, 0.1, 0.5 and bias 0.01: the weighted sum "
        "is −0.08. With target 0 and learning rate 0.5, one step of learning.",
        perceptron_lesson,
    ),
    "article": Preset(
        "article",
        "The article's network",
        "A 2-3-1 ReLU network learning the mean of its inputs: inputs 0.1 and 0.3, target 0.2, "
        "prediction −0.1. The third hidden neuron's sum is −0.46, so ReLU blocks it.",
        article_lesson,
    ),
    "sigmoid": Preset(
        "sigmoid",
        "Sigmoid neurons, two outputs",
        "A 2-2-2 network with sigmoid hidden and output layers: inputs 0.05, 0.10, targets "
        "0.01 and 0.99 (the classic worked example), learning rate 0.5.",
        sigmoid_lesson,
    ),
    "softmax": Preset(
        "softmax",
        "Softmax classifier (3 classes)",
        "A 2-2-3 network, ReLU then softmax, learning with cross-entropy: inputs 0.5 and 1.0, "
        "true class 2. Each exponential, their sum, each probability, −ln p of the true class, "
        "then the output errors p − y.",
        softmax_lesson,
    ),
    "logistic": Preset(
        "logistic",
        "A logistic unit (two classes)",
        "The perceptron's weighted sum −0.08 through a sigmoid: the probability 0.48 of "
        "class 1. The true class is 1; binary cross-entropy, learning rate 0.5.",
        logistic_lesson,
    ),
    "custom": Preset(
        "custom",
        "Your own network",
        "Choose 1–4 inputs, up to 3 hidden layers of 1–6 neurons, 1–3 outputs, an activation "
        "per layer (a softmax output makes a classifier), the example, the target, the "
        "learning rate and the weights.",
        make_custom,
    ),
}


def make_lesson(name: str, **kw) -> Lesson:
    """Build a preset lesson by name ("perceptron", "article", "sigmoid", "softmax",
    "logistic", "custom"), with
    `kw` passed to its factory (e.g. `make_lesson("article", lr=0.5)`)."""
    choice(name, "lesson", PRESETS, error=LessonError)
    factory = PRESETS[name].factory
    accepted = inspect.signature(factory).parameters
    unknown = [key for key in kw if key not in accepted]
    if unknown:
        raise TypeError(
            f"the {name!r} lesson takes {', '.join(accepted)}; got {shown(', '.join(unknown))}"
        )
    return factory(**kw)
