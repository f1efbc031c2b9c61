"""Running a learning-rate sweep in the Train tab, and the dialog that asks for its rates.

`SweepDialog` proposes five rates around the current one (`app.train.sweep`), editable as
one line of numbers. `SweepRunner` then trains the tab's current settings at each rate, one
run after another, through the tab's own actions (`configure` with the new rate, then
`start`), so the tab's phases go exactly as if the student did it by hand: every run ends
(its epochs, its stop conditions, divergence) before the next one is prepared, and each
stays on the loss curve named by its rate. The Run box says "run 2 of 5"; Stop ends the
whole sweep; a rate that diverges ends its run and the sweep goes on with the next; at the
end the banner names the rate with the lowest validation loss.

Anything else that replaces the run (Reset, new settings, an opened weight file) or an error
in training ends the sweep too, with a note; closing the window mid-sweep ends it quietly
(the tab's worker is shut down by the tab, and no next run is started).
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from app.train.phases import RunPhase
from app.train.sweep import LrSweep, lowest_loss, parse_rates, proposed_rates, rates_text
from nncore.errors import NNCoreError


class SweepDialog(QDialog):
    """Asks for the sweep's learning rates: 3 to 5 numbers, five proposed around `lr`."""

    def __init__(self, lr: float, epochs: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Learning-rate sweep")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Train the current settings ({epochs:,} epochs each) at each of these learning "
            "rates, one after another. Every rate becomes a run on the loss curve, named by "
            "its rate; a rate that diverges ends its run and the sweep goes on. Stop ends "
            "the sweep."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.rates_edit = QLineEdit(rates_text(proposed_rates(lr)))
        self.rates_edit.setToolTip("3 to 5 learning rates, separated by commas")
        layout.addWidget(QLabel("Learning rates (3 to 5, around the current one):"))
        layout.addWidget(self.rates_edit)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Run the sweep")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.rates_edit.textChanged.connect(lambda _t: self.message.setText(""))

    def rates(self) -> list[float]:
        """The rates typed (raises SettingsError for a line that is not 3 to 5 rates)."""
        return parse_rates(self.rates_edit.text())

    def accept(self) -> None:
        try:
            self.rates()
        except NNCoreError as err:
            self.message.setText(str(err))
            return
        super().accept()


class SweepRunner(QObject):
    """Drives a learning-rate sweep through a TrainTab (see the module docstring).

    `finished(object)` is emitted with the `LrSweep` when the sweep has ended (all rates
    done, Stop, or anything else that ended it).
    """

    finished = Signal(object)

    def __init__(self, tab):
        super().__init__(tab)
        self.tab = tab
        self.sweep: LrSweep | None = None
        self._base = None  # the TrainConfig every run of the sweep shares but its rate
        self._driving = False  # the runner itself is replacing the run (not the student)
        self._run_id = -1
        self._replaced = False  # a fresh run appeared that the runner did not prepare
        tab.run_controls.sweep_button.clicked.connect(self.ask)
        tab.run_finished.connect(self._on_run_finished)
        tab.state_changed.connect(self._on_state_changed)
        # after the tab's own handler (connected first), so the tab has shown the error
        tab.worker.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)

    @property
    def active(self) -> bool:
        return self.sweep is not None and not self.sweep.done

    def can_start(self) -> bool:
        tab = self.tab
        return not self.active and tab.ready_to_start()

    def ask(self) -> None:
        """The dialog, then the sweep with the rates chosen."""
        if not self.can_start():
            return
        self.tab.model_panel.commit()
        try:
            config = self.tab.model_panel.config()
        except ValueError:
            return
        dialog = SweepDialog(config.lr, config.epochs, self.tab)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start(dialog.rates())

    def start(self, rates: list[float]) -> bool:
        """Sweep the panels' current settings over `rates` (checked by the caller)."""
        if not self.can_start():
            return False
        self.tab.model_panel.commit()
        try:
            self._base = self.tab.model_panel.config()
        except ValueError:
            return False
        self.sweep = LrSweep(list(rates))
        self.tab.run_controls.sweeping = True
        self._next()
        return True

    def _next(self) -> None:
        """Prepare and start the run of the next rate, or end the sweep."""
        sweep, tab = self.sweep, self.tab
        if sweep is None or tab.closed:
            return
        rate = sweep.current
        if rate is None:
            self._end()
            return
        self._driving = True
        try:
            ok = tab.configure(config=dataclasses.replace(self._base, lr=rate))
            if ok:
                tab.start()
        finally:
            self._driving = False
        if not ok or tab.state != RunPhase.RUNNING:
            sweep.stopped = True
            self._end("The sweep could not start its next run.")
            return
        self._run_id = tab.run_id
        tab.run_controls.show_sweep(sweep.progress())

    def _on_run_finished(self, reason) -> None:
        sweep = self.sweep
        if not self.active or sweep is None or self._driving:
            return
        self._replaced = False  # the fresh run, if any, is the tab's own after divergence
        if reason.kind == "stopped":  # the student's Stop ends the whole sweep
            sweep.stopped = True
            self._end()
            return
        history = self.tab.history
        if reason.kind == "diverged":
            sweep.record(None)
        else:
            sweep.record(lowest_loss(history.column("train"), history.column("val")))
        # the next run after this handler: the tab finishes its own handling of this end
        QTimer.singleShot(0, self._next)

    def _on_state_changed(self, state: str) -> None:
        # A fresh run the runner did not ask for: Reset, new settings, an opened file; or
        # the tab's own after a run that diverged in its first epoch, which `run_finished`
        # reports right after this (so the check waits for the event loop).
        if self.active and not self._driving and state == RunPhase.FRESH:
            self._replaced = True
            QTimer.singleShot(0, self._check_replaced)

    def _check_replaced(self) -> None:
        if self.active and self._replaced:
            self._replaced = False
            self.sweep.stopped = True
            self._end("The sweep ended because the run was replaced.")

    def _on_failed(self, run_id: int, _text: str) -> None:
        if self.active and run_id == self._run_id:
            self.sweep.stopped = True
            self._end("The sweep ended because of an error in training.")

    def _end(self, note: str = "") -> None:
        sweep, tab = self.sweep, self.tab
        tab.run_controls.sweeping = False
        tab.run_controls.show_sweep("")
        if sweep is None or tab.closed:
            return
        tab.update_controls()
        has_val = tab.prepared is not None and tab.prepared.val is not None
        if sweep.results:
            title, details = sweep.summary("validation loss" if has_val else "training loss")
            kind = "success" if sweep.best() is not None else "warning"
            tab.banner.show_message(kind, title, f"{note} {details}" if note else details)
        elif note:
            tab.banner.show_message("warning", note)
        self.finished.emit(sweep)


__all__ = ["SweepDialog", "SweepRunner"]
