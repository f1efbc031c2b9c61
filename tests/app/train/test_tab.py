"""Tests for the Train tab (pytest-qt, offscreen)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.train.session import DataSettings
from nncore import data as nndata
from nncore import training, weightfile


def test_tab_opens_on_the_article_function_and_its_points(tab):
    _xs, _ys, Z = nndata.grid_axes(nndata.FUNCTIONS["article"], 100)
    assert np.array_equal(tab.truth_view.values(), Z)
    assert tab.truth_view.contour_point_count() > 0
    assert tab.scatter_view.point_count() == len(tab.prepared.train) == 800
    assert len(tab.prepared.val) == 200


def test_a_bad_formula_is_refused_with_a_message(tab, qtbot):
    panel = tab.data_panel
    before = tab.prepared
    panel.function_combo.setCurrentIndex(panel.function_combo.findData("formula"))
    panel.formula_edit.setText("sin(x) + os.system(1)")
    qtbot.waitUntil(lambda: not panel.message.isHidden() and panel.message.text() != "")
    assert "not allowed" in panel.message.text() or "column" in panel.message.text()
    assert tab.prepared is before
    # a good formula is accepted and redrawn
    with qtbot.waitSignal(panel.changed, timeout=3000):
        panel.formula_edit.setText("x - y")
    assert tab.prepared.function.label == "x - y"
    assert panel.message.isHidden()


def test_start_waits_while_the_data_settings_are_wrong(tab, qtbot):
    """A bad formula must not let Start train quietly on the previous data."""
    panel = tab.data_panel
    assert tab.start_button.isEnabled()
    panel.function_combo.setCurrentIndex(panel.function_combo.findData("formula"))
    panel.formula_edit.setText("sin(x) + (y")
    qtbot.waitUntil(lambda: not panel.is_valid)
    assert not tab.start_button.isEnabled() and not tab.step_button.isEnabled()
    assert "Data" in tab.status_label.text()
    tab.start()  # the F5 shortcut path
    assert tab.state == "fresh"
    with qtbot.waitSignal(panel.changed, timeout=3000):
        panel.formula_edit.setText("sin(x) + y")
    assert panel.is_valid and tab.start_button.isEnabled()


def test_the_settings_column_shows_its_widgets_whole(tab):
    """No field or button may be cut off at the right edge by the scroll area."""
    scroll = tab._controls_scroll
    bar = scroll.verticalScrollBar().sizeHint().width()
    assert scroll.widget().minimumSizeHint().width() <= scroll.width() - bar


def test_the_readout_writes_huge_numbers_in_the_tutors_style(tab):
    from nncore.training import EpochReport

    report = tab.history.reports[-1] if len(tab.history) else None
    assert report is None  # a fresh tab has no epochs yet
    n = tab.run.network.n_layers
    tab.history.extend(
        [
            EpochReport(
                epoch=3,
                train_mse=4.5e5,
                val_mse=7.3e8,
                train_r2=-1.0,
                val_r2=-622607053.5,
                lr=0.01,
                elapsed=0.1,
                weight_norms=[1.0] * n,
                grad_norms=[1.0] * n,
                dead_fraction=[0.0] * n,
            )
        ]
    )
    tab._draw_curves(None, lower=False)
    text = tab.readout_label.text()
    assert "−6.226×10⁸" in text and "7.3×10⁸ val" in text


def test_a_bad_csv_is_refused_with_a_message(tab, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y,z\n1,2,3\n4,five,6\n")
    assert not tab.data_panel.load_csv(str(bad))
    assert not tab.data_panel.message.isHidden()
    assert "bad.csv" in tab.data_panel.message.text()
    assert tab.prepared.function is not None  # still on the function


def test_a_good_csv_is_used(tab, tmp_path, qtbot):
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, (60, 2))
    rows = "\n".join(f"{x},{y},{x * y}" for x, y in X)
    good = tmp_path / "good.csv"
    good.write_text("x,y,z\n" + rows + "\n")
    with qtbot.waitSignal(tab.data_panel.changed, timeout=3000):
        assert tab.data_panel.load_csv(str(good))
    assert tab.prepared.function is None and tab.prepared.truth is None
    assert len(tab.prepared.dataset) == 60


# ---- training in the tab ----------------------------------------------------------------


SMALL_DATA = DataSettings(function="article", samples=200, seed=3, val_share=0.2)


def small_config(**overrides):
    settings = {"sizes": (2, 16, 16, 1), "batch_size": 32, "epochs": 30, **overrides}
    return training.recipe("modern", **settings)


def run_to_end(tab, qtbot, timeout=30_000, diverged_state="paused"):
    with qtbot.waitSignal(tab.run_finished, timeout=timeout) as finished:
        tab.start_button.click()
    reason = finished.args[0]
    qtbot.waitUntil(
        lambda: tab.state == (diverged_state if reason.kind == "diverged" else "finished")
    )
    return reason


def test_a_short_run_fills_the_views_and_lowers_the_loss(tab, qtbot):
    assert tab.configure(SMALL_DATA, small_config())
    assert tab.state == "fresh" and tab.start_button.isEnabled()
    reason = run_to_end(tab, qtbot)
    assert reason.kind == "epochs"
    assert len(tab.history) == 30
    x, _ = tab.loss_plot.train.getData()
    assert len(x) == 30
    losses = tab.history.column("train")
    assert losses[-1] < losses[0]
    snap = tab.last_snapshot
    assert np.array_equal(tab.prediction_view.values(), snap.prediction)
    assert np.array_equal(tab.error_view.values(), snap.prediction - tab.prepared.truth)
    assert tab.prediction_view.contour_point_count() > 0
    assert "30 / 30" in tab.progress.format()
    assert not tab.export_button.isHidden() and tab.export_button.isEnabled()


def test_pause_resume_step_and_stop(tab, qtbot):
    tab.configure(SMALL_DATA, small_config(epochs=1_000_000))
    tab.start_button.click()
    qtbot.waitUntil(lambda: len(tab.history) > 0, timeout=30_000)  # trained, not just shown
    assert tab.state == "running" and not tab.data_panel.isEnabled()
    with qtbot.waitSignal(
        tab.state_changed, timeout=30_000, check_params_cb=lambda s: s == "paused"
    ):
        tab.pause_button.click()
    assert tab.pause_button.text() == "Resume"
    done = len(tab.history)
    # the learning rate changed while paused is used from the next epoch on
    tab.model_panel.lr_spin.setValue(0.0123)
    with qtbot.waitSignal(
        tab.state_changed, timeout=30_000, check_params_cb=lambda s: s == "paused"
    ):
        tab.step_button.click()
    assert len(tab.history) == done + 1
    assert tab.history.reports[-1].lr == pytest.approx(0.0123)
    with qtbot.waitSignal(
        tab.refreshed, timeout=30_000, check_params_cb=lambda *a: len(tab.history) > done + 1
    ):
        tab.pause_button.click()  # Resume
    assert tab.state == "running"
    reason = None
    with qtbot.waitSignal(tab.run_finished, timeout=30_000) as finished:
        tab.stop_button.click()
    reason = finished.args[0]
    assert reason.kind == "stopped" and tab.state == "finished"
    assert tab.start_button.text() == "Start again"


def test_reset_with_the_same_seed_gives_the_same_run_and_keeps_the_previous_curve(tab, qtbot):
    tab.configure(SMALL_DATA, small_config(epochs=15))
    run_to_end(tab, qtbot)
    first = tab.history.column("train").copy()
    tab.reset_button.click()
    assert tab.state == "fresh" and len(tab.history) == 0
    assert tab.loss_plot.has_previous()
    run_to_end(tab, qtbot)
    assert np.array_equal(tab.history.column("train"), first)


def test_export_then_open_gives_the_same_predictions_and_history(tab, qtbot, tmp_path):
    from app.train.tab import TrainTab

    tab.configure(SMALL_DATA, small_config(epochs=12))
    run_to_end(tab, qtbot)
    before = tab.prediction_view.values().copy()
    for ext in (".npz", ".json", ".safetensors"):
        path = tmp_path / f"net{ext}"
        assert tab.export_weights(str(path)), tab.banner.text()
        assert str(path) in tab.banner.text()
        other = TrainTab()
        qtbot.addWidget(other)
        try:
            assert other.open_weights(str(path)), other.banner.text()
            qtbot.waitUntil(lambda other=other: other.prediction_view.values() is not None)
            assert other.banner.kind == "success"
            assert other.prepared.settings == tab.prepared.settings
            assert np.allclose(other.prediction_view.values(), before, rtol=0, atol=1e-9)
            assert len(other.history) == 12
            assert other.state == "paused"
            # ready to continue: one more epoch continues the history
            with qtbot.waitSignal(
                other.state_changed, timeout=10_000, check_params_cb=lambda s: s == "paused"
            ):
                other.step_button.click()
            assert other.history.reports[-1].epoch == 13
        finally:
            other.shutdown()
    saved = weightfile.load(str(tmp_path / "net.npz"))
    assert saved.network.architecture == "2-16-16-1"
    assert len(saved.history) == 12


def test_bad_weight_files_are_refused_with_a_message(tab, tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip file at all")
    assert not tab.open_weights(str(junk))
    assert tab.banner.kind == "error" and not tab.banner.isHidden()
    assert "junk.npz" in tab.banner.text()
    # a network of the wrong shape for this tab
    from nncore.network import Network

    wrong = tmp_path / "wrong.json"
    weightfile.save(str(wrong), Network([3, 4, 2]))
    assert not tab.open_weights(str(wrong))
    assert "2 inputs" in tab.banner.text()
    assert tab.state == "fresh"  # the tab still works
    assert not tab.export_weights(str(tmp_path / "out.txt"))


def test_a_divergent_learning_rate_ends_with_the_explanation_shown(tab, qtbot):
    cfg = training.recipe("article", sizes=(2, 32, 32, 1), lr=10.0, epochs=300)
    # No validation data: the first epoch's only update explodes and the guard stops in the
    # second epoch's first batch, so there is a sound epoch to carry on from.
    tab.configure(dataclasses.replace(SMALL_DATA, val_share=0.0), cfg)
    reason = run_to_end(tab, qtbot)
    assert reason.kind == "diverged"
    assert not tab.banner.isHidden() and tab.banner.kind == "warning"
    assert "diverged" in tab.banner.text().lower()
    assert "learning rate" in tab.banner.text()
    assert np.all(np.isfinite(tab.prediction_view.values()))
    # paused on the kept weights: lower the learning rate and carry on from them
    assert tab.state == "paused"
    assert tab.pause_button.isEnabled() and tab.pause_button.text() == "Resume"
    done = len(tab.history)
    tab.model_panel.lr_spin.setValue(0.001)
    with qtbot.waitSignal(
        tab.refreshed, timeout=30_000, check_params_cb=lambda *a: len(tab.history) > done
    ):
        tab.pause_button.click()
    tab.stop()
    qtbot.waitUntil(lambda: tab.state == "finished", timeout=30_000)


def test_a_run_that_blows_up_in_its_first_epoch_explains_itself_and_can_start_again(tab, qtbot):
    # With validation data the blow-up is seen on the first epoch's validation loss: no
    # epoch is sound, so the tab is back on the starting weights, explained, ready to start.
    cfg = training.recipe("article", sizes=(2, 32, 32, 1), lr=10.0, epochs=300)
    tab.configure(SMALL_DATA, cfg)
    reason = run_to_end(tab, qtbot, diverged_state="fresh")  # on the starting weights
    assert reason.kind == "diverged"
    assert not tab.banner.isHidden() and "diverged" in tab.banner.text().lower()
    assert np.all(np.isfinite(tab.prediction_view.values()))
    assert tab.start_button.isEnabled()


def test_closing_mid_run_stops_the_thread_cleanly(qtbot, qtlog):
    from app.train.tab import TrainTab

    tab = TrainTab()
    qtbot.addWidget(tab)
    tab.configure(SMALL_DATA, small_config(epochs=1_000_000))
    tab.start()
    qtbot.waitUntil(lambda: len(tab.history) > 0, timeout=30_000)
    tab.shutdown()
    assert tab._thread.ended()
    tab.shutdown()  # a second call is harmless
    tab.close()
    assert not [r for r in qtlog.records if "QThread" in r.message or "deleted" in r.message]


def test_leaving_the_tab_pauses_the_run(tab, qtbot):
    tab.configure(SMALL_DATA, small_config(epochs=1_000_000))
    tab.show()
    qtbot.waitExposed(tab)
    tab.start()
    qtbot.waitUntil(lambda: len(tab.history) > 0, timeout=30_000)
    with qtbot.waitSignal(
        tab.state_changed, timeout=30_000, check_params_cb=lambda s: s == "paused"
    ):
        tab.hide()
    assert "left the Train tab" in tab.status_label.text()


def test_the_modern_recipe_is_offered_after_an_article_run(tab, qtbot):
    tab.configure(SMALL_DATA, training.recipe("article", sizes=(2, 16, 16, 1), epochs=5))
    run_to_end(tab, qtbot)
    assert tab.banner.kind == "info" and tab.banner.action.text() == "Try the modern recipe"
    with qtbot.waitSignal(tab.run_finished, timeout=30_000):
        tab.model_panel.epochs_spin.setValue(5)
        tab.banner.action.click()
        assert tab.model_panel.recipe_combo.currentData() == "modern"
    assert tab.loss_plot.has_previous()
    assert tab.log_epochs_box.isChecked()  # the short run beside the long one


def test_screenshot_states_and_shortcuts(tab, qtbot):
    names = [name for name, _ in tab.screenshot_states()]
    assert names == ["before", "trained", "diverged", "spiral", "gaussians3"]
    states = dict(tab.screenshot_states())
    states["before"]()
    assert tab.state == "fresh" and tab.prediction_view.values() is not None
    keys = [key for key, _ in tab.shortcuts()]
    assert "F5" in keys and len(set(keys)) == len(keys)


def test_switching_tabs_and_closing_the_window_mid_run_are_safe(qtbot, qtlog):
    from app.main_window import MainWindow

    window = MainWindow(persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    tab.configure(SMALL_DATA, small_config(epochs=1_000_000))
    tab.start()
    qtbot.waitUntil(lambda: len(tab.history) > 0, timeout=30_000)
    # switching to the other tab pauses the run: nothing runs unseen
    with qtbot.waitSignal(
        tab.state_changed, timeout=30_000, check_params_cb=lambda s: s == "paused"
    ):
        window.tabs.setCurrentIndex(0)
    window.tabs.setCurrentWidget(tab)
    with qtbot.waitSignal(tab.refreshed, timeout=30_000):
        tab.pause_button.click()  # Resume
    assert tab.state == "running"
    window.close()
    assert tab._thread.ended()
    assert not [r for r in qtlog.records if "QThread" in r.message or "deleted" in r.message]


def test_a_bare_weight_file_from_elsewhere_opens_with_a_note(tab, qtbot, tmp_path):
    from nncore.network import Network

    bare = tmp_path / "bare.safetensors"
    net = Network([2, 8, 8, 1], init="he", seed=5)
    weightfile.save(str(bare), net)  # no normaliser, settings or history
    assert tab.open_weights(str(bare)), tab.banner.text()
    assert "no normaliser" in tab.banner.text()
    assert tab.state == "fresh" and tab.run.network.architecture == "2-8-8-1"
    assert np.array_equal(tab.run.network.weights[1], net.weights[1])
    qtbot.waitUntil(lambda: tab.prediction_view.values() is not None)
    run_to_end(tab, qtbot)  # and it trains
    assert len(tab.history) == tab.run.config.epochs


def test_deleting_the_tab_mid_run_ends_its_thread(qtbot, qtlog):
    import shiboken6

    from app.train.tab import TrainTab

    tab = TrainTab()
    tab.configure(SMALL_DATA, small_config(epochs=1_000_000))
    tab.start()
    qtbot.waitUntil(lambda: len(tab.history) > 0, timeout=30_000)
    thread = tab._thread
    shiboken6.delete(tab)  # no shutdown() call: the C++ side just goes
    assert thread.ended()
    assert not [r for r in qtlog.records if "QThread" in r.message]


def test_switching_the_theme_keeps_what_is_shown(tab, qtbot):
    from app.theme import theme

    tab.configure(SMALL_DATA, small_config(epochs=5))
    run_to_end(tab, qtbot)
    before = tab.prediction_view.values().copy()
    tab.banner.show_message("warning", "a message")
    with qtbot.waitSignal(tab.refreshed, timeout=5_000):
        theme.set_theme("dark")
    assert np.array_equal(tab.prediction_view.values(), before)
    assert tab.banner.kind == "warning" and "a message" in tab.banner.text()
    assert tab.loss_plot.backgroundBrush().color().name() == theme.colors()["background"].lower()


def test_function_keys_drive_the_run_only_while_the_tab_is_shown(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.main_window import MainWindow

    window = MainWindow(persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tab = window.train_tab
    tab.configure(SMALL_DATA, small_config(epochs=1_000_000))
    window.tabs.setCurrentIndex(0)  # the Step through tab
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F10)
    qtbot.wait(50)
    assert len(tab.history) == 0 and tab.state == "fresh"
    window.tabs.setCurrentWidget(tab)
    window.tabs.tabBar().setFocus()  # focus outside the tab itself
    with qtbot.waitSignal(
        tab.state_changed, timeout=10_000, check_params_cb=lambda s: s == "paused"
    ):
        QTest.keyClick(window.tabs.tabBar(), Qt.Key.Key_F10)  # step one epoch
    assert len(tab.history) == 1
    window.close()


def test_maps_and_health_plots_fit_a_small_window(tab, qtbot):
    """At 1024 × 700 nothing in the views may be wider than its widget (cut off)."""
    from PySide6.QtCore import Qt

    tab.resize(1000, 640)
    tab.show()
    qtbot.waitExposed(tab)
    views = (tab.truth_view, tab.prediction_view, tab.error_view, tab.health_plots)
    for view in views:
        needed = view.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize).width()
        assert needed <= view.width(), type(view).__name__


def test_an_illegal_phase_change_is_refused_loudly(tab):
    from app.train.phases import IllegalTransition, RunPhase

    assert tab.state is RunPhase.FRESH
    with pytest.raises(IllegalTransition, match="from fresh to finished"):
        tab._set_state(RunPhase.FINISHED)  # a run that never ran cannot have finished
    assert tab.state is RunPhase.FRESH and tab.start_button.isEnabled()


def test_the_tab_trains_the_same_numbers_in_a_process_and_in_a_thread(qtbot, monkeypatch):
    """Where the network trains changes the speed, never a number."""
    from app.train.tab import TrainTab

    results = {}
    for mode in ("process", "thread"):
        monkeypatch.setenv("NN_TUTOR_TRAINING", mode)
        tab = TrainTab()
        qtbot.addWidget(tab)
        assert tab.training_mode == mode
        tab.configure(SMALL_DATA, small_config(epochs=8))
        run_to_end(tab, qtbot)
        results[mode] = (
            [r.train_loss for r in tab.history.reports],
            tab.last_snapshot.state.network.weights[0].copy(),
            tab.prediction_view.values().copy(),
        )
        assert tab.state == "finished"
        tab.shutdown()
    (p_losses, p_w, p_map), (t_losses, t_w, t_map) = results["process"], results["thread"]
    assert p_losses == t_losses and len(p_losses) == 8
    assert np.array_equal(p_w, t_w) and np.array_equal(p_map, t_map)


@pytest.mark.parametrize("task", ["regression", "classification"])
def test_while_training_the_gui_thread_only_draws_what_the_worker_computed(
    tab, qtbot, monkeypatch, task
):
    """Contour lines, the decision boundary, the neuron maps and their colours are computed
    beside the training (off the GUI thread); the views only draw them."""
    import threading

    import app.widgets.contour_view as contour_view
    import app.widgets.neuron_maps as neuron_maps_view
    import nncore.neuron_maps as nncore_neuron_maps
    from app.train import neuron_maps_panel

    gui = threading.get_ident()
    on_gui_thread = []

    def watch(module, name):
        real = getattr(module, name)

        def watched(*args, **kwargs):
            if threading.get_ident() == gui:
                on_gui_thread.append(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, watched)

    watch(contour_view, "contour_segments")
    watch(contour_view, "region_boundaries")
    watch(neuron_maps_view, "colour_layers")
    watch(neuron_maps_panel, "neuron_maps")
    watch(nncore_neuron_maps, "neuron_maps")
    if task == "classification":
        data = DataSettings(task="classification", dataset="circle", classes=2, samples=300)
        config = training.recipe("classify", sizes=(2, 12, 12, 2), epochs=40, batch_size=32)
    else:
        data, config = SMALL_DATA, small_config(epochs=40)
    tab.configure(data, config)
    tab.show()
    qtbot.waitExposed(tab)
    tab.lower_tabs.setCurrentWidget(tab.views.neuron_maps)
    # the fresh run's maps, drawn when shown, are the GUI's own work; from now on the worker
    # knows the panel is on show
    qtbot.waitUntil(lambda: tab.views.neuron_maps.maps is not None)
    on_gui_thread.clear()
    run_to_end(tab, qtbot)
    snap = tab.last_snapshot
    assert snap.lines is not None and snap.neuron_tiles is not None
    assert tab.views.neuron_maps.maps is snap.neuron_maps
    assert on_gui_thread == []
