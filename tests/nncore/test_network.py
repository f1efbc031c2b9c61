"""Network: initialisation, editing, forward pass and backpropagation checked independently."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nncore import Network, half_mse, mse
from nncore.activations import ACTIVATIONS
from nncore.reference import ArticleNet


def article_grid_data():
    """The article's data: f on a 100×100 grid, inputs and outputs z-scored (population std)."""
    g = np.linspace(-10, 10, 100)
    X, Y = np.meshgrid(g, g)
    Z = np.sin(X) + X * np.cos(Y) + Y + 3 ** (X / 3)
    inputs = np.column_stack((X.flatten(), Y.flatten()))
    outputs = Z.flatten()
    inputs = (inputs - inputs.mean(axis=0)) / inputs.std(axis=0)
    outputs = (outputs - outputs.mean()) / outputs.std()
    return inputs, outputs


# ---- initialisation ------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [[2, 64, 64, 64, 1], [2, 3, 1], [4, 6, 5, 3], [1, 1]])
def test_article_init_matches_the_articles_global_generator(sizes):
    np.random.seed(99)
    expected = [
        np.random.uniform(low=-1, high=1, size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])
    ]
    net = Network(sizes, init="article", seed=99)
    for w, e in zip(net.weights, expected):
        assert np.array_equal(w, e)
    assert all(np.array_equal(b, np.zeros((1, n))) for b, n in zip(net.biases, sizes[1:]))


@pytest.mark.parametrize("init", ["article", "he", "xavier"])
def test_every_init_is_reproducible_from_its_seed_and_differs_between_seeds(init):
    a, b, c = (Network([2, 8, 1], init=init, seed=s) for s in (5, 5, 6))
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights))
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_he_and_xavier_scales():
    he = Network([400, 300, 1], init="he", seed=0).weights[0]
    assert abs(he.std() - np.sqrt(2 / 400)) < 0.01 * np.sqrt(2 / 400) * 5
    xa = Network([400, 300, 1], init="xavier", seed=0).weights[0]
    limit = np.sqrt(6 / 700)
    assert xa.min() >= -limit and xa.max() <= limit and xa.max() > 0.95 * limit


def test_bad_constructor_arguments_are_explained():
    with pytest.raises(ValueError, match="positive"):
        Network([2, 0, 1])
    with pytest.raises(ValueError, match="unknown activation"):
        Network([2, 3, 1], activations="swish")
    with pytest.raises(ValueError, match="one activation per layer"):
        Network([2, 3, 1], activations=["relu"])
    with pytest.raises(ValueError, match="unknown init"):
        Network([2, 3, 1], init="zeros")
    with pytest.raises(ValueError, match="dtype"):
        Network([2, 3, 1], dtype="int32")


def test_single_activation_name_means_hidden_layers_and_a_linear_output():
    net = Network([2, 4, 4, 1], activations="tanh")
    assert net.activation_names == ["tanh", "tanh", "linear"]
    assert net.architecture == "2-4-4-1"
    assert net.n_parameters == 2 * 4 + 4 + 4 * 4 + 4 + 4 + 1


# ---- editing ------------------------------------------------------------------------------


def test_weights_and_biases_can_be_set_by_hand_and_are_validated():
    net = Network([2, 3, 1])
    net.set_weight(0, 1, 2, 0.25)
    assert net.weights[0][1, 2] == 0.25
    net.set_bias(1, 0, -0.5)
    assert net.biases[1][0, 0] == -0.5
    net.set_weights(1, [[1.0], [2.0], [3.0]])
    assert net.weights[1].ravel().tolist() == [1.0, 2.0, 3.0]
    net.set_biases(0, [0.1, 0.2, 0.3])
    assert net.biases[0].shape == (1, 3)
    with pytest.raises(ValueError, match="finite"):
        net.set_weight(0, 0, 0, float("nan"))
    with pytest.raises(ValueError, match="finite"):
        net.set_biases(0, [0.0, np.inf, 0.0])
    with pytest.raises(IndexError):
        net.set_weight(0, 2, 0, 1.0)
    with pytest.raises(IndexError):
        net.set_bias(2, 0, 1.0)
    with pytest.raises(ValueError, match="shape"):
        net.set_weights(0, np.zeros((3, 2)))


def test_load_parameters_changes_nothing_when_any_layer_is_bad():
    net = Network([2, 3, 1])
    before = [w.copy() for w in net.weights]
    with pytest.raises(ValueError):
        net.load_parameters([np.ones((2, 3)), np.ones((2, 1))], [np.zeros(3), np.zeros(1)])
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))


