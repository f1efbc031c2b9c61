"""The `nncore` command: train a network, use it, inspect it, print a lesson, from a terminal.

    nncore train article --recipe modern --epochs 300 -o model.npz
    nncore train --formula "x*y/10" --grid 50 --arch 2-32-32-1 -o model.json
    nncore predict model.npz --points "1,2; 3.5,-4"
    nncore info model.npz
    nncore lesson article --format markdown -o lesson.md

`train` builds a dataset (a built-in function, your own formula, or a CSV file), trains with
the article's recipe or the modern one (any setting can be changed), shows a progress bar
on stderr and saves the weights. Ctrl+C stops it at the end of the current epoch and still
saves what was learned; a second Ctrl+C aborts without saving. `predict` reads a weights
file and answers in the original units of the data; `info` describes a weights file;
`lesson` writes one of the step-by-step lessons as Markdown, LaTeX or CSV.

Every mistake a user can make ends with one clear line on stderr, never a traceback: exit
status 2 for a wrong command line (an unknown option, a bad number, a formula that does not
parse), 1 for a file or data problem (a missing or damaged file, an unusable CSV).
`main(argv)` returns the status instead of exiting, so tests and notebooks can call it.

The command line only turns text into numbers; whether a number is allowed is decided by the
library, so `--epochs 0` is refused with the very sentence `TrainConfig(epochs=0)` raises.
The library's errors choose the exit status by their kind (see nncore.errors):
SettingsError and FormulaError are a wrong command line (2), DataError and WeightFileError
a file or data problem (1).

Why it is long (about 860 lines): four commands share one parser, one error policy and one
output style; most of the length is help texts and messages, which read best side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import shlex
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TextIO

import numpy as np

from . import __version__, weightfile
from .activations import ACTIVATIONS
from .atomicwrite import write_atomically
from .errors import DataError, FormulaError, SettingsError, WeightFileError
from .network import DTYPES, INITS

PROG = "nncore"
_NOT_GIVEN = object()  # tells "--batch-size full" (None) from no --batch-size at all


class UsageError(Exception):
    """The command line asks for something impossible (exit status 2)."""


class InputError(Exception):
    """A file or the data cannot be used (exit status 1)."""


# ---- small helpers ------------------------------------------------------------------------
def _printable(text: str, stream: TextIO) -> str:
    """`text` with characters the stream cannot encode (², ×, − on a plain ASCII terminal)
    replaced by '?', so printing never fails."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        return text.encode(encoding, "replace").decode(encoding, "replace")


def _out(text: str = "", stream: TextIO | None = None, end: str = "\n") -> None:
    stream = sys.stdout if stream is None else stream
    stream.write(_printable(text, stream) + end)


def _err(text: str) -> None:
    _out(text, sys.stderr)
    sys.stderr.flush()


def _r2_label(stream: TextIO) -> str:
    return "R²" if _printable("R²", stream) == "R²" else "R^2"


def _fmt(x: float | None, digits: int = 4) -> str:
    if x is None:
        return "-"
    if not math.isfinite(x):
        return str(x)
    return f"{x:.{digits}g}"


def _parse_arch(text: str) -> tuple[int, ...]:
    parts = [p for p in re.split(r"[-,x\s]+", text.strip()) if p]
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise UsageError(
            f"--arch {text!r} is not a list of layer sizes like 2-64-64-64-1"
        ) from None
    if len(sizes) < 2:
        raise UsageError(f"--arch {text!r} needs at least two sizes, like 2-64-1")
    if sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])) > weightfile.MAX_PARAMETERS:
        raise UsageError(
            f"--arch {text!r} has more than {weightfile.MAX_PARAMETERS:,} "
            "parameters; choose smaller layers"
        )
    return sizes


# Option types: text to number only. The ranges are the library's (TrainConfig, nncore.data),
# checked where the number is used, so the CLI and the library say the same sentence.
def _whole_number(text: str, what: str = "") -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number{what}") from None


def _batch_size(text: str) -> int | None:
    if text.strip().lower() in ("full", "all", "none"):
        return None
    return _whole_number(text, " (or 'full' for the whole data set)")


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def _write_text_atomically(path: str, text: str) -> None:
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)

    if os.path.isdir(path):
        raise InputError(f"{path!r} is a folder; give a file name")
    try:
        write_atomically(path, write)
    except WeightFileError as exc:
        raise InputError(str(exc)) from None


