"""TrainingRun: fidelity to the article, reports, steering, stop conditions and divergence."""

import threading

import numpy as np
import pytest

from nncore.data import FUNCTIONS, Dataset, Normaliser, grid, sample_uniform
from nncore.errors import SettingsError
from nncore.network import Network
from nncore.optim import Adam
from nncore.reference import ArticleNet
from nncore.training import (
    RECIPES,
    EpochReport,
    StopReason,
    TrainConfig,
    TrainingRun,
    recipe,
)


@pytest.fixture(scope="module")
def article_grid():
    return grid(FUNCTIONS["article"], 100)


@pytest.fixture(scope="module")
def small():
    return sample_uniform(FUNCTIONS["article"], 300, seed=5)


def small_config(**kw):
    base = dict(sizes=(2, 16, 16, 1), epochs=20, batch_size=32, lr=0.01, warmup=1, dtype="float64")
    base.update(kw)
    return recipe("modern", **base)


# ---- fidelity to the article --------------------------------------------------------------


def test_article_recipe_matches_the_article_code_for_100_epochs(article_grid):
    # The article's own preparation, written out independently of nncore.data.Normaliser.
    X, y = article_grid.X, article_grid.y.ravel()
    Xn = (X - np.mean(X, axis=0)) / np.std(X, axis=0)
    yn = (y - np.mean(y)) / np.std(y)
    reference = ArticleNet([2, 64, 64, 64, 1], seed=99)

    run = TrainingRun(recipe("article", epochs=100), article_grid)
    assert run.network.dtype == np.float64
    for ours, theirs in zip(run.network.weights, reference.weights):
        np.testing.assert_array_equal(ours, theirs)
    for b in run.network.biases:
        assert not b.any()

    reports = run.run_chunk(100)
    expected = np.array([reference.epoch(Xn, yn, 0.001) for _ in range(100)])
    ours = np.array([r.train_mse for r in reports])
    assert len(reports) == 100 and run.stop_reason.kind == "epochs"
    np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=0)
    assert ours[-1] < ours[0]  # it did learn
    for ours_w, theirs_w in zip(run.network.weights, reference.weights):
        np.testing.assert_allclose(ours_w, theirs_w, rtol=1e-9, atol=1e-12)


def test_recipes_say_what_the_issue_asks():
    a = RECIPES["article"]
    assert (a.init, a.optimizer, a.lr, a.schedule, a.batch_size, a.epochs, a.seed) == (
        "article",
        "gd",
        0.001,
        "constant",
        None,
        2000,
        99,
    )
    assert (a.activation, a.sizes, a.dtype) == ("relu", (2, 64, 64, 64, 1), "float64")
    m = RECIPES["modern"]
    assert (m.init, m.optimizer, m.schedule) == ("he", "adam", "cosine")
    assert m.batch_size is not None and m.warmup > 0
    assert TrainConfig() == a  # defaults are the article's


# ---- reports ------------------------------------------------------------------------------


def test_full_batch_report_matches_independent_computations(small):
    config = recipe("article", sizes=(2, 8, 8, 1), epochs=3)
    val = sample_uniform(FUNCTIONS["article"], 50, seed=9)
    run = TrainingRun(config, small, val)
    norm = run.normaliser
    X, y = norm.transform_x(small.X), norm.transform_y(small.y)
    before = run.network.copy()
    rec = before.forward(X)
    grads = before.backward(rec, y)

    report = run.run_chunk(1)[0]
    assert report.epoch == 1 == run.epoch
    pred = rec.output
    assert report.train_mse == pytest.approx(np.mean((pred - y) ** 2), rel=1e-12)
    assert report.train_r2 == pytest.approx(
        1 - np.sum((pred - y) ** 2) / np.sum((y - y.mean()) ** 2), rel=1e-12
    )
    assert report.grad_norms == pytest.approx(grads.norms(), rel=1e-12)
    assert report.dead_fraction == pytest.approx(before.dead_fraction(rec))
    assert report.weight_norms == pytest.approx([np.linalg.norm(w) for w in run.network.weights])
    Xv, yv = norm.transform_x(val.X), norm.transform_y(val.y)
    after = run.network.predict(Xv)
    assert report.val_mse == pytest.approx(np.mean((after - yv) ** 2), rel=1e-12)
    assert report.val_r2 == pytest.approx(
        1 - np.sum((after - yv) ** 2) / np.sum((yv - yv.mean()) ** 2)
    )
    assert report.lr == 0.001 and report.elapsed > 0
    # The update itself is W − lr·dW.
    np.testing.assert_allclose(
        run.network.weights[0], before.weights[0] - 0.001 * grads.weights[0], rtol=1e-13
    )


