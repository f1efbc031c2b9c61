"""The loss along one parameter: its slope at the current value is the lesson's gradient."""

from __future__ import annotations

import numpy as np
import pytest

from nncore.lesson import PRESETS, Lesson, LessonError, article_network, make_custom, make_lesson
from nncore.lesson.loss_slice import CLASSIFIER_LOSS_NAME, LOSS_NAME, loss_slice
from nncore.network import Network


def lessons():
    batch = (np.array([[0.1, 0.3], [0.5, -0.2], [-0.4, 0.9]]), np.array([[0.2], [0.1], [0.3]]))
    tanh = make_custom((3, 2, 2), ("tanh", "sigmoid"), x=(0.2, -0.5, 0.9), target=(0.3, -0.1))
    classes = Network([2, 3, 3], ["tanh", "softmax"], seed=5, loss="cross_entropy")
    return [make_lesson(name) for name in PRESETS] + [
        Lesson(article_network(), batch=batch, lr=0.1),
        tanh,
        Lesson(classes, batch=(batch[0], [2, 0, 1]), lr=0.3),  # a softmax batch of three
    ]


def keys(net):
    for layer in range(net.n_layers):
        for i in range(net.sizes[layer]):
            for j in range(net.sizes[layer + 1]):
                yield (layer, i, j)
        for j in range(net.sizes[layer + 1]):
            yield ("bias", layer, j)


def half_mse_by_hand(weights, biases, activations, X, Y) -> float:
    """L = (1/m) Σ ½‖ŷ − y‖², with a forward pass written out here."""
    A = X  # (m, n_in)
    for W, b, act in zip(weights, biases, activations):
        A = act.f(A @ W + b)  # (m, fan_out)
    return float(0.5 * np.sum((A - Y) ** 2) / X.shape[0])


def cross_entropy_by_hand(weights, biases, activations, X, Y) -> float:
    """(1/m) Σ −ln p(true class) with math.log, a forward pass written out here (Y one-hot,
    or the class 0/1 of one sigmoid output)."""
    A = X  # (m, n_in)
    for W, b, act in zip(weights, biases, activations):
        A = act.f(A @ W + b)  # (m, fan_out)
    if A.shape[1] == 1:
        terms = [-np.log(p if y == 1 else 1 - p) for p, y in zip(A[:, 0], Y[:, 0])]
    else:
        terms = [-np.log(row[int(np.argmax(y))]) for row, y in zip(A, Y)]
    return float(np.mean(terms))


def moved(lesson, key, value):
    weights = [w.copy() for w in lesson.network.weights]
    biases = [b.copy() for b in lesson.network.biases]
    if key[0] == "bias":
        biases[key[1]][0, key[2]] = value
    else:
        weights[key[0]][key[1], key[2]] = value
    by_hand = cross_entropy_by_hand if lesson.network.is_classifier else half_mse_by_hand
    return by_hand(weights, biases, lesson.network.activations, lesson.X, lesson.Y)


def test_the_slope_at_the_current_value_is_the_backprop_gradient():
    for lesson in lessons():
        for key in keys(lesson.network):
            h = 1e-6
            fine = loss_slice(lesson, key, span=h, n=3)
            slope = (fine.losses[2] - fine.losses[0]) / (fine.values[2] - fine.values[0])
            assert slope == pytest.approx(fine.gradient, abs=1e-7, rel=1e-5), (lesson, key)
            # the gradient is the lesson's own, from its gradient step
            grads = lesson.state_at(len(lesson.steps)).grads
            assert fine.gradient == grads[key]


