"""Data to learn from: target functions, sampled datasets, CSV import and normalisation.

A network in nn-tutor learns a function of two inputs, z = f(x, y). This module holds the
functions on offer (`FUNCTIONS`, led by the article's own toy problem), turns a formula the
student types into one (`get_function`), and builds datasets from them the two ways the
article does: a regular 100 × 100 grid (`grid`) or points drawn at random (`sample_uniform`),
optionally with measurement noise. Data can also come from a CSV file (`load_csv`), and so
can points to predict at, with or without known answers (`load_points_csv`).

Before training, inputs and targets are z-scored (minus the mean, divided by the standard
deviation) so every number the network sees is of order 1; `Normaliser` remembers those
statistics and travels with the model, so predictions come back in the original units.

Problems with data (unreadable files, bad rows, a formula that gives NaN) raise `DataError`,
settings out of range (a grid of 1 × 1, negative noise) raise `SettingsError`; both are
`nncore.errors.NNCoreError`s and ValueErrors whose message says what and where in words a
student can act on. An argument of the wrong type (a string for a count) raises TypeError.

Why it is long (about 850 lines): the CSV reader is 300 of them, because every way a
spreadsheet export goes wrong gets its own sentence naming the line.
"""

from __future__ import annotations

import csv
import difflib
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import checks
from .errors import DataError, FormulaError, SettingsError
from .formula import parse_formula

__all__ = [
    "TargetFunction",
    "FUNCTIONS",
    "DEFAULT_FUNCTION",
    "get_function",
    "Dataset",
    "grid",
    "grid_axes",
    "sample_uniform",
    "load_csv",
    "load_points_csv",
    "DataError",
    "MIN_CSV_ROWS",
    "Normaliser",
]

DEFAULT_FUNCTION = "article"
MIN_CSV_ROWS = 10
MAX_CSV_BYTES = 30_000_000  # about 500,000 rows of three numbers (a few seconds to read)
MAX_GRID_SIZE = 2000  # a 2000 × 2000 grid is 4 million points
MAX_SAMPLES = 5_000_000
_MAX_LISTED_PROBLEMS = 8


# ---------------------------------------------------------------------------------------------
# Target functions


@dataclass(frozen=True)
class TargetFunction:
    """A function z = fn(x, y) to learn, on the rectangle `domain` = (x_lo, x_hi, y_lo, y_hi).

    `label` is the formula as a person writes it, `description` one sentence on what it looks
    like and why it is instructive. `fn` is vectorised: arrays in, array of the same shape out.
    """

    name: str
    label: str
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray]
    domain: tuple[float, float, float, float] = (-10, 10, -10, 10)
    description: str = ""

    def __post_init__(self):
        if len(self.domain) != 4:
            raise SettingsError(f"domain must be (x_lo, x_hi, y_lo, y_hi); got {self.domain!r}")
        x_lo, x_hi, y_lo, y_hi = self.domain
        if not all(math.isfinite(v) for v in self.domain) or not (x_lo < x_hi and y_lo < y_hi):
            raise SettingsError(
                f"domain must be finite with lo < hi on both axes; got {self.domain!r}"
            )

    def __call__(self, x, y) -> np.ndarray:
        """fn(x, y) as a float64 array of the inputs' broadcast shape, NumPy warnings silenced."""
        x, y = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        with np.errstate(all="ignore"):
            z = self.fn(x, y)
        return np.array(np.broadcast_to(np.asarray(z, dtype=np.float64), x.shape))


def _article(x, y):
    # The article's toy problem, term for term in its order, so the grid matches it bit for bit.
    return np.sin(x) + x * np.cos(y) + y + 3 ** (x / 3)


def _mean(x, y):
    return (x + y) / 2


def _plane(x, y):
    return 2 * x - y + 5


def _saddle(x, y):
    return (x * x - y * y) / 10


def _ripple(x, y):
    return np.sin(np.sqrt(x * x + y * y))


def _bumps(x, y):
    hill = 3 * np.exp(-((x - 4) ** 2 + (y - 4) ** 2) / 8)
    hollow = 2 * np.exp(-((x + 4) ** 2 + (y + 3) ** 2) / 8)
    return hill - hollow


