"""Replaying and walking the steps: `state_at` is a pure function of k, boundaries nest.

The independent computations: replaying every step from the start with no checkpoints, and
reading the state straight off the step records.
"""

from __future__ import annotations

import random

import pytest

from nncore.lesson import (
    CLASSIFIER_STEP_KINDS,
    GRANULARITIES,
    PHASES,
    PRESETS,
    Lesson,
    make_lesson,
)
from nncore.network import Network

SOFTMAX_KINDS = ("exponential", "exp_sum", "probability")


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
    # (a softmax's steps are one unit of their own: the whole output layer's)
    forward_neurons = [
        s for s in lesson.steps if s.phase == "forward" and s.kind not in CLASSIFIER_STEP_KINDS
    ]
    softmax_units = {s.group["neuron"] for s in lesson.steps if s.kind in SOFTMAX_KINDS}
    assert len(softmax_units) == (lesson.batch_size if lesson.task == "softmax" else 0)
    groups = {}
    for s in forward_neurons:
        groups.setdefault(s.group["neuron"], set()).add((s.layer, s.neuron, s.sample))
    assert all(len(v) == 1 for v in groups.values())
    with pytest.raises(ValueError):
        lesson.boundaries("epoch")
