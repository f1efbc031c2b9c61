"""Predict mode in the Step tab, driven from the keyboard as a student would.

The student types numbers into the answer box: right ones (the step's value at full
precision), and each classic slip built from the step's own operands, as the quiz's engine
tests do. What the box, the drawing and the panel then say is checked against the Quiz's
catalogue (`DIAGNOSES`) and, for the loss slice, against `nncore.Network`.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app import open_settings
from app.step.predict_logic import ASK_CHOICES, KEY_ASK, KEY_HINTS, KEY_PREDICT
from app.step.tab import SPEEDS, StepThroughTab
from app.widgets.network_display import HIDDEN_TEXT
from nncore.formatting import fmt
from nncore.lesson import GRANULARITIES
from nncore.lesson.loss_slice import loss_slice
from nncore.lesson.quiz import DIAGNOSES

NO_ANIMATION = len(SPEEDS) - 1


def _make_tab(qtbot):
    widget = StepThroughTab()
    qtbot.addWidget(widget)
    widget.resize(1280, 820)
    widget.show()
    qtbot.waitExposed(widget)
    widget.speed_box.setCurrentIndex(NO_ANIMATION)
    widget.view.setFocus()
    return widget


@pytest.fixture
def tab(qtbot):
    widget = _make_tab(qtbot)
    yield widget
    widget.shutdown()


@pytest.fixture
def predict(tab):
    tab.predict.set_active(True)
    return tab.predict


def _ask_index(ask) -> int:
    return [a for _, a in ASK_CHOICES].index(ask)


def _step(qtbot, tab):
    qtbot.keyClick(tab.view if tab.predict.current is None else tab.predict.box.edit, " ")


def _type(qtbot, tab, text: str):
    edit = tab.predict.box.edit
    edit.clear()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key_Return)


def _number(x: float) -> str:
    return f"{x:.10g}"


def _title(code: str) -> str:
    title = DIAGNOSES[code]
    return title[:1].upper() + title[1:]


def _classic_slips(lesson) -> dict[int, tuple[float, str]]:
    """Step index → (the number a classic slip gives, its diagnosis), from the operands."""
    steps = lesson.steps

    def first(kind, where=lambda s: True):
        return next(s for s in steps if s.kind == kind and where(s))

    s_sum = first("sum")
    s_act = first("activation", lambda s: s.operands["z"] < 0)  # h₃: ReLU blocks −0.46
    s_out = first("output_error")
    s_back = first("backprop_product")  # δ(ŷ) × w(h₁→ŷ)
    s_grad = first("weight_grad")
    s_lr, s_old = [s for s in steps if s.kind == "weight_update"][:2]
    W = lesson.network.weights
    o = s_sum.operands
    return {
        s_sum.index: (o["product_0"] + o["product_1"], "bias"),
        s_act.index: (s_act.operands["z"], "activation"),
        s_out.index: (
            s_out.operands["target"] - s_out.operands["prediction"],
            "desired_vs_gradient",
        ),
        s_back.index: (s_back.operands["error"] * float(W[1][1, 0]), "wrong_weight"),
        s_grad.index: (-s_grad.operands["input"] * s_grad.operands["error"], "sign"),
        s_lr.index: (s_lr.operands["old"] - s_lr.operands["grad"], "learning_rate"),
        s_old.index: (s_old.operands["old"], "old_value"),
    }


def test_a_whole_article_iteration_typed_with_every_classic_slip(tab, predict, qtbot):
    lesson, quiz = tab.lesson, predict.quiz
    slips = _classic_slips(lesson)
    asked = []
    while tab.position < len(lesson):
        _step(qtbot, tab)
        k = predict.current
        if k is None:
            continue
        asked.append(k)
        assert predict.box.isVisible()
        assert predict.box.blanked.text() == quiz.prompt(k).blanked
        if k in slips:
            wrong, code = slips[k]
            _type(qtbot, tab, _number(wrong))
            assert predict.current == k  # still asking
            assert predict.box.feedback.text().startswith(_title(code)), (k, code)
            assert quiz.attempts(k)[-1].verdict.diagnosis == code
        _type(qtbot, tab, _number(lesson.steps[k].value))
        assert predict.current != k and tab.position >= k + 1
    assert asked == list(quiz.questions)
    n, m = len(asked), len(slips)
    assert predict.panel.score.text() == (
        f"Score: {n - m} right first time · {m} after hints (of {n} questions)"
    )
    summary = predict.panel.summary.text()
    assert predict.panel.summary.isVisibleTo(tab)
    for _, code in slips.values():
        assert DIAGNOSES[code] in summary
    assert quiz.score().total.right_first_time == n - m


def test_the_asked_value_is_hidden_until_answered(tab, predict, qtbot):
    k = next(s.index for s in tab.lesson.steps if s.kind == "sum")
    tab.go_to(k)
    _step(qtbot, tab)
    assert predict.current == k
    texts = tab.view.texts()
    assert texts[("caption", 1, 0)] == f"z = {HIDDEN_TEXT}"
    assert ("bubble",) not in texts  # the result bubble would give it away
    row = tab.timeline.topLevelItem(1).child(k)
    assert row.text(0).endswith(f"= {HIDDEN_TEXT}")
    # The box covers none of the numbers the question is about.
    box = predict.box.geometry()
    for key in [("edge", 0, 0, 0), ("edge", 0, 1, 0), ("bias", 0, 0), ("node", 1, 0)]:
        assert not box.contains(tab.view.item_position(key).toPoint()), key
    qtbot.keyClick(predict.box.edit, Qt.Key_Escape)  # reveal
    assert predict.current is None and tab.position == k + 1
    assert tab.message.text() == f"The answer was {predict.quiz.shown(k)}."
    assert tab.view.texts()[("caption", 1, 0)].startswith(f"z = {fmt(tab.lesson.steps[k].value)}")
    assert predict.quiz.outcome(k) == "revealed"
    assert not row.text(0).endswith(f"= {HIDDEN_TEXT}")


def test_an_update_question_hides_the_weights_number(tab, predict, qtbot):
    step = next(s for s in tab.lesson.steps if s.kind == "weight_update")
    tab.go_to(step.index)
    _step(qtbot, tab)
    assert predict.current == step.index
    assert tab.view.texts()[("edge", *step.edges[0])] == HIDDEN_TEXT


def test_hints_up_to_the_chosen_number_then_right_after_hints(tab, predict, qtbot):
    predict.panel.hints_box.setCurrentIndex(2)  # two hints
    k = next(s.index for s in tab.lesson.steps if s.kind == "weight_grad")
    tab.go_to(k)
    _step(qtbot, tab)
    edit = predict.box.edit
    qtbot.keyClick(edit, Qt.Key_H)
    assert predict.box.hint.text() == predict.quiz.hint(k, 1)
    assert edit.text() == ""  # H asks for a hint, it types nothing
    qtbot.keyClick(edit, Qt.Key_H)
    assert predict.box.hint.text() == predict.quiz.hint(k, 2)
    qtbot.keyClick(edit, Qt.Key_H)
    assert predict.box.hint.text().startswith("No more hints")
    _type(qtbot, tab, _number(tab.lesson.steps[k].value))
    assert predict.quiz.outcome(k) == "right after hints"
    assert "1 after hints" in predict.panel.score.text()


def test_a_layer_step_asks_each_of_its_questions_in_turn(tab, predict, qtbot):
    tab.set_granularity("layer")
    end = tab.lesson.next_index(0, "layer")
    wanted = [k for k in predict.quiz.questions if k < end]
    _step(qtbot, tab)
    seen = []
    while predict.current is not None:
        seen.append(predict.current)
        _type(qtbot, tab, _number(tab.lesson.steps[predict.current].value))
    assert seen == wanted and tab.position == end


def test_direction_questions_with_the_arrow_keys(tab, predict, qtbot):
    predict.panel.ask_box.setCurrentIndex(_ask_index("direction"))
    step = next(s for s in tab.lesson.steps if s.kind == "weight_update")
    tab.go_to(step.index)
    _step(qtbot, tab)
    quiz, k = predict.quiz, predict.current
    assert k == step.index and quiz.is_direction(k)
    expected = quiz.expected(k)
    assert expected == ("down" if step.operands["grad"] > 0 else "up")
    wrong_key = Qt.Key_Up if expected == "down" else Qt.Key_Down
    qtbot.keyClick(predict.box.edit, wrong_key)
    qtbot.keyClick(predict.box.edit, Qt.Key_Return)
    assert predict.current == k and predict.box.feedback.isVisibleTo(predict.box)
    qtbot.keyClick(predict.box.edit, Qt.Key_Down if expected == "down" else Qt.Key_Up)
    assert predict.box.edit.text() == expected
    qtbot.keyClick(predict.box.edit, Qt.Key_Return)
    assert predict.current is None and tab.position == k + 1


def test_a_zero_gradient_update_stays_typed_with_the_equals_key(tab, predict, qtbot):
    predict.panel.ask_box.setCurrentIndex(_ask_index("direction"))
    step = next(
        s for s in tab.lesson.steps if s.kind == "weight_update" and s.operands["grad"] == 0
    )
    tab.go_to(step.index)
    _step(qtbot, tab)
    assert predict.current == step.index and predict.quiz.expected(step.index) == "stays"
    qtbot.keyClick(predict.box.edit, Qt.Key_Equal)
    assert predict.box.edit.text() == "stays"
    qtbot.keyClick(predict.box.edit, Qt.Key_Return)
    assert predict.quiz.outcome(step.index) == "right first time"


def test_predict_mode_keeps_the_numerical_gradient_back_until_it_is_reached(tab, predict):
    tab.inspect(("edge", 0, 0, 0))
    assert "by finite differences: shown once" in tab.inspector.details.text()
    tab.go_to(tab.lesson.phase_start("update"))
    assert "by finite differences: 0.015" in tab.inspector.details.text()
    predict.set_active(False)
    tab.go_to(0)
    assert "by finite differences: 0.015" in tab.inspector.details.text()


def test_moving_elsewhere_closes_the_question(tab, predict, qtbot):
    tab.go_to(3)
    _step(qtbot, tab)
    assert predict.box.isVisible()
    tab.back_button.click()
    assert not predict.box.isVisible() and predict.current is None
    assert predict.quiz.outcome(3) == "not answered"


def test_a_settled_question_is_not_asked_again_after_stepping_back(tab, predict, qtbot):
    _step(qtbot, tab)
    assert predict.current == 0
    _type(qtbot, tab, _number(tab.lesson.steps[0].value))
    tab.go_to(0)
    _step(qtbot, tab)
    assert predict.current is None and tab.position == 1  # played as usual
    assert len(predict.quiz.attempts(0)) == 1


def test_switching_off_closes_the_question_and_shows_the_step_as_usual(tab, predict, qtbot):
    tab.go_to(3)
    _step(qtbot, tab)
    assert predict.current == 3
    predict.set_active(False)
    assert not predict.box.isVisible() and tab.position == 3
    assert "your turn" not in tab.explanation.heading.text()
    assert f"= {HIDDEN_TEXT}" not in tab.view.texts().get(("caption", 1, 0), "")


def test_steps_not_asked_play_as_usual(tab, predict, qtbot):
    predict.panel.ask_box.setCurrentIndex(_ask_index("update"))
    _step(qtbot, tab)
    assert predict.current is None and tab.position == 1
    assert ("bubble",) in tab.view.texts()


def test_the_mode_and_its_choices_are_remembered(tab, qtbot, isolated_settings):
    assert not tab.predict.active
    qtbot.keyClick(tab.view, Qt.Key_Q)
    assert tab.predict.active and tab.predict_panel.toggle.isChecked()
    tab.predict_panel.ask_box.setCurrentIndex(3)
    tab.predict_panel.hints_box.setCurrentIndex(1)
    open_settings().sync()
    text = isolated_settings.read_text()
    for key in (KEY_PREDICT, KEY_ASK, KEY_HINTS):
        assert key.split("/")[1] in text
    again = _make_tab(qtbot)
    assert again.predict.active
    assert again.predict_panel.ask_box.currentIndex() == 3
    assert again.predict_panel.hints_box.currentIndex() == 1
    again.shutdown()
    qtbot.keyClick(tab.view, Qt.Key_Q)
    assert not tab.predict.active
    third = _make_tab(qtbot)
    assert not third.predict.active
    third.shutdown()


def test_the_score_sheet_is_saved_as_csv(tab, predict, qtbot, tmp_path):
    _step(qtbot, tab)
    _type(qtbot, tab, "0.6")  # x₁ × w(x₁→h₁) = 0.1 × 0.6: the weight alone
    path = tmp_path / "score.csv"
    assert predict.save(str(path))
    assert path.read_text(encoding="utf-8") == predict.quiz.score_csv()
    assert str(path) in tab.message.text()
    assert not predict.save(str(tmp_path / "no-such-folder" / "score.csv"))
    assert tab.message.text().startswith("Not saved")


def test_the_loss_slice_plot_receives_the_lessons_numbers(tab, qtbot):
    lesson = tab.lesson
    key = ("edge", 1, 0, 0)  # w(h₁→ŷ)
    tab.go_to(2)
    tab.inspect(key)
    plot = tab.slice_plot
    assert plot.isVisibleTo(tab)
    assert plot.data.slope is None and len(plot.tangent.getData()[0] or []) == 0
    tab.go_to(lesson.phase_start("update"))
    engine = loss_slice(lesson, (1, 0, 0), n=101)
    xs, ys = plot.curve.getData()
    np.testing.assert_array_equal(xs, engine.values)
    np.testing.assert_array_equal(ys, engine.losses)
    assert plot.now_dot.getData()[0][0] == engine.current == -0.5
    net = lesson.network
    grad = float(net.backward(net.forward(lesson.X), lesson.Y).weights[1][0, 0])
    assert plot.data.slope == pytest.approx(grad, rel=1e-12)
    after_x, after_y = plot.after_dot.getData()
    assert after_x[0] == pytest.approx(-0.5 - lesson.lr * grad, rel=1e-12)
    assert after_y[0] == engine.loss_after_step
    assert fmt(after_x[0]) in tab.side.slice_caption.text()
    tab.inspect(("node", 1, 0))
    assert not plot.isVisibleTo(tab)


@pytest.mark.parametrize("preset", ["perceptron", "sigmoid", "custom"])
def test_every_preset_can_be_answered_to_the_end(tab, predict, qtbot, preset):
    tab.load_preset(preset)
    tab.set_granularity("phase")
    quiz = predict.quiz
    while tab.position < len(tab.lesson):
        _step(qtbot, tab)
        while predict.current is not None:
            _type(qtbot, tab, _number(tab.lesson.steps[predict.current].value))
    total = quiz.score().total
    assert total.asked == len(quiz.questions) > 0
    assert total.right_first_time == total.asked


@pytest.mark.parametrize("granularity", GRANULARITIES)
def test_every_granularity_asks_every_question_once(tab, predict, qtbot, granularity):
    tab.set_granularity(granularity)
    seen = []
    while tab.position < len(tab.lesson):
        _step(qtbot, tab)
        while predict.current is not None:
            seen.append(predict.current)
            _type(qtbot, tab, _number(tab.lesson.steps[predict.current].value))
    assert seen == list(predict.quiz.questions)


def test_a_small_batch_lesson_catches_the_forgotten_division(tab, predict, qtbot):
    from nncore.lesson import Lesson

    article = tab.lesson
    X = np.array([[0.1, 0.3], [0.5, 0.2]])  # (2, 2): two examples
    Y = np.array([[0.2], [0.35]])  # (2, 1)
    tab._start(Lesson(article.network, X, Y, article.lr, title="batch"), fresh=True)
    lesson = tab.lesson
    step = next(s for s in lesson.steps if s.kind == "weight_grad")
    o = step.operands
    summed = o["input_0"] * o["error_0"] + o["input_1"] * o["error_1"]  # not divided by 2
    tab.set_granularity("phase")
    seen = []
    while tab.position < len(lesson):
        _step(qtbot, tab)
        while predict.current is not None:
            k = predict.current
            seen.append(k)
            if k == step.index:
                _type(qtbot, tab, _number(summed))
                assert predict.box.feedback.text().startswith(_title("batch_mean"))
            _type(qtbot, tab, _number(lesson.steps[k].value))
    assert seen == list(predict.quiz.questions)
    assert predict.quiz.score().diagnoses == {"batch_mean": 1}


def test_enter_on_an_empty_box_is_not_an_answer(tab, predict, qtbot):
    _step(qtbot, tab)
    k = predict.current
    assert k is not None
    _type(qtbot, tab, "   ")
    assert predict.quiz.attempts(k) == ()  # nothing recorded, the question stays open
    assert predict.current == k and "Type your answer first" in predict.box.feedback.text()
    _type(qtbot, tab, _number(tab.lesson.steps[k].value))
    assert predict.quiz.outcome(k) == "right first time"
