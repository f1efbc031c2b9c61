"""Tests for the run's phases and their transition table (no Qt needed)."""

from __future__ import annotations

import itertools

import pytest

from app.train.phases import TRANSITIONS, IllegalTransition, RunPhase

F, R, PG, P, D = (
    RunPhase.FRESH,
    RunPhase.RUNNING,
    RunPhase.PAUSING,
    RunPhase.PAUSED,
    RunPhase.FINISHED,
)

# Every move the Train tab makes, with the reason it makes it (the table's specification).
LEGAL = {
    (F, R): "Start",
    (F, PG): "Step one epoch, or the screenshot mode's synchronous run",
    (F, P): "a weight file with history replaces the fresh run",
    (R, PG): "Pause, or leaving the tab",
    (R, P): "diverged: paused on the last finite weights",
    (R, D): "the run ended: its epochs, Stop, an error",
    (R, F): "Reset or new settings replace the run",
    (PG, P): "the worker is idle after some epochs",
    (PG, F): "the worker is idle before any epoch, or the run was replaced",
    (PG, D): "the run ended while pausing",
    (P, R): "Resume, or Stop (the loop sees the request and ends)",
    (P, PG): "Step one epoch",
    (P, F): "Reset or new settings replace the run",
    (D, F): "Start again, Reset, new settings or a weight file: a new run",
}


def test_the_table_allows_exactly_the_listed_moves():
    for old, new in itertools.permutations(RunPhase, 2):
        if (old, new) in LEGAL:
            assert old.check(new) is new
        else:
            with pytest.raises(IllegalTransition, match=f"from {old} to {new}"):
                old.check(new)
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == set(LEGAL)


def test_staying_put_is_allowed_and_strings_are_accepted():
    for phase in RunPhase:
        assert phase.check(phase) is phase
    assert F.check("running") is R  # the value of the tab's state_changed signal
    with pytest.raises(ValueError):
        F.check("sleeping")


def test_phases_are_their_names_and_say_what_is_possible():
    assert P == "paused" and str(P) == "paused" and f"{P}" == "paused"
    assert [p for p in RunPhase if p.live] == [R, PG, P]
    assert [p for p in RunPhase if p.busy] == [R, PG]
    assert [p for p in RunPhase if p.can_step] == [F, P]
    assert [p for p in RunPhase if p.can_start] == [F, D]