FUNCTIONS: dict[str, TargetFunction] = {
    f.name: f
    for f in (
        TargetFunction(
            "article",
            "sin x + x·cos y + y + 3^(x/3)",
            _article,
            description="The article's toy problem: a slope that rises steeply towards large x, "
            "with waves along y that grow stronger away from x = 0.",
        ),
        TargetFunction(
            "mean",
            "(x + y) / 2",
            _mean,
            description="The lesson's task, the average of the two inputs: a flat tilted plane "
            "that a single neuron with no activation can learn exactly.",
        ),
        TargetFunction(
            "plane",
            "2x − y + 5",
            _plane,
            description="Another flat tilted plane: a straight-line model fits it perfectly, so "
            "any remaining error comes from training, not from the model.",
        ),
        TargetFunction(
            "saddle",
            "(x² − y²) / 10",
            _saddle,
            description="A saddle, rising along x and falling along y: no flat plane can fit it, "
            "so the network needs its hidden layers to bend.",
        ),
        TargetFunction(
            "ripple",
            "sin √(x² + y²)",
            _ripple,
            description="Rings of waves spreading from the centre: each ring needs its own "
            "neurons, a good test of how much a network can represent.",
        ),
        TargetFunction(
            "bumps",
            "3·e^(−((x−4)² + (y−4)²)/8) − 2·e^(−((x+4)² + (y+3)²)/8)",
            _bumps,
            description="A hill and a hollow on flat ground: the network must learn where "
            "things happen, not just an overall trend.",
        ),
    )
}


def get_function(name_or_formula: str | TargetFunction) -> TargetFunction:
    """A registered function by name (e.g. "article"), else the text parsed as a formula.

    A formula becomes TargetFunction(name="formula", label=<the text>) on the default domain;
    a TargetFunction is passed through. Raises FormulaError (a ValueError) when the text is
    neither, TypeError when it is not text at all.
    """
    if isinstance(name_or_formula, TargetFunction):
        return name_or_formula
    if not isinstance(name_or_formula, str):
        raise TypeError(
            f"expected a function name or a formula, not {type(name_or_formula).__name__}"
        )
    text = name_or_formula.strip()
    if text.lower() in FUNCTIONS:
        return FUNCTIONS[text.lower()]
    if text == "":
        raise FormulaError(
            "no function given; choose one of "
            + ", ".join(FUNCTIONS)
            + " or type a formula in x and y"
        )
    try:
        formula = parse_formula(name_or_formula)
    except FormulaError as err:
        if not (text.isidentifier() and err.message.startswith(f"'{text}' is not allowed; use")):
            raise
        # A single unknown word: most likely a mistyped function name, so list the names.
        close = difflib.get_close_matches(text.lower(), FUNCTIONS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise FormulaError(
            f"'{text}' is neither one of the functions ({', '.join(FUNCTIONS)}) "
            f"nor a formula in x and y{hint}",
            err.position,
        ) from None
    return TargetFunction("formula", text, formula, description="Your own formula in x and y.")


# ---------------------------------------------------------------------------------------------
# Datasets


@dataclass(eq=False)
class Dataset:
    """Inputs `X` (n, k) and targets `y` (n, m), float64, with a readable `source`."""

    X: np.ndarray
    y: np.ndarray
    source: str = ""

    def __post_init__(self):
        self.X = np.asarray(self.X, dtype=np.float64)
        self.y = np.asarray(self.y, dtype=np.float64)
        if self.y.ndim == 1:
            self.y = self.y.reshape(-1, 1)
        if self.X.ndim != 2:
            raise DataError(f"X must be a 2-D array (n, inputs); got shape {self.X.shape}")
        if self.y.ndim != 2 or self.y.shape[0] != self.X.shape[0]:
            raise DataError(
                f"y must have shape ({self.X.shape[0]}, outputs) to match X; got {self.y.shape}"
            )
        for name, values in (("X", self.X), ("y", self.y)):
            bad = ~np.isfinite(values)
            if bad.any():
                row = int(np.argwhere(bad)[0][0])
                raise DataError(
                    f"{name} holds NaN or inf (first at sample {row}); "
                    "a network cannot learn from them"
                )

    def __len__(self) -> int:
        return self.X.shape[0]

    def __repr__(self) -> str:
        return f"Dataset({len(self)} samples, X {self.X.shape}, y {self.y.shape}, {self.source!r})"

    @property
    def n_inputs(self) -> int:
        return self.X.shape[1]

    @property
    def n_outputs(self) -> int:
        return self.y.shape[1]

    def bounds(self) -> tuple[float, float, float, float]:
        """(x_lo, x_hi, y_lo, y_hi): the rectangle the first two inputs span."""
        lo, hi = self.X[:, :2].min(axis=0), self.X[:, :2].max(axis=0)
        return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])

    def subset(self, indices, source: str | None = None) -> Dataset:
        """The samples at `indices` (copied), in that order."""
        indices = np.asarray(indices, dtype=np.intp)
        return Dataset(self.X[indices], self.y[indices], self.source if source is None else source)

    def split(self, val_share: float, seed: int = 0) -> tuple[Dataset, Dataset]:
        """Split into (train, validation) by a permutation drawn from default_rng(seed).

        round(n · val_share) samples go to validation (so validation is empty when the share
        is 0), but the training part always keeps at least one. Both parts keep the original
        order of their samples.
        """
        share = checks.number(val_share, "val_share", 0.0, 1.0, high_open=True)
        n = len(self)
        n_val = min(int(round(n * share)), max(n - 1, 0))
        order = _rng(seed).permutation(n)
        val_idx = np.sort(order[:n_val])
        train_idx = np.sort(order[n_val:])
        base = self.source or "data"
        return (
            self.subset(train_idx, f"{base}, training part ({len(train_idx)} of {n})"),
            self.subset(val_idx, f"{base}, validation part ({len(val_idx)} of {n})"),
        )


