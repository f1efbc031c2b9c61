"""Tests for what the Train tab writes to and reads from weight files (no Qt needed)."""

from __future__ import annotations

import numpy as np
import pytest

from app.train.session import DataSettings, prepare_data
from app.train.weight_files import UnusableWeights, export_meta, read_weight_file
from nncore import training, weightfile
from nncore.network import Network


def test_a_saved_run_reads_back_with_its_data_settings_and_history(tmp_path):
    settings = DataSettings(function="article", samples=200, seed=3, noise=0.1)
    prepared = prepare_data(settings)
    cfg = training.recipe("modern", sizes=(2, 8, 1), epochs=4, batch_size=32)
    run = training.TrainingRun(cfg, prepared.train, prepared.val)
    history = run.run_chunk(4)
    path = tmp_path / "run.json"
    weightfile.save(
        str(path),
        run.network,
        normaliser=run.normaliser,
        config=run.config,
        history=history,
        meta=export_meta(prepared),
    )
    opened = read_weight_file(str(path))
    assert opened.data == settings and opened.note == ""
    assert opened.config == cfg
    assert [r.train_mse for r in opened.history] == [r.train_mse for r in history]
    assert np.array_equal(opened.network.weights[0], run.network.weights[0])
    assert opened.normaliser is not None


def test_a_bare_file_opens_with_the_article_recipe_and_a_note(tmp_path):
    path = tmp_path / "bare.npz"
    weightfile.save(str(path), Network([2, 5, 1], activations="tanh"))
    opened = read_weight_file(str(path))
    assert opened.data is None and opened.history == []
    assert "no normaliser" in opened.note
    article = training.recipe("article")
    assert opened.config.sizes == (2, 5, 1) and opened.config.activation == "tanh"
    assert (opened.config.optimizer, opened.config.lr) == (article.optimizer, article.lr)


def test_csv_data_settings_are_not_restored_and_wrong_networks_are_refused(tmp_path):
    path = tmp_path / "csv.json"
    meta = {"data": {"function": "article", "csv_path": "/somewhere/points.csv"}}
    weightfile.save(str(path), Network([2, 3, 1]), meta=meta)
    assert read_weight_file(str(path)).data is None
    wrong = tmp_path / "wrong.json"
    weightfile.save(str(wrong), Network([3, 4, 2]))
    with pytest.raises(UnusableWeights, match="2 inputs and 1 output"):
        read_weight_file(str(wrong))


@pytest.mark.parametrize(
    ("sizes", "output", "names"),
    [((2, 4, 1), "sigmoid", ("blue", "orange")), ((2, 4, 3), "softmax", None)],
)
def test_a_classifier_file_opens_as_a_classifier(tmp_path, sizes, output, names):
    """A classifier (once refused in words) opens with its task, output, loss and classes;
    a file from `nncore train --data spiral` names its data set "class_data"."""
    net = Network(sizes, activations=["relu", output], loss="cross_entropy")
    path = tmp_path / "classifier.npz"
    meta = {"data": {"class_data": "spiral", "classes": 2, "samples": 400, "seed": 3}}
    weightfile.save(path, net, classes=names, meta=meta)
    opened = read_weight_file(str(path))
    assert opened.config.loss == "cross_entropy" and opened.config.output == output
    assert opened.config.sizes == sizes
    assert opened.classes == (names or ("class 0", "class 1", "class 2"))
    assert opened.data is not None and opened.data.task == "classification"
    assert (opened.data.dataset, opened.data.samples, opened.data.seed) == ("spiral", 400, 3)


def test_a_classifier_file_with_regression_data_settings_keeps_no_data(tmp_path):
    net = Network((2, 4, 2), activations=["relu", "softmax"], loss="cross_entropy")
    path = tmp_path / "classifier.json"
    weightfile.save(path, net, meta={"data": {"function": "article", "samples": 100}})
    opened = read_weight_file(str(path))
    assert opened.data is not None and opened.data.task == "classification"
    assert "does not say which class data" in opened.note
