"""How fast does nncore train? A side-by-side benchmark of one full-batch training epoch.

`python -m nncore.bench` times one epoch (forward pass, backpropagation, parameter update)
of the article's network [2, 64, 64, 64, 1] on the article's task: the target function
sin x + x·cos y + y + 3^(x/3) sampled on its 100 × 100 grid (10,000 samples), inputs and
outputs z-scored as the article does. The contenders are

- nncore float64 and float32 (the training loop's fast path: `forward(X, workspace=True)`,
  `backward(rec, y, workspace=True)`, then a plain gradient-descent step),
- the article's code as transcribed in `nncore.reference.ArticleNet` (float64),
- PyTorch on the CPU in float32 and float64 when it is installed (same data, same initial
  weights, `nn.Sequential` + half the mean squared error + `torch.optim.SGD`),
- the app's own training loop, `nncore.training.TrainingRun` with the article recipe, to see
  what its per-epoch bookkeeping costs (when `nncore.training` exists),
- a large square NumPy matrix product, to know the machine's matmul peak (GFLOP/s),
- and, after the rounds, the "modern" training recipe run until R² ≥ 0.999, three times
  (when `nncore.training` exists).

Every contender runs in its own process (thread pools of NumPy and PyTorch in one process
disturb each other). The processes start once, then take turns: round after round each one
runs a few epochs while the others wait, so a burst of load on a shared machine hits all of
them alike. The verdicts compare medians; the first quartiles are shown beside them as what
a quieter machine would give.

The useful work of an epoch is its matrix products: for layer sizes n0 … nL and m samples,
the forward pass costs Σ 2·m·n_i·n_(i+1) floating-point operations, the weight gradients the
same again, and carrying the error back to the layers below Σ_(i≥1) 2·m·n_i·n_(i+1); about
500 MFLOP per epoch here. Dividing by the epoch time gives GFLOP/s, which the report puts
beside the measured matmul peak: the gap is what the elementwise work (biases, ReLU, masks,
sums, updates) and the Python overhead cost.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import numpy as np

SIZES = (2, 64, 64, 64, 1)
LEARNING_RATE = 0.001
WARMUP_EPOCHS = 2
# BLAS and OpenMP worker threads keep spinning for a while after their last task (OpenBLAS
# ~0.1 s): the next contender waits this long so it does not compete with a spinning pool.
SETTLE_SECONDS = 0.3
REPLY = "@@bench "  # prefix of the lines a worker answers with
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

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

EPOCH_CONTENDERS = ("nncore-f64", "nncore-f32", "article", "torch-f64", "torch-f32", "loop-f64")
PEAK_CONTENDERS = ("peak-f64", "peak-f32")
LABELS = {
    "nncore-f64": "nncore float64",
    "nncore-f32": "nncore float32",
    "article": "article's code (float64)",
    "loop-f64": "app loop (TrainingRun)",
    "torch-f64": "PyTorch CPU float64",
    "torch-f32": "PyTorch CPU float32",
    "peak-f64": "np.matmul peak float64",
    "peak-f32": "np.matmul peak float32",
}


# ---- the task and its cost ------------------------------------------------------------------
def article_function(x, y):
    """The article's target, sin x + x·cos y + y + 3^(x/3)."""
    return np.sin(x) + x * np.cos(y) + y + 3.0 ** (x / 3.0)


def article_data(samples: int) -> tuple[np.ndarray, np.ndarray, str]:
    """Inputs (m, 2) and targets (m,), z-scored with the population std, and a description.

    A square number of samples is the article's grid (`linspace(-10, 10, k)` in each axis,
    `meshgrid`, flattened row-major); any other count is drawn uniformly from the same square
    with a fixed seed, so every contender sees the same numbers.
    """
    side = math.isqrt(samples)
    if side * side == samples:
        axis = np.linspace(-10, 10, side)
        gx, gy = np.meshgrid(axis, axis)
        x, y = gx.ravel(), gy.ravel()
        source = f"the article's {side}×{side} grid"
    else:
        rs = np.random.RandomState(0)
        x = rs.uniform(-10, 10, samples)
        y = rs.uniform(-10, 10, samples)
        source = f"{samples} uniform random points (seed 0)"
    inputs = np.column_stack((x, y))
    targets = article_function(x, y)
    inputs = (inputs - inputs.mean(axis=0)) / inputs.std(axis=0)
    targets = (targets - targets.mean()) / targets.std()
    return inputs, targets, source