def _csv_fault(path: str, exc: DataError) -> InputError:
    """A CSV file's DataError as one line: a fault in a row is told as "FILE, line N: what
    is wrong" (the library's message lists up to eight bad lines, one per line)."""
    if not exc.problems:
        return InputError(str(exc))
    number, what = exc.problems[0]
    more = len(exc.problems) - 1
    tail = f" (and {more} more bad line{'s' if more > 1 else ''})" if more else ""
    return InputError(f"{path}, line {number}: {what}{tail}")


# ---- progress bar -------------------------------------------------------------------------
class ProgressBar:
    """One line on stderr, redrawn in place with '\\r': epoch, loss, R², epochs per second.

    On a terminal it redraws at most ten times a second; when stderr is a file or a pipe
    (a log), it writes a plain line every tenth of the run instead, so logs stay readable.
    """

    def __init__(
        self,
        total_epochs: int,
        stream: TextIO | None = None,
        interactive: bool | None = None,
        width: int = 20,
    ):
        self.stream = sys.stderr if stream is None else stream
        self.total = max(1, int(total_epochs))
        if interactive is None:
            isatty = getattr(self.stream, "isatty", None)
            interactive = bool(isatty and isatty())
        self.interactive = interactive
        self.width = width
        self._r2 = _r2_label(self.stream)
        self._last_draw = -math.inf
        self._last_len = 0
        self._next_milestone = 0
        self._drawn = False

    def line(self, report) -> str:
        done = min(report.epoch / self.total, 1.0)
        filled = int(round(done * self.width))
        bar = "#" * filled + "." * (self.width - filled)
        rate = report.epoch / report.elapsed if report.elapsed > 0 else float("nan")
        text = (
            f"epoch {report.epoch:>{len(str(self.total))}}/{self.total} [{bar}] "
            f"loss {_fmt(report.train_mse)}  {self._r2} {report.train_r2:.4f}"
        )
        if report.val_mse is not None:
            text += f"  val loss {_fmt(report.val_mse)}  val {self._r2} {report.val_r2:.4f}"
        if math.isfinite(rate):
            text += f"  {rate:,.0f} epochs/s"
        return text

    def update(self, report) -> None:
        now = time.monotonic()
        last = report.epoch >= self.total
        if self.interactive:
            if not last and now - self._last_draw < 0.1:
                return
            text = self.line(report)
            pad = " " * max(0, self._last_len - len(text))
            self.stream.write("\r" + _printable(text, self.stream) + pad)
            self._last_len = len(text)
        else:
            milestone = report.epoch * 10 // self.total
            if milestone < self._next_milestone and not last and now - self._last_draw < 10:
                return
            self._next_milestone = milestone + 1
            self.stream.write(_printable(self.line(report), self.stream) + "\n")
        self._last_draw = now
        self._drawn = True
        self.stream.flush()

    def finish(self) -> None:
        """End the redrawn line so what follows starts on a fresh one."""
        if self.interactive and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
        self._drawn = False


# ---- train --------------------------------------------------------------------------------
def _dataset_for(args):
    from .data import get_function, grid, load_csv, sample_uniform
    from .formula import FormulaError

    sources = [
        name
        for name, given in (
            ("a function name", args.function is not None),
            ("--formula", args.formula is not None),
            ("--csv", args.csv is not None),
        )
        if given
    ]
    if len(sources) > 1:
        raise UsageError(
            f"give only one of a function name, --formula or --csv (got {' and '.join(sources)})"
        )
    if args.csv is not None:
        for option, value in (
            ("--samples", args.samples),
            ("--grid", args.grid),
            ("--noise", args.noise),
        ):
            if value is not None:
                raise UsageError(
                    f"{option} makes data from a function; it cannot be used with --csv"
                )
        try:
            return load_csv(args.csv), f"CSV file {args.csv}"
        except DataError as exc:
            raise _csv_fault(args.csv, exc) from None
        except OSError as exc:
            raise InputError(f"cannot read {args.csv!r}: {exc.strerror or exc}") from None
    if args.formula is not None:
        try:
            fn = get_function(args.formula)
        except FormulaError as exc:
            raise UsageError(f"--formula {args.formula!r}: {exc}") from None
        if fn.name != "formula":
            fn_label = fn.label
        else:
            fn_label = args.formula
    else:
        from .data import FUNCTIONS

        name = args.function or "article"
        if name.lower() not in FUNCTIONS:
            raise UsageError(
                f"unknown function {name!r}; choose one of "
                f"{', '.join(FUNCTIONS)}, or give your own with --formula"
            )
        fn = FUNCTIONS[name.lower()]
        fn_label = f"{fn.name}: {fn.label}"
    noise = 0.0 if args.noise is None else args.noise
    seed = 0 if args.seed is None else args.seed
    samples = 1000 if args.samples is None else args.samples
    # A SettingsError here (--grid 1, --noise -1) is a usage error, a DataError (the formula
    # is undefined somewhere) a data problem: `main` tells them apart.
    if args.grid is not None:
        return grid(fn, args.grid, noise=noise, seed=seed), fn_label
    return sample_uniform(fn, samples, seed=seed, noise=noise), fn_label


