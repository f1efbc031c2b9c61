"""Shared set-up for the app's Qt tests.

- Qt runs without a display (QT_QPA_PLATFORM=offscreen) unless the caller chose a platform.
- Every test gets its own empty preferences: NN_TUTOR_SETTINGS points `app.open_settings()`
  at a temporary INI file, and QSettings' default folders are moved into the test's tmp_path,
  so no test reads or writes the user's real nn-tutor settings.
- Every test starts in the light theme, whatever the previous test switched to.
- `open_window(**options)` makes a MainWindow, shown and exposed, closed after the test.
- After each test the widgets it closed are really deleted. pytest-qt closes the widgets
  given to `qtbot.addWidget` and calls deleteLater(), but a deferred delete waits for an
  event loop to return to, which a test run never does: every window of every test used to
  stay alive to the end, its timers and filters slowing all the tests after it.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    """Delete what the test closed, once pytest-qt has closed it (see the module doc)."""
    result = yield
    app = QApplication.instance()
    if app is not None:
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    return result


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """A private settings file for this test; returns its path."""
    settings_file = tmp_path / "nn-tutor-settings.ini"
    monkeypatch.setenv("NN_TUTOR_SETTINGS", str(settings_file))
    folder = str(tmp_path / "qsettings")
    for settings_format in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(settings_format, scope, folder)
    return settings_file


@pytest.fixture(autouse=True)
def light_theme_at_start():
    """Start each test in the light theme."""
    from app.theme import theme

    if theme.name != "light":
        theme.set_theme("light")
    yield


@pytest.fixture
def open_window(qtbot):
    """A factory: `open_window(persist=False, ...)` is a shown MainWindow (see the doc)."""
    from app.main_window import MainWindow

    def make(**options):
        win = MainWindow(**options)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        return win

    return make
