"""DrawnPoints (no Qt): adding, erasing under a brush, undo, and the data set it makes."""

import numpy as np
import pytest

from app.train.drawn_points import MAX_POINTS, MIN_POINTS, DrawnPoints, class_choices
from nncore import data as nndata
from nncore.errors import SettingsError
from nncore.lessonfile import MAX_POINTS as LESSON_MAX_POINTS


def test_add_keeps_coordinates_and_value():
    points = DrawnPoints.empty()
    points.add(1.5, -2.25, 3.0)
    points.add(-9.0, 9.5, -1.0)
    np.testing.assert_array_equal(points.X, [[1.5, -2.25], [-9.0, 9.5]])
    np.testing.assert_array_equal(points.values, [3.0, -1.0])


def test_points_outside_the_domain_and_unknown_classes_are_refused():
    points = DrawnPoints.empty(classes=("a", "b", "c"))
    with pytest.raises(SettingsError):
        points.add(10.5, 0.0, 0)
    with pytest.raises(SettingsError):
        points.add(0.0, 0.0, 3)
    assert len(points) == 0 and not points.can_undo


def test_erase_removes_only_the_points_under_the_brush_and_undo_brings_them_back():
    points = DrawnPoints.empty()
    for x in (0.0, 0.5, 3.0):
        points.add(x, 0.0, x)
    before = points.X.copy()
    assert points.erase_near(0.2, 0.0, radius=0.6) == 2
    np.testing.assert_array_equal(points.X, [[3.0, 0.0]])
    assert points.undo()
    np.testing.assert_array_equal(points.X, before)
    np.testing.assert_array_equal(points.values, [0.0, 0.5, 3.0])


def test_an_erase_drag_is_one_undo_step():
    points = DrawnPoints.empty()
    for x in range(5):
        points.add(float(x), 0.0, 1.0)
    points.begin_erase()
    for x in range(5):  # the brush passes over every point, one move at a time
        points.erase_near(float(x), 0.0, radius=0.3)
    points.end_erase()
    assert len(points) == 0
    points.undo()
    assert len(points) == 5  # all of them, not just the last one erased


def test_undo_takes_back_adds_one_by_one_and_then_stops():
    points = DrawnPoints.empty()
    points.add(1.0, 1.0, 1.0)
    points.add(2.0, 2.0, 2.0)
    assert points.undo() and len(points) == 1
    assert points.undo() and len(points) == 0
    assert not points.undo()


def test_too_few_points_or_one_class_is_a_worded_problem():
    points = DrawnPoints.empty(classes=("class 0", "class 1", "class 2"))
    for i in range(MIN_POINTS - 1):
        points.add(float(i) - 5, 0.0, 0)
    assert f"at least {MIN_POINTS} points" in points.problem()
    points.add(5.0, 5.0, 0)
    assert "two classes" in points.problem()
    points.add(5.0, -5.0, 1)
    assert points.problem() is None


def test_the_data_set_holds_exactly_the_points_and_the_classes_drawn():
    points = DrawnPoints.empty(classes=class_choices(("class 0", "class 1")))
    assert points.classes == ("class 0", "class 1", "class 2")
    points.add(1.0, 2.0, 0)
    points.add(-1.0, -2.0, 1)
    data = points.dataset()
    assert data.classes == ("class 0", "class 1")  # no output for a class never drawn
    np.testing.assert_array_equal(data.X, [[1.0, 2.0], [-1.0, -2.0]])
    np.testing.assert_array_equal(data.labels, [0, 1])
    points.add(0.0, 0.0, 2)
    assert points.dataset().classes == ("class 0", "class 1", "class 2")


def test_from_dataset_takes_the_points_inside_the_domain_and_thins_a_large_set():
    spiral = nndata.classification("spiral", n=200, seed=1)
    points = DrawnPoints.from_dataset(spiral)
    assert len(points) == 200 and points.classes[:2] == spiral.classes
    big = nndata.sample_uniform("article", MAX_POINTS + 10, seed=0)
    assert len(DrawnPoints.from_dataset(big)) == MAX_POINTS
    outside = nndata.Dataset([[0.0, 0.0], [20.0, 0.0]], [1.0, 2.0])
    np.testing.assert_array_equal(DrawnPoints.from_dataset(outside).values, [1.0])


def test_replace_clears_and_is_undoable():
    points = DrawnPoints.empty()
    points.add(1.0, 1.0, 1.0)
    points.replace(np.empty((0, 2)), [])
    assert len(points) == 0
    points.undo()
    assert len(points) == 1


def test_value_range_is_never_empty():
    points = DrawnPoints.empty()
    assert points.value_range() == (0.0, 1.0)
    points.add(0.0, 0.0, 4.0)
    assert points.value_range() == (3.0, 5.0)


def test_the_module_loads_no_qt():
    import subprocess
    import sys

    code = (
        "import sys, app.train.drawn_points; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_lesson_file_holds_as_many_points_as_can_be_drawn():
    assert MAX_POINTS == LESSON_MAX_POINTS
