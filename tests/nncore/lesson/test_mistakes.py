"""The classic slips: each one, worked out here again from the step's operands, is named.

`slips()` below recomputes every slip's number independently of `nncore.lesson.mistakes`,
from the step's operands, the lesson's start weights and its own earlier steps. For every
preset and for random custom networks on batches of 1 to 3 examples, each slip is then
either accepted as right (it gives the right number, e.g. a zero bias forgotten) or
diagnosed with its code (or with the code of another slip that gives the same number).
Random numbers far from every slip get no diagnosis.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nncore.formatting import digits_to_show, fmt
from nncore.lesson import CUSTOM_LIMITS, PRESETS, Lesson, article_network, make_custom, make_lesson
from nncore.lesson.mistakes import DIAGNOSES, facts_of, mistakes_for
from nncore.lesson.quiz import Quiz
from nncore.network import Network

REQUIRED = (
    "sign",
    "desired_vs_gradient",
    "learning_rate",
    "bias",
    "activation",
    "wrong_weight",
    "batch_mean",
    "old_value",
    "unreadable",
)
ACTIVATIONS = ("relu", "sigmoid", "tanh", "leaky_relu", "linear")


def random_lessons(count: int, seed: int = 4) -> list[Lesson]:
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


def batch_lesson() -> Lesson:
    batch = (np.array([[0.1, 0.3], [0.5, -0.2], [-0.4, 0.9]]), np.array([[0.2], [0.1], [0.3]]))
    return Lesson(article_network(), batch=batch, lr=0.1)


def largest_lesson() -> Lesson:
    """The largest custom network (3 hidden layers of 6) on a batch of 3: names like h²₃."""
    base = make_custom((4, 6, 6, 6, 3), "tanh", x=[0.1, 0.2, 0.3, 0.4], target=[0.1, 0.2, 0.3])
    X = np.round(np.random.default_rng(1).uniform(-1, 1, size=(3, 4)), 2)  # (3, 4)
    return Lesson(base.network, batch=(X, np.zeros((3, 3))), lr=0.1)


def classifier_lessons() -> list[Lesson]:
    """A softmax batch (tanh hidden layer) and a logistic batch, seeded weights."""
    X = np.array([[0.1, 0.3], [0.5, -0.2], [-0.4, 0.9]])  # (3, 2)
    softmax = Network([2, 3, 3], ["tanh", "softmax"], seed=5, loss="cross_entropy")
    binary = Network([2, 2, 1], ["relu", "sigmoid"], seed=6, loss="cross_entropy")
    return [
        Lesson(softmax, batch=(X, [2, 0, 1]), lr=0.3),
        Lesson(binary, batch=(X, [1, 0, 1]), lr=0.5),
    ]


CLASSIFIER_CODES = (
    "no_shift",
    "no_exp",
    "missing_term",
    "not_normalised",
    "inverted",
    "wrong_class",
    "log10",
    "one_hot",
)

LESSONS = (
    [make_lesson(name) for name in PRESETS]
    + [batch_lesson(), largest_lesson()]
    + classifier_lessons()
    + random_lessons(16)
)


def _upstream(lesson, layer, neuron, sample):
    for s in lesson.steps:
        if s.kind == "activation_grad" and (s.layer, s.neuron, s.sample) == (
            layer,
            neuron,
            sample,
        ):
            return s.operands["upstream"]
    return None


def slips(lesson, step) -> list[tuple[str, float, float]]:
    """(code, the slip's number, what 1 % of it is measured against) for one step."""
    ops, kind, v = step.operands, step.kind, step.value
    W = lesson.network.weights  # the start weights, (fan_in, fan_out) each
    act = [a.name for a in lesson.network.activations]
    m = lesson.batch_size
    found: list[tuple[str, float, float]] = []
    if kind in ("weight_update", "bias_update"):
        old, lr, g = ops["old"], ops["lr"], ops["grad"]
        found += [
            ("sign", old + lr * g, abs(lr * g)),
            ("learning_rate", old - g, abs(g)),
            ("old_value", old, 0.0),
            ("change_only", -lr * g, abs(lr * g)),
        ]
    else:
        found.append(("sign", -v, abs(v)))
    if kind == "product":
        l, i, j = step.edges[0]
        a = ops["input"]
        found += [("wrong_weight", a * W[l][k, j], abs(a * W[l][k, j])) for k in range(len(W[l]))]
        found += [
            ("wrong_weight", a * W[l][i, k], abs(a * W[l][i, k])) for k in range(W[l].shape[1])
        ]
    if kind == "sum":
        products = sum(x for name, x in ops.items() if name.startswith("product_"))
        found.append(("bias", products, abs(products)))
    if kind == "activation" and act[step.layer] != "linear":
        found.append(("activation", ops["z"], abs(ops["z"])))
    if kind == "error":
        found.append(("desired_vs_gradient", ops["prediction"] - ops["target"], abs(v)))
    if kind == "output_error":
        found.append(("desired_vs_gradient", ops["target"] - ops["prediction"], abs(v)))
    if kind == "loss":
        errors = np.array([x for name, x in ops.items() if name.startswith("error_")])
        n = errors.size
        if n > 1:
            found.append(("mean", float(np.sum(errors**2)), float(np.sum(errors**2))))
        found.append(("half", float(np.mean(errors**2) / 2), float(np.mean(errors**2) / 2)))
        found.append(("square", float(np.mean(-errors)), abs(float(np.mean(errors)))))
    if kind == "backprop_product":
        col, i, j = step.edges[0]
        d = ops["error"]
        found += [
            ("wrong_weight", d * W[col][k, j], abs(d * W[col][k, j])) for k in range(len(W[col]))
        ]
        found += [
            ("wrong_weight", d * W[col][i, k], abs(d * W[col][i, k]))
            for k in range(W[col].shape[1])
        ]
    if kind == "activation_grad":
        up = ops["upstream"]
        found.append(("activation", up, abs(up)))
        if act[step.layer] in ("sigmoid", "tanh"):
            a = lesson.network.activations[step.layer].f(np.array([ops["z"]]))[0]
            found.append(("activation", up * a, abs(up * a)))
    if kind in ("weight_grad", "bias_grad"):
        if kind == "weight_grad":
            inputs = [ops["input"]] if m == 1 else [ops[f"input_{s}"] for s in range(m)]
            deltas = [ops["error"]] if m == 1 else [ops[f"error_{s}"] for s in range(m)]
        else:
            inputs, deltas = [1.0] * m, [ops[f"error_{s}"] for s in range(m)]
        total = sum(a * d for a, d in zip(inputs, deltas))
        if m > 1:
            found.append(("batch_mean", total, abs(total)))
        ups = [_upstream(lesson, step.layer, step.neuron, s) for s in range(m)]
        if all(u is not None for u in ups):
            before = sum(a * u for a, u in zip(inputs, ups)) / m
            found.append(("activation", before, abs(before)))
    if kind in ("new_prediction", "new_probability"):
        found.append(("old_value", ops["previous"], 0.0))
    if kind in ("new_loss", "new_log_loss"):
        found.append(("old_value", ops["loss_before"], 0.0))
    found += classifier_slips(step)
    return found


def classifier_slips(step) -> list[tuple[str, float, float]]:
    """The slips of a classifier's own steps, worked out again with math.exp and math.log."""
    ops, kind, v = step.operands, step.kind, step.value
    found: list[tuple[str, float, float]] = []
    if kind == "exponential":
        found.append(("no_shift", math.exp(ops["z"]), math.exp(ops["z"])))
        found.append(("no_exp", ops["z"] - ops["largest"], abs(ops["z"] - ops["largest"])))
    if kind == "exp_sum":
        exps = [x for name, x in ops.items() if name.startswith("exp_")]
        found += [("missing_term", v - e, abs(v - e)) for e in exps]
    if kind == "probability":
        found.append(("not_normalised", ops["exp"], ops["exp"]))
        found.append(("inverted", ops["sum"] / ops["exp"], ops["sum"] / ops["exp"]))
    if kind == "log_loss":
        c = int(ops["class"])
        probs = [x for name, x in ops.items() if name.startswith("p_")]
        found += [
            ("wrong_class", -math.log(p), -math.log(p)) for k, p in enumerate(probs) if k != c
        ]
        found.append(("log10", -math.log10(probs[c]), -math.log10(probs[c])))
    if kind == "binary_log_loss":
        p = ops["probability"] if ops["class"] == 1 else 1 - ops["probability"]
        found.append(("wrong_class", -math.log(1 - p), -math.log(1 - p)))
        found.append(("log10", -math.log10(p), -math.log10(p)))
    if kind == "mean_log_loss":
        total = sum(x for name, x in ops.items() if name.startswith("loss_"))
        found.append(("batch_mean", total, total))
    if kind == "prob_error":
        p, y = ops["probability"], ops["target"]
        found.append(("one_hot", p, abs(p)))
        found.append(("desired_vs_gradient", y - p, abs(y - p)))
    return found


def _digits(step) -> int:
    if step.kind in ("weight_update", "bias_update"):
        return digits_to_show(step.value, step.operands["lr"] * step.operands["grad"])
    return 4


def _close(x, value, scale, digits) -> bool:
    gap = abs(x - value)
    return fmt(x, digits) == fmt(value, digits) or gap <= 1e-9 or gap <= 0.01 * scale


def _right(step, x) -> bool:
    if step.kind in ("weight_update", "bias_update"):
        scale = abs(step.operands["lr"] * step.operands["grad"])
    else:
        scale = abs(step.value)
    return _close(x, step.value, scale, _digits(step))


def test_the_catalogue_names_its_codes():
    for code in REQUIRED:
        assert DIAGNOSES[code]
    for lesson in LESSONS[:4]:
        facts = facts_of(lesson)
        for step in lesson.steps:
            for mistake in mistakes_for(step, facts):
                assert mistake.code in DIAGNOSES
                assert np.isfinite(mistake.value)


def check_every_slip(lesson, seen: dict[str, int]) -> None:
    """The true value of every step is right; each slip is right (it gives the right number)
    or diagnosed with its code, or with the code of another slip giving the same number."""
    quiz = Quiz(lesson, ask=("all", "bias", "prediction", "backprop_sum"))
    for k in quiz.questions:
        step = lesson.steps[k]
        assert quiz.check(k, step.value).correct, step.formula
        candidates = slips(lesson, step)
        for code, value, _ in candidates:
            verdict = quiz.check(k, value)
            if _right(step, value):
                assert verdict.correct, (step.formula, code)
                continue
            assert not verdict.correct
            assert verdict.diagnosis is not None, (step.formula, code, value)
            if verdict.diagnosis != code:
                # another slip gives the same number and was named instead
                assert any(
                    c == verdict.diagnosis and _close(value, other, s, _digits(step))
                    for c, other, s in candidates
                ), (step.formula, code, verdict.diagnosis)
            seen[verdict.diagnosis] = seen.get(verdict.diagnosis, 0) + 1
            assert fmt(value) in verdict.message  # the student's own number


def test_each_slip_is_diagnosed_wherever_it_can_be_told_apart():
    seen: dict[str, int] = {}
    for lesson in LESSONS:
        check_every_slip(lesson, seen)
    for code in REQUIRED:
        if code != "unreadable":
            assert seen.get(code, 0) > 0, code
    for code in CLASSIFIER_CODES:  # every classifier slip is met at least once
        assert seen.get(code, 0) > 0, code


@settings(max_examples=25, deadline=None)
@given(
    n_in=st.integers(*CUSTOM_LIMITS["inputs"]),
    hidden=st.lists(st.integers(1, 4), max_size=CUSTOM_LIMITS["hidden_layers"][1]),
    n_out=st.integers(*CUSTOM_LIMITS["outputs"]),
    data=st.data(),
)
def test_random_custom_networks(n_in, hidden, n_out, data):
    sizes = [n_in, *hidden, n_out]
    acts = data.draw(
        st.lists(st.sampled_from(ACTIVATIONS), min_size=len(sizes) - 1, max_size=len(sizes) - 1)
    )
    m = data.draw(st.integers(1, 3))
    seed = data.draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    biases = [np.round(rng.uniform(-0.5, 0.5, size=s), 2) for s in sizes[1:]]
    base = make_custom(sizes, acts, x=[0.5] * n_in, target=[0.0] * n_out, seed=seed, biases=biases)
    X = np.round(rng.uniform(-1, 1, size=(m, n_in)), 2)  # (m, n_in)
    Y = np.round(rng.uniform(-1, 1, size=(m, n_out)), 2)  # (m, n_out)
    lr = data.draw(st.sampled_from([0.01, 0.1, 0.5, 1.0, 3.0]))
    check_every_slip(Lesson(base.network, batch=(X, Y), lr=lr), {})


def test_the_classic_slips_on_the_article_network():
    lesson = make_lesson("article")
    quiz = Quiz(lesson)
    cases = {
        (3, 0.3): "bias",  # z(h₁) = 0.06 + 0.24 + 0.1: the bias forgotten
        (14, -0.46): "activation",  # ReLU(−0.46) given as −0.46
        (22, -0.3): "desired_vs_gradient",  # ŷ − y where y − ŷ is asked
        (24, 0.3): "desired_vs_gradient",  # y − ŷ where ŷ − y is asked
        (29, -0.075): "wrong_weight",  # δ(ŷ) × w(h₂→ŷ) carried back to h₁
        (43, -0.27): "activation",  # δ(h₃) without ReLU's slope 0
        (47, 0.6015): "sign",  # w + lr·g
        (47, 0.585): "learning_rate",  # w − g
        (47, 0.6): "old_value",  # w
        (0, -0.06): "sign",
    }
    for (k, answer), code in cases.items():
        verdict = quiz.check(k, answer)
        assert verdict.diagnosis == code, (k, answer, verdict.message)
    message = quiz.check(3, 0.3).message
    assert message.startswith("You gave 0.3, which is 0.06 + 0.24") and "b(h₁)" in message
    assert ". " not in message and "0.4" not in message  # one sentence, no answer given
    dead = quiz.check(43, -0.27).message
    assert "ReLU" in dead and "0" in dead


def test_a_batch_sum_not_divided():
    lesson = batch_lesson()
    quiz = Quiz(lesson, ask="backward")
    k = next(k for k in quiz.questions if lesson.steps[k].kind == "weight_grad")
    step = lesson.steps[k]
    total = sum(step.operands[f"input_{s}"] * step.operands[f"error_{s}"] for s in range(3))
    verdict = quiz.check(k, total)
    assert verdict.diagnosis == "batch_mean" and "3" in verdict.message


def test_a_zero_bias_cannot_be_forgotten_visibly():
    lesson = make_lesson("article")  # b(h₂) = 0: z(h₂) without it is z(h₂)
    quiz = Quiz(lesson)
    assert quiz.check(8, 0.2).correct
    assert all(m.code != "bias" for m in quiz._recognisable(lesson.steps[8]))


_PROPERTY_LESSONS = [make_lesson("article"), make_lesson("sigmoid"), batch_lesson()]
_PROPERTY_QUIZZES = [Quiz(lesson) for lesson in _PROPERTY_LESSONS]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    which=st.integers(0, len(_PROPERTY_LESSONS) - 1),
    position=st.integers(0, 10_000),
    near=st.integers(0, 100),
    offset=st.floats(-1, 1, allow_nan=False),
    x=st.floats(-5, 5, allow_nan=False),
)
def test_numbers_far_from_every_slip_get_no_diagnosis(which, position, near, offset, x):
    lesson, quiz = _PROPERTY_LESSONS[which], _PROPERTY_QUIZZES[which]
    k = quiz.questions[position % len(quiz.questions)]
    step = lesson.steps[k]
    candidates = [(step.value, _digits_scale(step))] + [(v, s) for _, v, s in slips(lesson, step)]
    if near < len(candidates):  # most draws land close to a slip or the answer: the hard cases
        v, s = candidates[near]
        x = v + offset * 0.2 * max(s, abs(v), 1e-3)
    far = all(abs(x - v) > 0.03 * max(s, abs(v)) + 1e-6 for v, s in candidates)
    if not far:
        return
    verdict = quiz.check(k, x)
    assert not verdict.correct and verdict.diagnosis is None, (step.formula, x, verdict.message)


def _digits_scale(step) -> float:
    if step.kind in ("weight_update", "bias_update"):
        return abs(step.operands["lr"] * step.operands["grad"])
    return abs(step.value)
