"""The `nncore` command line: train, predict, info, lesson; errors and exit statuses."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
from types import SimpleNamespace

import numpy as np
import pytest

from nncore import cli, weightfile
from nncore.cli import main
from nncore.data import get_function, sample_uniform
from nncore.training import TrainingRun, recipe

SMALL = ["--samples", "120", "--arch", "2-8-1", "--epochs", "5"]


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def trained(tmp_path, capsys):
    path = tmp_path / "model.npz"
    code, _out, err = run_cli(capsys, "train", "mean", *SMALL, "-o", path)
    assert code == 0, err
    return path


# ---- train --------------------------------------------------------------------------------
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


def test_train_prints_final_numbers_and_progress(tmp_path, capsys):
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
def test_train_writes_every_format(tmp_path, capsys, ext):
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


def test_train_options_reach_the_config(tmp_path, capsys):
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


def test_train_on_csv(tmp_path, capsys):
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


def test_train_without_output_says_it_did_not_save(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _out, err = run_cli(capsys, "train", "mean", *SMALL)
    assert code == 0 and "Not saved: add -o model.npz" in err
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_stops_cleanly_and_saves(tmp_path, capsys, monkeypatch):
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


def test_second_ctrl_c_aborts_without_saving(tmp_path, capsys, monkeypatch):
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


def test_progress_bar_redraws_in_place_on_a_terminal():
    stream = io.StringIO()
    bar = cli.ProgressBar(4, stream, interactive=True, width=8)
    for epoch in range(1, 5):
        bar.update(
            SimpleNamespace(
                epoch=epoch,
                train_mse=1.0 / epoch,
                train_r2=0.5,
                val_mse=None,
                val_r2=None,
                elapsed=epoch * 0.5,
            )
        )
    bar.finish()
    text = stream.getvalue()
    assert text.startswith("\repoch 1/4 [##......] loss 1  R² 0.5000  2 epochs/s")
    assert text.endswith("\repoch 4/4 [########] loss 0.25  R² 0.5000  2 epochs/s\n")
    assert "\n" not in text[:-1]  # one line, redrawn with \r


# ---- predict ------------------------------------------------------------------------------
def _expected_predictions(path, X):
    wf = weightfile.load(path)
    norm = wf.normaliser
    return norm.inverse_y(wf.network.predict(norm.transform_x(X)).astype(np.float64))


def test_predict_points_in_original_units(trained, capsys):
    code, out, err = run_cli(capsys, "predict", trained, "--points", "1,2; -3.5 4;0,0")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].split() == ["x", "y", "prediction"]
    printed = np.array([[float(v) for v in line.split()] for line in lines[1:]])
    X = np.array([[1, 2], [-3.5, 4], [0, 0]], dtype=float)
    np.testing.assert_array_equal(printed[:, :2], X)
    np.testing.assert_allclose(printed[:, 2], _expected_predictions(trained, X)[:, 0], rtol=1e-7)


def test_predict_csv_to_csv_is_exact_and_scores_targets(trained, tmp_path, capsys):
    X = np.array([[0.5, -0.25], [9.0, 3.0], [-1e-3, 7.5]])
    (tmp_path / "in.csv").write_text(
        "# points to try\nx;y;target\n" + "".join(f"{a};{b};{(a + b) / 2}\n" for a, b in X)
    )
    code, out, err = run_cli(
        capsys, "predict", trained, "--csv", tmp_path / "in.csv", "-o", tmp_path / "out.csv"
    )
    assert code == 0, err
    assert "wrote 3 prediction(s)" in out and "against the CSV's targets: MSE" in out
    lines = (tmp_path / "out.csv").read_text().splitlines()
    assert lines[0] == "x,y,prediction"
    got = np.array([[float(v) for v in line.split(",")] for line in lines[1:]])
    expected = _expected_predictions(trained, X)[:, 0]
    assert got[:, 2].tobytes() == expected.tobytes()  # repr() round-trips exactly


def test_predict_without_normaliser_uses_raw_numbers(tmp_path, capsys):
    from nncore.network import Network

    net = Network([2, 1], activations=["linear"])
    net.set_weights(0, [[2.0], [3.0]])
    net.set_biases(0, [1.0])
    weightfile.save(tmp_path / "lin.json", net)
    code, out, err = run_cli(capsys, "predict", tmp_path / "lin.json", "--points", "1,1;2,0")
    assert code == 0 and "no normaliser" in err
    assert [line.split()[-1] for line in out.strip().splitlines()[1:]] == ["6", "5"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--points", "1,2;3"], "point 2 ('3') has 1 number(s) but the model takes 2 inputs"),
        (["--points", "1,a"], "point 1 ('1,a') holds something that is not a number"),
        (["--points", ";"], "--points is empty"),
        ([], "give the inputs with --points"),
    ],
)
def test_predict_usage_errors(trained, capsys, argv, message):
    code, _, err = run_cli(capsys, "predict", trained, *argv)
    assert code == 2
    assert err.startswith("nncore predict: error: ") and message in err


def test_predict_file_errors(trained, tmp_path, capsys):
    (tmp_path / "bad.csv").write_text("x,y\n1,2\n3,oops\n")
    code, _, err = run_cli(capsys, "predict", trained, "--csv", tmp_path / "bad.csv")
    assert code == 1 and "bad.csv, line 3" in err
    code, _, err = run_cli(capsys, "predict", tmp_path / "nope.npz", "--points", "1,2")
    assert code == 1 and "no such file" in err
    (tmp_path / "junk.safetensors").write_bytes(os.urandom(64))
    code, _, err = run_cli(capsys, "predict", tmp_path / "junk.safetensors", "--points", "1,2")
    assert code == 1 and err.count("\n") == 1  # one clear line


# ---- info ---------------------------------------------------------------------------------
def test_info_describes_the_model(trained, capsys):
    code, out, err = run_cli(capsys, "info", trained)
    assert code == 0, err
    for expected in (
        "format version 1 (.npz)",
        "architecture   2-8-1  (2 input(s), 1 hidden layer(s), 1 output(s))",
        "activations    relu, linear",
        "parameters     33",
        "dtype          float64",
        "initialisation article (seed 99)",
        "recipe         article: gd, lr 0.001, constant schedule, full batch, 5 epochs planned",
        "epochs trained 5",
        "final loss     training MSE",
        "stopped        Finished the planned 5 epochs.",
        "normaliser     inputs mean [",
        "function       mean: (x + y) / 2",
        "data           120 random points of (x + y) / 2 (seed 0)",
    ):
        assert expected in out


def test_info_on_a_bare_file_and_on_garbage(tmp_path, capsys):
    from nncore.network import Network

    weightfile.save(tmp_path / "bare.safetensors", Network([3, 2, 2]))
    code, out, _ = run_cli(capsys, "info", tmp_path / "bare.safetensors")
    assert code == 0
    assert "recipe         (not recorded)" in out and "epochs trained 0" in out
    assert "normaliser     none" in out
    (tmp_path / "x.json").write_text("[1, 2]")
    code, _, err = run_cli(capsys, "info", tmp_path / "x.json")
    assert code == 1 and "not a weights file" in err
    code, _, err = run_cli(capsys, "info", tmp_path)
    assert code == 1 and "is a folder" in err


# ---- usage and data errors ----------------------------------------------------------------
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
        (["train", "--arch", "2-a-1"], "is not a list of layer sizes"),
        (["train", "--arch", "2-100000-100000-1"], "more than 10,000,000 parameters"),
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
        (["train", "-o", "/no/such/folder/m.npz"], "cannot write there"),
        (["fly"], "invalid choice: 'fly'"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_message(capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert err.startswith("nncore ") and "error: " in err
    assert message in err
    assert out == ""


def test_no_command_shows_help(capsys):
    code, _, err = run_cli(capsys)
    assert code == 2 and "train" in err and "predict" in err


def test_help_and_version_exit_0(capsys):
    assert main(["--help"]) == 0
    assert "train" in capsys.readouterr().out
    assert main(["train", "--help"]) == 0
    assert "--val-share" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("nncore ")


def test_data_errors_exit_1(tmp_path, capsys):
    code, _, err = run_cli(capsys, "train", "--csv", tmp_path / "missing.csv", "--epochs", "1")
    assert code == 1 and "missing.csv" in err
    (tmp_path / "bad.csv").write_text("x,y,target\n" + "1,2,3\n" * 12 + "1,2,zz\n")
    code, _, err = run_cli(capsys, "train", "--csv", tmp_path / "bad.csv", "--epochs", "1")
    assert code == 1 and "line 14" in err
    code, _, err = run_cli(capsys, "train", "--formula", "log(x)", "--epochs", "1")
    assert code == 1 and "NaN or inf" in err


# ---- lesson -------------------------------------------------------------------------------
def _lessons_available():
    lesson = pytest.importorskip("nncore.lesson")
    try:
        lesson.render(lesson.make_lesson("perceptron"), "markdown")
    except ImportError as exc:
        pytest.skip(f"lesson rendering not available yet: {exc}")
    return lesson


def test_lesson_to_stdout_matches_the_library(capsys):
    lesson = _lessons_available()
    code, out, err = run_cli(capsys, "lesson", "article", "--format", "markdown")
    assert code == 0, err
    expected = lesson.render(lesson.make_lesson("article"), "markdown")
    assert out.rstrip("\n") == expected.rstrip("\n")


def test_lesson_format_from_extension(tmp_path, capsys):
    lesson = _lessons_available()
    code, out, _ = run_cli(capsys, "lesson", "sigmoid", "-o", tmp_path / "s.tex")
    assert code == 0 and "latex" in out
    expected = lesson.render(lesson.make_lesson("sigmoid"), "latex")
    assert (tmp_path / "s.tex").read_text().rstrip("\n") == expected.rstrip("\n")


def test_lesson_list_and_errors(capsys):
    lesson = _lessons_available()
    code, out, _ = run_cli(capsys, "lesson")
    assert code == 0 and all(name in out for name in lesson.PRESETS)
    code, _, err = run_cli(capsys, "lesson", "calculus")
    assert code == 2 and "unknown lesson 'calculus'" in err
    code, _, err = run_cli(capsys, "lesson", "article", "--format", "pdf")
    assert code == 2 and "invalid choice: 'pdf'" in err


# ---- the real command ---------------------------------------------------------------------
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


def test_train_stops_at_the_target_r2(tmp_path, capsys):
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


def test_predict_csv_without_header(trained, tmp_path, capsys):
    (tmp_path / "plain.csv").write_text("1 2\n3 4\n")
    code, out, _ = run_cli(capsys, "predict", trained, "--csv", tmp_path / "plain.csv")
    assert code == 0 and len(out.strip().splitlines()) == 3 and "against" not in out
    (tmp_path / "scored.csv").write_text("1\t2\t1.5\n3\t4\t3.5\n")
    code, out, _ = run_cli(capsys, "predict", trained, "--csv", tmp_path / "scored.csv")
    assert code == 0 and "against the CSV's targets: MSE" in out and "(2 points)" in out
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    pred = _expected_predictions(trained, X)
    mse = float(np.mean((pred[:, 0] - np.array([1.5, 3.5])) ** 2))
    assert f"MSE {mse:.6g}" in out


def test_diverged_training_explains_and_saves_finite_weights(tmp_path, capsys):
    code, out, err = run_cli(
        capsys, "train", *SMALL[:4], "--epochs", "50", "--lr", "5", "-q", "-o", tmp_path / "m.npz"
    )
    assert code == 0, err
    assert "Training diverged" in out and "Try: lower the learning rate" in out
    wf = weightfile.load(tmp_path / "m.npz")  # load checks finiteness
    assert wf.meta["stop_reason"]["kind"] == "diverged"


def test_predict_csv_with_a_single_point_and_spreadsheet_habits(trained, tmp_path, capsys):
    # One row is a whole request (training needs at least ten); semicolons with decimal
    # commas, as European spreadsheets write them, are read like `train --csv` reads them.
    (tmp_path / "one.csv").write_text("sep=;\nx;y;target\n0,5;-2,25;-0,875\n")
    code, out, err = run_cli(capsys, "predict", trained, "--csv", tmp_path / "one.csv")
    assert code == 0, err
    lines = out.strip().splitlines()
    printed = [float(v) for v in lines[1].split()]
    assert printed[:2] == [0.5, -2.25]
    pred = _expected_predictions(trained, np.array([[0.5, -2.25]]))[0, 0]
    assert printed[2] == pytest.approx(pred, rel=1e-7)
    assert f"MSE {(pred + 0.875) ** 2:.6g}" in out and "(1 point)" in out


def test_predict_csv_errors_are_one_line_naming_the_first_bad_line(trained, tmp_path, capsys):
    (tmp_path / "bad.csv").write_text("x,y\n1,2\n3,oops\n4\n5,6\n")
    code, _, err = run_cli(capsys, "predict", trained, "--csv", tmp_path / "bad.csv")
    assert code == 1 and err.count("\n") == 1
    assert (
        f"{tmp_path / 'bad.csv'}, line 3: column 'y' holds 'oops', which is not a number "
        "(and 1 more bad line)" in err
    )
    (tmp_path / "head.csv").write_text("x,y,target\n")
    code, _, err = run_cli(capsys, "predict", trained, "--csv", tmp_path / "head.csv")
    assert code == 1 and "head.csv has only 0 data rows (only a header on line 1)" in err
    code, _, err = run_cli(capsys, "predict", trained, "--csv", tmp_path / "missing.csv")
    assert code == 1 and "file not found" in err and "missing.csv" in err


def test_predict_csv_for_a_model_with_three_inputs(tmp_path, capsys):
    from nncore.network import Network

    net = Network([3, 1], activations=["linear"])
    net.set_weights(0, [[1.0], [10.0], [100.0]])
    net.set_biases(0, [0.0])
    weightfile.save(tmp_path / "three.json", net)
    (tmp_path / "in.csv").write_text("x3,x2,x1\n1,2,3\n")
    code, out, err = run_cli(
        capsys, "predict", tmp_path / "three.json", "--csv", tmp_path / "in.csv"
    )
    assert code == 0, err
    header, row = out.strip().splitlines()
    assert header.split() == ["x1", "x2", "x3", "prediction"]
    assert [float(v) for v in row.split()] == [3.0, 2.0, 1.0, 3.0 + 20.0 + 100.0]
