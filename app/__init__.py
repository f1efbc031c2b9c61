"""nn-tutor: the desktop app that shows how a neural network learns.

This package is the Qt side of the project (PySide6 + pyqtgraph). The arithmetic lives in
`nncore`; the app only shows what nncore computed. The window (`app.main_window`) holds two
tabs: "Step through" walks one training example through the network number by number, and
"Train" trains a real regressor live. Start it with the `nn-tutor` command or `python -m app`.

`open_settings()` is the one place that decides where the app's preferences are stored, so
that tests (and curious users) can point it at a file of their own with the
`NN_TUTOR_SETTINGS` environment variable.
"""

from __future__ import annotations

import os

from nncore import __version__ as __version__  # the one place the version is written

ORGANIZATION = "nn-tutor"
APPLICATION = "nn-tutor"
SETTINGS_ENV = "NN_TUTOR_SETTINGS"
"""Environment variable: path of an INI file to use instead of the user's settings."""


def open_settings():
    """The app's QSettings: organisation "nn-tutor", application "nn-tutor".

    When the environment variable NN_TUTOR_SETTINGS holds a path, that INI file is used
    instead (tests set it so they never touch the user's real preferences).
    """
    from PySide6.QtCore import QSettings

    path = os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)
