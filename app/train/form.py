"""Small helpers shared by the Train tab's settings panels (data, model and recipe).

- `let_shrink(combo)`: a combo box sized for a few words, not for its longest item, so long
  item texts (shown whole in the drop-down) do not widen the settings column.
- `show_inline_message(label, text, error)`: a message under a panel's fields, in the
  theme's highlight colour for an error and muted otherwise; hidden when empty. Made one
  line (`nncore.safetext.one_line`) and elided: a long message shows its start, the whole
  of it is in the tooltip (`set_elided`).
- `MessageLabel`: the label those messages are shown in: word-wrapped, and always as tall
  as its text needs at its width (a plain wrapped QLabel in the scrolling column kept the
  height of an earlier, shorter message and cut a long one off at the top and bottom).
- `scrolling_column(*panels)`: the panels stacked in a column that scrolls vertically and
  is wide enough to show every field whole.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QScrollArea, QStyle, QVBoxLayout, QWidget

from app.widgets.colormaps import theme_colors
from nncore.safetext import one_line

LABEL_CHARS = 240  # a message label shows at most this much; the tooltip holds the rest


def let_shrink(combo: QComboBox, chars: int = 16) -> None:
    """Size `combo` for about `chars` characters, not for its longest item."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)


def show_inline_message(label: QLabel, text: str, error: bool = False) -> None:
    """Show `text` in `label` (an error in the highlight colour); hide it when empty."""
    colors = theme_colors()
    set_elided(label, text)
    label.setStyleSheet(f"color: {colors['highlight'] if error else colors['muted']};")
    label.setVisible(bool(text))


def elided(text: str, limit: int = LABEL_CHARS) -> str:
    """`text` as one line of at most `limit` characters, ending in "…" when cut."""
    line = one_line(text)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def set_elided(label: QLabel, text: str, limit: int = LABEL_CHARS) -> None:
    """Show `text` in `label` as one bounded line; when it had to be cut, the tooltip holds
    the whole line (itself bounded by `one_line`)."""
    shown_text = elided(text, limit)
    label.setText(shown_text)
    label.setToolTip(one_line(text) if shown_text != one_line(text) else "")


class MessageLabel(QLabel):
    """A word-wrapped label whose minimum height is what its text needs at its width.

    Layouts give a wrapped label the height of its text at its preferred width, so a long
    message under a form's fields could get the two lines of the message before it, and
    show its middle only. A minimum height of `heightForWidth` keeps every line in view.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_height()  # a new width: a new number of lines

    def _fit_height(self) -> None:
        needed = self.heightForWidth(self.width()) if self.text() and self.width() > 0 else 0
        if needed != self.minimumHeight():
            self.setMinimumHeight(max(needed, 0))


def scrolling_column(*panels: QWidget, min_width: int = 310) -> QScrollArea:
    """`panels` top to bottom in a vertically scrolling column of fixed width."""
    controls = QWidget()
    column = QVBoxLayout(controls)
    column.setContentsMargins(0, 0, 0, 0)
    for panel in panels:
        column.addWidget(panel)
    column.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidget(controls)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    # Wide enough for the panels and the vertical scroll bar, so nothing is cut off.
    bar = scroll.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    scroll.setFixedWidth(max(min_width, controls.minimumSizeHint().width() + bar + 4))
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the controls
    return scroll
