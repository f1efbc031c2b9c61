"""The first screen loads only what it shows; the rest waits until it is needed.

`tests/app/test_startup.py` guards the Train tab. These tests guard the rest of the start-up's
diet: the modules behind menu actions (hand-out export, picture export, the loss comparison
window), nncore's training and data code, and the Step tab's loss-slice plot, hidden until
a weight or bias is inspected. They check what is imported and built, never how long it
takes, so a later import at the top of a module cannot silently undo the gain.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.filterwarnings("error")

# Not needed for the first paint, and not loaded for it: each loads when its action runs.
NOT_AT_FIRST_PAINT = (
    "app.handout_export",  # File ▸ Export hand-out…
    "pyqtgraph.exporters",  # Save picture… / Save image… of a plot
    "app.step.loss_compare",  # View ▸ Squared error vs cross-entropy…
)

# The training and data code: loaded for the first paint only because app.lesson_files imports
# app.train.lesson_settings at its top (see the report of the start-up branch).
TRAINING_CODE = ("app.train.session", "nncore.training", "nncore.data", "nncore.weightfile")

FIRST_PAINT_CHILD = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    watched = sys.argv[1].split(",")
    app = QApplication([sys.argv[0]])

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, obj, event):
            if not self.seen and event.type() == QEvent.Type.Paint and obj.isWidgetType() \\
                    and isinstance(obj.window(), QMainWindow):
                self.seen = True
                window = obj.window()
                report = {
                    "loaded": [name for name in watched if name in sys.modules],
                    "slice_plot_built": getattr(window.step_tab.side, "slice_plot_built", None),
                }
                print("AT_FIRST_PAINT", json.dumps(report), flush=True)
                QTimer.singleShot(0, window.close)
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    import app.main
    sys.exit(app.main.main([]))
    """
)


@pytest.fixture(scope="module")
def first_paint(tmp_path_factory):
    """What the real start-up (`app.main.main`) had loaded and built at its first paint."""
    folder = tmp_path_factory.mktemp("first-paint")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NN_TUTOR_SETTINGS=str(folder / "s.ini"))
    result = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT_CHILD, ",".join(NOT_AT_FIRST_PAINT + TRAINING_CODE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for line in result.stdout.splitlines():
        if line.startswith("AT_FIRST_PAINT "):
            return json.loads(line.split(" ", 1)[1])
    raise AssertionError(f"no first paint reported: {result.stdout[-500:]} {result.stderr[-1500:]}")


def test_the_modules_behind_menu_actions_are_not_loaded_for_the_first_paint(first_paint):
    assert [name for name in NOT_AT_FIRST_PAINT if name in first_paint["loaded"]] == []


def test_the_hidden_loss_slice_plot_is_not_built_for_the_first_paint(first_paint):
    assert first_paint["slice_plot_built"] is False


def test_the_training_and_data_code_is_not_loaded_for_the_first_paint(first_paint):
    assert [name for name in TRAINING_CODE if name in first_paint["loaded"]] == []


def test_the_slice_plot_built_on_first_inspection_sits_where_it_always_did(open_window, qtbot):
    window = open_window()
    tab, side = window.step_tab, window.step_tab.side
    assert not side.slice_plot_built
    assert not side.slice_caption.isVisibleTo(tab)
    tab.go_to(2)
    tab.inspect(("edge", 1, 0, 0))  # a weight: its loss slice shows
    assert side.slice_plot_built
    plot = side.slice_plot
    assert plot.isVisibleTo(tab) and side.slice_caption.isVisibleTo(tab)
    column = side.widget().layout()
    order = [column.itemAt(i).widget() for i in range(column.count())]
    assert order.index(plot) == order.index(side.inspector) + 1
    assert order.index(side.slice_caption) == order.index(plot) + 1
    line = side.fontMetrics().lineSpacing()
    assert (plot.minimumHeight(), plot.maximumHeight()) == (line * 8, line * 11)
    assert tab.slice_plot is plot
    tab.inspect(("node", 1, 0))  # a neuron has no loss slice: the plot hides again
    assert not plot.isVisibleTo(tab) and not side.slice_caption.isVisibleTo(tab)
