"""Divergence is caught from the first batch, for every optimiser, and always ends on sound weights.

The yardstick is the loss of the weights a run starts from, measured before any update, so a
blow-up inside the first epoch cannot raise its own bar (it used to: Adam at lr 10 "finished
the planned epochs" at R² −56). Every check here measures the losses independently of the
training loop: `Network.predict` on the run's normalised data and `nncore.losses.mse`.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nncore.cli import main as cli_main
from nncore.data import FUNCTIONS, Dataset, grid, sample_uniform
from nncore.errors import DataError, NNCoreError, SettingsError
from nncore.losses import mse
from nncore.network import Network
from nncore.optim import MAX_LEARNING_RATE
from nncore.training import TrainConfig, TrainingRun, recipe


@pytest.fixture(scope="module")
def article_grid():
    return grid(FUNCTIONS["article"], 100)


@pytest.fixture(scope="module")
def small():
    return sample_uniform(FUNCTIONS["article"], 300, seed=5)


def training_loss(run: TrainingRun) -> float:
    """The run's network on its own (normalised) training data, outside the training loop."""
    return mse(run.network.predict(run._X), run._y)


def all_finite(run: TrainingRun) -> bool:
    return all(np.all(np.isfinite(p)) for p in run.network.parameters())


def weights_of(run: TrainingRun) -> list[np.ndarray]:
    return [p.copy() for p in run.network.parameters()]


# ---- every optimiser, on the article's data ------------------------------------------------


@pytest.mark.parametrize(
    "base, changes",
    [
        ("modern", dict(lr=10.0)),  # the case: finished 80 epochs at R² −56
        ("modern", dict(lr=1e6)),
        ("article", dict(optimizer="adam", lr=10.0, batch_size=128)),
        ("article", dict(optimizer="adam", lr=1e6, batch_size=128)),
        ("modern", dict(optimizer="gd", lr=1e3)),
        ("article", dict(optimizer="gd", lr=1e3)),
        ("modern", dict(optimizer="momentum", lr=10.0)),
        ("article", dict(optimizer="momentum", lr=1e3)),
    ],
)
def test_a_blow_up_stops_as_diverged_within_two_epochs_on_sound_weights(
    article_grid, base, changes
):
    run = TrainingRun(recipe(base, epochs=30, **changes), article_grid)
    start = training_loss(run)
    reason = run.run()
    assert reason.kind == "diverged", reason.message
    assert run.epoch <= 1  # in the first epoch or the second
    assert all_finite(run)
    assert training_loss(run) <= start
    assert reason.message.startswith("Training diverged")
    assert "lower the learning rate 10×" in reason.detail and "put back" in reason.detail
    assert "At the start it was" in reason.detail  # the yardstick is named
    assert run.run_chunk(5) == []


def test_a_blow_up_inside_the_first_epoch_stops_in_that_epoch_and_says_where(article_grid):
    run = TrainingRun(recipe("modern", lr=10.0), article_grid)
    start_weights = weights_of(run)
    reason = run.run()
    assert reason.kind == "diverged" and run.epoch == 0 and run.history == []
    assert "At epoch 1, in batch " in reason.detail and " of 79," in reason.detail
    assert "Adam moves every weight" in reason.detail
    assert "put back to its starting weights" in reason.detail
    for p, s in zip(run.network.parameters(), start_weights):
        np.testing.assert_array_equal(p, s)


def test_the_yardstick_is_the_starting_loss_not_the_first_epochs(small, monkeypatch):
    # The first epoch's average of batch losses is what an early blow-up contaminates; the
    # limit must come from the loss before any update (one pass over the training data).
    run = TrainingRun(recipe("modern", sizes=(2, 16, 16, 1), epochs=5, lr=0.01), small)
    start = training_loss(run)
    run.run_chunk(1)
    assert run._start_loss == pytest.approx(start, rel=1e-6)
    assert run._explode_above == pytest.approx(1e6 * max(start, run._y_var), rel=1e-6)


# ---- which weights are kept -----------------------------------------------------------------


def test_a_later_blow_up_keeps_the_weights_the_epoch_started_from(small):
    run = TrainingRun(recipe("modern", sizes=(2, 16, 16, 1), epochs=50, lr=0.01), small)
    start = training_loss(run)
    run.run_chunk(3)
    after_three = weights_of(run)
    trained = training_loss(run)
    assert trained < start
    run.lr = MAX_LEARNING_RATE
    reason = run.run()
    assert reason.kind == "diverged" and run.epoch == 3
    assert "At epoch 4" in reason.detail and "after epoch 3" in reason.detail
    for p, s in zip(run.network.parameters(), after_three):
        np.testing.assert_array_equal(p, s)
    assert training_loss(run) == pytest.approx(trained, rel=1e-12)


