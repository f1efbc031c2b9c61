"""The training worker: runs an nncore `TrainingRun` in a background thread, in chunks.

The window must never freeze while a network trains, so the Train tab moves a
`TrainWorker` (a QObject) to its own QThread and talks to it only through signals and a
few thread-safe flags, in the style of superqt's thread workers:

- `run_loop()` trains chunk after chunk (`TrainingRun.run_chunk`), each sized to take about
  20 ms, and checks its pause flag between chunks, so Pause and closing the window take
  effect within a chunk.
- After a chunk it may send a `TrainingSnapshot`: the new epoch reports, a copy of the
  network (never the live arrays the next chunk will change), and, less often, the
  network's prediction on the 100 × 100 grid with its error. Snapshots are throttled to at
  most `SNAPSHOT_HZ` per second, and the grid prediction (about eight epochs' worth of
  arithmetic for the article's data) is computed only as often as keeps it under
  `PREDICTION_SHARE` of the worker's time (but at least `PREDICTION_MIN_HZ` times a
  second). For a classifier the grid carries, instead of a value per point, nncore's
  decision map (`nncore.classification.decision_map`: the chosen class, its probability,
  every class's probability and the margins whose zero is the boundary), and every grid
  snapshot the confusion matrix of the weights as they are (on the validation points when
  there are any). The GUI thread only draws what arrives.
- `step(n)` trains exactly n epochs and sends one snapshot (the "Step one epoch" button).
- `loop_ended(run_id, reason)` says the worker is idle again: paused (reason None) or
  finished (an nncore `StopReason`, e.g. "diverged" with its explanation).

The worker only reads its `TrainingRun` from its own thread; the GUI hands a run over
(`set_run`) while the worker is idle and changes the learning rate through `request_lr`,
applied between chunks, so no array is ever shared while it changes.

How many threads NumPy's BLAS uses is decided once for the whole process, in `app.main`.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from nncore.classification import DecisionMap, decision_map
from nncore.training import EpochReport, RunState, TrainingRun

SNAPSHOT_HZ = 20.0  # at most this many snapshots a second
CHUNK_SECONDS = 0.02  # aim for chunks of about this long
PREDICTION_SHARE = 0.04  # grid predictions may use at most this share of the worker's time
PREDICTION_MAX_HZ = 12.0  # and never more often than this
PREDICTION_MIN_HZ = 2.0  # but at least this often, so the maps always look alive


@dataclass
class TrainingSnapshot:
    """What the GUI needs to draw one moment of a run; everything in it is a copy.

    `reports` are the epochs finished since the previous snapshot (EpochReport objects are
    written once and never changed). `state` holds a copy of the network. `prediction` and
    `error` (prediction − truth, None without a known truth) are (n, n) grids in original
    units, or None when this snapshot carries no new grid. For a classifier `prediction`
    and `error` stay None and `decision` holds the grid's decision map as (n, n[, k])
    images, `confusion` the confusion matrix (k, k) of the same weights on the points
    named by `confusion_split` ("validation" or "training").
    """

    run_id: int
    reports: list[EpochReport]
    state: RunState
    total_epochs: int
    epochs_per_second: float
    prediction: np.ndarray | None = None
    error: np.ndarray | None = None
    final: bool = False  # the last snapshot before the worker went idle
    decision: DecisionMap | None = None
    confusion: np.ndarray | None = None
    confusion_split: str = ""

    @property
    def has_grid(self) -> bool:
        """This snapshot carries a new grid (a prediction, or a classifier's decision map)."""
        return self.prediction is not None or self.decision is not None

    def take_grid_from(self, previous: TrainingSnapshot) -> None:
        """Carry the previous snapshot's grid over (this one brought none)."""
        self.prediction, self.error = previous.prediction, previous.error
        self.decision, self.confusion = previous.decision, previous.confusion
        self.confusion_split = previous.confusion_split

    @property
    def epoch(self) -> int:
        return self.state.epoch

    @property
    def seconds_left(self) -> float | None:
        if self.epochs_per_second <= 0:
            return None
        return max(self.total_epochs - self.state.epoch, 0) / self.epochs_per_second


@dataclass
class _Job:
    run: TrainingRun
    run_id: int
    grid_X: np.ndarray | None
    truth: np.ndarray | None  # (n, n) or None
    grid_shape: tuple[int, int] | None
    recent: list[tuple[float, int]] = field(default_factory=list)  # (time, epoch) samples
    grid_X_norm32: np.ndarray | None = None  # the grid, normalised, for live frames


class TrainWorker(QObject):
    """Trains a `TrainingRun` in whatever thread this object lives in (see module doc).

    Signals:
        snapshot(TrainingSnapshot): a new moment of the run, throttled.
        loop_ended(int, object): run id and StopReason, or None when merely paused.
        failed(int, str): run id and the text of an unexpected error; the worker is idle.
    """

    snapshot = Signal(object)
    loop_ended = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self):
        super().__init__()
        self._job: _Job | None = None
        self._pause = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._lr_lock = threading.Lock()
        self._pending_lr: float | None = None
        self._chunk = 1
        self._prediction_cost = 0.0
        self._last_prediction = 0.0

    # ---- called from the GUI thread -------------------------------------------------------
    def set_run(
        self,
        run: TrainingRun,
        run_id: int,
        grid_X: np.ndarray | None = None,
        truth: np.ndarray | None = None,
    ) -> None:
        """Hand over a run (only while idle). `grid_X` (n², 2) are the contour grid's points
        in original units, row-major; `truth` the true values there as (n, n) or None."""
        if not self._idle.is_set():
            raise RuntimeError("set_run needs an idle worker; pause it and wait_idle() first")
        shape = None
        if grid_X is not None:
            side = int(round(np.sqrt(len(grid_X))))
            shape = (side, side) if side * side == len(grid_X) else None
        self._job = _Job(run, run_id, grid_X, truth, shape)
        self._chunk = 1
        self._prediction_cost = 0.0
        self._last_prediction = 0.0
        with self._lr_lock:
            self._pending_lr = None

    def request_pause(self) -> None:
        """Ask the loop to stop after the current chunk (thread-safe)."""
        self._pause.set()

    def request_stop(self) -> None:
        """End the run for good (it finishes with kind "stopped"); thread-safe."""
        job = self._job
        if job is not None:
            job.run.request_stop()

    def request_lr(self, lr: float) -> None:
        """Use this learning rate from the next epoch on (applied between chunks)."""
        with self._lr_lock:
            self._pending_lr = float(lr)

    def is_idle(self) -> bool:
        return self._idle.is_set()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until the loop has returned (True) or the timeout passed (False)."""
        return self._idle.wait(timeout)

    def allow_run(self) -> None:
        """Clear a pause request before asking for `run_loop` again."""
        self._pause.clear()

    # ---- slots, run in the worker's thread ------------------------------------------------
    @Slot(int)
    def run_loop(self, run_id: int) -> None:
        """Train until paused, stopped or finished, sending throttled snapshots.

        `run_id` must name the current run: a request queued for a run that has since been
        replaced is ignored.
        """
        job = self._job
        if job is None or job.run_id != run_id:
            return
        self._idle.clear()
        pending: list[EpochReport] = []
        last_emit = 0.0
        try:
            run = job.run
            while not self._pause.is_set() and not run.done:
                self._apply_pending_lr(run)
                started = time.perf_counter()
                reports = run.run_chunk(self._chunk)
                elapsed = time.perf_counter() - started
                self._resize_chunk(elapsed, len(reports))
                pending.extend(reports)
                now = time.perf_counter()
                self._note_speed(job, now, run.epoch)
                if now - last_emit >= 1.0 / SNAPSHOT_HZ and not run.done:
                    self._emit(job, pending, with_grid=self._prediction_due(now))
                    pending = []
                    last_emit = time.perf_counter()
            self._emit(job, pending, with_grid=True, final=True)
        except Exception as err:  # reported to the GUI, never lost
            self._report_end(job, err)
            return
        self._report_end(job)

    @Slot(int, int)
    def step(self, run_id: int, epochs: int = 1) -> None:
        """Train exactly `epochs` epochs (fewer if the run ends; 0 = none) and send one
        snapshot."""
        job = self._job
        if job is None or job.run_id != run_id:
            return
        self._idle.clear()
        try:
            self._apply_pending_lr(job.run)
            reports = job.run.run_chunk(max(0, int(epochs)))
            self._emit(job, reports, with_grid=True, final=True)
        except Exception as err:  # reported to the GUI, never lost
            self._report_end(job, err)
            return
        self._report_end(job)

    def _report_end(self, job: _Job, error: Exception | None = None) -> None:
        """Mark the worker idle, then say how the work ended: it failed, or it is paused or
        finished (the run's stop reason, None while it can go on)."""
        self._idle.set()
        if error is not None:
            self.failed.emit(job.run_id, f"{type(error).__name__}: {error}")
        else:
            self.loop_ended.emit(job.run_id, job.run.stop_reason)

    @Slot(int)
    def publish(self, run_id: int) -> None:
        """Send one snapshot of the current state (e.g. right after a run was handed over)."""
        job = self._job
        if job is not None and job.run_id == run_id and self._idle.is_set():
            self._emit(job, [], with_grid=True, final=True)

    # ---- helpers --------------------------------------------------------------------------
    def _apply_pending_lr(self, run: TrainingRun) -> None:
        with self._lr_lock:
            lr, self._pending_lr = self._pending_lr, None
        if lr is not None:
            run.lr = lr

    def _resize_chunk(self, elapsed: float, done: int) -> None:
        """Grow or shrink the chunk so that one takes about CHUNK_SECONDS."""
        if done <= 0:
            return
        per_epoch = elapsed / done
        wanted = int(CHUNK_SECONDS / per_epoch) if per_epoch > 0 else self._chunk * 2
        self._chunk = int(min(max(wanted, 1), self._chunk * 2, 10_000))

    def _prediction_due(self, now: float) -> bool:
        if self._job is None or self._job.grid_X is None:
            return False
        gap = min(
            max(1.0 / PREDICTION_MAX_HZ, self._prediction_cost / PREDICTION_SHARE),
            1.0 / PREDICTION_MIN_HZ,
        )
        return now - self._last_prediction >= gap

    @staticmethod
    def _grid_prediction(job: _Job, exact: bool) -> np.ndarray:
        """The network's prediction on the grid, in original units, as an (n, n) array.

        Live frames of a float64 network are computed by a float32 copy of it: half the
        arithmetic, and a difference (about 1e-6 of the values) no colour map can show.
        The last frame before the worker goes idle is exact.
        """
        run = job.run
        if exact or run.network.dtype == np.float32:
            return run.predict(job.grid_X).reshape(job.grid_shape)
        if job.grid_X_norm32 is None:
            job.grid_X_norm32 = run.normaliser.transform_x(job.grid_X).astype(np.float32)
        out = run.network.astype("float32").predict(job.grid_X_norm32)  # (n², 1)
        return run.normaliser.inverse_y(out.astype(np.float64)).reshape(job.grid_shape)

    @staticmethod
    def _note_speed(job: _Job, now: float, epoch: int) -> None:
        job.recent.append((now, epoch))
        while len(job.recent) > 2 and now - job.recent[0][0] > 2.0:
            job.recent.pop(0)

    @staticmethod
    def _speed(job: _Job) -> float:
        if len(job.recent) < 2:
            return 0.0
        (t0, e0), (t1, e1) = job.recent[0], job.recent[-1]
        return (e1 - e0) / (t1 - t0) if t1 > t0 else 0.0

    def _emit(
        self, job: _Job, reports: list[EpochReport], with_grid: bool, final: bool = False
    ) -> None:
        run = job.run
        prediction = error = decision = confusion = None
        split = ""
        if with_grid and job.grid_X is not None and job.grid_shape is not None:
            # CPU time of this thread: what the prediction costs the training, unaffected by
            # other threads and processes competing for the cores
            started = time.thread_time()
            if run.network.is_classifier:
                probabilities = run.predict(job.grid_X)  # (n², k), or (n², 1) for a sigmoid
                decision = decision_map(probabilities).reshaped(*job.grid_shape)
                split = "validation" if run.has_validation else "training"
                confusion = run.confusion_matrix("val" if run.has_validation else "train")
            else:
                prediction = self._grid_prediction(job, exact=final)  # (n, n)
            if job.truth is not None and prediction is not None:
                error = prediction - job.truth
            cost = time.thread_time() - started
            self._prediction_cost = (
                cost if self._prediction_cost == 0.0 else 0.7 * self._prediction_cost + 0.3 * cost
            )
            self._last_prediction = time.perf_counter()
        self.snapshot.emit(
            TrainingSnapshot(
                run_id=job.run_id,
                reports=list(reports),
                state=run.state(),
                total_epochs=run.config.epochs,
                epochs_per_second=self._speed(job),
                prediction=prediction,
                error=error,
                final=final,
                decision=decision,
                confusion=confusion,
                confusion_split=split,
            )
        )


class TrainingThread:
    """A TrainWorker living in its own QThread, with a clean, idempotent shutdown.

    The connections are made after `moveToThread`, so the worker's slots run in the
    worker's thread. `shutdown()` pauses the loop, waits for it, quits the thread's event
    loop and waits for the thread to end.
    """

    def __init__(self, parent: QObject | None = None):
        from PySide6.QtCore import QThread

        self.thread = QThread(parent)
        self.thread.setObjectName("nn-tutor training")
        self.worker = TrainWorker()
        self.worker.moveToThread(self.thread)
        self.thread.finished.connect(self.worker.deleteLater)
        self.thread.start()
        self._closed = False
        # A script or notebook that ends without closing the window would otherwise abort
        # in Qt's "QThread: Destroyed while thread is still running"; a weak reference, so
        # the hook keeps nothing alive.
        this = weakref.ref(self)
        atexit.register(lambda: this() is not None and this().shutdown())

    @property
    def running(self) -> bool:
        return self.thread.isRunning()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Stop training and end the thread; True when the thread has finished."""
        if self._closed:
            return True
        self._closed = True
        self.worker.request_pause()
        self.worker.wait_idle(timeout_ms / 1000)
        self.thread.quit()
        return self.thread.wait(timeout_ms)


__all__ = ["TrainWorker", "TrainingThread", "TrainingSnapshot", "SNAPSHOT_HZ"]
