"""The Qt-free parts of lesson files in the app: the Train tab's settings as plain values,
the recent list, the loss chart's history, the banner's words (no window needed)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from app.recent_files import MAX_RECENT, as_paths, still_there, with_recent
from app.step.lesson_state import ask_choice_index, banner_text, chart_history
from app.train.drawn_points import DrawnPoints
from app.train.lesson_settings import (
    check_points,
    drawn_from_lesson,
    from_plain,
    lesson_points,
    to_plain,
)
from app.train.session import DRAWN_POINTS, DataSettings
from nncore.config import TrainConfig
from nncore.errors import SettingsError
from nncore.lesson import make_lesson
from nncore.lessonfile import LessonFile, LessonFileError, LessonPoints, Locks, lesson_from_text

QT_FREE = ("app.step.lesson_state", "app.train.lesson_settings", "app.recent_files")


def test_the_logic_modules_load_no_qt():
    code = (
        "import importlib, json, sys\n"
        f"for name in {QT_FREE!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'pyqtgraph'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_train_settings_go_to_plain_values_and_back():
    data = DataSettings(function="x*y", samples=500, noise=0.1, seed=7, val_share=0.25)
    config = TrainConfig(sizes=(2, 16, 1), epochs=300, lr=0.01, batch_size=32, seed=3)
    plain = to_plain(data, config)
    assert plain["sizes"] == "2-16-1" and plain["data_seed"] == 7 and plain["seed"] == 3
    assert all(v is None or isinstance(v, (bool, int, float, str)) for v in plain.values())
    # what a lesson file accepts in its `train` field
    doc = {"format": "nn-tutor lesson", "version": 1, "preset": "article", "train": plain}
    assert lesson_from_text(json.dumps(doc)).train == plain
    assert from_plain(plain) == (data, config)
    assert from_plain({"function": "article", "epochs": 200})[1].epochs == 200


@pytest.mark.parametrize(
    "plain, words",
    [
        ({"epoch": 3}, "no setting 'epoch'"),
        ({"sizes": "2-x-1"}, "sizes"),
        ({"sizes": [2, 1]}, "sizes"),
        ({"samples": "many"}, "samples"),
        ({"noise": True}, "noise"),
        ({"epochs": -5}, "epochs"),
    ],
)
def test_bad_train_settings_are_refused_in_one_line(plain, words):
    with pytest.raises(SettingsError, match=words) as caught:
        from_plain(plain)
    assert "\n" not in str(caught.value)


def test_the_recent_list_is_newest_first_each_once_and_bounded(tmp_path):
    a, b = str(tmp_path / "a.nnlesson"), str(tmp_path / "b.nnlesson")
    assert with_recent([b, a], a) == [a, b]
    many = [str(tmp_path / f"{k}.nnlesson") for k in range(20)]
    assert len(with_recent(many, a)) == MAX_RECENT
    (tmp_path / "a.nnlesson").write_text("{}")
    assert still_there([a, b]) == ([a], [b])
    assert as_paths(None) == [] and as_paths(a) == [a] and as_paths([a, 3, ""]) == [a]


def test_the_chart_history_ends_on_this_iterations_loss():
    assert chart_history([0.5, 0.4, 0.3], 3, 0.3) == [0.5, 0.4, 0.3]
    assert chart_history([0.5, 0.4], 3, 0.3) == [0.5, 0.4, 0.3]  # the losses before it
    assert chart_history([], 40, 0.3) == [0.3]
    assert chart_history([0.5, 0.4, 0.3, 0.2], 2, 0.35) == [0.5, 0.35]


def test_the_banner_names_what_is_hidden_and_fixed():
    text = banner_text(Locks(hidden=("editor", "train_tab", "reset"), locked=("weights",)))
    assert text == (
        "This lesson is locked by its file: the network editor, the Train tab and Reset "
        "hidden; the weights fixed."
    )
    assert banner_text(Locks(locked=("learning_rate",))).endswith("the learning rate fixed.")


def test_predict_choices_are_found_by_their_ask():
    assert ask_choice_index("all") == 0
    assert ask_choice_index(("sum", "activation")) is not None
    assert ask_choice_index(("loss", "update")) is None


def test_drawn_points_are_a_train_setting_only_while_they_are_the_data():
    drawn = DataSettings(task="classification", csv_path=DRAWN_POINTS)
    plain = to_plain(drawn, TrainConfig())
    assert plain["drawn_points"] is True
    assert from_plain(plain)[0] == drawn
    assert "drawn_points" not in to_plain(DataSettings(), TrainConfig())  # as before
    assert "drawn_points" not in to_plain(DataSettings(csv_path="/a/b.csv"), TrainConfig())
    assert from_plain({"drawn_points": False})[0].csv_path is None
    with pytest.raises(SettingsError, match="drawn_points must be true or false"):
        from_plain({"drawn_points": "yes"})


def test_drawn_points_go_to_a_lesson_file_and_back_exactly():
    drawn = DrawnPoints.empty(("a", "b", "c"))
    for x, y, c in ((1 / 3, -2 / 3, 0), (9.5, -9.5, 2), (0.1, 0.2, 1)):
        drawn.add(x, y, c)
    points = lesson_points(drawn)
    assert points.classes == ("a", "b", "c")
    text = LessonFile.from_lesson(make_lesson("article"), points=points).to_text()
    back = drawn_from_lesson(lesson_from_text(text).points)
    np.testing.assert_array_equal(back.X, drawn.X)
    np.testing.assert_array_equal(back.values, drawn.values)
    assert back.classes == drawn.classes and not back.can_undo
    values = DrawnPoints([[0.0, 0.0]], [2e6])  # typed elsewhere: more than a file holds
    with pytest.raises(LessonFileError, match=r"'points.rows\[0\]\[2\]'"):
        lesson_points(values)


@pytest.mark.parametrize(
    "plain, points, words",
    [
        ({"drawn_points": True}, None, "holds no 'points'"),
        ({"function": "article"}, "values", "does not train on them"),
        ({}, "values", "does not train on them"),
        ({"drawn_points": True, "task": "classification"}, "values", "'regression'"),
        ({"drawn_points": True, "task": "regression"}, "classes", "'classification'"),
    ],
)
def test_points_and_settings_that_disagree_are_refused(plain, points, words):
    made = {
        None: None,
        "values": LessonPoints.of([[0, 0]], [1.0]),
        "classes": LessonPoints.of([[0, 0]], [1], ("a", "b")),
    }[points]
    with pytest.raises(SettingsError, match=words) as caught:
        check_points(plain, made)
    assert "\n" not in str(caught.value)


def test_points_and_settings_that_agree_pass():
    check_points({}, None)
    check_points({"function": "article"}, None)
    check_points({"drawn_points": True}, LessonPoints.of([[0, 0]], [1.0]))
    classes = LessonPoints.of([[0, 0]], [1], ("a", "b"))
    check_points({"drawn_points": True, "task": "classification"}, classes)
