"""What the drawing highlights for the steps just taken: a lesson step → `StepFocus`. No Qt.

A Step of the tab covers one operation, or a neuron's, a layer's or a phase's worth of them
(the granularity). `focus_for` gathers the neurons, weights and biases they use, where the
result bubble goes and what it says; `BUBBLE_CAPTIONS` names each kind of result briefly.
`display_for` is what the drawing shows after some steps: their numbers, the example's
targets and, for a classifier, its true class. A softmax step is about the whole output
layer (every exponential is shifted by the largest sum; the probabilities share one total),
so its step lights every output neuron.
"""

from __future__ import annotations

from app.widgets.network_display import DisplayState, StepFocus
from nncore.lesson import BIAS_STEP_KINDS, STEP_KINDS

BUBBLE_MAX_CHARS = 46  # longer formulas stay in the explanation panel only

# A one-symbol caption for each kind of result, from the lesson's vocabulary.
BUBBLE_CAPTIONS = {kind.name: kind.caption for kind in STEP_KINDS}


def display_for(lesson, state) -> DisplayState:
    """The drawing's numbers after the steps of `state`, with its example's targets (and a
    classifier's true class, marked beside its output)."""
    s = state.sample
    classes = lesson.classes
    return DisplayState.from_lesson_state(
        state, targets=tuple(lesson.Y[s]), true_class=None if classes is None else classes[s]
    )


def focus_for(steps, sizes) -> StepFocus:
    """What the drawing highlights for the steps just taken (one, or a neuron/layer's worth).

    A weighted sum also lights the weights whose products it adds; a sum of error signals
    the weights they came back along.
    """
    last = steps[-1]
    nodes, edges, biases = [], [], []
    for step in steps:
        if step.phase != last.phase:
            continue
        step_edges = list(step.edges)
        if step.kind == "sum" and step.layer is not None:
            step_edges = [(step.layer, i, step.neuron) for i in range(sizes[step.layer])]
        elif step.kind == "backprop_sum" and step.layer is not None:
            step_edges = [(step.layer + 1, step.neuron, k) for k in range(sizes[step.layer + 2])]
        nodes += [n for n in step.nodes if n not in nodes]
        edges += [e for e in step_edges if e not in edges]
        if (
            step.kind in BIAS_STEP_KINDS + ("sum",)
            and step.layer is not None
            and step.neuron is not None
        ) and (step.layer, step.neuron) not in biases:
            biases.append((step.layer, step.neuron))
    text = last.formula if len(steps) == 1 and len(last.formula) <= BUBBLE_MAX_CHARS else ""
    if last.edges and last.kind not in ("sum", "backprop_sum"):
        anchor = ("edge", *last.edges[-1])
    elif last.nodes:
        anchor = ("node", *last.nodes[-1])
    else:
        anchor = None
    return StepFocus(
        phase=last.phase,
        kind=last.kind,
        nodes=tuple(nodes),
        edges=tuple(edges),
        value=last.value,
        caption=BUBBLE_CAPTIONS.get(last.kind, last.kind),
        biases=tuple(biases),
        text=text,
        anchor=anchor,
    )
