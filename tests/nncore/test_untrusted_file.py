"""Tests for nncore.untrusted_file, and hostile files through every loader that uses it.

The cases that would hang or exhaust memory with a naive reader (a FIFO, /dev/zero, millions
of rows, zip bombs) run in a subprocess with an address-space limit and a timeout, so a
regression fails the test instead of freezing or swapping the machine.
"""

import json
import os
import socket
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

from nncore import untrusted_file
from nncore.errors import DataError, WeightFileError
from nncore.untrusted_file import open_regular, read_bounded

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, devices and sockets are POSIX")
WORKTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MEMORY_CAP = 600 * 2**20  # address space of a bounded run (Python with NumPy needs ~100 MB)


def read(path, limit=1000):
    return read_bounded(path, what="test file", error=DataError, limit=limit)


# ---- the reader itself ------------------------------------------------------------------
def test_reads_a_regular_file_and_follows_symlinks_to_one(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"hello")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    assert read(tmp_path / "a.txt") == b"hello"
    assert read(str(tmp_path / "link.txt")) == b"hello"
    assert read(os.fsencode(tmp_path / "a.txt")) == b"hello"


def test_a_file_larger_than_the_limit_is_refused_with_both_sizes(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 1001)
    with pytest.raises(DataError, match=r"big.txt' is 1,001 bytes, more than the 1,000 bytes"):
        read(tmp_path / "big.txt")
    assert read(tmp_path / "big.txt", limit=1001) == b"x" * 1001


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_a_file_whose_size_is_misreported_is_read_only_up_to_the_limit():
    # /proc files are regular files that report a size of 0 and yet hold text
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(DataError, match=r"holds more bytes than that, more than the 10 bytes"):
        read("/proc/self/status", limit=10)


