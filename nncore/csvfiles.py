"""Reading CSV files safely: training data (`load_csv`) and points to predict at (`load_points_csv`);
writing points back (`save_points_csv`).

A CSV file comes from elsewhere (a spreadsheet export, another program, a hand-edited text),
so it is read as untrusted input. It is opened by `nncore.untrusted_file` (a regular file
only: a FIFO, a device such as /dev/zero or a folder is refused at once) and its size is
capped (`MAX_CSV_BYTES`) before anything is read. Its line breaks are counted first, at C
speed, so a file of too many rows (`MAX_CSV_ROWS`) is refused before one is parsed; then it
is read and parsed line by line, each line at most `MAX_CSV_LINE_CHARS` long, the numbers
kept in a compact array, so memory grows with the rows kept and nothing else. Its encoding
(UTF-8, with or without a byte-order mark, or Excel's UTF-16) and its separator (',', ';'
with decimal commas, a tab or spaces; Excel's "sep=;" first line) are found from the text
itself, and a header row, when there is one, says which column is which.

Every way a file can go wrong has its own sentence naming the line, because the person
reading it has to find that line in their spreadsheet: problems raise `DataError` (an
`nncore.errors.NNCoreError` and a ValueError) whose message is one line naming the first
faulty lines, with the lines in `.lines` and what is wrong on each in `.problems` (reading
stops after `MAX_RECORDED_PROBLEMS` bad lines). Text from the file (the file's name, a
field, a column name) is quoted through `nncore.safetext.shown`. A path of the wrong type
raises TypeError.

A column headed `label` or `class` holds classes, for training a classifier (`load_csv`):
names ("cat", "dog") or whole numbers. They become class indices the way
`nncore.classification.label_indices` numbers them: whole numbers 0 … k − 1 stay as they are
(named "class 0", ...); other labels are sorted (numbers in numeric order first, then names
alphabetically) and keep their text as the class names. Sorted, not first seen, so the same
data in another row order gives the same classes, and a model trained on one file reads the
labels of another. The labels are read as they stream past, so the limits hold for any file:
at most `MAX_CLASSES` distinct labels, each name at most `MAX_CLASS_NAME_CHARS` printable
characters; an empty label, a number that is not whole (0.5 is no class) and a file with both
a label and a target column are bad lines or one-line DataErrors like the rest.

`save_points_csv` writes points (x, y and a value, or x, y and a class name) in the form
`load_csv` reads back: a header row `x,y,z` or `x,y,label`, one row per point, every number
written exactly (Python's shortest round-tripping form), class names quoted by the csv
module when they need it; atomically (`nncore.atomicwrite`), so a failed write leaves the
old file as it was.

`nncore.data` re-exports everything public here, so `from nncore.data import load_csv` works.
"""

from __future__ import annotations

import array
import csv
import io
import math
import os
import re
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from . import checks
from .atomicwrite import write_atomically
from .classification import label_indices
from .dataset import Dataset
from .errors import DataError, SettingsError
from .safetext import printable_part, shown
from .untrusted_file import open_regular

__all__ = [
    "load_csv",
    "load_points_csv",
    "save_points_csv",
    "MIN_CSV_ROWS",
    "MAX_CSV_BYTES",
    "MAX_CSV_ROWS",
    "MAX_CSV_LINE_CHARS",
    "MAX_RECORDED_PROBLEMS",
    "MAX_CLASSES",
    "MAX_CLASS_NAME_CHARS",
]

MIN_CSV_ROWS = 10  # to train and check a network; points to predict at need only one
MAX_CSV_BYTES = 30_000_000  # about 500,000 rows of three numbers (a few seconds to read)
# Rows of data read at most: 24 MB of numbers for three columns, a few seconds to parse.
# Kept at or below nncore.data.MAX_SAMPLES (5,000,000), the most points a run may sample.
MAX_CSV_ROWS = 1_000_000
_EXTRA_LINES = 10_000  # a header, comments and blank lines, beyond the rows of data
MAX_CSV_LINE_CHARS = 10_000  # a row of numbers is far shorter; this keeps one line small
MAX_RECORDED_PROBLEMS = 1_000  # bad lines recorded before reading stops
_LISTED_CHARS = 240  # characters of bad lines listed in a message (the rest are counted)
_TARGET_NAMES = ("target", "z", "f", "value", "output", "label")
_LABEL_NAMES = ("label", "class")  # a column of classes: a classifier's data
# A classifier of 100 classes on 2-D points is already more than a lesson needs; the bound
# keeps the table of labels seen small whatever the file holds.
MAX_CLASSES = 100
MAX_CLASS_NAME_CHARS = 100  # as a weight file's class names
_COUNT_BLOCK = 1 << 20  # bytes read at a time when counting line breaks


