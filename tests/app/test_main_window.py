"""Tests of the main window shell: tabs, menus, shortcuts, theme, dialogs, settings, closing."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QSize, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QAction, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QMenu

import app
from app.main import main
from app.main_window import MainWindow
from app.step.tab import StepThroughTab
from app.theme import THEMES, colors, palette_colors, theme
from app.train.tab import TrainTab


@pytest.fixture
def window(open_window):
    win = open_window()
    return win


def menu_titles(win):
    return [action.text().replace("&", "") for action in win.menuBar().actions()]


def menu_entries(win, title):
    for action in win.menuBar().actions():
        if action.text().replace("&", "") == title:
            menu = action.menu()
            assert isinstance(menu, QMenu)
            return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    raise AssertionError(f"no menu {title!r}; menus are {menu_titles(win)}")


def keys(action):
    return [seq.toString(QKeySequence.SequenceFormat.PortableText) for seq in action.shortcuts()]


# ----------------------------------------------------------------- structure


def test_window_has_title_icon_and_both_tabs(window):
    assert window.tabs.count() == 2
    assert [window.tabs.tabText(i) for i in range(2)] == ["Step through", "Train"]
    assert isinstance(window.step_tab, StepThroughTab)
    assert isinstance(window.train_tab, TrainTab)
    assert window.tabs.widget(0) is window.step_tab
    assert window.tabs.widget(1) is window.train_tab
    assert "nn-tutor" in window.windowTitle()
    assert not window.windowIcon().isNull()
    assert not window.windowIcon().pixmap(64, 64).toImage().isNull()


def test_title_names_the_current_tab(window):
    window.tabs.setCurrentIndex(1)
    assert window.windowTitle() == "Train — nn-tutor"
    window.tabs.setCurrentIndex(0)
    assert window.windowTitle() == "Step through — nn-tutor"


def test_menus_and_their_entries(window):
    assert menu_titles(window) == ["File", "View", "Help"]
    assert menu_entries(window, "File") == [
        "Open lesson…",
        "Open recent",
        "Save lesson…",
        "Lesson title and locks…",
        "Open weights…",
        "Export weights…",
        "Save picture…",
        "Export hand-out…",
        "Quit",
    ]
    assert "Text size" in menu_entries(window, "View")
    assert menu_entries(window, "View")[:2] == ["Light theme", "Dark theme"]
    assert {"Step through", "Train"} <= set(menu_entries(window, "View"))
    assert menu_entries(window, "Help") == ["Keyboard shortcuts", "About nn-tutor"]


def test_actions_have_the_promised_shortcuts(window):
    assert keys(window.action_open) == ["Ctrl+O"]
    assert keys(window.action_export) == ["Ctrl+E"]
    assert keys(window.action_save_picture) == ["Ctrl+Shift+S"]
    assert keys(window.action_larger) == ["Ctrl+=", "Ctrl++"]
    assert keys(window.action_smaller) == ["Ctrl+-"]
    assert keys(window.action_normal_size) == ["Ctrl+0"]
    assert keys(window.action_quit) == ["Ctrl+Q"]
    assert keys(window.action_shortcuts) == ["F1"]
    assert keys(window.action_step_tab) == ["Ctrl+1"]
    assert keys(window.action_train_tab) == ["Ctrl+2"]


def test_every_menu_action_has_a_tooltip_and_status_tip(window):
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.isSeparator():
                continue
            name = action.text().replace("&", "")
            assert action.statusTip(), f"{name} has no status tip"
            # Qt falls back to the text when no tooltip was set: ours must say more.
            assert action.toolTip().replace("&", "") != name, f"{name} has no tooltip"
            for sequence in action.shortcuts():
                assert sequence.toString(QKeySequence.SequenceFormat.NativeText) in action.toolTip()


def test_no_two_actions_or_shortcuts_in_the_window_share_a_key(window):
    """Window actions and the tabs' own QActions/QShortcuts must not fight over a key."""
    seen = {}

    def claim(key, owner):
        assert key not in seen, f"{key} is used by both {seen[key]!r} and {owner!r}"
        seen[key] = owner

    for action in window.findChildren(QAction):
        for key in keys(action):
            claim(key, action.text())
    for shortcut in window.findChildren(QShortcut):
        if shortcut.isEnabled():
            for sequence in shortcut.keys():  # noqa: SIM118 - QShortcut.keys(), not a dict
                claim(
                    sequence.toString(QKeySequence.SequenceFormat.PortableText),
                    f"QShortcut in {shortcut.parent().objectName() or shortcut.parent()}",
                )
    assert {"Ctrl+O", "Ctrl+Q", "F1"} <= set(seen)


