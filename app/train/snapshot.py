"""One moment of a training run, as the Train tab draws it: `TrainingSnapshot`.

Whoever trains the run (a thread of the app, `app.train.worker`, or a process of its own,
`app.train.process_worker`) sends the tab a snapshot every few tens of milliseconds. A
snapshot is made of copies only, never of arrays the next chunk of training will change,
so the tab may keep it as long as it likes. It is small (the network's ~8,500 numbers and
the epochs' reports; about 70 KB pickled for the article's network) because the process
worker sends one down a pipe twenty times a second.

No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.widgets.map_lines import MapLines
from nncore.classification import DecisionMap
from nncore.neuron_maps import NeuronMaps
from nncore.training import EpochReport, RunState


@dataclass
class TrainingSnapshot:
    """What the GUI needs to draw one moment of a run; everything in it is a copy.

    `reports` are the epochs finished since the previous snapshot (EpochReport objects are
    written once and never changed). `state` holds a copy of the network. `prediction` and
    `error` (prediction − truth, None without a known truth) are (n, n) grids in original
    units, or None when this snapshot carries no new grid. For a classifier `prediction`
    and `error` stay None and `decision` holds the grid's decision map as (n, n[, k])
    images, `confusion` the confusion matrix (k, k) of the same weights on the points
    named by `confusion_split` ("validation" or "training"). `neuron_maps`, when the
    Neuron maps tab is on show, are every neuron's maps for the same weights, computed on
    `neuron_maps_domain` (x_lo, x_hi, y_lo, y_hi) off the GUI thread, and coloured
    (`neuron_tiles`, one image array per layer) with the colour table `neuron_tiles_lut`.
    `lines` are the maps' contour lines (and a classifier's boundary), also computed off
    the GUI thread.
    """

    run_id: int
    reports: list[EpochReport]
    state: RunState
    total_epochs: int
    epochs_per_second: float
    prediction: np.ndarray | None = None
    error: np.ndarray | None = None
    final: bool = False  # the last snapshot before the worker went idle
    decision: DecisionMap | None = None
    confusion: np.ndarray | None = None
    confusion_split: str = ""
    neuron_maps: NeuronMaps | None = None
    neuron_maps_domain: tuple[float, float, float, float] | None = None
    neuron_tiles: list[np.ndarray] | None = None
    neuron_tiles_lut: np.ndarray | None = None
    lines: MapLines | None = None

    @property
    def has_grid(self) -> bool:
        """This snapshot carries a new grid (a prediction, or a classifier's decision map)."""
        return self.prediction is not None or self.decision is not None

    def take_grid_from(self, previous: TrainingSnapshot) -> None:
        """Carry the previous snapshot's grid over (this one brought none)."""
        self.prediction, self.error = previous.prediction, previous.error
        self.decision, self.confusion = previous.decision, previous.confusion
        self.confusion_split = previous.confusion_split
        self.lines = previous.lines
        self.neuron_maps = previous.neuron_maps
        self.neuron_maps_domain = previous.neuron_maps_domain
        self.neuron_tiles, self.neuron_tiles_lut = previous.neuron_tiles, previous.neuron_tiles_lut

    @property
    def epoch(self) -> int:
        return self.state.epoch

    @property
    def seconds_left(self) -> float | None:
        if self.epochs_per_second <= 0:
            return None
        return max(self.total_epochs - self.state.epoch, 0) / self.epochs_per_second


__all__ = ["TrainingSnapshot"]
