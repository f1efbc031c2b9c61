"""Writing a file atomically: readers see the old file or the new one, never half of either.

The new content goes into a temporary file in the same folder, which is flushed to the disk
and then renamed over the target (a rename within a folder is atomic); on any error, also
Ctrl+C or a SIGTERM turned into an exception, the temporary file is removed and the old file
stays as it was. Weights files are written this way (`nncore.weightfile.save`), and so are
the texts the `nncore` command writes.

Only a process killed outright (SIGKILL, a power cut) can leave its temporary file behind.
Such files are easy to recognise: `.{target}.nntutor-{pid}-{random}.tmp`, hidden, beside
the target, with the writer's process id in the name. The next write to the same target
removes those whose process is no longer running (a running one may still be writing).

The temporary file is created with mode 0o666 and the user's umask applies, as for any file
a program writes: 0644 under the usual umask 022, 0600 under 077. Overwriting a file keeps
that file's mode.

Failures raise `WeightFileError` (an `nncore.errors.NNCoreError` and a ValueError), the
error of the weights files this was written for; the command line shows it as one line.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Callable

from .errors import WeightFileError
from .untrusted_file import shown_path

__all__ = ["write_atomically", "temporary_prefix"]

_TAG = "nntutor"
_TEMPORARY_REST = re.compile(_TAG + r"-([0-9]{1,10})-[0-9a-f]{8}\.tmp")
_NAME_PART = 50  # characters of the target's name kept in a temporary name (names ≤ 255 bytes)


def write_atomically(path: str, write_to: Callable[[str], None]) -> None:
    """Let `write_to(tmp)` fill a temporary file beside `path`, then swap it into place.

    The temporary file is flushed to the disk before the rename, and removed on any error
    (also KeyboardInterrupt), so `path` always holds either the old file or the new one.
    Temporary files of `path` left by writers that were killed are removed first.
    """
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise WeightFileError(
            f"cannot write {shown_path(path)}: the folder {shown_path(directory)} does not exist"
        )
    prefix = temporary_prefix(path)
    _remove_stale_temporaries(directory, prefix)
    tmp = None
    try:
        tmp = _create_temporary(path, directory, prefix)
        write_to(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if os.path.exists(path):  # overwriting keeps the old file's mode
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WeightFileError(
                f"cannot write {shown_path(path)}: {exc.strerror or exc}"
            ) from None
        raise
    _fsync_directory(directory)


def temporary_prefix(path: str) -> str:
    """How the names of `path`'s temporary files begin: `.{name}.` (the name maybe cut)."""
    return f".{os.path.basename(path)[:_NAME_PART]}."


def _create_temporary(path: str, directory: str, prefix: str) -> str:
    """A new, empty, uniquely named file beside `path`, named after this process.

    Created with mode 0o666 so the system applies the user's umask, exactly as for any
    file a program writes (tempfile.mkstemp would make it readable by its owner only).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        name = f"{prefix}{_TAG}-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        tmp = os.path.join(directory, name)
        try:
            os.close(os.open(tmp, flags, 0o666))
            return tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise WeightFileError(
                f"cannot write {shown_path(path)}: {exc.strerror or exc}"
            ) from None
    raise WeightFileError(
        f"cannot write {shown_path(path)}: no free temporary name in {shown_path(directory)}"
    )


def _remove_stale_temporaries(directory: str, prefix: str) -> None:
    """Remove the temporary files of this target whose writing process has died.

    Best effort: a file that cannot be listed or removed is left (the write goes on), and
    only regular files named exactly as `_create_temporary` names them are touched.
    """
    if os.name != "posix":  # no safe way to ask whether a process lives (os.kill ends it)
        return
    try:
        entries = [e for e in os.scandir(directory) if e.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        match = _TEMPORARY_REST.fullmatch(entry.name[len(prefix) :])
        if match is None or _process_alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            if stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                os.unlink(entry.path)


def _process_alive(pid: int) -> bool:
    """Whether a process with this id runs (True when unsure, so nothing live is removed)."""
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists but is another user's
        return True
    return True


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
