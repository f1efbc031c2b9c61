"""Timing contenders side by side: each in its own process, taking turns, judged by medians.

On a shared machine one timing means little; a ratio measured in the same minute means more.
This harness starts every contender in a process of its own (the thread pools of NumPy and
PyTorch in one process disturb each other), lets each set itself up, then runs rounds: in
each round every contender in turn runs a few timed steps while the others wait, the order
shifting by one each round, so a burst of load from elsewhere hits all of them alike.

A worker process builds a `Job` (its step function and a description) and calls `serve`;
the parent holds a `Worker` per process and calls `alternate`. They talk over the worker's
stdin/stdout: the parent writes "run K" or "quit", the worker answers with one JSON line
starting with `REPLY` (other output, e.g. a library's warning, is ignored).

Nothing here knows what is being timed; `benchmarks.engine` says that.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

REPLY = "@@bench "  # prefix of the lines a worker answers with
# BLAS and OpenMP worker threads keep spinning for a while after their last task (OpenBLAS
# ~0.1 s): the next contender waits this long so it does not compete with a spinning pool.
SETTLE_SECONDS = 0.3
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class WorkerError(RuntimeError):
    """A worker process ended or answered with an error."""


# ---- memory and threads, as far as the platform tells --------------------------------------
def current_rss_kb() -> int | None:
    """Resident memory of this process now, in kB (None where /proc is missing)."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def peak_rss_kb() -> int | None:
    """Peak resident memory of this process, in kB; None where it is unknown (Windows)."""
    try:
        import resource  # POSIX only
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes


def blas_threads() -> str:
    """The thread pools this process has loaded, e.g. "openblas 0.3.31 (pthreads): 2 threads"."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl is not installed)"
    pools = []
    for pool in threadpool_info():
        name = " ".join(str(pool[key]) for key in ("internal_api", "version") if pool.get(key))
        layer = pool.get("threading_layer")
        if layer and layer != pool.get("internal_api"):
            name += f" ({layer})"
        count = pool.get("num_threads")
        pools.append(f"{name}: {count} thread{'' if count == 1 else 's'}")
    return "; ".join(pools) or "no thread pool loaded"


def thread_environment(threads: int | None) -> dict[str, str]:
    """This process's environment, with the BLAS/OpenMP thread count set when one is given."""
    env = dict(os.environ)
    if threads:
        for var in THREAD_VARIABLES:
            env[var] = str(threads)
    return env


# ---- the worker's side ------------------------------------------------------------------------
@dataclass
class Job:
    """What one worker process times.

    `step` does one unit of work (an epoch, a whole training run) and returns a JSON-able
    value the report shows (a loss, a dict of facts). `warmup` untimed steps run after set-up;
    with `wake`, every turn starts with one more untimed step, which wakes the thread pools and
    refills the caches after the wait. `facts` go to the parent once, with the "ready" reply.
    """

    step: Callable[[], Any]
    how: str
    warmup: int = 2
    wake: bool = True
    facts: dict[str, Any] = field(default_factory=dict)


def reply(payload: dict[str, Any]) -> None:
    sys.stdout.write(REPLY + json.dumps(payload) + "\n")
    sys.stdout.flush()


def serve(make_job: Callable[[], Job]) -> int:
    """Set up one contender, then answer "run K" with K timed steps until "quit"."""
    try:
        base_kb = current_rss_kb()
        job = make_job()
        for _ in range(job.warmup):
            job.step()
    except Exception as exc:  # report to the parent instead of dying silently
        reply({"error": f"{type(exc).__name__}: {exc}"})
        return 1
    steps_done = job.warmup
    reply({"ready": True, "how": job.how, "facts": job.facts, "base_kb": base_kb})
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        try:
            if job.wake:
                job.step()
                steps_done += 1
            times, value = [], None
            for _ in range(int(words[1])):
                start = time.perf_counter()
                value = job.step()
                times.append(time.perf_counter() - start)
                steps_done += 1
        except Exception as exc:
            reply({"error": f"{type(exc).__name__}: {exc}"})
            return 1
        reply({"times": times, "value": value, "steps": steps_done, "peak_kb": peak_rss_kb()})
    return 0


# ---- the parent's side ------------------------------------------------------------------------
@dataclass
class Worker:
    """The parent's handle on one contender's process and everything it has measured."""

    name: str
    process: subprocess.Popen
    errlog: IO[str]
    how: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    base_kb: int | None = None
    peak_kb: int | None = None
    value: Any = None
    steps: int = 0
    times: list[float] = field(default_factory=list)
    round_medians: list[float] = field(default_factory=list)

    @classmethod
    def start(cls, name: str, command: Sequence[str], env: dict[str, str]) -> Worker | str:
        """Start a contender's process and wait until it is set up; a string says why not."""
        errlog = tempfile.TemporaryFile("w+")
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errlog,
            text=True,
            env=env,
        )
        worker = cls(name, process, errlog)
        try:
            answer = worker.read_reply()
        except WorkerError as exc:
            worker.close()
            return str(exc)
        worker.how, worker.facts = answer["how"], answer.get("facts", {})
        worker.base_kb = answer.get("base_kb")
        return worker

    def read_reply(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise self.died("ended unexpectedly")
            if line.startswith(REPLY):
                answer = json.loads(line[len(REPLY) :])
                if "error" in answer:
                    raise WorkerError(answer["error"])
                return answer

    def died(self, what: str) -> WorkerError:
        """The error to raise when the process is gone: what it last wrote on stderr."""
        try:
            self.process.wait(timeout=10)  # let it finish writing its traceback
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.errlog.seek(0)
        tail = self.errlog.read()[-2000:].strip()
        return WorkerError(f"the {self.name} worker {what}: {tail or 'no message'}")

    def run(self, count: int) -> None:
        """Let the worker run `count` timed steps and collect what it measured."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(f"run {count}\n")
            self.process.stdin.flush()
        except OSError:
            raise self.died("is gone") from None
        answer = self.read_reply()
        self.times.extend(answer["times"])
        self.round_medians.append(statistics.median(answer["times"]))
        self.value, self.steps, self.peak_kb = answer["value"], answer["steps"], answer["peak_kb"]

    def close(self) -> None:
        """Ask the worker to quit (kill it if it does not), then release its pipes and log."""
        try:
            assert self.process.stdin is not None
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired, ValueError):
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.errlog):
            try:
                if stream is not None:
                    stream.close()
            except OSError:  # a pipe to a dead process cannot flush what is left in it
                pass


def alternate(
    workers: dict[str, Worker],
    rounds: int,
    steps_per_turn: Callable[[str], int],
    failed: dict[str, str],
    label: str = "round",
) -> None:
    """Run `rounds` rounds; in each, every worker in turn runs its timed steps.

    A worker that fails is closed and dropped from `workers`, with the reason in `failed`
    (details go to stderr); one broken contender spoils no others.
    """
    order = list(workers)
    for rnd in range(rounds):
        shift = rnd % len(order) if order else 0
        for name in order[shift:] + order[:shift]:
            if name not in workers:
                continue
            time.sleep(SETTLE_SECONDS)
            try:
                workers[name].run(steps_per_turn(name))
            except WorkerError as exc:
                print(f"{name}: {exc}", file=sys.stderr)
                failed[name] = f"its worker failed: {str(exc).splitlines()[-1][:200]}"
                workers.pop(name).close()
        print(f"{label} {rnd + 1}/{rounds} done", file=sys.stderr, flush=True)
