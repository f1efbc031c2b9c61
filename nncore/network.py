"""The fully connected network: parameters, the recorded forward pass and backpropagation.

Read this module first: it is the whole algorithm of the article, written to be read top to
bottom. Shapes follow the article: `weights[i]` is (fan_in, fan_out), so a batch flows as
`Z = A_prev @ W + b`, and `biases[i]` is (1, fan_out). `forward` returns a `ForwardRecord`
holding every weighted sum and activation; `backward` consumes that record (the CS231n
"cache" idea), so the step-through lesson, the training loop and the GUI all read the same
numbers.

The gradient is that of L = (1/m) Σ ½‖prediction − target‖², exactly the article's code:
the output's error signal is prediction − target, carried back through each weight matrix
and each activation's derivative.

A classifier, `Network(sizes, activations=[..., "softmax"], loss="cross_entropy")` (or one
"sigmoid" output for two classes, binary cross-entropy), learns from the mean cross-entropy
L = (1/m) Σ −log p(true class) instead. Its output error signal is again p − y, the
probability it gave minus the probability it should have given (y one-hot): the derivative
of −log p through the softmax is exactly that, because the softmax's exponentials and the
log cancel (∂L/∂z_j = p_j − y_j); for a sigmoid and binary cross-entropy, the slope σ′(z) =
p(1 − p) that squared error would multiply in cancels against the 1/(p(1 − p)) of the log's
derivative. So the output layer multiplies by no slope; everything below is the same.

The training loop calls `forward(X, workspace=True)` and `backward(rec, y, workspace=True)`:
the same arithmetic, bit for bit, done by `nncore.kernels` into buffers that are reused from
one call to the next (nothing is allocated in the hot loop). That module is an optimisation
of this one and nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from . import checks
from .activations import Activation, get_activation, get_output_activation
from .checks import finite_array
from .errors import SettingsError
from .kernels import Workspace, flat_views
from .losses import (
    LOSSES,
    as_targets,
    class_indices,
    cross_entropy,
    mse,
    target_probabilities,
)

INITS = ("article", "he", "xavier")
DTYPES = ("float64", "float32")

# Predicting and evaluating go through the data this many rows at a time (`predict`, and
# `TrainingRun.evaluate`): memory for one chunk's activations, whatever the number of points.
# 65,536 rows of a 64-wide layer are 32 MB in float64; a chunk is long enough that the
# matrix products run at full speed.
EVAL_CHUNK_ROWS = 65_536


@dataclass
class ForwardRecord:
    """Everything one forward pass computed.

    `a[0]` is the input batch; for layer i (0-based), `z[i]` are its weighted sums
    (batch, fan_out) and `a[i + 1]` its activations. `a[-1]` is the prediction.
    """

    a: list[np.ndarray]
    z: list[np.ndarray]
    # The training kernels also keep, per layer, ReLU's mask z > 0 (None for other layers);
    # the plain pass has none. Training reads them to see which neurons fired.
    masks: list[np.ndarray | None] | None = field(default=None, repr=False, compare=False)

    @property
    def output(self) -> np.ndarray:
        return self.a[-1]


@dataclass
class Gradients:
    """dL/dW and dL/db for every layer, same shapes as the parameters.

    `errors[i]` is dL/dz of layer i for each sample (already divided by the batch size m),
    the "how much this neuron's sum should change" signal the lesson narrates. Training never
    needs it and it is as large as the batch, so it is not kept: the first time it is read it
    is worked out again from the forward record, the targets and the weights as they were
    (`error_source`). The training kernels have none (`errors` is then empty) and set `flat`:
    the gradients in one buffer, laid out like `Network.flat_parameters()`.
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    batch_size: int = 1
    flat: np.ndarray | None = None  # the kernels' [dW0, db0, ...] in one buffer, as_list()'s
    error_source: Callable[[], list[np.ndarray]] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def errors(self) -> list[np.ndarray]:
        return [] if self.error_source is None else self.error_source()

    def as_list(self) -> list[np.ndarray]:
        """[dW0, db0, dW1, db1, ...]: the order of `Network.parameters()`."""
        return [g for pair in zip(self.weights, self.biases) for g in pair]

    def norms(self) -> list[float]:
        """Frobenius norm of each layer's weight gradient."""
        return [float(np.linalg.norm(g)) for g in self.weights]


