"""The errors nncore raises on purpose.

Every error nncore raises about what it was *given* (a file, a formula, a setting, data)
derives from `NNCoreError`, so a caller (the app, the CLI, a notebook) can catch all of them in
one place and show the message: each message says what is wrong and, where it can, how to fix
it. They also derive from `ValueError`, so code written as `except ValueError` keeps working.

A value of the wrong *type* (a string where a number belongs) raises the built-in `TypeError`
instead: that is a programming mistake rather than bad input.
"""

from __future__ import annotations


class NNCoreError(Exception):
    """Base class of the errors nncore raises about its input."""


class SettingsError(NNCoreError, ValueError):
    """A setting outside what it may be (a negative learning rate, zero epochs, ...)."""
