"""The lesson's records: one `LessonStep` per operation and the `LessonState` the steps build.

A step is immutable: which phase and kind it is, which neuron, nodes and weights it is about,
its value at full precision and its formula and narration as text. Each step comes with its
*effects*, the entries of the state it fills in (a weighted sum, a gradient, a new weight);
`LessonState.apply` plays them, so the state after k steps is the start state with the first k
steps' effects applied, and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Node = tuple[int, int]  # (column, index): column 0 the inputs, column L the outputs
Edge = tuple[int, int, int]  # (layer, i, j): weights[layer][i, j]
# How a step changes the state: (field, example or None, key, value), e.g.
# ("z", 0, (1, 2), -0.46) sets z_by_sample[0][(1, 2)], ("weights", None, (1, 2, 0), 0.9).
Effect = tuple[str, int | None, Any, float]


@dataclass(frozen=True)
class LessonStep:
    """One elementary operation of the training iteration.

    `layer` is the 0-based weight layer whose output neuron the step is about (None for the
    whole-network loss steps), `neuron` that neuron's index. `nodes` are (column, index) with
    column 0 the inputs and column L the outputs; `edges` are (layer, i, j) naming
    `weights[layer][i, j]`. `value` and `operands` keep full precision; `formula`, `latex`
    and `narration` show numbers rounded for reading. `sample` is the example of the batch
    the step works on (None for steps that combine the whole batch).
    """

    index: int
    phase: str
    kind: str
    layer: int | None
    neuron: int | None
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    value: float
    operands: dict[str, float]
    formula: str
    latex: str
    narration: str
    group: dict[str, int]
    sample: int | None = None


@dataclass
class LessonState:
    """What the student knows after the first `step_index` steps.

    Per-example values live in lists with one dict per example of the batch; the properties
    `z`, `a`, `errors`, ... show the example `sample` (the one the latest step worked on),
    so for a single example they simply are "the" values.

    - `z[node]` weighted sums, `a[node]` activations (inputs are known from the start);
    - `act_grads[node]` ∂L/∂a: how the loss reacts to the neuron's output (for one example);
    - `errors[node]` the error signal δ = ∂L/∂z of that example (the code's `dZ`; the
      network's `Gradients.errors` equal these divided by the batch size);
    - `desired[node]` the article's desired change of an output, target − prediction;
    - `products[edge]` forward products input × weight, `backprop_products[edge]` δ × weight;
    - `grads[edge]` ∂L/∂w and `grads[("bias", layer, j)]` ∂L/∂b, averaged over the batch;
    - `weights`, `biases`: the parameters, with the ones updated so far already moved;
    - `loss` (plain MSE before the update; a classifier's mean cross-entropy), `new_loss`
      (after), `new_predictions` (a classifier's: its new probabilities).
    - A softmax output's activations `a` are its probabilities, filled in by the
      "probability" steps (its exponentials and their sum are steps only).
    """

    step_index: int
    sample: int
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    z_by_sample: list[dict[Node, float]]
    a_by_sample: list[dict[Node, float]]
    act_grads_by_sample: list[dict[Node, float]]
    errors_by_sample: list[dict[Node, float]]
    desired_by_sample: list[dict[Node, float]]
    products_by_sample: list[dict[Edge, float]]
    backprop_products_by_sample: list[dict[Edge, float]]
    new_predictions_by_sample: list[dict[Node, float]]
    grads: dict[tuple, float] = field(default_factory=dict)
    loss: float | None = None
    new_loss: float | None = None
    last_step: LessonStep | None = None

    @property
    def z(self) -> dict[Node, float]:
        return self.z_by_sample[self.sample]

    @property
    def a(self) -> dict[Node, float]:
        return self.a_by_sample[self.sample]

    @property
    def act_grads(self) -> dict[Node, float]:
        return self.act_grads_by_sample[self.sample]

    @property
    def errors(self) -> dict[Node, float]:
        return self.errors_by_sample[self.sample]

    @property
    def desired(self) -> dict[Node, float]:
        return self.desired_by_sample[self.sample]

    @property
    def products(self) -> dict[Edge, float]:
        return self.products_by_sample[self.sample]

    @property
    def backprop_products(self) -> dict[Edge, float]:
        return self.backprop_products_by_sample[self.sample]

    @property
    def new_predictions(self) -> dict[Node, float]:
        return self.new_predictions_by_sample[self.sample]

    @classmethod
    def start(cls, network, X: np.ndarray) -> LessonState:
        """Before any step: the parameters of `network` and the inputs X (one row per example)
        are known, nothing else."""

        def empty() -> list[dict]:
            return [{} for _ in range(X.shape[0])]

        return cls(
            step_index=0,
            sample=0,
            weights=[w.copy() for w in network.weights],
            biases=[b.copy() for b in network.biases],
            z_by_sample=empty(),
            a_by_sample=[{(0, i): float(v) for i, v in enumerate(row)} for row in X],
            act_grads_by_sample=empty(),
            errors_by_sample=empty(),
            desired_by_sample=empty(),
            products_by_sample=empty(),
            backprop_products_by_sample=empty(),
            new_predictions_by_sample=empty(),
        )

    def copy(self) -> LessonState:
        def dicts(rows):
            return [dict(d) for d in rows]

        return LessonState(
            step_index=self.step_index,
            sample=self.sample,
            weights=[w.copy() for w in self.weights],
            biases=[b.copy() for b in self.biases],
            z_by_sample=dicts(self.z_by_sample),
            a_by_sample=dicts(self.a_by_sample),
            act_grads_by_sample=dicts(self.act_grads_by_sample),
            errors_by_sample=dicts(self.errors_by_sample),
            desired_by_sample=dicts(self.desired_by_sample),
            products_by_sample=dicts(self.products_by_sample),
            backprop_products_by_sample=dicts(self.backprop_products_by_sample),
            new_predictions_by_sample=dicts(self.new_predictions_by_sample),
            grads=dict(self.grads),
            loss=self.loss,
            new_loss=self.new_loss,
            last_step=self.last_step,
        )

    def apply(self, step: LessonStep, effects: Sequence[Effect]) -> None:
        """Take `step`: write its effects into this state and make it the latest step."""
        for name, sample, key, value in effects:
            if name in ("loss", "new_loss"):
                setattr(self, name, value)
            elif name == "grads":
                self.grads[key] = value
            elif name == "weights":
                l, i, j = key
                self.weights[l][i, j] = value
            elif name == "biases":
                l, j = key
                self.biases[l][0, j] = value
            else:
                assert sample is not None, name  # every other field is per example
                getattr(self, name + "_by_sample")[sample][key] = value
        if step.sample is not None:
            self.sample = step.sample
        self.step_index = step.index + 1
        self.last_step = step
