"""Numbers as the tutor writes them: a few significant digits, the true minus sign (−) and
powers of ten as ×10ⁿ, so that every screen, hand-out and CLI table reads the same.

`fmt` is for people, `fmt_tex` for LaTeX; `operand` wraps a negative number in parentheses
where it stands in a product ("0.7 × (−0.5)"), and `signed` spells out the sign of a change.

None of them ever fails on a number, however odd: infinity is written ∞ (−∞), not-a-number
NaN, and numbers too large or too small for plain digits in scientific notation, including
integers beyond what a float holds (10**400 is "1×10⁴⁰⁰") and NumPy scalars of any width.
Something that is not a number at all raises TypeError.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

MINUS = "\u2212"
INFINITY = "∞"
NOT_A_NUMBER = "NaN"
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

_MAX_DIGITS = 17  # a float64 has at most 17 significant decimal digits worth showing
_FLOAT_SAFE_INT = 2**1000  # below this an int converts to float without overflowing
_SPECIAL_TEXT = {"inf": INFINITY, "-inf": MINUS + INFINITY, "nan": NOT_A_NUMBER}
_SPECIAL_TEX = {"inf": "\\infty", "-inf": "-\\infty", "nan": "\\mathrm{NaN}"}


def _big_int_parts(n: int, digits: int) -> tuple[str, int]:
    """Mantissa and exponent of an integer too large for a float, by integer arithmetic
    only (`str(n)` itself is refused by Python beyond 4,300 digits)."""
    sign, n = ("-" if n < 0 else ""), abs(n)
    exponent = int(n.bit_length() * math.log10(2))  # within one of the true exponent
    while 10 ** (exponent + 1) <= n:
        exponent += 1
    while 10**exponent > n:
        exponent -= 1
    scale = 10 ** (exponent - digits + 1)  # keeps `digits` leading digits
    kept, rest = divmod(n, scale)
    if 2 * rest >= scale:
        kept += 1
    if kept == 10**digits:  # 9.9996 rounded up to 10.00: one more power of ten
        kept //= 10
        exponent += 1
    text = str(kept)  # `digits` characters at most
    mantissa = (text[0] + "." + text[1:]).rstrip("0").rstrip(".")
    return sign + mantissa, exponent


def _split(text: str) -> tuple[str, int | None]:
    """'1.235e+05' → ('1.235', 5); '0.25' → ('0.25', None); 'inf' → ('inf', None)."""
    if "e" in text:
        mantissa, exponent = text.split("e")
        return mantissa, int(exponent)
    return text, None


def _short(x: object, digits: int = 4) -> tuple[str, int | None]:
    """Mantissa text (ASCII '-') and decimal exponent (None for plain notation); for the
    special values the mantissa is "inf", "-inf" or "nan" and the exponent None."""
    if not (type(digits) is int and 1 <= digits <= _MAX_DIGITS):
        digits = max(1, min(int(digits), _MAX_DIGITS))
    # A lesson formats tens of thousands of plain floats: they skip the checks of _as_float.
    if isinstance(x, float):  # np.float64 is a float too
        value = x
    else:
        converted = _as_float(x, digits)
        if isinstance(converted, tuple):  # a number no float holds, already written
            return converted
        value = converted
    if value == 0.0:
        return "0", None  # also for −0.0
    text = f"{value:.{digits}g}"  # 'inf', '-inf' and 'nan' for the special values
    return _split(text)


def _as_float(x: object, digits: int) -> float | tuple[str, int | None]:
    """`x` as a float, or its mantissa and exponent when no float can hold it."""
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        n = int(x)
        if abs(n) >= _FLOAT_SAFE_INT:
            return _big_int_parts(n, digits)
    if isinstance(x, np.floating) and x.dtype.itemsize > 8:  # long double: wider than float
        if np.isfinite(x) and x != 0 and not 1e-300 <= abs(x) <= 1e300:  # no float holds it
            text = np.format_float_scientific(x, precision=digits - 1, unique=False)
            mantissa, exponent = _split(text)
            return mantissa.rstrip("0").rstrip("."), exponent
    try:
        return float(x)  # type: ignore[arg-type]
    except OverflowError:  # e.g. a Fraction beyond the float range
        return _big_int_parts(int(x), digits)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise TypeError(f"a number is needed here; got {type(x).__name__}") from None


def fmt(x: float, digits: int = 4) -> str:
    """A number for people: 4 significant digits, the true minus sign, ×10ⁿ for extremes.

    >>> fmt(-0.08000000000000002), fmt(6.02e23), fmt(float("-inf"))
    ('−0.08', '6.02×10²³', '−∞')
    """
    mantissa, exponent = _short(x, digits)
    if mantissa in _SPECIAL_TEXT:
        return _SPECIAL_TEXT[mantissa]
    text = mantissa if exponent is None else f"{mantissa}×10{str(exponent).translate(SUPERSCRIPT)}"
    return text.replace("-", MINUS)


def fmt_tex(x: float, digits: int = 4) -> str:
    """The same number for LaTeX math mode (ASCII minus, \\infty, \\mathrm{NaN})."""
    mantissa, exponent = _short(x, digits)
    if mantissa in _SPECIAL_TEX:
        return _SPECIAL_TEX[mantissa]
    return mantissa if exponent is None else f"{mantissa}\\times 10^{{{exponent}}}"


def operand(x: float) -> str:
    """A number as an operand: negative numbers in parentheses, '0.7 × (−0.5)'."""
    text = fmt(x)
    return f"({text})" if text.startswith(MINUS) else text


def operand_tex(x: float) -> str:
    """The same for LaTeX: '0.7 \\cdot (-0.5)'."""
    text = fmt_tex(x)
    return f"({text})" if text.startswith("-") else text


def _decade(x: object) -> int | None:
    """floor(log10|x|) for a finite non-zero real number, else None."""
    if not isinstance(x, numbers.Real) or isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, np.integer):
        x = int(x)  # abs() of the most negative int64 would overflow
    try:
        magnitude = abs(x)
        if magnitude == 0 or not (isinstance(x, (int, np.integer)) or math.isfinite(magnitude)):
            return None
        return math.floor(math.log10(magnitude))  # math.log10 takes ints of any size
    except (OverflowError, ValueError):  # a long double beyond the float range
        return None


def digits_to_show(new: float, change: float) -> int:
    """Enough significant digits for a small change to stay visible in the updated value
    (4 when either is zero, infinite or NaN: there is nothing finer to show)."""
    new_decade, change_decade = _decade(new), _decade(change)
    if new_decade is None or change_decade is None:
        return 4
    return min(10, 4 + max(0, new_decade - change_decade))


def signed(x: float) -> str:
    """A change with its sign spelled out: '+0.3', '−0.3', '0' ('+∞', 'NaN')."""
    text = fmt(x)
    return text if text.startswith(MINUS) or text in ("0", NOT_A_NUMBER) else "+" + text
