"""The right-hand side of the Train tab: what the student watches while the network learns.

Top: a `Banner` for messages, then three contour maps of the same square side by side:
the true function, the network's prediction (both on one colour scale) and their
difference, with a line below that reads x, y and the three values under the mouse.
Bottom: the loss curve (the session's earlier runs behind it, listed below it to show or
hide each: `app.train.run_names`) with a readout of the last epoch,
and four tabs: per-layer health, the weight matrices, the training points and the neuron maps
(`app.train.neuron_maps_panel`, computed only while on show).

For a classifier the three maps are the training points in their class's colour and shape,
the decision regions (each class's colour, shaded by its probability, the boundary drawn,
the points on top) and how sure the network is (the chosen class's probability); the hover
line reads every class's probability; the loss curve is the cross-entropy with the accuracy
below it, and a fifth lower tab holds the confusion matrix.

`TrainViews` only draws what it is handed: `show_data` the prepared data (truth and
points), `show_prediction` a snapshot's grid prediction and error, `show_history` the
run's history and latest network (a history longer than a few thousand epochs through
`session.drawn_rows`, which keeps the curve's shape and its spikes). Choosing colour ranges
and round contour levels is the only work it does, with `app.widgets.map_lines`; a snapshot
may bring its maps' contour lines computed already (`MapLines`), else they are found here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.train.banner import Banner
from app.train.neuron_maps_panel import NeuronMapsPanel
from app.train.run_names import RunBook, kept_from_history
from app.train.session import (
    HistoryArrays,
    PreparedData,
    drawn_points,
    drawn_rows,
    probabilities_text,
    readout_text,
)
from app.train.worker import TrainingSnapshot
from app.widgets.colormaps import diverging_colormap, value_colormap
from app.widgets.confusion_view import ConfusionView
from app.widgets.contour_view import ContourView, ScatterView
from app.widgets.map_lines import (
    CONTOUR_LINES,
    ERROR_CONTOUR_LINES,
    MapLines,
    confidence_contour_levels,
    same_levels,
    value_contour_levels,
)
from app.widgets.marching_squares import error_scale
from app.widgets.plots import HealthPlots, LossPlot, RunList, WeightMatricesView

HOVER_HINT = "Hover over a map to read x, y and the values there."

# the first map while drawing: clicks add points, or (a run is on) nothing changes them
DRAWING_TITLE = "Your points: click to add"
LOCKED_DRAWING_TITLE = "Your points (locked while a run is on)"


class TrainViews(QWidget):
    """The banner, maps, loss curve and lower tabs of the Train tab (see module doc)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.levels: tuple[float, float] = (0.0, 1.0)  # colour range of the value maps
        self.class_names: tuple[str, ...] | None = None  # a classifier's classes, else None
        self.confidence_levels: tuple[float, float] = (0.5, 1.0)
        self.contour_levels = value_contour_levels(self.levels)
        self.banner = Banner()
        self.truth_view = ContourView("True function", bar_label="z")
        self.prediction_view = ContourView("Prediction", bar_label="z")
        self.error_view = ContourView(
            "Error", colormap=diverging_colormap(), bar_label="prediction − truth"
        )
        self.maps = (self.truth_view, self.prediction_view, self.error_view)
        maps = QWidget()
        maps_layout = QHBoxLayout(maps)
        maps_layout.setContentsMargins(0, 0, 0, 0)
        maps_layout.setSpacing(2)
        for view in self.maps:
            maps_layout.addWidget(view, 1)
            view.hovered.connect(self._on_hover)
        self.hover_label = QLabel(HOVER_HINT)
        self.hover_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.loss_plot = LossPlot()
        self.runs = RunBook()  # the session's earlier runs, on the loss curve
        self.run_list = RunList()
        self.run_list.toggled.connect(self._toggle_run)
        self.run_list.clear_requested.connect(self.clear_runs)
        self.loss_plot.runs_cleared.connect(self.clear_runs)  # e.g. the screenshot mode
        self.scatter_view = ScatterView("Training points (coloured by z)")
        self.health_plots = HealthPlots()
        self.weights_view = WeightMatricesView()
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.health_plots, "Health")  # short: five tabs share the row
        self.lower_tabs.addTab(self.weights_view, "Weights")
        self.lower_tabs.addTab(self.scatter_view, "Data")
        self.neuron_maps = NeuronMapsPanel()  # computes only while on show
        self.lower_tabs.addTab(self.neuron_maps, "Neuron maps")
        self.lower_tabs.setTabToolTip(
            self.lower_tabs.indexOf(self.neuron_maps),
            "Every neuron's activation over the x-y plane, live; click one to enlarge it",
        )
        self.confusion_view = ConfusionView()
        self.lower_tabs.addTab(self.confusion_view, "Confusion")
        self.lower_tabs.setTabVisible(self.lower_tabs.indexOf(self.confusion_view), False)
        self.lower_tabs.setTabToolTip(
            0,
            "Per layer: how large the weights and their gradients "
            "are, and how many ReLU neurons are dead (never fire)",
        )
        self.lower_tabs.setTabToolTip(
            1, "Every weight as a coloured cell: blue positive, orange negative"
        )
        self.lower_tabs.setTabToolTip(
            2, "The points the network learns from, coloured by their target value"
        )
        self.readout_label = QLabel("")
        self.readout_label.setTextFormat(Qt.TextFormat.RichText)
        self.readout_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.readout_label.setWordWrap(True)  # two lines in a narrow window, never cut
        self.readout_label.setToolTip(
            "Mean squared error on the normalised targets (the number the article prints) and "
            "R², the share of the target's variation the network explains (1 = perfect), "
            "measured on the validation points when there are any."
        )
        self.log_epochs_box = QCheckBox("log epochs")
        self.log_epochs_box.setToolTip(
            "Spread the epoch axis logarithmically, so that a short run (the modern recipe) "
            "and a long one (the article's 2,000 epochs) can be compared side by side."
        )
        self.log_epochs_box.toggled.connect(self.loss_plot.set_log_epochs)
        self._lay_out(maps)

    def _lay_out(self, maps: QWidget) -> None:
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.readout_label, 1)
        header.addWidget(self.log_epochs_box)
        loss_box = QWidget()
        loss_layout = QVBoxLayout(loss_box)
        loss_layout.setContentsMargins(0, 0, 0, 0)
        loss_layout.setSpacing(2)
        loss_layout.addLayout(header)
        loss_layout.addWidget(self.loss_plot, 1)
        loss_layout.addWidget(self.run_list)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(loss_box)
        lower.addWidget(self.lower_tabs)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(2)
        top_layout.addWidget(maps, 1)
        top_layout.addWidget(self.hover_label)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(lower)
        split.setStretchFactor(0, 11)
        split.setStretchFactor(1, 9)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)

    # ---- drawing --------------------------------------------------------------------------
    def show_no_data(self, message: str) -> None:
        """No data set to train on (too few points drawn yet): the prediction and error
        maps are blank, the first saying why, so no earlier run's maps stay on show."""
        self.prediction_view.clear_values(message)
        self.error_view.clear_values("")
        self.clear_hover()

    def show_data(self, p: PreparedData) -> None:
        """Draw the data: the true function (or, for CSV data, the points themselves), the
        training points, and blank prediction and error maps on the same colour scale; for
        a classifier's data the points by class (see `_show_class_data`)."""
        self._set_task(p)
        self.neuron_maps.set_domain(p.xs, p.ys)
        if p.n_classes:
            self._show_class_data(p)
            return
        self.levels = p.value_range()
        self.clear_hover()  # the values it read belong to the data before
        drawn = drawn_points(len(p.train))  # every point trains; the views draw a sample
        self.contour_levels = value_contour_levels(self.levels)
        for view in self.maps:
            view.set_grid(p.xs, p.ys)
        if p.truth is not None:
            self.truth_view.set_values(p.truth, self.levels, self.contour_levels)
            self.truth_view.set_points(None)
            self.truth_view.set_title("True function")
            self.error_view.clear_values("")
            self.error_view.show_colorbar(True)
        else:
            # CSV data: no function to draw, so show the points themselves
            self.truth_view.clear_values("")
            self.truth_view.set_points(p.train.X[drawn], p.train.y[drawn], self.levels)
            self.truth_view.show_colorbar(True, self.levels)
            self.truth_view.set_title("Your data (training points)")
            self.error_view.clear_values("no known function to compare with")
            self.error_view.show_colorbar(False)
        self.prediction_view.clear_values("")
        self.prediction_view.show_colorbar(True, self.levels)
        shown_count = len(range(len(p.train))[drawn])
        sampled = f", {shown_count:,} drawn" if shown_count < len(p.train) else ""
        self.scatter_view.set_points(
            p.train.X[drawn],
            p.train.y[drawn],
            self.levels,
            title=f"{len(p.train):,} training points (coloured by z{sampled})",
        )

    def show_drawn_points(self, X, values, levels, classes: bool) -> None:
        """While drawing: every drawn point on the first map (the validation ones too, so
        a click's point never seems to vanish), by class or coloured by value."""
        view = self.truth_view
        view.clear_values("" if len(X) else "click to add a point")
        if classes:
            view.set_class_points(X, values)
            view.show_colorbar(False)
        else:
            # a few points placed by hand are drawn large; a whole data set as ever
            view.set_points(X, values, levels, size=7 if len(X) <= 200 else None)
            view.show_colorbar(True, levels)
        view.set_title(DRAWING_TITLE if view.drawing else LOCKED_DRAWING_TITLE)

    def set_drawing(self, drawing: bool, editable: bool) -> None:
        """Drawing mode (`drawing`), and whether clicks may change the points now
        (`editable`: not while a run is live); the first map's title says which."""
        self.truth_view.set_drawing(drawing and editable)
        if drawing:
            self.truth_view.set_title(DRAWING_TITLE if editable else LOCKED_DRAWING_TITLE)

    def _set_task(self, p: PreparedData) -> None:
        """Dress the views for the data's task: regression's maps and loss, or a
        classifier's (titles, colour bars, the accuracy plot, the confusion tab)."""
        names = p.class_names
        if names == self.class_names:
            return
        self.class_names = names
        classify = names is not None
        self.prediction_view.set_title("Decision regions" if classify else "Prediction")
        self.error_view.set_title("How sure (chosen class)" if classify else "Error")
        self.error_view.colorbar.setColorMap(value_colormap() if classify else diverging_colormap())
        self.error_view.colorbar.getAxis("left").setLabel(
            "probability" if classify else "prediction − truth"
        )
        self.loss_plot.set_loss_name("cross_entropy" if classify else "mse")
        # a cross-entropy beside an MSE compares nothing: the other task's curves go
        self.loss_plot.clear_current()
        self.clear_runs()
        tab = self.lower_tabs.indexOf(self.confusion_view)
        self.lower_tabs.setTabVisible(tab, classify)
        if not classify and self.lower_tabs.currentIndex() == tab:
            self.lower_tabs.setCurrentIndex(0)
        self.confusion_view.clear()
        if not classify:  # the points by class, drawn on two of the maps, go
            for view in self.maps:
                view.set_points(None)
            self.truth_view.show_colorbar(True)
        self.readout_label.setToolTip(
            "Cross-entropy: the mean of −log p(true class), what the classifier learns to "
            "lower; accuracy: the share of points given their true class, measured on the "
            "validation points when there are any."
            if classify
            else "Mean squared error on the normalised targets (the number the article prints) "
            "and R², the share of the target's variation the network explains (1 = perfect), "
            "measured on the validation points when there are any."
        )

    def _show_class_data(self, p: PreparedData) -> None:
        """A classifier's data: the training points by class, and blank decision and
        "how sure" maps."""
        self.clear_hover()
        drawn = drawn_points(len(p.train))
        X, labels = p.train.X[drawn], p.train.y[drawn, 0]
        self.confidence_levels = p.confidence_range()
        for view in self.maps:
            view.set_grid(p.xs, p.ys)
            view.clear_values("")
            view.set_points(None)
        self.truth_view.set_title(
            "Your data (training points)" if p.settings.csv_path else "Training points"
        )
        self.truth_view.set_class_points(X, labels)
        self.truth_view.show_colorbar(False)
        self.prediction_view.set_class_points(X, labels)
        self.prediction_view.show_colorbar(False)
        self.error_view.show_colorbar(True, self.confidence_levels)
        self.confusion_view.clear()
        shown_count = len(range(len(p.train))[drawn])
        sampled = f", {shown_count:,} drawn" if shown_count < len(p.train) else ""
        self.scatter_view.set_points(
            X,
            labels,
            (0.0, float(p.n_classes - 1)),
            title=f"{len(p.train):,} training points (coloured by class{sampled})",
        )

    def show_prediction(self, snap: TrainingSnapshot) -> None:
        """Draw a snapshot's grid prediction, and its error on a round symmetric scale; for
        a classifier its decision regions, how sure it is, and the confusion matrix.

        A snapshot may carry its maps' lines computed already (`snap.lines`, a `MapLines`
        from `live_map_lines`, off the GUI thread); lines of other levels than the maps
        show, or none, are found here."""
        lines: MapLines = getattr(snap, "lines", None) or MapLines()
        if snap.decision is not None:
            d = snap.decision
            self.prediction_view.set_regions(
                d.chosen, d.confidence, d.probabilities, d.margins, boundary=lines.boundary
            )
            levels = confidence_contour_levels(self.confidence_levels)
            same = same_levels(lines.confidence_levels, levels)
            self.error_view.set_values(
                d.confidence,
                self.confidence_levels,
                levels,
                contours=lines.confidence if same else None,
            )
            if snap.confusion is not None and self.class_names is not None:
                self.confusion_view.set_counts(
                    snap.confusion, self.class_names, snap.confusion_split
                )
            return
        if snap.prediction is None:
            return
        same = same_levels(lines.prediction_levels, self.contour_levels)
        self.prediction_view.set_values(
            snap.prediction,
            self.levels,
            self.contour_levels,
            contours=lines.prediction if same else None,
        )
        if snap.error is not None:
            if lines.error is not None and lines.error_bound is not None:
                bound, levels, contours = lines.error_bound, lines.error_levels, lines.error
            else:
                (bound, levels), contours = error_scale(snap.error, ERROR_CONTOUR_LINES), None
            self.error_view.set_values(snap.error, (-bound, bound), levels, contours=contours)

    def show_history(
        self, history: HistoryArrays, snap: TrainingSnapshot | None, lower: bool = True
    ) -> None:
        """Draw the loss curve and readout; with `lower`, also the lower tab on show (the
        layer health from `history`, or the weights of the snapshot's network)."""
        if len(history):
            # a long history is drawn through a few thousand rows that keep its shape
            rows = drawn_rows(history.column("train"))  # (k,) row numbers
            epochs = history.column("epoch")[rows]
            self.loss_plot.set_history(
                epochs,
                history.column("train")[rows],
                history.column("val")[rows],
                history.column("lr")[rows],
            )
            if lower and self.lower_tabs.currentWidget() is self.health_plots:
                self.health_plots.set_history(
                    epochs,
                    history.column("weights")[rows],
                    history.column("grads")[rows],
                    history.column("dead")[rows],
                )
            if self.loss_plot.shows_accuracy:
                self.loss_plot.set_accuracy(
                    epochs, history.column("train_acc")[rows], history.column("val_acc")[rows]
                )
            self.readout_label.setText(readout_text(history.reports[-1]))
        else:
            self.loss_plot.clear_current()
            self.readout_label.setText(readout_text(None))
        if lower and snap is not None and self.lower_tabs.currentWidget() is self.weights_view:
            self.weights_view.set_weights(snap.state.network.weights)
        if self.lower_tabs.currentWidget() is self.neuron_maps:  # at the live pace: not `lower`
            self.neuron_maps.show_snapshot(snap)

    # ---- the earlier runs ------------------------------------------------------------------
    def keep_run(self, history: HistoryArrays, settings: tuple, note: str, current: tuple) -> None:
        """Keep the run of `history` (its (TrainConfig, DataSettings) `settings`) on the loss
        curve beside `current`'s, the run about to begin."""
        self.runs.keep(kept_from_history(history, *settings, note=note), current)
        self._show_runs()

    def name_runs(self, current: tuple | None) -> None:
        """Rename the earlier runs by what differs from each other and from `current`."""
        self.loss_plot.set_current_name(self.runs.rename(current))
        self._show_runs()

    def clear_runs(self) -> None:
        self.runs.clear()
        self._show_runs()

    def _toggle_run(self, index: int) -> None:
        self.runs.toggle(index)
        self.loss_plot.show_runs(self.runs.runs)

    def _show_runs(self) -> None:
        self.loss_plot.show_runs(self.runs.runs)
        self.run_list.set_runs(self.runs.runs, self.runs.dropped_note())

    def apply_theme(self, name: str = "") -> None:
        """Recolour every view for the theme `name`; the caller redraws the data."""
        for view in (
            *self.maps,
            self.scatter_view,
            self.confusion_view,
            self.loss_plot,
            self.health_plots,
            self.weights_view,
            self.neuron_maps,
            self.banner,
        ):
            view.apply_theme(name)

    def clear_hover(self) -> None:
        """Back to the hint: what the readout showed belongs to an earlier run or data set."""
        self.hover_label.setText(HOVER_HINT)

    def _on_hover(self, x: float, y: float, inside: bool) -> None:
        """Read the three maps at the grid point nearest the mouse, and say where that
        point is: its values were computed there, not at the mouse's exact position."""
        if not inside:
            return
        cell = self.truth_view.nearest_cell(x, y)  # the three maps share one grid
        if cell is None:
            return
        grid_x, grid_y = self.truth_view.cell_position(*cell)
        if self.class_names is not None:  # a classifier: every class's probability there
            probabilities = self.prediction_view.probabilities_in_cell(*cell)
            text = f"grid point x = {grid_x:.2f}, y = {grid_y:.2f}"
            if probabilities is not None:
                text += ":   " + probabilities_text(self.class_names, probabilities)
            self.hover_label.setText(text)
            return
        parts = []
        for name, view in zip(("truth", "prediction", "error"), self.maps):
            value = view.value_in_cell(*cell)
            if value is not None:
                parts.append(f"{name} {value:.4g}")
        grid_x, grid_y = self.truth_view.cell_position(*cell)
        text = f"grid point x = {grid_x:.2f}, y = {grid_y:.2f}"
        if parts:
            text += ":   " + ",   ".join(parts)
        self.hover_label.setText(text)


__all__ = ["TrainViews", "DRAWING_TITLE", "LOCKED_DRAWING_TITLE", "CONTOUR_LINES", "HOVER_HINT"]