def _as_dtype(dtype: DTypeLike) -> np.dtype:
    dt = np.dtype(dtype)
    if dt.name not in DTYPES:
        raise SettingsError(f"dtype must be one of {DTYPES}; got {dt.name!r}")
    return dt


def _resolve_activations(activations, n_layers: int) -> tuple[Activation, ...]:
    if isinstance(activations, (str, Activation)):
        hidden = get_activation(activations)
        return tuple([hidden] * (n_layers - 1) + [get_activation("linear")])
    names = list(activations)
    if len(names) != n_layers:
        raise SettingsError(
            f"need one activation per layer ({n_layers}, output included); got {len(names)}"
        )
    hidden_layers = [get_activation(a) for a in names[:-1]]  # softmax is refused here, in words
    return tuple(hidden_layers + [get_output_activation(names[-1])])


def check_loss(loss: str, output: Activation, n_outputs: int) -> str:
    """The loss name, checked against the output layer it must work with."""
    loss = checks.choice(loss, "loss", LOSSES)
    if output.name == "softmax" and n_outputs < 2:
        raise SettingsError(
            "a softmax over one output always says 1: give the output layer one neuron per "
            "class (at least 2), or use one 'sigmoid' output for two classes"
        )
    if output.name == "softmax" and loss != "cross_entropy":
        raise SettingsError(
            "a softmax output learns with loss='cross_entropy' (its error signal is p − y); "
            "squared error through a softmax is not offered"
        )
    if loss == "cross_entropy" and output.name not in ("softmax", "sigmoid"):
        raise SettingsError(
            f"cross-entropy needs probabilities from the output layer, which is "
            f"'{output.name}': end with 'softmax' (one output per class) or 'sigmoid' (one "
            f"output, two classes), e.g. activations=['relu', 'softmax']"
        )
    if loss == "cross_entropy" and output.name == "sigmoid" and n_outputs != 1:
        raise SettingsError(
            f"a sigmoid output with cross-entropy is for two classes, one output; for "
            f"{n_outputs} classes use 'softmax'"
        )
    return loss


