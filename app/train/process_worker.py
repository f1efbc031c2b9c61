"""The training worker in a process: the same interface as `app.train.worker`, but the
network trains in a child process (`app.train.trainer_process`), out of the GUI's
interpreter, so neither waits for the other's interpreter lock.

`TrainingProcess` starts the child when it is created, or takes the one `start_ahead()`
started (the window calls it just after its first paint, before it builds the Train tab,
so the child's imports are done before the student presses Start), and gives a
`ProcessTrainWorker`, which has the signals and methods of `TrainWorker`:

- requests (set_run, run_loop, step, publish, pause, allow, stop, lr) become messages,
  written by a sending thread so the GUI thread never waits on the pipe;
- a receiving thread reads the answers. Before it passes a snapshot on (as the
  `snapshot` signal), it computes the maps the snapshot shows (`app.train.live_grids`:
  the prediction or decision map, the error, the confusion matrix, the neuron maps) from
  the snapshot's network, at most `live_grids.MAX_HZ_BESIDE` times a second. That work runs
  here, on the core the training does not use, and mostly inside NumPy, which releases
  the interpreter lock, so the GUI thread barely notices it;
- idleness is known here: the worker is busy from the moment it asks for a loop or a
  step until the child says the loop ended (or failed).

If the child dies (killed, out of memory), the receiving thread reports it as `failed`
with its exit code, and the next `set_run` starts a new child. `shutdown()` pauses the
loop, asks the child to quit and waits for it (killing it if it does not end in time);
an atexit hook does the same for scripts that never close the window.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.train.live_grids import MAX_HZ_BESIDE, LiveGrids, MapAxes
from app.train.trainer_process import read_message, write_message
from nncore.training import TrainingRun

ROOT = str(Path(__file__).resolve().parents[2])


def _child_environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, env.get("PYTHONPATH")) if p)
    env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = env["MKL_NUM_THREADS"] = "1"
    return env


def _spawn() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.train.trainer_process"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=_child_environment(),
    )


_started: list[subprocess.Popen] = []  # a child started ahead of need, not yet taken


def start_ahead() -> None:
    """Start a training process now, for the next worker to take: the window calls this
    just after its first paint, so the child's imports (NumPy, nncore: a few tenths of a
    second) run on the other core while the Train tab is being built. It ends with the app
    if no worker takes it (the end of its input)."""
    if not _started:
        _started.append(_spawn())
        atexit.register(_end_unused)


def _take_started() -> subprocess.Popen | None:
    while _started:
        process = _started.pop()
        if process.poll() is None:
            return process
    return None


def _end_unused() -> None:
    """At exit: a child started ahead and never taken reads the end of its input."""
    while _started:
        process = _started.pop()
        assert process.stdin is not None and process.stdout is not None
        with contextlib.suppress(OSError):
            process.stdin.close()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


class ProcessTrainWorker(QObject):
    """Trains in the child process; signals and methods as `app.train.worker.TrainWorker`."""

    snapshot = Signal(object)
    loop_ended = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self):
        super().__init__()
        self._idle = threading.Event()
        self._idle.set()
        self._closing = False
        self._neuron_maps: tuple = (None, None)  # (plane, colours) for the next runs' grids
        # (run_id, the run as handed over, its grids): replaced as a whole, read by the
        # receiving thread without a lock
        self._current: tuple[int, TrainingRun | None, LiveGrids | None] = (0, None, None)
        self._process: subprocess.Popen | None = None
        self._outgoing: queue.Queue[tuple | None] = queue.Queue()
        self._start_child()

    # ---- the child ------------------------------------------------------------------------
    def _start_child(self) -> None:
        self._process = _take_started() or _spawn()
        self._outgoing = queue.Queue()
        process = self._process
        self._sender = threading.Thread(
            target=self._send_all,
            args=(process, self._outgoing),
            name="training requests",
            daemon=True,
        )
        self._receiver = threading.Thread(
            target=self._receive_all, args=(process,), name="training answers", daemon=True
        )
        self._sender.start()
        self._receiver.start()

    @property
    def process(self) -> subprocess.Popen | None:
        return self._process

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _send(self, *message) -> None:
        self._outgoing.put(message)

    @staticmethod
    def _send_all(process: subprocess.Popen, outgoing: queue.Queue) -> None:
        assert process.stdin is not None
        try:
            while (message := outgoing.get()) is not None:
                write_message(process.stdin, message)
        except (BrokenPipeError, OSError):  # the child has gone; the receiver says so
            pass
        finally:
            with contextlib.suppress(OSError):
                process.stdin.close()  # the end of its input: the child exits

    def _receive_all(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        while True:
            try:
                message = read_message(process.stdout)
            except Exception as err:  # a garbled answer: the child cannot be trusted on
                message = None
                print(f"nn-tutor: the training process sent a bad answer: {err}", file=sys.stderr)
            if message is None:
                break
            kind = message[0]
            if kind == "snapshot":
                self._deliver(message[1])
            elif kind == "ended":
                self._idle.set()
                self.loop_ended.emit(message[1], message[2])
            elif kind == "failed":
                self._idle.set()
                self.failed.emit(message[1], message[2])
        process.stdout.close()
        if not self._closing and process is self._process:
            code = process.wait()
            self._idle.set()
            self.failed.emit(
                self._current[0],
                f"the training process ended unexpectedly (exit code {code}); the last "
                "weights shown are kept, and Start trains again in a new process",
            )

    def _deliver(self, snap) -> None:
        """Compute the snapshot's maps when they are due, then pass it on."""
        run_id, run, grids = self._current
        if snap.run_id == run_id and run is not None and grids is not None:
            try:
                if snap.final or grids.due(time.perf_counter()):
                    grids.fill(snap, run)
            except Exception as err:  # the maps failed, not the training: it goes on
                print(
                    f"nn-tutor: the live maps failed: {type(err).__name__}: {err}", file=sys.stderr
                )
        self.snapshot.emit(snap)

    # ---- requests, from the GUI thread ----------------------------------------------------
    def set_run(
        self,
        run: TrainingRun,
        run_id: int,
        grid_X: np.ndarray | None = None,
        truth: np.ndarray | None = None,
        axes: MapAxes | None = None,
    ) -> None:
        """Hand over a run (only while idle); see `TrainWorker.set_run`."""
        if not self._idle.is_set():
            raise RuntimeError("set_run needs an idle worker; pause it and wait_idle() first")
        if not self.alive() and not self._closing:
            self._start_child()
        grids = LiveGrids(grid_X, truth, share=None, max_hz=MAX_HZ_BESIDE, axes=axes)
        grids.neuron_maps_domain, grids.neuron_colours = self._neuron_maps
        self._current = (run_id, run, grids)
        self._send("run", run_id, run)

    def show_neuron_maps(
        self,
        domain: tuple[float, float, float, float] | None,
        colours: tuple[np.ndarray, np.uint32] | None = None,
    ) -> None:
        """Compute every neuron's maps on this plane with the grids (None: not on show),
        coloured with `colours` (the view's `colour_table()`) when given."""
        self._neuron_maps = (domain, colours)
        grids = self._current[2]
        if grids is not None:
            grids.neuron_maps_domain, grids.neuron_colours = domain, colours

    def run_loop(self, run_id: int) -> None:
        if run_id == self._current[0] and self.alive():
            self._idle.clear()
            self._send("loop", run_id)

    def step(self, run_id: int, epochs: int = 1) -> None:
        if run_id == self._current[0] and self.alive():
            self._idle.clear()
            self._send("step", run_id, int(epochs))

    def publish(self, run_id: int) -> None:
        if run_id == self._current[0] and self._idle.is_set():
            self._send("publish", run_id)

    def request_pause(self) -> None:
        self._send("pause")

    def allow_run(self) -> None:
        self._send("allow")

    def request_stop(self) -> None:
        self._send("stop")

    def request_lr(self, lr: float) -> None:
        self._send("lr", float(lr))

    def is_idle(self) -> bool:
        return self._idle.is_set()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        return self._idle.wait(timeout)

    def close(self, timeout: float = 10.0) -> bool:
        """Pause, let the child quit, wait for it (kill it after `timeout` s); True when it
        has ended."""
        self._closing = True
        process = self._process
        if process is None:
            return True
        self._outgoing.put(("pause",))
        self._idle.wait(timeout / 2)
        self._outgoing.put(("quit",))
        self._outgoing.put(None)
        try:
            process.wait(timeout / 2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._sender.join(timeout / 2)
        self._receiver.join(timeout / 2)  # it closes the answers' end of the pipe
        self._idle.set()
        return True


class TrainingProcess:
    """A ProcessTrainWorker with a clean, idempotent shutdown (as `TrainingThread`)."""

    def __init__(self):
        self.worker = ProcessTrainWorker()
        self._closed = False
        this = weakref.ref(self)
        atexit.register(lambda: this() is not None and this().shutdown())

    @property
    def running(self) -> bool:
        return self.worker.alive()

    def ended(self) -> bool:
        return not self.worker.alive()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Stop training and end the child; True when it has ended."""
        if self._closed:
            return True
        self._closed = True
        return self.worker.close(timeout_ms / 1000)


__all__ = ["ProcessTrainWorker", "TrainingProcess", "start_ahead"]
