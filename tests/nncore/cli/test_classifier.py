"""The command line with classifiers: train on a class data set, predict classes with their
probabilities, describe the task, loss and classes."""

from __future__ import annotations

import numpy as np
import pytest

from nncore import weightfile
from nncore.config import RECIPES
from nncore.data import classification
from nncore.training import TrainingRun, recipe

QUICK = ["--samples", "200", "--epochs", "6", "--recipe", "classify"]  # a run of a moment


@pytest.fixture
def classifier(run_cli, tmp_path, capsys):
    """A 3-class gaussians classifier saved by `nncore train`, with its stdout and stderr."""
    path = tmp_path / "gauss.safetensors"
    code, out, err = run_cli(
        capsys,
        "train",
        "--data",
        "gaussians",
        "--classes",
        3,
        *QUICK,
        "--val-share",
        0.25,
        "-o",
        path,
    )
    assert code == 0, err
    return path, out, err


def test_train_saves_exactly_the_classifier_the_library_trains(classifier):
    path, _out, _err = classifier
    wf = weightfile.load(path)
    data = classification("gaussians", 200, seed=0, classes=3)
    train, val = data.split(0.25, seed=99)
    run = TrainingRun(recipe("classify", epochs=6, sizes=(2, 32, 32, 3)), train, val)
    run.run()
    assert wf.network.sizes == (2, 32, 32, 3)  # the last size from the number of classes
    assert all(
        a.tobytes() == b.tobytes()
        for a, b in zip(wf.network.parameters(), run.network.parameters())
    )
    assert (wf.task, wf.loss, wf.classes) == (
        "classification",
        "cross_entropy",
        ("class 0", "class 1", "class 2"),
    )
    assert wf.history[-1]["val_accuracy"] == run.history[-1].val_accuracy
    assert wf.meta["data"] == {
        "class_data": "gaussians",
        "classes": 3,
        "samples": 200,
        "noise": 0.0,
        "seed": 0,
        "val_share": 0.25,
    }


def test_train_prints_the_accuracy_beside_the_loss(classifier):
    _path, out, err = classifier
    epochs = [line for line in err.splitlines() if line.startswith("epoch")]
    assert epochs and all("loss" in line and "accuracy" in line for line in epochs)
    assert all("val accuracy" in line and "R" not in line.split("]")[1] for line in epochs)
    assert "Training 2-32-32-3" in err and "gaussians class data set (3 classes)" in err
    assert "training    accuracy" in out and "validation  accuracy" in out
    assert "cross-entropy" in out and "MSE" not in out


def test_two_classes_get_two_softmax_outputs_and_classify_is_the_default(run_cli, tmp_path, capsys):
    path = tmp_path / "spiral.json"
    code, _out, err = run_cli(capsys, "train", "--data", "spiral", *QUICK, "-q", "-o", path)
    assert code == 0, err
    assert weightfile.load(path).network.sizes == (2, 32, 32, 2)
    code, _out, err = run_cli(capsys, "train", "--data", "xor", "--epochs", 4, "-o", path)
    assert code == 0 and "recipe classify" in err
    assert weightfile.load(path).config["recipe"] == "classify"


def test_the_classify_recipe_separates_the_spiral_from_the_command_line(run_cli, tmp_path, capsys):
    path = tmp_path / "spiral.npz"
    code, out, err = run_cli(
        capsys,
        "train",
        "--data",
        "spiral",
        "--recipe",
        "classify",
        "--target-accuracy",
        0.97,
        "-q",
        "-o",
        path,
    )
    assert code == 0, err
    assert "Reached an accuracy of" in out
    line = next(line for line in out.splitlines() if line.startswith("training "))
    assert float(line.split("accuracy ")[1].split("%")[0]) >= 97.0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--data", "spiral", "--recipe", "article"], "--recipe article is for regression"),
        (["--data", "circle", "--classes", 3, "--recipe", "classify"], "comes with 2 classes"),
        (["--classes", 3, "--recipe", "classify"], "--classes is for a class data set"),
        (["--data", "xor", "mean", "--recipe", "classify"], "give only one of"),
        (["--data", "xor", "--grid", 10, "--recipe", "classify"], "--data draws --samples"),
        (["--data", "xor", "--recipe", "classify", "--arch", "2-8-1"], "and 2 classes, so the"),
        (["--data", "moons"], "invalid choice: 'moons'"),
        (["mean", "--target-accuracy", 0.9], "target_accuracy is for classifiers"),
    ],
)
def test_classifier_usage_errors(run_cli, capsys, argv, message):
    samples = [] if "--grid" in argv else ["--samples", 50]
    code, _out, err = run_cli(capsys, "train", *argv, "--epochs", 5, *samples)
    assert code == 2 and message in err, err
    assert len(err.strip().splitlines()) == 1


