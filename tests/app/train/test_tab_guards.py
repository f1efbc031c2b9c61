"""The Train tab refuses what it cannot show and never freezes (pytest-qt, offscreen).

Hostile weight files (values the widgets cannot hold, networks too deep, long histories),
wrong fields that must disable what would use them, nncore's refusals when a run is built,
and outside text that must reach a label escaped and bounded.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from app.train import limits, opening
from app.train.session import TRY_MODERN_ACTION, DataSettings, prepare_data
from app.train.weight_files import export_meta
from nncore import training, weightfile
from nncore.errors import SettingsError
from nncore.network import Network

SMALL_DATA = DataSettings(function="article", samples=200, seed=3, val_share=0.2)


def reports(n: int, spike_at: int | None = None) -> list[training.EpochReport]:
    return [
        training.EpochReport(
            epoch=k,
            train_mse=1e6 if k == spike_at else 1.0 / k,
            val_mse=1.1 / k,
            train_r2=0.5,
            val_r2=0.4,
            lr=0.01,
            elapsed=0.001 * k,
            weight_norms=[1.0, 2.0],
            grad_norms=[0.1, 0.2],
            dead_fraction=[0.0, 0.0],
        )
        for k in range(1, n + 1)
    ]


def planted_file(tmp_path, name="planted.json", config=None, data=None, history=0, spike=None):
    """A Train-tab weight file (.json) whose settings are then edited by hand."""
    path = tmp_path / name
    cfg = training.recipe("modern", sizes=(2, 4, 1), epochs=50)
    meta = export_meta(prepare_data(DataSettings(samples=100)))
    hist = reports(history, spike)
    weightfile.save(str(path), Network([2, 4, 1], seed=1), config=cfg, history=hist, meta=meta)
    doc = json.loads(path.read_text())
    doc["config"].update(config or {})
    doc["meta"]["data"].update(data or {})
    path.write_text(json.dumps(doc))
    return path


def panels_answer(tab, qtbot) -> None:
    """The panels' signals are live: an edit rebuilds the run."""
    assert not tab.model_panel.signalsBlocked() and not tab.data_panel.signalsBlocked()
    with qtbot.waitSignal(tab.model_panel.changed, timeout=3000):
        tab.model_panel.epochs_spin.setValue(tab.model_panel.epochs_spin.value() + 1)


# ---- 1. values the widgets cannot show --------------------------------------------------
@pytest.mark.parametrize(
    "config, data",
    [
        ({"epochs": 1e12}, None),
        ({"seed": 2**40}, None),
        ({"lr": 1e300}, None),
        ({"batch_size": 10**15}, None),
        ({"lr": -0.5, "warmup": -1}, None),
        (None, {"seed": 2**40, "samples": 10**9}),
    ],
)
def test_a_file_with_values_the_widgets_cannot_hold_opens_with_defaults_named(
    tab, qtbot, tmp_path, config, data
):
    path = planted_file(tmp_path, config=config, data=data)
    assert tab.open_weights(str(path)), tab.banner.text()  # no OverflowError
    assert tab.banner.kind == "success" and "replaced by defaults" in tab.banner.text()
    for key in {**(config or {}), **(data or {})}:
        assert key in tab.banner.text()
    panel, modern = tab.model_panel, training.recipe("modern")
    if config and "epochs" in config:
        assert panel.epochs_spin.value() == modern.epochs
    if config and "seed" in config:
        assert panel.seed_spin.value() == modern.seed
    if data:
        assert tab.data_panel.seed_spin.value() == DataSettings().seed
    assert tab.run.network.architecture == "2-4-1" and tab.state == "fresh"
    panels_answer(tab, qtbot)


def test_a_file_with_nan_settings_never_breaks_the_panels(tab, qtbot, tmp_path):
    path = planted_file(tmp_path)
    path.write_text(path.read_text().replace('"lr": 0.016', '"lr": NaN'))
    tab.open_weights(str(path))  # opened with the default rate, or refused: never a crash
    assert np.isfinite(tab.model_panel.lr_spin.value())
    panels_answer(tab, qtbot)


def test_a_1000_layer_file_is_refused_and_nothing_changes(tab, qtbot, tmp_path):
    deep = tmp_path / "deep.npz"
    weightfile.save(str(deep), Network([2] + [2] * 998 + [1]))
    before = (tab.run, tab.model_panel.arch_edit.text(), tab.prepared)
    assert not tab.open_weights(str(deep))
    assert tab.banner.kind == "error" and "at most 8 hidden layers" in tab.banner.text()
    assert (tab.run, tab.model_panel.arch_edit.text(), tab.prepared) == before
    assert tab.start_button.isEnabled() and tab.open_button.isEnabled()
    panels_answer(tab, qtbot)


