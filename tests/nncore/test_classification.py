"""Classifiers in the engine: softmax and sigmoid outputs with cross-entropy.

The gradients are checked against central finite differences for every combination of
output, target form, hidden activation and batch size; softmax and cross-entropy against a
hand-worked example (plain floats and math.exp); stability at logits of ±1,000; and every
refusal a learner may meet, each in words naming the fix.
"""

import math

import numpy as np
import pytest

from nncore import Network, SettingsError
from nncore.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, get_activation
from nncore.classification import accuracy, confusion_matrix, label_indices
from nncore.gradcheck import numerical_gradient
from nncore.lesson import Lesson
from nncore.losses import class_indices, cross_entropy

HIDDEN = ["relu", "tanh", "sigmoid", "leaky_relu"]


def _classifier(kind: str, hidden: str, seed: int = 5) -> Network:
    if kind == "sigmoid":
        return Network([2, 4, 1], [hidden, "sigmoid"], "xavier", seed, loss="cross_entropy")
    return Network([2, 4, 3], [hidden, "softmax"], "xavier", seed, loss="cross_entropy")


def _targets(kind: str, form: str, m: int) -> np.ndarray:
    k = 2 if kind == "sigmoid" else 3
    labels = np.arange(m) % k
    if form == "indices":
        return labels
    if form == "column":
        return labels.reshape(-1, 1)
    return np.eye(k)[labels]  # one-hot rows


# ---- gradients against finite differences ---------------------------------------------------
@pytest.mark.parametrize("kind", ["sigmoid", "softmax"])
@pytest.mark.parametrize("form", ["indices", "column", "one_hot"])
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("m", [1, 6])
def test_every_gradient_matches_central_differences(kind, form, hidden, m):
    net = _classifier(kind, hidden)
    X = np.random.default_rng(3).normal(size=(m, 2))
    y = _targets(kind, form, m)
    grads = net.backward(net.forward(X), y)
    for layer, W in enumerate(net.weights):
        for i, j in np.ndindex(W.shape):
            num = numerical_gradient(net, X, y, ("edge", layer, i, j))
            assert num == pytest.approx(grads.weights[layer][i, j], rel=1e-5, abs=1e-8)
        for j in range(W.shape[1]):
            num = numerical_gradient(net, X, y, ("bias", layer, j))
            assert num == pytest.approx(grads.biases[layer][0, j], rel=1e-5, abs=1e-8)
            node = numerical_gradient(net, X, y, ("node", layer + 1, j))
            assert node == pytest.approx(grads.errors[layer][:, j].sum(), rel=1e-5, abs=1e-8)


@pytest.mark.parametrize("kind", ["sigmoid", "softmax"])
def test_the_output_error_is_p_minus_y_averaged(kind):
    net = _classifier(kind, "tanh")
    X = np.random.default_rng(1).normal(size=(4, 2))
    y = _targets(kind, "indices", 4)
    rec = net.forward(X)
    Y = net.targets(y)
    grads = net.backward(rec, y)
    assert np.allclose(grads.errors[-1], (rec.output - Y) / 4, rtol=0, atol=1e-15)


# ---- a hand-worked example ------------------------------------------------------------------
def test_softmax_and_cross_entropy_by_hand():
    # One layer, 2 inputs, 3 classes: z = x·W + b with x = (1, 2).
    W = [[0.5, -1.0, 0.0], [0.25, 0.5, -0.5]]
    b = [0.1, 0.0, -0.2]
    net = Network.from_parameters([W], [b], ["softmax"], loss="cross_entropy")
    x, true = (1.0, 2.0), 1
    z = [x[0] * W[0][j] + x[1] * W[1][j] + b[j] for j in range(3)]  # 1.1, 0.0, -1.2
    e = [math.exp(v) for v in z]
    p = [v / sum(e) for v in e]
    loss = -math.log(p[true])
    dz = [p[j] - (1.0 if j == true else 0.0) for j in range(3)]
    assert net.predict([x])[0].tolist() == pytest.approx(p, rel=1e-14)
    assert net.loss([x], [true]) == pytest.approx(loss, rel=1e-14)
    grads = net.backward(net.forward([x]), [true])
    assert grads.biases[0][0].tolist() == pytest.approx(dz, rel=1e-14)
    for i in range(2):
        assert grads.weights[0][i].tolist() == pytest.approx([x[i] * d for d in dz], rel=1e-14)
    assert net.predict_classes([x]).tolist() == [0]  # the largest sum, 1.1


