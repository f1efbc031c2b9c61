"""Presentation mode for the "Step through" tab: the lesson as big as a projector allows.

F5 (or View ▸ Presentation mode) turns it on: the window goes full screen, the text grows to
at least `PRESENTATION_SCALE`, and everything a class does not need to read from the back of
the room folds away (the lesson settings row, the inspector and its loss slice, the loss
chart, the timeline, the tab bar and the status bar). The drawing and the explanation panel
with the current step's arithmetic keep the screen, the arithmetic in larger type still.
Esc or F5 again leaves, and everything
comes back exactly as it was: which panels showed, the text size, full screen or not, the
splitter, the focus. Nothing of it is remembered across launches (the text size it sets is
not saved as the user's choice).
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

# The smallest text size in presentation mode (1.0 = the normal size).
PRESENTATION_SCALE = 1.5


class Presentation:
    """Enters and leaves presentation mode for `window` (a MainWindow) and its `tab`."""

    def __init__(self, window, tab):
        self.window = window
        self.tab = tab
        self.active = False
        self._saved: dict = {}

    def folded_widgets(self) -> list[QWidget]:
        """What folds away while presenting (the drawing and the explanation stay)."""
        tab, side = self.tab, self.tab.side
        return [
            tab.settings,
            tab.editor,
            side.inspector,
            side.slice_plot,
            side.slice_caption,
            side.loss_label,
            side.loss_chart,
            side.timeline,
            self.window.tabs.tabBar(),
            self.window.statusBar(),
        ]

    def toggle(self) -> None:
        self.set_active(not self.active)

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        if on:
            self._enter()
        else:
            self._leave()

    def _enter(self) -> None:
        window = self.window
        folded = self.folded_widgets()
        self._saved = {
            "state": window.windowState(),
            "scale": window.text_scale,
            "visible": [(w, w.isVisibleTo(w.parentWidget() or w)) for w in folded],
            "sizes": self.tab.splitter.sizes(),
            "focus": QApplication.focusWidget(),
        }
        self.active = True
        self.tab.presenting = True
        for widget in folded:
            widget.setVisible(False)
        window.set_text_scale(max(window.text_scale, PRESENTATION_SCALE), remember=False)
        self.tab.explanation.set_large(True)  # the step's arithmetic larger still
        window.showFullScreen()
        window.action_full_screen.setChecked(True)
        window.action_presentation.setChecked(True)
        self.tab.view.setFocus()  # so the tab's keys (Space, F5, Esc) reach it at once

    def _leave(self) -> None:
        window, saved = self.window, self._saved
        self.active = False
        self.tab.presenting = False
        window.set_text_scale(saved["scale"], remember=False)
        self.tab.explanation.set_large(False)
        for widget, visible in saved["visible"]:
            widget.setVisible(visible)
        window.setWindowState(saved["state"])
        window.action_full_screen.setChecked(window.isFullScreen())
        window.action_presentation.setChecked(False)
        self.tab.splitter.setSizes(saved["sizes"])
        focus = saved["focus"]
        if focus is not None and _alive(focus):
            focus.setFocus()
        self._saved = {}


def _alive(widget: QWidget) -> bool:
    """Is the Qt object behind `widget` still there (not deleted while presenting)?"""
    try:
        widget.objectName()
    except RuntimeError:
        return False
    return True
