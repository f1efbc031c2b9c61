"""The sentence that explains each step, in the article's words where it has them.

One function per kind of step, returning the narration as plain text. Two sign conventions
meet here: the article's *desired change* (target − prediction, positive means "increase")
and the code's *gradient* (prediction − target, subtracted). A sentence that gives one gives
the other beside it (`signed(-gradient)` is the desired change), and `output_error` spells out
the relation once, the first time a gradient appears.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..formatting import fmt, operand, signed


def should(change: float) -> str:
    """'should rise by 0.3' / 'should fall by 0.1' / 'needs no change'."""
    if change > 0:
        return f"should rise by {fmt(change)}"
    if change < 0:
        return f"should fall by {fmt(-change)}"
    return "needs no change"


# ---- forward ------------------------------------------------------------------------------
def product(source: str, target: str, a: float, w: float, p: float, from_input: bool) -> str:
    if a == 0 and not from_input:
        return f"{source} is 0, so whatever the weight, it contributes nothing to {target}."
    return f"{source} = {fmt(a)} flows along the weight {fmt(w)} into {target}: it contributes {fmt(p)}."


def bias(neuron: str, b: float) -> str:
    return f"{neuron} also has its own bias, {fmt(b)}, added whatever the inputs."


def weighted_sum(neuron: str, z: float) -> str:
    return f"Adding the products and the bias gives {neuron}'s weighted sum, {fmt(z)}."


def activation(
    name: str, neuron: str, z: float, a: float, is_output: bool, binary: bool = False
) -> str:
    """`binary`: the one sigmoid output of a two-class classifier, whose a is a probability."""
    if binary and is_output:
        return (
            f"The sigmoid turns the sum {fmt(z)} into {fmt(a)}: the probability the network "
            f"gives to class 1 (and 1 − {fmt(a)} = {fmt(1 - a)} to class 0)."
        )
    if name == "relu":
        if z > 0:
            return f"The sum is above zero, so ReLU lets it through: {neuron} = {fmt(a)}."
        return f"The sum {fmt(z)} is not above zero, so ReLU outputs 0: {neuron} does not fire."
    if name == "linear":
        if is_output:
            return f"{neuron} has no activation (linear), so its output is its sum, {fmt(a)}."
        return f"{neuron} is linear: its output is its sum, {fmt(a)}."
    return f"The {name.replace('_', ' ')} activation turns the sum {fmt(z)} into {fmt(a)}."


# ---- the softmax ------------------------------------------------------------------------
STABLE_NOTE = (
    "A stable implementation subtracts the largest sum, {top}, from every sum first: that "
    "multiplies every exponential by the same factor e^({neg}), which cancels when they are "
    "divided by their total, and keeps e^z from overflowing (e^1000 is too large for a "
    "float). "
)


def exponential(neuron: str, z: float, largest: float, e: float, first: bool) -> str:
    """e^(z − max z); the `first` time, why the largest sum is subtracted."""
    unshifted = math.exp(z) if z < 700 else math.inf
    plain = f"e^{fmt(z)} = {fmt(unshifted)}" if math.isfinite(unshifted) else "too large"
    text = (
        "Softmax turns the output sums into probabilities, starting with e to the power of "
        "each sum. "
        if first
        else ""
    )
    if first:
        text += STABLE_NOTE.format(top=fmt(largest), neg=fmt(-largest))
    return text + f"For {neuron}: {fmt(e)} (unshifted it would be {plain})."


def exp_sum(count: int, total: float) -> str:
    return f"Adding the {count} exponentials gives {fmt(total)}, the total each one is divided by."


def probability(neuron: str, k: int, p: float, is_true: bool) -> str:
    true = " This is the true class." if is_true else ""
    return (
        f"Divided by the total, {neuron}'s exponential becomes a probability: the network gives "
        f"class {k} a {fmt(100 * p, 3)} % chance. The probabilities add up to 1.{true}"
    )


# ---- loss ---------------------------------------------------------------------------------
def log_loss(neuron: str, c: int, p: float, loss: float) -> str:
    return (
        f"The true class is {c}, so the loss is minus the natural log of the probability given "
        f"to it, {neuron} = {fmt(p)}: {fmt(loss)}. A probability of 1 would cost nothing; the "
        "less sure the network is of the right answer, the larger the loss. The other "
        "probabilities do not appear, but they took their share of the total."
    )


def binary_log_loss(c: int, p: float, loss: float) -> str:
    given = p if c == 1 else 1 - p
    return (
        f"The true class is {c}, so only its term counts: the probability given to class {c} "
        f"is {fmt(given)}, and the loss is −ln({fmt(given)}) = {fmt(loss)}. The more sure the "
        "network is of the wrong class, the larger the loss."
    )


def mean_log_loss(count: int, loss: float) -> str:
    return f"Averaged over the {count} examples, the loss is {fmt(loss)}."


def prediction(pred: float, y: float) -> str:
    return f"The network predicts {fmt(pred)}; the answer we want is {fmt(y)}."


def desired_change(desired: float) -> str:
    return (
        f"So the output {should(desired)}: this difference, target − prediction, "
        "is what the article calls the desired change."
    )


HALF_NOTE = (
    "The gradient the network follows is that of half the squared error "
    "(summed over outputs, averaged over examples); the ½ only makes the "
    "derivative of ½e² come out as plain e."
)


def mean_squared_error(loss: float) -> str:
    return f"The loss shown is the plain mean squared error, {fmt(loss)}. {HALF_NOTE}"


# ---- backward -----------------------------------------------------------------------------
def output_error(neuron: str, grad: float, first: bool) -> str:
    """The output's gradient; the `first` time, with the two sign conventions side by side."""
    if first:
        return (
            f"The output {should(-grad)} (desired change {signed(-grad)} = target − "
            f"prediction). The code uses the gradient, prediction − target = {fmt(grad)}: "
            "the same amount with the opposite sign. Every parameter is later moved "
            "by −(learning rate × gradient), so a negative gradient means increase "
            "and a positive one means decrease."
        )
    return (
        f"{neuron} {should(-grad)}: its gradient is prediction − target = {fmt(grad)} "
        f"(desired change {signed(-grad)})."
    )