def test_weight_decay_shrinks_weights_not_biases(small):
    config = recipe("article", sizes=(2, 8, 1), epochs=5, weight_decay=0.1, lr=0.01)
    run = TrainingRun(config, small)
    before = run.network.copy()
    X, y = run.normaliser.transform_x(small.X), run.normaliser.transform_y(small.y)
    grads = before.backward(before.forward(X), y)
    run.run_chunk(1)
    for i in range(before.n_layers):
        np.testing.assert_allclose(
            run.network.weights[i],
            before.weights[i] - 0.01 * (grads.weights[i] + 0.1 * before.weights[i]),
            rtol=1e-12,
        )
        np.testing.assert_allclose(
            run.network.biases[i], before.biases[i] - 0.01 * grads.biases[i], rtol=1e-12
        )


def test_reports_and_configs_round_trip_through_dicts(small):
    run = TrainingRun(small_config(epochs=2), small, small)
    run.run_chunk(2)
    for r in run.history:
        assert EpochReport.from_dict(r.to_dict()) == r
    assert StopReason.from_dict(run.stop_reason.to_dict()) == run.stop_reason
    config = small_config(target_r2=0.9, patience=7, time_budget=12.5)
    assert TrainConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="unknown training setting"):
        TrainConfig.from_dict({"learning_rate": 0.1})
    with pytest.raises(ValueError, match="missing"):
        EpochReport.from_dict({"epoch": 1})


def test_bad_settings_get_clear_messages(small):
    with pytest.raises(ValueError, match="learning rate"):
        recipe("article", lr=0)
    with pytest.raises(ValueError, match="batch_size"):
        recipe("modern", batch_size=0)
    with pytest.raises(ValueError, match="choose one of"):
        recipe("article", optimizer="rmsprop")
    with pytest.raises(ValueError, match="unknown recipe"):
        recipe("fast")
    with pytest.raises(ValueError, match="unknown training setting"):
        recipe("article", epoch=3)
    with pytest.raises(ValueError, match="warm-up"):
        recipe("modern", epochs=5, warmup=5)
    with pytest.raises(ValueError, match=r"shape \(n, 3\)"):
        TrainingRun(recipe("article", sizes=(3, 4, 1)), small)
    with pytest.raises(ValueError, match="2-4-1"):
        TrainingRun(recipe("article"), small, network=Network([2, 4, 1]))
    with pytest.raises(ValueError, match="NaN"):
        TrainingRun(recipe("article"), Dataset([[0.0, np.nan]], [1.0]))


# ---- dtype --------------------------------------------------------------------------------


def test_float32_stays_float32_through_a_run(small):
    run = TrainingRun(small_config(dtype="float32", epochs=4), small, small)
    arrays = run.network.parameters()
    run.run_chunk(4)
    assert run.network.dtype == np.float32
    for before, after in zip(arrays, run.network.parameters()):
        assert after is before  # updated in place, never replaced
        assert after.dtype == np.float32
    opt = run._optimizer
    assert isinstance(opt, Adam)
    assert all(m.dtype == np.float32 for m in list(opt.m.values()) + list(opt.v.values()))
    assert run._X.dtype == np.float32 and run._y.dtype == np.float32
    assert all(np.isfinite(r.train_mse) for r in run.history)
    assert run.predict(small.X[:3]).dtype == np.float64


# ---- determinism and chunking -------------------------------------------------------------


