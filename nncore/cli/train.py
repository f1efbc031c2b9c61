"""`nncore train`: make a dataset, train a network on it with a progress bar, save the weights.

The data come from a built-in function, a formula or a CSV file; the settings start from a
recipe (the article's or the modern one) and any option overrides one of them. The first
Ctrl+C stops at the end of the current epoch and still saves; a second aborts at once.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import sys
import threading
from collections.abc import Callable

from .. import __version__, weightfile
from ..errors import DataError, WeightFileError
from . import InputError, UsageError
from .files import csv_fault
from .terminal import ProgressBar, err, out, r2_label, short_number

__all__ = ["NOT_GIVEN", "cmd_train", "parse_arch"]

NOT_GIVEN = object()  # tells "--batch-size full" (None) from no --batch-size at all


def parse_arch(text: str) -> tuple[int, ...]:
    """Layer sizes from --arch text like 2-64-64-1 (commas, x or spaces also separate)."""
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


def _dataset_for(args):
    from ..data import get_function, grid, load_csv, sample_uniform
    from ..formula import FormulaError

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
            raise csv_fault(args.csv, exc) from None
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
        from ..data import FUNCTIONS

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
    from ..training import recipe

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
    if args.batch_size is not NOT_GIVEN:
        overrides["batch_size"] = args.batch_size
    if args.arch is not None:
        sizes = parse_arch(args.arch)
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
    """Make the data, train on it with a progress bar, print the fit and save the weights."""
    from ..losses import mse, r2
    from ..training import TrainingRun

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
    err(
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
        err("Aborted: nothing was saved.")
        return 130
    finally:
        restore_interrupt()
    if bar:
        bar.finish()

    r2_name = r2_label(sys.stdout)
    out(stop.message)
    if stop.detail:
        out(stop.detail)
    pred = run.predict(train.X)
    lines = [("training", train, pred)]
    if len(val):
        lines.append(("validation", val, run.predict(val.X)))
    for name, ds, p in lines:
        out(
            f"{name:<10}  MSE {short_number(mse(p, ds.y), 6)} in the target's units, "
            f"{r2_name} {r2(p, ds.y):.4f}  ({len(ds):,} points)"
        )
    if run.history:
        last = run.history[-1]
        out(
            f"last epoch  MSE {short_number(last.train_mse, 6)} on normalised data (the number the "
            f"article prints), epoch {last.epoch}, {last.elapsed:.2f} s of training"
        )

    if args.output is None:
        err("Not saved: add -o model.npz (or .json, .safetensors) to keep the weights.")
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
    out(
        f"saved {args.output} ({run.network.architecture}, "
        f"{run.network.n_parameters:,} parameters, {run.epoch} epochs)"
    )
    return 0
