"""The Train tab: a 2-64-64-64-1 ReLU network learning a function of two inputs, live.

This is the second half of the article made interactive. The student picks a target
function (the article's own by default), draws training points from it, and trains the
article's regressor on them while watching the true function, the network's prediction and
their difference side by side. The "article" recipe reproduces the article's run (roughly
right, never one-to-one); the "modern" recipe is one click away and fits it closely.

The tab is made of:
- `DataPanel`: which function to learn (or a CSV file), how many points, noise, seed and
  validation share. It only gathers settings; `nncore.data` builds the datasets.
- `ModelPanel`: recipe, layer sizes, activation, initialisation, optimiser, learning rate,
  schedule, batch size, epochs, seed and precision, as an nncore `TrainConfig`.
- the run controls: Start, Pause/Resume, Stop, Reset, Step one epoch, a progress bar, a
  status line, Open/Export weights (`nncore.weightfile`).
- the views (`app.plots`): the true function, the prediction and the error as contour maps
  (truth and prediction on one colour scale), the loss curve with the previous run greyed
  behind it, per-layer health, the weight matrices and the training points.
- a `Banner` for what must not be missed: divergence explained, errors, the invitation to
  try the modern recipe.

Training happens in a `TrainWorker` on its own thread (`app.train_worker`); the tab sends it
requests through signals and draws the snapshots it sends back, at a rate that keeps the
GUI thread's share of the CPU small. States: fresh → running ⇄ (pausing →) paused →
finished; a diverged run is paused on the last finite weights, ready to resume with a
smaller learning rate. All numbers come from nncore; this module arranges widgets and hands
arrays to plots.
"""

from __future__ import annotations

import dataclasses
import html
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEventLoop, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.plots import (
    ContourView,
    HealthPlots,
    LossPlot,
    ScatterView,
    WeightMatricesView,
    connect_theme_changed,
    diverging_colormap,
    nice_levels,
    symmetric_limit,
    theme_colors,
)
from app.train_worker import TrainingSnapshot, TrainingThread, limit_blas_threads
from nncore import data as nndata
from nncore import training, weightfile
from nncore.formatting import fmt
from nncore.formula import FormulaError

GRID_SIZE = 100  # the article's 100 × 100 grid for contour maps
CONTOUR_LINES = 8  # about this many contour lines per map
FORMULA_ITEM = "formula"  # combo data of the "type your own formula" entry
MAX_REFRESH_HZ = 20.0  # redraw the live views at most this often
MIN_REFRESH_HZ = 4.0  # and at least this often while training
LOWER_REFRESH_HZ = 4.0  # the layer-health and weight views at most this often
MID_RUN_NOTE = " (changed mid-run)"  # after a run's learning rate in its legend label
GUI_CPU_BUDGET = 0.07  # target share of CPU time for the GUI thread while training


# ---- data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSettings:
    """What the data panel asks for. `samples` is a count, or 0 for the 100 × 100 grid."""

    function: str = nndata.DEFAULT_FUNCTION  # registry name or formula text
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
    grid_X: np.ndarray  # (GRID_SIZE², 2), row-major like nncore.data.grid
    truth: np.ndarray | None  # (GRID_SIZE, GRID_SIZE) [row=y, col=x]

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
        xs, ys, grid_X = nndata.mesh_points(dataset.bounds(), GRID_SIZE)
        truth = None
    else:
        fn = nndata.get_function(settings.function)
        xs, ys, truth = nndata.grid_axes(fn, GRID_SIZE)
        grid_set = nndata.grid(fn, GRID_SIZE)
        grid_X = grid_set.X
        if settings.samples == 0:
            dataset = nndata.grid(fn, GRID_SIZE, noise=settings.noise, seed=settings.seed)
        else:
            dataset = nndata.sample_uniform(
                fn, settings.samples, seed=settings.seed, noise=settings.noise
            )
    if settings.val_share > 0:
        train, val = dataset.split(settings.val_share, seed=settings.seed)
        val = val if len(val) else None
    else:
        train, val = dataset, None
    return PreparedData(settings, fn, dataset, train, val, xs, ys, grid_X, truth)