def fingerprint(run):
    return [r.train_mse for r in run.history], [p.copy() for p in run.network.parameters()]


@pytest.mark.parametrize("batch_size", [None, 32])
def test_chunked_run_equals_one_long_run(small, batch_size):
    config = small_config(epochs=12, batch_size=batch_size, schedule="cosine")
    whole = TrainingRun(config, small)
    whole.run_chunk(12)
    pieces = TrainingRun(config, small)
    for n in (5, 1, 4, 2):
        pieces.run_chunk(n)
    assert whole.epoch == pieces.epoch == 12
    (a_loss, a_params), (b_loss, b_params) = fingerprint(whole), fingerprint(pieces)
    assert a_loss == b_loss
    for a, b in zip(a_params, b_params):
        np.testing.assert_array_equal(a, b)
    assert whole.run_chunk(3) == []  # done: nothing more happens


def test_mini_batches_are_reproducible_from_the_seed(small):
    runs = [TrainingRun(small_config(epochs=3, seed=s), small) for s in (1, 1, 2)]
    for r in runs:
        r.run_chunk(3)
    assert fingerprint(runs[0])[0] == fingerprint(runs[1])[0]
    assert fingerprint(runs[0])[0] != fingerprint(runs[2])[0]
    # Same initial weights but another order of the batches still changes the result.
    a = TrainingRun(small_config(epochs=2, seed=1), small)
    b = TrainingRun(small_config(epochs=2, seed=1), small, network=a.network.copy())
    b._rng = np.random.default_rng(12345)
    a.run_chunk(2)
    b.run_chunk(2)
    assert fingerprint(a)[0][0] != fingerprint(b)[0][0]


# ---- learning rate ------------------------------------------------------------------------


def test_reports_follow_the_schedule_and_the_setter_overrides_it(small):
    config = small_config(epochs=10, warmup=2, lr=0.02, schedule="cosine")
    run = TrainingRun(config, small)
    schedule = config.make_schedule()
    run.run_chunk(4)
    assert [r.lr for r in run.history] == [schedule(e) for e in range(4)]
    assert run.lr == schedule(4)
    run.lr = 0.001
    run.run_chunk(3)
    assert [r.lr for r in run.history[4:]] == [0.001] * 3
    run.lr = None  # back to the schedule
    run.run_chunk(1)
    assert run.history[-1].lr == schedule(7)
    with pytest.raises(ValueError, match="learning rate"):
        run.lr = -1


# ---- stop conditions ----------------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [None, 50])
def test_target_r2_stops_as_soon_as_it_is_reached(batch_size):
    plane = grid(FUNCTIONS["plane"], 20)
    run = TrainingRun(
        recipe(
            "modern", sizes=(2, 16, 1), epochs=300, target_r2=0.99, batch_size=batch_size, lr=0.01
        ),
        plane,
    )
    reason = run.run()
    assert reason.kind == "target" and "0.99" in reason.message
    assert run.epoch < 300
    if batch_size is None:  # full batch: the report's R² is exact, so no epoch too late
        assert run.history[-1].train_r2 >= 0.99
        assert all(r.train_r2 < 0.99 for r in run.history[:-1])
    else:  # mini-batches: confirmed on the whole set before stopping
        assert run.evaluate("train")["r2"] >= 0.99


def test_target_uses_validation_when_given(small):
    val = sample_uniform(FUNCTIONS["article"], 60, seed=1)
    run = TrainingRun(small_config(epochs=50, target_r2=-1e9), small, val)
    run.run_chunk(50)
    assert run.epoch == 1 and run.stop_reason.kind == "target"
    assert "validation" in run.stop_reason.message


def test_epoch_budget_time_budget_and_plateau(small):
    run = TrainingRun(small_config(epochs=3), small)
    assert run.run().kind == "epochs" and run.epoch == 3

    run = TrainingRun(small_config(epochs=50, time_budget=1e-9), small)
    assert run.run().kind == "time" and run.epoch == 1

    # A rate so small nothing improves: the plateau rule stops it after `patience` epochs.
    run = TrainingRun(recipe("article", sizes=(2, 8, 1), lr=1e-12, epochs=100, patience=5), small)
    reason = run.run()
    assert reason.kind == "plateau" and run.epoch == 6 and "5 epochs" in reason.message


