"""The command line with a CSV file's label column: `nncore train --csv` trains a classifier
and saves its class names; `nncore predict --csv` scores it against the file's labels."""

from __future__ import annotations

import numpy as np
import pytest

from nncore import weightfile

EPOCHS = ["--epochs", "30"]  # a run of a moment


def write_points(path, n=80, seed=0, names=("west", "east")):
    """Points in −5 … 5 whose class is which side of x = 0 they lie on."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(-5, 5, size=(n, 2))
    rows = "".join(f"{x},{y},{names[int(x > 0)]}\n" for x, y in points)
    path.write_text("x,y,label\n" + rows)
    return path


@pytest.fixture
def csv_classifier(run_cli, tmp_path, capsys):
    """A classifier trained by `nncore train --csv` on a file with class names."""
    src = write_points(tmp_path / "sides.csv")
    path = tmp_path / "sides.json"
    code, out, err = run_cli(capsys, "train", "--csv", src, *EPOCHS, "-o", path)
    assert code == 0, err
    return path, out, err


def test_train_on_a_label_column_makes_a_classifier_with_the_names(csv_classifier):
    path, out, err = csv_classifier
    assert "recipe classify" in err and "accuracy" in out
    wf = weightfile.load(path)
    assert wf.network.is_classifier and wf.classes == ("east", "west")
    assert wf.meta["data_source"] == "sides.csv (80 rows, 2 classes)"


def test_predict_on_a_labelled_csv_prints_the_accuracy(run_cli, csv_classifier, tmp_path, capsys):
    path, _out, _err = csv_classifier
    src = write_points(tmp_path / "new.csv", n=40, seed=1)
    code, out, err = run_cli(capsys, "predict", path, "--csv", src)
    assert code == 0, err
    assert "against the CSV's classes: accuracy" in out and "of 40 points" in out
    rows = out.splitlines()[1:-1]
    assert len(rows) == 40 and {row.split()[2] for row in rows} <= {"east", "west"}


def test_predict_with_labels_the_model_does_not_know_says_so(
    run_cli, csv_classifier, tmp_path, capsys
):
    path, _out, _err = csv_classifier
    src = write_points(tmp_path / "other.csv", n=5, names=("north", "south"))
    code, out, err = run_cli(capsys, "predict", path, "--csv", src)
    assert code == 0 and "accuracy" not in out
    assert "not all among the model's classes ('east, west'); no accuracy" in err


def test_a_regression_recipe_on_a_label_column_is_a_usage_error(run_cli, tmp_path, capsys):
    src = write_points(tmp_path / "sides.csv")
    code, _out, err = run_cli(capsys, "train", "--csv", src, "--recipe", "article", *EPOCHS)
    assert code == 2
    assert "the CSV's label column holds classes, but --recipe article is for regression" in err


def test_a_regression_csv_still_trains_a_regression(run_cli, tmp_path, capsys):
    src = tmp_path / "plane.csv"
    src.write_text("x,y,target\n" + "".join(f"{i},{-i},{i / 4}\n" for i in range(30)))
    code, _out, err = run_cli(
        capsys, "train", "--csv", src, "--epochs", "5", "-o", tmp_path / "r.npz"
    )
    assert code == 0, err
    assert "recipe article" in err
    assert not weightfile.load(tmp_path / "r.npz").network.is_classifier


def test_a_hostile_label_column_is_one_line(run_cli, tmp_path, capsys):
    src = tmp_path / "bad.csv"
    src.write_text("x,y,label\n" + "".join(f"{i},{i},c{i}\x1b[2J\n" for i in range(20)))
    code, _out, err = run_cli(capsys, "train", "--csv", src, *EPOCHS)
    assert code == 1 and "\x1b" not in err
    assert "with control characters; a class name must be printable text" in err