def _finite_targets(fn: TargetFunction, xs: np.ndarray, ys: np.ndarray, z: np.ndarray):
    """Raise DataError naming where fn gives NaN or inf."""
    bad = ~np.isfinite(z)
    n_bad = int(np.count_nonzero(bad))
    if n_bad == 0:
        return
    first = int(np.flatnonzero(bad)[0])
    what = f"the formula {fn.label}" if fn.name == "formula" else f"the function '{fn.name}'"
    value = z.flat[first]
    kind = "NaN (undefined)" if np.isnan(value) else "an infinite value (too large)"
    raise DataError(
        f"{what} gives NaN or inf at {n_bad} of the {z.size} points, e.g. "
        f"{kind} at x={xs.flat[first]:.6g}, y={ys.flat[first]:.6g}; change the formula so it is "
        "defined everywhere on the range, e.g. log(abs(x) + 1) instead of log(x), "
        "sqrt(abs(x)) instead of sqrt(x), 1/(x^2 + 1) instead of 1/x"
    )


def _rng(seed: int | None) -> np.random.Generator:
    """default_rng(seed), with a plain message for seeds it cannot take."""
    return np.random.default_rng(checks.whole(seed, "seed", 0, allow_none=True))


def _grid_size(n: int) -> int:
    # The upper limit keeps an n × n grid within memory.
    return checks.whole(n, "the grid size n", 2, MAX_GRID_SIZE)


def _noise(noise: float) -> float:
    return checks.number(noise, "noise (a standard deviation)", 0.0)


def grid_axes(fn: str | TargetFunction, n: int = 100) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, Z) for contour plots: xs, ys = linspace over the domain, Z[row=y, col=x].

    Built exactly like the article: linspace in each axis, meshgrid, fn on the mesh.
    """
    fn = get_function(fn)
    n = _grid_size(n)
    x_lo, x_hi, y_lo, y_hi = fn.domain
    xs = np.linspace(x_lo, x_hi, n)
    ys = np.linspace(y_lo, y_hi, n)
    X, Y = np.meshgrid(xs, ys)  # (n, n): X varies along columns, Y along rows
    Z = fn(X, Y)
    _finite_targets(fn, X, Y, Z)
    return xs, ys, Z


def mesh_points(domain: Sequence[float], n: int = 100) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, points): an n × n mesh over (x_lo, x_hi, y_lo, y_hi), flattened like `grid`.

    `points` is (n², 2), row k being (xs[k % n], ys[k // n]), so values computed on it reshape
    to (n, n) indexed [row=y, col=x]. For contour views of data without a known function,
    pass `dataset.bounds()`.
    """
    x_lo, x_hi, y_lo, y_hi = (float(v) for v in domain)
    n = _grid_size(n)
    xs = np.linspace(x_lo, x_hi, n)
    ys = np.linspace(y_lo, y_hi, n)
    X, Y = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack((X.ravel(), Y.ravel()))


