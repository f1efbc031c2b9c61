"""The classic slips a student makes in one training iteration, each worked out from the step.

For a step of the lesson, `mistakes_for(step, facts)` lists the numbers a student would give
after each known slip, computed from the step's own operands (and, where a slip involves a
neighbouring number, from the lesson's real weights and earlier steps), never guessed from
the wording. Each `Mistake` carries its code (a key of `DIAGNOSES`), the wrong number, the
size that "within 1 %" is measured against, and the two halves of the sentence that explains
it to the student: what the number *is* and what to do instead.

    sum z(h₁) = 0.06 + 0.24 + 0.1 = 0.4   →   Mistake("bias", 0.3, ...): the products
                                               without the bias b(h₁) = 0.1

The list is in order of specificity: when two slips give the same number, the first one
names it (target − prediction is both "the negative" and "the desired change instead of the
gradient"; the second says more). Whether a slip can be told apart from the right answer at
all (a zero bias cannot be forgotten visibly) is decided by the quiz, which knows when an
answer counts as right.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..formatting import fmt, operand
from .formulas import DERIVATIVE_NAMES
from .names import NodeNames
from .record import LessonStep

# code → short title (for the score sheet and the end-of-iteration summary)
DIAGNOSES: dict[str, str] = {
    "sign": "the sign flipped (or an update in the wrong direction)",
    "desired_vs_gradient": "target − prediction mixed up with prediction − target",
    "learning_rate": "the update without the learning rate",
    "bias": "the weighted sum without the bias",
    "activation": "the activation (or its slope) left out",
    "wrong_weight": "another neuron's weight used",
    "batch_mean": "a batch sum not divided by the batch size",
    "old_value": "the value before the update",
    "change_only": "only the change given, not the new value",
    "mean": "the squared errors added but not averaged",
    "half": "half the mean squared error",
    "square": "the errors averaged without squaring them",
    "rounding": "an update rounded so far that its change is lost",
    "no_shift": "e^z without subtracting the largest sum first",
    "no_exp": "the shifted sum itself, not e to its power",
    "missing_term": "an exponential left out of the sum",
    "not_normalised": "the exponential not divided by the sum",
    "inverted": "the sum divided by the exponential, upside down",
    "wrong_class": "the log of another class's probability",
    "log10": "log base 10 instead of the natural log",
    "one_hot": "the target (1 for the true class, 0 otherwise) not subtracted",
    "unreadable": "not a number the tutor could read",
}

ACTIVATION_WORDS = {
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "linear": "linear",
    "softmax": "softmax",
}


@dataclass(frozen=True)
class Mistake:
    """The number a slip produces for one step, and how to say so.

    `scale` is what "within 1 %" is relative to (the wrong number itself, or for an update
    the change the wrong rule makes); 0 means only the digits shown count. The message is
    "You gave <answer>, which is <because>: <fix>."
    """

    code: str
    value: float
    scale: float
    because: str
    fix: str

    def message(self, answer: float) -> str:
        return f"You gave {fmt(answer)}, which is {self.because}: {self.fix}."


@dataclass(frozen=True)
class LessonFacts:
    """What the catalogue needs from a lesson besides the step itself.

    `weights` are the parameters the iteration started with (the ones its forward and
    backward passes use); `upstream[(layer, neuron, sample)]` is ∂L/∂a of a neuron before its
    activation's slope, read from the lesson's own "through the activation" steps.
    """

    names: NodeNames
    weights: tuple[np.ndarray, ...]
    activations: tuple[str, ...]
    activation_fns: tuple[Callable[[np.ndarray], np.ndarray], ...]
    batch_size: int
    upstream: dict[tuple[int, int, int], float]


def facts_of(lesson) -> LessonFacts:
    """The facts of a `Lesson` (read only; nothing in the lesson is changed)."""
    upstream = {}
    for step in lesson.steps:
        if step.kind == "activation_grad":
            upstream[(step.layer, step.neuron, step.sample)] = step.operands["upstream"]
    net = lesson.network
    return LessonFacts(
        names=lesson.names,
        weights=tuple(np.array(w, dtype=np.float64) for w in net.weights),
        activations=tuple(a.name for a in net.activations),
        activation_fns=tuple(a.f for a in net.activations),
        batch_size=int(lesson.batch_size),
        upstream=upstream,
    )


def mistakes_for(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    """Every known slip for `step`, most specific first (only finite numbers)."""
    make = _BY_KIND.get(step.kind)
    found = make(step, facts) if make is not None else []
    if step.kind in _SIGN_FIRST:
        found.insert(0, _negated(step))  # −p is more often a sign slip than a wrong weight
    else:
        found.append(_negated(step))
    return [m for m in found if math.isfinite(m.value)]


_SIGN_FIRST = ("product", "backprop_product")


# ---- one function per kind of step --------------------------------------------------------
def _negated(step: LessonStep) -> Mistake:
    v = step.value
    if step.kind in ("weight_update", "bias_update"):
        old, lr, g = step.operands["old"], step.operands["lr"], step.operands["grad"]
        return Mistake(
            "sign",
            old + lr * g,
            abs(lr * g),
            f"{fmt(old)} + {fmt(lr)} × {operand(g)}, a step uphill, the way the loss grows",
            "the update subtracts learning rate × gradient",
        )
    factors = _FACTORS.get(step.kind)
    if factors is not None and all(f in step.operands for f in factors):
        a, b = (step.operands[f] for f in factors)
        fix = f"{_sign_word(a)} × {_sign_word(b)} is {_sign_word(a * b)}"
    else:
        fix = "check the sign of each number you combined"
    return Mistake("sign", -v, abs(v), "the right size with the wrong sign", fix)


# the two factors of the steps that are one product
_FACTORS = {
    "product": ("input", "weight"),
    "backprop_product": ("error", "weight"),
    "weight_grad": ("input", "error"),
    "activation_grad": ("upstream", "derivative"),
}


def _sign_word(x: float) -> str:
    return "positive" if x > 0 else "negative" if x < 0 else "zero"


def _wrong_weights(facts, layer, i, j, factor, fix, words) -> list[Mistake]:
    """The "wrong_weight" slips of a product factor × weights[layer][i, j]: the same factor
    times every other weight of row i (words[1]) or column j (words[0]) of that matrix.

    `factor` is (its name, its value, its value as shown), e.g. ("x₁", 0.1, "0.1")."""
    nm, W = facts.names, facts.weights[layer]  # W: (fan_in, fan_out)
    name, value, value_text = factor
    others = [(k, j, words[0]) for k in range(W.shape[0]) if k != i]
    others += [(i, k, words[1]) for k in range(W.shape[1]) if k != j]
    found = []
    for r, c, what in others:
        other = float(W[r, c])
        said = f"{name} × {nm.weight(layer, r, c)} = {value_text} × {operand(other)}, {what}"
        found.append(Mistake("wrong_weight", value * other, abs(value * other), said, fix))
    return found


def _product(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    nm, (l, i, j) = facts.names, step.edges[0]
    a, w = step.operands["input"], step.operands["weight"]
    fix = f"use the weight on this connection, {nm.weight(l, i, j)} = {fmt(w)}"
    return _wrong_weights(
        facts,
        l,
        i,
        j,
        (nm.node(l, i), a, fmt(a)),
        fix,
        ("the weight of another input", "another neuron's weight"),
    )


def _weighted_sum(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    nm, l, j = facts.names, step.layer, step.neuron
    assert l is not None and j is not None
    b = step.operands["bias"]
    products = [v for k, v in step.operands.items() if k.startswith("product_")]
    without = step.value - b
    return [
        Mistake(
            "bias",
            without,
            abs(without),
            " + ".join(operand(p) for p in products)
            + f", the products without the bias {nm.bias(l, j)} = {fmt(b)}",
            f"add the bias {nm.bias(l, j)} to the products",
        )
    ]


def _activation(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    nm, l, j = facts.names, step.layer, step.neuron
    assert l is not None and j is not None
    name, z = facts.activations[l], step.operands["z"]
    node = nm.node(l + 1, j)
    fixes = {
        "relu": f"ReLU lets a sum through only when it is positive: max(0, {fmt(z)})",
        "leaky_relu": "leaky ReLU keeps a positive sum and multiplies a negative one by 0.01",
        "sigmoid": f"put it through the sigmoid, 1 / (1 + e^({fmt(-z)}))",
        "tanh": f"take tanh({fmt(z)})",
    }
    if name not in fixes:
        return []
    return [
        Mistake(
            "activation",
            z,
            abs(z),
            f"the weighted sum z({node}) itself, before the {ACTIVATION_WORDS[name]} activation",
            fixes[name],
        )
    ]


def _desired_change(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    j = step.neuron or 0
    nm = facts.names
    y, pred = step.operands["target"], step.operands["prediction"]
    out, target = nm.node(nm.L, j), nm.target(j)
    return [
        Mistake(
            "desired_vs_gradient",
            pred - y,
            abs(pred - y),
            f"{out} − {target} = {fmt(pred)} − {operand(y)}, the gradient's order",
            f"the desired change is target minus prediction, {target} − {out}",
        )
    ]


def _mse(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    diffs = [v for k, v in step.operands.items() if k.startswith("error_")]
    count = len(diffs)
    squares = sum(d * d for d in diffs)
    found = []
    if count > 1:
        found.append(
            Mistake(
                "mean",
                squares,
                squares,
                f"the sum of the {count} squared errors",
                f"divide it by {count} to get their mean",
            )
        )
    found.append(
        Mistake(
            "half",
            squares / count / 2,
            squares / count / 2,
            "half the mean of the squared errors",
            "the MSE is the plain mean of the squares, with no ½",
        )
    )
    mean_error = sum(-d for d in diffs) / count  # the desired changes, as the student saw them
    found.append(
        Mistake(
            "square",
            mean_error,
            abs(mean_error),
            "the mean of the errors themselves",
            "square each error before taking the mean",
        )
    )
    return found


def _output_error(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    j = step.neuron or 0
    nm = facts.names
    pred, y = step.operands["prediction"], step.operands["target"]
    out, target = nm.node(nm.L, j), nm.target(j)
    return [
        Mistake(
            "desired_vs_gradient",
            y - pred,
            abs(y - pred),
            f"{target} − {out} = {fmt(y)} − {operand(pred)}, the desired change",
            f"the gradient ∂L/∂{out} is prediction minus target, {out} − {target}",
        )
    ]


def _backprop_product(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    nm, (col, i, j) = facts.names, step.edges[0]
    d, w = step.operands["error"], step.operands["weight"]
    node, above = nm.node(col, i), nm.node(col + 1, j)
    fix = f"the error reaches {node} through {nm.weight(col, i, j)} = {fmt(w)}"
    return _wrong_weights(
        facts,
        col,
        i,
        j,
        (f"δ({above})", d, operand(d)),
        fix,
        ("another neuron's weight", "the weight to another neuron"),
    )


def _through_activation(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    nm, l, j = facts.names, step.layer, step.neuron
    assert l is not None and j is not None
    name = facts.activations[l]
    up, slope, z = step.operands["upstream"], step.operands["derivative"], step.operands["z"]
    node, slope_name = nm.node(l + 1, j), DERIVATIVE_NAMES[name][0]
    if name == "relu" and z <= 0:
        fix = f"ReLU was off (z = {fmt(z)} ≤ 0), so its slope is 0 and it passes nothing back"
    else:
        fix = f"multiply by the slope {slope_name} = {fmt(slope)}"
    found = [
        Mistake(
            "activation",
            up,
            abs(up),
            f"∂L/∂{node} = {fmt(up)} without the activation's slope",
            fix,
        )
    ]
    if name in ("sigmoid", "tanh"):
        a = float(facts.activation_fns[l](np.array([z]))[0])
        found.append(
            Mistake(
                "activation",
                up * a,
                abs(up * a),
                f"∂L/∂{node} × {node} = {operand(up)} × {operand(a)}, the activation instead "
                f"of its slope",
                f"multiply by the slope {slope_name} = {fmt(slope)}",
            )
        )
    return found


def _batch_sum(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    """A batch gradient's sum not divided by the batch size (only for a batch)."""
    m = facts.batch_size
    if m == 1:
        return []
    total = step.value * m
    return [
        Mistake(
            "batch_mean",
            total,
            abs(total),
            f"the sum over the {m} examples",
            f"a batch gradient is their mean, so divide by {m}",
        )
    ]


