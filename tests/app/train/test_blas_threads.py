"""The app limits NumPy's BLAS to one thread, once, in its entry point `app.main`.

The Train tab's small matrix products are faster on one thread, and a BLAS pool fights the
GUI thread for a few cores. The test suite sets OPENBLAS_NUM_THREADS=1 for itself, so the
check runs in a fresh interpreter whose environment asks for a pool of two.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import app.main

REPORT_THREADS = textwrap.dedent("""
    import json
    from threadpoolctl import threadpool_info

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    import numpy
    before = blas_threads()
    from app.main import configure_blas_threads
    limited = configure_blas_threads()
    print(json.dumps({"before": before, "after": blas_threads(), "limited": len(limited)}))
""")


def test_configure_blas_threads_leaves_one_thread_for_good():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    env["OPENBLAS_NUM_THREADS"] = "2"
    result = subprocess.run(
        [sys.executable, "-c", REPORT_THREADS],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(__file__).resolve().parents[3],  # the repository root
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if not report["before"]:
        pytest.skip("NumPy uses no BLAS library that threadpoolctl knows here")
    assert max(report["before"]) == 2  # the environment's pool, before the app decides
    assert report["after"] == [1] * len(report["before"])
    assert report["limited"] == len(report["before"])


def test_the_entry_point_limits_blas_before_anything_else(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(app.main, "configure_blas_threads", lambda: calls.append("blas"))
    monkeypatch.setattr(
        app.main, "_run_screenshots", lambda *args, **kwargs: calls.append("screenshots") or 0
    )
    assert app.main.main(["--screenshot", str(tmp_path)]) == 0
    assert calls == ["blas", "screenshots"]
