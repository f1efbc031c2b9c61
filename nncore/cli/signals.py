"""What Ctrl+C (SIGINT), SIGTERM and SIGHUP do while `nncore train` runs.

The three mean the same: "stop now". A closed terminal window sends SIGHUP, a job system or
`kill` sends SIGTERM, a user presses Ctrl+C. What stopping costs depends on where the command
is, so `Interrupts` tracks the phase it is in:

- "setup" (before training) and "after" (the model is saved, only the summary is left):
  nothing is lost by stopping at once, so the signal ends the command (`_Interrupted`).
- "training": the first signal asks the run to stop at the end of the current batch (an
  epoch, for full-batch training), after which the model is saved as usual; a second one
  aborts at once without saving, for a user who really wants out.
- "saving": the save is never interrupted. The signal is remembered and, once the file is
  whole, the command ends with status 128 + the signal's number (130 for Ctrl+C, 143 for
  SIGTERM), skipping the summary.

Only the main thread may install signal handlers; elsewhere (a notebook's worker thread)
nothing is installed and Ctrl+C keeps its usual meaning.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

from .terminal import err

__all__ = ["Interrupts", "STOP_SIGNALS", "signal_name"]

# SIGHUP does not exist on Windows.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def signal_name(signum: int) -> str:
    """'Ctrl+C' for SIGINT, else the signal's name (SIGTERM, SIGHUP)."""
    if signum == signal.SIGINT:
        return "Ctrl+C"
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class _Interrupted(KeyboardInterrupt):
    """Raised by the handler to end the command now; `signum` chooses the exit status.

    Shared with `nncore.cli.train` only, hence the underscore: it is about a signal, not
    about bad input, so it stays out of the public errors (tests/nncore/test_errors.py)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def status(self) -> int:
        return 128 + self.signum


class Interrupts:
    """The stop signals' handler for one `nncore train`; use it as a context manager, which
    installs it for SIGINT, SIGTERM and SIGHUP and puts the previous handlers back."""

    def __init__(self) -> None:
        self.phase = "setup"
        self.run = None  # the TrainingRun, once there is one
        self.per_batch = False  # whether a stop takes effect after the batch, not the epoch
        self.during_save: int | None = None  # a signal that came while saving
        self._previous: dict[int, object] = {}

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info) -> None:
        for signum, previous in self._previous.items():
            if previous is not None:  # None: the old handler was not installed from Python
                signal.signal(signum, previous)  # type: ignore[arg-type]
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.phase == "saving":
            if self.during_save is None:
                self.during_save = signum
                err(f"\n{signal_name(signum)}: still saving; the save finishes first.")
            return
        if self.phase != "training" or self.run is None or self.run.stop_requested:
            raise _Interrupted(signum)
        self.run.request_stop()
        when = "at the end of this batch" if self.per_batch else "after this epoch"
        again = "press Ctrl+C again" if signum == signal.SIGINT else "a second signal aborts"
        via = "" if signum == signal.SIGINT else f" ({signal_name(signum)})"
        err(f"\nStopping {when} and saving{via}; {again} to abort without saving.")
