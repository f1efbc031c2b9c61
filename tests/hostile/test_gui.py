"""The Train tab under hostile files and typing, each case in its own caged Qt process.

Issue 8: opening a weight file whose settings hold values the widgets cannot show (epochs
1e12, a seed above 2³¹) raises OverflowError out of `open_weights` and leaves the model
panel's signals blocked; a 1,000-layer file is accepted although the tab allows far fewer;
typing `2-100000-1` or `2--1` into Layers shows an error but Start trains the previous
network. Each case builds a TrainTab offscreen in a child (its own settings file), so a
crash or a hang there cannot take the test process with it. No waiting on timers: every
check is on the state the calls leave behind.
"""

from __future__ import annotations

import hostile_sandbox as cage
import pytest
from hostile_sandbox import run_python

_PRELUDE = """
from PySide6.QtWidgets import QApplication
application = QApplication([])
from app.train.tab import TrainTab
from nncore import Network, recipe, save
tab = TrainTab()
"""

_OPEN_EACH = (
    _PRELUDE.replace("tab = TrainTab()\n", "")
    + """
import json, sys
cases = {cases!r}
result = {{}}
for name, (sizes, settings, path) in cases.items():
    tab = TrainTab()
    config = recipe("article", sizes=tuple(sizes)).to_dict()
    config.update(settings)
    save(path, Network(tuple(sizes), seed=0), config=config, meta={{"app": "hostile"}})
    try:
        opened = tab.open_weights(path)
        panel = tab.model_panel
        result[name] = {{
            "opened": opened,
            "banner": tab.banner.kind,
            "banner_text": tab.banner.text()[:2000],
            "blocked": panel.signalsBlocked(),
            "shown": [panel.epochs_spin.value(), panel.seed_spin.value(), panel.batch_spin.value()],
        }}
    except Exception as exc:
        result[name] = {{"raised": type(exc).__name__ + ": " + str(exc)[:300]}}
    finally:
        tab.shutdown()
    sys.stderr.write("done " + name + "\\n")
"""
)

FILES = {
    "epochs 1e12": ((2, 8, 1), {"epochs": 10**12}),
    "seed 2**40": ((2, 8, 1), {"seed": 2**40}),
    "batch size 10**15": ((2, 8, 1), {"batch_size": 10**15}),
    "1000 layers": ((2, *([2] * 999), 1), {}),
}
# The word a banner uses for the setting a file holds out of the tab's range.
SETTING_WORDS = {"epochs 1e12": "epoch", "seed 2**40": "seed", "batch size 10**15": "batch"}


@pytest.fixture(scope="module")
def opened_files(tmp_path_factory):
    """One Qt child opens every file (a fresh tab for each): Qt's start-up is paid once."""
    folder = tmp_path_factory.mktemp("gui")
    cases = {
        name: (sizes, settings, str(folder / f"file{k}.npz"))
        for k, (name, (sizes, settings)) in enumerate(FILES.items())
    }
    env = cage.child_env(NN_TUTOR_SETTINGS=str(folder / "settings.ini"))
    return run_python(_OPEN_EACH.format(cases=cases), env=env, timeout=40)


@pytest.mark.parametrize("case", list(FILES))
def test_opening_a_file_beyond_the_tabs_limits_is_refused_cleanly(opened_files, case):
    outcome = opened_files
    done = f"done {case}" in outcome.stderr
    assert done, "the tab froze or crashed opening it" + outcome.describe()
    value = outcome.report["value"][case]
    assert "raised" not in value, f"open_weights raised {value.get('raised')}"
    assert not value["blocked"], "the model panel's signals were left blocked"
    if case == "1000 layers" or not value["opened"]:
        # refused: the network itself is beyond what the tab builds
        assert value["opened"] is False, "accepted a network beyond the tab's limits"
        assert value["banner"] == "error", value
    else:
        # opened with that one setting replaced: the banner must say which
        word = SETTING_WORDS[case]
        assert word in value["banner_text"].lower(), (
            f"opened without saying the file's {word} setting was not used: {value}"
        )


_TYPE_LAYERS = (
    _PRELUDE.replace("tab = TrainTab()\n", "")
    + """
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
result = {{}}
for text in {texts!r}:
    tab = TrainTab()
    tab.show()
    try:
        edit = tab.model_panel.arch_edit
        edit.setFocus()
        edit.selectAll()
        QTest.keyClicks(edit, text)  # typed, as a student does, then Enter
        QTest.keyClick(edit, Qt.Key.Key_Return)
        application.processEvents()
        enabled = tab.start_button.isEnabled()
        QTest.keyClick(tab, Qt.Key.Key_F5)  # the Start shortcut
        application.processEvents()
        after_f5 = tab.state
        tab.start()  # what Start's click runs
        application.processEvents()
        result[text] = {{"start_enabled": enabled, "after_f5": after_f5, "state": tab.state}}
    finally:
        tab.shutdown()
"""
)

LAYERS = ["2-100000-1", "2--1", "2-0-1"]


@pytest.fixture(scope="module")
def typed_layers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gui-layers")
    env = cage.child_env(NN_TUTOR_SETTINGS=str(folder / "settings.ini"))
    return run_python(_TYPE_LAYERS.format(texts=LAYERS), env=env, timeout=40)


@pytest.mark.parametrize("text", LAYERS)
def test_wrong_layers_disable_start(typed_layers, text):
    outcome = typed_layers
    assert not outcome.timed_out, outcome.describe()
    report = outcome.report
    assert report and report["kind"] == "returned", outcome.describe()
    value = report["value"][text]
    assert not value["start_enabled"], f"Start stays enabled with Layers {text!r}"
    assert value["after_f5"] == "fresh", f"F5 trained the previous network: {value}"
    assert value["state"] == "fresh", f"Start trained the previous network: {value}"
