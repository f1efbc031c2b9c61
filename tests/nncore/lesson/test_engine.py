"""The lesson engine: its step-by-step scalars must be the network's vectorised numbers.

Independent oracles: `Network.forward`/`backward` (vectorised NumPy), the hand-worked
numbers of the article and of the classic two-layer sigmoid example, and finite differences.
"""

from __future__ import annotations

import math
import random
import re

import numpy as np
import pytest

from nncore.activations import ACTIVATIONS
from nncore.lesson import (
    GRANULARITIES,
    KINDS,
    PHASES,
    PRESETS,
    Lesson,
    LessonStep,
    Preset,
    fmt,
    make_custom,
    make_lesson,
)
from nncore.losses import half_mse, mse
from nncore.network import Network

RTOL = 1e-12


def close(a: float, b: float, scale: float = 1.0) -> bool:
    """Equal up to ~1e-12 relative (with an absolute floor tied to the numbers' scale)."""
    return abs(a - b) <= RTOL * max(abs(a), abs(b), 1e-3 * scale) + 1e-300


def assert_matches_network(lesson: Lesson) -> None:
    """Everything the steps built equals Network.forward/backward and W − lr·dW."""
    net, X, Y, lr = lesson.network, lesson.X, lesson.Y, lesson.lr
    rec = net.forward(X)
    grads = net.backward(rec, Y)
    m, L = X.shape[0], net.n_layers
    scale = max(1.0, max(float(np.max(np.abs(w))) for w in net.weights))
    final = lesson.state_at(len(lesson))
    for s in range(m):
        for l in range(L):
            for j in range(net.sizes[l + 1]):
                node = (l + 1, j)
                assert close(final.z_by_sample[s][node], rec.z[l][s, j], scale), ("z", s, node)
                assert close(final.a_by_sample[s][node], rec.a[l + 1][s, j], scale), ("a", s, node)
                err = final.errors_by_sample[s][node] / m
                assert close(err, grads.errors[l][s, j], scale), ("error", s, node)
    for l in range(L):
        fan_in, fan_out = net.weights[l].shape
        for i in range(fan_in):
            for j in range(fan_out):
                assert close(final.grads[(l, i, j)], grads.weights[l][i, j], scale), ("dW", l, i, j)
                expected = net.weights[l][i, j] - lr * grads.weights[l][i, j]
                assert close(final.weights[l][i, j], expected, scale), ("W", l, i, j)
        for j in range(fan_out):
            assert close(final.grads[("bias", l, j)], grads.biases[l][0, j], scale), ("db", l, j)
            expected = net.biases[l][0, j] - lr * grads.biases[l][0, j]
            assert close(final.biases[l][0, j], expected, scale), ("b", l, j)
    assert close(final.loss, mse(rec.a[-1], Y))
    after = net.copy()
    for l in range(L):
        after.weights[l] = after.weights[l] - lr * grads.weights[l]
        after.biases[l] = after.biases[l] - lr * grads.biases[l]
    assert close(final.new_loss, after.loss(X, Y))
    assert close(lesson.loss_after, final.new_loss) and close(lesson.loss_before, final.loss)
    new_pred = after.predict(X)
    for s in range(m):
        for j in range(net.n_outputs):
            assert close(final.new_predictions_by_sample[s][(L, j)], new_pred[s, j], scale)
    # network_after carries exactly the values the update steps computed
    moved = lesson.network_after()
    for l in range(L):
        np.testing.assert_array_equal(moved.weights[l], final.weights[l])
        np.testing.assert_array_equal(moved.biases[l], final.biases[l])


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_match_the_vectorised_network(name):
    assert_matches_network(make_lesson(name))


def random_lesson(rng: np.random.Generator, activation: str, n_out: int, m: int) -> Lesson:
    n_in = int(rng.integers(1, 5))
    hidden = [int(rng.integers(1, 5)) for _ in range(int(rng.integers(0, 3)))]
    sizes = [n_in, *hidden, n_out]
    acts = [activation] * (len(sizes) - 1)
    net = Network(sizes, activations=acts, init="article", seed=int(rng.integers(0, 10_000)))
    for l in range(net.n_layers):
        net.set_biases(l, rng.uniform(-0.5, 0.5, size=sizes[l + 1]))
    X = rng.uniform(-1, 1, size=(m, n_in))
    Y = rng.uniform(-1, 1, size=(m, n_out))
    return Lesson(net, batch=(X, Y), lr=float(rng.uniform(0.01, 0.5)))


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("n_out", [1, 2, 3])
@pytest.mark.parametrize("m", [1, 3])
def test_random_networks_match_the_vectorised_network(activation, n_out, m):
    rng = np.random.default_rng(hash((activation, n_out, m)) % 2**32)
    for _ in range(3):
        assert_matches_network(random_lesson(rng, activation, n_out, m))


