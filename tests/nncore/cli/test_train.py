"""`nncore train`: what it trains and saves, its options, Ctrl+C, its messages."""

from __future__ import annotations

import signal

import numpy as np
import pytest

from nncore import cli, weightfile
from nncore.data import get_function, sample_uniform
from nncore.training import TrainingRun, recipe

SMALL = ["--samples", "120", "--arch", "2-8-1", "--epochs", "5"]  # as in conftest.py


def test_train_saves_exactly_what_the_library_trains(trained, capsys):
    wf = weightfile.load(trained)
    # The same run, built by hand from the library: the CLI must add nothing and lose nothing.
    data = sample_uniform(get_function("mean"), 120, seed=0)
    train, _ = data.split(0.0, seed=99)
    run = TrainingRun(recipe("article", epochs=5, sizes=(2, 8, 1)), train)
    run.run()
    for saved, expected in zip(wf.network.parameters(), run.network.parameters()):
        assert saved.tobytes() == expected.tobytes()
    assert wf.epochs_trained == 5 and len(wf.history) == 5
    assert wf.history[-1]["train_mse"] == run.history[-1].train_mse
    assert wf.config == run.config.to_dict()
    assert wf.normaliser.to_dict() == run.normaliser.to_dict()
    assert wf.meta["stop_reason"]["kind"] == "epochs"
    assert wf.meta["function"] == "mean: (x + y) / 2"
    assert wf.meta["command"].startswith("nncore train mean --samples 120")
    # the keys the app's Train tab reads to rebuild the data
    assert wf.meta["data"] == {
        "function": "mean",
        "samples": 120,
        "noise": 0.0,
        "seed": 0,
        "val_share": 0.0,
    }
    assert wf.meta["data_source"] == data.source


def test_train_prints_final_numbers_and_progress(run_cli, tmp_path, capsys):
    code, out, err = run_cli(
        capsys, "train", "mean", *SMALL, "--val-share", "0.25", "-o", tmp_path / "m.json"
    )
    assert code == 0
    assert "Finished the planned 5 epochs." in out
    assert "training    MSE" in out and "validation  MSE" in out and "R²" in out
    assert "(90 points)" in out and "(30 points)" in out
    assert "saved" in out and "m.json" in out
    # stderr is not a terminal here: one plain progress line per tenth of the run
    progress = [line for line in err.splitlines() if line.startswith("epoch")]
    assert progress[-1].startswith("epoch 5/5 [####################] loss ")
    assert "val R²" in progress[-1] and "epochs/s" in progress[-1]


@pytest.mark.parametrize("ext", weightfile.FORMATS)
def test_train_writes_every_format(run_cli, tmp_path, capsys, ext):
    code, _, err = run_cli(
        capsys,
        "train",
        "plane",
        *SMALL,
        "--dtype",
        "float32",
        "--recipe",
        "modern",
        "--warmup",
        "1",
        "--batch-size",
        "32",
        "-o",
        tmp_path / f"m{ext}",
    )
    assert code == 0, err
    wf = weightfile.load(tmp_path / f"m{ext}")
    assert wf.network.dtype == np.float32 and wf.config["batch_size"] == 32
    assert wf.config["optimizer"] == "adam" and wf.format == ext


def test_train_options_reach_the_config(run_cli, tmp_path, capsys):
    path = tmp_path / "m.npz"
    code, _, err = run_cli(
        capsys,
        "train",
        "--formula",
        "x*y/10",
        "--grid",
        "6",
        "--arch",
        "2-5-4-1",
        "--activation",
        "tanh",
        "--init",
        "xavier",
        "--optimizer",
        "momentum",
        "--lr",
        "0.01",
        "--schedule",
        "step",
        "--seed",
        "3",
        "--noise",
        "0.1",
        "--epochs",
        "4",
        "--batch-size",
        "full",
        "--weight-decay",
        "0.001",
        "-q",
        "-o",
        path,
    )
    assert code == 0, err
    assert not [line for line in err.splitlines() if line.startswith("epoch")]  # --quiet
    wf = weightfile.load(path)
    cfg = wf.config
    assert cfg["sizes"] == [2, 5, 4, 1] and cfg["activation"] == "tanh"
    assert cfg["init"] == "xavier" and cfg["optimizer"] == "momentum"
    assert cfg["lr"] == 0.01 and cfg["schedule"] == "step" and cfg["seed"] == 3
    assert cfg["batch_size"] is None and cfg["epochs"] == 4 and cfg["weight_decay"] == 0.001
    assert wf.network.activation_names == ["tanh", "tanh", "linear"]
    assert wf.meta["points"] == 36 and wf.meta["function"] == "x*y/10"
    assert wf.meta["data"] == {
        "function": "x*y/10",
        "samples": 0,
        "grid": 6,
        "noise": 0.1,
        "seed": 3,
        "val_share": 0.0,
    }


