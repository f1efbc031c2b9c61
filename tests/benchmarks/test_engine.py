"""The engine benchmark: its task and FLOP count, its contenders' arithmetic, and a smoke run.

Speed itself is never asserted here (the machine is shared and noisy); these tests check
that the benchmark measures the right thing and reports all of it.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks import engine, harness
from benchmarks import engine_contenders as contenders
from benchmarks.engine_contenders import (
    SIZES,
    article_trainer,
    describe,
    matmul_flops,
    modern_config,
    normalised,
    public_api_trainer,
    task_data,
    torch_trainer,
    training_run_trainer,
)


def article_function(x, y):
    return np.sin(x) + x * np.cos(y) + y + 3.0 ** (x / 3.0)


def train_side_by_side(contender, reference, epochs=5):
    """Run both for a few epochs; return their per-epoch losses and final parameters."""
    losses = [(contender.epoch(), reference.epoch()) for _ in range(epochs)]
    return losses, contender.parameters(), reference.parameters()


# ---- the task ---------------------------------------------------------------------------------
def test_matmul_flops_counted_by_hand():
    # [2, 3, 1] on 5 samples: forward 2·5·(2·3 + 3·1) = 90, weight gradients 90 again,
    # errors only into the hidden layer: 2·5·3·1 = 30.
    flops = matmul_flops((2, 3, 1), 5)
    assert flops == {"forward": 90, "weight_grads": 90, "errors": 30, "total": 210}
    # The article's network on its 10,000 samples: about 500 MFLOP per epoch.
    assert matmul_flops(SIZES, 10_000)["total"] == 500_480_000


def test_task_data_is_the_articles_grid_zscored():
    data = task_data(10_000)
    assert "100×100 grid" in data.source
    axis = np.linspace(-10, 10, 100)
    gx, gy = np.meshgrid(axis, axis)  # row-major: the first 100 samples walk along x at y = −10
    np.testing.assert_array_equal(data.X, np.column_stack((gx.ravel(), gy.ravel())))
    np.testing.assert_allclose(data.y.ravel(), article_function(gx.ravel(), gy.ravel()), rtol=1e-14)

    X, y = normalised(data)
    assert X.shape == (10_000, 2) and y.shape == (10_000, 1)
    raw = data.X
    np.testing.assert_allclose(X, (raw - raw.mean(axis=0)) / raw.std(axis=0), atol=1e-12)
    np.testing.assert_allclose([y.mean(), y.std()], [0, 1], atol=1e-12)


def test_other_sample_counts_are_seeded_random_points():
    data = task_data(50)
    assert data.X.shape == (50, 2) and "random" in data.source
    assert np.all(np.abs(data.X) <= 10)
    np.testing.assert_array_equal(task_data(50).X, data.X)


def test_modern_0_1_is_named_by_its_settings():
    config = modern_config("modern-0.1")
    assert (config.init, config.optimizer, config.lr, config.batch_size) == (
        "he",
        "adam",
        0.004,
        64,
    )
    assert (config.schedule, config.warmup, config.epochs, config.dtype) == (
        "cosine",
        3,
        100,
        "float64",
    )
    assert describe(config) == "He, Adam lr 0.004, batch 64, cosine warm-up 3, 100 epochs, float64"


# ---- the contenders compute the article's arithmetic ------------------------------------------
@pytest.mark.parametrize("samples", [64, 400, 1000])
def test_public_api_trains_exactly_like_the_article(samples):
    X, y = normalised(task_data(samples))
    losses, got, want = train_side_by_side(public_api_trainer(X, y), article_trainer(X, y))
    for mine, article in losses:
        assert mine == pytest.approx(article, rel=1e-12)
    for p, q in zip(got, want):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)
    assert len(got) == 2 * (len(SIZES) - 1)


@pytest.mark.parametrize("samples", [64, 400])
def test_training_run_trains_like_the_article(samples):
    data = task_data(samples)
    X, y = normalised(data)
    losses, got, want = train_side_by_side(training_run_trainer(data), article_trainer(X, y))
    for mine, article in losses:
        assert mine == pytest.approx(article, rel=1e-12)
    for p, q in zip(got, want):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)


def test_float32_training_run_stays_float32_and_close():
    data = task_data(64)
    X, y = normalised(data)
    run = training_run_trainer(data, "float32")
    losses, got, want = train_side_by_side(run, article_trainer(X, y))
    for mine, article in losses:
        assert mine == pytest.approx(article, rel=1e-5)
    for p, q in zip(got, want):
        np.testing.assert_allclose(p, q, rtol=0, atol=5e-6)
    assert "run_chunk" in run.how


@pytest.mark.parametrize("dtype, tolerance", [("float64", 1e-12), ("float32", 5e-6)])
def test_torch_contender_trains_like_the_article(dtype, tolerance):
    pytest.importorskip("torch")
    X, y = normalised(task_data(64))
    torch_run = torch_trainer(X, y, dtype)
    losses, got, want = train_side_by_side(torch_run, article_trainer(X, y))
    for mine, article in losses:
        assert mine == pytest.approx(article, rel=10 * tolerance)
    for p, q in zip(got, want):
        np.testing.assert_allclose(p, q, rtol=0, atol=tolerance)
    assert "SGD" in torch_run.how


def test_the_benchmark_uses_only_nncores_public_api():
    # The engine's fast internals move freely; the benchmark must measure what users get.
    for module in (engine, contenders, harness):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nncore"):
                assert not any(alias.name.startswith("_") for alias in node.names), node.module
            if isinstance(node, ast.keyword):
                assert node.arg != "workspace", module.__name__
            if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                assert node.attr.startswith("__"), f"{module.__name__}: .{node.attr}"


# ---- the harness --------------------------------------------------------------------------
def test_peak_memory_is_unknown_without_the_resource_module(monkeypatch):
    if sys.platform != "win32":
        assert harness.peak_rss_kb() > 0
    monkeypatch.setitem(sys.modules, "resource", None)  # `import resource` now fails
    assert harness.peak_rss_kb() is None


def test_a_worker_that_fails_says_why():
    failing = [sys.executable, "-c", "print('@@bench ' + '{\"error\": \"no such contender\"}')"]
    assert harness.Worker.start("x", failing, harness.thread_environment(None)) == (
        "no such contender"
    )
    crashing = [sys.executable, "-c", "import sys; sys.exit('boom: bad set-up')"]
    message = harness.Worker.start("x", crashing, harness.thread_environment(None))
    assert isinstance(message, str) and "boom: bad set-up" in message


def test_a_worker_that_dies_mid_run_is_dropped_and_named(monkeypatch):
    monkeypatch.setattr(harness, "SETTLE_SECONDS", 0.0)
    ready = '{"ready": true, "how": "prints ready, then dies"}'
    script = f"import sys; print('@@bench ' + {ready!r}, flush=True); sys.exit('died mid-run')"
    worker = harness.Worker.start("dying", [sys.executable, "-c", script], dict(os.environ))
    assert isinstance(worker, harness.Worker) and worker.how == "prints ready, then dies"
    workers, failed = {"dying": worker}, {}
    harness.alternate(workers, rounds=2, steps_per_turn=lambda name: 1, failed=failed)
    assert workers == {}
    assert "died mid-run" in failed["dying"]


def test_thread_option_reaches_every_blas_variable():
    env = harness.thread_environment(3)  # the suite itself runs with 1 thread
    assert all(env[name] == "3" for name in harness.THREAD_VARIABLES)


def test_bad_arguments_get_a_clear_message(capsys):
    with pytest.raises(SystemExit) as exc:
        engine.main(["--samples", "0"])
    assert exc.value.code == 2
    assert "--samples must be at least 4" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        engine.main(["--threads", "0"])


# ---- the whole run --------------------------------------------------------------------------
def test_quick_run_without_torch_prints_every_row_and_verdict(monkeypatch, capsys):
    monkeypatch.setattr(engine, "torch_available", lambda: False)  # as on CI
    argv = ["--quick", "--rounds", "1", "--epochs-per-round", "2", "--threads", "1"]
    assert engine.main(argv) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "PyTorch is not installed" in captured.err
    for text in (
        "command: python -m benchmarks.engine --quick --rounds 1",
        "CPUs, load average",
        "BLAS threads: 1 (--threads)",
        "measured matmul peak f64",
        "measured matmul peak f32",
        "= 20.0 MFLOP",
        *(engine.LABELS[name] for name in engine.EPOCH_CONTENDERS),
        "PyTorch CPU float32        skipped: PyTorch is not installed",
        "PyTorch CPU float64        skipped: PyTorch is not installed",
        *(label for label, *_ in engine.VERDICTS),
        "modern 0.1: 1,000 random points reach R² >= 0.99",
        'RECIPES["modern"]: 1,000 random points reach R² >= 0.99',
        "modern 0.1 = He, Adam lr 0.004, batch 64, cosine warm-up 3, 100 epochs, float64",
        'RECIPES["modern"] = ',
        "× floor",
        "fidelity: after 5 epochs the public API float64 MSE is ",  # identical, or within 1e-15
        "fidelity: after 5 epochs the TrainingRun float64 MSE",
        "benchmark wall time",
    ):
        assert text in out, text
    for line in out.splitlines():  # the float64 contenders compute the article's numbers
        if line.startswith("fidelity:") and "float64" in line and "identical" not in line:
            assert float(line.split("within ")[1].split()[0]) < 1e-12, line
    torch_verdicts = [line for line in out.splitlines() if "/ PyTorch" in line]
    assert len(torch_verdicts) == 2
    assert all("n/a" in line and "PyTorch is not installed" in line for line in torch_verdicts)
    # 400 grid points do not reach R² 0.999 in 100 epochs: the modern ratio cannot be formed.
    assert "NOT reached" in out
    assert "PASS" in out or "MISS" in out


def test_quick_run_with_torch_times_its_rows():
    pytest.importorskip("torch")
    cmd = [sys.executable, "-m", "benchmarks.engine", "--quick", "--no-modern"]
    cmd += ["--rounds", "1", "--epochs-per-round", "1", "--threads", "1"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=engine.ROOT)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for name in ("torch-f64", "torch-f32"):
        row = next(line for line in out.splitlines() if line.startswith(engine.LABELS[name]))
        assert "skipped" not in row and "(N=" in row
    assert "threads: 1" in out  # torch was told --threads 1
    assert "fidelity: after 4 epochs the PyTorch CPU float64 MSE" in out
    assert "modern recipe: skipped (--no-modern)" in out
