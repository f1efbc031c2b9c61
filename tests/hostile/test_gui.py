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

_OPEN = (
    _PRELUDE
    + """
config = recipe("article", sizes={sizes!r}).to_dict()
config.update({settings!r})
save({path!r}, Network({sizes!r}, seed=0), config=config, meta={{"app": "hostile"}})
try:
    opened = tab.open_weights({path!r})
    result = {{
        "opened": opened,
        "banner": tab.banner.kind,
        "blocked": tab.model_panel.signalsBlocked(),
        "epochs_shown": tab.model_panel.epochs_spin.value(),
    }}
finally:
    tab.shutdown()
"""
)

FILES = {
    "epochs 1e12": ((2, 8, 1), {"epochs": 10**12}),
    "seed 2**40": ((2, 8, 1), {"seed": 2**40}),
    "batch size 10**15": ((2, 8, 1), {"batch_size": 10**15}),
    "1000 layers": ((2, *([2] * 999), 1), {}),
}


@pytest.mark.parametrize("case", list(FILES))
def test_opening_a_file_beyond_the_tabs_limits_is_refused_cleanly(tmp_path, case):
    sizes, settings = FILES[case]
    path = tmp_path / "model.npz"
    code = _OPEN.format(sizes=sizes, settings=settings, path=str(path))
    env = cage.child_env(NN_TUTOR_SETTINGS=str(tmp_path / "settings.ini"))
    outcome = run_python(code, env=env)
    assert not outcome.timed_out, "the tab froze opening it" + outcome.describe()
    report = outcome.report
    assert report and report["kind"] == "returned", "open_weights raised" + outcome.describe()
    value = report["value"]
    assert not value["blocked"], "the model panel's signals were left blocked" + outcome.describe()
    assert value["opened"] is False, "accepted a file beyond the tab's limits" + outcome.describe()
    assert value["banner"] == "error", outcome.describe()


_TYPE_LAYERS = (
    _PRELUDE
    + """
try:
    tab.model_panel.arch_edit.setText({text!r})
    tab.model_panel.arch_edit.editingFinished.emit()
    application.processEvents()
    enabled = tab.start_button.isEnabled()
    if enabled:
        tab.start()  # Start with the wrong field: must not train the previous network
    application.processEvents()
    result = {{"start_enabled": enabled, "state": tab.state}}
finally:
    tab.shutdown()
"""
)


@pytest.mark.parametrize("text", ["2-100000-1", "2--1", "2-0-1"])
def test_wrong_layers_disable_start(tmp_path, text):
    env = cage.child_env(NN_TUTOR_SETTINGS=str(tmp_path / "settings.ini"))
    outcome = run_python(_TYPE_LAYERS.format(text=text), env=env)
    assert not outcome.timed_out, outcome.describe()
    report = outcome.report
    assert report and report["kind"] == "returned", outcome.describe()
    value = report["value"]
    assert not value["start_enabled"], f"Start stays enabled with Layers {text!r}" + (
        outcome.describe()
    )
    assert value["state"] == "fresh", outcome.describe()
