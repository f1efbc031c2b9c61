"""What the Train tab works with, without Qt: its data, its network's shape, its history.

The tab's widgets only gather settings and draw; the decisions behind them live here, as
plain Python and NumPy, so they are tested without a display:

- `DataSettings` is what the data panel asks for: the task ("regression", a function to
  learn, or "classification", a class data set to tell apart); `prepare_data` turns it into
  a `PreparedData` (datasets, the contour grid and the true values on it) with nncore.
- `parse_architecture` reads layer sizes typed as "2-64-64-64-1".
- `HistoryArrays` keeps a run's epoch reports and the same numbers as growing NumPy
  columns, so the plots get arrays instead of rebuilding them from thousands of objects.
- `continuation_config` says how long a run goes on after a pause, a divergence or a
  weight file; `readout_text`, `progress_text`, `duration_text` and `advice_after` are the
  words the tab shows about a run.

The run's phases (fresh, running, paused, ...) and the rules between them are in
`app.train.phases`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.train.limits import architecture_problem
from nncore import data as nndata
from nncore import training
from nncore.errors import SettingsError
from nncore.formatting import fmt

GRID_SIZE = 100  # the article's 100 × 100 grid for contour maps
TASKS = ("regression", "classification")
DEFAULT_CLASS_DATASET = "spiral"
DRAWN_POINTS = "(points you drew)"  # DataSettings.csv_path of drawn points (no file)
MAX_ARCHITECTURE_CHARS = 200  # what the Layers field reads (8 hidden layers need 40)

# ---- data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSettings:
    """What the data panel asks for. `samples` is a count, or 0 for the 100 × 100 grid (for
    regression only). `task` says which of `function` (regression) or `dataset` and
    `classes` (classification: a built-in class data set, `nncore.data.CLASS_DATASETS`, or
    "sign": two classes by the sign of `function`, `nncore.data.sign_classes`) is used; a CSV file with a label column makes a classification whatever `task` says.
    Points drawn on the map (`app.train.drawn_points`) are data like a CSV file's, with
    `csv_path` DRAWN_POINTS."""

    function: str = nndata.DEFAULT_FUNCTION  # registry name or formula text
    samples: int = 1000
    noise: float = 0.0
    seed: int = 0
    val_share: float = 0.2
    csv_path: str | None = None
    task: str = "regression"
    dataset: str = DEFAULT_CLASS_DATASET
    classes: int = 2


@dataclass
class PreparedData:
    """Everything the views and a training run need, built by nncore from `DataSettings`.

    `function` is None for CSV data (no known truth); then `truth` is None too and the grid
    covers the data's bounding box so the prediction can still be drawn.
    """

    settings: DataSettings
    function: nndata.TargetFunction | None
    dataset: nndata.Dataset
    train: nndata.Dataset
    val: nndata.Dataset | None
    xs: np.ndarray  # (GRID_SIZE,) x of the grid's columns
    ys: np.ndarray  # (GRID_SIZE,) y of the grid's rows
    grid_X: np.ndarray  # (GRID_SIZE², 2), row-major like nncore.data.grid
    truth: np.ndarray | None  # (GRID_SIZE, GRID_SIZE) [row=y, col=x]

    @property
    def title(self) -> str:
        if self.function is None:
            return self.dataset.source
        return self.function.label

    @property
    def class_names(self) -> tuple[str, ...] | None:
        """The classes' names for classification data, None for regression."""
        return self.dataset.classes

    @property
    def n_classes(self) -> int:
        """How many classes the data has; 0 for regression."""
        return 0 if self.dataset.classes is None else len(self.dataset.classes)

    def confidence_range(self) -> tuple[float, float]:
        """The colour range of a classifier's "how sure" map: from a guess (1/k) to 1."""
        return 1.0 / max(self.n_classes, 2), 1.0

    def value_range(self) -> tuple[float, float]:
        """The colour range of the value maps: the true function's range (the data's for a
        CSV file), widened to ±1 around a constant so the range is never empty."""
        if self.n_classes:  # class indices: the colours are the classes', the range unused
            return 0.0, float(self.n_classes - 1)
        values = self.truth if self.truth is not None else self.dataset.y
        lo, hi = float(np.min(values)), float(np.max(values))
        if hi <= lo:
            lo, hi = lo - 1.0, hi + 1.0
        return lo, hi