def test_missing_folder_and_wrong_type(tmp_path):
    with pytest.raises(
        DataError, match=r"^file not found: '.*nope.txt' \(there is no such file\)$"
    ):
        read(tmp_path / "nope.txt")
    with pytest.raises(DataError, match=r"is a folder, not a test file$"):
        read(tmp_path)
    with pytest.raises(TypeError, match="expected a file path, not int"):
        read(3)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_no_permission(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_bytes(b"x")
    path.chmod(0)
    with pytest.raises(DataError, match="no permission to read"):
        read(path)


@posix_only
def test_fifo_is_refused_at_once_without_a_writer(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    # a blocking open would wait here for a writer forever; O_NONBLOCK returns at once
    with pytest.raises(DataError, match=r"is a named pipe \(FIFO\), not a regular file"):
        read(fifo)


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_symlinks_to_devices_are_refused(tmp_path, device):
    link = tmp_path / "data.csv"
    link.symlink_to(device)
    with pytest.raises(WeightFileError, match=r"is a character device .*not a regular file"):
        read_bounded(link, what="weights file", error=WeightFileError, limit=10)


@posix_only
def test_socket_is_refused(tmp_path):
    path = tmp_path / "s.sock"
    if len(os.fsencode(path)) > 100:
        pytest.skip("socket paths are limited to about 100 bytes")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        with pytest.raises(DataError, match=r"is a socket, not a regular file"):
            read(path)
    finally:
        server.close()


def test_paths_are_shown_escaped_in_one_line(tmp_path):
    with pytest.raises(DataError) as info:
        read(tmp_path / "evil\x1b[31m\nname.csv")
    message = str(info.value)
    assert "\x1b" not in message and "\n" not in message
    assert "evil\\x1b[31m\\nname.csv" in message


def test_read_errors_become_the_callers_error(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"hello")
    expected = pytest.raises(DataError, match=r"cannot read '.*a.txt': Input/output error")
    with expected, open_regular(tmp_path / "a.txt", what="test file", error=DataError):
        raise OSError(5, "Input/output error")


def test_the_descriptor_is_closed_on_every_path(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 50)
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    for _ in range(20):
        with pytest.raises(DataError):
            read(tmp_path / "big.txt", limit=10)
        with pytest.raises(DataError):
            read(tmp_path)
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before


def test_the_shown_path_is_bounded():
    text = untrusted_file.shown_path("d/" * 500 + "f.csv")
    assert len(text) < untrusted_file.PATH_SHOWN_LIMIT + 30 and "(1,005 characters)" in text


# ---- hostile files through the loaders, each in a bounded subprocess --------------------
def bounded_run(code: str, *args, timeout: float = 120) -> dict:
    """Run `code` (which defines `run(*args)`) in a fresh interpreter limited to MEMORY_CAP
    of address space; return what it printed as a dict: the outcome and the peak memory."""
    program = (
        textwrap.dedent(
            f"""
        import json, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP}, {MEMORY_CAP}))
        from nncore.errors import NNCoreError
        """
        )
        + textwrap.dedent(code)
        + textwrap.dedent(
            """
        try:
            run(*sys.argv[1:])
            outcome = {"outcome": "loaded"}
        except NNCoreError as exc:
            outcome = {"outcome": type(exc).__name__, "message": str(exc)}
        # VmHWM is this program's own peak; ru_maxrss may include the forking parent's
        try:
            with open("/proc/self/status") as fh:
                peak = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:"))
        except (OSError, StopIteration):
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        outcome["peak_kb"] = peak
        print(json.dumps(outcome))
        """
        )
    )
    env = dict(os.environ, PYTHONPATH=WORKTREE, OPENBLAS_NUM_THREADS="1")
    done = subprocess.run(
        [sys.executable, "-c", program, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.PIPE,  # an open pipe with no data: /dev/stdin would block on it
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if "message" in result:
        assert "\n" not in result["message"] and len(result["message"]) <= 400
    return result


LOAD_WEIGHTS = """
from nncore import weightfile
def run(path):
    weightfile.load(path)
"""
LOAD_CSV = """
from nncore.csvfiles import load_csv
def run(path):
    load_csv(path)
"""


needs_rlimit = pytest.mark.skipif(os.name != "posix", reason="resource limits are POSIX")


@needs_rlimit
@pytest.mark.parametrize("loader", [LOAD_WEIGHTS, LOAD_CSV])
@pytest.mark.parametrize("target", ["/dev/zero", "/dev/stdin", "fifo"])
def test_loaders_refuse_endless_and_blocking_files(tmp_path, loader, target):
    path = tmp_path / ("data.csv" if loader == LOAD_CSV else "weights.npz")
    if target == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(target)
    result = bounded_run(loader, path, timeout=60)
    assert result["outcome"] in ("DataError", "WeightFileError")
    assert "not a regular file" in result["message"]


@needs_rlimit
def test_five_million_short_csv_rows_are_refused_before_parsing(tmp_path):
    from nncore.csvfiles import MAX_CSV_BYTES, MAX_CSV_ROWS

    path = tmp_path / "rows.csv"
    path.write_bytes(b"0,0,0\n" * 5_000_000)  # 30 MB, within the size limit
    assert path.stat().st_size <= MAX_CSV_BYTES
    result = bounded_run(LOAD_CSV, path)
    assert result["outcome"] == "DataError"
    assert f"at most {MAX_CSV_ROWS:,} rows of data are read" in result["message"]
    assert result["peak_kb"] < 200_000  # the old reader needed 2.7 GB


@needs_rlimit
def test_json_of_sixty_megabytes_of_empty_lists_is_refused_before_parsing(tmp_path):
    path = tmp_path / "lists.json"
    path.write_bytes(b'{"format": "nn-tutor-weights", "meta": [' + b"[]," * 20_000_000 + b"[]]}")
    result = bounded_run(LOAD_WEIGHTS, path)
    assert result["outcome"] == "WeightFileError"
    assert "holds up to 20,000,003 lists and objects, more than the" in result["message"]
    assert result["peak_kb"] < 300_000  # json.loads would have needed 1.5 GB


@needs_rlimit
def test_npz_zip_bomb_is_refused_without_inflating(tmp_path):
    path = tmp_path / "bomb.npz"
    size = 250_000_000
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("header.npy", "w", force_zip64=True) as fh,
    ):
        fh.write(np.lib.format.magic(1, 0))
        np.lib.format.write_array_header_1_0(
            fh, {"descr": "|u1", "fortran_order": False, "shape": (size,)}
        )
        block = b" " * (1 << 20)
        for _ in range(size // len(block)):
            fh.write(block)
    assert path.stat().st_size < 1_000_000
    result = bounded_run(LOAD_WEIGHTS, path)
    assert result["outcome"] == "WeightFileError"
    assert "entry 'header' of the .npz archive declares" in result["message"]
    assert result["peak_kb"] < 200_000


@needs_rlimit
def test_npz_of_sixty_thousand_entries_is_refused_before_listing(tmp_path):
    path = tmp_path / "many.npz"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(60_000):
            zf.writestr(f"e{i}.npy", b"")
    result = bounded_run(LOAD_WEIGHTS, path)
    assert result["outcome"] == "WeightFileError"
    assert "holds up to 60,000 entries; a weights file has at most 2,001" in result["message"]