def test_train_on_csv(run_cli, tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(40, 2))
    rows = ["x,y,target"] + [f"{a},{b},{a - b}" for a, b in X]
    (tmp_path / "data.csv").write_text("\n".join(rows) + "\n")
    code, out, err = run_cli(
        capsys,
        "train",
        "--csv",
        tmp_path / "data.csv",
        "--arch",
        "2-4-1",
        "--epochs",
        "3",
        "-o",
        tmp_path / "m.npz",
    )
    assert code == 0, err
    assert "(40 points)" in out
    meta = weightfile.load(tmp_path / "m.npz").meta
    assert meta["function"].startswith("CSV file")
    assert meta["data"]["csv_path"] == str(tmp_path / "data.csv")


def test_train_without_output_says_it_did_not_save(run_cli, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _out, err = run_cli(capsys, "train", "mean", *SMALL)
    assert code == 0 and "Not saved: add -o model.npz" in err
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_stops_cleanly_and_saves(run_cli, tmp_path, capsys, monkeypatch):
    real_update = cli.ProgressBar.update

    def update(self, report):
        real_update(self, report)
        if report.epoch == 3:
            signal.raise_signal(signal.SIGINT)  # the user presses Ctrl+C

    monkeypatch.setattr(cli.ProgressBar, "update", update)
    before = signal.getsignal(signal.SIGINT)
    path = tmp_path / "m.npz"
    code, out, err = run_cli(
        capsys,
        "train",
        "mean",
        "--samples",
        "50",
        "--arch",
        "2-4-1",
        "--epochs",
        "1000",
        "-o",
        path,
    )
    assert code == 0
    assert "Stopping after this epoch and saving" in err
    assert "Stopped on request after 3 epochs." in out
    wf = weightfile.load(path)
    assert wf.epochs_trained == 3 and wf.meta["stop_reason"]["kind"] == "stopped"
    assert signal.getsignal(signal.SIGINT) is before  # the handler is put back


def test_second_ctrl_c_aborts_without_saving(run_cli, tmp_path, capsys, monkeypatch):
    def update(self, report):
        if report.epoch == 2:
            signal.raise_signal(signal.SIGINT)
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(cli.ProgressBar, "update", update)
    code, _out, err = run_cli(
        capsys,
        "train",
        "mean",
        "--samples",
        "50",
        "--arch",
        "2-4-1",
        "--epochs",
        "1000",
        "-o",
        tmp_path / "m.npz",
    )
    assert code == 130 and "Aborted: nothing was saved." in err
    assert list(tmp_path.iterdir()) == []


def test_train_stops_at_the_target_r2(run_cli, tmp_path, capsys):
    code, out, err = run_cli(
        capsys,
        "train",
        "plane",
        "--samples",
        "100",
        "--arch",
        "2-8-1",
        "--recipe",
        "modern",
        "--epochs",
        "2000",
        "--target-r2",
        "0.9",
        "-q",
        "-o",
        tmp_path / "m.npz",
    )
    assert code == 0, err
    assert "Reached R²" in out
    wf = weightfile.load(tmp_path / "m.npz")
    assert wf.meta["stop_reason"]["kind"] == "target" and wf.epochs_trained < 2000
    assert wf.history[-1]["train_r2"] >= 0.9 > wf.history[-2]["train_r2"]  # 100 < batch: full


def test_diverged_training_explains_and_saves_finite_weights(run_cli, tmp_path, capsys):
    code, out, err = run_cli(
        capsys, "train", *SMALL[:4], "--epochs", "50", "--lr", "5", "-q", "-o", tmp_path / "m.npz"
    )
    assert code == 1, err  # a script must notice, though the kept weights are saved
    assert "Training diverged" in out and "Try: lower the learning rate" in out
    assert err.strip().splitlines()[-1].startswith("nncore train: error: Training diverged")
    wf = weightfile.load(tmp_path / "m.npz")  # load checks finiteness
    assert wf.meta["stop_reason"]["kind"] == "diverged"