def _data_settings(args) -> dict:
    """How the data were made, in the keys the app's Train tab reads back from a file's meta
    ("function": a registry name or formula text, "samples": a count or 0 for a grid, ...)."""
    common = {
        "noise": args.noise or 0.0,
        "seed": args.seed or 0,
        "val_share": args.val_share or 0.0,
    }
    if args.csv is not None:
        return {"csv_path": os.path.abspath(args.csv), **common}
    function = args.formula if args.formula is not None else (args.function or "article").lower()
    if args.grid is not None:
        return {"function": function, "samples": 0, "grid": args.grid, **common}
    return {
        "function": function,
        "samples": 1000 if args.samples is None else args.samples,
        **common,
    }


def _config_for(args, n_inputs: int, n_outputs: int):
    from .training import recipe

    overrides = {}
    for option, key in (
        ("epochs", "epochs"),
        ("lr", "lr"),
        ("optimizer", "optimizer"),
        ("schedule", "schedule"),
        ("seed", "seed"),
        ("dtype", "dtype"),
        ("activation", "activation"),
        ("init", "init"),
        ("warmup", "warmup"),
        ("target_r2", "target_r2"),
        ("patience", "patience"),
        ("time_budget", "time_budget"),
        ("weight_decay", "weight_decay"),
    ):
        value = getattr(args, option)
        if value is not None:
            overrides[key] = value
    if args.batch_size is not _NOT_GIVEN:
        overrides["batch_size"] = args.batch_size
    if args.arch is not None:
        sizes = _parse_arch(args.arch)
        if sizes[0] != n_inputs or sizes[-1] != n_outputs:
            raise UsageError(
                f"--arch {args.arch}: the data has {n_inputs} inputs and "
                f"{n_outputs} target(s), so the sizes must start with {n_inputs} "
                f"and end with {n_outputs}"
            )
        overrides["sizes"] = sizes
    try:
        config = recipe(args.recipe, **overrides)
        if args.arch is None and (config.sizes[0], config.sizes[-1]) != (n_inputs, n_outputs):
            config = recipe(
                args.recipe, **overrides, sizes=(n_inputs, *config.sizes[1:-1], n_outputs)
            )
    except ValueError as exc:
        hint = " (set it with --warmup)" if "warm-up" in str(exc) else ""
        raise UsageError(f"{exc}{hint}") from None
    return config