def grid(fn: str | TargetFunction, n: int = 100, *, noise: float = 0.0, seed: int = 0) -> Dataset:
    """An n × n grid over the domain, flattened row by row: the article's training set.

    Row k of the dataset is the mesh point (row k // n, column k % n), so
    `ds.y.reshape(n, n)[iy, ix]` is the target at (xs[ix], ys[iy]). With `noise` > 0,
    Gaussian noise of that standard deviation (from default_rng(seed)) is added to targets.
    """
    fn = get_function(fn)
    noise = _noise(noise)
    xs, ys, Z = grid_axes(fn, n)
    X, Y = np.meshgrid(xs, ys)
    inputs = np.column_stack((X.flatten(), Y.flatten()))  # (n*n, 2)
    targets = Z.flatten().reshape(-1, 1)  # (n*n, 1)
    source = f"{n}×{n} grid of {fn.label}"
    if noise > 0:
        targets = targets + _rng(seed).normal(0.0, noise, targets.shape)
        source += f" (noise {noise:g}, seed {seed})"
    return Dataset(inputs, targets, source)


def sample_uniform(fn: str | TargetFunction, n: int, seed: int = 0, noise: float = 0.0) -> Dataset:
    """n points drawn uniformly over the domain (all x first, then all y, from
    default_rng(seed)), targets fn(x, y) plus Gaussian noise of standard deviation `noise`."""
    fn = get_function(fn)
    n = checks.whole(n, "the number of samples n", 1, MAX_SAMPLES)
    noise = _noise(noise)
    x_lo, x_hi, y_lo, y_hi = fn.domain
    rng = _rng(seed)
    xs = rng.uniform(x_lo, x_hi, n)
    ys = rng.uniform(y_lo, y_hi, n)
    z = fn(xs, ys)
    _finite_targets(fn, xs, ys, z)
    if noise > 0:
        z = z + rng.normal(0.0, noise, n)
    source = f"{n} random points of {fn.label} (seed {seed}"
    source += f", noise {noise:g})" if noise > 0 else ")"
    return Dataset(np.column_stack((xs, ys)), z.reshape(-1, 1), source)


# ---------------------------------------------------------------------------------------------
# Normalisation


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


# ---------------------------------------------------------------------------------------------
# CSV import

_TARGET_NAMES = ("target", "z", "f", "value", "output", "label")


def load_csv(path) -> Dataset:
    """Read columns x, y, target from a CSV file.

    A header row is optional: with one, the columns are found by name (x, y and target, or z,
    f, value, output), in any order, and extra columns are ignored; without one, each row
    holds exactly x, y, target. Commas, semicolons (with decimal commas allowed), tabs or
    spaces separate the values (Excel's "sep=;" first line is understood); blank lines and
    lines starting with '#' are skipped.
    Raises DataError naming every faulty line (the first few in the message, all in `.lines`).
    """
    X, y, name = _read_columns(
        path,
        ("x", "y"),
        target_required=True,
        min_rows=MIN_CSV_ROWS,
        purpose="to train and check a network",
    )
    assert y is not None  # target_required: every row was read with its target
    return Dataset(X, y, f"{name} ({len(X)} rows)")


def load_points_csv(path, n_inputs: int = 2) -> tuple[np.ndarray, np.ndarray | None]:
    """Points to predict at, from a CSV file: (X of shape (n, n_inputs), targets (n, 1) or None).

    The file is read by the same rules as `load_csv` (separators, comments, encodings, size
    limit, messages naming the faulty lines), with two differences: the target column is
    optional, and a single row is enough. The inputs are the columns named x and y (x1, x2,
    ... for a network with other than two inputs), else the first columns; with a header, a
    column named target (or z, f, value, output, label) holds known answers, and any other
    column is ignored. Without a header, the first row decides: `n_inputs` values are inputs
    only, one more is inputs then target. Raises DataError, as `load_csv` does.
    """
    n_inputs = checks.whole(n_inputs, "n_inputs", 1)
    names = ("x", "y") if n_inputs == 2 else tuple(f"x{i + 1}" for i in range(n_inputs))
    X, y, _ = _read_columns(
        path, names, target_required=False, min_rows=1, purpose="to make a prediction"
    )
    return X, y


class _Layout(NamedTuple):
    """Which fields of a row to read: the inputs' indices, then the target's if it has one."""

    columns: tuple[int, ...]
    names: tuple[str, ...]  # the same columns' names, for messages
    n_fields: int  # how many fields every row must have
    has_target: bool
    expected: str  # what a row should hold, e.g. "3 values (x, y, target)"


