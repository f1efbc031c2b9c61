"""The files the `nncore` command writes, and how a faulty CSV file is told in one line."""

from __future__ import annotations

import os

from ..atomicwrite import write_atomically
from ..errors import DataError, WeightFileError
from . import InputError

__all__ = ["csv_fault", "write_text_atomically"]


def write_text_atomically(path: str, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically: the old file stays whole if anything fails."""

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)

    if os.path.isdir(path):
        raise InputError(f"{path!r} is a folder; give a file name")
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
    return InputError(f"{path}, line {number}: {what}{tail}")
