"""Your own points in the Train tab: clicks on the first map add points, a right-drag erases,
Undo takes back, Start waits for enough points, the run trains on exactly those points, and
Save points as CSV / Load CSV bring them back."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from app.train.drawn_points import MIN_POINTS
from app.train.session import DRAWN_POINTS, DataSettings
from app.train.views import DRAWING_TITLE, LOCKED_DRAWING_TITLE
from nncore import training

pytestmark = pytest.mark.filterwarnings("error")

SMALL = training.recipe("modern", sizes=(2, 8, 1), batch_size=None, epochs=3, warmup=0)


def shown_tab(tab, qtbot, data: DataSettings | None = None):
    tab.resize(1300, 850)
    tab.show()
    qtbot.waitExposed(tab)
    if data is not None:
        assert tab.configure(data)
    return tab


def drawing_from_none(tab):
    tab.data_panel.draw_button.click()
    tab.data_panel.clear_points_button.click()
    assert tab.data_panel.drawing and len(tab.data_panel.drawn) == 0


def click_map(tab, qtbot, x, y, button=Qt.MouseButton.LeftButton):
    view = tab.truth_view
    qtbot.mouseClick(view.viewport(), button, pos=view.widget_position(x, y))


def mouse(view, kind, x, y, button, buttons):
    pos = QPointF(view.widget_position(x, y))
    event = QMouseEvent(
        kind, pos, view.viewport().mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(view.viewport(), event)


def right_drag(tab, path):
    view, right, none = tab.truth_view, Qt.MouseButton.RightButton, Qt.MouseButton.NoButton
    (x0, y0), rest = path[0], path[1:]
    mouse(view, QEvent.Type.MouseButtonPress, x0, y0, right, right)
    for x, y in rest:
        mouse(view, QEvent.Type.MouseMove, x, y, none, right)
    x1, y1 = path[-1]
    mouse(view, QEvent.Type.MouseButtonRelease, x1, y1, right, none)


def test_clicks_add_points_where_clicked_with_the_value_typed(tab, qtbot):
    shown_tab(tab, qtbot)
    drawing_from_none(tab)
    assert tab.truth_view.drawing
    tab.data_panel.value_spin.setValue(2.5)
    click_map(tab, qtbot, 3.0, -4.0)
    tab.data_panel.value_spin.setValue(-7.0)
    click_map(tab, qtbot, -8.0, 6.5)
    drawn = tab.data_panel.drawn
    np.testing.assert_allclose(drawn.X, [[3.0, -4.0], [-8.0, 6.5]], atol=0.15)
    np.testing.assert_array_equal(drawn.values, [2.5, -7.0])
    assert tab.truth_view.points.isVisible() and len(tab.truth_view.points.data) == 2


def test_class_points_take_the_class_picked(tab, qtbot):
    shown_tab(tab, qtbot, DataSettings(task="classification", dataset="xor", samples=100))
    tab.data_panel.draw_button.click()
    drawn = tab.data_panel.drawn
    assert len(drawn) == 100  # it starts from the data set's points, to edit them
    combo = tab.data_panel.class_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["class 0", "class 1", "class 2"]
    assert not combo.itemIcon(2).isNull()  # the class's colour and shape
    combo.setCurrentIndex(2)
    click_map(tab, qtbot, 1.0, 1.0)
    assert drawn.labels()[-1] == 2
    np.testing.assert_allclose(drawn.X[-1], [1.0, 1.0], atol=0.15)
    assert tab.prepared.class_names == ("class 0", "class 1", "class 2")
    assert tab.model_panel.config().sizes[-1] == 3  # one output for the new class
    assert len(tab.prepared.dataset) == 101


def test_a_right_drag_erases_the_points_under_it_and_undo_brings_them_back(tab, qtbot):
    shown_tab(tab, qtbot)
    drawing_from_none(tab)
    for x in (-6.0, -3.0, 0.0, 3.0, 6.0):
        click_map(tab, qtbot, x, 2.0)
    click_map(tab, qtbot, 0.0, -6.0)
    before = tab.data_panel.drawn.X.copy()
    right_drag(tab, [(-3.0, 2.0), (-1.5, 2.0), (0.0, 2.0)])  # over two points
    after = tab.data_panel.drawn.X
    assert len(after) == 4
    assert not (np.abs(after - [0.0, 2.0]).sum(axis=1) < 0.5).any()
    assert not tab.truth_view.drawing or tab.truth_view._erasing is False
    assert tab.data_panel.undo_button.isEnabled()
    tab.data_panel.undo_button.click()  # the whole drag is one step
    np.testing.assert_array_equal(tab.data_panel.drawn.X, before)
    tab.data_panel.undo_button.click()
    assert len(tab.data_panel.drawn) == 5


def test_start_waits_for_enough_points_and_says_why(tab, qtbot):
    shown_tab(tab, qtbot)
    drawing_from_none(tab)
    for i in range(MIN_POINTS - 1):
        tab.data_panel.add_point(i - 5.0, 0.0)
    assert not tab.start_button.isEnabled()
    assert f"at least {MIN_POINTS} points" in tab.status_label.text()
    assert f"({MIN_POINTS - 1} so far)" in tab.data_panel.message.text()
    tab.data_panel.add_point(5.0, 5.0)
    assert tab.start_button.isEnabled()
    assert tab.prepared.settings.csv_path == DRAWN_POINTS


def test_the_run_trains_on_exactly_the_drawn_points_and_drawing_is_locked_meanwhile(tab, qtbot):
    shown_tab(tab, qtbot)
    drawing_from_none(tab)
    tab.data_panel.val_spin.setValue(0)
    rng = np.random.default_rng(0)
    points = rng.uniform(-9, 9, size=(12, 2))
    for i, (x, y) in enumerate(points):
        tab.data_panel.value_spin.setValue(float(i))
        tab.data_panel.add_point(x, y)
    assert tab.configure(config=SMALL)
    assert tab.data_panel.drawing  # a model change keeps the drawn data
    np.testing.assert_array_equal(tab.prepared.train.X, points)
    np.testing.assert_array_equal(tab.prepared.train.y[:, 0], np.arange(12.0))
    assert tab.prepared.val is None
    np.testing.assert_allclose(tab.run._X, tab.run.normaliser.transform_x(points))
    tab.start_button.click()
    assert tab.state.live and not tab.truth_view.drawing  # no drawing while live
    assert tab.truth_view._title == LOCKED_DRAWING_TITLE  # and the map does not invite clicks
    qtbot.waitUntil(lambda: tab.state == "finished", timeout=30_000)
    assert tab.truth_view.drawing and len(tab.history) == 3
    assert tab.truth_view._title == DRAWING_TITLE


def test_save_then_load_brings_the_same_points_back(tab, qtbot, tmp_path):
    shown_tab(tab, qtbot)
    drawing_from_none(tab)
    for i in range(MIN_POINTS + 2):
        tab.data_panel.value_spin.setValue(i / 4)
        tab.data_panel.add_point(i - 6.0, 0.5 * i - 3.0)
    drawn = tab.data_panel.drawn
    X, values = drawn.X.copy(), drawn.values.copy()
    path = tmp_path / "mine.csv"
    assert tab.data_panel.save_points(str(path))
    assert "Saved 12 points" in tab.data_panel.message.text()
    tab.data_panel.draw_button.click()  # back to the function
    assert not tab.data_panel.drawing and tab.prepared.function is not None
    assert tab.data_panel.load_csv(str(path))
    qtbot.waitUntil(lambda: tab.prepared.function is None)
    np.testing.assert_array_equal(tab.prepared.dataset.X, X)
    np.testing.assert_array_equal(tab.prepared.dataset.y[:, 0], values)
    tab.data_panel.draw_button.click()  # edit them again
    np.testing.assert_array_equal(tab.data_panel.drawn.X, X)


def test_loading_a_csv_while_drawing_brings_its_points_in_to_edit(tab, qtbot, tmp_path):
    shown_tab(tab, qtbot)
    drawing_from_none(tab)
    path = tmp_path / "in.csv"
    rows = "\n".join(f"{i - 5},{i / 2 - 2},{i}" for i in range(11))
    path.write_text("x,y,z\n" + rows + "\n")
    assert tab.data_panel.load_csv(str(path))
    assert tab.data_panel.drawing and len(tab.data_panel.drawn) == 11
    tab.data_panel.undo_button.click()
    assert len(tab.data_panel.drawn) == 0


def test_settings_from_elsewhere_end_drawing(tab, qtbot):
    shown_tab(tab, qtbot)
    tab.data_panel.draw_button.click()
    assert tab.configure(DataSettings(function="saddle", samples=100))
    assert not tab.data_panel.drawing and not tab.truth_view.drawing
    assert tab.prepared.function is not None


def test_too_few_points_leave_no_earlier_prediction_on_show(tab, qtbot):
    """A trained run's prediction must not stay beside points it was never trained on."""
    shown_tab(tab, qtbot)
    tab.configure(config=SMALL)
    tab.run_synchronously(SMALL.epochs)
    assert tab.state == "finished" and tab.prediction_view.values() is not None
    drawing_from_none(tab)
    tab.data_panel.add_point(1.0, 2.0)
    assert tab.prediction_view.values() is None and tab.error_view.values() is None
    # a snapshot of the earlier run arriving late (the training process answers when it
    # can) is not drawn on the new data either
    arrived = []
    tab.worker.snapshot.connect(arrived.append, Qt.ConnectionType.QueuedConnection)
    tab._publish.emit(tab.run_id)
    qtbot.waitUntil(lambda: len(arrived) > 0, timeout=30_000)  # after the tab's own handler
    assert tab.prediction_view.values() is None and tab.error_view.values() is None
    for i in range(MIN_POINTS):  # enough points: a new run, drawn as usual
        tab.data_panel.add_point(i - 5.0, 1.0)
    qtbot.waitUntil(lambda: tab.prediction_view.values() is not None, timeout=30_000)