def prepare_data(settings: DataSettings, csv_dataset: nndata.Dataset | None = None) -> PreparedData:
    """Build datasets and the contour grid from the panel's settings (raises on bad input).

    FormulaError for a bad formula, DataError for a formula undefined somewhere on the range
    or a bad CSV file, ValueError (SettingsError) for impossible counts or a class data set
    with classes it does not offer.
    """
    if settings.task not in TASKS:
        raise SettingsError(f"the task must be one of {', '.join(TASKS)}; got {settings.task!r}")
    if settings.csv_path is not None:
        dataset = csv_dataset if csv_dataset is not None else nndata.load_csv(settings.csv_path)
        fn = None
        # drawn points live in the domain they were drawn on, however few there are
        domain = nndata.CLASS_DOMAIN if settings.csv_path == DRAWN_POINTS else dataset.bounds()
        xs, ys, grid_X = nndata.mesh_points(domain, GRID_SIZE)
        truth = None
    elif settings.task == "classification":
        if settings.samples == 0:
            raise SettingsError(
                "a class data set is drawn at random: choose a number of points, not the grid"
            )
        if settings.dataset == nndata.SIGN_CLASSES:  # the sign of the function or a formula
            dataset = nndata.sign_classes(
                settings.function, settings.samples, seed=settings.seed, noise=settings.noise
            )
        else:
            dataset = nndata.classification(
                settings.dataset,
                n=settings.samples,
                seed=settings.seed,
                noise=settings.noise,
                classes=settings.classes,
            )
        fn, truth = None, None
        xs, ys, grid_X = nndata.mesh_points(nndata.CLASS_DOMAIN, GRID_SIZE)
    else:
        fn = nndata.get_function(settings.function)
        xs, ys, truth = nndata.grid_axes(fn, GRID_SIZE)
        grid_X = nndata.grid(fn, GRID_SIZE).X
        if settings.samples == 0:
            dataset = nndata.grid(fn, GRID_SIZE, noise=settings.noise, seed=settings.seed)
        else:
            dataset = nndata.sample_uniform(
                fn, settings.samples, seed=settings.seed, noise=settings.noise
            )
    if settings.val_share > 0:
        train, val = dataset.split(settings.val_share, seed=settings.seed)
        val = val if len(val) else None
    else:
        train, val = dataset, None
    return PreparedData(settings, fn, dataset, train, val, xs, ys, grid_X, truth)


# ---- the network ----------------------------------------------------------------------


def parse_architecture(text: str, n_outputs: int = 1) -> tuple[int, ...]:
    """ "2-64-64-64-1" -> (2, 64, 64, 64, 1); raises SettingsError with a readable message.

    The Train tab learns z = f(x, y): two inputs and one output (`n_outputs`, one per class
    for a classifier), with 1 to 8 hidden layers of 1 to 512 neurons (`app.train.limits`). An empty size ("2--1") is an error, not a
    missing layer.
    """
    if len(text) > MAX_ARCHITECTURE_CHARS:
        raise SettingsError(
            f"the layer sizes are {len(text):,} characters long; write at most "
            f"{MAX_ARCHITECTURE_CHARS}, e.g. 2-64-64-64-1"
        )
    # one separator between sizes: a dash, comma or × (spaces around it allowed), or spaces
    parts = re.split(r"\s*[-,×]\s*|\s+", text.strip())
    if any(parts) and "" in parts:
        raise SettingsError(
            "a layer size is missing: write one number between every two dashes and none "
            "at the ends, e.g. 2-64-64-64-1"
        )
    if not any(parts) or not all(p.isascii() and p.isdigit() for p in parts):
        raise SettingsError(
            "write the layer sizes as whole numbers joined by single dashes, e.g. 2-64-64-64-1"
        )
    # at most 6 digits each: int() of a long digit string is slow, and no layer is that wide
    sizes = tuple(int(p) if len(p) <= 6 else 10**6 for p in parts)
    problem = architecture_problem(sizes, n_outputs)
    if problem is not None:
        raise SettingsError(problem)
    return sizes


