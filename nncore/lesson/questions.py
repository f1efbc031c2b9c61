"""The words of a quiz question: what is asked, the formula with a blank, and the hints.

`nncore.lesson.quiz` decides which steps are asked and whether an answer is right; this
module says it. For each of the twenty-six kinds of step it words the question ("What is the
weighted sum z(h₁)?"), blanks the step's formula where its result goes, and writes the first
two hint levels (which quantities combine; the formula with the numbers in). It also says
which way an update moves its parameter, and why: the sign of the gradient and the minus of
the update. Numbers are shown with the digits the tutor shows for the step (`digits_of`).
"""

from __future__ import annotations

import math

import numpy as np

from ..formatting import digits_to_show, fmt, operand, signed
from .mistakes import ACTIVATION_WORDS
from .record import LessonStep

__all__ = [
    "UPDATE_KINDS",
    "blank",
    "digits_of",
    "direction_of",
    "direction_reason",
    "direction_verb",
    "hint_numbers",
    "hint_quantities",
    "is_update",
    "param_name",
    "question",
    "shown_value",
]

UPDATE_KINDS = ("weight_update", "bias_update")


def is_update(step: LessonStep) -> bool:
    return step.kind in UPDATE_KINDS


def digits_of(step: LessonStep) -> int:
    if not math.isfinite(step.value):
        return 4
    if is_update(step):
        return digits_to_show(step.value, step.operands["lr"] * step.operands["grad"])
    return 4


def shown_value(step: LessonStep) -> str:
    return fmt(step.value, digits_of(step))


# ---- directions ----------------------------------------------------------------------------
def direction_of(step: LessonStep) -> str:
    change = -step.operands["lr"] * step.operands["grad"]
    if change == 0 or fmt(step.value, digits_of(step)) == fmt(
        step.operands["old"], digits_of(step)
    ):
        return "stays"
    return "up" if change > 0 else "down"


def direction_verb(step: LessonStep) -> str:
    return {"up": "goes up", "down": "goes down", "stays": "stays where it is"}[direction_of(step)]


def param_name(step: LessonStep, facts) -> str:
    nm = facts.names
    if step.kind == "weight_update" or step.kind == "weight_grad":
        return nm.weight(*step.edges[0])
    return nm.bias(step.layer, step.neuron)


def direction_reason(step: LessonStep, facts) -> str:
    name, g = param_name(step, facts), step.operands["grad"]
    old, new = fmt(step.operands["old"]), shown_value(step)
    direction = direction_of(step)
    if direction == "stays":
        return f"∂L/∂{name} is 0, so {name} stays where it is"
    if g > 0:
        why = (
            f"∂L/∂{name} = {fmt(g)} is positive and the update subtracts learning rate × "
            f"gradient, so {name} goes down"
        )
    else:
        why = (
            f"∂L/∂{name} = {fmt(g)} is negative and subtracting learning rate × a negative "
            f"number adds, so {name} goes up"
        )
    return f"{why} ({old} → {new})"


# ---- the words of a question ---------------------------------------------------------------
def blank(text: str, kind: str, latex: bool) -> str:
    """The formula with "?" where its result goes."""
    if kind in ("new_prediction", "new_loss", "new_probability", "new_log_loss"):
        head, sep, tail = text.partition(" = ")
        rest = tail.partition("\\quad")[2] if latex else tail.partition(" ")[2]
        return f"{head}{sep}?" + (("\\quad" if latex else " ") + rest if rest else "")
    head, sep, _ = text.rpartition(" = ")
    return f"{head} = ?" if sep else f"{text} = ?"


