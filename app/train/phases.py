"""The phases of a training run in the Train tab, and which phase may follow which.

    fresh ──Start──▶ running ◀─────Resume────── paused
      │               │   └───────diverged───────▶ ▲
      │             Pause                          │
      │               ▼                            │
      └───Step───▶ pausing ─────worker idle────────┘

    running or pausing ──run ended (its epochs, Stop, an error)──▶ finished

- fresh: a run is prepared and has not trained in this tab yet; settings may change.
- running: the worker trains chunk after chunk; only the learning rate may change.
- pausing: the worker was asked to stop after its chunk (Pause, leaving the tab) or is
  training a fixed number of epochs (Step one epoch); the buttons wait for it.
- paused: the worker is idle in the middle of a run; Resume or Step go on from here.
- finished: the run ended (its planned epochs, Stop, an error); Start begins a new one.

Any phase may go back to fresh: Reset, new settings or an opened weight file replace the
run (a file with history lands in paused). `RunPhase.check(new)` enforces the table
`TRANSITIONS`: a change it does not list is a bug in the tab, so it raises
`IllegalTransition` instead of leaving the buttons in a state nobody planned.

The phases are strings too (`RunPhase.PAUSED == "paused"`), which is how the tab's
`state_changed` signal reports them. No Qt here: this module is tested without a display.
"""

from __future__ import annotations

import enum


class IllegalTransition(RuntimeError):
    """The tab tried to move between two phases the transition table does not join."""


class RunPhase(str, enum.Enum):
    """Where a training run in the Train tab stands (see the module docstring)."""

    FRESH = "fresh"
    RUNNING = "running"
    PAUSING = "pausing"
    PAUSED = "paused"
    FINISHED = "finished"

    def __str__(self) -> str:
        return self.value

    @property
    def live(self) -> bool:
        """A run is under way (running, pausing or paused): its settings are locked."""
        return self in (RunPhase.RUNNING, RunPhase.PAUSING, RunPhase.PAUSED)

    @property
    def busy(self) -> bool:
        """The worker is training (running or pausing): wait for it before asking more."""
        return self in (RunPhase.RUNNING, RunPhase.PAUSING)

    @property
    def can_step(self) -> bool:
        """Step one epoch (or train a given number synchronously) is possible from here."""
        return self in (RunPhase.FRESH, RunPhase.PAUSED)

    @property
    def can_start(self) -> bool:
        """Start (a new run, or again after the last one finished) is possible from here."""
        return self in (RunPhase.FRESH, RunPhase.FINISHED)

    def check(self, new: RunPhase) -> RunPhase:
        """Return `new` if the table allows moving there from this phase, else raise.

        Staying in the same phase is always allowed (e.g. a fresh run replaced by another).
        """
        new = RunPhase(new)
        if new is not self and new not in TRANSITIONS[self]:
            raise IllegalTransition(f"the Train tab cannot go from {self} to {new}")
        return new


F, R, PG, P, D = (
    RunPhase.FRESH,
    RunPhase.RUNNING,
    RunPhase.PAUSING,
    RunPhase.PAUSED,
    RunPhase.FINISHED,
)

TRANSITIONS: dict[RunPhase, frozenset[RunPhase]] = {
    # Start; Step (or a synchronous run); a replacing run that brings its history
    F: frozenset({R, PG, P}),
    # Pause or leaving the tab; diverged (kept weights); run ended or failed; replaced
    R: frozenset({PG, P, D, F}),
    # worker idle; worker idle before any epoch, or replaced; run ended or failed
    PG: frozenset({P, F, D}),
    # Resume (or Stop, which lets the loop see its request); Step; replaced
    P: frozenset({R, PG, F}),
    # a new run (Start again, Reset, new settings, a weight file)
    D: frozenset({F}),
}

del F, R, PG, P, D

__all__ = ["RunPhase", "TRANSITIONS", "IllegalTransition"]