def load_csv(path) -> Dataset:
    """Read columns x, y, target (a regression) or x, y, label (a classifier) from a CSV file.

    A header row is optional: with one, the columns are found by name (x, y and target, or z,
    f, value, output), in any order, and extra columns are ignored; without one, each row
    holds exactly x, y, target. A column headed `label` or `class` holds classes instead
    (names or whole numbers, see the module's docstring): the Dataset then has `classes`, the
    class names, and `y` the class indices. Commas, semicolons (with decimal commas allowed),
    tabs or spaces separate the values (Excel's "sep=;" first line is understood); blank
    lines and lines starting with '#' are skipped.
    Raises DataError naming the faulty lines (the first few in the message, more in `.lines`).
    """
    labels = _NewClasses()
    X, y, name, labelled = _read_columns(
        path,
        ("x", "y"),
        target_required=True,
        min_rows=MIN_CSV_ROWS,
        purpose="to train and check a network",
        labels=labels,
    )
    assert y is not None  # target_required: every row was read with its target
    if not labelled:
        return Dataset(X, y, f"{printable_part(name)} ({len(X)} rows)")
    seen = list(labels.ids)  # the labels in the order first met; y holds their positions
    if len(seen) < 2:
        raise DataError(
            f"{shown(name)}: every row has the class {shown(seen[0])}; a classifier needs "
            "at least two classes"
        )
    index, classes = label_indices(seen)  # sorted: index[i] is the class of seen[i]
    y = index[y[:, 0].astype(np.intp)]
    return Dataset(X, y, f"{printable_part(name)} ({len(X)} rows, {len(classes)} classes)", classes)


def load_points_csv(path, n_inputs: int = 2, classes=None) -> tuple[np.ndarray, np.ndarray | None]:
    """Points to predict at, from a CSV file: (X of shape (n, n_inputs), targets (n, 1) or None).

    The file is read by the same rules as `load_csv` (separators, comments, encodings, size
    limit, messages naming the faulty lines), with two differences: the target column is
    optional, and a single row is enough. The inputs are the columns named x and y (x1, x2,
    ... for a network with other than two inputs), else the first columns; with a header, a
    column named target (or z, f, value, output, label) holds known answers, and any other
    column is ignored. Without a header, the first row decides: `n_inputs` values are inputs
    only, one more is inputs then target. Raises DataError, as `load_csv` does.

    For a classifier, `classes` are its class names: the known answers (a column headed
    label or class, or the extra column of a file without a header) are then class names
    or, when no class name is a number, class numbers 0 … k − 1, and come back as class
    indices; a label that is neither (unknown to the model, empty, 0.5) comes back as NaN.
    """
    n_inputs = checks.whole(n_inputs, "n_inputs", 1)
    names = ("x", "y") if n_inputs == 2 else tuple(f"x{i + 1}" for i in range(n_inputs))
    X, y, _, _ = _read_columns(
        path,
        names,
        target_required=False,
        min_rows=1,
        purpose="to make a prediction",
        labels=None if classes is None else _KnownClasses(classes),
    )
    return X, y


