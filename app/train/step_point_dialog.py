"""The dialog of "Step through this network": choose the training point to take apart.

It opens on the point the network gets most wrong (the most instructive one) and describes
each point as the spin box moves, with words made by `app.train.step_handoff` from numbers
nncore computed; the tab hands it a `describe(index)` function and reads `chosen()` back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)


class StepPointDialog(QDialog):
    """Choose one of `count` training points (1-based in the box, 0-based in `chosen`)."""

    def __init__(
        self, count: int, hardest: int, describe: Callable[[int], str], architecture: str, parent
    ):
        super().__init__(parent)
        self.setWindowTitle("Step through this network")
        self._describe = describe
        self._hardest = hardest
        intro = QLabel(
            f"Open your trained {architecture} network in the Step through tab and take one "
            "training iteration apart on one of its training points: every sum, activation, "
            "gradient and update, with the weights training gave it."
        )
        intro.setWordWrap(True)
        self.point_box = QSpinBox()
        self.point_box.setRange(1, count)
        self.point_box.setValue(hardest + 1)
        self.point_box.setToolTip(f"Which of the {count:,} training points (1 to {count:,})")
        self.point_box.setAccessibleName("Training point")
        hardest_button = QPushButton("The one it gets most wrong")
        hardest_button.setToolTip("Back to the training point with the largest loss")
        hardest_button.setAutoDefault(False)
        hardest_button.clicked.connect(lambda: self.point_box.setValue(self._hardest + 1))
        self.point_label = QLabel()
        self.point_label.setWordWrap(True)
        self.point_box.valueChanged.connect(self._show_point)
        form = QFormLayout()
        form.addRow("Training point", self.point_box)
        form.addRow("", hardest_button)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Open).setText("Step through")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.point_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self._show_point()

    def chosen(self) -> int:
        """The chosen training point's index (0-based)."""
        return self.point_box.value() - 1

    def _show_point(self) -> None:
        words = self._describe(self.chosen())
        most = " This is the point it gets most wrong." if self.chosen() == self._hardest else ""
        self.point_label.setText(words + "." + most)