def test_mixed_activations_and_linear_hidden_layer():
    net = Network([3, 4, 2, 2], activations=["tanh", "linear", "sigmoid"], seed=5)
    lesson = Lesson(
        net, batch=([[0.2, -0.4, 0.9], [1.0, 0.5, -0.3]], [[0.1, 0.7], [0.0, 1.0]]), lr=0.3
    )
    assert_matches_network(lesson)


def test_relu_at_exactly_zero_blocks_like_the_network():
    # z = 0.5·0.2 + (−0.25)·0.4 + 0 = 0 exactly: the network's mask (z > 0) blocks it.
    lesson = make_custom(
        [2, 1, 1],
        ["relu", "linear"],
        x=[0.5, -0.25],
        target=[1.0],
        lr=0.1,
        weights=[[[0.2], [0.4]], [[0.7]]],
        biases=[[0.0], [0.0]],
    )
    relu_step = [s for s in lesson.steps if s.kind == "activation_grad"][0]
    assert relu_step.operands["z"] == 0.0 and relu_step.value == 0.0
    assert_matches_network(lesson)


def test_gradients_agree_with_finite_differences():
    lesson = make_lesson("sigmoid")
    net, X, Y = lesson.network, lesson.X, lesson.Y
    final = lesson.state_at(len(lesson))
    h = 1e-6
    for l, i, j in [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]:
        plus, minus = net.copy(), net.copy()
        plus.weights[l][i, j] += h
        minus.weights[l][i, j] -= h
        # half_mse is (1/m) Σ ½‖pred − y‖², the loss whose gradient the network follows
        numeric = (half_mse(plus.predict(X), Y) - half_mse(minus.predict(X), Y)) / (2 * h)
        assert math.isclose(final.grads[(l, i, j)], numeric, rel_tol=1e-6, abs_tol=1e-10)
    for j in range(2):
        plus, minus = net.copy(), net.copy()
        plus.biases[0][0, j] += h
        minus.biases[0][0, j] -= h
        numeric = (half_mse(plus.predict(X), Y) - half_mse(minus.predict(X), Y)) / (2 * h)
        assert math.isclose(final.grads[("bias", 0, j)], numeric, rel_tol=1e-6, abs_tol=1e-10)


# ---- hand-worked numbers --------------------------------------------------------------------
def test_perceptron_shows_the_articles_sum():
    lesson = make_lesson("perceptron")
    sums = [s for s in lesson.steps if s.kind == "sum"]
    assert len(sums) == 1
    assert math.isclose(sums[0].value, -0.08, abs_tol=1e-15)
    assert "−0.08" in sums[0].formula and "-0.08" in sums[0].latex
    products = [s.value for s in lesson.steps if s.kind == "product"]
    assert math.isclose(sum(products), -0.09, abs_tol=1e-15)
    assert "0.3 × 0.3" in lesson.steps[0].formula


