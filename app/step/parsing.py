"""What the student types on the "Step through" tab, checked: numbers, never evaluated. No Qt.

`parse_numbers`, `parse_learning_rate` and `parse_matrices` turn the text of an input field
into numbers, or raise `InputError` with a message saying exactly what is wrong (not a
number, out of range, too many or too few values). `read_example` reads the example
fields (inputs, target, learning rate) for a network of a given size; for a classifier the
target is its true class, one whole number (or a softmax's one-hot row), which the lesson
engine then checks is one of its classes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from nncore.lesson import LR_LIMIT, VALUE_LIMIT  # the engine's bounds: the two cannot drift


class InputError(ValueError):
    """A value typed by the student that cannot be used; the message says why."""


def parse_numbers(
    text: str, what: str, count: int | None = None, limit: float = VALUE_LIMIT
) -> list[float]:
    """Numbers separated by commas or spaces ("0.1, 0.3"), finite and within ±limit."""
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    if not parts:
        raise InputError(f"{what}: type {count or 'some'} number(s), e.g. 0.1, 0.3")
    values = []
    for part in parts:
        try:
            value = float(part.replace("−", "-"))
        except ValueError:
            raise InputError(f"{what}: '{part}' is not a number") from None
        if not math.isfinite(value):
            raise InputError(f"{what}: '{part}' is not a finite number")
        if abs(value) > limit:
            raise InputError(f"{what}: {part} is out of range (keep within ±{limit:g})")
        values.append(value)
    if count is not None and len(values) != count:
        raise InputError(f"{what}: the network needs {count} number(s); you typed {len(values)}")
    return values


def parse_learning_rate(text: str) -> float:
    try:
        value = float(text.strip().replace("−", "-"))
    except ValueError:
        raise InputError(f"learning rate: '{text.strip()}' is not a number") from None
    if not math.isfinite(value) or not 0 < value <= LR_LIMIT:
        raise InputError(f"learning rate: must be above 0 and at most {LR_LIMIT:g}")
    return value


def parse_matrices(text: str, shapes: list[tuple[int, int]], what: str) -> list[list]:
    """Layers separated by '/' or new lines; rows by ';'; numbers by spaces or commas."""
    lines = [ln for ln in re.split(r"[/\n]", text.strip()) if ln.strip()]
    if len(lines) != len(shapes):
        raise InputError(f"{what}: need {len(shapes)} line(s), one per layer; got {len(lines)}")
    matrices = []
    for n, (line, (rows, cols)) in enumerate(zip(lines, shapes), start=1):
        row_texts = [r for r in line.split(";") if r.strip()]
        if len(row_texts) != rows:
            raise InputError(
                f"{what}, layer {n}: need {rows} row(s) separated by ';' "
                f"(one per input of the layer); got {len(row_texts)}"
            )
        matrix = [parse_numbers(r, f"{what}, layer {n}", cols) for r in row_texts]
        matrices.append(matrix)
    return matrices


# Simple values for a field whose count no longer fits a new architecture.
DEFAULT_INPUTS = (0.1, 0.3, 0.5, 0.7)
DEFAULT_TARGETS = (0.2, 0.8, 0.5)


@dataclass
class Example:
    """One training example as typed: inputs, target, learning rate."""

    inputs: list[float]
    target: list[float]
    lr: float
    refilled: list[str]  # the fields ("inputs", "target") replaced by simple defaults


def read_example(
    inputs_text: str,
    target_text: str,
    lr_text: str,
    n_in: int,
    n_out: int,
    fill: bool = False,
    n_classes: int = 0,
) -> Example:
    """The example fields for a network of n_in inputs and n_out outputs (InputError if not).

    With `fill` (a new architecture), a field holding good numbers but the wrong count of
    them is refilled with simple defaults and named in `refilled`; anything that is not a
    usable number is still refused. A classifier (`n_classes` ≥ 2) takes its target as the
    true class: one number (or, for a softmax, a one-hot row of n_out numbers).
    """
    if n_classes:
        return _read_class_example(
            inputs_text, target_text, lr_text, n_in, n_out, n_classes, fill=fill
        )
    refilled = []
    defaults = {"inputs": list(DEFAULT_INPUTS[:n_in]), "target": list(DEFAULT_TARGETS[:n_out])}
    values = {}
    for what, text, count in (("inputs", inputs_text, n_in), ("target", target_text, n_out)):
        numbers = parse_numbers(text, what)
        if len(numbers) != count:
            if not fill:
                raise InputError(
                    f"{what}: the network needs {count} number(s); you typed {len(numbers)}"
                )
            numbers = defaults[what]
            refilled.append(what)
        values[what] = numbers
    return Example(values["inputs"], values["target"], parse_learning_rate(lr_text), refilled)


def _read_class_example(
    inputs_text: str,
    target_text: str,
    lr_text: str,
    n_in: int,
    n_out: int,
    n_classes: int,
    fill: bool = False,
) -> Example:
    """A classifier's example: the inputs, and the true class as typed (checked by the lesson
    engine, which says in words when it is not one of the classes). With `fill` (a new
    network), inputs of the wrong count and a target that is no class of it become simple
    defaults (class 0), named in `refilled`."""
    refilled = []
    inputs = parse_numbers(inputs_text, "inputs")
    if len(inputs) != n_in:
        if not fill:
            raise InputError(f"inputs: the network needs {n_in} number(s); you typed {len(inputs)}")
        inputs = list(DEFAULT_INPUTS[:n_in])
        refilled.append("inputs")
    target = parse_numbers(target_text, "target")
    if fill and not (len(target) == 1 and target[0] in range(n_classes)):
        target = [0.0]
        refilled.append("target")
    if len(target) != 1 and not (n_out > 1 and len(target) == n_out):
        raise InputError(
            f"target: type the true class, one whole number from 0 to {n_classes - 1}; "
            f"you typed {len(target)} numbers"
        )
    return Example(inputs, target, parse_learning_rate(lr_text), refilled)


def count_problem(text: str, what: str, low: int, high: int) -> str | None:
    """Why a typed count ("100" neurons) cannot be used, naming the allowed range; else None.

    The custom network's number fields would otherwise clamp or revert a value out of range
    without a word.
    """
    typed = text.strip()
    allowed = f"{what} go from {low} to {high}"
    if not typed:
        return f"{allowed}: type a whole number."
    if not re.fullmatch(r"[+-]?\d{1,9}", typed):
        return f"{allowed}: {typed!r} is not a whole number."
    value = int(typed)
    if value < low or value > high:
        return f"{allowed}, so {value} is not possible."
    return None
