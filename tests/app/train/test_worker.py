"""Tests for the training worker: a real QThread, real nncore runs, signals waited for."""

from __future__ import annotations

import numpy as np
import pytest

from app.train.worker import TrainingThread
from nncore import training


@pytest.fixture
def worker_thread(qtbot, driver_for):
    thread = TrainingThread()
    driver = driver_for(thread.worker)
    collected = []
    thread.worker.snapshot.connect(collected.append)
    yield thread, driver, collected
    assert thread.shutdown()
    assert thread.thread.isFinished()


def make_run(train, val, **overrides):
    settings = {"sizes": (2, 16, 16, 1), "batch_size": 32, "epochs": 40, **overrides}
    cfg = training.recipe("modern", **settings)
    return training.TrainingRun(cfg, train, val)


def start_endless_run(qtbot, thread, driver, data, run_id):
    """Start a run too long to finish and return it once its first snapshot arrived."""
    train, val, grid_X, truth = data
    run = make_run(train, val, epochs=1_000_000)
    thread.worker.set_run(run, run_id, grid_X, truth)
    with qtbot.waitSignal(driver.snapshot, timeout=30_000):
        thread.worker.allow_run()
        driver.start.emit(run_id)
    return run


def test_a_run_trains_to_the_end_in_the_thread_with_complete_copied_snapshots(
    qtbot, worker_thread, small_data
):
    thread, driver, collected = worker_thread
    train, val, grid_X, truth = small_data
    run = make_run(train, val)
    thread.worker.set_run(run, 1, grid_X, truth)
    with qtbot.waitSignal(driver.loop_ended, timeout=30_000) as ended:
        thread.worker.allow_run()
        driver.start.emit(1)
    run_id, reason = ended.args
    assert run_id == 1 and reason.kind == "epochs"
    reports = [r for snap in collected for r in snap.reports]
    assert [r.epoch for r in reports] == list(range(1, 41))  # none lost, none twice
    assert reports[-1].train_mse < reports[0].train_mse
    final = collected[-1]
    assert final.final and final.epoch == 40
    # the snapshot holds a copy of the network, not the arrays the run keeps changing
    for mine, live in zip(final.state.network.weights, run.network.weights):
        assert not np.shares_memory(mine, live)
        assert np.array_equal(mine, live)
    # the grid prediction is the network's, mapped back to original units
    expected = run.normaliser.inverse_y(
        final.state.network.predict(run.normaliser.transform_x(grid_X))
    ).reshape(12, 12)
    assert np.allclose(final.prediction, expected, rtol=0, atol=1e-12)
    assert np.allclose(final.error, expected - truth, rtol=0, atol=1e-12)


def test_pause_resume_and_stop(qtbot, worker_thread, small_data):
    thread, driver, _collected = worker_thread
    run = start_endless_run(qtbot, thread, driver, small_data, 7)
    with qtbot.waitSignal(driver.loop_ended, timeout=30_000) as paused:
        thread.worker.request_pause()
    assert paused.args == [7, None]  # paused, not finished
    assert thread.worker.is_idle() and not run.done
    paused_at = run.epoch
    # a request for another run id is ignored
    driver.start.emit(99)
    qtbot.wait(50)
    assert run.epoch == paused_at
    with qtbot.waitSignal(
        driver.snapshot, timeout=30_000, check_params_cb=lambda s: s.epoch > paused_at
    ):
        thread.worker.allow_run()
        driver.start.emit(7)
    with qtbot.waitSignal(driver.loop_ended, timeout=30_000) as stopped:
        thread.worker.request_stop()
    assert stopped.args[1].kind == "stopped"
    assert run.epoch > paused_at


def test_learning_rate_change_applies_from_the_next_epoch(qtbot, worker_thread, small_data):
    thread, driver, collected = worker_thread
    train, val, grid_X, truth = small_data
    run = make_run(train, val, optimizer="gd", schedule="constant", lr=0.01)
    thread.worker.set_run(run, 3, grid_X, truth)
    with qtbot.waitSignal(driver.loop_ended, timeout=10_000):
        driver.step.emit(3, 2)
    thread.worker.request_lr(0.05)
    with qtbot.waitSignal(driver.loop_ended, timeout=10_000):
        driver.step.emit(3, 1)
    lrs = [r.lr for snap in collected for r in snap.reports]
    assert lrs == [0.01, 0.01, 0.05]