def test_article_preset_shows_the_articles_numbers():
    lesson = make_lesson("article")
    by_kind = {}
    for step in lesson.steps:
        by_kind.setdefault(step.kind, []).append(step)
    assert lesson.X.tolist() == [[0.1, 0.3]] and lesson.Y.tolist() == [[0.2]]
    assert lesson.x == (0.1, 0.3) and lesson.target == (0.2,)
    prediction = by_kind["prediction"][0]
    assert math.isclose(prediction.value, -0.1, abs_tol=1e-15) and "−0.1" in prediction.formula
    desired = by_kind["error"][0]
    assert math.isclose(desired.value, 0.3, abs_tol=1e-15)
    assert "0.3" in desired.formula and "rise by 0.3" in desired.narration
    third_sum = [s for s in by_kind["sum"] if s.layer == 0 and s.neuron == 2][0]
    assert math.isclose(third_sum.value, -0.46, abs_tol=1e-15) and "−0.46" in third_sum.formula
    third_relu = [s for s in by_kind["activation"] if s.layer == 0 and s.neuron == 2][0]
    assert third_relu.value == 0.0 and third_relu.formula.endswith("= 0")
    outgoing = [s for s in by_kind["weight_grad"] if s.edges == ((1, 2, 0),)][0]
    assert outgoing.value == 0.0
    update = [s for s in by_kind["weight_update"] if s.edges == ((1, 2, 0),)][0]
    assert update.value == 0.9 and "stays" in update.narration
    out_bias = [s for s in by_kind["bias_grad"] if s.layer == 1][0]
    assert math.isclose(out_bias.value, -0.3, abs_tol=1e-15)
    assert "+0.3" in out_bias.narration and "−0.3" in out_bias.narration
    # the weights into the output: change = desired change × the value flowing in
    grads = {s.edges[0]: s.value for s in by_kind["weight_grad"] if s.layer == 1}
    assert math.isclose(grads[(1, 0, 0)], -0.12) and math.isclose(grads[(1, 1, 0)], -0.06)
    # ReLU blocks the third hidden neuron's carried-back error
    blocked = [s for s in by_kind["activation_grad"] if s.neuron == 2][0]
    assert math.isclose(blocked.operands["upstream"], -0.27) and blocked.value == 0.0
    assert "blocks" in blocked.narration
    assert math.isclose(lesson.loss_before, 0.09)
    assert lesson.loss_after < lesson.loss_before


def test_sign_convention_is_explained_once():
    lesson = make_lesson("sigmoid")
    explained = [s for s in lesson.steps if "opposite sign" in s.narration]
    assert len(explained) == 1 and explained[0].kind == "output_error"
    assert "target − prediction" in explained[0].narration
    assert "prediction − target" in explained[0].narration
    halves = [s for s in lesson.steps if "½" in s.narration]
    assert len(halves) == 1 and halves[0].kind == "loss"


def test_sigmoid_preset_matches_the_classic_worked_example():
    # The widely published hand calculation for this network: E_total = Σ ½ error² =
    # 0.298371109, out_h1 = 0.593269992, w5 → 0.35891648, w1 → 0.149780716 after one step
    # at learning rate 0.5. With two outputs the plain MSE, (e₁² + e₂²) / 2, is that same sum.
    lesson = make_lesson("sigmoid")
    final = lesson.state_at(len(lesson))
    assert math.isclose(lesson.loss_before, 0.298371109, rel_tol=1e-8)
    assert math.isclose(final.weights[1][0, 0], 0.35891648, abs_tol=1e-8)
    assert math.isclose(final.weights[0][0, 0], 0.149780716, abs_tol=1e-9)
    assert math.isclose(final.a[(1, 0)], 0.593269992, abs_tol=1e-9)


# ---- the step records -----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(PRESETS))
def test_steps_are_well_formed(name):
    lesson = make_lesson(name)
    phases_seen = []
    for k, step in enumerate(lesson.steps):
        assert isinstance(step, LessonStep) and step.index == k
        assert step.phase in PHASES and step.kind in KINDS[step.phase]
        assert step.formula and step.latex and step.narration
        assert math.isfinite(step.value)
        assert "-" not in step.narration.replace("e.g.", ""), step.narration
        assert set(step.group) == {"neuron", "layer", "phase"}
        for col, i in step.nodes:
            assert 0 <= col <= lesson.network.n_layers and 0 <= i < lesson.sizes[col]
        for l, i, j in step.edges:
            assert 0 <= i < lesson.sizes[l] and 0 <= j < lesson.sizes[l + 1]
        if not phases_seen or phases_seen[-1] != step.phase:
            phases_seen.append(step.phase)
    assert phases_seen == list(PHASES)


def test_display_precision():
    assert fmt(-0.08000000000000002) == "−0.08"
    assert fmt(0.30000000000000004) == "0.3"
    assert fmt(0.0) == "0" and fmt(-0.0) == "0"
    assert fmt(1.23456e-7) == "1.235×10⁻⁷"
    # values and operands keep full precision; only the text is rounded
    lesson = make_lesson("perceptron")
    step = [s for s in lesson.steps if s.kind == "sum"][0]
    assert step.operands == {
        "product_0": 0.3 * 0.3,
        "product_1": 0.7 * 0.1,
        "product_2": -0.5 * 0.5,
        "bias": 0.01,
    }
    assert step.value == ((0.3 * 0.3 + 0.7 * 0.1) + -0.5 * 0.5) + 0.01
    assert step.value != -0.08  # -0.07999999999999999 in floats
    assert step.formula.endswith("= −0.08")


