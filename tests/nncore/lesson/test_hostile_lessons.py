"""Lessons given absurd numbers and wrong types: refused at the door, or stopped in words.

What a lesson is given is held to bounds (inputs, targets, weights and biases within
±VALUE_LIMIT, a learning rate in (0, LR_LIMIT]); what it computes from numbers outside those
bounds, or after many iterations, is checked as it goes, and an overflow is a LessonError
naming what overflowed. Wrong types are TypeErrors naming the argument. Whatever the engine
accepts renders in every format and can be walked at every granularity.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nncore.lesson import (
    CUSTOM_LIMITS,
    FORMATS,
    GRANULARITIES,
    LR_LIMIT,
    MAX_BATCH,
    PHASES,
    VALUE_LIMIT,
    Lesson,
    LessonError,
    article_network,
    make_custom,
    make_lesson,
    render,
    render_csv,
    render_latex,
    render_markdown,
    tex_escape,
)
from nncore.lesson.handout import parameter_name
from nncore.network import Network

FLOAT_MAX = float(np.finfo(np.float64).max)
WIDEST = (4, 6, 6, 6, 3)  # the largest network CUSTOM_LIMITS allow


def walk(lesson: Lesson) -> None:
    """Render every format and move along the lesson at every granularity, both ways."""
    for fmt in FORMATS:
        assert render(lesson, fmt)
    n = len(lesson)
    for granularity in GRANULARITIES:
        k, seen = 0, 0
        while k < n:
            k = lesson.next_index(k, granularity)
            lesson.state_at(k)
            seen += 1
        while k > 0:
            k = lesson.prev_index(k, granularity)
        assert seen <= n
    for phase in PHASES:
        lesson.state_at(lesson.phase_start(phase))


def filled(sizes, value):
    """Every weight matrix (or bias list) of `sizes` filled with `value`."""
    weights = [[[value] * o for _ in range(i)] for i, o in zip(sizes[:-1], sizes[1:])]
    biases = [[value] * o for o in sizes[1:]]
    return weights, biases


# ---- the bounds keep the first iteration finite ----------------------------------------------


def worst_case(limit: float, lr: float, sizes=WIDEST) -> float:
    """The largest magnitude the first iteration can reach, by interval arithmetic on
    absolute values (independent of the engine): every value at ±limit, linear neurons
    (every other activation only shrinks), all signs lined up. Returns the loss after the
    update, the last and largest number; inf if anything overflows on the way."""
    L = len(sizes) - 1

    def forward(w_bound, b_bound):
        a = [limit]
        for l in range(L):
            a.append(sizes[l] * a[-1] * w_bound[l] + b_bound[l])
        return a

    a = forward([limit] * L, [limit] * L)
    delta = [0.0] * (L + 1)
    delta[L] = a[L] + limit  # prediction − target
    for col in range(L - 1, 0, -1):
        delta[col] = sizes[col + 1] * delta[col + 1] * limit
    grads_w = [a[l] * delta[l + 1] for l in range(L)]
    grads_b = [delta[l + 1] for l in range(L)]
    new_a = forward([limit + lr * g for g in grads_w], [limit + lr * g for g in grads_b])
    return (new_a[L] + limit) ** 2 if new_a[L] < 1e154 else math.inf


def test_the_bounds_keep_every_number_of_the_first_iteration_finite():
    assert worst_case(VALUE_LIMIT, LR_LIMIT) < FLOAT_MAX / 1e20  # with room to spare
    assert worst_case(10 * VALUE_LIMIT, LR_LIMIT) == math.inf  # the bound is not loose


@pytest.mark.parametrize("activation", ["linear", "relu", "leaky_relu", "sigmoid", "tanh"])
def test_the_most_extreme_custom_lesson_builds_and_renders(activation):
    weights, biases = filled(WIDEST, VALUE_LIMIT)
    lesson = make_custom(
        sizes=WIDEST,
        activations=[activation] * 3 + ["linear"],
        x=[VALUE_LIMIT] * 4,
        target=[-VALUE_LIMIT] * 3,
        lr=LR_LIMIT,
        weights=weights,
        biases=biases,
    )
    assert math.isfinite(lesson.loss_after)
    if activation == "linear":  # the interval bound is reached exactly here
        assert lesson.loss_after == pytest.approx(worst_case(VALUE_LIMIT, LR_LIMIT), rel=1e-9)
    walk(lesson)


# ---- what is given beyond the bounds is refused, naming it ----------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(x=(1e308, 1e308)), r"^the inputs must lie between −1000 and 1000; got 1×10³⁰⁸$"),
        (dict(x=(0.1, 10**400)), r"^the inputs must lie between −1000 and 1000; got 1×10⁴⁰⁰$"),
        (dict(target=(1e308,)), r"^the target must lie between −1000 and 1000; got 1×10³⁰⁸$"),
        (dict(target=(-1000.001,)), "the target must lie between"),
        (dict(lr=1e300), r"^the learning rate must be a finite number above 0 and at most 10;"),
        (dict(lr=10.5), "at most 10"),
        (dict(lr=5e-324 * 0), "above 0"),
        (dict(lr=math.inf), "learning rate must be a finite number"),
        (dict(weights=filled((2, 3, 1), 1e200)[0]), "layer 1's weights must lie between"),
        (dict(biases=filled((2, 3, 1), -1e200)[1]), "layer 1's biases must lie between"),
        (dict(x=(0.1, math.nan)), "finite"),
        (dict(seed=-1), "the seed must be a whole number from 0"),
        (dict(seed=2.5), "the seed must be a whole number"),
        (dict(sizes=(2, 10**400, 1)), "hidden layer 1 needs 1 to 6 neurons"),
        (dict(sizes=[2] * 10**5), "at most 3 hidden layers"),
    ],
)
def test_make_custom_refuses_absurd_numbers_in_words(kwargs, message):
    with pytest.raises(LessonError, match=message):
        make_custom(**kwargs)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(x=(1e308, 0.3), target=0.2), "the inputs must lie between"),
        (dict(x=(0.1, 0.3), target=-1e308), "the targets must lie between"),
        (dict(batch=([[1e308, 1e308]] * MAX_BATCH, [[1e308]] * MAX_BATCH)), "inputs must lie"),
        (dict(x=(0.1, 0.3), target=0.2, lr=1e300), "the learning rate must be"),
        (dict(x=(0.1, 0.3), target=0.2, iteration=0), "iteration number must be a whole number"),
        (dict(x=(0.1, 0.3), target=0.2, iteration=10**12), "from 1 to 1,000,000,000"),
        (dict(batch=([[0.1, 0.3], [0.2]], [[0.2], [0.3]])), "rows of equal length"),
    ],
)
def test_lesson_refuses_absurd_numbers_in_words(kwargs, message):
    with pytest.raises(LessonError, match=message):
        Lesson(article_network(), **kwargs)


# ---- what is computed and overflows stops the lesson in words --------------------------------


def one_weight_network(weights, activation="linear") -> Network:
    net = Network([len(weights), 1], activations=[activation])
    net.load_parameters([np.array(weights, dtype=float).reshape(-1, 1)], [np.zeros((1, 1))])
    return net


@pytest.mark.parametrize(
    "network, kwargs, what",
    [
        # weights of 1e306 on inputs of 1000: the products, so the sum, are beyond a float64
        (
            one_weight_network([1e306, 1e306]),
            dict(x=(1000, 1000), target=0),
            "the weighted sum of ŷ",
        ),
        # every product finite (1e308), their sum not
        (
            one_weight_network([1e305, 1e305]),
            dict(x=(1000, 1000), target=0),
            "the weighted sum of ŷ",
        ),
        # a batch whose squared errors (2.5e307 each) sum beyond a float64
        (
            one_weight_network([5e150]),
            dict(batch=([[1000.0]] * 8, [[0.0]] * 8)),
            "the loss (mean squared error)",
        ),
        # a bias cancelling a huge weight: the prediction is 0, but its error (−1000) carried
        # back through that weight (10³⁰⁶) is not a float64
        (
            Network.from_parameters(
                [np.array([[1.0]]), np.array([[1e306]])],
                [np.zeros((1, 1)), np.array([[-1e306]])],
                activations=["linear", "linear"],
            ),
            dict(x=(1.0,), target=(1000.0,)),
            "the error signal carried back to h₁",
        ),
    ],
)
def test_numbers_too_large_to_compute_are_named(network, kwargs, what):
    with pytest.raises(LessonError) as info:
        Lesson(network, lr=0.1, **kwargs)
    message = str(info.value)
    assert message.startswith(f"iteration 1: {what} is too large to compute (over 1.8×10³⁰⁸): ")
    assert "start from smaller ones" in message and "\n" not in message


def diverging_lesson() -> Lesson:
    """A linear perceptron at a learning rate far too large: each iteration multiplies the
    error by about lr × Σx² = 10 × 2×10⁶."""
    return make_custom(sizes=(2, 1), activations=["linear"], x=(1000, 1000), target=(0,), lr=10)


def test_iterating_until_overflow_stops_in_words_and_keeps_the_lesson():
    lesson = diverging_lesson()
    for _ in range(200):
        before = (render(lesson, "csv"), lesson.network_after().weights[0].copy())
        try:
            lesson = lesson.next_iteration()
        except LessonError as err:
            message = str(err)
            break
        walk(lesson)
    else:
        pytest.fail("a learning rate of 10 on inputs of 1000 never overflowed")
    assert lesson.iteration > 1
    assert message.startswith(f"iteration {lesson.iteration + 1}: ")
    assert "is too large to compute (over 1.8×10³⁰⁸)" in message
    assert message.endswith("lower the learning rate")
    # the refused iteration left nothing behind: the last lesson is whole and unchanged
    assert render(lesson, "csv") == before[0]
    assert np.array_equal(lesson.network_after().weights[0], before[1])
    walk(lesson)
    with pytest.raises(LessonError, match="too large to compute"):
        lesson.next_iteration()  # and refusing is repeatable


def test_weights_too_large_in_a_later_iteration_are_blamed_on_the_learning_rate():
    # A network restarted as iteration 5 (as the Step tab does after an edit) whose weights
    # are beyond computing: they can only have grown there, so the advice is the rate.
    with pytest.raises(LessonError) as info:
        Lesson(one_weight_network([1e306, 1e306]), x=(1000, 1000), target=0, iteration=5)
    assert str(info.value) == (
        "iteration 5: the weighted sum of ŷ is too large to compute (over 1.8×10³⁰⁸): "
        "the weights grew without bound over the iterations; lower the learning rate"
    )


def test_a_network_that_holds_infinity_or_nan_is_refused():
    net = article_network()
    net.weights[1][0, 0] = math.inf  # behind the network's own checks
    with pytest.raises(LessonError, match="layer 2's weights and biases must be finite"):
        Lesson(net, x=(0.1, 0.3), target=0.2)


# ---- wrong types are TypeErrors at the door, naming the argument ------------------------------


def article() -> Lesson:
    return make_lesson("article")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: make_custom(sizes=None), "^sizes must be a list of whole numbers"),
        (lambda: make_custom(sizes="231"), "^sizes must be a list of whole numbers"),
        (lambda: make_custom(sizes=[2, None, 1]), "^each of sizes must be a whole number"),
        (lambda: make_custom(activations=None), "^activations must be a name or a list"),
        (lambda: make_custom(activations=["relu", 5]), "^each activation must be a name"),
        (lambda: make_custom(x=None), "^the inputs must be numbers; got None$"),
        (lambda: make_custom(x=[0.1, "0.3"]), "^the inputs must be numbers; got '0.3'$"),
        (lambda: make_custom(target=None), "^the target must be numbers; got None$"),
        (lambda: make_custom(lr=None), "^the learning rate must be a number; got None$"),
        (lambda: make_custom(lr=True), "^the learning rate must be a number; got True$"),
        (lambda: make_custom(seed=None), "^the seed must be a whole number; got None$"),
        (lambda: make_custom(weights=5), "^weights must be a list of weight matrices"),
        (lambda: make_custom(weights=[None, None]), "^layer 1's weights must be numbers"),
        (lambda: make_custom(biases="0"), "^biases must be a list of bias lists"),
        (lambda: make_custom(biases=[[0, 0, None], [0]]), "^layer 1's biases must be numbers"),
        (lambda: make_lesson(None), "^lesson must be one of perceptron, article"),
        (lambda: make_lesson(["article"]), "^lesson must be one of perceptron, article"),
        (lambda: make_lesson("article", foo=1), "^the 'article' lesson takes x, target, lr; "),
        (lambda: make_lesson("perceptron", x=None), "^a lesson needs inputs x and a target"),
        (lambda: make_lesson("sigmoid", target=None), "^a lesson needs inputs x and a target"),
        (lambda: make_lesson("article", target=[None]), "^the targets must be numbers; got None"),
        (lambda: Lesson(None), "^a lesson needs an nncore Network; got NoneType$"),
        (lambda: Lesson(article_network()), "^a lesson needs inputs x and a target"),
        (lambda: Lesson(article_network(), batch=5), "^batch must be a pair"),
        (lambda: Lesson(article_network(), (0.1, 0.3), 0.2, "0.1"), "learning rate must be a"),
        (lambda: Lesson(article_network(), (0.1, 0.3), 0.2, title=5), "^the title must be text"),
        (
            lambda: Lesson(article_network(), (0.1, 0.3), 0.2, iteration=None),
            "^the iteration number must be a whole number; got None$",
        ),
        (lambda: article().state_at(None), "^the step position must be a whole number"),
        (lambda: article().state_at("3"), "^the step position must be a whole number"),
        (lambda: article().next_index(None), "^the step position must be a whole number"),
        (lambda: article().prev_index(3, None), "^granularity must be one of operation"),
        (lambda: article().boundaries(3), "^granularity must be one of operation"),
        (lambda: article().phase_start(None), "^phase must be one of forward, loss"),
        (lambda: render(None), "^a hand-out needs a Lesson; got NoneType$"),
        (lambda: render(article(), None), "^the format must be one of markdown, latex, csv"),
        (lambda: render_markdown("lesson"), "^a hand-out needs a Lesson; got str$"),
        (lambda: render_latex(None), "^a hand-out needs a Lesson"),
        (lambda: render_csv(42), "^a hand-out needs a Lesson"),
        (lambda: tex_escape(None), "^tex_escape needs text; got NoneType$"),
    ],
)
def test_wrong_types_are_type_errors_naming_the_argument(call, message):
    with pytest.raises(TypeError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: article().state_at(2.5), "the step position must be a whole number; got 2.5"),
        (lambda: article().boundaries("epoch"), "unknown granularity 'epoch'; choose one of"),
        (lambda: article().phase_start("train"), "unknown phase 'train'; choose one of"),
        (lambda: render(article(), "pdf"), "unknown format 'pdf'; choose one of"),
        (lambda: make_lesson("x" * 10_000), r"unknown lesson 'x+…' \(10,000 characters\)"),
        (lambda: make_custom(activations=["relu", "e" * 500]), r"\(500 characters\)"),
    ],
)
def test_wrong_values_are_lesson_errors(call, message):
    with pytest.raises(LessonError, match=message) as info:
        call()
    assert len(str(info.value)) < 200


def test_the_step_position_out_of_range_is_still_an_index_error():
    lesson = article()
    with pytest.raises(IndexError):
        lesson.state_at(len(lesson) + 1)
    assert lesson.state_at(np.int64(3)).step_index == 3 and lesson.state_at(3.0).step_index == 3


def test_the_caller_arrays_are_copied():
    X = np.array([[0.1, 0.3]])
    lesson = Lesson(article_network(), batch=(X, np.array([[0.2]])))
    X[0, 0] = 999.0
    assert lesson.X[0, 0] == 0.1


# ---- property: whatever make_custom accepts runs, renders and walks --------------------------

EXTREMES = [0.0, -0.0, 5e-324, -5e-324, 1e-300, VALUE_LIMIT, -VALUE_LIMIT]  # allowed
BEYOND = [VALUE_LIMIT * (1 + 1e-15), 1e6, 1e200, -1e308, FLOAT_MAX, math.inf, -math.inf, math.nan]
within = st.one_of(
    st.floats(-2, 2), st.floats(-VALUE_LIMIT, VALUE_LIMIT), st.sampled_from(EXTREMES)
)
anything = st.one_of(within, st.sampled_from(BEYOND), st.floats())
rates = st.one_of(
    st.floats(1e-3, 2), st.sampled_from([LR_LIMIT, 5e-324]), st.floats(min_value=-1e300)
)


@st.composite
def custom_lessons(draw):
    """make_custom's arguments: sizes within CUSTOM_LIMITS; in about half the examples
    every number within the bounds (so that many lessons are built), in the others any
    float at all (so that refusals are tried too)."""
    numbers = draw(st.sampled_from([within, anything]))
    n_in = draw(st.integers(*CUSTOM_LIMITS["inputs"]))
    hidden = draw(st.lists(st.integers(*CUSTOM_LIMITS["hidden"]), max_size=3))
    n_out = draw(st.integers(*CUSTOM_LIMITS["outputs"]))
    sizes = [n_in, *hidden, n_out]
    names = ["relu", "leaky_relu", "sigmoid", "tanh", "linear"]
    n_layers = len(sizes) - 1
    kwargs = dict(
        sizes=sizes,
        activations=draw(st.lists(st.sampled_from(names), min_size=n_layers, max_size=n_layers)),
        x=draw(st.lists(numbers, min_size=n_in, max_size=n_in)),
        target=draw(st.lists(numbers, min_size=n_out, max_size=n_out)),
        lr=draw(rates),
        seed=draw(st.integers(0, 2**32 - 1)),
    )
    if draw(st.booleans()):
        kwargs["weights"] = [
            [draw(st.lists(numbers, min_size=o, max_size=o)) for _ in range(i)]
            for i, o in zip(sizes[:-1], sizes[1:])
        ]
    if draw(st.booleans()):
        kwargs["biases"] = [draw(st.lists(numbers, min_size=o, max_size=o)) for o in sizes[1:]]
    return kwargs


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(custom_lessons())
def test_custom_lessons_are_refused_or_run_three_iterations_and_render(kwargs):
    try:
        lesson = make_custom(**kwargs)
    except (LessonError, TypeError):
        return
    walk(lesson)  # the first iteration of an accepted lesson never overflows
    for _ in range(3):
        try:
            lesson = lesson.next_iteration()
        except LessonError as err:
            assert "too large to compute" in str(err) and "\n" not in str(err)
            return
        walk(lesson)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: make_custom(x=[0.1] * 10**6), r"the inputs needs 2 value\(s\); got 1,000,000"),
        (
            lambda: make_custom(weights=[[[0.1] * 3] * 10**5, [[1]] * 3]),
            r"layer 1's weights hold 100,000 values; at most 6 fit here",
        ),
        (
            lambda: Lesson(article_network(), x=[[0.1, 0.2]] * 10**5, target=[0.1] * 10**5),
            "the inputs hold 100,000 values; at most 10,000 fit here",
        ),
    ],
)
def test_lists_far_too_long_are_refused_by_their_length(call, message):
    with pytest.raises(LessonError, match=message):
        call()


def test_a_title_with_line_breaks_and_control_characters_stays_one_line():
    title = "Week 3\n# not a heading\x1b[31m" + "x" * 1000
    lesson = Lesson(article_network(), (0.1, 0.3), 0.2, title=title)
    markdown = render(lesson, "markdown")
    heading = markdown.splitlines()[0]
    assert heading.startswith("# Week 3 # not a heading\\x1b[31mxxx") and len(heading) < 420
    assert "\x1b" not in render(lesson, "latex") and "\x1b" not in markdown
    with pytest.raises(TypeError, match="needs one of the lesson's steps; got int"):
        parameter_name(lesson, 3)