def question(step: LessonStep, facts, direction: bool) -> str:
    nm, kind, l, j = facts.names, step.kind, step.layer, step.neuron
    node = nm.node(l + 1, j) if l is not None and j is not None else ""
    out = nm.node(nm.L, j or 0)
    target = nm.target(j or 0)
    word = ACTIVATION_WORDS.get(facts.activations[l], "") if l is not None else ""
    if kind == "product":
        c, i, jj = step.edges[0]
        q = f"What is {nm.node(c, i)} × {nm.weight(c, i, jj)}?"
    elif kind == "bias":
        q = f"What is the bias {nm.bias(l, j)}?"
    elif kind == "sum":
        q = f"What is the weighted sum z({node})?"
    elif kind == "activation":
        q = f"What is {node}, the {word} activation of z({node})?"
    elif kind == "prediction":
        q = f"What is the prediction {out}?"
    elif kind == "error":
        q = f"What is the desired change {target} − {out}?"
    elif kind == "loss":
        q = "What is the loss, the mean squared error?"
    elif kind == "output_error":
        q = f"What is the gradient ∂L/∂{out} = {out} − {target}?"
    elif kind == "backprop_product":
        c, i, jj = step.edges[0]
        q = f"What is δ({nm.node(c + 1, jj)}) × {nm.weight(c, i, jj)}?"
    elif kind == "backprop_sum":
        q = f"What is ∂L/∂{node}, the errors carried back to {node} added up?"
    elif kind == "activation_grad":
        q = f"What is δ({node}), ∂L/∂{node} times the slope of the {word} activation?"
    elif kind == "weight_grad":
        q = f"What is the gradient ∂L/∂{nm.weight(*step.edges[0])}?"
    elif kind == "bias_grad":
        q = f"What is the gradient ∂L/∂{nm.bias(l, j)}?"
    elif kind in UPDATE_KINDS:
        name = param_name(step, facts)
        q = f"Will {name} go up or down?" if direction else f"What is the new value of {name}?"
    elif kind == "new_prediction":
        q = f"What is the new prediction {out}, with the updated parameters?"
    elif kind == "exponential":
        q = f"What is e^(z({out}) − max z), the exponential of {out}'s shifted sum?"
    elif kind == "exp_sum":
        q = "What is the sum of the exponentials?"
    elif kind == "probability":
        q = f"What is the probability {out}?"
    elif kind == "log_loss":
        q = f"What is the loss −ln {out}, for the true class {j}?"
    elif kind == "binary_log_loss":
        q = f"What is the binary cross-entropy, for the true class {int(step.operands['class'])}?"
    elif kind == "mean_log_loss":
        q = "What is the loss, the mean cross-entropy of the batch?"
    elif kind == "prob_error":
        q = f"What is the output error δ({out}) = {out} − {target}?"
    elif kind == "new_probability":
        q = f"What is the new probability {out}, with the updated parameters?"
    elif kind == "new_log_loss":
        q = "What is the new cross-entropy after the update?"
    else:
        q = "What is the new loss after the update?"
    if step.sample is not None and facts.batch_size > 1:
        q = f"For example {step.sample + 1}: {q}"
    return q


def hint_quantities(step: LessonStep, facts, direction: bool) -> str:
    """Hint level 1: which quantities combine, in words."""
    nm, kind, l, j, m = facts.names, step.kind, step.layer, step.neuron, facts.batch_size
    node = nm.node(l + 1, j) if l is not None and j is not None else ""
    out, target = nm.node(nm.L, j or 0), nm.target(j or 0)
    act = facts.activations[l] if l is not None else ""
    if kind == "product":
        c, i, jj = step.edges[0]
        return f"Multiply the value {nm.node(c, i)} by the weight {nm.weight(c, i, jj)}."
    if kind == "bias":
        return f"Read the bias {nm.bias(l, j)} off the network."
    if kind == "sum":
        return f"Add the products flowing into {node}, then its bias {nm.bias(l, j)}."
    if kind == "activation":
        return {
            "relu": "ReLU keeps a positive sum and turns a negative one into 0.",
            "leaky_relu": "Leaky ReLU keeps a positive sum and multiplies a negative one by 0.01.",
            "sigmoid": "The sigmoid σ(z) = 1 / (1 + e^(−z)) squashes the sum into (0, 1).",
            "tanh": "tanh squashes the sum into (−1, 1).",
        }.get(act, "A linear neuron passes its sum on unchanged.")
    if kind == "prediction":
        return f"The prediction is the output neuron's activation {out}."
    if kind == "error":
        return f"Subtract the prediction {out} from the target {target}."
    if kind == "loss":
        return "Square each error, add the squares and divide by how many there are."
    if kind == "output_error":
        return f"Subtract the target {target} from the prediction {out}: the opposite of the desired change."
    if kind == "backprop_product":
        c, i, jj = step.edges[0]
        return (
            f"Multiply the error δ({nm.node(c + 1, jj)}) by the weight {nm.weight(c, i, jj)} "
            f"it comes back through."
        )
    if kind == "backprop_sum":
        return f"Add the errors carried back to {node} from every neuron it feeds."
    if kind == "activation_grad":
        slope = {
            "relu": " ReLU's slope is 1 where the neuron fired (z > 0) and 0 where it did not.",
            "leaky_relu": " Leaky ReLU's slope is 1 for z > 0 and 0.01 otherwise.",
            "sigmoid": " The sigmoid's slope is σ(z) × (1 − σ(z)).",
            "tanh": " tanh's slope is 1 − tanh²(z).",
        }.get(act, "")
        return f"Multiply ∂L/∂{node} by the slope of the activation at z({node}).{slope}"
    if kind == "weight_grad":
        c, k, i = step.edges[0]
        batch = f", for each example, then average over the {m} examples" if m > 1 else ""
        return (
            f"Multiply the value flowing in, {nm.node(c, k)}, by the error "
            f"δ({nm.node(c + 1, i)}) of the neuron it feeds{batch}."
        )
    if kind == "bias_grad":
        batch = f", averaged over the {m} examples" if m > 1 else ""
        return f"A bias's gradient is its neuron's error δ({node}){batch}."
    if kind in UPDATE_KINDS:
        name = param_name(step, facts)
        if direction:
            return (
                f"Look at the sign of the gradient ∂L/∂{name}: the update subtracts learning "
                f"rate × gradient."
            )
        return f"Subtract learning rate × gradient from the old value of {name}."
    if kind == "new_prediction":
        return "Run the example forward again with every updated weight and bias."
    if kind == "exponential":
        return (
            f"Subtract the largest output sum from z({out}), then raise e to that power "
            "(the shift keeps e^z from overflowing and cancels in the probabilities)."
        )
    if kind == "exp_sum":
        return "Add up the exponentials of every output."
    if kind == "probability":
        return f"Divide {out}'s exponential by the sum of all the exponentials."
    if kind == "log_loss":
        return (
            f"Take the natural log (ln, not log₁₀) of the probability of the true class, "
            f"{out}, and change its sign."
        )
    if kind == "binary_log_loss":
        return (
            f"{out} is the probability of class 1. For class 1 the loss is −ln {out}, for "
            f"class 0 it is −ln(1 − {out}) (natural logs)."
        )
    if kind == "mean_log_loss":
        return f"Add the {m} examples' losses and divide by {m}."
    if kind == "prob_error":
        return (
            f"Subtract the probability the output should have given, {target} (1 for the true "
            f"class, 0 for the others), from the probability it gave, {out}."
        )
    if kind == "new_probability":
        return "Run the example forward again with every updated weight and bias, softmax included."
    if kind == "new_log_loss":
        return "Work the cross-entropy out again from the new probability of the true class."
    return "Work the mean squared error out again from the new predictions."


