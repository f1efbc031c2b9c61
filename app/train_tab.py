"""The Train tab: a 2-64-64-64-1 ReLU network learning a function of two inputs, live.

This is the second half of the article made interactive. The student picks a target
function (the article's own by default), draws training points from it, and trains the
article's regressor on them while watching the true function, the network's prediction and
their difference side by side.

The tab is made of:
- `DataPanel`: which function to learn (or a CSV file), how many points, noise, seed and
  validation share. It only gathers settings; `nncore.data` builds the datasets.
- the views (`app.plots`): three contour maps on one colour scale, the training points.

All numbers come from nncore; this module arranges widgets and hands arrays to plots.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QScrollArea, QSizePolicy, QSpinBox, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from nncore import data as nndata
from nncore.formula import FormulaError

from app.plots import (ContourView, ScatterView, connect_theme_changed, diverging_colormap,
                       nice_levels, theme_colors)

GRID_SIZE = 100          # the article's 100 × 100 grid for contour maps
CONTOUR_LINES = 8        # about this many contour lines per map
FORMULA_ITEM = "formula"  # combo data of the "type your own formula" entry


# ---- data -----------------------------------------------------------------------------

@dataclass(frozen=True)
class DataSettings:
    """What the data panel asks for. `samples` is a count, or 0 for the 100 × 100 grid."""

    function: str = nndata.DEFAULT_FUNCTION   # registry name or formula text
    samples: int = 1000
    noise: float = 0.0
    seed: int = 0
    val_share: float = 0.2
    csv_path: str | None = None


@dataclass
class PreparedData:
    """Everything the views and a training run need, built by nncore from `DataSettings`.

    `function` is None for CSV data (no known truth); then `truth` is None too and the grid
    covers the data's bounding box so the prediction can still be drawn.
    """

    settings: DataSettings
    function: nndata.TargetFunction | None
    dataset: nndata.Dataset
    train: nndata.Dataset
    val: nndata.Dataset | None
    xs: np.ndarray
    ys: np.ndarray
    grid_X: np.ndarray            # (GRID_SIZE², 2), row-major like nncore.data.grid
    truth: np.ndarray | None      # (GRID_SIZE, GRID_SIZE) [row=y, col=x]

    @property
    def title(self) -> str:
        if self.function is None:
            return self.dataset.source
        return self.function.label


def prepare_data(settings: DataSettings, csv_dataset: nndata.Dataset | None = None) -> PreparedData:
    """Build datasets and the contour grid from the panel's settings (raises on bad input).

    FormulaError for a bad formula, DataError for a formula undefined somewhere on the range
    or a bad CSV file, ValueError for impossible counts.
    """
    if settings.csv_path is not None:
        dataset = csv_dataset if csv_dataset is not None else nndata.load_csv(settings.csv_path)
        fn = None
        lo = dataset.X.min(axis=0)
        hi = dataset.X.max(axis=0)
        xs = np.linspace(lo[0], hi[0], GRID_SIZE)
        ys = np.linspace(lo[1], hi[1], GRID_SIZE)
        gx, gy = np.meshgrid(xs, ys)
        grid_X = np.column_stack((gx.ravel(), gy.ravel()))
        truth = None
    else:
        fn = nndata.get_function(settings.function)
        xs, ys, truth = nndata.grid_axes(fn, GRID_SIZE)
        grid_set = nndata.grid(fn, GRID_SIZE)
        grid_X = grid_set.X
        if settings.samples == 0:
            dataset = nndata.grid(fn, GRID_SIZE, noise=settings.noise, seed=settings.seed)
        else:
            dataset = nndata.sample_uniform(fn, settings.samples, seed=settings.seed,
                                            noise=settings.noise)
    if settings.val_share > 0:
        train, val = dataset.split(settings.val_share, seed=settings.seed)
        val = val if len(val) else None
    else:
        train, val = dataset, None
    return PreparedData(settings, fn, dataset, train, val, xs, ys, grid_X, truth)


class DataPanel(QGroupBox):
    """Settings for the training data: function or CSV, sample count, noise, seed, validation.

    Emits `changed` (debounced) when a setting changes and the result is valid; shows a
    message inline when it is not (e.g. a formula with a typo).
    """

    changed = Signal()

    SAMPLE_CHOICES = (("1,000 random points", 1000), ("10,000 random points", 10000),
                      ("100 × 100 grid", 0), ("Custom count…", -1))

    def __init__(self, parent=None):
        super().__init__("Data", parent)
        self._csv_path: str | None = None
        self._csv_dataset: nndata.Dataset | None = None
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.function_combo = QComboBox()
        for name, fn in nndata.FUNCTIONS.items():
            self.function_combo.addItem(f"{name}: {fn.label}", name)
            self.function_combo.setItemData(self.function_combo.count() - 1, fn.description,
                                            Qt.ItemDataRole.ToolTipRole)
        self.function_combo.addItem("Your own formula…", FORMULA_ITEM)
        self.function_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.function_combo.setMinimumContentsLength(16)
        self.function_combo.setToolTip(
            "The function z = f(x, y) the network must learn from examples.\n"
            "'article' is the toy problem of the article; the others are easier or harder.")
        form.addRow("Function", self.function_combo)

        self.formula_edit = QLineEdit()
        self.formula_edit.setPlaceholderText("e.g. sin(x) * y / 3 or x^2 - y^2")
        self.formula_edit.setToolTip(
            "Type any formula in x and y. Allowed: + − * / ^, brackets, numbers, pi, e and "
            "functions such as sin, cos, exp, log, sqrt, abs.")
        form.addRow("Formula", self.formula_edit)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        form.addRow(self.message)

        self.samples_combo = QComboBox()
        for text, count in self.SAMPLE_CHOICES:
            self.samples_combo.addItem(text, count)
        self.samples_combo.setToolTip(
            "How many examples the network learns from. The article starts with 1,000 random "
            "points, then tries 10,000. The grid is the same 100 × 100 points the maps show.")
        form.addRow("Samples", self.samples_combo)

        self.custom_count = QSpinBox()
        self.custom_count.setRange(10, 200_000)
        self.custom_count.setSingleStep(500)
        self.custom_count.setValue(3000)
        self.custom_count.setGroupSeparatorShown(True)
        self.custom_count.setToolTip("Number of random points to draw.")
        form.addRow("Count", self.custom_count)

        self.noise_spin = QDoubleSpinBox()
        self.noise_spin.setRange(0.0, 100.0)
        self.noise_spin.setDecimals(2)
        self.noise_spin.setSingleStep(0.1)
        self.noise_spin.setToolTip(
            "Measurement noise: random numbers with this standard deviation are added to every "
            "target. Real data is noisy; a network that fits the noise has learnt it by heart.")
        form.addRow("Noise", self.noise_spin)

        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip(
            "Which random points are drawn (and which go to validation). The same seed always "
            "gives the same data.")
        form.addRow("Data seed", self.seed_spin)

        self.val_spin = QSpinBox()
        self.val_spin.setRange(0, 50)
        self.val_spin.setSuffix(" %")
        self.val_spin.setValue(20)
        self.val_spin.setToolTip(
            "Share of the points kept aside and never trained on. Their loss (validation) shows "
            "whether the network learnt the function or only memorised its training points.")
        form.addRow("Validation", self.val_spin)

        csv_row = QHBoxLayout()
        self.csv_button = QPushButton("Load CSV…")
        self.csv_button.setToolTip(
            "Train on your own data: a CSV file with three numeric columns x, y, z "
            "(a header row is optional).")
        self.csv_clear = QPushButton("Use function")
        self.csv_clear.setToolTip("Forget the CSV file and go back to the chosen function.")
        self.csv_clear.setVisible(False)
        csv_row.addWidget(self.csv_button)
        csv_row.addWidget(self.csv_clear)
        csv_row.addStretch(1)
        form.addRow(csv_row)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._validate_and_emit)

        self.function_combo.currentIndexChanged.connect(self._on_function_changed)
        self.formula_edit.textChanged.connect(self._debounce.start)
        self.samples_combo.currentIndexChanged.connect(self._on_samples_changed)
        for spin in (self.custom_count, self.seed_spin, self.val_spin):
            spin.valueChanged.connect(self._debounce.start)
        self.noise_spin.valueChanged.connect(self._debounce.start)
        self.csv_button.clicked.connect(self.load_csv_dialog)
        self.csv_clear.clicked.connect(self.clear_csv)
        self._on_function_changed()
        self._on_samples_changed()

    # -- reading --
    def settings(self) -> DataSettings:
        """The settings as the widgets show them (not yet validated)."""
        name = self.function_combo.currentData()
        function = self.formula_edit.text() if name == FORMULA_ITEM else name
        count = self.samples_combo.currentData()
        if count == -1:
            count = self.custom_count.value()
        return DataSettings(function=function, samples=count, noise=self.noise_spin.value(),
                            seed=self.seed_spin.value(), val_share=self.val_spin.value() / 100.0,
                            csv_path=self._csv_path)

    def prepare(self) -> PreparedData | None:
        """Build the data from the settings, or show what is wrong and return None."""
        try:
            prepared = prepare_data(self.settings(), self._csv_dataset)
        except (FormulaError, nndata.DataError, ValueError) as err:
            self.show_message(str(err), error=True)
            return None
        self.show_message("")
        return prepared

    # -- writing --
    def set_settings(self, settings: DataSettings) -> None:
        """Show the given settings (e.g. the ones stored with a weight file)."""
        index = self.function_combo.findData(settings.function)
        if index < 0:
            index = self.function_combo.findData(FORMULA_ITEM)
            self.formula_edit.setText(settings.function)
        self.function_combo.setCurrentIndex(index)
        sample_index = self.samples_combo.findData(settings.samples)
        if sample_index < 0:
            sample_index = self.samples_combo.findData(-1)
            self.custom_count.setValue(settings.samples)
        self.samples_combo.setCurrentIndex(sample_index)
        self.noise_spin.setValue(settings.noise)
        self.seed_spin.setValue(settings.seed)
        self.val_spin.setValue(int(round(settings.val_share * 100)))

    def show_message(self, text: str, error: bool = False) -> None:
        colors = theme_colors()
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {colors['highlight'] if error else colors['muted']};")
        self.message.setVisible(bool(text))

    # -- CSV --
    def load_csv_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load training data", "",
                                              "CSV files (*.csv *.txt);;All files (*)")
        if path:
            self.load_csv(path)

    def load_csv(self, path: str) -> bool:
        """Use the CSV file at `path` as training data; shows the problem and returns False
        when the file cannot be used."""
        try:
            dataset = nndata.load_csv(path)
        except (nndata.DataError, OSError, ValueError) as err:
            self.show_message(f"Could not use {path}: {err}", error=True)
            return False
        if dataset.n_inputs != 2 or dataset.n_outputs != 1:
            self.show_message(f"Could not use {path}: the Train tab needs two inputs (x, y) and "
                              f"one target (z); the file has {dataset.n_inputs} input(s) and "
                              f"{dataset.n_outputs} target(s).", error=True)
            return False
        self._csv_path, self._csv_dataset = path, dataset
        self._set_csv_mode(True)
        self.show_message(f"Training on {len(dataset):,} rows from {path}.")
        self.changed.emit()
        return True

    def clear_csv(self) -> None:
        self._csv_path = self._csv_dataset = None
        self._set_csv_mode(False)
        self._validate_and_emit()

    def _set_csv_mode(self, on: bool) -> None:
        for widget in (self.function_combo, self.formula_edit, self.samples_combo,
                       self.custom_count, self.noise_spin):
            widget.setEnabled(not on)
        self.csv_clear.setVisible(on)
        if not on:
            self._on_function_changed()
            self._on_samples_changed()

    # -- reactions --
    def _on_function_changed(self, *_):
        is_formula = self.function_combo.currentData() == FORMULA_ITEM
        self.formula_edit.setEnabled(is_formula and self._csv_path is None)
        if is_formula and not self.formula_edit.text():
            self.formula_edit.setFocus()
        self._debounce.start()

    def _on_samples_changed(self, *_):
        custom = self.samples_combo.currentData() == -1
        self.custom_count.setEnabled(custom and self._csv_path is None)
        self._debounce.start()

    def _validate_and_emit(self) -> None:
        settings = self.settings()
        if settings.csv_path is None and settings.function == "":
            self.show_message("Type a formula in x and y, e.g. sin(x) * y / 3.", error=True)
            return
        try:
            fn = nndata.get_function(settings.function)
            nndata.grid_axes(fn, GRID_SIZE)     # refuses formulas undefined on the range
        except (FormulaError, nndata.DataError, ValueError) as err:
            if settings.csv_path is None:
                self.show_message(str(err), error=True)
                return
        if settings.csv_path is None:
            self.show_message("")
        self.changed.emit()


# ---- the tab --------------------------------------------------------------------------

class TrainTab(QWidget):
    """The Train tab (see the module docstring). Constructed as `TrainTab(parent=None)`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.prepared: PreparedData | None = None
        self.data_panel = DataPanel()

        controls = QWidget()
        controls_layout = QVBoxLayout(controls)
        controls_layout.addWidget(self.data_panel)
        controls_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)
        scroll.setMaximumWidth(380)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.truth_view = ContourView("True function", bar_label="z")
        self.prediction_view = ContourView("Network's prediction", bar_label="z")
        self.error_view = ContourView("Error (prediction − truth)",
                                      colormap=diverging_colormap(), bar_label="error")
        maps = QHBoxLayout()
        maps.setSpacing(4)
        for view in (self.truth_view, self.prediction_view, self.error_view):
            maps.addWidget(view, 1)
            view.hovered.connect(self._on_hover)
        self.hover_label = QLabel("Hover over a map to read x, y and the values there.")
        self.hover_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.scatter_view = ScatterView("Training points (coloured by z)")
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.scatter_view, "Training data")

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(maps, 1)
        top_layout.addWidget(self.hover_label)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(top)
        right.addWidget(self.lower_tabs)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)

        layout = QHBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(right, 1)

        self.data_panel.changed.connect(self.reload_data)
        connect_theme_changed(self._apply_theme)
        self.reload_data()

    # -- data --
    def reload_data(self) -> bool:
        """Rebuild the data from the data panel and redraw the truth and the points."""
        prepared = self.data_panel.prepare()
        if prepared is None:
            return False
        self.prepared = prepared
        self._show_truth()
        return True

    def _truth_levels(self) -> tuple[float, float]:
        p = self.prepared
        values = p.truth if p.truth is not None else p.dataset.y
        lo, hi = float(np.min(values)), float(np.max(values))
        if hi <= lo:
            lo, hi = lo - 1.0, hi + 1.0
        return lo, hi

    def _show_truth(self) -> None:
        p = self.prepared
        levels = self._truth_levels()
        lines = nice_levels(*levels, CONTOUR_LINES)
        for view in (self.truth_view, self.prediction_view, self.error_view):
            view.set_grid(p.xs, p.ys)
        if p.truth is not None:
            self.truth_view.set_values(p.truth, levels, lines)
            self.truth_view.set_title("True function")
        else:
            self.truth_view.clear_values("CSV data: the true function is unknown")
            self.truth_view.set_title("Your data")
        self.truth_view.set_points(None)
        self.prediction_view.clear_values("Press Start to train")
        self.prediction_view.colorbar.setLevels(levels)
        self.error_view.clear_values("" if p.truth is not None
                                     else "no known function to compare with")
        self.scatter_view.set_points(p.train.X, p.train.y, levels,
                                     title=f"{len(p.train):,} training points (coloured by z)")

    # -- hover --
    def _on_hover(self, x: float, y: float, inside: bool) -> None:
        if not inside:
            return
        parts = [f"x = {x:.2f}, y = {y:.2f}"]
        for name, view in (("truth", self.truth_view), ("prediction", self.prediction_view),
                           ("error", self.error_view)):
            value = view.value_at(x, y)
            if value is not None:
                parts.append(f"{name} {value:.3g}")
        self.hover_label.setText(":  ".join(parts[:1]) + ("   " + ",  ".join(parts[1:])
                                                          if len(parts) > 1 else ""))

    def _apply_theme(self, name: str = "") -> None:
        for view in (self.truth_view, self.prediction_view, self.error_view, self.scatter_view):
            view.apply_theme(name)

    # -- tab protocol --
    def shutdown(self) -> None:
        """Nothing runs in the background yet; kept for the tab protocol."""

    def open_weights_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open weights", "",
                                              "Weight files (*.npz *.json *.safetensors)")
        if path:
            self.open_weights(path)

    def export_weights_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export weights", "weights.npz",
                                              "Weight files (*.npz *.json *.safetensors)")
        if path:
            self.export_weights(path)

    def open_weights(self, path: str) -> bool:
        self.hover_label.setText("Opening weight files arrives with training in this tab.")
        return False

    def export_weights(self, path: str) -> bool:
        self.hover_label.setText("There is no trained network to export yet.")
        return False
