"""save_points_csv: points written as CSV come back from load_csv as the same data."""

import numpy as np
import pytest

from nncore.csvfiles import load_csv, save_points_csv
from nncore.errors import SettingsError, WeightFileError


def _points(n=12, seed=3):
    rng = np.random.default_rng(seed)
    return rng.uniform(-10, 10, size=(n, 2))


def test_regression_points_round_trip_exactly(tmp_path):
    X = _points()
    z = np.sin(X[:, 0]) * X[:, 1] / 3 + 1e-17  # digits a short format would lose
    path = tmp_path / "points.csv"
    save_points_csv(path, X, z)
    data = load_csv(str(path))
    assert data.classes is None
    np.testing.assert_array_equal(data.X, X)
    np.testing.assert_array_equal(data.y[:, 0], z)
    assert path.read_text().splitlines()[0] == "x,y,z"


def test_class_points_round_trip_with_their_names(tmp_path):
    X = _points()
    labels = np.array([0, 1, 2] * 4)
    names = ("class 0", "class 1", "class 2")
    path = tmp_path / "classes.csv"
    save_points_csv(path, X, labels, classes=names)
    data = load_csv(str(path))
    assert data.classes == names
    np.testing.assert_array_equal(data.X, X)
    np.testing.assert_array_equal(data.labels, labels)
    assert path.read_text().splitlines()[1].endswith(",class 0")


def test_names_with_commas_are_quoted_and_read_back(tmp_path):
    X = _points()
    labels = np.array([0, 1] * 6)
    path = tmp_path / "named.csv"
    save_points_csv(path, X, labels, classes=("cat, small", "dog"))
    data = load_csv(str(path))
    assert data.classes == ("cat, small", "dog")
    np.testing.assert_array_equal(data.labels, labels)


def test_bad_arrays_are_refused_and_leave_the_old_file(tmp_path):
    path = tmp_path / "keep.csv"
    path.write_text("old")
    with pytest.raises(SettingsError):
        save_points_csv(path, np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(SettingsError):
        save_points_csv(path, np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(SettingsError):
        save_points_csv(path, np.zeros((2, 2)), [0, 2], classes=("a", "b"))
    with pytest.raises(SettingsError):
        save_points_csv(path, np.zeros((2, 2)), [np.nan, 1.0])
    assert path.read_text() == "old"


def test_a_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(WeightFileError, match="does not exist"):
        save_points_csv(tmp_path / "no" / "p.csv", np.zeros((1, 2)), [1.0])
