"""File ▸ Lesson title and locks…: what the next saved lesson file hides, fixes and is called.

A teacher ticks the controls the class should not see ("Hide") and the values it should not
change ("Fix"), gives the lesson a title and notes, and saves (Ctrl+S): the file then opens
locked for the class (see app.step.locks). The choices do not lock this window, so the
teacher keeps working; they are written by every save until changed. The names and their
words come from `nncore.lessonfile` (HIDEABLE, LOCKABLE) and `app.step.lesson_state`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from app.step.lesson_state import CONTROL_WORDS
from nncore.lessonfile import HIDEABLE, LOCKABLE, MAX_NOTES, MAX_TITLE, Locks


class LessonLocksDialog(QDialog):
    """Checkboxes for every lock name, a title and notes. `chosen(locks, title, notes)` on OK."""

    chosen = Signal(object, str, str)

    def __init__(self, locks: Locks, title: str, notes: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Lesson title and locks")
        self.title_edit = QLineEdit(title)
        self.title_edit.setMaxLength(MAX_TITLE)
        self.title_edit.setPlaceholderText("e.g. Week 2: one perceptron")
        self.notes_edit = QPlainTextEdit(notes)
        self.notes_edit.setPlaceholderText("What the class should do (shown when it opens)")
        self.notes_edit.setMaximumHeight(80)
        self.hide_boxes = self._boxes(HIDEABLE, locks.hidden)
        self.fix_boxes = self._boxes(LOCKABLE, locks.locked)

        form = QFormLayout()
        form.addRow("Title", self.title_edit)
        form.addRow("Notes", self.notes_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._group("Hide from the class", self.hide_boxes))
        layout.addWidget(self._group("Fix (shown greyed)", self.fix_boxes))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.accepted.connect(self._emit)

    @staticmethod
    def _boxes(names, ticked) -> dict[str, QCheckBox]:
        boxes = {}
        for name in names:
            box = QCheckBox(CONTROL_WORDS[name][0].upper() + CONTROL_WORDS[name][1:])
            box.setChecked(name in ticked)
            boxes[name] = box
        return boxes

    @staticmethod
    def _group(caption: str, boxes: dict[str, QCheckBox]) -> QGroupBox:
        group = QGroupBox(caption)
        grid = QGridLayout(group)
        for k, box in enumerate(boxes.values()):
            grid.addWidget(box, k // 3, k % 3)
        return group

    def locks(self) -> Locks:
        return Locks(
            hidden=tuple(n for n, box in self.hide_boxes.items() if box.isChecked()),
            locked=tuple(n for n, box in self.fix_boxes.items() if box.isChecked()),
        )

    def _emit(self) -> None:
        notes = self.notes_edit.toPlainText()[:MAX_NOTES]
        self.chosen.emit(self.locks(), self.title_edit.text().strip(), notes)
