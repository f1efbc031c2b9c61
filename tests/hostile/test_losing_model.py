"""Losing a trained model: an output that cannot be written, signals, a summary that runs out
of memory, a second Ctrl+C while saving.

Issue 8: check the output path by creating it before training, save before anything
optional, predict and evaluate in chunks, treat SIGTERM and SIGHUP like Ctrl+C, and never
print a traceback. "Before training" is checked without a clock: the runs ask for a million
epochs, so a command that trains first is still training when the cage's deadline kills it.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from hostile_sandbox import (
    clean_output,
    refused_by_cli,
    run_cli,
    start_cli,
)

FOREVER = ["--epochs", "1000000"]  # far more than a cage's deadline allows


CASES = [
    "under a regular file",
    "a folder",
    "under a missing folder",
    "in /proc",
    "a name too long",
    "under a folder named like a file",
]


def unwritable_outputs(tmp_path: Path) -> dict[str, Path]:
    regular = tmp_path / "notes.txt"
    regular.write_text("a regular file\n")
    folder = tmp_path / "folder.npz"
    folder.mkdir()
    return {
        "under a regular file": regular / "model.npz",
        "a folder": folder,
        "under a missing folder": tmp_path / "missing" / "model.npz",
        "in /proc": Path("/proc/nncore-hostile-model.npz"),
        "a name too long": tmp_path / ("m" * 300 + ".npz"),
        "under a folder named like a file": folder / ".." / "notes.txt" / "m.json",
    }


@pytest.mark.parametrize("case", CASES)
def test_unwritable_output_is_refused_before_training(tmp_path, case):
    output = unwritable_outputs(tmp_path)[case]
    outcome = run_cli(["train", *FOREVER, "-o", output])
    refused_by_cli(outcome)
    assert "Training" not in outcome.stderr, "trained before finding out" + outcome.describe()


def _info_reads(path: Path) -> None:
    outcome = run_cli(["info", path])
    assert outcome.status == 0, f"the saved model is not readable: {outcome.describe()}"
    assert "epochs trained" in outcome.stdout, outcome.describe()


def _started_training(running) -> bool:
    return running.wait_until(lambda: "epoch " in running.read_stderr())


@pytest.mark.parametrize(
    "sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["SIGTERM", "SIGHUP", "SIGINT"]
)
def test_a_signal_mid_run_saves_the_model(tmp_path, sig):
    output = tmp_path / "model.npz"
    running = start_cli(["train", *FOREVER, "--arch", "2-16-1", "-o", output])
    assert _started_training(running), running.finish().describe()
    running.send(sig)
    outcome = running.finish()
    assert not outcome.timed_out, f"{sig.name} did not stop the run" + outcome.describe()
    clean_output(outcome)
    assert output.exists(), f"{sig.name} lost the trained model" + outcome.describe()
    _info_reads(output)


def _saving(folder: Path, output: Path) -> bool:
    return any(p.name != output.name for p in folder.iterdir())


def test_a_second_ctrl_c_while_saving_prints_no_traceback(tmp_path):
    """A model big enough that writing it as .json takes a while (642,401 numbers): the
    second Ctrl+C arrives while its temporary file exists."""
    folder = tmp_path / "out"
    folder.mkdir()
    output = folder / "model.json"
    running = start_cli(["train", *FOREVER, "--arch", "2-800-800-1", "-o", output], timeout=60)
    assert _started_training(running), running.finish().describe()
    running.send(signal.SIGINT)
    caught_saving = running.wait_until(lambda: _saving(folder, output))
    running.send(signal.SIGINT)
    outcome = running.finish()
    assert caught_saving, "never saw the save under way" + outcome.describe()
    assert not outcome.timed_out, outcome.describe()
    clean_output(outcome)
    leftovers = [p.name for p in folder.iterdir() if p.name != output.name]
    assert not leftovers, f"left behind {leftovers}" + outcome.describe()
    if output.exists():
        _info_reads(output)


def test_training_on_millions_of_points_saves_before_the_summary(tmp_path):
    """The summary's predictions on 3 million points (3M × 128 activations: 3 GB at once)
    must not cost the model: it is saved first, and predictions go in chunks."""
    output = tmp_path / "model.npz"
    args = ["train", "--samples", "3000000", "--arch", "2-128-1", "--batch-size", "8192"]
    outcome = run_cli([*args, "--epochs", "1", "-q", "-o", output], timeout=60)
    assert not outcome.timed_out, outcome.describe()
    clean_output(outcome)
    assert output.exists(), "the trained model was lost" + outcome.describe()
    assert outcome.status == 0, outcome.describe()
    _info_reads(output)


def test_the_unwritable_check_leaves_nothing_behind(tmp_path):
    """Creating the output before training to prove it can be written must not leave an
    empty or half file when training is then refused (here: an impossible --epochs)."""
    output = tmp_path / "model.npz"
    outcome = run_cli(["train", "--epochs", "0", "-o", output])
    refused_by_cli(outcome, statuses=(2,))
    assert sorted(os.listdir(tmp_path)) == [], outcome.describe()