# ----------------------------------------------------------------- tab switching


def test_tab_actions_switch_tabs(window):
    window.action_train_tab.trigger()
    assert window.tabs.currentWidget() is window.train_tab
    window.action_step_tab.trigger()
    assert window.tabs.currentWidget() is window.step_tab


def test_ctrl_2_and_ctrl_1_keys_switch_tabs(window, qtbot):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.train_tab
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.step_tab


# ----------------------------------------------------------------- file actions


@pytest.mark.parametrize(
    ("action_name", "method_name"),
    [("action_open", "open_weights_dialog"), ("action_export", "export_weights_dialog")],
)
def test_file_actions_switch_to_train_tab_and_delegate(
    window, monkeypatch, action_name, method_name
):
    calls = []
    # A plain function on the instance (no Qt mocks): records that the window delegated.
    monkeypatch.setattr(
        window.train_tab, method_name, lambda: calls.append(method_name), raising=False
    )
    window.tabs.setCurrentWidget(window.step_tab)
    getattr(window, action_name).trigger()
    assert calls == [method_name]
    assert window.tabs.currentWidget() is window.train_tab


# ----------------------------------------------------------------- theme


def relative_luminance(hex_colour):
    """WCAG 2 relative luminance, computed independently of Qt."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", THEMES)
def test_palette_follows_the_contract(name):
    palette = palette_colors(name)
    assert set(palette) >= {
        "background",
        "foreground",
        "muted",
        "grid",
        "positive",
        "negative",
        "forward",
        "backward",
        "highlight",
        "dim",
    }
    assert palette["positive"] == "#0072B2"
    assert palette["negative"] == "#E69F00"
    assert palette["backward"] == "#CC79A7"
    for key, value in palette.items():
        assert QColor(value).isValid(), f"{name}.{key} = {value!r} is not a colour"
    # Text must be easy to read (WCAG AAA is 7:1) and captions readable (AA is 4.5:1).
    assert contrast(palette["foreground"], palette["background"]) >= 7
    assert contrast(palette["muted"], palette["background"]) >= 4.5
    # The weight colours must stand out from the background (WCAG non-text: 3:1)...
    assert contrast(palette["positive"], palette["background"]) >= 3
    # ...and the highlight from both the background and the dimmed items.
    assert contrast(palette["highlight"], palette["background"]) >= 3


def test_dark_background_is_dark_and_light_is_light():
    assert relative_luminance(palette_colors("light")["background"]) > 0.8
    assert relative_luminance(palette_colors("dark")["background"]) < 0.05


def test_colors_returns_a_copy():
    first = colors()
    first["background"] = "#123456"
    assert colors()["background"] != "#123456"


def test_unknown_theme_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="unknown theme 'purple'.*light, dark"):
        theme.set_theme("purple")
    assert theme.name == "light"


def test_theme_actions_switch_theme_palette_and_colors(window, qtbot):
    light = colors()
    assert window.action_light.isChecked() and not window.action_dark.isChecked()
    with qtbot.waitSignal(theme.changed, timeout=1000) as blocker:
        window.action_dark.trigger()
    assert blocker.args == ["dark"]
    assert theme.name == "dark"
    assert colors() != light
    assert colors()["background"] == palette_colors("dark")["background"]
    assert window.action_dark.isChecked() and not window.action_light.isChecked()
    window_colour = QApplication.instance().palette().window().color()
    assert window_colour.lightness() < 80

    import pyqtgraph as pg

    assert QColor(pg.getConfigOption("background")).name().upper() == colors()["background"]

    with qtbot.waitSignal(theme.changed, timeout=1000):
        window.action_light.trigger()
    assert theme.name == "light"
    assert colors() == light
    assert QApplication.instance().palette().window().color().lightness() > 180


def test_a_theme_switch_reaches_the_widgets_inside_the_tabs(window, qtbot):
    """The tab bar's style sheet once kept the tabs' labels black on the dark window."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QLabel

    caption = next(w for w in window.step_tab.findChildren(QLabel) if w.text() == "Lesson")
    readout = window.train_tab.readout_label
    for name in ("dark", "light", "dark"):
        with qtbot.waitSignal(theme.changed, timeout=1000):
            theme.set_theme(name)
        wanted = QApplication.instance().palette().color(QPalette.ColorRole.WindowText)
        for label in (caption, readout):
            assert label.palette().color(QPalette.ColorRole.WindowText) == wanted, name


def test_setting_the_same_theme_again_emits_nothing(qtbot):
    with qtbot.assertNotEmitted(theme.changed):
        theme.set_theme("light")


# ----------------------------------------------------------------- dialogs


