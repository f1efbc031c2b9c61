"""nncore.classification.decision_map and row_shares, and TrainingRun.confusion_matrix."""

from __future__ import annotations

import numpy as np
import pytest

from nncore import data as nndata
from nncore.classification import confusion_matrix, decision_map, row_shares
from nncore.errors import SettingsError
from nncore.network import Network
from nncore.training import TrainingRun, recipe


def test_decision_map_of_softmax_probabilities():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.4, 0.4, 0.2]])
    m = decision_map(p)
    assert m.chosen.tolist() == [0, 2, 0]  # a tie goes to the lower class
    assert m.confidence == pytest.approx([0.7, 0.6, 0.4])
    assert m.margins[0] == pytest.approx([0.5, -0.5, -0.6])
    assert m.margins[1] == pytest.approx([-0.5, -0.3, 0.3])
    assert m.margins[2] == pytest.approx([0.0, 0.0, -0.2])  # on the boundary of 0 and 1
    assert np.all((m.margins > 0).sum(axis=1) <= 1)


def test_decision_map_of_one_sigmoid_output_is_two_classes():
    m = decision_map(np.array([[0.9], [0.2], [0.5]]))
    assert m.n_classes == 2
    assert m.chosen.tolist() == [1, 0, 0]  # class 1 needs p > ½, as predict_classes
    assert m.probabilities[0] == pytest.approx([0.1, 0.9])
    assert m.margins[:, 1] == pytest.approx([0.8, -0.6, 0.0])


def test_decision_map_agrees_with_the_network_and_reshapes():
    net = Network([2, 5, 3], ["relu", "softmax"], seed=1, loss="cross_entropy")
    X = np.random.default_rng(0).normal(size=(12, 2))
    m = decision_map(net.predict(X))
    assert np.array_equal(m.chosen, net.predict_classes(X))
    image = m.reshaped(3, 4)
    assert image.chosen.shape == (3, 4) and image.probabilities.shape == (3, 4, 3)
    assert image.chosen[1, 2] == m.chosen[6]


def test_row_shares():
    shares = row_shares([[3, 1], [0, 0]])
    assert shares.tolist() == [[0.75, 0.25], [0.0, 0.0]]


def test_run_confusion_matrix_counts_the_validation_points():
    data = nndata.classification("gaussians", n=90, seed=2, classes=3)
    train, val = data.split(0.3, seed=2)
    run = TrainingRun(recipe("classify", sizes=(2, 8, 3), epochs=5), train, val)
    run.run_chunk(3)
    counts = run.confusion_matrix("val")
    assert counts.shape == (3, 3) and counts.sum() == len(val)
    Xv = run.normaliser.transform_x(val.X)
    assert np.array_equal(counts, confusion_matrix(run.network, Xv, val.y))
    assert run.confusion_matrix("train").sum() == len(train)
    regression = TrainingRun(recipe("modern", epochs=10), nndata.grid("article", 10))
    with pytest.raises(SettingsError):
        regression.confusion_matrix("train")