def test_a_config_the_panel_cannot_show_is_refused_before_anything_changes(tab):
    before = (tab.run, tab.model_panel.epochs_spin.value())
    cfg = training.recipe("article", epochs=10**9)
    assert not tab.configure(SMALL_DATA, cfg)
    assert "epochs" in tab.model_panel.message.text()
    assert (tab.run, tab.model_panel.epochs_spin.value()) == before
    assert not tab.configure(DataSettings(seed=2**40), None)  # no OverflowError either
    assert "data seed" in tab.model_panel.message.text()
    assert tab.run is before[0] and tab.data_panel.seed_spin.value() == DataSettings().seed
    with pytest.raises(SettingsError, match="seed"):
        tab.model_panel.set_config(training.recipe("modern", seed=2**40))
    assert not tab.model_panel.signalsBlocked()


# ---- 2. long histories -----------------------------------------------------------------
def test_a_history_above_the_limit_is_refused_with_the_limit_named(tab, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_HISTORY", 300)
    path = planted_file(tmp_path, history=301)
    assert not tab.open_weights(str(path))
    assert "301 epochs" in tab.banner.text() and "at most 300" in tab.banner.text()
    assert tab.state == "fresh" and len(tab.history) == 0


def test_a_large_file_is_read_while_the_window_goes_on(tab, qtbot, tmp_path, monkeypatch):
    """Read in a child process: the event loop runs (a timer fires) during open_weights."""
    monkeypatch.setattr(opening, "IN_PROCESS_BYTES", 0)  # every file counts as large here
    path = planted_file(tmp_path, history=4500)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(tab.open_button.isEnabled()))
    timer.start(5)
    try:
        assert tab.open_weights(str(path)), tab.banner.text()
    finally:
        timer.stop()
    assert ticks and not any(ticks)  # events went on, with Open locked meanwhile
    assert len(tab.history) == len(tab.run.history) == 4500
    assert tab.history.reports == tab.run.history
    assert np.array_equal(tab.history.column("train"), [r.train_mse for r in tab.run.history])
    assert tab.open_button.isEnabled() and tab.state == "paused"


def test_a_long_history_is_drawn_through_a_few_thousand_rows_spike_included(tab, qtbot, tmp_path):
    from app.train.session import MAX_DRAWN_EPOCHS

    path = planted_file(tmp_path, history=12_000, spike=9_876)
    assert tab.open_weights(str(path)), tab.banner.text()
    tab._refresh()
    x, y = tab.loss_plot.train.getData()
    assert len(x) <= MAX_DRAWN_EPOCHS + 2
    # the plot's log axis hands back log10 of the losses
    assert 9_876 in x and 10 ** y.max() == pytest.approx(1e6) and x[0] == 1 and x[-1] == 12_000


# ---- 3. wrong fields disable what would use them ----------------------------------------
@pytest.mark.parametrize("typed", ["2-100000-1", "2--1", "2-8-x-1"])
def test_a_wrong_layers_field_disables_start_step_and_the_modern_recipe(tab, qtbot, typed):
    tab.configure(SMALL_DATA, training.recipe("modern", sizes=(2, 8, 1), epochs=5))
    tab.banner.show_message("info", "An article run ended.", "", TRY_MODERN_ACTION)
    assert tab.start_button.isEnabled() and tab.banner.action.isEnabled()
    run = tab.run
    field = tab.model_panel.arch_edit
    field.selectAll()
    qtbot.keyClicks(field, typed)
    assert tab.model_panel.message.isVisible() or not tab.model_panel.message.isHidden()
    assert tab.model_panel.message.text()
    assert not tab.start_button.isEnabled()
    assert not tab.step_button.isEnabled()
    assert not tab.banner.action.isEnabled()
    assert "Model" in tab.status_label.text()
    tab.start_button.click()
    tab.start()  # the F5 path
    tab.step_one_epoch()  # the F10 path
    tab.banner.action.click()
    assert tab.state == "fresh" and tab.run is run and len(tab.history) == 0
    # fixed (still typing, no Enter): Start trains what the field says
    field.selectAll()
    qtbot.keyClicks(field, "2-6-1")
    assert tab.start_button.isEnabled() and tab.model_panel.message.isHidden()
    with qtbot.waitSignal(tab.run_finished, timeout=30_000):
        tab.start()
    assert tab.run.network.architecture == "2-6-1"


