"""A classifier's confusion matrix as a small labelled table with a heat map behind it.

Row = the true class, column = the class the network chose; every cell holds a count, and
its background is the row's class colour, as strong as the cell's share of that row (from
`nncore.classification.row_shares`): a good classifier shows a strong diagonal and pale
cells elsewhere, and a pale diagonal cell with a strong neighbour names one mistake ("class
2 taken for class 0, 14 times"). The counts come from nncore (`TrainingRun.confusion_matrix`);
this view only writes them into cells and colours them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.theme import class_color
from app.widgets.colormaps import theme_colors
from nncore.classification import row_shares

EMPTY_TEXT = "The confusion matrix appears here once a classifier has trained."


class ConfusionView(QWidget):
    """The confusion matrix of a classifier (see the module docstring)."""

    picture_name = "the confusion matrix"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel(EMPTY_TEXT)
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip(
            "Row: the true class of the points; column: the class the network chose. The "
            "diagonal counts the right answers; every other cell is one kind of mistake."
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        self._counts: np.ndarray | None = None

    def clear(self) -> None:
        self._counts = None
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.title.setText(EMPTY_TEXT)

    def set_counts(self, counts: np.ndarray, names: Sequence[str], split: str) -> None:
        """Show counts (k, k) of int for classes `names`, measured on the `split` points."""
        counts = np.asarray(counts)
        k = counts.shape[0]
        self._counts = counts
        if self.table.rowCount() != k:
            self.table.setRowCount(k)
            self.table.setColumnCount(k)
        self.table.setVerticalHeaderLabels([f"true {n}" for n in names[:k]])
        self.table.setHorizontalHeaderLabels([f"chose {n}" for n in names[:k]])
        shares = row_shares(counts)
        text = QColor(theme_colors()["foreground"])
        for t in range(k):
            hue = QColor(class_color(t))
            for c in range(k):
                item = self.table.item(t, c)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    self.table.setItem(t, c, item)
                item.setText(f"{int(counts[t, c]):,}")
                tint = QColor(hue)
                tint.setAlphaF(0.08 + 0.77 * float(shares[t, c]))
                item.setBackground(QBrush(tint))
                item.setForeground(QBrush(text))
        right = int(np.trace(counts))
        total = int(counts.sum())
        self.title.setText(
            f"Confusion matrix on the {total:,} {split} points: {right:,} right "
            f"({right / max(total, 1):.1%})."
        )

    def counts(self) -> np.ndarray | None:
        return self._counts

    def apply_theme(self, _name: str | None = None) -> None:
        if self._counts is not None:
            self.table.viewport().update()


__all__ = ["ConfusionView"]
