"""The task and the contenders of `benchmarks.engine`: the article's problem, its cost, and
the training loops that race on it, each set up from the same start.

The epoch contenders are `Trainer`s: `epoch()` runs one full-batch step of gradient descent
and returns the MSE before the update; `parameters()` reads the weights in nncore's shapes,
so tests can check that all of them compute the same arithmetic. The modern contenders time
a whole training run each (`modern_job`). All use nncore's public API only
(`Network.forward`/`backward`, `TrainingRun`, `recipe`, `nncore.data`), never its fast
internals, so the benchmark measures what a user gets.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nncore.data import Dataset, Normaliser, get_function, grid, sample_uniform
from nncore.training import TrainConfig, recipe

from . import harness

SIZES = (2, 64, 64, 64, 1)
LEARNING_RATE = 0.001
TARGET_R2 = 0.999
RANDOM_POINTS, RANDOM_TARGET_R2 = 1000, 0.99
# Version 0.1's modern recipe, kept here by its settings so the row stays comparable however
# RECIPES["modern"] changes.
MODERN_0_1 = dict(
    batch_size=64,
    lr=0.004,
    warmup=3,
    epochs=100,
    dtype="float64",
    init="he",
    optimizer="adam",
    schedule="cosine",
)


# ---- the task and its cost ------------------------------------------------------------------
def task_data(samples: int) -> Dataset:
    """The points in original units: the article's grid when `samples` is a square number
    (`nncore.data.grid`), else uniform random points (`sample_uniform`, seed 0)."""
    side = math.isqrt(samples)
    if side * side == samples:
        return grid(get_function("article"), side)
    return sample_uniform(get_function("article"), samples, seed=0)


def normalised(data: Dataset, dtype: str = "float64") -> tuple[np.ndarray, np.ndarray]:
    """Inputs (m, 2) and targets (m, 1) z-scored as the article and `TrainingRun` do."""
    scale = Normaliser.fit(data.X, data.y)
    X = np.ascontiguousarray(scale.transform_x(data.X), dtype=dtype)  # (m, 2)
    y = np.ascontiguousarray(scale.transform_y(data.y), dtype=dtype)  # (m, 1)
    return X, y


def matmul_flops(sizes, samples: int) -> dict[str, int]:
    """Exact floating-point operations of an epoch's matrix products (a multiply-add = 2).

    forward: A_i @ W_i for every layer; weight gradients: A_i.T @ dZ_i for every layer;
    errors: dZ_i @ W_i.T for every layer but the first (nothing flows into the inputs).
    Mini-batches change nothing: the batches of an epoch add up to the same products.
    """
    pairs = [2 * samples * n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    forward = sum(pairs)
    weight_grads = sum(pairs)
    errors = sum(pairs[1:])
    return {
        "forward": forward,
        "weight_grads": weight_grads,
        "errors": errors,
        "total": forward + weight_grads + errors,
    }


def modern_config(name: str, **settings: Any) -> TrainConfig:
    """The configuration of a modern contender: version 0.1's, or `RECIPES["modern"]` now."""
    if name == "modern-0.1":
        return recipe("modern", **MODERN_0_1, **settings)
    return recipe("modern", **settings)


def describe(config: TrainConfig) -> str:
    """'He, Adam lr 0.004, batch 64, cosine warm-up 3, 100 epochs, float64'."""
    init = {"he": "He", "xavier": "Xavier", "article": "uniform(−1, 1)"}.get(
        config.init, config.init
    )
    optimizer = {"adam": "Adam", "gd": "gradient descent"}.get(config.optimizer, config.optimizer)
    batch = "full batch" if config.batch_size is None else f"batch {config.batch_size}"
    schedule = config.schedule + (f" warm-up {config.warmup}" if config.warmup else "")
    return (
        f"{init}, {optimizer} lr {config.lr:g}, {batch}, {schedule}, {config.epochs} epochs, "
        f"{config.dtype}"
    )


# ---- the contenders: one epoch each, the same start, the same arithmetic --------------------
@dataclass
class Trainer:
    """One contender's training step and a way to read its parameters.

    `epoch()` does one full-batch step and returns the MSE of the predictions made before the
    update (what the article prints); `parameters()` gives [W0, b0, W1, b1, ...] as float64
    arrays in nncore's shapes, W (fan_in, fan_out) and b (1, fan_out), for comparing.
    """

    epoch: Callable[[], float]
    parameters: Callable[[], list[np.ndarray]]
    how: str


def public_api_trainer(X: np.ndarray, y: np.ndarray, dtype: str = "float64") -> Trainer:
    """The loop a notebook writes with nncore: forward, backward, a gradient step per layer."""
    from nncore.network import Network

    net = Network(SIZES, dtype=dtype)  # the article's initialisation, seed 99
    X = np.ascontiguousarray(X, dtype=dtype)  # (m, 2)
    y = np.ascontiguousarray(y, dtype=dtype).reshape(-1, 1)  # (m, 1)

    def epoch() -> float:
        rec = net.forward(X)
        loss = float(np.mean((rec.a[-1] - y) ** 2))
        grads = net.backward(rec, y)
        for W, b, dW, db in zip(net.weights, net.biases, grads.weights, grads.biases):
            W -= LEARNING_RATE * dW
            b -= LEARNING_RATE * db
        return loss

    def parameters() -> list[np.ndarray]:
        return [p.astype(np.float64) for p in net.parameters()]

    return Trainer(
        epoch, parameters, "net.forward(X), net.backward(rec, y), W -= lr*dW, b -= lr*db"
    )