def test_about_dialog_opens_and_closes(window, qtbot):
    window.action_about.trigger()
    dialog = window.about_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert dialog.windowTitle() == "About nn-tutor"
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert app.__version__ in texts
    assert "Daniel Warfield" in texts
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)


def test_shortcuts_dialog_lists_window_and_tab_shortcuts(window, qtbot):
    window.action_shortcuts.trigger()
    dialog = window.shortcuts_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    entries = dialog.entries()
    window_keys = {key for section, key, _ in entries if section == "Window"}
    assert {"Ctrl+O", "Ctrl+Q", "F1", "Ctrl+1", "Ctrl+2"} <= window_keys
    assert any("Ctrl+E" in key for key in window_keys)
    for label, tab in window.tab_entries():
        if hasattr(tab, "shortcuts"):
            expected = [(f"{label} tab", str(k), str(what)) for k, what in tab.shortcuts()]
            listed = [entry for entry in entries if entry[0] == f"{label} tab"]
            assert listed == expected
    # The dialog draws every entry as a row under its section.
    rows = sum(
        dialog.tree.topLevelItem(i).childCount() for i in range(dialog.tree.topLevelItemCount())
    )
    assert rows == len(entries)
    # Every description fits on its line (none cut off with "…"), unless the screen is too
    # narrow for that: then the dialog takes 90% of it.
    metrics = dialog.tree.fontMetrics()
    longest = max(metrics.horizontalAdvance(what) for _, _, what in entries)
    fits = dialog.tree.columnWidth(0) + longest < dialog.tree.viewport().width()
    assert fits or dialog.width() >= 0.9 * dialog.screen().availableGeometry().width() - 1
    for keys in ({"Ctrl+S", "Ctrl+Shift+O", "Ctrl+Shift+E", "Ctrl+Shift+S"}, {"F5", "Q", "H"}):
        assert keys <= {key for _, key, _ in entries}
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)


def test_shortcuts_dialog_survives_a_tab_whose_shortcuts_fail(window, monkeypatch, capsys):
    def broken():
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(window.train_tab, "shortcuts", broken, raising=False)
    dialog = window.show_shortcuts()
    assert dialog.isVisible()
    assert all(section != "Train tab" for section, _, _ in dialog.entries())
    assert "broken on purpose" in capsys.readouterr().err
    dialog.close()


# ----------------------------------------------------------------- settings


def test_settings_persist_across_two_windows(qtbot, isolated_settings):
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    # The offscreen screen is small (800x600) and restoring clamps to it: stay inside.
    first.resize(720, 520)
    first.action_train_tab.trigger()
    first.action_dark.trigger()
    first.close()
    assert isolated_settings.is_file()

    theme.set_theme("light")  # the second window must read "dark" from the settings
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert second.tabs.currentWidget() is second.train_tab
    assert theme.name == "dark"
    assert second.action_dark.isChecked()
    assert second.size() == QSize(720, 520)
    second.close()


def test_window_without_persistence_neither_reads_nor_writes(qtbot, isolated_settings):
    first = MainWindow()
    qtbot.addWidget(first)
    first.action_train_tab.trigger()
    first.close()
    written = isolated_settings.read_bytes()

    second = MainWindow(persist=False)
    qtbot.addWidget(second)
    assert second.tabs.currentIndex() == 0
    second.action_dark.trigger()
    second.close()
    assert isolated_settings.read_bytes() == written


def test_forced_theme_wins_over_the_saved_one(qtbot):
    first = MainWindow(theme_name="dark")
    qtbot.addWidget(first)
    first.close()
    second = MainWindow(theme_name="light")
    qtbot.addWidget(second)
    assert theme.name == "light"
    second.close()


# ----------------------------------------------------------------- closing


def test_close_shuts_every_tab_down_exactly_once(window, monkeypatch, qtbot):
    calls = []
    for label, tab in window.tab_entries():
        original = tab.shutdown

        def recording(label=label, original=original):
            calls.append(label)
            original()

        monkeypatch.setattr(tab, "shutdown", recording)
    window.close()
    assert sorted(calls) == ["Step through", "Train"]
    assert window.is_shut_down
    window.shutdown_tabs()  # the later call from aboutToQuit must not repeat it
    assert sorted(calls) == ["Step through", "Train"]


def test_a_failing_tab_shutdown_does_not_stop_the_others(window, monkeypatch, capsys):
    calls = []
    real_step_shutdown, real_train_shutdown = window.step_tab.shutdown, window.train_tab.shutdown

    def broken():
        real_step_shutdown()  # stop for real (no thread may outlive the test), then fail
        raise RuntimeError("cannot stop")

    def recording():
        calls.append("train")
        real_train_shutdown()

    monkeypatch.setattr(window.step_tab, "shutdown", broken)
    monkeypatch.setattr(window.train_tab, "shutdown", recording)
    window.close()
    assert calls == ["train"]
    assert "Step through tab failed to shut down" in capsys.readouterr().err