def test_a_warmup_as_long_as_the_run_disables_start(tab, qtbot):
    panel = tab.model_panel
    panel.set_recipe("modern")
    panel.epochs_spin.setValue(5)
    panel.warmup_spin.setValue(5)
    assert not panel.is_valid and not tab.start_button.isEnabled()
    assert "warm-up" in panel.message.text()
    panel.warmup_spin.setValue(2)
    assert panel.is_valid and tab.start_button.isEnabled()


# ---- 4. what nncore refuses when the run is built ---------------------------------------
def test_a_run_nncore_refuses_is_one_line_in_the_panel(tab, qtbot, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise SettingsError(
            "this run needs about 12.3 GB (parameters 1.2 GB, ...),\nmore than the 4.0 GB "
            "this machine allows"
        )

    run = tab.run
    monkeypatch.setattr(training, "TrainingRun", refuse)
    tab.model_panel.epochs_spin.setValue(77)  # a change rebuilds the run
    text = tab.model_panel.message.text()
    assert "12.3 GB" in text and "\n" not in text
    assert "12.3 GB" in tab.status_label.text()
    assert tab.run is run and tab.state == "fresh"
    tab.reset_button.click()  # still usable, still refused, no crash
    assert tab.run is run
    monkeypatch.undo()
    tab.model_panel.epochs_spin.setValue(78)
    assert tab.run is not run and tab.run.config.epochs == 78


def test_only_nncores_refusals_are_caught(tab, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(training, "TrainingRun", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        tab._new_run()


# ---- 5. outside text in labels ----------------------------------------------------------
def test_a_csv_error_with_a_huge_field_and_control_characters_stays_short(tab, tmp_path):
    path = tmp_path / "bad\x1b[31m\x07.csv"
    path.write_text("x,y,z\n1,2,3\n4," + "five\r\x1b" * 200_000 + ",6\n")
    assert not tab.data_panel.load_csv(str(path))
    label = tab.data_panel.message
    text = label.text()
    assert len(text) <= 240 and "\n" not in text and "\r" not in text
    assert not any(ord(ch) < 32 for ch in text + label.toolTip())
    assert "\\x1b" in text  # the file name's ESC, shown escaped
    assert len(label.toolTip()) <= 400


def test_banner_texts_are_cut_with_the_whole_in_the_tooltip(tab):
    tab.banner.show_message("error", "T" * 5000, "d" * 100_000)
    text = tab.banner.text()
    assert len(text) < 1000 and "…" in text
    assert "TTT" in tab.banner.label.toolTip() and len(tab.banner.label.toolTip()) < 3000
    tab.banner.show_message("info", "short", "also short")
    assert tab.banner.label.toolTip() == ""


def test_a_weight_file_name_with_control_characters_is_shown_escaped(tab, tmp_path):
    path = tmp_path / "w\x1b]0;pwned\x07.npz"
    path.write_bytes(b"junk")
    assert not tab.open_weights(str(path))
    text = tab.banner.text()
    assert "\x1b" not in text and "\x07" not in text and "\\x1b" in text


def test_build_while_drawing_runs_the_event_loop_and_hands_back_result_or_error(qtbot):
    import threading

    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(1)
    release = threading.Event()

    def slow():
        release.wait(10)  # released by the GUI thread's own timer: so the loop must run
        return threading.get_ident()

    QTimer.singleShot(20, release.set)
    try:
        worker = opening.build_while_drawing(slow, lambda: False)
    finally:
        timer.stop()
    assert worker != threading.get_ident() and ticks

    def refuse():
        raise SettingsError("too big")

    with pytest.raises(SettingsError, match="too big"):
        opening.build_while_drawing(refuse, lambda: False)


def test_exporting_lets_the_window_draw_and_locks_the_controls(tab, qtbot, tmp_path):
    assert tab.open_weights(str(planted_file(tmp_path, history=3000)))
    qtbot.waitUntil(lambda: tab.last_snapshot is not None)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(tab.open_button.isEnabled()))
    timer.start(1)
    out = tmp_path / "out.json"
    try:
        assert tab.export_weights(str(out)), tab.banner.text()
    finally:
        timer.stop()
    assert ticks and not any(ticks)  # events went on, with Open locked meanwhile
    assert tab.open_button.isEnabled() and tab.state == "paused"
    assert len(weightfile.load(str(out)).history) == 3000
