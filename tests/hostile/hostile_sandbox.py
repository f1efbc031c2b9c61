"""Running an attack in a cage: a child process with a memory ceiling and a wall clock.

Every risky case of the hostile suite (bombs, huge numbers, /dev/zero, FIFOs, millions of
rows, huge architectures) runs here, never in the test process: the child gets an address
space limit (RLIMIT_AS, `MEMORY_LIMIT`), one BLAS thread (OpenBLAS reserves address space
per thread) and a deadline (`TIMEOUT`), after which its whole process group is killed. What
comes back is an `Outcome`: exit status, stdout, stderr, elapsed time and the child's own
peak resident memory (reported by the child itself at exit through `probe/sitecustomize.py`,
since `os.wait4`'s figure includes what the test process held when it forked; that figure is
the fallback for a child killed before it could report).

Two kinds of child:
- `run_python(code)`: the code runs with `exec`; whatever it raises (or the value it leaves
  in `result`) is reported back on stdout as one JSON line, so a test can ask "was that the
  project's own error?" without unpickling anything;
- `run_cli(args)` / `start_cli(args)`: `python -m nncore ...`, the way a user types it.

`refused_in_process` and `refused_by_cli` state what "refused cleanly" means for each.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# The checkout whose nncore the children run: this one (tests/hostile/ -> tests/ -> root), or
# another given in HOSTILE_ROOT (to try this suite on a branch without copying it there).
ROOT = Path(os.environ.get("HOSTILE_ROOT") or Path(__file__).resolve().parents[2])
_PROBE = Path(__file__).resolve().parent / "probe"  # sitecustomize: the child's own peak memory
MEMORY_LIMIT = 1536 * 1024 * 1024  # address space of a child (bytes)
TIMEOUT = 20.0  # seconds of wall clock before a child is called hung and killed
MESSAGE_LIMIT = 1000  # characters a one-line refusal may have
_MARK = "@@HOSTILE-OUTCOME@@"
_POLL = 0.01  # seconds between checks of a running child

# Raw control characters a terminal would act on: C0 (except newline and tab), DEL and C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The lines a training command prints while it trains (announcement, progress, Ctrl+C note).
_TRAINING_LINE = re.compile(r"^\s*(epoch\s+\d|Training\b|Stopping\b)")
# A message "mentions memory" when it says so or names an amount of bytes (12.3 GB, 800 MiB).
MEMORY_WORDS = re.compile(r"memory|\b\d+(\.\d+)?\s?[KMGT]i?B\b|\bbytes\b", re.IGNORECASE)


@dataclass
class Outcome:
    """What a child did: `status` (negative: killed by that signal), its output, its time
    (seconds) and peak resident memory (bytes); `timed_out` when it had to be killed."""

    status: int | None
    stdout: str
    stderr: str
    elapsed: float
    peak_rss: int
    timed_out: bool
    report: dict | None = None  # run_python only: what the code raised or returned
    argv: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """A few lines for an assertion message: enough to see why a case failed."""

        def tail(text: str) -> str:
            text = text if len(text) <= 1500 else "…" + text[-1500:]
            return text.encode("unicode_escape").decode("ascii")

        return (
            f"\n  argv: {' '.join(self.argv)[:300]}"
            f"\n  status {self.status}, {self.elapsed:.1f} s, peak RSS "
            f"{self.peak_rss / 2**20:.0f} MiB, timed out: {self.timed_out}"
            f"\n  report: {json.dumps(self.report)[:800] if self.report else None}"
            f"\n  stdout: {tail(self.stdout)}\n  stderr: {tail(self.stderr)}"
        )

    def stderr_lines(self, trains: bool = False) -> list[str]:
        """The non-empty lines of stderr (without the training chatter when `trains`)."""
        lines = [line for line in self.stderr.replace("\r", "\n").split("\n") if line.strip()]
        if trains:
            lines = [line for line in lines if not _TRAINING_LINE.match(line)]
        return lines


def child_env(memory_limit_setting: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a child: this checkout first, one BLAS thread, no Qt display,
    NNCORE_MEMORY_LIMIT only when given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NNCORE_", "HOSTILE_"))}
    env.update(
        PYTHONPATH=os.pathsep.join((str(_PROBE), str(ROOT))),
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        QT_QPA_PLATFORM="offscreen",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONIOENCODING="utf-8",
        COLUMNS="100",
    )
    if memory_limit_setting is not None:
        env["NNCORE_MEMORY_LIMIT"] = memory_limit_setting
    env.update(extra)
    return env


class Running:
    """A child started by `start`: watch its output, send it signals, then `finish` it."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        timeout: float = TIMEOUT,
        memory: int = MEMORY_LIMIT,
        env: dict[str, str] | None = None,
        cwd: str | os.PathLike | None = None,
        umask: int | None = None,
    ):
        self.argv = list(argv)
        self.timeout = timeout
        self._out = tempfile.TemporaryFile()
        self._err = tempfile.TemporaryFile()
        self._peak_dir = tempfile.TemporaryDirectory(prefix="hostile-peak-")
        self._peak_file = os.path.join(self._peak_dir.name, "peak")
        env = dict(child_env() if env is None else env, HOSTILE_PEAK_FILE=self._peak_file)

        def limits() -> None:  # runs in the child, before exec
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if umask is not None:
                os.umask(umask)

        self.started = time.monotonic()
        self._proc = subprocess.Popen(
            self.argv,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=self._err,
            env=env,
            cwd=str(ROOT if cwd is None else cwd),
            preexec_fn=limits,
            start_new_session=True,  # its own process group: a kill reaches its children too
        )
        self._result: tuple[int, int] | None = None  # (wait status, peak RSS bytes)

    @property
    def pid(self) -> int:
        return self._proc.pid

    def _reap(self, block: bool) -> bool:
        if self._result is not None:
            return True
        pid, status, usage = os.wait4(self._proc.pid, 0 if block else os.WNOHANG)
        if pid == 0:
            return False
        self._result = (status, usage.ru_maxrss * 1024)  # Linux reports kilobytes
        self._proc.returncode = os.waitstatus_to_exitcode(status)
        return True

    def exited(self) -> bool:
        return self._reap(block=False)

    def remaining(self) -> float:
        return self.timeout - (time.monotonic() - self.started)

    def read_stderr(self) -> str:
        self._err.seek(0)
        return self._err.read().decode("utf-8", "replace")

    def wait_until(self, condition: Callable[[], bool]) -> bool:
        """Poll until `condition()` holds (True) or the child exits or runs out of time."""
        while self.remaining() > 0:
            if condition():
                return True
            if self.exited():
                return condition()
            time.sleep(_POLL)
        return False

    def send(self, sig: int) -> None:
        if not self.exited():
            os.kill(self._proc.pid, sig)

    def finish(self) -> Outcome:
        """Wait for the child (killing its group once the time is up) and collect it."""
        timed_out = not self.wait_until(lambda: False) and not self.exited()
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._reap(block=True)
        elapsed = time.monotonic() - self.started
        assert self._result is not None
        _, peak = self._result
        own_report = f"{self._peak_file}.{self._proc.pid}"  # the child's own figure, if any
        with contextlib.suppress(OSError, ValueError), open(own_report, encoding="ascii") as fh:
            peak = int(fh.read())
        self._peak_dir.cleanup()
        self._out.seek(0)
        stdout = self._out.read().decode("utf-8", "replace")
        stderr = self.read_stderr()
        self._out.close()
        self._err.close()
        report = None
        for line in stdout.splitlines():
            if line.startswith(_MARK):
                report = json.loads(line[len(_MARK) :])
        return Outcome(
            status=None if timed_out else self._proc.returncode,
            stdout=stdout,
            stderr=stderr,
            elapsed=elapsed,
            peak_rss=peak,
            timed_out=timed_out,
            report=report,
            argv=self.argv,
        )