def continuation_config(cfg: training.TrainConfig, done: int) -> training.TrainConfig:
    """Settings for carrying on after `done` epochs: the planned total, or that many more.

    A run paused at epoch 300 of 2,000 goes on to 2,000; a file trained for 2,000 epochs
    of 2,000 gets another 2,000, so that Resume always has something to do.
    """
    epochs = cfg.epochs if cfg.epochs > done else done + cfg.epochs
    return dataclasses.replace(cfg, epochs=epochs)


# ---- history --------------------------------------------------------------------------


class HistoryArrays:
    """The epoch reports of a run, plus the same numbers as growing NumPy columns for the
    plots (so a refresh hands arrays over instead of rebuilding them from 2,000 objects).

    Columns: "epoch", "train", "val" (the losses; NaN where there is no validation), "lr",
    "train_acc", "val_acc" (a classifier's accuracy in %, as the plot shows it; NaN for
    regression), and per
    layer "weights" and "grads" (n, n_layers) and per hidden layer "dead" (n, n_layers − 1).
    """

    def __init__(self) -> None:
        self.reports: list[training.EpochReport] = []
        self._n = 0  # rows filled
        self._cap = 0  # rows allocated (doubling, so extending is amortised O(1) per row)
        self._cols: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return self._n

    def clear(self) -> None:
        self.reports = []
        self._n = 0
        self._cap = 0
        self._cols = {}

    def extend(self, reports: Sequence[training.EpochReport]) -> None:
        if not reports:
            return
        if not self._cols:
            n_layers = len(reports[0].weight_norms)
            self._cols = {
                "epoch": np.empty(0),
                "train": np.empty(0),
                "val": np.empty(0),
                "lr": np.empty(0),
                "train_acc": np.empty(0),
                "val_acc": np.empty(0),
                "weights": np.empty((0, n_layers)),
                "grads": np.empty((0, n_layers)),
                "dead": np.empty((0, max(n_layers - 1, 0))),
            }
        need = self._n + len(reports)
        if need > self._cap:
            self._cap = max(need, 2 * self._cap, 256)
            for key, col in self._cols.items():
                grown = np.full((self._cap,) + col.shape[1:], np.nan)  # (cap, ...)
                grown[: self._n] = col[: self._n]
                self._cols[key] = grown
        c, k, end = self._cols, self._n, self._n + len(reports)
        c["epoch"][k:end] = [r.epoch for r in reports]
        c["train"][k:end] = [r.train_loss for r in reports]
        c["val"][k:end] = [np.nan if r.val_loss is None else r.val_loss for r in reports]
        c["train_acc"][k:end] = [_or_nan(r.train_accuracy, 100.0) for r in reports]
        c["val_acc"][k:end] = [_or_nan(r.val_accuracy, 100.0) for r in reports]
        c["lr"][k:end] = [r.lr for r in reports]
        c["weights"][k:end] = [r.weight_norms for r in reports]
        c["grads"][k:end] = [r.grad_norms for r in reports]
        c["dead"][k:end] = [r.dead_fraction[:-1] for r in reports]  # the output is linear
        self._n = end
        self.reports.extend(reports)

    def column(self, key: str) -> np.ndarray:
        """A view of the first len(self) rows of column `key`."""
        if not self._cols:
            return np.empty(0)
        return self._cols[key][: self._n]

    def last_r2(self) -> float | None:
        """R² of the last epoch: on the validation points when there are any."""
        if not self.reports:
            return None
        r = self.reports[-1]
        return r.val_r2 if r.val_r2 is not None else r.train_r2