def test_load_parameters_checks_all_before_writing_what_holders_of_the_arrays_see():
    # An optimiser or a training run holds the parameter arrays themselves: a bad last layer
    # (a bias that is not finite) must not leave them half-written.
    net = Network([2, 3, 3, 1], init="he", seed=1)
    held = net.parameters()
    snapshot = [p.copy() for p in held]
    good_w = [np.full(w.shape, 0.5) for w in net.weights]
    good_b = [np.full(b.shape[1], 0.25) for b in net.biases]
    with pytest.raises(ValueError, match="finite"):
        net.load_parameters(good_w, good_b[:2] + [[np.nan]])
    assert all(np.array_equal(h, s) for h, s in zip(held, snapshot))
    # A good load writes into those same arrays.
    net.load_parameters(good_w, good_b)
    assert all(p is h for p, h in zip(net.parameters(), held))
    assert all(np.all(h == 0.5) for h in held[0::2]) and all(np.all(h == 0.25) for h in held[1::2])
    with pytest.raises(TypeError):
        net.load_parameters(good_w, good_b[:2] + [["not a number"]])


# ---- forward ------------------------------------------------------------------------------


def test_the_articles_perceptron_arithmetic():
    net = Network([3, 1], activations=["linear"])
    net.set_weights(0, [[0.3], [0.1], [0.5]])
    net.set_biases(0, [0.01])
    out = net.predict([0.3, 0.7, -0.5])
    assert out.shape == (1, 1)
    assert out[0, 0] == pytest.approx(0.3 * 0.3 + 0.7 * 0.1 - 0.5 * 0.5 + 0.01)
    assert out[0, 0] == pytest.approx(-0.08)


def test_forward_records_every_sum_and_activation():
    net = Network([2, 4, 3, 2], activations=["relu", "sigmoid", "linear"], seed=1)
    X = np.random.default_rng(0).normal(size=(5, 2))
    rec = net.forward(X)
    assert len(rec.a) == 4 and len(rec.z) == 3
    assert rec.a[0] is not None and np.array_equal(rec.a[0], X)
    h1 = np.maximum(X @ net.weights[0] + net.biases[0], 0)
    h2 = 1 / (1 + np.exp(-(h1 @ net.weights[1] + net.biases[1])))
    out = h2 @ net.weights[2] + net.biases[2]
    assert np.allclose(rec.a[1], h1) and np.allclose(rec.a[2], h2) and np.allclose(rec.output, out)


def test_inputs_of_the_wrong_shape_are_refused():
    net = Network([2, 3, 1])
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        net.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="targets"):
        net.backward(net.forward(np.zeros((4, 2))), np.zeros((4, 2)))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_float32_stays_float32_end_to_end(name):
    net = Network([2, 5, 5, 2], activations=name, init="he", dtype="float32", seed=3)
    X = np.random.default_rng(1).normal(size=(7, 2))  # float64 in: cast once at the door
    y = np.random.default_rng(2).normal(size=(7, 2))
    for ws in (False, True):
        rec = net.forward(X, workspace=ws)
        grads = net.backward(rec, y, workspace=ws)
        arrays = rec.a + rec.z + grads.weights + grads.biases + grads.errors
        assert all(a.dtype == np.float32 for a in arrays), name


