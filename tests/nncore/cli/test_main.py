"""nncore.cli.main: exit statuses, one-line errors, help, and the real `python -m nncore`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from nncore import weightfile
from nncore.cli import main


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "--nonsense"], "unrecognized arguments: --nonsense"),
        (["train", "--lr", "abc"], "'abc' is not a number"),
        (["train", "--epochs", "0"], "error: epochs must be a whole number >= 1; got 0"),
        (["train", "--epochs", "ten"], "'ten' is not a whole number"),
        (["train", "--batch-size", "0"], "batch_size must be a whole number >= 1; got 0"),
        (["train", "--batch-size", "some"], "'some' is not a whole number (or 'full'"),
        (["train", "--recipe", "fancy"], "invalid choice: 'fancy'"),
        (["train", "--arch", "3-8-1"], "the data has 2 inputs and 1 target(s)"),
        (["train", "--arch", "2-a-1"], "'a' is not a whole number of neurons"),
        (["train", "--arch", "2-100000-100000-1"], "more than the 10,000,000 a network may have"),
        (["train", "mean", "--formula", "x"], "give only one of a function name, --formula"),
        (["train", "wobble"], "unknown function 'wobble'; choose one of article, mean"),
        (["train", "--formula", "__import__('os')"], "--formula"),
        (["train", "--csv", "d.csv", "--samples", "5"], "--samples makes data from a function"),
        (["train", "--grid", "1"], "the grid size n must be a whole number from 2 to 2,000; got 1"),
        (["train", "--samples", "0"], "samples n must be a whole number from 1 to 5,000,000"),
        (
            ["train", "--noise", "-1"],
            "noise (a standard deviation) must be a finite number at least 0",
        ),
        (["train", "--seed", "-1"], "seed must be a whole number >= 0; got -1"),
        (["train", "--time-budget", "inf"], "time_budget must be a finite number above 0"),
        (["train", "--samples", "5", "--grid", "4"], "not allowed with argument"),
        (
            ["train", "--val-share", "1.5"],
            "val_share must be a finite number at least 0 and below 1",
        ),
        (["train", "--lr", "-1"], "the learning rate must be a finite number above 0"),
        (["train", "-o", "model.pt"], "-o: 'model.pt' has extension '.pt'"),
        (["fly"], "invalid choice: 'fly'"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_message(run_cli, capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert err.startswith("nncore ") and "error: " in err
    assert message in err
    assert out == ""


def test_no_command_shows_help(run_cli, capsys):
    code, _, err = run_cli(capsys)
    assert code == 2 and "train" in err and "predict" in err


def test_help_and_version_exit_0(capsys):
    assert main(["--help"]) == 0
    assert "train" in capsys.readouterr().out
    assert main(["train", "--help"]) == 0
    assert "--val-share" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("nncore ")


def test_data_errors_exit_1(run_cli, tmp_path, capsys):
    code, _, err = run_cli(capsys, "train", "--csv", tmp_path / "missing.csv", "--epochs", "1")
    assert code == 1 and "missing.csv" in err
    (tmp_path / "bad.csv").write_text("x,y,target\n" + "1,2,3\n" * 12 + "1,2,zz\n")
    code, _, err = run_cli(capsys, "train", "--csv", tmp_path / "bad.csv", "--epochs", "1")
    assert code == 1 and "line 14" in err
    code, _, err = run_cli(capsys, "train", "--formula", "log(x)", "--epochs", "1")
    assert code == 1 and "NaN or inf" in err


def test_python_dash_m_nncore_end_to_end(tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")

    def nncore(*argv):
        return subprocess.run(
            [sys.executable, "-m", "nncore", *map(str, argv)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=tmp_path,
            timeout=120,
        )

    model = tmp_path / "m.safetensors"
    done = nncore(
        "train", "saddle", "--samples", "80", "--arch", "2-6-6-1", "--epochs", "5", "-o", model
    )
    assert done.returncode == 0, done.stderr
    assert "Finished the planned 5 epochs." in done.stdout
    assert "epoch 5/5" in done.stderr
    done = nncore("predict", model, "--points", "1,2;3,4")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == 3
    done = nncore("info", model)
    assert done.returncode == 0 and "2-6-6-1" in done.stdout and "epochs trained 5" in done.stdout
    done = nncore("predict", model)
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.skipif(os.name != "posix", reason="sends a real SIGINT")
def test_real_ctrl_c_on_the_command_saves_the_weights(tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    model = tmp_path / "m.npz"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nncore",
            "train",
            "mean",
            "--samples",
            "200",
            "--arch",
            "2-8-1",
            "--epochs",
            "100000000",
            "-o",
            str(model),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    watchdog = threading.Timer(60, proc.kill)  # never hang the suite, whatever happens
    watchdog.start()
    try:
        for line in proc.stderr:  # wait until training has really started
            if line.startswith("epoch "):
                break
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Stopped on request after" in out and "Traceback" not in err
    wf = weightfile.load(model)
    assert wf.meta["stop_reason"]["kind"] == "stopped" and wf.epochs_trained >= 1


@pytest.mark.parametrize(
    "module", ["train", "predict", "info", "lesson", "parser", "files", "terminal"]
)
def test_each_module_of_the_package_imports_on_its_own(module):
    # The commands import UsageError and InputError from the package, whose main imports
    # the parser only when it runs: importing any module first must still work.
    code = f"import nncore.cli.{module}, nncore.cli; assert nncore.cli.main and nncore.cli.describe"
    subprocess.run([sys.executable, "-c", code], check=True)
