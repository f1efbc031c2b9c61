"""The Train tab's classification task: data sets, decision regions, accuracy, confusion
matrix, hover, weight files, CSV labels, lesson settings and the way back to regression."""

from __future__ import annotations

import numpy as np
import pytest

from app.train.session import DataSettings
from nncore import training

pytestmark = pytest.mark.filterwarnings("error")


def classify(tab, dataset="spiral", classes=2, samples=400, epochs=None) -> None:
    data = DataSettings(task="classification", dataset=dataset, classes=classes, samples=samples)
    config = None
    if epochs is not None:
        k = classes
        config = training.recipe("classify", sizes=(2, 32, 32, k), epochs=epochs)
    assert tab.configure(data, config)


def test_a_short_spiral_run_learns_and_its_decision_map_is_the_networks(tab):
    classify(tab, "spiral", 2, epochs=60)
    assert tab.model_panel.config().loss == "cross_entropy"
    assert tab.model_panel.config().output == "softmax"
    tab.run_synchronously(60)
    accuracy = tab.history.column("train_acc")  # in %
    assert len(accuracy) == 60 and accuracy[-1] > accuracy[0] + 20
    assert accuracy[-1] > 80
    snap = tab.last_snapshot
    assert snap.decision is not None and snap.prediction is None
    grid_X = tab.prepared.grid_X  # (100², 2) row-major: point r * 100 + c is cell (r, c)
    net, norm = snap.state.network, tab.run.normaliser
    for row, col in ((0, 0), (50, 30), (99, 99), (20, 80)):
        point = grid_X[row * 100 + col : row * 100 + col + 1]
        expected = net.predict(norm.transform_x(point))[0]  # (2,)
        shown = tab.prediction_view.probabilities_in_cell(row, col)
        assert shown == pytest.approx(expected, rel=1e-9)
        assert snap.decision.chosen[row, col] == np.argmax(expected)
    assert tab.prediction_view.boundary.getData()[0].size > 0  # the boundary is drawn
    assert tab.loss_plot.shows_accuracy and tab.loss_plot.accuracy_point_count() == 60
    assert "accuracy" in tab.readout_label.text() and "%" in tab.readout_label.text()


def test_three_gaussian_classes_train_with_a_confusion_matrix(tab):
    classify(tab, "gaussians", 3)
    cfg = tab.model_panel.config()
    assert cfg.sizes[-1] == 3 and cfg.recipe == "classify"
    assert "edited" not in tab.model_panel.recipe_combo.currentText()
    tab.run_synchronously(5)
    counts = tab.views.confusion_view.counts()
    assert counts is not None and counts.shape == (3, 3)
    assert counts.sum() == len(tab.prepared.val)
    # the trained weights (the run object may have trained in another process)
    assert np.array_equal(counts, tab.run.confusion_matrix("val", tab.last_snapshot.state.network))
    confusion_tab = tab.lower_tabs.indexOf(tab.views.confusion_view)
    assert tab.lower_tabs.isTabVisible(confusion_tab)
    assert tab.views.confusion_view.table.item(2, 2).text() == f"{counts[2, 2]:,}"


def test_hover_reads_every_class_probability(tab):
    classify(tab, "gaussians", 3)
    tab.run_synchronously(2)
    tab.views._on_hover(5.0, 5.0, True)
    text = tab.views.hover_label.text()
    assert all(f"class {c}" in text for c in range(3)) and "%" in text and "→" in text


def test_a_classifier_exports_and_opens_again(tab, tmp_path):
    from nncore import weightfile

    classify(tab, "gaussians", 3)
    tab.run_synchronously(3)
    path = tmp_path / "gaussians.npz"
    assert tab.export_weights(str(path))
    wf = weightfile.load(str(path))
    assert wf.network.is_classifier and tuple(wf.classes) == ("class 0", "class 1", "class 2")
    assert tab.configure(DataSettings(), training.recipe("article"))  # back to regression
    assert tab.views.class_names is None
    assert tab.open_weights(str(path)), tab.banner.title.text()
    assert tab.prepared.n_classes == 3 and tab.run.network.is_classifier
    assert tab.data_panel.settings().dataset == "gaussians"
    assert len(tab.history) == 3 and tab.views.class_names == ("class 0", "class 1", "class 2")
    assert tab.model_panel.config().sizes[-1] == 3


def test_a_labelled_csv_trains_as_a_classifier(tab, tmp_path):
    rows = [f"{x},{y},{'cat' if x * y > 0 else 'dog'}" for x in range(-5, 6) for y in range(-5, 6)]
    path = tmp_path / "pets.csv"
    path.write_text("x,y,label\n" + "\n".join(rows) + "\n")
    assert tab.data_panel.load_csv(str(path))
    tab.reload_data()
    assert tab.prepared.class_names == ("cat", "dog")
    assert tab.data_panel.task_combo.currentData() == "classification"
    assert tab._new_run(keep_previous=False)
    tab.run_synchronously(3)
    assert tab.history.reports[-1].train_accuracy is not None
    assert tab.views.confusion_view.counts() is not None


def test_switching_back_to_regression_restores_its_views(tab):
    classify(tab, "spiral", 2)
    tab.run_synchronously(2)
    assert tab.configure(DataSettings(samples=200), training.recipe("modern", epochs=10))
    assert tab.model_panel.config().loss == "mse" and tab.model_panel.config().sizes[-1] == 1
    tab.run_synchronously(2)
    snap = tab.last_snapshot
    assert snap.prediction is not None and snap.decision is None
    assert tab.prediction_view.values() is not None
    assert not tab.prediction_view.regions.isVisible()
    assert tab.prediction_view._title == "Prediction" and tab.error_view._title == "Error"
    assert not tab.loss_plot.shows_accuracy
    assert not tab.lower_tabs.isTabVisible(tab.lower_tabs.indexOf(tab.views.confusion_view))
    assert "R²" in tab.readout_label.text()
    assert not tab.loss_plot.has_previous()  # no cross-entropy beside the MSE


def test_the_task_switch_in_the_data_panel_changes_the_model(tab, qtbot):
    panel = tab.data_panel
    panel.task_combo.setCurrentIndex(panel.task_combo.findData("classification"))
    qtbot.waitUntil(lambda: tab.prepared.n_classes == 2, timeout=5000)
    assert tab.run.network.is_classifier and tab.model_panel.config().recipe == "classify"
    panel.dataset_combo.setCurrentIndex(panel.dataset_combo.findData("circle"))
    assert not panel.classes_spin.isEnabled()  # the circle comes with two classes only
    panel.task_combo.setCurrentIndex(panel.task_combo.findData("regression"))
    qtbot.waitUntil(lambda: tab.prepared.n_classes == 0, timeout=5000)
    assert not tab.run.network.is_classifier and tab.model_panel.config().recipe == "article"


def test_lesson_settings_keep_the_task(tab):
    classify(tab, "spiral", 3)
    plain = tab.train_settings()
    assert (plain["task"], plain["dataset"], plain["classes"]) == ("classification", "spiral", 3)
    assert tab.configure(DataSettings(), training.recipe("article"))
    assert tab.apply_train_settings(plain)
    assert tab.prepared.n_classes == 3 and tab.run.network.sizes[-1] == 3
