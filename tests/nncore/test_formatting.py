"""Tests for nncore.formatting: every number is written, whatever it is, and reads back as itself.

The read-back (`value_of`) is written here independently of the module: it undoes the true
minus, "×10" and the superscript digits, and the tests compare the result with the number
that was formatted, within the rounding of the digits shown.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nncore.formatting import digits_to_show, fmt, fmt_tex, operand, operand_tex, signed

_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def value_of(text: str) -> Fraction:
    """The exact number a finite `fmt` text stands for: '−1.25×10⁻³' → −1.25/1000."""
    text = text.replace("−", "-")
    mantissa, _, exponent = text.partition("×10")
    power = int(exponent.translate(_FROM_SUPERSCRIPT)) if exponent else 0
    return Fraction(mantissa) * Fraction(10) ** power


def value_of_tex(text: str) -> Fraction:
    mantissa, _, exponent = text.partition("\\times 10^")
    power = int(exponent.strip("{}")) if exponent else 0
    return Fraction(mantissa) * Fraction(10) ** power


def close(shown: Fraction, exact: Fraction, digits: int = 4) -> bool:
    """`shown` is `exact` rounded to `digits` significant digits (half a unit of the last)."""
    if exact == 0:
        return shown == 0
    return abs(shown - exact) <= abs(exact) * Fraction(10001, 20000 * 10 ** (digits - 1))


# ---- the special values and the extremes ----------------------------------------------------


@pytest.mark.parametrize(
    "x, text, tex",
    [
        (math.inf, "∞", "\\infty"),
        (-math.inf, "−∞", "-\\infty"),
        (math.nan, "NaN", "\\mathrm{NaN}"),
        (np.float32("inf"), "∞", "\\infty"),
        (np.float16("-inf"), "−∞", "-\\infty"),
        (np.float64("nan"), "NaN", "\\mathrm{NaN}"),
    ],
)
def test_infinity_and_nan_have_names(x, text, tex):
    assert fmt(x) == text and fmt_tex(x) == tex
    assert operand(x) == (f"({text})" if text.startswith("−") else text)
    assert operand_tex(x) == (f"({tex})" if tex.startswith("-") else tex)
    assert signed(x) == {"∞": "+∞", "−∞": "−∞", "NaN": "NaN"}[text]
    assert digits_to_show(x, 0.001) == 4 and digits_to_show(1.0, x) == 4


@pytest.mark.parametrize(
    "x, text",
    [
        (1e308, "1×10³⁰⁸"),
        (-1.7976931348623157e308, "−1.798×10³⁰⁸"),
        (5e-324, "4.941×10⁻³²⁴"),
        (10**400, "1×10⁴⁰⁰"),
        (-(10**5000), "−1×10⁵⁰⁰⁰"),  # Python refuses str() of this integer
        (99996 * 10**400, "1×10⁴⁰⁵"),  # rounding carries into the exponent
        (123456789 * 10**400, "1.235×10⁴⁰⁸"),
        (2**1000, "1.072×10³⁰¹"),
        (np.float32(3.4e38), "3.4×10³⁸"),
        (np.int64(-(2**63)), "−9.223×10¹⁸"),
        (np.longdouble("1e4000"), "1×10⁴⁰⁰⁰"),  # beyond any float64
        (np.longdouble("-1.23456e-4000"), "−1.235×10⁻⁴⁰⁰⁰"),
        (Fraction(10**400, 3), "3.333×10³⁹⁹"),
        (-0.0, "0"),
        (True, "1"),
    ],
    ids=lambda v: (
        f"int of ~{v.bit_length()} bits" if isinstance(v, int) and abs(v) > 2**64 else None
    ),
)
def test_extremes_are_written_in_scientific_notation(x, text):
    assert fmt(x) == text
    assert value_of_tex(fmt_tex(x)) == value_of(text)
    assert signed(x) in (text, "+" + text)
    assert 4 <= digits_to_show(x, 1e-300) <= 10 and 4 <= digits_to_show(1e-300, x) <= 10


def test_digits_are_kept_within_what_a_float_has():
    assert fmt(math.pi, 100) == fmt(math.pi, 17) == "3.1415926535897931"
    assert fmt(math.pi, 0) == fmt(math.pi, 1) == "3"
    assert fmt(10**400 + 10**397, 6) == "1.001×10⁴⁰⁰"


def test_digits_to_show_grows_with_the_gap_and_stops_at_ten():
    assert digits_to_show(0.5, 0.01) == 5  # 10⁻¹ against 10⁻²
    assert digits_to_show(1e300, 1e-300) == 10
    assert digits_to_show(10**400, 1) == 10 and digits_to_show(np.int64(-(2**63)), 0.5) == 10
    assert digits_to_show(0, 1) == digits_to_show(1, 0) == 4


@pytest.mark.parametrize("x", ["abc", None, [1.0], 1 + 2j])
def test_something_that_is_not_a_number_is_a_type_error(x):
    with pytest.raises(TypeError, match="a number is needed"):
        fmt(x)


# ---- properties -------------------------------------------------------------------------------


@given(st.floats(allow_nan=True, allow_infinity=True), st.integers(1, 12))
def test_any_float_is_written_and_reads_back(x, digits):
    text, tex = fmt(x, digits), fmt_tex(x, digits)
    for out in (text, tex, operand(x), operand_tex(x), signed(x)):
        assert isinstance(out, str) and out and "e" not in out.replace("\\times", "")
    assert "-" not in text  # the true minus sign only
    assert 4 <= digits_to_show(x, x / 3 if math.isfinite(x) else x) <= 10
    if math.isnan(x):
        assert text == "NaN"
    elif math.isinf(x):
        assert text == ("∞" if x > 0 else "−∞")
    else:
        assert close(value_of(text), Fraction(x), digits)
        assert close(value_of_tex(tex), Fraction(x), digits)
        plain = fmt(x)  # signed writes 4 digits
        assert signed(x) == (plain if x <= 0 or plain == "0" else "+" + plain)


@given(st.integers(min_value=-(10**700), max_value=10**700))
def test_any_integer_is_written_and_reads_back(n):
    text = fmt(n)
    assert close(value_of(text), Fraction(n))
    assert close(value_of_tex(fmt_tex(n)), Fraction(n))
    assert operand(n) == (f"({text})" if n < 0 else text)
    assert 4 <= digits_to_show(n, 1) <= 10