def save_points_csv(path, X, values, classes=None) -> None:
    """Write points to a CSV file that `load_csv` reads back as the same data.

    `X` (n, 2) are the points' x and y, `values` (n,) their targets (a regression's z) or,
    with `classes` (the class names), their class indices 0 … k − 1, written as the names
    in a column headed `label`. Raises SettingsError (a ValueError) for arrays of the wrong
    shape, non-finite numbers or a class index outside the names, WeightFileError (also a
    ValueError) when the file cannot be written; the old file then stays as it was.
    """
    points = checks.finite_array(X, "the points")
    targets = checks.finite_array(values, "the points' values").reshape(-1)
    if points.ndim != 2 or points.shape[1] != 2 or len(targets) != len(points):
        raise SettingsError(
            f"points must be (n, 2) with one value each; got {points.shape} and "
            f"{len(targets)} value(s)"
        )
    names = None if classes is None else [str(name) for name in classes]
    if names is not None:
        whole = targets == np.round(targets)
        if not np.all(whole & (targets >= 0) & (targets < len(names))):
            raise SettingsError(f"class indices must be whole numbers 0 to {len(names) - 1}")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["x", "y", "z" if names is None else "label"])
    for (x, y), value in zip(points.tolist(), targets.tolist()):
        writer.writerow([repr(x), repr(y), repr(value) if names is None else names[int(value)]])

    def write_to(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text.getvalue())

    write_atomically(os.fspath(path), write_to)


class _LabelProblem(Exception):
    """What is wrong with one label, as the end of a bad line's sentence ("is empty; ...")."""


def _label_key(raw: str) -> str:
    """A label's text as its class is known by: a whole number written plainly ("1.0" and
    "1" are the same class, "1"), a name stripped. Raises _LabelProblem."""
    text = raw.strip()
    if not text:
        raise _LabelProblem("is empty; every row needs its class")
    value = _number(text)
    if value is not None:
        if not math.isfinite(value) or value != round(value):
            raise _LabelProblem(
                f"holds {shown(text)}, which is no class: classes are names or whole numbers "
                "(a column headed target holds a regression's numbers)"
            )
        text = str(int(value))
    if len(text) > MAX_CLASS_NAME_CHARS:
        raise _LabelProblem(
            f"holds a name of {len(text):,} characters; a class name has at most "
            f"{MAX_CLASS_NAME_CHARS}"
        )
    if printable_part(text) != text:
        raise _LabelProblem(
            f"holds {shown(text)}, with control characters; a class name must be printable text"
        )
    return text


class _NewClasses:
    """Labels for training: each distinct one gets a number in the order first met (its
    place in `ids`); `load_csv` renumbers them in sorted order once all are read."""

    plain_column_is_label = False  # a file without a header is a regression's, as before

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.file_name = ""  # for the message of a file with too many classes
        # each field's text as met, to its number: a row then costs one look-up; bounded, as
        # " dog", "dog " and "1.0" are other texts of the same class
        self.known: dict[str, float] = {}

    def code(self, raw: str, number: int) -> float:
        known = self.known.get(raw)
        if known is not None:
            return known
        key = _label_key(raw)
        found = self.ids.get(key)
        if found is None:
            if len(self.ids) >= MAX_CLASSES:
                raise DataError(
                    f"{shown(self.file_name)}: line {number:,} brings a class beyond the "
                    f"first {MAX_CLASSES} ({shown(key)}); a classifier here tells at most "
                    f"{MAX_CLASSES} classes apart (is that column really its classes?)",
                    [number],
                )
            found = self.ids[key] = len(self.ids)
        if len(self.known) < 10 * MAX_CLASSES:
            self.known[raw] = float(found)
        return float(found)


class _KnownClasses:
    """Labels to compare with a classifier's answers: its class names to their indices."""

    plain_column_is_label = True  # a headerless file's extra column: the known classes

    def __init__(self, classes):
        self.index = {str(name): i for i, name in enumerate(classes)}
        # class numbers stand for classes only when no name is itself a number
        self.numbers_are_indices = all(_number(name) is None for name in self.index)

    def code(self, raw: str, number: int) -> float:
        try:
            key = _label_key(raw)
        except _LabelProblem:
            return math.nan  # not a class of this model: no accuracy, the predictions stand
        if key in self.index:
            return float(self.index[key])
        if (
            self.numbers_are_indices
            and key.isascii()
            and key.isdigit()
            and int(key) < len(self.index)
        ):
            return float(key)
        return math.nan