def test_weights_worse_than_the_start_are_never_kept(small):
    run = TrainingRun(recipe("modern", sizes=(2, 16, 16, 1), epochs=50, lr=0.01), small)
    start_weights = weights_of(run)
    start = training_loss(run)
    run.run_chunk(2)
    # Someone made the weights much worse between chunks (still far below the limit) ...
    for W in run.network.weights:
        W *= 4.0
    assert start < training_loss(run) < 1e6 * start
    # ... and then the rate blows the next epoch up: its starting weights are no fallback.
    run.lr = MAX_LEARNING_RATE
    reason = run.run()
    assert reason.kind == "diverged"
    assert "were worse than that" in reason.detail and "starting weights" in reason.detail
    for p, s in zip(run.network.parameters(), start_weights):
        np.testing.assert_array_equal(p, s)
    assert training_loss(run) == pytest.approx(start, rel=1e-12)


def test_runaway_growth_puts_the_starting_weights_back(small):
    run = TrainingRun(recipe("modern", sizes=(2, 16, 16, 1), epochs=1000, lr=0.01), small)
    start_weights = weights_of(run)
    run.run_chunk(1)
    for W in run.network.weights:  # the loss now sits far above the start
        W *= 6.0
    run._rising, run._last_train = 19, 0.0  # ... and has risen for 19 epochs in a row
    run.lr = 1e-9  # this epoch changes almost nothing, so the loss stays up there
    run.run_chunk(1)
    reason = run.stop_reason
    assert reason is not None and reason.kind == "diverged", reason
    assert "20 epochs in a row" in reason.detail
    for p, s in zip(run.network.parameters(), start_weights):
        np.testing.assert_array_equal(p, s)


# ---- a blow-up in the last update is not "finished" ----------------------------------------


@pytest.mark.parametrize("optimizer, lr", [("gd", 1e3), ("momentum", 1e3), ("adam", 1e3)])
def test_a_blow_up_in_the_last_update_does_not_finish_the_planned_epochs(
    article_grid, optimizer, lr
):
    # Full batch, one epoch: its only loss is measured before its only update, which explodes.
    run = TrainingRun(recipe("article", optimizer=optimizer, lr=lr, epochs=1), article_grid)
    start = training_loss(run)
    reason = run.run()
    assert reason.kind == "diverged", reason.message
    assert "Finished" not in reason.message and "after its last update" in reason.detail
    assert all_finite(run) and training_loss(run) <= start


def test_a_blow_up_seen_on_the_validation_data_stops_the_run(small):
    train, val = small.split(0.3, seed=1)
    run = TrainingRun(recipe("article", sizes=(2, 16, 16, 1), lr=1e3, epochs=5), train, val)
    start = training_loss(run)
    reason = run.run()
    assert reason.kind == "diverged" and run.epoch == 0
    assert "after its last update" in reason.detail
    assert all_finite(run) and training_loss(run) <= start


def test_a_diverged_cli_run_does_not_report_finishing(capsys):
    cli_main(["train", "--recipe", "modern", "--lr", "10", "--samples", "400", "-q"])
    out = capsys.readouterr().out  # (the exit status is the CLI's to choose)
    assert "Training diverged" in out and "Finished the planned" not in out


# ---- settings given at run time and hostile data --------------------------------------------


@pytest.mark.parametrize("value", [1e300, math.inf, -math.inf, math.nan, 0.0, -1.0, 1e7])
def test_absurd_learning_rates_at_run_time_are_refused(small, value):
    run = TrainingRun(recipe("modern", sizes=(2, 8, 1), epochs=5), small)
    with pytest.raises(SettingsError, match="learning rate"):
        run.lr = value
    with pytest.raises(TypeError):
        run.lr = "0.1"
    run.lr = MAX_LEARNING_RATE  # the largest one allowed stops cleanly as diverged
    assert run.run().kind == "diverged" and all_finite(run)


def test_schedules_and_configs_with_absurd_rates_are_refused_as_settings(small):
    with pytest.raises(SettingsError):
        TrainingRun(TrainConfig(sizes=(2, 8, 1), lr=1e300, epochs=3), small)
    with pytest.raises(SettingsError):
        TrainingRun(
            TrainConfig(sizes=(2, 8, 1), schedule="step", step_gamma=1e300, epochs=3), small
        )


@pytest.mark.parametrize("scale", [1e160, 1e200, 1e308])
def test_data_too_large_to_normalise_is_refused_in_words(scale):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (50, 2)) * scale
    y = rng.uniform(-1, 1, 50) * scale
    with pytest.raises(DataError, match="too large to normalise"):
        TrainingRun(recipe("modern", sizes=(2, 8, 1), epochs=5), Dataset(X, y))


def test_data_too_large_for_float32_is_refused_in_words():
    from nncore.data import Normaliser

    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (50, 2)) * 1e100
    y = rng.uniform(-1, 1, 50)
    config = recipe("modern", sizes=(2, 8, 1), epochs=5, dtype="float32")
    with pytest.raises(DataError, match="float32"):
        TrainingRun(config, Dataset(X, y), normaliser=Normaliser.identity(2, 1))