def raw_article_points(samples: int) -> tuple[np.ndarray, np.ndarray]:
    """The same points as `article_data`, in original units: inputs (m, 2), targets (m, 1)."""
    side = math.isqrt(samples)
    if side * side == samples:
        axis = np.linspace(-10, 10, side)
        gx, gy = np.meshgrid(axis, axis)
        x, y = gx.ravel(), gy.ravel()
    else:
        rs = np.random.RandomState(0)
        x = rs.uniform(-10, 10, samples)
        y = rs.uniform(-10, 10, samples)
    return np.column_stack((x, y)), article_function(x, y).reshape(-1, 1)


def matmul_flops(sizes, samples: int) -> dict[str, int]:
    """Exact floating-point operations of an epoch's matrix products (a multiply-add = 2).

    forward: A_i @ W_i for every layer; weight gradients: A_i.T @ dZ_i for every layer;
    errors: dZ_i @ W_i.T for every layer but the first (nothing flows into the inputs).
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


# ---- the worker side: one contender per process -----------------------------------------------
def _rss_now_kb() -> int:
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _max_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux


def _nncore_epoch(dtype: str, inputs, targets):
    from .network import Network

    try:
        from .optim import GradientDescent

        optimiser, how = GradientDescent(), "nncore.optim.GradientDescent"
    except ImportError:
        optimiser, how = None, "in-place p -= lr * g"
    net = Network(SIZES, dtype=dtype)
    X = np.ascontiguousarray(inputs, dtype=dtype)
    y = np.ascontiguousarray(targets, dtype=dtype).reshape(-1, 1)
    y_flat = y.ravel()
    params = net.parameters()

    def epoch() -> float:
        rec = net.forward(X, workspace=True)
        loss = float(np.mean((rec.a[-1].ravel() - y_flat) ** 2))
        grads = net.backward(rec, y, workspace=True).as_list()
        if optimiser is None:
            for p, g in zip(params, grads):
                p -= LEARNING_RATE * g
        else:
            optimiser.step(params, grads, LEARNING_RATE)
        return loss

    return epoch, how


def _article_epoch(inputs, targets):
    from .reference import ArticleNet

    net = ArticleNet(list(SIZES))
    X = np.array(inputs, dtype=np.float64)
    y = np.array(targets, dtype=np.float64)
    return (lambda: float(net.epoch(X, y, LEARNING_RATE))), "ArticleNet.epoch"


def _torch_epoch(dtype: str, inputs, targets, threads: int | None):
    import torch

    if threads:
        torch.set_num_threads(threads)
    tdt = getattr(torch, dtype)
    from .network import init_parameters

    weights, biases = init_parameters(SIZES, "article", 99, dtype)
    layers = []
    for k, (w, b) in enumerate(zip(weights, biases)):
        linear = torch.nn.Linear(w.shape[0], w.shape[1], dtype=tdt)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.T)))
            linear.bias.copy_(torch.from_numpy(b.ravel().copy()))
        layers.append(linear)
        if k < len(weights) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    X = torch.from_numpy(np.ascontiguousarray(inputs, dtype=dtype))
    y = torch.from_numpy(np.ascontiguousarray(targets, dtype=dtype).reshape(-1, 1))
    sgd = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    mse_loss = torch.nn.functional.mse_loss

    def epoch() -> float:
        sgd.zero_grad(set_to_none=True)
        loss = mse_loss(model(X), y)
        (0.5 * loss).backward()  # ½·MSE: the gradient the article's code uses
        sgd.step()
        return float(loss.item())

    return epoch, f"torch {torch.__version__}, {torch.get_num_threads()} threads, SGD"


def _loop_epoch(samples: int):
    """One epoch of the real training loop (`TrainingRun.run_chunk(1)`), article recipe."""
    from .data import Dataset
    from .training import TrainingRun, recipe

    raw_x, raw_y = raw_article_points(samples)
    run = TrainingRun(recipe("article", epochs=10**9), Dataset(X=raw_x, y=raw_y, source="bench"))

    def epoch() -> float:
        run.run_chunk(1)
        return float(run.history[-1].train_mse)

    return epoch, (
        "TrainingRun.run_chunk(1): the article recipe as the app trains it, "
        "with its per-epoch bookkeeping"
    )


def _peak_step(dtype: str, size: int):
    rs = np.random.RandomState(1)
    a = rs.uniform(-1, 1, (size, size)).astype(dtype)
    b = rs.uniform(-1, 1, (size, size)).astype(dtype)
    out = np.empty((size, size), dtype)

    def step() -> float:
        np.matmul(a, b, out=out)
        return 0.0

    return step, f"{size}×{size} @ {size}×{size}"


def _reply(payload: dict) -> None:
    sys.stdout.write(REPLY + json.dumps(payload) + "\n")
    sys.stdout.flush()


def worker(name: str, samples: int, peak_size: int, threads: int | None) -> int:
    """Serve one contender: set up, then answer "run K" with K timed steps until "quit"."""
    try:
        if name.startswith("torch"):
            pass
        base_kb = _rss_now_kb()
        inputs, targets, _ = article_data(samples)
        if name in ("nncore-f64", "nncore-f32"):
            step, how = _nncore_epoch(
                "float64" if name.endswith("64") else "float32", inputs, targets
            )
        elif name == "article":
            step, how = _article_epoch(inputs, targets)
        elif name in ("torch-f64", "torch-f32"):
            step, how = _torch_epoch(
                "float64" if name.endswith("64") else "float32", inputs, targets, threads
            )
        elif name == "loop-f64":
            step, how = _loop_epoch(samples)
        elif name in PEAK_CONTENDERS:
            step, how = _peak_step("float64" if name.endswith("64") else "float32", peak_size)
        else:
            raise ValueError(f"unknown contender {name!r}")
        for _ in range(WARMUP_EPOCHS):
            step()
    except Exception as exc:  # report to the parent instead of dying silently
        _reply({"error": f"{type(exc).__name__}: {exc}"})
        return 1
    steps_done = WARMUP_EPOCHS
    _reply({"ready": True, "how": how, "base_kb": base_kb})
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        count = int(words[1])
        step()  # untimed: wakes the thread pools and refills the caches
        steps_done += 1
        times, value = [], 0.0
        for _ in range(count):
            start = time.perf_counter()
            value = step()
            times.append(time.perf_counter() - start)
        steps_done += count
        _reply({"times": times, "value": value, "steps": steps_done, "max_kb": _max_rss_kb()})
    return 0


def modern_worker(samples: int, budget: float, runs: int) -> int:
    """Train the "modern" recipe until R² ≥ 0.999 (or the time budget), `runs` times from
    the same start, and report the run with the median time."""
    try:
        from .data import Dataset
        from .training import TrainingRun, recipe
    except ImportError as exc:
        _reply({"skipped": f"nncore.training is not available ({exc})"})
        return 0
    try:
        # The recipe normalises by itself: hand it the points in original units.
        raw_x, raw_y = raw_article_points(samples)
        train = Dataset(X=raw_x, y=raw_y, source="bench: article grid")
        config = recipe("modern", target_r2=0.999, time_budget=budget)
        results = []
        for _ in range(runs):
            start = time.perf_counter()
            run = TrainingRun(config, train)
            reason = run.run()
            elapsed = time.perf_counter() - start
            if hasattr(run, "evaluate"):  # R² of the final weights on all the data
                r2 = float(run.evaluate("train")["r2"])
            else:
                r2 = run.history[-1].train_r2 if run.history else None
            results.append(
                {
                    "elapsed": elapsed,
                    "epochs": run.epoch,
                    "stop": reason.kind,
                    "message": reason.message,
                    "r2": r2,
                }
            )
        middle = sorted(results, key=lambda r: r["elapsed"])[len(results) // 2]
        _reply(
            dict(
                middle,
                times=[r["elapsed"] for r in results],
                batch_size=config.batch_size,
                optimizer=config.optimizer,
                max_kb=_max_rss_kb(),
            )
        )
    except Exception as exc:
        _reply({"error": f"{type(exc).__name__}: {exc}"})
        return 1
    return 0


# ---- the parent side --------------------------------------------------------------------------
class WorkerError(RuntimeError):
    pass


@dataclass
class Contender:
    name: str
    process: subprocess.Popen
    errlog: object
    how: str = ""
    base_kb: int = 0
    max_kb: int = 0
    value: float = float("nan")
    steps: int = 0
    times: list[float] = field(default_factory=list)
    round_medians: list[float] = field(default_factory=list)

    def read_reply(self) -> dict:
        while True:
            line = self.process.stdout.readline()
            if not line:
                self.errlog.seek(0)
                tail = self.errlog.read()[-2000:]
                raise WorkerError(f"{self.name} worker ended unexpectedly:\n{tail}")
            if line.startswith(REPLY):
                return json.loads(line[len(REPLY) :])

    def run(self, count: int) -> None:
        self.process.stdin.write(f"run {count}\n")
        self.process.stdin.flush()
        reply = self.read_reply()
        self.times.extend(reply["times"])
        self.round_medians.append(statistics.median(reply["times"]))
        self.value, self.steps, self.max_kb = reply["value"], reply["steps"], reply["max_kb"]

    def close(self) -> None:
        try:
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired, ValueError):
            self.process.kill()
            self.process.wait()
        self.errlog.close()


def _worker_env(threads: int | None) -> dict:
    env = dict(os.environ)
    if threads:
        for var in THREAD_VARIABLES:
            env[var] = str(threads)
    return env


def _worker_command(args, name: str) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "nncore.bench",
        "--worker",
        name,
        "--samples",
        str(args.samples),
        "--peak-size",
        str(args.peak_size),
        "--modern-budget",
        str(args.modern_budget),
        "--modern-runs",
        str(args.modern_runs),
    ]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    return cmd


def start_worker(args, name: str) -> Contender | str:
    """Start a contender's process and wait until it is set up; a string says why not."""
    errlog = tempfile.TemporaryFile("w+")
    process = subprocess.Popen(
        _worker_command(args, name),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errlog,
        text=True,
        env=_worker_env(args.threads),
    )
    contender = Contender(name, process, errlog)
    try:
        reply = contender.read_reply()
    except WorkerError as exc:
        contender.close()
        return str(exc)
    if "error" in reply:
        contender.close()
        return reply["error"]
    contender.how, contender.base_kb = reply["how"], reply["base_kb"]
    return contender


