"""Tests for the error family: every error nncore raises about its input is an NNCoreError and
a ValueError, a wrong type is a TypeError, and the CLI shows each kind as one line."""

import importlib
import pkgutil

import numpy as np
import pytest

import nncore
from nncore import cli, data, errors, formula, weightfile
from nncore.errors import (
    DataError,
    FormulaError,
    NNCoreError,
    SettingsError,
    WeightFileError,
)
from nncore.training import TrainConfig

PUBLIC_ERRORS = [getattr(errors, name) for name in errors.__all__ if name != "NNCoreError"]


def test_every_member_of_the_family_is_a_value_error():
    assert {SettingsError, FormulaError, DataError, WeightFileError} <= set(PUBLIC_ERRORS)
    for error in PUBLIC_ERRORS:
        assert issubclass(error, NNCoreError) and issubclass(error, ValueError), error
    # Every error class the package exports belongs to the family.
    exported = [getattr(nncore, n) for n in nncore.__all__ if n.endswith("Error")]
    assert NNCoreError in exported and SettingsError in exported
    for error in exported:
        assert error is NNCoreError or (
            issubclass(error, NNCoreError) and issubclass(error, ValueError)
        ), error


NOT_ABOUT_INPUT = {
    # The command line's own signals to its `main`, which turns them into an exit status;
    # they never leave `nncore.cli.main`.
    "nncore.cli.UsageError",
    "nncore.cli.InputError",
}


def test_every_public_exception_in_nncore_is_in_the_family():
    found = []
    for info in pkgutil.walk_packages(nncore.__path__, "nncore."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                isinstance(obj, type)
                and issubclass(obj, BaseException)
                and obj.__module__ == module.__name__
                and not name.startswith("_")
                and f"{module.__name__}.{name}" not in NOT_ABOUT_INPUT
                and obj is not NNCoreError  # the base: the one member that is no ValueError
            ):
                found.append(obj)
                assert issubclass(obj, NNCoreError) and issubclass(obj, ValueError), obj
    assert {SettingsError, FormulaError, DataError, WeightFileError} <= set(found)


def test_each_error_can_still_be_imported_from_the_module_that_raises_it():
    assert data.DataError is DataError
    assert formula.FormulaError is FormulaError
    assert weightfile.WeightFileError is WeightFileError
    assert nncore.NNCoreError is NNCoreError and nncore.SettingsError is SettingsError


def test_the_extra_fields_survive_the_move():
    err = FormulaError("bad", 6)
    assert str(err) == "column 7: bad" and err.position == 6 and err.message == "bad"
    err = DataError("bad rows", [3], [(3, "not a number")])
    assert err.lines == [3] and err.problems == [(3, "not a number")] and str(err) == "bad rows"


def _bad_csv(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("x,y,target\n" + "1,2,3\n" * 12 + "1,abc,3\n")
    return path


def _junk_weights(tmp_path):
    path = tmp_path / "junk.npz"
    path.write_bytes(b"this is not a zip file")
    return path


@pytest.mark.parametrize(
    "kind, make",
    [
        (SettingsError, lambda tmp: TrainConfig(epochs=0)),
        (SettingsError, lambda tmp: data.grid("mean", n=1)),
        (FormulaError, lambda tmp: formula.parse_formula("x +")),
        (DataError, lambda tmp: data.load_csv(_bad_csv(tmp))),
        (DataError, lambda tmp: data.grid("log(x)", n=4)),
        (WeightFileError, lambda tmp: weightfile.load(_junk_weights(tmp))),
    ],
)
def test_each_kind_is_caught_as_nncore_error_and_as_value_error(tmp_path, kind, make):
    with pytest.raises(kind) as info:
        make(tmp_path)
    assert isinstance(info.value, NNCoreError) and isinstance(info.value, ValueError)
    assert str(info.value)  # a message for the student, never empty


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: TrainConfig(epochs="ten"), "epochs must be a whole number; got 'ten'"),
        (lambda: TrainConfig(lr="0.1"), "the learning rate must be a number; got '0.1'"),
        (lambda: TrainConfig(epochs=True), "epochs must be a whole number; got True"),
        (lambda: TrainConfig(sizes=5), "sizes must be a list of layer sizes; got 5"),
        (lambda: TrainConfig(sizes="2-8-1"), "sizes must be a list of layer sizes"),
        (lambda: TrainConfig(activation=3), "activation must be a name like 'relu'"),
        (lambda: TrainConfig(optimizer=None), "optimizer must be one of gd, momentum, adam"),
        (lambda: TrainConfig(recipe=1), "recipe must be a name"),
        (lambda: data.grid("mean", n="100"), "the grid size n must be a whole number"),
        (lambda: data.sample_uniform("mean", 10, noise="some"), "must be a number"),
        (lambda: data.get_function(3), "expected a function name or a formula, not int"),
        (lambda: formula.parse_formula(b"x"), "a formula must be text, not bytes"),
        (lambda: weightfile.save("m.npz", "a network"), "expected a Network to save; got str"),
    ],
)
def test_a_wrong_type_is_a_type_error_not_a_bad_value(make, match):
    with pytest.raises(TypeError, match=match) as info:
        make()
    assert not isinstance(info.value, NNCoreError)


