"""The training process: the Train tab's network trains here, in an interpreter of its own.

Why a process: the GUI and a training thread share one interpreter lock, so while the
window draws, the training waits, and while the training runs Python, the window waits
(measured on 2 cores: 86 % of headless speed and 10 ms timer ticks up to 30 ms late). A
child process trains on one core at full speed while the window uses the other.

`python -m app.train.trainer_process` reads requests from its standard input and answers on
its standard output, each message a pickled tuple behind its length (`write_message`,
`read_message`). Pickle is only the pipe between two processes of this program, carrying
objects it built itself; no file is ever unpickled.

Requests (parent → child):
  ("run", run_id, TrainingRun)   train this run from now on (only while idle)
  ("loop", run_id)               train until paused, stopped or finished
  ("step", run_id, epochs)       train exactly that many epochs
  ("publish", run_id)            send one snapshot of the run as it is
  ("pause",) ("allow",) ("stop",) ("lr", value)
                                 take effect between chunks, even mid-loop
  ("quit",)                      end the process (so does the end of the input)
Answers (child → parent):
  ("snapshot", TrainingSnapshot)  ("ended", run_id, StopReason | None)
  ("failed", run_id, text)

A listening thread reads the requests as they come, so that Pause, Stop and learning-rate
changes reach a loop that is busy training; the loop runs in the main thread
(`app.train.training_loop.TrainingLoop`, the same loop the in-app thread uses). Answers are
written by a sending thread, so the training never waits for the window to read them. When
the app ends, even by a crash or `kill -9`, its end of the pipe closes, the child reads the
end of its input and exits: no orphan process. It ignores Ctrl+C, which the app handles.

No Qt here.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import sys
import threading
from typing import BinaryIO

from app.train.snapshot import TrainingSnapshot
from app.train.training_loop import TrainingLoop
from nncore.training import StopReason

HEADER = struct.Struct("<Q")  # a message's length in bytes
MAX_MESSAGE = 4 * 1024**3  # bytes: a length above this means the pipe is out of step
# Snapshots a second: more than in a thread (they cost the training nothing but a pickle),
# so that the maps computed from every other one come at least 10 times a second.
SNAPSHOT_HZ = 30.0


def write_message(stream: BinaryIO, message: tuple) -> None:
    """Write one message: its length, then its pickle; flushed."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def read_message(stream: BinaryIO) -> tuple | None:
    """The next message, or None at the end of the stream (the other side has gone)."""
    header = _read_exactly(stream, HEADER.size)
    if header is None:
        return None
    (size,) = HEADER.unpack(header)
    if size > MAX_MESSAGE:
        raise ValueError(f"a message of {size:,} bytes: the pipe is out of step")
    data = _read_exactly(stream, size)
    if data is None:
        return None
    message = pickle.loads(data)  # our own process's message, never a file
    if not isinstance(message, tuple) or not message:
        raise ValueError(f"a message must be a non-empty tuple; got {type(message).__name__}")
    return message


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        part = stream.read(left)
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


class PipeOutbox:
    """The loop's outbox in the child: every answer goes to a queue, and a sending thread
    writes the queue to the pipe (a full pipe then blocks that thread, never the loop)."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self._queue: queue.Queue[tuple | None] = queue.Queue()
        self._thread = threading.Thread(target=self._send_all, name="answers", daemon=True)
        self._thread.start()

    def put(self, message: tuple) -> None:
        self._queue.put(message)

    def snapshot(self, snap: TrainingSnapshot) -> None:
        self.put(("snapshot", snap))

    def loop_ended(self, run_id: int, reason: StopReason | None) -> None:
        self.put(("ended", run_id, reason))

    def failed(self, run_id: int, text: str) -> None:
        self.put(("failed", run_id, text))

    def close(self, timeout: float = 5.0) -> None:
        """Send what is queued, then stop the sending thread."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _send_all(self) -> None:
        while (message := self._queue.get()) is not None:
            try:
                write_message(self._stream, message)
            except (BrokenPipeError, OSError):  # the app has gone: nobody to tell
                return


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer requests until ("quit",) or the end of `requests` (see module doc)."""
    outbox = PipeOutbox(answers)
    loop = TrainingLoop(outbox, SNAPSHOT_HZ)
    work: queue.Queue[tuple] = queue.Queue()

    def listen() -> None:
        while True:
            try:
                message = read_message(requests)
            except Exception as err:  # a broken pipe or message: end as if told to
                print(f"nn-tutor training process: {err}", file=sys.stderr)
                message = None
            if message is None or message[0] == "quit":
                loop.request_pause()  # a loop in progress ends after its chunk
                work.put(("quit",))
                return
            kind = message[0]
            if kind == "pause":
                loop.request_pause()
            elif kind == "allow":
                loop.allow_run()
            elif kind == "stop":
                loop.request_stop()
            elif kind == "lr":
                loop.request_lr(message[1])
            else:
                work.put(message)

    threading.Thread(target=listen, name="requests", daemon=True).start()
    while (message := work.get())[0] != "quit":
        kind, run_id = message[0], message[1]
        try:
            if kind == "run":
                loop.set_run(message[2], run_id)
            elif kind == "loop":
                loop.run_loop(run_id)
            elif kind == "step":
                loop.step(run_id, message[2])
            elif kind == "publish":
                loop.publish(run_id)
        except Exception as err:  # e.g. a run handed over while busy: said, never silent
            outbox.failed(run_id, f"{type(err).__name__}: {err}")
    outbox.close()


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the app decides when training ends
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")  # one BLAS thread, as in the app (app.main)
    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never corrupt the answers
    serve(sys.stdin.buffer, answers)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stderr.flush()
    os._exit(code)  # daemon threads blocked on a pipe must not hold the exit up