class _Layout(NamedTuple):
    """Which fields of a row to read: the inputs' indices, then the target's if it has one."""

    columns: tuple[int, ...]
    names: tuple[str, ...]  # the same columns' names, for messages
    n_fields: int  # how many fields every row must have
    has_target: bool
    expected: str  # what a row should hold, e.g. "3 values (x, y, target)"
    label: int | None = None  # the field holding the class, kept after the inputs
    label_name: str = ""


class _Rows:
    """The rows read so far: numbers in one flat array, bad lines with what is wrong."""

    def __init__(self, layout: _Layout, header_line: int, counts: str, labels=None):
        self.layout = layout
        self.labels = labels  # turns the label field into a number (a _NewClasses or so)
        self.width = len(layout.columns) + (layout.label is not None)  # numbers per row
        self.header_line = header_line  # the first content line (a header or the first row)
        self.counts = counts  # how many fields a row should have, in words ("2 or 3")
        self.values = array.array("d")  # row after row, `width` numbers each
        self.count = 0  # rows of data met, good or bad
        self.numbers: list[int] = []  # the first few rows' line numbers, for messages
        self.last = 0  # the last row's line number
        self.problems: list[tuple[int, str]] = []
        self.widths: set[int] = set()  # how many fields the bad-width rows had

    def add_numbers(self, number: int, row: list[float]) -> None:
        """A row already read as finite numbers (the fast path of `_parse`)."""
        self.count += 1
        self.last = number
        if self.count <= MIN_CSV_ROWS:
            self.numbers.append(number)
        self.values.extend(row)

    def add(self, number: int, fields: list[str]) -> None:
        """A row as its fields: checked one by one, each fault recorded with its line."""
        self.count += 1
        self.last = number
        if len(self.numbers) < MIN_CSV_ROWS:
            self.numbers.append(number)
        layout = self.layout
        if len(fields) == layout.n_fields - 1 and layout.label == layout.n_fields - 1:
            fields = [*fields, ""]  # "1,2," lost its empty last field in `_split`
        if len(fields) != layout.n_fields:
            self.widths.add(len(fields))
            self.problems.append((number, f"expected {layout.expected}, found {len(fields)}"))
            return
        row = []
        for column, column_name in zip(layout.columns, layout.names):
            raw = fields[column]
            value = _number(raw)
            if value is None or not math.isfinite(value):
                self.problems.append((number, _number_problem(raw, column_name, value)))
                return
            row.append(value)
        if layout.label is not None:
            try:
                row.append(self.labels.code(fields[layout.label], number))
            except _LabelProblem as problem:
                self.problems.append((number, f"column {shown(layout.label_name)} {problem}"))
                return
        self.values.extend(row)

    @property
    def n_good(self) -> int:
        return len(self.values) // self.width

    @property
    def all_one_wrong_width(self) -> bool:
        """Whether every row so far had the same wrong number of fields (a wrong separator)."""
        return self.n_good == 0 and len(self.widths) == 1 and len(self.problems) == self.count


def _read_columns(
    path,
    input_names: tuple[str, ...],
    *,
    target_required: bool,
    min_rows: int,
    purpose: str,
    labels=None,
) -> tuple[np.ndarray, np.ndarray | None, str, bool]:
    """(X, y or None, the file's name, whether y came from a label column): the reader
    behind load_csv and load_points_csv.

    `purpose` ends the message for a file with fewer than `min_rows` rows ("... needed to
    train and check a network"). `labels` (a _NewClasses or _KnownClasses), when given,
    reads a label column: y then holds what its `code` made of each label.
    """
    try:
        path = os.fspath(path)
    except TypeError:
        raise TypeError(f"expected a file path, not {type(path).__name__}") from None
    name = os.fsdecode(os.path.basename(path)) or os.fsdecode(path)
    if isinstance(labels, _NewClasses):
        labels.file_name = name
    wanted = _column_list(input_names, target_required)
    with open_regular(path, what="CSV file", error=DataError, limit=MAX_CSV_BYTES) as raw:
        _refuse_too_many_lines(raw, name)
        with _decoded(raw) as text:
            rows = _parse(
                _content_lines(text, name), name, input_names, target_required, wanted, labels
            )
    if rows.problems:
        raise _bad_lines_error(rows, name, wanted)
    if rows.count < min_rows:
        numbers = rows.numbers
        where = (
            f" (lines {numbers[0]}–{rows.last})"
            if len(numbers) > 1
            else f" (line {numbers[0]})"
            if numbers
            else f" (only a header on line {rows.header_line})"
        )
        raise DataError(
            f"{shown(name)} has only {rows.count} data row{'s' if rows.count != 1 else ''}"
            f"{where}; at least {min_rows} {'is' if min_rows == 1 else 'are'} "
            f"needed {purpose}",
            numbers,
        )
    data = np.frombuffer(rows.values, dtype=np.float64).reshape(-1, rows.width).copy()
    n = len(input_names)  # data: (rows, n inputs [+ 1 target or label])
    y = data[:, n:] if rows.layout.has_target else None
    return data[:, :n], y, name, rows.layout.label is not None


