"""Tests of the "Step through" tab: the numbers on screen are nncore's, step by step.

Every iteration is walked with simulated key presses and clicks; what the explanation
panel, the drawing and the loss label show is compared with an independent computation by
`nncore.Network` (forward, backward, loss), not with the lesson's own text only.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from app.step.tab import SPEEDS, StepThroughTab
from nncore.formatting import fmt
from nncore.gradcheck import numerical_gradient
from nncore.lesson import make_lesson

NO_ANIMATION = len(SPEEDS) - 1


@pytest.fixture
def tab(qtbot):
    widget = StepThroughTab()
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.speed_box.setCurrentIndex(NO_ANIMATION)
    widget.view.setFocus()
    yield widget
    widget.shutdown()


def _reference(lesson):
    """Forward pass, gradients, update and new loss computed by nncore.Network directly."""
    net = lesson.network.copy()
    rec = net.forward(lesson.X)
    grads = net.backward(rec, lesson.Y)
    after = net.copy()
    for l in range(net.n_layers):
        after.set_weights(l, net.weights[l] - lesson.lr * grads.weights[l])
        after.set_biases(l, net.biases[l] - lesson.lr * grads.biases[l])
    return net, rec, grads, after


def _check_screen_after_step(tab, step, rec, grads, after):
    """The numbers on screen after `step` equal nncore's own computation."""
    texts = tab.view.texts()
    assert tab.explanation.formula.text() == step.formula
    assert step.formula in tab.explanation.text()
    if step.kind == "activation":
        col, i = step.nodes[-1]
        assert texts[("node", col, i)] == fmt(rec.a[col][0, i])
    if step.kind == "sum":
        col, i = step.nodes[-1]
        assert texts[("caption", col, i)].startswith(f"z = {fmt(rec.z[col - 1][0, i])}")
    linear_output = (
        step.kind == "output_error"
        and step.operands is not None
        and tab.lesson.network.activation_names[-1] == "linear"
    )
    if step.kind == "activation_grad" or linear_output:
        col, i = step.nodes[-1]
        assert texts[("caption", col, i)].endswith(f"δ = {fmt(grads.errors[col - 1][0, i])}")
    if step.kind == "weight_update":
        l, i, j = step.edges[0]
        assert texts[("edge", l, i, j)] == fmt(after.weights[l][i, j])
    if step.kind == "error":
        col, i = step.nodes[-1]
        want = tab.lesson.Y[0, i] - rec.a[-1][0, i]  # the article's desired change
        assert f"wants {'+' if want > 0 else ''}{fmt(want)}" in texts[("caption", col, i)]
    if step.kind == "new_prediction":
        col, i = step.nodes[-1]
        shown = after.forward(tab.lesson.X).output[0, i]
        assert f"after update: {fmt(shown)}" in texts[("caption", col, i)]
    if step.kind == "bias_update":
        l, j = step.layer, step.neuron
        if ("bias", l, j) in texts:
            assert texts[("bias", l, j)] == f"b = {fmt(after.biases[l][0, j])}"


@pytest.mark.parametrize("preset", ["perceptron", "article", "sigmoid"])
def test_a_whole_iteration_by_keys_shows_nncores_numbers(tab, qtbot, preset):
    tab.load_preset(preset)
    lesson = tab.lesson
    net, rec, grads, after = _reference(lesson)
    keys = (Qt.Key_Space, Qt.Key_Right)
    for k in range(1, len(lesson) + 1):
        if k % 5 == 0:
            qtbot.mouseClick(tab.step_button, Qt.LeftButton)
        else:
            qtbot.keyClick(tab.view, keys[k % 2])
        assert tab.position == k
        _check_screen_after_step(tab, lesson.steps[k - 1], rec, grads, after)
    assert not tab.step_button.isEnabled()
    # The loss before and after the iteration, as Network.loss computes them.
    label = tab.loss_label.text()
    assert f"before {fmt(net.loss(lesson.X, lesson.Y))}" in label
    assert f"after {fmt(after.loss(lesson.X, lesson.Y))}" in label
    assert tab.loss_chart.values == pytest.approx(
        [net.loss(lesson.X, lesson.Y), after.loss(lesson.X, lesson.Y)]
    )
    # Every weight now shows its updated value where it has a label.
    for (l, i, j), label in tab.view.edge_labels.items():
        if label.isVisible():
            assert label.text() == fmt(after.weights[l][i, j])