def test_sigmoid_is_stable_for_huge_sums():
    net = Network([1, 1], activations=["sigmoid"])
    net.set_weights(0, [[1.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = net.predict(np.array([[-1000.0], [1000.0], [0.0]]))
    assert out.ravel().tolist() == [0.0, 1.0, 0.5]


# ---- backward: finite differences ---------------------------------------------------------


def numerical_gradients(net, X, y, h=1e-4):
    """Five-point central differences of the half-MSE loss, one parameter at a time.

    The fourth-order stencil keeps truncation error (h⁴) and round-off (ε/h) both far below
    the 1e-6 tolerance, even for gradients as small as 1e-5.
    """
    grads = []
    for p in net.parameters():
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            values = []
            for step in (2, 1, -1, -2):
                p[idx] = old + step * h
                values.append(half_mse(net.predict(X), y))
            p[idx] = old
            f2, f1, b1, b2 = values
            g[idx] = (-f2 + 8 * f1 - 8 * b1 + b2) / (12 * h)
        grads.append(g)
    return grads


def relative_error(a, b):
    """Norm-wise relative error of one parameter array's gradient (CS231n's measure).

    Element-wise ratios are meaningless for gradients near zero, where the finite
    difference's round-off (about 1e-10 here) dominates.
    """
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4),
    hidden=st.sampled_from(sorted(ACTIVATIONS)),
    output=st.sampled_from(sorted(ACTIVATIONS)),
    batch=st.integers(1, 6),
    seed=st.integers(0, 10_000),
    workspace=st.booleans(),
)
def test_backprop_matches_central_finite_differences(sizes, hidden, output, batch, seed, workspace):
    acts = [hidden] * (len(sizes) - 2) + [output]
    net = Network(sizes, activations=acts, init="xavier", seed=seed)
    rng = np.random.default_rng(seed)
    for i in range(net.n_layers):  # non-zero biases exercise the bias gradient
        net.set_biases(i, rng.normal(0, 0.3, size=sizes[i + 1]))
    X = rng.normal(size=(batch, sizes[0]))
    y = rng.normal(size=(batch, sizes[-1]))
    rec = net.forward(X)
    # Kinks of (leaky) ReLU make finite differences meaningless right at z = 0.
    assume(all(np.min(np.abs(z)) > 5e-3 for z in rec.z))
    grads = net.backward(net.forward(X, workspace=workspace), y, workspace=workspace)
    numeric = numerical_gradients(net, X, y)
    for analytic, num in zip(grads.as_list(), numeric):
        # Exactly-zero gradients (dead ReLUs) leave only the difference's round-off, ~1e-12.
        assert relative_error(analytic, num) <= 1e-6 or np.max(np.abs(analytic - num)) <= 1e-10


def test_errors_are_the_per_sample_sensitivities_of_the_sums():
    net = Network([2, 3, 2], activations=["tanh", "linear"], init="xavier", seed=4)
    X = np.random.default_rng(4).normal(size=(3, 2))
    y = np.zeros((3, 2))
    grads = net.backward(net.forward(X), y)
    rec = net.forward(X)
    assert np.allclose(grads.errors[-1], (rec.output - y) / 3)
    assert np.allclose(grads.weights[0], X.T @ grads.errors[0])
    assert np.allclose(grads.biases[1], grads.errors[1].sum(axis=0, keepdims=True))


def test_errors_read_after_an_update_still_describe_the_recorded_pass():
    net = Network([2, 4, 3, 1], activations="relu", init="he", seed=6)
    X = np.random.default_rng(6).normal(size=(5, 2))
    y = np.random.default_rng(7).normal(size=(5, 1))
    rec = net.forward(X)
    fresh = [e.copy() for e in net.backward(rec, y).errors]
    grads = net.backward(rec, y)
    for p, g in zip(net.parameters(), grads.as_list()):
        p -= 0.5 * g  # a big step: the errors of the new weights would differ
    assert all(np.array_equal(a, b) for a, b in zip(grads.errors, fresh))
    # errors[i] is dL/dz: backpropagated by hand from the output's (pred − y) / m.
    out = (rec.output - y) / 5
    W2 = net.weights[2] + 0.5 * grads.weights[2]  # the weights the pass used
    assert np.allclose(fresh[2], out)
    assert np.allclose(fresh[1], (out @ W2.T) * (rec.z[1] > 0))


def test_loss_is_the_plain_mse_and_gradient_is_that_of_half_mse():
    net = Network([2, 3, 1], seed=7)
    X = np.array([[0.1, 0.3], [0.5, -0.2]])
    y = np.array([0.2, 0.15])
    pred = net.predict(X).ravel()
    assert net.loss(X, y) == pytest.approx(np.mean((pred - y) ** 2))
    assert mse(net.predict(X), y) == pytest.approx(2 * half_mse(net.predict(X), y))


# ---- fidelity with the article ------------------------------------------------------------


def test_100_epochs_match_a_plain_transcription_of_the_article():
    inputs, outputs = article_grid_data()
    ref = ArticleNet([2, 64, 64, 64, 1])
    net = Network([2, 64, 64, 64, 1], activations="relu", init="article", seed=99)
    assert all(np.array_equal(a, b) for a, b in zip(ref.weights, net.weights))
    for epoch in range(100):
        expected = ref.epoch(inputs, outputs, 0.001)
        rec = net.forward(inputs, workspace=True)
        got = mse(rec.output, outputs)
        grads = net.backward(rec, outputs, workspace=True)
        for p, g in zip(net.parameters(), grads.as_list()):
            p -= 0.001 * g
        assert abs(got - expected) <= 1e-12 * expected, epoch
    assert all(np.allclose(a, b, rtol=1e-12, atol=0) for a, b in zip(ref.weights, net.weights))


def test_copy_and_astype_are_independent():
    net = Network([2, 3, 1])
    clone = net.copy()
    clone.set_weight(0, 0, 0, 5.0)
    assert net.weights[0][0, 0] != 5.0
    f32 = net.astype("float32")
    assert f32.dtype == np.float32 and f32.weights[0].dtype == np.float32
    assert net.dtype == np.float64


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_copies_are_built_by_the_constructor_like_any_network(dtype):
    net = Network([2, 4, 3, 1], activations=["tanh", "relu", "linear"], init="xavier", seed=8)
    net.set_biases(1, [0.1, -0.2, 0.3])
    clone = net.astype(dtype)
    assert (clone.sizes, clone.activations, clone.init, clone.seed) == (
        net.sizes,
        net.activations,
        "xavier",
        8,
    )
    assert all(
        np.array_equal(a, b.astype(dtype)) for a, b in zip(clone.parameters(), net.parameters())
    )
    # Everything a constructed network has, a copy has too: its own flat parameter buffer
    # and its own kernel buffers.
    flat = clone.flat_parameters()
    assert flat is not None and flat.dtype == np.dtype(dtype)
    assert not np.shares_memory(flat, net.flat_parameters())
    X = np.ones((3, 2))
    assert np.array_equal(clone.forward(X, workspace=True).output, clone.forward(X).output)
    # A network whose arrays were replaced by hand still copies faithfully.
    net.weights = [w.copy() for w in net.weights]
    assert net.flat_parameters() is None
    again = net.copy()
    assert again.flat_parameters() is not None
    assert all(np.array_equal(a, b) for a, b in zip(again.parameters(), net.parameters()))


def test_from_parameters_validates_like_load_parameters():
    w = [np.ones((2, 3)), np.ones((3, 1))]
    b = [np.zeros(3), np.zeros(1)]
    net = Network.from_parameters(w, b, activations="relu")
    assert net.sizes == (2, 3, 1) and net.activation_names == ["relu", "linear"]
    with pytest.raises(ValueError, match="shape"):
        Network.from_parameters([np.ones((2, 3)), np.ones((4, 1))], b)
    with pytest.raises(ValueError, match="finite"):
        Network.from_parameters([np.ones((2, 3)), np.full((3, 1), np.inf)], b)


def test_dead_fraction_counts_neurons_inactive_on_every_sample():
    net = Network([1, 3, 1], activations="relu")
    net.set_weights(0, [[1.0, -1.0, 0.0]])
    net.set_biases(0, [0.0, 0.0, -1.0])
    rec = net.forward(np.array([[1.0], [2.0]]))
    assert net.dead_fraction(rec) == [pytest.approx(2 / 3), 0.0]


def test_dead_fraction_counts_only_hidden_relu_layers():
    # The same inactive sums in a leaky ReLU layer and in a ReLU output layer: leaky ReLU
    # still passes 1% of the error, and the output layer is not a hidden neuron.
    net = Network([1, 3, 3, 1], activations=["leaky_relu", "relu", "relu"])
    net.set_weights(0, [[1.0, -1.0, 0.0]])
    net.set_biases(0, [0.0, 0.0, -1.0])
    net.set_weights(1, np.eye(3))
    net.set_weights(2, [[-1.0], [-1.0], [-1.0]])
    rec = net.forward(np.array([[1.0], [2.0]]))
    assert np.all(rec.z[2] <= 0)  # the output unit is inactive on every sample
    assert net.dead_fraction(rec) == [0.0, pytest.approx(2 / 3), 0.0]
    assert net.dying_layers() == [1]


# ---- predicting in chunks -----------------------------------------------------------------


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_predict_in_chunks_equals_one_forward_pass(monkeypatch, activation, dtype):
    import nncore.network as network_module

    net = Network([2, 9, 5, 2], activations=activation, init="he", seed=4, dtype=dtype)
    X = np.random.default_rng(1).normal(size=(53, 2))
    whole = net.forward(X).output  # the textbook pass over every row at once
    y = np.random.default_rng(2).normal(size=(53, 2))
    whole_loss = mse(whole, y)
    rows_seen = []
    outputs = Network._outputs

    def spy(self, chunk):
        rows_seen.append(chunk.shape[0])
        return outputs(self, chunk)

    monkeypatch.setattr(network_module, "EVAL_CHUNK_ROWS", 8)
    monkeypatch.setattr(Network, "_outputs", spy)
    chunked = net.predict(X)
    assert rows_seen == [8] * 6 + [5]  # never more than a chunk of rows at a time
    assert chunked.shape == (53, 2) and chunked.dtype == net.dtype
    np.testing.assert_allclose(chunked, whole, rtol=1e-12 if dtype == "float64" else 1e-6)
    assert net.loss(X, y) == pytest.approx(whole_loss, rel=1e-12 if dtype == "float64" else 1e-6)


def test_predict_of_a_few_rows_is_one_chunk_and_bit_for_bit_the_forward_pass():
    net = Network([2, 7, 1], init="he", seed=3)
    X = np.random.default_rng(0).normal(size=(300, 2))
    assert np.array_equal(net.predict(X), net.forward(X).output)
    assert np.array_equal(net.predict(X[0]), net.forward(X[:1]).output)  # one sample, 1-D