# ---- the two kinds of child ----------------------------------------------------------------
_RUNNER = """
import json, sys
MARK = {mark!r}
CODE = {code!r}
namespace = {{"__name__": "__hostile__"}}
try:
    exec(compile(CODE, "<hostile case>", "exec"), namespace)
except BaseException as exc:
    try:
        from nncore.errors import NNCoreError
        project = isinstance(exc, NNCoreError)
    except BaseException:
        project = False
    text = str(exc)
    sys.stdout.write(MARK + json.dumps({{
        "kind": "raised",
        "type": type(exc).__name__,
        "bases": [c.__name__ for c in type(exc).__mro__],
        "project": project,
        "message": text[:4000],
        "message_length": len(text),
    }}) + "\\n")
else:
    value = namespace.get("result")
    sys.stdout.write(MARK + json.dumps({{"kind": "returned", "value": value}}, default=repr) + "\\n")
sys.stdout.flush()
"""


def run_python(code: str, **kw) -> Outcome:
    """Run `code` in a caged Python child; its outcome is in `Outcome.report`:
    {"kind": "raised", "type", "bases", "project", "message"} or {"kind": "returned",
    "value": the code's `result` variable (JSON, else its repr)}."""
    script = _RUNNER.format(mark=_MARK, code=code)
    outcome = start([sys.executable, "-c", script], **kw).finish()
    outcome.argv = ["python", "-c", code]
    return outcome


_EACH_RUNNER = """
import json, sys
MARK = {mark!r}
CODES = {codes!r}
reports = {{}}
for name, code in CODES.items():
    namespace = {{"__name__": "__hostile__"}}
    try:
        exec(compile(code, "<hostile case " + name + ">", "exec"), namespace)
    except BaseException as exc:
        try:
            from nncore.errors import NNCoreError
            project = isinstance(exc, NNCoreError)
        except BaseException:
            project = False
        text = str(exc)
        reports[name] = {{
            "kind": "raised",
            "type": type(exc).__name__,
            "bases": [c.__name__ for c in type(exc).__mro__],
            "project": project,
            "message": text[:4000],
            "message_length": len(text),
        }}
    else:
        reports[name] = {{"kind": "returned", "value": namespace.get("result")}}
    sys.stderr.write("done " + name + "\\n")
sys.stdout.write(MARK + json.dumps({{"kind": "returned", "value": reports}}, default=repr) + "\\n")
sys.stdout.flush()
"""


