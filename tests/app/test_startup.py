"""A quick start: the window's first paint does not wait for the Train tab.

The first screen is the Step tab; the Train tab (pyqtgraph plots, its worker, the neuron
maps) is built when first needed, or just after the first paint (`app.main`). These tests
check what is imported and built, never how long it takes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.filterwarnings("error")

# Modules only the Train tab needs: none of them may be loaded for the first paint.
DEFERRED = (
    "app.train.tab",
    "app.train.views",
    "app.train.worker",
    "app.train.neuron_maps_panel",
    "app.widgets.neuron_maps",
    "nncore.neuron_maps",
)

FIRST_PAINT_CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    deferred = sys.argv[1].split(",")
    app = QApplication([sys.argv[0]])

    def loaded():
        return ",".join(name for name in deferred if name in sys.modules) or "-"

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, obj, event):
            if not self.seen and event.type() == QEvent.Type.Paint and obj.isWidgetType() \\
                    and isinstance(obj.window(), QMainWindow):
                self.seen = True
                window = obj.window()
                print("AT_FIRST_PAINT", loaded(), window.train_tab_built, flush=True)
                # app.main builds the Train tab just after the first paint
                QTimer.singleShot(200, lambda: (
                    print("LATER", loaded(), window.train_tab_built, flush=True),
                    window.close(),
                ))
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    import app.main
    sys.exit(app.main.main([]))
    """
)


def test_the_first_paint_imports_nothing_of_the_train_tab_which_is_built_just_after(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NN_TUTOR_SETTINGS=str(tmp_path / "s.ini"))
    result = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT_CHILD, ",".join(DEFERRED)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    lines = {
        words[0]: words[1:]
        for words in (line.split() for line in result.stdout.splitlines())
        if words and words[0] in ("AT_FIRST_PAINT", "LATER")
    }
    assert result.returncode == 0, result.stderr[-2000:]
    assert lines["AT_FIRST_PAINT"] == ["-", "False"]
    assert lines["LATER"] == [",".join(DEFERRED), "True"]


def test_menus_and_shortcuts_work_before_the_train_tab_is_built(open_window):
    window = open_window(persist=False)
    assert not window.train_tab_built
    assert "Train" in [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert window.action_train_tab.shortcuts()[0].toString() == "Ctrl+2"
    # Ctrl+2 triggers this action (offscreen, a key needs an active window: see
    # test_main_window's test_ctrl_2_and_ctrl_1_keys_switch_tabs)
    window.action_train_tab.trigger()
    assert window.train_tab_built
    assert window.tabs.currentWidget() is window.train_tab
    assert window.tabs.tabText(1) == "Train" and window.tabs.count() == 2
    assert "Train" in window.windowTitle()
    assert window.tabs.tabToolTip(1).startswith("Train a network")
    window.action_train_tab.trigger()  # once built, the same tab
    assert window.tabs.currentWidget() is window.train_tab


def test_clicking_the_train_tab_builds_it_in_place(open_window):
    window = open_window(persist=False)
    window.tabs.setCurrentIndex(1)
    assert window.train_tab_built
    assert window.tabs.widget(1) is window.train_tab and window.tabs.currentIndex() == 1


def test_the_shortcuts_dialog_lists_the_train_tabs_keys_before_it_was_shown(open_window):
    window = open_window(persist=False)
    dialog = window.show_shortcuts()
    assert [label for label, _entries in window.shortcut_sections()][-1] == "Train tab"
    assert window.tabs.currentIndex() == 0  # building it did not switch to it
    dialog.close()


def test_a_train_tab_built_after_closing_the_window_is_shut_down_at_once(open_window):
    window = open_window(persist=False)
    window.close()
    assert window.train_tab._closed  # its worker stopped, its timers off
