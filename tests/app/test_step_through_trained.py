"""Train ▸ "Step through this network…": the trained network, taken apart in Step through."""

from __future__ import annotations

import numpy as np
import pytest

from app.train.session import DataSettings
from nncore import training

pytestmark = pytest.mark.filterwarnings("error")

SMALL = DataSettings(function="article", samples=120, seed=3, val_share=0.2)


def _trained(win, data=SMALL, sizes=(2, 6, 6, 1), recipe="modern", epochs=15):
    tab = win.train_tab
    win.tabs.setCurrentWidget(tab)
    assert tab.configure(data, training.recipe(recipe, sizes=sizes, epochs=epochs))
    tab.run_synchronously(epochs)
    return tab


def test_a_small_trained_network_opens_in_step_through_with_its_weights(open_window):
    win = open_window(persist=False)
    tab = _trained(win)
    assert tab.step_through_button.isEnabled()
    trained_net, norm = tab.last_snapshot.state.network, tab.run.normaliser
    assert tab.step_through_point(7)
    step = win.step_tab
    assert win.tabs.currentWidget() is step
    for w, w_trained in zip(step.lesson.network.weights, trained_net.weights):
        np.testing.assert_array_equal(w, w_trained.astype(np.float64))
    x, y = tab.prepared.train.X[7], tab.prepared.train.y[7]
    np.testing.assert_allclose(step.lesson.X[0], norm.transform_x(x.reshape(1, -1))[0])
    np.testing.assert_allclose(step.lesson.Y[0], norm.transform_y(y.reshape(1, -1))[0])
    assert step.preset_name == "custom"
    assert "training point 8" in step.message.text()
    assert "z-scores" in step.message.text()
    # Reset goes back to the trained weights, not to a random network.
    for w, w_trained in zip(step.base_network.weights, trained_net.weights):
        np.testing.assert_array_equal(w, w_trained)


def test_the_article_network_is_too_wide_and_the_button_says_why(open_window):
    win = open_window(persist=False)
    tab = _trained(win, sizes=(2, 64, 64, 64, 1), epochs=5)
    assert not tab.step_through_button.isEnabled()
    assert "2-64-64-64-1" in tab.step_through_button.toolTip()
    assert not tab.step_through_point(0)
    assert win.tabs.currentWidget() is tab


def test_before_any_training_there_is_nothing_to_take_apart(open_window):
    win = open_window(persist=False)
    assert not win.train_tab.step_through_button.isEnabled()
    assert "Train a network" in win.train_tab.step_through_button.toolTip()


def test_a_trained_classifier_opens_as_a_softmax_lesson_on_its_true_class(open_window):
    win = open_window(persist=False)
    data = DataSettings(task="classification", dataset="spiral", classes=2, samples=100)
    tab = _trained(win, data, sizes=(2, 6, 6, 2), recipe="classify", epochs=10)
    assert tab.step_through_point(3)
    lesson = win.step_tab.lesson
    assert lesson.task == "softmax"
    assert lesson.classes[0] == int(tab.prepared.train.y[3, 0])


def test_a_locked_lesson_in_step_through_is_not_replaced(open_window):
    win = open_window(persist=False)
    tab = _trained(win)
    win.step_tab.guard = lambda what: "locked" if what == "lesson_choice" else None
    before = win.step_tab.lesson
    tab.step_through_point(0)
    assert win.step_tab.lesson is before
    assert win.tabs.currentWidget() is tab
    assert "Unlock lesson" in tab.status_label.text()


def test_the_dialog_opens_on_the_point_it_gets_most_wrong(qtbot):
    from app.train.step_point_dialog import StepPointDialog

    dialog = StepPointDialog(5, 3, lambda i: f"point {i}", "2-6-1", None)
    qtbot.addWidget(dialog)
    assert dialog.chosen() == 3
    assert dialog.point_label.text() == "point 3. This is the point it gets most wrong."
    dialog.point_box.setValue(1)
    assert dialog.chosen() == 0 and dialog.point_label.text() == "point 0."
