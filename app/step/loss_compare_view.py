"""What the "Squared error vs cross-entropy" window shows, without Qt.

`nncore.lesson.loss_comparison` works out one sigmoid neuron stepped with each loss. This
module decides how the window lays it out: the rows of each column (a label, the formula
with its numbers, a note, the sentence for its tooltip, and whether it is the row that
differs), the line above the columns, and the plot's curves, marks and range. Every number
arrives computed and formatted by nncore; nothing here does a loss's arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore.formatting import fmt
from nncore.lesson.loss_comparison import (
    LOSS_KEYS,
    Comparison,
    LossStep,
    gradient_curves,
    steps_sentence,
    steps_to_answer,
)

# The rows of a column, in the order the chain rule goes: ŷ, the loss, ∂L/∂ŷ, the slope,
# ∂L/∂z, the weight's gradient, the update, and the neuron run again.
ROW_ORDER = ("prediction", "loss", "d_pred", "slope", "d_z", "d_w", "w", "b", "new_prediction")
ROW_LABELS = {
    "prediction": "Now",
    "loss": "Loss",
    "d_pred": "∂L/∂ŷ",
    "slope": "σ′(z)",
    "d_z": "∂L/∂z",
    "d_w": "∂L/∂w",
    "w": "Update w",
    "b": "Update b",
    "new_prediction": "After",
}
# The rows where the two losses differ in kind, drawn highlighted: the factor σ′(z) (kept
# by squared error, cancelled by cross-entropy) and the ∂L/∂z it makes.
EMPHASISED = ("slope", "d_z")
SLOPE_NOTES = {
    "mse": "× multiplied into ∂L/∂z: the signal shrinks",
    "cross_entropy": "÷ cancelled by the log's 1/σ′(z): the signal stays whole",
}
TITLES = {
    "mse": "Squared error, L = ½(ŷ − y)²",
    "cross_entropy": "Cross-entropy, L = −log p(true class)",
}
TITLE_TIPS = {
    "mse": (
        "Half the squared miss, the loss nn-tutor's regression networks learn from (the ½ "
        "only makes its derivative plain ŷ − y)"
    ),
    "cross_entropy": (
        "The surprise at the true class: −log ŷ for class 1, −log(1 − ŷ) for class 0 "
        "(binary cross-entropy, what a classifier learns from)"
    ),
}

Z_VIEW = 8.0  # the plot shows at least z from −8 to 8, where the sigmoid does its bending
Z_FAR = 60.0  # and never further out than this: beyond it both curves are flat lines


@dataclass(frozen=True)
class Row:
    """One line of a column: `label` ("σ′(z)"), `text` (the formula with its numbers),
    `note` (a few words under it, or ""), `tip` (the sentence for its tooltip) and whether
    it is one of the rows that differ (`emphasis`)."""

    key: str
    label: str
    text: str
    note: str
    tip: str
    emphasis: bool


def column_rows(step: LossStep) -> list[Row]:
    """The rows of one loss's column, formulas and sentences from nncore."""
    rows = []
    for key in ROW_ORDER:
        note = SLOPE_NOTES[step.loss_key] if key == "slope" else ""
        rows.append(
            Row(
                key=key,
                label=ROW_LABELS[key],
                text=step.formulas[key][0],
                note=note,
                tip=step.narration[key],
                emphasis=key in EMPHASISED,
            )
        )
    return rows


def column_caption(step: LossStep) -> str:
    """Under a column: how many steps this loss needs to get the class right from here."""
    sentence = steps_sentence(step.neuron, step.loss_key)
    already = steps_to_answer(step.neuron, step.loss_key) == 0
    return sentence if already else "From here: " + sentence


def headline(comparison: Comparison) -> str:
    """The sentence above the two columns (see `Comparison.summary`)."""
    return comparison.summary()


@dataclass(frozen=True)
class PlotData:
    """|∂L/∂z| against z for both losses and where each neuron stands on its curve."""

    z: np.ndarray
    curves: dict[str, np.ndarray]  # by loss key
    marks: dict[str, tuple[float, float]]  # by loss key: (z, |∂L/∂z|) of its neuron now
    x_range: tuple[float, float]
    y_label: str = "|∂L/∂z|"
    x_label: str = "z = w·x + b"


def plot_data(comparison: Comparison, n: int = 481) -> PlotData:
    """The curves over a z range that holds both neurons (clipped to ±Z_FAR)."""
    zs = [step.z for step in comparison.columns]
    low = max(-Z_FAR, min(-Z_VIEW, min(zs) - 1.0))
    high = min(Z_FAR, max(Z_VIEW, max(zs) + 1.0))
    y = comparison.squared.neuron.y
    curves = gradient_curves(y=y, low=low, high=high, n=n)
    marks = {
        step.loss_key: (min(max(step.z, low), high), abs(step.d_z)) for step in comparison.columns
    }
    return PlotData(
        z=curves.z,
        curves={"mse": curves.squared, "cross_entropy": curves.cross_entropy},
        marks=marks,
        x_range=(low, high),
    )


def plot_caption(comparison: Comparison) -> str:
    """Under the plot: what the two curves say."""
    ratio = comparison.ratio
    times = (
        ""
        if comparison.squared.z != comparison.cross_entropy.z
        else (f" Here the two differ {fmt(ratio, 3)}-fold." if np.isfinite(ratio) else "")
    )
    return (
        "How hard each loss pushes on z. Cross-entropy's push is the whole miss |ŷ − y|; "
        "squared error's is that times σ′(z), which is nearly 0 where the neuron is sure, "
        f"right or wrong.{times}"
    )


__all__ = [
    "LOSS_KEYS",
    "Row",
    "PlotData",
    "TITLES",
    "TITLE_TIPS",
    "column_rows",
    "column_caption",
    "headline",
    "plot_data",
    "plot_caption",
]
