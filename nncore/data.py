"""Data to learn from: target functions and the datasets sampled from them.

A network in nn-tutor learns a function of two inputs, z = f(x, y). This module holds the
functions on offer (`FUNCTIONS`, led by the article's own toy problem), turns a formula the
student types into one (`get_function`), and builds datasets from them the two ways the
article does: a regular 100 × 100 grid (`grid`) or points drawn at random (`sample_uniform`),
optionally with measurement noise. For classifiers, `classification` draws the class data
sets of `CLASS_DATASETS` ("circle", "xor", "gaussians", "spiral") on the same square.

It is also the one place a notebook user imports data from: it re-exports `Dataset` (from
`nncore.dataset`), `Normaliser` (from `nncore.normaliser`: the z-scores that travel with a
model), the CSV readers `load_csv`, `load_points_csv` with their limits `MIN_CSV_ROWS`,
`MAX_CSV_BYTES` and the writer `save_points_csv` (from `nncore.csvfiles`), so
`from nncore.data import load_csv` keeps working.

Problems with data (a formula that gives NaN, unreadable files, bad rows) raise `DataError`,
settings out of range (a grid of 1 × 1, negative noise) raise `SettingsError`, and so does a
dataset too large for the memory limit (see `nncore.memory`), before anything is allocated:
`MAX_GRID_SIZE` and `MAX_SAMPLES` bound the counts, `grid_points` and `sample_count` check
them (the command line counts the points this way before it builds anything). Both are
`nncore.errors.NNCoreError`s and ValueErrors whose message says what and where in words a
student can act on. An argument of the wrong type (a string for a count) raises TypeError.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from . import checks, memory
from .csvfiles import MAX_CSV_BYTES, MIN_CSV_ROWS, load_csv, load_points_csv, save_points_csv
from .dataset import Dataset, random_generator
from .errors import DataError, FormulaError, SettingsError
from .formula import parse_formula
from .normaliser import Normaliser

__all__ = [
    "TargetFunction",
    "FUNCTIONS",
    "DEFAULT_FUNCTION",
    "get_function",
    "grid",
    "grid_axes",
    "mesh_points",
    "sample_uniform",
    "classification",
    "sign_classes",
    "SIGN_CLASSES",
    "CLASS_DATASETS",
    "grid_points",
    "sample_count",
    "MAX_GRID_SIZE",
    "MAX_SAMPLES",
    # re-exported from nncore.dataset, nncore.normaliser and nncore.csvfiles
    "Dataset",
    "Normaliser",
    "load_csv",
    "load_points_csv",
    "save_points_csv",
    "MIN_CSV_ROWS",
    "MAX_CSV_BYTES",
    "DataError",
]

DEFAULT_FUNCTION = "article"
# The largest datasets made from a function. Their points take 96 MB (grid) and 120 MB
# (samples); whether a run on them fits in memory is nncore.memory's estimate.
MAX_GRID_SIZE = 2000  # a 2000 × 2000 grid is 4 million points
MAX_SAMPLES = 5_000_000


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
# Datasets made from a function


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


def _grid_size(n: int) -> int:
    """n checked (2 … MAX_GRID_SIZE), and the n × n points' memory checked against the limit."""
    n = checks.whole(n, "the grid size n", 2, MAX_GRID_SIZE)
    what = f"a {n:,} × {n:,} grid ({n * n:,} points)"
    memory.require_fits(memory.estimate_data(n * n), what)
    return n


def grid_points(n: int) -> int:
    """The number of points of an n × n grid, n² (SettingsError when `grid` would refuse n)."""
    return _grid_size(n) ** 2


def sample_count(n: int) -> int:
    """n, checked as `sample_uniform` checks it (1 … MAX_SAMPLES, memory for the points)."""
    n = checks.whole(n, "the number of samples n", 1, MAX_SAMPLES)
    memory.require_fits(memory.estimate_data(n), f"{n:,} random points")
    return n


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
        targets = targets + random_generator(seed).normal(0.0, noise, targets.shape)
        source += f" (noise {noise:g}, seed {seed})"
    return Dataset(inputs, targets, source)


