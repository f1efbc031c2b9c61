"""`nncore predict`: answers in original units, from --points or a CSV file."""

from __future__ import annotations

import os

import numpy as np
import pytest

from nncore import weightfile


def _expected_predictions(path, X):
    wf = weightfile.load(path)
    norm = wf.normaliser
    return norm.inverse_y(wf.network.predict(norm.transform_x(X)).astype(np.float64))


def test_predict_points_in_original_units(run_cli, trained, capsys):
    code, out, err = run_cli(capsys, "predict", trained, "--points", "1,2; -3.5 4;0,0")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].split() == ["x", "y", "prediction"]
    printed = np.array([[float(v) for v in line.split()] for line in lines[1:]])
    X = np.array([[1, 2], [-3.5, 4], [0, 0]], dtype=float)
    np.testing.assert_array_equal(printed[:, :2], X)
    np.testing.assert_allclose(printed[:, 2], _expected_predictions(trained, X)[:, 0], rtol=1e-7)


def test_predict_csv_to_csv_is_exact_and_scores_targets(run_cli, trained, tmp_path, capsys):
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


def test_predict_without_normaliser_uses_raw_numbers(run_cli, tmp_path, capsys):
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
def test_predict_usage_errors(run_cli, trained, capsys, argv, message):
    code, _, err = run_cli(capsys, "predict", trained, *argv)
    assert code == 2
    assert err.startswith("nncore predict: error: ") and message in err


def test_predict_file_errors(run_cli, trained, tmp_path, capsys):
    (tmp_path / "bad.csv").write_text("x,y\n1,2\n3,oops\n")
    code, _, err = run_cli(capsys, "predict", trained, "--csv", tmp_path / "bad.csv")
    assert code == 1 and "bad.csv', line 3" in err
    code, _, err = run_cli(capsys, "predict", tmp_path / "nope.npz", "--points", "1,2")
    assert code == 1 and "no such file" in err
    (tmp_path / "junk.safetensors").write_bytes(os.urandom(64))
    code, _, err = run_cli(capsys, "predict", tmp_path / "junk.safetensors", "--points", "1,2")
    assert code == 1 and err.count("\n") == 1  # one clear line


def test_predict_csv_without_header(run_cli, trained, tmp_path, capsys):
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


def test_predict_csv_with_a_single_point_and_spreadsheet_habits(run_cli, trained, tmp_path, capsys):
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


def test_predict_csv_errors_are_one_line_naming_the_first_bad_line(
    run_cli, trained, tmp_path, capsys
):
    (tmp_path / "bad.csv").write_text("x,y\n1,2\n3,oops\n4\n5,6\n")
    code, _, err = run_cli(capsys, "predict", trained, "--csv", tmp_path / "bad.csv")
    assert code == 1 and err.count("\n") == 1
    assert (
        f"'{tmp_path / 'bad.csv'}', line 3: column 'y' holds 'oops', which is not a number "
        "(and 1 more bad line)" in err
    )
    (tmp_path / "head.csv").write_text("x,y,target\n")
    code, _, err = run_cli(capsys, "predict", trained, "--csv", tmp_path / "head.csv")
    assert code == 1 and "head.csv' has only 0 data rows (only a header on line 1)" in err
    code, _, err = run_cli(capsys, "predict", trained, "--csv", tmp_path / "missing.csv")
    assert code == 1 and "file not found" in err and "missing.csv" in err


def test_predict_csv_for_a_model_with_three_inputs(run_cli, tmp_path, capsys):
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
