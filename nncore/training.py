"""Training runs: the article's loop made steerable, measurable and safe.

A `TrainingRun` trains a network on a `Dataset`, as a `TrainConfig` says, in chunks of epochs
(`run_chunk`). The settings and the named recipes ("article", "modern", "classify") live in
`nncore.config`, the reports in `nncore.reports`; both are importable from here too. A GUI
can drive it from a worker thread: pausing is simply not calling it, `request_stop()` may be
called from any thread, and the learning rate can be changed between chunks. After every
epoch it writes an `EpochReport`: the losses the article prints (plain MSE on normalised
data), R², the learning rate, and per layer the weight norms, gradient norms and the share of
dead ReLU neurons. A run ends with a `StopReason`; when the numbers blow up ("diverged") the
network is put back to its last good weights and the reason explains, in plain words, what
happened and what to try.

Divergence is watched from the first update on. The yardstick is the loss of the weights the
run starts from, measured before anything changes them (and the targets' variance, the loss
of always predicting the mean), so a blow-up inside the first epoch cannot raise its own bar.
Every batch loss the epoch computes anyway is compared with it: one that is not a number,
infinite or a million times the yardstick stops the run there, in that epoch. The network
is then put back to the weights the epoch started from (or earlier ones, if those were bad
too), and never to weights whose loss is worse than at the start: a diverged run ends with
finite weights no worse than where it began. A run that ends any other way ends on weights
whose loss was measured and found sound.

How an epoch works. Full batch (batch_size None): one forward pass over all the data, the
loss of that pass is the epoch's training loss (measured before the update, as the
article's loop does), then one backward pass and one update. Mini-batches: the data are
visited in a fresh order every epoch, drawn from a generator seeded from `config.seed`, one
update per batch; the epoch's training loss is the average of the batch losses met along
the way (each measured just before its update), so no extra pass over the data is needed.
Evaluating (the validation loss, `evaluate`, `predict`) goes through the data a chunk of
rows at a time, so its memory does not grow with the number of points.

Classifiers (`TrainConfig(loss="cross_entropy")`, e.g. `recipe("classify")`) train the same
way on class data (`nncore.data.classification`): the targets are class indices, turned
into the rows the output should give (one-hot), and are not normalised; the inputs are. The
loss measured, reported (`train_loss`/`val_loss`, with `loss_name` "cross_entropy"; the
reports' `train_mse`/`val_mse` are None) and guarded is then the mean cross-entropy,
computed from the output's sums z, and every epoch also reports the accuracy (`train_accuracy`, counted along the way like the loss, before each
update; `val_accuracy` after the last). The role of the targets' variance, "the loss of
always giving the same answer", is taken by the loss of always predicting the class shares,
−Σ q log q: R² becomes McFadden's, 1 − loss / that loss, and the yardstick keeps its meaning.

(Longer than the house's ~600 lines, on purpose: the epoch loop, the stop conditions and the
divergence guard share one run's state, its snapshots, yardstick and counters, and read best
side by side. The settings, the reports and the wording of a divergence live elsewhere.)
"""

from __future__ import annotations

import contextlib
import functools
import math
import sys
import threading
import time
from collections.abc import Callable, Sequence

import numpy as np

from . import checks
from . import network as network_module
from .config import MODERN_2025, RECIPES, TrainConfig, recipe
from .data import Dataset, Normaliser
from .errors import DataError, SettingsError
from .formatting import fmt
from .kernels import Workspace
from .losses import as_targets, class_indices, cross_entropy_terms, target_probabilities
from .network import Network
from .optim import learning_rate, make_optimizer
from .reports import (
    EXPLODE_FACTOR,
    RUNAWAY_FACTOR,
    STOP_KINDS,
    EpochReport,
    RunState,
    StopReason,
    diverged_reason,
)

# The settings and the reports live in their own modules; they are named here too, because
# a run is where a reader meets them first (`nncore.training.recipe("modern")`).
__all__ = [
    "MODERN_2025",
    "RECIPES",
    "STOP_KINDS",
    "EpochReport",
    "RunState",
    "StopReason",
    "TrainConfig",
    "TrainingRun",
    "recipe",
]

# Plateau: the monitored loss must beat its best by this relative amount to count as progress.
PLATEAU_MIN_IMPROVEMENT = 1e-4

# Divergence. The yardstick is the larger of the starting loss (the loss of the weights the
# run starts from, before any update) and the targets' variance (the loss of a network that
# always predicts the mean, 1 on normalised data): a network a million times worse than both
# is not going to recover ("exploded"), and neither is one whose loss has gone up epoch after
# epoch for a long stretch and now sits a hundred times above the yardstick ("runaway"). A
# single spike below that, common with large steps, stops nothing. (The factors live with
# the reports, whose explanation quotes them.)
RUNAWAY_EPOCHS = 20


# ---- the run ------------------------------------------------------------------------------


