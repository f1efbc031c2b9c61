"""The training worker in a thread: a `TrainingLoop` living in a QThread of the app.

The window must never freeze while a network trains. `TrainingThread` moves a
`TrainWorker` (a QObject) to its own QThread, and the Train tab talks to it only through
queued signals and the loop's thread-safe requests, in the style of superqt's thread
workers. The loop itself (chunks, snapshots, pausing) is `app.train.training_loop`, shared
with the training process (`app.train.process_worker`, which has the same interface and
is what the tab uses unless told otherwise, see `app.train.training_mode`). Here the maps
a snapshot carries (`app.train.live_grids`) are computed in the worker's thread, within a
share of its time.

Signals:
- `snapshot(TrainingSnapshot)`: a new moment of the run, throttled;
- `loop_ended(run_id, reason)`: the worker is idle again: paused (reason None) or finished
  (an nncore `StopReason`, e.g. "diverged" with its explanation);
- `failed(run_id, text)`: an unexpected error; the worker is idle.

How many threads NumPy's BLAS uses is decided once for the whole process, in `app.main`.
"""

from __future__ import annotations

import atexit
import weakref

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from app.train.live_grids import LiveGrids, MapAxes
from app.train.snapshot import TrainingSnapshot
from app.train.training_loop import SNAPSHOT_HZ, TrainingLoop
from nncore.training import StopReason, TrainingRun


class _SignalOutbox:
    """The loop's outbox: each message becomes one of the worker's signals."""

    def __init__(self, worker: TrainWorker):
        self._worker = worker

    def snapshot(self, snap: TrainingSnapshot) -> None:
        self._worker.snapshot.emit(snap)

    def loop_ended(self, run_id: int, reason: StopReason | None) -> None:
        self._worker.loop_ended.emit(run_id, reason)

    def failed(self, run_id: int, text: str) -> None:
        self._worker.failed.emit(run_id, text)


class TrainWorker(QObject):
    """Trains a `TrainingRun` in whatever thread this object lives in (see module doc)."""

    snapshot = Signal(object)
    loop_ended = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self):
        super().__init__()
        self.loop = TrainingLoop(_SignalOutbox(self))

    # ---- called from the GUI thread -------------------------------------------------------
    def set_run(
        self,
        run: TrainingRun,
        run_id: int,
        grid_X: np.ndarray | None = None,
        truth: np.ndarray | None = None,
        axes: MapAxes | None = None,
    ) -> None:
        """Hand over a run (only while idle). `grid_X` (n², 2) are the contour grid's points
        in original units, row-major; `truth` the true values there as (n, n) or None."""
        previous = self.loop.grids
        grids = LiveGrids(grid_X, truth, axes=axes)
        if previous is not None:
            grids.neuron_maps_domain = previous.neuron_maps_domain
            grids.neuron_colours = previous.neuron_colours
        self.loop.set_run(run, run_id, grids)

    def show_neuron_maps(
        self,
        domain: tuple[float, float, float, float] | None,
        colours: tuple[np.ndarray, np.uint32] | None = None,
    ) -> None:
        """Compute every neuron's maps on this plane with the grids (None: not on show),
        coloured with `colours` (the view's `colour_table()`) when given."""
        grids = self.loop.grids
        if grids is not None:
            grids.neuron_maps_domain, grids.neuron_colours = domain, colours

    def request_pause(self) -> None:
        self.loop.request_pause()

    def request_stop(self) -> None:
        self.loop.request_stop()

    def request_lr(self, lr: float) -> None:
        self.loop.request_lr(lr)

    def allow_run(self) -> None:
        self.loop.allow_run()

    def is_idle(self) -> bool:
        return self.loop.is_idle()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        return self.loop.wait_idle(timeout)

    # ---- slots, run in the worker's thread ------------------------------------------------
    @Slot(int)
    def run_loop(self, run_id: int) -> None:
        self.loop.run_loop(run_id)

    @Slot(int, int)
    def step(self, run_id: int, epochs: int = 1) -> None:
        self.loop.step(run_id, epochs)

    @Slot(int)
    def publish(self, run_id: int) -> None:
        self.loop.publish(run_id)


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

    def ended(self) -> bool:
        return self.thread.isFinished()

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