# ---- navigation -------------------------------------------------------------------------
def state_signature(state):
    return (
        state.step_index,
        state.sample,
        state.loss,
        state.new_loss,
        [sorted(d.items()) for d in state.z_by_sample],
        [sorted(d.items()) for d in state.a_by_sample],
        [sorted(d.items()) for d in state.errors_by_sample],
        [sorted(d.items()) for d in state.act_grads_by_sample],
        [sorted(d.items()) for d in state.products_by_sample],
        [sorted(d.items()) for d in state.backprop_products_by_sample],
        sorted(state.grads.items(), key=repr),
        [w.tolist() for w in state.weights],
        [b.tolist() for b in state.biases],
    )


def fresh_state(lesson: Lesson, k: int):
    """Replay from step 0 with no checkpoints: the independent computation."""
    state = lesson._initial_state()
    for idx in range(k):
        lesson._apply(state, idx)
    return state


@pytest.mark.parametrize("name", ["article", "sigmoid"])
def test_state_at_is_path_independent(name):
    lesson = make_lesson(name)
    n = len(lesson)
    rnd = random.Random(7)
    k = 0
    for _ in range(300):
        g = rnd.choice(GRANULARITIES)
        move = rnd.choice(["next", "prev", "jump"])
        k = (
            lesson.next_index(k, g)
            if move == "next"
            else lesson.prev_index(k, g)
            if move == "prev"
            else rnd.randint(0, n)
        )
        state = lesson.state_at(k)
        state.weights[0][0, 0] = 123.0  # mutating a state must not leak back
        state.z[(1, 0)] = 42.0
        assert state_signature(lesson.state_at(k)) == state_signature(fresh_state(lesson, k))


def expected_state_from_steps(lesson: Lesson, k: int) -> dict:
    """What state_at(k) must hold, read straight off the step records (not via the engine)."""
    m = lesson.batch_size
    z = [dict() for _ in range(m)]
    a = [{(0, i): float(v) for i, v in enumerate(lesson.X[s])} for s in range(m)]
    errors = [dict() for _ in range(m)]
    grads, weights = {}, [w.copy() for w in lesson.network.weights]
    output_linear = lesson.network.activations[-1].name == "linear"
    for step in lesson.steps[:k]:
        if step.kind == "sum":
            z[step.sample][step.nodes[0]] = step.value
        elif step.kind == "activation":
            a[step.sample][step.nodes[0]] = step.value
        elif step.kind == "activation_grad" or (step.kind == "output_error" and output_linear):
            errors[step.sample][step.nodes[0]] = step.value
        elif step.kind == "weight_grad":
            grads[step.edges[0]] = step.value
        elif step.kind == "bias_grad":
            grads[("bias", step.layer, step.neuron)] = step.value
        elif step.kind == "weight_update":
            l, i, j = step.edges[0]
            weights[l][i, j] = step.value
    return {
        "z": z,
        "a": a,
        "errors": errors,
        "grads": grads,
        "weights": [w.tolist() for w in weights],
    }


@pytest.mark.parametrize("name", ["article", "sigmoid"])
def test_state_at_holds_exactly_what_the_steps_revealed(name):
    lesson = make_lesson(name)
    for k in range(len(lesson) + 1):
        state = lesson.state_at(k)
        expected = expected_state_from_steps(lesson, k)
        assert state.z_by_sample == expected["z"] and state.a_by_sample == expected["a"], k
        assert state.errors_by_sample == expected["errors"], k
        assert state.grads == expected["grads"], k
        assert [w.tolist() for w in state.weights] == expected["weights"], k
        assert (state.loss is None) == (
            k <= lesson.steps[[s.kind for s in lesson.steps].index("loss")].index
        )
        assert state.last_step == (lesson.steps[k - 1] if k else None)