def hint_numbers(step: LessonStep, facts, direction: bool, blanked: str) -> str:
    """Hint level 2: the formula with the numbers in, and a middle step where one helps."""
    ops, kind = step.operands, step.kind
    if kind in UPDATE_KINDS:
        old, lr, g = ops["old"], ops["lr"], ops["grad"]
        name = param_name(step, facts)
        if direction:
            return (
                f"∂L/∂{name} = {fmt(g)}, so the change −{fmt(lr)} × {operand(g)} is "
                f"{signed(-lr * g)}."
            )
        return (
            f"{name} ← {fmt(old)} − {fmt(lr)} × {operand(g)} = {fmt(old)} − {operand(lr * g)} = ?"
        )
    if kind == "activation" and facts.activations[step.layer] == "sigmoid":
        z = ops["z"]
        if -z > 700:  # e^(−z) beyond what a float holds: the sum is so negative σ is ≈ 0
            return blanked
        return f"{blanked.rpartition(' = ')[0]} = 1 / (1 + {fmt(math.exp(-z))}) = ?"
    if kind == "activation_grad" and facts.activations[step.layer] == "sigmoid":
        a = float(facts.activation_fns[step.layer](np.array([ops["z"]]))[0])
        return f"σ′(z) = {fmt(a)} × (1 − {fmt(a)}) = {fmt(ops['derivative'])}, so {blanked}"
    if kind in ("weight_grad", "bias_grad") and facts.batch_size > 1:
        total = step.value * facts.batch_size
        return f"{blanked.rpartition(' = ')[0]} = {fmt(total)} / {facts.batch_size} = ?"
    if kind == "mean_log_loss":
        terms = [v for k, v in ops.items() if k.startswith("loss_")]
        return f"{blanked.rpartition(' = ')[0]} = {fmt(sum(terms))} / {len(terms)} = ?"
    if kind == "exponential":
        shifted = ops["z"] - ops["largest"]
        return f"{blanked.rpartition(' = ')[0]} = e^({fmt(shifted)}) = ?"
    if kind == "loss":
        diffs = [v for k, v in ops.items() if k.startswith("error_")]
        squares = sum(d * d for d in diffs)
        return f"{blanked.rpartition(' = ')[0]} = {fmt(squares)} / {len(diffs)} = ?"
    return blanked
