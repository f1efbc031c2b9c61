"""nncore must stay usable without Qt: importing all of it loads no GUI library.

The check runs in a fresh interpreter, because the test process itself may already have
imported PySide6 for the app tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

GUI_PACKAGES = {
    "PySide6",
    "PySide2",
    "shiboken6",
    "shiboken2",
    "pyqtgraph",
    "PyQt5",
    "PyQt6",
    "sip",
    "qtpy",
}

IMPORT_EVERYTHING = textwrap.dedent(f"""
    import importlib, json, pkgutil, sys
    import nncore

    imported = ["nncore"]
    for info in pkgutil.walk_packages(nncore.__path__, prefix="nncore."):
        if info.name.rsplit(".", 1)[-1] == "__main__":
            continue  # importing it would run the command-line tool
        importlib.import_module(info.name)
        imported.append(info.name)
    gui = sorted(name for name in sys.modules if name.split(".")[0] in {sorted(GUI_PACKAGES)!r})
    print(json.dumps({{"imported": imported, "gui": gui}}))
""")


def test_importing_every_nncore_module_loads_no_gui_library():
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"nncore", "nncore.network", "nncore.activations", "nncore.losses"} <= set(
        report["imported"]
    )
    assert report["gui"] == [], f"nncore pulled in {report['gui']}"
