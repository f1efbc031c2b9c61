"""The errors nncore raises on purpose, all in one family.

Every error nncore raises about what it was *given* (a setting, a formula, data, a weights
file) derives from `NNCoreError`, so a caller (the app, the CLI, a notebook) can catch all of
them in one place and show the message: each message says what is wrong and, where it can,
how to fix it. They also derive from `ValueError`, so code written as `except ValueError`
keeps working.

    NNCoreError
    ├── SettingsError     a number or name chosen out of range: zero epochs, lr −1, grid 1
    ├── FormulaError      a formula that cannot be accepted, with the column at fault
    ├── DataError         data that cannot be used: a bad CSV row, NaN targets, bad shapes
    ├── WeightFileError   a weights file that cannot be written or read
    ├── LessonError       a lesson that cannot be built or continued (in nncore.lesson)
    ├── QuizError         a quiz asked for something the lesson has not (in nncore.lesson.quiz)
    └── LessonFileError   a .nnlesson file that cannot be written or read (in nncore.lessonfile)

A value of the wrong *type* (a string where a number belongs, a bool where a count belongs)
raises the built-in `TypeError` instead: that is a programming mistake rather than bad input.

The first four live here so the family can be read in one place; each is also importable
from the module that raises it (`from nncore.data import DataError` and so on). The last
three live beside the code that raises them.
"""

from __future__ import annotations

__all__ = ["NNCoreError", "SettingsError", "FormulaError", "DataError", "WeightFileError"]


class NNCoreError(Exception):
    """Base class of the errors nncore raises about its input."""


class SettingsError(NNCoreError, ValueError):
    """A setting outside what it may be (a negative learning rate, zero epochs, ...)."""


class FormulaError(NNCoreError, ValueError):
    """A formula that cannot be accepted.

    `message` says what is wrong, `position` is the 0-based column in the text the user typed
    (None when the problem is not at one place). `str(err)` shows the column 1-based, the way
    editors count: "column 7: 'os' is not allowed; use x, y, ...".
    """

    def __init__(self, message: str, position: int | None = None):
        self.message = message
        self.position = position
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        return f"column {self.position + 1}: {self.message}"


class DataError(NNCoreError, ValueError):
    """Data that cannot be used. `lines` lists the 1-based line numbers at fault, if any;
    `problems`, for faults in particular rows of a file, pairs each such line number with
    what is wrong there ("column 'y' holds 'abc', which is not a number")."""

    def __init__(
        self,
        message: str,
        lines: list[int] | None = None,
        problems: list[tuple[int, str]] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.lines = list(lines or [])
        self.problems = list(problems or [])


class WeightFileError(NNCoreError, ValueError):
    """A weights file could not be written or read; the message says precisely why."""
