"""How fast does nncore train? The engine's speed targets, measured side by side in one run.

`python -m benchmarks.engine` (`--quick` for a smoke run of a few seconds, `--help` for the
rest). The task is the article's: the network [2, 64, 64, 64, 1] with ReLU learns
sin x + x·cos y + y + 3^(x/3) from its 100 × 100 grid (10,000 samples), inputs and targets
z-scored, full batch, plain gradient descent at lr 0.001. It answers three questions:

1. Is the **public API** a notebook uses (`rec = net.forward(X)`, `g = net.backward(rec, y)`,
   then `W -= lr·dW` and `b -= lr·db` for each layer) faster than the article's own code
   (`nncore.reference.ArticleNet`, float64)? Target: at least 1.3× faster.
2. Is **`TrainingRun`** with the article recipe (what the app and the CLI run; here one
   `run_chunk(1)` per epoch, its bookkeeping included) no slower than PyTorch on the CPU
   (`nn.Sequential`, ½·MSE, `torch.optim.SGD`, full batch, the same start) in float32 and in
   float64, and at least 2× faster than the article's code?
3. How long does the **modern recipe** take to reach R² ≥ 0.999 on the grid, today's
   `RECIPES["modern"]` against the configuration of version 0.1 (target: at most half the
   time), how much matrix work does it spend compared with the ~22 GFLOP floor, and do 1,000
   random points (`nncore.data.sample_uniform`, seed 0) still reach R² ≥ 0.99 within the
   recipe's epochs?

Every contender runs in its own process and they take turns, round after round (see
`benchmarks.harness`); the verdicts compare medians, the first quartiles beside them show
what a quieter machine would give. The contenders use only nncore's public API.

The useful work of an epoch is its matrix products: for layer sizes n0 … nL and m samples,
the forward pass costs Σ 2·m·n_i·n_(i+1) floating-point operations, the weight gradients the
same again, and carrying the error back to the layers below Σ_(i≥1) 2·m·n_i·n_(i+1): about
500 MFLOP per epoch here. Dividing by the time gives GFLOP/s, shown beside the machine's
measured matmul peak: the gap is what the elementwise work and the Python overhead cost.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from . import harness
from .engine_contenders import (
    LEARNING_RATE,
    RANDOM_POINTS,
    RANDOM_TARGET_R2,
    SIZES,
    TARGET_R2,
    article_trainer,
    matmul_flops,
    modern_job,
    normalised,
    peak_step,
    public_api_trainer,
    task_data,
    torch_trainer,
    training_run_trainer,
)

FLOOR_GFLOP = 22.0  # the matrix work of ~44 full passes over the grid: the house issue's floor
ROOT = Path(__file__).resolve().parent.parent  # the checkout holding nncore and benchmarks

FULL_DEFAULTS = {
    "samples": 10_000,
    "rounds": 12,
    "epochs_per_round": 8,
    "peak_size": 1536,
    "modern_budget": 120.0,
    "modern_runs": 3,
}
QUICK_DEFAULTS = {
    "samples": 400,
    "rounds": 2,
    "epochs_per_round": 3,
    "peak_size": 128,
    "modern_budget": 10.0,
    "modern_runs": 1,
}

PEAK_CONTENDERS = ("peak-f64", "peak-f32")
EPOCH_CONTENDERS = ("api-f64", "article", "run-f64", "run-f32", "torch-f64", "torch-f32")
MODERN_CONTENDERS = ("modern-0.1", "modern")
TORCH_CONTENDERS = ("torch-f64", "torch-f32")
# The house issue's targets: (what, numerator, denominator, comparison, target), where the
# ratio is of the two contenders' median times.
VERDICTS = (
    ("public API: article / public API f64", "article", "api-f64", ">=", 1.3),
    ("TrainingRun f32 / PyTorch f32", "run-f32", "torch-f32", "<=", 1.0),
    ("TrainingRun f64 / PyTorch f64", "run-f64", "torch-f64", "<=", 1.0),
    ("TrainingRun: article / TrainingRun f64", "article", "run-f64", ">=", 2.0),
    ("modern: RECIPES['modern'] / modern 0.1, s to R²", "modern", "modern-0.1", "<=", 0.5),
)
LABELS = {
    "api-f64": "public API float64",
    "article": "article's code (float64)",
    "run-f64": "TrainingRun float64",
    "run-f32": "TrainingRun float32",
    "torch-f64": "PyTorch CPU float64",
    "torch-f32": "PyTorch CPU float32",
    "peak-f64": "np.matmul peak float64",
    "peak-f32": "np.matmul peak float32",
    "modern-0.1": "modern 0.1",
    "modern": 'RECIPES["modern"]',
}


def make_job(name: str, args: argparse.Namespace) -> harness.Job:
    """Build the named contender inside its worker process."""
    dtype = "float32" if name.endswith("f32") else "float64"
    data = task_data(args.samples)
    if name in PEAK_CONTENDERS:
        step, how = peak_step(dtype, args.peak_size)
        job = harness.Job(step, how)
    elif name in MODERN_CONTENDERS:
        job = modern_job(name, data, args.modern_budget)
    else:
        X, y = normalised(data)
        if name == "api-f64":
            trainer = public_api_trainer(X, y)
        elif name == "article":
            trainer = article_trainer(X, y)
        elif name in ("run-f64", "run-f32"):
            trainer = training_run_trainer(data, dtype)
        elif name in TORCH_CONTENDERS:
            trainer = torch_trainer(X, y, dtype, args.threads)
        else:
            raise ValueError(f"unknown contender {name!r}")
        job = harness.Job(trainer.epoch, trainer.how)
    job.facts["blas"] = harness.blas_threads()  # the pools its libraries have loaded by now
    return job


# ---- the report -----------------------------------------------------------------------------
def _median_q1(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), float(np.percentile(times, 25))


def _mb(kb: int | None) -> str:
    return "?" if kb is None else f"{kb / 1024:.0f}"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _machine_lines(args: argparse.Namespace, workers: dict[str, harness.Worker]) -> list[str]:
    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        load = "load average unknown"
    lines = [
        f"machine: {os.cpu_count()} CPUs, {load} (at the end); python {sys.version.split()[0]}, "
        f"numpy {np.__version__}",
        "BLAS threads: "
        + (f"{args.threads} (--threads)" if args.threads else "the libraries' default"),
    ]
    pools: dict[str, list[str]] = {}
    for name, w in workers.items():
        pools.setdefault(w.facts.get("blas", "?"), []).append(name)
    for pool, names in pools.items():
        lines.append(f"  {pool}  [{', '.join(names)}]")
    return lines


def _epoch_table(args, workers, skipped, peaks) -> list[str]:
    flops = matmul_flops(SIZES, args.samples)["total"]
    header = (
        f"{'contender':<26} {'ms/epoch':>8} {'q1':>7} {'min':>7} {'rounds':>15} {'GFLOP/s':>8} "
        f"{'of peak':>7} {'RSS MB':>6}  MSE after N epochs"
    )
    lines = [header, "-" * len(header)]
    for name in EPOCH_CONTENDERS:
        w = workers.get(name)
        if w is None or not w.times:
            lines.append(f"{LABELS[name]:<26} skipped: {skipped.get(name, 'not run')}")
            continue
        med, q1 = _median_q1(w.times)
        gflops = flops / med / 1e9
        peak = peaks.get("f32" if name.endswith("f32") else "f64")
        of_peak = f"{100 * gflops / peak:.0f}%" if peak else "?"
        spread = f"{min(w.round_medians) * 1e3:.2f}–{max(w.round_medians) * 1e3:.2f}"
        lines.append(
            f"{LABELS[name]:<26} {med * 1e3:8.2f} {q1 * 1e3:7.2f} {min(w.times) * 1e3:7.2f} "
            f"{spread:>15} {gflops:8.1f} {of_peak:>7} {_mb(w.peak_kb):>6}  "
            f"{w.value:.10g} (N={w.steps})"
        )
    lines.append(
        "ms/epoch: median; q1: first quartile; rounds: lowest–highest per-round median; "
        "RSS MB: peak resident memory of the contender's process; each turn starts with one "
        "untimed epoch, N counts every epoch run"
    )
    lines += [f"  {LABELS[n]}: {workers[n].how}" for n in EPOCH_CONTENDERS if n in workers]
    return lines


def _ratio_line(label, top, bottom, op, target, times, skipped) -> str:
    """One verdict: time(top) / time(bottom) against `target`; the q1 ratio in brackets."""
    missing = [n for n in (top, bottom) if n not in times]
    if missing:
        why = "; ".join(f"{LABELS[n]}: {skipped.get(n, 'not run')}" for n in missing)
        return f"  {label:<50}    n/a          target {op} {target:<4g}  ({why})"
    (top_med, top_q1), (bottom_med, bottom_q1) = times[top], times[bottom]
    ratio, quiet = top_med / bottom_med, top_q1 / bottom_q1
    ok = ratio <= target if op == "<=" else ratio >= target
    return f"  {label:<50} {ratio:6.2f}  ({quiet:4.2f})   target {op} {target:<4g}  {_verdict(ok)}"


def _modern_lines(args, workers, skipped) -> tuple[list[str], dict[str, tuple[float, float]]]:
    header = (
        f"{'configuration':<18} {'s to R²':>8} {'q1':>6} {'epochs':>6} {'R²':>8} {'GFLOP':>7} "
        f"{'× floor':>7} {'GFLOP/s':>7} {'RSS MB':>6}  runs (s); stop"
    )
    lines = [f"modern recipe: time to R² >= {TARGET_R2} on the training data", header]
    lines.append("-" * len(header))
    times = {}
    for name in MODERN_CONTENDERS:
        w = workers.get(name)
        if w is None or not w.times:
            lines.append(f"{LABELS[name]:<18} skipped: {skipped.get(name, 'not run')}")
            continue
        med, q1 = _median_q1(w.times)
        run = w.value
        if run["stop"] == "target":
            times[name] = (med, q1)
        gflop = run["epochs"] * matmul_flops(w.facts["sizes"], args.samples)["total"] / 1e9
        floor = f"{gflop / FLOOR_GFLOP:.2f}" if args.samples == 10_000 else "-"
        stop = "target reached" if run["stop"] == "target" else f"NOT reached: {run['message']}"
        runs = ", ".join(f"{t:.2f}" for t in w.times)
        lines.append(
            f"{LABELS[name]:<18} {med:8.2f} {q1:6.2f} {run['epochs']:6d} {run['r2']:8.5f} "
            f"{gflop:7.1f} {floor:>7} {gflop / med:7.1f} {_mb(w.peak_kb):>6}  {runs}; {stop}"
        )
    lines.append(
        f"GFLOP: matrix products of the epochs run (the confirming full passes not counted); "
        f"× floor: against ~{FLOOR_GFLOP:g} GFLOP (100×100 grid only); GFLOP/s: GFLOP / median s"
    )
    for name in MODERN_CONTENDERS:
        if name in workers:
            lines.append(f"  {LABELS[name]} = {workers[name].facts['describe']}")
    return lines, times


def report(
    args: argparse.Namespace,
    source: str,
    workers: dict[str, harness.Worker],
    skipped: dict[str, str],
    total_seconds: float,
) -> str:
    flops = matmul_flops(SIZES, args.samples)
    arch = "[" + ", ".join(str(s) for s in SIZES) + "]"
    given = sys.argv[1:] if args.command_line is None else args.command_line
    lines = [
        f"nncore engine benchmark: {arch} ReLU, {args.samples:,} samples ({source}, "
        f"z-scored), full batch, gradient descent lr {LEARNING_RATE}",
        "command: python -m benchmarks.engine" + "".join(f" {a}" for a in given),
        *_machine_lines(args, workers),
        f"each contender in its own process; {args.rounds} rounds × {args.epochs_per_round} "
        f"epochs, contenders alternating; figures are medians over all timed epochs",
        f"matrix-product work per epoch: forward {flops['forward'] / 1e6:.1f} M + weight "
        f"gradients {flops['weight_grads'] / 1e6:.1f} M + errors {flops['errors'] / 1e6:.1f} M "
        f"= {flops['total'] / 1e6:.1f} MFLOP",
        "",
    ]
    peaks = {}
    for name in PEAK_CONTENDERS:
        w = workers.get(name)
        if w is not None and w.times:
            dt = name[-3:]
            peaks[dt] = 2 * args.peak_size**3 / statistics.median(w.times) / 1e9
            lines.append(
                f"measured matmul peak {dt}: {peaks[dt]:7.1f} GFLOP/s "
                f"({args.peak_size}×{args.peak_size} np.matmul, median)"
            )
    lines += ["", *_epoch_table(args, workers, skipped, peaks), ""]

    times = {n: _median_q1(w.times) for n, w in workers.items() if n in EPOCH_CONTENDERS}
    modern_times: dict[str, tuple[float, float]] = {}
    if args.no_modern:
        modern_lines = ["modern recipe: skipped (--no-modern)"]
        for name in MODERN_CONTENDERS:
            skipped.setdefault(name, "--no-modern")
    else:
        modern_lines, modern_times = _modern_lines(args, workers, skipped)
        for name in MODERN_CONTENDERS:
            if name in workers and name not in modern_times:
                skipped.setdefault(name, f"did not reach R² >= {TARGET_R2}")
    times.update(modern_times)

    lines.append("verdicts (time ratios of the medians; first quartiles in brackets):")
    lines += [_ratio_line(*verdict, times, skipped) for verdict in VERDICTS]
    for name in MODERN_CONTENDERS:
        what = f"{LABELS[name]}: {RANDOM_POINTS:,} random points reach R² >= {RANDOM_TARGET_R2}"
        if name in workers:
            rnd = workers[name].facts["random"]
            answer = "yes" if rnd["reached"] else "no"
            got = f"{answer}: R² {rnd['r2']:.4f} after {rnd['epochs']} epochs"
            lines.append(f"  {what:<56} {got}   {_verdict(rnd['reached'])}")
        else:
            lines.append(f"  {what:<56} n/a   ({skipped.get(name, 'not run')})")
    lines += ["", *_fidelity_lines(workers), ""]
    lines += modern_lines
    lines.append(f"benchmark wall time {total_seconds:.1f} s")
    return "\n".join(lines)


def _fidelity_lines(workers: dict[str, harness.Worker]) -> list[str]:
    """Does every contender compute the article's numbers? Compare the last MSE they report."""
    lines = []
    ref = workers.get("article")
    if ref is None or not ref.times:
        return ["fidelity: the article's code was not run"]
    for name in ("api-f64", "run-f64", "torch-f64", "run-f32", "torch-f32"):
        w = workers.get(name)
        if w is None or not w.times or w.steps != ref.steps:
            continue
        if w.value == ref.value:
            how = "identical to"
        else:
            how = f"within {abs(w.value - ref.value) / abs(ref.value):.1e} (relative) of"
        lines.append(
            f"fidelity: after {w.steps} epochs the {LABELS[name]} MSE is {how} the article's"
        )
    return lines


