"""The Train tab's data panel: the task, which function to learn or which classes to tell
apart (or a CSV file), and how many points.

The task is regression (a function z = f(x, y), the article's) or classification (a
built-in class data set of `nncore.data.CLASS_DATASETS`: circle, xor, gaussians or spiral,
with 2 or 3 classes where the data set offers them); the rows of the other task are hidden.
A CSV file with a label column is a classification's data whatever the task box said (the
box follows it).

It gathers settings only: `settings()` returns a `DataSettings`, `prepare()` builds the data
with nncore through `app.train.session.prepare_data` (or shows what is wrong and returns
None). `changed` fires, debounced, when a setting changes and still makes data; a formula
with a typo shows its error inline instead.

A CSV file of `IN_PROCESS_BYTES` or more (up to nncore's 1,000,000 rows, ~8 s to parse) is
read in a child process (`app.train.reader_process.CsvReadJob`), polled by a timer in this
(GUI) thread, so the window goes on drawing: the panel shows "Reading NAME (28 MB)… 3 s",
Load CSV… is disabled, Cancel (or Esc) ends the child, and nothing else changes until the
data arrive; `reading_changed` tells the tab to lock Start and Step meanwhile, and
`csv_finished(bool)` says how the read ended.
"""

from __future__ import annotations

import os
import stat
import time

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from app.train.form import MessageLabel, let_shrink, show_inline_message
from app.train.limits import MAX_CLASSES
from app.train.reader_process import IN_PROCESS_BYTES, CsvReadJob
from app.train.session import GRID_SIZE, DataSettings, PreparedData, prepare_data
from nncore import data as nndata
from nncore.formula import FormulaError
from nncore.safetext import one_line, shown

FORMULA_ITEM = "formula"  # combo data of the "type your own formula" entry
CUSTOM_COUNT = -1  # combo data of the "Custom count…" entry
TASK_ITEMS = (
    ("Regression: learn z = f(x, y)", "regression"),
    ("Classification: tell classes apart", "classification"),
)


