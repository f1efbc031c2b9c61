"""`nncore predict`: answer with a saved model at given points, in the data's original units.

The points come from the command line (--points "x,y; x,y") or a CSV file, which may also
hold the known answers; then the fit to them is printed as well. A classifier answers with
each point's class (its name, saved with the weights) and the probability of every class;
the known answers (a CSV's label or class column) are then the class names, or class numbers
0, 1, ... when the names are not numbers, and the accuracy is printed.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys

import numpy as np

from .. import memory
from ..classification import default_class_names
from ..errors import DataError
from ..losses import class_indices
from ..safetext import shown
from . import UsageError
from .files import csv_fault, load_weights, write_text_atomically
from .terminal import err, out, r2_label, short_number

__all__ = ["cmd_predict"]


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


def _points_from_csv(
    path: str, n_inputs: int, classes=None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Inputs (and known targets, if the file has them) read by `nncore.data`; for a
    classifier (its class names in `classes`) the known classes as indices, NaN if unknown."""
    from ..data import load_points_csv

    try:
        return load_points_csv(path, n_inputs, classes)
    except DataError as exc:
        raise csv_fault(path, exc) from None


def _predict_with(wf, X: np.ndarray) -> np.ndarray:
    net = wf.network
    memory.require_fits(
        memory.estimate_prediction(net.sizes, len(X), net.dtype.name),
        f"predicting {len(X):,} points with {net.architecture}",
    )
    chunks = []
    for start in range(0, len(X), memory.EVAL_CHUNK_ROWS):  # chunks keep the memory bounded
        Xc = X[start : start + memory.EVAL_CHUNK_ROWS]  # (chunk, n_inputs)
        if wf.normaliser is None:
            chunks.append(np.asarray(net.predict(Xc), dtype=np.float64))
        elif net.is_classifier:  # probabilities: no units to return to
            chunks.append(np.asarray(net.predict(wf.normaliser.transform_x(Xc)), np.float64))
        else:
            pred = net.predict(wf.normaliser.transform_x(Xc))
            chunks.append(wf.normaliser.inverse_y(np.asarray(pred, dtype=np.float64)))
    return np.concatenate(chunks) if chunks else np.empty((0, net.n_outputs))


def class_probabilities(net, outputs: np.ndarray) -> np.ndarray:
    """(n, k) the probability of each class: a softmax's outputs as they are; one sigmoid
    output is p(class 1), so p(class 0) = 1 − p beside it."""
    if net.n_outputs == 1:
        return np.hstack([1.0 - outputs, outputs])
    return outputs


def _print_classes(wf, X: np.ndarray, probabilities: np.ndarray, in_names, output) -> None:
    """Each point with its most probable class's name and every class's probability."""
    names = wf.classes or default_class_names(probabilities.shape[1])
    chosen = np.argmax(probabilities, axis=1)  # (n,) ties: the first class, as predict_classes
    header = [*in_names, "class", *(f"p({name})" for name in names)]
    rows = [
        [*(float(v) for v in xr), names[c], *(float(p) for p in pr)]
        for xr, c, pr in zip(X, chosen, probabilities)
    ]
    if output is not None:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")  # quotes a name holding a comma
        writer.writerow(header)
        writer.writerows([repr(v) if isinstance(v, float) else v for v in row] for row in rows)
        write_text_atomically(output, text.getvalue())
        out(f"wrote {len(X):,} prediction(s) to {output}")
        return
    width = max(14, *(len(h) for h in header))
    out("  ".join(f"{h:>{width}}" for h in header))
    for row in rows:
        out("  ".join(f"{v:>{width}.6g}" if isinstance(v, float) else f"{v:>{width}}" for v in row))


def _print_accuracy(wf, probabilities: np.ndarray, y: np.ndarray) -> None:
    """The share of the CSV's known classes the model gets right."""
    k = probabilities.shape[1]
    try:
        true = class_indices(y, k)
    except ValueError:  # a label the model does not know (NaN): say so, predictions stand
        names = wf.classes or default_class_names(k)
        if tuple(names) == default_class_names(k):  # classes known by number only
            err(f"note: the CSV's known answers are not class numbers 0 to {k - 1}; no accuracy")
        else:
            err(
                f"note: the CSV's known answers are not all among the model's classes "
                f"({shown(', '.join(names), 120)}); no accuracy"
            )
        return
    right = int(np.sum(true == np.argmax(probabilities, axis=1)))
    points = f"{len(y):,} point{'s' if len(y) != 1 else ''}"
    out(f"against the CSV's classes: accuracy {right / len(y):.1%} ({right:,} of {points})")


def cmd_predict(args) -> int:
    """Predict at the --points or --csv inputs; print them or write them as CSV (-o)."""
    from ..losses import mse, r2

    if (args.points is None) == (args.csv is None):
        raise UsageError('give the inputs with --points "x,y; x,y" or --csv FILE (one of them)')
    wf = load_weights(args.weights)  # a WeightFileError: `main` says so, status 1
    n_in = wf.network.n_inputs
    if args.points is not None:
        X, y = _parse_points(args.points, n_in), None
    else:
        classes = None
        if wf.network.is_classifier:
            classes = wf.classes or default_class_names(wf.network.n_classes)
        X, y = _points_from_csv(args.csv, n_in, classes)
    pred = _predict_with(wf, X)
    if wf.normaliser is None:
        err("note: this model has no normaliser, so inputs and predictions are used as they are")
    in_names = ["x", "y"] if n_in == 2 else [f"x{i + 1}" for i in range(n_in)]
    if wf.network.is_classifier:
        probabilities = class_probabilities(wf.network, pred)  # (n, k)
        _print_classes(wf, X, probabilities, in_names, args.output)
        if y is not None:
            _print_accuracy(wf, probabilities, y)
        return 0
    out_names = (
        ["prediction"]
        if pred.shape[1] == 1
        else [f"prediction{i + 1}" for i in range(pred.shape[1])]
    )
    if args.output is not None:
        lines = [",".join(in_names + out_names)]
        for xr, pr in zip(X, pred):
            lines.append(",".join(repr(float(v)) for v in list(xr) + list(pr)))
        write_text_atomically(args.output, "\n".join(lines) + "\n")
        out(f"wrote {len(X):,} prediction(s) to {args.output}")
    else:
        header = in_names + out_names
        out("  ".join(f"{h:>14}" for h in header))
        for xr, pr in zip(X, pred):
            out("  ".join(f"{float(v):>14.8g}" for v in list(xr) + list(pr)))
    if y is not None and pred.shape[1] == 1:
        points = f"{len(y):,} point{'s' if len(y) != 1 else ''}"
        out(
            f"against the CSV's targets: MSE {short_number(mse(pred, y), 6)}, "
            f"{r2_label(sys.stdout)} {r2(pred, y):.4f} ({points})"
        )
    return 0
