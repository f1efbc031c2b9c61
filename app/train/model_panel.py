"""The Train tab's model panel: the network and how to train it, as an nncore TrainConfig.

Recipe, layer sizes, activation, initialisation, optimiser, learning rate, schedule,
warm-up, batch size, epochs, seed and precision. A recipe ("article" or "modern", from
`nncore.training.recipe`; "classify" for a classifier) fills in every field; `config()` reads them back (raising
ValueError with a message for the student). While a run is under way everything but the
learning rate is locked (`set_running`); a changed learning rate is announced with
`lr_changed` so the worker can use it from the next epoch.

The fields are checked as they are typed: while one is wrong (Layers `2--1`, a warm-up as
long as the run) the panel shows why, `is_valid` is False and `validity_changed(False)`
fires, so the tab can disable what would use the settings. `set_config` refuses (with a
SettingsError, before touching a widget) settings its widgets cannot show; the ranges are
`app.train.limits`.

The task follows the data (`set_task(classes)`, called by the tab): for regression the
output is one linear neuron learning with squared error; for a classifier of k classes it
is a softmax over k outputs learning with cross-entropy (softmax for two classes too: the
same picture for every k; a file's one-sigmoid-output classifier is shown and trained as
it is), and the recipes on offer are the classifier's.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
)

from app.train import limits
from app.train.form import MessageLabel, let_shrink, show_inline_message
from app.train.session import parse_architecture, recipe_edits
from nncore import training

RECIPE_ITEMS = {  # the recipes each task offers: (name, label in the Recipe box)
    "regression": (
        ("article", "article: as in the article"),
        ("modern", "modern: He init, Adam, mini-batches"),
    ),
    "classification": (("classify", "classify: softmax, cross-entropy, Adam"),),
}


class ModelPanel(QGroupBox):
    """The network and how to train it: recipe, architecture, activation, optimiser, ...

    `changed` fires when any setting changes; `lr_changed(lr)` when the learning rate does
    (a paused run takes it from its next epoch). `config()` returns an nncore TrainConfig
    or raises ValueError with a message for the student.
    """

    changed = Signal()
    lr_changed = Signal(float)
    validity_changed = Signal(bool)  # False while a field is wrong

    def __init__(self, parent=None):
        super().__init__("Model and recipe", parent)
        self._loading = False
        self.is_valid = True  # every field is right (no error shown)
        self.pending = False  # Layers typed in but not yet taken (no editingFinished yet)
        self.classes = 0  # the task: 0 for regression, else the classifier's classes
        self._output = "linear"  # the output layer's activation (the task's)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.recipe_combo = QComboBox()
        self._recipe_labels: list[str] = []  # each recipe's label, while the fields hold it
        self._offer_recipes("regression")
        self.recipe_combo.setToolTip(
            "A recipe fills in every setting below.\n"
            "article: the article's run: weights drawn uniformly in ±1 (seed 99), plain "
            "gradient descent at lr 0.001 on the whole data set at once, 2,000 epochs.\n"
            "modern: what practitioners use today: He initialisation, the Adam optimiser, "
            "mini-batches of 128 and a learning rate that warms up, then decays along a cosine.\n"
            "classify (for classes): ReLU layers with He initialisation, a softmax output "
            "learning with cross-entropy, Adam on mini-batches of 32."
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
        self.lr_spin.setRange(*limits.LR_RANGE)
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
        self.warmup_spin.setRange(*limits.WARMUP_RANGE)
        self.warmup_spin.setSuffix(" epochs")
        self.warmup_spin.setToolTip(
            "Cosine schedule only: epochs spent raising the learning "
            "rate from 0 to its peak, so the first steps are gentle."
        )
        form.addRow("Warm-up", self.warmup_spin)

        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(*limits.BATCH_RANGE)
        self.batch_spin.setSpecialValueText("full batch")
        self.batch_spin.setSingleStep(32)
        self.batch_spin.setToolTip(
            "Examples per update. 'full batch' (the article) uses all training points for "
            "each update; mini-batches of, say, 128 give many smaller, noisier updates per "
            "epoch and usually learn much faster."
        )
        form.addRow("Batch size", self.batch_spin)

        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(*limits.EPOCHS_RANGE)
        self.epochs_spin.setGroupSeparatorShown(True)
        self.epochs_spin.setToolTip(
            "Passes over the whole training set. The article trains for 2,000, later 4,000."
        )
        form.addRow("Epochs", self.epochs_spin)

        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(*limits.SEED_RANGE)
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

        self.message = MessageLabel()
        self.message.setVisible(False)
        form.addRow(self.message)

        # Long item texts (shown whole in the drop-down) must not widen the side column.
        for combo in (self.recipe_combo, self.init_combo):
            let_shrink(combo)

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
        self.arch_edit.editingFinished.connect(self._on_arch_finished)
        self.arch_edit.textEdited.connect(self._on_arch_typed)
        self.lr_spin.valueChanged.connect(self._on_lr)

    # -- reading and writing --
    def _offer_recipes(self, task: str) -> None:
        """Fill the Recipe box with the recipes of `task` (its own items and labels)."""
        self.recipe_combo.blockSignals(True)
        self.recipe_combo.clear()
        for name, label in RECIPE_ITEMS[task]:
            self.recipe_combo.addItem(label, name)
        self.recipe_combo.blockSignals(False)
        self._recipe_labels = [label for _name, label in RECIPE_ITEMS[task]]

    def _n_outputs(self) -> int:
        """The last layer size the task needs: 1 (regression, or one sigmoid output)."""
        return 1 if self.classes == 0 or self._output == "sigmoid" else self.classes

    def set_task(self, classes: int) -> None:
        """Train for this task: 0 is regression, k ≥ 2 a classifier of k classes. Changing
        between the tasks fills in the task's recipe ("article" or "classify"); a new
        number of classes only changes the output layer. Emits `changed` when it changed."""
        if classes == self.classes:
            return
        was = self.classes
        if classes and was:  # another number of classes: the same network, a new output
            sizes = self._typed_sizes()
            self.classes, self._output = classes, "softmax"
            if sizes is not None:
                self.arch_edit.setText("-".join(str(s) for s in (*sizes[:-1], classes)))
            self._on_edit()
            return
        self.classes = classes
        self.set_recipe("classify" if classes else "article")

    def _typed_sizes(self) -> list[int] | None:
        parts = self.arch_edit.text().split("-")
        return [int(p) for p in parts] if all(p.isdigit() for p in parts) else None

    def config(self) -> training.TrainConfig:
        """The settings as an nncore TrainConfig; raises ValueError saying what is wrong."""
        sizes = parse_architecture(self.arch_edit.text(), self._n_outputs())
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
            output=self._output,
            loss="cross_entropy" if self.classes else "mse",
        )

    def set_recipe(self, name: str) -> None:
        """Fill every field from nncore's recipe `name` ("article", "modern" or, with one
        output per class of the task, "classify")."""
        if name == "classify":
            k = self.classes or 2
            cfg = training.recipe(name)
            self.set_config(training.recipe(name, sizes=(*cfg.sizes[:-1], k)))
        else:
            self.set_config(training.recipe(name))

    def set_config(self, cfg: training.TrainConfig | dict) -> None:
        """Show a TrainConfig (or its dict) in the fields, emitting `changed` once.

        Raises SettingsError, with nothing changed, when a widget cannot show a setting
        (epochs above 1,000,000, a seed above 2³¹ − 1, 20 hidden layers, ...)."""
        if isinstance(cfg, dict):
            cfg = training.TrainConfig.from_dict(cfg)
        limits.require_showable(cfg.to_dict())
        self.pending = False
        self._loading = True
        try:
            classifier = cfg.loss == "cross_entropy"
            self.classes = (2 if cfg.sizes[-1] == 1 else cfg.sizes[-1]) if classifier else 0
            self._output = cfg.output
            self._offer_recipes("classification" if classifier else "regression")
            index = self.recipe_combo.findData(cfg.recipe)
            if index >= 0:
                with QSignalBlocker(self.recipe_combo):  # the fields come from cfg, not the recipe
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
        show_inline_message(self.message, text, error)

    def summary(self) -> str:
        """A short label for the loss plot's "previous run" legend."""
        opt = self.optimizer_combo.currentText()
        return f"{self.recipe_combo.currentData()}, {opt}, lr {self.lr_spin.value():g}"

    # -- reactions --
    def _update_enabled(self) -> None:
        if self.recipe_combo.isEnabled():
            self.warmup_spin.setEnabled(self.schedule_combo.currentData() == "cosine")

    def _check(self) -> bool:
        """Show whether the fields make a TrainConfig; update `is_valid`."""
        try:
            cfg = self.config()
        except ValueError as err:  # SettingsError from nncore or the Layers field
            self.show_message(str(err), error=True)
            valid = False
        else:
            self.show_message("")
            self._label_recipe(recipe_edits(cfg))
            valid = True
        if valid != self.is_valid:
            self.is_valid = valid
            self.validity_changed.emit(valid)
        return valid

    def _label_recipe(self, edits: list[str]) -> None:
        """Say in the recipe box when the fields no longer hold the recipe it names, so an
        edited run is never presented as "as in the article"."""
        current = self.recipe_combo.currentIndex()
        for index, label in enumerate(self._recipe_labels):
            if index == current and edits:
                label = f"{self.recipe_combo.itemData(index)} (edited)"
            self.recipe_combo.setItemText(index, label)

    def _on_edit(self, *_):
        if self._loading:
            return
        self._update_enabled()
        self.pending = False
        if self._check():
            self.changed.emit()

    def _on_arch_typed(self, _text: str) -> None:
        """Each key typed into Layers: say at once whether it is right (a wrong field must
        not let Start train the network built from the last right one)."""
        self.pending = True
        self._check()

    def _on_arch_finished(self) -> None:
        if self.pending or not self.is_valid:
            self._on_edit()

    def commit(self) -> None:
        """Take what was typed into Layers now (as leaving the field would)."""
        if self.pending:
            self._on_edit()

    def _on_lr(self, value: float) -> None:
        if self._loading:
            return
        self.lr_changed.emit(float(value))
        self._on_edit()