def test_binary_cross_entropy_by_hand():
    net = Network.from_parameters([[[2.0]]], [[-1.0]], ["sigmoid"], loss="cross_entropy")
    z = 2.0 * 0.75 - 1.0  # x = 0.75
    p = 1 / (1 + math.exp(-z))
    assert net.loss([[0.75]], [0]) == pytest.approx(-math.log(1 - p), rel=1e-14)
    assert net.loss([[0.75]], [1]) == pytest.approx(-math.log(p), rel=1e-14)
    grads = net.backward(net.forward([[0.75]]), [0])
    assert grads.biases[0][0, 0] == pytest.approx(p - 0, rel=1e-14)


# ---- stability ------------------------------------------------------------------------------
@pytest.mark.parametrize("scale", [1000.0, -1000.0])
def test_logits_of_a_thousand_give_finite_losses_and_gradients(scale):
    soft = Network.from_parameters(
        [[[scale, -scale, 0.0]]], [[0.0, 0.0, 0.0]], ["softmax"], loss="cross_entropy"
    )
    for true in range(3):
        loss = soft.loss([[1.0]], [true])
        assert math.isfinite(loss)
        grads = soft.backward(soft.forward([[1.0]]), [true])
        assert all(np.all(np.isfinite(g)) for g in grads.as_list())
    # Confidently wrong costs about the gap of the logits; confidently right about nothing.
    assert soft.loss([[1.0]], [1 if scale > 0 else 0]) == pytest.approx(2000.0)
    assert soft.loss([[1.0]], [0 if scale > 0 else 1]) == pytest.approx(0.0, abs=1e-12)
    sig = Network.from_parameters([[[scale]]], [[0.0]], ["sigmoid"], loss="cross_entropy")
    wrong = 0 if scale > 0 else 1
    assert sig.loss([[1.0]], [wrong]) == pytest.approx(1000.0)
    assert sig.loss([[1.0]], [1 - wrong]) == pytest.approx(0.0, abs=1e-12)
    grads = sig.backward(sig.forward([[1.0]]), [wrong])
    assert all(np.all(np.isfinite(g)) for g in grads.as_list())


def test_cross_entropy_of_logits_matches_the_textbook_formula():
    z = np.array([[0.3, -1.2, 2.0], [0.0, 0.0, 0.0]])
    Y = np.eye(3)[[2, 0]]
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert cross_entropy(z, Y) == pytest.approx(-np.mean(np.log(p[[0, 1], [2, 0]])))


# ---- the fast path --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["sigmoid", "softmax"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("batch", [1, 7, 3000])
def test_kernels_equal_the_plain_path_for_classifiers(kind, dtype, batch):
    k = 1 if kind == "sigmoid" else 3
    net = Network([2, 16, 16, k], ["relu", "tanh", kind], "he", 2, dtype, loss="cross_entropy")
    X = np.random.default_rng(4).normal(size=(batch, 2)).astype(dtype)
    y = np.arange(batch) % (2 if k == 1 else k)
    plain = net.backward(net.forward(X), y)
    rec = net.forward(X, workspace=True)
    fast = net.backward(rec, y, workspace=True)
    assert np.array_equal(rec.output, net.forward(X).output)
    for a, b in zip(plain.as_list(), fast.as_list()):
        assert a.dtype == b.dtype and np.array_equal(a, b)


# ---- predictions ----------------------------------------------------------------------------
def test_predict_gives_probabilities_and_predict_classes_the_most_probable():
    net = _classifier("softmax", "relu")
    X = np.random.default_rng(2).normal(size=(50, 2)) * 3
    p = net.predict(X)
    assert p.shape == (50, 3) and np.allclose(p.sum(axis=1), 1.0)
    assert np.array_equal(net.predict_classes(X), np.argmax(p, axis=1))
    sig = _classifier("sigmoid", "relu")
    ps = sig.predict(X)
    assert ps.shape == (50, 1) and np.all((ps > 0) & (ps < 1))
    assert np.array_equal(sig.predict_classes(X), (ps[:, 0] > 0.5).astype(int))


def test_copies_keep_the_loss():
    net = _classifier("softmax", "tanh")
    for other in (net.copy(), net.astype("float32")):
        assert other.loss_name == "cross_entropy" and other.activation_names == ["tanh", "softmax"]
    rebuilt = Network.from_parameters(
        net.weights, net.biases, net.activations, loss="cross_entropy"
    )
    assert rebuilt.is_classifier and rebuilt.n_classes == 3
    assert "loss=cross_entropy" in repr(net)
    assert "loss" not in repr(Network([2, 3, 1]))  # regression's repr is as it was