def _read_columns(
    path, input_names: tuple[str, ...], *, target_required: bool, min_rows: int, purpose: str
) -> tuple[np.ndarray, np.ndarray | None, str]:
    """(X, y or None, the file's display name): the reader behind load_csv and load_points_csv.

    `purpose` ends the message for a file with fewer than `min_rows` rows ("... needed to
    train and check a network").
    """
    wanted = _column_list(input_names, target_required)
    text, name = _read_text(path)
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    delimiter = None
    if lines and re.fullmatch(r"\s*sep=.\s*", lines[0][1], flags=re.IGNORECASE):
        delimiter = lines[0][1].strip()[4]
        lines = lines[1:]
    if not lines:
        raise DataError(f"{name} is empty: it holds no rows of numbers (expected columns {wanted})")
    table = _split_lines(lines, delimiter)  # [(line number, [field, ...]), ...]

    header_line, header = table[0]
    layout = _header_layout(header, input_names, target_required)
    if layout is not None:
        table = table[1:]
        counts = f"{layout.n_fields}"
    else:
        layout = _plain_layout(len(header), input_names, target_required)
        n = len(input_names)
        counts = f"{layout.n_fields}" if target_required else f"{n} or {n + 1}"

    widths = {len(fields) for _, fields in table}
    if len(widths) == 1 and widths != {layout.n_fields}:
        (width,) = widths
        raise DataError(
            f"{name}: every row has {width} value{'s' if width != 1 else ''} but "
            f"{counts} are expected ({wanted}); check the separator and the "
            f"columns (first data row: line {table[0][0]})",
            [number for number, _ in table],
        )
    values, problems = _read_rows(table, layout)
    if problems:
        listed = "\n".join(
            f"  line {number}: {what}" for number, what in problems[:_MAX_LISTED_PROBLEMS]
        )
        more = len(problems) - _MAX_LISTED_PROBLEMS
        tail = f"\n  ... and {more} more line{'s' if more > 1 else ''}" if more > 0 else ""
        raise DataError(
            f"{name} has {len(problems)} bad line{'s' if len(problems) > 1 else ''}:"
            f"\n{listed}{tail}",
            [number for number, _ in problems],
            problems,
        )
    if len(values) < min_rows:
        numbers = [number for number, _ in table]
        where = (
            f" (lines {numbers[0]}–{numbers[-1]})"
            if len(numbers) > 1
            else f" (line {numbers[0]})"
            if numbers
            else f" (only a header on line {header_line})"
        )
        raise DataError(
            f"{name} has only {len(values)} data row{'s' if len(values) != 1 else ''}"
            f"{where}; at least {min_rows} {'is' if min_rows == 1 else 'are'} "
            f"needed {purpose}",
            numbers,
        )
    data = np.array(values, dtype=np.float64).reshape(len(values), len(layout.columns))
    n = len(input_names)
    return data[:, :n], (data[:, n:] if layout.has_target else None), name


def _column_list(input_names: tuple[str, ...], target_required: bool) -> str:
    """ "x, y, target", or "x, y and maybe a target" when the target is optional."""
    inputs = ", ".join(input_names)
    return f"{inputs}, target" if target_required else f"{inputs} and maybe a target"


def _read_rows(table, layout: _Layout):
    """Numbers from the split lines: ([(inputs..., target), ...], [(line number, problem), ...])."""
    values: list[tuple[float, ...]] = []
    problems: list[tuple[int, str]] = []
    for number, fields in table:
        if len(fields) != layout.n_fields:
            problems.append((number, f"expected {layout.expected}, found {len(fields)}"))
            continue
        row = []
        for column, column_name in zip(layout.columns, layout.names):
            raw = fields[column]
            parsed = _number(raw)
            if parsed is None:
                shown = repr(raw) if raw else "nothing"
                hint = (
                    "; for decimal commas separate the columns with ';'"
                    if re.fullmatch(r"[-+]?\d+,\d+", raw)
                    else ""
                )
                problems.append(
                    (number, f"column '{column_name}' holds {shown}, which is not a number{hint}")
                )
                break
            if not math.isfinite(parsed):
                problems.append(
                    (
                        number,
                        f"column '{column_name}' is {raw}; every value must be a finite number",
                    )
                )
                break
            row.append(parsed)
        else:
            values.append(tuple(row))
    return values, problems