def test_divergence_ends_the_loop_with_the_explanation_and_finite_weights(
    qtbot, worker_thread, small_data
):
    thread, driver, collected = worker_thread
    train, val, grid_X, truth = small_data
    cfg = training.recipe("article", sizes=(2, 32, 32, 1), lr=10.0, epochs=200)
    run = training.TrainingRun(cfg, train, val)
    thread.worker.set_run(run, 2, grid_X, truth)
    with qtbot.waitSignal(driver.loop_ended, timeout=30_000) as ended:
        thread.worker.allow_run()
        driver.start.emit(2)
    reason = ended.args[1]
    assert reason.kind == "diverged"
    assert "learning rate" in reason.detail
    final = collected[-1]
    assert all(np.all(np.isfinite(w)) for w in final.state.network.weights)
    assert np.all(np.isfinite(final.prediction))


def test_shutdown_mid_run_ends_the_thread_without_qt_warnings(qtbot, qtlog, small_data, driver_for):
    thread = TrainingThread()
    driver = driver_for(thread.worker)
    run = start_endless_run(qtbot, thread, driver, small_data, 1)
    assert thread.shutdown()
    assert thread.thread.isFinished() and thread.worker.is_idle()
    assert thread.shutdown()  # idempotent
    assert not run.done  # paused, not ended: nothing lost
    assert not [r for r in qtlog.records if "QThread" in r.message or "deleted" in r.message]


def test_set_run_refuses_a_busy_worker(qtbot, worker_thread, small_data):
    thread, driver, _ = worker_thread
    train, val, _, _ = small_data
    start_endless_run(qtbot, thread, driver, small_data, 1)
    with pytest.raises(RuntimeError, match="idle"):
        thread.worker.set_run(make_run(train, val), 2)
    thread.worker.request_pause()
    assert thread.worker.wait_idle(10)


class BrokenRun(training.TrainingRun):
    """A run whose third chunk fails, as a bug in the engine would."""

    def run_chunk(self, max_epochs):
        if self.epoch >= 2:
            raise FloatingPointError("something broke inside the engine")
        return super().run_chunk(1)


def test_an_error_inside_training_is_reported_and_the_worker_stays_usable(
    qtbot, worker_thread, small_data
):
    thread, driver, _ = worker_thread
    train, val, grid_X, truth = small_data
    cfg = training.recipe("modern", sizes=(2, 8, 1), epochs=100)
    thread.worker.set_run(BrokenRun(cfg, train, val), 5, grid_X, truth)
    with qtbot.waitSignal(driver.failed, timeout=10_000) as failed:
        thread.worker.allow_run()
        driver.start.emit(5)
    assert failed.args[0] == 5 and "something broke" in failed.args[1]
    assert thread.worker.is_idle()
    thread.worker.set_run(make_run(train, val, epochs=6), 6, grid_X, truth)
    with qtbot.waitSignal(driver.loop_ended, timeout=10_000) as ended:
        driver.start.emit(6)
    assert ended.args[1].kind == "epochs"


def test_a_script_that_ends_while_training_exits_cleanly(tmp_path):
    """Leaving Python with a window still training (no close, no event loop) once aborted
    in Qt's "QThread: Destroyed while thread is still running"."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "leave_while_training.py"
    script.write_text(
        "from PySide6.QtWidgets import QApplication\n"
        "from PySide6.QtTest import QTest\n"
        "app = QApplication([])\n"
        "from app.main_window import MainWindow\n"
        "win = MainWindow(persist=False)\n"
        "win.show()\n"
        "win.train_tab.start()\n"
        "QTest.qWait(200)\n"
        "assert win.train_tab.state == 'running'\n"
        "raise SystemExit\n"
    )
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", NN_TUTOR_SETTINGS=str(tmp_path / "settings.ini")
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=Path(__file__).resolve().parents[3],  # the repository root
    )
    assert done.returncode == 0, done.stderr
    assert "Destroyed while thread" not in done.stderr
