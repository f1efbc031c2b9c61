"""Memory before allocating: a run that cannot fit is refused up front, saying how much.

Issue 8: `--arch 2-2000000-1`, `--samples 5000000`, `--grid 2000` and
`TrainConfig(sizes=(2, 10**6, 1))` die with MemoryError. The fix estimates what a run needs
and refuses with the estimate and the limit (shared contract: a SettingsError "… needs about
12.3 GB (…), more than the 4.0 GB this machine allows (…)"), from TrainConfig, the CLI and
TrainingRun. Each case runs twice: with NNCORE_MEMORY_LIMIT unset (the machine's own limit;
the sizes are chosen to need far more than any machine this runs on, tens of GB) and with
it set to "1G". The child has 1.5 GiB of address space, so "tried and ran out" fails too.
"""

from __future__ import annotations

import hostile_sandbox as cage
import pytest
from hostile_sandbox import MEMORY_WORDS, refused_by_cli, refused_in_process, run_cli, run_python

LIMITS = {"unset": None, "1G": "1G"}

# (the command line's options when NNCORE_MEMORY_LIMIT is unset, and when it is "1G")
CLI_CASES = {
    "wide layer": (["--arch", "2-2000000-1"], ["--arch", "2-2000000-1"]),
    "five million samples": (
        ["--samples", "5000000", "--arch", "2-1024-1024-1"],
        ["--samples", "5000000"],
    ),
    "grid 2000": (["--grid", "2000", "--arch", "2-2048-1"], ["--grid", "2000"]),
    "wide layer, mini-batches": (
        ["--arch", "2-2400000-1", "--batch-size", "4096", "--samples", "20000"],
        ["--arch", "2-500000-1", "--batch-size", "2048", "--samples", "4096"],
    ),
}


@pytest.mark.parametrize("limit", list(LIMITS))
@pytest.mark.parametrize("case", list(CLI_CASES))
def test_cli_train_refuses_a_run_that_cannot_fit(tmp_path, case, limit):
    options = CLI_CASES[case][0 if limit == "unset" else 1]
    args = ["train", *options, "--epochs", "2", "-q", "-o", tmp_path / "model.npz"]
    outcome = run_cli(args, env=cage.child_env(LIMITS[limit]))
    refused_by_cli(outcome, mentions=MEMORY_WORDS)
    assert not (tmp_path / "model.npz").exists()


@pytest.mark.parametrize(
    ("limit", "width", "points"), [("unset", 10**6, 5_000), ("1G", 10**6, 1_000)]
)
def test_library_refuses_a_run_that_cannot_fit(limit, width, points):
    """TrainConfig, TrainingRun or the first chunk: one of them refuses, before allocating."""
    code = (
        "from nncore import TrainConfig, TrainingRun, sample_uniform\n"
        f"config = TrainConfig(sizes=(2, {width}, 1), epochs=2)\n"
        f"run = TrainingRun(config, sample_uniform('article', {points}, seed=0))\n"
        "run.run_chunk(1)\n"
    )
    outcome = run_python(code, env=cage.child_env(LIMITS[limit]))
    refused_in_process(outcome, "SettingsError", mentions=MEMORY_WORDS)


def test_library_refuses_full_batch_on_millions_of_points_at_1g():
    code = (
        "from nncore import TrainingRun, recipe, sample_uniform\n"
        "data = sample_uniform('article', 3_000_000, seed=0)\n"
        "run = TrainingRun(recipe('article', epochs=2), data)\n"
        "run.run_chunk(1)\n"
    )
    outcome = run_python(code, env=cage.child_env("1G"))
    refused_in_process(outcome, "SettingsError", mentions=MEMORY_WORDS)
