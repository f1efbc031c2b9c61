"""The sentences: the article's desired change beside the code's gradient, with signs right."""

from __future__ import annotations

from nncore.lesson import narration


def test_should_reads_the_sign_of_a_desired_change():
    assert narration.should(0.3) == "should rise by 0.3"
    assert narration.should(-0.1) == "should fall by 0.1"
    assert narration.should(0.0) == "needs no change"


def test_output_error_explains_the_two_conventions_only_the_first_time():
    first = narration.output_error("ŷ", -0.3, first=True)
    assert "should rise by 0.3" in first and "desired change +0.3" in first
    assert "prediction − target = −0.3" in first and "opposite sign" in first
    later = narration.output_error("ŷ₂", 0.2, first=False)
    assert later.startswith("ŷ₂ should fall by 0.2") and "opposite sign" not in later


def test_relu_passes_or_blocks_like_a_weight_of_one_or_zero():
    assert "like a weight of 1" in narration.derivative_words("relu", 0.4, 1.0)
    blocked = narration.derivative_words("relu", -0.46, 0.0)
    assert "blocks" in blocked and "−0.46" in blocked and "like a weight of 0" in blocked


def test_weight_gradient_says_why_a_weight_cannot_change():
    assert "was 0" in narration.weight_gradient("h₃", "ŷ", [0.0], [-0.3], 0.0)
    assert "error signal is 0" in narration.weight_gradient("x₁", "h₃", [0.1], [0.0], 0.0)
    moving = narration.weight_gradient("h₁", "ŷ", [0.4], [-0.3], -0.12)
    assert "+0.3 × 0.4 = +0.12" in moving and "gradient −0.12" in moving


def test_only_the_first_update_says_all_gradients_come_first():
    first = narration.weight_update("w(x₁→h₁)", 0.6, 0.1, 0.0, first=True)
    assert first.endswith(narration.ALL_AT_ONCE) and "stays at 0.6" in first
    assert narration.ALL_AT_ONCE not in narration.weight_update("w", 0.6, 0.1, 0.2, first=False)


def test_new_loss_gives_advice_only_when_it_went_up():
    assert narration.new_loss(0.05, 0.09) == "The loss went down, from 0.09 to 0.05."
    assert "too large" in narration.new_loss(0.2, 0.09)
    assert "stayed the same" in narration.new_loss(0.09, 0.09)
