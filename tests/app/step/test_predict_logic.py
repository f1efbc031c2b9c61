"""Tests of Predict mode's Qt-free logic and the loss slice's view data (no window needed)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from app.step.predict_logic import (
    ASK_CHOICES,
    HINT_CHOICES,
    hidden_for,
    hint_offer,
    parse_direction_key,
    questions_between,
    read_bool,
    read_choice,
    save_score_sheet,
    score_line,
    summary_text,
)
from app.step.slice_view import SliceView, slice_view_for
from app.widgets.network_display import DisplayState, changed_entries
from nncore.lesson import make_lesson
from nncore.lesson.loss_slice import loss_slice
from nncore.lesson.quiz import Quiz


@pytest.mark.parametrize("module", ["app.step.predict_logic", "app.step.slice_view"])
def test_predict_logic_imports_no_qt(module):
    code = (
        f"import json, sys; import {module}; "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


@pytest.fixture(scope="module")
def lesson():
    return make_lesson("article")


def _displays(lesson, k):
    before, after = lesson.state_at(k), lesson.state_at(k + 1)
    before.sample = after.sample
    return DisplayState.from_lesson_state(before), DisplayState.from_lesson_state(after)


def _index(lesson, kind, nth=0):
    return [s.index for s in lesson.steps if s.kind == kind][nth]


def test_a_sum_question_hides_only_that_sum(lesson):
    k = _index(lesson, "sum")  # z(h₁)
    before, after = _displays(lesson, k)
    assert hidden_for(lesson.steps[k], before, after) == {("z", (1, 0))}


def test_an_activation_question_hides_the_neurons_output(lesson):
    k = _index(lesson, "activation", 2)  # h₃ = ReLU(−0.46) = 0
    before, after = _displays(lesson, k)
    assert hidden_for(lesson.steps[k], before, after) == {("a", (1, 2))}


def test_an_update_hides_its_weight_even_when_a_zero_gradient_leaves_it_equal(lesson):
    k = next(s.index for s in lesson.steps if s.kind == "weight_update" and s.operands["grad"] == 0)
    before, after = _displays(lesson, k)
    assert changed_entries(before, after) == frozenset()  # nothing moves on the drawing
    assert hidden_for(lesson.steps[k], before, after) == {("weights", lesson.steps[k].edges[0])}
    b = _index(lesson, "bias_update")
    before, after = _displays(lesson, b)
    step = lesson.steps[b]
    assert ("biases", (step.layer, step.neuron)) in hidden_for(step, before, after)


def test_a_gradient_has_nothing_on_the_drawing_to_hide(lesson):
    k = _index(lesson, "weight_grad")
    before, after = _displays(lesson, k)
    assert hidden_for(lesson.steps[k], before, after) == frozenset()


def test_questions_between_follow_the_quiz(lesson):
    quiz = Quiz(lesson, ask="forward")
    inside = questions_between(quiz.asks, 0, 5)  # the first neuron: 2 products, bias, sum, act
    assert inside == [k for k in quiz.questions if k < 5]
    assert 2 not in inside  # the bias is read off the drawing, not asked
    assert questions_between(quiz.asks, 30, 40) == []  # the backward pass is not asked


def test_score_line_and_summary_count_what_the_quiz_recorded(lesson):
    quiz = Quiz(lesson, ask="forward")
    assert score_line(quiz.score()).endswith(f"(of {len(quiz.questions)} questions)")
    first, second, third = quiz.questions[:3]
    quiz.check(first, lesson.steps[first].value)
    quiz.check(second, -lesson.steps[second].value)  # a sign slip
    quiz.check(second, lesson.steps[second].value)
    quiz.reveal(third)
    line = score_line(quiz.score())
    assert line.startswith("Score: 1 right first time · 1 after hints · 1 revealed")
    text = summary_text(quiz.score())
    assert text.replace("\n", " ") == "End of the iteration. " + quiz.score().summary()


def test_score_line_when_nothing_is_asked():
    quiz = Quiz(make_lesson("perceptron"), ask=("backprop_product",))  # it has no hidden layer
    assert quiz.questions == ()
    assert "nothing to ask" in score_line(quiz.score())


def test_hint_offer_counts_down_to_no_hints():
    assert hint_offer(0, 2).startswith("H: hint 1 of 2")
    assert hint_offer(1, 2).startswith("H: hint 2 of 2")
    assert "H:" not in hint_offer(2, 2) and "Esc" in hint_offer(2, 2)
    assert "H:" not in hint_offer(0, 0)


def test_direction_keys():
    assert parse_direction_key("Up") == "up"
    assert parse_direction_key("Down") == "down"
    assert parse_direction_key("Equal") == "stays"
    assert parse_direction_key("Left") is None


def test_remembered_settings_are_read_back():
    assert read_bool("true") and read_bool(True) and not read_bool("false")
    assert read_bool(None, default=True) and not read_bool(None)
    assert read_choice("3", ASK_CHOICES, 0) == 3
    assert read_choice("99", ASK_CHOICES, 0) == 0
    assert read_choice("x", HINT_CHOICES, 2) == 2


def test_every_ask_choice_is_a_quiz_the_engine_accepts(lesson):
    for _, ask in ASK_CHOICES:
        assert Quiz(lesson, ask=ask).questions, ask


def test_save_score_sheet_writes_the_quiz_csv(lesson, tmp_path):
    quiz = Quiz(lesson, ask="update")
    quiz.check(quiz.questions[0], "0.6")  # the old value
    path = tmp_path / "sheet.csv"
    save_score_sheet(quiz, str(path))
    assert path.read_text(encoding="utf-8") == quiz.score_csv()
    assert path.read_text(encoding="utf-8").splitlines()[0].startswith("iteration,step")


def test_slice_view_shows_the_gradient_only_once_it_is_computed(lesson):
    key = ("edge", 1, 0, 0)  # w(h₁→ŷ)
    early = slice_view_for(lesson, 5, key)
    assert early is not None and early.slope is None and early.tangent is None
    assert "backward pass" in early.caption()
    late = slice_view_for(lesson, lesson.phase_start("update"), key)
    engine = loss_slice(lesson, (1, 0, 0), n=101)
    np.testing.assert_array_equal(late.values, engine.values)
    np.testing.assert_array_equal(late.losses, engine.losses)
    # The slope is the gradient backpropagation found, checked against nncore.Network.
    net = lesson.network
    grads = net.backward(net.forward(lesson.X), lesson.Y)
    assert late.slope == pytest.approx(float(grads.weights[1][0, 0]), rel=1e-12)
    assert late.stepped == pytest.approx(-0.5 - lesson.lr * late.slope, rel=1e-12)
    xs, ys = late.tangent
    np.testing.assert_allclose(ys, engine.current_loss + late.slope * (xs - engine.current))
    assert "−0.12" in late.caption() and "−0.488" in late.caption()


def test_slice_view_is_only_for_parameters(lesson):
    assert slice_view_for(lesson, 0, ("node", 1, 0)) is None
    assert slice_view_for(lesson, 0, None) is None
    bias = slice_view_for(lesson, len(lesson), ("bias", 0, 0))
    assert isinstance(bias, SliceView) and bias.name == lesson.names.bias(0, 0)
