"""nncore.lessonfile: points drawn for the Train tab ("points") survive a lesson file exactly,
a file without them is written as before, and hostile points are refused in one line naming
the field (NaN, 1e400, text for a number, too many points, wrong shapes, classes out of range).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from nncore.lesson import make_lesson
from nncore.lessonfile import (
    FIRST_VERSION,
    FORMAT_MARKER,
    FORMAT_VERSION,
    MAX_LESSON_BYTES,
    MAX_POINT_VALUE,
    MAX_POINTS,
    LessonFile,
    LessonFileError,
    LessonPoints,
    lesson_from_text,
    load_lesson,
    save_lesson,
)

# Numbers that print long, so an inexact writer would show: thirds, tiny and large values.
XY = [[1 / 3, -2 / 3], [-10.0, 10.0], [9.999999999999998, -1e-300], [0.1, 0.2]]
VALUES = [2 / 3, -1000.0, 123456.789, 5e-324]


def _saved(tmp_path, points: LessonPoints | None, name="points.nnlesson"):
    path = tmp_path / name
    save_lesson(path, LessonFile.from_lesson(make_lesson("article"), points=points))
    return path


def _doc(points) -> str:
    doc = {"format": FORMAT_MARKER, "version": FORMAT_VERSION, "preset": "article"}
    return json.dumps({**doc, "points": points})


def test_drawn_values_round_trip_exactly(tmp_path):
    points = LessonPoints.of(XY, VALUES)
    path = _saved(tmp_path, points)
    loaded = load_lesson(path).points
    assert loaded == points and loaded.classes is None
    np.testing.assert_array_equal(loaded.X, np.array(XY))  # bit for bit
    np.testing.assert_array_equal(loaded.value_array, np.array(VALUES))
    doc = json.loads(path.read_text())
    assert doc["version"] == FORMAT_VERSION and list(doc["points"]) == ["rows"]


def test_drawn_classes_round_trip_with_their_names(tmp_path):
    names = ("class 0", "class 1", "class 2")
    points = LessonPoints.of(XY, [0, 2, 1, 2], names)
    path = _saved(tmp_path, points)
    loaded = load_lesson(path).points
    assert loaded == points and loaded.classes == names
    assert loaded.values == (0.0, 2.0, 1.0, 2.0)
    rows = json.loads(path.read_text())["points"]["rows"]
    assert [row[2] for row in rows] == [0, 2, 1, 2]  # a class is written as a whole number
    assert "[0.3333333333333333, -0.6666666666666666, 0]" in path.read_text()  # one line each


def test_no_points_leave_the_file_as_it_was(tmp_path):
    path = _saved(tmp_path, None)
    doc = json.loads(path.read_text())
    assert "points" not in doc and doc["version"] == FIRST_VERSION == 1
    assert load_lesson(path).points is None
    empty = LessonPoints.of(np.empty((0, 2)), np.empty(0))  # none drawn yet: kept as none
    assert load_lesson(_saved(tmp_path, empty, "empty.nnlesson")).points == empty


def test_as_many_points_as_allowed_fit_in_a_lesson_file(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.uniform(-10, 10, (MAX_POINTS, 2))
    values = rng.normal(0, 300, MAX_POINTS)
    path = _saved(tmp_path, LessonPoints.of(X, values))
    assert path.stat().st_size < MAX_LESSON_BYTES
    np.testing.assert_array_equal(load_lesson(path).points.X, X)


def test_other_fields_stay_as_they_were_beside_the_points():
    lesson_file = LessonFile.from_lesson(
        make_lesson("article"),
        points=LessonPoints.of(XY, VALUES),
        train={"function": "article", "epochs": 200},
    )
    again = lesson_from_text(lesson_file.to_text())
    assert again == lesson_file
    assert again.with_settings(title="Week 4").points == lesson_file.points


ROW = [1.0, 2.0, 3.0]
REFUSED = {
    "NaN": (_doc({"rows": [ROW]}).replace("3.0", "NaN"), "NaN at line 1"),
    "1e400": (_doc({"rows": [ROW]}).replace("3.0", "1e400"), "1e400 at line 1"),
    "-Infinity": (_doc({"rows": [ROW]}).replace("2.0", "-Infinity"), "-Infinity at line 1"),
    "1e400 as text": (_doc({"rows": [[1.0, 2.0, "1e400"]]}), "'points.rows[0][2]'"),
    "a number as text": (_doc({"rows": [["1", 2.0, 3.0]]}), "'points.rows[0][0]'"),
    "true for a value": (_doc({"rows": [[1.0, 2.0, True]]}), "'points.rows[0][2]'"),
    "x outside the domain": (_doc({"rows": [ROW, [10.5, 0, 1]]}), "'points.rows[1][0]'"),
    "y outside the domain": (_doc({"rows": [[0, -11, 1]]}), "'points.rows[0][1]'"),
    "a huge value": (_doc({"rows": [[0, 0, MAX_POINT_VALUE * 2]]}), "'points.rows[0][2]'"),
    "too many points": (_doc({"rows": [ROW] * (MAX_POINTS + 1)}), "at most 5,000"),
    "points not an object": (_doc([ROW]), "'points' must be an object"),
    "no rows": (_doc({}), "'points.rows' is missing"),
    "rows not a list": (_doc({"rows": 3}), "'points.rows'"),
    "a row of two": (_doc({"rows": [ROW, [1.0, 2.0]]}), "'points.rows[1]' must be three"),
    "a row of four": (_doc({"rows": [[1.0, 2.0, 3.0, 4.0]]}), "'points.rows[0]' must be three"),
    "a row not a list": (_doc({"rows": [{"x": 1}]}), "'points.rows[0]'"),
    "an unknown key": (_doc({"rows": [], "colour": "red"}), "'points.colour'"),
    "a class too high": (
        _doc({"classes": ["a", "b"], "rows": [[0, 0, 1], [0, 0, 2]]}),
        "'points.rows[1][2]' must be a whole number from 0 to 1",
    ),
    "a negative class": (_doc({"classes": ["a", "b"], "rows": [[0, 0, -1]]}), "rows[0][2]"),
    "half a class": (_doc({"classes": ["a", "b"], "rows": [[0, 0, 0.5]]}), "rows[0][2]"),
    "one class": (_doc({"classes": ["a"], "rows": []}), "'points.classes' must list 2"),
    "classes not a list": (_doc({"classes": "ab", "rows": []}), "'points.classes'"),
    "a class name not text": (_doc({"classes": ["a", 2], "rows": []}), "'points.classes[1]'"),
    "an empty class name": (_doc({"classes": ["a", " "], "rows": []}), "'points.classes[1]'"),
    "a class named twice": (_doc({"classes": ["a", "a"], "rows": []}), "repeats 'a'"),
    "a control character": (_doc({"classes": ["a", "b\x1b[2J"], "rows": []}), "classes[1]"),
}


@pytest.mark.parametrize("text, words", REFUSED.values(), ids=list(REFUSED))
def test_hostile_points_are_refused_in_one_line_naming_where(text, words):
    with pytest.raises(LessonFileError) as caught:
        lesson_from_text(text, source="class.nnlesson")
    message = str(caught.value)
    assert message.startswith("class.nnlesson: ") and words in message
    assert "\n" not in message and len(message) < 300


def test_points_from_arrays_are_checked_like_a_files():
    with pytest.raises(LessonFileError, match=r"'points.rows\[1\]\[2\]'"):
        LessonPoints.of([[0, 0], [1, 1]], [0.0, np.nan])
    with pytest.raises(LessonFileError, match="3 points but 2 values"):
        LessonPoints.of([[0, 0], [1, 1], [2, 2]], [0.0, 1.0])
    with pytest.raises(LessonFileError, match="from 0 to 2"):
        LessonPoints.of([[0, 0]], [3], ("a", "b", "c"))


def test_a_lesson_too_large_to_open_again_is_not_written(tmp_path):
    history = list(np.random.default_rng(1).uniform(0, 1, 60_000))  # ~1.2 MB of losses
    big = LessonFile.from_lesson(make_lesson("article"), loss_history=history)
    path = tmp_path / "big.nnlesson"
    with pytest.raises(LessonFileError, match="at most 1,048,576"):
        save_lesson(path, big)
    assert not path.exists()


def test_the_format_pages_examples_are_lesson_files():
    page = (Path(__file__).parents[2] / "docs" / "lesson-files.md").read_text(encoding="utf-8")
    examples = re.findall(r"```json\n(.*?)```", page, re.S)
    with_points = [lesson_from_text(text).points for text in examples]
    assert len(examples) == 2 and with_points[0] is None
    assert with_points[1].classes == ("class 0", "class 1", "class 2")
    assert with_points[1].values == (0.0, 2.0, 1.0)


def test_points_may_lie_where_the_train_tab_draws_them():
    from nncore.data import CLASS_DOMAIN
    from nncore.lessonfile import POINT_DOMAIN

    assert POINT_DOMAIN == CLASS_DOMAIN