def test_recipe_choices_come_from_the_recipes_module(run_cli, capsys, monkeypatch):
    from nncore.cli.parser import build_parser

    _code, _out, err = run_cli(capsys, "train", "--recipe", "nonsense")
    assert all(name in err for name in RECIPES) and "classify" in err
    monkeypatch.setitem(RECIPES, "tiny", RECIPES["article"])  # a recipe added later is offered
    assert build_parser().parse_args(["train", "--recipe", "tiny"]).recipe == "tiny"


def test_predict_prints_the_class_name_and_the_probabilities(run_cli, classifier, capsys):
    path, _out, _err = classifier
    code, out, err = run_cli(capsys, "predict", path, "--points", "0,0; 5,5; -5,3")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == [
        "x",
        "y",
        "class",
        "p(class",
        "0)",
        "p(class",
        "1)",
        "p(class",
        "2)",
    ]
    wf = weightfile.load(path)
    X = np.array([[0.0, 0.0], [5.0, 5.0], [-5.0, 3.0]])
    probabilities = wf.network.predict(wf.normaliser.transform_x(X))
    for line, p in zip(lines[1:], probabilities):
        fields = line.split()
        assert " ".join(fields[2:4]) == f"class {int(np.argmax(p))}"
        np.testing.assert_allclose([float(v) for v in fields[4:]], p, rtol=1e-5)
        assert sum(float(v) for v in fields[4:]) == pytest.approx(1.0, abs=1e-5)


def test_predict_csv_of_a_classifier_writes_names_and_scores_the_labels(
    run_cli, classifier, tmp_path, capsys
):
    path, _out, _err = classifier
    src, dst = tmp_path / "points.csv", tmp_path / "out.csv"
    src.write_text("x,y,label\n0,0,0\n5,5,1\n-5,3,2\n")
    code, out, err = run_cli(capsys, "predict", path, "--csv", src, "-o", dst)
    assert code == 0, err
    rows = dst.read_text().splitlines()
    assert rows[0] == "x,y,class,p(class 0),p(class 1),p(class 2)" and len(rows) == 4
    assert "against the CSV's classes: accuracy" in out and "of 3 points" in out
    src.write_text("x,y,label\n0,0,0.5\n5,5,7\n")
    code, out, err = run_cli(capsys, "predict", path, "--csv", src)
    assert code == 0 and "not class numbers 0 to 2; no accuracy" in err


def test_predict_with_class_names_and_a_sigmoid_output(run_cli, tmp_path, capsys):
    from nncore.network import Network

    net = Network([2, 3, 1], ["tanh", "sigmoid"], "xavier", 1, loss="cross_entropy")
    path = tmp_path / "m.json"
    weightfile.save(path, net, classes=["inside, the ring", "outside"])
    code, _out, err = run_cli(capsys, "predict", path, "--points", "1,2", "-o", tmp_path / "o.csv")
    assert code == 0, err
    p1 = float(net.predict([[1.0, 2.0]])[0, 0])
    header, row = (tmp_path / "o.csv").read_text().splitlines()
    assert header == 'x,y,class,"p(inside, the ring)",p(outside)'
    name = '"inside, the ring"' if p1 <= 0.5 else "outside"
    assert row == f"1.0,2.0,{name},{1.0 - p1!r},{p1!r}"


def test_info_shows_task_loss_and_classes(run_cli, classifier, capsys):
    path, _out, _err = classifier
    code, out, err = run_cli(capsys, "info", path)
    assert code == 0, err
    assert "format version 2" in out
    assert "task           classification, loss cross_entropy" in out
    assert "classes        3: class 0, class 1, class 2" in out
    assert "final loss     training cross-entropy" in out and "accuracy" in out
    assert "targets: class probabilities, not normalised" in out


def test_info_of_a_regression_file_says_so(run_cli, trained, capsys):
    code, out, _err = run_cli(capsys, "info", trained)
    assert code == 0 and "task           regression, loss mse" in out
    assert "classes" not in out and "format version 1" in out


def test_a_formulas_sign_makes_two_classes_with_the_classify_recipe(run_cli, tmp_path, capsys):
    path = tmp_path / "disc.npz"
    code, out, err = run_cli(
        capsys, "train", "--formula", "x^2 + y^2 - 25", *QUICK, "--seed", 5, "-o", path
    )
    assert code == 0, err
    assert "by the sign of x^2 + y^2 - 25" in out + err
    wf = weightfile.load(path)
    assert wf.classes == ("f ≤ 0", "f > 0")
    data = wf.meta["data"]
    assert (data["task"], data["dataset"], data["function"]) == (
        "classification",
        "sign",
        "x^2 + y^2 - 25",
    )
    assert wf.history[-1]["train_accuracy"] is not None


def test_a_formula_of_one_sign_is_refused_in_words(run_cli, capsys):
    code, _out, err = run_cli(capsys, "train", "--formula", "x^2 + 1", *QUICK)
    assert code != 0
    assert "every point is one class" in err
