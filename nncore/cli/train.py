"""`nncore train`: make a dataset, train a network on it with a progress bar, save the weights.

The data come from a built-in function, a formula or a CSV file; the settings start from a
recipe (the article's or the modern one) and any option overrides one of them. With --data
(a built-in class data set: spiral, circle, xor, gaussians) and a classifier's recipe
(--recipe classify), with --csv of a file with a label column (names or whole numbers,
see `nncore.csvfiles`), or with a function or --formula and --recipe classify (two classes:
its sign at each point, `nncore.data.sign_classes`), it trains a classifier instead: the
output layer gets one neuron per class, the progress shows the accuracy beside the loss, and the class names are saved with
the weights. Without --recipe, class data get the classify recipe, everything else the
article's.

Nothing trained is lost. Before anything is built, the command checks what it can: the
settings, whether the run fits in memory (`nncore.memory`'s estimate against its limit;
the dataset's size is known from --samples or --grid before a point is made) and whether
the -o file can be written (by creating a file beside it). After training it saves first
and only then prints the summary, which evaluates in chunks. Ctrl+C, SIGTERM and SIGHUP
stop at the end of the current batch and save (see `nncore.cli.signals`); if the save
fails, the model goes to a rescue file next to it (or in the current or temporary folder),
and the message names it.
"""

from __future__ import annotations

import os
import re
import shlex
import sys

import numpy as np

from .. import __version__, memory, weightfile
from ..errors import DataError, NNCoreError, SettingsError, WeightFileError
from ..safetext import one_line, printable_part, shown
from . import InputError, UsageError
from .files import check_writable, csv_fault, rescue_paths
from .signals import Interrupts, _Interrupted, signal_name
from .terminal import ProgressBar, err, out, r2_label, short_number

__all__ = ["NOT_GIVEN", "cmd_train", "parse_arch"]

PATH_LIMIT = 200  # characters of a file's path quoted in a message

NOT_GIVEN = object()  # tells "--batch-size full" (None) from no --batch-size at all


_ARCH_SEPARATORS = re.compile(r"\s*[-,x×]\s*|\s+")
_DIGITS = re.compile(r"[0-9]+")  # ASCII digits only: int() would also take '²' or '٣'


def parse_arch(text: str) -> tuple[int, ...]:
    """Layer sizes from --arch text like 2-64-64-1 (commas, x or spaces also separate).

    Every part must be a whole number of at least 1: an empty part (2--1, 2-, -2-1), a
    number written any other way (1e9, 2.5) or a word is refused, as are layers wider or
    networks larger than the library allows (`nncore.config.check_sizes`).
    """
    from ..config import MAX_LAYER_WIDTH, check_sizes

    example = "give sizes like 2-64-64-1"
    parts = _ARCH_SEPARATORS.split(text.strip())
    if any(p == "" for p in parts):
        raise UsageError(
            f"--arch {shown(text)} has an empty layer size (a separator at an end, or two in "
            f"a row); {example}"
        )
    for part in parts:
        if not _DIGITS.fullmatch(part):
            raise UsageError(
                f"--arch {shown(text)}: {shown(part)} is not a whole number of neurons; {example}"
            )
    for part in parts:
        if len(part.lstrip("0")) > 15:  # int() of 5,000 digits would fail
            raise UsageError(
                f"--arch {shown(text)}: {shown(part)} neurons is far more than the "
                f"{MAX_LAYER_WIDTH:,} a layer may have"
            )
    sizes = tuple(int(p) for p in parts)
    if len(sizes) < 2:
        raise UsageError(f"--arch {shown(text)} needs at least two sizes, like 2-64-1")
    if min(sizes) < 1:
        raise UsageError(f"--arch {shown(text)}: every layer needs at least 1 neuron; {example}")
    try:
        check_sizes(sizes)
    except SettingsError as exc:
        raise UsageError(f"--arch {shown(text)}: {exc}") from None
    return sizes


