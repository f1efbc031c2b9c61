"""The fully connected network: parameters, the recorded forward pass and backpropagation.

Shapes follow the article: `weights[i]` is (fan_in, fan_out) so a batch flows as
`Z = A_prev @ W + b`, and `biases[i]` is (1, fan_out). `forward` returns a `ForwardRecord`
holding every weighted sum and activation; `backward` consumes that record (the CS231n
"cache" idea), so the step-through lesson, the training loop and the GUI all read the same
numbers.

The gradient is that of L = (1/m) Σ ½‖prediction − target‖², exactly the article's code:
the output's error signal is prediction − target, carried back through each weight matrix
and each activation's derivative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .activations import Activation, get_activation
from .losses import as_targets, mse

INITS = ("article", "he", "xavier")
DTYPES = ("float64", "float32")


@dataclass
class ForwardRecord:
    """Everything one forward pass computed.

    `a[0]` is the input batch; for layer i (0-based), `z[i]` are its weighted sums
    (batch, fan_out) and `a[i + 1]` its activations. `a[-1]` is the prediction.
    """

    a: list[np.ndarray]
    z: list[np.ndarray]

    @property
    def output(self) -> np.ndarray:
        return self.a[-1]


@dataclass
class Gradients:
    """dL/dW and dL/db for every layer, same shapes as the parameters.

    `errors[i]` is dL/dz of layer i for each sample (already divided by the batch size),
    the "how much this neuron's sum should change" signal the lesson narrates.
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    errors: list[np.ndarray] = field(default_factory=list)

    def as_list(self) -> list[np.ndarray]:
        """[dW0, db0, dW1, db1, ...]: the order of `Network.parameters()`."""
        return [g for pair in zip(self.weights, self.biases) for g in pair]

    def norms(self) -> list[float]:
        """Frobenius norm of each layer's weight gradient."""
        return [float(np.linalg.norm(g)) for g in self.weights]


def _as_dtype(dtype) -> np.dtype:
    dt = np.dtype(dtype)
    if dt.name not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}; got {dt.name!r}")
    return dt


def _resolve_activations(activations, n_layers: int) -> tuple[Activation, ...]:
    if isinstance(activations, (str, Activation)):
        hidden = get_activation(activations)
        return tuple([hidden] * (n_layers - 1) + [get_activation("linear")])
    acts = tuple(get_activation(a) for a in activations)
    if len(acts) != n_layers:
        raise ValueError(
            f"need one activation per layer ({n_layers}, output included); got {len(acts)}"
        )
    return acts


