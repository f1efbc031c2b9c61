"""The lesson engine: one training iteration, taken apart into single operations.

A `Lesson` takes a network, one training example (or a small batch) and a learning rate, and
lists every elementary operation of one gradient-descent iteration, in the order a teacher
would do them on a whiteboard. Each phase is one method:

1. `_forward`: for each neuron, every input × weight product, the bias, the weighted sum,
   then the activation (a softmax output: each exponential, their sum, each probability);
2. `_loss`: each prediction, how far it is from its target, and the mean squared error (a
   classifier: −log of the probability it gave the true class, averaged over a batch);
3. `_backward`: the output's error signal (a classifier's: p − y, the probability it gave
   minus the one it should have given), each hidden neuron's error carried back through
   every outgoing weight and summed, then passed through the activation's derivative (ReLU
   passes it where the neuron fired and blocks it where it did not), and the gradients of
   the weights and the bias feeding each neuron;
4. `_update`: every parameter moved by learning rate × gradient, all at once after all the
   gradients are known;
5. `_check`: the new prediction and loss on the same example.

Each method does the scalar arithmetic, in the same order as the vectorised
`Network.forward`/`backward` (the tests check it lands on the same numbers), and hands the
numbers to `formulas` and `narration` for the words. A classifier's softmax and cross-entropy
are computed with NumPy on the output's row of sums, exactly as `Network` computes them
(the exponentials of the sums shifted by the largest one; the loss from the sums by
log-sum-exp), so that the lesson shows the numbers the network really uses. `StepTimeline` keeps the steps and
replays them: `Lesson.state_at(k)` is what the student knows after the first k steps.

Every number the arithmetic produces is checked (`_finite`) before anything is written with
it: a sum, an error signal, a gradient or a new weight too large for a float64 stops the
lesson with a `LessonError` that names it ("iteration 7: the weighted sum of h₁ is too large
to compute ..."). The check happens while the lesson is being built, so a refused iteration
never exists half-recorded: `next_iteration()` raises and the current lesson is unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..losses import cross_entropy_terms
from ..network import Network
from . import formulas, narration
from .examples import (
    MAX_STEPS,
    OVERFLOWED,
    LessonError,
    as_batch,
    checked_network,
    iteration_number,
    learning_rate,
    overflow,
    task_of,
    title_text,
)
from .loss_slice import LossSlice
from .loss_slice import loss_slice as _loss_slice
from .names import NodeNames
from .record import LessonState
from .timeline import StepTimeline

__all__ = ["MAX_STEPS", "Lesson", "LessonError"]

Vector = list[float]


class Lesson(StepTimeline):
    """One training iteration of `network` on one example (or a small batch), step by step.

    >>> from nncore.lesson import make_lesson
    >>> lesson = make_lesson("article")
    >>> lesson.steps[0].formula
    'x₁ × w(x₁→h₁) = 0.1 × 0.6 = 0.06'

    The network is copied (as float64) and never changed; `network_after()` returns the
    updated copy and `next_iteration()` the lesson for the next iteration on the same data.
    What it is given is checked first (see `examples`: TypeError or LessonError).

    A classifier (`Network(..., loss="cross_entropy")`, a softmax or one sigmoid output) is
    given its true class instead of target values: `target=2` (or the one-hot `(0, 0, 1)`),
    `batch=(X, [2, 0])` for a batch. `task` says which lesson it is ("regression", "softmax"
    or "binary"), `classes` the true classes; `Y` holds the probabilities the output should
    give (one-hot rows, or the class 0/1 of one sigmoid output).

    >>> make_lesson("softmax").steps[22].formula
    'e^(z(ŷ₁) − max z) = e^(0.8 − 0.8) = 1'
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
            raise TypeError(f"a lesson needs an nncore Network; got {type(network).__name__}")
        # "regression", "softmax" or "binary": decided before the targets are read, because a
        # classifier's target is a class (an index or a one-hot row), not a value per output
        self.task = task_of(network)
        self.X, self.Y = as_batch(
            x,
            target,
            batch,
            network.n_inputs,
            network.n_outputs,
            classifier=self.task != "regression",
        )
        self.lr = learning_rate(lr)
        self.title = title_text(title)
        self.iteration = iteration_number(iteration)
        checked_network(network, self.X.shape[0])
        self.network = network.astype("float64")
        self.names = NodeNames(network.sizes)
        super().__init__(self.batch_size)
        self._build()
        self._make_checkpoints(self._initial_state())

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
        """The example's targets, one per output (the first example's, for a batch: see `Y`);
        for a classifier, the probabilities the output should give (one-hot, or the class)."""
        return tuple(float(v) for v in self.Y[0])

    @property
    def is_classifier(self) -> bool:
        return self.task != "regression"

    @property
    def classes(self) -> tuple[int, ...] | None:
        """A classifier's true class of each example (counting from 0); None for regression."""
        if self.task == "regression":
            return None
        if self.task == "binary":
            return tuple(int(v) for v in self.Y[:, 0])
        return tuple(int(v) for v in np.argmax(self.Y, axis=1))

    def __repr__(self) -> str:
        return (
            f"Lesson({self.network.architecture}, {self.batch_size} example(s), "
            f"lr={self.lr:g}, {len(self.steps)} steps)"
        )

    def _finite(self, value: float, kind: str, *key: int) -> float:
        """`value` if a float64 could hold it; else the LessonError saying what overflowed:
        the `kind` of number (see `examples.OVERFLOWED`) of the neuron or parameter `key`.
        The words are only written when they are needed."""
        if math.isfinite(value):
            return value
        words, named, phase = OVERFLOWED[kind]
        name = getattr(self.names, named)(*key) if named else ""
        raise overflow(words.format(name), self.iteration, phase)

    # ---- the five phases ----------------------------------------------------------------
    def _build(self) -> None:
        L, m = self.network.n_layers, self.batch_size
        W = [w.copy() for w in self.network.weights]
        B = [b.copy() for b in self.network.biases]
        Z, A = self._forward(W, B)
        predictions = [A[s][L] for s in range(m)]
        if self.is_classifier:
            self.loss_before = self._cross_entropy([Z[s][L - 1] for s in range(m)], predictions)
        else:
            self.loss_before = self._loss(predictions)
        grads_w, grads_b = self._backward(W, Z, A, predictions)
        self._weights_after, self._biases_after = self._update(W, B, grads_w, grads_b)
        self.loss_after = self._check(self._weights_after, self._biases_after, predictions)

    # 1. forward ------------------------------------------------------------------------
    def _forward(self, W, B) -> tuple[list[list[Vector]], list[list[Vector]]]:
        """Every example forward, recorded; Z[s][l] sums of layer l, A[s][col] activations."""
        Z, A = [], []
        for s in range(self.batch_size):
            zs, acts = self._forward_example(W, B, self.X[s], sample=s, record=True)
            Z.append(zs)
            A.append(acts)
        return Z, A

    def _forward_example(self, W, B, x, sample: int, record: bool):
        """One example through the network, neuron by neuron; steps added when `record`."""
        a_prev = [float(v) for v in x]
        zs: list[Vector] = []
        acts: list[Vector] = [a_prev]
        for l in range(self.network.n_layers):
            column = [
                self._forward_neuron(W, B, a_prev, l, j, sample, record)
                for j in range(self.sizes[l + 1])
            ]
            zs.append([z for z, _ in column])
            if self.network.activations[l].name == "softmax":  # only ever the output layer
                acts.append(self._softmax(zs[-1], sample, record))
            else:
                acts.append([a for _, a in column])
            a_prev = acts[-1]
        return zs, acts

    def _forward_neuron(self, W, B, a_prev: Vector, l: int, j: int, sample: int, record: bool):
        """z = Σ input × weight + bias (inputs in order, bias last: the order of `A @ W + b`),
        then a = f(z). Returns (z, a); a softmax neuron's a is None: the softmax needs the
        whole layer's sums (`_softmax`)."""
        act = self.network.activations[l]
        products = [ai * float(W[l][i, j]) for i, ai in enumerate(a_prev)]
        total = products[0]
        for p in products[1:]:
            total = total + p
        bias = float(B[l][0, j])
        z = self._finite(total + bias, "sum" if record else "new_sum", l + 1, j)
        a = None
        if act.elementwise:
            a = float(act.f(np.array([z]))[0])  # every activation maps a finite z to a finite a
        if record:
            self._record_neuron(W, a_prev, products, bias, z, a, l, j, sample)
        return z, a

    def _record_neuron(self, W, a_prev, products, bias, z, a, l, j, sample) -> None:
        """The neuron's four kinds of forward step: each product, the bias, the sum, f(z)
        (a softmax neuron's last step comes with its layer's, in `_softmax`)."""
        nm, col = self.names, l + 1
        out, act = nm.node(col, j), self.network.activations[l]
        grp = ((l, sample), (l, sample, j))  # units: this layer, this neuron, this example
        for i, (ai, p) in enumerate(zip(a_prev, products)):
            w = float(W[l][i, j])
            self.record(
                "forward",
                "product",
                nodes=((l, i), (col, j)),
                edges=((l, i, j),),
                value=p,
                operands={"input": ai, "weight": w},
                text=formulas.product(nm, l, i, j, ai, w, p),
                narration=narration.product(nm.node(l, i), out, ai, w, p, from_input=l == 0),
                effects=(("products", sample, (l, i, j), p),),
                layer=l,
                neuron=j,
                sample=sample,
                group=grp,
            )
        self.record(
            "forward",
            "bias",
            nodes=((col, j),),
            value=bias,
            operands={"bias": bias},
            text=formulas.bias(nm, l, j, bias),
            narration=narration.bias(out, bias),
            layer=l,
            neuron=j,
            sample=sample,
            group=grp,
        )
        operands = {f"product_{i}": p for i, p in enumerate(products)}
        operands["bias"] = bias
        self.record(
            "forward",
            "sum",
            nodes=((col, j),),
            value=z,
            operands=operands,
            text=formulas.weighted_sum(nm, col, j, products, bias, z),
            narration=narration.weighted_sum(out, z),
            effects=(("z", sample, (col, j), z),),
            layer=l,
            neuron=j,
            sample=sample,
            group=grp,
        )
        if a is None:
            return
        self.record(
            "forward",
            "activation",
            nodes=((col, j),),
            value=a,
            operands={"z": z},
            text=formulas.activation(act.name, nm, col, j, z, a),
            narration=narration.activation(
                act.name, out, z, a, is_output=col == nm.L, binary=self.task == "binary"
            ),
            effects=(("a", sample, (col, j), a),),
            layer=l,
            neuron=j,
            sample=sample,
            group=grp,
        )

    def _softmax(self, zs: Vector, sample: int, record: bool) -> Vector:
        """The output layer's probabilities from its sums, as `activations.softmax` computes
        them: e^(z_k − max z) for each output, their sum, then each exponential / the sum.
        Recorded (when `record`) as one unit: every softmax step is about the whole layer."""
        row = np.array([zs], dtype=np.float64)  # (1, k): the numbers Network's softmax sees
        top = np.max(row, axis=1, keepdims=True)
        exps = np.exp(row - top)  # every exponent ≤ 0: no overflow, the largest term is 1
        total = np.sum(exps, axis=1, keepdims=True)
        probs = (exps / total)[0].tolist()
        if not record:
            return probs
        nm, L, l = self.names, self.network.n_layers, self.network.n_layers - 1
        # Every softmax step lights the whole output layer; the neuron it is about comes last
        # in its nodes, where the drawing puts the step's result.
        everyone = tuple((L, k) for k in range(len(zs)))
        grp = ((l, sample), ("softmax", sample))
        largest = float(top[0, 0])
        e_list = exps[0].tolist()
        for k, (z, e) in enumerate(zip(zs, e_list)):
            self.record(
                "forward",
                "exponential",
                nodes=(*(n for n in everyone if n != (L, k)), (L, k)),
                value=e,
                operands={"z": z, "largest": largest},
                text=formulas.exponential(nm, k, z, largest, e),
                narration=narration.exponential(nm.node(L, k), z, largest, e, first=k == 0),
                layer=l,
                neuron=k,
                sample=sample,
                group=grp,
            )
        sum_value = float(total[0, 0])
        self.record(
            "forward",
            "exp_sum",
            nodes=everyone,
            value=sum_value,
            operands={f"exp_{k}": e for k, e in enumerate(e_list)},
            text=formulas.exp_sum(e_list, sum_value),
            narration=narration.exp_sum(len(e_list), sum_value),
            layer=l,
            neuron=None,
            sample=sample,
            group=grp,
        )
        true_class = self.classes[sample] if self.classes is not None else None
        for k, (e, p) in enumerate(zip(e_list, probs)):
            self.record(
                "forward",
                "probability",
                nodes=(*(n for n in everyone if n != (L, k)), (L, k)),
                value=p,
                operands={"exp": e, "sum": sum_value},
                text=formulas.probability(nm, k, e, sum_value, p),
                narration=narration.probability(nm.node(L, k), k, p, k == true_class),
                effects=(("a", sample, (L, k), p),),
                layer=l,
                neuron=k,
                sample=sample,
                group=grp,
            )
        return probs

    # 2. loss ---------------------------------------------------------------------------
    def _mse(self, preds: Sequence[Vector], after: bool = False) -> tuple[float, Vector]:
        """Plain MSE over every example and output, as `nncore.losses.mse`; also the errors."""
        diffs = [p - float(y) for row, yrow in zip(preds, self.Y) for p, y in zip(row, yrow)]
        total = 0.0
        for d in diffs:
            total = total + d * d
        return self._finite(total / len(diffs), "new_loss" if after else "loss"), diffs

    def _loss(self, preds: Sequence[Vector]) -> float:
        """Each prediction and its desired change, then the MSE of them all."""
        nm, L = self.names, self.network.n_layers
        for s, row in enumerate(preds):
            for j, pred in enumerate(row):
                y = float(self.Y[s, j])
                desired = y - pred
                grp = ("outputs", (s, j))
                self.record(
                    "loss",
                    "prediction",
                    value=pred,
                    operands={"prediction": pred},
                    text=formulas.prediction(nm, j, pred),
                    narration=narration.prediction(pred, y),
                    layer=L - 1,
                    neuron=j,
                    nodes=((L, j),),
                    sample=s,
                    group=grp,
                )
                self.record(
                    "loss",
                    "error",
                    value=desired,
                    operands={"target": y, "prediction": pred},
                    text=formulas.desired_change(nm, j, y, pred, desired),
                    narration=narration.desired_change(desired),
                    layer=L - 1,
                    neuron=j,
                    nodes=((L, j),),
                    sample=s,
                    group=grp,
                    effects=(("desired", s, (L, j), desired),),
                )
        loss, diffs = self._mse(preds)
        self.record(
            "loss",
            "loss",
            layer=None,
            neuron=None,
            nodes=tuple((L, j) for j in range(self.sizes[-1])),
            value=loss,
            operands={f"error_{k}": d for k, d in enumerate(diffs)},
            text=formulas.mean_squared_error(diffs, loss),
            narration=narration.mean_squared_error(loss),
            group=("loss", "loss"),
            effects=(("loss", None, None, loss),),
        )
        return loss

    def _log_loss_terms(self, logits: Sequence[Vector]) -> list[float]:
        """−log p(true class) of each example, from the output's sums as `nncore.losses`
        computes them (log-sum-exp for a softmax, log(1 + e^z) − y·z for a sigmoid): finite
        even where a probability has rounded to 0 or 1."""
        terms = cross_entropy_terms(np.array(logits, dtype=np.float64), self.Y)  # (m,)
        return [float(t) for t in terms]

    def _mean_log_loss(self, terms: Sequence[float]) -> float:
        """The batch's mean, as `nncore.losses.cross_entropy` averages (np.mean)."""
        return float(np.mean(np.array(terms, dtype=np.float64)))

    def _cross_entropy(self, logits: Sequence[Vector], preds: Sequence[Vector]) -> float:
        """A classifier's loss: for each example −log of the probability it gave the true
        class (binary: −[y log p + (1 − y) log(1 − p)]), then their mean over a batch."""
        nm, L, m = self.names, self.network.n_layers, self.batch_size
        terms = self._log_loss_terms(logits)
        classes = self.classes
        assert classes is not None
        everyone = tuple((L, k) for k in range(self.sizes[-1]))
        for s, (row, term) in enumerate(zip(preds, terms)):
            c = classes[s]
            self._finite(term, "log_loss")
            effects = (("loss", None, None, term),) if m == 1 else ()
            if self.task == "softmax":
                operands = {f"p_{k}": p for k, p in enumerate(row)}
                operands["class"] = float(c)
                self.record(
                    "loss",
                    "log_loss",
                    layer=L - 1,
                    neuron=c,
                    nodes=(*(n for n in everyone if n != (L, c)), (L, c)),
                    value=term,
                    operands=operands,
                    text=formulas.log_loss(nm, c, row[c], term),
                    narration=narration.log_loss(nm.node(L, c), c, row[c], term),
                    sample=s,
                    group=("loss", s),
                    effects=effects,
                )
            else:
                p = row[0]
                self.record(
                    "loss",
                    "binary_log_loss",
                    layer=L - 1,
                    neuron=0,
                    nodes=((L, 0),),
                    value=term,
                    operands={"probability": p, "class": float(c), "z": float(logits[s][0])},
                    text=formulas.binary_log_loss(nm, c, p, term),
                    narration=narration.binary_log_loss(c, p, term),
                    sample=s,
                    group=("loss", s),
                    effects=effects,
                )
        if m == 1:
            return terms[0]
        loss = self._finite(self._mean_log_loss(terms), "log_loss")
        self.record(
            "loss",
            "mean_log_loss",
            layer=None,
            neuron=None,
            nodes=everyone,
            value=loss,
            operands={f"loss_{s}": t for s, t in enumerate(terms)},
            text=formulas.mean_log_loss(terms, loss),
            narration=narration.mean_log_loss(m, loss),
            group=("loss", "mean"),
            effects=(("loss", None, None, loss),),
        )
        return loss

    # 3. backward -----------------------------------------------------------------------
    def _backward(self, W, Z, A, preds):
        """Column by column from the output down: each neuron's error signal δ for every
        example, then the gradients of the weights and bias that feed it."""
        L, m = self.network.n_layers, self.batch_size
        grads_w = [np.zeros_like(w) for w in W]
        grads_b = [np.zeros_like(b) for b in self.network.biases]
        deltas_above: list[Vector] = []  # δ of the column above, per example
        for col in range(L, 0, -1):
            l = col - 1  # the weight layer feeding this column
            deltas = [[0.0] * self.sizes[col] for _ in range(m)]
            for i in range(self.sizes[col]):
                for s in range(m):
                    if col == L and self.is_classifier:
                        deltas[s][i] = self._class_error(s, i, preds[s][i], first=i == 0)
                        continue  # p − y already is ∂L/∂z: no activation slope follows
                    if col == L:
                        upstream = self._output_error(s, i, preds[s][i], first=i == 0 and s == 0)
                    else:
                        upstream = self._carry_back(W, s, col, i, deltas_above[s])
                    deltas[s][i] = self._through_activation(
                        s, col, i, upstream, Z[s][l][i], A[s][col][i]
                    )
                own = [deltas[s][i] for s in range(m)]
                for k in range(self.sizes[l]):
                    inputs = [A[s][l][k] for s in range(m)]
                    grads_w[l][k, i] = self._weight_gradient(l, k, i, inputs, own)
                grads_b[l][0, i] = self._bias_gradient(l, i, own)
            deltas_above = deltas
        return grads_w, grads_b

    def _output_error(self, s: int, j: int, pred: float, first: bool) -> float:
        """∂L/∂ŷ = prediction − target (the sign convention is explained the `first` time)."""
        L = self.network.n_layers
        y = float(self.Y[s, j])
        grad = self._finite(pred - y, "output_grad", L, j)
        effects = [("act_grads", s, (L, j), grad)]
        if self.network.activations[L - 1].name == "linear":
            effects.append(("errors", s, (L, j), grad))  # no activation step follows
        return self.record(
            "backward",
            "output_error",
            layer=L - 1,
            neuron=j,
            nodes=((L, j),),
            value=grad,
            operands={"prediction": pred, "target": y},
            text=formulas.output_error(self.names, j, pred, y, grad),
            narration=narration.output_error(self.names.node(L, j), grad, first),
            sample=s,
            group=(L, j),
            effects=effects,
        )

    def _class_error(self, s: int, j: int, p: float, first: bool) -> float:
        """A classifier's output error δ = ∂L/∂z = p − y: the probability it gave minus the
        probability it should have given (the softmax's and the log's derivatives cancel)."""
        L = self.network.n_layers
        y = float(self.Y[s, j])
        delta = self._finite(p - y, "output_grad", L, j)
        return self.record(
            "backward",
            "prob_error",
            layer=L - 1,
            neuron=j,
            nodes=((L, j),),
            value=delta,
            operands={"probability": p, "target": y},
            text=formulas.prob_error(self.names, j, p, y, delta),
            narration=narration.prob_error(
                self.names.node(L, j), p, y, delta, first=first and s == 0, task=self.task
            ),
            sample=s,
            group=(L, j),
            effects=(("errors", s, (L, j), delta),),
        )

    def _carry_back(self, W, s: int, col: int, i: int, deltas_above: Vector) -> float:
        """∂L/∂a of a hidden neuron: each δ above times the weight to it, summed."""
        nm = self.names
        node = nm.node(col, i)
        weights = [float(W[col][i, j]) for j in range(len(deltas_above))]
        terms = [d * w for d, w in zip(deltas_above, weights)]
        total = terms[0]
        for p in terms[1:]:
            total = total + p
        self._finite(total, "carried", col, i)
        for j, (d, w, p) in enumerate(zip(deltas_above, weights, terms)):
            self.record(
                "backward",
                "backprop_product",
                layer=col - 1,
                neuron=i,
                nodes=((col, i), (col + 1, j)),
                edges=((col, i, j),),
                value=p,
                operands={"error": d, "weight": w},
                text=formulas.backprop_product(nm, col, i, j, d, w, p),
                narration=narration.backprop_product(nm.node(col + 1, j), node, d, w),
                sample=s,
                group=(col, i),
                effects=(("backprop_products", s, (col, i, j), p),),
            )
        return self.record(
            "backward",
            "backprop_sum",
            layer=col - 1,
            neuron=i,
            nodes=((col, i),),
            value=total,
            operands={f"product_{j}": p for j, p in enumerate(terms)},
            text=formulas.backprop_sum(nm, col, i, terms, total),
            narration=narration.backprop_sum(node, total, len(terms)),
            sample=s,
            group=(col, i),
            effects=(("act_grads", s, (col, i), total),),
        )

    def _through_activation(self, s: int, col: int, i: int, upstream: float, z, a) -> float:
        """δ = ∂L/∂a × f′(z); a linear output has no step of its own (δ = ∂L/∂ŷ)."""
        act = self.network.activations[col - 1]
        if col == self.network.n_layers and act.name == "linear":
            return upstream
        slope = float(act.df(np.array([z]), np.array([a]))[0])
        if act.name == "relu":
            delta = upstream * (1.0 if z > 0 else 0.0)  # the code multiplies by the mask
        else:
            delta = upstream * slope  # |slope| <= 1 for every activation: finite stays finite
        return self.record(
            "backward",
            "activation_grad",
            layer=col - 1,
            neuron=i,
            nodes=((col, i),),
            value=delta,
            operands={"upstream": upstream, "derivative": slope, "z": z},
            text=formulas.through_activation(act.name, self.names, col, i, upstream, slope, delta),
            narration=narration.through_activation(
                act.name, self.names.node(col, i), z, slope, delta
            ),
            sample=s,
            group=(col, i),
            effects=(("errors", s, (col, i), delta),),
        )

    def _weight_gradient(self, l: int, k: int, i: int, inputs: Vector, deltas: Vector) -> float:
        """∂L/∂w(k→i) = input × δ, averaged over the batch."""
        m = len(inputs)
        total = inputs[0] * deltas[0]
        for s in range(1, m):
            total = total + inputs[s] * deltas[s]
        grad = self._finite(total / m, "weight_grad", l, k, i)
        if m == 1:
            operands = {"input": inputs[0], "error": deltas[0]}
        else:
            operands = {
                **{f"input_{s}": a for s, a in enumerate(inputs)},
                **{f"error_{s}": d for s, d in enumerate(deltas)},
                "batch_size": float(m),
            }
        nm = self.names
        return self.record(
            "backward",
            "weight_grad",
            layer=l,
            neuron=i,
            nodes=((l, k), (l + 1, i)),
            edges=((l, k, i),),
            value=grad,
            operands=operands,
            text=formulas.weight_gradient(nm, l, k, i, inputs, deltas, grad),
            narration=narration.weight_gradient(
                nm.node(l, k), nm.node(l + 1, i), inputs, deltas, grad
            ),
            group=(l + 1, i),
            effects=(("grads", None, (l, k, i), grad),),
        )

    def _bias_gradient(self, l: int, i: int, deltas: Vector) -> float:
        """∂L/∂b = δ, averaged over the batch."""
        total = deltas[0]
        for d in deltas[1:]:
            total = total + d
        grad = self._finite(total / len(deltas), "bias_grad", l, i)
        return self.record(
            "backward",
            "bias_grad",
            layer=l,
            neuron=i,
            nodes=((l + 1, i),),
            value=grad,
            operands={f"error_{s}": d for s, d in enumerate(deltas)},
            text=formulas.bias_gradient(self.names, l, i, deltas, grad),
            narration=narration.bias_gradient(self.names.node(l + 1, i), grad, len(deltas)),
            group=(l + 1, i),
            effects=(("grads", None, ("bias", l, i), grad),),
        )

    # 4. update -------------------------------------------------------------------------
    def _update(self, W, B, grads_w, grads_b):
        """Every parameter moves by −lr × its gradient, all after the gradients are known."""
        nm, lr = self.names, self.lr
        W_new = [w.copy() for w in W]
        B_new = [b.copy() for b in B]
        for l in range(self.network.n_layers):
            for j in range(self.sizes[l + 1]):
                for i in range(self.sizes[l]):
                    old, g = float(W[l][i, j]), float(grads_w[l][i, j])
                    new = W_new[l][i, j] = self._finite(old - lr * g, "new_weight", l, i, j)
                    first = l == 0 and j == 0 and i == 0
                    self.record(
                        "update",
                        "weight_update",
                        layer=l,
                        neuron=j,
                        nodes=((l, i), (l + 1, j)),
                        edges=((l, i, j),),
                        value=new,
                        operands={"old": old, "lr": lr, "grad": g},
                        text=formulas.update(
                            nm.weight(l, i, j), nm.weight_tex(l, i, j), old, lr, g, new
                        ),
                        narration=narration.weight_update(nm.weight(l, i, j), old, lr, g, first),
                        group=(l, j),
                        effects=(("weights", None, (l, i, j), new),),
                    )
                old, g = float(B[l][0, j]), float(grads_b[l][0, j])
                new = B_new[l][0, j] = self._finite(old - lr * g, "new_bias", l, j)
                self.record(
                    "update",
                    "bias_update",
                    layer=l,
                    neuron=j,
                    nodes=((l + 1, j),),
                    value=new,
                    operands={"old": old, "lr": lr, "grad": g},
                    text=formulas.update(nm.bias(l, j), nm.bias_tex(l, j), old, lr, g, new),
                    narration=narration.bias_update(nm.bias(l, j), old, lr, g),
                    group=(l, j),
                    effects=(("biases", None, (l, j), new),),
                )
        return W_new, B_new

    # 5. check --------------------------------------------------------------------------
    def _check(self, W_new, B_new, preds: Sequence[Vector]) -> float:
        """The same examples through the updated network: new predictions, new loss."""
        L = self.network.n_layers
        new_preds, new_logits = [], []
        kind = "new_probability" if self.is_classifier else "new_prediction"
        for s in range(self.batch_size):
            zs, acts = self._forward_example(W_new, B_new, self.X[s], sample=s, record=False)
            new_preds.append(acts[L])
            new_logits.append(zs[L - 1])
            for j, new in enumerate(acts[L]):
                old, y = preds[s][j], float(self.Y[s, j])
                self.record(
                    "check",
                    kind,
                    layer=L - 1,
                    neuron=j,
                    nodes=((L, j),),
                    value=new,
                    operands={"prediction": new, "previous": old, "target": y},
                    text=formulas.new_prediction(self.names, j, new, old, y),
                    narration=(
                        narration.new_probability(self.names.node(L, j), new, old, y)
                        if self.is_classifier
                        else narration.new_prediction(new, old, y)
                    ),
                    sample=s,
                    group=("outputs", (s, j)),
                    effects=(("new_predictions", s, (L, j), new),),
                )
        if self.is_classifier:
            new_loss = self._mean_log_loss(self._log_loss_terms(new_logits))
            new_loss = self._finite(new_loss, "new_log_loss")
            text = formulas.new_log_loss(new_loss, self.loss_before)
        else:
            new_loss, _ = self._mse(new_preds, after=True)
            text = formulas.new_loss(new_loss, self.loss_before)
        self.record(
            "check",
            "new_log_loss" if self.is_classifier else "new_loss",
            layer=None,
            neuron=None,
            nodes=tuple((L, j) for j in range(self.sizes[-1])),
            value=new_loss,
            operands={"loss_before": self.loss_before},
            text=text,
            narration=narration.new_loss(new_loss, self.loss_before),
            group=("loss", "loss"),
            effects=(("new_loss", None, None, new_loss),),
        )
        return new_loss

    # ---- state and what comes after ----------------------------------------------------
    def _initial_state(self) -> LessonState:
        """Before any step: the parameters and the inputs are known, nothing else."""
        return LessonState.start(self.network, self.X)

    def network_after(self) -> Network:
        """A copy of the network with the updated parameters (the values the steps computed)."""
        net = self.network.copy()
        net.weights = [w.copy() for w in self._weights_after]
        net.biases = [b.copy() for b in self._biases_after]
        return net

    def loss_slice(self, key, span: float | None = None, n: int = 101) -> LossSlice:
        """The loss as one weight (layer, i, j) or bias ("bias", layer, j) moves, the others
        fixed where this iteration starts (see `nncore.lesson.loss_slice`)."""
        return _loss_slice(self, key, span=span, n=n)

    def next_iteration(self) -> Lesson:
        """The next iteration: same example(s), same learning rate, the updated network."""
        return Lesson(
            self.network_after(),
            batch=(self.X.copy(), self.Y.copy()),
            lr=self.lr,
            title=self.title,
            iteration=self.iteration + 1,
        )
