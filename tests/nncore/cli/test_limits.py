"""`nncore train` and `nncore info` at the limits: refusals up front, nothing trained is lost."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore import cli, memory, weightfile
from nncore.cli import train as train_cmd
from nncore.losses import mse, r2
from nncore.network import Network

SMALL = ["--samples", "120", "--arch", "2-8-1", "--epochs", "5"]  # as in conftest.py


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert len(lines[0]) <= 420
    return lines[0]


@pytest.mark.parametrize(
    "arch, says",
    [
        ("2--1", "empty layer size"),
        ("2-", "empty layer size"),
        ("-2-1", "empty layer size"),
        ("2-x-1", "empty layer size"),
        ("2-0-1", "at least 1 neuron"),
        ("2-1e9-1", "'1e9' is not a whole number"),
        ("2-2.5-1", "'2.5' is not a whole number"),
        ("2-²-1", "'²' is not a whole number"),
        ("2-" + "9" * 5000 + "-1", "far more than the 100,000"),
        ("2", "at least two sizes"),
    ],
)
def test_bad_arch_is_refused_in_one_line(run_cli, capsys, arch, says):
    code, out, err = run_cli(capsys, "train", f"--arch={arch}", "-q")
    assert code == 2 and out == ""
    line = _one_line(err)
    assert line.startswith("nncore train: error: --arch ") and says in line


def test_separators_that_are_allowed(run_cli, capsys):
    code, _out, err = run_cli(capsys, "train", "mean", *SMALL[:2], "--arch", "2, 8 x 8 1", "-q")
    assert code == 0 and "Training 2-8-8-1" in err


@pytest.mark.parametrize(
    "argv, says",
    [
        (["--samples", "5000000"], "training on 5,000,000 points needs about"),
        (["--grid", "2000"], "training on 4,000,000 points needs about"),
        (["--arch", "2-2000000-1"], "wider than the 100,000 allowed"),
    ],
)
def test_runs_too_large_are_refused_before_any_data(run_cli, capsys, monkeypatch, argv, says):
    monkeypatch.setenv(memory.LIMIT_VARIABLE, "4G")
    made = []
    monkeypatch.setattr(train_cmd, "_make_data", lambda *a: made.append(a))
    code, out, err = run_cli(capsys, "train", *argv, "-q")
    assert code == 2 and out == "" and made == []
    line = _one_line(err)
    assert says in line
    if "points" in says:
        assert "more than the 4.0 GB this machine allows" in line and "GB (activations" in line
    else:
        assert "48.0 MB" in line  # what each row would take through the layer


def test_memory_refusal_for_csv_data_is_a_usage_error(run_cli, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv(memory.LIMIT_VARIABLE, "60M")
    csv = tmp_path / "d.csv"
    rows = "\n".join(f"{i % 7},{i % 5},{i % 3}" for i in range(3000))
    csv.write_text("x,y,target\n" + rows + "\n")
    code, _out, err = run_cli(capsys, "train", "--csv", csv, "--arch", "2-20000-1", "-q")
    assert code == 2
    assert "this run needs about" in _one_line(err)


@pytest.mark.parametrize("where", ["under-a-file", "a-folder", "missing-folder"])
def test_unwritable_output_is_refused_before_training(run_cli, capsys, tmp_path, where):
    (tmp_path / "somefile").write_text("not a folder")
    (tmp_path / "folder.npz").mkdir()
    out_path = {
        "under-a-file": tmp_path / "somefile" / "model.npz",
        "a-folder": tmp_path / "folder.npz",
        "missing-folder": tmp_path / "no" / "such" / "model.npz",
    }[where]
    code, out, err = run_cli(capsys, "train", "mean", *SMALL, "-o", out_path)
    assert code == 1 and out == ""
    line = _one_line(err)  # no "Training ..." line: nothing was trained
    assert line.startswith("nncore train: error: -o ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.npz", "somefile"]


def test_a_failed_save_rescues_the_model(run_cli, capsys, tmp_path, monkeypatch):
    real_save = weightfile.save
    calls = []

    def failing_save(path, *args, **kwargs):
        calls.append(os.fspath(path))
        if len(calls) == 1:
            raise weightfile.WeightFileError("the disk is full")
        return real_save(path, *args, **kwargs)

    monkeypatch.setattr(weightfile, "save", failing_save)
    target = tmp_path / "model.json"
    code, out, err = run_cli(capsys, "train", "mean", *SMALL, "-q", "-o", target)
    assert code == 1 and not target.exists()
    rescued = tmp_path / f"model.rescued-{os.getpid()}.npz"
    assert calls == [str(target), str(rescued)]
    assert f"could not save '{target}': the disk is full" in err
    assert f"saved instead to '{rescued}'" in err
    assert weightfile.load(rescued).epochs_trained == 5
    assert "Traceback" not in err and "saved " not in out


def test_when_even_the_rescue_fails_it_says_so(run_cli, capsys, tmp_path, monkeypatch):
    def failing_save(path, *args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(weightfile, "save", failing_save)
    code, _out, err = run_cli(capsys, "train", "mean", *SMALL, "-q", "-o", tmp_path / "m.npz")
    assert code == 1 and "could not save" in err and "could not be saved anywhere" in err


def test_the_model_is_saved_before_the_summary(run_cli, capsys, tmp_path, monkeypatch):
    def summary_out_of_memory(*args):
        raise MemoryError

    monkeypatch.setattr(train_cmd, "_fit_in_units", summary_out_of_memory)
    path = tmp_path / "m.npz"
    code, out, err = run_cli(capsys, "train", "mean", *SMALL, "-q", "-o", path)
    assert code == 1 and "out of memory" in err.splitlines()[-1]
    assert f"saved {path}" in out
    assert weightfile.load(path).epochs_trained == 5


def test_the_summary_is_computed_in_chunks(monkeypatch):
    from nncore.data import sample_uniform
    from nncore.training import TrainingRun, recipe

    data = sample_uniform("saddle", 1000, seed=3)
    run = TrainingRun(recipe("modern", sizes=(2, 16, 1), epochs=5), data)
    run.run()
    chunks = []
    real_predict = run.predict
    monkeypatch.setattr(run, "predict", lambda X: chunks.append(len(X)) or real_predict(X))
    monkeypatch.setattr(memory, "EVAL_CHUNK_ROWS", 300)
    got_mse, got_r2 = train_cmd._fit_in_units(run, data)
    assert chunks == [300, 300, 300, 100]
    pred = real_predict(data.X)
    assert got_mse == pytest.approx(mse(pred, data.y), rel=1e-12)
    assert got_r2 == pytest.approx(r2(pred, data.y), rel=1e-12)


def test_a_signal_while_saving_waits_for_the_save(run_cli, capsys, tmp_path, monkeypatch):
    real_save = weightfile.save

    def save_interrupted(path, *args, **kwargs):
        signal.raise_signal(signal.SIGTERM)  # arrives while saving ...
        signal.raise_signal(signal.SIGINT)  # ... and another one
        return real_save(path, *args, **kwargs)

    monkeypatch.setattr(weightfile, "save", save_interrupted)
    before = signal.getsignal(signal.SIGTERM)
    path = tmp_path / "m.npz"
    code, out, err = run_cli(capsys, "train", "mean", *SMALL, "-q", "-o", path)
    assert code == 143
    assert weightfile.load(path).epochs_trained == 5
    last = err.splitlines()[-1]
    assert last.startswith(f"saved {path}") and "stopped by SIGTERM" in last
    assert out == ""  # the summary is skipped
    assert signal.getsignal(signal.SIGTERM) is before


def test_second_sigterm_during_training_aborts(run_cli, capsys, tmp_path, monkeypatch):
    def update(self, report):
        if report.epoch == 2:
            signal.raise_signal(signal.SIGTERM)
            signal.raise_signal(signal.SIGTERM)

    monkeypatch.setattr(cli.ProgressBar, "update", update)
    argv = ["--samples", "50", "--arch", "2-4-1", "--epochs", "1000"]
    code, _out, err = run_cli(capsys, "train", "mean", *argv, "-o", tmp_path / "m.npz")
    assert code == 143 and err.splitlines()[-1] == "Aborted: nothing was saved."
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="SIGHUP is POSIX only")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_stop_and_save(tmp_path, signame):
    path = tmp_path / "m.npz"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    argv = ["train", "mean", "--samples", "500", "--arch", "2-16-1", "--epochs", "10000000"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "nncore", *argv, "-o", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
    )
    try:
        assert proc.stderr is not None
        for line in proc.stderr:  # the first progress line: training has started
            if line.startswith("epoch"):
                break
        proc.send_signal(getattr(signal, signame))
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Stopping after this epoch and saving" in err and "Traceback" not in err
    wf = weightfile.load(path)
    assert wf.meta["stop_reason"]["kind"] == "stopped" and 0 < wf.epochs_trained < 10_000_000
    assert f"saved {path}" in out


def test_info_escapes_what_the_file_says(run_cli, capsys, tmp_path):
    path = tmp_path / "hostile.json"
    net = Network((2, 3, 1), seed=1)
    weightfile.save(
        path,
        net,
        meta={
            "function": "red\x1b[31m bell\x07 back\rspace",
            "data_source": "x" * 100_000,
            "command": "line one\nline two",
            "stop_reason": {"kind": "stopped", "message": "\x1b]0;title\x07 done"},
        },
    )
    code, out, err = run_cli(capsys, "info", path)
    assert code == 0, err
    for raw in ("\x1b", "\x07", "\r"):
        assert raw not in out
    assert "\\x1b[31m" in out and "\\x07" in out and "\\r" in out
    assert all(len(line) < 300 for line in out.splitlines())
    assert "(100,000 characters)" in out
    assert len(out.splitlines()) < 20  # the line break in "command" did not make a line


def test_error_lines_are_one_bounded_line(run_cli, capsys):
    formula = "x +" + " y" * 5000 + "\x1b[2J\n)"
    code, _out, err = run_cli(capsys, "train", "--formula", formula, "-q")
    assert code == 2
    line = _one_line(err)
    assert "\x1b" not in line and line.startswith("nncore train: error: --formula")


def test_fit_in_units_handles_a_constant_target():
    class Run:
        @staticmethod
        def predict(X):
            return np.full((len(X), 1), 2.0)

    class Data:
        X = np.zeros((5, 2))
        y = np.full((5, 1), 2.0)

        def __len__(self):
            return 5

    assert train_cmd._fit_in_units(Run, Data()) == (0.0, 1.0)


@pytest.mark.parametrize("command", ["info", "predict"])
def test_a_number_python_refuses_is_a_bad_file_not_a_traceback(run_cli, capsys, tmp_path, command):
    path = tmp_path / "m.json"
    weightfile.save(path, Network((2, 3, 1), seed=1), meta={"x": 1})
    path.write_text(path.read_text().replace('"x": 1', '"x": 1' + "0" * 5000))
    extra = ["--points", "1,2"] if command == "predict" else []
    code, out, err = run_cli(capsys, command, path, *extra)
    assert code == 1 and out == ""
    line = _one_line(err)
    assert f"error: '{path}'" in line and "5,001 digits" in line  # the reader's own refusal


def test_predict_works_in_chunks_with_the_same_numbers(run_cli, capsys, trained, monkeypatch):
    wf = weightfile.load(trained)
    points = "; ".join(f"{i / 3:.3f},{-i / 7:.3f}" for i in range(10))
    code, whole, _err = run_cli(capsys, "predict", trained, "--points", points)
    assert code == 0
    monkeypatch.setattr(memory, "EVAL_CHUNK_ROWS", 3)
    code, chunked, _err = run_cli(capsys, "predict", trained, "--points", points)
    assert code == 0 and chunked == whole
    assert wf.network.n_inputs == 2


def test_predict_refuses_what_cannot_fit(run_cli, capsys, tmp_path, monkeypatch):
    path = tmp_path / "wide.npz"
    weightfile.save(path, Network((2, 20_000, 1), seed=1))
    monkeypatch.setenv(memory.LIMIT_VARIABLE, "60M")
    points = "; ".join(f"{i},{i}" for i in range(2000))
    code, out, err = run_cli(capsys, "predict", path, "--points", points)
    assert code == 2 and out == ""
    assert "predicting 2,000 points with 2-20000-1 needs about" in _one_line(err)


@given(st.text(alphabet="0123456789-,x ²e.", max_size=30))
@settings(max_examples=300, deadline=None)
def test_parse_arch_accepts_only_whole_sizes(text):
    try:
        sizes = train_cmd.parse_arch(text)
    except cli.UsageError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("--arch ")
        return
    assert len(sizes) >= 2 and all(1 <= s <= 100_000 for s in sizes)
    digits = [p for p in re.split(r"[^0-9]+", text) if p]
    assert [int(p) for p in digits] == list(sizes)  # every number typed, none invented