def run_each(codes: dict[str, str], **kw) -> Outcome:
    """Run several cheap cases one after another in ONE caged child (Python's start-up paid
    once); pick each case's outcome with `case_of(outcome, name)`."""
    script = _EACH_RUNNER.format(mark=_MARK, codes=codes)
    outcome = start([sys.executable, "-c", script], **kw).finish()
    outcome.argv = ["python", "-c", "<" + ", ".join(codes) + ">"]
    return outcome


def case_of(outcome: Outcome, name: str) -> Outcome:
    """One case of a `run_each` child, as if it had run alone (time and memory are shared)."""
    cases = (outcome.report or {}).get("value") or {}
    finished = f"done {name}" in outcome.stderr
    return dataclasses.replace(
        outcome,
        report=cases.get(name),
        timed_out=outcome.timed_out and not finished,
        argv=[*outcome.argv[:-1], name],
    )


def nncore_argv(args: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "nncore", *map(str, args)]


def run_cli(args: Sequence[str], **kw) -> Outcome:
    """`python -m nncore ARGS` in a cage, run to the end (or killed at the deadline)."""
    return start(nncore_argv(args), **kw).finish()


def start_cli(args: Sequence[str], **kw) -> Running:
    """`python -m nncore ARGS` started in a cage; the caller watches it, signals it, and
    calls `.finish()`."""
    return start(nncore_argv(args), **kw)


def start(argv: Sequence[str], **kw) -> Running:
    return Running(argv, **kw)


# ---- what "refused cleanly" means ----------------------------------------------------------
def control_characters(text: str) -> list[str]:
    """The raw control characters in `text`, escaped for a message (newline and tab allowed)."""
    return sorted({repr(c) for c in _CONTROL.findall(text)})


def bounded(outcome: Outcome, max_rss: int | None = None) -> None:
    """The child finished by itself, in time, and (when given) within `max_rss` bytes."""
    assert not outcome.timed_out, f"hung: killed after {outcome.elapsed:.0f} s" + outcome.describe()
    if max_rss is not None:
        assert outcome.peak_rss <= max_rss, (
            f"used {outcome.peak_rss / 2**20:.0f} MiB, more than "
            f"{max_rss / 2**20:.0f} MiB" + outcome.describe()
        )


def refused_in_process(
    outcome: Outcome,
    error: str = "NNCoreError",
    max_rss: int | None = None,
    mentions: re.Pattern | None = None,
) -> str:
    """The code raised the project's own error `error` (a class name in nncore.errors or a
    subclass of NNCoreError), with a one-line bounded message; returns the message."""
    bounded(outcome, max_rss)
    report = outcome.report
    assert report is not None, "the child died without reporting" + outcome.describe()
    assert report["kind"] == "raised", "accepted instead of refused" + outcome.describe()
    assert report["project"], (
        f"escaped as {report['type']}, not the project's own error" + outcome.describe()
    )
    assert error in report["bases"], f"raised {report['type']}, not a {error}" + outcome.describe()
    message = report["message"]
    assert "\n" not in message and "\r" not in message, "message spans lines" + outcome.describe()
    assert report["message_length"] <= MESSAGE_LIMIT, "message unbounded" + outcome.describe()
    assert not control_characters(message), "raw control characters" + outcome.describe()
    if mentions is not None:
        assert mentions.search(message), f"message does not mention {mentions.pattern!r}" + (
            outcome.describe()
        )
    return message


def clean_output(outcome: Outcome) -> None:
    """No traceback and no raw control characters on stdout or stderr."""
    for name, text in (("stdout", outcome.stdout), ("stderr", outcome.stderr)):
        assert "Traceback" not in text, f"a traceback on {name}" + outcome.describe()
        found = control_characters(text)
        assert not found, f"raw control characters {found} on {name}" + outcome.describe()


def refused_by_cli(
    outcome: Outcome,
    statuses: Sequence[int] = (1, 2),
    trains: bool = False,
    max_rss: int | None = None,
    mentions: re.Pattern | None = None,
) -> str:
    """Exit status 1 or 2, exactly one non-empty line on stderr (training chatter aside when
    the command `trains`), bounded, no traceback, no raw control characters; returns it."""
    bounded(outcome, max_rss)
    clean_output(outcome)
    assert outcome.status in statuses, (
        f"exit status {outcome.status}, not one of {tuple(statuses)}" + outcome.describe()
    )
    lines = outcome.stderr_lines(trains)
    assert len(lines) == 1, f"{len(lines)} lines on stderr, not one" + outcome.describe()
    assert len(lines[0]) <= MESSAGE_LIMIT, "the error line is unbounded" + outcome.describe()
    if mentions is not None:
        assert mentions.search(lines[0]), f"message does not mention {mentions.pattern!r}" + (
            outcome.describe()
        )
    return lines[0]
