"""The Train tab's learning-rate sweep: its runs, the best rate, Stop, and closing mid-way."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QApplication

from app.train.session import DataSettings
from app.train.sweep_runner import SweepDialog
from nncore import training

SMALL_DATA = DataSettings(function="article", samples=200, seed=3, val_share=0.2)


def small_config(**overrides):
    settings = {"sizes": (2, 16, 16, 1), "batch_size": 32, "epochs": 5, **overrides}
    return training.recipe("modern", **settings)


def test_the_sweep_runs_each_rate_names_them_and_the_best_past_a_divergent_one(tab, qtbot):
    # No validation data: lr 10 blows up after a sound first epoch (as the tab's own
    # divergence test), so that run ends, paused on its kept weights, and the sweep goes on.
    cfg = training.recipe("article", sizes=(2, 32, 32, 1), epochs=20)
    tab.configure(dataclasses.replace(SMALL_DATA, val_share=0.0), cfg)
    seen = []
    tab.state_changed.connect(
        lambda s: seen.append(tab.run_controls.sweep_label.text()) if s == "running" else None
    )
    with qtbot.waitSignal(tab.sweeper.finished, timeout=60_000) as done:
        assert tab.sweeper.start([0.001, 10.0, 0.01])
        assert not tab.run_controls.sweep_button.isEnabled()
    sweep = done.args[0]
    assert list(sweep.results) == [0.001, 10.0, 0.01]
    assert sweep.results[10.0] is None and not sweep.stopped
    assert any("run 2 of 3 (lr 10)" in text for text in seen)
    assert tab.views.run_list.names() == ["lr 0.001", "lr 10"]  # the third is the current
    assert tab.run.config.lr == 0.01 and tab.state == "finished"
    best = sweep.best()
    assert best in (0.001, 0.01)
    assert f"Best learning rate of the sweep: {best:g}" in tab.banner.text()
    assert "lr 10: diverged" in tab.banner.text()
    assert tab.run_controls.sweep_label.isHidden()
    assert tab.start_button.isEnabled() and tab.run_controls.sweep_button.isEnabled()


def test_stop_mid_sweep_ends_the_sweep_and_starts_no_further_run(tab, qtbot):
    tab.configure(SMALL_DATA, small_config(epochs=3000))
    with qtbot.waitSignal(tab.sweeper.finished, timeout=60_000) as done:
        tab.sweeper.start([0.001, 0.003, 0.01])
        qtbot.waitUntil(lambda: len(tab.history) > 0, timeout=30_000)
        tab.stop_button.click()
    sweep = done.args[0]
    assert sweep.stopped and sweep.results == {}
    QApplication.processEvents()
    assert tab.state == "finished" and tab.run.config.lr == 0.001
    assert tab.worker.wait_idle(1.0)  # no orphan training: the worker is idle
    assert "Stop ended" not in tab.banner.text()  # the tab's own "stopped" line is enough
    assert tab.run_controls.sweep_button.isEnabled()


def test_reset_mid_sweep_ends_it_with_a_note(tab, qtbot):
    tab.configure(SMALL_DATA, small_config(epochs=3000))
    with qtbot.waitSignal(tab.sweeper.finished, timeout=60_000) as done:
        tab.sweeper.start([0.001, 0.003, 0.01])
        qtbot.waitUntil(lambda: len(tab.history) > 0, timeout=30_000)
        tab.reset_button.click()
    assert done.args[0].stopped and tab.state == "fresh"
    assert "replaced" in tab.banner.text()


def test_closing_mid_sweep_ends_the_worker_and_starts_nothing(tab, qtbot):
    tab.configure(SMALL_DATA, small_config(epochs=3000))
    tab.sweeper.start([0.001, 0.003, 0.01])
    qtbot.waitUntil(lambda: len(tab.history) > 0, timeout=30_000)
    tab.shutdown()
    assert not tab._thread.running
    QApplication.processEvents()
    assert tab.sweeper.sweep.results == {}  # no run was recorded or started after closing


def test_the_dialog_proposes_rates_around_the_current_one_and_refuses_a_bad_line(qtbot):
    dialog = SweepDialog(0.001, 2000)
    qtbot.addWidget(dialog)
    assert dialog.rates() == [0.0001, 0.0003, 0.001, 0.003, 0.01]
    dialog.rates_edit.setText("0.1, 1")
    dialog.accept()
    assert "3 to 5" in dialog.message.text() and dialog.result() == 0
    dialog.rates_edit.setText("0.1, 0.3, 1")
    dialog.accept()
    assert dialog.result() == SweepDialog.DialogCode.Accepted
