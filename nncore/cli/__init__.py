"""The `nncore` command: train a network, use it, inspect it, print a lesson, from a terminal.

    nncore train article --recipe modern --epochs 300 -o model.npz
    nncore train --formula "x*y/10" --grid 50 --arch 2-32-32-1 -o model.json
    nncore predict model.npz --points "1,2; 3.5,-4"
    nncore info model.npz
    nncore lesson article --format markdown -o lesson.md

`train` builds a dataset (a built-in function, your own formula, or a CSV file), trains with
the article's recipe or the modern one (any setting can be changed), shows a progress bar
on stderr and saves the weights. Ctrl+C (or SIGTERM, SIGHUP) stops it at the end of the
current batch and still saves what was learned; a second one aborts without saving, and
one that arrives while saving waits for the save to finish (see `nncore.cli.signals`). `predict` reads a weights
file and answers in the original units of the data; `info` describes a weights file;
`lesson` writes one of the step-by-step lessons as Markdown, LaTeX or CSV.

Every mistake a user can make ends with one clear line on stderr (at most
`nncore.safetext.LINE_LIMIT` characters, control characters escaped), never a traceback: exit
status 2 for a wrong command line (an unknown option, a bad number, a formula that does not
parse, a run too large for the memory limit), 1 for a file or data problem (a missing or
damaged file, an unusable CSV, an -o file that cannot be written; also a training run that
diverged, whose restored weights are still saved), 128 + the signal's number
when Ctrl+C (130) or SIGTERM (143) ends a command early.
`main(argv)` returns the status instead of exiting, so tests and notebooks can call it.

The command line only turns text into numbers; whether a number is allowed is decided by the
library, so `--epochs 0` is refused with the very sentence `TrainConfig(epochs=0)` raises.
The library's errors choose the exit status by their kind (see nncore.errors):
SettingsError and FormulaError are a wrong command line (2), DataError and WeightFileError
a file or data problem (1).

The package has a module per command (`train`, `predict`, `info`, `lesson`), the command
line itself in `parser`, what is printed in `terminal` and the files written in `files`.
This module holds what ties them together: the two exceptions a command raises to choose
its exit status, and `main`, which runs a command and turns every error into one line.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from ..errors import DataError, FormulaError, SettingsError, WeightFileError
from ..safetext import one_line
from .info import describe
from .terminal import ProgressBar, err

__all__ = ["main", "describe", "ProgressBar", "UsageError", "InputError", "PROG"]

PROG = "nncore"


class UsageError(Exception):
    """The command line asks for something impossible (exit status 2)."""


class InputError(Exception):
    """A file or the data cannot be used (exit status 1)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `nncore` command line; returns the exit status (0 ok, 1 data, 2 usage)."""
    # Imported here, not at the top: the commands import UsageError and InputError from this
    # module, so it must be complete before the parser brings them in.
    from .parser import build_parser

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    command = argv[0] if argv and not argv[0].startswith("-") else None
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help and --version print and "exit" here
            return int(exc.code or 0)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        args.argv = argv
        return args.handler(args)
    except (UsageError, SettingsError, FormulaError) as exc:
        _error(command, str(exc))
        return 2
    except (InputError, DataError, WeightFileError) as exc:
        _error(command, str(exc))
        return 1
    except KeyboardInterrupt:  # Ctrl+C before a command installed its own handling
        _error(command, "interrupted")
        return 130
    except MemoryError:
        _error(command, "out of memory; try fewer points, smaller batches or smaller layers")
        return 1
    except BrokenPipeError:
        # The reader went away (e.g. `nncore predict ... | head`): nothing more to say.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")
        return 1
    except OSError as exc:  # e.g. the terminal went away (SIGHUP) while printing
        _error(command, exc.strerror or str(exc))
        return 1


def _error(command: str | None, message: str) -> None:
    """The one line every error ends in: "nncore CMD: error: ...", bounded, no control
    characters (the message may quote a file's or a user's text)."""
    where = f" {command[:40]}" if command else ""
    err(one_line(f"{PROG}{where}: error: {message}"))
