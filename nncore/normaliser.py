"""Normalisation: z-scores that put every number the network sees on a scale of about 1.

Before training, inputs and targets are z-scored (minus the mean, divided by the standard
deviation), as in the article. `Normaliser` remembers those statistics and travels with the
model (it is saved in every weights file), so predictions come back in the original units.

Bad statistics or arrays of the wrong shape raise `DataError` (an
`nncore.errors.NNCoreError` and a ValueError) saying exactly what is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import DataError

__all__ = ["Normaliser"]


def _row(values) -> np.ndarray:
    return np.asarray(values, dtype=np.float64).reshape(1, -1)  # (1, k)


@dataclass(eq=False)
class Normaliser:
    """z-scores: x_norm = (x − x_mean) / x_std, and the same for targets with y_mean, y_std.

    All four are (1, k) arrays. The network trains on normalised numbers; `inverse_y` turns its
    predictions back into the original units. Standard deviations are population ones
    (divide by n), as in the article; a constant column gets std 1 so nothing divides by 0.
    """

    x_mean: np.ndarray
    x_std: np.ndarray
    y_mean: np.ndarray
    y_std: np.ndarray

    def __post_init__(self):
        self.x_mean = _row(self.x_mean)
        self.x_std = _row(self.x_std)
        self.y_mean = _row(self.y_mean)
        self.y_std = _row(self.y_std)
        _validate_stats(self.to_dict())

    @property
    def n_inputs(self) -> int:
        return self.x_mean.shape[1]

    @property
    def n_outputs(self) -> int:
        return self.y_mean.shape[1]

    @staticmethod
    def _stats(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mean = np.mean(columns, axis=0, keepdims=True)  # (1, k)
        std = np.std(columns, axis=0, keepdims=True)  # (1, k), population std (ddof=0)
        # A constant column: its std is 0, or a rounding crumb of the mean; use 1 instead.
        constant = ~(std > 1e-12 * np.abs(mean))
        return mean, np.where(constant, 1.0, std)

    @classmethod
    def fit(cls, X, y) -> Normaliser:
        """Means and population standard deviations of each input and target column."""
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if X.ndim != 2 or y.ndim != 2 or X.shape[0] != y.shape[0] or X.shape[0] == 0:
            raise DataError(
                f"fit needs X (n, inputs) and y (n, outputs) with the same n ≥ 1; "
                f"got X {X.shape} and y {y.shape}"
            )
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
            raise DataError("fit needs finite data; X or y holds NaN or inf")
        x_mean, x_std = cls._stats(X)
        y_mean, y_std = cls._stats(y)
        return cls(x_mean, x_std, y_mean, y_std)

    @classmethod
    def identity(cls, n_in: int, n_out: int) -> Normaliser:
        """A normaliser that changes nothing (mean 0, std 1)."""
        return cls(
            np.zeros((1, n_in)), np.ones((1, n_in)), np.zeros((1, n_out)), np.ones((1, n_out))
        )

    def _columns(self, a, k: int, what: str) -> np.ndarray:
        a = np.asarray(a, dtype=np.float64)
        if a.ndim == 1 and k == 1:
            a = a.reshape(-1, 1)
        if a.ndim != 2 or a.shape[1] != k:
            raise DataError(f"{what} must have shape (n, {k}); got {a.shape}")
        return a

    def transform_x(self, X) -> np.ndarray:
        """Inputs in original units -> normalised, (n, n_inputs)."""
        return (self._columns(X, self.n_inputs, "X") - self.x_mean) / self.x_std

    def inverse_x(self, X_norm) -> np.ndarray:
        """Normalised inputs -> original units."""
        return self._columns(X_norm, self.n_inputs, "X") * self.x_std + self.x_mean

    def transform_y(self, y) -> np.ndarray:
        """Targets in original units -> normalised, (n, n_outputs); a flat vector is accepted."""
        return (self._columns(y, self.n_outputs, "y") - self.y_mean) / self.y_std

    def inverse_y(self, y_norm) -> np.ndarray:
        """Normalised predictions -> original units, (n, n_outputs)."""
        return self._columns(y_norm, self.n_outputs, "y") * self.y_std + self.y_mean

    def to_dict(self) -> dict[str, list[float]]:
        """Plain lists of floats, ready for JSON."""
        return {
            "x_mean": self.x_mean.ravel().tolist(),
            "x_std": self.x_std.ravel().tolist(),
            "y_mean": self.y_mean.ravel().tolist(),
            "y_std": self.y_std.ravel().tolist(),
        }

    @classmethod
    def from_dict(cls, d) -> Normaliser:
        """Rebuild from `to_dict()` output (e.g. read from a weights file); raises DataError
        saying exactly what is wrong, also for values of the wrong type, since they come
        from a file rather than from a program."""
        return cls(**_validate_stats(d))

    def __repr__(self) -> str:
        d = {k: [float(f"{v:.6g}") for v in vals] for k, vals in self.to_dict().items()}
        return f"Normaliser({d})"


_STAT_KEYS = ("x_mean", "x_std", "y_mean", "y_std")


def _validate_stats(d) -> dict[str, np.ndarray]:
    if not isinstance(d, dict):
        raise DataError(
            f"normaliser: expected a dict with keys {', '.join(_STAT_KEYS)}; got {type(d).__name__}"
        )
    missing = [k for k in _STAT_KEYS if k not in d]
    if missing:
        raise DataError(
            f"normaliser: missing key{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )
    unknown = sorted(str(k) for k in d if k not in _STAT_KEYS)
    if unknown:
        raise DataError(
            f"normaliser: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
        )
    out = {}
    for key in _STAT_KEYS:
        value = d[key]
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
            value = value[0]  # also accept the (1, k) nesting
        if not isinstance(value, (list, tuple)) or len(value) == 0:
            raise DataError(
                f"normaliser: '{key}' must be a non-empty list of numbers; got {value!r:.80}"
            )
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(
                item, (int, float, np.floating, np.integer)
            ):
                raise DataError(f"normaliser: '{key}'[{i}] must be a number; got {item!r:.40}")
            if not math.isfinite(item):
                raise DataError(f"normaliser: '{key}'[{i}] must be finite; got {item!r}")
            if key.endswith("std") and not item > 0:
                raise DataError(
                    f"normaliser: '{key}'[{i}] is a standard deviation and must be "
                    f"positive; got {item!r}"
                )
        out[key] = np.asarray(value, dtype=np.float64).reshape(1, -1)
    for a, b in (("x_mean", "x_std"), ("y_mean", "y_std")):
        if out[a].shape != out[b].shape:
            raise DataError(
                f"normaliser: '{a}' has {out[a].shape[1]} values but '{b}' has "
                f"{out[b].shape[1]}; they must match"
            )
    return out
