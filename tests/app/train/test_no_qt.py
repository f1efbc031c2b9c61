"""The Train tab's logic and the contour geometry import no Qt, like nncore.

Checked in a fresh interpreter, because the test process has loaded PySide6 for the app
tests already.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

QT_FREE = [
    "app.train.session",
    "app.train.phases",
    "app.train.pacing",
    "app.train.weight_files",
    "app.train.limits",
    "app.train.reader_process",
    "app.widgets.marching_squares",
    "app.widgets.map_lines",
    "app.widgets.neuron_maps_layout",
    "app.train.step_handoff",
    "app.train.run_names",
    "app.train.sweep",
    "app.train.snapshot",
    "app.train.live_grids",
    "app.train.training_loop",
    "app.train.trainer_process",  # the training process: it must start without Qt
    "app.train.training_mode",
]
GUI_PACKAGES = ["PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "PySide2", "qtpy"]

IMPORT_THEM = textwrap.dedent(f"""
    import importlib, json, sys
    for name in {QT_FREE!r}:
        importlib.import_module(name)
    gui = sorted(m for m in sys.modules if m.split(".")[0] in {GUI_PACKAGES!r})
    print(json.dumps(gui))
""")


def test_the_qt_free_modules_load_no_gui_library():
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_THEM],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[3],  # the repository root
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
