"""Reading a weight file in a separate process, so the window never waits on it.

Parsing a 50 MB weight file is one long call inside Python's JSON decoder, and a thread would
not help: it holds the interpreter lock all along, so the GUI thread could not draw until it
ended. A child process has its own interpreter. `ReadJob(path)` starts one (`python -m
app.train.reader_process`: a fresh interpreter, nothing copied from the GUI process, no Qt),
which reads the file with
`app.train.weight_files.read_weight_file` (so with every check of the tab's limits), under a
memory ceiling of its own (`MEMORY_LIMIT`: a file that would need more makes the child fail,
not the window), and writes the result to its standard output. The caller polls `done()`
from its event loop and takes `result()`; `cancel()` ends the child.

The history comes back in pickled chunks of `CHUNK` epochs, unpickled one at a time by the
caller between frames (`unpack_history`). Pickle is only the pipe between two processes of
this program, carrying what the child built from a checked file; no file is unpickled.

A CSV file of training data is read the same way (`CsvReadJob(path)`, `python -m
app.train.reader_process --csv PATH MEMORY_LIMIT`): the child runs `nncore.data.load_csv`
and answers with one JSON line (the data set's `source`, or the one-line DataError text), then
X and y in NumPy's .npy format, which the caller loads with `allow_pickle=False`: numbers
only, nothing that could run code.

No Qt here: tested without a display.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.train.weight_files import OpenedWeights, UnusableWeights, read_weight_file
from nncore import data as nndata
from nncore import training
from nncore.errors import DataError, WeightFileError
from nncore.safetext import one_line

__all__ = [
    "ReadJob",
    "CsvReadJob",
    "PackedWeights",
    "pack",
    "read_here",
    "unpack_history",
    "CHUNK",
    "IN_PROCESS_BYTES",
]

CHUNK = 2_000  # epochs per chunk: about 6 ms of CPU to unpickle on this project's machines
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space the reading child may use
TIME_LIMIT = 120.0  # seconds before a read is given up
IN_PROCESS_BYTES = 1_000_000  # files smaller than this are read in the GUI thread (~10 ms)


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


def _csv_answer(path: str) -> bytes:
    """In the child: read the CSV file; a JSON line, then X and y as .npy when it worked."""
    try:
        dataset = nndata.load_csv(path)
    except MemoryError:
        message = "reading it needs more memory than the Train tab allows"
    except (DataError, OSError, ValueError) as err:
        message = one_line(str(err))
    except Exception as err:  # the child reports whatever stopped it, in one line
        message = one_line(f"{type(err).__name__}: {err}")
    else:
        out = io.BytesIO()  # np.save straight into a pipe would need a seekable file
        head = {"ok": True, "source": dataset.source, "classes": dataset.classes}
        out.write(json.dumps(head).encode() + b"\n")
        np.save(out, dataset.X, allow_pickle=False)  # (n, inputs)
        np.save(out, dataset.y, allow_pickle=False)  # (n, outputs)
        return out.getvalue()
    return json.dumps({"ok": False, "message": message}).encode() + b"\n"


def main(argv: list[str]) -> int:
    """`python -m app.train.reader_process PATH MEMORY_LIMIT`: the answer, pickled, on stdout;
    `... --csv PATH MEMORY_LIMIT`: a CSV file's answer (see `_csv_answer`)."""
    if argv[0] == "--csv":
        _limit_memory(int(argv[2]))
        sys.stdout.buffer.write(_csv_answer(argv[1]))
        sys.stdout.buffer.flush()
        return 0
    _limit_memory(int(argv[1]))
    answer = _answer(argv[0])
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


class _ChildRead:
    """A child process started with `args` whose whole standard output is its answer."""

    def __init__(self, args: list[str], time_limit: float):
        self._deadline = time.monotonic() + time_limit
        env = dict(os.environ)
        # the child must import this package, installed or not; one BLAS thread is plenty
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = "1"
        self._process = subprocess.Popen(
            [sys.executable, "-m", "app.train.reader_process", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._output: list[bytes] = []
        # the pipe is drained by a thread (reading releases the interpreter lock), so a
        # large answer never blocks the child and the GUI thread never waits on the pipe
        self._reader = threading.Thread(target=self._drain, daemon=True, name="file reader")
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
            data = b"".join(self._output)
            self._output.clear()
            if not data:
                code = self._process.returncode
                reason = f"the reading process ended without an answer (exit code {code})"
                self._message = ("error", reason)
            else:
                self._message = self._decode(data)
        elif time.monotonic() > self._deadline:
            self.cancel()
            self._message = ("error", "reading it took too long")
        return self._message is not None

    def _decode(self, data: bytes) -> tuple:
        raise NotImplementedError

    def alive(self) -> bool:
        """True while the child process runs."""
        return self._process.poll() is None

    def cancel(self) -> None:
        """End the child (a closed window does not wait for a file)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._reader.join(5.0)
        if self._message is None:
            self._message = ("error", "the read was cancelled")


class ReadJob(_ChildRead):
    """One weight file read in a child process (see the module docstring)."""

    def __init__(self, path: str, memory_limit: int = MEMORY_LIMIT, time_limit: float = TIME_LIMIT):
        self.path = path
        super().__init__([path, str(int(memory_limit))], time_limit)

    def _decode(self, data: bytes) -> tuple:
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


class CsvReadJob(_ChildRead):
    """One CSV file of training data read in a child process (see the module docstring)."""

    def __init__(self, path: str, memory_limit: int = MEMORY_LIMIT, time_limit: float = TIME_LIMIT):
        self.path = path
        super().__init__(["--csv", path, str(int(memory_limit))], time_limit)

    def _decode(self, data: bytes) -> tuple:
        header, _, arrays = data.partition(b"\n")
        try:
            answer = json.loads(header)
            if not answer["ok"]:
                return ("error", one_line(str(answer["message"])))
            stream = io.BytesIO(arrays)
            X = np.load(stream, allow_pickle=False)  # (n, inputs)
            y = np.load(stream, allow_pickle=False)  # (n, outputs)
            classes = answer.get("classes")  # a list of names, or None for a regression
            return ("ok", nndata.Dataset(X, y, str(answer["source"]), classes))
        except (ValueError, KeyError, TypeError, EOFError) as err:  # a garbled answer
            return ("error", one_line(f"the reading process gave an unreadable answer ({err})"))

    def result(self) -> nndata.Dataset:
        """The data set, as `nncore.data.load_csv` returns it; raises DataError (one line)."""
        if self._message is None:
            raise RuntimeError("the read has not finished")
        kind, value = self._message
        if kind == "ok":
            return value
        raise DataError(value)


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
