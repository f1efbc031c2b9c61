"""The controls of the "Step through" tab: the lesson's settings and the player.

- `LessonSettings` is the row above the drawing: the preset picker and the example's
  inputs, target and learning rate, with an Apply button;
- `StepControls` are the rows below it: the timeline slider with the position, speed and
  step size (granularity), and the buttons Start, Back, Step, Play, End, Next iteration,
  Run 10, Run 100 (iterations computed at once) and Reset.

They only hold and show controls; `StepThroughTab` connects them to the lesson.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.step.parsing import LR_LIMIT
from app.step.texts import PRESET_TIPS, editable_numbers, target_tooltip
from nncore.lesson import GRANULARITIES, PRESETS

# Animation speeds offered to the student: (label, milliseconds per step).
SPEEDS = (("Slow", 900), ("Normal", 450), ("Fast", 200), ("No animation", 0))


class LessonSettings(QWidget):
    """Preset, inputs, target and learning rate: the example the lesson walks through."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.preset_box = QComboBox()
        for name, preset in PRESETS.items():
            self.preset_box.addItem(preset.title, name)
            self.preset_box.setItemData(
                self.preset_box.count() - 1, PRESET_TIPS.get(name, ""), Qt.ItemDataRole.ToolTipRole
            )
        self.preset_box.setAccessibleName("Lesson preset")
        self.preset_box.setToolTip("Choose a ready-made lesson, or 'Your own network'")
        self.inputs_edit = QLineEdit()
        self.inputs_edit.setAccessibleName("Inputs")
        self.inputs_edit.setToolTip("The example's inputs, separated by commas")
        self.target_edit = QLineEdit()
        self.target_edit.setAccessibleName("Target")
        self.target_edit.setToolTip(target_tooltip(0))
        self.lr_edit = QLineEdit()
        self.lr_edit.setAccessibleName("Learning rate")
        self.lr_edit.setToolTip(f"How far each step moves the weights (0 < rate ≤ {LR_LIMIT:g})")
        self.apply_button = QPushButton("Apply")
        self.apply_button.setToolTip("Restart this iteration with these inputs, target and rate")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)  # lines up with the tab's other rows
        fields = (
            ("Lesson", self.preset_box, 2),
            ("Inputs", self.inputs_edit, 2),
            ("Target", self.target_edit, 1),
            ("Learning rate", self.lr_edit, 1),
        )
        for label, widget, stretch in fields:
            caption = QLabel(label)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget, stretch)
        row.addWidget(self.apply_button)

    def show_preset(self, name: str) -> None:
        with QSignalBlocker(self.preset_box):
            self.preset_box.setCurrentIndex(self.preset_box.findData(name))

    def show_target_kind(self, n_classes: int) -> None:
        """The target field's tooltip: values (regression) or the true class (a classifier)."""
        self.target_edit.setToolTip(target_tooltip(n_classes))

    def show_example(self, inputs, target, lr: float) -> None:
        """Write the lesson's example into the fields (without asking to apply it)."""
        with QSignalBlocker(self.inputs_edit), QSignalBlocker(self.target_edit):
            self.inputs_edit.setText(editable_numbers(inputs))
            self.target_edit.setText(editable_numbers(target))
            self.lr_edit.setText(editable_numbers([lr]))


class StepControls(QWidget):
    """The timeline slider, speed and step size, and the buttons that move through a lesson."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.home_button = QPushButton("|◀ Start")
        self.back_button = QPushButton("◀ Back")
        self.step_button = QPushButton("Step ▶")
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.end_button = QPushButton("End ▶|")
        self.next_button = QPushButton("Next iteration")
        self.run_few_button = QPushButton("Run 10")
        self.run_many_button = QPushButton("Run 100")
        self.reset_button = QPushButton("Reset")
        tips = {
            self.home_button: "Back to the start of the iteration (Home)",
            self.back_button: "One step back (←)",
            self.step_button: "One step forward (Space or →)",
            self.play_button: "Step automatically, on into the next iterations, until paused (P)",
            self.end_button: "Jump to the end of the iteration (End)",
            self.next_button: "Start the next iteration with the updated weights (N)",
            self.run_few_button: "Compute 10 iterations at once and show the 11th (Shift+N)",
            self.run_many_button: "Compute 100 iterations at once and show the 101st "
            "(Ctrl+Shift+N)",
            self.reset_button: "Back to iteration 1 with the starting weights (R)",
        }
        for button, tip in tips.items():
            button.setToolTip(tip)
        self.speed_box = QComboBox()
        for label, ms in SPEEDS:
            self.speed_box.addItem(label, ms)
        self.speed_box.setCurrentIndex(1)
        self.speed_box.setAccessibleName("Animation speed")
        self.granularity_box = QComboBox()
        for g in GRANULARITIES:
            self.granularity_box.addItem(f"by {g}", g)
        self.granularity_box.setAccessibleName("Step size")
        self.granularity_box.setToolTip("How much one Step covers")
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setAccessibleName("Position in the iteration")
        self.slider.setPageStep(5)
        self.position_label = QLabel()
        self.position_label.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("Iteration 999 · 9999 / 9999")
        )
        buttons = QHBoxLayout()
        for button in tips:
            buttons.addWidget(button)
        speed_label = QLabel("Speed")
        speed_label.setBuddy(self.speed_box)
        timeline_row = QHBoxLayout()
        timeline_row.addWidget(self.slider, 1)
        timeline_row.addWidget(self.position_label)
        timeline_row.addWidget(speed_label)
        timeline_row.addWidget(self.speed_box)
        timeline_row.addWidget(self.granularity_box)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)  # lines up with the tab's other rows
        rows.addLayout(timeline_row)
        rows.addLayout(buttons)

    def set_length(self, total: int) -> None:
        """A lesson of `total` steps: the slider runs from 0 to total."""
        with QSignalBlocker(self.slider):
            self.slider.setRange(0, total)

    def show_position(self, position: int, total: int, iteration: int) -> None:
        """Slider, "Iteration 2 · 14 / 60" and which moves are possible from here."""
        with QSignalBlocker(self.slider):
            self.slider.setValue(position)
        self.position_label.setText(f"Iteration {iteration} · {position} / {total}")
        at_start, at_end = position <= 0, position >= total
        self.home_button.setEnabled(not at_start)
        self.back_button.setEnabled(not at_start)
        self.step_button.setEnabled(not at_end)
        self.end_button.setEnabled(not at_end)
        self.next_button.setDefault(at_end)

    def show_playing(self, playing: bool) -> None:
        with QSignalBlocker(self.play_button):
            self.play_button.setChecked(playing)
        self.play_button.setText("Pause" if playing else "Play")
