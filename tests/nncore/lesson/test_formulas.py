"""Formulas with their numbers written in: plain text and LaTeX say the same thing."""

from __future__ import annotations

from nncore.lesson import NodeNames, formulas

NAMES = NodeNames((2, 3, 1))


def test_article_product_in_both_notations():
    plain, tex = formulas.product(NAMES, 0, 0, 0, 0.1, 0.6, 0.06)
    assert plain == "x₁ × w(x₁→h₁) = 0.1 × 0.6 = 0.06"
    assert tex == "x_{1} \\cdot w_{x_{1}\\to h_{1}} = 0.1 \\cdot 0.6 = 0.06"


def test_negative_numbers_are_parenthesised_where_they_are_operands():
    plain, tex = formulas.weighted_sum(NAMES, 1, 2, [-0.05, -0.21], -0.2, -0.46)
    assert plain == "z(h₃) = (−0.05) + (−0.21) + (−0.2) = −0.46"
    assert tex == "z_{h_{3}} = (-0.05) + (-0.21) + (-0.2) = -0.46"


def test_activation_rules_show_the_rule_applied():
    assert formulas.activation("relu", NAMES, 1, 2, -0.46, 0.0)[0] == (
        "h₃ = ReLU(z(h₃)) = max(0, −0.46) = 0"
    )
    assert formulas.activation("leaky_relu", NAMES, 1, 0, -2.0, -0.02)[0] == (
        "h₁ = leakyReLU(z(h₁)) = 0.01 × (−2) = −0.02"
    )
    assert formulas.activation("linear", NAMES, 2, 0, -0.1, -0.1) == (
        "ŷ = z(ŷ) = −0.1",
        "\\hat{y} = z_{\\hat{y}} = -0.1",
    )


def test_update_shows_enough_digits_for_a_small_change():
    plain, _ = formulas.update("w(h₁→ŷ)", "w", 0.5, 0.001, 0.3, 0.5 - 0.001 * 0.3)
    assert plain == "w(h₁→ŷ) ← 0.5 − 0.001 × 0.3 = 0.4997"
    plain, _ = formulas.update("b(ŷ)", "b", 1.0, 0.001, 0.00002, 1.0 - 0.001 * 0.00002)
    assert plain.endswith("= 0.99999998")


def test_batch_steps_say_which_example():
    assert formulas.example_prefix(1) == ("[example 2] ", "\\text{[example 2]}\\ ")
