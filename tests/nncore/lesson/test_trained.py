"""A lesson on a trained network sees the point as training saw it (normalised)."""

import numpy as np
import pytest

from nncore import Network
from nncore.lesson import LessonError
from nncore.lesson.trained import (
    lesson_from_trained,
    point_losses,
    prediction_at,
    step_through_problem,
)
from nncore.normaliser import Normaliser


def _trained_like(sizes=(2, 6, 6, 1)):
    net = Network(list(sizes), activations="relu", seed=3)
    X = np.array([[-10.0, 4.0], [2.0, -6.0], [8.0, 8.0], [0.0, 1.0]])
    y = np.array([[30.0], [-5.0], [12.0], [1.0]])
    return net, Normaliser.fit(X, y), X, y


def test_the_lesson_starts_from_the_normalised_point_and_matches_the_network():
    net, norm, X, y = _trained_like()
    lesson = lesson_from_trained(net, norm, X[0], y[0], lr=0.05)
    # Normalised by hand: z-scores with the population std, as the normaliser documents.
    x_seen = (X[0] - X.mean(axis=0)) / X.std(axis=0)
    y_seen = (y[0] - y.mean()) / y.std()
    np.testing.assert_allclose(lesson.X[0], x_seen)
    np.testing.assert_allclose(lesson.Y[0], y_seen)
    # The lesson's loss before the step is the network's loss on that normalised point.
    expected = float(np.mean((net.predict(x_seen.reshape(1, -1)) - y_seen) ** 2))
    assert lesson.loss_before == pytest.approx(expected)
    assert lesson.lr == 0.05
    assert "2-6-6-1" in lesson.title


def test_the_trained_network_is_not_changed_by_the_lesson():
    net, norm, X, y = _trained_like()
    before = [w.copy() for w in net.weights]
    lesson = lesson_from_trained(net, norm, X[1], y[1], lr=0.5)
    lesson.network_after()
    for w, w0 in zip(net.weights, before):
        np.testing.assert_array_equal(w, w0)


@pytest.mark.parametrize(
    "sizes, words",
    [
        ((2, 64, 64, 64, 1), "2-64-64-64-1"),
        ((2, 6, 6, 6, 6, 1), "at most 3 hidden layers"),
        ((2, 7, 1), "1 to 6 neurons"),
    ],
)
def test_a_network_too_large_to_read_is_refused_in_words(sizes, words):
    net, norm, X, y = _trained_like(sizes)
    assert words in step_through_problem(net)
    with pytest.raises(LessonError, match=words):
        lesson_from_trained(net, norm, X[0], y[0], lr=0.1)


def test_a_diverged_network_is_refused_in_words():
    net, *_ = _trained_like()
    net.weights[0][0, 0] = 1e6
    assert "beyond the ±1000" in step_through_problem(net)


def test_a_small_network_fits():
    net, *_ = _trained_like((2, 3, 1))
    assert step_through_problem(net) is None


def test_point_losses_name_the_point_the_network_gets_most_wrong():
    net, norm, X, y = _trained_like()
    losses = point_losses(net, norm, X, y)
    # Each one, independently: the lesson on that point starts from that very loss.
    for i in range(len(X)):
        lesson = lesson_from_trained(net, norm, X[i], y[i], lr=0.1)
        assert losses[i] == pytest.approx(lesson.loss_before)


def test_prediction_at_speaks_the_targets_units():
    net, norm, X, y = _trained_like()
    z = net.predict(norm.transform_x(X[2:3]))[0, 0]
    assert prediction_at(net, norm, X[2])[0] == pytest.approx(z * y.std() + y.mean())


def test_a_classifiers_points_and_predictions_are_probabilities():
    net = Network([2, 3, 3], ["relu", "softmax"], loss="cross_entropy", seed=1)
    X = np.array([[1.0, 2.0], [-3.0, 0.5], [4.0, -4.0]])
    labels = np.array([2, 0, 1])
    norm = Normaliser.fit(X, labels.reshape(-1, 1).astype(float))
    p = net.predict(norm.transform_x(X))
    np.testing.assert_allclose(point_losses(net, norm, X, labels), -np.log(p[[0, 1, 2], labels]))
    np.testing.assert_allclose(prediction_at(net, norm, X[1]), p[1])
    lesson = lesson_from_trained(net, norm, X[0], 2, lr=0.1)
    assert lesson.task == "softmax"
    assert lesson.loss_before == pytest.approx(-np.log(p[0, 2]))


def test_one_sigmoid_output_gives_both_classes_probabilities():
    net = Network([2, 2, 1], ["relu", "sigmoid"], loss="cross_entropy", seed=2)
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    norm = Normaliser.fit(X, np.zeros((2, 1)))
    p1 = net.predict(norm.transform_x(X))[:, 0]
    np.testing.assert_allclose(prediction_at(net, norm, X[0]), [1 - p1[0], p1[0]])
    np.testing.assert_allclose(point_losses(net, norm, X, [1, 0]), -np.log([p1[0], 1 - p1[1]]))
