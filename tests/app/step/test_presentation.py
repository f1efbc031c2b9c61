"""Presentation mode (F5 in the Step tab): full screen, large text, side panels folded; Esc
leaves and everything comes back as it was; the Train tab's F5 stays the Train tab's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app import open_settings
from app.main_window import KEY_TEXT_SCALE
from app.step.presentation import PRESENTATION_SCALE


@pytest.fixture
def window(open_window):
    win = open_window()
    win.tabs.setCurrentWidget(win.step_tab)
    win.step_tab.view.setFocus()
    yield win
    win.set_presentation(False)
    win.shutdown_tabs()


def _key(qtbot, key):
    qtbot.keyClick(QApplication.focusWidget() or QApplication.activeWindow(), key)


def _layout(win):
    step = win.step_tab
    return {
        "side": [w.isVisibleTo(step) for w in (step.side.inspector, step.side.loss_chart)],
        "timeline": step.side.timeline.isVisibleTo(step),
        "settings": step.settings.isVisibleTo(step),
        "tab bar": win.tabs.tabBar().isVisibleTo(win),
        "status bar": win.statusBar().isVisibleTo(win),
        "scale": win.text_scale,
        "full screen": win.isFullScreen(),
        "sizes": step.splitter.sizes(),
    }


def test_f5_enters_and_esc_restores_everything(window, qtbot):
    step = window.step_tab
    window.set_text_scale(1.25)
    step.step_forward()
    before = _layout(window)
    focus_before = QApplication.focusWidget()
    formula_points = step.explanation.formula.font().pointSizeF()
    assert before["side"] == [True, True] and not before["full screen"]

    _key(qtbot, Qt.Key_F5)
    assert window.presentation.active and step.presenting
    assert window.windowState() & Qt.WindowFullScreen  # full screen requested
    assert window.text_scale >= PRESENTATION_SCALE
    assert not step.side.inspector.isVisibleTo(step)
    assert not step.side.loss_chart.isVisibleTo(step)
    assert not step.side.timeline.isVisibleTo(step)
    assert not window.tabs.tabBar().isVisibleTo(window)
    # The drawing and the current step's arithmetic stay.
    assert step.view.isVisibleTo(step) and step.explanation.isVisibleTo(step)
    assert step.explanation.formula.text()
    # The arithmetic grows more than the text around it (1.9 × the font instead of 1.25 ×).
    grown = window.text_scale / 1.25 * 1.9 / 1.25
    assert step.explanation.formula.font().pointSizeF() == pytest.approx(formula_points * grown)
    assert window.action_presentation.isChecked()
    # The bigger text is not saved as the user's choice.
    assert float(open_settings().value(KEY_TEXT_SCALE)) == 1.25

    _key(qtbot, Qt.Key_Space)  # the lesson goes on while presenting
    assert step.position == 2

    _key(qtbot, Qt.Key_Escape)
    assert not window.presentation.active and not step.presenting
    assert _layout(window) == before
    assert step.explanation.formula.font().pointSizeF() == pytest.approx(formula_points)
    assert QApplication.focusWidget() is focus_before
    assert not window.action_presentation.isChecked()
    assert not window.action_full_screen.isChecked()


def test_f5_toggles_and_the_menu_action_does_the_same(window, qtbot):
    _key(qtbot, Qt.Key_F5)
    assert window.presentation.active
    _key(qtbot, Qt.Key_F5)
    assert not window.presentation.active
    window.action_presentation.trigger()
    assert window.presentation.active
    window.action_presentation.trigger()
    assert not window.presentation.active and window.text_scale == 1.0


def test_the_menu_action_from_the_train_tab_switches_to_step_through(window):
    window.tabs.setCurrentWidget(window.train_tab)
    window.action_presentation.trigger()
    assert window.tabs.currentWidget() is window.step_tab and window.presentation.active
    window.tabs.setCurrentWidget(window.train_tab)  # Ctrl+2: the Train tab's normal window
    assert not window.presentation.active and window.tabs.tabBar().isVisibleTo(window)


def test_esc_first_reveals_an_open_predict_question_then_leaves(window, qtbot):
    step = window.step_tab
    step.predict.set_active(True)
    window.set_presentation(True)
    qtbot.keyClick(step.view, " ")
    assert step.predict.current is not None
    qtbot.keyClick(step.predict.box.edit, Qt.Key_Escape)
    assert step.predict.current is None and window.presentation.active
    step.view.skip_animation()
    _key(qtbot, Qt.Key_Escape)
    assert not window.presentation.active


def test_f5_in_the_train_tab_is_not_taken_by_presentation_mode(window, qtbot, monkeypatch):
    started = []
    monkeypatch.setattr(window.train_tab, "start", lambda: started.append(True))
    window.tabs.setCurrentWidget(window.train_tab)
    window.train_tab.setFocus()
    _key(qtbot, Qt.Key_F5)
    assert started == [True]  # the Train tab's F5 still starts training
    assert not window.presentation.active
    assert window.tabs.currentWidget() is window.train_tab


def test_the_shortcut_list_names_f5_and_esc(window):
    step_keys = dict(window.step_tab.shortcuts())
    assert "Presentation" in step_keys["F5"]
    assert "presentation" in step_keys["Escape"]
    assert "F5" in window.action_presentation.toolTip()
    assert "Esc" in window.action_presentation.toolTip()
