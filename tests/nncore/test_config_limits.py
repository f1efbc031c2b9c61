"""TrainConfig and the data makers refuse what cannot fit, before anything is allocated."""

from __future__ import annotations

import tracemalloc

import pytest

from nncore import memory
from nncore.config import MAX_LAYER_WIDTH, MAX_PARAMETERS, TrainConfig, recipe
from nncore.data import MAX_GRID_SIZE, MAX_SAMPLES, grid, grid_points, sample_count, sample_uniform
from nncore.errors import SettingsError
from nncore.training import TrainingRun


def test_a_million_neuron_layer_is_refused_with_what_it_would_take():
    with pytest.raises(SettingsError) as info:
        TrainConfig(sizes=(2, 10**6, 1))
    message = str(info.value)
    assert "1,000,000 neurons" in message and f"{MAX_LAYER_WIDTH:,} allowed" in message
    assert "24.0 MB" in message  # 3 numbers × 8 bytes × 10⁶ neurons per row


def test_too_many_parameters_are_refused():
    with pytest.raises(SettingsError, match=f"more than the {MAX_PARAMETERS:,}"):
        TrainConfig(sizes=(2, 5000, 5000, 1))
    TrainConfig(sizes=(2, MAX_LAYER_WIDTH, 1))  # wide but small enough


def test_a_batch_that_cannot_fit_is_refused(monkeypatch):
    monkeypatch.setenv(memory.LIMIT_VARIABLE, "200M")
    with pytest.raises(SettingsError, match="with batches of 4,096 needs about .*200 MB"):
        TrainConfig(sizes=(2, 20_000, 1), batch_size=4096)
    TrainConfig(sizes=(2, 20_000, 1), batch_size=64)  # 64 rows fit
    TrainConfig(sizes=(2, 20_000, 1))  # full batch: the data are not known yet


def test_training_run_refuses_a_full_batch_that_cannot_fit(monkeypatch):
    monkeypatch.setenv(memory.LIMIT_VARIABLE, "100M")
    data = sample_uniform("mean", 20_000)
    config = recipe("article", sizes=(2, 2000, 1), epochs=1)
    tracemalloc.start()
    try:
        with pytest.raises(SettingsError, match="this run needs about 1.0 GB"):
            TrainingRun(config, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000  # refused before the network or its buffers exist
    TrainingRun(config, data.subset(range(1000)))  # 1,000 of the points fit


@pytest.mark.parametrize("gamma", [1e300, 1.5, 0, -0.5])
def test_step_gamma_must_shrink_the_rate(gamma):
    with pytest.raises(SettingsError, match="step_gamma"):
        TrainConfig(schedule="step", step_gamma=gamma)
    TrainConfig(schedule="step", step_gamma=1.0)


def test_recipes_still_fit_under_any_limit(monkeypatch):
    monkeypatch.setenv(memory.LIMIT_VARIABLE, "1")
    assert recipe("modern").batch_size == 128 and recipe("article").sizes == (2, 64, 64, 64, 1)


def test_data_makers_refuse_before_allocating(monkeypatch):
    monkeypatch.setenv(memory.LIMIT_VARIABLE, "100M")
    tracemalloc.start()
    try:
        with pytest.raises(SettingsError, match=r"a 2,000 × 2,000 grid \(4,000,000 points\)"):
            grid("article", MAX_GRID_SIZE)
        with pytest.raises(SettingsError, match="5,000,000 random points needs about 360 MB"):
            sample_uniform("article", MAX_SAMPLES)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000
    with pytest.raises(SettingsError, match="more than the 100 MB"):
        grid_points(MAX_GRID_SIZE)
    with pytest.raises(SettingsError, match="from 1 to 5,000,000"):
        sample_count(MAX_SAMPLES + 1)
    assert grid_points(100) == 10_000 and sample_count(1000) == 1000


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"lr": 1e7}, r"at most 1e\+06"),
        ({"lr": float("nan")}, "the learning rate"),
        ({"lr": float("inf")}, "the learning rate"),
        ({"epochs": 10**16}, "epochs must be at most"),
    ],
)
def test_rates_and_budgets_the_optimisers_cannot_honour_are_refused(settings, words):
    with pytest.raises(SettingsError, match=words):
        TrainConfig(**settings)