def sample_uniform(fn: str | TargetFunction, n: int, seed: int = 0, noise: float = 0.0) -> Dataset:
    """n points drawn uniformly over the domain (all x first, then all y, from
    default_rng(seed)), targets fn(x, y) plus Gaussian noise of standard deviation `noise`."""
    fn = get_function(fn)
    n = sample_count(n)
    noise = _noise(noise)
    x_lo, x_hi, y_lo, y_hi = fn.domain
    rng = random_generator(seed)
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
# Class data sets: points of two or three classes on the functions' square


@dataclass(frozen=True)
class ClassDataset:
    """A built-in class data set: its name, the class counts it offers, and one sentence on
    what a network must learn to tell its classes apart."""

    name: str
    class_counts: tuple[int, ...]
    description: str


CLASS_DATASETS: dict[str, ClassDataset] = {
    d.name: d
    for d in (
        ClassDataset(
            "circle",
            (2,),
            "A disc of one class inside a ring of the other: no straight line separates "
            "them, one hidden layer can draw the closed boundary.",
        ),
        ClassDataset(
            "xor",
            (2,),
            "The four quadrants, alike when x and y have the same sign: the classic problem "
            "a single neuron cannot solve.",
        ),
        ClassDataset(
            "gaussians",
            (2, 3),
            "Round clouds of points, one per class: almost separable by straight lines, the "
            "easy case.",
        ),
        ClassDataset(
            "spiral",
            (2, 3),
            "Arms winding around the centre, one per class: the boundary curls, so the network "
            "needs width and depth.",
        ),
    )
}

# The square every class data set lives on: the functions' default domain.
CLASS_DOMAIN = (-10.0, 10.0, -10.0, 10.0)


def _circle(rng: np.random.Generator, counts: list[int]) -> list[np.ndarray]:
    # Class 0 inside radius 4, class 1 on a ring from 6 to 9.5: a gap of 2 between them.
    # The radius is drawn as sqrt(uniform) so the points spread evenly over the area.
    spans = [(0.0, 4.0), (6.0, 9.5)]
    points = []
    for (lo, hi), n in zip(spans, counts):
        r = np.sqrt(rng.uniform(lo * lo, hi * hi, n))
        angle = rng.uniform(0.0, 2 * np.pi, n)
        points.append(np.column_stack((r * np.cos(angle), r * np.sin(angle))))
    return points


def _xor(rng: np.random.Generator, counts: list[int]) -> list[np.ndarray]:
    # Class 0 where x and y share a sign, class 1 where they differ; a margin of 0.5 around
    # the axes keeps the quadrants apart.
    points = []
    for c, n in enumerate(counts):
        ax = rng.uniform(0.5, 9.5, n) * rng.choice((-1.0, 1.0), n)
        ay = rng.uniform(0.5, 9.5, n) * np.sign(ax) * (1.0 if c == 0 else -1.0)
        points.append(np.column_stack((ax, ay)))
    return points


def _gaussians(rng: np.random.Generator, counts: list[int]) -> list[np.ndarray]:
    # One cloud (standard deviation 1.8) per class, the centres evenly spaced on a circle of
    # radius 5.
    k = len(counts)
    points = []
    for c, n in enumerate(counts):
        angle = np.pi / 4 + 2 * np.pi * c / k
        centre = 5.0 * np.array([np.cos(angle), np.sin(angle)])
        points.append(centre + rng.normal(0.0, 1.8, (n, 2)))
    return points


def _spiral(rng: np.random.Generator, counts: list[int]) -> list[np.ndarray]:
    # Arm c: radius growing from 0.5 to 9.5 while the angle turns 1.75 times around, started
    # a 1/k of a turn after the previous arm (TensorFlow Playground's spiral, on our square).
    k = len(counts)
    points = []
    for c, n in enumerate(counts):
        t = rng.uniform(0.0, 1.0, n)
        r = 0.5 + 9.0 * t
        angle = 1.75 * 2 * np.pi * t + 2 * np.pi * c / k
        points.append(np.column_stack((r * np.cos(angle), r * np.sin(angle))))
    return points


_CLASS_MAKERS = {"circle": _circle, "xor": _xor, "gaussians": _gaussians, "spiral": _spiral}


# The name files and the app give the classes `sign_classes` makes, beside CLASS_DATASETS'.
SIGN_CLASSES = "sign"


