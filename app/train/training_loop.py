"""The training loop of the Train tab, without Qt: chunks of epochs, and snapshots of them.

`TrainingLoop` trains one `TrainingRun` at a time, in whatever thread calls it: a thread of
the app (`app.train.worker`) or the main thread of a training process of its own
(`app.train.trainer_process`). It tells what happens through an `Outbox`, an object with
three methods, so the same loop serves both:

- `snapshot(TrainingSnapshot)`: a new moment of the run;
- `loop_ended(run_id, reason)`: the loop returned; `reason` is the run's StopReason, or
  None when it was merely paused;
- `failed(run_id, text)`: an unexpected error; the loop is idle again.

How it paces itself:

- `run_loop()` trains chunk after chunk (`TrainingRun.run_chunk`), each sized to take about
  `CHUNK_SECONDS`, and checks its pause flag between chunks, so Pause and closing the
  window take effect within a chunk.
- After a chunk it may send a snapshot: the new epoch reports and a copy of the network,
  at most `SNAPSHOT_HZ` times a second. With `grids` (an `app.train.live_grids.LiveGrids`)
  the snapshots also carry, as often as it allows, the maps computed from that copy;
  without, whoever receives the snapshots computes them.
- `step(n)` trains exactly n epochs and sends one snapshot (the "Step one epoch" button).

Requests that may come from another thread (`request_pause`, `request_stop`,
`request_lr`, `allow_run`) only set flags the loop reads between chunks, so no array is
ever shared while it changes; `set_run` is refused unless the loop is idle.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Protocol

from app.train.live_grids import LiveGrids
from app.train.snapshot import TrainingSnapshot
from nncore.training import EpochReport, StopReason, TrainingRun

SNAPSHOT_HZ = 20.0  # at most this many snapshots a second (by default)
CHUNK_SECONDS = 0.02  # aim for chunks of about this long
MAX_CHUNK = 10_000  # epochs: a chunk never grows beyond this


class Outbox(Protocol):
    def snapshot(self, snap: TrainingSnapshot) -> None: ...

    def loop_ended(self, run_id: int, reason: StopReason | None) -> None: ...

    def failed(self, run_id: int, text: str) -> None: ...


@dataclass
class _Job:
    run: TrainingRun
    run_id: int
    grids: LiveGrids | None
    recent: list[tuple[float, int]] = field(default_factory=list)  # (time, epoch) samples


class TrainingLoop:
    """Trains the run it was handed, sending snapshots to `outbox` (see module doc)."""

    def __init__(self, outbox: Outbox, snapshot_hz: float = SNAPSHOT_HZ):
        self.outbox = outbox
        self.snapshot_hz = snapshot_hz
        self._job: _Job | None = None
        self._pause = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._lr_lock = threading.Lock()
        self._pending_lr: float | None = None
        self._chunk = 1

    # ---- requests (thread-safe unless said otherwise) -------------------------------------
    def set_run(self, run: TrainingRun, run_id: int, grids: LiveGrids | None = None) -> None:
        """Hand over a run (only while idle); `grids`, when given, are computed here."""
        if not self._idle.is_set():
            raise RuntimeError("set_run needs an idle worker; pause it and wait_idle() first")
        self._job = _Job(run, run_id, grids)
        self._chunk = 1
        with self._lr_lock:
            self._pending_lr = None

    @property
    def grids(self) -> LiveGrids | None:
        return self._job.grids if self._job is not None else None

    def request_pause(self) -> None:
        """Ask the loop to stop after the current chunk."""
        self._pause.set()

    def allow_run(self) -> None:
        """Clear a pause request before asking for `run_loop` again."""
        self._pause.clear()

    def request_stop(self) -> None:
        """End the run for good (it finishes with kind "stopped")."""
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

    # ---- the work, in the loop's own thread -----------------------------------------------
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
                if now - last_emit >= 1.0 / self.snapshot_hz and not run.done:
                    self._send(job, pending)
                    pending = []
                    last_emit = time.perf_counter()
            self._send(job, pending, final=True)
        except Exception as err:  # reported to the GUI, never lost
            self._report_end(job, err)
            return
        self._report_end(job)

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
            self._send(job, reports, final=True)
        except Exception as err:  # reported to the GUI, never lost
            self._report_end(job, err)
            return
        self._report_end(job)

    def publish(self, run_id: int) -> None:
        """Send one snapshot of the current state (e.g. right after a run was handed over)."""
        job = self._job
        if job is not None and job.run_id == run_id and self._idle.is_set():
            self._send(job, [], final=True)

    # ---- helpers --------------------------------------------------------------------------
    def _report_end(self, job: _Job, error: Exception | None = None) -> None:
        """Mark the loop idle, then say how the work ended: it failed, or it is paused or
        finished (the run's stop reason, None while it can go on)."""
        self._idle.set()
        if error is not None:
            self.outbox.failed(job.run_id, f"{type(error).__name__}: {error}")
        else:
            self.outbox.loop_ended(job.run_id, job.run.stop_reason)

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
        self._chunk = int(min(max(wanted, 1), self._chunk * 2, MAX_CHUNK))

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

    def _send(self, job: _Job, reports: list[EpochReport], final: bool = False) -> None:
        run = job.run
        snap = TrainingSnapshot(
            run_id=job.run_id,
            reports=list(reports),
            state=run.state(),
            total_epochs=run.config.epochs,
            epochs_per_second=self._speed(job),
            final=final,
        )
        if job.grids is not None and (final or job.grids.due(time.perf_counter())):
            job.grids.fill(snap, run)
        self.outbox.snapshot(snap)


__all__ = ["TrainingLoop", "Outbox", "SNAPSHOT_HZ", "CHUNK_SECONDS"]
