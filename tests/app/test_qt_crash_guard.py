"""Guard against the PySide6 6.12.0 crash on Python < 3.12 (PySide6 6.12.0 with Python 3.11).

In that release every call of a void-returning Qt method (setPen, setZValue, ...) dropped
one reference to `None`. On Python 3.11 `None` is an ordinary counted object, so after some
tens of thousands of calls the interpreter aborts with "Fatal Python error: none_dealloc".
A small test suite never makes that many calls; a drawing loop does in seconds. These tests
make the calls in a separate process, so a crash fails the test instead of killing pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib import metadata

import pytest

CALLS = 200_000

VOID_CALLS = textwrap.dedent(f"""
    import sys
    from PySide6.QtGui import QColor, QPen
    from PySide6.QtWidgets import QApplication, QGraphicsLineItem

    app = QApplication([])
    item = QGraphicsLineItem(0.0, 0.0, 1.0, 1.0)
    pen = QPen(QColor("#0072B2"))
    before = sys.getrefcount(None)
    for _ in range({CALLS}):
        item.setPen(pen)
    after = sys.getrefcount(None)
    print(before, after)
""")


def test_many_void_qt_calls_leave_the_interpreter_alive():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", VOID_CALLS], env=env, capture_output=True, text=True, timeout=120
    )
    assert "none_dealloc" not in result.stderr, result.stderr
    assert result.returncode == 0, f"exit code {result.returncode}: {result.stderr[-2000:]}"
    before, after = (int(n) for n in result.stdout.split())
    # A leaking binding would lower None's count by one per call. (On Python 3.12+ None is
    # immortal and its reported count is a fixed large number.)
    assert after >= before - 1000, f"None lost {before - after} references in {CALLS} calls"


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="None is immortal from Python 3.12 on: every PySide6 release is safe there",
)
def test_installed_pyside6_is_not_the_crashing_release_on_old_python():
    for distribution in ("PySide6-Essentials", "PySide6"):
        try:
            version = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
        assert version != "6.12.0", (
            f"{distribution} 6.12.0 crashes Python {sys.version.split()[0]}; "
            "install another release (pyproject.toml excludes it)"
        )
