"""nncore.memory: the estimate against what a real run allocates, the limit and its variable."""

from __future__ import annotations

import tracemalloc

import pytest

from nncore import memory
from nncore.data import grid, sample_uniform
from nncore.errors import SettingsError
from nncore.training import TrainingRun, recipe


def _peak_of_run(config, n: int, val_share: float) -> tuple[int, int, int]:
    """(tracemalloc's peak while making the data and training, n_train, n_val)."""
    tracemalloc.start()
    try:
        data = sample_uniform("article", n, seed=1)
        train, val = data.split(val_share, seed=0)
        run = TrainingRun(config, train, val if len(val) else None)
        run.run(chunk=1)
        run.evaluate("train")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, len(train), len(val)


@pytest.mark.parametrize(
    "name, n, share, changes",
    [
        ("article", 20_000, 0.2, {"sizes": (2, 64, 64, 64, 1)}),  # full batch: activations
        ("article", 20_000, 0.0, {"sizes": (2, 256, 1), "optimizer": "momentum"}),
        ("modern", 20_000, 0.2, {"sizes": (2, 64, 64, 64, 1)}),  # evaluation dominates
        ("modern", 3_000, 0.2, {"sizes": (2, 1000, 1000, 1), "batch_size": 64}),  # parameters
        ("article", 500, 0.0, {"sizes": (2, 8, 1)}),  # tiny: the fixed buffers
    ],
)
def test_estimate_is_within_a_factor_two_of_the_measured_peak(name, n, share, changes):
    config = recipe(name, epochs=5, **changes)
    peak, n_train, n_val = _peak_of_run(config, n, share)
    estimate = memory.estimate_training(
        config.sizes, n_train, n_val, config.batch_size, config.optimizer, config.dtype
    )
    assert peak / 2 <= estimate.total <= 2 * peak, (memory.format_bytes(peak), estimate.describe())


@pytest.mark.parametrize("make, n, points", [(grid, 400, 160_000), (sample_uniform, 200_000, 0)])
def test_data_estimate_is_within_a_factor_two_of_making_the_data(make, n, points):
    tracemalloc.start()
    try:
        make("bumps", n)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    estimate = memory.estimate_data(points or n)
    assert peak / 2 <= estimate.total <= 2 * peak


def test_parts_follow_the_arithmetic():
    sizes, it = (2, 100, 1), 8
    P = 2 * 100 + 100 + 100 + 1
    gd = memory.estimate_training(sizes, 1000, optimizer="gd")
    adam = memory.estimate_training(sizes, 1000, optimizer="adam")
    momentum = memory.estimate_training(sizes, 1000, optimizer="momentum")
    # Adam keeps two running averages, momentum one velocity, beside the same scratch buffer.
    assert adam.parts["optimiser state"] - gd.parts["optimiser state"] == 2 * P * it
    assert momentum.parts["optimiser state"] - gd.parts["optimiser state"] == P * it
    # The full batch: 1000 rows × (z, a, error at 8 bytes + 2 flag bytes) × (100 + 1) neurons.
    assert gd.parts["activations and errors"] == 1000 * 26 * 101
    assert gd.rows == 1000
    half = memory.estimate_training(sizes, 1000, dtype="float32")
    assert half.parts["parameters"] * 2 == gd.parts["parameters"]
    # Mini-batches of 300: a batch and the last, shorter one (1000 = 3 × 300 + 100).
    mini = memory.estimate_training(sizes, 1000, batch_size=300)
    assert mini.rows == 400 and mini.parts["activations and errors"] == 400 * 26 * 101


def test_evaluation_is_counted_in_chunks():
    big = memory.estimate_training((2, 64, 1), 10_000_000, 2_000_000, batch_size=128)
    chunk = memory.EVAL_CHUNK_ROWS
    assert big.parts["evaluation"] == 2 * chunk * (3 * 8 + 1) * 65


def test_the_variable_sets_the_limit(monkeypatch):
    for text, expected in [
        ("2G", 2_000_000_000),
        ("512M", 512_000_000),
        ("1.5GB", 1_500_000_000),
        ("1GiB", 2**30),
        ("123456789", 123_456_789),
    ]:
        monkeypatch.setenv(memory.LIMIT_VARIABLE, text)
        assert memory.memory_limit()[0] == expected
    monkeypatch.delenv(memory.LIMIT_VARIABLE)
    limit, why = memory.memory_limit()
    assert 0 < limit <= memory.DEFAULT_LIMIT and memory.LIMIT_VARIABLE in why


@pytest.mark.parametrize("text", ["lots", "-1G", "0", "2 parsecs", "9" * 100, "1e9"])
def test_a_bad_variable_is_refused_in_one_line(monkeypatch, text):
    monkeypatch.setenv(memory.LIMIT_VARIABLE, text)
    with pytest.raises(SettingsError, match=memory.LIMIT_VARIABLE) as info:
        memory.memory_limit()
    assert "\n" not in str(info.value) and len(str(info.value)) < 200


def test_require_fits_names_the_estimate_and_the_limit(monkeypatch):
    monkeypatch.setenv(memory.LIMIT_VARIABLE, "1G")
    estimate = memory.estimate_training((2, 64, 64, 64, 1), 5_000_000)
    with pytest.raises(SettingsError) as info:
        memory.require_fits(estimate, "this run")
    message = str(info.value)
    assert message.startswith(f"this run needs about {memory.format_bytes(estimate.total)} (")
    assert "more than the 1.0 GB this machine allows" in message
    assert "NNCORE_MEMORY_LIMIT='1G'" in message and "mini-batches" in message
    monkeypatch.setenv(memory.LIMIT_VARIABLE, "1T")
    memory.require_fits(estimate, "this run")  # fits under a larger limit


def test_small_estimates_are_never_refused(monkeypatch):
    monkeypatch.setenv(memory.LIMIT_VARIABLE, "not even read")
    memory.require_fits(memory.estimate_training((2, 64, 64, 64, 1), 1000), "this run")


def test_format_bytes():
    assert memory.format_bytes(512) == "512 bytes"
    assert memory.format_bytes(9_600_000) == "9.6 MB"
    assert memory.format_bytes(12_345_000_000) == "12.3 GB"
    assert memory.format_bytes(250_000_000) == "250 MB"


def test_prediction_estimate_is_within_a_factor_two_of_the_measured_peak(monkeypatch):
    import numpy as np

    from nncore.cli.predict import _predict_with
    from nncore.network import Network
    from nncore.normaliser import Normaliser
    from nncore.weightfile import WeightFile

    monkeypatch.setattr(memory, "EVAL_CHUNK_ROWS", 5000)
    net = Network((2, 300, 300, 1), seed=1)
    X = np.random.default_rng(0).uniform(-1, 1, (20_000, 2))
    wf = WeightFile(net, Normaliser.fit(X, X[:, :1]))
    tracemalloc.start()
    try:
        _predict_with(wf, X)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    estimate = memory.estimate_prediction(net.sizes, len(X))
    assert peak / 2 <= estimate.total <= 2 * peak, (memory.format_bytes(peak), estimate.describe())
