"""The Step tab's keys wherever the focus is, one action per press, and Play across iterations.

Issue 10: at first launch the focus sat on the window's tab bar (Space did nothing, → changed
tabs); a clicked button took Space for itself; the granularity list reopened on Space; the
inspector and message line kept stale words; Play stopped at the end of each iteration.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from app.step.tab import RUN_FEW, RUN_MANY, SPEEDS, StepThroughTab

NO_ANIMATION = len(SPEEDS) - 1


@pytest.fixture
def window(qtbot):
    """The tab inside a QTabWidget, as in the main window (the tab bar can take the focus)."""
    tabs = QTabWidget()
    step = StepThroughTab()
    tabs.addTab(step, "Step through")
    tabs.addTab(QWidget(), "Train")
    qtbot.addWidget(tabs)
    tabs.resize(1200, 780)
    tabs.show()
    qtbot.waitExposed(tabs)
    tabs.activateWindow()
    step.speed_box.setCurrentIndex(NO_ANIMATION)
    yield tabs, step
    step.shutdown()


def _focused(tabs):
    return QApplication.focusWidget() or tabs


def test_step_keys_work_with_the_focus_on_the_tab_bar_slider_or_a_list(window, qtbot):
    tabs, step = window
    tabs.tabBar().setFocus()
    qtbot.keyClick(tabs.tabBar(), Qt.Key_Right)
    assert step.position == 1 and tabs.currentIndex() == 0  # a step, not the Train tab
    qtbot.keyClick(tabs.tabBar(), Qt.Key_Space)
    assert step.position == 2
    step.slider.setFocus()
    qtbot.keyClick(step.slider, Qt.Key_Right)
    assert step.position == 3
    step.granularity_box.setFocus()
    qtbot.keyClick(step.granularity_box, Qt.Key_Left)
    assert step.position == 2 and step.granularity == "operation"


def test_keys_typed_into_a_text_field_stay_text(window, qtbot):
    _tabs, step = window
    step.inputs_edit.setFocus()
    step.inputs_edit.setText("1")
    qtbot.keyClicks(step.inputs_edit, " pnr")
    qtbot.keyClick(step.inputs_edit, Qt.Key_Left)
    assert step.inputs_edit.text() == "1 pnr"
    assert step.position == 0 and step.lesson.iteration == 1 and not step.is_playing()


def test_after_clicking_back_one_space_is_one_step_forward(window, qtbot):
    tabs, step = window
    step.go_to(5)
    qtbot.mouseClick(step.back_button, Qt.LeftButton)
    assert step.position == 4
    qtbot.keyClick(_focused(tabs), Qt.Key_Space)
    assert step.position == 5


def test_after_clicking_next_iteration_space_steps_in_the_new_iteration(window, qtbot):
    tabs, step = window
    step.go_end()
    qtbot.mouseClick(step.next_button, Qt.LeftButton)
    assert step.lesson.iteration == 2 and step.position == 0
    qtbot.keyClick(_focused(tabs), Qt.Key_Space)
    assert step.lesson.iteration == 2 and step.position == 1


def test_space_pauses_play_started_with_a_click(window, qtbot):
    tabs, step = window
    step.view.set_duration(30)
    qtbot.mouseClick(step.play_button, Qt.LeftButton)
    assert step.is_playing()
    qtbot.keyClick(_focused(tabs), Qt.Key_Space)
    assert not step.is_playing() and not step._play_timer.isActive()


def test_a_held_key_acts_once(window, qtbot):
    _tabs, step = window
    step.view.setFocus()
    qtbot.keyPress(step.view, Qt.Key_Space)
    for _ in range(3):  # what the system sends while the key is held
        repeat = QKeyEvent(QEvent.KeyPress, Qt.Key_Space, Qt.NoModifier, " ", True)
        QApplication.sendEvent(step.view, repeat)
    qtbot.keyRelease(step.view, Qt.Key_Space)
    assert step.position == 1


def test_space_after_choosing_a_granularity_steps_and_does_not_reopen_the_list(window, qtbot):
    tabs, step = window
    box = step.granularity_box
    qtbot.mouseClick(box, Qt.LeftButton)
    qtbot.waitUntil(lambda: box.view().isVisible())
    box.setCurrentIndex(box.findData("neuron"))
    box.hidePopup()
    assert step.granularity == "neuron"
    qtbot.keyClick(_focused(tabs), Qt.Key_Space)
    assert not box.view().isVisible()
    assert step.position == step.lesson.next_index(0, "neuron") > 1


def test_a_new_lesson_clears_the_inspector(window):
    _tabs, step = window
    step.inspect(("edge", 0, 1, 1))
    assert "h₂" in step.inspector.details.text()
    step.load_preset("perceptron")
    assert step.selected is None
    assert "h₂" not in step.inspector.details.text()
    assert step.inspector.details.text().startswith("Click a neuron")


def test_the_completion_message_leaves_with_the_end_of_the_iteration(window):
    _tabs, step = window
    step.go_end()
    assert "complete" in step.message.text()
    step.go_home()
    assert "complete" not in step.message.text()
    step.go_end()
    step.step_back()
    assert "complete" not in step.message.text()


def test_news_of_an_action_gives_way_to_the_lessons_words_on_the_next_move(window):
    _tabs, step = window
    description = step.message.text()
    assert description  # the article lesson says what it is
    for act in (step.reset, step.next_iteration, lambda: step.run_iterations(3)):
        act()
        assert step.message.text() != description  # "Reset: …", "Iteration 2: …", "Ran 3 …"
        step.step_forward()
        assert step.message.text() == description, act


def test_an_error_stays_until_the_next_message(window):
    _tabs, step = window
    step.settings.inputs_edit.setText("1, oops")
    step.apply_settings()
    refused = step.message.text()
    assert refused.startswith("Not applied:")
    step.step_forward()
    step.step_forward()
    assert step.message.text() == refused


def test_play_goes_on_into_the_next_iterations_until_paused(window, qtbot):
    _tabs, step = window
    step.set_granularity("phase")
    step.set_playing(True)
    qtbot.waitUntil(lambda: step.lesson.iteration >= 3, timeout=20_000)
    assert step.is_playing()
    assert len(step.loss_chart.values) >= 3  # one point per iteration, growing
    step.set_playing(False)
    assert not step._play_timer.isActive()


def test_play_at_the_end_takes_the_next_iteration(window):
    _tabs, step = window
    step.go_end()
    step.set_playing(True)
    assert step.lesson.iteration == 2 and step.is_playing()
    step.set_playing(False)


@pytest.mark.parametrize(
    ("count", "modifiers"),
    [(RUN_FEW, Qt.ShiftModifier), (RUN_MANY, Qt.ShiftModifier | Qt.ControlModifier)],
)
def test_run_many_iterations_with_the_engine(window, qtbot, count, modifiers):
    tabs, step = window
    reference = step.lesson
    for _ in range(count):
        reference = reference.next_iteration()
    qtbot.keyClick(_focused(tabs), Qt.Key_N, modifiers)
    assert step.lesson.iteration == count + 1
    assert step.lesson.loss_before == pytest.approx(reference.loss_before)
    assert len(step.loss_chart.values) == count + 1 or step.position == 0
    assert f"Ran {count} iterations" in step.message.text()
    assert any(f"Run {count} iterations" in what for _, what in step.shortcuts())
    button = step.run_few_button if count == RUN_FEW else step.run_many_button
    assert ("Shift+N" if count == RUN_FEW else "Ctrl+Shift+N") in button.toolTip()


def test_running_into_an_overflow_stops_with_the_engines_words(window):
    _tabs, step = window
    step.lr_edit.setText("10")
    step.inputs_edit.setText("900, -900")
    step.apply_settings()
    for _ in range(5):
        before = step.lesson.iteration
        step.run_iterations(RUN_MANY)
        if step.lesson.iteration < before + RUN_MANY:
            break
    assert "too large" in step.message.text() and "Reset" in step.message.text()
    assert step.lesson.iteration < before + RUN_MANY


@pytest.mark.parametrize(
    ("box", "typed", "limits"),
    [("hidden", "100", "from 1 to"), ("inputs", "0", "from 1 to")],
)
def test_a_custom_count_out_of_range_is_refused_with_its_limits(window, qtbot, box, typed, limits):
    _, step = window
    step.load_preset("custom")
    built = step.lesson.network.sizes
    field = step.editor.hidden_sizes[0] if box == "hidden" else step.editor.inputs
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, typed)
    assert step.editor.limits.isVisible()
    assert limits in step.editor.limits.text() and typed in step.editor.limits.text()
    qtbot.mouseClick(step.editor.build, Qt.LeftButton)
    assert step.message.text().startswith("Not built:") and limits in step.message.text()
    assert step.lesson.network.sizes == built  # nothing clamped and built behind the words


def test_a_count_put_back_by_qt_still_says_why(window, qtbot):
    _, step = window
    step.load_preset("custom")
    field = step.editor.hidden_sizes[0]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "100")
    qtbot.keyClick(field, Qt.Key_Return)  # Qt puts the last good value back
    assert field.problem() is None
    assert "100 is not possible" in step.editor.limits.text()
    assert "It stays" in step.editor.limits.text() and step.editor.limits.isVisible()


def test_a_count_field_is_wide_enough_to_show_an_out_of_range_number_whole(window, qtbot):
    _, step = window
    step.load_preset("custom")
    field = step.editor.hidden_sizes[0]  # limits 1 to 6: Qt alone sizes it for one digit
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "100")
    edit = field.lineEdit()
    shown = edit.fontMetrics().horizontalAdvance(edit.text())
    assert edit.text() == "100"
    assert edit.width() >= shown  # all three digits visible, not "00"


def test_the_keys_listen_to_the_application_only_while_the_tab_is_on_screen(window, qtbot):
    tabs, step = window
    assert step.keys.listening
    tabs.setCurrentIndex(1)  # the Train tab: the Step tab is hidden
    assert not step.keys.listening
    tabs.setCurrentIndex(0)
    assert step.keys.listening
    qtbot.keyClick(_focused(tabs), Qt.Key_Space)
    assert step.position == 1  # still acting on its keys after coming back
    tabs.close()
    assert not step.keys.listening  # a closed window costs the application nothing
