"""Tests of the Step tab's Qt-free logic: what a step highlights and what the tab writes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.step.focus import BUBBLE_CAPTIONS, BUBBLE_MAX_CHARS, focus_for
from app.step.texts import (
    describe_item,
    editable_numbers,
    inspectable_items,
    step_title,
)
from nncore.formatting import fmt
from nncore.gradcheck import numerical_gradient
from nncore.lesson import make_lesson

QT_FREE_MODULES = ["app.step.focus", "app.step.texts", "app.step.parsing", "app.step.parameters"]


@pytest.mark.parametrize("module", QT_FREE_MODULES)
def test_the_tabs_logic_imports_no_qt(module):
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


def _first(lesson, kind):
    return next(s for s in lesson.steps if s.kind == kind)


def test_a_weighted_sum_lights_every_weight_into_its_neuron_and_its_bias(lesson):
    step = _first(lesson, "sum")
    focus = focus_for([step], lesson.sizes)
    n_in = lesson.sizes[step.layer]
    assert focus.edges == tuple((step.layer, i, step.neuron) for i in range(n_in))
    assert focus.biases == ((step.layer, step.neuron),)
    assert focus.caption == BUBBLE_CAPTIONS["sum"] == "z"
    assert focus.anchor == ("node", *step.nodes[-1])
    assert focus.value == step.value
    assert focus.text == (step.formula if len(step.formula) <= BUBBLE_MAX_CHARS else "")


def test_a_sum_of_errors_lights_the_weights_the_errors_came_back_along(lesson):
    step = _first(lesson, "backprop_sum")
    focus = focus_for([step], lesson.sizes)
    n_next = lesson.sizes[step.layer + 2]
    assert focus.edges == tuple((step.layer + 1, step.neuron, k) for k in range(n_next))


def test_a_group_of_steps_gathers_its_phase_and_anchors_on_the_last(lesson):
    start = lesson.phase_start("forward")
    steps = lesson.steps[start : start + 6]
    focus = focus_for(steps, lesson.sizes)
    last = steps[-1]
    wanted_nodes = []
    for step in steps:
        wanted_nodes += [n for n in step.nodes if n not in wanted_nodes]
    assert focus.nodes == tuple(wanted_nodes)
    assert focus.phase == last.phase and focus.kind == last.kind
    assert focus.text == ""  # several operations: the formula stays in the panel


def test_step_titles_name_the_weight_bias_or_neuron(lesson):
    product = _first(lesson, "product")
    assert step_title(product, lesson.names) == "input × weight · " + lesson.names.weight(
        *product.edges[0]
    )
    grad = _first(lesson, "bias_grad")
    assert step_title(grad, lesson.names) == "bias gradient · " + lesson.names.bias(
        grad.layer, grad.neuron
    )
    assert step_title(_first(lesson, "loss")) == "loss"
    activation = _first(lesson, "activation")
    assert step_title(activation) == (
        f"activation a, neuron {activation.neuron + 1} of layer {activation.layer + 1}"
    )


def test_every_parameter_is_listed_once_with_its_name(lesson):
    items = inspectable_items(lesson)
    sizes = lesson.network.sizes
    n_weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    assert len(items) == sum(sizes) + n_weights + sum(sizes[1:])
    assert len({key for key, _ in items}) == len(items)
    assert (("edge", 0, 1, 2), "weight " + lesson.names.weight(0, 1, 2)) in items
    assert (("node", 0, 0), "input " + lesson.names.node(0, 0)) in items


def test_the_inspector_text_gives_value_backprop_and_finite_difference(lesson):
    key = ("edge", 1, 0, 0)
    before = describe_item(lesson, 0, key)
    assert f"= {fmt(lesson.network.weights[1][0, 0], 6)}" in before
    assert "not computed yet" in before
    numeric = numerical_gradient(lesson.network, lesson.X, lesson.Y, key)
    assert f"finite differences: {fmt(numeric, 6)}" in before
    after = describe_item(lesson, len(lesson), key)
    grad = lesson.state_at(len(lesson)).grads[(1, 0, 0)]
    assert f"by backpropagation: {fmt(grad, 6)}" in after
    assert "was " in after  # the weight has been updated by the end of the iteration
    assert "no gradient" in describe_item(lesson, 0, ("node", 0, 1))


def test_numbers_go_back_into_fields_in_plain_notation():
    assert editable_numbers([0.1, -2.5e-7, 3.0]) == "0.1, -2.5e-07, 3"
