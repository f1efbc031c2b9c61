"""The Train tab's "Neuron maps" tab: every neuron's map, live, and one neuron enlarged.

`NeuronMapsPanel` sits in the Train tab's lower tabs. The tab hands it every snapshot it
draws (`show_snapshot`). While the panel is on show (`wanted_domain()` names its plane),
the worker computes every neuron's activation over a coarse mesh of that plane
(`nncore.neuron_maps`) with the snapshot's other maps, off the GUI thread
(`app.train.live_grids`), and the panel only gives them to `NeuronMapsView` to draw. A
snapshot without them (the panel was just shown, or its plane just changed) is computed
here, from the snapshot's copy of the network and the run's normaliser (about 5 ms of the
GUI thread for 2-64-64-64-1, `app.train.bench_neuron_maps`). A snapshot that arrives
while the panel is hidden is kept and drawn when it is shown again, so a hidden panel
costs nothing. The same network is never drawn twice, and while a run trains the maps are
redrawn at most `MAX_HZ` times a second; a run's last snapshot (`final`) is always drawn.

A click on a thumbnail opens it on the right (`NeuronDetailView`): the enlarged map, the
neuron's incoming weights and bias, and its exact value at the point under the mouse
(`nncore.neuron_maps.neuron_detail`, one forward pass of one point).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.train.snapshot import TrainingSnapshot
from app.widgets.neuron_maps import NeuronDetailView, NeuronMapsView, layer_name
from nncore.neuron_maps import DEFAULT_GRID, NeuronMaps, neuron_detail, neuron_maps

MAX_HZ = 20.0  # redraw the maps at most this often while a run trains (the issue asks ≥ 10)

HINT = "Hover: which neuron · click: enlarge it"
# Short enough to stand whole in the right-hand column at 1280×800; the tooltip says more.
EXPLANATION = (
    "Each square: one neuron's activation over the x-y plane (high y at the top). Blue "
    "positive, orange negative, one scale per layer (the ± above it).\n\n"
    "Grey with a cross: a dead ReLU.\n\n"
    "Click a square to enlarge it here."
)
EXPLANATION_TIP = (
    "A dead ReLU's weighted sum is negative everywhere on the plane, so it outputs 0 and, "
    "its gradient being 0 too, learns nothing. The enlarged neuron shows its incoming "
    "weights, its bias and its value under the mouse."
)


class NeuronMapsPanel(QWidget):
    """The thumbnails, a line naming the one under the mouse, and the enlarged neuron."""

    def __init__(
        self,
        parent=None,
        grid: int = DEFAULT_GRID,
        clock: Callable[[], float] = time.perf_counter,
    ):
        super().__init__(parent)
        self.grid = grid
        self._clock = clock
        self._last_computed = -1e9  # clock time of the last computation
        self.domain: tuple[float, float, float, float] | None = None
        self.maps: NeuronMaps | None = None
        self.computed = 0  # how many times the maps were computed (the tests read it)
        self._pending: TrainingSnapshot | None = None  # arrived while hidden
        self._shown_network = None  # the network object whose maps are on show
        self.snapshot: TrainingSnapshot | None = None  # the one whose maps are on show
        self._selected: tuple[int, int] | None = None
        self._point: tuple[float, float] | None = None  # last hovered point of the plane

        self.view = NeuronMapsView()
        self.view.hovered.connect(self._on_hover)
        self.view.clicked.connect(self._on_click)
        self.hover_label = QLabel(HINT)  # one line: it must not move the thumbnails
        self.hover_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # The right-hand column always keeps its room, so the thumbnails never move when a
        # neuron is enlarged there: the explanation until a click, then the neuron.
        self.explanation = QLabel(EXPLANATION)
        self.explanation.setWordWrap(True)
        self.explanation.setToolTip(EXPLANATION_TIP)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.explanation.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.detail = NeuronDetailView()
        self.detail.point_hovered.connect(self._on_point)
        self.detail.close_clicked.connect(lambda: self.select(None))
        self.detail.hide()  # until a thumbnail is clicked
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(2)
        left.addWidget(self.view, 1)
        left.addWidget(self.hover_label)
        right = QVBoxLayout()
        right.setContentsMargins(4, 0, 0, 0)
        right.addWidget(self.explanation, 1)
        right.addWidget(self.detail, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 2)
        layout.addLayout(right, 1)

    # ---- data -----------------------------------------------------------------------------
    def set_domain(self, xs, ys) -> None:
        """The plane the maps cover: the prediction map's grid axes (original units)."""
        domain = (float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1]))
        if domain != self.domain:
            self.domain = domain
            self._shown_network = None  # the next snapshot is computed on the new plane
            self._point = None

    def show_snapshot(self, snap: TrainingSnapshot | None) -> None:
        """Compute and draw the maps of the snapshot's network, now if the panel is on
        show, else when it is shown next."""
        if snap is None:
            return
        if not self.isVisible():
            self._pending = snap
            return
        self._pending = None
        network = snap.state.network
        if network is self._shown_network or self.domain is None:
            return
        ready = snap.neuron_maps  # computed by the worker, off the GUI thread
        if ready is not None and (
            snap.neuron_maps_domain != self.domain or ready.grid != self.grid
        ):
            ready = None  # computed on another plane
        if ready is not None and ready is self.maps:
            return  # a snapshot without new maps carries the last ones: already on show
        now = self._clock()
        if not snap.final and now - self._last_computed < 1.0 / MAX_HZ:
            return  # a newer snapshot follows soon, and the run's last one is always drawn
        self._last_computed = now
        tiles = None
        if ready is not None:
            self.maps = ready
            if snap.neuron_tiles_lut is self.view.colour_table()[0]:  # this theme's colours
                tiles = snap.neuron_tiles
        else:
            self.maps = neuron_maps(network, snap.state.normaliser, self.domain, self.grid)
        self.computed += 1
        self._shown_network, self.snapshot = network, snap
        self.view.set_maps(self.maps, tiles)
        if self._selected is not None:
            self._show_detail()

    def wanted_domain(self) -> tuple[float, float, float, float] | None:
        """The plane the worker should compute the maps on: this panel's while it is on
        show, else None (a hidden panel costs nothing)."""
        return self.domain if self.isVisible() else None

    def colour_table(self) -> tuple:
        """(look-up table, dead neuron's pixel): what the worker colours the maps with."""
        return self.view.colour_table()

    # ---- one neuron -----------------------------------------------------------------------
    def select(self, layer: int | None, neuron: int = 0) -> None:
        """Enlarge neuron `neuron` of `layer` (0-based; the output layer is the last), or
        close the enlarged view with None."""
        cell = None if layer is None or layer < 0 else (int(layer), int(neuron))
        self._selected = cell
        self.view.select(cell)
        if cell is None or self.maps is None:
            self.detail.hide()
            self.explanation.show()
            return
        self._show_detail()
        self.explanation.hide()
        self.detail.show()

    def _on_click(self, layer: int, neuron: int) -> None:
        """Enlarge the clicked neuron; a click on the one enlarged closes it again."""
        if self._selected == (layer, neuron):
            self.select(None)
        else:
            self.select(layer, neuron)

    def _show_detail(self) -> None:
        snap, maps, cell = self.snapshot, self.maps, self._selected
        if snap is None or maps is None or cell is None or self.domain is None:
            return
        layer, neuron = cell
        if layer >= len(maps.layers) or neuron >= maps.layers[layer].n_neurons:
            self.select(None)  # the new network has no such neuron
            return
        if self._point is None:  # the plane's centre until the mouse points somewhere
            x_lo, x_hi, y_lo, y_hi = self.domain
            self._point = ((x_lo + x_hi) / 2, (y_lo + y_hi) / 2)
        detail = neuron_detail(
            snap.state.network, snap.state.normaliser, layer, neuron, self._point
        )
        self.detail.show_neuron(maps.layers[layer], neuron, detail, self.domain, len(maps.layers))

    def _on_point(self, x: float, y: float) -> None:
        snap, cell = self.snapshot, self._selected
        if snap is None or cell is None:
            return
        self._point = (x, y)
        detail = neuron_detail(snap.state.network, snap.state.normaliser, *cell, (x, y))
        self.detail.show_value(detail)

    def _on_hover(self, layer: int, neuron: int) -> None:
        if layer < 0 or self.maps is None:
            self.hover_label.setText(HINT)
            return
        maps = self.maps.layers[layer]
        name = layer_name(layer, len(self.maps.layers))
        dead = ", dead: silent on the whole plane" if maps.dead[neuron] else ""
        self.hover_label.setText(
            f"{name}, neuron {neuron + 1} of {maps.n_neurons} ({maps.activation}{dead}). "
            "Click to enlarge it."
        )

    # ---- visibility and theme -------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._pending is not None:
            self.show_snapshot(self._pending)

    def apply_theme(self, _name: str | None = None) -> None:
        self.view.apply_theme()
        self.detail.apply_theme()
        if self._selected is not None:
            self._show_detail()


__all__ = ["NeuronMapsPanel", "HINT", "EXPLANATION", "MAX_HZ"]
