"""The Train tab: a 2-64-64-64-1 ReLU network learning a function of two inputs, live.

This is the second half of the article made interactive. The student picks a target
function (the article's own by default), draws training points from it, and trains the
article's regressor on them while watching the true function, the network's prediction and
their difference side by side. The "article" recipe reproduces the article's run (roughly
right, never one-to-one); the "modern" recipe is one click away and fits it closely.

`TrainTab` puts the parts together and runs the run's life cycle:
- the settings column: `RunControls` (app.train.run_controls: Start, Pause/Resume, Stop,
  Reset, Step one epoch, progress, status, Open/Export weights, read and written by
  app.train.weight_files), `DataPanel` (app.train.data_panel) and `ModelPanel`
  (app.train.model_panel);
- the views (`TrainViews`, app.train.views): banner, maps, loss curve, layer health, weights.

Training happens in a process of its own (`TrainingProcess`, app.train.process_worker), or
in a thread of the app (`TrainingThread`, app.train.worker; app.train.training_mode
chooses); both run the same loop (app.train.training_loop) behind the same interface. The
tab sends the worker requests and draws the snapshots it sends back, paced by a
`RefreshPacer` (app.train.pacing) so the GUI thread's share of the CPU stays within its
budget. The tab's `run` is the run as handed over; while it trains elsewhere, the newest
snapshot says how far it got (`_run_done`). The run's phase is a
`RunPhase` (app.train.phases: fresh → running ⇄ pausing → paused → finished, a diverged run
paused on its last finite weights), changed only through its transition table. All numbers
come from nncore and app.train.session; this module arranges widgets and wires them up.

Why this module is longer than the house's 600 lines (about 780): `TrainTab` is one state
machine wired to its widgets and its worker. Every handler below reads and changes the same
few fields (phase, run, history, last snapshot, whether a file is being opened), and reading
them side by side is how the run's life cycle is understood; everything that needs no such
wiring (texts, rules, limits, pacing, files, reading in the background, the panels and
views) is already in the modules named above.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QSignalBlocker, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QWidget,
)

from app.train import lesson_settings, limits
from app.train.data_panel import DataPanel
from app.train.form import scrolling_column, set_elided
from app.train.live_grids import MapAxes
from app.train.model_panel import ModelPanel
from app.train.opening import build_while_drawing, read_weights_while_drawing
from app.train.pacing import GUI_CPU_BUDGET, GUI_CPU_BUDGET_ALONE, RefreshPacer
from app.train.phases import RunPhase
from app.train.process_worker import TrainingProcess
from app.train.run_controls import RunControls
from app.train.screenshots import screenshot_states
from app.train.session import (
    TRY_MODERN_ACTION,
    DataSettings,
    HistoryArrays,
    PreparedData,
    advice_after,
    continuation_config,
    progress_text,
)
from app.train.snapshot import TrainingSnapshot
from app.train.step_handoff import opened_message, point_words
from app.train.step_point_dialog import StepPointDialog
from app.train.sweep_runner import SweepRunner
from app.train.training_mode import training_mode
from app.train.views import TrainViews
from app.train.weight_files import export_meta
from app.train.worker import TrainingThread
from app.widgets.colormaps import connect_theme_changed
from nncore import training, weightfile
from nncore.errors import NNCoreError
from nncore.lesson import LR_LIMIT, trained
from nncore.safetext import one_line, shown

STEP_THROUGH_TIP = (
    "Open the network shown in the Step through tab on one of its training points, and take "
    "one iteration of it apart: every sum, activation, gradient and update"
)
MID_RUN_NOTE = " (changed mid-run)"  # after a run's learning rate in its legend label

FRESH, RUNNING, PAUSING, PAUSED, FINISHED = (
    RunPhase.FRESH,
    RunPhase.RUNNING,
    RunPhase.PAUSING,
    RunPhase.PAUSED,
    RunPhase.FINISHED,
)


class TrainTab(QWidget):
    """The Train tab (see the module docstring). Constructed as `TrainTab(parent=None)`.

    Signals (for tests and the window): `state_changed(str)` with the new `RunPhase`'s
    value ("fresh", "running", "pausing", "paused" or "finished"); `refreshed()` after the
    views were redrawn from new training data; `run_finished(object)` with nncore's
    StopReason. `state` is the current `RunPhase` (it compares equal to those strings).
    """

    state_changed = Signal(str)
    refreshed = Signal()
    run_finished = Signal(object)
    step_through_requested = Signal(object, str)  # a Lesson on the trained network, its words
    _start_loop = Signal(int)
    _step = Signal(int, int)
    _publish = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.prepared: PreparedData | None = None
        self.run: training.TrainingRun | None = None
        self.state = RunPhase.FRESH
        self.history = HistoryArrays()
        self.last_snapshot: TrainingSnapshot | None = None
        self._run_id = 0
        self._run_label = ""
        self._run_settings: tuple | None = None  # (TrainConfig, DataSettings) of this run
        self._closed = False
        self._dirty_maps = False
        self._dirty_curves = False
        self._hidden_pause = False
        self._opening = False  # a weight file is being read or written (controls locked)
        self._replacing = False  # an opened file replaces the run: its snapshots are stale
        self._run_shown = True  # False while the data on show is not the run's (too few points)
        self.settings_locked = False  # a lesson file fixes the settings (app.step.locks)

        self._build_controls()
        self._build_views()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._controls_scroll)
        layout.addWidget(self.views, 1)

        # the worker: a process of its own, or a thread (app.train.training_mode)
        self.training_mode = training_mode()
        self._thread = TrainingThread() if self.training_mode == "thread" else TrainingProcess()
        self.worker = self._thread.worker
        # a GUI with a core of its own may draw more often (app.train.pacing)
        self.pacer = RefreshPacer(
            budget=GUI_CPU_BUDGET if self.training_mode == "thread" else GUI_CPU_BUDGET_ALONE
        )
        # a tab deleted without shutdown() must not take a running QThread down with it
        thread = self._thread
        self.destroyed.connect(lambda *_: thread.shutdown())
        self._start_loop.connect(self.worker.run_loop)
        self._step.connect(self.worker.step)
        self._publish.connect(self.worker.publish)
        # Explicitly queued: these handlers touch widgets, so they must run in this thread
        # whatever PySide6 infers from the receiver.
        self.worker.snapshot.connect(self._on_snapshot, Qt.QueuedConnection)
        self.worker.loop_ended.connect(self._on_loop_ended, Qt.QueuedConnection)
        self.worker.failed.connect(self._on_failed, Qt.QueuedConnection)
        self.lower_tabs.currentChanged.connect(lambda _i: self._ask_for_neuron_maps())
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.sweeper = SweepRunner(self)  # Learning-rate sweep… (app.train.sweep_runner)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self._live_refresh)
        # a live refresh draws the maps first, then, after the window has painted them,
        # the curves and the neuron maps: two short paints instead of one long one
        self._second_half = QTimer(self)
        self._second_half.setSingleShot(True)
        self._second_half.timeout.connect(self._refresh_curves)

        self.data_panel.changed.connect(self._on_data_changed)
        self.data_panel.validity_changed.connect(self._update_controls)
        self.data_panel.reading_changed.connect(self._update_controls)
        self.data_panel.points_changed.connect(self._show_drawn)
        self.truth_view.point_added.connect(self.data_panel.add_point)
        self.truth_view.erase_moved.connect(self.data_panel.erase_at)
        self.truth_view.erase_ended.connect(self.data_panel.end_erase)
        self.model_panel.validity_changed.connect(self._update_controls)
        self.model_panel.changed.connect(self._on_model_changed)
        self.model_panel.lr_changed.connect(self._on_lr_changed)
        connect_theme_changed(self._apply_theme)
        self._make_shortcuts()
        if self.reload_data():
            self._new_run(keep_previous=False)
        self._update_controls()

    # ---- building -------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.data_panel = DataPanel()
        self.model_panel = ModelPanel()

        self.run_controls = RunControls()
        c = self.run_controls
        # the controls by name, for the handlers below, the window and the tests
        self.start_button, self.pause_button, self.stop_button = (
            c.start_button,
            c.pause_button,
            c.stop_button,
        )
        self.reset_button, self.step_button = c.reset_button, c.step_button
        self.open_button, self.export_button = c.open_button, c.export_button
        self.progress, self.status_label = c.progress, c.status_label
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset)
        self.step_button.clicked.connect(self.step_one_epoch)
        self.export_button.clicked.connect(self.export_weights_dialog)
        self.open_button.clicked.connect(self.open_weights_dialog)
        self.step_through_button = c.step_through_button
        self.step_through_button.clicked.connect(self.step_through_dialog)

        self._controls_scroll = scrolling_column(
            self.run_controls, self.data_panel, self.model_panel
        )

    def _build_views(self) -> None:
        self.views = TrainViews()
        # the views by name, for the handlers below, the window and the tests
        v = self.views
        self.banner = v.banner
        self.truth_view, self.prediction_view, self.error_view = v.maps
        self.loss_plot, self.health_plots, self.weights_view = (
            v.loss_plot,
            v.health_plots,
            v.weights_view,
        )
        self.scatter_view, self.lower_tabs = v.scatter_view, v.lower_tabs
        self.readout_label, self.log_epochs_box = v.readout_label, v.log_epochs_box
        self.banner.action_clicked.connect(self._on_banner_action)
        self.lower_tabs.currentChanged.connect(lambda _i: self._mark_dirty(curves=True))

    def _make_shortcuts(self) -> None:
        self._shortcut_table = (
            ("F5", "Train: start, or resume a paused run", self._start_or_resume),
            ("F6", "Train: pause / resume", self.toggle_pause),
            ("Shift+F5", "Train: stop the run", self.stop),
            ("Ctrl+R", "Train: reset to the initial weights", self.reset),
            ("F10", "Train: step one epoch", self.step_one_epoch),
        )
        for key, _text, slot in self._shortcut_table:
            shortcut = QShortcut(QKeySequence(key), self)
            # function keys do not clash with typing; a hidden tab's shortcuts are inactive
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    # ---- data and runs --------------------------------------------------------------------
    def reload_data(self) -> bool:
        """Rebuild the data from the data panel and redraw the truth and the points."""
        prepared = self.data_panel.prepare()
        if prepared is None:
            if self.data_panel.drawing:  # too few points: nothing of the old data may stay
                self.views.show_no_data("no prediction until there are enough points")
                self._run_shown = False  # and the run's snapshots are of other data
            return False
        self._run_shown = True
        self.prepared = prepared
        with QSignalBlocker(self.model_panel):  # the caller builds the run: no second one
            self.model_panel.set_task(prepared.n_classes)  # the output follows the data
        self.views.show_data(prepared)
        self._show_drawn()
        return True

    def _show_drawn(self) -> None:
        """While drawing: every drawn point on the first map, and the map takes clicks."""
        drawn = self.data_panel.points_to_draw()
        if drawn is not None:
            X, values, levels = drawn
            self.views.show_drawn_points(
                X, values, levels, self.data_panel.drawn.classes is not None
            )
        self._update_controls()

    def _halt_worker(self) -> None:
        """Pause the worker and wait until it is idle (a chunk takes ~20 ms)."""
        self.worker.request_pause()
        if not self.worker.wait_idle(10.0):
            raise RuntimeError("the training thread did not pause within 10 s")

    def _new_run(
        self,
        keep_previous: bool = True,
        network=None,
        normaliser=None,
        history=None,
        config=None,
        history_arrays: HistoryArrays | None = None,
        run: training.TrainingRun | None = None,
    ) -> bool:
        """Build a fresh TrainingRun from the panels (or the given parts) and show it.

        Anything nncore refuses (a SettingsError from the memory estimate, a DataError) is
        shown as one line under the model panel and in the status line; the tab stays as
        it was. `history_arrays`, when given, already holds `history` as columns; `run`,
        when given, is the run already built from these parts.
        """
        if self.prepared is None:
            return False
        try:
            if run is None:
                run = self._make_run(config, network, normaliser, history)
        except NNCoreError as err:  # only nncore's refusals; a bug stays a traceback
            text = one_line(f"Cannot build this network: {err}")
            self.model_panel.show_message(text, error=True)
            set_elided(self.status_label, text)
            return False
        self._halt_worker()
        current = (run.config, self.prepared.settings)  # the settings the runs are named by
        if keep_previous and len(self.history) and self._run_settings is not None:
            note = " (lr changed mid-run)" if self._run_label.endswith(MID_RUN_NOTE) else ""
            self.views.keep_run(self.history, self._run_settings, note, current)
        self.loss_plot.clear_current()
        self.health_plots.clear_curves()
        self.views.clear_hover()  # its prediction and error were the previous run's
        self._run_id += 1
        self.run = run
        self._run_label = self.model_panel.summary()
        self._run_settings = current
        self.views.name_runs(current)
        if history_arrays is not None and len(history_arrays) == len(run.history):
            self.history = history_arrays
        else:
            self.history = HistoryArrays()
            self.history.extend(run.history)
        self.last_snapshot = None
        p = self.prepared
        self.worker.set_run(run, self._run_id, p.grid_X, p.truth, MapAxes.of(p))
        self.health_plots.set_layers(run.network.n_layers, run.network.n_layers - 1)
        self.loss_plot.set_span(run.config.epochs)
        self.health_plots.set_span(run.config.epochs)
        self._set_state(PAUSED if run.history else FRESH)
        self._publish.emit(self._run_id)
        self._mark_dirty(curves=True)
        return True

    def _make_run(self, config, network, normaliser, history) -> training.TrainingRun:
        """A TrainingRun from the panels' settings (or `config`) on the prepared data."""
        assert self.prepared is not None
        cfg = config if config is not None else self.model_panel.config()
        return training.TrainingRun(
            cfg,
            self.prepared.train,
            self.prepared.val,
            network=network,
            normaliser=normaliser,
            history=history,
        )

    def configure(self, data: DataSettings | None = None, config=None) -> bool:
        """Show these data settings and/or TrainConfig in the panels and prepare a fresh run
        with them (any run in progress is put aside, its curve kept for comparison)."""
        if config is not None or data is not None:
            try:  # before anything changes: can the panels show these settings?
                limits.require_showable(
                    config.to_dict() if config is not None else {},
                    dataclasses.asdict(data) if data is not None else None,
                )
            except NNCoreError as err:
                self.model_panel.show_message(one_line(str(err)), error=True)
                return False
        self._halt_worker()
        self._set_state(FRESH)
        if data is not None:
            self.data_panel.set_settings(data)
        if config is not None:
            with QSignalBlocker(self.model_panel):
                self.model_panel.set_config(config)
        if not self.reload_data():
            return False
        return self._new_run(keep_previous=True)

    # ---- buttons --------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Start training (a new run when the last one has finished)."""
        if self.state.busy or self._closed or self._locked():
            return
        if self.state != PAUSED:
            self.model_panel.commit()  # Layers typed but not yet taken (F5 leaves no focus)
            if not (self.data_panel.is_valid and self.model_panel.is_valid):
                return  # the panel says what to fix; never train the previous network
        if self.state == FINISHED or self.run is None:
            if not self._new_run(keep_previous=True):
                return
        self._resume()

    def _start_or_resume(self) -> None:
        if self.state == PAUSED:
            self._resume()
        else:
            self.start()

    def _resume(self) -> None:
        if self.run is None or self._run_done():
            return
        if self.banner.kind in ("info", "success", "warning"):
            self.banner.clear()  # a warning's advice (lower the rate, Resume) is taken
        self._hidden_pause = False
        self.worker.allow_run()
        self._set_state(RUNNING)
        self._start_loop.emit(self._run_id)

    @Slot()
    def toggle_pause(self) -> None:
        if self.state == RUNNING:
            self.worker.request_pause()
            self._set_state(PAUSING)
        elif self.state == PAUSED:
            self._resume()

    def _pause_after_divergence(self) -> None:
        """nncore's guard ended the run and put back the last finite weights: continue from
        them in a new run (same settings, same history), paused, so the student can lower
        the learning rate and resume."""
        run, snap = self.run, self.last_snapshot
        if run is None or snap is None:
            self._set_state(FINISHED)
            return
        label, settings = self._run_label, self._run_settings
        if self._new_run(
            keep_previous=False,
            network=snap.state.network.copy(),
            normaliser=run.normaliser,
            history=list(self.history.reports),
            config=continuation_config(run.config, len(self.history)),
        ):
            self._run_label, self._run_settings = label, settings
            self.views.name_runs(settings)
        else:
            self._set_state(FINISHED)

    @Slot()
    def stop(self) -> None:
        """End the run for good; it finishes with the reason "stopped"."""
        if not self.state.live or self.run is None:
            return
        self.worker.request_stop()
        if self.state == PAUSED:
            self.worker.allow_run()
            self._set_state(RUNNING)
            self._start_loop.emit(self._run_id)  # the loop sees the request and ends

    @Slot()
    def reset(self) -> None:
        """Back to the initial weights with the current settings (same seed, same run)."""
        if self._closed or self._locked():
            return
        self.banner.clear()
        self._new_run(keep_previous=True)

    @Slot()
    def step_one_epoch(self) -> None:
        if not self.state.can_step or self.run is None or self._run_done() or self._locked():
            return
        if self.state == FRESH:
            self.model_panel.commit()
            if not (self.data_panel.is_valid and self.model_panel.is_valid):
                return
        self._set_state(PAUSING)
        self._step.emit(self._run_id, 1)

    # ---- settings -------------------------------------------------------------------------
    def _on_data_changed(self) -> None:
        if self.state.live:
            return
        if (
            self.prepared is not None
            and self.data_panel.settings() == self.prepared.settings
            and self.prepared.settings.csv_path is None
        ):
            return
        if self.reload_data():
            self._new_run(keep_previous=True)

    def _on_model_changed(self) -> None:
        if self.state.live:
            return
        self._new_run(keep_previous=True)

    def _on_lr_changed(self, lr: float) -> None:
        if self.state.live and self.run is not None:
            self.worker.request_lr(lr)
            if not self._run_label.endswith(MID_RUN_NOTE):
                self._run_label += MID_RUN_NOTE  # its legend entry must not mislead
            done = len(self.history)
            self.status_label.setText(f"Learning rate {lr:g} from epoch {done + 1} on.")

    # ---- worker signals -------------------------------------------------------------------
    @Slot(object)
    def _on_snapshot(self, snap: TrainingSnapshot) -> None:
        if snap.run_id != self._run_id or self._closed or self._replacing or not self._run_shown:
            return
        self.history.extend(snap.reports)
        self._ask_for_neuron_maps()
        previous = self.last_snapshot
        if not snap.has_grid and previous is not None:
            snap.take_grid_from(previous)
            maps = False
        else:
            maps = snap.has_grid
        self.last_snapshot = snap
        if previous is None:
            self._update_controls()  # there is something to export now
        self._mark_dirty(maps=maps, curves=True)
        if snap.final:
            self._refresh()

    @Slot(int, object)
    def _on_loop_ended(self, run_id: int, reason) -> None:
        if run_id != self._run_id or self._closed:
            return
        if reason is None:
            self._set_state(PAUSED if len(self.history) else FRESH)
            if self._hidden_pause:
                self.status_label.setText(
                    "Paused because you left the Train tab; press Resume to go on."
                )
            return
        if reason.kind == "diverged":
            self._pause_after_divergence()
        else:
            self._set_state(FINISHED)
        self._show_stop_reason(reason)
        self.run_finished.emit(reason)

    @Slot(int, str)
    def _on_failed(self, run_id: int, text: str) -> None:
        if run_id != self._run_id or self._closed:
            return
        self._set_state(FINISHED)
        self.banner.show_message("error", "Training stopped because of an unexpected error.", text)

    def _show_stop_reason(self, reason) -> None:
        if reason.kind != "diverged":
            self.status_label.setText(reason.message)
        cfg = self.run.config if self.run is not None else None
        advice = advice_after(reason, cfg, self.history.last_r2())
        if advice is not None:
            self.banner.show_message(*advice)

    def _on_banner_action(self) -> None:
        if self.banner.action.text() == TRY_MODERN_ACTION:
            if not self._settings_ok() or self.state.live or self._locked():
                return  # the button is disabled then; a queued click does nothing either
            self.banner.clear()
            # 80 modern epochs beside 2,000 article ones: only a log axis shows both
            self.log_epochs_box.setChecked(True)
            self.model_panel.set_recipe("modern")  # rebuilds a fresh run (signal)
            if self.state == FRESH:
                self.start()

    # ---- state ----------------------------------------------------------------------------
    def _set_state(self, state: RunPhase) -> None:
        """Move to `state`; the transition table refuses (raises on) a move it does not list."""
        new = self.state.check(state)
        changed = new is not self.state
        self.state = new
        self._update_controls()
        if changed and not new.busy:
            self._update_progress(self.last_snapshot)  # no speed or time left when idle
        if changed:
            self.state_changed.emit(new.value)

    # ---- what the sweep runner (app.train.sweep_runner) may ask and do -------------------
    @property
    def closed(self) -> bool:
        """The tab was shut down: nothing may start any more."""
        return self._closed

    @property
    def run_id(self) -> int:
        """The number of the current run (the worker's snapshots carry it)."""
        return self._run_id

    def ready_to_start(self) -> bool:
        """A new run may start now: the tab is open and idle, no file is being read, and
        the data and model settings are valid."""
        return (
            not self._closed and self.state.can_start and not self._locked() and self._settings_ok()
        )

    def update_controls(self) -> None:
        """Enable and disable the controls for the current state (after a sweep ended)."""
        self._update_controls()

    def _ask_for_neuron_maps(self) -> None:
        """The worker computes the neuron maps with the grids while their tab is on show
        (on its plane, in the theme's colours), and not at all while it is hidden."""
        panel = self.views.neuron_maps
        self.worker.show_neuron_maps(panel.wanted_domain(), panel.colour_table())

    def _run_done(self) -> bool:
        """Whether the current run has ended. The run may train in another process: then
        its newest snapshot knows, not the run object this tab handed over."""
        snap = self.last_snapshot
        if snap is not None and snap.run_id == self._run_id:
            return snap.state.done
        return self.run is not None and self.run.done

    def _locked(self) -> bool:
        """A weight file or a big CSV file is being read: nothing may start or open."""
        return self._opening or self.data_panel.reading

    def _settings_ok(self) -> bool:
        return self.data_panel.is_valid and self.model_panel.is_valid

    def _update_controls(self) -> None:
        s = self.state
        data_ok = self.data_panel.is_valid
        model_ok = self.model_panel.is_valid
        self.run_controls.show_phase(
            s,
            can_train=self.run is not None and not self._run_done(),
            data_ok=data_ok and model_ok,
            can_export=self.last_snapshot is not None,
        )
        self.banner.action.setEnabled(data_ok and model_ok and not s.live and not self._locked())
        problem = self._step_through_problem()
        self.step_through_button.setEnabled(problem is None)
        self.step_through_button.setToolTip(problem or STEP_THROUGH_TIP)
        if self._locked():  # nothing may start, reset or open while a file is read
            for button in (self.start_button, self.step_button, self.reset_button):
                button.setEnabled(False)
            self.open_button.setEnabled(False)
        self.data_panel.setEnabled(not s.live and not self._opening and not self.settings_locked)
        # drawn points are locked while a run is live, like the rest of the data panel
        self.views.set_drawing(self.data_panel.drawing, self.data_panel.isEnabled())
        self.model_panel.set_running(s.live or self._opening)
        self.model_panel.setEnabled(not self.settings_locked)
        if self._locked():
            return
        if s.can_start and not data_ok and self.data_panel.drawing:
            set_elided(self.status_label, self.data_panel.message.text())  # draw more points
        elif s.can_start and not data_ok:
            self.status_label.setText(
                "The data settings have a problem (see Data); fix it to train."
            )
        elif s.can_start and not model_ok:
            self.status_label.setText(
                "A model setting has a problem (see Model and recipe); fix it to train."
            )
        elif s == FRESH and self.run is not None:
            self.status_label.setText(
                f"Ready: {self.run.network.architecture} network, "
                f"{self.run.network.n_parameters:,} parameters, {len(self.prepared.train):,} "
                "training points. Press Start."
            )
        elif s == RUNNING:
            self.status_label.setText("Training…")
        elif s == PAUSED and not self._hidden_pause:
            self.status_label.setText(
                f"Paused after epoch {len(self.history)}. Resume, step "
                "one epoch, or change the learning rate."
            )

    def _mark_dirty(self, maps: bool = False, curves: bool = False) -> None:
        self._dirty_maps |= maps
        self._dirty_curves |= curves
        if not self._refresh_timer.isActive():
            self._refresh_timer.start(int(self.pacer.wait() * 1000))

    # ---- drawing --------------------------------------------------------------------------
    def _refresh(self) -> None:
        """Redraw the views from the latest snapshot, now (GUI thread; no arithmetic here)."""
        self._refresh_timer.stop()
        self._second_half.stop()
        if self._closed:
            return
        self._refresh_maps()
        self._refresh_curves()

    def _live_refresh(self) -> None:
        """The paced refresh while training: the maps now, the rest in a moment.

        Between the two halves the event loop paints what the first changed, so the GUI
        thread is never busy for one long stretch (a 10 ms timer stays on time). A run's
        last snapshot, or a tab at rest, is drawn in one go."""
        snap = self.last_snapshot
        if self.state != RUNNING or snap is None or snap.final:
            self._refresh()
            return
        self._refresh_maps()
        self._second_half.start(0)

    def _refresh_maps(self) -> None:
        snap = self.last_snapshot
        if self._dirty_maps and snap is not None and not self._closed:
            self.views.show_prediction(snap)
        self._dirty_maps = False

    def _refresh_curves(self) -> None:
        if self._closed:
            return
        snap = self.last_snapshot
        if self._dirty_curves:
            # the health and weight views change slowly: a few times a second is plenty
            settled = self.state != RUNNING or snap is None or snap.final
            self._draw_curves(snap, lower=self.pacer.lower_due(force=settled))
        self._dirty_curves = False
        self.pacer.refreshed(training=self.state == RUNNING)
        self.refreshed.emit()

    def _draw_curves(self, snap: TrainingSnapshot | None, lower: bool = True) -> None:
        self.views.show_history(self.history, snap, lower)
        self._update_progress(snap)

    def _update_progress(self, snap: TrainingSnapshot | None) -> None:
        if snap is not None:
            total = snap.total_epochs
        else:
            total = self.run.config.epochs if self.run is not None else 1
        done = len(self.history)
        if snap is not None and self.state.busy:
            text = progress_text(done, total, snap.epochs_per_second, snap.seconds_left)
        else:
            text = progress_text(done, total)
        self.run_controls.show_progress(done, total, text)

    def _apply_theme(self, name: str = "") -> None:
        self.views.apply_theme(name)
        if self.prepared is not None:
            self.views.show_data(self.prepared)  # re-colours the training points too
            self._mark_dirty(maps=True, curves=True)

    # ---- visibility -----------------------------------------------------------------------
    def hideEvent(self, event) -> None:
        """Leaving the tab pauses a running run (minimising the window does not)."""
        if not self._closed and not event.spontaneous() and self.state == RUNNING:
            self._hidden_pause = True
            self.worker.request_pause()
            self._set_state(PAUSING)
        super().hideEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._ask_for_neuron_maps()
        self._mark_dirty(maps=True, curves=True)

    # ---- weight files ---------------------------------------------------------------------
    def open_weights_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open weights", "", "Weight files (*.npz *.json *.safetensors);;All files (*)"
        )
        if path:
            self.open_weights(path)

    # ---- the trained network in Step through ------------------------------------------------
    def _step_through_problem(self) -> str | None:
        """Why the shown network cannot be opened in Step through now, or None."""
        if self.last_snapshot is None or self.run is None or self.prepared is None:
            return "Train a network (or open a weight file) first, then take it apart here."
        if self.state.busy or self._locked():
            return "Pause or wait for the run to end, then take its network apart."
        problem = trained.step_through_problem(self.last_snapshot.state.network)
        return None if problem is None else problem + "."

    def step_through_dialog(self) -> None:
        """Ask which training point, then open the network on it in Step through."""
        if self._step_through_problem() is not None:
            return
        network, normaliser = self.last_snapshot.state.network, self.run.normaliser
        data = self.prepared.train
        losses = trained.point_losses(network, normaliser, data.X, data.y)

        def describe(i: int) -> str:
            prediction = trained.prediction_at(network, normaliser, data.X[i])
            target = data.y[i, 0]
            return point_words(data.X[i], target, prediction, data.classes, losses[i])

        hardest = int(losses.argmax())
        dialog = StepPointDialog(len(data), hardest, describe, network.architecture, self)
        if dialog.exec() == StepPointDialog.DialogCode.Accepted:
            self.step_through_point(dialog.chosen())

    def step_through_point(self, index: int) -> bool:
        """Emit `step_through_requested` with a lesson on training point `index` (0-based);
        a message in the status line if it cannot be built."""
        problem = self._step_through_problem()
        if problem is not None:
            self.status_label.setText(problem)
            return False
        network, normaliser = self.last_snapshot.state.network, self.run.normaliser
        config, data = self.run.config, self.prepared.train
        x, target = data.X[index], data.y[index]
        lr = min(config.lr, LR_LIMIT)
        try:
            lesson = trained.lesson_from_trained(
                network, normaliser, x, int(target[0]) if data.classes else target, lr
            )
        except ValueError as err:
            self.status_label.setText(f"Cannot step through this network: {err}")
            return False
        words = opened_message(
            network.architecture, index + 1, x, lesson.X[0], config.optimizer, lr
        )
        self.step_through_requested.emit(lesson, words)
        return True

    def export_weights_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export weights",
            "weights.npz",
            "NumPy archive (*.npz);;JSON text (*.json);;safetensors (PyTorch) (*.safetensors)",
        )
        if not path:
            return
        if not path.lower().endswith(weightfile.FORMATS):
            path += "." + chosen.split("*.")[-1].rstrip(")")
        self.export_weights(path)

    def export_weights(self, path: str) -> bool:
        """Save the network shown (with normaliser, settings, history); message either way.

        The file is written in a helper thread while the window goes on drawing (a 50,000-
        epoch history took 3 s of CPU to write, all of it in the GUI thread before), with
        Start, Step, Reset and Open locked meanwhile.
        """
        snap, run = self.last_snapshot, self.run
        if snap is None or run is None or self.prepared is None:
            self.banner.show_message("error", "There is no network to export yet.")
            return False
        if self._opening or self._closed:
            return False
        name = shown(path, limit=120)
        parts = dict(  # taken here: the helper thread sees only these (copies or immutable)
            network=snap.state.network,
            normaliser=run.normaliser,
            config=run.config,
            history=self.history.reports[: snap.epoch],
            meta=export_meta(self.prepared),
            classes=self.prepared.class_names if snap.state.network.is_classifier else None,
        )
        self._opening = True
        self._update_controls()
        self.status_label.setText(f"Exporting to {name}…")
        try:
            build_while_drawing(lambda: weightfile.save(path, **parts), lambda: self._closed)
        except (weightfile.WeightFileError, OSError, ValueError) as err:
            self.banner.show_message("error", f"Could not export to {name}", one_line(str(err)))
            return False
        finally:
            self._opening = False
            self._update_controls()
        self.banner.show_message(
            "success",
            f"Saved the network to {shown(path, limit=120)}",
            f"{snap.state.network.architecture}, {snap.epoch:,} epochs of history, with its "
            "normaliser and settings."
            + (
                f" The Train tab reopens histories of up to {limits.MAX_HISTORY:,} epochs; "
                "this one is for the nncore command line."
                if snap.epoch > limits.MAX_HISTORY
                else ""
            ),
        )
        set_elided(self.status_label, f"Exported to {shown(path, limit=120)}.")
        return True

    def open_weights(self, path: str) -> bool:
        """Load a weight file: show its predictions and history, ready to continue training.

        The file is read and checked against the tab's limits (`app.train.limits`), a
        large one in a child process while the window goes on drawing, its history taken
        over in chunks between frames (`app.train.opening`). A file the tab cannot use is
        refused with one line in the banner and nothing changes; settings its widgets
        cannot show are replaced by defaults and named in the banner.
        """
        if self._locked() or self._closed:
            return False
        name = shown(path, limit=120)
        self._opening = True  # Start, Step, Reset, Open and the panels locked until done
        self._update_controls()
        previous_status = self.status_label.text()
        self.status_label.setText(f"Opening {name}…")
        try:
            try:
                opened, arrays = read_weights_while_drawing(path, lambda: self._closed)
            except (weightfile.WeightFileError, OSError, ValueError) as err:  # UnusableWeights
                self.banner.show_message("error", f"Could not open {name}", one_line(str(err)))
                self.status_label.setText(previous_status)
                return False
            if self._closed:
                return False
            self._replacing = True  # snapshots of the run being replaced are stale now
            try:
                ok = self._use_opened(opened, arrays, name)
            finally:
                self._replacing = False
            if not ok and self.run is not None and not self._closed:
                self._publish.emit(self._run_id)  # redraw the run that stays
            return ok
        finally:
            self._opening = False
            self._update_controls()

    def _use_opened(self, opened, arrays: HistoryArrays, name: str) -> bool:
        """Show an opened (and checked) file; a frame is drawn between the steps, which
        take tens of milliseconds each with a long history."""
        self._halt_worker()
        self._set_state(FRESH)
        if opened.data is not None:  # the data the file was trained on (checked to fit)
            with QSignalBlocker(self.data_panel):
                self.data_panel.set_settings(opened.data)
        if not self.reload_data():
            self.banner.show_message(
                "error",
                f"Could not use {name}",
                "The data it was trained on could not be rebuilt: "
                + self.data_panel.message.text(),
            )
            return False
        with QSignalBlocker(self.model_panel):
            self.model_panel.set_config(opened.config)  # fits: checked in read_weight_file
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        config = continuation_config(opened.config, len(opened.history))
        try:  # nncore walks the whole history: in a helper thread, the window drawing
            run = build_while_drawing(
                lambda: self._make_run(config, opened.network, opened.normaliser, opened.history),
                lambda: self._closed,
            )
        except NNCoreError as err:
            self.banner.show_message("error", f"Could not use {name}", one_line(str(err)))
            return False
        if self._closed:  # the window closed while the run was built
            return False
        ok = self._new_run(keep_previous=True, history_arrays=arrays, run=run)
        self._replacing = False  # from here on snapshots are the new run's
        if not ok:
            self.banner.show_message(
                "error", f"Could not use {name}", self.model_panel.message.text()
            )
            return False
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        self.banner.show_message(
            "success",
            f"Opened {name}",
            f"{opened.network.architecture} network trained for {len(opened.history):,} "
            f"epochs{opened.note}. Its predictions are on the maps; press Resume to continue "
            "training it.",
        )
        return True

    # ---- lesson files (app.lesson_files) ---------------------------------------------------
    def train_settings(self) -> dict:
        """The settings the panels show, as a lesson file's `train` object (plain values)."""
        try:
            config = self.model_panel.config()
        except ValueError:  # a field being typed: keep the run's own settings
            config = self.run.config if self.run is not None else training.TrainConfig()
        return lesson_settings.to_plain(self.data_panel.settings(), config)

    def apply_train_settings(self, plain: dict) -> bool:
        """Show a lesson file's `train` settings and prepare a fresh run with them (a run
        in progress is halted first, its curve kept). Raises SettingsError (one line), with
        nothing changed, for settings the tab cannot show."""
        data, config = lesson_settings.from_plain(plain)
        limits.require_showable(config.to_dict(), dataclasses.asdict(data))
        return self.configure(data, config)

    def lock_settings(self, locked: bool) -> None:
        """Grey the data and model settings (a lesson file locks them) or free them."""
        self.settings_locked = bool(locked)
        self._update_controls()

    # ---- tab protocol ---------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop training and end the worker thread; returns when the thread has finished."""
        if self._closed:
            return
        self._closed = True
        self._refresh_timer.stop()
        self._second_half.stop()
        self.data_panel.cancel_csv()  # a CSV file's reading child ends with the tab
        self._thread.shutdown()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [(key, text) for key, text, _slot in self._shortcut_table]

    def screenshot_states(self) -> list[tuple[str, Callable[[], None]]]:
        """The states the screenshot mode draws (see app.train.screenshots)."""
        return screenshot_states(self)

    def run_synchronously(self, epochs: int, timeout_ms: int = 120_000) -> None:
        """Train `epochs` epochs in the worker and return when they are done and drawn; for
        the screenshot mode and scripts that need a trained state without an event loop."""
        if self.run is None or self._run_done() or not self.state.can_step:
            return
        loop = QEventLoop()

        def state_changed(state: str) -> None:  # emitted in this (GUI) thread
            if state != PAUSING:
                loop.quit()

        self.state_changed.connect(state_changed)
        guard = QTimer(loop)
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        guard.start(timeout_ms)
        self._set_state(PAUSING)
        self._step.emit(self._run_id, int(epochs))
        loop.exec()
        self.state_changed.disconnect(state_changed)
        self._refresh()


__all__ = ["TrainTab"]
