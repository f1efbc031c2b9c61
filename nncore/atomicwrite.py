"""Writing a file atomically: readers see the old file or the new one, never half of either.

The new content goes into a temporary file in the same folder, which is flushed to the disk
and then renamed over the target (a rename within a folder is atomic); on any error, also
Ctrl+C, the temporary file is removed and the old file stays as it was. Weights files are
written this way (`nncore.weightfile.save`), and so are the texts the `nncore` command writes.

Failures raise `WeightFileError` (an `nncore.errors.NNCoreError` and a ValueError), the
error of the weights files this was written for; the command line shows it as one line.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable

from .errors import WeightFileError

__all__ = ["write_atomically"]


def write_atomically(path: str, write_to: Callable[[str], None]) -> None:
    """Let `write_to(tmp)` fill a temporary file beside `path`, then swap it into place.

    The temporary file is flushed to the disk before the rename, and removed on any error
    (also KeyboardInterrupt), so `path` always holds either the old file or the new one.
    """
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise WeightFileError(f"cannot write {path!r}: the folder {directory!r} does not exist")
    tmp = _create_temporary(path, directory)
    try:
        write_to(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if os.path.exists(path):  # overwriting keeps the old file's mode
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WeightFileError(f"cannot write {path!r}: {exc.strerror or exc}") from None
        raise
    _fsync_directory(directory)


def _create_temporary(path: str, directory: str) -> str:
    """A new, empty, uniquely named file beside `path`.

    Created with mode 0o666 so the system applies the user's umask, exactly as for any
    file a program writes (tempfile.mkstemp would make it readable by its owner only).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(directory, f".{os.path.basename(path)}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(tmp, flags, 0o666))
            return tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise WeightFileError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    raise WeightFileError(f"cannot write {path!r}: no free temporary name in {directory!r}")


def _fsync_directory(directory: str) -> None:
    # Makes the rename itself durable on POSIX; not possible (nor needed) on Windows.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
