"""A classifier's lesson: softmax and cross-entropy, step by step, against three oracles.

The oracles: the softmax preset worked by hand here in plain floats (`math.exp`, `math.log`),
the vectorised `Network` (forward, loss, backward, the probabilities after the update), and
central finite differences of a cross-entropy written out here. Then how the targets are
given, what is refused, extreme sums, iterating, the quiz and the hand-outs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nncore.lesson import (
    CLASSIFIER_STEP_KINDS,
    Lesson,
    LessonError,
    Quiz,
    fmt,
    make_custom,
    make_lesson,
    render,
    softmax_network,
)
from nncore.lesson.mistakes import facts_of, mistakes_for
from nncore.network import Network

X3 = np.array([[0.1, 0.3], [0.5, -0.2], [-0.4, 0.9]])  # (3, 2): a batch of three


def values(lesson, kind: str) -> list[float]:
    return [s.value for s in lesson.steps if s.kind == kind]


# ---- the softmax preset, worked by hand -------------------------------------------------------
def test_the_softmax_preset_is_the_hand_worked_example():
    lesson = make_lesson("softmax")
    x = [0.5, 1.0]
    W1, b1 = [[0.4, -0.2], [0.3, 0.6]], [0.1, 0.0]
    W2, b2 = [[0.5, -0.5, 1.0], [1.0, 0.2, -0.4]], [0.0, 0.1, 0.2]
    h = [max(0.0, x[0] * W1[0][j] + x[1] * W1[1][j] + b1[j]) for j in range(2)]
    z = [h[0] * W2[0][k] + h[1] * W2[1][k] + b2[k] for k in range(3)]
    top = max(z)
    exps = [math.exp(v - top) for v in z]
    total = exps[0] + exps[1] + exps[2]
    p = [e / total for e in exps]
    y = [0.0, 0.0, 1.0]  # the true class is 2
    loss = -math.log(p[2])
    delta = [p[k] - y[k] for k in range(3)]
    dh = [sum(delta[k] * W2[i][k] for k in range(3)) for i in range(2)]  # both ReLUs fired

    assert h == pytest.approx([0.6, 0.5]) and z == pytest.approx([0.8, -0.1, 0.6])
    assert values(lesson, "exponential") == pytest.approx(exps, rel=1e-14)
    assert values(lesson, "exponential")[0] == 1.0  # the largest sum's e^0
    assert values(lesson, "exp_sum") == pytest.approx([total], rel=1e-14)
    assert values(lesson, "probability") == pytest.approx(p, rel=1e-14)
    assert sum(values(lesson, "probability")) == pytest.approx(1.0, rel=1e-15)
    assert values(lesson, "log_loss") == pytest.approx([loss], rel=1e-13)
    assert lesson.loss_before == pytest.approx(loss, rel=1e-13)
    assert values(lesson, "prob_error") == pytest.approx(delta, rel=1e-13)
    grads = lesson.state_at(len(lesson)).grads
    for i in range(2):
        for k in range(3):
            assert grads[(1, i, k)] == pytest.approx(h[i] * delta[k], rel=1e-13)
        for j in range(2):
            assert grads[(0, j, i)] == pytest.approx(x[j] * dh[i], rel=1e-13)
        assert grads[("bias", 0, i)] == pytest.approx(dh[i], rel=1e-13)
    for k in range(3):
        assert grads[("bias", 1, k)] == pytest.approx(delta[k], rel=1e-13)
    # the readable numbers the preset promises
    shown = [s.formula for s in lesson.steps if s.kind in ("exponential", "exp_sum", "log_loss")]
    assert shown == [
        "e^(z(ŷ₁) − max z) = e^(0.8 − 0.8) = 1",
        "e^(z(ŷ₂) − max z) = e^(−0.1 − 0.8) = 0.4066",
        "e^(z(ŷ₃) − max z) = e^(0.6 − 0.8) = 0.8187",
        "Σ e = 1 + 0.4066 + 0.8187 = 2.225",
        "L = −ln ŷ₃ = −ln(0.3679) = 0.9999",
    ]
    assert lesson.loss_after < lesson.loss_before


def test_the_steps_come_in_the_order_of_the_issue():
    kinds = [s.kind for s in make_lesson("softmax").steps]
    first = {k: kinds.index(k) for k in CLASSIFIER_STEP_KINDS if k in kinds}
    assert (
        first["exponential"]
        < first["exp_sum"]
        < first["probability"]
        < first["log_loss"]
        < first["prob_error"]
        < kinds.index("weight_grad")
        < kinds.index("weight_update")
        < first["new_probability"]
        < first["new_log_loss"]
    )
    assert kinds.count("exponential") == kinds.count("probability") == 3
    assert {"prediction", "error", "loss", "output_error", "new_loss"}.isdisjoint(kinds)
    # no slope step for the output: p − y already is ∂L/∂z
    assert all(s.layer == 0 for s in make_lesson("softmax").steps if s.kind == "activation_grad")


def test_the_words_say_what_the_issue_asks():
    lesson = make_lesson("softmax")
    first_exp = next(s for s in lesson.steps if s.kind == "exponential")
    assert "subtracts the largest sum, 0.8" in first_exp.narration
    assert "unshifted it would be e^0.8 = 2.226" in first_exp.narration
    error = next(s for s in lesson.steps if s.kind == "prob_error")
    assert "the probability it gave minus the probability it should have given" in error.narration
    assert "cancel" in error.narration
    loss = next(s for s in lesson.steps if s.kind == "log_loss")
    assert "true class is 2" in loss.narration and "natural log" in loss.narration
    logistic = make_lesson("logistic")
    sigma = next(s for s in logistic.steps if s.kind == "activation")
    assert "probability the network gives to class 1" in sigma.narration
    bce = next(s for s in logistic.steps if s.kind == "binary_log_loss")
    assert bce.formula == (
        "L = −[y ln ŷ + (1 − y) ln(1 − ŷ)] = −[1 × ln(0.48) + 0 × ln(0.52)] = 0.7339"
    )


# ---- against the vectorised network ---------------------------------------------------------
def classifier_lessons() -> list[Lesson]:
    softmax = Network([2, 3, 3], ["tanh", "softmax"], seed=5, loss="cross_entropy")
    deep = Network([2, 2, 2, 2], ["sigmoid", "leaky_relu", "softmax"], seed=8, loss="cross_entropy")
    binary = Network([2, 2, 1], ["relu", "sigmoid"], seed=6, loss="cross_entropy")
    return [
        make_lesson("softmax"),
        make_lesson("logistic"),
        make_lesson("logistic", target=0),
        Lesson(softmax, batch=(X3, [2, 0, 1]), lr=0.3),
        Lesson(softmax, batch=(X3, np.eye(3)[[1, 1, 0]]), lr=0.3),  # one-hot rows
        Lesson(deep, batch=(X3[:2], [1, 0]), lr=0.5),
        Lesson(binary, batch=(X3, [1, 0, 1]), lr=0.5),
    ]


@pytest.mark.parametrize("lesson", classifier_lessons(), ids=repr)
def test_every_number_is_the_networks(lesson):
    net, X, lr = lesson.network, lesson.X, lesson.lr
    classes = np.array(lesson.classes)
    rec = net.forward(X)
    grads = net.backward(rec, classes)  # the network given class indices, as a user would
    m, L = X.shape[0], net.n_layers
    final = lesson.state_at(len(lesson))
    for s in range(m):
        for l in range(L):
            for j in range(net.sizes[l + 1]):
                node = (l + 1, j)
                assert final.z_by_sample[s][node] == pytest.approx(rec.z[l][s, j], rel=1e-12)
                assert final.a_by_sample[s][node] == pytest.approx(rec.a[l + 1][s, j], rel=1e-12)
                err = final.errors_by_sample[s][node] / m
                assert err == pytest.approx(grads.errors[l][s, j], rel=1e-12, abs=1e-15)
    for l in range(L):
        for (i, j), g in np.ndenumerate(grads.weights[l]):
            assert final.grads[(l, i, j)] == pytest.approx(g, rel=1e-12, abs=1e-15)
        for j in range(net.sizes[l + 1]):
            assert final.grads[("bias", l, j)] == pytest.approx(grads.biases[l][0, j], rel=1e-12)
    assert final.loss == lesson.loss_before == pytest.approx(net.loss(X, classes), rel=1e-12)
    after = net.copy()
    for l in range(L):
        after.weights[l] = after.weights[l] - lr * grads.weights[l]
        after.biases[l] = after.biases[l] - lr * grads.biases[l]
    assert final.new_loss == pytest.approx(after.loss(X, classes), rel=1e-12)
    new_p = after.predict(X)
    for s in range(m):
        for j in range(net.n_outputs):
            assert final.new_predictions_by_sample[s][(L, j)] == pytest.approx(new_p[s, j])


def cross_entropy_by_hand(net: Network, X, classes) -> float:
    """(1/m) Σ −ln p(true class), every exponential and log by math, for finite differences."""
    total = 0.0
    for x, c in zip(X, classes):
        a = [float(v) for v in x]
        for W, b, act in zip(net.weights, net.biases, net.activations):
            z = [sum(a[i] * W[i, j] for i in range(len(a))) + b[0, j] for j in range(W.shape[1])]
            if act.name == "softmax":
                a = [math.exp(v) / sum(math.exp(u) for u in z) for v in z]
            else:
                a = [float(act.f(np.array([v]))[0]) for v in z]
        p = a[c] if len(a) > 1 else (a[0] if c == 1 else 1 - a[0])
        total += -math.log(p)
    return total / len(classes)


@pytest.mark.parametrize("lesson", classifier_lessons(), ids=repr)
def test_the_gradients_are_the_slopes_of_the_cross_entropy(lesson):
    grads = lesson.state_at(len(lesson)).grads
    h = 1e-6
    for key, g in grads.items():
        probes = []
        for sign in (1, -1):
            net = lesson.network.copy()
            if key[0] == "bias":
                net.biases[key[1]][0, key[2]] += sign * h
            else:
                net.weights[key[0]][key[1], key[2]] += sign * h
            probes.append(cross_entropy_by_hand(net, lesson.X, lesson.classes))
        slope = (probes[0] - probes[1]) / (2 * h)
        assert slope == pytest.approx(g, rel=1e-6, abs=1e-8), key


# ---- the targets ------------------------------------------------------------------------------
@pytest.mark.parametrize("target", [2, [2], (0, 0, 1), [[0, 0, 1]], np.array([2.0])])
def test_a_softmax_target_is_a_class_index_or_a_one_hot_row(target):
    lesson = Lesson(softmax_network(), (0.5, 1.0), target, 0.5)
    assert lesson.classes == (2,) and lesson.target == (0.0, 0.0, 1.0) and lesson.task == "softmax"
    assert lesson.loss_before == make_lesson("softmax").loss_before


def test_batch_targets_are_one_class_per_example():
    net = Network([2, 3, 3], ["tanh", "softmax"], seed=5, loss="cross_entropy")
    by_index = Lesson(net, batch=(X3, [2, 0, 1]))
    by_row = Lesson(net, batch=(X3, [[0, 0, 1], [1, 0, 0], [0, 1, 0]]))
    assert by_index.classes == by_row.classes == (2, 0, 1)
    assert [s.value for s in by_index.steps] == [s.value for s in by_row.steps]
    kinds = [s.kind for s in by_index.steps]
    assert kinds.count("log_loss") == 3 and kinds.count("mean_log_loss") == 1
    mean = next(s for s in by_index.steps if s.kind == "mean_log_loss")
    assert mean.value == pytest.approx(np.mean(values(by_index, "log_loss")), rel=1e-15)
    assert mean.formula.startswith("CE = (") and mean.formula.endswith(f") / 3 = {fmt(mean.value)}")
    assert Lesson(net, batch=(X3[:1], [1])).classes == (1,)
    binary = Lesson(make_lesson("logistic").network, batch=(np.ones((2, 3)), [[1], [0]]))
    assert binary.classes == (1, 0) and binary.task == "binary"


@pytest.mark.parametrize(
    "target, message",
    [
        (3, "0 to 2"),
        (-1, "0 to 2"),
        (0.5, "whole numbers"),
        ([1, 1, 0], "exactly one 1"),
        ([0, 1], "one class per example"),
        (float("nan"), "finite"),
    ],
)
def test_a_class_that_is_not_one_is_refused_in_words(target, message):
    with pytest.raises(LessonError, match=message):
        Lesson(softmax_network(), (0.5, 1.0), target, 0.5)


def test_a_logistic_target_is_class_0_or_1():
    assert make_lesson("logistic", target=0).classes == (0,)
    with pytest.raises(LessonError, match="0 to 1"):
        make_lesson("logistic", target=2)
    with pytest.raises(TypeError):
        make_lesson("logistic", target="one")


def test_regression_lessons_have_no_classes():
    lesson = make_lesson("article")
    assert lesson.task == "regression" and lesson.classes is None and not lesson.is_classifier
    assert not {s.kind for s in lesson.steps} & set(CLASSIFIER_STEP_KINDS)


# ---- extreme sums, iterating --------------------------------------------------------------------
def test_sums_of_a_thousand_give_finite_losses_gradients_and_words():
    net = Network([1, 3], ["softmax"], loss="cross_entropy")
    net.load_parameters([np.array([[1000.0, -1000.0, 0.0]])], [np.zeros((1, 3))])
    lesson = Lesson(net, [1.0], 1, 0.001)  # the true class was given probability e^−2000 = 0
    assert values(lesson, "probability") == [1.0, 0.0, 0.0]
    assert lesson.loss_before == pytest.approx(2000.0) == net.loss([[1.0]], [1])
    assert all(math.isfinite(s.value) for s in lesson.steps)
    first = next(s for s in lesson.steps if s.kind == "exponential")
    assert "too large" in first.narration
    sigmoid = Network([1, 1], ["sigmoid"], loss="cross_entropy")
    sigmoid.load_parameters([np.array([[-1000.0]])], [np.zeros((1, 1))])
    wrong = Lesson(sigmoid, [1.0], 1, 0.001)
    assert wrong.loss_before == pytest.approx(1000.0)
    for each in (lesson, wrong):
        facts = facts_of(each)
        for step in each.steps:
            assert all(math.isfinite(m.value) for m in mistakes_for(step, facts))
        quiz = Quiz(each)
        for k in quiz.questions:
            quiz.prompt(k), quiz.hint(k, 2)


@pytest.mark.parametrize("name", ["softmax", "logistic"])
def test_iterations_keep_the_class_and_lower_the_loss(name):
    lesson = make_lesson(name)
    losses = [lesson.loss_before]
    for _ in range(10):
        lesson = lesson.next_iteration()
        assert lesson.classes == make_lesson(name).classes
        losses.append(lesson.loss_before)
    assert losses == sorted(losses, reverse=True) and losses[-1] < 0.5 * losses[0]


# ---- the quiz and the hand-outs -------------------------------------------------------------
@pytest.mark.parametrize("lesson", classifier_lessons()[:4], ids=repr)
def test_each_new_kind_has_a_question_a_blank_and_hints(lesson):
    quiz = Quiz(lesson, ask="all")
    asked = set()
    for k in quiz.questions:
        step = lesson.steps[k]
        if step.kind not in CLASSIFIER_STEP_KINDS:
            continue
        asked.add(step.kind)
        prompt = quiz.prompt(k)
        assert prompt.question.endswith("?") and "?" in prompt.blanked
        assert prompt.blanked.replace("?", quiz.shown(k)) == step.formula
        one, two = quiz.hint(k, 1), quiz.hint(k, 2)
        assert one and two and one != two
        assert quiz.check(k, step.value).correct
    expected = set(CLASSIFIER_STEP_KINDS) - {"mean_log_loss"} if lesson.batch_size == 1 else set()
    if lesson.task == "binary":
        expected -= {"exponential", "exp_sum", "probability", "log_loss"}
    else:
        expected -= {"binary_log_loss"}
    assert expected <= asked


def test_the_obvious_slips_are_named():
    lesson = make_lesson("softmax")
    quiz = Quiz(lesson, ask="all")
    by_kind = {lesson.steps[k].kind: k for k in quiz.questions}
    error = next(k for k in quiz.questions if lesson.steps[k].kind == "prob_error")
    step = lesson.steps[error]  # δ(ŷ₁) = 0.4494 − 0: nothing to forget; take the true class's
    true = next(
        k
        for k in quiz.questions
        if lesson.steps[k].kind == "prob_error" and lesson.steps[k].neuron == 2
    )
    p = lesson.steps[true].operands["probability"]
    assert quiz.check(true, p).diagnosis == "one_hot"  # the one-hot 1 not subtracted
    probs = values(lesson, "probability")
    assert quiz.check(by_kind["log_loss"], -math.log(probs[0])).diagnosis == "wrong_class"
    assert quiz.check(by_kind["log_loss"], -math.log10(probs[2])).diagnosis == "log10"
    assert quiz.check(by_kind["log_loss"], math.log(probs[2])).diagnosis == "sign"
    first_p = next(k for k in quiz.questions if lesson.steps[k].kind == "probability")
    assert quiz.check(first_p, 1.0).diagnosis == "not_normalised"
    second_exp = [k for k in quiz.questions if lesson.steps[k].kind == "exponential"][1]
    assert quiz.check(second_exp, math.exp(-0.1)).diagnosis == "no_shift"
    assert step.value == pytest.approx(probs[0])


@pytest.mark.parametrize("name", ["softmax", "logistic"])
def test_the_hand_outs_speak_of_classes_and_cross_entropy(name):
    lesson = make_lesson(name)
    md, tex, csv = (render(lesson, f) for f in ("markdown", "latex", "csv"))
    assert "cross-entropy" in md and "mean squared error" not in md
    assert "true class" in md and "true class" in tex
    assert "\\max z" in tex or name == "logistic"
    rows = csv.splitlines()
    assert len(rows) == len(lesson) + 1
    assert sum(",prob_error," in r for r in rows) == lesson.network.n_outputs


# ---- the custom network -------------------------------------------------------------------
def test_a_custom_network_may_end_in_a_softmax_or_be_a_logistic_unit():
    lesson = make_custom((2, 3, 3), ("relu", "softmax"), x=(0.1, 0.3), target=2)
    assert lesson.task == "softmax" and lesson.classes == (2,)
    assert lesson.network.loss_name == "cross_entropy"
    unit = make_custom((2, 1), ("sigmoid",), x=(0.1, 0.3), target=1, loss="cross_entropy")
    assert unit.task == "binary"
    assert make_custom((2, 1), ("sigmoid",), x=(0.1, 0.3), target=1).task == "regression"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(sizes=(2, 3, 1), activations=("relu", "softmax"), target=0), "2 or 3 outputs"),
        (dict(sizes=(2, 3, 3), activations=("softmax", "softmax"), target=0), "only be the out"),
        (dict(sizes=(2, 2), activations=("tanh",), target=0, loss="cross_entropy"), "sigmoid"),
        (dict(sizes=(2, 3), activations=("softmax",), target=0, loss="mse"), "cross_entropy"),
        (dict(sizes=(2, 3), activations=("softmax",), target=3), "0 to 2"),
        (dict(sizes=(2, 3), activations=("softmax",), target=0, loss="hinge"), "loss"),
    ],
)
def test_a_custom_classifier_that_cannot_be_is_refused_in_words(kwargs, message):
    with pytest.raises(LessonError, match=message):
        make_custom(x=(0.1, 0.3), **kwargs)
