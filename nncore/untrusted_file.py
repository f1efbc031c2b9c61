"""Opening a file someone handed us, bounded: a regular file only, never more than a limit.

A path typed by a student or found in a shared folder can name anything: a named pipe (FIFO)
that blocks the first read until someone writes to it, a symlink to `/dev/zero` or
`/dev/stdin` that never ends, a folder, a socket, or a file of many gigabytes. Every loader
(weights files, CSV files, lesson files) opens its file here, which

- opens without blocking (`O_NONBLOCK`, so even a FIFO with no writer opens at once) and then
  asks the *opened descriptor* what it is (`fstat`), so nothing can swap the file between a
  check and the read, as it could with `os.path.isfile` before `open`;
- refuses anything but a regular file, naming what it is instead;
- refuses a file larger than the caller's limit before reading it, and reads at most one
  byte more than the limit, so a file that grows while it is read is refused too;
- turns every system error (missing, no permission, a folder, ...) into one sentence.

Errors are raised as the caller's own error class (`WeightFileError` for weights files,
`DataError` for CSV files, ...), so each loader keeps its place in `nncore.errors`. Paths
are quoted through `nncore.safetext.shown`, as is all text that came from outside.

    with open_regular(path, what="CSV file", error=DataError, limit=MAX_CSV_BYTES) as fh:
        for line in fh: ...
    data = read_bounded(path, what="weights file", error=WeightFileError, limit=2**28)
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
from collections.abc import Iterator

from .safetext import shown

__all__ = ["open_regular", "read_bounded", "shown_path", "PATH_SHOWN_LIMIT"]

PATH_SHOWN_LIMIT = 160  # characters of a path quoted in a message (paths run long)

# O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
# O_NOCTTY: opening a terminal device never makes it our controlling terminal.
# Neither exists on Windows, which has no FIFOs of this kind; getattr keeps the code portable.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS = (
    os.O_RDONLY
    | _NONBLOCK
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def shown_path(path) -> str:
    """A path quoted for a message: escaped, and cut only when it is very long."""
    return shown(os.fsdecode(path) if isinstance(path, bytes) else path, limit=PATH_SHOWN_LIMIT)


def _kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device (like /dev/zero or a terminal)"
    if stat.S_ISBLK(mode):
        return "a block device (a disk)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refusal(path, mode: int, what: str) -> str:
    kind = _kind_of(mode)
    if stat.S_ISDIR(mode):
        return f"{shown_path(path)} is a folder, not a {what}"
    return f"{shown_path(path)} is {kind}, not a regular file; a {what} must be a regular file"


def _system_error(path, exc: OSError, what: str) -> str:
    """One sentence for an OSError met while opening or reading `path`."""
    if isinstance(exc, FileNotFoundError):
        return f"file not found: {shown_path(path)} (there is no such file)"
    if isinstance(exc, IsADirectoryError):
        return f"{shown_path(path)} is a folder, not a {what}"
    if exc.errno == errno.ENXIO:  # opening a socket, or a FIFO's other end, without a peer
        with contextlib.suppress(OSError):
            return _refusal(path, os.stat(path).st_mode, what)
    if isinstance(exc, PermissionError):
        if os.path.isdir(path):  # Windows refuses to open a folder this way; say what it is
            return f"{shown_path(path)} is a folder, not a {what}"
        return f"no permission to read {shown_path(path)}"
    return f"cannot read {shown_path(path)}: {exc.strerror or exc}"


def _too_large(path, size: int | None, limit: int, what: str) -> str:
    amount = f"is {size:,} bytes" if size is not None else "holds more bytes than that"
    return f"{shown_path(path)} {amount}, more than the {limit:,} bytes a {what} may have"


def _fspath(path):
    try:
        return os.fspath(path)
    except TypeError:
        raise TypeError(f"expected a file path, not {type(path).__name__}") from None


@contextlib.contextmanager
def open_regular(
    path, *, what: str, error: type[Exception], limit: int | None = None
) -> Iterator[io.BufferedReader]:
    """The regular file at `path`, opened for reading in binary; refused otherwise.

    `what` names the file in messages ("weights file"); `error` is the exception class
    raised, with a one-line message, for a file that is missing, unreadable, not a regular
    file, or (when `limit` is given) larger than `limit` bytes. Reading past the limit is
    the caller's to prevent (`read_bounded` does it); a read that fails raises `error` too.
    A path that is not a str, bytes or os.PathLike raises TypeError.
    """
    path = _fspath(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise error(_system_error(path, exc, what)) from None
    try:
        info = os.fstat(fd)  # the opened file itself: no race with a swapped path
        if not stat.S_ISREG(info.st_mode):
            raise error(_refusal(path, info.st_mode, what))
        if limit is not None and info.st_size > limit:
            raise error(_too_large(path, info.st_size, limit, what))
        if _NONBLOCK:  # back to ordinary reads (it makes no difference to a regular file)
            os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        try:
            yield fh
        except OSError as exc:  # a read failing half-way (a disk error, a vanished share)
            raise error(_system_error(path, exc, what)) from None


def read_bounded(path, *, what: str, error: type[Exception], limit: int) -> bytes:
    """All the bytes of the regular file at `path`, which may hold at most `limit` of them.

    At most `limit` + 1 bytes are ever read, so a file that grows after it was opened (or
    whose size the system misreports) is refused as too large rather than read on.
    """
    with open_regular(path, what=what, error=error, limit=limit) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise error(_too_large(path, None, limit, what))
    return data