def _let_shrink(combo: QComboBox, chars: int = 16) -> None:
    """Size `combo` for about `chars` characters, not for its longest item."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)


class DataPanel(QGroupBox):
    """Settings for the training data: function or CSV, sample count, noise, seed, validation.

    Emits `changed` (debounced) when a setting changes and the result is valid; shows a
    message inline when it is not (e.g. a formula with a typo).
    """

    changed = Signal()
    validity_changed = Signal(bool)  # False while the settings cannot make data

    SAMPLE_CHOICES = (
        ("1,000 random points", 1000),
        ("10,000 random points", 10000),
        ("100 × 100 grid", 0),
        ("Custom count…", -1),
    )

    def __init__(self, parent=None):
        super().__init__("Data", parent)
        self._csv_path: str | None = None
        self._csv_dataset: nndata.Dataset | None = None
        self.is_valid = True  # the settings make data (no error shown)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.function_combo = QComboBox()
        for name, fn in nndata.FUNCTIONS.items():
            self.function_combo.addItem(f"{name}: {fn.label}", name)
            self.function_combo.setItemData(
                self.function_combo.count() - 1, fn.description, Qt.ItemDataRole.ToolTipRole
            )
        self.function_combo.addItem("Your own formula…", FORMULA_ITEM)
        _let_shrink(self.function_combo)
        self.function_combo.setToolTip(
            "The function z = f(x, y) the network must learn from examples.\n"
            "'article' is the toy problem of the article; the others are easier or harder."
        )
        form.addRow("Function", self.function_combo)

        self.formula_edit = QLineEdit()
        self.formula_edit.setPlaceholderText("e.g. sin(x) * y / 3 or x^2 - y^2")
        self.formula_edit.setToolTip(
            "Type any formula in x and y. Allowed: + − * / ^, brackets, numbers, pi, e and "
            "functions such as sin, cos, exp, log, sqrt, abs."
        )
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
            "points, then tries 10,000. The grid is the same 100 × 100 points the maps show."
        )
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
            "target. Real data is noisy; a network that fits the noise has learnt it by heart."
        )
        form.addRow("Noise", self.noise_spin)

        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip(
            "Which random points are drawn (and which go to validation). The same seed always "
            "gives the same data."
        )
        form.addRow("Data seed", self.seed_spin)

        self.val_spin = QSpinBox()
        self.val_spin.setRange(0, 50)
        self.val_spin.setSuffix(" %")
        self.val_spin.setValue(20)
        self.val_spin.setToolTip(
            "Share of the points kept aside and never trained on. Their loss (validation) shows "
            "whether the network learnt the function or only memorised its training points."
        )
        form.addRow("Validation", self.val_spin)

        csv_row = QHBoxLayout()
        self.csv_button = QPushButton("Load CSV…")
        self.csv_button.setToolTip(
            "Train on your own data: a CSV file with three numeric columns x, y, z "
            "(a header row is optional)."
        )
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
        self._debounce.stop()  # nothing has changed yet

    # -- reading --
    def settings(self) -> DataSettings:
        """The settings as the widgets show them (not yet validated)."""
        name = self.function_combo.currentData()
        function = self.formula_edit.text() if name == FORMULA_ITEM else name
        count = self.samples_combo.currentData()
        if count == -1:
            count = self.custom_count.value()
        return DataSettings(
            function=function,
            samples=count,
            noise=self.noise_spin.value(),
            seed=self.seed_spin.value(),
            val_share=self.val_spin.value() / 100.0,
            csv_path=self._csv_path,
        )

    def prepare(self) -> PreparedData | None:
        """Build the data from the settings, or show what is wrong and return None."""
        try:
            prepared = prepare_data(self.settings(), self._csv_dataset)
        except (FormulaError, nndata.DataError, ValueError) as err:
            self._refuse(str(err))
            return None
        self.show_message("")
        self._set_valid(True)
        return prepared

    def _set_valid(self, valid: bool) -> None:
        if valid != self.is_valid:
            self.is_valid = valid
            self.validity_changed.emit(valid)

    def _refuse(self, text: str) -> None:
        self.show_message(text, error=True)
        self._set_valid(False)

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
        self._debounce.stop()  # the caller rebuilds the data itself

    def show_message(self, text: str, error: bool = False) -> None:
        colors = theme_colors()
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {colors['highlight'] if error else colors['muted']};")
        self.message.setVisible(bool(text))

    # -- CSV --
    def load_csv_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Load training data", "", "CSV files (*.csv *.txt);;All files (*)"
        )
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
            self.show_message(
                f"Could not use {path}: the Train tab needs two inputs (x, y) and "
                f"one target (z); the file has {dataset.n_inputs} input(s) and "
                f"{dataset.n_outputs} target(s).",
                error=True,
            )
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
        for widget in (
            self.function_combo,
            self.formula_edit,
            self.samples_combo,
            self.custom_count,
            self.noise_spin,
        ):
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
            self._refuse("Type a formula in x and y, e.g. sin(x) * y / 3.")
            return
        try:
            fn = nndata.get_function(settings.function)
            nndata.grid_axes(fn, GRID_SIZE)  # refuses formulas undefined on the range
        except (FormulaError, nndata.DataError, ValueError) as err:
            if settings.csv_path is None:
                self._refuse(str(err))
                return
        if settings.csv_path is None:
            self.show_message("")
        self._set_valid(True)
        self.changed.emit()


# ---- model and recipe -----------------------------------------------------------------


def parse_architecture(text: str) -> tuple[int, ...]:
    """ "2-64-64-64-1" -> (2, 64, 64, 64, 1); raises ValueError with a readable message.

    The Train tab learns z = f(x, y): two inputs and one output, with 1 to 8 hidden layers
    of 1 to 512 neurons.
    """
    parts = [p for p in text.replace(",", "-").replace(" ", "-").replace("×", "-").split("-") if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise ValueError(
            "write the layer sizes as whole numbers joined by dashes, e.g. 2-64-64-64-1"
        )
    sizes = tuple(int(p) for p in parts)
    if len(sizes) < 3:
        raise ValueError("give at least one hidden layer, e.g. 2-16-1")
    if sizes[0] != 2 or sizes[-1] != 1:
        raise ValueError(
            "the first size must be 2 (the inputs x and y) and the last 1 (the output z)"
        )
    if len(sizes) > 10:
        raise ValueError("at most 8 hidden layers")
    if any(not 1 <= s <= 512 for s in sizes[1:-1]):
        raise ValueError("hidden layers need between 1 and 512 neurons")
    return sizes


class ModelPanel(QGroupBox):
    """The network and how to train it: recipe, architecture, activation, optimiser, ...

    `changed` fires when any setting changes; `lr_changed(lr)` when the learning rate does
    (a paused run takes it from its next epoch). `config()` returns an nncore TrainConfig
    or raises ValueError with a message for the student.
    """

    changed = Signal()
    lr_changed = Signal(float)

    def __init__(self, parent=None):
        super().__init__("Model and recipe", parent)
        self._loading = False
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.recipe_combo = QComboBox()
        self.recipe_combo.addItem("article: as in the article", "article")
        self.recipe_combo.addItem("modern: He init, Adam, mini-batches", "modern")
        self.recipe_combo.setToolTip(
            "A recipe fills in every setting below.\n"
            "article: the article's run: weights drawn uniformly in ±1 (seed 99), plain "
            "gradient descent at lr 0.001 on the whole data set at once, 2,000 epochs.\n"
            "modern: what practitioners use today: He initialisation, the Adam optimiser, "
            "mini-batches of 128 and a learning rate that warms up, then decays along a cosine."
        )
        form.addRow("Recipe", self.recipe_combo)

        self.arch_edit = QLineEdit()
        self.arch_edit.setToolTip(
            "Layer sizes from input to output. 2-64-64-64-1 is the article's network: 2 inputs "
            "(x, y), three hidden layers of 64 neurons, 1 output (z)."
        )
        form.addRow("Layers", self.arch_edit)

        self.activation_combo = QComboBox()
        for name in ("relu", "leaky_relu", "tanh", "sigmoid"):
            self.activation_combo.addItem(name, name)
        self.activation_combo.setToolTip(
            "The bend each hidden neuron applies to its sum. ReLU (the article's) passes "
            "positive sums and blocks negative ones; the output layer is always linear."
        )
        form.addRow("Activation", self.activation_combo)

        self.init_combo = QComboBox()
        for name, tip in (
            ("article", "uniform in ±1, as in the article"),
            ("he", "normal, scaled for ReLU (√(2/fan-in))"),
            ("xavier", "uniform, scaled for tanh/sigmoid"),
        ):
            self.init_combo.addItem(f"{name}: {tip}", name)
        self.init_combo.setToolTip(
            "How the starting weights are drawn. Weights that start too large make the "
            "signal explode through the layers; too small and it fades away."
        )
        form.addRow("Initial weights", self.init_combo)

        self.optimizer_combo = QComboBox()
        for name, text in (("gd", "gradient descent"), ("momentum", "momentum"), ("adam", "Adam")):
            self.optimizer_combo.addItem(text, name)
        self.optimizer_combo.setToolTip(
            "How each gradient turns into a weight change.\n"
            "gradient descent: step against the gradient (the article).\n"
            "momentum: keep rolling in the direction of recent steps.\n"
            "Adam: scale every weight's step by how noisy its gradient has been."
        )
        form.addRow("Optimiser", self.optimizer_combo)

        self.lr_spin = QDoubleSpinBox()
        self.lr_spin.setDecimals(6)
        self.lr_spin.setRange(0.000001, 10.0)
        self.lr_spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr_spin.setToolTip(
            "Learning rate: how big a step each update takes. Too small and learning crawls; "
            "too large and the loss jumps around or blows up. You may change it while the "
            "run is paused (or running): it applies from the next epoch."
        )
        form.addRow("Learning rate", self.lr_spin)

        self.schedule_combo = QComboBox()
        for name, text in (
            ("constant", "constant"),
            ("step", "step decay"),
            ("cosine", "cosine with warm-up"),
        ):
            self.schedule_combo.addItem(text, name)
        self.schedule_combo.setToolTip(
            "How the learning rate changes over the run: constant (the article), halved in "
            "steps, or warmed up for a few epochs and then lowered smoothly to zero "
            "(annealing, one of the article's suggested improvements)."
        )
        form.addRow("Schedule", self.schedule_combo)

        self.warmup_spin = QSpinBox()
        self.warmup_spin.setRange(0, 10_000)
        self.warmup_spin.setSuffix(" epochs")
        self.warmup_spin.setToolTip(
            "Cosine schedule only: epochs spent raising the learning "
            "rate from 0 to its peak, so the first steps are gentle."
        )
        form.addRow("Warm-up", self.warmup_spin)

        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(0, 100_000)
        self.batch_spin.setSpecialValueText("full batch")
        self.batch_spin.setSingleStep(32)
        self.batch_spin.setToolTip(
            "Examples per update. 'full batch' (the article) uses all training points for "
            "each update; mini-batches of, say, 128 give many smaller, noisier updates per "
            "epoch and usually learn much faster."
        )
        form.addRow("Batch size", self.batch_spin)

        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 1_000_000)
        self.epochs_spin.setGroupSeparatorShown(True)
        self.epochs_spin.setToolTip(
            "Passes over the whole training set. The article trains for 2,000, later 4,000."
        )
        form.addRow("Epochs", self.epochs_spin)

        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip(
            "Seed for the starting weights and the mini-batch order. "
            "The same seed and settings give exactly the same run."
        )
        form.addRow("Seed", self.seed_spin)

        self.dtype_combo = QComboBox()
        self.dtype_combo.addItem("float64 (double)", "float64")
        self.dtype_combo.addItem("float32 (single)", "float32")
        self.dtype_combo.setToolTip(
            "Number precision. float64 keeps about 16 digits (the article's NumPy default); "
            "float32 keeps about 7, is faster, and is what GPUs usually train in."
        )
        form.addRow("Precision", self.dtype_combo)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        form.addRow(self.message)

        # Long item texts (shown whole in the drop-down) must not widen the side column.
        for combo in (self.recipe_combo, self.init_combo):
            _let_shrink(combo)

        self.set_recipe("article")
        self.recipe_combo.currentIndexChanged.connect(
            lambda _i: self.set_recipe(self.recipe_combo.currentData())
        )
        for combo in (
            self.activation_combo,
            self.init_combo,
            self.optimizer_combo,
            self.schedule_combo,
            self.dtype_combo,
        ):
            combo.currentIndexChanged.connect(self._on_edit)
        for spin in (self.warmup_spin, self.batch_spin, self.epochs_spin, self.seed_spin):
            spin.valueChanged.connect(self._on_edit)
        self.arch_edit.editingFinished.connect(self._on_edit)
        self.lr_spin.valueChanged.connect(self._on_lr)

    # -- reading and writing --
    def config(self):
        """The settings as an nncore TrainConfig; raises ValueError saying what is wrong."""
        sizes = parse_architecture(self.arch_edit.text())
        batch = self.batch_spin.value() or None
        schedule = self.schedule_combo.currentData()
        return training.TrainConfig(
            recipe=self.recipe_combo.currentData(),
            sizes=sizes,
            activation=self.activation_combo.currentData(),
            init=self.init_combo.currentData(),
            optimizer=self.optimizer_combo.currentData(),
            lr=self.lr_spin.value(),
            schedule=schedule,
            warmup=self.warmup_spin.value() if schedule == "cosine" else 0,
            batch_size=batch,
            epochs=self.epochs_spin.value(),
            seed=self.seed_spin.value(),
            dtype=self.dtype_combo.currentData(),
        )

    def set_recipe(self, name: str) -> None:
        """Fill every field from nncore's recipe `name` ("article" or "modern")."""
        self.set_config(training.recipe(name))

    def set_config(self, cfg) -> None:
        """Show a TrainConfig (or its dict) in the fields, emitting `changed` once."""
        if isinstance(cfg, dict):
            cfg = training.TrainConfig.from_dict(cfg)
        self._loading = True
        try:
            index = self.recipe_combo.findData(cfg.recipe)
            if index >= 0:
                self.recipe_combo.setCurrentIndex(index)
            self.arch_edit.setText("-".join(str(s) for s in cfg.sizes))
            self._select(self.activation_combo, cfg.activation)
            self._select(self.init_combo, cfg.init)
            self._select(self.optimizer_combo, cfg.optimizer)
            self._select(self.schedule_combo, cfg.schedule)
            self._select(self.dtype_combo, cfg.dtype)
            self.lr_spin.setValue(cfg.lr)
            self.warmup_spin.setValue(cfg.warmup)
            self.batch_spin.setValue(cfg.batch_size or 0)
            self.epochs_spin.setValue(cfg.epochs)
            self.seed_spin.setValue(cfg.seed if cfg.seed is not None else 0)
        finally:
            self._loading = False
        self._update_enabled()
        self._on_edit()

    @staticmethod
    def _select(combo: QComboBox, value) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def set_running(self, running: bool) -> None:
        """Lock everything but the learning rate while a run is under way."""
        for widget in (
            self.recipe_combo,
            self.arch_edit,
            self.activation_combo,
            self.init_combo,
            self.optimizer_combo,
            self.schedule_combo,
            self.warmup_spin,
            self.batch_spin,
            self.epochs_spin,
            self.seed_spin,
            self.dtype_combo,
        ):
            widget.setEnabled(not running)
        if not running:
            self._update_enabled()

    def show_message(self, text: str, error: bool = False) -> None:
        colors = theme_colors()
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {colors['highlight'] if error else colors['muted']};")
        self.message.setVisible(bool(text))

    def summary(self) -> str:
        """A short label for the loss plot's "previous run" legend."""
        opt = self.optimizer_combo.currentText()
        return f"{self.recipe_combo.currentData()}, {opt}, lr {self.lr_spin.value():g}"

    # -- reactions --
    def _update_enabled(self) -> None:
        if self.recipe_combo.isEnabled():
            self.warmup_spin.setEnabled(self.schedule_combo.currentData() == "cosine")

    def _on_edit(self, *_):
        if self._loading:
            return
        self._update_enabled()
        try:
            self.config()
        except ValueError as err:
            self.show_message(str(err), error=True)
            return
        self.show_message("")
        self.changed.emit()

    def _on_lr(self, value: float) -> None:
        if self._loading:
            return
        self.lr_changed.emit(float(value))
        self._on_edit()


