"""Tests for the Train tab's right-hand views (`TrainViews`) drawing a snapshot whose maps'
contour lines were computed elsewhere (`snap.lines`, from `app.widgets.map_lines`)."""

from __future__ import annotations

import dataclasses

import numpy as np

from app.train.session import DataSettings, prepare_data
from app.train.worker import TrainingSnapshot
from app.widgets.map_lines import live_map_lines
from app.widgets.marching_squares import contour_segments, error_scale

ONE_SEGMENT = (np.array([-5.0, 5.0]), np.array([0.0, 1.0]))  # unlike any contour here


def _views(qtbot, settings: DataSettings):
    from app.train.views import TrainViews

    views = TrainViews()
    qtbot.addWidget(views)
    prepared = prepare_data(settings)
    views.show_data(prepared)
    return views, prepared


def _snapshot(**grid) -> TrainingSnapshot:
    # the maps need only the grid; the network's state is the loss curve's business
    return TrainingSnapshot(
        run_id=1, reports=[], state=None, total_epochs=1, epochs_per_second=0.0, **grid
    )


def _drawn(view) -> np.ndarray:
    return view.contours.getData()[0]


def test_a_regressors_maps_draw_the_lines_handed_in_for_their_levels(qtbot):
    views, p = _views(qtbot, DataSettings(function="article", samples=200, seed=3))
    prediction = p.truth * 0.8 + 1.0
    error = prediction - p.truth
    lines = live_map_lines(p.xs, p.ys, value_range=views.levels, prediction=prediction, error=error)
    snap = _snapshot(prediction=prediction, error=error)
    snap.lines = dataclasses.replace(lines, prediction=ONE_SEGMENT)
    views.show_prediction(snap)
    assert np.array_equal(_drawn(views.prediction_view), ONE_SEGMENT[0])
    assert np.array_equal(_drawn(views.error_view), lines.error[0])
    bound = lines.error_bound
    assert views.error_view.colorbar.levels() == (-bound, bound)
    # lines of other levels (the data changed since) are not drawn: the map finds its own
    snap.lines = dataclasses.replace(
        lines, prediction_levels=lines.prediction_levels + 0.5, prediction=ONE_SEGMENT
    )
    views.show_prediction(snap)
    own = contour_segments(prediction, p.xs, p.ys, views.contour_levels)[0]
    assert np.array_equal(_drawn(views.prediction_view), own)


def test_without_lines_handed_in_the_maps_find_them_as_before(qtbot):
    views, p = _views(qtbot, DataSettings(function="article", samples=200, seed=3))
    prediction = p.truth * 0.8
    error = prediction - p.truth
    views.show_prediction(_snapshot(prediction=prediction, error=error))
    _bound, levels = error_scale(error, 4)
    assert np.array_equal(_drawn(views.error_view), contour_segments(error, p.xs, p.ys, levels)[0])


def test_a_classifiers_maps_draw_the_boundary_and_lines_handed_in(qtbot):
    from nncore.classification import decision_map

    settings = DataSettings(task="classification", dataset="spiral", classes=2, samples=200)
    views, p = _views(qtbot, settings)
    X, Y = np.meshgrid(p.xs, p.ys)
    one = 1 / (1 + np.exp(-(X - Y) / 3))  # the probability of class 1: a diagonal boundary
    d = decision_map(np.stack([1 - one.ravel(), one.ravel()], axis=1)).reshaped(*X.shape)
    lines = live_map_lines(
        p.xs,
        p.ys,
        confidence_range=views.confidence_levels,
        confidence=d.confidence,
        margins=d.margins,
    )
    snap = _snapshot(decision=d)
    snap.lines = dataclasses.replace(lines, boundary=ONE_SEGMENT)
    views.show_prediction(snap)
    assert np.array_equal(views.prediction_view.boundary.getData()[0], ONE_SEGMENT[0])
    assert np.array_equal(_drawn(views.error_view), lines.confidence[0])
