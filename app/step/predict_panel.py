"""The Predict panel of the "Step through" tab: the mode, what is asked, and the score.

One row holds the Predict toggle (key Q), what to ask (every step, one phase, the updates'
direction only, a mix) and how many hints a question allows. Under it, the compact score
and, at the end of an iteration, the summary (the hard kinds of step, the slips caught),
with a button that saves the score sheet as CSV for a teacher.

The texts come from `app.step.predict_logic` and the Quiz; this widget only holds them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from app.step.predict_logic import ASK_CHOICES, HINT_CHOICES

PREDICT_KEY = "Q"


class PredictPanel(QFrame):
    """The Predict toggle, the choice of questions and hints, the score and the summary."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.setAccessibleName("Predict mode")
        self.toggle = QPushButton("Predict")
        self.toggle.setCheckable(True)
        self.toggle.setToolTip(
            f"Predict mode ({PREDICT_KEY}): type each number before the tutor shows it; "
            "Enter checks, H gives a hint, Esc shows the answer"
        )
        self.ask_box = QComboBox()
        for label, ask in ASK_CHOICES:
            self.ask_box.addItem(label, ask)
        self.ask_box.setAccessibleName("What to ask")
        self.ask_box.setToolTip("Which steps Predict mode asks you to compute")
        self.hints_box = QComboBox()
        for n in HINT_CHOICES:
            self.hints_box.addItem("no hints" if n == 0 else f"{n} hint{'s' if n > 1 else ''}", n)
        self.hints_box.setAccessibleName("Hints allowed")
        self.hints_box.setToolTip("How many hints (H) a question allows")
        self.score = QLabel()
        self.score.setAccessibleName("Score")
        self.score.setWordWrap(True)
        self.score.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setAccessibleName("Summary of the iteration")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.summary.setVisible(False)
        for label in (self.score, self.summary):
            # Wrapped text: take the height it needs, so the column scrolls instead of cutting it.
            label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        self.save_button = QPushButton("Save score sheet…")
        self.save_button.setToolTip("Save every question, answer and hint of this iteration as CSV")
        row = QHBoxLayout()
        row.addWidget(self.toggle)
        ask_label = QLabel("Ask")
        ask_label.setBuddy(self.ask_box)
        row.addWidget(ask_label)
        row.addWidget(self.ask_box, 1)
        row.addWidget(self.hints_box)
        bottom = QHBoxLayout()
        bottom.addWidget(self.score, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(row)
        layout.addLayout(bottom)
        layout.addWidget(self.summary)
        self.show_active(False)

    def show_active(self, active: bool) -> None:
        """The toggle's look; the score and its button only matter in Predict mode."""
        self.toggle.setText("Predict: on" if active else "Predict")
        self.score.setVisible(active)
        self.save_button.setVisible(active)
        if not active:
            self.summary.setVisible(False)
        for label in (self.score, self.summary):
            # Wrapped text: take the height it needs, so the column scrolls instead of cutting it.
            label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)

    def show_score(self, text: str) -> None:
        self.score.setText(text)

    def show_summary(self, text: str) -> None:
        self.summary.setText(text)
        self.summary.setVisible(bool(text))
        self._fit_summary()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_summary()

    def _fit_summary(self) -> None:
        # A wrapped label in a scrolling column gets the height of its unwrapped hint;
        # ask for the height the text needs at the panel's width instead.
        margins = self.layout().contentsMargins()
        width = self.contentsRect().width() - margins.left() - margins.right()
        needed = self.summary.heightForWidth(width) if self.summary.text() else 0
        self.summary.setMinimumHeight(max(0, needed))
