"""What the "Step through" tab writes, built from the lesson without Qt.

- `PHASE_TITLES`, `KIND_TITLES` and `step_title` name the phases and steps (the panel's
  heading, the timeline's rows);
- `inspectable_items` lists every neuron, weight and bias with its name (the inspector's
  chooser, the drawing's tooltips);
- `describe_item` is the inspector's text: an item's value, the gradient backpropagation
  found and the numerical gradient beside it (from `nncore.gradcheck`);
- `editable_numbers` writes numbers back into an input field;
- `PRESET_TIPS`, `target_tooltip` and `loss_name`: the one-line tooltip of each preset in
  the lesson list, what the target field asks for (values, or a classifier's true class)
  and what the loss chart's axis calls the loss.

Numbers for reading are formatted by `nncore.formatting.fmt`; nothing here computes the
network's numbers, they all come from the lesson.
"""

from __future__ import annotations

from nncore.formatting import fmt
from nncore.gradcheck import numerical_gradient
from nncore.lesson import BIAS_STEP_KINDS, LESSON_PHASES, STEP_KINDS

# The titles come from the lesson's one vocabulary, so the panel, the timeline and the
# hand-outs name every phase and step alike.
PHASE_TITLES = {phase.name: phase.title for phase in LESSON_PHASES}
KIND_TITLES = {kind.name: kind.title for kind in STEP_KINDS}

NOT_YET = "not computed yet"

# One line per preset, for the lesson list's tooltips (the long description is shown in the
# message line once a preset is chosen).
PRESET_TIPS = {
    "perceptron": "One linear neuron, three inputs: the article's weighted sum −0.08",
    "article": "The article's 2-3-1 ReLU network learning the mean of its two inputs",
    "sigmoid": "The classic 2-2-2 sigmoid worked example (targets 0.01 and 0.99)",
    "softmax": "A 2-2-3 classifier: softmax probabilities, cross-entropy, errors p − y",
    "logistic": "The perceptron as a logistic unit: σ(z) = P(class 1), binary cross-entropy",
    "custom": "Design your own network: sizes, activations, example and weights",
}


def target_tooltip(n_classes: int) -> str:
    """What the target field asks for: a value per output, or a classifier's true class."""
    if n_classes:
        return f"The true class, a whole number from 0 to {n_classes - 1}"
    return "The answer the network should give, one per output"


def loss_name(lesson) -> str:
    """The loss chart's axis: "loss" (the mean squared error, as it always said) or, for a
    classifier, "loss (CE)": short, so that it fits beside the small chart standing on end
    (the line above the chart says "cross-entropy" in full)."""
    return "loss (CE)" if lesson.is_classifier else "loss"


def step_title(step, names=None) -> str:
    """A short name for a step: "weighted sum z · h₂" or "weight gradient · w(x₁→h₂)".

    `names` is the lesson's namer (`Lesson.names`); without it the neuron is described by
    its position ("neuron 2 of layer 1").
    """
    what = KIND_TITLES.get(step.kind, step.kind.replace("_", " "))
    if step.neuron is None or step.layer is None:
        return what
    if names is not None:
        if step.edges and step.kind not in ("sum", "backprop_sum"):
            return f"{what} · {names.weight(*step.edges[0])}"
        if step.kind in BIAS_STEP_KINDS:
            return f"{what} · {names.bias(step.layer, step.neuron)}"
        return f"{what} · {names.node(step.layer + 1, step.neuron)}"
    return f"{what}, neuron {step.neuron + 1} of layer {step.layer + 1}"


def editable_numbers(values) -> str:
    """Numbers for an input field: six significant digits in plain notation (easy to retype)."""
    return ", ".join(f"{float(v):.6g}" for v in values)


def known(value) -> str:
    """A number, or "not computed yet" while the lesson has not reached it."""
    return fmt(value) if value is not None else NOT_YET


def inspectable_items(lesson) -> list[tuple[tuple, str]]:
    """Every neuron, weight and bias of the lesson's network: (key, "weight w(x₁→h₂)")."""
    names = lesson.names
    sizes = lesson.network.sizes
    items = []
    for c, n in enumerate(sizes):
        for i in range(n):
            kind = "neuron" if c else "input"
            items.append((("node", c, i), f"{kind} {names.node(c, i)}"))
    for l in range(len(sizes) - 1):
        for j in range(sizes[l + 1]):
            for i in range(sizes[l]):
                items.append((("edge", l, i, j), f"weight {names.weight(l, i, j)}"))
            items.append((("bias", l, j), f"bias {names.bias(l, j)}"))
    return items


def describe_item(lesson, position: int, key, spoil: bool = True) -> str:
    """The inspector's text for a neuron, weight or bias after `position` steps.

    With `spoil=False` (Predict mode) the numerical gradient waits, like the
    backpropagated one, until the student has reached it: it would give the answer away.
    """
    state = lesson.state_at(position)
    names = lesson.names
    net = lesson.network
    lines = []
    kind = key[0]
    if kind == "node":
        _, c, i = key
        name = names.node(c, i)
        if c == 0:
            lines.append(f"Input {name} = {fmt(state.a[(c, i)])}")
            lines.append("Inputs are data, not learned: they get no gradient.")
            return "\n".join(lines)
        a, z = state.a.get((c, i)), state.z.get((c, i))
        lines.append(f"Neuron {name}: sum z = {known(z)}, output a = {known(a)}")
        backprop = state.errors.get((c, i))
        label = "δ = ∂L/∂z"
    elif kind == "edge":
        _, l, i, j = key
        name = names.weight(l, i, j)
        lines.append(f"Weight {name} = {fmt(state.weights[l][i, j], 6)}")
        start = float(net.weights[l][i, j])
        if start != float(state.weights[l][i, j]):
            lines.append(f"(was {fmt(start, 6)} at the start of this iteration)")
        backprop = state.grads.get((l, i, j))
        label = "∂L/∂w"
    elif kind == "bias":
        _, l, j = key
        name = names.bias(l, j)
        lines.append(f"Bias {name} = {fmt(state.biases[l][0, j], 6)}")
        start = float(net.biases[l][0, j])
        if start != float(state.biases[l][0, j]):
            lines.append(f"(was {fmt(start, 6)} at the start of this iteration)")
        backprop = state.grads.get(("bias", l, j))
        label = "∂L/∂b"
    else:
        return ""
    found = (
        fmt(backprop, 6) if backprop is not None else f"{NOT_YET} (step on into the backward pass)"
    )
    lines.append(f"{label} by backpropagation: {found}")
    if backprop is None and not spoil:
        lines.append(f"{label} by finite differences: shown once backpropagation has found it")
        return "\n".join(lines)
    numeric = numerical_gradient(net, lesson.X, lesson.Y, key)
    lines.append(f"{label} by finite differences: {fmt(numeric, 6)}")
    lines.append(
        "Finite differences nudge it by ±10⁻⁶ and run the network again; when "
        "both agree, backpropagation did its job."
    )
    return "\n".join(lines)
