"""Tests for the refresh pacing of the Train tab's live views, on made-up clocks."""

from __future__ import annotations

import pytest

from app.train.pacing import GUI_CPU_BUDGET, MAX_REFRESH_HZ, MIN_REFRESH_HZ, RefreshPacer


class Clock:
    def __init__(self) -> None:
        self.wall = 100.0
        self.cpu = 5.0


def refresh_after(pacer, clock, seconds, cpu_share, training=True):
    clock.wall += seconds
    clock.cpu += seconds * cpu_share
    pacer.refreshed(training=training)


def make():
    clock = Clock()
    return RefreshPacer(wall=lambda: clock.wall, cpu=lambda: clock.cpu), clock


def test_the_gap_widens_above_the_budget_and_narrows_below_within_its_bounds():
    pacer, clock = make()
    assert pacer.gap == pytest.approx(1 / MAX_REFRESH_HZ)
    assert pacer.wait() == 0.0  # never refreshed: due now
    refresh_after(pacer, clock, 0.05, 0.5)  # the first refresh only starts the count
    assert pacer.gap == pytest.approx(1 / MAX_REFRESH_HZ)
    refresh_after(pacer, clock, 0.05, 2 * GUI_CPU_BUDGET)
    assert pacer.gap == pytest.approx(1.25 / MAX_REFRESH_HZ)
    for _ in range(40):
        refresh_after(pacer, clock, pacer.gap, 2 * GUI_CPU_BUDGET)
    assert pacer.gap == pytest.approx(1 / MIN_REFRESH_HZ)  # never slower than this
    refresh_after(pacer, clock, pacer.gap, GUI_CPU_BUDGET / 2)
    assert pacer.gap == pytest.approx(0.9 / MIN_REFRESH_HZ)
    for _ in range(40):
        refresh_after(pacer, clock, pacer.gap, GUI_CPU_BUDGET / 2)
    assert pacer.gap == pytest.approx(1 / MAX_REFRESH_HZ)  # never faster than this


def test_the_gap_stays_while_idle_and_wait_counts_down():
    pacer, clock = make()
    refresh_after(pacer, clock, 1.0, 0.0)
    refresh_after(pacer, clock, 1.0, 1.0, training=False)  # idle: drawing is not adapted
    assert pacer.gap == pytest.approx(1 / MAX_REFRESH_HZ)
    clock.wall += 0.02
    assert pacer.wait() == pytest.approx(1 / MAX_REFRESH_HZ - 0.02)
    clock.wall += 1.0
    assert pacer.wait() == 0.0


def test_the_slow_views_are_due_a_few_times_a_second_or_when_forced():
    pacer, clock = make()
    assert pacer.lower_due()
    clock.wall += 0.1
    assert not pacer.lower_due()
    assert pacer.lower_due(force=True)
    clock.wall += 0.26
    assert pacer.lower_due()
