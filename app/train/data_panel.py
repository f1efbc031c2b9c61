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

"Draw points" makes your own points the data (`app.train.drawn_points.DrawnPoints`, the
editing without Qt): it starts from the current data set's points (so the spiral can be
edited; Clear starts from none), a left click on the first map adds a point with the value
in the Value box (regression) or the class picked (classification, in its colour and
shape), a right-drag erases, Ctrl+Z or Undo takes the last change back. The tab forwards
the map's clicks (`add_point`, `erase_at`, `end_erase`); `points_changed` tells it to
redraw the points, `changed` to rebuild the data once there are enough to train on
(`drawn_points.MIN_POINTS`; until then the reason is the panel's message and Start waits).
"Save points as CSV…" writes them for `nncore.data.load_csv`; Load CSV… while drawing
brings a file's points in for editing. A lesson file keeps them too (`app.lesson_files`:
`drawn` is saved, `take_points` brings a file's points back).
"""

from __future__ import annotations

import contextlib
import os
import stat
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
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

from app.theme import class_color
from app.train.drawn_points import DrawnPoints, class_choices
from app.train.form import MessageLabel, let_shrink, show_inline_message
from app.train.limits import MAX_CLASSES
from app.train.reader_process import IN_PROCESS_BYTES, CsvReadJob
from app.train.session import DRAWN_POINTS, GRID_SIZE, DataSettings, PreparedData, prepare_data
from app.widgets.class_colors import class_symbol, hex_rgb
from nncore import data as nndata
from nncore.classification import default_class_names
from nncore.csvfiles import save_points_csv
from nncore.errors import NNCoreError
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
    points_changed = Signal()  # the drawn points changed (or drawing began or ended)

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
        self._last: PreparedData | None = None  # the data prepared last (drawing starts there)
        self.drawn: DrawnPoints | None = None  # your own points, while they are the data
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
        self.dataset_combo.addItem("sign of a function or formula", nndata.SIGN_CLASSES)
        self.dataset_combo.setItemData(
            self.dataset_combo.count() - 1,
            "Two classes: where the function (or the formula you type) is positive, class "
            "'f > 0'; elsewhere 'f ≤ 0'. E.g. x^2 + y^2 - 25 makes a disc.",
            Qt.ItemDataRole.ToolTipRole,
        )
        self.dataset_combo.setCurrentIndex(self.dataset_combo.findData("spiral"))
        self.dataset_combo.setToolTip(
            "Which classes to tell apart: a disc in a ring (circle), the four quadrants (xor), "
            "round clouds (gaussians), arms winding round the centre (spiral), or the sign of "
            "a function or your own formula."
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
        self._build_drawing(form)

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

    def _build_drawing(self, form: QFormLayout) -> None:
        """The "Draw points" button and the rows shown while drawing."""
        self.draw_button = QPushButton("Draw points")
        self.draw_button.setCheckable(True)
        self.draw_button.setToolTip(
            "Train on points you draw: click on the first map to add one, right-drag to erase, "
            "Ctrl+Z to undo. Starts from the points shown now (Clear starts from none)."
        )
        self.value_spin = QDoubleSpinBox()
        self.value_spin.setRange(-1000.0, 1000.0)
        self.value_spin.setDecimals(2)
        self.value_spin.setSingleStep(0.5)
        self.value_spin.setToolTip("The value z a new point gets (its colour on the map).")
        self.class_combo = QComboBox()
        self.class_combo.setToolTip("The class a new point gets, in its colour and shape.")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Take back the last point added, erased or cleared (Ctrl+Z).")
        self.clear_points_button = QPushButton("Clear")
        self.clear_points_button.setToolTip("Remove every point, to draw from nothing (undoable).")
        self.save_points_button = QPushButton("Save points as CSV…")
        self.save_points_button.setToolTip(
            "Write the points as x, y and z (or label) for Load CSV… or `nncore train --csv`."
        )
        draw_row = QHBoxLayout()
        draw_row.addWidget(self.draw_button)
        draw_row.addWidget(self.save_points_button)
        draw_row.addStretch(1)
        form.addRow(draw_row)
        form.addRow("Value", self.value_spin)
        form.addRow("Class", self.class_combo)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.undo_button)
        edit_row.addWidget(self.clear_points_button)
        edit_row.addStretch(1)
        self._edit_row = edit_row
        form.addRow(edit_row)
        self._undo_shortcut = QShortcut(QKeySequence.StandardKey.Undo, self)
        self._undo_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self._undo_shortcut.activated.connect(self.undo_points)
        self.draw_button.toggled.connect(self._on_draw_toggled)
        self.undo_button.clicked.connect(self.undo_points)
        self.clear_points_button.clicked.connect(self.clear_points)
        self.save_points_button.clicked.connect(self.save_points_dialog)
        self._show_drawing_rows()

    # -- reading --
    def settings(self) -> DataSettings:
        """The settings as the widgets show them (not yet validated)."""
        name = self.function_combo.currentData()
        function = self.formula_edit.text() if name == FORMULA_ITEM else name
        count = self.samples_combo.currentData()
        if count == CUSTOM_COUNT:
            count = self.custom_count.value()
        task = self.task_combo.currentData()
        csv_path = self._csv_path
        if self._csv_dataset is not None:  # a file's label column decides
            task = "regression" if self._csv_dataset.classes is None else "classification"
        if self.drawn is not None:  # so do the drawn points
            task = "regression" if self.drawn.classes is None else "classification"
            csv_path = DRAWN_POINTS
        return DataSettings(
            function=function,
            samples=count,
            noise=self.noise_spin.value(),
            seed=self.seed_spin.value(),
            val_share=self.val_spin.value() / 100.0,
            csv_path=csv_path,
            task=task,
            dataset=self.dataset_combo.currentData(),
            classes=self.classes_spin.value(),
        )

    def prepare(self) -> PreparedData | None:
        """Build the data from the settings, or show what is wrong and return None."""
        if self.drawn is not None and self.drawn.problem() is not None:
            self._refuse(self.drawn.problem())  # too few points yet: say how many more
            return None
        dataset = self.drawn.dataset() if self.drawn is not None else self._csv_dataset
        try:
            prepared = prepare_data(self.settings(), dataset)
        except (FormulaError, nndata.DataError, ValueError) as err:
            self._refuse(one_line(str(err)))
            return None
        self._last = prepared
        self.show_message(self._drawn_words(prepared) if self.drawn is not None else "")
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
        if self.drawn is not None and settings.csv_path != DRAWN_POINTS:
            self._leave_drawing()  # the caller rebuilds the data from these settings
        task = settings.task
        if self.drawn is not None:  # drawing goes on: the points say which task it is
            task = "regression" if self.drawn.classes is None else "classification"
        self.task_combo.setCurrentIndex(max(self.task_combo.findData(task), 0))
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
        if self.drawn is not None:
            self._show_drawing_rows()  # the task's rows stay hidden while drawing
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
        if self.drawn is not None:  # drawing: the file's points come in to be edited
            return self._take_points_from(path, dataset)
        self._csv_path, self._csv_dataset = path, dataset
        task = "regression" if dataset.classes is None else "classification"
        with QSignalBlocker(self.task_combo):  # the task box follows the file
            self.task_combo.setCurrentIndex(self.task_combo.findData(task))
        self._set_csv_mode(True)
        self.show_message(f"Training on {len(dataset):,} rows{what} from {shown(path, 120)}.")
        self.changed.emit()
        return True

    def clear_csv(self) -> None:
        if self.drawn is not None:
            self._leave_drawing()
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

    # -- your own points --
    @property
    def drawing(self) -> bool:
        """True while drawn points are the data (the first map takes clicks)."""
        return self.drawn is not None

    def start_drawing(self, empty: bool = False) -> None:
        """Make your own points the data: the current data set's points, or none."""
        if self.drawn is not None:
            return
        base = self._last.dataset if self._last is not None and not empty else None
        names = class_choices(default_class_names(2)) if self.classifying else None
        drawn = DrawnPoints.empty(names)
        if base is not None and (base.classes is None) == (names is None):
            # a file with other than two inputs, say, cannot be drawn: start from none
            with contextlib.suppress(NNCoreError):
                drawn = DrawnPoints.from_dataset(base, seed=self.seed_spin.value())
        self._enter_drawing(drawn)
        self._points_edited()

    def take_points(self, drawn: DrawnPoints) -> None:
        """Make `drawn` (a lesson file's points) the data. Only `points_changed` fires (the
        map shows them even when they are too few to train on): the caller shows settings
        whose csv_path is DRAWN_POINTS and rebuilds the data itself (the Train tab's
        `configure`, through `apply_train_settings`)."""
        self._enter_drawing(drawn)
        self._show_drawing_rows()
        self.points_changed.emit()

    def _enter_drawing(self, drawn: DrawnPoints) -> None:
        self.drawn = drawn
        self._erased = False  # an erase drag removed something (the data follow on release)
        self._csv_path = self._csv_dataset = None
        self._set_csv_mode(True)  # the function and sample rows say nothing about drawn data
        self.csv_clear.setVisible(False)  # "Draw points" toggles back
        self._fill_class_combo()
        with QSignalBlocker(self.draw_button):
            self.draw_button.setChecked(True)

    def _leave_drawing(self) -> None:
        self.drawn = None
        with QSignalBlocker(self.draw_button):
            self.draw_button.setChecked(False)
        self._set_csv_mode(False)
        self._show_drawing_rows()
        self.points_changed.emit()

    def _on_draw_toggled(self, on: bool) -> None:
        if on:
            self.start_drawing()
        elif self.drawn is not None:
            self._leave_drawing()
            self._validate_and_emit()  # back to the function (or class data set)

    def _fill_class_combo(self) -> None:
        with QSignalBlocker(self.class_combo):
            self.class_combo.clear()
            names = self.drawn.classes if self.drawn is not None else None
            for index, name in enumerate(names or ()):
                self.class_combo.addItem(_class_icon(index), name, index)

    def _show_drawing_rows(self) -> None:
        drawing, drawn = self.drawn is not None, self.drawn
        classes = drawing and drawn.classes is not None
        self._form.setRowVisible(self.value_spin, drawing and not classes)
        self._form.setRowVisible(self.class_combo, classes)
        self._form.setRowVisible(self._edit_row, drawing)
        # rows that say nothing about drawn points are hidden meanwhile (the task's own
        # rows come back through _on_task_changed when drawing ends)
        for widget in (self.samples_combo, self.custom_count, self.noise_spin):
            self._form.setRowVisible(widget, not drawing)
        if drawing:
            for widget in (
                self.dataset_combo,
                self.classes_spin,
                self.function_combo,
                self.formula_edit,
            ):
                self._form.setRowVisible(widget, False)
        self.undo_button.setEnabled(drawing and drawn.can_undo)
        self.clear_points_button.setEnabled(drawing and len(drawn) > 0)

    def _points_edited(self) -> None:
        """The points changed: redraw them, and rebuild the data from them."""
        self._show_drawing_rows()
        self.points_changed.emit()
        if self.drawn is not None and self.drawn.problem() is not None:
            self._refuse(self.drawn.problem())  # Start waits; the panel says why
        self.changed.emit()

    def add_point(self, x: float, y: float) -> bool:
        """A click on the map at (x, y): a point with the Value (or the Class) chosen."""
        if self.drawn is None:
            return False
        if self.drawn.classes is not None:
            value = float(self.class_combo.currentData() or 0)
        else:
            value = self.value_spin.value()
        try:
            self.drawn.add(x, y, value)
        except ValueError:  # outside the domain, or the set is full: nothing to add
            return False
        self._points_edited()
        return True

    def erase_at(self, x: float, y: float) -> int:
        """The erase brush at (x, y) (a right-drag on the map): how many points went."""
        if self.drawn is None:
            return 0
        if not self._erasing_now():
            self.drawn.begin_erase()
        removed = self.drawn.erase_near(x, y)
        if removed:
            self._erased = True
            self._show_drawing_rows()
            self.points_changed.emit()  # the data follow when the drag ends
        return removed

    def _erasing_now(self) -> bool:
        return self.drawn is not None and self.drawn.erasing

    def end_erase(self) -> None:
        """The erase drag ended: the data take the points left (one undo step)."""
        if self.drawn is None:
            return
        self.drawn.end_erase()
        if self._erased:
            self._erased = False
            self._points_edited()

    def undo_points(self) -> bool:
        """Ctrl+Z: back to the points before the last add, erase or clear."""
        if self.drawn is None or not self.isEnabled() or not self.drawn.undo():
            return False
        self._points_edited()
        return True

    def clear_points(self) -> None:
        if self.drawn is not None and len(self.drawn):
            self.drawn.replace(np.empty((0, 2)), np.empty(0))
            self._points_edited()

    def _take_points_from(self, path: str, dataset: nndata.Dataset) -> bool:
        """A CSV file loaded while drawing: its points replace the drawn ones (undoable)."""
        assert self.drawn is not None
        if (dataset.classes is None) != (self.drawn.classes is None):
            kind = "values (z)" if dataset.classes is None else "classes"
            self.show_message(
                f"{shown(path, 120)} holds {kind}; the points drawn are the other task's. "
                "Stop drawing to train on it as it is.",
                error=True,
            )
            return False
        try:
            loaded = DrawnPoints.from_dataset(dataset, seed=self.seed_spin.value())
        except NNCoreError as err:
            self._show_unusable(path, str(err))
            return False
        self.drawn.classes = loaded.classes
        self.drawn.replace(loaded.X, loaded.values)
        self._fill_class_combo()
        self._points_edited()
        return True

    def points_to_draw(self) -> tuple[np.ndarray, np.ndarray, tuple[float, float]] | None:
        """While drawing: every point (n, 2), its value or class (n,), the colour range."""
        if self.drawn is None:
            return None
        return self.drawn.X, self.drawn.values, self.drawn.value_range()

    def _drawn_words(self, prepared: PreparedData) -> str:
        val = 0 if prepared.val is None else len(prepared.val)
        return (
            f"Your {len(prepared.dataset):,} points: {len(prepared.train):,} to train on, "
            f"{val:,} for validation. Click on the first map to add a point, right-drag to "
            "erase, Ctrl+Z to undo."
        )

    def save_points_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save points as CSV", "points.csv", "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.save_points(path)

    def save_points(self, path: str) -> bool:
        """Write the points shown (drawn, or the current data set's) as a CSV file that
        Load CSV… reads back; a message either way."""
        if self.drawn is not None:
            X, values, names = self.drawn.X, self.drawn.values, self.drawn.used_classes()
        elif self._last is not None and self._last.dataset.n_inputs == 2:
            data = self._last.dataset
            X, values, names = data.X, data.y[:, 0], data.classes
        else:
            return False
        try:
            save_points_csv(path, X, values, names)
        except (NNCoreError, ValueError) as err:
            self.show_message(one_line(f"Could not save {shown(path, 120)}: {err}"), error=True)
            return False
        self.show_message(f"Saved {len(X):,} points to {shown(path, 120)}.")
        return True

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
        self._show_function_rows()
        if classify and self.samples_combo.currentData() == 0:
            self.samples_combo.setCurrentIndex(self.samples_combo.findData(1000))
        if classify:
            self._on_dataset_changed()
        self._debounce.start()

    def _on_dataset_changed(self, *_):
        """Classes: the counts this data set offers (2 only for circle and xor)."""
        name = self.dataset_combo.currentData()
        by_sign = name == nndata.SIGN_CLASSES
        offered = (2,) if by_sign else nndata.CLASS_DATASETS[name].class_counts
        self.classes_spin.setRange(min(offered), max(offered))
        self.classes_spin.setEnabled(len(offered) > 1 and self._csv_path is None)
        self._show_function_rows()
        self._debounce.start()

    def _show_function_rows(self) -> None:
        """The function and formula rows: a regression's, and the sign classes' too."""
        classify = self.task_combo.currentData() == "classification"
        by_sign = self.dataset_combo.currentData() == nndata.SIGN_CLASSES
        drawing = getattr(self, "drawn", None) is not None  # drawn points: no function
        for widget in (self.function_combo, self.formula_edit):
            self._form.setRowVisible(widget, (not classify or by_sign) and not drawing)

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


def _class_icon(index: int, size: int = 14) -> QIcon:
    """A class's colour and shape, as the maps draw its points."""
    brush = pg.mkBrush(*hex_rgb(class_color(index)))
    image = pg.graphicsItems.ScatterPlotItem.renderSymbol(
        class_symbol(index), size - 2, pg.mkPen("#202020", width=0.8), brush
    )
    return QIcon(QPixmap.fromImage(image))