def _parse(
    lines: Iterator[tuple[int, str]],
    name: str,
    input_names: tuple[str, ...],
    target_required: bool,
    wanted: str,
    labels=None,
) -> _Rows:
    """Read the rows from the content lines: the separator and the layout come from the
    first lines, then each row is split and its numbers kept, until the end, too many rows
    or too many bad lines."""
    first = next(lines, None)
    delimiter = None
    if first is not None and re.fullmatch(r"\s*sep=.\s*", first[1], flags=re.IGNORECASE):
        delimiter = first[1].strip()[4]
        first = next(lines, None)
    if first is None:
        raise DataError(
            f"{shown(name)} is empty: it holds no rows of numbers (expected columns {wanted})"
        )
    header_line, text = first
    if delimiter is None:
        delimiter = next((d for d in (";", ",", "\t") if d in text), " ")
    fields = _split(text, delimiter)
    layout = _header_layout(fields, input_names, target_required, labels is not None, name)
    is_header = layout is not None
    if layout is None:
        plain_label = labels is not None and labels.plain_column_is_label
        layout = _plain_layout(len(fields), input_names, target_required, plain_label)
    counts = (
        f"{layout.n_fields}"
        if is_header or target_required
        else f"{len(input_names)} or {len(input_names) + 1}"
    )
    rows = _Rows(layout, header_line, counts, labels)
    if not is_header:
        rows.add(header_line, fields)
    # The fast path reads a plain row (no quotes, no decimal commas, no '_', which float()
    # would accept) with one float() per column; whatever it cannot read, or whose sum is
    # not finite, goes through `_split` and `rows.add`, which say exactly what is wrong.
    plain = delimiter not in (";", " ")
    n_fields, columns, label = layout.n_fields, layout.columns, layout.label
    for number, text in lines:
        if rows.count >= MAX_CSV_ROWS:
            raise DataError(
                f"{shown(name)} has more than {MAX_CSV_ROWS:,} rows of data (line {number:,} "
                f"is one too many); use a sample of at most {MAX_CSV_ROWS:,} rows"
            )
        if plain and '"' not in text and "_" not in text:
            fields = text.split(delimiter)
            if len(fields) == n_fields:
                try:
                    row = [float(fields[c]) for c in columns]
                except ValueError:
                    pass
                else:
                    total = sum(row)
                    if total - total == 0:  # all finite (NaN or ±inf make it NaN)
                        if label is None:
                            rows.add_numbers(number, row)
                            continue
                        try:
                            row.append(labels.code(fields[label], number))
                        except _LabelProblem:
                            pass  # `rows.add` records it with its line
                        else:
                            rows.add_numbers(number, row)
                            continue
        rows.add(number, _split(text, delimiter))
        if len(rows.problems) >= MAX_RECORDED_PROBLEMS:
            break  # enough to say what is wrong; reading on would only cost time
    return rows


