"""`nncore info`: describe a weights file (architecture, training, normaliser, data).

`describe` returns the lines, so the app and notebooks can show the same description.
"""

from __future__ import annotations

import sys
from typing import TextIO

from .. import weightfile
from .terminal import out, r2_label, short_number

__all__ = ["cmd_info", "describe"]


def describe(wf, path: str = "", stream: TextIO | None = None) -> list[str]:
    """The lines `nncore info` prints about a loaded weights file."""
    stream = sys.stdout if stream is None else stream
    r2_name = r2_label(stream)
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

        text = f"training MSE {short_number(num('train_mse'), 6)}"
        if num("train_r2") is not None:
            text += f", {r2_name} {num('train_r2'):.4f}"
        if num("val_mse") is not None:
            text += f"; validation MSE {short_number(num('val_mse'), 6)}"
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
            return ", ".join(short_number(v, 6) for v in vals)

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
    """Print what `describe` says about the weights file."""
    wf = weightfile.load(args.weights)  # a WeightFileError: `main` says so, status 1
    for line in describe(wf, args.weights):
        out(line)
    return 0
