"""Validation helpers shared by every module: one wording for "must be a whole number" and
friends, so that the CLI, the app and a notebook all read the same messages.

Each helper returns the value converted (a plain `int` or `float`) or raises: `TypeError` when
the value is not a number at all (a string, a list, a bool), `SettingsError` (a `ValueError`)
when it is a number outside its range. Pass `error=` to raise a module's own error class
(e.g. `DataError`) for out-of-range values instead.

    epochs = whole(epochs, "epochs", 1)                    # 3.0 -> 3; 0 -> SettingsError
    lr = number(lr, "the learning rate", 0.0, low_open=True)   # "0.1" -> TypeError
    share = number(share, "val_share", 0.0, 1.0, high_open=True)  # 0 <= share < 1
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any, Literal, overload

import numpy as np

from .errors import SettingsError


def _is_real(value: object) -> bool:
    # bool is an int to Python, but True epochs or a learning rate of False is a mistake.
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


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
        raise TypeError(f"{what} must be a whole number{extra}; got {value!r}")
    if isinstance(value, (float, np.floating)):
        if not (math.isfinite(value) and float(value).is_integer()):
            raise error(f"{what} must be a whole number; got {value!r}")
    count = int(value)
    if (minimum is not None and count < minimum) or (maximum is not None and count > maximum):
        raise error(f"{what} must be a whole number {_bounds(minimum, maximum)}; got {value!r}")
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
        raise TypeError(f"{what} must be a number{extra}; got {value!r}")
    x = float(value)
    outside = x > high or x < low or (low_open and x == low) or (high_open and x == high)
    if not math.isfinite(x) or outside:
        lo = "" if low == -math.inf else (f"above {low:g}" if low_open else f"at least {low:g}")
        hi = "" if high == math.inf else (f"below {high:g}" if high_open else f"at most {high:g}")
        bound = " and ".join(b for b in (lo, hi) if b)
        raise error(f"{what} must be a finite number{' ' + bound if bound else ''}; got {value!r}")
    return x


def choice(
    value: Any, what: str, options: Iterable[str], *, error: type[Exception] = SettingsError
) -> str:
    """`value` if it is one of `options` (names compared exactly)."""
    options = tuple(options)
    if not isinstance(value, str):
        raise TypeError(f"{what} must be one of {', '.join(options)}; got {value!r}")
    if value not in options:
        raise error(f"unknown {what} {value!r}; choose one of: {', '.join(options)}")
    return value


def finite_array(value: Any, what: str, *, error: type[Exception] = SettingsError) -> np.ndarray:
    """`value` as a float64 array whose every entry is a finite number."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be numbers; got {type(value).__name__}") from None
    if not np.all(np.isfinite(arr)):
        raise error(f"{what} must be finite numbers (no NaN or infinity)")
    return arr


def _bounds(minimum: int | None, maximum: int | None) -> str:
    # Thousands separators: "at most 5,000,000" is read at a glance, 5000000 is not.
    if minimum is not None and maximum is not None:
        return f"from {minimum:,} to {maximum:,}"
    if minimum is not None:
        return f">= {minimum:,}"
    return f"<= {maximum:,}"
