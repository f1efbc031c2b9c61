"""What the student types on the "Step through" tab, checked: numbers and networks.

- `parse_numbers`, `parse_learning_rate`, `parse_matrices` turn the text of an input field
  into numbers, or raise `InputError` with a message saying exactly what is wrong (not a
  number, out of range, too many or too few values). They never evaluate the text.
- `CustomEditor` is the network editor of the custom preset: 1–4 inputs, up to three hidden
  layers of 1–6 neurons, 1–3 outputs, an activation per layer, and either a random seed or
  typed weights. It only collects choices; `nncore.lesson.make_custom` builds the network.
"""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QSignalBlocker, Signal
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

from nncore.activations import ACTIVATIONS
from nncore.lesson import CUSTOM_LIMITS

VALUE_LIMIT = 1000.0  # inputs, targets and typed weights must stay within ±this
LR_LIMIT = 10.0


class InputError(ValueError):
    """A value typed by the student that cannot be used; the message says why."""


def parse_numbers(
    text: str, what: str, count: int | None = None, limit: float = VALUE_LIMIT
) -> list[float]:
    """Numbers separated by commas or spaces ("0.1, 0.3"), finite and within ±limit."""
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    if not parts:
        raise InputError(f"{what}: type {count or 'some'} number(s), e.g. 0.1, 0.3")
    values = []
    for part in parts:
        try:
            value = float(part.replace("−", "-"))
        except ValueError:
            raise InputError(f"{what}: '{part}' is not a number") from None
        if not math.isfinite(value):
            raise InputError(f"{what}: '{part}' is not a finite number")
        if abs(value) > limit:
            raise InputError(f"{what}: {part} is out of range (keep within ±{limit:g})")
        values.append(value)
    if count is not None and len(values) != count:
        raise InputError(f"{what}: the network needs {count} number(s); you typed {len(values)}")
    return values


def parse_learning_rate(text: str) -> float:
    try:
        value = float(text.strip().replace("−", "-"))
    except ValueError:
        raise InputError(f"learning rate: '{text.strip()}' is not a number") from None
    if not math.isfinite(value) or not 0 < value <= LR_LIMIT:
        raise InputError(f"learning rate: must be above 0 and at most {LR_LIMIT:g}")
    return value


def parse_matrices(text: str, shapes: list[tuple[int, int]], what: str) -> list[list]:
    """Layers separated by '/' or new lines; rows by ';'; numbers by spaces or commas."""
    lines = [ln for ln in re.split(r"[/\n]", text.strip()) if ln.strip()]
    if len(lines) != len(shapes):
        raise InputError(f"{what}: need {len(shapes)} line(s), one per layer; got {len(lines)}")
    matrices = []
    for n, (line, (rows, cols)) in enumerate(zip(lines, shapes), start=1):
        row_texts = [r for r in line.split(";") if r.strip()]
        if len(row_texts) != rows:
            raise InputError(
                f"{what}, layer {n}: need {rows} row(s) separated by ';' "
                f"(one per input of the layer); got {len(row_texts)}"
            )
        matrix = [parse_numbers(r, f"{what}, layer {n}", cols) for r in row_texts]
        matrices.append(matrix)
    return matrices


class CustomEditor(QGroupBox):
    """The network editor of the custom preset: sizes, activations, seed or typed weights."""

    buildRequested = Signal()

    def __init__(self, parent=None):
        super().__init__("Your network", parent)
        lo, hi = CUSTOM_LIMITS["inputs"]
        self.inputs = QSpinBox(minimum=lo, maximum=hi, value=2)
        self.inputs.setAccessibleName("Number of inputs")
        lo, hi = CUSTOM_LIMITS["hidden_layers"]
        self.hidden_layers = QSpinBox(minimum=lo, maximum=hi, value=1)
        self.hidden_layers.setAccessibleName("Number of hidden layers")
        names = list(ACTIVATIONS)
        self.hidden_sizes, self.hidden_acts = [], []
        lo, hi = CUSTOM_LIMITS["hidden"]
        for k in range(CUSTOM_LIMITS["hidden_layers"][1]):
            size = QSpinBox(minimum=lo, maximum=hi, value=3)
            size.setAccessibleName(f"Neurons in hidden layer {k + 1}")
            act = QComboBox()
            act.addItems(names)
            act.setCurrentText("relu")
            act.setAccessibleName(f"Activation of hidden layer {k + 1}")
            self.hidden_sizes.append(size)
            self.hidden_acts.append(act)
        lo, hi = CUSTOM_LIMITS["outputs"]
        self.outputs = QSpinBox(minimum=lo, maximum=hi, value=1)
        self.outputs.setAccessibleName("Number of outputs")
        self.output_act = QComboBox()
        self.output_act.addItems(names)
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
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.hidden_layers.valueChanged.connect(self._enable_rows)
        self.build.clicked.connect(self.buildRequested)
        self._enable_rows()

    def _enable_rows(self):
        n = self.hidden_layers.value()
        for k, (size, act) in enumerate(zip(self.hidden_sizes, self.hidden_acts)):
            size.setEnabled(k < n)
            act.setEnabled(k < n)

    def sizes(self) -> list[int]:
        n = self.hidden_layers.value()
        return (
            [self.inputs.value()]
            + [s.value() for s in self.hidden_sizes[:n]]
            + [self.outputs.value()]
        )

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