def _or_nan(value: float | None, scale: float = 1.0) -> float:
    return np.nan if value is None else value * scale


MAX_DRAWN_EPOCHS = 4_000  # points per curve handed to the plots (a plot is ~1,000 px wide)


def drawn_rows(values: np.ndarray, limit: int = MAX_DRAWN_EPOCHS) -> np.ndarray:
    """Which rows of a history to draw: all of them up to `limit`, else about `limit` rows
    that keep the shape of `values` (the training loss): the first and last rows and, in
    each of limit / 2 equal runs of epochs, the row of its lowest and of its highest value,
    so a spike in the loss stays visible however long the run.

    Returns sorted row indices (k,), k <= limit + 2; NaN values are passed over.
    """
    n = len(values)
    if n <= limit:
        return np.arange(n)
    buckets = max(limit // 2, 1)
    edges = np.linspace(0, n, buckets + 1).astype(np.int64)  # (buckets + 1,)
    starts, sizes = edges[:-1], np.diff(edges)  # (buckets,) each
    width = int(sizes.max())
    # each bucket as a row of `width` values, padded by repeating its last value
    offsets = np.minimum(np.arange(width)[None, :], sizes[:, None] - 1)  # (buckets, width)
    rows = starts[:, None] + offsets  # (buckets, width) row numbers
    v = np.asarray(values, dtype=np.float64)[rows]  # (buckets, width)
    low = np.where(np.isnan(v), np.inf, v).argmin(axis=1)  # (buckets,)
    high = np.where(np.isnan(v), -np.inf, v).argmax(axis=1)  # (buckets,)
    picked = np.concatenate(
        ([0, n - 1], rows[np.arange(buckets), low], rows[np.arange(buckets), high])
    )
    return np.unique(picked)


# ---- words about a run ----------------------------------------------------------------


MAX_DRAWN_POINTS = 20_000  # scatter points per view: more cost seconds to draw, show no more


def drawn_points(n: int, limit: int = MAX_DRAWN_POINTS) -> slice:
    """Which of `n` data points a scatter view draws: all up to `limit`, else every k-th, so
    the picture keeps the data's spread while a million points draw in a fraction of a
    second (pyqtgraph needs ~10 µs a point). Training always uses every point."""
    return slice(None, None, max(1, -(-n // limit)))


def readout_text(report: training.EpochReport | None) -> str:
    """The line above the loss curve (rich text): epoch, MSE and R² of the last epoch; for
    a classifier its cross-entropy and accuracy (in %, on the validation points when there
    are any).

    Numbers are in the tutor's style (`nncore.formatting.fmt`: a real minus, ×10ⁿ when a
    run blows up).
    """
    if report is None:
        return "No epochs yet: the loss curve appears here."
    if report.is_classifier:
        loss = fmt(report.train_loss, 3)
        if report.val_loss is not None:
            loss += f" train, {fmt(report.val_loss, 3)} val"
        acc = report.val_accuracy if report.val_accuracy is not None else report.train_accuracy
        where = " (val)" if report.val_accuracy is not None else ""
        acc_text = f" · <b>accuracy {acc:.1%}{where}</b>" if acc is not None else ""
        return f"<b>epoch {report.epoch}</b> · cross-entropy {loss}{acc_text}"
    if report.val_mse is not None:
        mse = f"{fmt(report.train_mse, 3)} train, {fmt(report.val_mse, 3)} val"
        r2 = report.val_r2
    else:
        mse, r2 = fmt(report.train_mse, 3), report.train_r2
    return f"<b>epoch {report.epoch}</b> · MSE {mse} · <b>R² {fmt(r2, 4)}</b>"


def probabilities_text(names: Sequence[str], probabilities: Sequence[float]) -> str:
    """ "class 0 12.0 %, class 1 88.0 % → class 1": each class's probability at a point and
    the class chosen there (the most probable; a tie goes to the first)."""
    values = [float(p) for p in probabilities]
    parts = [f"{name} {p:.1%}" for name, p in zip(names, values)]
    chosen = names[int(np.argmax(values))] if values else ""
    return ",   ".join(parts) + (f"  → {chosen}" if chosen else "")


TRY_MODERN_ACTION = "Try the modern recipe"  # the banner's button after an article run


def recipe_edits(cfg: training.TrainConfig) -> list[str]:
    """The settings of `cfg` that differ from its named recipe's ("lr", "epochs", ...);
    empty when `cfg` is the recipe exactly (or names no known recipe)."""
    if cfg.recipe not in training.RECIPES:
        return []
    named = training.recipe(cfg.recipe)
    if cfg.recipe == "classify":  # one output per class is the recipe for any k classes
        named = dataclasses.replace(named, sizes=(*named.sizes[:-1], cfg.sizes[-1]))
    return [
        field.name
        for field in dataclasses.fields(cfg)
        if getattr(cfg, field.name) != getattr(named, field.name)
    ]


def advice_after(
    reason: training.StopReason, cfg: training.TrainConfig | None, r2: float | None
) -> tuple[str, str, str, str] | None:
    """What the banner says when a run ends, as (kind, title, detail, action), or None.

    A diverged run: what happened and what to do (lower the rate, Resume). An article run
    that went the distance: how close it came, and an invitation to the modern recipe.
    """
    if reason.kind == "diverged":
        detail = (
            reason.detail + " The maps show the network with the kept weights. Lower the "
            "learning rate and press Resume to carry on from them, or Reset."
        )
        return ("warning", reason.message, detail, "")
    if cfg is None or cfg.recipe != "article" or cfg.optimizer != "gd":
        return None
    if reason.kind == "stopped":
        return None
    fit = f"R² = {r2:.3f}: " if r2 is not None else ""
    # Only the article's own settings may claim the article's result.
    like = (
        "with your changes to the article's recipe"
        if recipe_edits(cfg)
        else "just as in the article"
    )
    return (
        "info",
        f"{fit}roughly right, but not one-to-one, {like}.",
        "The article suggests better data, tuned learning rates, longer training and "
        "annealing. The modern recipe does several of these at once: He "
        "initialisation, the Adam optimiser, mini-batches and a cosine schedule. "
        "Its loss curve will appear beside this one (grey).",
        TRY_MODERN_ACTION,
    )


def duration_text(seconds: float) -> str:
    """ "42 s" or "3 min 07 s"."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, sec = divmod(int(seconds), 60)
    return f"{minutes} min {sec:02d} s"


def progress_text(
    done: int, total: int, epochs_per_second: float = 0.0, seconds_left: float | None = None
) -> str:
    """The progress bar's text: epochs done of planned, and while training speed and time
    left (pass a speed of 0 when idle)."""
    text = f"epoch {done:,} / {total:,}"
    if epochs_per_second > 0:  # kept short: the bar is as narrow as the settings column
        text += f" · {epochs_per_second:,.0f}/s"
        if seconds_left is not None:
            text += f" · {duration_text(seconds_left)} left"
    return text


__all__ = [
    "GRID_SIZE",
    "TASKS",
    "DRAWN_POINTS",
    "DataSettings",
    "PreparedData",
    "prepare_data",
    "parse_architecture",
    "continuation_config",
    "HistoryArrays",
    "drawn_rows",
    "MAX_DRAWN_EPOCHS",
    "drawn_points",
    "MAX_DRAWN_POINTS",
    "readout_text",
    "probabilities_text",
    "advice_after",
    "TRY_MODERN_ACTION",
    "recipe_edits",
    "duration_text",
    "progress_text",
]
