"""Many iterations at once, without Qt (app.step.iterations)."""

from __future__ import annotations

import pytest

from app.step.iterations import run_ahead
from nncore.lesson import make_lesson


def test_run_ahead_follows_the_engine_step_by_step():
    lesson = make_lesson("article")
    run = run_ahead(lesson, 10)
    expected, losses = lesson, []
    for _ in range(10):
        losses.append(expected.loss_after)
        expected = expected.next_iteration()
    assert run.lesson.iteration == 11 and run.stopped == ""
    assert run.losses == pytest.approx(losses)
    assert run.lesson.loss_before == pytest.approx(expected.loss_before)


def test_run_ahead_stops_cleanly_with_the_engines_message():
    lesson = make_lesson("article")
    diverging = type(lesson)(lesson.network, [[900.0, -900.0]], lesson.Y, 10.0)
    run = run_ahead(diverging, 1000)
    assert "too large" in run.stopped
    assert run.lesson.iteration == len(run.losses) + 1 < 1001