def prob_error(neuron: str, p: float, y: float, delta: float, first: bool, task: str) -> str:
    """p − y; the `first` time, why no activation slope is multiplied in."""
    text = (
        f"{neuron}'s error is the probability it gave minus the probability it should have "
        f"given: {fmt(p)} − {fmt(y)} = {fmt(delta)}."
    )
    if first:
        cancels = (
            "the softmax's exponentials and the log cancel"
            if task == "softmax"
            else "the sigmoid's slope σ′(z) = p(1 − p) cancels against the log's 1/(p(1 − p))"
        )
        text += (
            f" With this loss it already is the error of the sum, ∂L/∂z: {cancels}, so "
            "no activation slope is multiplied in. A positive error means the probability "
            "should fall, a negative one that it should rise."
        )
    return text


def backprop_product(above: str, neuron: str, delta: float, w: float) -> str:
    return (
        f"{above}'s error signal {fmt(delta)} (desired change {signed(-delta)}) is "
        f"carried back to {neuron} by multiplying it by the weight between "
        f"them, {fmt(w)}."
    )


def backprop_sum(neuron: str, grad: float, paths: int) -> str:
    if paths > 1:
        return (
            f"Summed over every path to the output: {neuron}'s output "
            f"{should(-grad)} (gradient {fmt(grad)})."
        )
    return f"With one path to the output, {neuron}'s output {should(-grad)} (gradient {fmt(grad)})."


def derivative_words(name: str, z: float, slope: float) -> str:
    """One sentence on what the activation's slope f′(z) does to the carried-back signal."""
    if name == "relu":
        if z > 0:
            return "ReLU was active (its sum was above zero), so it passes the signal unchanged, like a weight of 1."
        return (
            f"ReLU was inactive (its sum {fmt(z)} was not above zero), so it blocks the signal, "
            "like a weight of 0: nothing before this neuron can change the prediction through it."
        )
    if name == "leaky_relu":
        if z > 0:
            return "Leaky ReLU was active, so it passes the signal unchanged (slope 1)."
        return "Leaky ReLU was below zero, so only 0.01 of the signal leaks through."
    if name == "sigmoid":
        return f"The sigmoid's slope here is a(1 − a) = {fmt(slope)}, so the signal is scaled by that much."
    if name == "tanh":
        return (
            f"The tanh's slope here is 1 − a² = {fmt(slope)}, so the signal is scaled by that much."
        )
    return "A linear neuron has slope 1: the signal passes unchanged."


