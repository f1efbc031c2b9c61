"""Tests of what the student types, checked without Qt: numbers, matrices, an example."""

from __future__ import annotations

import pytest

from app.step.parsing import (
    InputError,
    count_problem,
    parse_learning_rate,
    parse_matrices,
    parse_numbers,
    read_example,
)


def test_parsers_refuse_what_they_cannot_use():
    assert parse_numbers("0.1, -0.3 0.5", "inputs") == [0.1, -0.3, 0.5]
    assert parse_numbers("−0.5", "inputs") == [-0.5]
    for text in ("", "1,,x", "inf", "2000"):
        with pytest.raises(InputError):
            parse_numbers(text, "inputs")
    assert parse_matrices("1 2; 3 4\n5; 6", [(2, 2), (2, 1)], "weights") == [
        [[1, 2], [3, 4]],
        [[5], [6]],
    ]
    assert parse_matrices("1 2; 3 4 / 5; 6", [(2, 2), (2, 1)], "weights") == [
        [[1, 2], [3, 4]],
        [[5], [6]],
    ]
    with pytest.raises(InputError, match="need 2 row"):
        parse_matrices("1 2\n5; 6", [(2, 2), (2, 1)], "weights")


def test_learning_rate_must_be_positive_and_at_most_the_limit():
    assert parse_learning_rate(" 0.5 ") == 0.5
    for text in ("0", "−1", "11", "nan", "fast"):
        with pytest.raises(InputError, match="learning rate"):
            parse_learning_rate(text)


def test_an_example_of_the_wrong_size_is_refused_or_refilled_for_a_new_network():
    example = read_example("0.1, 0.3", "0.2", "0.5", n_in=2, n_out=1)
    assert (example.inputs, example.target, example.lr, example.refilled) == (
        [0.1, 0.3],
        [0.2],
        0.5,
        [],
    )
    with pytest.raises(InputError, match="needs 3 number"):
        read_example("0.1, 0.3", "0.2", "0.5", n_in=3, n_out=1)
    refilled = read_example("0.1, 0.3", "0.2", "0.5", n_in=3, n_out=2, fill=True)
    assert refilled.inputs == [0.1, 0.3, 0.5]
    assert refilled.target == [0.2, 0.8]
    assert refilled.refilled == ["inputs", "target"]
    with pytest.raises(InputError, match="not a number"):
        read_example("0.1, x", "0.2", "0.5", n_in=3, n_out=1, fill=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", None),
        ("100", "Neurons go from 1 to 6, so 100 is not possible."),
        ("0", "Neurons go from 1 to 6, so 0 is not possible."),
        ("", "Neurons go from 1 to 6: type a whole number."),
        ("2.5", "Neurons go from 1 to 6: '2.5' is not a whole number."),
    ],
)
def test_a_count_out_of_range_is_named_with_the_allowed_range(text, expected):
    assert count_problem(text, "Neurons", 1, 6) == expected