class _Diverged(Exception):
    """Raised inside an epoch when the loss is no longer usable (internal); `where` says in
    words where it was measured ("batch 2 of 79", "on the validation data", ...)."""

    def __init__(self, loss: float, where: str = ""):
        super().__init__(loss)
        self.loss = loss
        self.where = where


# Mini-batches below this many rows train with one BLAS thread (see TrainingRun._blas_threads).
SMALL_BATCH_ROWS = 1024


@functools.cache
def _blas_controller():
    """threadpoolctl's handle on the loaded BLAS libraries (None if it is unavailable)."""
    try:
        from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]
    except ImportError:  # a declared dependency, but training must not depend on it
        return None
    return ThreadpoolController()


def _correct(z: np.ndarray, Y: np.ndarray) -> int:
    """How many rows of logits z pick the class the target rows Y mark: the largest z (softmax),
    or z > 0 for class 1 (one sigmoid output, p > ½)."""
    if z.shape[1] == 1:
        return int(np.count_nonzero((z[:, 0] > 0) == (Y[:, 0] > 0.5)))
    return int(np.count_nonzero(np.argmax(z, axis=1) == np.argmax(Y, axis=1)))


def _sq_norm(a: np.ndarray) -> float:
    flat = a.ravel()
    return float(np.dot(flat, flat))


