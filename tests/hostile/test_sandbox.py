"""The cage itself: a child's peak memory is its own, not the test process's."""

from __future__ import annotations

from hostile_sandbox import run_python

MiB = 2**20


def test_a_childs_peak_memory_is_its_own_whatever_the_test_process_holds():
    # Linux carries ru_maxrss across fork and exec: without the child's own report a
    # trivial child of a big test process (the whole suite grows to ~600 MB) looked big.
    ballast = bytearray(400 * MiB)
    ballast[::4096] = b"\1" * len(ballast[::4096])  # touch every page: resident for real
    small = run_python("x = 1")
    big = run_python("b = bytearray(300 * 2**20)\nb[::4096] = b'1' * len(b[::4096])")
    del ballast
    assert small.peak_rss < 100 * MiB, small.describe()
    assert 300 * MiB <= big.peak_rss < 400 * MiB, big.describe()
