"""Reading CSV files safely: training data (`load_csv`) and points to predict at (`load_points_csv`).

A CSV file comes from elsewhere (a spreadsheet export, another program, a hand-edited text),
so it is read as untrusted input: its size is capped (`MAX_CSV_BYTES`) before anything is
read, its encoding (UTF-8, with or without a byte-order mark, or Excel's UTF-16) and its
separator (',', ';' with decimal commas, a tab or spaces; Excel's "sep=;" first line) are
found from the text itself, and a header row, when there is one, says which column is which.

Every way a file can go wrong has its own sentence naming the line, because the person
reading it has to find that line in their spreadsheet: problems raise `DataError` (an
`nncore.errors.NNCoreError` and a ValueError) listing the first few faulty lines in its
message and all of them in `.lines` and `.problems`. A path of the wrong type raises TypeError.

`nncore.data` re-exports everything public here, so `from nncore.data import load_csv` works.
"""

from __future__ import annotations

import csv
import math
import os
import re
from typing import NamedTuple

import numpy as np

from . import checks
from .dataset import Dataset
from .errors import DataError

__all__ = ["load_csv", "load_points_csv", "MIN_CSV_ROWS", "MAX_CSV_BYTES"]

MIN_CSV_ROWS = 10  # to train and check a network; points to predict at need only one
MAX_CSV_BYTES = 30_000_000  # about 500,000 rows of three numbers (a few seconds to read)
_MAX_LISTED_PROBLEMS = 8
_TARGET_NAMES = ("target", "z", "f", "value", "output", "label")


def load_csv(path) -> Dataset:
    """Read columns x, y, target from a CSV file.

    A header row is optional: with one, the columns are found by name (x, y and target, or z,
    f, value, output), in any order, and extra columns are ignored; without one, each row
    holds exactly x, y, target. Commas, semicolons (with decimal commas allowed), tabs or
    spaces separate the values (Excel's "sep=;" first line is understood); blank lines and
    lines starting with '#' are skipped.
    Raises DataError naming every faulty line (the first few in the message, all in `.lines`).
    """
    X, y, name = _read_columns(
        path,
        ("x", "y"),
        target_required=True,
        min_rows=MIN_CSV_ROWS,
        purpose="to train and check a network",
    )
    assert y is not None  # target_required: every row was read with its target
    return Dataset(X, y, f"{name} ({len(X)} rows)")


def load_points_csv(path, n_inputs: int = 2) -> tuple[np.ndarray, np.ndarray | None]:
    """Points to predict at, from a CSV file: (X of shape (n, n_inputs), targets (n, 1) or None).

    The file is read by the same rules as `load_csv` (separators, comments, encodings, size
    limit, messages naming the faulty lines), with two differences: the target column is
    optional, and a single row is enough. The inputs are the columns named x and y (x1, x2,
    ... for a network with other than two inputs), else the first columns; with a header, a
    column named target (or z, f, value, output, label) holds known answers, and any other
    column is ignored. Without a header, the first row decides: `n_inputs` values are inputs
    only, one more is inputs then target. Raises DataError, as `load_csv` does.
    """
    n_inputs = checks.whole(n_inputs, "n_inputs", 1)
    names = ("x", "y") if n_inputs == 2 else tuple(f"x{i + 1}" for i in range(n_inputs))
    X, y, _ = _read_columns(
        path, names, target_required=False, min_rows=1, purpose="to make a prediction"
    )
    return X, y


class _Layout(NamedTuple):
    """Which fields of a row to read: the inputs' indices, then the target's if it has one."""

    columns: tuple[int, ...]
    names: tuple[str, ...]  # the same columns' names, for messages
    n_fields: int  # how many fields every row must have
    has_target: bool
    expected: str  # what a row should hold, e.g. "3 values (x, y, target)"


