"""Drawn points in lesson files, in the window: a lesson saved while drawn points are the Train
tab's data opens in a NEW window in Draw points mode on exactly those points (values or
classes, as drawn), its run ready to Start; a file whose points and settings disagree is
refused and changes nothing; a lesson without points ends drawing."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.train.drawn_points import MIN_POINTS
from app.train.session import DRAWN_POINTS, DataSettings
from nncore import training
from nncore.lesson import make_lesson
from nncore.lessonfile import LessonFile, LessonPoints, load_lesson, save_lesson

pytestmark = pytest.mark.filterwarnings("error")

SMALL = training.recipe("modern", sizes=(2, 8, 1), batch_size=None, epochs=3, warmup=0)


@pytest.fixture
def new_window(open_window):
    return lambda: open_window(persist=False)


def draw_from_none(train):
    panel = train.data_panel
    panel.draw_button.click()
    panel.clear_points_button.click()
    assert panel.drawing and len(panel.drawn) == 0
    return panel


def visible(widget):
    """Shown once its tab is (the window opens a lesson on the Step through tab)."""
    return widget.isVisibleTo(widget.window())


def test_drawn_values_survive_a_lesson_file_into_a_new_window(new_window, tmp_path, qtbot):
    first = new_window()
    train = first.train_tab
    first.tabs.setCurrentWidget(train)
    panel = draw_from_none(train)
    rng = np.random.default_rng(3)
    points = rng.uniform(-9.5, 9.5, size=(MIN_POINTS + 3, 2))
    for i, (x, y) in enumerate(points):
        panel.value_spin.setValue(i / 3 - 2)
        assert panel.add_point(x, y)
    train.model_panel.epochs_spin.setValue(3)
    X, values = panel.drawn.X.copy(), panel.drawn.values.copy()
    path = tmp_path / "mine.nnlesson"
    assert first.lesson_files.save_lesson_to(str(path))
    saved = load_lesson(path)
    assert saved.train["drawn_points"] is True and len(saved.points) == len(X)

    second = new_window()
    assert second.lesson_files.open_lesson_file(str(path))
    other = second.train_tab
    drawn = other.data_panel.drawn
    assert other.data_panel.drawing and other.data_panel.draw_button.isChecked()
    np.testing.assert_array_equal(drawn.X, X)  # exactly, bit for bit
    np.testing.assert_array_equal(drawn.values, values)
    assert drawn.classes is None and not drawn.can_undo
    second.tabs.setCurrentWidget(other)
    assert visible(other.data_panel.value_spin) and not visible(other.data_panel.class_combo)
    # the data are those points, ready to Start
    assert other.prepared.settings.csv_path == DRAWN_POINTS
    np.testing.assert_array_equal(other.prepared.dataset.X, X)
    np.testing.assert_array_equal(other.prepared.dataset.y[:, 0], values)
    assert other.model_panel.epochs_spin.value() == 3
    assert other.truth_view.drawing and len(other.truth_view.points.data) == len(X)
    assert other.start_button.isEnabled()
    other.start_button.click()
    qtbot.waitUntil(lambda: other.state == "finished", timeout=30_000)
    assert len(other.history) == 3


def test_drawn_classes_survive_with_their_class_choices(new_window, tmp_path):
    first = new_window()
    train = first.train_tab
    assert train.configure(DataSettings(task="classification", dataset="xor", samples=60))
    panel = train.data_panel
    panel.draw_button.click()  # from the data set's points
    panel.class_combo.setCurrentIndex(2)
    assert panel.add_point(1.25, -3.5)  # a third class
    X, values = panel.drawn.X.copy(), panel.drawn.values.copy()
    path = tmp_path / "classes.nnlesson"
    assert first.lesson_files.save_lesson_to(str(path))

    second = new_window()
    assert second.lesson_files.open_lesson_file(str(path))
    other = second.train_tab
    drawn = other.data_panel.drawn
    np.testing.assert_array_equal(drawn.X, X)
    np.testing.assert_array_equal(drawn.values, values)
    assert drawn.classes == ("class 0", "class 1", "class 2")
    combo = other.data_panel.class_combo
    assert [combo.itemText(i) for i in range(combo.count())] == list(drawn.classes)
    second.tabs.setCurrentWidget(other)
    assert visible(combo) and not visible(other.data_panel.value_spin)
    hidden_rows = (other.data_panel.dataset_combo, other.data_panel.classes_spin)
    assert not any(visible(row) for row in hidden_rows)  # no data set while drawing
    assert other.data_panel.task_combo.currentData() == "classification"
    assert other.prepared.class_names == ("class 0", "class 1", "class 2")
    assert other.model_panel.config().sizes[-1] == 3  # one output per class drawn
    assert other.start_button.isEnabled()


def test_a_lesson_with_few_points_opens_drawing_and_says_how_many_more(new_window, tmp_path):
    first = new_window()
    panel = draw_from_none(first.train_tab)
    for i in range(3):
        assert panel.add_point(i - 1.0, 2.0)
    path = tmp_path / "few.nnlesson"
    assert first.lesson_files.save_lesson_to(str(path))

    second = new_window()
    assert second.lesson_files.open_lesson_file(str(path))
    other = second.train_tab
    assert other.data_panel.drawing and len(other.data_panel.drawn) == 3
    assert f"at least {MIN_POINTS} points to train (3 so far)" in other.data_panel.message.text()
    assert not other.start_button.isEnabled()
    assert "Not as saved" not in second.step_tab.message.text()  # the panel says why
    second.tabs.setCurrentWidget(other)
    assert len(other.truth_view.points.data) == 3  # on the map, to draw more beside them
    assert other.truth_view.points.isVisible()


def test_points_without_settings_that_train_on_them_are_refused(new_window, tmp_path):
    first = new_window()
    panel = draw_from_none(first.train_tab)
    for i in range(MIN_POINTS):
        panel.add_point(i - 5.0, 1.0)
    path = tmp_path / "odd.nnlesson"
    assert first.lesson_files.save_lesson_to(str(path))
    doc = json.loads(path.read_text())
    del doc["train"]["drawn_points"]
    path.write_text(json.dumps(doc))

    second = new_window()
    before = second.train_tab.prepared.settings
    assert not second.lesson_files.open_lesson_file(str(path))
    assert "'points'" in second.lesson_files.message_box.text()
    assert "drawn_points" in second.lesson_files.message_box.text()
    assert not second.train_tab.data_panel.drawing
    assert second.train_tab.prepared.settings == before


def test_a_lesson_without_points_ends_drawing(new_window, tmp_path):
    first = new_window()
    path = tmp_path / "plain.nnlesson"
    assert first.lesson_files.save_lesson_to(str(path))
    assert "points" not in json.loads(path.read_text())
    panel = draw_from_none(first.train_tab)
    panel.add_point(0.0, 0.0)
    assert first.lesson_files.open_lesson_file(str(path))
    assert not panel.drawing and first.train_tab.prepared.function is not None


def test_opening_a_points_lesson_halts_a_run_and_draws_on_its_points(new_window, tmp_path, qtbot):
    first = new_window()
    panel = draw_from_none(first.train_tab)
    for i in range(MIN_POINTS):
        panel.value_spin.setValue(float(i))
        panel.add_point(i - 5.0, 3.0)
    path = tmp_path / "points.nnlesson"
    assert first.lesson_files.save_lesson_to(str(path))
    X = panel.drawn.X.copy()

    second = new_window()
    train = second.train_tab
    train.model_panel.epochs_spin.setValue(100_000)
    second.tabs.setCurrentWidget(train)
    train.start()
    qtbot.waitUntil(lambda: train.state == "running", timeout=5000)
    assert second.lesson_files.open_lesson_file(str(path))
    assert train.state == "fresh" and train.data_panel.drawing
    np.testing.assert_array_equal(train.prepared.dataset.X, X)
    assert train.run is not None and not train.run.done  # a fresh run on the points


def test_a_hand_written_points_lesson_takes_its_task_from_the_points(new_window, tmp_path):
    rng = np.random.default_rng(5)
    X = rng.uniform(-9, 9, size=(12, 2))
    points = LessonPoints.of(X, np.arange(12) % 2, ("red", "blue"))
    lesson = LessonFile.from_lesson(
        make_lesson("article"), preset="article", train={"drawn_points": True}, points=points
    )
    path = tmp_path / "hand.nnlesson"
    save_lesson(path, lesson)

    win = new_window()
    assert win.lesson_files.open_lesson_file(str(path))
    panel = win.train_tab.data_panel
    assert panel.task_combo.currentData() == "classification"  # no "task": the points say
    assert [panel.class_combo.itemText(i) for i in range(panel.class_combo.count())] == [
        "red",
        "blue",
    ]
    assert win.train_tab.prepared.class_names == ("red", "blue")
    np.testing.assert_array_equal(win.train_tab.prepared.dataset.X, X)
