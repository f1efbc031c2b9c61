"""Shared set-up for the Train tab's tests: `tab`, a TrainTab shut down after the test, and
`Driver`, which talks to a training worker the way the tab does."""

import pytest
from PySide6.QtCore import QObject, Qt, Signal

from nncore import data as nndata


class Driver(QObject):
    """Sends requests to a worker through queued signals, as the Train tab does, and
    re-emits the worker's signals in this (GUI) thread, where the tests wait for them.

    Waiting with qtbot.waitSignal directly on a signal emitted in the worker's thread races:
    pytest-qt's handler then runs in that thread, and when it lands between the blocker
    starting its timeout and entering its event loop, it cancels the timeout and the loop
    never quits (seen once: a full-suite run hung for 15 minutes). Queued into this
    thread, the handler runs inside the loop.
    """

    start = Signal(int)
    step = Signal(int, int)
    snapshot = Signal(object)
    loop_ended = Signal(int, object)
    failed = Signal(int, str)

    def listen_to(self, worker) -> None:
        for name in ("snapshot", "loop_ended", "failed"):
            getattr(worker, name).connect(getattr(self, name), Qt.QueuedConnection)
        self.start.connect(worker.run_loop)
        self.step.connect(worker.step)


@pytest.fixture
def driver_for():
    """`driver_for(worker)`: a Driver wired to that worker."""

    def make(worker) -> Driver:
        driver = Driver()
        driver.listen_to(worker)
        return driver

    return make


@pytest.fixture
def tab(qtbot):
    """A Train tab on its own (not shown), its worker and timers stopped after the test."""
    from app.train.tab import TrainTab

    widget = TrainTab()
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


@pytest.fixture
def small_data():
    """(train, val, grid_X, truth): a small saddle data set and its 12 × 12 contour grid,
    for the training workers' tests."""
    fn = nndata.FUNCTIONS["saddle"]
    train, val = nndata.sample_uniform(fn, 150, seed=1).split(0.2, seed=1)
    grid = nndata.grid(fn, 12)
    _, _, truth = nndata.grid_axes(fn, 12)
    return train, val, grid.X, truth