def test_state_at_batch_and_bounds():
    net = Network([2, 3, 2], activations=["relu", "sigmoid"], seed=3)
    lesson = Lesson(
        net, batch=([[0.1, 0.2], [0.3, -0.4], [0.5, 0.9]], [[0, 1], [1, 0], [0.5, 0.5]]), lr=0.2
    )
    for k in range(0, len(lesson) + 1, 7):
        assert state_signature(lesson.state_at(k)) == state_signature(fresh_state(lesson, k))
    start = lesson.state_at(0)
    assert start.a_by_sample[2] == {(0, 0): 0.5, (0, 1): 0.9} and start.loss is None
    with pytest.raises(IndexError):
        lesson.state_at(len(lesson) + 1)
    with pytest.raises(IndexError):
        lesson.state_at(-1)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_granularity_boundaries_nest(name):
    lesson = make_lesson(name)
    n = len(lesson)
    marks = {g: lesson.boundaries(g) for g in GRANULARITIES}
    assert marks["operation"] == list(range(n + 1))
    assert marks["iteration"] == [0, n]
    for finer, coarser in zip(GRANULARITIES, GRANULARITIES[1:]):
        assert set(marks[coarser]) <= set(marks[finer]), (finer, coarser)
    phase_starts = [lesson.phase_start(p) for p in PHASES]
    assert marks["phase"] == phase_starts + [n]
    for g in GRANULARITIES:
        assert marks[g] == sorted(set(marks[g])) and marks[g][0] == 0 and marks[g][-1] == n
        for a, b in zip(marks[g], marks[g][1:]):
            assert lesson.next_index(a, g) == b and lesson.prev_index(b, g) == a
            for k in range(a + 1, b):
                assert lesson.next_index(k, g) == b and lesson.prev_index(k, g) == a
        assert lesson.next_index(n, g) == n and lesson.prev_index(0, g) == 0
    # every neuron group of the forward pass is one neuron's whole computation
    forward_neurons = [s for s in lesson.steps if s.phase == "forward"]
    groups = {}
    for s in forward_neurons:
        groups.setdefault(s.group["neuron"], set()).add((s.layer, s.neuron, s.sample))
    assert all(len(v) == 1 for v in groups.values())
    with pytest.raises(ValueError):
        lesson.boundaries("epoch")


# ---- iterating ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(PRESETS))
def test_next_iteration_continues_from_the_updated_network(name):
    lesson = make_lesson(name)
    second = lesson.next_iteration()
    assert second.iteration == lesson.iteration + 1
    assert math.isclose(second.loss_before, lesson.loss_after, rel_tol=1e-12, abs_tol=1e-300)
    np.testing.assert_array_equal(second.X, lesson.X)
    losses = [lesson.loss_before]
    current = lesson
    for _ in range(5):
        losses.append(current.loss_after)
        current = current.next_iteration()
    assert losses[-1] < losses[0]
    # the original lesson is untouched
    assert_matches_network(lesson)


# ---- presets and custom networks ----------------------------------------------------------------
def test_preset_registry():
    assert set(PRESETS) == {"perceptron", "article", "sigmoid", "custom"}
    for name, preset in PRESETS.items():
        assert isinstance(preset, Preset) and preset.name == name
        assert preset.title and preset.description and callable(preset.factory)
    with pytest.raises(ValueError, match="unknown lesson"):
        make_lesson("nope")
    lesson = make_lesson("article", lr=0.001)
    assert lesson.lr == 0.001