def test_stepping_back_to_the_start_restores_the_first_picture(tab, qtbot):
    lesson = tab.lesson
    start_texts = tab.view.texts()
    assert start_texts[("node", 1, 0)] == "?"
    tab.go_to(30)
    assert tab.view.texts() != start_texts
    while tab.position > 0:
        qtbot.keyClick(tab.view, Qt.Key_Left)
    assert tab.view.texts() == start_texts
    assert tab.explanation.heading.text().startswith("Start")
    tab.go_end()
    qtbot.keyClick(tab.view, Qt.Key_Home)
    assert tab.position == 0 and tab.view.texts() == start_texts
    qtbot.keyClick(tab.view, Qt.Key_End)
    assert tab.position == len(lesson)


def test_coarser_granularity_steps_a_neuron_or_phase_at_a_time(tab, qtbot):
    lesson = tab.lesson
    tab.granularity_box.setCurrentIndex(tab.granularity_box.findData("neuron"))
    marks = lesson.boundaries("neuron")
    qtbot.keyClick(tab.view, Qt.Key_Space)
    assert tab.position == marks[1]
    qtbot.keyClick(tab.view, Qt.Key_Space)
    assert tab.position == marks[2]
    qtbot.keyClick(tab.view, Qt.Key_Left)
    assert tab.position == marks[1]
    tab.set_granularity("phase")
    qtbot.keyClick(tab.view, Qt.Key_Right)
    assert tab.position == lesson.phase_start("loss")
    # A whole neuron's inputs light up together.
    assert len(tab.view.focus.edges) >= 1


def test_an_animated_step_can_be_skipped(tab, qtbot):
    tab.speed_box.setCurrentIndex(0)  # slow
    assert tab.view.duration > 0
    qtbot.keyClick(tab.view, Qt.Key_Space)
    assert tab.view.is_animating()
    with qtbot.waitSignal(tab.view.animationFinished):
        qtbot.keyClick(tab.view, Qt.Key_Escape)
    assert not tab.view.is_animating()
    step = tab.lesson.steps[0]
    assert tab.view.texts()[("bubble",)] == step.formula


def test_next_iteration_uses_the_updated_weights_and_the_loss_chart_grows(tab, qtbot):
    first = tab.lesson
    _, _, _, after = _reference(first)
    qtbot.keyClick(tab.view, Qt.Key_N)
    second = tab.lesson
    assert second.iteration == 2
    for l in range(after.n_layers):
        np.testing.assert_allclose(second.network.weights[l], after.weights[l], rtol=1e-12)
    assert tab.loss_chart.values == pytest.approx([first.loss_before, first.loss_after])
    assert "Iteration 2" in tab.position_label.text()
    tab.go_end()
    assert len(tab.loss_chart.values) == 3
    assert tab.loss_chart.values[2] < tab.loss_chart.values[0]
    qtbot.keyClick(tab.view, Qt.Key_R)
    assert tab.lesson.iteration == 1
    assert tab.loss_chart.values == []  # nothing computed yet in iteration 1
    tab.go_to(tab.lesson.phase_start("backward"))
    assert tab.loss_chart.values == pytest.approx([first.loss_before])


def test_play_runs_through_the_iteration_into_the_next(tab, qtbot):
    tab.set_granularity("neuron")
    qtbot.mouseClick(tab.play_button, Qt.LeftButton)
    assert tab.is_playing()
    qtbot.waitUntil(lambda: tab.lesson.iteration == 2, timeout=20_000)
    assert tab.is_playing()  # Play goes on across iterations (issue 10)
    tab.set_playing(False)