def _read_columns(
    path, input_names: tuple[str, ...], *, target_required: bool, min_rows: int, purpose: str
) -> tuple[np.ndarray, np.ndarray | None, str]:
    """(X, y or None, the file's display name): the reader behind load_csv and load_points_csv.

    `purpose` ends the message for a file with fewer than `min_rows` rows ("... needed to
    train and check a network").
    """
    wanted = _column_list(input_names, target_required)
    text, name = _read_text(path)
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    delimiter = None
    if lines and re.fullmatch(r"\s*sep=.\s*", lines[0][1], flags=re.IGNORECASE):
        delimiter = lines[0][1].strip()[4]
        lines = lines[1:]
    if not lines:
        raise DataError(f"{name} is empty: it holds no rows of numbers (expected columns {wanted})")
    table = _split_lines(lines, delimiter)  # [(line number, [field, ...]), ...]

    header_line, header = table[0]
    layout = _header_layout(header, input_names, target_required)
    if layout is not None:
        table = table[1:]
        counts = f"{layout.n_fields}"
    else:
        layout = _plain_layout(len(header), input_names, target_required)
        n = len(input_names)
        counts = f"{layout.n_fields}" if target_required else f"{n} or {n + 1}"

    widths = {len(fields) for _, fields in table}
    if len(widths) == 1 and widths != {layout.n_fields}:
        (width,) = widths
        raise DataError(
            f"{name}: every row has {width} value{'s' if width != 1 else ''} but "
            f"{counts} are expected ({wanted}); check the separator and the "
            f"columns (first data row: line {table[0][0]})",
            [number for number, _ in table],
        )
    values, problems = _read_rows(table, layout)
    if problems:
        listed = "\n".join(
            f"  line {number}: {what}" for number, what in problems[:_MAX_LISTED_PROBLEMS]
        )
        more = len(problems) - _MAX_LISTED_PROBLEMS
        tail = f"\n  ... and {more} more line{'s' if more > 1 else ''}" if more > 0 else ""
        raise DataError(
            f"{name} has {len(problems)} bad line{'s' if len(problems) > 1 else ''}:"
            f"\n{listed}{tail}",
            [number for number, _ in problems],
            problems,
        )
    if len(values) < min_rows:
        numbers = [number for number, _ in table]
        where = (
            f" (lines {numbers[0]}–{numbers[-1]})"
            if len(numbers) > 1
            else f" (line {numbers[0]})"
            if numbers
            else f" (only a header on line {header_line})"
        )
        raise DataError(
            f"{name} has only {len(values)} data row{'s' if len(values) != 1 else ''}"
            f"{where}; at least {min_rows} {'is' if min_rows == 1 else 'are'} "
            f"needed {purpose}",
            numbers,
        )
    data = np.array(values, dtype=np.float64).reshape(len(values), len(layout.columns))
    n = len(input_names)
    return data[:, :n], (data[:, n:] if layout.has_target else None), name


def _column_list(input_names: tuple[str, ...], target_required: bool) -> str:
    """ "x, y, target", or "x, y and maybe a target" when the target is optional."""
    inputs = ", ".join(input_names)
    return f"{inputs}, target" if target_required else f"{inputs} and maybe a target"


def _read_rows(table, layout: _Layout):
    """Numbers from the split lines: ([(inputs..., target), ...], [(line number, problem), ...])."""
    values: list[tuple[float, ...]] = []
    problems: list[tuple[int, str]] = []
    for number, fields in table:
        if len(fields) != layout.n_fields:
            problems.append((number, f"expected {layout.expected}, found {len(fields)}"))
            continue
        row = []
        for column, column_name in zip(layout.columns, layout.names):
            raw = fields[column]
            parsed = _number(raw)
            if parsed is None:
                shown = repr(raw) if raw else "nothing"
                hint = (
                    "; for decimal commas separate the columns with ';'"
                    if re.fullmatch(r"[-+]?\d+,\d+", raw)
                    else ""
                )
                problems.append(
                    (number, f"column '{column_name}' holds {shown}, which is not a number{hint}")
                )
                break
            if not math.isfinite(parsed):
                problems.append(
                    (
                        number,
                        f"column '{column_name}' is {raw}; every value must be a finite number",
                    )
                )
                break
            row.append(parsed)
        else:
            values.append(tuple(row))
    return values, problems


