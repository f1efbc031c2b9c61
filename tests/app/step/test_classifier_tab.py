"""The Step tab on a classifier (issue 11): the softmax and logistic presets walked by keys,
the drawing's probabilities and true class against `nncore.Network`, the target field as a
class, every granularity, Run 10, the loss chart, the loss slice and Predict mode."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.step.tab import SPEEDS, StepThroughTab
from app.step.texts import PRESET_TIPS
from nncore.formatting import fmt
from nncore.lesson import GRANULARITIES, PRESETS

NO_ANIMATION = len(SPEEDS) - 1


@pytest.fixture
def tab(qtbot):
    widget = StepThroughTab()
    qtbot.addWidget(widget)
    widget.resize(1280, 820)
    widget.show()
    qtbot.waitExposed(widget)
    widget.speed_box.setCurrentIndex(NO_ANIMATION)
    widget.predict.set_active(False, remember=False)
    widget.view.setFocus()
    yield widget
    widget.shutdown()


def test_every_preset_is_listed_with_a_one_line_tooltip(tab):
    box = tab.preset_box
    names = [box.itemData(i) for i in range(box.count())]
    assert names == list(PRESETS) and {"softmax", "logistic"} <= set(names)
    for i, name in enumerate(names):
        tip = box.itemData(i, Qt.ItemDataRole.ToolTipRole)
        assert tip == PRESET_TIPS[name] and tip and "\n" not in tip
    assert box.itemText(names.index("softmax")) == "Softmax classifier (3 classes)"


@pytest.mark.parametrize("preset", ["softmax", "logistic"])
def test_a_whole_classifier_iteration_by_keys_shows_nncores_numbers(tab, qtbot, preset):
    tab.load_preset(preset)
    lesson = tab.lesson
    net = lesson.network.copy()
    classes = list(lesson.classes)
    rec = net.forward(lesson.X)
    grads = net.backward(rec, classes)
    L = net.n_layers
    for k in range(1, len(lesson) + 1):
        qtbot.keyClick(tab.view, Qt.Key_Space)
        assert tab.position == k
        step = lesson.steps[k - 1]
        texts = tab.view.texts()
        assert tab.explanation.formula.text() == step.formula
        if step.kind in ("probability", "activation") and step.layer == L - 1:
            node = step.nodes[-1]
            assert texts[("node", *node)] == fmt(rec.a[L][0, node[1]])  # the probability
        if step.kind == "prob_error":
            node = step.nodes[-1]
            assert texts[("caption", *node)].endswith(f"δ = {fmt(grads.errors[L - 1][0, node[1]])}")
        if step.kind in ("exponential", "exp_sum", "probability"):
            assert set(tab.view.focus.nodes) == {(L, j) for j in range(net.n_outputs)}
    label = tab.loss_label.text()
    assert f"before {fmt(net.loss(lesson.X, classes))}" in label
    assert tab.loss_chart.values[0] == pytest.approx(net.loss(lesson.X, classes))
    assert tab.loss_chart.getPlotItem().getAxis("left").labelText == "loss (CE)"
    assert label.startswith("Iteration 1: cross-entropy before")
    # the true class is marked beside its output
    texts = tab.view.texts()
    if preset == "softmax":
        assert texts[("target", 2)] == "class 2 (true)" and texts[("target", 0)] == "class 0"
    else:
        assert texts[("target", 0)] == "true class 1"


def test_the_target_field_is_the_true_class(tab, qtbot):
    tab.load_preset("softmax")
    assert tab.target_edit.text() == "2" and "0 to 2" in tab.target_edit.toolTip()
    tab.target_edit.setText("0")
    qtbot.mouseClick(tab.apply_button, Qt.LeftButton)
    assert tab.lesson.classes == (0,)
    assert tab.view.texts()[("target", 0)] == "class 0 (true)"
    tab.target_edit.setText("5")
    qtbot.mouseClick(tab.apply_button, Qt.LeftButton)
    assert tab.message.text().startswith("Not applied:") and "0 to 2" in tab.message.text()
    assert tab.lesson.classes == (0,)
    tab.target_edit.setText("0, 1")
    qtbot.mouseClick(tab.apply_button, Qt.LeftButton)
    assert "true class" in tab.message.text()
    tab.load_preset("article")  # back to a regression: a value per output again
    assert tab.target_edit.text() == "0.2" and "one per output" in tab.target_edit.toolTip()
    assert tab.loss_chart.getPlotItem().getAxis("left").labelText == "loss"


@pytest.mark.parametrize("granularity", GRANULARITIES)
def test_every_granularity_reaches_the_end(tab, granularity):
    tab.load_preset("softmax")
    tab.set_granularity(granularity)
    stops = []
    while tab.position < len(tab.lesson):
        tab.step_forward()
        stops.append(tab.position)
    assert stops == tab.lesson.boundaries(granularity)[1:]


def test_run_ten_iterations_lowers_the_cross_entropy(tab, qtbot):
    tab.load_preset("softmax")
    qtbot.mouseClick(tab.run_few_button, Qt.LeftButton)
    values = tab.loss_chart.values
    assert tab.lesson.iteration == 11 and len(values) == 11
    assert values == sorted(values, reverse=True) and values[-1] < 0.2 * values[0]


def test_the_loss_slice_is_the_cross_entropy(tab):
    tab.load_preset("softmax")
    tab.go_to(tab.lesson.phase_start("update"), animate=False)
    tab.inspect(("edge", 1, 0, 2))
    assert tab.side.slice_plot.isVisibleTo(tab)
    assert tab.side.slice_plot.getPlotItem().getAxis("left").labelText == "cross-entropy"


def test_predict_mode_asks_the_softmax_steps(tab, qtbot):
    tab.load_preset("softmax")
    tab.predict.set_active(True, remember=False)
    quiz = tab.predict.quiz
    asked = set()
    while tab.position < len(tab.lesson):
        tab.step_forward()
        k = tab.predict.current
        if k is None:
            continue
        step = tab.lesson.steps[k]
        asked.add(step.kind)
        assert tab.predict.box.blanked.text() == quiz.prompt(k).blanked
        if step.kind == "log_loss":  # the common slip: log base 10
            tab.predict.submit("0.4342")
            assert quiz.attempts(k)[-1].verdict.diagnosis == "log10"
        tab.predict.submit(quiz.shown(k))
        assert tab.predict.current != k
    assert {"exponential", "exp_sum", "probability", "log_loss", "prob_error"} <= asked


def test_the_custom_network_may_end_in_a_softmax(tab, qtbot):
    tab.load_preset("custom")
    editor = tab.editor
    editor.outputs.setValue(3)
    editor.output_act.setCurrentText("softmax")
    tab.target_edit.setText("0.2")  # a regression's target: no class, so class 0 is filled in
    qtbot.mouseClick(editor.build, Qt.LeftButton)
    lesson = tab.lesson
    assert lesson.task == "softmax" and lesson.classes == (0,) and lesson.sizes[-1] == 3
    assert "target did not fit" in tab.message.text()
    assert tab.target_edit.text() == "0"
    tab.target_edit.setText("2")
    qtbot.mouseClick(editor.build, Qt.LeftButton)
    assert tab.lesson.classes == (2,)
    editor.outputs.setValue(1)
    qtbot.mouseClick(editor.build, Qt.LeftButton)
    assert "softmax output needs 2 or 3 outputs" in tab.message.text()
    tab.load_preset("softmax")
    tab.load_preset("custom")  # the editor takes the softmax network over
    assert editor.output_act.currentText() == "softmax" and tab.lesson.task == "softmax"