def test_quit_action_closes_the_window(window, qtbot):
    window.action_quit.trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    assert window.is_shut_down


HARMLESS = ("propagateSizeHints",)


def test_opening_switching_and_closing_prints_no_qt_warnings(qtbot):
    messages = []

    def handler(kind, _context, text):
        if kind != QtMsgType.QtDebugMsg and not any(h in text for h in HARMLESS):
            messages.append(text)

    previous = qInstallMessageHandler(handler)
    try:
        win = MainWindow()
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.action_train_tab.trigger()
        win.action_dark.trigger()
        win.action_step_tab.trigger()
        qtbot.wait(50)
        win.close()
        qtbot.wait(50)
    finally:
        qInstallMessageHandler(previous)
    assert messages == []


# ----------------------------------------------------------------- command line


def test_version_option_prints_the_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"nn-tutor {app.__version__}"


@pytest.mark.parametrize("argv", [["--theme", "purple"], ["--size", "12"], ["--size", "10x10"]])
def test_bad_options_exit_with_code_2_and_a_message(argv, capsys):
    assert main(argv) == 2
    assert "nn-tutor: error:" in capsys.readouterr().err


def test_screenshots_report_failing_states_and_still_shoot_the_rest(window, tmp_path, monkeypatch):
    from app.main import save_screenshots

    entered = []

    def failing_state():
        raise RuntimeError("state broke")

    def failing_states():
        raise RuntimeError("no states today")

    monkeypatch.setattr(
        window.step_tab,
        "screenshot_states",
        lambda: [("Fine one", lambda: entered.append("fine")), ("bad", failing_state)],
    )
    monkeypatch.setattr(window.train_tab, "screenshot_states", failing_states)
    written, errors = save_screenshots(window, tmp_path)
    assert entered == ["fine"]
    assert sorted(p.name for p in written) == ["step-through-fine-one.png", "train.png"]
    assert all(p.is_file() for p in written)
    assert len(errors) == 2
    assert "state 'bad'" in errors[0] and "state broke" in errors[0]
    assert "Train tab" in errors[1] and "no states today" in errors[1]


def test_screenshots_neither_read_nor_change_the_users_preferences(
    qapp, tmp_path, monkeypatch, isolated_settings
):
    import app.main as app_main
    from app import SETTINGS_ENV, open_settings
    from app.step.predict_logic import KEY_PREDICT

    settings = open_settings()
    settings.setValue(KEY_PREDICT, True)  # the user left Predict mode on
    settings.sync()
    before = isolated_settings.read_bytes()
    seen = {}

    def shoot(window, directory):
        seen["predict"] = window.step_tab.predict.active
        window.step_tab.predict.set_active(True)  # a state that remembers something
        return [], []

    monkeypatch.setattr(app_main, "save_screenshots", shoot)
    app_main._run_screenshots(qapp, tmp_path / "shots", (800, 600), "light")
    assert seen["predict"] is False  # the pictures are the same for everyone
    assert isolated_settings.read_bytes() == before
    assert os.environ[SETTINGS_ENV] == str(isolated_settings)


# ----------------------------------------------------------------- pictures


def test_save_picture_of_the_current_tab_as_png_at_twice_its_size(window, tmp_path):
    from PySide6.QtGui import QImage

    window.tabs.setCurrentWidget(window.train_tab)
    written = window.save_current_tab_picture(str(tmp_path / "train.png"))
    assert written is not None
    image = QImage(str(written))
    assert (image.width(), image.height()) == (
        2 * window.train_tab.width(),
        2 * window.train_tab.height(),
    )
    assert window.statusBar().currentMessage().startswith("Saved picture")


def test_save_picture_of_the_current_tab_as_svg(window, tmp_path):
    import xml.etree.ElementTree as ET

    from PySide6.QtSvg import QSvgRenderer

    written = window.save_current_tab_picture(str(tmp_path / "step.svg"))
    assert ET.parse(written).getroot().tag.endswith("svg")
    renderer = QSvgRenderer(str(written))
    assert renderer.isValid()
    assert renderer.viewBox().size() == window.step_tab.size()  # (width/height are in mm)


def test_save_picture_into_a_missing_folder_says_so_in_one_line(window, tmp_path):
    assert window.save_current_tab_picture(str(tmp_path / "gone" / "x.png")) is None
    message = window.statusBar().currentMessage()
    assert message.startswith("Could not save the picture") and "\n" not in message