def test_request_stop_from_another_thread_stops_promptly(small):
    run = TrainingRun(small_config(epochs=100_000), small)
    started = threading.Event()
    result = {}

    def worker():
        while not run.done:
            run.run_chunk(5)
            started.set()
        result["reason"] = run.stop_reason

    thread = threading.Thread(target=worker)
    thread.start()
    assert started.wait(60)
    run.request_stop()
    thread.join(60)
    assert not thread.is_alive()
    assert result["reason"].kind == "stopped"
    assert run.epoch < 100_000


def test_request_stop_is_checked_between_mini_batches(small):
    run = TrainingRun(small_config(epochs=5, batch_size=10), small)  # 30 batches an epoch
    real_step, calls = run._optimizer.step, []

    def step(params, grads, lr):
        calls.append(lr)
        real_step(params, grads, lr)
        if len(calls) == 3:
            run.request_stop()

    run._optimizer.step = step
    reports = run.run_chunk(5)
    assert len(calls) == 3 and len(reports) == 1
    assert run.stop_reason.kind == "stopped" and run.done
    assert np.isfinite(reports[0].train_mse)


# ---- divergence ---------------------------------------------------------------------------


def test_learning_rate_10_diverges_and_keeps_finite_weights(article_grid):
    run = TrainingRun(recipe("article", lr=10.0), article_grid)
    reason = run.run()
    assert reason.kind == "diverged"
    assert run.epoch < 50
    for p in run.network.parameters():
        assert np.all(np.isfinite(p))
    # The network is back on the weights the last report was measured on.
    if run.history:
        assert run.evaluate("train")["mse"] == pytest.approx(run.history[-1].train_mse, rel=1e-9)
    text = reason.detail
    assert "learning rate" in text and "10×" in text and "Adam" in text and "modern" in text
    assert reason.message.startswith("Training diverged")
    assert run.run_chunk(5) == []


def test_overflowing_network_diverges_at_once_and_adam_advice_fits_adam(small):
    config = small_config(dtype="float32", epochs=10)
    network = Network(config.sizes, init="he", dtype="float32")
    network.weights[0][...] = 1e30  # outputs overflow float32 to inf
    start = [p.copy() for p in network.parameters()]
    run = TrainingRun(config, small, network=network)
    reason = run.run()
    assert reason.kind == "diverged" and run.epoch == 0 and run.history == []
    assert "infinite" in reason.detail and "starting weights" in reason.detail
    assert "Adam moves every weight" in reason.detail and "switch to Adam" not in reason.detail
    for p, s in zip(run.network.parameters(), start):
        np.testing.assert_array_equal(p, s)


def test_runaway_growth_counts_as_divergence_but_one_spike_does_not(small):
    def feed(run, losses):
        for k, loss in enumerate(losses, start=1):
            run.epoch = k
            report = EpochReport(k, loss, None, 1 - loss, None, 0.1, 0.0)
            if run._start_loss is None:  # the yardstick: the loss before any update
                run._set_start_loss(loss)
            run._after_epoch(report, interrupted=False)
            if run.done:
                return k
        return None

    spike = TrainingRun(small_config(epochs=1000), small)
    assert feed(spike, [1.0, 0.9, 5e5, 0.8, 0.7]) is None  # 5e5 < 1e6 × start: no stop
    rising = TrainingRun(small_config(epochs=1000), small)
    losses = [1.0] + [150.0 * 1.1**k for k in range(30)]
    stopped_at = feed(rising, losses)
    assert stopped_at == 21 and rising.stop_reason.kind == "diverged"
    assert "20 epochs in a row" in rising.stop_reason.detail


# ---- using the result ---------------------------------------------------------------------


