"""The Step tab's keys: one key press, one action, wherever the focus is in the window.

Qt shortcuts only fire while the focus is inside the tab, and a focused button or list
takes Space for itself: at first launch the focus sits on the window's tab bar, so Space did
nothing and → switched tabs; after a click on Back, Space pressed Back again. `StepKeys`
instead watches every key press of the application (an event filter) and, while the tab is
on screen, acts on the tab's keys whichever widget of its window has the focus, unless:

- the student is typing in a text field (Inputs, Target, Learning rate, the Predict answer
  box, the custom network's number fields): the key belongs to the text;
- Space lands on a button or list reached with Tab (the tab's buttons take no focus from a
  click, so only a keyboard user gets there): Space presses that button, as usual.

A held key repeats its press (auto-repeat): those repeats are swallowed, so holding a key,
like tapping it, acts once.

An application event filter sees every event of every window (tens of thousands while a
window is built), so it is installed only while the tab is on screen: it watches the tab's
own Show and Hide events for that. A hidden or closed tab costs the application nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

# Widgets in which a key is text being typed, not a command.
TEXT_FIELDS = (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit)

# Modifiers that do not change which key was meant (the number pad's flag).
IGNORED_MODIFIERS = Qt.KeypadModifier


def key_code(sequence: str) -> int:
    """The combined key and modifiers of a one-key sequence such as "Shift+N"."""
    return QKeySequence(sequence)[0].toCombined()


def event_code(event) -> int:
    """The combined key and modifiers of a key event (number-pad flag left out)."""
    modifiers = event.modifiers() & ~IGNORED_MODIFIERS
    return event.key() | modifiers.value


class StepKeys(QObject):
    """An application event filter that gives `owner`'s keys to it (see the module doc)."""

    def __init__(self, owner: QWidget, table: list[tuple[str, Callable[[], object]]]):
        super().__init__(owner)
        self.owner = owner
        self.actions = {key_code(key): slot for key, slot in table}
        self.listening = False  # whether the application's events come here
        owner.installEventFilter(self)
        if owner.isVisible():
            self._listen(True)

    def _listen(self, on: bool) -> None:
        app = QApplication.instance()
        if on == self.listening or app is None:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self.listening = on

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if watched is self.owner and kind in (QEvent.Show, QEvent.Hide):
            self._listen(kind == QEvent.Show)
            return False
        if kind not in (QEvent.KeyPress, QEvent.ShortcutOverride):
            return False
        slot = self.actions.get(event_code(event))
        if slot is None or not self._is_ours(watched, event):
            return False
        if kind == QEvent.ShortcutOverride:
            # Claim the key, so that no shortcut elsewhere takes it before the key press.
            event.accept()
            return True
        if not event.isAutoRepeat():
            slot()
        return True  # a repeat of a held key is swallowed: one press, one action

    def _is_ours(self, watched, event) -> bool:
        """Is this key press meant for the tab (see the module doc for the exceptions)?"""
        owner = self.owner
        if not isinstance(watched, QWidget) or not owner.isVisible():
            return False
        if watched.window() is not owner.window() or QApplication.activePopupWidget():
            return False
        focus = QApplication.focusWidget()
        if isinstance(focus, TEXT_FIELDS):
            return False
        # A button or list reached with Tab (a click leaves no focus on them) takes Space.
        tabbed_to = isinstance(focus, (QAbstractButton, QComboBox))
        return not (tabbed_to and event_code(event) == key_code("Space"))