class TrainingRun:
    """Trains `network` on `train` as `config` says, a chunk of epochs at a time.

    >>> run = TrainingRun(recipe("modern", target_r2=0.99), grid("article"))
    >>> while not run.done:
    ...     reports = run.run_chunk(10)    # a GUI calls this from a worker thread
    >>> run.stop_reason.kind
    'target'
    """

    def __init__(
        self,
        config: TrainConfig | dict,
        train: Dataset,
        val: Dataset | None = None,
        network: Network | None = None,
        normaliser: Normaliser | None = None,
        history: Sequence[EpochReport | dict] | None = None,
    ):
        if isinstance(config, dict):
            config = TrainConfig.from_dict(config)
        if not isinstance(config, TrainConfig):
            raise TypeError(
                f"config must be a TrainConfig (see recipe()); got {type(config).__name__}"
            )
        self.config = config
        n_in, n_out = config.sizes[0], config.sizes[-1]
        # A classifier's number of classes (0 for regression): one sigmoid output tells two.
        self._classes = 0 if config.loss != "cross_entropy" else (2 if n_out == 1 else n_out)
        X, y = self._check_data(train, "training", n_in, n_out, self._classes)
        if len(X) == 0:
            raise DataError("the training data is empty")
        from . import memory  # the run's memory, estimated before its arrays are allocated

        n_val, c = len(getattr(val, "X", ())), config
        need = memory.estimate_training(c.sizes, len(X), n_val, c.batch_size, c.optimizer, c.dtype)
        memory.require_fits(need, "this run")

        if network is None:
            acts = [config.activation] * (len(config.sizes) - 2) + [config.output]
            network = Network(
                config.sizes, acts, config.init, config.seed, config.dtype, config.loss
            )
        elif not isinstance(network, Network):
            raise TypeError(f"network must be a Network; got {type(network).__name__}")
        elif network.sizes != config.sizes:
            raise SettingsError(
                f"the network is {network.architecture} but the settings say "
                f"{'-'.join(map(str, config.sizes))}"
            )
        elif network.loss_name != config.loss:
            raise SettingsError(
                f"the network learns with loss '{network.loss_name}' but the settings say "
                f"'{config.loss}'"
            )
        elif network.dtype.name != config.dtype:
            raise SettingsError(
                f"the network computes in {network.dtype.name} but the settings "
                f"say {config.dtype}; convert it with network.astype(...)"
            )
        self.network = network

        if normaliser is None:
            normaliser = self._fit_normaliser(X, y, bool(self._classes))
        elif normaliser.n_inputs != n_in or normaliser.n_outputs != n_out:
            raise SettingsError(
                f"the normaliser is for {normaliser.n_inputs} inputs and "
                f"{normaliser.n_outputs} outputs, the network has {n_in} and {n_out}"
            )
        self.normaliser = normaliser

        # The data in normalised units, (n, n_in) and (n, n_out), and the variance of the
        # targets per element: R² = 1 − MSE / variance.
        self._X, self._y, self._y_var = self._normalised(X, y, "training")
        self._Xv = self._yv = None
        if val is not None:
            Xv, yv = self._check_data(val, "validation", n_in, n_out, self._classes)
            if len(Xv):
                self._Xv, self._yv, self._yv_var = self._normalised(Xv, yv, "validation")

        self.history: list[EpochReport] = [
            h if isinstance(h, EpochReport) else EpochReport.from_dict(h) for h in (history or [])
        ]
        self.epoch = len(self.history)
        self.stop_reason: StopReason | None = None
        self._optimizer = make_optimizer(config.optimizer)
        self._schedule = config.make_schedule()
        self._lr_override: float | None = None
        self._stop_requested = threading.Event()
        self._elapsed = self.history[-1].elapsed if self.history else 0.0
        # The shuffling stream is separate from the initialisation's, derived from the seed.
        self._rng = np.random.default_rng(None if config.seed is None else [config.seed, 1])

        # Divergence: the weights the run starts from and their loss on the training data,
        # both taken just before the first update (see _train_one_epoch); the loss limit
        # follows from that loss.
        self._start = [p.copy() for p in network.parameters()]
        self._start_epoch = self.epoch
        self._start_loss: float | None = None
        self._explode_above = math.inf  # a batch loss above this (or NaN) has exploded
        # Plateau bookkeeping (continues a given history).
        monitored = [self._monitored(h) for h in self.history]
        self._best = min(monitored) if monitored else math.inf
        self._since_best = 0
        if monitored:
            best_at = int(np.argmin(monitored))
            self._since_best = len(monitored) - 1 - best_at
        self._rising = 0
        for a, b in zip(self.history, self.history[1:]):
            self._rising = self._rising + 1 if b.train_loss > a.train_loss else 0
        self._last_train = self.history[-1].train_loss if self.history else None

        # Two more parameter snapshots: the weights at the start of the current epoch, and
        # the last weights whose loss was measured and found sound. With `_start`, three
        # copies of the parameters (~8,500 numbers each for the article's network).
        self._candidate = [p.copy() for p in network.parameters()]
        self._good: list[np.ndarray] | None = None
        self._good_epoch = 0  # epochs completed when `_good` was taken
        self._dying_layers = network.dying_layers()  # hidden ReLU layers: these can die
        # Mini-batches are slices of one shuffled copy of the data, made once per epoch.
        self._X_shuffled = np.empty_like(self._X)
        self._y_shuffled = np.empty_like(self._y)
        self._fired_buffers: dict[int, np.ndarray] = {}  # see _fired_rows

    # ---- handing a run to another process -------------------------------------------------
    _SCRATCH = ("_X_shuffled", "_y_shuffled", "_fired_buffers")  # rebuilt, never sent

    def __getstate__(self) -> dict:
        """What a pickled run carries: everything but its stop flag (a threading.Event, which
        cannot cross processes; its state is carried as a bool) and the scratch buffers an
        epoch refills anyway. The app trains a run in a process of its own this way."""
        state = {k: v for k, v in self.__dict__.items() if k not in self._SCRATCH}
        state["_stop_requested"] = self._stop_requested.is_set()
        return state

    def __setstate__(self, state: dict) -> None:
        stop = state.pop("_stop_requested")
        self.__dict__.update(state)
        self._stop_requested = threading.Event()
        if stop:
            self._stop_requested.set()
        self._X_shuffled = np.empty_like(self._X)
        self._y_shuffled = np.empty_like(self._y)
        self._fired_buffers = {}

    # ---- inputs ----------------------------------------------------------------------------
    @staticmethod
    def _check_data(ds, what: str, n_in: int, n_out: int, classes: int = 0):
        if not hasattr(ds, "X") or not hasattr(ds, "y"):
            raise TypeError(
                f"the {what} data must be a Dataset (with X and y); got {type(ds).__name__}"
            )
        X = np.asarray(ds.X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != n_in:
            raise DataError(f"the {what} inputs must have shape (n, {n_in}); got {X.shape}")
        if classes:  # class indices or one-hot rows -> the rows the output should give
            y = target_probabilities(class_indices(np.asarray(ds.y), classes), n_out)
        else:
            y = as_targets(np.asarray(ds.y, dtype=np.float64), n_out)
        if y.shape[0] != X.shape[0]:
            raise DataError(f"the {what} data has {X.shape[0]} inputs but {y.shape[0]} targets")
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
            raise DataError(f"the {what} data holds NaN or infinite values")
        return X, y

    @staticmethod
    def _fit_normaliser(X: np.ndarray, y: np.ndarray, classifier: bool = False) -> Normaliser:
        """Normaliser.fit, with data too spread out to measure refused in words (the squares
        behind a standard deviation of values near 1e200 overflow). A classifier's targets
        are probabilities, left as they are: their part of the normaliser changes nothing."""
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                fitted = Normaliser.fit(X, y)
                if classifier:
                    k = y.shape[1]
                    return Normaliser(
                        fitted.x_mean, fitted.x_std, np.zeros((1, k)), np.ones((1, k))
                    )
                return fitted
            except DataError:  # the data are finite (checked): their statistics are not
                raise DataError(
                    "the training data holds values too large to normalise (their standard "
                    "deviation overflows to infinity); rescale them first"
                ) from None

    def _normalised(self, X: np.ndarray, y: np.ndarray, what: str):
        """(X, y, variance of y) in normalised units, X and y contiguous in the network's
        dtype; refused when the numbers are too large (float32 cannot hold them, or the
        squares behind the variance and every loss overflow): no network learns from
        infinities, and no loss could be told apart from a blow-up."""
        dt = self.network.dtype
        with np.errstate(over="ignore", invalid="ignore"):
            Xn = np.ascontiguousarray(self.normaliser.transform_x(X), dtype=dt)
            if self._classes:  # probabilities: not normalised
                yn = np.ascontiguousarray(y, dtype=dt)
                var = self._class_share_loss(yn)
            else:
                yn = np.ascontiguousarray(self.normaliser.transform_y(y), dtype=dt)
                var = self._variance(yn)
        if not (np.all(np.isfinite(Xn)) and np.all(np.isfinite(yn)) and math.isfinite(var)):
            raise DataError(
                f"the {what} data holds values too large to normalise in {dt.name} "
                f"(they overflow to infinity); rescale them first"
            )
        return Xn, yn, var

    @staticmethod
    def _variance(y: np.ndarray) -> float:
        y64 = y.astype(np.float64)
        var = float(np.mean((y64 - y64.mean(axis=0)) ** 2))
        return var

    @staticmethod
    def _class_share_loss(Y: np.ndarray) -> float:
        """A classifier's stand-in for the variance: the cross-entropy of always predicting
        each class's share q of the data, −Σ q log q (0 when there is one class only)."""
        Y64 = Y.astype(np.float64)
        shares = Y64.mean(axis=0)
        if Y64.shape[1] == 1:  # one sigmoid output: the shares of class 1 and class 0
            shares = np.array([shares[0], 1.0 - shares[0]])
        shares = shares[shares > 0]
        return float(-np.sum(shares * np.log(shares)))

    def _monitored(self, report: EpochReport) -> float:
        return report.val_loss if report.val_loss is not None else report.train_loss

    # ---- steering --------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        """True once a stop condition has ended the run."""
        return self.stop_reason is not None

    @property
    def lr(self) -> float:
        """The learning rate the next epoch will use."""
        if self._lr_override is not None:
            return self._lr_override
        return self._schedule(self.epoch)

    @lr.setter
    def lr(self, value: float | None) -> None:
        """Use this rate from the next epoch on, instead of the schedule (None: back to it)."""
        if value is None:
            self._lr_override = None
            return
        self._lr_override = learning_rate(value)  # finite, above 0, at most MAX_LEARNING_RATE

    def request_stop(self) -> None:
        """Ask the run to stop; safe from any thread. Takes effect at the next boundary
        between mini-batches or epochs; the run then ends with kind "stopped"."""
        self._stop_requested.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop_requested.is_set()

    # ---- running ---------------------------------------------------------------------------
    def run_chunk(self, max_epochs: int) -> list[EpochReport]:
        """Train for up to `max_epochs` epochs; returns their reports (fewer if a stop
        condition ends the run, none if it is already done)."""
        max_epochs = checks.whole(max_epochs, "max_epochs", 0)
        reports: list[EpochReport] = []
        for _ in range(max_epochs):
            if self.done:
                break
            if self._stop_requested.is_set():
                self._end("stopped", f"Stopped on request after {self.epoch} epochs.")
                break
            if self.epoch >= self.config.epochs:  # a continued history may already be there
                self._end("epochs", f"Finished the planned {self.config.epochs:,} epochs.")
                break
            report = self._run_epoch()
            if report is not None:
                reports.append(report)
        return reports

    def run(
        self, progress: Callable[[EpochReport], object] | None = None, chunk: int = 10
    ) -> StopReason:
        """Train until a stop condition; `progress(report)` is called after every epoch."""
        while not self.done:
            for report in self.run_chunk(chunk):
                if progress is not None:
                    progress(report)
        assert self.stop_reason is not None  # the loop ends only once there is one
        return self.stop_reason

    def _finish(self, kind: str, message: str, detail: str = "") -> None:
        self.stop_reason = StopReason(kind, message, detail)

    def _run_epoch(self) -> EpochReport | None:
        # Overflow is what divergence looks like; the loss checks handle it, so NumPy's warnings
        # would only be noise on the console.
        with np.errstate(over="ignore", invalid="ignore"):
            with self._blas_threads():
                trained = self._train_one_epoch()
            if trained is None:
                return None
            # Outside the BLAS limit: the stop checks may make a pass over the whole
            # training set (to confirm a target), and a product that large gains from threads.
            report, interrupted = trained
            self._after_epoch(report, interrupted)
            return report

    def _blas_threads(self) -> contextlib.AbstractContextManager:
        """One BLAS thread for small mini-batches, the default otherwise.

        A product of a few hundred rows is over before a second thread has started: waking
        the threads costs more than they save (measured: batch-128 epochs ~1.4× faster on one
        thread on two cores). Full batches of thousands of rows do gain from them. The results
        are the same either way (BLAS splits rows and columns, not the sums, among threads).
        """
        batch = self.config.batch_size
        if batch is None or batch >= min(SMALL_BATCH_ROWS, self._X.shape[0]):
            return contextlib.nullcontext()
        controller = _blas_controller()
        if controller is None:
            return contextlib.nullcontext()
        return controller.limit(limits=1, user_api="blas")

    def _train_one_epoch(self) -> tuple[EpochReport, bool] | None:
        started = time.perf_counter()
        net, cfg = self.network, self.config
        lr = self.lr
        params = net.parameters()
        # One update for all parameters at once when they share a flat buffer (see
        # Network.flat_parameters): a few whole-buffer operations instead of a few per array.
        flat_params = net.flat_parameters()
        for snap, p in zip(self._candidate, params):
            np.copyto(snap, p)
        n = self._X.shape[0]
        batch = cfg.batch_size if cfg.batch_size is not None and cfg.batch_size < n else n
        n_batches = -(-n // batch)
        X, y = self._X, self._y
        if batch < n:
            order = self._rng.permutation(n)
            # mode="clip" only skips a bounds check a permutation cannot fail (and the extra
            # copy NumPy makes to be able to raise).
            X = np.take(self._X, order, axis=0, out=self._X_shuffled, mode="clip")  # (n, n_in)
            y = np.take(self._y, order, axis=0, out=self._y_shuffled, mode="clip")  # (n, n_out)
        n_layers = net.n_layers
        grad_sq = [0.0] * n_layers
        # Per hidden ReLU layer, which neurons fired (z > 0) on some sample of the epoch: the
        # batches' masks are ORed together row by row (one cheap elementwise pass a batch),
        # and the rows are ORed into one per neuron once, at the end of the epoch.
        fired_rows = {i: self._fired_rows(i, batch) for i in self._dying_layers}
        sse, seen, updates, correct = 0.0, 0, 0, 0
        classifier = bool(self._classes)
        decay = cfg.weight_decay
        try:
            if self._start_loss is None and batch < n:
                # The yardstick, before the first update: one pass over the training set.
                # (A full batch measures it below, on the pass it makes anyway.)
                start_loss = self._mean_loss(self._X, self._y)
                if not start_loss <= self._set_start_loss(start_loss):
                    raise _Diverged(start_loss, "with the weights it started from")
            limit = self._explode_above
            for start in range(0, n, batch):
                if start and self._stop_requested.is_set():
                    break
                Xb, yb = X[start : start + batch], y[start : start + batch]  # views
                rec = net.forward(Xb, workspace=True)
                if classifier:
                    # The cross-entropy from the output's sums z (finite for any z), one
                    # term per sample, and the right answers among them.
                    batch_sse = float(np.sum(cross_entropy_terms(rec.z[-1], yb)))
                    correct += _correct(rec.z[-1], yb)
                    count = yb.shape[0]
                else:
                    diff = rec.a[-1] - yb  # (batch, n_out)
                    batch_sse = _sq_norm(diff)
                    count = diff.size
                loss = batch_sse / count
                if start == 0 and self._start_loss is None:
                    # A full batch's first pass is over the whole training set with the
                    # weights the run starts from: its loss is the yardstick.
                    limit = self._set_start_loss(loss)
                # One comparison a batch; it is False for NaN too, so a broken loss stops here.
                if not loss <= limit:
                    raise _Diverged(loss, self._batch_words(start // batch, n_batches))
                if start == 0:
                    # The weights this epoch started from gave a sound loss: keep them as the
                    # fallback, and reuse the previous fallback's arrays for the next epoch.
                    spare = self._good if self._good is not None else [p.copy() for p in params]
                    self._good, self._good_epoch = self._candidate, self.epoch
                    self._candidate = spare
                sse += batch_sse
                seen += count
                self._mark_fired(rec, fired_rows, first=start == 0)
                grads = net.backward(rec, yb, workspace=True)
                for i, g in enumerate(grads.weights):
                    grad_sq[i] += _sq_norm(g)
                    if decay:
                        g += decay * net.weights[i]
                if flat_params is not None and grads.flat is not None:
                    self._optimizer.step([flat_params], [grads.flat], lr)
                else:
                    self._optimizer.step(params, grads.as_list(), lr)
                updates += 1

            # After the last update: the weights themselves, and the validation loss (the
            # only loss measured on them before the next epoch), must still be sound.
            weight_norms = [math.sqrt(_sq_norm(w)) for w in net.weights]
            if not math.isfinite(sum(weight_norms)):
                raise _Diverged(math.inf, "after its last update, when the weights overflowed")
            val_loss = val_r2 = val_accuracy = None
            if self._Xv is not None and self._yv is not None:
                val_total, val_correct = self._loss_sum(self._Xv, self._yv)
                val_loss = val_total / self._loss_count(self._yv)
                if classifier:
                    val_accuracy = val_correct / self._yv.shape[0]
                if not val_loss <= self._limit(max(self._yardstick(), self._yv_var)):
                    raise _Diverged(val_loss, "on the validation data after its last update")
                val_r2 = 1.0 - val_loss / self._yv_var if self._yv_var > 0 else float(val_loss == 0)
        except _Diverged as err:
            self._elapsed += time.perf_counter() - started
            self._diverged(err.loss, lr, where=err.where)
            return None

        train_loss = sse / seen
        fired = {i: np.zeros(net.sizes[i + 1], np.uint8) for i in self._dying_layers}
        for i, rows in fired_rows.items():
            Workspace.or_rows(rows, fired[i])
        train_r2 = 1.0 - train_loss / self._y_var if self._y_var > 0 else float(train_loss == 0)
        self.epoch += 1
        self._elapsed += time.perf_counter() - started
        report = EpochReport(
            epoch=self.epoch,
            train_loss=train_loss,
            val_loss=val_loss,
            train_r2=train_r2,
            val_r2=val_r2,
            lr=lr,
            elapsed=self._elapsed,
            weight_norms=weight_norms,
            grad_norms=[math.sqrt(s / max(updates, 1)) for s in grad_sq],
            dead_fraction=[
                1.0 - float(np.mean(fired[i] != 0)) if i in fired else 0.0 for i in range(n_layers)
            ],
            train_accuracy=correct / (seen or 1) if classifier else None,
            val_accuracy=val_accuracy,
            loss_name=self.config.loss,
        )
        self.history.append(report)
        # Fewer samples seen: a stop interrupted it.
        return report, seen < self._loss_count(self._y)

    @staticmethod
    def _batch_words(index: int, n_batches: int) -> str:
        return f"in batch {index + 1:,} of {n_batches:,}" if n_batches > 1 else ""

    def _fired_rows(self, layer: int, batch: int) -> np.ndarray:
        """A (batch, fan_out) byte buffer for `layer`'s ORed masks, kept between epochs (the
        epoch's first batch overwrites it whole)."""
        rows = self._fired_buffers.get(layer)
        if rows is None or rows.shape[0] != batch:
            fan_out = self.network.sizes[layer + 1]
            rows = self._fired_buffers[layer] = np.empty((batch, fan_out), np.uint8)
        return rows

    def _mark_fired(self, rec, fired_rows: dict[int, np.ndarray], first: bool) -> None:
        """OR this batch's ReLU masks (z > 0) into the epoch's rows of fired flags (the
        first batch of an epoch, always a whole one, is copied in)."""
        n = rec.a[0].shape[0]  # the last batch may be shorter
        for i, rows in fired_rows.items():
            # The kernels' mask, 1 byte a value: reading it costs an eighth (float64) of
            # reading the activations, and needs no comparison.
            mask = rec.masks[i] if rec.masks is not None else None
            mask = (rec.z[i] > 0 if mask is None else mask).view(np.uint8)
            if first:
                np.copyto(rows, mask)
            else:
                np.bitwise_or(rows[:n], mask, out=rows[:n])

    # ---- stop conditions -------------------------------------------------------------------
    def _yardstick(self) -> float:
        """The larger of the starting loss and the targets' variance (see EXPLODE_FACTOR)."""
        start = self._start_loss
        known = start if start is not None and math.isfinite(start) else 0.0
        return max(known, self._y_var, 1e-12)

    def _set_start_loss(self, loss: float) -> float:
        """Record the loss of the weights the run starts from, and those weights (as they are
        now, before the first update: they may have been edited since the run was made);
        returns the explosion limit."""
        for snap, p in zip(self._start, self.network.parameters()):
            np.copyto(snap, p)
        self._start_loss = loss
        self._explode_above = self._limit(self._yardstick())
        return self._explode_above

    @staticmethod
    def _limit(yardstick: float) -> float:
        """EXPLODE_FACTOR × yardstick, kept finite so that an infinite loss always exceeds it."""
        return min(EXPLODE_FACTOR * yardstick, sys.float_info.max)

    def _end(self, kind: str, message: str) -> None:
        """End the run as `kind` ("epochs", "target", ...) if the weights it ends with are
        sound. Nothing has measured the loss after the last update yet, and a blow-up in that
        update would otherwise go unnoticed: one pass over the training data makes sure a run
        never reports that it finished with exploded weights."""
        if self._start_loss is not None:  # some epoch ran, so the weights may have changed
            with np.errstate(over="ignore", invalid="ignore"):
                loss = self._mean_loss(self._X, self._y)
                if not loss <= self._explode_above:
                    self._diverged(loss, self.lr, where="after its last update", finished=True)
                    return
        self._finish(kind, message)

    def _after_epoch(self, report: EpochReport, interrupted: bool) -> None:
        cfg = self.config
        # Runaway growth: the loss went up for RUNAWAY_EPOCHS epochs in a row and is far
        # above where it started.
        if self._last_train is not None and report.train_loss > self._last_train:
            self._rising += 1
        else:
            self._rising = 0
        self._last_train = report.train_loss
        if (
            self._rising >= RUNAWAY_EPOCHS
            and report.train_loss > RUNAWAY_FACTOR * self._yardstick()
        ):
            self._diverged(report.train_loss, report.lr, runaway=True)
            return

        monitored = self._monitored(report)
        if monitored < self._best * (1.0 - PLATEAU_MIN_IMPROVEMENT):
            self._best, self._since_best = monitored, 0
        else:
            self._since_best += 1

        on = "validation" if report.val_r2 is not None else "training"
        if cfg.target_r2 is not None:
            r2 = report.val_r2 if report.val_r2 is not None else report.train_r2
            reached = r2 >= cfg.target_r2
            minibatch = cfg.batch_size is not None and cfg.batch_size < self._X.shape[0]
            if reached and report.val_r2 is None and minibatch:
                # Mini-batch training R² averages over weights that changed during the epoch
                # (and over noisy batches): confirm it with one pass over the whole training
                # set with the weights as they are now. The reported value stays the one
                # shown in the history, so the curve crosses the target where the run stops.
                reached = self.evaluate("train")["r2"] >= cfg.target_r2
            if reached:
                self._end(
                    "target",
                    f"Reached R² = {r2:.4f} on the {on} data after "
                    f"{self.epoch} epochs (target {cfg.target_r2:g}).",
                )
                return
        if cfg.target_accuracy is not None and report.train_accuracy is not None:
            acc = report.val_accuracy if report.val_accuracy is not None else report.train_accuracy
            reached = acc >= cfg.target_accuracy
            minibatch = cfg.batch_size is not None and cfg.batch_size < self._X.shape[0]
            if reached and report.val_accuracy is None and minibatch:
                # As for R²: confirm the averaged training accuracy with the weights as they are.
                reached = self.evaluate("train")["accuracy"] >= cfg.target_accuracy
            if reached:
                self._end(
                    "target",
                    f"Reached an accuracy of {acc:.1%} on the {on} data after "
                    f"{self.epoch} epochs (target {cfg.target_accuracy:.1%}).",
                )
                return
        if interrupted or self._stop_requested.is_set():
            self._end("stopped", f"Stopped on request after {self.epoch} epochs.")
            return
        if self.epoch >= cfg.epochs:
            self._end("epochs", f"Finished the planned {cfg.epochs:,} epochs.")
            return
        if cfg.patience is not None and self._since_best >= cfg.patience:
            self._end(
                "plateau",
                f"No progress for {cfg.patience} epochs: the best {on} "
                f"loss stayed at {self._best:.4g}.",
            )
            return
        if cfg.time_budget is not None and self._elapsed >= cfg.time_budget:
            self._end(
                "time", f"Used the time budget of {cfg.time_budget:g} s after {self.epoch} epochs."
            )

    def _diverged(
        self,
        loss: float,
        lr: float,
        runaway: bool = False,
        where: str = "",
        finished: bool = False,
    ) -> None:
        """End the run as "diverged", explaining it, with the last sound weights restored.

        `runaway` and `finished` mean the epoch that went wrong was completed and counted;
        otherwise it broke off and is not. `where` says where in the epoch the loss was met.
        """
        kept = self._restore_sound_weights()
        self.stop_reason = diverged_reason(
            loss,
            lr=lr,
            optimizer=self.config.optimizer,
            recipe=self.config.recipe,
            epoch=self.epoch + (0 if runaway or finished else 1),
            where=where,
            start_loss=self._start_loss,
            rising_epochs=self._rising if runaway else None,
            kept=kept,
        )

    def _restore_sound_weights(self) -> str:
        """Put the network back to the last weights whose loss was found sound, and never to
        weights worse than those the run started from; returns what was kept, in words.

        The fallback is the weights the current epoch started from, or the previous epoch's
        when the current one's very first batch was already broken (see _train_one_epoch).
        Its loss was only checked against the explosion limit, so it is measured again (one
        pass over the training data): if it is not below the starting loss, the starting
        weights are put back instead.
        """
        params = self.network.parameters()
        if self._start_loss is None:  # no epoch has begun: nothing has changed the weights
            snapshot, epoch = self._start, self._start_epoch
        elif self._good is not None:
            snapshot, epoch = self._good, self._good_epoch
        else:  # the run's first epoch broke on its first batch: its start is the run's start
            snapshot, epoch = self._candidate, self._start_epoch
        for p, s in zip(params, snapshot):
            np.copyto(p, s)
        start = self._start_loss
        if epoch == self._start_epoch or start is None:
            if self._start_epoch == 0:
                return "The network was put back to its starting weights."
            return (
                f"The network was put back to the weights this run started from (after "
                f"epoch {self._start_epoch:,})."
            )
        with np.errstate(over="ignore", invalid="ignore"):
            loss = self._mean_loss(self._X, self._y)
        if loss <= start:
            return (
                f"The network was put back to its weights after epoch {epoch:,}, the last ones "
                f"that gave a sound loss ({fmt(loss)} on the training data)."
            )
        for p, s in zip(params, self._start):
            np.copyto(p, s)
        since = (
            "its starting weights"
            if self._start_epoch == 0
            else (f"the weights this run started from (after epoch {self._start_epoch:,})")
        )
        return (
            f"The network was put back to {since}, with a loss of {fmt(start)}: the weights "
            f"after epoch {epoch:,} were worse than that ({fmt(loss)})."
        )

    # ---- using the result ------------------------------------------------------------------
    def evaluate(self, split: str = "train") -> dict:
        """{"mse", "r2"} of the current weights on the "train" or "val" data, normalised
        units (a full forward pass, a chunk of rows at a time). For a classifier "mse" is the
        mean cross-entropy (also as "loss"), "r2" McFadden's, and "accuracy" is added."""
        if split == "train":
            X, y, var = self._X, self._y, self._y_var
        elif split == "val":
            if self._Xv is None or self._yv is None:
                raise SettingsError("this run has no validation data")
            X, y, var = self._Xv, self._yv, self._yv_var
        else:
            raise SettingsError(f"split must be 'train' or 'val'; got {split!r}")
        with np.errstate(over="ignore", invalid="ignore"):  # an exploded network gives inf
            total, correct = self._loss_sum(X, y)
            mse = total / self._loss_count(y)
        result = {"mse": mse, "r2": 1.0 - mse / var if var > 0 else float(mse == 0)}
        if self._classes:
            result["loss"] = mse
            result["accuracy"] = correct / y.shape[0]
        return result

    def confusion_matrix(self, split: str = "val", network: Network | None = None) -> np.ndarray:
        """A classifier's confusion matrix (k, k) for the current weights (or `network`'s, a
        copy taken earlier) on the "train" or "val" data (see
        `nncore.classification.confusion_matrix`: row = true class)."""
        from .classification import confusion_matrix

        if not self._classes:
            raise SettingsError("a confusion matrix needs a classifier (loss='cross_entropy')")
        if split == "train":
            X, y = self._X, self._y
        elif split == "val":
            if self._Xv is None or self._yv is None:
                raise SettingsError("this run has no validation data")
            X, y = self._Xv, self._yv
        else:
            raise SettingsError(f"split must be 'train' or 'val'; got {split!r}")
        return confusion_matrix(self.network if network is None else network, X, y)

    @property
    def has_validation(self) -> bool:
        return self._Xv is not None

    def _loss_count(self, y: np.ndarray) -> int:
        """What the summed loss is divided by: every target value (squared error), or every
        sample (cross-entropy, one term a sample)."""
        return y.shape[0] if self._classes else y.size

    def _mean_loss(self, X: np.ndarray, y: np.ndarray) -> float:
        return self._loss_sum(X, y)[0] / self._loss_count(y)

    def _loss_sum(self, X: np.ndarray, y: np.ndarray) -> tuple[float, int]:
        """(Σ (prediction − y)², 0) of the current weights over normalised data, or for a
        classifier (Σ −log p(true class), the number of right answers); through the training
        kernels, network.EVAL_CHUNK_ROWS rows at a time: memory for one chunk's activations
        however many rows there are (one chunk, the whole array, when it fits)."""
        rows, n = network_module.EVAL_CHUNK_ROWS, X.shape[0]
        total, correct = 0.0, 0
        for start in range(0, n, rows):
            Xc = X[start : start + rows]  # a view, (rows, n_in)
            yc = y[start : start + rows]  # (rows, n_out)
            if self._classes:
                z = self.network.logits(Xc)  # (rows, n_out)
                total += float(np.sum(cross_entropy_terms(z, yc)))
                correct += _correct(z, yc)
                continue
            if Xc.shape[0] == rows or n <= rows:
                pred = self.network.forward(Xc, workspace=True).a[-1]
            else:  # the shorter last chunk: not worth a second set of buffers of its own
                pred = self.network.predict(Xc)  # the same numbers, bit for bit
            total += _sq_norm(pred - yc)  # (rows, n_out) difference
        return total, correct

    def predict(self, X, network: Network | None = None) -> np.ndarray:
        """Predictions for inputs in original units, returned in original units (n, n_out),
        by the current weights or by `network` (e.g. a copy taken earlier); the network
        predicts a chunk of rows at a time (see Network.predict)."""
        Xn = self.normaliser.transform_x(X)
        net = self.network if network is None else network
        out = np.asarray(net.predict(Xn), dtype=np.float64)
        if self._classes:
            return out  # class probabilities: there are no units to return to
        return self.normaliser.inverse_y(out)

    def state(self) -> RunState:
        """A snapshot for display: epoch, next lr, stop reason, last report and a copy of the
        network (call it between chunks, from the thread that runs them)."""
        return RunState(
            epoch=self.epoch,
            lr=self.lr,
            done=self.done,
            stop_reason=self.stop_reason,
            report=self.history[-1] if self.history else None,
            network=self.network.copy(),
            normaliser=self.normaliser,
        )
