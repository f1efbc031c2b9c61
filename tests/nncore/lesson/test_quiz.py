"""The quiz: what is asked, when an answer is right, directions, hints, the score and purity."""

from __future__ import annotations

import copy
import csv
import io

import numpy as np
import pytest

from nncore.lesson import CUSTOM_LIMITS, PRESETS, Lesson, article_network, make_custom, make_lesson
from nncore.lesson.quiz import (
    DIAGNOSES,
    OUTCOMES,
    Quiz,
    QuizError,
    parse_answer,
)

ACTIVATIONS = ("relu", "sigmoid", "tanh", "leaky_relu", "linear")


def random_lessons(count: int, seed: int = 9) -> list[Lesson]:
    """Small custom networks within CUSTOM_LIMITS, on batches of 1 to 3 examples."""
    rng = np.random.default_rng(seed)
    lessons = []
    for n in range(count):
        n_in = int(rng.integers(1, CUSTOM_LIMITS["inputs"][1] + 1))
        hidden = [int(rng.integers(1, 4)) for _ in range(int(rng.integers(0, 4)))]
        n_out = int(rng.integers(1, CUSTOM_LIMITS["outputs"][1] + 1))
        sizes = [n_in, *hidden, n_out]
        acts = [str(rng.choice(ACTIVATIONS)) for _ in range(len(sizes) - 1)]
        biases = [np.round(rng.uniform(-0.5, 0.5, size=s), 2) for s in sizes[1:]]
        base = make_custom(
            sizes, acts, x=[0.5] * n_in, target=[0.0] * n_out, lr=0.5, seed=n, biases=biases
        )
        m = int(rng.integers(1, 4))
        X = np.round(rng.uniform(-1, 1, size=(m, n_in)), 2)  # (m, n_in)
        Y = np.round(rng.uniform(-1, 1, size=(m, n_out)), 2)  # (m, n_out)
        lessons.append(Lesson(base.network, batch=(X, Y), lr=float(rng.choice([0.05, 0.1, 0.5]))))
    return lessons


def all_lessons():
    return [make_lesson(name) for name in PRESETS] + random_lessons(12)


# ---- what is asked --------------------------------------------------------------------------
def test_questions_follow_ask():
    lesson = make_lesson("article")
    steps = lesson.steps
    everything = Quiz(lesson).questions
    assert list(everything) == sorted(everything)
    assert {steps[k].kind for k in everything}.isdisjoint({"bias", "prediction"})
    for phase in ("forward", "loss", "backward", "update", "check"):
        asked = Quiz(lesson, ask=phase).questions
        assert asked and all(steps[k].phase == phase for k in asked)
        assert set(asked) <= set(everything)
    # the union of the phases is "all"
    union = set()
    for phase in ("forward", "loss", "backward", "update", "check"):
        union |= set(Quiz(lesson, ask=phase).questions)
    assert union == set(everything)
    # a kind named explicitly is asked in full, read-offs included
    biases = Quiz(lesson, ask=("bias",)).questions
    assert biases == tuple(s.index for s in steps if s.kind == "bias")
    mixed = Quiz(lesson, ask=("forward", "weight_grad")).questions
    assert {steps[k].kind for k in mixed} == {"product", "sum", "activation", "weight_grad"}
    # the article's hidden neurons each get one carried-back error: a copy, not asked ...
    assert not any(steps[k].kind == "backprop_sum" for k in everything)
    # ... unless named
    assert Quiz(lesson, ask=("backprop_sum",)).questions
    direction = Quiz(lesson, ask="direction")
    assert direction.questions == tuple(
        s.index for s in steps if s.kind in ("weight_update", "bias_update")
    )
    assert all(direction.is_direction(k) for k in direction.questions)
    assert not any(Quiz(lesson).is_direction(k) for k in everything)
    assert Quiz(lesson).asks(0) and not Quiz(lesson).asks(2)  # step 2 is the bias read-off
    # a coarser unit (here the first neuron, steps 0-4) asks its questions in turn
    first_neuron = lesson.boundaries("neuron")[1]
    assert Quiz(lesson).questions_in(0, first_neuron) == (0, 1, 3, 4)


def test_sums_of_several_errors_are_asked():
    lesson = make_lesson("sigmoid")  # each hidden neuron feeds two outputs
    quiz = Quiz(lesson, ask="backward")
    assert any(lesson.steps[k].kind == "backprop_sum" for k in quiz.questions)