@pytest.mark.parametrize(
    "settings, match",
    [
        (dict(epochs=0), r"^epochs must be a whole number >= 1; got 0$"),
        (dict(epochs=2.5), r"^epochs must be a whole number; got 2.5$"),
        (dict(lr=float("nan")), "the learning rate must be a finite number above 0"),
        (
            dict(lr=-1),
            r"^the learning rate must be a finite number above 0 and at most 1e\+06; got -1$",
        ),
        (dict(target_r2=1.5), "target_r2 must be a finite number at most 1"),
        (dict(time_budget=float("inf")), "time_budget must be a finite number above 0"),
        (dict(sizes=(2,)), "sizes needs at least an input and an output size"),
        (dict(sizes=(2, 0, 1)), "every layer size must be a whole number >= 1; got 0"),
        (dict(activation="swish"), "unknown activation 'swish'"),
        (dict(init="zeros"), "unknown init 'zeros'; choose one of: article, he, xavier"),
        (dict(dtype="float16"), "unknown dtype 'float16'; choose one of: float64, float32"),
        (dict(recipe="  "), "recipe must be a name"),
        (dict(schedule="cosine", warmup=10, epochs=10), "the warm-up .* must be shorter"),
    ],
)
def test_train_config_bad_values_are_settings_errors(settings, match):
    with pytest.raises(SettingsError, match=match):
        TrainConfig(**settings)


def test_train_config_takes_whole_floats_and_numpy_numbers_as_plain_python():
    config = TrainConfig(epochs=3.0, sizes=(np.int64(2), 4.0, 1), lr=np.float32(0.5))
    assert config.epochs == 3 and type(config.epochs) is int
    assert config.sizes == (2, 4, 1) and all(type(s) is int for s in config.sizes)
    assert config.lr == 0.5 and type(config.lr) is float
    assert TrainConfig(activation="ReLU").activation == "relu"


def test_train_config_from_a_file_reports_wrong_types_as_settings_errors():
    # A dict read from a weights file is data, not a program: callers catch ValueError.
    with pytest.raises(SettingsError, match="epochs must be a whole number; got 'ten'"):
        TrainConfig.from_dict({"epochs": "ten"})
    with pytest.raises(SettingsError, match="a training configuration must be a dict; got list"):
        TrainConfig.from_dict([1, 2])
    with pytest.raises(SettingsError, match="unknown training setting"):
        TrainConfig.from_dict({"learning_rate": 0.1})


# ---- the command line: one line per kind, never a traceback -----------------------------------


def _run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_cli_range_error_is_the_library_sentence(capsys):
    with pytest.raises(SettingsError) as info:
        TrainConfig(epochs=0)
    code, out, err = _run(capsys, "train", "mean", "--samples", "20", "--epochs", "0")
    assert code == 2 and out == ""
    assert err == f"nncore train: error: {info.value}\n"


@pytest.mark.parametrize(
    "argv, code, words",
    [
        (["train", "mean", "--samples", "20", "--lr", "0"], 2, "the learning rate must be"),
        (["train", "--formula", "x +", "--samples", "20"], 2, "--formula 'x +': column"),
        (["train", "--formula", "log(x)", "--grid", "4", "--epochs", "1"], 1, "NaN or inf"),
        (["train", "--csv", "{csv}", "--epochs", "1"], 1, "bad.csv', line 14: column 'y' holds"),
        (["info", "{junk}"], 1, "junk.npz"),
        (["predict", "{junk}", "--points", "1,2"], 1, "junk.npz"),
    ],
)
def test_the_cli_shows_each_kind_of_error_on_one_line(capsys, tmp_path, argv, code, words):
    paths = {"csv": _bad_csv(tmp_path), "junk": _junk_weights(tmp_path)}
    argv = [a.format(**paths) for a in argv]
    status, out, err = _run(capsys, *argv)
    assert status == code, err
    assert err.startswith(f"nncore {argv[0]}: error: ") and words in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out == ""
