"""The benchmark script: its arithmetic (FLOP count, data), its contenders and a smoke run.

Speed itself is never asserted here (the machine is shared and noisy); these tests check
that the benchmark measures the right thing and reports it.
"""

import json
import subprocess
import sys

import numpy as np
import pytest

from nncore import bench


def test_matmul_flops_counted_by_hand():
    # [2, 3, 1] on 5 samples: forward 2·5·(2·3 + 3·1) = 90, weight gradients 90 again,
    # errors only into the hidden layer: 2·5·3·1 = 30.
    flops = bench.matmul_flops((2, 3, 1), 5)
    assert flops == {"forward": 90, "weight_grads": 90, "errors": 30, "total": 210}
    # The article's network on its 10,000 samples: about 500 MFLOP per epoch.
    assert bench.matmul_flops(bench.SIZES, 10_000)["total"] == 500_480_000


def test_article_data_is_the_zscored_grid():
    X, y, source = bench.article_data(10_000)
    assert X.shape == (10_000, 2) and y.shape == (10_000,)
    assert "100×100 grid" in source
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1, rtol=1e-12)
    np.testing.assert_allclose([y.mean(), y.std()], [0, 1], atol=1e-12)
    # Row-major meshgrid: the first 100 samples walk along x at y = −10.
    raw = np.linspace(-10, 10, 100)
    np.testing.assert_allclose(X[:100, 0] * raw.std() + raw.mean(), raw, atol=1e-12)
    assert np.all(X[:100, 1] == X[0, 1])
    z = bench.article_function(np.array([0.0, 3.0]), np.array([0.0, np.pi]))
    np.testing.assert_allclose(z, [1.0, np.sin(3) - 3 + np.pi + 3.0], rtol=1e-12)


def test_non_square_sample_counts_are_uniform_draws():
    X, _y, source = bench.article_data(50)
    assert X.shape == (50, 2) and "uniform" in source
    X2, _, _ = bench.article_data(50)
    assert np.array_equal(X, X2)


@pytest.mark.parametrize("samples", [64, 1024, 1000])
def test_nncore_and_article_contenders_train_identically(samples):
    # 1024 and 1000 samples take the workspace's large-batch paths (tiled bias runs, einsum
    # bias gradient, a ragged last run); 64 the small-batch ones. All must match bit for bit.
    X, y, _ = bench.article_data(samples)
    nn_epoch, _how = bench._nncore_epoch("float64", X, y)
    ref_epoch, _ = bench._article_epoch(X, y)
    for _ in range(5):
        assert nn_epoch() == ref_epoch()


def test_float32_contender_stays_float32():
    X, y, _ = bench.article_data(64)
    epoch, _ = bench._nncore_epoch("float32", X, y)
    ref_epoch, _ = bench._article_epoch(X, y)
    for _ in range(3):
        got, want = epoch(), ref_epoch()
        assert abs(got - want) <= 1e-5 * want
    assert isinstance(got, float)


def test_torch_contender_matches_the_article_gradient():
    pytest.importorskip("torch")
    X, y, _ = bench.article_data(64)
    torch_epoch, how = bench._torch_epoch("float64", X, y, threads=None)
    ref_epoch, _ = bench._article_epoch(X, y)
    for _ in range(5):
        got, want = torch_epoch(), ref_epoch()
        assert abs(got - want) <= 1e-10 * want  # same weights, ½-MSE gradient, plain SGD
    assert "SGD" in how


def test_raw_points_are_the_same_points_in_original_units():
    X, _y, _ = bench.article_data(400)
    raw_x, raw_y = bench.raw_article_points(400)
    assert raw_x.shape == (400, 2) and raw_y.shape == (400, 1)
    np.testing.assert_allclose((raw_x - raw_x.mean(axis=0)) / raw_x.std(axis=0), X, atol=1e-12)
    np.testing.assert_allclose(raw_y.ravel(), bench.article_function(raw_x[:, 0], raw_x[:, 1]))


def test_bad_arguments_get_a_clear_message(capsys):
    with pytest.raises(SystemExit) as exc:
        bench.main(["--samples", "0"])
    assert exc.value.code == 2
    assert "--samples must be at least 1" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        bench.main(["--threads", "0"])


def test_quick_run_prints_the_table_and_the_ratios():
    cmd = [
        sys.executable,
        "-m",
        "nncore.bench",
        "--quick",
        "--no-torch",
        "--no-modern",
        "--rounds",
        "1",
        "--epochs-per-round",
        "2",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for text in (
        "nncore float64",
        "nncore float32",
        "article's code (float64)",
        "measured matmul peak f64",
        "20.0 MFLOP",
        "article / nncore f64",
        "PyTorch CPU float32",
        "skipped: --no-torch",
        "app loop (TrainingRun)",
        "modern recipe: skipped (--no-modern)",
    ):
        assert text in out, text
    assert "fidelity: after 5 epochs nncore float64 MSE is identical" in out
    assert "n/a" in out  # the torch ratios cannot be formed without torch
    assert "PASS" in out or "MISS" in out


def test_modern_worker_reports_its_run(capsys):
    pytest.importorskip("nncore.training")
    assert bench.modern_worker(samples=64, budget=5.0, runs=1) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith(bench.REPLY)
    reply = json.loads(line[len(bench.REPLY) :])
    assert reply["stop"] in ("target", "epochs", "time", "plateau", "diverged")
    assert reply["epochs"] >= 1 and len(reply["times"]) == 1
    assert reply["optimizer"] == "adam" and reply["max_kb"] > 0
