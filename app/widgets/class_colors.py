"""Colours and shapes for a classifier's drawings: the decision regions and the points.

A classifier's map shows, at every grid point, the class it would choose in that class's
colour (`app.theme.CLASS_COLORS`), strong where it is sure and faint where it hesitates:
`region_image` mixes each class colour with the background by the probability nncore
computed for the chosen class (`nncore.classification.decision_map`). The points of class
c are drawn in the same colour with shape `class_symbol(c)` (circle, triangle, square, ...),
so the classes stay apart in grey print and for colour-blind readers too.

Plain NumPy, no Qt: tested without a display.
"""

from __future__ import annotations

import numpy as np

from app.theme import class_color

# pyqtgraph's names for the points' shapes, one per class (cycled after eight)
CLASS_SYMBOLS = ("o", "t", "s", "d", "star", "p", "h", "t1")

# How strongly a region is tinted: FAINT where the chosen class is no more likely than a
# guess (1/k), FULL where the network is certain; the points stay readable on FULL.
FAINT, FULL = 0.12, 0.72


def class_symbol(index: int) -> str:
    return CLASS_SYMBOLS[index % len(CLASS_SYMBOLS)]


def hex_rgb(color: str) -> tuple[int, int, int]:
    """ "#0072B2" -> (0, 114, 178)."""
    text = color.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def region_image(chosen: np.ndarray, confidence: np.ndarray, k: int, background: str) -> np.ndarray:
    """An RGB image (rows, cols, 3) of uint8: each grid point in its chosen class's colour,
    mixed with `background` by how sure the network is (`confidence`, from 1/k to 1)."""
    palette = np.array([hex_rgb(class_color(c)) for c in range(k)], dtype=np.float64)  # (k, 3)
    back = np.array(hex_rgb(background), dtype=np.float64)  # (3,)
    guess = 1.0 / k
    sureness = np.clip((confidence - guess) / (1.0 - guess), 0.0, 1.0)  # (rows, cols)
    strength = (FAINT + (FULL - FAINT) * sureness)[..., None]  # (rows, cols, 1)
    rgb = back + strength * (palette[chosen] - back)  # (rows, cols, 3)
    return np.round(rgb).astype(np.uint8)


__all__ = ["CLASS_SYMBOLS", "FAINT", "FULL", "class_symbol", "hex_rgb", "region_image"]