def _read_text(path) -> tuple[str, str]:
    """The file's text and a display name; DataError for anything unreadable."""
    try:
        path = os.fspath(path)
    except TypeError:
        raise TypeError(f"expected a file path, not {type(path).__name__}") from None
    name = os.path.basename(path) or path
    try:
        size = os.path.getsize(path)
        if size > MAX_CSV_BYTES:
            raise DataError(
                f"{name} is too large ({size / 1e6:.0f} MB; at most {MAX_CSV_BYTES / 1e6:.0f} MB)"
            )
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise DataError(f"file not found: {path}") from None
    except IsADirectoryError:
        raise DataError(f"{path} is a folder, not a file") from None
    except PermissionError:
        raise DataError(f"no permission to read {path}") from None
    except OSError as err:
        raise DataError(f"could not read {path}: {err.strerror or err}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, e.g. Excel's "Unicode text"
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            f"{name} is not a text file in UTF-8 (undecodable bytes on line {line}); "
            "save it as CSV UTF-8",
            [line],
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError(f"{name} looks like a binary file, not CSV text (line {line})", [line])
    return text, name


def _split_lines(lines: list[tuple[int, str]], delimiter: str | None):
    """Cut each line into stripped fields. The separator, unless given, is guessed from the
    first line: ';' (then decimal commas are allowed), ',', a tab, else runs of spaces.
    A trailing separator at the end of a line (some spreadsheets write one) is ignored."""
    first = lines[0][1]
    if delimiter is None:
        delimiter = next((d for d in (";", ",", "\t") if d in first), " ")
    table = []
    for number, line in lines:
        if delimiter == " ":
            fields = line.split()
        elif '"' in line:  # quoted fields: let the csv module read them
            fields = [f.strip() for f in next(csv.reader([line], delimiter=delimiter), [])]
        else:
            fields = [f.strip() for f in line.split(delimiter)]
        if len(fields) > 1 and fields[-1] == "":
            fields.pop()
        if delimiter == ";":
            fields = [f.replace(",", ".") if "." not in f else f for f in fields]
        table.append((number, fields))
    return table


def _number(text: str) -> float | None:
    if not text or "_" in text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _header_layout(
    fields: list[str], input_names: tuple[str, ...], target_required: bool
) -> _Layout | None:
    """The columns to read if `fields` is a header row (no field is a number), else None.

    The inputs are found by name. A required target is the column with a target name, else
    the one column left besides the inputs; a header naming no inputs must then have exactly
    one column more than the inputs, taken in order: inputs, then target. An optional target
    is only ever found by name, and inputs not named are the first other columns.
    """
    if any(_number(f.strip()) is not None for f in fields):
        return None
    shown = [f.strip().strip('"') for f in fields]
    names = [f.lower() for f in shown]
    n = len(input_names)
    target = next((names.index(t) for t in _TARGET_NAMES if t in names), None)
    if all(name in names for name in input_names):
        inputs = tuple(names.index(name) for name in input_names)
        if target is None and target_required and len(fields) == n + 1:
            (target,) = set(range(n + 1)) - set(inputs)  # the column left, whatever its name
    elif target_required:
        if len(fields) != n + 1:
            return None
        inputs, target = tuple(range(n)), n
    else:
        inputs = tuple(i for i in range(len(fields)) if i != target)[:n]
        if len(inputs) < n:
            return None
    if target is None and target_required:
        return None
    columns = inputs if target is None else (*inputs, target)
    has_target = target is not None
    used = tuple(shown[i] for i in columns)
    if len(fields) == len(columns) and used[0] == input_names[0]:
        expected = f"{len(fields)} values ({', '.join(input_names + ('target',) * has_target)})"
    else:
        expected = f"{len(fields)} values as in the header"
    return _Layout(columns, used, len(fields), has_target, expected)


def _plain_layout(width: int, input_names: tuple[str, ...], target_required: bool) -> _Layout:
    """The columns of a file without a header: the inputs, then the target (which, when it is
    optional, is there if the first row, `width` fields wide, has more than the inputs)."""
    has_target = target_required or width != len(input_names)
    names = input_names + ("target",) * has_target
    return _Layout(
        tuple(range(len(names))),
        names,
        len(names),
        has_target,
        f"{len(names)} values ({', '.join(names)})",
    )
