"""A message across the top of the Train tab's views, for what must not be missed.

A warning (a run diverged, with what to do about it), an error (a file that could not be
opened), a success (weights saved) or a tip with an action button ("Try the modern
recipe"). Not modal; the student can close it. Every text is shown as one line per part,
cut when long (the whole in the tooltip), so a file's megabyte-long field never fills it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from app.train.form import elided
from app.widgets.colormaps import theme_colors
from nncore.safetext import one_line

TITLE_CHARS, DETAIL_CHARS = 160, 400  # longer texts are cut, the whole is in the tooltip


class Banner(QFrame):
    """A message across the top of the views: a warning (divergence), an error, or a tip
    with an action button (e.g. "Try the modern recipe"). Not modal; can be closed."""

    action_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trainBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.setVisible(False)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Hide this message")
        self.close_button.setAutoRaise(True)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.action.clicked.connect(self.action_clicked)
        self.close_button.clicked.connect(self.hide)
        self.kind = ""
        self._shown: tuple[str, str, str, str] | None = None
        self.setVisible(False)

    def show_message(self, kind: str, title: str, detail: str = "", action: str = "") -> None:
        """kind: "warning", "error", "info" or "success"."""
        self.kind = kind
        self._shown = (kind, title, detail, action)
        colors = theme_colors()
        accent = {
            "warning": colors["highlight"],
            "error": colors["highlight"],
            "success": colors["forward"],
            "info": colors["positive"],
        }.get(kind, colors["muted"])
        self.setStyleSheet(
            f"#trainBanner {{ border: 1px solid {accent}; "
            f"border-left: 5px solid {accent}; border-radius: 3px; }}"
        )
        short_title, short_detail = elided(title, TITLE_CHARS), elided(detail, DETAIL_CHARS)
        text = f"<b>{html.escape(short_title)}</b>"
        if detail:
            text += f"<br>{html.escape(short_detail)}"
        self.label.setText(text)
        cut = short_title != one_line(title) or short_detail != one_line(detail)
        whole = one_line(title) + (" " + one_line(detail, 2000) if detail else "")
        self.label.setToolTip(html.escape(whole) if cut else "")
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.setVisible(True)

    def text(self) -> str:
        return self.label.text()

    def apply_theme(self, _name: str = "") -> None:
        """Redraw the frame in the new theme's colours."""
        if self.kind and self._shown:
            self.show_message(*self._shown)

    def clear(self) -> None:
        self.kind = ""
        self.label.setText("")
        self.setVisible(False)