@pytest.mark.parametrize(
    "ask, error",
    [("everything", QuizError), (("forward", "nope"), QuizError), ((), QuizError), (3, TypeError)],
)
def test_bad_ask_is_refused(ask, error):
    with pytest.raises(error):
        Quiz(make_lesson("article"), ask=ask)


def test_steps_that_are_not_asked_are_refused():
    with pytest.raises(TypeError):
        Quiz(article_network())
    quiz = Quiz(make_lesson("article"), ask="forward")
    assert not quiz.asks(47) and not quiz.is_direction(47)
    with pytest.raises(QuizError, match="not asked"):
        quiz.check(47, 0.5)
    with pytest.raises(QuizError):
        quiz.prompt(10_000)
    with pytest.raises(TypeError):
        quiz.check("3", 0.3)
    with pytest.raises(TypeError):
        quiz.check(3, None)
    with pytest.raises(QuizError):
        quiz.hint(3, 4)


# ---- right answers ---------------------------------------------------------------------------
def test_every_true_value_is_accepted_everywhere():
    for lesson in all_lessons():
        quiz = Quiz(lesson)
        for k in quiz.questions:
            step = lesson.steps[k]
            verdict = quiz.check(k, step.value)
            assert verdict.correct, (lesson, step.formula)
            assert verdict.diagnosis is None
            assert verdict.expected == step.value
            # the shown value is accepted too: typing what the tutor writes is right
            assert quiz.check(k, verdict.shown.replace("×10", "e").translate(_SUPER)).correct
            assert verdict.shown in step.formula


_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def test_right_at_the_digits_shown_or_within_one_percent():
    lesson = make_lesson("article")
    quiz = Quiz(lesson)
    assert quiz.check(0, 0.06).correct  # x₁ × w = 0.1 × 0.6
    assert quiz.check(0, "0,0605").correct  # within 1 %
    assert not quiz.check(0, 0.0607).correct  # 1.2 % off
    assert quiz.check(13, "−0.46").correct  # true minus
    assert quiz.check(14, 0).correct and quiz.check(14, 1e-10).correct  # a zero, within 1e-9
    assert not quiz.check(14, 1e-6).correct


def test_an_update_is_judged_against_its_change():
    lesson = make_lesson("article")
    quiz = Quiz(lesson)
    # w(x₁→h₁) ← 0.6 − 0.1 × 0.015 = 0.5985: the change is 0.0015
    k = 47
    assert quiz.check(k, 0.5985).correct
    assert quiz.check(k, 0.59851).correct  # 0.7 % of the change
    assert not quiz.check(k, 0.5986).correct  # 7 % of the change, 0.02 % of the value
    assert not quiz.check(k, 0.6).correct  # the old value never passes
    # w(x₁→h₂) ← 0.5 − 0.1 × (−0.0075) = 0.50075: rounded to 4 digits the change is lost
    rounded = quiz.check(50, 0.5008)
    assert not rounded.correct and rounded.diagnosis == "rounding" and "+0.00075" in rounded.message
    assert quiz.check(50, 0.5011).diagnosis is None  # not the right value rounded: just wrong
    # a parameter whose gradient is 0 keeps its value, and that is right
    assert lesson.steps[53].operands["grad"] == 0
    assert quiz.check(53, -0.5).correct


def test_parse_answer():
    assert parse_answer("0.015") == 0.015
    assert parse_answer("0,015") == 0.015
    assert parse_answer(" −0.2 ") == -0.2
    assert parse_answer("+3") == 3.0
    assert parse_answer("1.5e-3") == 0.0015
    assert parse_answer("1.5×10⁻³") == pytest.approx(0.0015)
    assert parse_answer(np.float64(0.5)) == 0.5
    bad_answers = ("", "abc", "1_000", "nan", "inf", "0.1.2", "1" * 100, "1/2", "1×10^999")
    for bad in bad_answers:  # 10.0**999 overflows: no finite number, not an OverflowError
        assert parse_answer(bad) is None, bad
    assert parse_answer(float("nan")) is None
    with pytest.raises(TypeError):
        parse_answer(True)


def test_unreadable_answers():
    quiz = Quiz(make_lesson("article"))
    verdict = quiz.check(0, "six\x1b[31m")
    assert not verdict.correct and verdict.diagnosis == "unreadable"
    assert "\x1b" not in verdict.message and "\\x1b" in verdict.message
    assert quiz.attempts(0)[0].answer == "six\x1b[31m"
    assert "unreadable" in DIAGNOSES


