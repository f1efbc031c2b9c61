"""Points a student draws on the data map: the list, its undo steps, and the data set it makes.

In the Train tab's "Draw points" mode a left click on the first map adds a point with the
value typed in the data panel (regression) or the class picked there (classification), a
right-drag erases the points under a round brush, and Ctrl+Z undoes the last add or erase.
`DrawnPoints` is that editing, without Qt:

    points = DrawnPoints.empty(classes=None)      # or .from_dataset(current data set)
    points.add(1.5, -2.0, 3.2)                   # a point and its value (or class index)
    points.erase_near(1.4, -2.1, radius=0.8)      # -> how many were removed
    points.undo()                                 # the erase is undone, nothing lost
    points.problem()                              # None once there is enough to train on
    points.dataset()                              # an nncore Dataset of exactly these points

Every change pushes the previous points on an undo stack (the arrays are small: at most
`MAX_POINTS`), so undoing an erase brings back the very points it removed, in their order.
An erase drag is one step: `begin_erase` before the first move, every `erase_near` of the
drag then adds to that step. Points live in the domain [−10, 10]² (`DOMAIN`), the square
of nncore's class data sets and of the maps; a point outside it is refused.

Needs no Qt: tested without it.
"""

from __future__ import annotations

import numpy as np

from nncore import checks
from nncore import data as nndata
from nncore.classification import default_class_names
from nncore.errors import SettingsError

DOMAIN = nndata.CLASS_DOMAIN  # (x_lo, x_hi, y_lo, y_hi): where points may be drawn
MIN_POINTS = nndata.MIN_CSV_ROWS  # to train, and so that a saved file loads back (10)
# A drawn set, as many as a lesson file holds (nncore.lessonfile.MAX_POINTS); a larger data
# set is thinned to this many to edit it.
MAX_POINTS = 5_000
MAX_UNDO = 200  # undo steps kept (each a copy of at most MAX_POINTS points)
ERASE_RADIUS = 0.8  # the brush's radius in data units: about 12 px on a 300 px map
MIN_CLASS_CHOICES = 3  # classes offered to draw, at least (the built-in data sets' most)


