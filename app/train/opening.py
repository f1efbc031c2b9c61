"""Opening a weight file for the Train tab without freezing the window.

A small file (under `IN_PROCESS_BYTES`, from app.train.reader_process) is read right here:
that takes a few milliseconds. A larger one is read in a child process
(`app.train.reader_process.ReadJob`) while this function runs the event loop, so the window
goes on drawing; the caller locks its controls meanwhile. The history the file holds is then taken over a chunk at a time (about 6 ms of
CPU each), with a frame drawn between chunks, into the epoch reports nncore's TrainingRun
continues and the tab's `HistoryArrays` (built as it goes, so the tab need not build it again
in one piece).

nncore's TrainingRun, which walks the whole history once, is then built in a helper thread
(`build_while_drawing`) for the same reason.

Measured with `python -m app.train.bench_open` (2 cores shared with seven other builds, load
7-8): a 200,000-epoch, 54 MB file froze the window for 19 s before; now it is refused
(above `limits.MAX_HISTORY`) with the window drawing all along, longest pause 193 ms. A
50,000-epoch file froze it for 6.5 s; now the longest stretch of GUI-thread CPU is 141 ms,
the same as for a 100-epoch file (131 ms: redrawing the tab for new data), so the history's
length no longer adds to any pause.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from app.train.reader_process import (
    IN_PROCESS_BYTES,
    PackedWeights,
    ReadJob,
    read_here,
    unpack_history,
)
from app.train.session import HistoryArrays
from app.train.weight_files import OpenedWeights
from nncore import training
from nncore.errors import WeightFileError
from nncore.safetext import shown

T = TypeVar("T")

FREEZE_FROM = 10_000  # epochs from which a history is kept out of the cycle collector's walks


def read_weights_while_drawing(
    path: str, cancelled: Callable[[], bool]
) -> tuple[OpenedWeights, HistoryArrays]:
    """Read `path` (see the module docstring); the opened file with its history, and the
    same history as columns. Raises WeightFileError (UnusableWeights too) or OSError, one
    line; `cancelled()` true (the window closed) ends the read with WeightFileError."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise WeightFileError(f"{shown(path)} is not a regular file")
    if info.st_size < IN_PROCESS_BYTES:
        packed = read_here(path)
    else:
        try:
            job = ReadJob(path)
        except OSError:  # no child process on this system: read here, the window waits
            packed = read_here(path)
        else:
            packed = _wait_for(job, cancelled)
    history: list[training.EpochReport] = []
    arrays = HistoryArrays()
    with _no_cyclic_gc(freeze=packed.history_length >= FREEZE_FROM):
        for chunk in unpack_history(packed):
            history.extend(chunk)
            arrays.extend(chunk)
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            if cancelled():
                raise WeightFileError("the window was closed while the file was opened")
    packed.opened.history = history
    return packed.opened, arrays


@contextlib.contextmanager
def _no_cyclic_gc(freeze: bool) -> Iterator[None]:
    """Python's cycle collector off while a history's objects are made, and, with
    `freeze`, those objects kept out of its later walks (`gc.freeze`).

    Otherwise, every so many new objects, it walks all of them: measured with a 100,000-epoch
    history (half a million objects), one walk during loading took 150 ms of CPU and each
    full walk later 240 ms, a visible pause at any moment. Epoch reports hold no reference
    cycles, so reference counting still frees them when the history goes; what is frozen
    is only never searched for cycles.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_on:
            gc.enable()


def _wait_for(job: ReadJob, cancelled: Callable[[], bool]) -> PackedWeights:
    """Run the event loop until `job` ends (or `cancelled()`), then its result."""
    loop = QEventLoop()
    poll = QTimer(loop)
    poll.setInterval(15)
    poll.timeout.connect(lambda: (job.done() or cancelled()) and loop.quit())
    poll.start()
    if not job.done():
        loop.exec()
    poll.stop()
    if cancelled():
        job.cancel()
        raise WeightFileError("the window was closed while the file was opened")
    return job.result()


def build_while_drawing(make: Callable[[], T], cancelled: Callable[[], bool]) -> T:
    """`make()` run in a helper thread while the event loop runs here; its result, or the
    exception it raised.

    For pure-Python work that walks a long history (nncore's TrainingRun takes about 40 ms
    of CPU for 50,000 epochs): the interpreter switches threads every few milliseconds, so
    the window draws in between. `make` must not touch a widget.
    """
    outcome: list = []

    def work() -> None:
        try:
            outcome.append((True, make()))
        except BaseException as err:  # handed to the GUI thread, raised there
            outcome.append((False, err))

    helper = threading.Thread(target=work, name="train-tab builder", daemon=True)
    helper.start()
    loop = QEventLoop()
    poll = QTimer(loop)
    poll.setInterval(5)
    poll.timeout.connect(lambda: (outcome or cancelled()) and loop.quit())
    poll.start()
    if not outcome:
        loop.exec()
    poll.stop()
    helper.join()  # a cancelled build still ends on its own; nothing may outlive it
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


__all__ = ["read_weights_while_drawing", "build_while_drawing", "IN_PROCESS_BYTES"]