class Banner(QFrame):
    """A message across the top of the views: a warning (divergence), an error, or a tip
    with an action button (e.g. "Try the modern recipe"). Not modal; can be closed."""

    action_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trainBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.setVisible(False)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Hide this message")
        self.close_button.setAutoRaise(True)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.action.clicked.connect(self.action_clicked)
        self.close_button.clicked.connect(self.hide)
        self.kind = ""
        self._shown: tuple[str, str, str, str] | None = None
        self.setVisible(False)

    def show_message(self, kind: str, title: str, detail: str = "", action: str = "") -> None:
        """kind: "warning", "error", "info" or "success"."""
        self.kind = kind
        self._shown = (kind, title, detail, action)
        colors = theme_colors()
        accent = {
            "warning": colors["highlight"],
            "error": colors["highlight"],
            "success": colors["forward"],
            "info": colors["positive"],
        }.get(kind, colors["muted"])
        self.setStyleSheet(
            f"#trainBanner {{ border: 1px solid {accent}; "
            f"border-left: 5px solid {accent}; border-radius: 3px; }}"
        )
        text = f"<b>{html.escape(title)}</b>"
        if detail:
            text += f"<br>{html.escape(detail)}"
        self.label.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.setVisible(True)

    def text(self) -> str:
        return self.label.text()

    def apply_theme(self, _name: str = "") -> None:
        """Redraw the frame in the new theme's colours."""
        if self.kind and self._shown:
            self.show_message(*self._shown)

    def clear(self) -> None:
        self.kind = ""
        self.label.setText("")
        self.setVisible(False)


