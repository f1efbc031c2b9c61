"""Divergence the guard misses: every optimiser's blow-up stops as diverged, with sound weights.

Issue 8: Adam at learning rate 10 (or 1e6) explodes inside the first epoch; the exploded
first loss becomes the yardstick, so the run "finishes the planned epochs" with R² −1e9
and the CLI saves that model and exits 0. A step schedule with gamma 1e300 raises
OverflowError. These runs are small (hundreds of points, tens of epochs) but still run in a
cage, because a blow-up is exactly when arithmetic misbehaves.
"""

from __future__ import annotations

import json

import pytest
from hostile_sandbox import (
    case_of,
    clean_output,
    refused_in_process,
    run_cli,
    run_each,
    run_python,
)

# (recipe, optimiser, learning rate, other settings, data): several sizes and data sets
RUNS = {
    "modern adam lr 10": ("modern", "adam", 10.0, {}, "sample_uniform('article', 500, seed=1)"),
    "modern adam lr 100, saddle grid": ("modern", "adam", 100.0, {}, "grid('saddle', 20)"),
    "adam lr 1e6": ("modern", "adam", 1e6, {}, "sample_uniform('ripple', 400, seed=2)"),
    "adam lr 30, batches of 16, constant": (
        "modern",
        "adam",
        30.0,
        {"batch_size": 16, "schedule": "constant", "warmup": 0},
        "sample_uniform('plane', 300, seed=3)",
    ),
    "adam lr 10 float64 batches of 64": (
        "modern",
        "adam",
        10.0,
        {"batch_size": 64, "dtype": "float64"},
        "grid('bumps', 25)",
    ),
    "gd lr 1e4": ("article", "gd", 1e4, {}, "grid('article', 15)"),
    "momentum lr 100": ("modern", "momentum", 100.0, {}, "sample_uniform('mean', 500, seed=4)"),
}

_RUN_CODE = """
import math
import numpy as np
from nncore import TrainingRun, recipe, grid, sample_uniform
data = {data}
run = TrainingRun(recipe({recipe!r}, optimizer={opt!r}, lr={lr!r}, epochs=25, **{extra!r}), data)
stop = run.run()
params = [p for p in run.network.parameters()]
result = {{
    "kind": stop.kind,
    "message": stop.message,
    "detail": stop.detail,
    "finite": all(bool(np.all(np.isfinite(p))) for p in params),
    "r2": run.evaluate()["r2"],
    "epochs": run.epoch,
}}
"""


@pytest.fixture(scope="module")
def runs():
    """Every run trained by one caged child, one after another (each takes a second)."""
    codes = {
        case: _RUN_CODE.format(recipe=recipe, opt=opt, lr=lr, extra=extra, data=data)
        for case, (recipe, opt, lr, extra, data) in RUNS.items()
    }
    return run_each(codes, timeout=60)


@pytest.mark.parametrize("case", list(RUNS))
def test_a_blow_up_ends_the_run_as_diverged_with_finite_weights(runs, case):
    outcome = case_of(runs, case)
    assert not outcome.timed_out, outcome.describe()
    report = outcome.report
    assert report and report["kind"] == "returned", "the run crashed" + outcome.describe()
    value = report["value"]
    assert value["kind"] == "diverged", f"ended as {value['kind']!r}" + outcome.describe()
    assert value["finite"], "weights left non-finite" + outcome.describe()
    assert isinstance(value["r2"], float) and value["r2"] == value["r2"], outcome.describe()
    assert value["detail"], "no explanation" + outcome.describe()
    assert "\n" not in value["message"], outcome.describe()


CLI_RUNS = {
    "modern adam lr 10": ["--recipe", "modern", "--optimizer", "adam", "--lr", "10"],
    "modern adam lr 1e6 grid": ["--recipe", "modern", "--optimizer", "adam", "--lr", "1e6"],
    "adam lr 50 batches of 32": [
        "--recipe",
        "modern",
        "--optimizer",
        "adam",
        "--lr",
        "50",
        "--batch-size",
        "32",
        "--schedule",
        "constant",
        "--warmup",
        "0",
    ],
    "gd lr 1e4": ["--optimizer", "gd", "--lr", "1e4"],
    "momentum lr 1000": ["--recipe", "modern", "--optimizer", "momentum", "--lr", "1000"],
}

_CHECK_SAVED = """
import numpy as np
import nncore
wf = nncore.load({path!r})
result = {{
    "finite": all(bool(np.all(np.isfinite(p))) for p in wf.network.parameters()),
    "stop": (wf.meta.get("stop_reason") or {{}}).get("kind"),
}}
"""


@pytest.mark.parametrize("case", list(CLI_RUNS))
def test_the_cli_reports_the_blow_up_and_saves_nothing_unsound(tmp_path, case):
    output = tmp_path / "model.npz"
    args = ["train", *CLI_RUNS[case], "--samples", "400", "--epochs", "25", "-q", "-o", output]
    outcome = run_cli(args)
    assert not outcome.timed_out, outcome.describe()
    clean_output(outcome)
    said = (outcome.stdout + outcome.stderr).replace(str(tmp_path), "FOLDER").lower()
    assert "diverged" in said, "the run's end does not say it diverged" + outcome.describe()
    if output.exists():
        saved = run_python(_CHECK_SAVED.format(path=str(output)))
        report = saved.report
        assert report and report["kind"] == "returned", saved.describe()
        assert report["value"]["finite"], saved.describe()
        assert report["value"]["stop"] == "diverged", "the file hides the divergence" + (
            json.dumps(report)
        )


# ---- absurd schedule settings ----------------------------------------------------------------
@pytest.mark.parametrize("gamma", [1e300, 1e30, float("inf")])
def test_step_decay_with_an_absurd_gamma_is_refused(gamma):
    code = f"from nncore.optim import StepDecay\nStepDecay(0.1, every=1, gamma={gamma!r})"
    refused_in_process(run_python(code.replace("inf", "float('inf')")), "SettingsError")


def test_a_run_with_step_gamma_1e300_is_refused():
    """TrainConfig refuses it, or at the latest TrainingRun does (when it builds the
    schedule): a SettingsError either way, never an OverflowError during training."""
    code = (
        "from nncore import TrainConfig, TrainingRun, sample_uniform\n"
        "config = TrainConfig(schedule='step', step_every=1, step_gamma=1e300, epochs=50,\n"
        "                     sizes=(2, 8, 1))\n"
        "run = TrainingRun(config, sample_uniform('article', 100, seed=0))\n"
        "run.run_chunk(5)\n"
    )
    refused_in_process(run_python(code), "SettingsError")


def test_a_step_schedule_that_grows_never_raises_overflow():
    """Whatever gamma TrainConfig accepts, running with it is refused or trains: no
    OverflowError from the schedule (1e3 per epoch for 200 epochs overflows a float)."""
    code = (
        "from nncore import TrainConfig, TrainingRun, sample_uniform\n"
        "config = TrainConfig(schedule='step', step_every=1, step_gamma=1e3, epochs=200,\n"
        "                     sizes=(2, 8, 1))\n"
        "run = TrainingRun(config, sample_uniform('article', 100, seed=0))\n"
        "result = run.run().kind\n"
    )
    outcome = run_python(code)
    report = outcome.report
    if report and report["kind"] == "returned":
        assert report["value"] == "diverged", outcome.describe()
    else:
        refused_in_process(outcome, "SettingsError")
