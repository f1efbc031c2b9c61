"""What a lesson is given, checked: the example(s) it works on and the numbers a student types.

Every refusal is a `LessonError`, which is a `ValueError` (what the app and the CLI catch)
and an `nncore.errors.NNCoreError`, with a message that says what is wrong in plain words.
Text where a number belongs is refused with the same error rather than a `TypeError`: in a
lesson it is the student's input, not a programming mistake, and the app shows the message.
"""

from __future__ import annotations

import numpy as np

from ..errors import NNCoreError

MAX_BATCH = 8  # a lesson is read step by step; more examples would drown the student


class LessonError(NNCoreError, ValueError):
    """A lesson cannot be built from what it was given (the message says why)."""


def as_batch(x, target, batch, n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs X (m, n_in) and targets Y (m, n_out) as float64 from `x`/`target` or `batch`.

    One example may be given flat (`x=(0.1, 0.3)`, `target=0.2`); a batch as `batch=(X, Y)`.
    """
    if batch is not None:
        if x is not None or target is not None:
            raise LessonError("give either x and target or batch=(X, Y), not both")
        try:
            x, target = batch
        except (TypeError, ValueError):
            raise LessonError("batch must be a pair (X, Y) of inputs and targets") from None
    if x is None or target is None:
        raise LessonError("a lesson needs inputs x and a target")
    try:
        X = np.array(x, dtype=np.float64)
        Y = np.array(target, dtype=np.float64)
    except (TypeError, ValueError):
        raise LessonError("inputs and targets must be numbers") from None
    if X.ndim == 0:
        X = X.reshape(1, 1)
    if X.ndim == 1:
        X = X.reshape(1, -1) if X.shape[0] == n_in else X.reshape(-1, 1)
    if X.ndim != 2 or X.shape[1] != n_in:
        raise LessonError(f"the network has {n_in} input(s); got inputs of shape {np.shape(x)}")
    m = X.shape[0]
    if Y.ndim == 0:
        Y = Y.reshape(1, 1)
    if Y.ndim == 1:
        Y = Y.reshape(m, -1) if Y.size == m * n_out else Y.reshape(1, -1)
    if Y.ndim != 2 or Y.shape != (m, n_out):
        raise LessonError(
            f"need {m} target row(s) of {n_out} value(s) (one per output); "
            f"got shape {np.shape(target)}"
        )
    if not 1 <= m <= MAX_BATCH:
        raise LessonError(f"a lesson works on 1 to {MAX_BATCH} examples; got {m}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise LessonError("inputs and targets must be finite numbers")
    return X, Y


def finite_list(values, what: str, length: int | None = None) -> list[float]:
    """`values` as a flat list of finite floats (of `length` values, when given)."""
    try:
        arr = np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise LessonError(f"{what} must be numbers") from None
    arr = arr.reshape(-1) if arr.ndim <= 1 else arr
    if arr.ndim != 1:
        raise LessonError(f"{what} must be a flat list of numbers")
    if length is not None and arr.shape[0] != length:
        raise LessonError(f"{what} needs {length} value(s); got {arr.shape[0]}")
    if not np.all(np.isfinite(arr)):
        raise LessonError(f"{what} must be finite numbers (no inf or nan)")
    return arr.tolist()
