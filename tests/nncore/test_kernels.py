"""The training kernels compute exactly what network.py's textbook path computes.

`nncore.kernels` promises the same arithmetic, bit for bit: every forward record and every
gradient must be `np.array_equal` on both paths, for every activation, both dtypes and batch
sizes on either side of the kernels' block boundaries (where their reshaped views change).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore.activations import ACTIVATIONS
from nncore.kernels import Workspace, flat_views
from nncore.network import Network

BLOCK = Workspace.BLOCK
RUN = Workspace.RUN_BLOCKS * BLOCK  # elements per ReLU part


def boundary_batches(width: int) -> list[int]:
    """Batch sizes around the places where a layer of `width` changes code path."""
    rows = max(1, BLOCK // width)  # rows per bias block
    sizes = {1, 2, 3, 7, 511, 512, 513}  # 512: where sum_rows switches to einsum
    for edge in (rows, 2 * rows, 3 * rows, RUN // width, 2 * RUN // width):
        sizes.update({edge - 1, edge, edge + 1})
    return sorted(s for s in sizes if 1 <= s <= 2100)


CASES = [(w, n) for w in (1, 3, 64, 100, 128) for n in boundary_batches(w)]


def assert_paths_agree(net: Network, X: np.ndarray, y: np.ndarray) -> None:
    plain = net.forward(X)
    fast = net.forward(X, workspace=True)
    assert len(plain.a) == len(fast.a) and len(plain.z) == len(fast.z)
    for p, f in zip(plain.a + plain.z, fast.a + fast.z):
        assert p.dtype == f.dtype == net.dtype
        assert np.array_equal(p, f)
    g_plain = net.backward(plain, y)
    for rec in (fast, plain):  # the kernel's own record, and a record made elsewhere
        g_fast = net.backward(rec, y, workspace=True)
        for p, f in zip(g_plain.as_list(), g_fast.as_list()):
            assert p.dtype == f.dtype == net.dtype
            assert np.array_equal(p, f)
        assert g_fast.flat is not None
        assert np.array_equal(g_fast.flat, np.concatenate([g.ravel() for g in g_plain.as_list()]))


@settings(max_examples=60, deadline=None)
@given(
    case=st.sampled_from(CASES),
    hidden=st.sampled_from(sorted(ACTIVATIONS)),
    output=st.sampled_from(sorted(ACTIVATIONS)),
    dtype=st.sampled_from(["float64", "float32"]),
    depth=st.integers(1, 3),
    n_out=st.sampled_from([1, 2]),
    seed=st.integers(0, 2**16),
)
def test_kernels_equal_the_textbook_path_bit_for_bit(
    case, hidden, output, dtype, depth, n_out, seed
):
    width, batch = case
    sizes = [2] + [width] * depth + [n_out]
    acts = [hidden] * depth + [output]
    net = Network(sizes, activations=acts, init="he", seed=seed, dtype=dtype)
    rng = np.random.default_rng(seed)
    for i in range(net.n_layers):  # some sums of each sign, and exact zeros from ReLU
        net.set_biases(i, rng.normal(0, 0.5, size=sizes[i + 1]))
    X = rng.normal(size=(batch, 2))
    y = rng.normal(size=(batch, n_out))
    assert_paths_agree(net, X, y)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("batch", [1, 127, 128, 129, 1023, 1024, 1025, 10_000])
def test_the_articles_network_agrees_on_both_paths(dtype, batch):
    net = Network([2, 64, 64, 64, 1], dtype=dtype)
    rng = np.random.default_rng(batch)
    X, y = rng.normal(size=(batch, 2)), rng.normal(size=batch)
    assert_paths_agree(net, X, y)


def test_kernel_buffers_are_reused_and_refitted():
    net = Network([2, 5, 1])
    X = np.ones((4, 2))
    first = net.forward(X, workspace=True).z[0]
    assert net.forward(X, workspace=True).z[0] is first  # same buffer, next call
    f32 = net.astype("float32")
    assert f32.forward(X, workspace=True).z[0].dtype == np.float32


def test_flat_views_cover_one_buffer_in_order():
    flat, views = flat_views([(2, 3), (1, 3), (3, 1)], np.dtype("float32"))
    assert flat.shape == (12,) and flat.dtype == np.float32
    assert [v.shape for v in views] == [(2, 3), (1, 3), (3, 1)]
    flat[:] = np.arange(12)
    assert views[1].ravel().tolist() == [6, 7, 8] and views[2].ravel().tolist() == [9, 10, 11]
    assert all(v.base is flat for v in views)


@pytest.mark.parametrize("width, batch", CASES)
def test_or_rows_flags_the_columns_that_are_true_somewhere(width, batch):
    rng = np.random.default_rng(width * 10_000 + batch)
    mask = rng.random((batch, width)) < 0.002  # mostly False: some columns stay all False
    fired = np.zeros(width, np.uint8)
    fired[0] = 1  # already set by an earlier batch: OR keeps it
    Workspace.or_rows(mask, fired)
    expected = mask.any(axis=0)  # independent: NumPy's own reduction
    expected[0] = True
    assert np.array_equal(fired != 0, expected)


def test_the_kernels_record_carries_relu_masks_and_the_plain_one_none():
    net = Network([2, 5, 4, 1], activations=["relu", "tanh", "linear"], dtype="float32")
    X = np.random.default_rng(0).normal(size=(9, 2))
    fast = net.forward(X, workspace=True)
    assert fast.masks is not None and fast.masks[1] is None and fast.masks[2] is None
    assert np.array_equal(fast.masks[0], net.forward(X).z[0] > 0)
    assert net.forward(X).masks is None