def _install_interrupt(run) -> Callable[[], None]:
    """First Ctrl+C: finish the epoch, stop, save. Second: abort at once (KeyboardInterrupt).

    Returns the function that puts the previous Ctrl+C handler back.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # only the main thread may install signal handlers

    def on_interrupt(signum, frame):
        if run.stop_requested:
            raise KeyboardInterrupt
        run.request_stop()
        sys.stderr.write(
            "\nStopping after this epoch and saving; press Ctrl+C again to abort without saving.\n"
        )
        sys.stderr.flush()

    previous = signal.signal(signal.SIGINT, on_interrupt)

    def restore() -> None:
        if previous is not None:  # None: the old handler was not installed from Python
            signal.signal(signal.SIGINT, previous)

    return restore


def cmd_train(args) -> int:
    from .losses import mse, r2
    from .training import TrainingRun

    if args.output is not None:
        try:
            weightfile.format_of(args.output)
        except WeightFileError as exc:
            raise UsageError(f"-o: {exc}") from None
        folder = os.path.dirname(os.path.abspath(args.output))
        if os.path.isdir(args.output) or not os.path.isdir(folder):
            raise UsageError(
                f"-o {args.output!r}: cannot write there (a folder, or a folder "
                "that does not exist)"
            )
    data, label = _dataset_for(args)
    config = _config_for(args, data.n_inputs, data.n_outputs)
    split_seed = 0 if config.seed is None else config.seed
    train, val = data.split(args.val_share or 0.0, seed=split_seed)  # checks --val-share
    try:
        run = TrainingRun(config, train, val if len(val) else None)
    except ValueError as exc:
        raise InputError(str(exc)) from None

    batch = "full batch" if config.batch_size is None else f"batches of {config.batch_size}"
    _err(
        f"Training {'-'.join(map(str, config.sizes))} ({config.activation}, {config.init} "
        f"init, {config.dtype}) on {len(train):,} points"
        + (f" (+{len(val):,} for validation)" if len(val) else "")
        + f" of {label}; recipe {config.recipe}: {config.optimizer}, lr {config.lr:g}, "
        f"{config.schedule} schedule, {batch}, up to {config.epochs:,} epochs."
    )

    bar = ProgressBar(config.epochs, sys.stderr) if not args.quiet else None
    restore_interrupt = _install_interrupt(run)
    try:
        stop = run.run(progress=bar.update if bar else None, chunk=1)
    except KeyboardInterrupt:
        if bar:
            bar.finish()
        _err("Aborted: nothing was saved.")
        return 130
    finally:
        restore_interrupt()
    if bar:
        bar.finish()

    r2_name = _r2_label(sys.stdout)
    _out(stop.message)
    if stop.detail:
        _out(stop.detail)
    pred = run.predict(train.X)
    lines = [("training", train, pred)]
    if len(val):
        lines.append(("validation", val, run.predict(val.X)))
    for name, ds, p in lines:
        _out(
            f"{name:<10}  MSE {_fmt(mse(p, ds.y), 6)} in the target's units, "
            f"{r2_name} {r2(p, ds.y):.4f}  ({len(ds):,} points)"
        )
    if run.history:
        last = run.history[-1]
        _out(
            f"last epoch  MSE {_fmt(last.train_mse, 6)} on normalised data (the number the "
            f"article prints), epoch {last.epoch}, {last.elapsed:.2f} s of training"
        )

    if args.output is None:
        _err("Not saved: add -o model.npz (or .json, .safetensors) to keep the weights.")
        return 0
    meta = {
        "app": "nncore train",
        "data": _data_settings(args),
        "data_source": data.source,
        "function": label,
        "points": len(data),
        "stop_reason": stop.to_dict(),
        "command": "nncore " + " ".join(shlex.quote(a) for a in args.argv),
        "nncore_version": __version__,
    }
    try:
        weightfile.save(
            args.output,
            run.network,
            normaliser=run.normaliser,
            config=run.config,
            history=run.history,
            meta=meta,
        )
    except WeightFileError as exc:
        raise InputError(str(exc)) from None
    _out(
        f"saved {args.output} ({run.network.architecture}, "
        f"{run.network.n_parameters:,} parameters, {run.epoch} epochs)"
    )
    return 0


# ---- predict ------------------------------------------------------------------------------
def _parse_points(text: str, n_inputs: int) -> np.ndarray:
    rows = []
    for i, chunk in enumerate(p for p in text.split(";")):
        if not chunk.strip():
            continue
        parts = [p for p in re.split(r"[,\s]+", chunk.strip()) if p]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            raise UsageError(
                f"--points: point {i + 1} ({chunk.strip()!r}) holds something that is not a number"
            ) from None
        if len(values) != n_inputs:
            raise UsageError(
                f"--points: point {i + 1} ({chunk.strip()!r}) has {len(values)} "
                f"number(s) but the model takes {n_inputs} inputs"
            )
        if not all(math.isfinite(v) for v in values):
            raise UsageError(f"--points: point {i + 1} holds a value that is not finite")
        rows.append(values)
    if not rows:
        raise UsageError('--points is empty; write points like "1,2; 3,4"')
    return np.array(rows, dtype=np.float64)


def _points_from_csv(path: str, n_inputs: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Inputs (and known targets, if the file has them) read by `nncore.data`."""
    from .data import load_points_csv

    try:
        return load_points_csv(path, n_inputs)
    except DataError as exc:
        raise _csv_fault(path, exc) from None