def _function_for(args):
    """(the target function, its label) for --formula or a function name; None for --csv
    or --data. Checks which data options go together."""
    from ..data import FUNCTIONS, get_function
    from ..formula import FormulaError

    sources = [
        name
        for name, given in (
            ("a function name", args.function is not None),
            ("--formula", args.formula is not None),
            ("--csv", args.csv is not None),
            ("--data", args.data is not None),
        )
        if given
    ]
    if len(sources) > 1:
        raise UsageError(
            "give only one of a function name, --formula, --csv or --data "
            f"(got {' and '.join(sources)})"
        )
    if args.classes is not None and args.data is None:
        raise UsageError("--classes is for a class data set: give it with --data, e.g. spiral")
    if args.data is not None:
        if args.grid is not None:
            raise UsageError("--grid makes a grid of a function; --data draws --samples points")
        return None
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
        return None
    if args.formula is not None:
        try:
            fn = get_function(args.formula)
        except FormulaError as exc:
            raise UsageError(f"--formula {shown(args.formula)}: {exc}") from None
        return fn, (fn.label if fn.name != "formula" else args.formula)
    name = args.function or "article"
    if name.lower() not in FUNCTIONS:
        raise UsageError(
            f"unknown function {shown(name)}; choose one of "
            f"{', '.join(FUNCTIONS)}, or give your own with --formula"
        )
    fn = FUNCTIONS[name.lower()]
    return fn, f"{fn.name}: {fn.label}"


def _points_planned(args) -> int:
    """How many points --grid or --samples will make (checked against the data's limits
    and memory, without making them)."""
    from ..data import grid_points, sample_count

    if args.grid is not None:
        return grid_points(args.grid)
    return sample_count(1000 if args.samples is None else args.samples)


def _val_count(n: int, share: float | None) -> int:
    """The validation points `Dataset.split` will set aside from n (its share checked)."""
    from .. import checks

    share = checks.number(share or 0.0, "val_share", 0.0, 1.0, high_open=True)
    return min(int(round(n * share)), max(n - 1, 0))


def _classes_by_sign(args) -> bool:
    """A function or --formula with --recipe classify: two classes, its sign at each point."""
    from ..training import recipe

    return (
        args.data is None
        and args.csv is None
        and args.recipe is not None
        and recipe(args.recipe).loss == "cross_entropy"
    )


def _class_count(args) -> int:
    """The number of classes the data will have (0: no classifier): --data's, or two for the
    sign of a function."""
    if _classes_by_sign(args):
        return 2
    if args.data is None:
        return 0
    return 2 if args.classes is None else args.classes


def _make_data(args, fn, label):
    """The dataset: a class data set (--data), read from --csv, or made from the function."""
    from ..data import classification, grid, load_csv, sample_uniform, sign_classes

    if args.data is not None:
        k = _class_count(args)
        data = classification(
            args.data,
            1000 if args.samples is None else args.samples,
            seed=0 if args.seed is None else args.seed,
            noise=0.0 if args.noise is None else args.noise,
            classes=k,
        )
        return data, f"the {args.data} class data set ({k} classes)"
    if fn is None:
        try:
            return load_csv(args.csv), f"CSV file {args.csv}"
        except DataError as exc:
            raise csv_fault(args.csv, exc) from None
        except OSError as exc:
            raise InputError(f"cannot read {shown(args.csv)}: {exc.strerror or exc}") from None
    noise = 0.0 if args.noise is None else args.noise
    seed = 0 if args.seed is None else args.seed
    samples = 1000 if args.samples is None else args.samples
    # A SettingsError here (--grid 1, --noise -1) is a usage error, a DataError (the formula
    # is undefined somewhere) a data problem: `main` tells them apart.
    if _classes_by_sign(args):
        if args.grid is not None:
            raise UsageError("--grid makes a grid of a function; classes draw --samples points")
        data = sign_classes(fn, samples, seed=seed, noise=noise)
        return data, f"two classes by the sign of {label} (class 1 where it is positive)"
    if args.grid is not None:
        return grid(fn, args.grid, noise=noise, seed=seed), label
    return sample_uniform(fn, samples, seed=seed, noise=noise), label


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
    if args.data is not None:
        samples = 1000 if args.samples is None else args.samples
        classes = _class_count(args)
        return {"class_data": args.data, "classes": classes, "samples": samples, **common}
    function = args.formula if args.formula is not None else (args.function or "article").lower()
    if _classes_by_sign(args):
        samples = 1000 if args.samples is None else args.samples
        return {
            "function": function,
            "task": "classification",
            "dataset": "sign",  # nncore.data.SIGN_CLASSES, as the Train tab names it
            "classes": 2,
            "samples": samples,
            **common,
        }
    if args.grid is not None:
        return {"function": function, "samples": 0, "grid": args.grid, **common}
    return {
        "function": function,
        "samples": 1000 if args.samples is None else args.samples,
        **common,
    }