def test_new_inputs_target_and_rate_rebuild_the_lesson(tab, qtbot):
    tab.inputs_edit.setText("0.5, -0.2")
    tab.target_edit.setText("0.15")
    tab.lr_edit.setText("0.05")
    qtbot.mouseClick(tab.apply_button, Qt.LeftButton)
    lesson = tab.lesson
    np.testing.assert_allclose(lesson.X, [[0.5, -0.2]])
    np.testing.assert_allclose(lesson.Y, [[0.15]])
    assert lesson.lr == 0.05
    texts = tab.view.texts()
    assert texts[("node", 0, 0)] == "0.5" and texts[("node", 0, 1)] == "−0.2"
    assert texts[("target", 0)] == "target 0.15"
    _net, rec, grads, after = _reference(lesson)
    for k in range(1, len(lesson) + 1):
        tab.step_forward()
        _check_screen_after_step(tab, lesson.steps[k - 1], rec, grads, after)


@pytest.mark.parametrize(
    "field, text, expected",
    [
        ("inputs_edit", "abc, 0.3", "not a number"),
        ("inputs_edit", "0.1", "needs 2"),
        ("inputs_edit", "1e9, 0", "out of range"),
        ("inputs_edit", "nan, 0", "finite"),
        ("target_edit", "", "type"),
        ("lr_edit", "0", "above 0"),
        ("lr_edit", "-1", "above 0"),
        ("lr_edit", "fast", "not a number"),
    ],
)
def test_bad_input_is_refused_with_a_message(tab, qtbot, field, text, expected):
    before = tab.lesson
    getattr(tab, field).setText(text)
    with qtbot.waitSignal(tab.messageShown) as blocker:
        qtbot.keyClick(getattr(tab, field), Qt.Key_Return)
    assert expected in blocker.args[0]
    assert expected in tab.message.text()
    assert tab.lesson is before


def test_double_clicking_a_weight_lets_the_student_type_a_new_value(tab, qtbot):
    key = ("edge", 1, 0, 0)
    point = tab.view.item_position(key).toPoint()
    qtbot.mouseDClick(tab.view.viewport(), Qt.LeftButton, pos=point)
    dialog = tab.edit_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.setTextValue("0.75")
    with qtbot.waitSignal(tab.lessonChanged):
        dialog.accept()
    assert tab.lesson.network.weights[1][0, 0] == 0.75
    assert tab.view.texts()[("edge", 1, 0, 0)] == "0.75"
    # The lesson is rebuilt from the new weight: its prediction is nncore's.
    tab.go_end()
    net = make_lesson("article").network
    net.set_weight(1, 0, 0, 0.75)
    assert tab.lesson.loss_before == pytest.approx(net.loss(tab.lesson.X, tab.lesson.Y))


def test_bad_typed_parameters_are_refused(tab):
    before = tab.lesson.network.biases[0].copy()
    assert not tab.set_parameter(("bias", 0, 1), "zero")
    assert "not a number" in tab.message.text()
    assert not tab.set_parameter(("bias", 0, 1), "1e6")
    assert "out of range" in tab.message.text()
    np.testing.assert_array_equal(tab.lesson.network.biases[0], before)
    assert tab.set_parameter(("bias", 0, 1), "-0.3")
    assert tab.lesson.network.biases[0][0, 1] == -0.3


def test_clicking_shows_value_backprop_and_numerical_gradient(tab, qtbot):
    tab.go_end()
    lesson = tab.lesson
    state = lesson.state_at(len(lesson))
    for key, grad in [
        (("edge", 0, 1, 0), state.grads[(0, 1, 0)]),
        (("bias", 1, 0), state.grads[("bias", 1, 0)]),
        (("node", 1, 1), state.errors[(1, 1)]),
    ]:
        point = tab.view.item_position(key).toPoint()
        qtbot.mouseClick(tab.view.viewport(), Qt.LeftButton, pos=point)
        assert tab.selected == key
        numeric = numerical_gradient(lesson.network, lesson.X, lesson.Y, key)
        assert numeric == pytest.approx(grad, rel=1e-6, abs=1e-9)
        text = tab.inspector.details.text()
        assert f"by backpropagation: {fmt(grad, 6)}" in text
        assert f"by finite differences: {fmt(numeric, 6)}" in text
    # Keyboard users pick the same items from the Inspect box.
    tab.inspector.chooser.setFocus()
    index = tab.inspector._keys.index(("edge", 1, 2, 0))
    tab.inspector.chooser.setCurrentIndex(index)
    tab.inspector.chooser.activated.emit(index)
    assert tab.selected == ("edge", 1, 2, 0)
    assert "w(h₃→ŷ)" in tab.inspector.details.text()


