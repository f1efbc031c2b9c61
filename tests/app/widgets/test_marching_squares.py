"""Tests for marching squares and the choice of round levels (no Qt needed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.widgets.marching_squares import contour_segments, nice_levels, nice_step, symmetric_limit


def _grid(n=40, lo=-3.0, hi=3.0):
    xs = np.linspace(lo, hi, n)
    ys = np.linspace(lo, hi + 1.0, n + 5)  # not square, to catch swapped axes
    X, Y = np.meshgrid(xs, ys)
    return xs, ys, X, Y


def test_contours_of_a_plane_lie_exactly_on_their_level():
    xs, ys, X, Y = _grid()
    Z = 0.3 * X - 0.7 * Y + 1.0
    levels = [-1.0, 0.5, 2.0]
    px, py = contour_segments(Z, xs, ys, levels)
    assert px.size > 0 and px.size % 2 == 0
    values = 0.3 * px - 0.7 * py + 1.0  # linear: interpolation is exact
    assert np.all(np.min(np.abs(values[:, None] - np.array(levels)[None, :]), axis=1) < 1e-9)
    # both ends of every segment belong to the same level
    assert np.allclose(values[0::2], values[1::2])


def _crossing_edges(Z, xs, ys, level):
    """Every grid edge whose two ends straddle the level, with the interpolated crossing."""
    points = []
    rows, cols = Z.shape
    for i in range(rows):
        for j in range(cols - 1):  # horizontal edges
            a, b = Z[i, j], Z[i, j + 1]
            if (a > level) != (b > level):
                t = (level - a) / (b - a)
                points.append((xs[j] + t * (xs[j + 1] - xs[j]), ys[i]))
    for i in range(rows - 1):
        for j in range(cols):  # vertical edges
            a, b = Z[i, j], Z[i + 1, j]
            if (a > level) != (b > level):
                t = (level - a) / (b - a)
                points.append((xs[j], ys[i] + t * (ys[i + 1] - ys[i])))
    return {(round(x, 9), round(y, 9)) for x, y in points}


def test_segment_ends_are_exactly_the_edge_crossings_of_a_bumpy_field():
    xs, ys, X, Y = _grid(25)
    rng = np.random.default_rng(3)
    Z = np.sin(1.7 * X) * np.cos(1.3 * Y) + 0.2 * rng.normal(size=X.shape)
    level = 0.1
    px, py = contour_segments(Z, xs, ys, [level])
    ends = {(round(x, 9), round(y, 9)) for x, y in zip(px, py)}
    assert ends == _crossing_edges(Z, xs, ys, level)
    # an edge inside the grid is shared by two cells, so its crossing ends two segments
    inner = [(x, y) for x, y in zip(px, py) if xs[0] < x < xs[-1] and ys[0] < y < ys[-1]]
    counts = {}
    for p in inner:
        key = (round(p[0], 9), round(p[1], 9))
        counts[key] = counts.get(key, 0) + 1
    assert set(counts.values()) == {2}


def test_a_circle_contour_stays_near_the_circle():
    xs = ys = np.linspace(-2, 2, 81)
    X, Y = np.meshgrid(xs, ys)
    Z = np.hypot(X, Y)
    px, py = contour_segments(Z, xs, ys, [1.0])
    radius = np.hypot(px, py)
    assert np.max(np.abs(radius - 1.0)) < 0.01
    # the segments join into a closed ring about 2π long
    length = np.sum(np.hypot(px[1::2] - px[0::2], py[1::2] - py[0::2]))
    assert length == pytest.approx(2 * np.pi, rel=0.01)


@pytest.mark.parametrize("centre_high", [True, False])
def test_saddle_cells_follow_the_cell_centre(centre_high):
    xs = ys = np.array([0.0, 1.0])
    Z = np.array([[1.0, 0.0], [0.0, 1.0]])  # high corners (0,0) and (1,1): a saddle
    level = 0.4 if centre_high else 0.6  # the centre (mean) is 0.5
    px, py = contour_segments(Z, xs, ys, [level])
    assert px.size == 4  # two segments
    corners_cut = []
    for k in (0, 2):
        mid = ((px[k] + px[k + 1]) / 2, (py[k] + py[k + 1]) / 2)
        corners_cut.append((round(mid[0]), round(mid[1])))
    if centre_high:  # the low corners (x=1, y=0) and (x=0, y=1) are cut off
        assert sorted(corners_cut) == [(0, 1), (1, 0)]
    else:  # the high corners are cut off
        assert sorted(corners_cut) == [(0, 0), (1, 1)]


def test_cells_touching_nan_are_skipped_and_bad_shapes_refused():
    xs, ys, X, Y = _grid(10)
    Z = X + Y
    Z[3, 4] = np.nan
    px, py = contour_segments(Z, xs, ys, [0.0])
    assert np.all(np.isfinite(px)) and np.all(np.isfinite(py))
    with pytest.raises(ValueError, match="shape"):
        contour_segments(Z.T, xs, ys, [0.0])
    assert contour_segments(Z, xs, ys, [])[0].size == 0


def test_nice_levels_are_round_and_inside_the_range():
    levels = nice_levels(-13.2, 54.7, 8)
    assert 5 <= len(levels) <= 10
    assert np.all((levels > -13.2) & (levels < 54.7))
    step = np.diff(levels)
    assert np.allclose(step, step[0])
    assert step[0] in (5.0, 10.0)
    assert nice_step(1.0, 4) == 0.25
    assert nice_levels(1.0, 1.0).size == 0


def test_symmetric_limit_rounds_up_to_one_two_five():
    values = np.linspace(-3.3, 3.3, 1001)
    assert symmetric_limit(values, quantile=1.0) == 5.0
    assert symmetric_limit(np.array([0.0, 0.012]), quantile=1.0) == pytest.approx(0.02)
    assert symmetric_limit(np.array([np.nan])) == 1.0


def test_marching_squares_imports_no_qt():
    """The geometry needs NumPy only: importing it in a fresh interpreter loads no GUI library."""
    code = (
        "import json, sys\n"
        "import app.widgets.marching_squares\n"
        "gui = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6', 'shiboken6', 'pyqtgraph', 'PyQt5', 'PyQt6'})\n"
        "print(json.dumps(gui))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[3],  # the repository, where `app` is found
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