def torch_available() -> bool:
    try:
        import importlib.util

        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):
        return False


def run_modern(args) -> dict:
    errlog = tempfile.TemporaryFile("w+")
    cmd = _worker_command(args, "modern")
    process = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=errlog,
        text=True,
        env=_worker_env(args.threads),
    )
    contender = Contender("modern", process, errlog)
    try:
        return contender.read_reply()
    except WorkerError as exc:
        return {"error": str(exc)}
    finally:
        process.wait()
        errlog.close()


def _fmt_ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.2f}"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(
    args,
    source: str,
    contenders: dict[str, Contender],
    skipped: dict[str, str],
    modern: dict | None,
    total_seconds: float,
) -> str:
    flops = matmul_flops(SIZES, args.samples)
    lines = []
    add = lines.append
    arch = "[" + ", ".join(str(s) for s in SIZES) + "]"
    add(
        f"nncore training benchmark: {arch}, {args.samples:,} samples ({source}, z-scored), "
        f"full batch, lr {LEARNING_RATE}"
    )
    add(
        f"each contender in its own process; {args.rounds} rounds × {args.epochs_per_round} "
        f"epochs, contenders alternating; figures are medians over all timed epochs"
    )
    given = sys.argv[1:] if args.command_line is None else args.command_line
    add("command: python -m nncore.bench" + "".join(f" {a}" for a in given))
    threads = args.threads or "library default"
    add(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"BLAS threads: {threads}"
    )
    add(
        f"matrix-product work per epoch: forward {flops['forward'] / 1e6:.1f} M + weight "
        f"gradients {flops['weight_grads'] / 1e6:.1f} M + errors {flops['errors'] / 1e6:.1f} M "
        f"= {flops['total'] / 1e6:.1f} MFLOP"
    )
    add("")
    peaks = {}
    for name in PEAK_CONTENDERS:
        c = contenders.get(name)
        if c is not None and c.times:
            peaks[name[-3:]] = 2 * args.peak_size**3 / statistics.median(c.times) / 1e9
    for dt in ("f64", "f32"):
        if dt in peaks:
            add(
                f"measured matmul peak {dt}: {peaks[dt]:7.1f} GFLOP/s "
                f"({args.peak_size}×{args.peak_size} np.matmul, median)"
            )
    add("")
    header = (
        f"{'contender':<26} {'ms/epoch':>8} {'q1':>7} {'min':>7} {'rounds':>17} {'GFLOP/s':>8} "
        f"{'of peak':>7} {'RSS MB':>7} {'+work':>6}  MSE after N epochs"
    )
    add(header)
    add("-" * len(header))
    medians, quartiles = {}, {}
    for name in EPOCH_CONTENDERS:
        c = contenders.get(name)
        if c is None:
            add(f"{LABELS[name]:<26} skipped: {skipped.get(name, 'not run')}")
            continue
        med = statistics.median(c.times)
        medians[name] = med
        quartiles[name] = float(np.percentile(c.times, 25))
        gflops = flops["total"] / med / 1e9
        dt = "f32" if name.endswith("f32") else "f64"
        of_peak = f"{100 * gflops / peaks[dt]:6.0f}%" if dt in peaks else "     ?"
        spread = f"{min(c.round_medians) * 1e3:.2f}–{max(c.round_medians) * 1e3:.2f}"
        add(
            f"{LABELS[name]:<26} {_fmt_ms(med)} {quartiles[name] * 1e3:7.2f} "
            f"{min(c.times) * 1e3:7.2f} {spread:>17} "
            f"{gflops:8.1f} {of_peak:>7} {c.max_kb / 1024:7.0f} "
            f"{max(c.max_kb - c.base_kb, 0) / 1024:6.0f}  {c.value:.10g} (N={c.steps})"
        )
    add("")
    add("each turn starts with one untimed epoch; N counts every epoch run, timed or not;")
    add(
        "app loop: TrainingRun.run_chunk(1) with the article recipe, bookkeeping included "
        "(it normalises the data itself; not part of the ratios)"
    )
    add(
        "ms/epoch: median; q1: first quartile; rounds: lowest–highest per-round median; "
        "RSS MB: the process's "
        "peak resident memory (ru_maxrss); +work: growth over the process right after "
        "its imports"
    )
    for name in EPOCH_CONTENDERS:
        if name in contenders:
            add(f"  {LABELS[name]}: {contenders[name].how}")
    add("")
    add(
        "ratios (time per epoch; the verdict uses the medians; the first quartiles, in "
        "brackets, are what a quieter machine shows):"
    )
    checks = [
        ("nncore-f32", "torch-f32", "nncore f32 / torch f32", "<=", 1.0),
        ("nncore-f64", "torch-f64", "nncore f64 / torch f64", "<=", 1.0),
        ("article", "nncore-f64", "article / nncore f64", ">=", 2.0),
    ]
    for top, bottom, label, op, target in checks:
        if top in medians and bottom in medians:
            ratio = medians[top] / medians[bottom]
            quiet = quartiles[top] / quartiles[bottom]
            ok = ratio <= target if op == "<=" else ratio >= target
            add(
                f"  {label:<24} {ratio:6.2f}  ({quiet:4.2f})   target {op} {target:.1f}   "
                f"{_verdict(ok)}"
            )
        else:
            add(f"  {label:<24}   n/a   (a contender was skipped)")
    if "nncore-f64" in contenders and "article" in contenders:
        a, b = contenders["nncore-f64"], contenders["article"]
        if a.steps == b.steps:
            same = a.value == b.value
            rel = abs(a.value - b.value) / abs(b.value) if b.value else abs(a.value)
            add(
                f"fidelity: after {a.steps} epochs nncore float64 MSE "
                f"{'is identical to' if same else f'differs by {rel:.2e} (relative) from'} "
                f"the article's code"
            )
    add("")
    if modern is None:
        add("modern recipe: skipped (--no-modern)")
    elif "skipped" in modern:
        add(f"modern recipe: skipped: {modern['skipped']}")
    elif "error" in modern:
        add(f"modern recipe: failed: {modern['error']}")
    else:
        r2 = modern.get("r2")
        r2_text = "?" if r2 is None else f"{r2:.5f}"
        reached = modern["stop"] == "target"
        times = ", ".join(f"{t:.2f}" for t in modern.get("times", [modern["elapsed"]]))
        add(
            f"modern recipe (he init, {modern.get('optimizer', '?')}, batch "
            f"{modern.get('batch_size')}, cosine) to R² >= 0.999: {modern['elapsed']:.2f} s "
            f"(median of {times} s), {modern['epochs']} epochs, R² of the final weights "
            f"{r2_text}: {'reached' if reached else 'NOT reached'} ({modern['message']}); "
            f"peak RSS {modern['max_kb'] / 1024:.0f} MB"
        )
    add(f"benchmark wall time {total_seconds:.1f} s")
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m nncore.bench",
        description="Time a full-batch training epoch of the article's network: nncore "
        "float64/float32, the article's code and PyTorch, side by side.",
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=None,
        help="number of samples; a square number is the article's grid (default 10000 = 100×100)",
    )
    parser.add_argument("--rounds", type=int, default=None, help="rounds of alternation (12)")
    parser.add_argument(
        "--epochs-per-round",
        type=int,
        default=None,
        help="timed epochs per contender per round (8)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny sizes for a smoke test: 400 samples, 2 rounds × 3 epochs",
    )
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument(
        "--no-modern", action="store_true", help="leave out the modern recipe's time to R² >= 0.999"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="set OPENBLAS/OMP/MKL_NUM_THREADS (and torch's threads) in every "
        "worker; default: the libraries' own choice",
    )
    parser.add_argument(
        "--peak-size", type=int, default=None, help="matrix size for the matmul peak (1536)"
    )
    parser.add_argument(
        "--modern-budget",
        type=float,
        default=None,
        help="seconds the modern recipe may take at most (120)",
    )
    parser.add_argument(
        "--modern-runs",
        type=int,
        default=None,
        help="how many times to train the modern recipe; the median is shown (3)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.command_line = None if argv is None else list(argv)
    defaults = QUICK_DEFAULTS if args.quick else FULL_DEFAULTS
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    for name in ("samples", "rounds", "epochs_per_round", "peak_size", "modern_runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be at least 1")
    if args.samples < 2:
        parser.error("--samples must be at least 2 (z-scoring needs a spread)")
    if args.modern_budget <= 0:
        parser.error("--modern-budget must be positive")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.worker == "modern":
        return modern_worker(args.samples, args.modern_budget, args.modern_runs)
    if args.worker:
        return worker(args.worker, args.samples, args.peak_size, args.threads)

    started = time.perf_counter()
    _, _, source = article_data(args.samples)
    names = list(PEAK_CONTENDERS) + ["nncore-f64", "nncore-f32", "article", "loop-f64"]
    skipped = {}
    if args.no_torch:
        skipped["torch-f64"] = skipped["torch-f32"] = "--no-torch"
    elif not torch_available():
        skipped["torch-f64"] = skipped["torch-f32"] = "PyTorch is not installed"
    else:
        names += ["torch-f64", "torch-f32"]
    contenders: dict[str, Contender] = {}
    try:
        for name in names:
            started_worker = start_worker(args, name)
            if isinstance(started_worker, str):
                skipped[name] = (
                    started_worker.strip().splitlines()[-1] if started_worker else "failed"
                )
                print(f"{LABELS[name]}: could not start: {started_worker}", file=sys.stderr)
            else:
                contenders[name] = started_worker
        order = list(contenders)
        for rnd in range(args.rounds):
            shift = rnd % len(order) if order else 0
            for name in order[shift:] + order[:shift]:
                if name not in contenders:
                    continue
                count = args.epochs_per_round
                time.sleep(SETTLE_SECONDS)
                try:
                    contenders[name].run(
                        count if name not in PEAK_CONTENDERS else max(3, count // 4)
                    )
                except WorkerError as exc:  # one broken contender spoils no others
                    print(f"{LABELS[name]}: {exc}", file=sys.stderr)
                    skipped[name] = "its worker process failed (details on stderr)"
                    contenders.pop(name).close()
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    finally:
        for c in contenders.values():
            c.close()
    modern = None if args.no_modern else run_modern(args)
    print(report(args, source, contenders, skipped, modern, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
