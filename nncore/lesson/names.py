"""How the lesson names things for students, in plain text and in LaTeX.

Inputs are x₁, x₂, …; hidden neurons h₁, h₂ (or h¹₂ = layer 1, neuron 2 when there is more
than one hidden layer); outputs ŷ (or ŷ₁, ŷ₂ with several) and their targets y (y₁, y₂).
A weight is w(from→to), a bias b(neuron). Columns count from 0 (the inputs) to L (the
outputs); weight layer l joins column l to column l + 1.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..formatting import SUBSCRIPT, SUPERSCRIPT


class NodeNames:
    """Readable labels: inputs x₁, x₂; hidden h₁ (or h¹₂ = layer 1, neuron 2); outputs ŷ."""

    def __init__(self, sizes: Sequence[int]):
        self.sizes = tuple(sizes)
        self.L = len(sizes) - 1

    def node(self, col: int, i: int) -> str:
        sub = str(i + 1).translate(SUBSCRIPT)
        if col == 0:
            return "x" + sub
        if col == self.L:
            return "ŷ" if self.sizes[-1] == 1 else "ŷ" + sub
        if self.L == 2:
            return "h" + sub
        return "h" + str(col).translate(SUPERSCRIPT) + sub

    def node_tex(self, col: int, i: int) -> str:
        if col == 0:
            return f"x_{{{i + 1}}}"
        if col == self.L:
            return "\\hat{y}" if self.sizes[-1] == 1 else f"\\hat{{y}}_{{{i + 1}}}"
        if self.L == 2:
            return f"h_{{{i + 1}}}"
        return f"h^{{({col})}}_{{{i + 1}}}"

    def target(self, j: int) -> str:
        return "y" if self.sizes[-1] == 1 else "y" + str(j + 1).translate(SUBSCRIPT)

    def target_tex(self, j: int) -> str:
        return "y" if self.sizes[-1] == 1 else f"y_{{{j + 1}}}"

    def weight(self, l: int, i: int, j: int) -> str:
        return f"w({self.node(l, i)}→{self.node(l + 1, j)})"

    def weight_tex(self, l: int, i: int, j: int) -> str:
        return f"w_{{{self.node_tex(l, i)}\\to {self.node_tex(l + 1, j)}}}"

    def bias(self, l: int, j: int) -> str:
        return f"b({self.node(l + 1, j)})"

    def bias_tex(self, l: int, j: int) -> str:
        return f"b_{{{self.node_tex(l + 1, j)}}}"
