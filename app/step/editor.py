"""The network editor of the "Step through" tab's custom preset.

`CustomEditor` offers 1–4 inputs, up to three hidden layers of 1–6 neurons, 1–3 outputs,
an activation per layer (the output's may be "softmax": a classifier learning with
cross-entropy, whose target is then the true class), and either a random seed or typed
weights (checked by
`app.step.parsing`). It only collects choices; `nncore.lesson.make_custom` builds the
network. A count typed out of range ("100" neurons, "0" inputs) is kept as typed and the
line under the fields says the allowed range (`CountBox`), and Build refuses it, instead of
the number being clamped or reverted without a word.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.step.parsing import count_problem, parse_matrices
from nncore.activations import ACTIVATIONS
from nncore.lesson import CUSTOM_LIMITS


class CountBox(QSpinBox):
    """A spin box for a count with limits, which lets an out-of-range number be typed.

    `problem()` says what is wrong with the typed text (see `count_problem`), or None. When
    the field is left (Enter, or the focus goes) with such a number, Qt puts the last good
    value back; `note` then keeps saying why, until the student types again.
    """

    problemChanged = Signal()

    def __init__(self, what: str, low: int, high: int, value: int):
        self.what = what  # set first: the constructor already validates
        self.note: str | None = None
        super().__init__(minimum=low, maximum=high, value=value)
        self.setToolTip(f"{what}: from {low} to {high}")
        self.lineEdit().textChanged.connect(lambda _text: self.problemChanged.emit())

    # Qt sizes a spin box for its limits' digits (one, for 1 to 6), so a typed "100" would
    # show as "00": the field keeps room for this many digits, whatever the limits.
    TYPED_DIGITS = 4

    def sizeHint(self) -> QSize:
        return self._wide_enough(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._wide_enough(super().minimumSizeHint())

    def _wide_enough(self, hint: QSize) -> QSize:
        metrics = self.fontMetrics()
        limits = max(len(str(self.minimum())), len(str(self.maximum())))
        missing = max(0, self.TYPED_DIGITS - limits)
        return QSize(hint.width() + missing * metrics.horizontalAdvance("0"), hint.height())

    def validate(self, text, pos):
        # Any whole number may be typed (the limits are then said, not silently applied).
        if count_problem(text, self.what, -(10**9), 10**9) is None:
            inside = count_problem(text, self.what, self.minimum(), self.maximum()) is None
            return (QValidator.Acceptable if inside else QValidator.Intermediate, text, pos)
        return super().validate(text, pos)

    def fixup(self, text):
        return text  # keep what was typed, so the message can name it

    def _remember_refusal(self):
        problem = self.problem()
        if problem is not None:
            self.note = f"{problem} It stays {self.value()}."

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self._remember_refusal()
        else:
            self.note = None  # typing again: the live check speaks
        super().keyPressEvent(event)
        self.problemChanged.emit()

    def focusOutEvent(self, event):
        self._remember_refusal()
        super().focusOutEvent(event)
        self.problemChanged.emit()

    def problem(self) -> str | None:
        if not self.isEnabled():
            return None
        return count_problem(self.lineEdit().text(), self.what, self.minimum(), self.maximum())

    def message(self) -> str | None:
        """What the line under the fields says about this count: its problem or its note."""
        return self.problem() or (self.note if self.isEnabled() else None)


class CustomEditor(QGroupBox):
    """The network editor of the custom preset: sizes, activations, seed or typed weights."""

    buildRequested = Signal()

    def __init__(self, parent=None):
        super().__init__("Your network", parent)
        lo, hi = CUSTOM_LIMITS["inputs"]
        self.inputs = CountBox("Inputs", lo, hi, value=2)
        self.inputs.setAccessibleName("Number of inputs")
        lo, hi = CUSTOM_LIMITS["hidden_layers"]
        self.hidden_layers = CountBox("Hidden layers", lo, hi, value=1)
        self.hidden_layers.setAccessibleName("Number of hidden layers")
        names = list(ACTIVATIONS)
        self.hidden_sizes, self.hidden_acts = [], []
        lo, hi = CUSTOM_LIMITS["hidden"]
        for k in range(CUSTOM_LIMITS["hidden_layers"][1]):
            size = CountBox(f"Neurons in hidden layer {k + 1}", lo, hi, value=3)
            size.setAccessibleName(f"Neurons in hidden layer {k + 1}")
            act = QComboBox()
            act.addItems(names)
            act.setCurrentText("relu")
            act.setAccessibleName(f"Activation of hidden layer {k + 1}")
            self.hidden_sizes.append(size)
            self.hidden_acts.append(act)
        lo, hi = CUSTOM_LIMITS["outputs"]
        self.outputs = CountBox("Outputs", lo, hi, value=1)
        self.outputs.setAccessibleName("Number of outputs")
        self.output_act = QComboBox()
        self.output_act.addItems([*names, "softmax"])  # softmax: only ever the output
        self.output_act.setToolTip(
            "The output's activation; softmax makes a classifier (2 or 3 outputs, one per "
            "class, cross-entropy)"
        )
        self.output_act.setCurrentText("linear")
        self.output_act.setAccessibleName("Activation of the output layer")
        self.seed = QSpinBox(minimum=0, maximum=999_999, value=0)
        self.seed.setAccessibleName("Random seed for the weights")
        self.weights = QLineEdit()
        self.weights.setPlaceholderText(
            "empty: random from the seed; or rows split by ';', "
            "layers by '/', e.g. 0.6 0.5; 0.8 0.5 / -0.5; 0.25"
        )
        self.weights.setAccessibleName("Typed weights: rows split by semicolons, layers by slashes")
        self.build = QPushButton("Build network")
        self.build.setToolTip("Build the network and restart the lesson")

        def pair(caption, *widgets):
            box = QHBoxLayout()
            box.setSpacing(4)
            label = QLabel(caption)
            label.setBuddy(widgets[0])
            box.addWidget(label)
            for w in widgets:
                box.addWidget(w)
            return box

        top = QHBoxLayout()
        top.addLayout(pair("Inputs", self.inputs))
        top.addLayout(pair("Hidden layers", self.hidden_layers))
        for k, (size, act) in enumerate(zip(self.hidden_sizes, self.hidden_acts)):
            top.addLayout(pair(f"Hidden {k + 1}", size, act))
        top.addLayout(pair("Outputs", self.outputs, self.output_act))
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addLayout(pair("Seed", self.seed))
        bottom.addLayout(pair("Weights", self.weights), 1)
        bottom.addWidget(self.build)
        self.limits = QLabel()  # the allowed range of a count typed out of range
        self.limits.setAccessibleName("Limits of the network's sizes")
        self.limits.setWordWrap(True)
        self.limits.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.limits)
        layout.addLayout(bottom)
        for box in self.count_boxes():
            box.problemChanged.connect(self._show_problem)
        self.hidden_layers.valueChanged.connect(self._enable_rows)
        self.build.clicked.connect(self.buildRequested)
        self._enable_rows()

    def _enable_rows(self):
        n = self.hidden_layers.value()
        for k, (size, act) in enumerate(zip(self.hidden_sizes, self.hidden_acts)):
            size.setEnabled(k < n)
            act.setEnabled(k < n)
        self._show_problem()

    def count_boxes(self) -> list[CountBox]:
        return [self.inputs, self.hidden_layers, *self.hidden_sizes, self.outputs]

    def problem(self) -> str | None:
        """What is wrong with a typed count (its allowed range), or None when all fit."""
        problems = [p for p in (box.problem() for box in self.count_boxes()) if p]
        return " ".join(problems) or None

    def _show_problem(self):
        said = [m for m in (box.message() for box in self.count_boxes()) if m]
        self.limits.setText(" ".join(said))
        self.limits.setVisible(bool(said))

    def sizes(self) -> list[int]:
        n = self.hidden_layers.value()
        return (
            [self.inputs.value()]
            + [s.value() for s in self.hidden_sizes[:n]]
            + [self.outputs.value()]
        )

    def n_classes(self) -> int:
        """The classes of the network as chosen: its outputs for a softmax, else 0."""
        return self.outputs.value() if self.output_act.currentText() == "softmax" else 0

    def activations(self) -> list[str]:
        n = self.hidden_layers.value()
        return [a.currentText() for a in self.hidden_acts[:n]] + [self.output_act.currentText()]

    def typed_weights(self):
        """The typed weight matrices, or None when the box is empty (use the seed)."""
        text = self.weights.text()
        if not text.strip():
            return None
        sizes = self.sizes()
        return parse_matrices(text, list(zip(sizes[:-1], sizes[1:])), "weights")

    def show_network(self, sizes, activations):
        """Set the controls to describe an existing network (when switching to custom)."""
        blockers = [QSignalBlocker(w) for w in (self.inputs, self.hidden_layers, self.outputs)]
        self.inputs.setValue(sizes[0])
        self.outputs.setValue(sizes[-1])
        hidden = list(sizes[1:-1])[: len(self.hidden_sizes)]
        self.hidden_layers.setValue(len(hidden))
        for k, h in enumerate(hidden):
            self.hidden_sizes[k].setValue(h)
            self.hidden_acts[k].setCurrentText(activations[k])
        self.output_act.setCurrentText(activations[-1])
        del blockers
        self._enable_rows()
