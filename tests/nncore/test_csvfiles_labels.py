"""Tests for CSV files with a label column: classes from names or whole numbers, their order,
the limits on hostile label columns, and the class names kept with a trained model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nncore import weightfile
from nncore.csvfiles import MAX_CLASS_NAME_CHARS, MAX_CLASSES, load_csv, load_points_csv
from nncore.errors import DataError
from nncore.training import TrainingRun, recipe


def write(tmp_path, text, name="labels.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def labelled(labels, header="x,y,label"):
    """A file of one row per label: x = the row's number, y = minus it."""
    rows = "".join(f"{i},{-i},{label}\n" for i, label in enumerate(labels))
    return f"{header}\n{rows}"


def one_line_error(excinfo) -> str:
    message = str(excinfo.value)
    assert "\n" not in message and len(message) < 500
    return message


# ---- names and numbers ------------------------------------------------------------------------


def test_names_become_classes_in_sorted_order(tmp_path):
    labels = ["dog", "cat", "dog", "bird", "cat", "dog"] * 2
    ds = load_csv(write(tmp_path, labelled(labels)))
    assert ds.classes == ("bird", "cat", "dog")
    assert [ds.classes[c] for c in ds.labels] == labels
    assert ds.X[:, 0].tolist() == list(range(12)) and ds.y.shape == (12, 1)
    assert "12 rows, 3 classes" in ds.source


def test_the_order_does_not_depend_on_the_rows_order(tmp_path):
    labels = ["dog", "cat", "bird"] * 4
    first = load_csv(write(tmp_path, labelled(labels), "a.csv"))
    second = load_csv(write(tmp_path, labelled(labels[::-1]), "b.csv"))
    assert first.classes == second.classes == ("bird", "cat", "dog")


def test_whole_numbers_0_to_k_are_the_classes_themselves(tmp_path):
    labels = [2, 0, 1, 1, 0, 2] * 2
    ds = load_csv(write(tmp_path, labelled(labels)))
    assert ds.classes == ("class 0", "class 1", "class 2")
    assert ds.labels.tolist() == labels


def test_other_whole_numbers_map_to_their_sorted_values(tmp_path):
    labels = ["10", "5", "7.0", "5", "10", "7"] * 2  # "7.0" and "7" are one class
    text = "label;x;y\n" + "".join(f"{lab};{i},5;{-i}\n" for i, lab in enumerate(labels))
    ds = load_csv(write(tmp_path, text))  # first column, and decimal commas beside it
    assert ds.classes == ("5", "7", "10")  # numeric order, not text order ("10" < "5")
    assert ds.labels.tolist() == [2, 0, 1, 0, 2, 1] * 2 and ds.X[1].tolist() == [1.5, -1.0]


def test_a_class_column_and_whole_numbers_mixed_with_names(tmp_path):
    text = "class,y,x\n" + "".join(f"{lab},{i},{-i}\n" for i, lab in enumerate(["b", 3, "a"] * 4))
    ds = load_csv(write(tmp_path, text))
    assert ds.classes == ("3", "a", "b")  # numbers first, then names
    assert ds.X[0].tolist() == [0.0, 0.0] and ds.X[1].tolist() == [-1.0, 1.0]


def test_regression_files_read_as_before(tmp_path):
    text = "x,y,target\n" + "".join(f"{i},{i},{i / 3}\n" for i in range(12))
    ds = load_csv(write(tmp_path, text))
    assert ds.classes is None and ds.y[4, 0] == pytest.approx(4 / 3)


# ---- hostile label columns ----------------------------------------------------------------------


def test_empty_labels_are_bad_lines(tmp_path):
    text = labelled(["a", "b"] * 6) + "20,-20,\n21,-21,  \n"
    with pytest.raises(DataError) as excinfo:
        load_csv(write(tmp_path, text))
    message = one_line_error(excinfo)
    assert "2 bad lines" in message and "line 14: column 'label' is empty" in message
    assert excinfo.value.lines == [14, 15]


def test_numbers_that_are_not_whole_are_no_classes(tmp_path):
    with pytest.raises(DataError) as excinfo:
        load_csv(write(tmp_path, labelled(["a", "b", "0.5", "a"] * 3)))
    message = one_line_error(excinfo)
    assert "line 4: column 'label' holds '0.5', which is no class" in message
    assert "names or whole numbers" in message


def test_one_class_only_is_refused(tmp_path):
    with pytest.raises(DataError, match="every row has the class 'a'; a classifier needs"):
        load_csv(write(tmp_path, labelled(["a"] * 12)))


