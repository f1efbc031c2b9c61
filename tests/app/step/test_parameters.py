"""Tests of reading, naming and changing a lesson's weights and biases by key (no Qt)."""

from __future__ import annotations

import numpy as np

from app.step.parameters import (
    is_parameter,
    parameter_name,
    parameter_value,
    restarted,
    with_parameter,
)
from nncore.lesson import make_lesson


def test_only_weights_and_biases_are_parameters():
    assert is_parameter(("edge", 0, 1, 2)) and is_parameter(("bias", 1, 0))
    assert not is_parameter(("node", 1, 0)) and not is_parameter(None)


def test_a_parameter_is_read_and_named_as_the_lesson_does():
    lesson = make_lesson("article")
    net = lesson.network
    assert parameter_value(net, ("edge", 0, 1, 2)) == float(net.weights[0][1, 2])
    assert parameter_value(net, ("bias", 1, 0)) == float(net.biases[1][0, 0])
    assert parameter_name(lesson, ("edge", 0, 1, 2)) == lesson.names.weight(0, 1, 2)
    assert parameter_name(lesson, ("bias", 1, 0)) == lesson.names.bias(1, 0)


def test_changing_one_parameter_copies_the_network_and_keeps_the_rest():
    lesson = make_lesson("article")
    net = lesson.network
    changed = with_parameter(net, ("edge", 1, 2, 0), 0.75)
    assert float(changed.weights[1][2, 0]) == 0.75
    assert float(net.weights[1][2, 0]) != 0.75  # the lesson's own network is untouched
    expected = [w.copy() for w in net.weights]
    expected[1][2, 0] = 0.75
    for got, want in zip(changed.weights, expected):
        np.testing.assert_array_equal(got, want)
    biased = with_parameter(net, ("bias", 0, 1), -0.5)
    assert float(biased.biases[0][0, 1]) == -0.5


def test_a_restarted_lesson_keeps_example_rate_and_title():
    lesson = make_lesson("article")
    again = restarted(lesson, with_parameter(lesson.network, ("bias", 0, 0), 0.3), iteration=4)
    assert again.iteration == 4
    assert again.lr == lesson.lr and again.title == lesson.title
    np.testing.assert_array_equal(again.X, lesson.X)
    np.testing.assert_array_equal(again.Y, lesson.Y)
    assert float(again.network.biases[0][0, 0]) == 0.3