def test_predict_and_state(small):
    run = TrainingRun(small_config(epochs=2), small)
    run.run_chunk(2)
    X = small.X[:5]
    expected = run.normaliser.inverse_y(run.network.predict(run.normaliser.transform_x(X)))
    np.testing.assert_allclose(run.predict(X), expected)
    state = run.state()
    assert state.epoch == 2 and state.done and state.report is run.history[-1]
    assert state.network is not run.network
    np.testing.assert_array_equal(state.network.weights[0], run.network.weights[0])


def test_evaluating_and_predicting_go_through_the_data_a_chunk_at_a_time(small, monkeypatch):
    import nncore.network as network_module

    train, val = small.split(0.3, seed=2)
    config = small_config(epochs=3)
    plain = TrainingRun(config, train, val)
    plain_reports = plain.run_chunk(3)
    expected = {split: plain.evaluate(split) for split in ("train", "val")}
    expected_pred = plain.predict(small.X)

    # The same run with chunks of 16 rows: the same numbers (to rounding), and no forward
    # pass, in training or evaluation, over more rows than a batch or a chunk.
    monkeypatch.setattr(network_module, "EVAL_CHUNK_ROWS", 16)
    rows_seen = []
    forward = Network.forward

    def spy(self, X, workspace=False):
        rows_seen.append(np.shape(X)[0])
        return forward(self, X, workspace)

    monkeypatch.setattr(Network, "forward", spy)
    chunked = TrainingRun(config, train, val)
    reports = chunked.run_chunk(3)
    assert len(rows_seen) > 3 and max(rows_seen) <= max(16, config.batch_size)
    for a, b in zip(reports, plain_reports):
        assert a.train_mse == b.train_mse  # the training pass is untouched
        assert a.val_mse == pytest.approx(b.val_mse, rel=1e-12)
    rows_seen.clear()
    for split in ("train", "val"):
        got = chunked.evaluate(split)
        assert got["mse"] == pytest.approx(expected[split]["mse"], rel=1e-12)
        assert got["r2"] == pytest.approx(expected[split]["r2"], rel=1e-12)
    assert rows_seen and max(rows_seen) <= 16
    np.testing.assert_allclose(chunked.predict(small.X), expected_pred, rtol=1e-12)


def test_given_normaliser_and_history_are_used(small):
    identity = Normaliser.identity(2, 1)
    run = TrainingRun(small_config(epochs=4), small, normaliser=identity)
    np.testing.assert_array_equal(run._X, small.X)
    run.run_chunk(2)
    more = TrainingRun(
        small_config(epochs=4),
        small,
        network=run.network,
        normaliser=identity,
        history=[r.to_dict() for r in run.history],
    )
    assert more.epoch == 2
    reports = more.run_chunk(10)
    assert [r.epoch for r in reports] == [3, 4] and more.stop_reason.kind == "epochs"
    full = TrainingRun(small_config(epochs=2), small, history=more.history)
    assert full.run_chunk(5) == [] and full.stop_reason.kind == "epochs"


def test_dead_fraction_reports_only_hidden_relu_layers_as_the_network_does(small):
    # Leaky ReLU never has a zero slope: whatever its sums, nothing in it is dead.
    config = recipe("article", sizes=(2, 8, 8, 1), epochs=2, activation="leaky_relu")
    run = TrainingRun(config, small)
    net = run.network
    net.set_biases(0, np.full(8, -50.0))  # every sum of the first layer is far below zero
    X = run.normaliser.transform_x(small.X)
    expected = net.dead_fraction(net.forward(X))
    report = run.run_chunk(1)[0]
    assert report.dead_fraction == expected == [0.0, 0.0, 0.0]
    # The same network with ReLU: the first layer is entirely dead, the output never counts.
    relu = TrainingRun(recipe("article", sizes=(2, 8, 8, 1), epochs=2), small)
    relu.network.set_biases(0, np.full(8, -50.0))
    relu.network.set_biases(2, [-50.0])  # the output's sums are all negative too
    expected = relu.network.dead_fraction(relu.network.forward(X))
    report = relu.run_chunk(1)[0]
    assert report.dead_fraction == pytest.approx(expected)
    assert expected[0] == 1.0 and expected[2] == 0.0


