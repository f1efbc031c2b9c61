"""Zoom for a projector: the text-size steps (no Qt), and the window applying them."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app import zoom
from app.main_window import KEY_TEXT_SCALE, MainWindow, base_font

# ----------------------------------------------------------------- app.zoom (no Qt)


def test_steps_go_by_quarters_and_stop_at_the_bounds():
    assert zoom.larger(1.0) == 1.25
    assert zoom.larger(1.1) == 1.25  # an odd size snaps to the next step
    assert zoom.smaller(1.25) == 1.0
    assert zoom.smaller(1.1) == 1.0
    assert zoom.larger(zoom.MAX_SCALE) == zoom.MAX_SCALE
    assert zoom.smaller(zoom.MIN_SCALE) == zoom.MIN_SCALE
    assert zoom.clamp_scale(10) == zoom.MAX_SCALE and zoom.clamp_scale(0) == zoom.MIN_SCALE


def test_pressing_larger_from_normal_reaches_the_maximum_in_eight_steps():
    scale, presses = 1.0, 0
    while scale < zoom.MAX_SCALE:
        scale, presses = zoom.larger(scale), presses + 1
    assert presses == 8


@pytest.mark.parametrize(
    ("stored", "scale"),
    [("1.5", 1.5), (2, 2.0), ("junk", 1.0), (None, 1.0), ("nan", 1.0), ("99", zoom.MAX_SCALE)],
)
def test_a_saved_setting_is_read_safely(stored, scale):
    assert zoom.scale_from_setting(stored) == scale


def test_percent_label():
    assert zoom.percent_label(1.5) == "150 %"


# ----------------------------------------------------------------- the window


@pytest.fixture
def window(open_window):
    win = open_window()
    yield win
    win.set_text_scale(1.0, announce=False)  # the next test starts at the normal size


def point_size() -> float:
    return QApplication.font().pointSizeF()


def test_larger_scales_the_application_the_panels_and_the_drawing(window):
    normal = base_font().pointSizeF()
    formula = window.step_tab.explanation.formula.font().pointSizeF()
    drawing = window.step_tab.view.drawing.fonts.value.pointSizeF()
    window.action_larger.trigger()
    assert window.text_scale == 1.25
    assert point_size() == pytest.approx(normal * 1.25)
    assert window.step_tab.explanation.formula.font().pointSizeF() == pytest.approx(formula * 1.25)
    assert window.step_tab.view.drawing.fonts.value.pointSizeF() == pytest.approx(drawing * 1.25)
    assert window.statusBar().currentMessage() == "Text size 125 %"
    window.action_normal_size.trigger()
    assert point_size() == pytest.approx(normal)


def test_fixed_sizes_are_checked_and_bounded(window):
    window.text_size_actions[2.0].trigger()
    assert window.text_scale == 2.0 and window.text_size_actions[2.0].isChecked()
    for _ in range(20):
        if window.action_larger.isEnabled():
            window.action_larger.trigger()
    assert window.text_scale == zoom.MAX_SCALE
    assert not window.action_larger.isEnabled()
    for _ in range(20):
        if window.action_smaller.isEnabled():
            window.action_smaller.trigger()
    assert window.text_scale == zoom.MIN_SCALE
    assert point_size() == pytest.approx(base_font().pointSizeF() * zoom.MIN_SCALE)


def test_the_text_size_is_remembered_in_a_new_window(qtbot, window, isolated_settings):
    window.text_size_actions[1.5].trigger()
    window.close()
    from app import open_settings

    assert float(open_settings().value(KEY_TEXT_SCALE)) == 1.5
    QApplication.setFont(base_font())  # as a fresh start would have it
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.text_scale == 1.5
    assert point_size() == pytest.approx(base_font().pointSizeF() * 1.5)
    assert again.text_size_actions[1.5].isChecked()
    again.set_text_scale(1.0, announce=False)


def test_the_menu_and_the_shortcut_list_name_the_keys(window):
    entries = [a.text().replace("&", "") for a in window.text_size_menu.actions()]
    assert entries[:3] == ["Larger", "Smaller", "Reset"]
    assert [e for e in entries[3:] if e] == ["100 %", "125 %", "150 %", "200 %"]
    listed = dict(window.shortcuts())
    assert "Ctrl+= or Ctrl++" in listed and "Ctrl+0" in listed and "Ctrl+Shift+S" in listed
    assert "Ctrl+=" in window.action_larger.toolTip()


@pytest.mark.parametrize(("text", "scale"), [("150", 1.5), ("125%", 1.25), (" 75 ", 0.75)])
def test_a_percentage_from_the_command_line(text, scale):
    assert zoom.scale_from_percent(text) == scale


@pytest.mark.parametrize("text", ["50", "301", "big", "nan", ""])
def test_a_bad_percentage_is_refused_not_clamped(text):
    with pytest.raises(ValueError):
        zoom.scale_from_percent(text)


def test_screenshot_option_text_size(tmp_path, capsys):
    from app.main import build_parser

    assert build_parser().parse_args(["--text-size", "150"]).text_size == 1.5
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--text-size", "1000"])
    assert "out of range" in capsys.readouterr().err