def through_activation(name: str, neuron: str, z: float, slope: float, delta: float) -> str:
    return f"{derivative_words(name, z, slope)} Error signal of {neuron}'s sum: {fmt(delta)}."


def weight_gradient(
    source: str, neuron: str, inputs: Sequence[float], deltas: Sequence[float], grad: float
) -> str:
    """Why this weight changes (or cannot): desired change × the value flowing in."""
    m = len(inputs)
    if all(a == 0 for a in inputs):
        return (
            f"{source} was 0, so changing this weight cannot change the prediction: "
            "its change is 0."
        )
    if all(d == 0 for d in deltas):
        return (
            f"{neuron}'s error signal is 0 (nothing reaches it from the output), "
            "so this weight gets no change."
        )
    if m == 1:
        return (
            f"A weight's change is (how much its neuron should change) × (the value flowing "
            f"into it): {signed(-deltas[0])} × {operand(inputs[0])} = {signed(-grad)}, "
            f"i.e. gradient {fmt(grad)}."
        )
    return (
        f"Each example's (desired change × value flowing in), averaged over the {m} "
        f"examples: desired change {signed(-grad)}, i.e. gradient {fmt(grad)}."
    )


def bias_gradient(neuron: str, grad: float, batch_size: int) -> str:
    if batch_size == 1:
        return (
            f"The bias is added straight into {neuron}'s sum, so its change is the neuron's own "
            f"desired change, {signed(-grad)} (gradient {fmt(grad)})."
        )
    return (
        f"The bias's change is {neuron}'s desired change averaged over the {batch_size} examples: "
        f"{signed(-grad)} (gradient {fmt(grad)})."
    )


# ---- update and check ---------------------------------------------------------------------
ALL_AT_ONCE = (
    " All gradients were computed first, as if each parameter were the only one "
    "to change; only now are they applied, each scaled down by the learning rate "
    "so that one example only nudges the network."
)


def weight_update(weight: str, old: float, lr: float, grad: float, first: bool) -> str:
    """How far the weight moves; the `first` update also says why all move only now."""
    if grad == 0:
        text = f"{weight} has a zero gradient, so it stays at {fmt(old)}."
    else:
        text = (
            f"{weight} moves by −{fmt(lr)} × {operand(grad)} = {signed(-lr * grad)}: its desired "
            "change scaled down by the learning rate."
        )
    return text + ALL_AT_ONCE if first else text


def bias_update(bias_name: str, old: float, lr: float, grad: float) -> str:
    if grad != 0:
        return f"{bias_name} moves by −{fmt(lr)} × {operand(grad)} = {signed(-lr * grad)}."
    return f"{bias_name} has a zero gradient, so it stays at {fmt(old)}."


def _closer(new: float, old: float, y: float) -> str:
    """How the new value moved relative to the one it should be: "closer to", ..."""
    if abs(new - y) < abs(old - y):
        return "closer to"
    if abs(new - y) == abs(old - y):
        return "no closer to"
    return "further from"


def new_prediction(new: float, old: float, y: float) -> str:
    verdict = _closer(new, old, y)
    return (
        f"Run forward again with the new parameters: the prediction is {fmt(new)}, "
        f"{verdict} the target {fmt(y)} than before ({fmt(old)})."
    )


def new_probability(neuron: str, new: float, old: float, y: float) -> str:
    verdict = _closer(new, old, y)
    return (
        f"Run forward again with the new parameters: {neuron} is {fmt(new)}, {verdict} the "
        f"probability it should give, {fmt(y)}, than before ({fmt(old)})."
    )


def new_loss(new: float, old: float) -> str:
    if new < old:
        change = "went down"
    elif new == old:
        change = "stayed the same"
    else:
        change = "went up"
    advice = (
        "" if new <= old else " The learning rate is too large for this example: try a smaller one."
    )
    return f"The loss {change}, from {fmt(old)} to {fmt(new)}.{advice}"
