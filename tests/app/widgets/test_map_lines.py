"""Tests for the live maps' lines computed away from the views (app.widgets.map_lines), and
the marching-squares helpers they use. No Qt needed."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from app.widgets.map_lines import (
    CONFIDENCE_LINES,
    CONTOUR_LINES,
    ERROR_CONTOUR_LINES,
    MapLines,
    live_map_lines,
    same_levels,
    value_contour_levels,
)
from app.widgets.marching_squares import (
    contour_segments,
    error_scale,
    nice_levels,
    region_boundaries,
    symmetric_limit,
)

XS = np.linspace(-10, 10, 41)
YS = np.linspace(-10, 10, 31)
X, Y = np.meshgrid(XS, YS)


def test_a_regressors_lines_are_the_contours_of_its_maps_at_the_views_levels():
    prediction = np.sin(X / 3) * 20 + Y
    error = 0.3 * np.cos(X) * np.sin(Y / 2)
    lines = live_map_lines(XS, YS, value_range=(-30, 30), prediction=prediction, error=error)
    levels = nice_levels(-30, 30, CONTOUR_LINES)
    assert np.array_equal(lines.prediction_levels, levels)
    for got, want in zip(lines.prediction, contour_segments(prediction, XS, YS, levels)):
        assert np.array_equal(got, want)
    bound = symmetric_limit(error)
    assert lines.error_bound == bound
    assert np.array_equal(lines.error_levels, nice_levels(-bound, bound, ERROR_CONTOUR_LINES))
    for got, want in zip(lines.error, contour_segments(error, XS, YS, lines.error_levels)):
        assert np.array_equal(got, want)
    assert lines.boundary is None and lines.confidence is None


def test_without_a_known_truth_there_are_no_error_lines():
    lines = live_map_lines(XS, YS, value_range=(0, 1), prediction=X / 20 + 0.5)
    assert lines.prediction is not None and lines.prediction[0].size > 0
    assert lines.error is None and lines.error_bound is None


def test_a_classifiers_lines_are_its_boundary_and_how_sure_contours():
    margins = np.stack([X - Y, Y - X, -np.hypot(X, Y) + 5], axis=-1)
    confidence = 0.5 + 0.5 * np.tanh(np.abs(X - Y) / 5)
    lines = live_map_lines(
        XS, YS, confidence_range=(0.5, 1.0), confidence=confidence, margins=margins
    )
    levels = nice_levels(0.5, 1.0, CONFIDENCE_LINES)
    assert np.array_equal(lines.confidence_levels, levels)
    for got, want in zip(lines.confidence, contour_segments(confidence, XS, YS, levels)):
        assert np.array_equal(got, want)
    # every class's zero line, one after the other, as the decision map drew them
    per_class = [contour_segments(margins[..., c], XS, YS, (0.0,)) for c in range(3)]
    bx, by = lines.boundary
    assert np.array_equal(bx, np.concatenate([p[0] for p in per_class]))
    assert np.array_equal(by, np.concatenate([p[1] for p in per_class]))
    assert bx.size > 0 and lines.prediction is None


def test_region_boundaries_and_error_scale_match_their_parts():
    margins = np.stack([X, -X], axis=-1)
    px, _py = region_boundaries(margins, XS, YS)
    assert px.size == 2 * 2 * (YS.size - 1)  # the line x = 0, drawn by both classes
    assert np.allclose(px, 0.0)
    empty = region_boundaries(np.zeros((3, 3, 0)), XS[:3], YS[:3])
    assert empty[0].size == 0
    bound, levels = error_scale(np.array([[-0.4, 0.1], [0.2, 0.3]]), 4)
    assert bound == 0.5 and np.all(np.abs(levels) < bound)


def test_lines_are_used_only_for_the_levels_they_were_found_at():
    levels = value_contour_levels((0.0, 10.0))
    assert same_levels(levels, nice_levels(0.0, 10.0, CONTOUR_LINES))
    assert not same_levels(levels, nice_levels(0.0, 20.0, CONTOUR_LINES))
    assert not same_levels(None, levels)
    assert MapLines().prediction is None


def test_the_lines_module_loads_no_gui_library():
    code = (
        "import json, sys, app.widgets.map_lines\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'pyqtgraph'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