def test_numerical_gradient_matches_backprop_for_every_parameter_of_the_sigmoid_net():
    lesson = make_lesson("sigmoid")
    net = lesson.network
    grads = net.backward(net.forward(lesson.X), lesson.Y)
    for l in range(net.n_layers):
        for i, j in np.ndindex(net.weights[l].shape):
            assert numerical_gradient(net, lesson.X, lesson.Y, ("edge", l, i, j)) == pytest.approx(
                grads.weights[l][i, j], rel=1e-6, abs=1e-10
            )
        for j in range(net.sizes[l + 1]):
            assert numerical_gradient(net, lesson.X, lesson.Y, ("bias", l, j)) == pytest.approx(
                grads.biases[l][0, j], rel=1e-6, abs=1e-10
            )
    with pytest.raises(ValueError):
        numerical_gradient(net, lesson.X, lesson.Y, ("node", 0, 0))


def test_a_custom_architecture_is_drawn_and_stepped(tab, qtbot):
    tab.load_preset("custom")
    assert tab.editor.isVisible()
    editor = tab.editor
    editor.inputs.setValue(3)
    editor.hidden_layers.setValue(2)
    editor.hidden_sizes[0].setValue(4)
    editor.hidden_acts[0].setCurrentText("tanh")
    editor.hidden_sizes[1].setValue(2)
    editor.hidden_acts[1].setCurrentText("sigmoid")
    editor.outputs.setValue(2)
    editor.seed.setValue(7)
    qtbot.mouseClick(editor.build, Qt.LeftButton)
    lesson = tab.lesson
    assert lesson.network.sizes == (3, 4, 2, 2)
    assert "filled in" in tab.message.text()  # 2 inputs typed, 3 needed
    assert len(lesson.X[0]) == 3 and len(lesson.Y[0]) == 2
    assert tab.view.sizes == (3, 4, 2, 2)
    assert lesson.network.activation_names == ["tanh", "sigmoid", "linear"]
    assert len(tab.view.nodes) == 11
    _net, rec, grads, after = _reference(lesson)
    for k in range(1, len(lesson) + 1):
        tab.step_forward()
        _check_screen_after_step(tab, lesson.steps[k - 1], rec, grads, after)
    # Typed weights replace the seed's; a wrong shape is refused with a message.
    editor.hidden_layers.setValue(0)
    editor.inputs.setValue(2)
    editor.outputs.setValue(1)
    editor.weights.setText("0.5; 0.5, 1")
    qtbot.mouseClick(editor.build, Qt.LeftButton)
    assert "layer 1" in tab.message.text() and tab.lesson is lesson
    # Non-numbers are never "filled in": they are refused.
    editor.weights.setText("")
    tab.inputs_edit.setText("0.1, oops")
    qtbot.mouseClick(editor.build, Qt.LeftButton)
    assert "not a number" in tab.message.text() and tab.lesson is lesson
    tab.inputs_edit.setText("0.1, 0.3")
    editor.weights.setText("0.5; -0.25")
    qtbot.mouseClick(editor.build, Qt.LeftButton)
    assert tab.lesson.network.sizes == (2, 1)
    np.testing.assert_array_equal(tab.lesson.network.weights[0], [[0.5], [-0.25]])
    assert tab.view.texts()[("edge", 0, 1, 0)] == "−0.25"