class DataPanel(QGroupBox):
    """Settings for the training data: function or CSV, sample count, noise, seed, validation.

    Emits `changed` (debounced) when a setting changes and the result is valid; shows a
    message inline when it is not (e.g. a formula with a typo).
    """

    changed = Signal()
    validity_changed = Signal(bool)  # False while the settings cannot make data
    reading_changed = Signal(bool)  # True while a CSV file is read in a child process
    csv_finished = Signal(bool)  # a read in a child process ended: True if the data are used

    SAMPLE_CHOICES = (
        ("1,000 random points", 1000),
        ("10,000 random points", 10000),
        ("100 × 100 grid", 0),
        ("Custom count…", CUSTOM_COUNT),
    )

    def __init__(self, parent=None):
        super().__init__("Data", parent)
        self._csv_path: str | None = None
        self._csv_dataset: nndata.Dataset | None = None
        self._job: CsvReadJob | None = None  # the CSV file being read in a child, if any
        self._job_text = ""  # "Reading NAME (28 MB)…", followed by the seconds so far
        self._job_started = 0.0
        self._shown: tuple[str, bool] = ("", False)  # the message (text, error) shown now
        self.is_valid = True  # the settings make data (no error shown)
        form = self._form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.task_combo = QComboBox()
        for text, task in TASK_ITEMS:
            self.task_combo.addItem(text, task)
        let_shrink(self.task_combo)
        self.task_combo.setToolTip(
            "Regression: the network learns a number z for every point (x, y).\n"
            "Classification: every point belongs to a class; the network learns the "
            "probability of each class, and draws the regions where it chooses each one."
        )
        form.addRow("Task", self.task_combo)

        self.dataset_combo = QComboBox()
        for name, ds in nndata.CLASS_DATASETS.items():
            self.dataset_combo.addItem(name, name)
            self.dataset_combo.setItemData(
                self.dataset_combo.count() - 1, ds.description, Qt.ItemDataRole.ToolTipRole
            )
        self.dataset_combo.setCurrentIndex(self.dataset_combo.findData("spiral"))
        self.dataset_combo.setToolTip(
            "Which classes to tell apart: a disc in a ring (circle), the four quadrants (xor), "
            "round clouds (gaussians) or arms winding round the centre (spiral)."
        )
        form.addRow("Data set", self.dataset_combo)

        self.classes_spin = QSpinBox()
        self.classes_spin.setRange(2, 3)
        self.classes_spin.setToolTip(
            "How many classes: 2, or 3 for the data sets that offer three (gaussians, spiral)."
        )
        form.addRow("Classes", self.classes_spin)

        self.function_combo = QComboBox()
        for name, fn in nndata.FUNCTIONS.items():
            self.function_combo.addItem(f"{name}: {fn.label}", name)
            self.function_combo.setItemData(
                self.function_combo.count() - 1, fn.description, Qt.ItemDataRole.ToolTipRole
            )
        self.function_combo.addItem("Your own formula…", FORMULA_ITEM)
        let_shrink(self.function_combo)
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

        self.message = MessageLabel()
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
        self.csv_cancel = QPushButton("Cancel")
        self.csv_cancel.setToolTip("Stop reading the CSV file (Esc); the current data stay.")
        self.csv_cancel.setVisible(False)
        csv_row.addWidget(self.csv_button)
        csv_row.addWidget(self.csv_clear)
        csv_row.addWidget(self.csv_cancel)
        csv_row.addStretch(1)
        form.addRow(csv_row)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._validate_and_emit)

        self._poll = QTimer(self)  # asks the reading child whether it is done
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._poll_job)
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._escape.setContext(Qt.ShortcutContext.WindowShortcut)
        self._escape.setEnabled(False)  # only while a file is read: Esc means nothing else here
        self._escape.activated.connect(self.cancel_csv)
        self.csv_cancel.clicked.connect(self.cancel_csv)
        # a panel deleted without cancel_csv() must not leave its child behind
        job_holder = self._job_holder = [None]
        self.destroyed.connect(lambda *_: job_holder[0] is not None and job_holder[0].cancel())

        self.task_combo.currentIndexChanged.connect(self._on_task_changed)
        self.dataset_combo.currentIndexChanged.connect(self._on_dataset_changed)
        self.classes_spin.valueChanged.connect(self._debounce.start)
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
        self._on_task_changed()
        self._debounce.stop()  # nothing has changed yet

    # -- reading --
    def settings(self) -> DataSettings:
        """The settings as the widgets show them (not yet validated)."""
        name = self.function_combo.currentData()
        function = self.formula_edit.text() if name == FORMULA_ITEM else name
        count = self.samples_combo.currentData()
        if count == CUSTOM_COUNT:
            count = self.custom_count.value()
        task = self.task_combo.currentData()
        if self._csv_dataset is not None:  # a file's label column decides
            task = "regression" if self._csv_dataset.classes is None else "classification"
        return DataSettings(
            function=function,
            samples=count,
            noise=self.noise_spin.value(),
            seed=self.seed_spin.value(),
            val_share=self.val_spin.value() / 100.0,
            csv_path=self._csv_path,
            task=task,
            dataset=self.dataset_combo.currentData(),
            classes=self.classes_spin.value(),
        )

    def prepare(self) -> PreparedData | None:
        """Build the data from the settings, or show what is wrong and return None."""
        try:
            prepared = prepare_data(self.settings(), self._csv_dataset)
        except (FormulaError, nndata.DataError, ValueError) as err:
            self._refuse(one_line(str(err)))
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
        self.task_combo.setCurrentIndex(max(self.task_combo.findData(settings.task), 0))
        self.dataset_combo.setCurrentIndex(max(self.dataset_combo.findData(settings.dataset), 0))
        self._on_dataset_changed()
        self.classes_spin.setValue(settings.classes)
        index = self.function_combo.findData(settings.function)
        if index < 0:
            index = self.function_combo.findData(FORMULA_ITEM)
            self.formula_edit.setText(settings.function)
        self.function_combo.setCurrentIndex(index)
        sample_index = self.samples_combo.findData(settings.samples)
        if sample_index < 0:
            sample_index = self.samples_combo.findData(CUSTOM_COUNT)
            self.custom_count.setValue(settings.samples)
        self.samples_combo.setCurrentIndex(sample_index)
        self.noise_spin.setValue(settings.noise)
        self.seed_spin.setValue(settings.seed)
        self.val_spin.setValue(int(round(settings.val_share * 100)))
        self._debounce.stop()  # the caller rebuilds the data itself

    def show_message(self, text: str, error: bool = False) -> None:
        self._shown = (text, error)
        show_inline_message(self.message, text, error)

    # -- CSV --
    def load_csv_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Load training data", "", "CSV files (*.csv *.txt);;All files (*)"
        )
        if path:
            self.load_csv(path)

    @property
    def reading(self) -> bool:
        """True while a CSV file is read in a child process."""
        return self._job is not None

    @property
    def csv_job(self) -> CsvReadJob | None:
        """The read in a child process, while there is one (tests check its child ended)."""
        return self._job

    def load_csv(self, path: str) -> bool:
        """Use the CSV file at `path` as training data; shows the problem and returns False
        when the file cannot be used.

        A file of `IN_PROCESS_BYTES` or more is read in a child process: this returns False
        at once, and `csv_finished` says later whether the data are used.
        """
        if self._job is not None:  # one read at a time (the button is disabled meanwhile)
            return False
        try:
            info = os.stat(path)
        except (OSError, ValueError, TypeError):
            info = None  # nncore's reader names the problem
        if info is None or not stat.S_ISREG(info.st_mode) or info.st_size < IN_PROCESS_BYTES:
            try:
                dataset = nndata.load_csv(path)
            except (nndata.DataError, OSError, ValueError) as err:
                self._show_unusable(path, str(err))
                return False
            return self._use_csv(path, dataset)
        try:
            job = CsvReadJob(path)
        except OSError as err:  # no child process on this system
            self._show_unusable(path, str(err))
            return False
        self._start_job(job, info.st_size)
        return False

    def cancel_csv(self) -> None:
        """End a read in progress (Cancel, Esc, or the tab closing); the data stay as they were."""
        job = self._job
        if job is None:
            return
        job.cancel()
        self._end_job()
        name = shown(os.path.basename(job.path), 80)
        self.show_message(f"Reading {name} was cancelled; the data stay as they were.")
        self.csv_finished.emit(False)

    def _start_job(self, job: CsvReadJob, size: int) -> None:
        self._job = self._job_holder[0] = job
        self._job_started = time.monotonic()
        self._job_text = f"Reading {shown(os.path.basename(job.path), 80)} ({size / 1e6:.0f} MB)…"
        self.show_message(self._job_text)
        self.csv_button.setEnabled(False)
        self.csv_clear.setEnabled(False)
        self.csv_cancel.setVisible(True)
        self._escape.setEnabled(True)
        self._poll.start()
        self.reading_changed.emit(True)

    def _end_job(self) -> None:
        self._poll.stop()
        self._job = self._job_holder[0] = None
        self._escape.setEnabled(False)
        self.csv_cancel.setVisible(False)
        self.csv_button.setEnabled(True)
        self.csv_clear.setEnabled(True)
        self.reading_changed.emit(False)

    def _poll_job(self) -> None:
        job = self._job
        if job is None:
            return
        if not job.done():
            seconds = int(time.monotonic() - self._job_started)
            self.show_message(f"{self._job_text} {seconds} s")
            return
        self._end_job()
        try:
            dataset = job.result()
        except nndata.DataError as err:
            self._show_unusable(job.path, str(err))
            self.csv_finished.emit(False)
            return
        self.csv_finished.emit(self._use_csv(job.path, dataset))

    def _show_unusable(self, path: str, reason: str) -> None:
        self.show_message(one_line(f"Could not use {shown(path, 120)}: {reason}"), error=True)

    def _use_csv(self, path: str, dataset: nndata.Dataset) -> bool:
        if dataset.classes is not None:  # a label column: a classifier's data
            if dataset.n_inputs != 2 or len(dataset.classes) > MAX_CLASSES:
                self.show_message(
                    f"Could not use {shown(path, 120)}: the Train tab tells up to {MAX_CLASSES} "
                    f"classes apart by two inputs (x, y); the file has {dataset.n_inputs} "
                    f"input(s) and {len(dataset.classes)} classes (`nncore train --csv FILE` "
                    "trains it).",
                    error=True,
                )
                return False
            return self._take_csv(path, dataset, f" of {len(dataset.classes)} classes")
        if dataset.n_inputs != 2 or dataset.n_outputs != 1:
            self.show_message(
                f"Could not use {shown(path, 120)}: the Train tab needs two inputs (x, y) and "
                f"one target (z); the file has {dataset.n_inputs} input(s) and "
                f"{dataset.n_outputs} target(s).",
                error=True,
            )
            return False
        return self._take_csv(path, dataset)

    def _take_csv(self, path: str, dataset: nndata.Dataset, what: str = "") -> bool:
        self._csv_path, self._csv_dataset = path, dataset
        task = "regression" if dataset.classes is None else "classification"
        with QSignalBlocker(self.task_combo):  # the task box follows the file
            self.task_combo.setCurrentIndex(self.task_combo.findData(task))
        self._set_csv_mode(True)
        self.show_message(f"Training on {len(dataset):,} rows{what} from {shown(path, 120)}.")
        self.changed.emit()
        return True

    def clear_csv(self) -> None:
        self._csv_path = self._csv_dataset = None
        self._set_csv_mode(False)
        self._validate_and_emit()

    def _set_csv_mode(self, on: bool) -> None:
        for widget in (
            self.task_combo,
            self.dataset_combo,
            self.classes_spin,
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
            self._on_task_changed()

    # -- reactions --
    @property
    def classifying(self) -> bool:
        """The settings are a classification's (the task box, or a CSV file's labels)."""
        return self.settings().task == "classification"

    def _on_task_changed(self, *_):
        """Show the rows of the task chosen; a class data set is drawn at random, so the
        grid is no choice for it."""
        classify = self.task_combo.currentData() == "classification"
        for widget in (self.dataset_combo, self.classes_spin):
            self._form.setRowVisible(widget, classify)
        for widget in (self.function_combo, self.formula_edit):
            self._form.setRowVisible(widget, not classify)
        if classify and self.samples_combo.currentData() == 0:
            self.samples_combo.setCurrentIndex(self.samples_combo.findData(1000))
        if classify:
            self._on_dataset_changed()
        self._debounce.start()

    def _on_dataset_changed(self, *_):
        """Classes: the counts this data set offers (2 only for circle and xor)."""
        name = self.dataset_combo.currentData()
        offered = nndata.CLASS_DATASETS[name].class_counts
        self.classes_spin.setRange(min(offered), max(offered))
        self.classes_spin.setEnabled(len(offered) > 1 and self._csv_path is None)
        self._debounce.start()

    def _on_function_changed(self, *_):
        is_formula = self.function_combo.currentData() == FORMULA_ITEM
        self.formula_edit.setEnabled(is_formula and self._csv_path is None)
        if is_formula and not self.formula_edit.text():
            self.formula_edit.setFocus()
        self._debounce.start()

    def _on_samples_changed(self, *_):
        custom = self.samples_combo.currentData() == CUSTOM_COUNT
        self.custom_count.setEnabled(custom and self._csv_path is None)
        self._debounce.start()

    def _validate_and_emit(self) -> None:
        settings = self.settings()
        if settings.task == "classification":
            if settings.csv_path is None and settings.samples == 0:
                self._refuse("A class data set is drawn at random: choose a number of points.")
                return
            if settings.csv_path is None:
                self.show_message("")
            self._set_valid(True)
            self.changed.emit()
            return
        if settings.csv_path is None and settings.function == "":
            self._refuse("Type a formula in x and y, e.g. sin(x) * y / 3.")
            return
        try:
            fn = nndata.get_function(settings.function)
            nndata.grid_axes(fn, GRID_SIZE)  # refuses formulas undefined on the range
        except (FormulaError, nndata.DataError, ValueError) as err:
            if settings.csv_path is None:
                self._refuse(one_line(str(err)))
                return
        if settings.csv_path is None:
            self.show_message("")
        self._set_valid(True)
        self.changed.emit()
