"""The lines on the Train tab's live maps, computed wherever the grid itself is computed.

The prediction and error maps carry contour lines, a classifier's maps its decision boundary
and the contours of how sure it is. Finding them (`app.widgets.marching_squares`) is pure
arithmetic on the grid, about 1 ms a map on a 100 × 100 grid, so it need not hold the GUI
thread: `live_map_lines` computes them all from the same arrays a training snapshot carries,
in any thread or process, and the maps draw the result (`ContourView.set_values(...,
contours=)`, `ContourView.set_regions(..., boundary=)`). `MapLines` records the levels the
lines are of; a view that shows other levels (the data changed meanwhile) finds its own.

How many lines each map gets is decided here, once, for both ways of drawing them.

This module needs only NumPy (no Qt), so it is tested without a display.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.widgets.marching_squares import (
    contour_segments,
    error_scale,
    nice_levels,
    region_boundaries,
)

CONTOUR_LINES = 8  # about this many contour lines per value map
ERROR_CONTOUR_LINES = 4  # and on the error map, whose range changes as the run learns
CONFIDENCE_LINES = 4  # contour lines on a classifier's "how sure" map

Segments = tuple[np.ndarray, np.ndarray]  # (px, py): points 2k and 2k+1 end segment k


@dataclass(frozen=True)
class MapLines:
    """The segments of one snapshot's live maps, each beside the levels it is of (None
    where the snapshot has no such map)."""

    prediction_levels: np.ndarray | None = None
    prediction: Segments | None = None
    error_bound: float | None = None  # the error map's colour range is ±error_bound
    error_levels: np.ndarray | None = None
    error: Segments | None = None
    confidence_levels: np.ndarray | None = None
    confidence: Segments | None = None
    boundary: Segments | None = None


def value_contour_levels(value_range: tuple[float, float]) -> np.ndarray:
    """The round contour levels of a value map coloured over `value_range`."""
    return nice_levels(float(value_range[0]), float(value_range[1]), CONTOUR_LINES)


def confidence_contour_levels(confidence_range: tuple[float, float]) -> np.ndarray:
    """The round contour levels of a classifier's "how sure" map over `confidence_range`."""
    return nice_levels(float(confidence_range[0]), float(confidence_range[1]), CONFIDENCE_LINES)


def live_map_lines(
    xs: np.ndarray,
    ys: np.ndarray,
    *,
    value_range: tuple[float, float] | None = None,
    prediction: np.ndarray | None = None,
    error: np.ndarray | None = None,
    confidence_range: tuple[float, float] | None = None,
    confidence: np.ndarray | None = None,
    margins: np.ndarray | None = None,
) -> MapLines:
    """Every line the live maps draw for one snapshot on the grid (`xs`, `ys`).

    A regressor: `prediction` (rows, cols) with the data's `value_range` (the colour range of
    the value maps), and `error` (rows, cols) or None. A classifier: `confidence` (rows,
    cols), the chosen class's probability, with the data's `confidence_range`, and
    `margins` (rows, cols, k), whose zero lines are the decision boundary.
    """
    parts: dict = {}
    if prediction is not None and value_range is not None:
        levels = value_contour_levels(value_range)
        parts.update(
            prediction_levels=levels, prediction=contour_segments(prediction, xs, ys, levels)
        )
    if error is not None:
        bound, levels = error_scale(error, ERROR_CONTOUR_LINES)
        parts.update(
            error_bound=bound, error_levels=levels, error=contour_segments(error, xs, ys, levels)
        )
    if confidence is not None and confidence_range is not None:
        levels = confidence_contour_levels(confidence_range)
        parts.update(
            confidence_levels=levels, confidence=contour_segments(confidence, xs, ys, levels)
        )
    if margins is not None:
        parts["boundary"] = region_boundaries(margins, xs, ys)
    return MapLines(**parts)


def same_levels(a: np.ndarray | None, b) -> bool:
    """Whether precomputed lines of levels `a` are the lines of levels `b`."""
    return a is not None and np.array_equal(np.asarray(a), np.asarray(b))


__all__ = [
    "CONFIDENCE_LINES",
    "CONTOUR_LINES",
    "ERROR_CONTOUR_LINES",
    "MapLines",
    "Segments",
    "confidence_contour_levels",
    "live_map_lines",
    "same_levels",
    "value_contour_levels",
]