def _bad_lines_error(rows: _Rows, name: str, wanted: str) -> DataError:
    """The DataError for a file with bad lines, as one line listing the first of them."""
    numbers = [number for number, _ in rows.problems]
    capped = len(rows.problems) >= MAX_RECORDED_PROBLEMS
    if rows.all_one_wrong_width:
        (width,) = rows.widths
        subject = f"the first {rows.count:,} rows each have" if capped else "every row has"
        return DataError(
            f"{shown(name)}: {subject} {width} value{'s' if width != 1 else ''} but "
            f"{rows.counts} are expected ({wanted}); check the separator and the "
            f"columns (first data row: line {numbers[0]})",
            numbers,
        )
    listed: list[str] = []
    for number, what in rows.problems:
        item = f"line {number}: {what}"
        if listed and sum(len(x) + 2 for x in listed) + len(item) > _LISTED_CHARS:
            break
        listed.append(item)
    more = len(rows.problems) - len(listed)
    at_least = "at least " if capped else ""
    tail = f"; ... and {at_least}{more:,} more line{'s' if more > 1 else ''}" if more > 0 else ""
    total = len(rows.problems)
    return DataError(
        f"{shown(name)} has {at_least}{total:,} bad line{'s' if total > 1 else ''}: "
        + "; ".join(listed)
        + tail,
        numbers,
        rows.problems,
    )


def _refuse_too_many_lines(raw: io.BufferedReader, name: str) -> None:
    """Count the line breaks, a block at a time at C speed, before parsing any line, so a
    file of millions of short rows is refused in milliseconds; then rewind."""
    limit = MAX_CSV_ROWS + _EXTRA_LINES
    breaks = 0
    while block := raw.read(_COUNT_BLOCK):
        breaks += block.count(b"\n") or block.count(b"\r")  # old Macs ended lines with CR
        if breaks > limit:
            raise DataError(
                f"{shown(name)} has more than {limit:,} lines; at most {MAX_CSV_ROWS:,} rows of "
                "data are read (use a sample of the file)"
            )
    raw.seek(0)


def _decoded(raw: io.BufferedReader) -> io.TextIOWrapper:
    """The file as text, decoded as it is read: UTF-16 when it starts with a UTF-16
    byte-order mark (Excel's "Unicode text"), else UTF-8 with or without one. Bytes that
    are not UTF-8 become stand-ins (so the rest of the line can be read) and are refused
    by `_content_lines` with their line number. Line breaks may be LF, CRLF or CR."""
    if raw.peek(2)[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return io.TextIOWrapper(raw, encoding="utf-16", newline=None)
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline=None)