def _predict_with(wf, X: np.ndarray) -> np.ndarray:
    net = wf.network
    if wf.normaliser is None:
        return np.asarray(net.predict(X), dtype=np.float64)
    out = net.predict(wf.normaliser.transform_x(X))
    return wf.normaliser.inverse_y(np.asarray(out, dtype=np.float64))


def cmd_predict(args) -> int:
    from .losses import mse, r2

    if (args.points is None) == (args.csv is None):
        raise UsageError('give the inputs with --points "x,y; x,y" or --csv FILE (one of them)')
    wf = _load_weights(args.weights)
    n_in = wf.network.n_inputs
    if args.points is not None:
        X, y = _parse_points(args.points, n_in), None
    else:
        X, y = _points_from_csv(args.csv, n_in)
    pred = _predict_with(wf, X)
    if wf.normaliser is None:
        _err("note: this model has no normaliser, so inputs and predictions are used as they are")
    in_names = ["x", "y"] if n_in == 2 else [f"x{i + 1}" for i in range(n_in)]
    out_names = (
        ["prediction"]
        if pred.shape[1] == 1
        else [f"prediction{i + 1}" for i in range(pred.shape[1])]
    )
    if args.output is not None:
        lines = [",".join(in_names + out_names)]
        for xr, pr in zip(X, pred):
            lines.append(",".join(repr(float(v)) for v in list(xr) + list(pr)))
        _write_text_atomically(args.output, "\n".join(lines) + "\n")
        _out(f"wrote {len(X):,} prediction(s) to {args.output}")
    else:
        header = in_names + out_names
        _out("  ".join(f"{h:>14}" for h in header))
        for xr, pr in zip(X, pred):
            _out("  ".join(f"{float(v):>14.8g}" for v in list(xr) + list(pr)))
    if y is not None and pred.shape[1] == 1:
        points = f"{len(y):,} point{'s' if len(y) != 1 else ''}"
        _out(
            f"against the CSV's targets: MSE {_fmt(mse(pred, y), 6)}, "
            f"{_r2_label(sys.stdout)} {r2(pred, y):.4f} ({points})"
        )
    return 0


def _load_weights(path: str):
    try:
        return weightfile.load(path)
    except WeightFileError as exc:
        raise InputError(str(exc)) from None