def test_a_network_whose_loss_overflows_at_the_start_diverges_before_any_update(small):
    config = recipe("modern", sizes=(2, 16, 16, 1), epochs=10, dtype="float32")
    network = Network(config.sizes, init="he", dtype="float32")
    network.weights[0][...] = 1e30
    start = weights_of_network(network)
    run = TrainingRun(config, small, network=network)
    reason = run.run()
    assert reason.kind == "diverged" and run.epoch == 0
    assert "with the weights it started from" in reason.detail and "infinite" in reason.detail
    for p, s in zip(run.network.parameters(), start):
        np.testing.assert_array_equal(p, s)


def weights_of_network(network: Network) -> list[np.ndarray]:
    return [p.copy() for p in network.parameters()]


# ---- the property: whatever the optimiser, rate and batch, a run ends cleanly ---------------


TINY = sample_uniform(FUNCTIONS["article"], 24, seed=3)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    optimizer=st.sampled_from(["gd", "momentum", "adam"]),
    log_lr=st.floats(min_value=-4.0, max_value=8.0),
    batch_size=st.sampled_from([None, 1, 5, 16]),
    dtype=st.sampled_from(["float64", "float32"]),
)
def test_any_rate_ends_on_finite_weights_or_as_diverged_with_sound_ones(
    optimizer, log_lr, batch_size, dtype
):
    lr = 10.0**log_lr
    try:
        config = TrainConfig(
            sizes=(2, 6, 1),
            init="he",
            optimizer=optimizer,
            lr=lr,
            batch_size=batch_size,
            epochs=3,
            dtype=dtype,
        )
        run = TrainingRun(config, TINY)
    except NNCoreError as err:  # refusing an absurd rate up front is a clean outcome too
        assert lr > 1.0 and "learning rate" in str(err)
        return
    start = training_loss(run)
    reason = run.run()  # raises nothing
    assert all_finite(run)
    if reason.kind == "diverged":
        assert training_loss(run) <= start
    else:
        assert reason.kind == "epochs" and math.isfinite(training_loss(run))
        assert training_loss(run) <= 1e6 * max(start, run._y_var)


def test_the_cli_is_quiet_about_overflow(capsys):
    # Overflow inside a diverging run is expected: no NumPy warning reaches the terminal
    # (the test suite turns warnings into errors, so one would fail this test).
    cli_main(["train", "--optimizer", "gd", "--lr", "1e3", "--samples", "200", "-q"])
    captured = capsys.readouterr()
    assert "Warning" not in captured.err
    assert "Training diverged" in captured.out


# ---- the explanation ------------------------------------------------------------------------


def test_the_explanation_says_what_why_what_to_try_and_what_was_kept():
    from nncore.reports import diverged_reason

    nan = diverged_reason(
        math.nan, lr=0.5, optimizer="gd", recipe="article", epoch=3, where="in batch 2 of 9"
    )
    assert nan.kind == "diverged" and nan.message == "Training diverged: the loss became NaN."
    assert nan.detail.startswith("At epoch 3, in batch 2 of 9, the loss became NaN")
    assert "gradient descent" in nan.detail and "switch to Adam" in nan.detail
    assert "(to 0.05)" in nan.detail and "modern recipe" in nan.detail
    jump = diverged_reason(
        2.5e12, lr=10.0, optimizer="adam", recipe="modern", epoch=1, start_loss=3.5, kept="K."
    )
    assert jump.message == "Training diverged: the loss exploded to 2.5×10¹²."
    assert "At epoch 1 the loss jumped to 2.5×10¹²" in jump.detail
    assert "At the start it was 3.5." in jump.detail and jump.detail.endswith("K.")
    assert "switch to Adam" not in jump.detail and "modern recipe" not in jump.detail
    inf = diverged_reason(math.inf, lr=1.0, optimizer="momentum", recipe="modern", epoch=2)
    assert "became infinite" in inf.detail and "velocity" in inf.detail
    assert "\n" not in nan.detail + jump.detail + inf.detail  # one line each


def test_weights_edited_before_the_first_epoch_are_the_starting_weights(small):
    run = TrainingRun(recipe("modern", sizes=(2, 16, 16, 1), epochs=50, lr=0.01), small)
    for W in run.network.weights:  # edited after the run was made, before it trained
        W *= 0.5
    edited = weights_of(run)
    start = training_loss(run)
    run.run_chunk(2)
    for W in run.network.weights:  # then made worse than the start, and blown up
        W *= 4.0
    run.lr = MAX_LEARNING_RATE
    reason = run.run()
    assert reason.kind == "diverged" and "starting weights" in reason.detail
    for p, s in zip(run.network.parameters(), edited):  # not the weights made in __init__
        np.testing.assert_array_equal(p, s)
    assert training_loss(run) == pytest.approx(start, rel=1e-12)
