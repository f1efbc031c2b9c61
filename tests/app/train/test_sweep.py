"""The learning-rate sweep's plan and results (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from app.train.sweep import LrSweep, lowest_loss, parse_rates, proposed_rates, rates_text
from nncore.errors import SettingsError


def test_five_rates_are_proposed_around_the_current_one():
    assert proposed_rates(0.001) == [0.0001, 0.0003, 0.001, 0.003, 0.01]
    assert rates_text(proposed_rates(0.003)) == "0.0003, 0.0009, 0.003, 0.009, 0.03"
    assert proposed_rates(5.0) == [0.5, 1.5, 5.0, 10.0]  # the panel's limit, no repeats


def test_typed_rates_must_be_three_to_five_distinct_numbers_in_range():
    assert parse_rates("0.01, 0.1 1") == [0.01, 0.1, 1.0]
    for text in ("0.1, 1", "1 2 3 4 5 6", "0.1, x, 1", "0.1, 0.1, 1", "0, 0.1, 1", "1, 2, 20"):
        with pytest.raises(SettingsError):
            parse_rates(text)


def test_the_sweep_counts_its_runs_and_names_the_best_rate_past_a_divergent_one():
    sweep = LrSweep([0.001, 0.01, 10.0])
    assert sweep.progress().startswith("Learning-rate sweep: run 1 of 3 (lr 0.001)")
    sweep.record(0.2)
    sweep.record(0.05)
    assert sweep.progress().startswith("Learning-rate sweep: run 3 of 3 (lr 10)")
    sweep.record(None)  # diverged
    assert sweep.done and sweep.best() == 0.01
    title, details = sweep.summary()
    assert title == "Best learning rate of the sweep: 0.01"
    assert "lr 10: diverged" in details and "lr 0.01: best validation loss 0.05" in details
    with pytest.raises(RuntimeError):
        sweep.record(0.1)


def test_a_stopped_sweep_says_how_far_it_got():
    sweep = LrSweep([0.001, 0.01, 0.1])
    sweep.record(float("nan"))  # no finite loss: counted as diverged
    sweep.stopped = True
    assert sweep.done and sweep.best() is None
    title, details = sweep.summary()
    assert "No learning rate" in title and "Stopped after 1 of 3" in details


def test_the_lowest_loss_is_the_validation_one_when_there_is_validation():
    assert lowest_loss(np.array([3.0, 1.0]), np.array([4.0, 2.0])) == 2.0
    assert lowest_loss(np.array([3.0, 1.0]), np.array([np.nan, np.nan])) == 1.0
    assert lowest_loss(np.array([np.inf]), np.array([np.nan])) is None