def sign_classes(
    fn: str | TargetFunction, n: int = 400, *, seed: int = 0, noise: float = 0.0
) -> Dataset:
    """n points of two classes told apart by the sign of a function or a typed formula:
    class 1 where fn(x, y) > 0, class 0 elsewhere, e.g. "x^2 + y^2 - 25" (a disc of class 0)
    or "y - sin(x)" (above or below a wave).

    The points are drawn uniformly over the function's domain as `sample_uniform` draws them
    (the same seed, the same points); `noise` moves each point by Gaussian noise of that
    standard deviation AFTER its class was decided, so the classes overlap near the
    boundary, as measured data would. Raises DataError when the function has one sign on
    every point (there would be one class only), FormulaError for a formula that is not one.
    """
    fn = get_function(fn)
    if sample_count(n) < 2:
        raise SettingsError(f"two classes need at least 2 points; got n = {n}")
    noise = _noise(noise)
    drawn = sample_uniform(fn, n, seed=seed)  # the points, and the function's value at each
    labels = (drawn.y[:, 0] > 0).astype(np.float64)  # (n,)
    ones = int(labels.sum())
    if ones in (0, n):
        sign = "positive" if ones else "zero or negative"
        raise DataError(
            f"{fn.label} is {sign} at all {n:,} points, so every point is one class; "
            "choose a formula that changes sign on the square (e.g. subtract a constant)"
        )
    points = drawn.X
    if noise > 0:  # its own stream, so the noise never changes which points are drawn
        x_lo, x_hi, y_lo, y_hi = fn.domain
        moved = points + np.random.default_rng([seed, 1]).normal(0.0, noise, points.shape)
        points = np.clip(moved, [x_lo, y_lo], [x_hi, y_hi])
    source = f"{n} random points classed by the sign of {fn.label} (seed {seed}"
    source += f", noise {noise:g})" if noise > 0 else ")"
    return Dataset(points, labels.reshape(-1, 1), source, ("f ≤ 0", "f > 0"))


def classification(
    name: str, n: int = 400, *, seed: int = 0, noise: float = 0.0, classes: int = 2
) -> Dataset:
    """n points of a built-in class data set (see `CLASS_DATASETS`), seeded.

    Every class gets n // classes points (the first n % classes classes one more), drawn
    from default_rng(seed) and then shuffled; `noise` is the standard deviation of Gaussian
    noise added to both coordinates (the same seed with noise moves the same points), and the points are kept inside the square
    −10 … 10 the functions use (`CLASS_DOMAIN`). `y` holds the class indices (n, 1),
    `classes` the names "class 0", "class 1", ...
    """
    if not isinstance(name, str):
        raise TypeError(f"a class data set is named by a string; got {name!r}")
    key = name.strip().lower()
    if key not in CLASS_DATASETS:
        close = difflib.get_close_matches(key, CLASS_DATASETS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise SettingsError(
            f"unknown class data set {name!r}; choose one of: {', '.join(CLASS_DATASETS)}{hint}"
        )
    offered = CLASS_DATASETS[key].class_counts
    k = checks.whole(classes, "classes", 2)
    if k not in offered:
        raise SettingsError(f"'{key}' comes with {' or '.join(map(str, offered))} classes; got {k}")
    n = sample_count(n)
    if n < k:
        raise SettingsError(f"{k} classes need at least {k} points; got n = {n}")
    noise = _noise(noise)
    rng = random_generator(seed)
    counts = [n // k + (1 if c < n % k else 0) for c in range(k)]
    points = np.concatenate(_CLASS_MAKERS[key](rng, counts))  # (n, 2), class after class
    labels = np.repeat(np.arange(k, dtype=np.float64), counts)  # (n,)
    order = rng.permutation(n)  # drawn before the noise: noise moves the same points
    if noise > 0:
        points = points + rng.normal(0.0, noise, points.shape)
    x_lo, x_hi, y_lo, y_hi = CLASS_DOMAIN
    points = np.clip(points, [x_lo, y_lo], [x_hi, y_hi])
    source = f"{n} points of the {k}-class {key} (seed {seed}"
    source += f", noise {noise:g})" if noise > 0 else ")"
    from .classification import default_class_names

    return Dataset(points[order], labels[order].reshape(-1, 1), source, default_class_names(k))
