"""Where the Train tab's network trains: in a process of its own (the default) or in a
thread of the app.

A process (`app.train.process_worker`) trains at full speed on its own core and leaves the
GUI's interpreter lock to the window; a thread (`app.train.worker`) needs no second
interpreter, which suits a machine that cannot start one (a frozen build, a sandbox) and
tests that build many tabs. `benchmarks.gui_train --mode thread|process` measures both.

The environment variable NN_TUTOR_TRAINING chooses: "process" or "thread". Anything else is
named on standard error, with the values it may take, and the default is used.
"""

from __future__ import annotations

import os
import sys

MODE_ENV = "NN_TUTOR_TRAINING"
MODES = ("process", "thread")
DEFAULT_MODE = "process"


def training_mode(environ=os.environ) -> str:
    """The mode NN_TUTOR_TRAINING names, or the default when it is unset or empty."""
    value = environ.get(MODE_ENV, "").strip().lower()
    if not value:
        return DEFAULT_MODE
    if value not in MODES:
        print(
            f"nn-tutor: {MODE_ENV}={value!r} is not one of {', '.join(MODES)}; "
            f"training in a {DEFAULT_MODE}",
            file=sys.stderr,
        )
        return DEFAULT_MODE
    return value


__all__ = ["training_mode", "MODE_ENV", "MODES", "DEFAULT_MODE"]