def _read_text(path) -> tuple[str, str]:
    """The file's text and a display name; DataError for anything unreadable."""
    try:
        path = os.fspath(path)
    except TypeError:
        raise TypeError(f"expected a file path, not {type(path).__name__}") from None
    name = os.path.basename(path) or path
    try:
        size = os.path.getsize(path)
        if size > MAX_CSV_BYTES:
            raise DataError(
                f"{name} is too large ({size / 1e6:.0f} MB; at most {MAX_CSV_BYTES / 1e6:.0f} MB)"
            )
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise DataError(f"file not found: {path}") from None
    except IsADirectoryError:
        raise DataError(f"{path} is a folder, not a file") from None
    except PermissionError:
        raise DataError(f"no permission to read {path}") from None
    except OSError as err:
        raise DataError(f"could not read {path}: {err.strerror or err}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, e.g. Excel's "Unicode text"
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            f"{name} is not a text file in UTF-8 (undecodable bytes on line {line}); "
            "save it as CSV UTF-8",
            [line],
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError(f"{name} looks like a binary file, not CSV text (line {line})", [line])
    return text, name


def _split_lines(lines: list[tuple[int, str]], delimiter: str | None):
    """Cut each line into stripped fields. The separator, unless given, is guessed from the
    first line: ';' (then decimal commas are allowed), ',', a tab, else runs of spaces.
    A trailing separator at the end of a line (some spreadsheets write one) is ignored."""
    first = lines[0][1]
    if delimiter is None:
        delimiter = next((d for d in (";", ",", "\t") if d in first), " ")
    table = []
    for number, line in lines:
        if delimiter == " ":
            fields = line.split()
        elif '"' in line:  # quoted fields: let the csv module read them
            fields = [f.strip() for f in next(csv.reader([line], delimiter=delimiter), [])]
        else:
            fields = [f.strip() for f in line.split(delimiter)]
        if len(fields) > 1 and fields[-1] == "":
            fields.pop()
        if delimiter == ";":
            fields = [f.replace(",", ".") if "." not in f else f for f in fields]
        table.append((number, fields))
    return table


def _number(text: str) -> float | None:
    if not text or "_" in text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _header_layout(
    fields: list[str], input_names: tuple[str, ...], target_required: bool
) -> _Layout | None:
    """The columns to read if `fields` is a header row (no field is a number), else None.

    The inputs are found by name. A required target is the column with a target name, else
    the one column left besides the inputs; a header naming no inputs must then have exactly
    one column more than the inputs, taken in order: inputs, then target. An optional target
    is only ever found by name, and inputs not named are the first other columns.
    """
    if any(_number(f.strip()) is not None for f in fields):
        return None
    shown = [f.strip().strip('"') for f in fields]
    names = [f.lower() for f in shown]
    n = len(input_names)
    target = next((names.index(t) for t in _TARGET_NAMES if t in names), None)
    if all(name in names for name in input_names):
        inputs = tuple(names.index(name) for name in input_names)
        if target is None and target_required and len(fields) == n + 1:
            (target,) = set(range(n + 1)) - set(inputs)  # the column left, whatever its name
    elif target_required:
        if len(fields) != n + 1:
            return None
        inputs, target = tuple(range(n)), n
    else:
        inputs = tuple(i for i in range(len(fields)) if i != target)[:n]
        if len(inputs) < n:
            return None
    if target is None and target_required:
        return None
    columns = inputs if target is None else (*inputs, target)
    has_target = target is not None
    used = tuple(shown[i] for i in columns)
    if len(fields) == len(columns) and used[0] == input_names[0]:
        expected = f"{len(fields)} values ({', '.join(input_names + ('target',) * has_target)})"
    else:
        expected = f"{len(fields)} values as in the header"
    return _Layout(columns, used, len(fields), has_target, expected)


def _plain_layout(width: int, input_names: tuple[str, ...], target_required: bool) -> _Layout:
    """The columns of a file without a header: the inputs, then the target (which, when it is
    optional, is there if the first row, `width` fields wide, has more than the inputs)."""
    has_target = target_required or width != len(input_names)
    names = input_names + ("target",) * has_target
    return _Layout(
        tuple(range(len(names))),
        names,
        len(names),
        has_target,
        f"{len(names)} values ({', '.join(names)})",
    )
