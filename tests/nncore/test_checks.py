"""Tests for nncore.checks: the shared validators behind every setting nncore accepts."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nncore import checks
from nncore.errors import DataError, NNCoreError, SettingsError

# ---- whole ------------------------------------------------------------------------------------


def test_whole_accepts_ints_numpy_ints_and_whole_floats():
    assert checks.whole(3, "n") == 3
    three = checks.whole(3.0, "n")
    assert three == 3 and type(three) is int  # 3.0 is the whole number 3, returned as an int
    assert type(checks.whole(np.int64(7), "n")) is int
    assert checks.whole(np.float32(8.0), "n") == 8


@pytest.mark.parametrize("value", [True, False, np.bool_(True), "3", None, [3], 3 + 0j])
def test_whole_of_the_wrong_type_is_a_type_error(value):
    with pytest.raises(TypeError, match=r"^epochs must be a whole number; got "):
        checks.whole(value, "epochs", 1)


@pytest.mark.parametrize("value", [3.5, float("nan"), float("inf"), -float("inf")])
def test_whole_refuses_fractions_nan_and_infinity_as_values(value):
    with pytest.raises(SettingsError, match="epochs must be a whole number; got"):
        checks.whole(value, "epochs")


def test_whole_bounds_and_their_messages():
    with pytest.raises(SettingsError, match=r"^epochs must be a whole number >= 1; got 0$"):
        checks.whole(0, "epochs", 1)
    with pytest.raises(SettingsError, match=r"^n must be a whole number from 2 to 2,000; got 1$"):
        checks.whole(1, "n", 2, 2000)
    with pytest.raises(SettingsError, match=r"^n must be a whole number <= 5; got 6$"):
        checks.whole(6, "n", maximum=5)
    assert checks.whole(2000, "n", 2, 2000) == 2000 and checks.whole(2, "n", 2, 2000) == 2


def test_whole_none_only_when_allowed():
    assert checks.whole(None, "batch_size", 1, allow_none=True) is None
    with pytest.raises(TypeError, match=r"batch_size must be a whole number \(or None\)"):
        checks.whole("full", "batch_size", 1, allow_none=True)


def test_whole_raises_the_error_class_it_is_given():
    with pytest.raises(DataError, match="rows must be a whole number >= 1"):
        checks.whole(0, "rows", 1, error=DataError)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_whole_returns_any_int_in_range_unchanged(n):
    assert checks.whole(n, "n") == n
    assert checks.whole(float(n), "n") == n  # exact: |n| < 2**53


# ---- number -----------------------------------------------------------------------------------


def test_number_returns_a_float():
    value = checks.number(1, "lr")
    assert value == 1.0 and type(value) is float
    assert checks.number(np.float32(0.25), "lr") == 0.25


@pytest.mark.parametrize("value", [True, False, np.bool_(False), "0.1", None, [0.1]])
def test_number_of_the_wrong_type_is_a_type_error(value):
    with pytest.raises(TypeError, match=r"^the learning rate must be a number; got "):
        checks.number(value, "the learning rate", 0.0, low_open=True)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), np.float64("nan")])
def test_number_refuses_nan_and_infinity(value):
    with pytest.raises(SettingsError, match="noise must be a finite number"):
        checks.number(value, "noise")


def test_number_open_and_closed_ends():
    assert checks.number(0.0, "share", 0.0, 1.0, high_open=True) == 0.0
    with pytest.raises(
        SettingsError, match=r"^share must be a finite number at least 0 and below 1; got 1.0$"
    ):
        checks.number(1.0, "share", 0.0, 1.0, high_open=True)
    assert checks.number(1.0, "r2", high=1.0) == 1.0
    with pytest.raises(SettingsError, match=r"^r2 must be a finite number at most 1; got 1.5$"):
        checks.number(1.5, "r2", high=1.0)
    with pytest.raises(SettingsError, match=r"^lr must be a finite number above 0; got 0$"):
        checks.number(0, "lr", 0.0, low_open=True)
    assert checks.number(1e-300, "lr", 0.0, low_open=True) == 1e-300
    with pytest.raises(SettingsError, match=r"^decay must be a finite number at least 0; got -1$"):
        checks.number(-1, "decay", 0.0)


def test_number_none_only_when_allowed():
    assert checks.number(None, "target_r2", high=1.0, allow_none=True) is None
    with pytest.raises(TypeError, match=r"target_r2 must be a number \(or None\)"):
        checks.number("high", "target_r2", high=1.0, allow_none=True)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_returns_any_finite_float_unchanged(x):
    assert checks.number(x, "x") == x


# ---- choice and finite_array ------------------------------------------------------------------


def test_choice():
    assert checks.choice("adam", "optimizer", ("gd", "adam")) == "adam"
    with pytest.raises(
        SettingsError, match=r"^unknown optimizer 'rmsprop'; choose one of: gd, adam$"
    ):
        checks.choice("rmsprop", "optimizer", ("gd", "adam"))
    with pytest.raises(TypeError, match="optimizer must be one of gd, adam; got 3"):
        checks.choice(3, "optimizer", ("gd", "adam"))


def test_finite_array():
    arr = checks.finite_array([[1, 2], [3, 4]], "X")
    assert arr.dtype == np.float64 and arr.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    with pytest.raises(SettingsError, match="X must be finite numbers"):
        checks.finite_array([1.0, math.nan], "X")
    with pytest.raises(SettingsError, match="X must be finite numbers"):
        checks.finite_array([1.0, -math.inf], "X")
    with pytest.raises(TypeError, match="X must be numbers; got dict"):
        checks.finite_array({"a": 1}, "X")


def test_every_value_error_of_the_checks_is_an_nncore_error():
    for call in (
        lambda: checks.whole(0, "n", 1),
        lambda: checks.number(math.nan, "x"),
        lambda: checks.choice("z", "c", ("a",)),
        lambda: checks.finite_array([math.inf], "X"),
    ):
        with pytest.raises(NNCoreError) as info:
            call()
        assert isinstance(info.value, ValueError)


# ---- numbers Python cannot print or convert -----------------------------------------------------


def test_integers_too_long_to_print_are_refused_by_their_size():
    # str() of a 5,000-digit integer raises ValueError in Python: the message must not try.
    with pytest.raises(SettingsError, match=r"^n must be a whole number from 1 to 10; got an "):
        checks.whole(10**5000, "n", 1, 10)
    with pytest.raises(SettingsError, match=r"got an integer of about 1×10⁵⁰⁰⁰$"):
        checks.number(10**5000, "lr", 0.0, 10.0)
    with pytest.raises(SettingsError, match=r"got an integer of about −1×10⁴⁰⁰$"):
        checks.number(-(10**400), "x")  # beyond a float: not an OverflowError
    with pytest.raises(SettingsError, match="X must be finite numbers"):
        checks.finite_array([1.0, 10**400], "X")


def test_long_text_is_quoted_bounded():
    with pytest.raises(SettingsError) as info:
        checks.choice("x" * 100_000, "optimizer", ("gd", "adam"))
    assert len(str(info.value)) < 200 and "(100,000 characters)" in str(info.value)


# ---- number_array -----------------------------------------------------------------------------


def test_number_array_returns_a_new_float_array():
    given = np.array([[1, 2], [3, 4]], dtype=np.int32)
    arr = checks.number_array(given, "X", limit=4)
    assert arr.dtype == np.float64 and arr.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    floats = np.array([0.5, -0.25])
    copy = checks.number_array(floats, "X")
    copy[0] = 9.0
    assert floats[0] == 0.5  # the caller's array is never the one returned
    assert checks.number_array(np.float32(0.5), "x").shape == ()
    assert checks.number_array([np.int64(3), 0.5, 10**20], "x").tolist() == [3.0, 0.5, 1e20]


@pytest.mark.parametrize(
    "value, shown",
    [
        (None, "None"),
        ("0.5", "'0.5'"),  # numeric text too: a lesson's numbers arrive parsed
        ([0.1, "a"], "'a'"),
        ([[0.1, 0.2], [None, 0.3]], "None"),
        ([True, 0.5], "True"),
        (np.array([True]), "an array of bools"),
        (np.array(["0.5"]), "an array of text"),
        ([1 + 2j], r"\(1\+2j\)"),
        ({"a": 1}, r"\{'a': 1\}"),
    ],
)
def test_number_array_calls_what_is_not_a_number_a_type_error(value, shown):
    with pytest.raises(TypeError, match=rf"^the inputs must be numbers; got {shown}$"):
        checks.number_array(value, "the inputs")


@pytest.mark.parametrize(
    "value, message",
    [
        ([[1, 2], [3]], "rows of equal length"),
        ([1.0, math.nan], r"finite numbers \(no NaN or infinity\)"),
        ([1.0, -math.inf], r"finite numbers \(no NaN or infinity\)"),
        ([1, math.nan, 10**30], r"finite numbers \(no NaN or infinity\)"),
        ([10**400], "must be finite numbers; got 1×10⁴⁰⁰"),
        (np.longdouble("1e4000"), "finite numbers"),
    ],
)
def test_number_array_refuses_values_with_its_error(value, message):
    with pytest.raises(DataError, match=message):
        checks.number_array(value, "X", error=DataError)


@pytest.mark.parametrize("value", [[1e308], [[0.5, -1001.0]], [-(10**400)], 1000.5])
def test_number_array_holds_values_within_the_limit(value):
    with pytest.raises(SettingsError, match=r"^X must lie between −1000 and 1000; got "):
        checks.number_array(value, "X", limit=1000)
    assert checks.number_array([-1000, 1000], "X", limit=1000).tolist() == [-1000.0, 1000.0]


def test_number_array_refuses_more_values_than_fit_before_converting_them():
    with pytest.raises(SettingsError, match=r"^X hold 1,000 values; at most 8 fit here$"):
        checks.number_array(["not a number"] * 1000, "X", max_count=8)  # length first
    with pytest.raises(SettingsError, match=r"^X hold 12 values; at most 8 fit here$"):
        checks.number_array(np.zeros((2, 6)), "X", max_count=8)  # nested: counted after
    assert checks.number_array(np.zeros((2, 4)), "X", max_count=8).shape == (2, 4)