def article_trainer(X: np.ndarray, y: np.ndarray) -> Trainer:
    """The article's code as transcribed in `nncore.reference` (float64, deliberately naive)."""
    from nncore.reference import ArticleNet

    net = ArticleNet(list(SIZES))
    X = np.array(X, dtype=np.float64)  # (m, 2)
    y_flat = np.array(y, dtype=np.float64).ravel()  # (m,): the article's targets are flat

    def parameters() -> list[np.ndarray]:
        return [p.copy() for pair in zip(net.weights, net.biases) for p in pair]

    return Trainer(
        lambda: float(net.epoch(X, y_flat, LEARNING_RATE)), parameters, "ArticleNet.epoch"
    )


def training_run_trainer(data: Dataset, dtype: str = "float64") -> Trainer:
    """The app's and the CLI's loop: `TrainingRun` with the article recipe, an epoch a call.

    It takes the points in original units and normalises them itself, as the app does.
    """
    from nncore.training import TrainingRun

    run = TrainingRun(recipe("article", dtype=dtype, epochs=10**9), data)

    def epoch() -> float:
        if not run.run_chunk(1):
            raise RuntimeError(f"the run stopped: {run.stop_reason}")
        return float(run.history[-1].train_mse)

    def parameters() -> list[np.ndarray]:
        return [p.astype(np.float64) for p in run.network.parameters()]

    return Trainer(
        epoch, parameters, "TrainingRun(recipe('article')).run_chunk(1), bookkeeping included"
    )


def torch_trainer(X: np.ndarray, y: np.ndarray, dtype: str, threads: int | None = None) -> Trainer:
    """PyTorch on the CPU: nn.Sequential, ½·MSE (the article's gradient), SGD, full batch."""
    import torch

    from nncore.network import Network

    if threads:
        torch.set_num_threads(threads)
    tdt = getattr(torch, dtype)
    start = Network(SIZES)  # the same initial weights as every other contender
    layers: list[torch.nn.Module] = []
    for k, (W, b) in enumerate(zip(start.weights, start.biases)):
        linear = torch.nn.Linear(W.shape[0], W.shape[1], dtype=tdt)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(W.T)))  # (out, in)
            linear.bias.copy_(torch.from_numpy(b.ravel().copy()))
        layers.append(linear)
        if k < len(start.weights) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    X_t = torch.from_numpy(np.ascontiguousarray(X, dtype=dtype))  # (m, 2)
    y_t = torch.from_numpy(np.ascontiguousarray(y, dtype=dtype).reshape(-1, 1))  # (m, 1)
    sgd = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    mse_loss = torch.nn.functional.mse_loss

    def epoch() -> float:
        sgd.zero_grad(set_to_none=True)
        loss = mse_loss(model(X_t), y_t)
        (0.5 * loss).backward()  # ½·MSE: the gradient the article's code uses
        sgd.step()
        return float(loss.item())

    def parameters() -> list[np.ndarray]:
        out = []
        for layer in model:
            if isinstance(layer, torch.nn.Linear):
                out.append(layer.weight.detach().numpy().T.astype(np.float64))
                out.append(layer.bias.detach().numpy().reshape(1, -1).astype(np.float64))
        return out

    how = f"torch {torch.__version__} (threads: {torch.get_num_threads()}), nn.Sequential + SGD"
    return Trainer(epoch, parameters, how)


def peak_step(dtype: str, size: int) -> tuple[Callable[[], float], str]:
    """One large square matrix product: the machine's matmul speed."""
    rs = np.random.RandomState(1)
    a = rs.uniform(-1, 1, (size, size)).astype(dtype)
    b = rs.uniform(-1, 1, (size, size)).astype(dtype)
    out = np.empty((size, size), dtype)

    def step() -> float:
        np.matmul(a, b, out=out)
        return 0.0

    return step, f"{size}×{size} @ {size}×{size}"


def modern_job(name: str, data: Dataset, budget: float) -> harness.Job:
    """A whole modern training run to R² ≥ 0.999 per step, from the same start every time."""
    from nncore.training import TrainingRun

    config = modern_config(name, target_r2=TARGET_R2, time_budget=budget)

    def one_run() -> dict[str, Any]:
        run = TrainingRun(config, data)
        reason = run.run()
        return {
            "epochs": run.epoch,
            "stop": reason.kind,
            "message": reason.message,
            "r2": float(run.evaluate("train")["r2"]),
        }

    # Not timed: do 1,000 random points still reach R² ≥ 0.99 within the recipe's epochs?
    points = sample_uniform(get_function("article"), RANDOM_POINTS, seed=0)
    check = TrainingRun(modern_config(name, target_r2=RANDOM_TARGET_R2, time_budget=budget), points)
    reason = check.run()
    facts = {
        "describe": describe(config),
        "sizes": list(config.sizes),
        "random": {
            "reached": reason.kind == "target",
            "epochs": check.epoch,
            "r2": float(check.evaluate("train")["r2"]),
            "message": reason.message,
        },
    }
    how = f"TrainingRun(recipe('modern', ...)).run() to R² >= {TARGET_R2}: {describe(config)}"
    return harness.Job(one_run, how, warmup=1, wake=False, facts=facts)
