"""The files the `nncore` command writes, and how a faulty CSV file is told in one line.

`nncore train -o FILE` may train for hours, so FILE is tried before training starts
(`check_writable`: a file is created beside it and removed again), and should the save fail
all the same, `rescue_paths` says where else the model can go.
"""

from __future__ import annotations

import os
import stat
import tempfile

from ..atomicwrite import write_atomically
from ..errors import DataError, WeightFileError
from ..safetext import shown
from ..untrusted_file import shown_path
from . import InputError

__all__ = ["check_writable", "csv_fault", "load_weights", "rescue_paths", "write_text_atomically"]


def load_weights(path: str):
    """`weightfile.load(path)`, with any error it lets through still told as a bad file.

    The reader raises WeightFileError for everything it checks; a value that escapes its
    checks (Python refusing a 5,000-digit number in the JSON, a nesting too deep) must not
    become a traceback either: it is the file's fault, so it is a WeightFileError here.
    """
    from .. import weightfile

    try:
        return weightfile.load(path)
    except WeightFileError:
        raise
    except (ValueError, OverflowError, RecursionError) as exc:
        raise WeightFileError(f"cannot read {shown(path, 200)}: {exc}") from None


def check_writable(path: str, option: str = "-o") -> None:
    """InputError unless a file can be written at `path`: not a folder, not a device or a
    pipe, in a folder that exists and lets us create files. The test is the real thing, as
    the atomic save does it: a file is created in that folder, then removed."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:  # e.g. a path under a regular file: "Not a directory"
        raise InputError(
            f"{option} {shown(path, 200)}: cannot write there ({exc.strerror or exc})"
        ) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InputError(f"{option} {shown(path, 200)} is a folder; give a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise InputError(f"{option} {shown(path, 200)} is not a regular file; give a file name")
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, probe = tempfile.mkstemp(prefix=".nncore-write-test-", dir=folder)
    except OSError as exc:
        raise InputError(
            f"{option} {shown(path, 200)}: cannot write in {shown(folder, 200)} "
            f"({exc.strerror or exc}); nothing was trained"
        ) from None
    os.close(fd)
    os.unlink(probe)


def rescue_paths(path: str) -> list[str]:
    """Where to save a model when `path` failed: `path` without its extension plus
    ".rescued-<pid>.npz" in the same folder, then that name in the current folder and in
    the temporary folder (the .npz format needs the least memory to write)."""
    stem = os.path.splitext(os.path.basename(path))[0] or "model"
    name = f"{stem}.rescued-{os.getpid()}.npz"
    folders = [os.path.dirname(os.path.abspath(path)), os.getcwd(), tempfile.gettempdir()]
    paths: list[str] = []
    for folder in folders:
        candidate = os.path.join(folder, name)
        if candidate not in paths:
            paths.append(candidate)
    return paths


def write_text_atomically(path: str, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically: the old file stays whole if anything fails."""

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)

    if os.path.isdir(path):
        raise InputError(f"{shown(path, 200)} is a folder; give a file name")
    try:
        write_atomically(path, write)
    except WeightFileError as exc:
        raise InputError(str(exc)) from None


def csv_fault(path: str, exc: DataError) -> InputError:
    """A CSV file's DataError as one line: a fault in a row is told as "FILE, line N: what
    is wrong" (the library's message lists up to eight bad lines, one per line)."""
    if not exc.problems:
        return InputError(str(exc))
    number, what = exc.problems[0]
    more = len(exc.problems) - 1
    tail = f" (and {more} more bad line{'s' if more > 1 else ''})" if more else ""
    return InputError(f"{shown_path(path)}, line {number}: {what}{tail}")
