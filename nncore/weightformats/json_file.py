"""The .json format: a text file a person can open and read, arrays as nested lists.

The description (see `nncore.weightformats.header`) comes first, then "layers": one object
per layer with "weights", a list of rows of shape (fan_in, fan_out), and "biases", a list
of fan_out numbers. It is indented for reading, but each matrix row, each list of names and
each history entry stays on one line. Python writes every float64 as the shortest text that
reads back to the same bits; float32 values are written as their exact float64 value and
cast back, so this format too reads back bit for bit.
"""

from __future__ import annotations

import json
import re
import secrets

import numpy as np

from ..errors import WeightFileError
from ..network import Network
from .header import (
    DESCRIPTION_LIMITS,
    MAX_PARAMETERS,
    JsonLimits,
    architecture_text,
    check_array,
    check_header,
    parse_json_text,
    quoted_value,
)

__all__ = ["EXTENSION", "looks_like", "write", "read"]

EXTENSION = ".json"

# What a .json weights file may hold, checked on its text before it is parsed: the numbers
# of the largest model, one list per matrix row (a 2-100000-1 network has 100,001 rows),
# and the description. Python spends some 30 bytes on each number and 56 on each list.
MAX_MATRIX_ROWS = 2_000_000
FILE_LIMITS = JsonLimits(
    values=MAX_PARAMETERS + MAX_MATRIX_ROWS + DESCRIPTION_LIMITS.values,
    containers=MAX_MATRIX_ROWS + DESCRIPTION_LIMITS.containers,
)


def looks_like(data: bytes) -> bool:
    """Whether the bytes start like a JSON object."""
    return data.lstrip()[:1] == b"{"


def write(tmp: str, header: dict, network: Network) -> None:
    """Write the description and the arrays to the file `tmp`."""
    doc = dict(header)
    doc["layers"] = [
        {
            "weights": w.astype(np.float64).tolist(),  # exact for float32
            "biases": b.astype(np.float64).reshape(-1).tolist(),
        }
        for w, b in zip(network.weights, network.biases)
    ]
    # Indented for reading, but a list of plain numbers or names (a matrix row, the sizes)
    # and each history entry stay on one line. Placeholders carry a random part no real
    # string can guess; they are swapped for the compact text after indenting.
    compact: list[str] = []
    nonce = secrets.token_hex(8)

    def one_line(value) -> str:
        compact.append(json.dumps(value, ensure_ascii=False))
        return f"@@{nonce}:{len(compact) - 1}@@"

    def shorten(value):
        if isinstance(value, dict):
            return {key: shorten(v) for key, v in value.items()}
        if isinstance(value, list):
            if value and all(not isinstance(v, (list, dict)) for v in value):
                return one_line(value)
            return [shorten(v) for v in value]
        return value

    history = doc.pop("history")
    doc = shorten(doc)
    doc["history"] = [one_line(h) for h in history]
    doc["layers"] = doc.pop("layers")  # keep the arrays last
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    text = re.sub(f'"@@{nonce}:([0-9]+)@@"', lambda m: compact[int(m.group(1))], text)
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text + "\n")


def read(data: bytes) -> tuple[dict, list[np.ndarray], list[np.ndarray]]:
    """(description, weights, biases) from the bytes of a .json file, all checked."""
    doc = parse_json_text(data, "file", FILE_LIMITS)
    sizes = check_header(doc)
    layers = doc.get("layers")
    if not isinstance(layers, list):
        raise WeightFileError("'layers' must be a list with one entry per layer")
    if len(layers) != len(sizes) - 1:
        raise WeightFileError(
            f"the architecture {architecture_text(sizes)} has {len(sizes) - 1} layers "
            f"but 'layers' holds {len(layers)}"
        )
    weights, biases = [], []
    for k, layer in enumerate(layers):
        if not isinstance(layer, dict) or set(layer) != {"weights", "biases"}:
            raise WeightFileError(
                f"layer {k} must be an object with exactly the keys 'weights' and 'biases'"
            )
        w = _nested_numbers(layer["weights"], (sizes[k], sizes[k + 1]), f"layer {k} weight")
        b = _nested_numbers(layer["biases"], (sizes[k + 1],), f"layer {k} bias")
        dt = np.dtype(doc["dtype"])
        with np.errstate(over="ignore"):  # too large for float32 becomes inf, refused below
            w, b = w.astype(dt), b.astype(dt).reshape(1, -1)
        weights.append(check_array(w, (sizes[k], sizes[k + 1]), doc["dtype"], f"layer {k} weight"))
        biases.append(check_array(b, (1, sizes[k + 1]), doc["dtype"], f"layer {k} bias"))
    return doc, weights, biases


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _nested_numbers(value, shape: tuple[int, ...], what: str) -> np.ndarray:
    """A list (of lists) of JSON numbers with exactly `shape`, as float64."""
    if len(shape) == 1:
        if not isinstance(value, list):
            raise WeightFileError(f"{what} must be a list of numbers")
        if len(value) != shape[0]:
            raise WeightFileError(
                f"{what} has {len(value)} numbers but the architecture says {shape[0]}"
            )
        for j, v in enumerate(value):
            if not _is_number(v):
                raise WeightFileError(f"{what} entry {j} is {quoted_value(v)}, not a number")
        return np.array(value, dtype=np.float64)
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise WeightFileError(f"{what} must be a list of rows, each a list of numbers")
    n_cols = len(value[0]) if value else 0
    for i, row in enumerate(value):
        if len(row) != n_cols:
            raise WeightFileError(f"{what} row {i} has {len(row)} numbers but row 0 has {n_cols}")
    if (len(value), n_cols) != shape:
        raise WeightFileError(
            f"{what} has shape {(len(value), n_cols)} but the architecture says {shape}"
        )
    for i, row in enumerate(value):
        for j, v in enumerate(row):
            if not _is_number(v):
                raise WeightFileError(f"{what} entry ({i}, {j}) is {quoted_value(v)}, not a number")
    return np.array(value, dtype=np.float64)
