"""The maps a snapshot carries: the network's prediction (or decision map) on the contour
grid, its error, the confusion matrix and every neuron's map, computed from the snapshot's
copy of the network.

`LiveGrids` holds what the maps are computed on (the contour grid's points and the truth
there, the plane the neuron maps cover) and decides how often they are worth computing.
Whoever trains the run calls `due(now)` after each snapshot it makes and, when it says yes,
`fill(snapshot, run)`:

- with the training in a thread of the app (`app.train.worker`) the maps are computed in
  that thread, between chunks, so they take time from the training: they may use at most
  `SHARE` of its time (and are computed at most `MAX_HZ`, at least `MIN_HZ` times a second);
- with the training in a process of its own (`app.train.process_worker`) they are computed
  in the app's process by the thread that receives the snapshots, on the core the training
  does not use: then only `MAX_HZ_BESIDE` limits them (`share=None`).

Besides the numbers, everything about drawing them that needs no Qt is done here too, so
that the GUI thread only hands arrays to the views: the maps' contour lines and a
classifier's boundary (`app.widgets.map_lines`, for the grid's `MapAxes`), and the neuron
maps coloured into images (`app.widgets.neuron_maps_layout.colour_layers`, with the
colour table the view gave).

`run` is only asked for its data and normaliser (which never change); the weights are
always the snapshot's own copy. No Qt here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from app.train.session import PreparedData
from app.train.snapshot import TrainingSnapshot
from app.widgets.map_lines import live_map_lines
from app.widgets.neuron_maps_layout import colour_layers
from nncore.classification import decision_map
from nncore.neuron_maps import DEFAULT_GRID, neuron_maps
from nncore.training import TrainingRun

SHARE = 0.04  # in the training thread: at most this share of its time
MAX_HZ = 12.0  # and never more often than this
MIN_HZ = 2.0  # but at least this often, so the maps always look alive
# In the app's process, beside a training process: at most every other snapshot of 30 a
# second, so 15 a second (the issue asks for at least 10 refreshes a second).
MAX_HZ_BESIDE = 20.0


@dataclass(frozen=True)
class MapAxes:
    """The contour grid's axes (`xs` its columns' x, `ys` its rows' y) and the colour
    ranges its maps are drawn over: what their contour lines are computed for."""

    xs: np.ndarray
    ys: np.ndarray
    value_range: tuple[float, float]
    confidence_range: tuple[float, float]

    @classmethod
    def of(cls, prepared: PreparedData) -> MapAxes:
        return cls(prepared.xs, prepared.ys, prepared.value_range(), prepared.confidence_range())


class LiveGrids:
    """The grids of one run (see the module docstring).

    `grid_X` (n², 2) are the contour grid's points in original units, row-major; `truth`
    the true values there as (n, n), or None. `share` is the largest share of the caller's
    time the grids may take, or None for no such limit.
    """

    def __init__(
        self,
        grid_X: np.ndarray | None,
        truth: np.ndarray | None,
        share: float | None = SHARE,
        max_hz: float = MAX_HZ,
        axes: MapAxes | None = None,
    ):
        self.grid_X = grid_X
        self.truth = truth
        self.shape: tuple[int, int] | None = None
        if grid_X is not None:
            side = int(round(np.sqrt(len(grid_X))))
            self.shape = (side, side) if side * side == len(grid_X) else None
        self.share = share
        self.axes = axes  # None: the views find the lines themselves
        self.max_hz = max_hz
        # The plane of the neuron maps while the Neuron maps tab is on show, else None; set
        # from the GUI thread, read here (one attribute: assigning it is atomic).
        self.neuron_maps_domain: tuple[float, float, float, float] | None = None
        self.neuron_maps_grid = DEFAULT_GRID
        # (look-up table, dead neuron's pixel) to colour them with, or None (the view does)
        self.neuron_colours: tuple[np.ndarray, np.uint32] | None = None
        self._cost = 0.0  # CPU seconds one filling takes, smoothed
        self._last = 0.0  # perf_counter time of the last filling
        self._X_norm32: np.ndarray | None = None  # the grid, normalised, for live frames

    @property
    def has_grid(self) -> bool:
        return self.grid_X is not None and self.shape is not None

    def due(self, now: float) -> bool:
        """Whether the next snapshot should carry new grids."""
        if not self.has_grid and self.neuron_maps_domain is None:
            return False
        gap = 1.0 / self.max_hz
        if self.share is not None:
            gap = min(max(gap, self._cost / self.share), 1.0 / MIN_HZ)
        return now - self._last >= gap

    def fill(self, snap: TrainingSnapshot, run: TrainingRun) -> None:
        """Compute the snapshot's grids from its network (exactly for a final snapshot)."""
        # CPU time of this thread: what the grids cost, whatever else the cores are doing
        started = time.thread_time()
        network = snap.state.network
        if self.grid_X is None or self.shape is None:
            pass  # no contour grid: the neuron maps only
        elif network.is_classifier:
            probabilities = run.predict(self.grid_X, network)  # (n², k), or (n², 1)
            snap.decision = decision_map(probabilities).reshaped(*self.shape)
            snap.confusion_split = "validation" if run.has_validation else "training"
            snap.confusion = run.confusion_matrix("val" if run.has_validation else "train", network)
            if self.axes is not None:
                snap.lines = live_map_lines(
                    self.axes.xs,
                    self.axes.ys,
                    confidence_range=self.axes.confidence_range,
                    confidence=snap.decision.confidence,
                    margins=snap.decision.margins,
                )
        else:
            snap.prediction = self._prediction(snap, run)
            if self.truth is not None:
                snap.error = snap.prediction - self.truth
            if self.axes is not None:
                snap.lines = live_map_lines(
                    self.axes.xs,
                    self.axes.ys,
                    value_range=self.axes.value_range,
                    prediction=snap.prediction,
                    error=snap.error,
                )
        domain, colours = self.neuron_maps_domain, self.neuron_colours
        if domain is not None:
            maps = neuron_maps(network, snap.state.normaliser, domain, self.neuron_maps_grid)
            snap.neuron_maps, snap.neuron_maps_domain = maps, domain
            if colours is not None:
                snap.neuron_tiles = colour_layers(maps, *colours)
                snap.neuron_tiles_lut = colours[0]
        cost = time.thread_time() - started
        self._cost = cost if self._cost == 0.0 else 0.7 * self._cost + 0.3 * cost
        self._last = time.perf_counter()

    def _prediction(self, snap: TrainingSnapshot, run: TrainingRun) -> np.ndarray:
        """The network's prediction on the grid, in original units, as an (n, n) array.

        Live frames of a float64 network are computed by a float32 copy of it: half the
        arithmetic, and a difference (about 1e-6 of the values) no colour map can show.
        The last frame before the worker goes idle is exact.
        """
        assert self.grid_X is not None and self.shape is not None
        network = snap.state.network
        if snap.final or network.dtype == np.float32:
            return run.predict(self.grid_X, network).reshape(self.shape)
        if self._X_norm32 is None:
            self._X_norm32 = run.normaliser.transform_x(self.grid_X).astype(np.float32)
        out = network.astype("float32").predict(self._X_norm32)  # (n², 1)
        return run.normaliser.inverse_y(out.astype(np.float64)).reshape(self.shape)


__all__ = ["LiveGrids", "MapAxes", "SHARE", "MAX_HZ", "MIN_HZ", "MAX_HZ_BESIDE"]