def _classifier_outputs(args, classes: int) -> int:
    """The output layer's size for a classifier of `classes` classes under --recipe (one
    sigmoid output tells two classes, a softmax has one per class); the recipe and the data
    must both be for classification, or both not."""
    from ..training import recipe

    base = recipe(args.recipe)
    if classes and base.loss != "cross_entropy":
        data = f"--data {args.data}" if args.data is not None else "the CSV's label column"
        raise UsageError(
            f"{data} holds classes, but --recipe {args.recipe} is for regression "
            "(squared error); train a classifier with --recipe classify"
        )
    if not classes and base.loss == "cross_entropy":
        raise UsageError(
            f"--recipe {args.recipe} trains a classifier: give a class data set with --data "
            "(spiral, circle, xor or gaussians), a CSV with a label column, or a function or "
            "--formula whose sign makes the classes"
        )
    return 1 if base.output == "sigmoid" and classes == 2 else classes


def _config_for(args, n_inputs: int, n_outputs: int, classes: int = 0):
    """The recipe with the options' changes; its sizes fitted to the data (`classes` > 0:
    a classifier, whose output layer is sized by `_classifier_outputs`)."""
    from ..training import recipe

    if classes:
        n_outputs = _classifier_outputs(args, classes)
    else:
        _classifier_outputs(args, 0)  # a classifier's recipe needs class data
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
        ("target_accuracy", "target_accuracy"),
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
            outputs = f"{classes} classes" if classes else f"{n_outputs} target(s)"
            raise UsageError(
                f"--arch {args.arch}: the data has {n_inputs} inputs and "
                f"{outputs}, so the sizes must start with {n_inputs} "
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


def _fit_in_units(run, ds) -> tuple[float, float]:
    """(MSE, R²) of the run's predictions on `ds` in the target's units, predicted in chunks
    of at most memory.EVAL_CHUNK_ROWS rows (all at once would need memory for every row)."""
    y = ds.y  # (n, n_out)
    sse = 0.0
    for start in range(0, len(ds), memory.EVAL_CHUNK_ROWS):
        stop = start + memory.EVAL_CHUNK_ROWS
        diff = run.predict(ds.X[start:stop]) - y[start:stop]  # (chunk, n_out)
        sse += float(np.sum(diff * diff))
    ss_tot = float(np.sum((y - y.mean(axis=0)) ** 2))  # as nncore.losses.r2: pooled outputs
    r2 = 1.0 - sse / ss_tot if ss_tot > 0 else float(sse == 0.0)
    return sse / y.size, r2


def _print_classifier_summary(run, train, val) -> None:
    """A classifier's accuracy and mean cross-entropy on the training (and validation) data."""
    for name, split, ds in (("training", "train", train), ("validation", "val", val)):
        if len(ds):
            fit = run.evaluate(split)
            out(
                f"{name:<10}  accuracy {fit['accuracy']:.1%}, cross-entropy "
                f"{short_number(fit['loss'], 6)}  ({len(ds):,} points)"
            )
    if run.history:
        last = run.history[-1]
        out(
            f"last epoch  cross-entropy {short_number(last.train_loss, 6)}, accuracy "
            f"{last.train_accuracy:.1%} (averaged over the epoch's batches), epoch {last.epoch}, "
            f"{last.elapsed:.2f} s of training"
        )


def _print_summary(run, train, val) -> None:
    """The fit on the training (and validation) data, and the last epoch's loss."""
    if run.network.is_classifier:
        _print_classifier_summary(run, train, val)
        return
    r2_name = r2_label(sys.stdout)
    for name, ds in (("training", train), ("validation", val)):
        if len(ds):
            mse, r2 = _fit_in_units(run, ds)
            out(
                f"{name:<10}  MSE {short_number(mse, 6)} in the target's units, "
                f"{r2_name} {r2:.4f}  ({len(ds):,} points)"
            )
    if run.history:
        last = run.history[-1]
        out(
            f"last epoch  MSE {short_number(last.train_loss, 6)} on normalised data (the number the "
            f"article prints), epoch {last.epoch}, {last.elapsed:.2f} s of training"
        )


def _save(path: str, run, meta: dict, classes=None) -> str | None:
    """Save the run (and a classifier's class names) to `path`; when that fails, say why in
    one line and save it to the first rescue path that works. Returns None when `path` was
    written, else the rescue path (or "" when even that failed)."""
    parts = dict(
        normaliser=run.normaliser,
        config=run.config,
        history=run.history,
        meta=meta,
        classes=classes,
    )
    try:
        weightfile.save(path, run.network, **parts)
        return None
    except Exception as exc:  # anything at all: the model must not be lost to it
        reason = str(exc) if isinstance(exc, NNCoreError) else f"{type(exc).__name__}: {exc}"
        err(one_line(f"nncore train: error: could not save {shown(path, PATH_LIMIT)}: {reason}"))
    for rescue in rescue_paths(path):
        try:
            weightfile.save(rescue, run.network, **parts)
            return rescue
        except Exception:  # try the next place
            continue
    return ""


def cmd_train(args) -> int:
    """Check everything that can be checked, make the data, train with a progress bar,
    save the weights, then print the fit."""
    from ..training import TrainingRun

    if args.recipe is None and args.csv is None:  # a class data set is learnt by a classifier
        args.recipe = "classify" if args.data is not None else "article"
    if args.output is not None:
        try:
            weightfile.format_of(args.output)
        except WeightFileError as exc:
            raise UsageError(f"-o: {exc}") from None
    with Interrupts() as interrupts:
        try:
            return _train(args, interrupts, TrainingRun)
        except _Interrupted as stop:
            if interrupts.phase == "training":
                err("\nAborted: nothing was saved.")
            elif interrupts.phase == "after":
                err(f"\nInterrupted ({signal_name(stop.signum)}) after saving; no summary.")
            else:
                err(f"\nInterrupted ({signal_name(stop.signum)}): nothing was trained.")
            return stop.status


def _train(args, interrupts: Interrupts, TrainingRun) -> int:
    source = _function_for(args)
    classes = _class_count(args)
    if args.csv is None:
        # Settings and memory first, from the number of points alone: a run that cannot
        # fit is refused before a single point is made.
        n = _points_planned(args)
        n_val = _val_count(n, args.val_share)
        planned = _config_for(args, 2, 1, classes)
        need = memory.estimate_training(
            planned.sizes, n - n_val, n_val, planned.batch_size, planned.optimizer, planned.dtype
        )
        memory.require_fits(need, f"training on {n - n_val:,} points")
    if args.output is not None:
        check_writable(args.output)
    fn, label = source if source is not None else (None, "")
    data, label = _make_data(args, fn, label)
    classes = 0 if data.classes is None else len(data.classes)
    if args.recipe is None:  # --csv: a label column is learnt by a classifier
        args.recipe = "classify" if classes else "article"
    config = _config_for(args, data.n_inputs, data.n_outputs, classes)
    split_seed = 0 if config.seed is None else config.seed
    train, val = data.split(args.val_share or 0.0, seed=split_seed)  # checks --val-share
    try:
        run = TrainingRun(config, train, val if len(val) else None)
    except NNCoreError:
        raise  # a SettingsError (memory) is a usage error, a DataError a data problem
    except ValueError as exc:
        raise InputError(str(exc)) from None

    batch = "full batch" if config.batch_size is None else f"batches of {config.batch_size}"
    err(
        f"Training {'-'.join(map(str, config.sizes))} ({config.activation}, {config.init} "
        f"init, {config.dtype}) on {len(train):,} points"
        + (f" (+{len(val):,} for validation)" if len(val) else "")
        + f" of {printable_part(label[:200])}; recipe {config.recipe}: {config.optimizer}, lr "
        f"{config.lr:g}, {config.schedule} schedule, {batch}, up to {config.epochs:,} epochs."
    )

    bar = ProgressBar(config.epochs, sys.stderr) if not args.quiet else None
    interrupts.run = run
    interrupts.per_batch = config.batch_size is not None and config.batch_size < len(train)
    interrupts.phase = "training"
    try:
        stop = run.run(progress=bar.update if bar else None, chunk=1)
    finally:
        if bar:
            bar.finish()
    interrupts.phase = "saving"

    if args.output is None:
        interrupts.phase = "after"
        out(stop.message)
        if stop.detail:
            out(stop.detail)
        _print_summary(run, train, val)
        err("Not saved: add -o model.npz (or .json, .safetensors) to keep the weights.")
        return 1 if stop.kind == "diverged" else 0
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
    rescued = _save(args.output, run, meta, data.classes)  # first: everything after it is optional
    interrupts.phase = "after"
    if rescued is not None:
        if rescued:
            err(f"The trained model was saved instead to {shown(rescued, PATH_LIMIT)}.")
        else:
            err("The trained model could not be saved anywhere (see the error above).")
        return 1
    saved = (
        f"saved {args.output} ({run.network.architecture}, "
        f"{run.network.n_parameters:,} parameters, {run.epoch} epochs)"
    )
    if interrupts.during_save is not None:
        signum = interrupts.during_save
        err(f"{saved}; stopped by {signal_name(signum)} before the summary.")
        return 128 + signum
    out(stop.message)
    if stop.detail:
        out(stop.detail)
    out(saved)
    _print_summary(run, train, val)
    if stop.kind == "diverged":  # the sound weights are kept, but a script must notice
        err(f"nncore train: error: {one_line(stop.message)} The weights kept were saved.")
        return 1
    return 0
