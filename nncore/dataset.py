"""A dataset: the inputs a network sees and the targets it should answer, sample by sample.

`Dataset` holds inputs `X` of shape (n, inputs) and targets `y` of shape (n, outputs) as
float64, checked on the way in (matching rows, no NaN or inf, which a network cannot learn
from), and splits itself into a training and a validation part by a seeded permutation.
The datasets themselves are made in `nncore.data` (from a function, or the class data sets
of `nncore.data.classification`) and `nncore.csvfiles` (from a file); `random_generator` is
the seeded generator all of them draw from. A classification dataset holds class indices
0 … k − 1 in `y` (one column) and the names of its classes in `classes`; for regression
`classes` is None.

Bad arrays raise `DataError`, a share or seed out of range `SettingsError` (both
`nncore.errors.NNCoreError`s and ValueErrors); a wrong type raises TypeError.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import checks
from .errors import DataError

__all__ = ["Dataset", "random_generator"]


def random_generator(seed: int | None) -> np.random.Generator:
    """default_rng(seed), with a plain message for seeds it cannot take."""
    return np.random.default_rng(checks.whole(seed, "seed", 0, allow_none=True))


@dataclass(eq=False)
class Dataset:
    """Inputs `X` (n, k) and targets `y` (n, m), float64, with a readable `source`; for
    classification, `classes` names each class and `y` (n, 1) holds class indices."""

    X: np.ndarray
    y: np.ndarray
    source: str = ""
    classes: tuple[str, ...] | None = None

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
        if self.classes is not None:
            self.classes = tuple(str(c) for c in self.classes)
            k = len(self.classes)
            labels = self.y
            if k < 2 or labels.shape[1] != 1:
                raise DataError(
                    f"a classification dataset needs at least two class names and one column "
                    f"of class indices; got {k} name(s) and y of shape {labels.shape}"
                )
            bad = (labels != np.round(labels)) | (labels < 0) | (labels >= k)
            if bad.any():
                row = int(np.argwhere(bad)[0][0])
                raise DataError(
                    f"y must hold class indices 0 to {k - 1}; sample {row} holds {labels[row, 0]:g}"
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

    @property
    def labels(self) -> np.ndarray:
        """A classification dataset's class indices as ints (n,)."""
        if self.classes is None:
            raise DataError("this dataset has no classes (it is for regression)")
        return self.y[:, 0].astype(np.intp)

    def bounds(self) -> tuple[float, float, float, float]:
        """(x_lo, x_hi, y_lo, y_hi): the rectangle the first two inputs span."""
        lo, hi = self.X[:, :2].min(axis=0), self.X[:, :2].max(axis=0)
        return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])

    def subset(self, indices, source: str | None = None) -> Dataset:
        """The samples at `indices` (copied), in that order."""
        indices = np.asarray(indices, dtype=np.intp)
        source = self.source if source is None else source
        return Dataset(self.X[indices], self.y[indices], source, self.classes)

    def split(self, val_share: float, seed: int = 0) -> tuple[Dataset, Dataset]:
        """Split into (train, validation) by a permutation drawn from default_rng(seed).

        round(n · val_share) samples go to validation (so validation is empty when the share
        is 0), but the training part always keeps at least one. Both parts keep the original
        order of their samples.
        """
        share = checks.number(val_share, "val_share", 0.0, 1.0, high_open=True)
        n = len(self)
        n_val = min(int(round(n * share)), max(n - 1, 0))
        order = random_generator(seed).permutation(n)
        val_idx = np.sort(order[:n_val])
        train_idx = np.sort(order[n_val:])
        base = self.source or "data"
        return (
            self.subset(train_idx, f"{base}, training part ({len(train_idx)} of {n})"),
            self.subset(val_idx, f"{base}, validation part ({len(val_idx)} of {n})"),
        )