def test_tab_protocol(tab, qtbot):
    keys = [k for k, _ in tab.shortcuts()]
    assert {"Space", "Right", "Left", "Home", "End"} <= set(keys)
    names = [name for name, _ in tab.screenshot_states()]
    wanted = {"article-forward", "article-backward", "article-update", "sigmoid-forward"}
    assert wanted <= set(names)
    assert {"predict-question", "predict-mistake", "predict-hint", "loss-slice"} <= set(names)
    for name, enter in tab.screenshot_states():
        enter()
        if name.startswith("predict-") and name != "predict-summary":
            assert tab.predict.box.isVisible(), name  # a question is open
        elif name == "loss-slice":
            assert tab.slice_plot.isVisibleTo(tab) and tab.slice_plot.data is not None
        elif name != "predict-summary":
            assert tab.lesson.steps[tab.position - 1].phase == name.split("-")[1]
    tab.shutdown()
    assert not tab.view.is_animating()


def test_space_on_a_focused_button_presses_that_button(tab, qtbot):
    tab.go_to(10)
    tab.home_button.setFocus()
    qtbot.keyClick(tab.home_button, Qt.Key_Space)
    qtbot.waitUntil(lambda: tab.position == 0)
    QApplication.processEvents()


def test_fonts_follow_the_application_font(tab, qtbot):
    app = QApplication.instance()
    original = app.font()
    formula_before = tab.explanation.formula.font().pointSizeF()
    loss_before = tab.loss_label.font().pointSizeF()
    radius_before = tab.view.nodes[(1, 0)].rect().width()
    try:
        bigger = QFont(original)
        bigger.setPointSizeF(original.pointSizeF() * 1.5)
        app.setFont(bigger)
        qtbot.waitUntil(lambda: tab.explanation.formula.font().pointSizeF() > formula_before)
        assert tab.explanation.formula.font().pointSizeF() == pytest.approx(formula_before * 1.5)
        assert tab.loss_label.font().pointSizeF() == pytest.approx(loss_before * 1.5)
        assert tab.view.nodes[(1, 0)].rect().width() > radius_before
    finally:
        app.setFont(original)


def test_keyboard_users_change_a_bias_through_the_inspector(tab, qtbot):
    chooser = tab.inspector.chooser
    index = tab.inspector._keys.index(("bias", 0, 2))
    chooser.setCurrentIndex(index)
    chooser.activated.emit(index)
    assert tab.inspector.edit_button.isEnabled()
    tab.inspector.edit_button.setFocus()
    qtbot.keyClick(tab.inspector.edit_button, Qt.Key_Space)
    qtbot.waitUntil(lambda: tab.edit_dialog is not None and tab.edit_dialog.isVisible())
    dialog = tab.edit_dialog
    dialog.setTextValue("0.5")
    with qtbot.waitSignal(tab.lessonChanged):
        dialog.accept()
    assert tab.lesson.network.biases[0][0, 2] == 0.5
    assert tab.view.texts()[("bias", 0, 2)] == "b = 0.5"
    # Neurons cannot be "changed": the button is off for them.
    tab.inspect(("node", 1, 0))
    assert not tab.inspector.edit_button.isEnabled()


def test_play_waits_for_each_animation_and_pauses(tab, qtbot):
    tab.view.set_duration(30)
    tab.set_playing(True)
    qtbot.waitUntil(lambda: tab.position >= 3, timeout=10_000)
    qtbot.keyClick(tab.view, Qt.Key_P)
    assert not tab.is_playing() and tab.play_button.text() == "Play"
    # Nothing is left that could take another step: no timer pending.
    tab.view.skip_animation()
    assert not tab._play_timer.isActive()


def test_a_diverging_lesson_is_stopped_with_advice_not_a_crash(tab):
    tab.lr_edit.setText("10")
    tab.inputs_edit.setText("900, -900")
    tab.apply_settings()
    for _ in range(200):
        tab.go_end()
        before = tab.lesson.iteration
        tab.next_iteration()
        if tab.lesson.iteration == before:
            break
    assert "too large" in tab.message.text() and "Reset" in tab.message.text()
    assert tab.loss_chart.values and tab.loss_label.text()
    tab.reset()
    assert tab.lesson.iteration == 1
