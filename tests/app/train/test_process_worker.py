"""Tests for the training process: a real child process, real nncore runs, signals waited
for (through the `Driver` of conftest.py, in this thread)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from app.train.process_worker import TrainingProcess
from app.train.worker import TrainingThread
from nncore import training
from nncore.neuron_maps import neuron_maps

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def trainer(qtbot, driver_for):
    process = TrainingProcess()
    driver = driver_for(process.worker)
    collected = []
    driver.snapshot.connect(collected.append)
    yield process, driver, collected
    assert process.shutdown()
    assert process.ended()


def make_run(train, val, **overrides):
    settings = {"sizes": (2, 16, 16, 1), "batch_size": 32, "epochs": 40, **overrides}
    return training.TrainingRun(training.recipe("modern", **settings), train, val)


def run_to_end(qtbot, process, driver, run, run_id, grid_X=None, truth=None):
    process.worker.set_run(run, run_id, grid_X, truth)
    with qtbot.waitSignal(driver.loop_ended, timeout=60_000) as ended:
        process.worker.allow_run()
        driver.start.emit(run_id)
    return ended.args


def start_endless_run(qtbot, process, driver, collected, data, run_id):
    train, val, grid_X, truth = data
    process.worker.set_run(make_run(train, val, epochs=1_000_000), run_id, grid_X, truth)
    process.worker.allow_run()
    driver.start.emit(run_id)
    qtbot.waitUntil(lambda: any(s.reports for s in collected), timeout=60_000)


def test_a_run_trains_to_the_end_in_the_process_exactly_as_it_would_here(
    qtbot, trainer, small_data
):
    process, driver, collected = trainer
    train, val, grid_X, truth = small_data
    run = make_run(train, val)
    run_id, reason = run_to_end(qtbot, process, driver, run, 1, grid_X, truth)
    assert run_id == 1 and reason.kind == "epochs"
    reports = [r for snap in collected for r in snap.reports]
    assert [r.epoch for r in reports] == list(range(1, 41))  # none lost, none twice
    # the same run trained here, headless: the same numbers, bit for bit
    here = make_run(train, val)
    while not here.done:
        here.run_chunk(40)
    assert [r.train_loss for r in reports] == [r.train_loss for r in here.history]
    final = collected[-1]
    assert final.final and final.epoch == 40 and final.state.done
    for theirs, mine in zip(final.state.network.weights, here.network.weights):
        assert np.array_equal(theirs, mine)
    # the grid was computed in this process from the snapshot's network, exactly
    expected = here.normaliser.inverse_y(
        here.network.predict(here.normaliser.transform_x(grid_X))
    ).reshape(12, 12)
    assert np.array_equal(final.prediction, expected)
    assert np.array_equal(final.error, expected - truth)
    assert not run.history  # the run handed over stays as it was here


def test_thread_and_process_train_the_same_numbers(qtbot, trainer, small_data, driver_for):
    process, driver, collected = trainer
    train, val, grid_X, truth = small_data
    run_to_end(qtbot, process, driver, make_run(train, val, epochs=12), 1, grid_X, truth)
    thread = TrainingThread()
    try:
        thread_driver = driver_for(thread.worker)
        in_thread = []
        thread_driver.snapshot.connect(in_thread.append)
        run_to_end(qtbot, thread, thread_driver, make_run(train, val, epochs=12), 1)
    finally:
        thread.shutdown()
    losses = [[r.train_loss for s in snaps for r in s.reports] for snaps in (collected, in_thread)]
    assert losses[0] == losses[1] and len(losses[0]) == 12


def test_pause_resume_learning_rate_and_stop_reach_a_busy_process(qtbot, trainer, small_data):
    process, driver, collected = trainer
    start_endless_run(qtbot, process, driver, collected, small_data, 7)
    with qtbot.waitSignal(driver.loop_ended, timeout=30_000) as paused:
        process.worker.request_pause()
    assert paused.args == [7, None]  # paused, not finished
    assert process.worker.is_idle()
    paused_at = collected[-1].epoch
    assert collected[-1].final and not collected[-1].state.done
    process.worker.request_lr(0.0042)
    with qtbot.waitSignal(driver.loop_ended, timeout=30_000):
        driver.step.emit(7, 2)
    assert collected[-1].epoch == paused_at + 2
    assert [r.lr for r in collected[-1].reports] == [0.0042, 0.0042]
    # a request for another run id is ignored (nothing is sent, the worker stays idle)
    driver.start.emit(99)
    qtbot.wait(50)
    assert process.worker.is_idle()
    with qtbot.waitSignal(
        driver.snapshot, timeout=30_000, check_params_cb=lambda s: s.epoch > paused_at + 2
    ):
        process.worker.allow_run()
        driver.start.emit(7)
    with qtbot.waitSignal(driver.loop_ended, timeout=30_000) as stopped:
        process.worker.request_stop()
    assert stopped.args[1].kind == "stopped"
    assert collected[-1].state.done


def test_divergence_ends_the_loop_with_the_explanation_and_finite_weights(
    qtbot, trainer, small_data
):
    process, driver, collected = trainer
    train, val, grid_X, truth = small_data
    cfg = training.recipe("article", sizes=(2, 32, 32, 1), lr=10.0, epochs=200)
    _, reason = run_to_end(
        qtbot, process, driver, training.TrainingRun(cfg, train, val), 2, grid_X, truth
    )
    assert reason.kind == "diverged" and "learning rate" in reason.detail
    final = collected[-1]
    assert all(np.all(np.isfinite(w)) for w in final.state.network.weights)
    assert np.all(np.isfinite(final.prediction))


def test_the_neuron_maps_come_computed_when_asked_for(qtbot, trainer, small_data):
    process, driver, collected = trainer
    train, val, _grid_X, _truth = small_data
    run = make_run(train, val, epochs=6)
    process.worker.show_neuron_maps((-2.0, 2.0, -1.0, 1.0))
    run_to_end(qtbot, process, driver, run, 3)  # no contour grid: the maps still come
    final = collected[-1]
    assert final.neuron_maps_domain == (-2.0, 2.0, -1.0, 1.0)
    expected = neuron_maps(final.state.network, final.state.normaliser, (-2.0, 2.0, -1.0, 1.0))
    for got, want in zip(final.neuron_maps.layers, expected.layers):
        assert np.array_equal(got.maps, want.maps)
    process.worker.show_neuron_maps(None)  # hidden: none computed
    collected.clear()
    run_to_end(qtbot, process, driver, make_run(train, val, epochs=6), 4)
    assert all(s.neuron_maps is None for s in collected)


def test_set_run_refuses_a_busy_process(qtbot, trainer, small_data):
    process, driver, collected = trainer
    train, val, _, _ = small_data
    start_endless_run(qtbot, process, driver, collected, small_data, 1)
    with pytest.raises(RuntimeError, match="idle"):
        process.worker.set_run(make_run(train, val), 2)
    process.worker.request_pause()
    assert process.worker.wait_idle(10)


def test_a_child_that_dies_is_reported_and_replaced(qtbot, trainer, small_data):
    process, driver, collected = trainer
    train, val, _, _ = small_data
    start_endless_run(qtbot, process, driver, collected, small_data, 5)
    with qtbot.waitSignal(driver.failed, timeout=30_000) as failed:
        process.worker.process.kill()
    assert failed.args[0] == 5 and "ended unexpectedly" in failed.args[1]
    assert process.worker.is_idle() and collected  # the last weights shown are kept
    # the next run starts a new process
    _, reason = run_to_end(qtbot, process, driver, make_run(train, val, epochs=6), 6)
    assert reason.kind == "epochs" and process.worker.alive()


def test_shutdown_mid_run_ends_the_process_and_is_idempotent(qtbot, small_data, driver_for):
    process = TrainingProcess()
    driver = driver_for(process.worker)
    collected = []
    driver.snapshot.connect(collected.append)
    start_endless_run(qtbot, process, driver, collected, small_data, 1)
    child = process.worker.process
    assert process.shutdown()
    assert child.poll() is not None and process.ended() and process.worker.is_idle()
    assert process.shutdown()


LEAVE_WITHOUT_CLOSING = textwrap.dedent(
    """
    import os, signal, sys
    from PySide6.QtCore import QCoreApplication
    app = QCoreApplication([])
    from app.train.process_worker import TrainingProcess
    from nncore import data as nndata, training
    process = TrainingProcess()
    train = nndata.sample_uniform(nndata.FUNCTIONS["saddle"], 100, seed=1)
    run = training.TrainingRun(training.recipe("modern", sizes=(2, 8, 1), epochs=10**6), train)
    process.worker.set_run(run, 1)
    process.worker.allow_run()
    process.worker.run_loop(1)
    print(process.worker.process.pid, flush=True)
    {ending}
    """
)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # a zombie (ended, not yet reaped by init) counts as gone
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split()[2] == "Z"


@pytest.mark.parametrize(
    "ending",
    ["raise SystemExit", "os.kill(os.getpid(), signal.SIGKILL)"],
    ids=["exit without closing", "killed"],
)
def test_no_orphan_process_when_the_app_ends_without_closing(tmp_path, ending):
    """A script that exits, or an app killed with -9, must not leave its trainer running."""
    script = tmp_path / "leave.py"
    script.write_text(LEAVE_WITHOUT_CLOSING.format(ending=ending))
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT)),
        timeout=120,
        cwd=ROOT,
    )
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 30  # a bound for a hang, not a speed requirement
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not _gone(pid):
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the training process outlived the app")


def test_a_process_started_ahead_is_the_one_the_next_worker_takes(qtbot, small_data, driver_for):
    from app.train import process_worker

    process_worker.start_ahead()
    ahead = process_worker._started[0]
    trainer = TrainingProcess()
    try:
        assert trainer.worker.process is ahead and not process_worker._started
        driver = driver_for(trainer.worker)
        train, val, _, _ = small_data
        _, reason = run_to_end(qtbot, trainer, driver, make_run(train, val, epochs=6), 1)
        assert reason.kind == "epochs"
    finally:
        trainer.shutdown()
    assert ahead.poll() is not None
