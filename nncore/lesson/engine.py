"""The step-by-step lesson engine: one training iteration, taken apart into single operations.

A `Lesson` takes a network, one training example (or a small batch) and a learning rate, and
lists every elementary operation of one gradient-descent iteration, in the order a teacher
would do them on a whiteboard:

1. forward: for each neuron, every input × weight product, the bias, the weighted sum, then
   the activation;
2. loss: each prediction, how far it is from its target, and the mean squared error;
3. backward: the output's error signal, each weight's and bias's gradient, each hidden
   neuron's error carried back through every outgoing weight and summed, then passed through
   the activation's derivative (ReLU passes it where the neuron fired and blocks it where it
   did not);
4. update: every parameter moved by learning rate × gradient, all at once after all the
   gradients are known;
5. check: the new prediction and loss on the same example.

Each operation is a `LessonStep` carrying the numbers at full precision, its formula with the
numbers written in (plain text and LaTeX) and one sentence of narration. The engine does its
own scalar arithmetic, in the same order as the vectorised `Network.forward`/`backward`, and
the tests check that it lands on the same numbers.

Two sign conventions meet here and the narration names both. The article speaks of the
*desired change* of an output, target − prediction: positive means "this should increase".
The code uses the *gradient*, prediction − target, and subtracts learning rate × gradient.
They are the same amount with opposite signs, so both say "increase" when the prediction is
too low.

`Lesson.state_at(k)` is what the student knows after the first k steps. It is a pure function
of k, rebuilt from cached checkpoints, so stepping forward, backward or jumping to k always
shows the same numbers.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..activations import get_activation
from ..formatting import (
    SUBSCRIPT,
    SUPERSCRIPT,
    digits_to_show,
    fmt,
    fmt_tex,
    operand,
    operand_tex,
    signed,
)
from ..network import Network

PHASES = ("forward", "loss", "backward", "update", "check")
GRANULARITIES = ("operation", "neuron", "layer", "phase", "iteration")
KINDS = {
    "forward": ("product", "bias", "sum", "activation"),
    "loss": ("prediction", "error", "loss"),
    "backward": (
        "output_error",
        "weight_grad",
        "bias_grad",
        "backprop_product",
        "backprop_sum",
        "activation_grad",
    ),
    "update": ("weight_update", "bias_update"),
    "check": ("new_prediction", "new_loss"),
}

MAX_BATCH = 8  # a lesson is read step by step; more examples would drown the student
MAX_STEPS = 50_000  # guards against building a lesson for a 64-wide training network
_CHECKPOINT_EVERY = 64

Node = tuple[int, int]
Edge = tuple[int, int, int]


# ---- the record ---------------------------------------------------------------------------
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
    - `loss` (plain MSE before the update), `new_loss` (after), `new_predictions`.
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


# An effect is how a step changes the state: (field, sample or None, key, value).
Effect = tuple[str, int | None, Any, float]


# ---- naming things for students -----------------------------------------------------------
class NodeNames:
    """Readable labels: inputs x₁, x₂; hidden h₁ (or h¹₂ = layer 1, neuron 2); outputs ŷ."""

    def __init__(self, sizes: Sequence[int]):
        self.sizes = tuple(sizes)
        self.L = len(sizes) - 1

    def node(self, col: int, i: int) -> str:
        sub = str(i + 1).translate(SUBSCRIPT)
        if col == 0:
            return "x" + sub
        if col == self.L:
            return "ŷ" if self.sizes[-1] == 1 else "ŷ" + sub
        if self.L == 2:
            return "h" + sub
        return "h" + str(col).translate(SUPERSCRIPT) + sub

    def node_tex(self, col: int, i: int) -> str:
        if col == 0:
            return f"x_{{{i + 1}}}"
        if col == self.L:
            return "\\hat{y}" if self.sizes[-1] == 1 else f"\\hat{{y}}_{{{i + 1}}}"
        if self.L == 2:
            return f"h_{{{i + 1}}}"
        return f"h^{{({col})}}_{{{i + 1}}}"

    def target(self, j: int) -> str:
        return "y" if self.sizes[-1] == 1 else "y" + str(j + 1).translate(SUBSCRIPT)

    def target_tex(self, j: int) -> str:
        return "y" if self.sizes[-1] == 1 else f"y_{{{j + 1}}}"

    def weight(self, l: int, i: int, j: int) -> str:
        return f"w({self.node(l, i)}→{self.node(l + 1, j)})"

    def weight_tex(self, l: int, i: int, j: int) -> str:
        return f"w_{{{self.node_tex(l, i)}\\to {self.node_tex(l + 1, j)}}}"

    def bias(self, l: int, j: int) -> str:
        return f"b({self.node(l + 1, j)})"

    def bias_tex(self, l: int, j: int) -> str:
        return f"b_{{{self.node_tex(l + 1, j)}}}"


def _act_formula(
    name: str, z: float, a: float, label: str, label_tex: str, zlabel: str, zlabel_tex: str
) -> tuple[str, str]:
    """Plain and LaTeX text of `a = f(z)` with numbers in."""
    if name == "relu":
        return (
            f"{label} = ReLU({zlabel}) = max(0, {fmt(z)}) = {fmt(a)}",
            f"{label_tex} = \\mathrm{{ReLU}}({zlabel_tex}) = \\max(0, {fmt_tex(z)}) = {fmt_tex(a)}",
        )
    if name == "leaky_relu":
        rule = f"{fmt(z)}" if z > 0 else f"0.01 × {operand(z)}"
        rule_tex = f"{fmt_tex(z)}" if z > 0 else f"0.01 \\times {operand_tex(z)}"
        return (
            f"{label} = leakyReLU({zlabel}) = {rule} = {fmt(a)}",
            f"{label_tex} = \\mathrm{{LeakyReLU}}({zlabel_tex}) = {rule_tex} = {fmt_tex(a)}",
        )
    if name == "sigmoid":
        return (
            f"{label} = σ({zlabel}) = 1 / (1 + e^({fmt(-z)})) = {fmt(a)}",
            f"{label_tex} = \\sigma({zlabel_tex}) = \\frac{{1}}{{1 + e^{{{fmt_tex(-z)}}}}} = {fmt_tex(a)}",
        )
    if name == "tanh":
        return (
            f"{label} = tanh({zlabel}) = tanh({fmt(z)}) = {fmt(a)}",
            f"{label_tex} = \\tanh({zlabel_tex}) = \\tanh({fmt_tex(z)}) = {fmt_tex(a)}",
        )
    return (f"{label} = {zlabel} = {fmt(a)}", f"{label_tex} = {zlabel_tex} = {fmt_tex(a)}")


# How each activation's derivative f′(z) is written: (plain text, LaTeX).
_DERIVATIVE_NAMES = {
    "relu": ("ReLU′(z)", "\\mathrm{ReLU}'(z)"),
    "leaky_relu": ("leakyReLU′(z)", "\\mathrm{LeakyReLU}'(z)"),
    "sigmoid": ("σ′(z)", "\\sigma'(z)"),
    "tanh": ("tanh′(z)", "\\tanh'(z)"),
    "linear": ("1", "1"),
}


def _derivative_words(name: str, z: float, d: float) -> str:
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
        return f"The sigmoid's slope here is a(1 − a) = {fmt(d)}, so the signal is scaled by that much."
    if name == "tanh":
        return f"The tanh's slope here is 1 − a² = {fmt(d)}, so the signal is scaled by that much."
    return "A linear neuron has slope 1: the signal passes unchanged."


def _should(change: float) -> str:
    """'should rise by 0.3' / 'should fall by 0.1' / 'is already right'."""
    if change > 0:
        return f"should rise by {fmt(change)}"
    if change < 0:
        return f"should fall by {fmt(-change)}"
    return "needs no change"


# ---- the lesson ---------------------------------------------------------------------------
def _as_batch(x, target, batch, n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    if batch is not None:
        if x is not None or target is not None:
            raise ValueError("give either x and target or batch=(X, Y), not both")
        try:
            x, target = batch
        except (TypeError, ValueError):
            raise ValueError("batch must be a pair (X, Y) of inputs and targets") from None
    if x is None or target is None:
        raise ValueError("a lesson needs inputs x and a target")
    try:
        X = np.array(x, dtype=np.float64)
        Y = np.array(target, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("inputs and targets must be numbers") from None
    if X.ndim == 0:
        X = X.reshape(1, 1)
    if X.ndim == 1:
        X = X.reshape(1, -1) if X.shape[0] == n_in else X.reshape(-1, 1)
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ValueError(f"the network has {n_in} input(s); got inputs of shape {np.shape(x)}")
    m = X.shape[0]
    if Y.ndim == 0:
        Y = Y.reshape(1, 1)
    if Y.ndim == 1:
        Y = Y.reshape(m, -1) if Y.size == m * n_out else Y.reshape(1, -1)
    if Y.ndim != 2 or Y.shape != (m, n_out):
        raise ValueError(
            f"need {m} target row(s) of {n_out} value(s) (one per output); "
            f"got shape {np.shape(target)}"
        )
    if not 1 <= m <= MAX_BATCH:
        raise ValueError(f"a lesson works on 1 to {MAX_BATCH} examples; got {m}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise ValueError("inputs and targets must be finite numbers")
    return X, Y


class Lesson:
    """One training iteration of `network` on one example (or a small batch), step by step.

    >>> lesson = make_lesson("article")
    >>> lesson.steps[0].formula
    'x₁ × w(x₁→h₁) = 0.1 × 0.6 = 0.06'

    The network is copied (as float64) and never changed; `network_after()` returns the
    updated copy and `next_iteration()` the lesson for the next iteration on the same data.
    """

    def __init__(
        self,
        network: Network,
        x=None,
        target=None,
        lr: float = 0.1,
        batch=None,
        title: str = "",
        iteration: int = 1,
    ):
        if not isinstance(network, Network):
            raise ValueError("a lesson needs an nncore Network")
        try:
            lr = float(lr)
        except (TypeError, ValueError):
            raise ValueError(f"the learning rate must be a number; got {lr!r}") from None
        if not math.isfinite(lr) or lr <= 0:
            raise ValueError(f"the learning rate must be a positive finite number; got {lr}")
        self.network = network.astype("float64")
        self.X, self.Y = _as_batch(x, target, batch, network.n_inputs, network.n_outputs)
        self.lr = lr
        self.title = title
        self.iteration = int(iteration)
        self.names = NodeNames(network.sizes)
        self._check_size()
        self.steps: list[LessonStep] = []
        self._effects: list[tuple[Effect, ...]] = []
        self._group_ids = {"neuron": -1, "layer": -1, "phase": -1}
        self._group_keys: dict[str, tuple | None] = {"neuron": None, "layer": None, "phase": None}
        self._sign_explained = False
        self._build()
        self._checkpoints = self._make_checkpoints()

    # ---- size and shape ---------------------------------------------------------------
    @property
    def batch_size(self) -> int:
        return self.X.shape[0]

    @property
    def sizes(self) -> tuple[int, ...]:
        return self.network.sizes

    @property
    def x(self) -> tuple[float, ...]:
        """The example's inputs (the first example's, for a batch: see `X`)."""
        return tuple(float(v) for v in self.X[0])

    @property
    def target(self) -> tuple[float, ...]:
        """The example's targets, one per output (the first example's, for a batch: see `Y`)."""
        return tuple(float(v) for v in self.Y[0])

    def __len__(self) -> int:
        return len(self.steps)

    def __repr__(self) -> str:
        return (
            f"Lesson({self.network.architecture}, {self.batch_size} example(s), "
            f"lr={self.lr:g}, {len(self.steps)} steps)"
        )

    def _check_size(self) -> None:
        s, m = self.network.sizes, self.X.shape[0]
        per_pass = sum(o * (i + 3) for i, o in zip(s[:-1], s[1:]))
        estimate = 3 * m * per_pass + self.network.n_parameters
        if estimate > MAX_STEPS:
            raise ValueError(
                f"a {self.network.architecture} network on {m} example(s) would need "
                f"about {estimate} steps; lessons are for small networks "
                f"(at most {MAX_STEPS} steps)"
            )

    # ---- building the steps ------------------------------------------------------------
    def _add(
        self,
        phase: str,
        kind: str,
        *,
        layer,
        neuron,
        nodes=(),
        edges=(),
        value: float,
        operands: dict,
        formula: str,
        latex: str,
        narration: str,
        sample=None,
        group: tuple,
        effects: Sequence[Effect] = (),
    ) -> float:
        """Append a step; `group` = (layer key, neuron key) inside the phase."""
        keys = {
            "phase": (phase,),
            "layer": (phase, group[0]),
            "neuron": (phase, group[0], group[1]),
        }
        for g in ("phase", "layer", "neuron"):
            if keys[g] != self._group_keys[g]:
                self._group_keys[g] = keys[g]
                self._group_ids[g] += 1
        value = float(value)
        prefix, prefix_tex = "", ""
        if sample is not None and self.batch_size > 1:
            prefix, prefix_tex = f"[example {sample + 1}] ", f"\\text{{[example {sample + 1}]}}\\ "
        step = LessonStep(
            index=len(self.steps),
            phase=phase,
            kind=kind,
            layer=layer,
            neuron=neuron,
            nodes=tuple(nodes),
            edges=tuple(edges),
            value=value,
            operands={k: float(v) for k, v in operands.items()},
            formula=prefix + formula,
            latex=prefix_tex + latex,
            narration=narration,
            group=dict(self._group_ids),
            sample=sample,
        )
        self.steps.append(step)
        self._effects.append(tuple(effects))
        return value

    def _forward_scalar(
        self,
        weights,
        biases,
        x: Sequence[float],
        record: bool,
        sample: int,
        phase_tag: str = "forward",
    ):
        """Scalar forward pass of one example; adds steps when `record` is true.

        Sums run input by input and add the bias last: the order of `A @ W + b`.
        """
        nm, L = self.names, self.network.n_layers
        a_prev = [float(v) for v in x]
        zs, acts = [], [a_prev]
        for l in range(L):
            act = self.network.activations[l]
            W, b = weights[l], biases[l]
            z_row, a_row = [], []
            for j in range(self.sizes[l + 1]):
                out, out_tex = nm.node(l + 1, j), nm.node_tex(l + 1, j)
                grp = ((l, sample), (l, sample, j))
                products = []
                for i, ai in enumerate(a_prev):
                    w = float(W[i, j])
                    p = ai * w
                    products.append(p)
                    if record:
                        inp, inp_tex = nm.node(l, i), nm.node_tex(l, i)
                        narr = (
                            f"{inp} = {fmt(ai)} flows along the weight {fmt(w)} into {out}: "
                            f"it contributes {fmt(p)}."
                        )
                        if ai == 0 and l > 0:
                            narr = f"{inp} is 0, so whatever the weight, it contributes nothing to {out}."
                        self._add(
                            "forward",
                            "product",
                            layer=l,
                            neuron=j,
                            nodes=((l, i), (l + 1, j)),
                            edges=((l, i, j),),
                            value=p,
                            operands={"input": ai, "weight": w},
                            formula=f"{inp} × {nm.weight(l, i, j)} = {fmt(ai)} × {operand(w)} = {fmt(p)}",
                            latex=f"{inp_tex} \\cdot {nm.weight_tex(l, i, j)} = {fmt_tex(ai)} "
                            f"\\cdot {operand_tex(w)} = {fmt_tex(p)}",
                            narration=narr,
                            sample=sample,
                            group=grp,
                            effects=(("products", sample, (l, i, j), p),),
                        )
                total = products[0]
                for p in products[1:]:
                    total = total + p
                bias = float(b[0, j])
                z = total + bias
                if record:
                    self._add(
                        "forward",
                        "bias",
                        layer=l,
                        neuron=j,
                        nodes=((l + 1, j),),
                        value=bias,
                        operands={"bias": bias},
                        formula=f"{nm.bias(l, j)} = {fmt(bias)}",
                        latex=f"{nm.bias_tex(l, j)} = {fmt_tex(bias)}",
                        narration=f"{out} also has its own bias, {fmt(bias)}, added whatever the inputs.",
                        sample=sample,
                        group=grp,
                    )
                    terms = " + ".join(operand(p) for p in products) + " + " + operand(bias)
                    terms_tex = (
                        " + ".join(operand_tex(p) for p in products) + " + " + operand_tex(bias)
                    )
                    ops = {f"product_{i}": p for i, p in enumerate(products)}
                    ops["bias"] = bias
                    self._add(
                        "forward",
                        "sum",
                        layer=l,
                        neuron=j,
                        nodes=((l + 1, j),),
                        value=z,
                        operands=ops,
                        formula=f"z({out}) = {terms} = {fmt(z)}",
                        latex=f"z_{{{out_tex}}} = {terms_tex} = {fmt_tex(z)}",
                        narration=f"Adding the products and the bias gives {out}'s weighted sum, {fmt(z)}.",
                        sample=sample,
                        group=grp,
                        effects=(("z", sample, (l + 1, j), z),),
                    )
                a = float(act.f(np.array([z]))[0])
                if record:
                    plain, tex = _act_formula(
                        act.name, z, a, out, out_tex, f"z({out})", f"z_{{{out_tex}}}"
                    )
                    if act.name == "relu":
                        narr = (
                            f"The sum is above zero, so ReLU lets it through: {out} = {fmt(a)}."
                            if z > 0
                            else f"The sum {fmt(z)} is not above zero, so ReLU outputs 0: {out} does not fire."
                        )
                    elif act.name == "linear":
                        narr = (
                            f"{out} has no activation (linear), so its output is its sum, {fmt(a)}."
                            if l == L - 1
                            else f"{out} is linear: its output is its sum, {fmt(a)}."
                        )
                    else:
                        narr = f"The {act.name.replace('_', ' ')} activation turns the sum {fmt(z)} into {fmt(a)}."
                    self._add(
                        "forward",
                        "activation",
                        layer=l,
                        neuron=j,
                        nodes=((l + 1, j),),
                        value=a,
                        operands={"z": z},
                        formula=plain,
                        latex=tex,
                        narration=narr,
                        sample=sample,
                        group=grp,
                        effects=(("a", sample, (l + 1, j), a),),
                    )
                z_row.append(z)
                a_row.append(a)
            zs.append(z_row)
            acts.append(a_row)
            a_prev = a_row
        return zs, acts

    def _mse(self, preds: list[list[float]]) -> tuple[float, list[float]]:
        """Plain MSE over every example and output, as `nncore.losses.mse`; also the errors."""
        diffs = [p - float(y) for row, yrow in zip(preds, self.Y) for p, y in zip(row, yrow)]
        total = 0.0
        for d in diffs:
            total = total + d * d
        return total / len(diffs), diffs

    def _build(self) -> None:
        net, nm, L, m = self.network, self.names, self.network.n_layers, self.batch_size
        W = [w.copy() for w in net.weights]
        B = [b.copy() for b in net.biases]
        n_out = self.sizes[-1]

        # 1. forward, one example after the other
        Z, A = [], []
        for s in range(m):
            zs, acts = self._forward_scalar(W, B, self.X[s], record=True, sample=s)
            Z.append(zs)
            A.append(acts)
        preds = [A[s][L] for s in range(m)]

        # 2. loss
        for s in range(m):
            for j in range(n_out):
                out, out_tex = nm.node(L, j), nm.node_tex(L, j)
                y, pred = float(self.Y[s, j]), preds[s][j]
                grp = ("outputs", (s, j))
                self._add(
                    "loss",
                    "prediction",
                    layer=L - 1,
                    neuron=j,
                    nodes=((L, j),),
                    value=pred,
                    operands={"prediction": pred},
                    formula=f"{out} = {fmt(pred)}",
                    latex=f"{out_tex} = {fmt_tex(pred)}",
                    narration=f"The network predicts {fmt(pred)}; the answer we want is {fmt(y)}.",
                    sample=s,
                    group=grp,
                )
                desired = y - pred
                self._add(
                    "loss",
                    "error",
                    layer=L - 1,
                    neuron=j,
                    nodes=((L, j),),
                    value=desired,
                    operands={"target": y, "prediction": pred},
                    formula=f"Δ{out} = {nm.target(j)} − {out} = {fmt(y)} − {operand(pred)} = {fmt(desired)}",
                    latex=f"\\Delta {out_tex} = {nm.target_tex(j)} - {out_tex} = {fmt_tex(y)} - "
                    f"{operand_tex(pred)} = {fmt_tex(desired)}",
                    narration=f"So the output {_should(desired)}: this difference, target − prediction, "
                    "is what the article calls the desired change.",
                    sample=s,
                    group=grp,
                    effects=(("desired", s, (L, j), desired),),
                )
        loss, diffs = self._mse(preds)
        count = len(diffs)
        # written with the desired changes shown above; (y − ŷ)² = (ŷ − y)²
        squares = " + ".join(f"{operand(-d)}²" for d in diffs)
        squares_tex = " + ".join(f"{operand_tex(-d)}^2" for d in diffs)
        half_note = (
            "The gradient the network follows is that of half the squared error "
            "(summed over outputs, averaged over examples); the ½ only makes the "
            "derivative of ½e² come out as plain e."
        )
        self._add(
            "loss",
            "loss",
            layer=None,
            neuron=None,
            nodes=tuple((L, j) for j in range(n_out)),
            value=loss,
            operands={f"error_{k}": d for k, d in enumerate(diffs)},
            formula=f"MSE = ({squares}) / {count} = {fmt(loss)}",
            latex=f"\\mathrm{{MSE}} = \\frac{{1}}{{{count}}}\\bigl({squares_tex}\\bigr) = {fmt_tex(loss)}",
            narration=f"The loss shown is the plain mean squared error, {fmt(loss)}. {half_note}",
            group=("loss", "loss"),
            effects=(("loss", None, None, loss),),
        )
        self.loss_before = loss

        # 3. backward: per column from the output down; each neuron gets its error signal,
        #    then the gradients of the weights and bias that feed it.
        dZ_next: list[list[float]] = []  # δ of the column above, per example
        grads_w = [np.zeros_like(w) for w in W]
        grads_b = [np.zeros_like(b) for b in B]
        for col in range(L, 0, -1):
            l = col - 1  # the weight layer feeding this column
            act = net.activations[l]
            dZ_col = [[0.0] * self.sizes[col] for _ in range(m)]
            for i in range(self.sizes[col]):
                node, node_tex = nm.node(col, i), nm.node_tex(col, i)
                grp = (col, i)
                for s in range(m):
                    if col == L:
                        pred, y = preds[s][i], float(self.Y[s, i])
                        dA = pred - y
                        first = not self._sign_explained
                        self._sign_explained = True
                        if first:
                            narr = (
                                f"The output {_should(-dA)} (desired change {signed(-dA)} = target − "
                                f"prediction). The code uses the gradient, prediction − target = {fmt(dA)}: "
                                "the same amount with the opposite sign. Every parameter is later moved "
                                "by −(learning rate × gradient), so a negative gradient means increase "
                                "and a positive one means decrease."
                            )
                        else:
                            narr = (
                                f"{node} {_should(-dA)}: its gradient is prediction − target = {fmt(dA)} "
                                f"(desired change {signed(-dA)})."
                            )
                        self._add(
                            "backward",
                            "output_error",
                            layer=l,
                            neuron=i,
                            nodes=((col, i),),
                            value=dA,
                            operands={"prediction": pred, "target": y},
                            formula=f"∂L/∂{node} = {node} − {nm.target(i)} = {fmt(pred)} − {operand(y)} = {fmt(dA)}",
                            latex=f"\\frac{{\\partial L}}{{\\partial {node_tex}}} = {node_tex} - "
                            f"{nm.target_tex(i)} = {fmt_tex(pred)} - {operand_tex(y)} = {fmt_tex(dA)}",
                            narration=narr,
                            sample=s,
                            group=grp,
                            effects=(("act_grads", s, (col, i), dA),)
                            + ((("errors", s, (col, i), dA),) if act.name == "linear" else ()),
                        )
                    else:
                        terms = []
                        for j in range(self.sizes[col + 1]):
                            w = float(W[col][i, j])
                            d = dZ_next[s][j]
                            p = d * w
                            terms.append(p)
                            above = nm.node(col + 1, j)
                            self._add(
                                "backward",
                                "backprop_product",
                                layer=l,
                                neuron=i,
                                nodes=((col, i), (col + 1, j)),
                                edges=((col, i, j),),
                                value=p,
                                operands={"error": d, "weight": w},
                                formula=f"δ({above}) × {nm.weight(col, i, j)} = {operand(d)} × {operand(w)} = {fmt(p)}",
                                latex=f"\\delta_{{{nm.node_tex(col + 1, j)}}} \\cdot {nm.weight_tex(col, i, j)} "
                                f"= {operand_tex(d)} \\cdot {operand_tex(w)} = {fmt_tex(p)}",
                                narration=(
                                    f"{above}'s error signal {fmt(d)} (desired change {signed(-d)}) is "
                                    f"carried back to {node} by multiplying it by the weight between "
                                    f"them, {fmt(w)}."
                                ),
                                sample=s,
                                group=grp,
                                effects=(("backprop_products", s, (col, i, j), p),),
                            )
                        dA = terms[0]
                        for p in terms[1:]:
                            dA = dA + p
                        self._add(
                            "backward",
                            "backprop_sum",
                            layer=l,
                            neuron=i,
                            nodes=((col, i),),
                            value=dA,
                            operands={f"product_{j}": p for j, p in enumerate(terms)},
                            formula=(
                                f"∂L/∂{node} = "
                                + " + ".join(operand(p) for p in terms)
                                + f" = {fmt(dA)}"
                                if len(terms) > 1
                                else f"∂L/∂{node} = {fmt(dA)}"
                            ),
                            latex=(
                                f"\\frac{{\\partial L}}{{\\partial {node_tex}}} = "
                                + (
                                    " + ".join(operand_tex(p) for p in terms) + " = "
                                    if len(terms) > 1
                                    else ""
                                )
                                + fmt_tex(dA)
                            ),
                            narration=(
                                f"Summed over every path to the output: {node}'s output "
                                f"{_should(-dA)} (gradient {fmt(dA)})."
                                if len(terms) > 1
                                else f"With one path to the output, {node}'s output {_should(-dA)} "
                                f"(gradient {fmt(dA)})."
                            ),
                            sample=s,
                            group=grp,
                            effects=(("act_grads", s, (col, i), dA),),
                        )
                    z, a = Z[s][l][i], A[s][col][i]
                    if col != L or act.name != "linear":
                        deriv = float(act.df(np.array([z]), np.array([a]))[0])
                        if act.name == "relu":
                            dz = dA * (1.0 if z > 0 else 0.0)  # the code multiplies by the mask
                        else:
                            dz = dA * deriv
                        words = _derivative_words(act.name, z, deriv)
                        slope, slope_tex = _DERIVATIVE_NAMES[act.name]
                        self._add(
                            "backward",
                            "activation_grad",
                            layer=l,
                            neuron=i,
                            nodes=((col, i),),
                            value=dz,
                            operands={"upstream": dA, "derivative": deriv, "z": z},
                            formula=f"δ({node}) = ∂L/∂{node} × {slope} = {operand(dA)} × {operand(deriv)} = {fmt(dz)}",
                            latex=f"\\delta_{{{node_tex}}} = \\frac{{\\partial L}}{{\\partial {node_tex}}} "
                            f"\\cdot {slope_tex} = {operand_tex(dA)} \\cdot {operand_tex(deriv)} = {fmt_tex(dz)}",
                            narration=f"{words} Error signal of {node}'s sum: {fmt(dz)}.",
                            sample=s,
                            group=grp,
                            effects=(("errors", s, (col, i), dz),),
                        )
                    else:
                        dz = dA
                    dZ_col[s][i] = dz
                # gradients of the weights and bias feeding this neuron, averaged over the batch
                for k in range(self.sizes[l]):
                    inp, inp_tex = nm.node(l, k), nm.node_tex(l, k)
                    ins = [A[s][l][k] for s in range(m)]
                    ds = [dZ_col[s][i] for s in range(m)]
                    total = ins[0] * ds[0]
                    for s in range(1, m):
                        total = total + ins[s] * ds[s]
                    g = total / m
                    grads_w[l][k, i] = g
                    wname, wtex = nm.weight(l, k, i), nm.weight_tex(l, k, i)
                    if m == 1:
                        formula = f"∂L/∂{wname} = {inp} × δ({node}) = {fmt(ins[0])} × {operand(ds[0])} = {fmt(g)}"
                        latex = (
                            f"\\frac{{\\partial L}}{{\\partial {wtex}}} = {inp_tex} \\cdot \\delta_{{{node_tex}}} "
                            f"= {fmt_tex(ins[0])} \\cdot {operand_tex(ds[0])} = {fmt_tex(g)}"
                        )
                        ops = {"input": ins[0], "error": ds[0]}
                    else:
                        formula = (
                            f"∂L/∂{wname} = ("
                            + " + ".join(f"{operand(a)} × {operand(d)}" for a, d in zip(ins, ds))
                            + f") / {m} = {fmt(g)}"
                        )
                        latex = (
                            f"\\frac{{\\partial L}}{{\\partial {wtex}}} = \\frac{{1}}{{{m}}}\\bigl("
                            + " + ".join(
                                f"{operand_tex(a)} \\cdot {operand_tex(d)}" for a, d in zip(ins, ds)
                            )
                            + f"\\bigr) = {fmt_tex(g)}"
                        )
                        ops = {
                            **{f"input_{s}": a for s, a in enumerate(ins)},
                            **{f"error_{s}": d for s, d in enumerate(ds)},
                            "batch_size": float(m),
                        }
                    if all(a == 0 for a in ins):
                        narr = (
                            f"{inp} was 0, so changing this weight cannot change the prediction: "
                            "its change is 0."
                        )
                    elif all(d == 0 for d in ds):
                        narr = (
                            f"{node}'s error signal is 0 (nothing reaches it from the output), "
                            "so this weight gets no change."
                        )
                    elif m == 1:
                        narr = (
                            f"A weight's change is (how much its neuron should change) × (the value flowing "
                            f"into it): {signed(-ds[0])} × {operand(ins[0])} = {signed(-g)}, "
                            f"i.e. gradient {fmt(g)}."
                        )
                    else:
                        narr = (
                            f"Each example's (desired change × value flowing in), averaged over the {m} "
                            f"examples: desired change {signed(-g)}, i.e. gradient {fmt(g)}."
                        )
                    self._add(
                        "backward",
                        "weight_grad",
                        layer=l,
                        neuron=i,
                        nodes=((l, k), (col, i)),
                        edges=((l, k, i),),
                        value=g,
                        operands=ops,
                        formula=formula,
                        latex=latex,
                        narration=narr,
                        group=grp,
                        effects=(("grads", None, (l, k, i), g),),
                    )
                ds_sum = dZ_col[0][i]
                for s in range(1, m):
                    ds_sum = ds_sum + dZ_col[s][i]
                gb = ds_sum / m
                grads_b[l][0, i] = gb
                bname, btex = nm.bias(l, i), nm.bias_tex(l, i)
                if m == 1:
                    formula = f"∂L/∂{bname} = δ({node}) = {fmt(gb)}"
                    latex = f"\\frac{{\\partial L}}{{\\partial {btex}}} = \\delta_{{{node_tex}}} = {fmt_tex(gb)}"
                    narr = (
                        f"The bias is added straight into {node}'s sum, so its change is the neuron's own "
                        f"desired change, {signed(-gb)} (gradient {fmt(gb)})."
                    )
                else:
                    formula = (
                        f"∂L/∂{bname} = ("
                        + " + ".join(operand(dZ_col[s][i]) for s in range(m))
                        + f") / {m} = {fmt(gb)}"
                    )
                    latex = (
                        f"\\frac{{\\partial L}}{{\\partial {btex}}} = \\frac{{1}}{{{m}}}\\bigl("
                        + " + ".join(operand_tex(dZ_col[s][i]) for s in range(m))
                        + f"\\bigr) = {fmt_tex(gb)}"
                    )
                    narr = (
                        f"The bias's change is {node}'s desired change averaged over the {m} examples: "
                        f"{signed(-gb)} (gradient {fmt(gb)})."
                    )
                self._add(
                    "backward",
                    "bias_grad",
                    layer=l,
                    neuron=i,
                    nodes=((col, i),),
                    value=gb,
                    operands={f"error_{s}": dZ_col[s][i] for s in range(m)},
                    formula=formula,
                    latex=latex,
                    narration=narr,
                    group=grp,
                    effects=(("grads", None, ("bias", l, i), gb),),
                )
            dZ_next = dZ_col

        # 4. update: every parameter moves by −lr × its gradient, all after the gradients
        lr = self.lr
        W_new = [w.copy() for w in W]
        B_new = [b.copy() for b in B]
        first_update = True
        for l in range(L):
            for j in range(self.sizes[l + 1]):
                grp = (l, j)
                for i in range(self.sizes[l]):
                    old, g = float(W[l][i, j]), float(grads_w[l][i, j])
                    new = old - lr * g
                    W_new[l][i, j] = new
                    wname = nm.weight(l, i, j)
                    nd = digits_to_show(new, lr * g)
                    if g == 0:
                        narr = f"{wname} has a zero gradient, so it stays at {fmt(old)}."
                    else:
                        narr = (
                            f"{wname} moves by −{fmt(lr)} × {operand(g)} = {signed(-lr * g)}: its desired "
                            "change scaled down by the learning rate."
                        )
                    if first_update:
                        narr += (
                            " All gradients were computed first, as if each parameter were the only one "
                            "to change; only now are they applied, each scaled down by the learning rate "
                            "so that one example only nudges the network."
                        )
                        first_update = False
                    self._add(
                        "update",
                        "weight_update",
                        layer=l,
                        neuron=j,
                        nodes=((l, i), (l + 1, j)),
                        edges=((l, i, j),),
                        value=new,
                        operands={"old": old, "lr": lr, "grad": g},
                        formula=f"{wname} ← {fmt(old)} − {fmt(lr)} × {operand(g)} = {fmt(new, nd)}",
                        latex=f"{nm.weight_tex(l, i, j)} \\leftarrow {fmt_tex(old)} - {fmt_tex(lr)} "
                        f"\\cdot {operand_tex(g)} = {fmt_tex(new, nd)}",
                        narration=narr,
                        group=grp,
                        effects=(("weights", None, (l, i, j), new),),
                    )
                old, g = float(B[l][0, j]), float(grads_b[l][0, j])
                new = old - lr * g
                B_new[l][0, j] = new
                bname = nm.bias(l, j)
                nd = digits_to_show(new, lr * g)
                self._add(
                    "update",
                    "bias_update",
                    layer=l,
                    neuron=j,
                    nodes=((l + 1, j),),
                    value=new,
                    operands={"old": old, "lr": lr, "grad": g},
                    formula=f"{bname} ← {fmt(old)} − {fmt(lr)} × {operand(g)} = {fmt(new, nd)}",
                    latex=f"{nm.bias_tex(l, j)} \\leftarrow {fmt_tex(old)} - {fmt_tex(lr)} "
                    f"\\cdot {operand_tex(g)} = {fmt_tex(new, nd)}",
                    narration=(
                        f"{bname} moves by −{fmt(lr)} × {operand(g)} = {signed(-lr * g)}."
                        if g != 0
                        else f"{bname} has a zero gradient, so it stays at {fmt(old)}."
                    ),
                    group=grp,
                    effects=(("biases", None, (l, j), new),),
                )
        self._weights_after, self._biases_after = W_new, B_new

        # 5. check: the same example through the updated network
        new_preds = []
        for s in range(m):
            _, acts = self._forward_scalar(W_new, B_new, self.X[s], record=False, sample=s)
            new_preds.append(acts[L])
            for j in range(n_out):
                out, out_tex = nm.node(L, j), nm.node_tex(L, j)
                new, old, y = acts[L][j], preds[s][j], float(self.Y[s, j])
                closer = abs(new - y) < abs(old - y)
                verdict = (
                    "closer to"
                    if closer
                    else ("no closer to" if abs(new - y) == abs(old - y) else "further from")
                )
                self._add(
                    "check",
                    "new_prediction",
                    layer=L - 1,
                    neuron=j,
                    nodes=((L, j),),
                    value=new,
                    operands={"prediction": new, "previous": old, "target": y},
                    formula=f"{out} = {fmt(new)} (was {fmt(old)}, target {fmt(y)})",
                    latex=f"{out_tex} = {fmt_tex(new)}\\quad(\\text{{was }} {fmt_tex(old)}, "
                    f"\\text{{ target }} {fmt_tex(y)})",
                    narration=(
                        f"Run forward again with the new parameters: the prediction is {fmt(new)}, "
                        f"{verdict} the target {fmt(y)} than before ({fmt(old)})."
                    ),
                    sample=s,
                    group=("outputs", (s, j)),
                    effects=(("new_predictions", s, (L, j), new),),
                )
        new_loss, _ = self._mse(new_preds)
        self.loss_after = new_loss
        change = (
            "went down"
            if new_loss < loss
            else ("stayed the same" if new_loss == loss else "went up")
        )
        advice = (
            ""
            if new_loss <= loss
            else " The learning rate is too large for this example: try a smaller one."
        )
        self._add(
            "check",
            "new_loss",
            layer=None,
            neuron=None,
            nodes=tuple((L, j) for j in range(n_out)),
            value=new_loss,
            operands={"loss_before": loss},
            formula=f"MSE = {fmt(new_loss)} (was {fmt(loss)})",
            latex=f"\\mathrm{{MSE}} = {fmt_tex(new_loss)}\\quad(\\text{{was }} {fmt_tex(loss)})",
            narration=f"The loss {change}, from {fmt(loss)} to {fmt(new_loss)}.{advice}",
            group=("loss", "loss"),
            effects=(("new_loss", None, None, new_loss),),
        )

    # ---- state -------------------------------------------------------------------------
    def _initial_state(self) -> LessonState:
        m = self.batch_size

        def empty():
            return [dict() for _ in range(m)]

        inputs = [{(0, i): float(v) for i, v in enumerate(self.X[s])} for s in range(m)]
        return LessonState(
            step_index=0,
            sample=0,
            weights=[w.copy() for w in self.network.weights],
            biases=[b.copy() for b in self.network.biases],
            z_by_sample=empty(),
            a_by_sample=inputs,
            act_grads_by_sample=empty(),
            errors_by_sample=empty(),
            desired_by_sample=empty(),
            products_by_sample=empty(),
            backprop_products_by_sample=empty(),
            new_predictions_by_sample=empty(),
        )

    def _apply(self, state: LessonState, k: int) -> None:
        step = self.steps[k]
        for name, sample, key, value in self._effects[k]:
            if name in ("loss", "new_loss"):
                setattr(state, name, value)
            elif name == "grads":
                state.grads[key] = value
            elif name == "weights":
                l, i, j = key
                state.weights[l][i, j] = value
            elif name == "biases":
                l, j = key
                state.biases[l][0, j] = value
            else:
                getattr(state, name + "_by_sample")[sample][key] = value
        if step.sample is not None:
            state.sample = step.sample
        state.step_index = k + 1
        state.last_step = step

    def _make_checkpoints(self) -> list[LessonState]:
        state = self._initial_state()
        checkpoints = [state.copy()]
        for k in range(len(self.steps)):
            self._apply(state, k)
            if (k + 1) % _CHECKPOINT_EVERY == 0:
                checkpoints.append(state.copy())
        return checkpoints

    def state_at(self, k: int) -> LessonState:
        """What is known after steps[0..k-1] (k = 0: nothing computed; k = len: all done).

        Always a fresh object rebuilt from the nearest checkpoint: the result depends on k
        only, never on earlier calls, and changing it cannot change the lesson.
        """
        k = int(k)
        if not 0 <= k <= len(self.steps):
            raise IndexError(f"step {k} is outside 0..{len(self.steps)}")
        state = self._checkpoints[k // _CHECKPOINT_EVERY].copy()
        for idx in range(state.step_index, k):
            self._apply(state, idx)
        return state

    # ---- navigation --------------------------------------------------------------------
    def boundaries(self, granularity: str = "operation") -> list[int]:
        """Positions k (0..len) where a unit of `granularity` begins, plus len at the end.

        Coarser boundaries are subsets of finer ones: iteration ⊂ phase ⊂ layer ⊂ neuron ⊂
        operation.
        """
        if granularity not in GRANULARITIES:
            raise ValueError(
                f"unknown granularity {granularity!r}; choose one of: {', '.join(GRANULARITIES)}"
            )
        n = len(self.steps)
        if granularity == "operation":
            return list(range(n + 1))
        if granularity == "iteration":
            return [0, n]
        cached = getattr(self, "_boundary_cache", None)
        if cached is None:
            cached = self._boundary_cache = {}
        if granularity not in cached:
            marks = [0]
            for k in range(1, n):
                if self.steps[k].group[granularity] != self.steps[k - 1].group[granularity]:
                    marks.append(k)
            marks.append(n)
            cached[granularity] = marks
        return list(cached[granularity])

    def next_index(self, k: int, granularity: str = "operation") -> int:
        """The next boundary after k (len(steps) when there is none)."""
        marks = self.boundaries(granularity)
        pos = bisect.bisect_right(marks, k)
        return marks[pos] if pos < len(marks) else len(self.steps)

    def prev_index(self, k: int, granularity: str = "operation") -> int:
        """The previous boundary before k (0 when there is none)."""
        marks = self.boundaries(granularity)
        pos = bisect.bisect_left(marks, k)
        return marks[pos - 1] if pos > 0 else 0

    def phase_start(self, phase: str) -> int:
        """Index of the first step of a phase."""
        for step in self.steps:
            if step.phase == phase:
                return step.index
        raise ValueError(f"unknown phase {phase!r}; phases are {', '.join(PHASES)}")

    # ---- after the iteration -----------------------------------------------------------
    def network_after(self) -> Network:
        """A copy of the network with the updated parameters (the values the steps computed)."""
        net = self.network.copy()
        net.weights = [w.copy() for w in self._weights_after]
        net.biases = [b.copy() for b in self._biases_after]
        return net

    def next_iteration(self) -> Lesson:
        """The next iteration: same example(s), same learning rate, the updated network."""
        return Lesson(
            self.network_after(),
            batch=(self.X.copy(), self.Y.copy()),
            lr=self.lr,
            title=self.title,
            iteration=self.iteration + 1,
        )


# ---- presets --------------------------------------------------------------------------------
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


def _finite_list(values, what: str, length: int | None = None) -> list[float]:
    try:
        arr = np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers") from None
    arr = arr.reshape(-1) if arr.ndim <= 1 else arr
    if arr.ndim != 1:
        raise ValueError(f"{what} must be a flat list of numbers")
    if length is not None and arr.shape[0] != length:
        raise ValueError(f"{what} needs {length} value(s); got {arr.shape[0]}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{what} must be finite numbers (no inf or nan)")
    return arr.tolist()


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
    Raises ValueError saying what is wrong.
    """
    try:
        sizes = [int(s) for s in sizes]
    except (TypeError, ValueError):
        raise ValueError("sizes must be whole numbers, e.g. [2, 3, 1]") from None
    if len(sizes) < 2:
        raise ValueError("sizes need at least an input and an output size, e.g. [2, 1]")
    lo, hi = CUSTOM_LIMITS["inputs"]
    if not lo <= sizes[0] <= hi:
        raise ValueError(f"the network needs {lo} to {hi} inputs; got {sizes[0]}")
    lo, hi = CUSTOM_LIMITS["outputs"]
    if not lo <= sizes[-1] <= hi:
        raise ValueError(f"the network needs {lo} to {hi} outputs; got {sizes[-1]}")
    hidden = sizes[1:-1]
    lo, hi = CUSTOM_LIMITS["hidden_layers"]
    if len(hidden) > hi:
        raise ValueError(f"at most {hi} hidden layers; got {len(hidden)}")
    lo, hi = CUSTOM_LIMITS["hidden"]
    for k, h in enumerate(hidden, start=1):
        if not lo <= h <= hi:
            raise ValueError(f"hidden layer {k} needs {lo} to {hi} neurons; got {h}")
    n_layers = len(sizes) - 1
    if isinstance(activations, str):
        activations = [activations] * (n_layers - 1) + ["linear"]
    activations = list(activations)
    if len(activations) != n_layers:
        raise ValueError(
            f"need one activation per layer, output included ({n_layers}); got {len(activations)}"
        )
    for name in activations:
        get_activation(name)  # raises ValueError naming the choices
    x = _finite_list(x, "the inputs", sizes[0])
    target = _finite_list(target, "the target", sizes[-1])
    try:
        lr = float(lr)
    except (TypeError, ValueError):
        raise ValueError(f"the learning rate must be a number; got {lr!r}") from None
    if not math.isfinite(lr) or not 0 < lr <= 10:
        raise ValueError(f"the learning rate must be above 0 and at most 10; got {lr}")
    net = Network(sizes, activations=activations, init="article", seed=int(seed))
    if weights is not None:
        if len(weights) != n_layers:
            raise ValueError(f"need {n_layers} weight matrices (one per layer); got {len(weights)}")
        for l, w in enumerate(weights):
            shape = (sizes[l], sizes[l + 1])
            try:
                arr = np.array(w, dtype=np.float64)
            except (TypeError, ValueError):
                raise ValueError(f"layer {l + 1}'s weights must be numbers") from None
            if arr.shape != shape:
                raise ValueError(
                    f"layer {l + 1}'s weights must be {shape[0]}×{shape[1]} "
                    f"(inputs × neurons); got shape {arr.shape}"
                )
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"layer {l + 1}'s weights must be finite numbers (no inf or nan)")
            net.set_weights(l, arr)
    if biases is not None:
        if len(biases) != n_layers:
            raise ValueError(f"need {n_layers} bias lists (one per layer); got {len(biases)}")
        for l, b in enumerate(biases):
            net.set_biases(l, _finite_list(b, f"layer {l + 1}'s biases", sizes[l + 1]))
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
        raise ValueError(f"unknown lesson {name!r}; choose one of: {', '.join(PRESETS)}")
    return PRESETS[name].factory(**kw)


def render(lesson: Lesson, fmt: str = "markdown") -> str:
    """The lesson as a hand-out: "markdown", "latex" or "csv" (see `nncore.lesson_render`)."""
    from .handout import render as _render

    return _render(lesson, fmt)
