"""The training loop's fast path: forward and backward passes that allocate nothing.

Same arithmetic as network.py, bit for bit; read that first. `Network.forward(X,
workspace=True)` and `Network.backward(rec, y, workspace=True)` come here. A `Workspace` holds
pre-allocated buffers for one batch size, so the hot loop of training allocates no arrays,
and it arranges the elementwise work so that NumPy runs its fastest loops. Every trick below
performs exactly the same floating-point operations as the plain expressions of network.py
(tests/nncore/test_kernels.py checks `np.array_equal` on both paths):

- Adding the bias row to every row of an (n, k) array loops over rows of only k values.
  Viewing blocks of R rows as one long row and adding the bias repeated R times does the
  same additions in long contiguous runs (`add_bias`).
- `np.maximum(z, 0)` against a scalar misses NumPy's vectorised loop; comparing the flat
  buffer, in long runs, with a row of zeros of the same length takes it. The bias, the ReLU
  and its mask (z > 0, kept for backpropagation, which then need not read z again) are done
  a few runs at a time, while those values are in the cache (`bias_relu`).
- The bias gradient sums the error over the samples, row after row; `np.einsum("ij->j")`
  adds in that same order, faster than `np.sum(axis=0)` (`sum_rows`). A single column is
  left to `np.sum`, which adds a contiguous run pairwise, as network.py's `np.sum` does.
- The error signals of layers with the same width and parity share a buffer: a smaller
  working set stays in the cache.
- For the training report, which neurons fired on a batch is an OR of the rows of ReLU's
  mask, one byte a value, blocks of rows seen as long rows (`or_rows`); OR is exact in any
  order. The forward pass hands the masks out in the record for this.

A classifier (cross-entropy) takes the same path: its output layer's activation (softmax or
sigmoid) is computed as network.py does, and its error signal p − y is used as it is, with
no slope, as there.

The matrix products themselves are network.py's, call for call (NumPy hands them to BLAS
with the same shapes), which is what keeps the results identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # only for type hints: network.py imports this module
    from .network import Network


def flat_views(
    shapes: Sequence[tuple[int, ...]], dtype: np.dtype
) -> tuple[np.ndarray, list[np.ndarray]]:
    """One flat buffer and, carved out of it in order, one array of each shape.

    The network keeps [W0, b0, W1, b1, ...] this way and a workspace its gradients, so an
    optimiser can update every parameter with a handful of whole-buffer operations instead
    of a handful per array (which, for small mini-batches, is where the time goes).
    """
    sizes = [int(np.prod(s)) for s in shapes]
    flat = np.empty(sum(sizes), dtype)
    views, start = [], 0
    for shape, size in zip(shapes, sizes):
        views.append(flat[start : start + size].reshape(shape))
        start += size
    return flat, views


class Workspace:
    """Pre-allocated buffers for one layer layout, dtype and batch size `n`.

    Besides the buffers (`z`, `a`, `d` for the error signals, `mask` for ReLU's "was this
    neuron active", `dw`, `db`), it prepares the reshaped views the tricks above need. The
    arrays a pass returns are these buffers: the next pass of the same size overwrites them.
    """

    BLOCK = 8192  # elements per contiguous run in the reshaped views
    RUN_BLOCKS = 32  # runs per ReLU part: 262,144 values (1 MB in float32, 2 MB in float64).
    # Measured on the grid (10,000 × 64): 6% faster epochs than parts of 65,536 values sized
    # for a 1 MB L2 cache; the three passes stay in the (large) L3 cache either way, and
    # fewer parts mean fewer calls. Much longer parts gained nothing more.

    def __init__(self, sizes: tuple[int, ...], dtype: np.dtype, n: int):
        dt = np.dtype(dtype)
        self.sizes = tuple(sizes)
        self.n = n
        self.dtype = dt
        outs = self.sizes[1:]
        self.z = [np.empty((n, k), dt) for k in outs]  # (n, fan_out) per layer
        self.a = [np.empty((n, k), dt) for k in outs]  # the activations a[1:], (n, fan_out)
        # Error signals: layer i's is only needed until layer i − 1's is computed, so layers
        # of the same width and parity share a buffer (a smaller working set stays in cache).
        shared: dict[tuple[int, int], np.ndarray] = {}
        self.d = [shared.setdefault((k, i % 2), np.empty((n, k), dt)) for i, k in enumerate(outs)]
        self.mask = [np.empty((n, k), np.bool_) for k in outs]
        # The gradients, [dW0, db0, dW1, db1, ...] in one buffer like the parameters.
        shapes = [s for i, o in zip(self.sizes[:-1], outs) for s in ((i, o), (1, o))]
        self.flat_grad, grads = flat_views(shapes, dt)
        self.dw, self.db = grads[0::2], grads[1::2]
        self._bias_parts = [self._bias_views(z) for z in self.z]
        self._relu_parts = [
            self._relu_views(z, a, mask) for z, a, mask in zip(self.z, self.a, self.mask)
        ]
        # When whole rows fill a run, the bias joins the ReLU's run-by-run loop: one run of
        # the bias repeated is added to every run of z. Not for a small batch that fits in one
        # run: filling the run would cost more than adding the bias row to each row.
        self._bias_runs = [
            np.empty(max((p[0].shape[-1] for p in parts), default=0), dt)
            if self.BLOCK % k == 0 and n * k > self.BLOCK
            else None
            for k, parts in zip(outs, self._relu_parts)
        ]

    def fits(self, net: Network) -> bool:
        """Whether these buffers match `net`'s layer sizes and dtype."""
        return net.sizes == self.sizes and net.dtype == self.dtype

    # ---- the reshaped views -----------------------------------------------------------------
    def _bias_views(self, z: np.ndarray):
        """(blocks of R rows seen as (n // R, R·k), the bias tiled R times, the leftover rows)."""
        n, k = z.shape
        rows = max(1, self.BLOCK // k)
        if rows < 2 or n < 2 * rows:
            return None, None, z
        full = (n // rows) * rows
        blocks = z[:full].reshape(full // rows, rows * k)  # (n // R, R·k)
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

    # ---- elementwise steps --------------------------------------------------------------
    def add_bias(self, i: int, b: np.ndarray) -> None:
        """z[i] += b, row by row."""
        blocks, tiled, rest = self._bias_parts[i]
        if blocks is not None:
            tiled[...] = b  # b repeated R times
            np.add(blocks, tiled.reshape(1, -1), out=blocks)
        np.add(rest, b, out=rest)

    @classmethod
    def or_rows(cls, mask: np.ndarray, out: np.ndarray) -> None:
        """out |= mask.any(axis=0) as bytes, out (k,) uint8: which columns (neurons) are True
        (fired) in some row; `mask` (n, k) holds bools or 0/1 bytes. OR is exact in any order, so blocks of R rows are seen as one
        long row of bytes (as in `add_bias`) and combined in long runs, then folded."""
        n, k = mask.shape
        rows_bytes = mask.view(np.uint8)  # (n, k): 1 where fired, else 0
        rows = max(1, cls.BLOCK // k)
        if n >= 2 * rows:
            full = (n // rows) * rows
            blocks = rows_bytes[:full].reshape(full // rows, rows * k)  # (n // R, R·k)
            folded = np.bitwise_or.reduce(blocks, axis=0).reshape(rows, k)  # (R, k)
            np.bitwise_or(out, np.bitwise_or.reduce(folded, axis=0), out=out)
            rows_bytes = rows_bytes[full:]
        if rows_bytes.shape[0]:
            np.bitwise_or(out, np.bitwise_or.reduce(rows_bytes, axis=0), out=out)

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
            np.maximum(zeros, z_part, out=a_part)  # max(0, z)
            np.greater(z_part, 0, out=mask_part)
        return self.a[i]

    # ---- the passes ---------------------------------------------------------------------
    def forward(self, net: Network, X: np.ndarray):
        """`Network.forward` into these buffers: returns (a, z) as a ForwardRecord holds them,
        and per layer the ReLU mask z > 0 (None for other activations)."""
        a, z = [X], []
        masks: list[np.ndarray | None] = []
        A = X  # (n, n_inputs)
        for i, (W, b, act) in enumerate(zip(net.weights, net.biases, net.activations)):
            Z = np.matmul(A, W, out=self.z[i])  # (n, fan_out)
            if act.name == "relu":
                A = self.bias_relu(i, b)
                masks.append(self.mask[i])
            else:
                self.add_bias(i, b)
                A = act.f(Z)
                masks.append(None)
            z.append(Z)
            a.append(A)
        return a, z, masks

    def backward(
        self, net: Network, a: list[np.ndarray], z: list[np.ndarray], y: np.ndarray
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """`Network.backward` into these buffers: returns (weight gradients, bias gradients).

        The error signal of each layer is overwritten in place (masked by ReLU, then carried
        down), so no per-sample errors are kept.
        """
        m = a[-1].shape[0]
        L = net.n_layers
        dA = np.subtract(a[-1], y, out=self.d[L - 1])  # (n, n_outputs)
        classifier = net.is_classifier
        for i in reversed(range(L)):
            act = net.activations[i]
            if classifier and i == L - 1:
                dZ = dA  # cross-entropy: p − y is the output's dL/dz already (no slope)
            elif act.name == "relu":
                # ReLU passes the error where the neuron was active and blocks it elsewhere.
                if z[i] is self.z[i]:
                    mask = self.mask[i]  # this workspace's forward pass filled it
                else:
                    mask = np.greater(z[i], 0, out=self.mask[i])
                dZ = np.multiply(dA, mask, out=dA)
            elif act.name == "linear":
                dZ = dA  # its slope is 1 everywhere: multiplying would change nothing
            else:
                dZ = np.multiply(dA, act.df(z[i], a[i + 1]), out=dA)
            self.sum_rows(dZ, self.db[i])  # first, while dZ is in the cache
            np.matmul(a[i].T, dZ, out=self.dw[i])  # (fan_in, fan_out)
            if i > 0:
                W = net.weights[i]
                if W.shape[1] == 1:
                    # A one-output layer sends back an outer product; np.dot computes it
                    # several times faster than np.matmul here (same rounded products).
                    dA = np.dot(dZ, W.T, out=self.d[i - 1])  # (n, fan_in)
                else:
                    dA = np.matmul(dZ, W.T, out=self.d[i - 1])  # (n, fan_in)
        # The batch average: every gradient divided by m, in one pass over the flat buffer
        # (the same divisions as network.py's `... / m` per array, fewer calls).
        self.flat_grad /= m
        return list(self.dw), list(self.db)
