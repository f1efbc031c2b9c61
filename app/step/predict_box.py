"""The answer box of Predict mode: a small frame on the drawing where the student types.

It opens beside the neuron or weight the asked step belongs to (the drawing finds the spot,
`NetworkView.answer_box_position`) and shows the question, the step's formula with "?"
where the result goes, a field for the answer and, after a try, the tutor's reply. The keys:

- Enter checks the typed answer (`submitted(text)`);
- H asks for the next hint (`hintRequested`), Esc gives up and shows the answer
  (`revealRequested`);
- for "up or down?" questions, ↑, ↓ and = type "up", "down" and "stays".

It shows what it is given; the tab asks the `Quiz` and passes the words back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from app import theme as app_theme
from app.step.panels import ScaledFonts
from app.step.predict_logic import parse_direction_key

BOX_WIDTH_CHARS = 44  # a blanked formula of the article's network fits on one line


class AnswerEdit(QLineEdit):
    """The answer field: Enter checks, H asks for a hint, Esc reveals, ↑/↓/= for directions."""

    hintRequested = Signal()
    revealRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.direction = False

    def event(self, event):
        # Esc and ↑/↓ belong to the box while it has the focus, not to the tab's shortcuts
        # (the tab's Esc would only finish an animation).
        if event.type() == QEvent.ShortcutOverride and event.key() in (
            Qt.Key_Escape,
            Qt.Key_Up,
            Qt.Key_Down,
            Qt.Key_H,
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event):
        key = event.key()
        if key == Qt.Key_H and not event.modifiers() & ~Qt.ShiftModifier:
            self.hintRequested.emit()
            return
        if key == Qt.Key_Escape:
            self.revealRequested.emit()
            return
        names = {Qt.Key_Up: "Up", Qt.Key_Down: "Down", Qt.Key_Equal: "Equal"}
        if self.direction and key in names:
            self.setText(parse_direction_key(names[key]))
            return
        super().keyPressEvent(event)


class AnswerBox(QFrame):
    """Question, blanked formula, answer field and the tutor's reply (see the module doc)."""

    submitted = Signal(str)
    hintRequested = Signal()
    revealRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("AnswerBox")
        self.setFrameShape(QFrame.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Answer box")
        self.question = QLabel()
        self.blanked = QLabel()
        self.feedback = QLabel()
        self.hint = QLabel()
        self.offer = QLabel()
        for label in (self.question, self.blanked, self.feedback, self.hint, self.offer):
            label.setWordWrap(True)
            label.setTextFormat(Qt.PlainText)
        self.question.setAccessibleName("Question")
        self.blanked.setAccessibleName("Formula with the blank")
        self.feedback.setAccessibleName("Tutor's reply")
        self.feedback.setVisible(False)
        self.hint.setAccessibleName("Hint")
        self.hint.setVisible(False)
        self.fonts = ScaledFonts()
        self.fonts.set(self.question, 1.0, bold=True)
        self.fonts.set(self.blanked, 1.1)
        self.fonts.set(self.offer, 0.85)
        self.edit = AnswerEdit()
        self.edit.setAccessibleName("Your answer")
        self.edit.setPlaceholderText("type the number, then Enter")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addWidget(self.question)
        layout.addWidget(self.blanked)
        layout.addWidget(self.edit)
        layout.addWidget(self.feedback)
        layout.addWidget(self.hint)
        layout.addWidget(self.offer)
        self.setFixedWidth(self.fontMetrics().averageCharWidth() * BOX_WIDTH_CHARS)
        self.edit.returnPressed.connect(lambda: self.submitted.emit(self.edit.text()))
        self.edit.hintRequested.connect(self.hintRequested)
        self.edit.revealRequested.connect(self.revealRequested)
        self.feedback_kind = ""
        app_theme.theme.changed.connect(self._restyle)
        self._restyle()
        self.hide()

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.ApplicationFontChange):
            self.fonts.refresh()

    def _restyle(self, *_):
        c = app_theme.colors()
        border = c.get("highlight", "#D55E00")
        self.setStyleSheet(
            f"#AnswerBox {{ background: {c['background']}; border: 2px solid {border};"
            " border-radius: 6px; }"
            # The field must still look like one inside the styled frame (dark theme too).
            f" QLineEdit {{ border: 1px solid {c.get('muted', '#5f5f5f')}; padding: 2px;"
            f" background: {c['background']}; color: {c.get('foreground', '#1b1b1b')}; }}"
        )
        colour = {"wrong": c.get("highlight"), "right": c.get("forward")}.get(
            self.feedback_kind, c.get("foreground")
        )
        self.feedback.setStyleSheet(f"color: {colour};")
        self.hint.setStyleSheet(f"color: {c.get('backward', '#CC79A7')};")
        self.offer.setStyleSheet(f"color: {c.get('muted', '#5f5f5f')};")

    def ask(self, question: str, blanked: str, direction: bool, offer: str) -> None:
        """Show a new question with an empty field (direction: the answer is up or down)."""
        self.question.setText(question)
        self.blanked.setText(blanked)
        self.edit.direction = direction
        self.edit.clear()
        self.edit.setPlaceholderText(
            "↑ up, ↓ down or = stays, then Enter" if direction else "type the number, then Enter"
        )
        self.show_feedback("", "")
        self.show_hint("")
        self.offer.setText(offer)
        self.fit()

    def fit(self) -> None:
        """Take the height the wrapped texts need at the box's fixed width."""
        self.layout().activate()
        height = self.heightForWidth(self.width())
        self.resize(self.width(), height if height > 0 else self.sizeHint().height())

    def show_hint(self, text: str) -> None:
        """The latest hint under the reply ("" hides it)."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))
        self.fit()

    def show_feedback(self, text: str, kind: str) -> None:
        """The tutor's reply to a try: kind "wrong" or "right" colours it; "" hides it."""
        self.feedback_kind = kind
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))
        self._restyle()
        self.fit()

    def set_offer(self, text: str) -> None:
        self.offer.setText(text)
        self.fit()

    def text(self) -> str:
        """Everything the box says (tests and screen readers read this)."""
        parts = [
            self.question.text(),
            self.blanked.text(),
            self.feedback.text(),
            self.hint.text(),
            self.offer.text(),
        ]
        return "\n".join(p for p in parts if p)