class DrawnPoints:
    """Points (n, 2) with a value each (n,): a target, or a class index when `classes`
    (the class names offered) is given. See the module docstring."""

    def __init__(self, X, values, classes: tuple[str, ...] | None = None):
        X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        if len(values) != len(X):
            raise SettingsError(f"{len(X)} points but {len(values)} values")
        if len(X) > MAX_POINTS:
            raise SettingsError(f"{len(X):,} points; draw at most {MAX_POINTS:,}")
        self.classes = None if classes is None else tuple(str(c) for c in classes)
        self.X, self.values = X.copy(), values.copy()
        self._undo: list[tuple[np.ndarray, np.ndarray]] = []
        self._erasing = False  # an erase drag is under way: its removals are one undo step

    @classmethod
    def empty(cls, classes: tuple[str, ...] | None = None) -> DrawnPoints:
        return cls(np.empty((0, 2)), np.empty(0), classes)

    @classmethod
    def from_dataset(cls, dataset: nndata.Dataset, seed: int = 0) -> DrawnPoints:
        """The points of a data set with two inputs and one target (or its classes), those
        inside the domain; more than MAX_POINTS are thinned to a random MAX_POINTS."""
        if dataset.n_inputs != 2 or dataset.n_outputs != 1:
            raise SettingsError("only data with two inputs (x, y) and one target can be drawn")
        keep = _inside(dataset.X)
        X, values = dataset.X[keep], dataset.y[keep, 0]
        if len(X) > MAX_POINTS:
            order = np.sort(nndata.random_generator(seed).permutation(len(X))[:MAX_POINTS])
            X, values = X[order], values[order]
        classes = None if dataset.classes is None else class_choices(dataset.classes)
        return cls(X, values, classes)

    def __len__(self) -> int:
        return len(self.X)

    # -- editing --
    def add(self, x: float, y: float, value: float) -> None:
        """Add the point (x, y) with `value` (a class index for classes); an undo step."""
        x = checks.number(x, "x", DOMAIN[0], DOMAIN[1])
        y = checks.number(y, "y", DOMAIN[2], DOMAIN[3])
        if self.classes is not None:
            value = checks.whole(value, "class", 0, len(self.classes) - 1)
        value = checks.number(value, "value")
        if len(self) >= MAX_POINTS:
            raise SettingsError(f"there are {MAX_POINTS:,} points already, the most a set holds")
        self._push()
        self.X = np.vstack([self.X, [[x, y]]])
        self.values = np.append(self.values, value)

    def begin_erase(self) -> None:
        """An erase drag starts: what it removes until `end_erase` is one undo step."""
        self._erasing = True
        self._erase_pushed = False

    def end_erase(self) -> None:
        self._erasing = False

    @property
    def erasing(self) -> bool:
        """An erase drag is under way (between `begin_erase` and `end_erase`)."""
        return self._erasing

    def erase_near(self, x: float, y: float, radius: float = ERASE_RADIUS) -> int:
        """Remove the points within `radius` of (x, y); returns how many were removed."""
        hit = self.indices_near(x, y, radius)
        if hit.size == 0:
            return 0
        if not (self._erasing and self._erase_pushed):
            self._push()
            self._erase_pushed = self._erasing
        keep = np.ones(len(self), dtype=bool)
        keep[hit] = False
        self.X, self.values = self.X[keep], self.values[keep]
        return int(hit.size)

    def indices_near(self, x: float, y: float, radius: float = ERASE_RADIUS) -> np.ndarray:
        """The indices (k,) of the points within `radius` of (x, y)."""
        radius = checks.number(radius, "radius", 0.0)
        d2 = ((self.X - np.array([x, y], dtype=np.float64)) ** 2).sum(axis=1)  # (n,)
        return np.flatnonzero(d2 <= radius * radius)

    def replace(self, X, values) -> None:
        """Take other points (e.g. read from a file, or none to clear); an undo step."""
        other = DrawnPoints(X, values, self.classes)
        self._push()
        self.X, self.values = other.X, other.values

    def undo(self) -> bool:
        """Go back one step (an add, an erase drag, a clear); False when there is none."""
        if not self._undo:
            return False
        self.X, self.values = self._undo.pop()
        return True

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def _push(self) -> None:
        self._undo.append((self.X.copy(), self.values.copy()))
        del self._undo[:-MAX_UNDO]

    # -- what they make --
    def labels(self) -> np.ndarray:
        """The class indices as ints (n,) (for classes)."""
        return self.values.astype(np.intp)

    def used_classes(self) -> tuple[str, ...] | None:
        """The class names the data set has: the offered ones up to the highest class drawn
        (at least two), so the network has one output per class drawn."""
        if self.classes is None:
            return None
        highest = int(self.values.max()) if len(self) else 0
        return self.classes[: max(highest + 1, 2)]

    def problem(self) -> str | None:
        """Why these points cannot train a network yet (a sentence), or None."""
        if len(self) < MIN_POINTS:
            return (
                f"Draw at least {MIN_POINTS} points to train ({len(self)} so far): click on "
                "the first map."
            )
        if self.classes is not None and len(np.unique(self.values)) < 2:
            return "Draw points of at least two classes: a classifier tells classes apart."
        return None

    def dataset(self) -> nndata.Dataset:
        """The points as a Dataset (class indices and names for classes)."""
        source = f"your {len(self)} drawn points"
        return nndata.Dataset(self.X.copy(), self.values.copy(), source, self.used_classes())

    def value_range(self) -> tuple[float, float]:
        """The colour range of the values drawn (widened by ±1 around one value; 0 … 1 for
        none), so a single point is coloured too."""
        if self.classes is not None:
            return 0.0, float(len(self.classes) - 1)
        if not len(self):
            return 0.0, 1.0
        lo, hi = float(self.values.min()), float(self.values.max())
        return (lo - 1.0, hi + 1.0) if hi <= lo else (lo, hi)


def class_choices(names) -> tuple[str, ...]:
    """The classes offered to draw: a data set's own names, then "class k" up to at least
    MIN_CLASS_CHOICES classes."""
    names = tuple(str(n) for n in names)
    extra = default_class_names(max(MIN_CLASS_CHOICES, len(names)))[len(names) :]
    return names + extra


def _inside(X: np.ndarray) -> np.ndarray:
    """Which rows of X (n, 2) lie in the domain (bool (n,))."""
    x_lo, x_hi, y_lo, y_hi = DOMAIN
    return (X[:, 0] >= x_lo) & (X[:, 0] <= x_hi) & (X[:, 1] >= y_lo) & (X[:, 1] <= y_hi)


__all__ = [
    "DrawnPoints",
    "DOMAIN",
    "MIN_POINTS",
    "MAX_POINTS",
    "ERASE_RADIUS",
    "class_choices",
]
