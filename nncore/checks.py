"""Validation helpers shared by every module: one wording for "must be a whole number" and
friends, so that the CLI, the app and a notebook all read the same messages.

Each helper returns the value converted (a plain `int` or `float`) or raises: `TypeError` when
the value is not a number at all (a string, a list, a bool), `SettingsError` (a `ValueError`)
when it is a number outside its range. Pass `error=` to raise a module's own error class
(e.g. `DataError`) for out-of-range values instead.

    epochs = whole(epochs, "epochs", 1)                    # 3.0 -> 3; 0 -> SettingsError
    lr = number(lr, "the learning rate", 0.0, low_open=True)   # "0.1" -> TypeError
    share = number(share, "val_share", 0.0, 1.0, high_open=True)  # 0 <= share < 1
    X = number_array(X, "the inputs", limit=1000.0)          # [[0.1, "a"]] -> TypeError

The value a refusal repeats is shown bounded (`nncore.safetext.shown`), and an integer too
long for Python to print (5,000 digits) as its size, so no message can itself fail.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any, Literal, overload

import numpy as np

from .errors import SettingsError
from .formatting import fmt
from .safetext import shown

_LONG_INT = 10**18  # integers from here on are shown as 1.2×10²⁰, not digit by digit


def _is_real(value: object) -> bool:
    # bool is an int to Python, but True epochs or a learning rate of False is a mistake.
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _shown(value: object) -> str:
    """`value` as a refusal repeats it: bounded, and a huge integer by its size (Python
    refuses to turn an integer of more than 4,300 digits into text)."""
    if isinstance(value, (int, np.integer)) and abs(int(value)) >= _LONG_INT:
        return f"an integer of about {fmt(int(value), 3)}"
    return shown(value)


def _as_float(value: Any) -> float:
    """float(value), with numbers beyond the float range as ±infinity instead of an error."""
    try:
        return float(value)
    except OverflowError:  # an int or a Fraction of more than about 308 digits
        return math.inf if value > 0 else -math.inf


# The overloads tell a type checker that only `allow_none=True` can give None back.
@overload
def whole(
    value: Any,
    what: str,
    minimum: int | None = None,
    maximum: int | None = None,
    *,
    allow_none: Literal[False] = False,
    error: type[Exception] = SettingsError,
) -> int: ...
@overload
def whole(
    value: Any,
    what: str,
    minimum: int | None = None,
    maximum: int | None = None,
    *,
    allow_none: bool,
    error: type[Exception] = SettingsError,
) -> int | None: ...
def whole(
    value: Any,
    what: str,
    minimum: int | None = None,
    maximum: int | None = None,
    *,
    allow_none: bool = False,
    error: type[Exception] = SettingsError,
) -> int | None:
    """`value` as an int within [minimum, maximum]; 3.0 counts as 3, 3.5 does not."""
    if value is None and allow_none:
        return None
    if not _is_real(value):
        extra = " (or None)" if allow_none else ""
        raise TypeError(f"{what} must be a whole number{extra}; got {_shown(value)}")
    if isinstance(value, (float, np.floating)):
        if not (np.isfinite(value) and float(value).is_integer()):
            raise error(f"{what} must be a whole number; got {_shown(value)}")
    elif not isinstance(value, (int, np.integer)) and value != int(value):
        raise error(f"{what} must be a whole number; got {_shown(value)}")  # e.g. Fraction(1, 2)
    count = int(value)
    if (minimum is not None and count < minimum) or (maximum is not None and count > maximum):
        raise error(
            f"{what} must be a whole number {_bounds(minimum, maximum)}; got {_shown(value)}"
        )
    return count


@overload
def number(
    value: Any,
    what: str,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
    allow_none: Literal[False] = False,
    error: type[Exception] = SettingsError,
) -> float: ...
@overload
def number(
    value: Any,
    what: str,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
    allow_none: bool,
    error: type[Exception] = SettingsError,
) -> float | None: ...
def number(
    value: Any,
    what: str,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
    allow_none: bool = False,
    error: type[Exception] = SettingsError,
) -> float | None:
    """`value` as a finite float within [low, high]; `low_open` / `high_open` leave out that
    end, e.g. (0, inf) for a learning rate, [0, 1) for a share of the data."""
    if value is None and allow_none:
        return None
    if not _is_real(value):
        extra = " (or None)" if allow_none else ""
        raise TypeError(f"{what} must be a number{extra}; got {_shown(value)}")
    x = _as_float(value)
    outside = x > high or x < low or (low_open and x == low) or (high_open and x == high)
    if not math.isfinite(x) or outside:
        lo = "" if low == -math.inf else (f"above {low:g}" if low_open else f"at least {low:g}")
        hi = "" if high == math.inf else (f"below {high:g}" if high_open else f"at most {high:g}")
        bound = " and ".join(b for b in (lo, hi) if b)
        bound = " " + bound if bound else ""
        raise error(f"{what} must be a finite number{bound}; got {_shown(value)}")
    return x


def choice(
    value: Any, what: str, options: Iterable[str], *, error: type[Exception] = SettingsError
) -> str:
    """`value` if it is one of `options` (names compared exactly)."""
    options = tuple(options)
    if not isinstance(value, str):
        raise TypeError(f"{what} must be one of {', '.join(options)}; got {_shown(value)}")
    if value not in options:
        raise error(f"unknown {what} {_shown(value)}; choose one of: {', '.join(options)}")
    return value


def finite_array(value: Any, what: str, *, error: type[Exception] = SettingsError) -> np.ndarray:
    """`value` as a float64 array whose every entry is a finite number."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except OverflowError:  # an integer of more than about 308 digits
        raise error(f"{what} must be finite numbers; one is too large for a float") from None
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be numbers; got {type(value).__name__}") from None
    if not np.all(np.isfinite(arr)):
        raise error(f"{what} must be finite numbers (no NaN or infinity)")
    return arr


