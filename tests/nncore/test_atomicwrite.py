"""Tests for nncore.atomicwrite: the target holds the old content or the new, never a mix."""

import os
import re
import signal
import subprocess
import sys

import pytest

from nncore import atomicwrite
from nncore.atomicwrite import write_atomically
from nncore.errors import WeightFileError


def _write_text(text):
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)

    return write


def test_writes_a_new_file_and_replaces_an_old_one(tmp_path):
    path = tmp_path / "out.txt"
    write_atomically(str(path), _write_text("first"))
    assert path.read_text(encoding="utf-8") == "first"
    write_atomically(str(path), _write_text("second"))
    assert path.read_text(encoding="utf-8") == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left


@pytest.mark.parametrize("error", [RuntimeError("disk unplugged"), KeyboardInterrupt()])
def test_an_error_while_writing_keeps_the_old_file(tmp_path, error):
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")

    def half_then_fail(tmp):
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("ne")
        raise error

    with pytest.raises(type(error)):
        write_atomically(str(path), half_then_fail)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_system_errors_become_one_sentence(tmp_path, monkeypatch):
    missing = tmp_path / "no such folder" / "out.txt"
    with pytest.raises(WeightFileError, match="the folder .* does not exist"):
        write_atomically(str(missing), _write_text("x"))

    def no_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomicwrite.os, "replace", no_replace)
    with pytest.raises(WeightFileError, match=r"cannot write .*out.txt.*: Permission denied"):
        write_atomically(str(tmp_path / "out.txt"), _write_text("x"))
    assert list(tmp_path.iterdir()) == []


# ---- temporary files: recognisable, and cleaned after a killed writer ---------------------
WORKTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _dead_pid() -> int:
    """The id of a process that has just ended (and was reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporary_files_are_named_after_the_target_and_the_process(tmp_path):
    seen = []

    def look(tmp):
        seen.append(os.path.basename(tmp))
        _write_text("x")(tmp)

    write_atomically(str(tmp_path / "m.npz"), look)
    (name,) = seen
    assert re.fullmatch(rf"\.m\.npz\.nntutor-{os.getpid()}-[0-9a-f]{{8}}\.tmp", name)
    assert name.startswith(atomicwrite.temporary_prefix(str(tmp_path / "m.npz")))


@pytest.mark.skipif(os.name != "posix", reason="process ids are checked on POSIX only")
def test_stale_temporaries_of_dead_writers_are_removed_and_nothing_else(tmp_path):
    dead = _dead_pid()
    stale = tmp_path / f".m.npz.nntutor-{dead}-0123abcd.tmp"
    live = tmp_path / f".m.npz.nntutor-{os.getpid()}-0123abcd.tmp"  # a writer still running
    other_target = tmp_path / f".other.npz.nntutor-{dead}-0123abcd.tmp"
    unlike = tmp_path / f".m.npz.nntutor-{dead}-notours.tmp"
    for path in (stale, live, other_target, unlike):
        path.write_text("half", encoding="utf-8")
    write_atomically(str(tmp_path / "m.npz"), _write_text("new"))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["m.npz", live.name, other_target.name, unlike.name])


_KILLABLE_WRITER = """
import os, signal, sys
from nncore.atomicwrite import write_atomically

class Stop(Exception):
    pass

def stop(signum, frame):
    raise Stop()

signal.signal(signal.SIGTERM, stop)

def slow(tmp):
    with open(tmp, "w") as fh:
        fh.write("half of the new")
    print("writing", flush=True)
    sys.stdin.read()  # wait for the parent's signal (stdin stays open until then)

try:
    write_atomically(sys.argv[1], slow)
except Stop:
    print("stopped", flush=True)
"""


def _start_writer(path):
    env = dict(os.environ, PYTHONPATH=WORKTREE)
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLABLE_WRITER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout.readline().strip() == "writing"  # the temporary file exists now
    return child


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_a_writer_killed_outright_leaves_a_temporary_the_next_write_removes(tmp_path):
    path = tmp_path / "m.json"
    path.write_text("old", encoding="utf-8")
    child = _start_writer(path)
    child.kill()  # SIGKILL: no chance to clean up
    child.wait(timeout=30)
    child.stdin.close()
    child.stdout.close()
    left = [p.name for p in tmp_path.iterdir() if p.name != "m.json"]
    assert left == [f".m.json.nntutor-{child.pid}-{left[0][-12:-4]}.tmp"]
    assert path.read_text(encoding="utf-8") == "old"
    write_atomically(str(path), _write_text("new"))
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]
    assert path.read_text(encoding="utf-8") == "new"


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_a_sigterm_turned_into_an_exception_leaves_nothing_behind(tmp_path):
    path = tmp_path / "m.json"
    path.write_text("old", encoding="utf-8")
    child = _start_writer(path)
    child.send_signal(signal.SIGTERM)
    out, _ = child.communicate(timeout=30)
    assert out.strip() == "stopped"
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]
    assert path.read_text(encoding="utf-8") == "old"