# ---- history --------------------------------------------------------------------------


class HistoryArrays:
    """The epoch reports of a run, plus the same numbers as growing NumPy columns for the
    plots (so a refresh hands arrays over instead of rebuilding them from 2,000 objects)."""

    def __init__(self):
        self.reports: list = []
        self._n = 0
        self._cap = 0
        self._cols: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return self._n

    def clear(self) -> None:
        self.reports = []
        self._n = 0
        self._cap = 0
        self._cols = {}

    def extend(self, reports) -> None:
        if not reports:
            return
        first = reports[0]
        if not self._cols:
            n_layers = len(first.weight_norms)
            self._cols = {
                "epoch": np.empty(0),
                "train": np.empty(0),
                "val": np.empty(0),
                "lr": np.empty(0),
                "weights": np.empty((0, n_layers)),
                "grads": np.empty((0, n_layers)),
                "dead": np.empty((0, max(n_layers - 1, 0))),
            }
        need = self._n + len(reports)
        if need > self._cap:
            self._cap = max(need, 2 * self._cap, 256)
            for key, col in self._cols.items():
                grown = np.full((self._cap,) + col.shape[1:], np.nan)
                grown[: self._n] = col[: self._n]
                self._cols[key] = grown
        c, k, end = self._cols, self._n, self._n + len(reports)
        c["epoch"][k:end] = [r.epoch for r in reports]
        c["train"][k:end] = [r.train_mse for r in reports]
        c["val"][k:end] = [np.nan if r.val_mse is None else r.val_mse for r in reports]
        c["lr"][k:end] = [r.lr for r in reports]
        c["weights"][k:end] = [r.weight_norms for r in reports]
        c["grads"][k:end] = [r.grad_norms for r in reports]
        c["dead"][k:end] = [r.dead_fraction[:-1] for r in reports]
        k = end
        self._n = k
        self.reports.extend(reports)

    def column(self, key: str) -> np.ndarray:
        """A view of the first len(self) rows of column `key`."""
        if not self._cols:
            return np.empty(0)
        return self._cols[key][: self._n]


# ---- the tab --------------------------------------------------------------------------

FRESH, RUNNING, PAUSING, PAUSED, FINISHED = "fresh", "running", "pausing", "paused", "finished"