# ---- running it -------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.engine",
        description="Time nncore's training against the article's code and PyTorch, side by "
        "side, and the modern recipe's time to R² >= 0.999.",
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=None,
        help="number of samples; a square number is the article's grid (default 10000 = 100×100)",
    )
    parser.add_argument("--rounds", type=int, default=None, help="rounds of alternation (12)")
    parser.add_argument(
        "--epochs-per-round", type=int, default=None, help="timed epochs per turn (8)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run of a few seconds: 400 samples, 2 rounds × 3 epochs, one modern run",
    )
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument("--no-modern", action="store_true", help="leave out the modern recipe")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="BLAS/OpenMP threads in every worker (OPENBLAS/OMP/MKL_NUM_THREADS and torch's); "
        "default: the libraries' own choice",
    )
    parser.add_argument(
        "--peak-size", type=int, default=None, help="matrix size for the matmul peak (1536)"
    )
    parser.add_argument(
        "--modern-budget",
        type=float,
        default=None,
        help="seconds one modern training run may take at most (120)",
    )
    parser.add_argument(
        "--modern-runs", type=int, default=None, help="timed runs of each modern recipe (3)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.command_line = None if argv is None else list(argv)
    defaults = QUICK_DEFAULTS if args.quick else FULL_DEFAULTS
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    for name in ("rounds", "epochs_per_round", "peak_size", "modern_runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.samples < 4:
        parser.error("--samples must be at least 4 (the smallest grid is 2×2)")
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be at least 1")
    if args.modern_budget <= 0:
        parser.error("--modern-budget must be positive")
    return args


def torch_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):
        return False


def _worker_command(args: argparse.Namespace, name: str) -> list[str]:
    cmd = [sys.executable, "-m", "benchmarks.engine", "--worker", name]
    cmd += ["--samples", str(args.samples), "--peak-size", str(args.peak_size)]
    cmd += ["--modern-budget", str(args.modern_budget)]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    return cmd


def _start_all(args, names, env, skipped) -> dict[str, harness.Worker]:
    workers = {}
    for name in names:
        started = harness.Worker.start(name, _worker_command(args, name), env)
        if isinstance(started, str):
            skipped[name] = started.strip().splitlines()[-1][:200] if started else "failed"
            print(f"{LABELS[name]}: could not start: {started}", file=sys.stderr)
        else:
            workers[name] = started
    return workers


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return harness.serve(lambda: make_job(args.worker, args))

    started = time.perf_counter()
    source = task_data(args.samples).source
    skipped: dict[str, str] = {}
    names = list(PEAK_CONTENDERS) + [n for n in EPOCH_CONTENDERS if n not in TORCH_CONTENDERS]
    if args.no_torch:
        skipped.update(dict.fromkeys(TORCH_CONTENDERS, "--no-torch"))
    elif not torch_available():
        skipped.update(dict.fromkeys(TORCH_CONTENDERS, "PyTorch is not installed"))
        print("PyTorch is not installed: its rows are skipped", file=sys.stderr)
    else:
        names += list(TORCH_CONTENDERS)
    env = harness.thread_environment(args.threads)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)

    every: dict[str, harness.Worker] = {}
    epochs = _start_all(args, names, env, skipped)
    try:
        quarter = max(3, args.epochs_per_round // 4)  # the peak's products are much longer
        harness.alternate(
            epochs,
            args.rounds,
            lambda n: quarter if n in PEAK_CONTENDERS else args.epochs_per_round,
            skipped,
        )
    finally:
        for w in epochs.values():
            w.close()
    every.update(epochs)
    if not args.no_modern:
        modern = _start_all(args, MODERN_CONTENDERS, env, skipped)
        try:
            harness.alternate(modern, args.modern_runs, lambda n: 1, skipped, "modern round")
        finally:
            for w in modern.values():
                w.close()
        every.update(modern)
    print(report(args, source, every, skipped, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