@pytest.mark.parametrize("seed", [99, 1, 2, 3])
def test_the_modern_recipe_fits_the_articles_grid_and_a_thousand_random_points(seed, article_grid):
    # The figures in the recipe's comment: R² >= 0.999 on the grid within 47 epochs, and
    # 1,000 random points reach R² >= 0.99 within the recipe's 80 epochs (after 43-53).
    run = TrainingRun(recipe("modern", target_r2=0.999, seed=seed), article_grid)
    assert run.run().kind == "target" and run.evaluate("train")["r2"] >= 0.999
    assert run.epoch <= 47
    points = sample_uniform(FUNCTIONS["article"], 1000, seed=0)
    small_run = TrainingRun(recipe("modern", target_r2=0.99, seed=seed), points)
    assert small_run.run().kind == "target" and small_run.evaluate("train")["r2"] >= 0.99
    assert small_run.epoch <= 55 < RECIPES["modern"].epochs


def test_the_first_modern_setting_stays_available_by_name():
    from nncore.training import MODERN_2025

    old = recipe("modern", **MODERN_2025)
    assert (old.batch_size, old.lr, old.dtype, old.epochs, old.warmup) == (
        64,
        0.004,
        "float64",
        100,
        3,
    )
    assert (old.init, old.optimizer, old.schedule) == ("he", "adam", "cosine")


def test_small_mini_batches_train_on_one_blas_thread_and_restore_the_setting(small):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    controller = threadpoolctl.ThreadpoolController()
    if not controller.select(user_api="blas").lib_controllers:
        pytest.skip("no BLAS library that threadpoolctl can steer")

    def blas_threads():
        return [lib["num_threads"] for lib in controller.info() if lib["user_api"] == "blas"]

    with controller.limit(limits=2, user_api="blas"):
        outside = blas_threads()
        for batch_size, expected in ((32, [1] * len(outside)), (None, outside)):
            run = TrainingRun(small_config(batch_size=batch_size, epochs=2), small)
            seen, real_step = [], run._optimizer.step

            def step(*args, _real=real_step, _seen=seen):
                _seen.append(blas_threads())
                return _real(*args)

            run._optimizer.step = step
            run.run_chunk(1)
            assert seen and all(s == expected for s in seen), batch_size
            assert blas_threads() == outside  # put back after the epoch


def test_epoch_report_names_its_loss_and_keeps_the_file_keys():
    """train_loss / val_loss for both tasks; train_mse / val_mse only for a regression;
    the dict (a weight file's history) keeps the keys "train_mse" / "val_mse"."""
    reg = EpochReport(3, 0.5, 0.25, 0.9, 0.8, 0.1, 1.0)
    assert (reg.train_loss, reg.val_loss, reg.train_mse, reg.val_mse) == (0.5, 0.25, 0.5, 0.25)
    assert reg.loss_name == "mse" and "loss_name" not in reg.to_dict()
    assert reg.to_dict()["train_mse"] == 0.5 and "train_loss" not in reg.to_dict()
    assert EpochReport.from_dict(reg.to_dict()) == reg
    assert (
        EpochReport(
            epoch=3, train_mse=0.5, val_mse=0.25, train_r2=0.9, val_r2=0.8, lr=0.1, elapsed=1.0
        )
        == reg
    )
    ce = EpochReport(
        3, 0.7, None, 0.1, None, 0.1, 1.0, train_accuracy=0.6, loss_name="cross_entropy"
    )
    assert ce.train_mse is None and ce.val_mse is None and ce.train_loss == 0.7
    assert ce.to_dict()["loss_name"] == "cross_entropy"
    assert EpochReport.from_dict(ce.to_dict()) == ce
    old = {k: v for k, v in ce.to_dict().items() if k != "loss_name"}  # before loss_name
    assert EpochReport.from_dict(old).loss_name == "cross_entropy"
    with pytest.raises(SettingsError):
        EpochReport(1, train_mse=0.5, loss_name="cross_entropy")