def test_the_curve_is_the_loss_with_only_that_parameter_moved():
    for lesson in lessons():
        n_out = lesson.network.n_outputs
        for key in list(keys(lesson.network))[:6]:
            s = loss_slice(lesson, key, n=21)
            assert s.values.shape == s.losses.shape == (21,)
            assert s.values[10] == s.current
            assert np.allclose(s.values - s.current, -(s.values[::-1] - s.current))
            for v, loss in zip(s.values[::5], s.losses[::5]):
                assert loss == pytest.approx(moved(lesson, key, v), rel=1e-12, abs=1e-15)
            if lesson.network.is_classifier:
                # a classifier's slice is the very cross-entropy its loss steps show
                assert s.current_loss == pytest.approx(lesson.loss_before, rel=1e-12)
                assert s.loss_name == CLASSIFIER_LOSS_NAME
                continue
            # at the current value: the loss the lesson shows (plain MSE) times n_out / 2
            assert s.current_loss == pytest.approx(lesson.loss_before * n_out / 2, rel=1e-12)
            assert s.loss_name == LOSS_NAME
            assert s.loss_after_step == pytest.approx(moved(lesson, key, s.step_to), rel=1e-12)


def test_step_and_tangent():
    lesson = make_lesson("article")
    s = loss_slice(lesson, (0, 0, 0))
    assert s.name == "w(x₁→h₁)" and s.key == (0, 0, 0)
    assert s.current == 0.6 and s.gradient == pytest.approx(0.015)
    assert s.step_to == pytest.approx(0.6 - 0.1 * 0.015)
    assert s.step_to == lesson.steps[47].value  # the update step's own new value
    assert s.values[0] == pytest.approx(-0.4) and s.values[-1] == pytest.approx(1.6)  # span 1
    xs = np.array([0.0, 0.6, 1.0])
    assert np.allclose(s.tangent(xs), s.current_loss + 0.015 * (xs - 0.6))
    assert s.loss_after_step < s.current_loss  # a small step downhill helps
    bias = loss_slice(lesson, ("bias", 1, 0))
    assert bias.name == "b(ŷ)" and bias.current == 0.05 and bias.gradient == pytest.approx(-0.3)


def test_a_too_large_learning_rate_overshoots():
    # along b(ŷ) the loss is ½(ŷ − y)² with ŷ moving one for one with the bias: a parabola
    # of curvature 1, so any lr above 2 jumps past the bottom and lands higher
    lesson = make_lesson("article", lr=3)
    s = loss_slice(lesson, ("bias", 1, 0))
    assert s.step_to - s.current == pytest.approx(0.9)  # −3 × (−0.3)
    assert s.values[0] <= s.step_to <= s.values[-1]  # the default span shows the step
    assert s.current_loss == pytest.approx(0.5 * 0.3**2)
    assert s.loss_after_step == pytest.approx(0.5 * 0.6**2) and s.loss_after_step > s.current_loss


def test_the_lesson_is_not_changed():
    lesson = make_lesson("sigmoid")
    before = [w.copy() for w in lesson.network.weights], [b.copy() for b in lesson.network.biases]
    for key in keys(lesson.network):
        loss_slice(lesson, key, n=5)
    assert all(np.array_equal(a, b) for a, b in zip(before[0], lesson.network.weights))
    assert all(np.array_equal(a, b) for a, b in zip(before[1], lesson.network.biases))


@pytest.mark.parametrize(
    "key, kwargs, error",
    [
        ((0, 5, 0), {}, LessonError),
        ((2, 0, 0), {}, LessonError),
        (("bias", 0, 3), {}, LessonError),
        ((0, 0, 0), {"n": 2}, LessonError),
        ((0, 0, 0), {"span": 0}, LessonError),
        ((0, 0, 0), {"span": float("inf")}, LessonError),
        ([0, 0, 0], {}, TypeError),
        ((0, 0), {}, TypeError),
        ((0, 0, 0), {"n": "many"}, TypeError),
    ],
)
def test_bad_requests(key, kwargs, error):
    with pytest.raises(error):
        loss_slice(make_lesson("article"), key, **kwargs)


def test_only_a_lesson_has_a_loss_slice():
    with pytest.raises(TypeError, match="needs a Lesson"):
        loss_slice(article_network(), (0, 0, 0))
