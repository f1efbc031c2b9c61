"""Reading a weight file in a separate process, so the window never waits on it.

Parsing a 50 MB weight file is one long call inside Python's JSON decoder, and a thread would
not help: it holds the interpreter lock all along, so the GUI thread could not draw until it
ended. A child process has its own interpreter. `ReadJob(path)` starts one (`python -m
app.train.reader_process`: a fresh interpreter, nothing copied from the GUI process, no Qt),
which reads the file with
`app.train.weight_files.read_weight_file` (so with every check of the tab's limits), under a
memory ceiling of its own (`MEMORY_LIMIT`: a file that would need more makes the child fail,
not the window), and writes the result to its standard output. The caller polls `done()` from its event loop
and takes `result()`; `cancel()` ends the child.

The history comes back in pickled chunks of `CHUNK` epochs, unpickled one at a time by the
caller between frames (`unpack_history`). Pickle is only the pipe between two processes of
this program, carrying what the child built from a checked file; no file is unpickled.

No Qt here: tested without a display.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.train.weight_files import OpenedWeights, UnusableWeights, read_weight_file
from nncore import training
from nncore.errors import WeightFileError
from nncore.safetext import one_line

__all__ = ["ReadJob", "PackedWeights", "pack", "read_here", "unpack_history", "CHUNK"]

CHUNK = 2_000  # epochs per chunk: about 6 ms of CPU to unpickle on this project's machines
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space the reading child may use
TIME_LIMIT = 120.0  # seconds before a read is given up


@dataclass
class PackedWeights:
    """What the child sends: the opened file without its history, and the history as
    pickled chunks of EpochReports."""

    opened: OpenedWeights
    history_chunks: list[bytes]
    history_length: int


def pack(opened: OpenedWeights) -> PackedWeights:
    history = opened.history
    chunks = [pickle.dumps(history[i : i + CHUNK]) for i in range(0, len(history), CHUNK)]
    opened.history = []
    return PackedWeights(opened, chunks, len(history))


def unpack_history(packed: PackedWeights) -> Iterator[list[training.EpochReport]]:
    """The history, one chunk at a time (the caller draws a frame between chunks)."""
    for chunk in packed.history_chunks:
        yield pickle.loads(chunk)


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # not on this system (Windows): the child reads without a ceiling
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _answer(path: str) -> tuple:
    """In the child: read, check and pack the file; (kind, value) for the parent."""
    try:
        return ("ok", pack(read_weight_file(path)))
    except UnusableWeights as err:
        return ("unusable", one_line(str(err)))
    except MemoryError:
        return ("error", "reading it needs more memory than the Train tab allows")
    except (WeightFileError, OSError, ValueError) as err:
        return ("error", one_line(str(err)))
    except Exception as err:  # the child reports whatever stopped it, in one line
        return ("error", one_line(f"{type(err).__name__}: {err}"))


def main(argv: list[str]) -> int:
    """`python -m app.train.reader_process PATH MEMORY_LIMIT`: the answer, pickled, on stdout."""
    _limit_memory(int(argv[1]))
    answer = _answer(argv[0])
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


class ReadJob:
    """One weight file read in a child process (see the module docstring)."""

    def __init__(self, path: str, memory_limit: int = MEMORY_LIMIT, time_limit: float = TIME_LIMIT):
        self.path = path
        self._deadline = time.monotonic() + time_limit
        env = dict(os.environ)
        # the child must import this package, installed or not; one BLAS thread is plenty
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = "1"
        self._process = subprocess.Popen(
            [sys.executable, "-m", "app.train.reader_process", path, str(int(memory_limit))],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._output: list[bytes] = []
        # the pipe is drained by a thread (reading releases the interpreter lock), so a
        # large answer never blocks the child and the GUI thread never waits on the pipe
        self._reader = threading.Thread(target=self._drain, daemon=True, name="weight reader")
        self._reader.start()
        self._message: tuple | None = None

    def _drain(self) -> None:
        stdout = self._process.stdout
        if stdout is not None:
            self._output.append(stdout.read())
            stdout.close()

    def done(self) -> bool:
        """True when the child has answered, died, or run out of time."""
        if self._message is not None:
            return True
        if not self._reader.is_alive():  # the child closed its output: it has ended
            self._process.wait()
            self._message = self._decode(b"".join(self._output))
        elif time.monotonic() > self._deadline:
            self.cancel()
            self._message = ("error", "reading it took too long")
        return self._message is not None

    def _decode(self, data: bytes) -> tuple:
        if not data:
            code = self._process.returncode
            return ("error", f"the reading process ended without an answer (exit code {code})")
        return pickle.loads(data)  # written by main() above, in the child this job started

    def result(self) -> PackedWeights:
        """The packed file; raises UnusableWeights or WeightFileError (one line)."""
        if self._message is None:
            raise RuntimeError("the read has not finished")
        kind, value = self._message
        if kind == "ok":
            return value
        if kind == "unusable":
            raise UnusableWeights(value)
        raise WeightFileError(value)

    def cancel(self) -> None:
        """End the child (a closed window does not wait for a file)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._reader.join(5.0)
        if self._message is None:
            self._message = ("error", "the read was cancelled")


def read_here(path: str) -> PackedWeights:
    """The same read in this process (for small files, where a child costs more than it
    saves); raises as `ReadJob.result` does."""
    kind, value = _answer(path)
    if kind == "ok":
        return value
    if kind == "unusable":
        raise UnusableWeights(value)
    raise WeightFileError(value)


if __name__ == "__main__":
    # run through the module's own name, so that what is pickled is
    # app.train.reader_process.PackedWeights, not __main__.PackedWeights
    from app.train.reader_process import main as _main

    sys.exit(_main(sys.argv[1:]))