def test_make_custom_builds_what_was_asked():
    lesson = make_custom(
        [3, 4, 2, 2],
        ["tanh", "leaky_relu", "sigmoid"],
        x=[0.1, -0.2, 0.3],
        target=[0.0, 1.0],
        lr=0.05,
        seed=11,
    )
    assert lesson.sizes == (3, 4, 2, 2)
    assert lesson.network.activation_names == ["tanh", "leaky_relu", "sigmoid"]
    assert_matches_network(lesson)
    again = make_custom(
        [3, 4, 2, 2],
        ["tanh", "leaky_relu", "sigmoid"],
        x=[0.1, -0.2, 0.3],
        target=[0.0, 1.0],
        lr=0.05,
        seed=11,
    )
    np.testing.assert_array_equal(again.network.weights[0], lesson.network.weights[0])
    typed = make_custom(
        [2, 1], ["linear"], x=[1, 2], target=[3], lr=0.1, weights=[[[0.5], [0.25]]], biases=[[0.1]]
    )
    assert typed.steps[[s.kind for s in typed.steps].index("sum")].value == 1.1
    assert_matches_network(
        make_custom([4, 6, 6, 6, 3], "relu", x=[1, 2, 3, 4], target=[0, 1, 2], lr=0.01, seed=1)
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(sizes=[5, 1]), "1 to 4 inputs"),
        (dict(sizes=[0, 1]), "1 to 4 inputs"),
        (dict(sizes=[2, 4]), "1 to 3 outputs"),
        (dict(sizes=[2, 7, 1], activations="relu"), "hidden layer 1 needs 1 to 6"),
        (dict(sizes=[2, 2, 2, 2, 2, 1], activations="relu"), "at most 3 hidden layers"),
        (dict(sizes=[2, 3, 1], activations=["relu"]), "one activation per layer"),
        (dict(activations=["relu", "softplus"]), "unknown activation"),
        (dict(x=[0.1]), "inputs needs 2"),
        (dict(x=[0.1, float("nan")]), "finite"),
        (dict(target=[1, 2]), "target needs 1"),
        (dict(target=[float("inf")]), "finite"),
        (dict(lr=0), "learning rate"),
        (dict(lr=float("nan")), "learning rate"),
        (dict(lr="fast"), "learning rate"),
        (dict(weights=[[[1, 2, 3]]]), "need 2 weight matrices"),
        (dict(weights=[[[1, 2, 3]], [[1], [2], [3]]]), "layer 1's weights must be 2×3"),
        (dict(weights=[[[1, 2, 3], [1, 2, float("inf")]], [[1], [2], [3]]]), "finite"),
        (dict(biases=[[0, 0], [0]]), "layer 1's biases needs 3"),
        (dict(biases=[[0, 0, 0], [float("nan")]]), "finite"),
        (dict(sizes=["two", 1]), "whole numbers"),
    ],
)
def test_make_custom_rejects_bad_input_clearly(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_custom(**kwargs)


def test_lesson_rejects_bad_examples():
    net = Network([2, 1], activations=["linear"])
    with pytest.raises(ValueError, match="2 input"):
        Lesson(net, [1, 2, 3], [0], 0.1)
    with pytest.raises(ValueError, match="target"):
        Lesson(net, [1, 2], [0, 1], 0.1)
    with pytest.raises(ValueError, match="1 to 8 examples"):
        Lesson(net, batch=(np.zeros((9, 2)), np.zeros((9, 1))), lr=0.1)
    with pytest.raises(ValueError, match="learning rate"):
        Lesson(net, [1, 2], [0], -1)
    with pytest.raises(ValueError, match="small networks"):
        Lesson(Network([2, 64, 64, 64, 1]), batch=(np.zeros((8, 2)), np.zeros((8, 1))), lr=0.1)


def test_negative_operands_are_parenthesised():
    # "0.7 × (−0.5)", never "0.7 × −0.5" or "0.2 − −0.1"
    rng = np.random.default_rng(1)
    lessons = [make_lesson(name) for name in PRESETS]
    for activation in sorted(ACTIVATIONS):
        net = Network([3, 4, 2, 2], activations=activation, seed=2)
        lessons.append(
            Lesson(net, batch=(rng.uniform(-1, 1, (3, 3)), rng.uniform(-1, 1, (3, 2))), lr=0.3)
        )
    bare_negative = re.compile(r"(×|\+|− ) ?−\d")
    for lesson in lessons:
        for step in lesson.steps:
            for text in (step.formula, step.narration):
                assert not bare_negative.search(text), text


def test_float32_networks_are_taught_in_float64():
    net = Network([2, 3, 1], activations="tanh", seed=1, dtype="float32")
    lesson = Lesson(net, [0.1, 0.3], [0.2], 0.1)
    assert lesson.network.dtype == np.float64 and net.dtype == np.float32
    assert_matches_network(lesson)
    assert lesson.network_after().dtype == np.float64


def test_node_names_for_students():
    names = make_lesson("article").names
    assert [names.node(0, 0), names.node(1, 2), names.node(2, 0)] == ["x₁", "h₃", "ŷ"]
    assert names.weight(1, 2, 0) == "w(h₃→ŷ)" and names.bias(0, 1) == "b(h₂)"
    assert names.target(0) == "y" and names.node_tex(1, 2) == "h_{3}"
    deep = make_custom([2, 3, 2, 2], "relu", x=[0, 1], target=[0, 1]).names
    assert deep.node(1, 0) == "h¹₁" and deep.node(2, 1) == "h²₂" and deep.node(3, 1) == "ŷ₂"
    assert deep.target(1) == "y₂" and deep.node_tex(2, 1) == "h^{(2)}_{2}"