def _before_slope(step: LessonStep, facts: LessonFacts, inputs: list[float]) -> list[Mistake]:
    """The gradient worked out with ∂L/∂a (before the activation's slope) instead of δ."""
    nm, l, j = facts.names, step.layer, step.neuron
    assert l is not None and j is not None
    ups = [facts.upstream.get((l, j, s)) for s in range(facts.batch_size)]
    if any(u is None for u in ups):
        return []  # a linear output: there is no slope to forget
    value = sum(a * u for a, u in zip(inputs, ups) if u is not None) / facts.batch_size
    node = nm.node(l + 1, j)
    return [
        Mistake(
            "activation",
            value,
            abs(value),
            f"worked out with ∂L/∂{node}, before the activation's slope",
            f"use δ({node}), the error after the slope",
        )
    ]


def _weight_gradient(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    m = facts.batch_size
    if m == 1:
        inputs = [step.operands["input"]]
    else:
        inputs = [step.operands[f"input_{s}"] for s in range(m)]
    return _batch_sum(step, facts) + _before_slope(step, facts, inputs)


def _bias_gradient(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    return _batch_sum(step, facts) + _before_slope(step, facts, [1.0] * facts.batch_size)


def _update(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    old, lr, g = step.operands["old"], step.operands["lr"], step.operands["grad"]
    return [
        Mistake(
            "learning_rate",
            old - g,
            abs(g),
            f"{fmt(old)} − {operand(g)}, the whole gradient without the learning rate",
            f"multiply the gradient by the learning rate {fmt(lr)} first",
        ),
        Mistake(
            "old_value",
            old,
            0.0,
            "the value before the update",
            f"subtract {fmt(lr)} × {operand(g)} from it",
        ),
        Mistake(
            "change_only",
            -lr * g,
            abs(lr * g),
            "only the change −learning rate × gradient",
            f"add it to the old value {fmt(old)}",
        ),
    ]


def _new_prediction(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    return [
        Mistake(
            "old_value",
            step.operands["previous"],
            0.0,
            "the prediction before the update",
            "run the example forward again through the updated weights and biases",
        )
    ]


def _new_loss(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    return [
        Mistake(
            "old_value",
            step.operands["loss_before"],
            0.0,
            "the loss before the update",
            "work the loss out again from the new predictions",
        )
    ]


# ---- a classifier's steps: the softmax, the cross-entropy, p − y ---------------------------
def _exponential(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    z, top = step.operands["z"], step.operands["largest"]
    found = []
    if z < 700:  # beyond, e^z is too large for a float: no number to compare with
        found.append(
            Mistake(
                "no_shift",
                math.exp(z),
                math.exp(z),
                f"e^{fmt(z)}, the exponential of the sum before the largest sum {fmt(top)} "
                "was subtracted",
                f"this lesson, like the code, works with e^(z − max z) = e^({fmt(z - top)}); "
                "the shift cancels in the probabilities",
            )
        )
    found.append(
        Mistake(
            "no_exp",
            z - top,
            abs(z - top),
            f"z − max z = {fmt(z - top)}, the shifted sum itself",
            f"raise e to that power: e^({fmt(z - top)})",
        )
    )
    return found


def _exp_sum(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    exps = [v for k, v in step.operands.items() if k.startswith("exp_")]
    nm = facts.names
    found = []
    for k, e in enumerate(exps):
        rest = step.value - e
        found.append(
            Mistake(
                "missing_term",
                rest,
                abs(rest),
                f"the sum without {nm.node(nm.L, k)}'s exponential {fmt(e)}",
                "add every output's exponential, the largest (1) included",
            )
        )
    return found


def _probability(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    e, total = step.operands["exp"], step.operands["sum"]
    found = [
        Mistake(
            "not_normalised",
            e,
            abs(e),
            f"the exponential {fmt(e)} itself",
            f"divide it by the sum of the exponentials, {fmt(total)}, so the probabilities add "
            "up to 1",
        )
    ]
    if e != 0:
        found.append(
            Mistake(
                "inverted",
                total / e,
                abs(total / e),
                f"{fmt(total)} / {fmt(e)}, the fraction upside down",
                f"the exponential goes on top: {fmt(e)} / {fmt(total)}",
            )
        )
    return found


def _log10_of(p: float, what: str) -> Mistake | None:
    if not 0 < p <= 1:
        return None
    wrong = -math.log10(p)
    return Mistake(
        "log10",
        wrong,
        abs(wrong),
        f"−log₁₀({fmt(p)}), {what} with the base-10 logarithm",
        f"the cross-entropy uses the natural log: −ln({fmt(p)})",
    )


def _log_loss(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    nm, c = facts.names, int(step.operands["class"])
    probs = [v for k, v in step.operands.items() if k.startswith("p_")]
    found = []
    for k, p in enumerate(probs):
        if k == c or p <= 0:
            continue
        found.append(
            Mistake(
                "wrong_class",
                -math.log(p),
                -math.log(p),
                f"−ln {nm.node(nm.L, k)} = −ln({fmt(p)}), the probability of class {k}",
                f"take the probability of the true class, {nm.node(nm.L, c)} = {fmt(probs[c])}",
            )
        )
    ten = _log10_of(probs[c], "the right probability")
    return found + ([ten] if ten else [])


def _binary_log_loss(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    p, c = step.operands["probability"], int(step.operands["class"])
    given, other = (p, 1 - p) if c == 1 else (1 - p, p)
    found = []
    if other > 0:
        found.append(
            Mistake(
                "wrong_class",
                -math.log(other),
                -math.log(other),
                f"−ln({fmt(other)}), the log of the probability of class {1 - c}",
                f"the true class is {c}: its probability is {fmt(given)}",
            )
        )
    ten = _log10_of(given, "the right probability")
    return found + ([ten] if ten else [])


def _mean_log_loss(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    terms = [v for k, v in step.operands.items() if k.startswith("loss_")]
    total = sum(terms)
    return [
        Mistake(
            "batch_mean",
            total,
            abs(total),
            f"the sum of the {len(terms)} examples' losses",
            f"divide it by {len(terms)} to get their mean",
        )
    ]


def _prob_error(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    j, nm = step.neuron or 0, facts.names
    p, y = step.operands["probability"], step.operands["target"]
    out, target = nm.node(nm.L, j), nm.target(j)
    return [
        Mistake(
            "one_hot",
            p,
            abs(p),
            f"the probability {out} = {fmt(p)} alone",
            f"subtract the probability it should have given, {target} = {fmt(y)}",
        ),
        Mistake(
            "desired_vs_gradient",
            y - p,
            abs(y - p),
            f"{target} − {out} = {fmt(y)} − {operand(p)}, target minus probability",
            f"the error is the probability given minus the one wanted, {out} − {target}",
        ),
    ]


def _new_probability(step: LessonStep, facts: LessonFacts) -> list[Mistake]:
    return [
        Mistake(
            "old_value",
            step.operands["previous"],
            0.0,
            "the probability before the update",
            "run the example forward again through the updated weights and biases",
        )
    ]


_BY_KIND: dict[str, Callable[[LessonStep, LessonFacts], list[Mistake]]] = {
    "product": _product,
    "sum": _weighted_sum,
    "activation": _activation,
    "error": _desired_change,
    "loss": _mse,
    "output_error": _output_error,
    "backprop_product": _backprop_product,
    "activation_grad": _through_activation,
    "weight_grad": _weight_gradient,
    "bias_grad": _bias_gradient,
    "weight_update": _update,
    "bias_update": _update,
    "new_prediction": _new_prediction,
    "new_loss": _new_loss,
    "exponential": _exponential,
    "exp_sum": _exp_sum,
    "probability": _probability,
    "log_loss": _log_loss,
    "binary_log_loss": _binary_log_loss,
    "mean_log_loss": _mean_log_loss,
    "prob_error": _prob_error,
    "new_probability": _new_probability,
    "new_log_loss": _new_loss,
}
