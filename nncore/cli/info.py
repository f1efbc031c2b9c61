"""`nncore info`: describe a weights file (architecture, task, training, normaliser, data).

`describe` returns the lines, so the app and notebooks can show the same description.
Everything in them that came from the file (names, settings, the stop message, the data's
description) passes through `field`: control characters (ESC, BEL, CR, line breaks) are
written as escapes, so a file cannot repaint or beep the terminal, and long texts are cut
to `FIELD_LIMIT` characters.
"""

from __future__ import annotations

import sys
from typing import TextIO

from ..errors import WeightFileError
from ..safetext import printable_part
from .terminal import out, r2_label, short_number

__all__ = ["FIELD_LIMIT", "cmd_info", "describe", "field"]

FIELD_LIMIT = 200  # characters of one text from a file


def field(value: object, limit: int = FIELD_LIMIT) -> str:
    """A value read from a file as safe text: escaped, at most `limit` characters (a cut
    text ends in "… (N characters)"). Numbers too long to write in full (Python refuses
    ints of more than 4,300 digits) are described instead of raising."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = str(value) if isinstance(value, (bool, int, float)) or value is None else ""
        except ValueError:
            return "(a number too long to show)"
        if not text:
            text = f"({type(value).__name__})"
    clean = printable_part(text[: limit * 4])
    if len(text) <= limit and len(clean) <= limit:
        return clean
    return f"{clean[: limit - 1]}… ({len(text):,} characters)"


def _count(value: object) -> str:
    """A whole number with thousands separators, or `field`'s text for anything else."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**18:
        return f"{value:,}"
    return field(value, 40)


def describe(wf, path: str = "", stream: TextIO | None = None) -> list[str]:
    """The lines `nncore info` prints about a loaded weights file."""
    stream = sys.stdout if stream is None else stream
    r2_name = r2_label(stream)
    net = wf.network
    hidden = net.n_layers - 1
    lines = [
        f"{field(path or 'weights')}: nn-tutor weights, format version "
        f"{field(wf.format_version, 20)} ({field(wf.format or '?', 20)})"
    ]

    def row(name: str, value: str) -> None:
        lines.append(f"  {name:<15}{value}")

    row(
        "architecture",
        f"{field(net.architecture)}  ({net.n_inputs} input(s), {hidden} hidden "
        f"layer(s), {net.n_outputs} output(s))",
    )
    row("activations", field(", ".join(map(str, net.activation_names))))
    row("task", f"{field(wf.task, 40)}, loss {field(wf.loss, 40)}")
    if wf.classes:
        names = ", ".join(wf.classes)
        row("classes", f"{len(wf.classes):,}: {field(names)}")
    row("parameters", f"{net.n_parameters:,}")
    row("dtype", field(net.dtype.name, 20))
    if net.init is not None:
        row(
            "initialisation",
            field(net.init, 40) + (f" (seed {_count(net.seed)})" if net.seed is not None else ""),
        )
    cfg = wf.config
    if cfg:
        batch = cfg.get("batch_size")
        batch_text = "full batch" if batch is None else f"batches of {_count(batch)}"
        parts = [
            field(cfg.get("optimizer", "?"), 40),
            f"lr {field(cfg.get('lr', '?'), 40)}",
            f"{field(cfg.get('schedule', '?'), 40)} schedule",
            batch_text,
            f"{_count(cfg.get('epochs', '?'))} epochs planned",
        ]
        if cfg.get("weight_decay"):
            parts.append(f"weight decay {field(cfg['weight_decay'], 40)}")
        row("recipe", f"{field(cfg.get('recipe', '?'), 40)}: " + ", ".join(parts))
    else:
        row("recipe", "(not recorded)")
    row("epochs trained", _count(wf.epochs_trained))
    if wf.history:
        last = wf.history[-1]

        def num(key):
            v = last.get(key)
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                return None
            try:
                return float(v)
            except OverflowError:  # an int too large for a float
                return None

        if net.is_classifier:
            row("final loss", _classifier_loss(num))
        else:
            row("final loss", _regression_loss(num, r2_name))
        if num("elapsed") is not None:
            row("training time", f"{num('elapsed'):.2f} s")
    stop = wf.meta.get("stop_reason")
    if isinstance(stop, dict) and isinstance(stop.get("message"), str):
        row("stopped", field(stop["message"]))
    _normaliser_rows(wf, row)
    for key, name in (("data_source", "data"), ("function", "function"), ("command", "command")):
        value = wf.meta.get(key)
        if isinstance(value, str) and value:
            row(name, field(value))
    return lines


def _classifier_loss(num) -> str:
    """The last epoch's cross-entropy and accuracy (`num(key)`: a number of it, or None)."""
    text = f"training cross-entropy {short_number(num('train_mse'), 6)}"
    if num("train_accuracy") is not None:
        text += f", accuracy {num('train_accuracy'):.1%}"
    if num("val_mse") is not None:
        text += f"; validation cross-entropy {short_number(num('val_mse'), 6)}"
        if num("val_accuracy") is not None:
            text += f", accuracy {num('val_accuracy'):.1%}"
    return text


def _regression_loss(num, r2_name: str) -> str:
    """The last epoch's MSE and R² (`num(key)`: a number of it, or None)."""
    text = f"training MSE {short_number(num('train_mse'), 6)}"
    if num("train_r2") is not None:
        text += f", {r2_name} {num('train_r2'):.4f}"
    if num("val_mse") is not None:
        text += f"; validation MSE {short_number(num('val_mse'), 6)}"
        if num("val_r2") is not None:
            text += f", {r2_name} {num('val_r2'):.4f}"
    return text + " (normalised units)"


def _normaliser_rows(wf, row) -> None:
    """The normaliser's statistics (a classifier's targets are probabilities, left as they are)."""
    if wf.normaliser is not None:
        d = wf.normaliser.to_dict()

        def show(vals):
            return ", ".join(short_number(v, 6) for v in vals)

        row("normaliser", field(f"inputs mean [{show(d['x_mean'])}], std [{show(d['x_std'])}]"))
        if wf.network.is_classifier:
            row("", "targets: class probabilities, not normalised")
        else:
            row("", field(f"targets mean [{show(d['y_mean'])}], std [{show(d['y_std'])}]"))
    else:
        row("normaliser", "none (the network sees the numbers as they are)")


def cmd_info(args) -> int:
    """Print what `describe` says about the weights file."""
    from .files import load_weights  # here: `nncore.cli` imports this module while it loads

    wf = load_weights(args.weights)  # a WeightFileError: `main` says so, status 1
    try:
        lines = describe(wf, args.weights)
    except (ValueError, OverflowError) as exc:  # a value the checks let through: still one line
        raise WeightFileError(f"cannot describe {field(args.weights)}: {exc}") from None
    for line in lines:
        out(line)
    return 0
