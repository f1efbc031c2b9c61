"""Classes defined by a typed formula: class 1 where it is positive (nncore.data.sign_classes)."""

import numpy as np
import pytest

from nncore import data as nndata
from nncore.errors import DataError, FormulaError


def test_the_class_is_the_sign_of_the_formula_at_each_point():
    d = nndata.sign_classes("x^2 + y^2 - 25", 500, seed=4)
    x, y = d.X[:, 0], d.X[:, 1]
    expected = (x**2 + y**2 - 25 > 0).astype(float)  # computed here, not by the formula parser
    np.testing.assert_array_equal(d.y[:, 0], expected)
    assert d.classes == ("f ≤ 0", "f > 0")
    assert d.X.shape == (500, 2) and np.all(np.abs(d.X) <= 10)
    assert 0 < expected.sum() < 500


def test_the_same_seed_draws_the_same_points_as_for_regression():
    d = nndata.sign_classes("y - x", 50, seed=7)
    r = nndata.sample_uniform("y - x", 50, seed=7)
    np.testing.assert_array_equal(d.X, r.X)
    np.testing.assert_array_equal(d.y[:, 0], (r.y[:, 0] > 0).astype(float))


def test_noise_moves_points_after_their_class_was_decided():
    clean = nndata.sign_classes("y - x", 300, seed=1)
    noisy = nndata.sign_classes("y - x", 300, seed=1, noise=1.0)
    np.testing.assert_array_equal(clean.y, noisy.y)
    assert not np.allclose(clean.X, noisy.X)
    below = noisy.X[:, 1] - noisy.X[:, 0] <= 0
    assert np.any(below & (noisy.y[:, 0] == 1))  # some points crossed the boundary


def test_a_formula_of_one_sign_everywhere_is_refused_in_words():
    with pytest.raises(DataError, match="every point is one class"):
        nndata.sign_classes("x^2 + 1", 100)


def test_a_bad_formula_is_a_formula_error():
    with pytest.raises(FormulaError):
        nndata.sign_classes("x +* y", 100)


def test_a_network_learns_the_disc():
    from nncore import training

    d = nndata.sign_classes("x^2 + y^2 - 25", 600, seed=2)
    train, val = d.split(0.2, seed=2)
    run = training.TrainingRun(training.recipe("classify", epochs=150), train, val)
    run.run()
    assert run.history[-1].val_accuracy > 0.9