# ---- refusals -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sizes, acts, loss, words",
    [
        ([2, 3, 1], ["relu", "softmax"], "cross_entropy", "one neuron per class"),
        ([2, 3, 2], ["softmax", "softmax"], "cross_entropy", "only be the output layer"),
        ([2, 3, 2], ["relu", "softmax"], "mse", "loss='cross_entropy'"),
        ([2, 3, 2], ["relu", "linear"], "cross_entropy", "end with 'softmax'"),
        ([2, 3, 2], ["relu", "relu"], "cross_entropy", "end with 'softmax'"),
        ([2, 3, 2], ["relu", "sigmoid"], "cross_entropy", "use 'softmax'"),
        ([2, 3, 2], "relu", "cross_entropy", "end with 'softmax'"),
        ([2, 3, 2], ["relu", "softmax"], "hinge", "unknown loss"),
    ],
)
def test_networks_that_cannot_classify_are_refused_in_words(sizes, acts, loss, words):
    with pytest.raises(SettingsError, match=words):
        Network(sizes, acts, loss=loss)


@pytest.mark.parametrize(
    "y, words",
    [
        ([0, 3], "0 to 2 for a network with 3 classes"),
        ([0, -1], "0 to 2"),
        ([0.5, 1], "whole numbers"),
        ([[1, 1, 0], [0, 1, 0]], "exactly one 1"),
        ([[0.5, 0.5, 0], [0, 1, 0]], "exactly one 1"),
        (["cat", "dog"], "numbers"),
        ([[0, 1], [1, 0]], "one-hot rows"),
    ],
)
def test_bad_class_targets_are_refused_in_words(y, words):
    net = _classifier("softmax", "relu")
    X = np.zeros((2, 2))
    with pytest.raises(ValueError, match=words):
        net.backward(net.forward(X), y)
    with pytest.raises(ValueError, match=words):
        net.loss(X, y)


def test_softmax_is_kept_out_of_the_elementwise_activations():
    assert "softmax" not in ACTIVATIONS and "softmax" in OUTPUT_ACTIVATIONS
    assert "sigmoid" in ACTIVATIONS  # unchanged: the app's menus list these
    with pytest.raises(SettingsError, match="only be the output layer"):
        get_activation("softmax")


def test_the_lesson_takes_a_classifier_apart():
    soft = _classifier("softmax", "relu")
    lesson = Lesson(soft, x=[0.1, 0.2], target=[1])
    assert lesson.task == "softmax"
    assert lesson.loss_before == pytest.approx(float(soft.loss(np.array([[0.1, 0.2]]), [1])))
    sig = _classifier("sigmoid", "relu")
    assert Lesson(sig, x=[0.1, 0.2], target=[1]).task == "binary"
    mse = Lesson(Network([2, 2, 1], ["relu", "sigmoid"]), x=[0.1, 0.2], target=[0.5])
    assert mse.task == "regression"


# ---- metrics --------------------------------------------------------------------------------
def test_accuracy_and_confusion_matrix_count_the_choices():
    net = Network.from_parameters([np.eye(3)], [np.zeros(3)], ["softmax"], loss="cross_entropy")
    X = np.eye(3)[[0, 1, 2, 2, 1]]  # chooses 0, 1, 2, 2, 1
    y = [0, 1, 2, 0, 2]
    assert accuracy(net, X, y) == pytest.approx(3 / 5)
    assert confusion_matrix(net, X, y).tolist() == [[1, 0, 1], [0, 1, 0], [0, 1, 1]]
    with pytest.raises(SettingsError, match="classifier"):
        accuracy(Network([3, 1]), X, y)


def test_label_indices_keeps_numbers_and_sorts_names():
    idx, names = label_indices([1, 0, 2, 1])
    assert idx.tolist() == [1, 0, 2, 1] and names == ("class 0", "class 1", "class 2")
    idx, names = label_indices(["dog", "cat", "dog"])
    assert idx.tolist() == [1, 0, 1] and names == ("cat", "dog")
    idx, names = label_indices([5, 10, 5])  # not 0 … k − 1: numbered in order
    assert idx.tolist() == [0, 1, 0] and names == ("5", "10")
    with pytest.raises(ValueError, match="only one class"):
        label_indices(["a", "a"])
    assert class_indices(np.array([[0.0], [1.0]]), 2).tolist() == [0, 1]