# ---- wrong answers without a diagnosis say how far off they are -------------------------------
def test_undiagnosed_answers_say_how_far_off():
    quiz = Quiz(make_lesson("article"))
    verdict = quiz.check(3, 4.0)  # z(h₁) = 0.4
    assert verdict.diagnosis is None and not verdict.correct
    assert (
        "4" in verdict.message and "too high" in verdict.message and "10 times" in verdict.message
    )
    assert "0.4" not in verdict.message  # the answer is not given away
    low = quiz.check(3, 0.35)
    assert "too low" in low.message and "13%" in low.message


# ---- directions ---------------------------------------------------------------------------------
def test_direction_questions_with_their_reason():
    lesson = make_lesson("article")
    quiz = Quiz(lesson, ask="direction")
    for k in quiz.questions:
        step = lesson.steps[k]
        change = step.value - step.operands["old"]
        expected = "up" if change > 0 else "down" if change < 0 else "stays"
        assert quiz.expected(k) == expected
        verdict = quiz.check(k, expected.upper())
        assert verdict.correct and "∂L/∂" in verdict.message
        if expected != "stays":
            wrong = "down" if expected == "up" else "up"
            miss = quiz.check(k, wrong)
            assert not miss.correct and miss.diagnosis == "sign"
            assert ("positive" if step.operands["grad"] > 0 else "negative") in miss.message
            assert "subtract" in miss.message
        else:
            assert quiz.check(k, "up").diagnosis is None
        assert quiz.check(k, 0.5).diagnosis == "unreadable"
        prompt = quiz.prompt(k)
        assert prompt.question.startswith("Will ") and "up or down" in prompt.blanked
    # w(x₁→h₁): gradient +0.015, so it goes down
    assert quiz.check(47, "down").correct and "goes down" in quiz.check(47, "↓").message


# ---- prompts and hints ----------------------------------------------------------------------
def test_prompts_blank_the_result():
    lesson = make_lesson("article")
    quiz = Quiz(lesson)
    prompt = quiz.prompt(0)
    assert prompt.question == "What is x₁ × w(x₁→h₁)?"
    assert prompt.blanked == "x₁ × w(x₁→h₁) = 0.1 × 0.6 = ?"
    assert prompt.latex_blanked.endswith("= ?") and "\\cdot" in prompt.latex_blanked
    for lesson in all_lessons()[:4]:
        quiz = Quiz(lesson)
        for k in quiz.questions:
            prompt, step = quiz.prompt(k), lesson.steps[k]
            assert "?" in prompt.blanked and "?" in prompt.latex_blanked
            assert prompt.question.endswith("?")
            # the blank is exactly where the result stood
            assert prompt.blanked.replace("?", quiz.shown(k)) == step.formula


def test_hints_three_levels():
    lesson = make_lesson("article")
    quiz = Quiz(lesson)
    one, two, three = (quiz.hint(47, level) for level in (1, 2, 3))
    assert "learning rate" in one and "0.015" not in one
    assert "0.6 − 0.0015" in two and "0.5985" not in two
    assert "0.5985" in three
    for lesson in all_lessons()[:4]:
        quiz = Quiz(lesson)
        for k in quiz.questions:
            hints = [quiz.hint(k, level) for level in (1, 2, 3)]
            assert all(h and "\n" not in h for h in hints)
            assert quiz.shown(k) in hints[2]