def _content_lines(text: io.TextIOWrapper, name: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line holding something, read one line at a time.

    Blank lines and comments ('#') are skipped. A line with bytes that are not UTF-8, with
    a NUL (a binary file) or longer than MAX_CSV_LINE_CHARS is refused by its number.
    """
    number = 0
    while True:
        try:
            line = text.readline(MAX_CSV_LINE_CHARS + 1)
        except UnicodeDecodeError:  # only UTF-16 can fail here
            raise DataError(
                f"{shown(name)} is not readable UTF-16 text (undecodable bytes after line "
                f"{number}); save it as CSV UTF-8",
                [number + 1],
            ) from None
        if not line:
            return
        number += 1
        if len(line) > MAX_CSV_LINE_CHARS:
            raise DataError(
                f"{shown(name)}, line {number}: longer than {MAX_CSV_LINE_CHARS:,} characters; "
                "a row of numbers is far shorter (is this a CSV file?)",
                [number],
            )
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:  # a stand-in for bytes that are not UTF-8
            raise DataError(
                f"{shown(name)} is not a text file in UTF-8 (undecodable bytes on line "
                f"{number}); save it as CSV UTF-8",
                [number],
            ) from None
        if "\x00" in line:
            raise DataError(
                f"{shown(name)} looks like a binary file, not CSV text (line {number})", [number]
            )
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, line.rstrip("\r\n")


def _split(line: str, delimiter: str) -> list[str]:
    """Cut a line into stripped fields at `delimiter` (" " means runs of spaces). With ';',
    decimal commas are read as points. A trailing separator at the end of a line (some
    spreadsheets write one) is ignored."""
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
    return fields


def _column_list(input_names: tuple[str, ...], target_required: bool) -> str:
    """ "x, y, target", or "x, y and maybe a target" when the target is optional."""
    inputs = ", ".join(input_names)
    return f"{inputs}, target" if target_required else f"{inputs} and maybe a target"


def _number_problem(raw: str, column_name: str, value: float | None) -> str:
    """What is wrong with a field that is no number (value None) or not a finite one."""
    if value is None:
        held = shown(raw) if raw else "nothing"
        hint = (
            "; for decimal commas separate the columns with ';'"
            if re.fullmatch(r"[-+]?\d+,\d+", raw)
            else ""
        )
        return f"column {shown(column_name)} holds {held}, which is not a number{hint}"
    return f"column {shown(column_name)} holds {shown(raw)}; every value must be a finite number"


def _number(text: str) -> float | None:
    if not text or "_" in text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _header_layout(
    fields: list[str],
    input_names: tuple[str, ...],
    target_required: bool,
    labels_wanted: bool = False,
    file_name: str = "",
) -> _Layout | None:
    """The columns to read if `fields` is a header row (no field is a number), else None.

    The inputs are found by name. A required target is the column with a target name, else
    the one column left besides the inputs; a header naming no inputs must then have exactly
    one column more than the inputs, taken in order: inputs, then target. An optional target
    is only ever found by name, and inputs not named are the first other columns. With
    `labels_wanted`, a column named label or class is the classes (`_label_layout`).
    """
    if any(_number(f.strip()) is not None for f in fields):
        return None
    labels = [f.strip().strip('"') for f in fields]
    names = [f.lower() for f in labels]
    n = len(input_names)
    if labels_wanted and any(name in _LABEL_NAMES for name in names):
        return _label_layout(labels, input_names, file_name)
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
    used = tuple(labels[i] for i in columns)
    if len(fields) == len(columns) and used[0] == input_names[0]:
        expected = f"{len(fields)} values ({', '.join(input_names + ('target',) * has_target)})"
    else:
        expected = f"{len(fields)} values as in the header"
    return _Layout(columns, used, len(fields), has_target, expected)


def _label_layout(
    labels: list[str], input_names: tuple[str, ...], file_name: str
) -> _Layout | None:
    """The columns of a header naming a label (or class) column: the inputs by name, else
    the other columns when there are exactly as many as inputs (then None: not a header)."""
    names = [label.lower() for label in labels]
    label = next(names.index(t) for t in _LABEL_NAMES if t in names)
    # a target column beside it (the label names are also target names: skip them)
    target = next(
        (i for i, name in enumerate(names) if name in _TARGET_NAMES and name not in _LABEL_NAMES),
        None,
    )
    if target is not None:
        raise DataError(
            f"{shown(file_name)} has a class column ({shown(labels[label])}) and a target "
            f"column ({shown(labels[target])}); keep one: classes train a classifier, a "
            "target a regression"
        )
    others = [i for i in range(len(names)) if i != label]
    if all(name in names for name in input_names):
        inputs = tuple(names.index(name) for name in input_names)
    elif len(others) == len(input_names):
        inputs = tuple(others)
    else:
        return None
    used = [labels[i] for i in inputs]
    in_order = len(labels) == len(inputs) + 1 and tuple(used) == input_names
    expected = (
        f"{len(labels)} values ({', '.join(input_names)}, {labels[label]})"
        if in_order
        else f"{len(labels)} values as in the header"
    )
    return _Layout(
        inputs, tuple(used), len(labels), True, expected, label=label, label_name=labels[label]
    )


def _plain_layout(
    width: int, input_names: tuple[str, ...], target_required: bool, label: bool = False
) -> _Layout:
    """The columns of a file without a header: the inputs, then the target (which, when it is
    optional, is there if the first row, `width` fields wide, has more than the inputs);
    with `label`, that last column holds classes."""
    has_target = target_required or width != len(input_names)
    names = input_names + ("target",) * has_target
    if label and has_target:
        n = len(input_names)
        return _Layout(
            tuple(range(n)),
            input_names,
            n + 1,
            True,
            f"{n + 1} values ({', '.join(input_names)}, label)",
            label=n,
            label_name="label",
        )
    return _Layout(
        tuple(range(len(names))),
        names,
        len(names),
        has_target,
        f"{len(names)} values ({', '.join(names)})",
    )
