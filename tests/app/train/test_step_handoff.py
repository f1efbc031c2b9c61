"""The words of "Step through this network" (Qt-free)."""

from app.train.step_handoff import opened_message, point_words


def test_a_regression_point_reads_in_the_students_units():
    text = point_words([1.5, -2.0], 3.25, [2.5], None, 0.04)
    assert text == (
        "x = 1.5, y = −2: target 3.25, the network predicts 2.5 (squared error 0.04 in z-scores)"
    )


def test_a_class_point_names_the_true_and_the_chosen_class():
    text = point_words([0.0, 4.0], 1, [0.7, 0.2, 0.1], ("red", "green", "blue"), 1.609)
    assert "true class green, the network gives it 20 %" in text
    assert "chooses red" in text and "cross-entropy 1.609" in text


def test_the_opened_message_says_the_inputs_are_z_scores_and_how_it_steps():
    text = opened_message("2-6-6-1", 17, [8.0, -3.0], [1.2, -0.5], "adam", 0.001)
    assert "training point 17 (8, −3)" in text
    assert "x₁ = 1.2, x₂ = −0.5" in text
    assert "training used Adam" in text
    plain = opened_message("2-6-1", 1, [0.0, 0.0], [0.0, 0.0], "gd", 0.01)
    assert "training used" not in plain