def init_parameters(
    sizes: Sequence[int], init: str = "article", seed: int | None = 99, dtype="float64"
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
        raise ValueError(f"unknown init {init!r}; choose one of: {', '.join(INITS)}")
    weights = [w.astype(dt, copy=False) for w in weights]
    biases = [np.zeros((1, o), dtype=dt) for _, o in pairs]
    return weights, biases


class _Workspace:
    """Pre-allocated buffers for one batch size: the training hot loop allocates nothing.

    Besides the buffers (`z`, `a`, `d` for the error signals, `mask` for ReLU's "was this
    neuron active", `dw`, `db`), it prepares reshaped views that let NumPy run its fastest
    loops; every trick below performs exactly the same floating-point operations as the
    plain expressions, so results stay bit-for-bit those of the article's code:

    - Adding the bias row to every row of an (n, k) array loops over rows of only k values.
      Viewing blocks of R rows as one long row and adding the bias repeated R times does the
      same additions in long contiguous runs (`add_bias`).
    - `np.maximum(z, 0)` against a scalar misses NumPy's vectorised loop; comparing the flat
      buffer, in long runs, with a row of zeros of the same length takes it. The bias, the
      ReLU and its mask (z > 0, kept for backpropagation, which then need not read z again)
      are done a few runs at a time, while those values are in the cache (`bias_relu`).
    - The bias gradient sums the error over the samples, row after row; `np.einsum("ij->j")`
      adds in that same order, faster than `np.sum(axis=0)` (`sum_rows`). A single column
      is left to `np.sum`, which adds a contiguous run pairwise.
    - The error signals of layers with the same width and parity share a buffer: a smaller
      working set stays in the cache.

    The matrix products themselves are the article's, call for call (NumPy hands them to
    BLAS with the same shapes), which is what keeps the float64 results identical.
    """

    BLOCK = 8192  # elements per contiguous run in the reshaped views
    RUN_BLOCKS = 8  # runs per ReLU part: 65,536 values (256 kB in float32, 512 kB in
    # float64), which stay in the L2 cache from one pass to the next

    def __init__(self, net: Network, n: int):
        dt = net.dtype
        self.n = n
        self.dtype = dt
        outs = net.sizes[1:]
        self.z = [np.empty((n, k), dt) for k in outs]
        self.a = [None] + [np.empty((n, k), dt) for k in outs]
        # Error signals: layer i's is only needed until layer i − 1's is computed, so layers
        # of the same width and parity share a buffer (a smaller working set stays in cache).
        shared: dict[tuple[int, int], np.ndarray] = {}
        self.d = [shared.setdefault((k, i % 2), np.empty((n, k), dt)) for i, k in enumerate(outs)]
        self.mask = [np.empty((n, k), np.bool_) for k in outs]
        self.dw = [np.empty_like(w) for w in net.weights]
        self.db = [np.empty_like(b) for b in net.biases]
        self._bias_parts = [self._bias_views(z) for z in self.z]
        self._relu_parts = [
            self._relu_views(z, a, mask) for z, a, mask in zip(self.z, self.a[1:], self.mask)
        ]
        # When whole rows fill a run, the bias joins the ReLU's run-by-run loop: one run of
        # the bias repeated is added to every run of z.
        self._bias_runs = [
            np.empty(max((p[0].shape[-1] for p in parts), default=0), dt)
            if self.BLOCK % k == 0
            else None
            for k, parts in zip(outs, self._relu_parts)
        ]

    def _bias_views(self, z: np.ndarray):
        """(blocks of R rows seen as (n // R, R·k), the bias tiled R times, the leftover rows)."""
        n, k = z.shape
        rows = max(1, self.BLOCK // k)
        if rows < 2 or n < 2 * rows:
            return None, None, z
        full = (n // rows) * rows
        blocks = z[:full].reshape(full // rows, rows * k)
        return blocks, np.empty((rows, k), self.dtype), z[full:]

    def _relu_views(self, z: np.ndarray, a: np.ndarray, mask: np.ndarray):
        """(z, a, mask parts, a row of zeros) covering the flat buffers: each part is a few
        rows of BLOCK elements (small enough to stay in the cache between the two passes)."""
        flat = [z.reshape(-1), a.reshape(-1), mask.reshape(-1)]
        size, block = z.size, self.BLOCK
        full = (size // block) * block
        step = self.RUN_BLOCKS * block
        zeros = np.zeros(block, self.dtype)
        parts = [
            tuple(f[s : min(s + step, full)].reshape(-1, block) for f in flat) + (zeros,)
            for s in range(0, full, step)
        ]
        if size > full:
            parts.append(
                (flat[0][full:], flat[1][full:], flat[2][full:], np.zeros(size - full, self.dtype))
            )
        return parts

    def add_bias(self, i: int, b: np.ndarray) -> None:
        """z[i] += b, row by row."""
        blocks, tiled, rest = self._bias_parts[i]
        if blocks is not None:
            tiled[...] = b  # b repeated R times
            np.add(blocks, tiled.reshape(1, -1), out=blocks)
        np.add(rest, b, out=rest)

    @staticmethod
    def sum_rows(dZ: np.ndarray, out: np.ndarray) -> np.ndarray:
        """out = np.sum(dZ, axis=0, keepdims=True), bit for bit."""
        n, k = dZ.shape
        if k == 1 or n < 512:  # einsum's Python wrapper costs more than it saves
            return np.add.reduce(dZ, axis=0, keepdims=True, out=out)
        np.einsum("ij->j", dZ, out=out.reshape(-1))
        return out

    def bias_relu(self, i: int, b: np.ndarray) -> np.ndarray:
        """z[i] += b; a[i + 1] = max(z[i], 0); mask[i] = z[i] > 0 (for backpropagation),
        run by run while each run of z is still in the cache."""
        bias_run = self._bias_runs[i]
        if bias_run is None:
            self.add_bias(i, b)
        else:
            bias_run.reshape(-1, b.shape[1])[...] = b  # b repeated along a run
        for z_part, a_part, mask_part, zeros in self._relu_parts[i]:
            if bias_run is not None:
                np.add(z_part, bias_run[: z_part.shape[-1]], out=z_part)
            np.maximum(zeros, z_part, out=a_part)  # max(0, z), operands as the article
            np.greater(z_part, 0, out=mask_part)
        return self.a[i + 1]


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
        dtype="float64",
    ):
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) < 2 or any(s < 1 for s in sizes):
            raise ValueError(f"layer sizes must be at least two positive integers; got {sizes}")
        self.sizes = sizes
        self.dtype = _as_dtype(dtype)
        self.activations = _resolve_activations(activations, len(sizes) - 1)
        self.init = init
        self.seed = seed
        self.weights, self.biases = init_parameters(sizes, init, seed, self.dtype)
        self._workspaces: dict[int, _Workspace] = {}

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
    def architecture(self) -> str:
        return "-".join(str(s) for s in self.sizes)

    def __repr__(self) -> str:
        acts = ",".join(self.activation_names)
        return f"Network({self.architecture}, activations=[{acts}], dtype={self.dtype.name})"

    def parameters(self) -> list[np.ndarray]:
        """[W0, b0, W1, b1, ...], the arrays themselves (optimisers update them in place)."""
        return [p for pair in zip(self.weights, self.biases) for p in pair]

    def copy(self) -> Network:
        clone = Network.__new__(Network)
        clone.sizes, clone.dtype, clone.activations = self.sizes, self.dtype, self.activations
        clone.init, clone.seed = self.init, self.seed
        clone.weights = [w.copy() for w in self.weights]
        clone.biases = [b.copy() for b in self.biases]
        clone._workspaces = {}
        return clone

    def astype(self, dtype) -> Network:
        clone = self.copy()
        clone.dtype = _as_dtype(dtype)
        clone.weights = [w.astype(clone.dtype) for w in clone.weights]
        clone.biases = [b.astype(clone.dtype) for b in clone.biases]
        return clone

    # ---- editing parameters ------------------------------------------------------------
    def _check_layer(self, layer: int) -> int:
        if not -self.n_layers <= layer < self.n_layers:
            raise IndexError(f"layer {layer} does not exist; the network has {self.n_layers}")
        return layer % self.n_layers

    @staticmethod
    def _finite(value, what: str):
        arr = np.asarray(value, dtype=np.float64)
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{what} must be finite numbers")
        return arr

    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        """Set the weight from neuron i of layer `layer`'s input to its neuron j."""
        layer = self._check_layer(layer)
        fan_in, fan_out = self.weights[layer].shape
        if not (0 <= i < fan_in and 0 <= j < fan_out):
            raise IndexError(f"weight ({i}, {j}) is outside layer {layer}'s {fan_in}×{fan_out}")
        self.weights[layer][i, j] = self._finite(value, "a weight")

    def set_bias(self, layer: int, j: int, value: float) -> None:
        layer = self._check_layer(layer)
        if not 0 <= j < self.sizes[layer + 1]:
            raise IndexError(f"bias {j} is outside layer {layer}'s {self.sizes[layer + 1]} neurons")
        self.biases[layer][0, j] = self._finite(value, "a bias")

    def set_weights(self, layer: int, values) -> None:
        """Replace a whole weight matrix (shape (fan_in, fan_out)), validated."""
        layer = self._check_layer(layer)
        arr = self._finite(values, f"layer {layer}'s weights")
        if arr.shape != self.weights[layer].shape:
            raise ValueError(
                f"layer {layer}'s weights must have shape "
                f"{self.weights[layer].shape}; got {arr.shape}"
            )
        self.weights[layer][...] = arr

    def set_biases(self, layer: int, values) -> None:
        """Replace a layer's biases (shape (1, fan_out) or (fan_out,)), validated."""
        layer = self._check_layer(layer)
        arr = self._finite(values, f"layer {layer}'s biases")
        if (
            arr.size != self.sizes[layer + 1]
            or arr.ndim > 2
            or (arr.ndim == 2 and arr.shape[0] != 1)
        ):
            raise ValueError(
                f"layer {layer}'s biases must have shape "
                f"{self.biases[layer].shape}; got {arr.shape}"
            )
        self.biases[layer][...] = arr.reshape(1, -1)

    def load_parameters(self, weights: Sequence, biases: Sequence) -> None:
        """Set every layer at once (e.g. from a file); checks all before changing any."""
        if len(weights) != self.n_layers or len(biases) != self.n_layers:
            raise ValueError(f"need {self.n_layers} weight matrices and bias vectors")
        backup = [w.copy() for w in self.weights], [b.copy() for b in self.biases]
        try:
            for i, (w, b) in enumerate(zip(weights, biases)):
                self.set_weights(i, w)
                self.set_biases(i, b)
        except Exception:
            self.weights, self.biases = backup
            raise

    # ---- computing ---------------------------------------------------------------------
    def _inputs(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim == 1 and X.shape[0] == self.n_inputs:
            X = X.reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(f"inputs must have shape (n, {self.n_inputs}); got {np.shape(X)}")
        return X

    def forward(self, X, workspace: bool = False) -> ForwardRecord:
        """Run a batch through the network, keeping every weighted sum and activation.

        With `workspace=True` the arrays are pre-allocated buffers reused by the next call
        of the same batch size (the training loop's fast path); copy what you keep.
        """
        X = self._inputs(X)
        if workspace:
            return self._forward_workspace(X, self._workspace(X.shape[0]))
        a, z = [X], []
        A = X
        for W, b, act in zip(self.weights, self.biases, self.activations):
            Z = A @ W + b  # (batch, fan_out)
            if act.name == "linear":
                A = Z
            elif act.name == "relu":
                A = np.maximum(Z, 0)
            else:
                A = act.f(Z)
            z.append(Z)
            a.append(A)
        return ForwardRecord(a=a, z=z)

    def _forward_workspace(self, X: np.ndarray, ws: _Workspace) -> ForwardRecord:
        """The forward pass into reused buffers: the same arithmetic, fewer memory passes."""
        a, z = [X], []
        A = X
        for i, (W, b, act) in enumerate(zip(self.weights, self.biases, self.activations)):
            Z = np.matmul(A, W, out=ws.z[i])
            if act.name == "relu":
                A = ws.bias_relu(i, b)
            else:
                ws.add_bias(i, b)
                A = Z if act.name == "linear" else act.f(Z)
            z.append(Z)
            a.append(A)
        return ForwardRecord(a=a, z=z)

    def backward(self, rec: ForwardRecord, y, workspace: bool = False) -> Gradients:
        """Gradients of L = (1/m) Σ ½‖prediction − target‖² for the recorded batch.

        All gradients are computed from the recorded values before anything is changed,
        as the article insists. With `workspace=True` the results live in reused buffers.
        """
        pred = rec.a[-1]
        m = pred.shape[0]
        y = as_targets(y, self.n_outputs, self.dtype)
        if y.shape[0] != m:
            raise ValueError(f"{m} predictions but {y.shape[0]} targets")
        if workspace:
            return self._backward_workspace(rec, y, self._workspace(m))
        L = self.n_layers
        dws, dbs, errors = [None] * L, [None] * L, [None] * L
        dA = pred - y
        for i in reversed(range(L)):
            act = self.activations[i]
            if act.name == "linear":
                dZ = dA
            elif act.name == "relu":
                dZ = dA * (rec.z[i] > 0)
            else:
                dZ = dA * act.df(rec.z[i], rec.a[i + 1])
            dws[i] = rec.a[i].T @ dZ / m  # (fan_in, fan_out)
            dbs[i] = np.sum(dZ, axis=0, keepdims=True) / m  # (1, fan_out)
            errors[i] = dZ / m
            if i > 0:
                dA = dZ @ self.weights[i].T
        return Gradients(weights=dws, biases=dbs, errors=errors)

    def _backward_workspace(self, rec: ForwardRecord, y: np.ndarray, ws: _Workspace) -> Gradients:
        """Backpropagation into reused buffers: the same arithmetic, fewer memory passes.

        The error signal of each layer is overwritten in place (masked by ReLU, then carried
        down), so `Gradients.errors` stays empty here.
        """
        m = rec.a[-1].shape[0]
        L = self.n_layers
        dA = np.subtract(rec.a[-1], y, out=ws.d[L - 1])
        for i in reversed(range(L)):
            act = self.activations[i]
            if act.name == "linear":
                dZ = dA
            elif act.name == "relu":
                # ReLU passes the error where the neuron was active and blocks it elsewhere.
                if rec.z[i] is ws.z[i]:
                    mask = ws.mask[i]  # the workspace forward pass filled it
                else:
                    mask = np.greater(rec.z[i], 0, out=ws.mask[i])
                dZ = np.multiply(dA, mask, out=dA)
            else:
                dZ = np.multiply(dA, act.df(rec.z[i], rec.a[i + 1]), out=dA)
            db = ws.sum_rows(dZ, ws.db[i])  # first, while dZ is in the cache
            db /= m
            dW = np.matmul(rec.a[i].T, dZ, out=ws.dw[i])
            dW /= m
            if i > 0:
                W = self.weights[i]
                if W.shape[1] == 1:
                    # A one-output layer sends back an outer product; np.dot computes it
                    # several times faster than np.matmul here (same rounded products).
                    dA = np.dot(dZ, W.T, out=ws.d[i - 1])
                else:
                    dA = np.matmul(dZ, W.T, out=ws.d[i - 1])
        return Gradients(weights=list(ws.dw), biases=list(ws.db), errors=[])

    def _workspace(self, n: int) -> _Workspace:
        ws = self._workspaces.get(n)
        if ws is None or ws.dw[0].dtype != self.dtype:
            if len(self._workspaces) > 4:
                self._workspaces.clear()
            ws = self._workspaces[n] = _Workspace(self, n)
        return ws

    def predict(self, X) -> np.ndarray:
        """Predictions of shape (n, n_outputs)."""
        return self.forward(X).output

    def loss(self, X, y) -> float:
        """Plain mean squared error of the predictions (the number the article prints)."""
        return mse(self.predict(X), y)

    def dead_fraction(self, rec: ForwardRecord) -> list[float]:
        """Per hidden ReLU-like layer, the share of neurons inactive on every sample."""
        out = []
        for i, act in enumerate(self.activations):
            if act.name in ("relu", "leaky_relu"):
                out.append(float(np.mean(np.all(rec.z[i] <= 0, axis=0))))
            else:
                out.append(0.0)
        return out