# ---- the score --------------------------------------------------------------------------------
def test_score_counts_outcomes():
    lesson = make_lesson("article")
    quiz = Quiz(lesson, ask=("forward", "update"))
    quiz.check(0, 0.06)  # right first time
    quiz.check(1, 0.18)  # wrong weight ...
    quiz.check(1, 0.24)  # ... then right
    quiz.hint(3, 1)
    quiz.check(3, 0.4)  # right after a hint
    quiz.check(4, -0.4)  # a sign slip, then revealed
    assert quiz.reveal(4) == "0.4"
    quiz.check(4, 0.4)  # right after the reveal does not count as right
    quiz.check(47, 0.6)  # the old value: wrong and left
    assert [quiz.outcome(k) for k in (0, 1, 3, 4, 47, 5)] == [
        "right first time",
        "right after hints",
        "right after hints",
        "revealed",
        "wrong",
        "not answered",
    ]
    assert set(OUTCOMES) >= {quiz.outcome(k) for k in quiz.questions}
    score = quiz.score()
    t = score.total
    assert t.asked == len(quiz.questions)
    assert (t.answered, t.right_first_time, t.right_after_hints, t.revealed, t.wrong) == (
        5,
        1,
        2,
        1,
        1,
    )
    assert list(score.by_phase) == ["forward", "update"]
    assert score.by_phase["update"].wrong == 1 and score.by_phase["forward"].answered == 4
    assert score.by_kind["product"].right_first_time == 1
    assert score.by_kind["product"].right_after_hints == 1
    assert score.diagnoses == {"wrong_weight": 1, "sign": 1, "old_value": 1}
    assert score.hard_kinds() == ["product", "sum", "activation", "weight_update"]
    summary = score.summary()
    assert "5 of" in summary and "1 right first time" in summary and "Hardest" in summary
    assert summary.count(". ") <= 2  # two or three sentences

    rows = list(csv.DictReader(io.StringIO(quiz.score_csv())))
    assert len(rows) == len(quiz.questions)
    first = {int(r["step"]): r for r in rows}
    assert first[1]["attempts"] == "2" and first[1]["diagnoses"] == "wrong_weight"
    assert first[1]["first answer"] == "0.18" and first[1]["outcome"] == "right after hints"
    assert first[3]["hints"] == "1" and first[4]["outcome"] == "revealed"
    assert first[47]["expected"] == "0.5985" and first[47]["iteration"] == "1"
    assert first[5]["attempts"] == "0" and first[5]["outcome"] == "not answered"


def test_csv_keeps_typed_text_as_text():
    quiz = Quiz(make_lesson("article"))
    quiz.check(0, "=HYPERLINK(1)")
    row = next(csv.DictReader(io.StringIO(quiz.score_csv())))
    assert row["first answer"].startswith("'=")


def test_empty_score():
    quiz = Quiz(make_lesson("article"))
    assert quiz.score().total.answered == 0
    assert quiz.score().hard_kinds() == []
    assert "0 of" in quiz.score().summary()


# ---- pure and deterministic ----------------------------------------------------------------------
def _snapshot(lesson):
    end = lesson.state_at(len(lesson.steps))
    return (
        copy.deepcopy(lesson.steps),
        [w.copy() for w in lesson.network.weights],
        [b.copy() for b in lesson.network.biases],
        dict(end.grads),
        [w.copy() for w in end.weights],
        end.loss,
        end.new_loss,
    )


def _same(a, b) -> bool:
    if isinstance(a, list) and a and isinstance(a[0], np.ndarray):
        return all(np.array_equal(x, y) for x, y in zip(a, b))
    return a == b


def test_checking_never_changes_the_lesson():
    batch = (np.array([[0.1, 0.3], [0.5, -0.2]]), np.array([[0.2], [0.1]]))
    for lesson in [make_lesson("article"), Lesson(article_network(), batch=batch)]:
        before = _snapshot(lesson)
        quiz = Quiz(lesson)
        verdicts = {}
        for k in quiz.questions:
            for answer in (lesson.steps[k].value, -lesson.steps[k].value, 123.0, "x"):
                verdicts[(k, str(answer))] = quiz.check(k, answer)
            quiz.hint(k, 2)
            quiz.reveal(k)
        quiz.score()
        quiz.score_csv()
        after = _snapshot(lesson)
        assert all(_same(x, y) for x, y in zip(before, after))
        # the same answer to the same step: the same verdict, whatever happened in between
        again = Quiz(lesson)
        for (k, answer), verdict in verdicts.items():
            value = answer if answer == "x" else float(answer)
            assert again.check(k, value) == verdict


def test_extreme_numbers_give_words_not_errors():
    # z = 1000 × (−1000) + 0: e^(−z) is beyond a float, σ(z) is 0 to the digits shown
    lesson = make_custom(
        (1, 1, 1), ("sigmoid", "linear"), x=(1000,), target=(0,), weights=[[[-1000]], [[1]]]
    )
    quiz = Quiz(lesson)
    for k in quiz.questions:
        for level in (1, 2, 3):
            assert quiz.hint(k, level)
        assert quiz.check(k, lesson.steps[k].value).correct
        assert not quiz.check(k, 1e300).correct
        assert quiz.check(k, "1e999").diagnosis == "unreadable"