def test_a_label_and_a_target_column_are_refused(tmp_path):
    text = "x,y,label,target\n" + "".join(f"{i},{i},a,{i}\n" for i in range(12))
    with pytest.raises(DataError) as excinfo:
        load_csv(write(tmp_path, text))
    assert "has a class column ('label') and a target column ('target')" in one_line_error(excinfo)


def test_a_file_of_10000_classes_stops_at_the_limit(tmp_path):
    with pytest.raises(DataError) as excinfo:
        load_csv(write(tmp_path, labelled([f"c{i}" for i in range(10_000)])))
    message = one_line_error(excinfo)
    assert f"beyond the first {MAX_CLASSES}" in message and "'c100'" in message
    assert excinfo.value.lines == [MAX_CLASSES + 2]  # the header, then 100 good rows


def test_exactly_the_most_classes_are_read(tmp_path):
    ds = load_csv(write(tmp_path, labelled([f"c{i:03}" for i in range(MAX_CLASSES)])))
    assert len(ds.classes) == MAX_CLASSES


def test_control_characters_in_a_name_are_refused_and_escaped(tmp_path):
    text = labelled(["a", "b"] * 6) + "1,2,red\x1b[31mtext\x07\n"
    with pytest.raises(DataError) as excinfo:
        load_csv(write(tmp_path, text))
    message = one_line_error(excinfo)
    assert "\x1b" not in message and "\x07" not in message
    assert "'red\\x1b[31mtext\\x07', with control characters" in message


def test_names_longer_than_the_limit_are_refused(tmp_path):
    long = "n" * (MAX_CLASS_NAME_CHARS + 1)
    with pytest.raises(DataError, match=f"a name of {MAX_CLASS_NAME_CHARS + 1} characters"):
        load_csv(write(tmp_path, labelled(["a", "b", long] * 4)))
    ds = load_csv(write(tmp_path, labelled(["a", "n" * MAX_CLASS_NAME_CHARS] * 6)))
    assert ds.classes[1] == "n" * MAX_CLASS_NAME_CHARS


def test_a_huge_whole_number_is_a_name_too_long(tmp_path):
    with pytest.raises(DataError, match="a name of 301 characters"):
        load_csv(write(tmp_path, labelled(["1", "2", "1e300"] * 4)))


# ---- known classes for predictions ---------------------------------------------------------


def test_points_with_a_classifiers_names_come_back_as_its_indices(tmp_path):
    path = write(tmp_path, labelled(["dog", "cat", "bird", "", "0.5"]))
    X, y = load_points_csv(path, 2, classes=("cat", "dog"))
    assert X.shape == (5, 2)
    assert y[:2, 0].tolist() == [1.0, 0.0] and all(math.isnan(v) for v in y[2:, 0])
    X, y = load_points_csv(write(tmp_path, "0,0,1\n1,1,0\n", "plain.csv"), 2, classes=("a", "b"))
    assert y[:, 0].tolist() == [1.0, 0.0]  # class numbers, for names that are not numbers
    _, y = load_points_csv(write(tmp_path, "0,0,\u00b2\n", "sup.csv"), 2, classes=("a", "b"))
    assert math.isnan(y[0, 0])  # '²' is a digit to str.isdigit, but no class number
    _, y = load_points_csv(write(tmp_path, "0,0,1\n1,1,5\n", "n.csv"), 2, classes=("5", "10"))
    assert math.isnan(y[0, 0]) and y[1, 0] == 0.0  # names that are numbers: by name only


def test_points_without_classes_read_a_label_column_as_numbers_as_before(tmp_path):
    _, y = load_points_csv(write(tmp_path, "x,y,label\n0,0,0.5\n"), 2)
    assert y[:, 0].tolist() == [0.5]


# ---- kept with the model ------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".npz", ".safetensors"])
def test_csv_train_save_load_keeps_the_classes(tmp_path, suffix):
    rng = np.random.default_rng(3)
    points = rng.uniform(-5, 5, size=(60, 2))
    names = np.where(points[:, 0] > 0, "east, sunny", "west")  # a comma: quoted in the CSV
    text = "x,y,label\n" + "".join(f'{x},{y},"{n}"\n' for (x, y), n in zip(points, names))
    ds = load_csv(write(tmp_path, text))
    assert ds.classes == ("east, sunny", "west")
    run = TrainingRun(recipe("classify", epochs=20), ds)
    run.run()
    path = tmp_path / f"model{suffix}"
    weightfile.save(path, run.network, run.normaliser, run.config, run.history, classes=ds.classes)
    loaded = weightfile.load(path)
    assert loaded.classes == ds.classes and loaded.network.n_classes == 2