def init_parameters(
    sizes: Sequence[int], init: str = "article", seed: int | None = 99, dtype: DTypeLike = "float64"
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Initial weights and biases for the given layer sizes.

    - "article": the article's code, bit for bit: the legacy generator seeded with `seed`
      draws uniform(−1, 1) matrices layer after layer (`np.random.seed(99)` followed by
      `np.random.uniform` gives the same numbers); biases start at zero.
    - "he": normal with std sqrt(2 / fan_in), suited to ReLU; "xavier": uniform in
      ±sqrt(6 / (fan_in + fan_out)), suited to tanh/sigmoid. Both from a seeded
      `np.random.Generator`, so every initialisation is reproducible from its seed.
    """
    dt = _as_dtype(dtype)
    pairs = list(zip(sizes[:-1], sizes[1:]))
    if init == "article":
        rs = np.random.RandomState(seed)
        weights = [rs.uniform(-1, 1, size=(i, o)) for i, o in pairs]
    elif init == "he":
        rng = np.random.default_rng(seed)
        weights = [rng.normal(0.0, np.sqrt(2.0 / i), size=(i, o)) for i, o in pairs]
    elif init == "xavier":
        rng = np.random.default_rng(seed)
        weights = [rng.uniform(-1, 1, size=(i, o)) * np.sqrt(6.0 / (i + o)) for i, o in pairs]
    else:
        raise SettingsError(f"unknown init {init!r}; choose one of: {', '.join(INITS)}")
    weights = [w.astype(dt, copy=False) for w in weights]
    biases = [np.zeros((1, o), dtype=dt) for _, o in pairs]
    return weights, biases


class Network:
    """A fully connected feed-forward network.

    >>> net = Network([2, 3, 1], activations="relu", init="article", seed=99)
    >>> rec = net.forward([[0.1, 0.3]])
    >>> grads = net.backward(rec, [0.2])
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activations="relu",
        init: str = "article",
        seed: int | None = 99,
        dtype: DTypeLike = "float64",
        loss: str = "mse",
    ):
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) < 2 or any(s < 1 for s in sizes):
            raise SettingsError(f"layer sizes must be at least two positive integers; got {sizes}")
        self.sizes: tuple[int, ...] = sizes
        self.dtype = _as_dtype(dtype)
        self.activations = _resolve_activations(activations, len(sizes) - 1)
        # "mse" (the article) or "cross_entropy" (a classifier); `loss()` is the method that
        # measures it on data.
        self.loss_name = check_loss(loss, self.activations[-1], sizes[-1])
        self.init: str | None = init  # None for a network read from a file that names none
        self.seed = seed
        weights, biases = init_parameters(sizes, init, seed, self.dtype)
        # All parameters live in one flat buffer, [W0, b0, W1, b1, ...]; `weights[i]` and
        # `biases[i]` are views of it (see `flat_parameters`).
        shapes = [p.shape for pair in zip(weights, biases) for p in pair]
        self._flat, views = flat_views(shapes, self.dtype)
        for view, value in zip(views, [p for pair in zip(weights, biases) for p in pair]):
            view[...] = value
        self._views = views  # [W0, b0, W1, b1, ...] as carved out of the flat buffer
        self.weights: list[np.ndarray] = views[0::2]
        self.biases: list[np.ndarray] = views[1::2]
        self._workspaces: dict[int, Workspace] = {}  # the training kernels' buffers, by batch

    @classmethod
    def from_parameters(
        cls,
        weights: Sequence[ArrayLike],
        biases: Sequence[ArrayLike],
        activations="relu",
        init: str | None = "article",
        seed: int | None = 99,
        dtype: DTypeLike = "float64",
        loss: str = "mse",
    ) -> Network:
        """A network holding copies of the given weights and biases (validated, converted to
        `dtype`); `init` and `seed` only record where the numbers came from."""
        if len(weights) == 0:
            raise SettingsError("a network needs at least one weight matrix")
        shapes = [np.shape(w) for w in weights]
        if any(len(s) != 2 for s in shapes):
            raise SettingsError(f"weight matrices must be 2-D (fan_in, fan_out); got {shapes}")
        sizes = [shapes[0][0]] + [s[1] for s in shapes]
        net = cls(sizes, activations, "article", 0, dtype, loss)  # cheap stand-in values
        net.init, net.seed = init, seed
        net.load_parameters(weights, biases)
        return net

    # ---- description -------------------------------------------------------------------
    @property
    def n_layers(self) -> int:
        return len(self.sizes) - 1

    @property
    def n_inputs(self) -> int:
        return self.sizes[0]

    @property
    def n_outputs(self) -> int:
        return self.sizes[-1]

    @property
    def n_parameters(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    @property
    def activation_names(self) -> list[str]:
        return [a.name for a in self.activations]

    @property
    def is_classifier(self) -> bool:
        """True for a cross-entropy network: its outputs are class probabilities."""
        return self.loss_name == "cross_entropy"

    @property
    def n_classes(self) -> int:
        """Classes a classifier tells apart: 2 for one sigmoid output, else one per output
        (0 for a regression network)."""
        if not self.is_classifier:
            return 0
        return 2 if self.n_outputs == 1 else self.n_outputs

    @property
    def architecture(self) -> str:
        return "-".join(str(s) for s in self.sizes)

    def __repr__(self) -> str:
        acts = ",".join(self.activation_names)
        loss = "" if self.loss_name == "mse" else f", loss={self.loss_name}"
        return f"Network({self.architecture}, activations=[{acts}]{loss}, dtype={self.dtype.name})"

    def parameters(self) -> list[np.ndarray]:
        """[W0, b0, W1, b1, ...], the arrays themselves (optimisers update them in place)."""
        return [p for pair in zip(self.weights, self.biases) for p in pair]

    def flat_parameters(self) -> np.ndarray | None:
        """Every parameter in one flat array, [W0, b0, W1, b1, ...], or None.

        Writing into it writes the parameters (they are views of it): optimisers can then
        update all of them at once. None when someone has replaced `weights` or `biases` by
        arrays of their own, which is allowed; then only `parameters()` sees them.
        """
        params = self.parameters()
        if len(params) == len(self._views) and all(p is v for p, v in zip(params, self._views)):
            return self._flat  # the arrays made in __init__, untouched: no need to measure
        offset = 0
        for p in params:
            if p.base is not self._flat or p.__array_interface__["data"][0] != (
                self._flat.__array_interface__["data"][0] + offset * self._flat.itemsize
            ):
                return None
            offset += p.size
        return self._flat if offset == self._flat.size else None

    def __reduce__(self):
        """Pickle a network as what `from_parameters` needs, so that it arrives with its
        parameters in one flat buffer again (NumPy would pickle every view as an array of
        its own) and without the training kernels' buffers. The app uses this to hand a
        network between its own processes; a file from elsewhere is never unpickled."""
        return (
            Network.from_parameters,
            (
                self.weights,
                self.biases,
                self.activations,
                self.init,
                self.seed,
                self.dtype.name,
                self.loss_name,
            ),
        )

    def copy(self) -> Network:
        """An independent network with the same shape, activations and parameter values."""
        return self.astype(self.dtype)

    def astype(self, dtype: DTypeLike) -> Network:
        """An independent copy computing in `dtype` ("float64" or "float32")."""
        return Network.from_parameters(
            self.weights, self.biases, self.activations, self.init, self.seed, dtype, self.loss_name
        )

    # ---- editing parameters ------------------------------------------------------------
    def _check_layer(self, layer: int) -> int:
        if not -self.n_layers <= layer < self.n_layers:
            raise IndexError(f"layer {layer} does not exist; the network has {self.n_layers}")
        return layer % self.n_layers

    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        """Set the weight from neuron i of layer `layer`'s input to its neuron j."""
        layer = self._check_layer(layer)
        fan_in, fan_out = self.weights[layer].shape
        if not (0 <= i < fan_in and 0 <= j < fan_out):
            raise IndexError(f"weight ({i}, {j}) is outside layer {layer}'s {fan_in}×{fan_out}")
        self.weights[layer][i, j] = finite_array(value, "a weight")

    def set_bias(self, layer: int, j: int, value: float) -> None:
        layer = self._check_layer(layer)
        if not 0 <= j < self.sizes[layer + 1]:
            raise IndexError(f"bias {j} is outside layer {layer}'s {self.sizes[layer + 1]} neurons")
        self.biases[layer][0, j] = finite_array(value, "a bias")

    def _checked_weights(self, layer: int, values: ArrayLike) -> np.ndarray:
        arr = finite_array(values, f"layer {layer}'s weights")
        if arr.shape != self.weights[layer].shape:
            raise SettingsError(
                f"layer {layer}'s weights must have shape "
                f"{self.weights[layer].shape}; got {arr.shape}"
            )
        return arr

    def _checked_biases(self, layer: int, values: ArrayLike) -> np.ndarray:
        arr = finite_array(values, f"layer {layer}'s biases")
        n_out = self.sizes[layer + 1]
        if arr.size != n_out or arr.ndim > 2 or (arr.ndim == 2 and arr.shape[0] != 1):
            raise SettingsError(
                f"layer {layer}'s biases must have shape "
                f"{self.biases[layer].shape}; got {arr.shape}"
            )
        return arr.reshape(1, n_out)

    def set_weights(self, layer: int, values: ArrayLike) -> None:
        """Overwrite a whole weight matrix (shape (fan_in, fan_out)), validated."""
        layer = self._check_layer(layer)
        self.weights[layer][...] = self._checked_weights(layer, values)

    def set_biases(self, layer: int, values: ArrayLike) -> None:
        """Overwrite a layer's biases (shape (1, fan_out) or (fan_out,)), validated."""
        layer = self._check_layer(layer)
        self.biases[layer][...] = self._checked_biases(layer, values)

    def load_parameters(self, weights: Sequence[ArrayLike], biases: Sequence[ArrayLike]) -> None:
        """Set every layer at once (e.g. from a file).

        Every array is checked before any is written, so a bad layer changes nothing. The
        values are then written into the existing arrays, in place: an optimiser or a training
        run holding `parameters()` keeps working on this network's numbers.
        """
        if len(weights) != self.n_layers or len(biases) != self.n_layers:
            raise SettingsError(f"need {self.n_layers} weight matrices and bias vectors")
        checked_w = [self._checked_weights(i, w) for i, w in enumerate(weights)]
        checked_b = [self._checked_biases(i, b) for i, b in enumerate(biases)]
        for W, b, new_W, new_b in zip(self.weights, self.biases, checked_w, checked_b):
            W[...] = new_W
            b[...] = new_b

    # ---- computing ---------------------------------------------------------------------
    def _inputs(self, X: ArrayLike) -> np.ndarray:
        X = np.asarray(X, dtype=self.dtype)  # no copy when X already has our dtype
        if X.ndim == 1 and X.shape[0] == self.n_inputs:
            X = X.reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise SettingsError(f"inputs must have shape (n, {self.n_inputs}); got {np.shape(X)}")
        return X

    def forward(self, X: ArrayLike, workspace: bool = False) -> ForwardRecord:
        """Run a batch through the network, keeping every weighted sum and activation.

        With `workspace=True` the training kernels compute the same numbers into buffers
        reused by the next call of the same batch size; copy what you keep.
        """
        X = self._inputs(X)  # (batch, n_inputs)
        if workspace:
            a, z, masks = self._workspace(X.shape[0]).forward(self, X)
            return ForwardRecord(a=a, z=z, masks=masks)
        a, z = [X], []
        A = X
        for W, b, act in zip(self.weights, self.biases, self.activations):
            Z = A @ W  # (batch, fan_out): each neuron's weighted sum of its inputs ...
            Z += b  # ... plus its bias (in place: Z is a fresh array of our own)
            A = act.f(Z)  # (batch, fan_out)
            z.append(Z)
            a.append(A)
        return ForwardRecord(a=a, z=z)

    def targets(self, y: ArrayLike) -> np.ndarray:
        """The targets as the (n, n_outputs) rows the output is compared with, in our dtype:
        as given for regression; for a classifier, class indices or one-hot rows (checked)
        turned into the probabilities it should give (one-hot, or 0/1 for a sigmoid)."""
        if not self.is_classifier:
            return as_targets(y, self.n_outputs, self.dtype)
        return target_probabilities(class_indices(y, self.n_classes), self.n_outputs, self.dtype)

    def backward(self, rec: ForwardRecord, y: ArrayLike, workspace: bool = False) -> Gradients:
        """Gradients of the mean loss for the recorded batch: L = (1/m) Σ ½‖prediction −
        target‖² ("mse"), or L = (1/m) Σ −log p(true class) ("cross_entropy", targets are
        class indices or one-hot rows; the output error is p − y, see the module's docstring).

        All gradients are computed from the recorded values before anything is changed,
        as the article insists. With `workspace=True` the results live in reused buffers.
        """
        pred = rec.a[-1]  # (batch, n_outputs)
        m = pred.shape[0]
        y = self.targets(y)  # (batch, n_outputs)
        if y.shape[0] != m:
            raise SettingsError(f"{m} predictions but {y.shape[0]} targets")
        if workspace:
            ws = self._workspace(m)
            fast_dws, fast_dbs = ws.backward(self, rec.a, rec.z, y)
            return Gradients(weights=fast_dws, biases=fast_dbs, batch_size=m, flat=ws.flat_grad)
        dws: list[np.ndarray] = []  # filled from the last layer down, each put in front
        dbs: list[np.ndarray] = []
        for i, dZ in self._error_signals(rec, y, self.weights):
            # A weight's change: the value flowing into it times its neuron's error, averaged
            # over the batch (divided after the product, as the article does).
            dws.insert(0, rec.a[i].T @ dZ / m)  # (fan_in, fan_out)
            dbs.insert(0, np.sum(dZ, axis=0, keepdims=True) / m)  # (1, fan_out)

        weights_now = [W.copy() for W in self.weights]  # the errors may be read after an update

        def errors() -> list[np.ndarray]:
            dZs = dict(self._error_signals(rec, y, weights_now))
            return [dZs[i] / m for i in range(self.n_layers)]  # (batch, fan_out) each

        return Gradients(weights=dws, biases=dbs, batch_size=m, error_source=errors)

    def _error_signals(
        self, rec: ForwardRecord, y: np.ndarray, weights: Sequence[np.ndarray]
    ) -> Iterator[tuple[int, np.ndarray]]:
        """Backpropagation proper: (i, dZ) for every layer i from the last down, where dZ is
        m · dL/dz, one row per sample (batch, fan_out)."""
        dA = rec.a[-1] - y  # (batch, n_outputs): the gradient, the article's desired change negated
        if self.is_classifier:
            # Cross-entropy: p − y is already dL/dz of the output layer (the slope cancels).
            yield self.n_layers - 1, dA
            if self.n_layers == 1:
                return
            dA = dA @ weights[-1].T  # (batch, fan_in): the error carried back
        top = self.n_layers - (1 if self.is_classifier else 0)
        for i in reversed(range(top)):
            # Through the activation: multiply by its slope at each sample's sum. For ReLU the
            # slope is 1 where the neuron was active and 0 where it was not. dA is a fresh
            # array nobody else holds, so it can become dZ in place.
            dZ = np.multiply(dA, self.activations[i].df(rec.z[i], rec.a[i + 1]), out=dA)
            yield i, dZ
            if i > 0:
                dA = dZ @ weights[i].T  # (batch, fan_in): the error carried back

    def _workspace(self, n: int) -> Workspace:
        ws = self._workspaces.get(n)
        if ws is None or not ws.fits(self):
            if len(self._workspaces) > 4:
                self._workspaces.clear()
            ws = self._workspaces[n] = Workspace(self.sizes, self.dtype, n)
        return ws

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predictions of shape (n, n_outputs), the same numbers as `forward(X).output`
        (a classifier's class probabilities).

        Computed EVAL_CHUNK_ROWS rows at a time, keeping only the layer being computed: the
        rows do not influence each other, so predicting 3 million points needs memory for
        the predictions and one chunk's activations, not for every sum of every layer.
        """
        X = self._inputs(X)  # (n, n_inputs)
        n, rows = X.shape[0], EVAL_CHUNK_ROWS
        if n <= rows:
            return self._outputs(X)
        out = np.empty((n, self.n_outputs), self.dtype)  # (n, n_outputs)
        for start in range(0, n, rows):
            out[start : start + rows] = self._outputs(X[start : start + rows])
        return out

    def _outputs(self, X: np.ndarray, logits: bool = False) -> np.ndarray:
        """forward(X).output with the same arithmetic, without keeping the record (with
        `logits`, the output layer's weighted sums z instead of its activations)."""
        A = X  # (rows, n_inputs)
        last = self.n_layers - 1
        for i, (W, b, act) in enumerate(zip(self.weights, self.biases, self.activations)):
            Z = A @ W  # (rows, fan_out)
            Z += b
            if logits and i == last:
                return Z
            A = act.f(Z)  # (rows, fan_out)
        return A

    def logits(self, X: ArrayLike) -> np.ndarray:
        """The output layer's weighted sums z (n, n_outputs), before its activation: what
        the cross-entropy and the class decisions are computed from (finite where the
        probabilities have rounded to exactly 0 or 1). A chunk of rows at a time."""
        X = self._inputs(X)
        rows = EVAL_CHUNK_ROWS
        parts = [
            self._outputs(X[s : s + rows], logits=True) for s in range(0, max(len(X), 1), rows)
        ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """The loss on data: the plain mean squared error of the predictions (the number the
        article prints), or for a classifier the mean cross-entropy (1/m) Σ −log p(true
        class), computed from the logits so that it is finite for any weights."""
        if self.is_classifier:
            return cross_entropy(self.logits(X), self.targets(y))
        return mse(self.predict(X), y)

    def predict_classes(self, X: ArrayLike) -> np.ndarray:
        """A classifier's chosen class for each row, int (n,): the most probable one
        (for one sigmoid output, class 1 where z > 0, i.e. where p > ½)."""
        if not self.is_classifier:
            raise SettingsError("predict_classes needs a classifier (loss='cross_entropy')")
        z = self.logits(X)
        if self.n_outputs == 1:
            return (z[:, 0] > 0).astype(np.intp)
        return np.argmax(z, axis=1).astype(np.intp)

    def dead_fraction(self, rec: ForwardRecord) -> list[float]:
        """One number per layer: the share of the layer's neurons that are dead on this batch.

        A neuron is dead when its activation can pass no gradient back on any sample: a ReLU
        unit whose sum is ≤ 0 everywhere (its output is exactly 0 and its slope 0). Only
        hidden ReLU layers can have dead neurons; every other layer (the output layer, leaky
        ReLU, whose slope is never 0, sigmoid, tanh, linear) reports 0.0, so the list always
        has `n_layers` entries, as `EpochReport.dead_fraction` does.
        """
        can_die = self.dying_layers()
        return [
            float(np.mean(np.all(rec.z[i] <= 0, axis=0))) if i in can_die else 0.0
            for i in range(self.n_layers)
        ]

    def dying_layers(self) -> list[int]:
        """Indices of the hidden layers whose neurons can die (ReLU)."""
        return [i for i, act in enumerate(self.activations[:-1]) if act.can_die]
