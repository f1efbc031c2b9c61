"""The Train tab's run controls: Start, Pause/Resume, Stop, Reset, Step, progress and status.

`RunControls` is the "Run" box at the top of the settings column. Its buttons say what is
possible in the run's current phase (`show_phase`), the progress bar counts epochs with the
speed and time left while training (`show_progress`), and one status line says what is
going on; while a learning-rate sweep runs, a line above it says which of its runs this is
(`show_sweep`). The tab connects the buttons' `clicked` signals to its own actions.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QProgressBar, QPushButton

from app.train.phases import RunPhase


class RunControls(QGroupBox):
    """The run's buttons, progress bar and status line (see module doc)."""

    def __init__(self, parent=None):
        super().__init__("Run", parent)
        grid = QGridLayout(self)
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Train with these settings (F5)")
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip(
            "Pause after the current chunk of epochs; Resume goes on from there (F6)"
        )
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("End this run here; its curve stays for comparison (Shift+F5)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip(
            "Start over from the initial weights. The same seed and "
            "settings give exactly the same run (Ctrl+R)"
        )
        self.step_button = QPushButton("Step one epoch")
        self.step_button.setToolTip("Train exactly one epoch and show the result (F10)")
        grid.addWidget(self.start_button, 0, 0)
        grid.addWidget(self.pause_button, 0, 1)
        grid.addWidget(self.stop_button, 0, 2)
        grid.addWidget(self.reset_button, 1, 0)
        grid.addWidget(self.step_button, 1, 1, 1, 2)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setToolTip(
            "Epochs done out of the planned number, the speed in epochs a second, time left"
        )
        grid.addWidget(self.progress, 2, 0, 1, 3)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.sweep_label = QLabel("")  # which run of a learning-rate sweep, while one runs
        self.sweep_label.setWordWrap(True)
        self.sweep_label.setVisible(False)
        grid.addWidget(self.sweep_label, 3, 0, 1, 3)
        grid.addWidget(self.status_label, 4, 0, 1, 3)
        self.export_button = QPushButton("Export weights…")
        self.export_button.setToolTip(
            "Save the trained network with its normaliser, settings "
            "and loss history (.npz, .json or .safetensors)"
        )
        self.open_button = QPushButton("Open weights…")
        self.open_button.setToolTip(
            "Load a saved network, show its predictions and history, and continue training it"
        )
        grid.addWidget(self.open_button, 5, 0, 1, 1)
        grid.addWidget(self.export_button, 5, 1, 1, 2)
        self.step_through_button = QPushButton("Step through this network…")
        self.step_through_button.setEnabled(False)
        grid.addWidget(self.step_through_button, 6, 0, 1, 3)
        self.sweep_button = QPushButton("Learning-rate sweep…")
        self.sweep_button.setToolTip(
            "Train these settings at 3 to 5 learning rates, one after another, each a run on "
            "the loss curve; the best validation loss is named at the end"
        )
        grid.addWidget(self.sweep_button, 7, 0, 1, 3)
        self.sweeping = False  # a sweep is under way: no second one, no Start between runs

    def show_phase(self, phase: RunPhase, can_train: bool, data_ok: bool, can_export: bool) -> None:
        """Enable what makes sense in `phase`. `can_train`: there is a run with epochs
        left; `data_ok`: the data settings make data; `can_export`: a network is shown."""
        self.start_button.setEnabled(phase.can_start and data_ok and not self.sweeping)
        self.sweep_button.setEnabled(phase.can_start and data_ok and not self.sweeping)
        self.start_button.setText("Start again" if phase == RunPhase.FINISHED else "Start")
        self.pause_button.setEnabled(phase in (RunPhase.RUNNING, RunPhase.PAUSED))
        self.pause_button.setText("Pause" if phase.busy else "Resume")
        self.stop_button.setEnabled(phase in (RunPhase.RUNNING, RunPhase.PAUSED))
        self.step_button.setEnabled(
            phase.can_step and can_train and (data_ok or phase == RunPhase.PAUSED)
        )
        self.reset_button.setEnabled(phase != RunPhase.PAUSING)
        self.open_button.setEnabled(phase != RunPhase.PAUSING)
        self.export_button.setEnabled(can_export)

    def show_sweep(self, text: str) -> None:
        """Say which run of a sweep is under way ("" when there is no sweep)."""
        self.sweep_label.setText(text)
        self.sweep_label.setVisible(bool(text))

    def show_progress(self, done: int, total: int, text: str) -> None:
        """Fill the bar to `done` of `total` epochs, labelled with `text`."""
        bar = self.progress
        # QProgressBar.setValue repaints at once (not at the next paint), ~3 ms of the GUI
        # thread twenty times a second while training; with updates off, the new value is
        # painted with the other views, in the window's next paint.
        bar.setUpdatesEnabled(False)
        try:
            bar.setRange(0, max(total, 1))
            bar.setValue(min(done, total))
            bar.setFormat(text)
        finally:
            bar.setUpdatesEnabled(True)  # schedules the repaint


__all__ = ["RunControls"]