# ---- info ---------------------------------------------------------------------------------
def describe(wf, path: str = "", stream: TextIO | None = None) -> list[str]:
    """The lines `nncore info` prints about a loaded weights file."""
    stream = sys.stdout if stream is None else stream
    r2_name = _r2_label(stream)
    net = wf.network
    hidden = net.n_layers - 1
    lines = [
        f"{path or 'weights'}: nn-tutor weights, format version {wf.format_version} "
        f"({wf.format or '?'})"
    ]

    def row(name: str, value: str) -> None:
        lines.append(f"  {name:<15}{value}")

    row(
        "architecture",
        f"{net.architecture}  ({net.n_inputs} input(s), {hidden} hidden "
        f"layer(s), {net.n_outputs} output(s))",
    )
    row("activations", ", ".join(net.activation_names))
    row("parameters", f"{net.n_parameters:,}")
    row("dtype", net.dtype.name)
    if net.init is not None:
        row(
            "initialisation",
            f"{net.init}" + (f" (seed {net.seed})" if net.seed is not None else ""),
        )
    cfg = wf.config
    if cfg:
        batch = cfg.get("batch_size")
        batch_text = "full batch" if batch is None else f"batches of {batch}"
        parts = [
            str(cfg.get("optimizer", "?")),
            f"lr {cfg.get('lr', '?')}",
            f"{cfg.get('schedule', '?')} schedule",
            batch_text,
            f"{cfg.get('epochs', '?')} epochs planned",
        ]
        if cfg.get("weight_decay"):
            parts.append(f"weight decay {cfg['weight_decay']}")
        row("recipe", f"{cfg.get('recipe', '?')}: " + ", ".join(parts))
    else:
        row("recipe", "(not recorded)")
    row("epochs trained", f"{wf.epochs_trained:,}")
    if wf.history:
        last = wf.history[-1]

        def num(key):
            v = last.get(key)
            return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None

        text = f"training MSE {_fmt(num('train_mse'), 6)}"
        if num("train_r2") is not None:
            text += f", {r2_name} {num('train_r2'):.4f}"
        if num("val_mse") is not None:
            text += f"; validation MSE {_fmt(num('val_mse'), 6)}"
            if num("val_r2") is not None:
                text += f", {r2_name} {num('val_r2'):.4f}"
        row("final loss", text + " (normalised units)")
        if num("elapsed") is not None:
            row("training time", f"{num('elapsed'):.2f} s")
    stop = wf.meta.get("stop_reason")
    if isinstance(stop, dict) and isinstance(stop.get("message"), str):
        row("stopped", stop["message"])
    if wf.normaliser is not None:
        d = wf.normaliser.to_dict()

        def show(vals):
            return ", ".join(_fmt(v, 6) for v in vals)

        row("normaliser", f"inputs mean [{show(d['x_mean'])}], std [{show(d['x_std'])}]")
        row("", f"targets mean [{show(d['y_mean'])}], std [{show(d['y_std'])}]")
    else:
        row("normaliser", "none (the network sees the numbers as they are)")
    for key, name in (("data_source", "data"), ("function", "function"), ("command", "command")):
        value = wf.meta.get(key)
        if isinstance(value, str) and value:
            row(name, value)
    return lines


def cmd_info(args) -> int:
    wf = _load_weights(args.weights)
    for line in describe(wf, args.weights):
        _out(line)
    return 0


# ---- lesson -------------------------------------------------------------------------------
LESSON_FORMATS = ("markdown", "latex", "csv")
_LESSON_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".tex": "latex", ".csv": "csv"}


def cmd_lesson(args) -> int:
    try:
        from . import lesson as lessons
    except ImportError as exc:
        raise InputError(
            f"the lesson engine is not available in this installation ({exc})"
        ) from None
    if args.preset is None:
        _out("Lessons (nncore lesson NAME):")
        for name, preset in lessons.PRESETS.items():
            _out(f"  {name:<12}{getattr(preset, 'title', '')}")
        return 0
    if args.preset not in lessons.PRESETS:
        raise UsageError(
            f"unknown lesson {args.preset!r}; choose one of {', '.join(lessons.PRESETS)}"
        )
    fmt = args.format
    if fmt is None and args.output is not None:
        fmt = _LESSON_EXTENSIONS.get(os.path.splitext(args.output)[1].lower())
    fmt = fmt or "markdown"
    try:
        lesson = lessons.make_lesson(args.preset)
        text = lessons.render(lesson, fmt)
    except ImportError as exc:
        raise InputError(
            f"lesson rendering is not available in this installation ({exc})"
        ) from None
    if not text.endswith("\n"):
        text += "\n"
    if args.output is None:
        _out(text, end="")
    else:
        _write_text_atomically(args.output, text)
        _out(f"wrote the {args.preset!r} lesson ({len(lesson)} steps, {fmt}) to {args.output}")
    return 0


