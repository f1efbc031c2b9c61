"""How the lesson names neurons, weights and biases."""

from __future__ import annotations

from nncore.lesson import NodeNames, make_custom, make_lesson


def test_node_names_for_students():
    names = make_lesson("article").names
    assert [names.node(0, 0), names.node(1, 2), names.node(2, 0)] == ["x₁", "h₃", "ŷ"]
    assert names.weight(1, 2, 0) == "w(h₃→ŷ)" and names.bias(0, 1) == "b(h₂)"
    assert names.target(0) == "y" and names.node_tex(1, 2) == "h_{3}"
    deep = make_custom([2, 3, 2, 2], "relu", x=[0, 1], target=[0, 1]).names
    assert deep.node(1, 0) == "h¹₁" and deep.node(2, 1) == "h²₂" and deep.node(3, 1) == "ŷ₂"
    assert deep.target(1) == "y₂" and deep.node_tex(2, 1) == "h^{(2)}_{2}"


def test_latex_names_match_the_plain_ones():
    names = NodeNames((2, 3, 1))
    assert names.L == 2
    assert names.weight_tex(0, 1, 2) == "w_{x_{2}\\to h_{3}}"
    assert names.bias_tex(1, 0) == "b_{\\hat{y}}" and names.node_tex(2, 0) == "\\hat{y}"
    two_outputs = NodeNames((1, 2))
    assert two_outputs.node(1, 1) == "ŷ₂" and two_outputs.node_tex(1, 1) == "\\hat{y}_{2}"
    assert two_outputs.target_tex(1) == "y_{2}" and two_outputs.weight(0, 0, 1) == "w(x₁→ŷ₂)"
