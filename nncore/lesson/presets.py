"""Ready-made lessons and the student's own: the presets the app and the CLI offer.

- `perceptron`: the article's single perceptron, (0.3×0.3) + (0.7×0.1) + (−0.5×0.5) + 0.01;
- `article`: the article's 2-3-1 ReLU network learning the mean of its inputs, with weights
  chosen so the article's numbers appear exactly (hidden sums 0.4, 0.2, −0.46; prediction −0.1);
- `sigmoid`: the classic two-layer sigmoid worked example (0.05, 0.10 → 0.01, 0.99);
- `custom`: `make_custom` builds a lesson on a small network the student designs, within
  `CUSTOM_LIMITS`, and says in plain words what is wrong with a refused choice.

`make_lesson(name, **overrides)` builds any of them by name; `PRESETS` lists them in order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..activations import get_activation
from ..network import Network
from .engine import Lesson
from .examples import LessonError, finite_list


@dataclass(frozen=True)
class Preset:
    """A ready-made lesson: `factory(**overrides)` builds it."""

    name: str
    title: str
    description: str
    factory: Callable[..., Lesson]


def _fixed_network(sizes, activations, weights, biases) -> Network:
    net = Network(sizes, activations=activations, init="article", seed=0)
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
) -> Lesson:
    """A lesson on a network the student builds.

    `sizes`: 1–4 inputs, up to 3 hidden layers of 1–6 neurons, 1–3 outputs. `activations`:
    one name per layer (output included) or one name for the hidden layers (the output then
    linear). Weights and biases are typed in (`weights[l]` of shape (fan_in, fan_out),
    `biases[l]` of fan_out values) or drawn uniformly in (−1, 1) from `seed`, biases zero.
    Raises LessonError (a ValueError) saying what is wrong.
    """
    try:
        sizes = [int(s) for s in sizes]
    except (TypeError, ValueError):
        raise LessonError("sizes must be whole numbers, e.g. [2, 3, 1]") from None
    if len(sizes) < 2:
        raise LessonError("sizes need at least an input and an output size, e.g. [2, 1]")
    lo, hi = CUSTOM_LIMITS["inputs"]
    if not lo <= sizes[0] <= hi:
        raise LessonError(f"the network needs {lo} to {hi} inputs; got {sizes[0]}")
    lo, hi = CUSTOM_LIMITS["outputs"]
    if not lo <= sizes[-1] <= hi:
        raise LessonError(f"the network needs {lo} to {hi} outputs; got {sizes[-1]}")
    hidden = sizes[1:-1]
    lo, hi = CUSTOM_LIMITS["hidden_layers"]
    if len(hidden) > hi:
        raise LessonError(f"at most {hi} hidden layers; got {len(hidden)}")
    lo, hi = CUSTOM_LIMITS["hidden"]
    for k, h in enumerate(hidden, start=1):
        if not lo <= h <= hi:
            raise LessonError(f"hidden layer {k} needs {lo} to {hi} neurons; got {h}")
    n_layers = len(sizes) - 1
    if isinstance(activations, str):
        activations = [activations] * (n_layers - 1) + ["linear"]
    activations = list(activations)
    if len(activations) != n_layers:
        raise LessonError(
            f"need one activation per layer, output included ({n_layers}); got {len(activations)}"
        )
    for name in activations:
        get_activation(name)  # raises ValueError naming the choices
    x = finite_list(x, "the inputs", sizes[0])
    target = finite_list(target, "the target", sizes[-1])
    try:
        lr = float(lr)
    except (TypeError, ValueError):
        raise LessonError(f"the learning rate must be a number; got {lr!r}") from None
    if not math.isfinite(lr) or not 0 < lr <= 10:
        raise LessonError(f"the learning rate must be above 0 and at most 10; got {lr}")
    net = Network(sizes, activations=activations, init="article", seed=int(seed))
    if weights is not None:
        if len(weights) != n_layers:
            raise LessonError(
                f"need {n_layers} weight matrices (one per layer); got {len(weights)}"
            )
        for l, w in enumerate(weights):
            shape = (sizes[l], sizes[l + 1])
            try:
                arr = np.array(w, dtype=np.float64)
            except (TypeError, ValueError):
                raise LessonError(f"layer {l + 1}'s weights must be numbers") from None
            if arr.shape != shape:
                raise LessonError(
                    f"layer {l + 1}'s weights must be {shape[0]}×{shape[1]} "
                    f"(inputs × neurons); got shape {arr.shape}"
                )
            if not np.all(np.isfinite(arr)):
                raise LessonError(f"layer {l + 1}'s weights must be finite numbers (no inf or nan)")
            net.set_weights(l, arr)
    if biases is not None:
        if len(biases) != n_layers:
            raise LessonError(f"need {n_layers} bias lists (one per layer); got {len(biases)}")
        for l, b in enumerate(biases):
            net.set_biases(l, finite_list(b, f"layer {l + 1}'s biases", sizes[l + 1]))
    return Lesson(net, x, target, lr, title="Your own network")


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
    "custom": Preset(
        "custom",
        "Your own network",
        "Choose 1–4 inputs, up to 3 hidden layers of 1–6 neurons, 1–3 outputs, an activation "
        "per layer, the example, the target, the learning rate and the weights.",
        make_custom,
    ),
}


def make_lesson(name: str, **kw) -> Lesson:
    """Build a preset lesson by name ("perceptron", "article", "sigmoid", "custom")."""
    if name not in PRESETS:
        raise LessonError(f"unknown lesson {name!r}; choose one of: {', '.join(PRESETS)}")
    return PRESETS[name].factory(**kw)