# ---- the parser ---------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error becomes an exception `main` turns into exit status 2
    (argparse itself would call sys.exit)."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    from .data import FUNCTIONS

    parser = _Parser(
        prog=PROG,
        description="Train, use and inspect small neural networks (the engine of nn-tutor).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    t = sub.add_parser(
        "train",
        help="train a network and save its weights",
        description="Train a network on a function of x and y (or a CSV file) "
        "and save the weights. Ctrl+C stops cleanly and still saves.",
    )
    t.add_argument(
        "function",
        nargs="?",
        metavar="FUNCTION",
        help=f"built-in function: {', '.join(FUNCTIONS)} (default: article)",
    )
    t.add_argument("--formula", metavar="TEXT", help='your own function, e.g. "sin(x) * y"')
    t.add_argument("--csv", metavar="FILE", help="train on the columns x, y, target of a CSV")
    t.add_argument(
        "--recipe",
        default="article",
        choices=("article", "modern"),
        help="starting settings (default: article)",
    )
    t.add_argument("--epochs", type=_whole_number)
    t.add_argument("--lr", type=_number, help="learning rate")
    t.add_argument(
        "--batch-size",
        type=_batch_size,
        default=_NOT_GIVEN,
        metavar="N|full",
        help="mini-batch size, or 'full' for the whole data set at once",
    )
    t.add_argument("--optimizer", choices=("gd", "momentum", "adam"))
    t.add_argument("--schedule", choices=("constant", "step", "cosine"))
    t.add_argument("--warmup", type=_whole_number, help="warm-up epochs (cosine schedule)")
    t.add_argument("--weight-decay", type=_number)
    t.add_argument("--seed", type=_whole_number, help="initial weights, samples and batches")
    data = t.add_mutually_exclusive_group()
    data.add_argument(
        "--samples",
        type=_whole_number,
        metavar="N",
        help="N random points from the function (default 1000)",
    )
    data.add_argument(
        "--grid",
        type=_whole_number,
        nargs="?",
        const=100,
        metavar="N",
        help="an N×N grid instead of random points (default N: 100)",
    )
    t.add_argument("--noise", type=_number, help="std of Gaussian noise on the targets")
    t.add_argument(
        "--val-share",
        type=_number,
        metavar="SHARE",
        help="share of the points kept for validation, e.g. 0.2 (default 0)",
    )
    t.add_argument("--dtype", choices=DTYPES)
    t.add_argument("--arch", metavar="SIZES", help="layer sizes, e.g. 2-64-64-64-1")
    t.add_argument("--activation", choices=tuple(ACTIVATIONS), help="hidden layers' activation")
    t.add_argument("--init", choices=INITS)
    t.add_argument("--target-r2", type=_number, metavar="R2", help="stop once R² reaches this")
    t.add_argument(
        "--patience",
        type=_whole_number,
        metavar="EPOCHS",
        help="stop after this many epochs without progress",
    )
    t.add_argument("--time-budget", type=_number, metavar="SECONDS")
    t.add_argument(
        "-o", "--output", metavar="FILE", help="weights file to write: .npz, .json or .safetensors"
    )
    t.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    t.set_defaults(handler=cmd_train)

    p = sub.add_parser(
        "predict",
        help="predict with a saved model",
        description="Predict with a weights file, in the data's original units.",
    )
    p.add_argument("weights", metavar="WEIGHTS", help="a .npz, .json or .safetensors file")
    p.add_argument("--points", metavar='"x,y; x,y"', help="points separated by ';'")
    p.add_argument("--csv", metavar="FILE", help="a CSV with columns x, y (and maybe target)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the predictions as CSV")
    p.set_defaults(handler=cmd_predict)

    i = sub.add_parser(
        "info",
        help="describe a weights file",
        description="Describe a weights file: architecture, training, data.",
    )
    i.add_argument("weights", metavar="WEIGHTS")
    i.set_defaults(handler=cmd_info)

    s = sub.add_parser(
        "lesson",
        help="write a step-by-step lesson",
        description="Write a step-by-step lesson as Markdown, LaTeX or CSV. "
        "Without a name, list the lessons.",
    )
    s.add_argument(
        "preset", nargs="?", metavar="PRESET", help="perceptron, article, sigmoid or custom"
    )
    s.add_argument(
        "--format",
        choices=LESSON_FORMATS,
        help="default: from the -o extension (.md, .tex, .csv), else markdown",
    )
    s.add_argument("-o", "--output", metavar="FILE")
    s.set_defaults(handler=cmd_lesson)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `nncore` command line; returns the exit status (0 ok, 1 data, 2 usage)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    command = argv[0] if argv and not argv[0].startswith("-") else None
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help and --version print and "exit" here
            return int(exc.code or 0)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        args.argv = argv
        return args.handler(args)
    except (UsageError, SettingsError, FormulaError) as exc:
        _err(f"{PROG}{' ' + command if command else ''}: error: {exc}")
        return 2
    except (InputError, DataError, WeightFileError) as exc:
        _err(f"{PROG}{' ' + command if command else ''}: error: {exc}")
        return 1
    except BrokenPipeError:
        # The reader went away (e.g. `nncore predict ... | head`): nothing more to say.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")
        return 1