class TrainTab(QWidget):
    """The Train tab (see the module docstring). Constructed as `TrainTab(parent=None)`.

    Signals (for tests and the window): `state_changed(str)` with one of "fresh",
    "running", "pausing", "paused", "finished"; `refreshed()` after the views were redrawn
    from new training data; `run_finished(object)` with nncore's StopReason.
    """

    state_changed = Signal(str)
    refreshed = Signal()
    run_finished = Signal(object)
    _start_loop = Signal(int)
    _step = Signal(int, int)
    _publish = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        limit_blas_threads(1)
        self.prepared: PreparedData | None = None
        self.run: training.TrainingRun | None = None
        self.state = FRESH
        self.history = HistoryArrays()
        self.last_snapshot: TrainingSnapshot | None = None
        self._run_id = 0
        self._run_label = ""
        self._closed = False
        self._dirty_maps = False
        self._dirty_curves = False
        self._refresh_gap = 1.0 / MAX_REFRESH_HZ  # seconds between refreshes, adapted
        self._last_refresh = 0.0
        self._last_refresh_cpu = time.thread_time()
        self._last_lower_refresh = 0.0
        self._hidden_pause = False

        self._build_controls()
        self._build_views()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._controls_scroll)
        layout.addWidget(self._views, 1)

        # the worker thread; connections after moveToThread (inside TrainingThread)
        self._thread = TrainingThread()
        self.worker = self._thread.worker
        # a tab deleted without shutdown() must not take a running QThread down with it
        thread = self._thread
        self.destroyed.connect(lambda *_: thread.shutdown())
        self._start_loop.connect(self.worker.run_loop)
        self._step.connect(self.worker.step)
        self._publish.connect(self.worker.publish)
        # Explicitly queued: these handlers touch widgets, so they must run in this thread
        # whatever PySide6 infers from the receiver.
        self.worker.snapshot.connect(self._on_snapshot, Qt.QueuedConnection)
        self.worker.loop_ended.connect(self._on_loop_ended, Qt.QueuedConnection)
        self.worker.failed.connect(self._on_failed, Qt.QueuedConnection)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self._refresh)

        self.data_panel.changed.connect(self._on_data_changed)
        self.data_panel.validity_changed.connect(self._update_controls)
        self.model_panel.changed.connect(self._on_model_changed)
        self.model_panel.lr_changed.connect(self._on_lr_changed)
        connect_theme_changed(self._apply_theme)
        self._make_shortcuts()
        if self.reload_data():
            self._new_run(keep_previous=False)
        self._update_controls()

    # ---- building -------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.data_panel = DataPanel()
        self.model_panel = ModelPanel()

        run_box = QGroupBox("Run")
        grid = QGridLayout(run_box)
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Train with these settings (F5)")
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip(
            "Pause after the current chunk of epochs; Resume goes on from there (F6)"
        )
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("End this run here; its curve stays for comparison (Shift+F5)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip(
            "Start over from the initial weights. The same seed and "
            "settings give exactly the same run (Ctrl+R)"
        )
        self.step_button = QPushButton("Step one epoch")
        self.step_button.setToolTip("Train exactly one epoch and show the result (F10)")
        grid.addWidget(self.start_button, 0, 0)
        grid.addWidget(self.pause_button, 0, 1)
        grid.addWidget(self.stop_button, 0, 2)
        grid.addWidget(self.reset_button, 1, 0)
        grid.addWidget(self.step_button, 1, 1, 1, 2)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setToolTip("Epochs done out of the planned number, speed, time left")
        grid.addWidget(self.progress, 2, 0, 1, 3)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        grid.addWidget(self.status_label, 3, 0, 1, 3)
        self.export_button = QPushButton("Export weights…")
        self.export_button.setToolTip(
            "Save the trained network with its normaliser, settings "
            "and loss history (.npz, .json or .safetensors)"
        )
        self.open_button = QPushButton("Open weights…")
        self.open_button.setToolTip(
            "Load a saved network, show its predictions and history, and continue training it"
        )
        grid.addWidget(self.open_button, 4, 0, 1, 1)
        grid.addWidget(self.export_button, 4, 1, 1, 2)

        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset)
        self.step_button.clicked.connect(self.step_one_epoch)
        self.export_button.clicked.connect(self.export_weights_dialog)
        self.open_button.clicked.connect(self.open_weights_dialog)

        controls = QWidget()
        column = QVBoxLayout(controls)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(run_box)
        column.addWidget(self.data_panel)
        column.addWidget(self.model_panel)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Wide enough for the panels and the vertical scroll bar, so nothing is cut off.
        bar = scroll.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        scroll.setFixedWidth(max(310, controls.minimumSizeHint().width() + bar + 4))
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the controls
        self._controls_scroll = scroll

    def _build_views(self) -> None:
        self.banner = Banner()
        self.banner.action_clicked.connect(self._on_banner_action)
        self.truth_view = ContourView("True function", bar_label="z")
        self.prediction_view = ContourView("Prediction", bar_label="z")
        self.error_view = ContourView(
            "Error", colormap=diverging_colormap(), bar_label="prediction − truth"
        )
        maps = QWidget()
        maps_layout = QHBoxLayout(maps)
        maps_layout.setContentsMargins(0, 0, 0, 0)
        maps_layout.setSpacing(2)
        for view in (self.truth_view, self.prediction_view, self.error_view):
            maps_layout.addWidget(view, 1)
            view.hovered.connect(self._on_hover)
        self.hover_label = QLabel("Hover over a map to read x, y and the values there.")
        self.hover_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.loss_plot = LossPlot()
        self.scatter_view = ScatterView("Training points (coloured by z)")
        self.health_plots = HealthPlots()
        self.weights_view = WeightMatricesView()
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.health_plots, "Layer health")
        self.lower_tabs.addTab(self.weights_view, "Weight matrices")
        self.lower_tabs.addTab(self.scatter_view, "Training data")
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
        self.lower_tabs.currentChanged.connect(lambda _i: self._mark_dirty(curves=True))
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
        views = QWidget()
        views_layout = QVBoxLayout(views)
        views_layout.setContentsMargins(0, 0, 0, 0)
        views_layout.addWidget(self.banner)
        views_layout.addWidget(split, 1)
        self._views = views

    def _make_shortcuts(self) -> None:
        self._shortcut_table = (
            ("F5", "Train: start, or resume a paused run", self._start_or_resume),
            ("F6", "Train: pause / resume", self.toggle_pause),
            ("Shift+F5", "Train: stop the run", self.stop),
            ("Ctrl+R", "Train: reset to the initial weights", self.reset),
            ("F10", "Train: step one epoch", self.step_one_epoch),
        )
        for key, _text, slot in self._shortcut_table:
            shortcut = QShortcut(QKeySequence(key), self)
            # function keys do not clash with typing; a hidden tab's shortcuts are inactive
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    # ---- data and runs --------------------------------------------------------------------
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
        self._levels = levels
        self._contour_levels = nice_levels(*levels, CONTOUR_LINES)
        for view in (self.truth_view, self.prediction_view, self.error_view):
            view.set_grid(p.xs, p.ys)
        if p.truth is not None:
            self.truth_view.set_values(p.truth, levels, self._contour_levels)
            self.truth_view.set_points(None)
            self.truth_view.set_title("True function")
            self.error_view.clear_values("")
            self.error_view.show_colorbar(True)
        else:
            # CSV data: no function to draw, so show the points themselves
            self.truth_view.clear_values("")
            self.truth_view.set_points(p.train.X, p.train.y, levels)
            self.truth_view.show_colorbar(True, levels)
            self.truth_view.set_title("Your data (training points)")
            self.error_view.clear_values("no known function to compare with")
            self.error_view.show_colorbar(False)
        self.prediction_view.clear_values("")
        self.prediction_view.show_colorbar(True, levels)
        self.scatter_view.set_points(
            p.train.X, p.train.y, levels, title=f"{len(p.train):,} training points (coloured by z)"
        )

    def _halt_worker(self) -> None:
        """Pause the worker and wait until it is idle (a chunk takes ~20 ms)."""
        self.worker.request_pause()
        if not self.worker.wait_idle(10.0):
            raise RuntimeError("the training thread did not pause within 10 s")

    def _new_run(
        self, keep_previous: bool = True, network=None, normaliser=None, history=None, config=None
    ) -> bool:
        """Build a fresh TrainingRun from the panels (or the given parts) and show it."""
        if self.prepared is None:
            return False
        try:
            cfg = config if config is not None else self.model_panel.config()
            run = training.TrainingRun(
                cfg,
                self.prepared.train,
                self.prepared.val,
                network=network,
                normaliser=normaliser,
                history=history,
            )
        except (ValueError, TypeError) as err:
            self.model_panel.show_message(f"Cannot build this network: {err}", error=True)
            return False
        self._halt_worker()
        if keep_previous and len(self.history):
            self.loss_plot.keep_as_previous(self._run_label or "previous run")
        else:
            self.loss_plot.clear_current()
        self.health_plots.clear_curves()
        self._run_id += 1
        self.run = run
        self._run_label = self.model_panel.summary()
        self.history.clear()
        self.history.extend(run.history)
        self.last_snapshot = None
        p = self.prepared
        truth = p.truth
        self.worker.set_run(run, self._run_id, p.grid_X, truth)
        self.health_plots.set_layers(run.network.n_layers, run.network.n_layers - 1)
        self.loss_plot.set_span(run.config.epochs)
        self.health_plots.set_span(run.config.epochs)
        self._set_state(PAUSED if run.history else FRESH)
        self._publish.emit(self._run_id)
        self._mark_dirty(curves=True)
        return True

    def configure(self, data: DataSettings | None = None, config=None) -> bool:
        """Show these data settings and/or TrainConfig in the panels and prepare a fresh run
        with them (any run in progress is put aside, its curve kept for comparison)."""
        self._halt_worker()
        self._set_state(FRESH)
        if data is not None:
            self.data_panel.set_settings(data)
        if config is not None:
            self.model_panel.blockSignals(True)
            try:
                self.model_panel.set_config(config)
            finally:
                self.model_panel.blockSignals(False)
        if not self.reload_data():
            return False
        return self._new_run(keep_previous=True)

    # ---- buttons --------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Start training (a new run when the last one has finished)."""
        if self.state in (RUNNING, PAUSING) or self._closed:
            return
        if self.state != PAUSED and not self.data_panel.is_valid:
            return  # the data panel says what to fix
        if self.state == FINISHED or self.run is None:
            if not self._new_run(keep_previous=True):
                return
        self._resume()

    def _start_or_resume(self) -> None:
        if self.state == PAUSED:
            self._resume()
        else:
            self.start()

    def _resume(self) -> None:
        if self.run is None or self.run.done:
            return
        if self.banner.kind in ("info", "success", "warning"):
            self.banner.clear()  # a warning's advice (lower the rate, Resume) is taken
        self._hidden_pause = False
        self.worker.allow_run()
        self._set_state(RUNNING)
        self._start_loop.emit(self._run_id)

    @Slot()
    def toggle_pause(self) -> None:
        if self.state == RUNNING:
            self.worker.request_pause()
            self._set_state(PAUSING)
        elif self.state == PAUSED:
            self._resume()

    def _pause_after_divergence(self) -> None:
        """nncore's guard ended the run and put back the last finite weights: continue from
        them in a new run (same settings, same history), paused, so the student can lower
        the learning rate and resume."""
        run, snap = self.run, self.last_snapshot
        if run is None or snap is None:
            self._set_state(FINISHED)
            return
        label = self._run_label
        if self._new_run(
            keep_previous=False,
            network=snap.state.network.copy(),
            normaliser=run.normaliser,
            history=list(self.history.reports),
            config=self._continuation_config(run.config, len(self.history)),
        ):
            self._run_label = label
        else:
            self._set_state(FINISHED)

    @staticmethod
    def _continuation_config(cfg, done: int):
        """Settings for carrying on after `done` epochs: the planned total, or that many more."""
        epochs = cfg.epochs if cfg.epochs > done else done + cfg.epochs
        return dataclasses.replace(cfg, epochs=epochs)

    @Slot()
    def stop(self) -> None:
        """End the run for good; it finishes with the reason "stopped"."""
        if self.state not in (RUNNING, PAUSING, PAUSED) or self.run is None:
            return
        self.worker.request_stop()
        if self.state == PAUSED:
            self.worker.allow_run()
            self._set_state(RUNNING)
            self._start_loop.emit(self._run_id)  # the loop sees the request and ends

    @Slot()
    def reset(self) -> None:
        """Back to the initial weights with the current settings (same seed, same run)."""
        if self._closed:
            return
        self.banner.clear()
        self._new_run(keep_previous=True)

    @Slot()
    def step_one_epoch(self) -> None:
        if self.state not in (FRESH, PAUSED) or self.run is None or self.run.done:
            return
        if self.state == FRESH and not self.data_panel.is_valid:
            return
        self._set_state(PAUSING)
        self._step.emit(self._run_id, 1)

    # ---- settings -------------------------------------------------------------------------
    def _on_data_changed(self) -> None:
        if self.state in (RUNNING, PAUSING, PAUSED):
            return
        if (
            self.prepared is not None
            and self.data_panel.settings() == self.prepared.settings
            and self.prepared.settings.csv_path is None
        ):
            return
        if self.reload_data():
            self._new_run(keep_previous=True)

    def _on_model_changed(self) -> None:
        if self.state in (RUNNING, PAUSING, PAUSED):
            return
        self._new_run(keep_previous=True)

    def _on_lr_changed(self, lr: float) -> None:
        if self.state in (RUNNING, PAUSING, PAUSED) and self.run is not None:
            self.worker.request_lr(lr)
            if not self._run_label.endswith(MID_RUN_NOTE):
                self._run_label += MID_RUN_NOTE  # its legend entry must not mislead
            done = len(self.history)
            self.status_label.setText(f"Learning rate {lr:g} from epoch {done + 1} on.")

    # ---- worker signals -------------------------------------------------------------------
    @Slot(object)
    def _on_snapshot(self, snap: TrainingSnapshot) -> None:
        if snap.run_id != self._run_id or self._closed:
            return
        self.history.extend(snap.reports)
        previous = self.last_snapshot
        if snap.prediction is None and previous is not None:
            snap.prediction, snap.error = previous.prediction, previous.error
            maps = False
        else:
            maps = snap.prediction is not None
        self.last_snapshot = snap
        if previous is None:
            self._update_controls()  # there is something to export now
        self._mark_dirty(maps=maps, curves=True)
        if snap.final:
            self._refresh()

    @Slot(int, object)
    def _on_loop_ended(self, run_id: int, reason) -> None:
        if run_id != self._run_id or self._closed:
            return
        if reason is None:
            self._set_state(PAUSED if len(self.history) else FRESH)
            if self._hidden_pause:
                self.status_label.setText(
                    "Paused because you left the Train tab; press Resume to go on."
                )
            return
        if reason.kind == "diverged":
            self._pause_after_divergence()
        else:
            self._set_state(FINISHED)
        self._show_stop_reason(reason)
        self.run_finished.emit(reason)

    @Slot(int, str)
    def _on_failed(self, run_id: int, text: str) -> None:
        if run_id != self._run_id or self._closed:
            return
        self._set_state(FINISHED)
        self.banner.show_message("error", "Training stopped because of an unexpected error.", text)

    def _show_stop_reason(self, reason) -> None:
        if reason.kind == "diverged":
            self.banner.show_message(
                "warning",
                reason.message,
                reason.detail + " The maps show the network with the kept weights. Lower the "
                "learning rate and press Resume to carry on from them, or Reset.",
            )
            return
        self.status_label.setText(reason.message)
        cfg = self.run.config if self.run is not None else None
        if (
            cfg is not None
            and cfg.recipe == "article"
            and cfg.optimizer == "gd"
            and reason.kind != "stopped"
        ):
            r2 = self._last_r2()
            fit = f"R² = {r2:.3f}: " if r2 is not None else ""
            self.banner.show_message(
                "info",
                f"{fit}roughly right, but not one-to-one, just as in the article.",
                "The article suggests better data, tuned learning rates, longer training and "
                "annealing. The modern recipe does several of these at once: He "
                "initialisation, the Adam optimiser, mini-batches and a cosine schedule. "
                "Its loss curve will appear beside this one (grey).",
                action="Try the modern recipe",
            )

    def _on_banner_action(self) -> None:
        if self.banner.action.text() == "Try the modern recipe":
            self.banner.clear()
            # 100 modern epochs beside 2,000 article ones: only a log axis shows both
            self.log_epochs_box.setChecked(True)
            self.model_panel.set_recipe("modern")  # rebuilds a fresh run (signal)
            if self.state == FRESH:
                self.start()

    def _last_r2(self) -> float | None:
        if not self.history.reports:
            return None
        r = self.history.reports[-1]
        return r.val_r2 if r.val_r2 is not None else r.train_r2

    # ---- state ----------------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        changed = state != self.state
        self.state = state
        self._update_controls()
        if changed and state not in (RUNNING, PAUSING):
            self._update_progress(self.last_snapshot)  # no speed or time left when idle
        if changed:
            self.state_changed.emit(state)

    def _update_controls(self) -> None:
        s = self.state
        live = s in (RUNNING, PAUSING, PAUSED)
        data_ok = self.data_panel.is_valid
        self.start_button.setEnabled(s in (FRESH, FINISHED) and data_ok)
        self.start_button.setText("Start again" if s == FINISHED else "Start")
        self.pause_button.setEnabled(s in (RUNNING, PAUSED))
        self.pause_button.setText("Pause" if s in (RUNNING, PAUSING) else "Resume")
        self.stop_button.setEnabled(s in (RUNNING, PAUSED))
        self.step_button.setEnabled(
            s in (FRESH, PAUSED)
            and self.run is not None
            and not self.run.done
            and (data_ok or s == PAUSED)
        )
        self.reset_button.setEnabled(s != PAUSING)
        self.open_button.setEnabled(s != PAUSING)
        self.export_button.setEnabled(self.last_snapshot is not None)
        self.data_panel.setEnabled(not live)
        self.model_panel.set_running(live)
        if s in (FRESH, FINISHED) and not data_ok:
            self.status_label.setText(
                "The data settings have a problem (see Data); fix it to train."
            )
        elif s == FRESH and self.run is not None:
            self.status_label.setText(
                f"Ready: {self.run.network.architecture} network, "
                f"{self.run.network.n_parameters:,} parameters, {len(self.prepared.train):,} "
                "training points. Press Start."
            )
        elif s == RUNNING:
            self.status_label.setText("Training…")
        elif s == PAUSED and not self._hidden_pause:
            self.status_label.setText(
                f"Paused after epoch {len(self.history)}. Resume, step "
                "one epoch, or change the learning rate."
            )

    def _mark_dirty(self, maps: bool = False, curves: bool = False) -> None:
        self._dirty_maps |= maps
        self._dirty_curves |= curves
        if self._refresh_timer.isActive():
            return
        # Keep the GUI thread's share of the CPU (drawing, painting, events) near
        # GUI_CPU_BUDGET: while it runs Python, the training thread waits for the GIL.
        wait = max(0.0, self._refresh_gap - (time.perf_counter() - self._last_refresh))
        self._refresh_timer.start(int(wait * 1000))

    # ---- drawing --------------------------------------------------------------------------
    def _refresh(self) -> None:
        """Redraw the views from the latest snapshot (GUI thread; no arithmetic here)."""
        self._refresh_timer.stop()
        if self._closed:
            return
        snap = self.last_snapshot
        if self._dirty_maps and snap is not None and snap.prediction is not None:
            self.prediction_view.set_values(snap.prediction, self._levels, self._contour_levels)
            if snap.error is not None:
                bound = symmetric_limit(snap.error)
                self.error_view.set_values(
                    snap.error, (-bound, bound), nice_levels(-bound, bound, 4)
                )
        if self._dirty_curves:
            # the health and weight views change slowly: a few times a second is plenty
            now = time.perf_counter()
            lower = (
                self.state != RUNNING
                or snap is None
                or snap.final
                or now - self._last_lower_refresh >= 1.0 / LOWER_REFRESH_HZ
            )
            if lower:
                self._last_lower_refresh = now
            self._draw_curves(snap, lower)
        self._dirty_maps = self._dirty_curves = False
        now, cpu = time.perf_counter(), time.thread_time()
        if self.state == RUNNING and self._last_refresh and now > self._last_refresh:
            # the GUI thread's CPU share since the last refresh (drawing, painting, events):
            # refresh less often while it is above budget, more often while below
            share = (cpu - self._last_refresh_cpu) / (now - self._last_refresh)
            factor = 1.25 if share > GUI_CPU_BUDGET else 0.9
            self._refresh_gap = min(
                max(self._refresh_gap * factor, 1.0 / MAX_REFRESH_HZ), 1.0 / MIN_REFRESH_HZ
            )
        self._last_refresh, self._last_refresh_cpu = now, cpu
        self.refreshed.emit()

    def _draw_curves(self, snap: TrainingSnapshot | None, lower: bool = True) -> None:
        h = self.history
        if len(h):
            epochs = h.column("epoch")
            self.loss_plot.set_history(epochs, h.column("train"), h.column("val"), h.column("lr"))
            if lower and self.lower_tabs.currentWidget() is self.health_plots:
                self.health_plots.set_history(
                    epochs, h.column("weights"), h.column("grads"), h.column("dead")
                )
            r = h.reports[-1]
            # fmt: the tutor's number style (a real minus, ×10ⁿ when a run blows up)
            if r.val_mse is not None:
                mse, r2 = f"{fmt(r.train_mse, 3)} train, {fmt(r.val_mse, 3)} val", r.val_r2
            else:
                mse, r2 = fmt(r.train_mse, 3), r.train_r2
            self.readout_label.setText(
                f"<b>epoch {r.epoch}</b> · MSE {mse} · <b>R² {fmt(r2, 4)}</b>"
            )
        else:
            self.loss_plot.clear_current()
            self.readout_label.setText("No epochs yet: the loss curve appears here.")
        if lower and snap is not None and self.lower_tabs.currentWidget() is self.weights_view:
            self.weights_view.set_weights(snap.state.network.weights)
        self._update_progress(snap)

    def _update_progress(self, snap: TrainingSnapshot | None) -> None:
        total = (
            snap.total_epochs
            if snap is not None
            else (self.run.config.epochs if self.run is not None else 1)
        )
        done = len(self.history)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        text = f"epoch {done:,} / {total:,}"
        if snap is not None and self.state in (RUNNING, PAUSING) and snap.epochs_per_second > 0:
            left = snap.seconds_left
            text += f"  ·  {snap.epochs_per_second:,.0f} epochs/s"
            if left is not None:
                text += f"  ·  {_duration(left)} left"
        self.progress.setFormat(text)

    def _on_hover(self, x: float, y: float, inside: bool) -> None:
        if not inside:
            return
        parts = []
        for name, view in (
            ("truth", self.truth_view),
            ("prediction", self.prediction_view),
            ("error", self.error_view),
        ):
            value = view.value_at(x, y)
            if value is not None:
                parts.append(f"{name} {value:.4g}")
        text = f"x = {x:.2f}, y = {y:.2f}"
        if parts:
            text += ":   " + ",   ".join(parts)
        self.hover_label.setText(text)

    def _apply_theme(self, name: str = "") -> None:
        for view in (
            self.truth_view,
            self.prediction_view,
            self.error_view,
            self.scatter_view,
            self.loss_plot,
            self.health_plots,
            self.weights_view,
            self.banner,
        ):
            view.apply_theme(name)
        if self.prepared is not None:
            self._show_truth()  # re-colours the training points too
            self._mark_dirty(maps=True, curves=True)

    # ---- visibility -----------------------------------------------------------------------
    def hideEvent(self, event) -> None:
        """Leaving the tab pauses a running run (minimising the window does not)."""
        if not self._closed and not event.spontaneous() and self.state == RUNNING:
            self._hidden_pause = True
            self.worker.request_pause()
            self._set_state(PAUSING)
        super().hideEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._mark_dirty(maps=True, curves=True)

    # ---- weight files ---------------------------------------------------------------------
    def open_weights_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open weights", "", "Weight files (*.npz *.json *.safetensors);;All files (*)"
        )
        if path:
            self.open_weights(path)

    def export_weights_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export weights",
            "weights.npz",
            "NumPy archive (*.npz);;JSON text (*.json);;safetensors (PyTorch) (*.safetensors)",
        )
        if not path:
            return
        if not path.lower().endswith(weightfile.FORMATS):
            path += "." + chosen.split("*.")[-1].rstrip(")")
        self.export_weights(path)

    def export_weights(self, path: str) -> bool:
        """Save the network shown (with normaliser, settings, history); message either way."""
        snap, run = self.last_snapshot, self.run
        if snap is None or run is None:
            self.banner.show_message("error", "There is no network to export yet.")
            return False
        meta = {
            "app": "nn-tutor Train tab",
            "data": dataclasses.asdict(self.prepared.settings),
            "data_source": self.prepared.dataset.source,
        }
        if self.prepared.settings.csv_path is not None:
            meta["data"]["csv_path"] = self.prepared.settings.csv_path
        history = self.history.reports[: snap.epoch]
        try:
            weightfile.save(
                path,
                snap.state.network,
                normaliser=run.normaliser,
                config=run.config,
                history=history,
                meta=meta,
            )
        except (weightfile.WeightFileError, OSError, ValueError) as err:
            self.banner.show_message("error", f"Could not export to {path}", str(err))
            return False
        self.banner.show_message(
            "success",
            f"Saved the network to {path}",
            f"{snap.state.network.architecture}, {snap.epoch} epochs of history, with its "
            "normaliser and settings.",
        )
        self.status_label.setText(f"Exported to {path}.")
        return True

    def open_weights(self, path: str) -> bool:
        """Load a weight file: show its predictions and history, ready to continue training."""
        try:
            wf = weightfile.load(path)
        except (weightfile.WeightFileError, OSError, ValueError) as err:
            self.banner.show_message("error", f"Could not open {path}", str(err))
            return False
        net = wf.network
        if net.n_inputs != 2 or net.n_outputs != 1:
            self.banner.show_message(
                "error",
                f"Could not open {path}",
                f"The Train tab learns z = f(x, y), so it needs a network with 2 inputs and 1 "
                f"output; this file holds a {net.architecture} network.",
            )
            return False
        try:
            cfg = training.TrainConfig.from_dict(wf.config) if wf.config else None
        except ValueError as err:
            cfg = None
            note = f" (its training settings were unreadable: {err})"
        else:
            note = ""
        if cfg is None:
            cfg = training.recipe("article")  # the file says nothing of how it trained
        cfg = dataclasses.replace(
            cfg, sizes=net.sizes, dtype=net.dtype.name, activation=net.activation_names[0]
        )
        if wf.normaliser is None:
            note += (
                " (the file has no normaliser: one was fitted on the current data, so "
                "its predictions may be off in scale)"
            )
        try:
            history = [training.EpochReport.from_dict(h) for h in wf.history]
        except ValueError as err:
            history = []
            note += f" (its loss history was unreadable: {err})"
        self._halt_worker()
        # the data the file was trained on, when it says so
        data_meta = wf.meta.get("data") if isinstance(wf.meta, dict) else None
        if isinstance(data_meta, dict) and data_meta.get("csv_path") is None:
            try:
                settings = DataSettings(
                    **{
                        k: data_meta[k]
                        for k in ("function", "samples", "noise", "seed", "val_share")
                        if k in data_meta
                    }
                )
                self._set_state(FRESH)
                self.data_panel.blockSignals(True)
                self.data_panel.set_settings(settings)
            except (TypeError, ValueError):
                pass
            finally:
                self.data_panel.blockSignals(False)
        self._set_state(FRESH)
        if not self.reload_data():
            self.banner.show_message(
                "error",
                f"Could not use {path}",
                "The data it was trained on could not be rebuilt: "
                + self.data_panel.message.text(),
            )
            return False
        self.model_panel.blockSignals(True)
        self.model_panel.set_config(cfg)
        self.model_panel.blockSignals(False)
        normaliser = wf.normaliser
        ok = self._new_run(
            keep_previous=True,
            network=net,
            normaliser=normaliser,
            history=history,
            config=self._continuation_config(cfg, len(history)),
        )
        if not ok:
            self.banner.show_message(
                "error", f"Could not use {path}", self.model_panel.message.text()
            )
            return False
        self.banner.show_message(
            "success",
            f"Opened {path}",
            f"{net.architecture} network trained for {len(history)} epochs{note}. Its "
            "predictions are on the maps; press Resume to continue training it.",
        )
        return True

    # ---- tab protocol ---------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop training and end the worker thread; returns when the thread has finished."""
        if self._closed:
            return
        self._closed = True
        self._refresh_timer.stop()
        self._thread.shutdown()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [(key, text) for key, text, _slot in self._shortcut_table]

    def screenshot_states(self) -> list[tuple[str, Callable[[], None]]]:
        """ "before": the article's setup untrained; "trained": after a short deterministic
        modern run (computed synchronously); "diverged": gradient descent at lr 10."""
        return [
            ("before", self._screenshot_before),
            ("trained", self._screenshot_trained),
            ("diverged", self._screenshot_diverged),
        ]

    def run_synchronously(self, epochs: int, timeout_ms: int = 120_000) -> None:
        """Train `epochs` epochs in the worker and return when they are done and drawn; for
        the screenshot mode and scripts that need a trained state without an event loop."""
        if self.run is None or self.run.done or self.state not in (FRESH, PAUSED):
            return
        loop = QEventLoop()

        def state_changed(state: str) -> None:  # emitted in this (GUI) thread
            if state != PAUSING:
                loop.quit()

        self.state_changed.connect(state_changed)
        guard = QTimer(loop)
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        guard.start(timeout_ms)
        self._set_state(PAUSING)
        self._step.emit(self._run_id, int(epochs))
        loop.exec()
        self.state_changed.disconnect(state_changed)
        self._refresh()

    def _screenshot_before(self) -> None:
        self.banner.clear()
        self.configure(DataSettings(), training.recipe("article"))
        self.loss_plot.clear_previous()
        self.run_synchronously(0)

    def _screenshot_trained(self) -> None:
        """The article's recipe for 300 epochs (its curve stays, grey), then the modern one."""
        self._screenshot_before()
        self.configure(None, training.recipe("article", epochs=300))
        self.run_synchronously(300)
        self.configure(None, training.recipe("modern"))
        self.run_synchronously(training.RECIPES["modern"].epochs)
        self.banner.clear()

    def _screenshot_diverged(self) -> None:
        """Gradient descent at learning rate 10: nncore's guard stops it, the banner explains."""
        self._screenshot_before()
        self.configure(None, training.recipe("article", lr=10.0))
        self.run_synchronously(100)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, sec = divmod(int(seconds), 60)
    return f"{minutes} min {sec:02d} s"