_NUMBER_KINDS = "iuf"  # NumPy dtype kinds that are real numbers: int, unsigned, float
_KIND_NAMES = {"b": "bools", "U": "text", "S": "bytes", "c": "complex numbers", "O": "objects"}


def number_array(
    value: Any,
    what: str,
    *,
    limit: float | None = None,
    max_count: int | None = None,
    error: type[Exception] = SettingsError,
) -> np.ndarray:
    """`value` (a number, a list, a nested list or an array) as a new float64 array of finite
    numbers, each within ±`limit` when a limit is given, at most `max_count` of them (a
    longer list is refused by its length, before anything is converted).

    Stricter than `finite_array` about types: text (even "0.5"), bools, None and anything
    else that is not a real number raise TypeError naming the first such entry, instead of
    being converted; rows of unequal length raise `error`.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{what} must be numbers; got {_shown(value)}")
    if max_count is not None and hasattr(value, "__len__") and len(value) > max_count:
        raise error(f"{what} hold {len(value):,} values; at most {max_count:,} fit here")
    try:
        arr = np.array(value)  # no dtype: text and objects stay recognisable
    except ValueError:  # NumPy refuses ragged nesting
        raise error(f"{what} must be numbers in rows of equal length") from None
    if max_count is not None and arr.size > max_count:
        raise error(f"{what} hold {arr.size:,} values; at most {max_count:,} fit here")
    if not isinstance(value, np.ndarray) and arr.size and not _is_real(value):
        # NumPy turns [True, 0.5] into floats and [1, "a"] into text: look at the entries
        # as they were given (a lesson's lists are small, so this costs nothing)
        arr = np.array(value, dtype=object)
    if arr.dtype.kind not in _NUMBER_KINDS:
        if isinstance(value, np.ndarray):
            kind = _KIND_NAMES.get(arr.dtype.kind, arr.dtype.name)
            raise TypeError(f"{what} must be numbers; got an array of {kind}")
        if arr.size == 0 or arr.dtype != object:
            raise TypeError(f"{what} must be numbers; got {_shown(value)}")
        for entry in arr.flat:
            if not _is_real(entry):
                raise TypeError(f"{what} must be numbers; got {_shown(entry)}")
            if isinstance(entry, (float, np.floating)) and not np.isfinite(entry):
                continue  # NaN and infinity: refused below as not finite
            as_float = _as_float(entry)
            too_large = math.isinf(as_float) and not isinstance(entry, (float, np.floating))
            if too_large and limit is None:  # beyond a float: say how large, not "infinite"
                raise error(f"{what} must be finite numbers; got {fmt(entry)}")
            if limit is not None and not abs(entry) <= limit:
                _refuse_outside(entry, what, limit, error)
        arr = np.array([_as_float(v) for v in arr.flat]).reshape(arr.shape)
    with np.errstate(over="ignore"):  # a long double beyond the float range becomes inf
        arr = arr.astype(np.float64)  # always a copy: the caller's array stays theirs
    if not np.all(np.isfinite(arr)):
        raise error(f"{what} must be finite numbers (no NaN or infinity)")
    if limit is not None and arr.size and float(np.max(np.abs(arr))) > limit:
        _refuse_outside(float(arr.flat[int(np.argmax(np.abs(arr)))]), what, limit, error)
    return arr


def _refuse_outside(value: Any, what: str, limit: float, error: type[Exception]) -> None:
    raise error(f"{what} must lie between {fmt(-limit)} and {fmt(limit)}; got {fmt(value)}")


def _bounds(minimum: int | None, maximum: int | None) -> str:
    # Thousands separators: "at most 5,000,000" is read at a glance, 5000000 is not.
    if minimum is not None and maximum is not None:
        return f"from {minimum:,} to {maximum:,}"
    if minimum is not None:
        return f">= {minimum:,}"
    return f"<= {maximum:,}"
