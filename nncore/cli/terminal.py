"""What the `nncore` command prints: text any terminal can show, numbers, the progress bar.

Output goes through `out` (stdout) and `err` (stderr, flushed at once), which replace the
characters a stream cannot encode (², ×, − on a plain ASCII terminal) by '?', so printing
never fails. `ProgressBar` is the one line `nncore train` redraws while it trains.
"""

from __future__ import annotations

import math
import sys
import time
from typing import TextIO

__all__ = ["ProgressBar", "err", "out", "printable", "r2_label", "short_number"]


def printable(text: str, stream: TextIO) -> str:
    """`text` with characters the stream cannot encode (², ×, − on a plain ASCII terminal)
    replaced by '?', so printing never fails."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        return text.encode(encoding, "replace").decode(encoding, "replace")


def out(text: str = "", stream: TextIO | None = None, end: str = "\n") -> None:
    """Print `text` to `stream` (stdout by default), as far as the stream can show it."""
    stream = sys.stdout if stream is None else stream
    stream.write(printable(text, stream) + end)


def err(text: str) -> None:
    """Print a line to stderr at once (messages must not wait behind a buffer). A terminal
    that has gone away (the window closed: SIGHUP) cannot show it; that must not stop the
    command from saving what it trained, so the write failing is ignored."""
    try:
        out(text, sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):  # ValueError: the stream was closed
        pass


def r2_label(stream: TextIO) -> str:
    """ "R²", or "R^2" on a stream that cannot show the ²."""
    return "R²" if printable("R²", stream) == "R²" else "R^2"


def short_number(x: float | None, digits: int = 4) -> str:
    """`x` to `digits` significant digits; "-" for a number not there."""
    if x is None:
        return "-"
    if not math.isfinite(x):
        return str(x)
    return f"{x:.{digits}g}"


class ProgressBar:
    """One line on stderr, redrawn in place with '\\r': epoch, loss, R² (a classifier's
    accuracy instead), epochs per second.

    On a terminal it redraws at most ten times a second; when stderr is a file or a pipe
    (a log), it writes a plain line every tenth of the run instead, so logs stay readable.
    """

    def __init__(
        self,
        total_epochs: int,
        stream: TextIO | None = None,
        interactive: bool | None = None,
        width: int = 20,
    ):
        self.stream = sys.stderr if stream is None else stream
        self.total = max(1, int(total_epochs))
        if interactive is None:
            isatty = getattr(self.stream, "isatty", None)
            interactive = bool(isatty and isatty())
        self.interactive = interactive
        self.width = width
        self._r2 = r2_label(self.stream or sys.stderr)
        self._last_draw = -math.inf
        self._last_len = 0
        self._next_milestone = 0
        self._drawn = False

    def line(self, report) -> str:
        done = min(report.epoch / self.total, 1.0)
        filled = int(round(done * self.width))
        bar = "#" * filled + "." * (self.width - filled)
        rate = report.epoch / report.elapsed if report.elapsed > 0 else float("nan")
        text = (
            f"epoch {report.epoch:>{len(str(self.total))}}/{self.total} [{bar}] "
            f"loss {short_number(report.train_loss)}  "
        )
        if (
            getattr(report, "train_accuracy", None) is not None
        ):  # a classifier: accuracy beside the loss
            text += f"accuracy {report.train_accuracy:.1%}"
            if report.val_loss is not None:
                text += f"  val loss {short_number(report.val_loss)}"
            if getattr(report, "val_accuracy", None) is not None:
                text += f"  val accuracy {report.val_accuracy:.1%}"
        else:
            text += f"{self._r2} {report.train_r2:.4f}"
            if report.val_loss is not None:
                text += f"  val loss {short_number(report.val_loss)}  val {self._r2} {report.val_r2:.4f}"
        if math.isfinite(rate):
            text += f"  {rate:,.0f} epochs/s"
        return text

    def update(self, report) -> None:
        """Draw `report` (when it is time to); a stream that can no longer be written to (the
        terminal closed) switches the bar off instead of ending the run."""
        if self.stream is None:
            return
        try:
            self._draw(report)
        except (OSError, ValueError):
            self.stream = None

    def _draw(self, report) -> None:
        stream = self.stream
        assert stream is not None  # update() checked
        now = time.monotonic()
        last = report.epoch >= self.total
        if self.interactive:
            if not last and now - self._last_draw < 0.1:
                return
            text = self.line(report)
            pad = " " * max(0, self._last_len - len(text))
            stream.write("\r" + printable(text, stream) + pad)
            self._last_len = len(text)
        else:
            milestone = report.epoch * 10 // self.total
            if milestone < self._next_milestone and not last and now - self._last_draw < 10:
                return
            self._next_milestone = milestone + 1
            stream.write(printable(self.line(report), stream) + "\n")
        self._last_draw = now
        self._drawn = True
        stream.flush()

    def finish(self) -> None:
        """End the redrawn line so what follows starts on a fresh one."""
        if self.interactive and self._drawn and self.stream is not None:
            try:
                self.stream.write("\n")
                self.stream.flush()
            except (OSError, ValueError):
                self.stream = None
        self._drawn = False
