"""View ▸ Squared error vs cross-entropy: why cross-entropy learns faster when wrong.

A non-modal window with one sigmoid neuron, ŷ = σ(w·x + b), and a true class. It starts
confidently wrong (z = −4 for class 1) and shows two columns side by side, squared error
½(ŷ − y)² and cross-entropy, each with ŷ, the loss, ∂L/∂ŷ, the factor σ′(z), ∂L/∂z, the
update of w and b and the new ŷ. The σ′(z) and ∂L/∂z rows are highlighted: squared error
multiplies the sigmoid's slope in, cross-entropy's log cancels it, so a neuron sitting on the
flat part of the sigmoid gets a tiny push from one and the whole miss from the other.
"Step once more" steps each neuron again from where its own loss left it, so the student
watches the cross-entropy neuron escape while the squared-error one crawls; the plot of
|∂L/∂z| against z marks where each stands. Changing w, x, b, the class or the learning rate
starts both neurons again from the new values.

Every number and sentence comes from `nncore.lesson.loss_comparison`, laid out by
`app.step.loss_compare_view`; this module only draws. Esc closes the window.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import theme as app_theme
from app.pictures import SaveImageMenu
from app.step import loss_compare_view as view
from app.widgets.contour_view import size_axis_labels
from nncore.lesson.loss_comparison import DEFAULT_NEURON, Comparison, LossStep, Neuron, compare

WINDOW_TITLE = "Squared error vs cross-entropy"
# Each loss keeps one colour and one line style everywhere in the window (Okabe–Ito hues,
# told apart by the dashes too): squared error orange and dashed, cross-entropy blue, solid.
CURVE_COLOURS = {"mse": "negative", "cross_entropy": "positive"}
CURVE_STYLES = {"mse": Qt.PenStyle.DashLine, "cross_entropy": Qt.PenStyle.SolidLine}
LINE_SAMPLES = {"mse": "╍╍╍", "cross_entropy": "━━━"}
MARK_SYMBOLS = {"mse": "s", "cross_entropy": "o"}
HEADLINE_SCALE = 1.2  # the sentence above the columns, a little larger than the text


def _styled(base: QFont, *, bold: bool = False, italic: bool = False, scale: float = 1.0):
    """`base` (the window's font, which follows View ▸ Text size) made bold, italic or larger."""
    font = QFont(base)
    font.setBold(bold)
    font.setItalic(italic)
    if scale != 1.0 and font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    return font


class LossColumn(QFrame):
    """One loss's column: its title, a row per step of the chain rule, and a caption.

    `value_labels[key]` shows the formula of row `key` (see `loss_compare_view.ROW_ORDER`),
    `note_labels[key]` the few words under it (empty for most rows).
    """

    def __init__(self, loss_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loss_key = loss_key
        self.setObjectName(f"lossColumn_{loss_key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.title.setToolTip(view.TITLE_TIPS[loss_key])
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setHorizontalSpacing(12)
        self.row_labels: dict[str, QLabel] = {}
        self.value_labels: dict[str, QLabel] = {}
        self.note_labels: dict[str, QLabel] = {}
        for index, key in enumerate(view.ROW_ORDER):
            label, value, note = QLabel(view.ROW_LABELS[key]), QLabel(), QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value.setWordWrap(True)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            note.setWordWrap(True)
            note.setVisible(False)
            cell = QVBoxLayout()
            cell.setSpacing(0)
            cell.addWidget(value)
            cell.addWidget(note)
            self.grid.addWidget(label, index, 0)
            self.grid.addLayout(cell, index, 1)
            self.row_labels[key], self.value_labels[key], self.note_labels[key] = label, value, note
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setObjectName("lossColumnCaption")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.grid)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self.apply_theme()

    def show_step(self, step: LossStep) -> None:
        for row in view.column_rows(step):
            self.value_labels[row.key].setText(row.text)
            self.value_labels[row.key].setToolTip(row.tip)
            self.row_labels[row.key].setToolTip(row.tip)
            self.note_labels[row.key].setText(row.note)
            self.note_labels[row.key].setVisible(bool(row.note))
        self.caption.setText(view.column_caption(step))

    def apply_theme(self, *_: object) -> None:
        c = app_theme.colors()
        colour = c[CURVE_COLOURS[self.loss_key]]
        self.title.setText(
            f"<span style='color:{colour}'>{LINE_SAMPLES[self.loss_key]}</span>&nbsp; "
            f"<b>{view.TITLES[self.loss_key]}</b>"
        )
        tint = QColor(c["highlight"])
        tint.setAlpha(40)  # the highlight colour, faint: the row stands out, its text stays dark
        # "border: 0px" first: a lone border-left is not drawn on a QLabel without it.
        bar = f"border: 0px; border-left: 5px solid {c['highlight']}; padding-left: 6px;"
        shade = f"background: rgba({tint.red()}, {tint.green()}, {tint.blue()}, {tint.alpha()});"
        for key in view.ROW_ORDER:
            emphasised = key in view.EMPHASISED
            self.value_labels[key].setStyleSheet(
                f"{bar} {shade}" if emphasised else "padding-left: 11px;"
            )
            self.row_labels[key].setStyleSheet(f"color: {c['muted']};")
            self.note_labels[key].setStyleSheet(f"{bar} {shade}")
        self.caption.setStyleSheet(f"color: {c['muted']};")

    def set_fonts(self, base: QFont) -> None:
        """Every label at `base`'s size, the differing rows bold, the notes italic.

        A label with a style sheet (all of these: their colours) no longer takes the
        application font when View ▸ Text size changes it (measured, Qt 6.11), so the
        window hands the font to each one."""
        self.title.setFont(_styled(base))
        self.caption.setFont(_styled(base))
        for key in view.ROW_ORDER:
            self.row_labels[key].setFont(_styled(base))
            self.value_labels[key].setFont(_styled(base, bold=key in view.EMPHASISED))
            self.note_labels[key].setFont(_styled(base, italic=True))


class GradientPlot(SaveImageMenu, pg.PlotWidget):
    """|∂L/∂z| against z for both losses, with each neuron marked where it stands."""

    picture_name = "the gradient of each loss against z"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("How hard each loss pushes on z, against z")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        plot = self.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.25)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).enableAutoSIPrefix(False)
        self.curves = {key: self.plot([], []) for key in view.LOSS_KEYS}
        # Where each neuron stood before its last steps, as hollow rings, so "Step once
        # more" leaves a track: the cross-entropy one runs, the squared-error one crawls.
        self.trails = {
            key: self.plot([], [], pen=None, symbol=MARK_SYMBOLS[key], symbolSize=9)
            for key in view.LOSS_KEYS
        }
        self.marks = {
            key: self.plot([], [], pen=None, symbol=MARK_SYMBOLS[key], symbolSize=14)
            for key in view.LOSS_KEYS
        }
        self.data: view.PlotData | None = None
        self.apply_theme()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 14)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.fontMetrics().lineSpacing() * 10)

    def show_data(self, data: view.PlotData, trail: dict[str, list] | None = None) -> None:
        """Draw `data`; `trail[key]` lists the (z, |∂L/∂z|) each neuron stood at before."""
        self.data = data
        plot = self.getPlotItem()
        plot.setLabel("bottom", data.x_label)
        plot.setLabel("left", data.y_label)
        size_axis_labels(plot, ("left", "bottom"))
        for key, curve in self.curves.items():
            curve.setData(data.z, data.curves[key])
            z, push = data.marks[key]
            self.marks[key].setData([z], [push])
            points = (trail or {}).get(key, [])
            self.trails[key].setData([p[0] for p in points], [p[1] for p in points])
        plot.enableAutoRange(enable=False)
        self.setXRange(*data.x_range, padding=0.02)
        self.setYRange(0.0, 1.0, padding=0.04)  # |ŷ − y| never exceeds 1

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        changed = event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange)
        plot = getattr(self, "plotItem", None)  # None while being built and once closed
        if changed and plot is not None:
            size_axis_labels(plot, ("left", "bottom"))  # View ▸ Text size

    def apply_theme(self, *_: object) -> None:
        c = app_theme.colors()
        self.setBackground(c["background"])
        plot = self.getPlotItem()
        size_axis_labels(plot, ("left", "bottom"))
        for axis in ("left", "bottom"):
            ax = plot.getAxis(axis)
            ax.setPen(c["muted"])
            ax.setTextPen(c["foreground"])
        for key in view.LOSS_KEYS:
            colour = c[CURVE_COLOURS[key]]
            self.curves[key].setPen(pg.mkPen(colour, width=3, style=CURVE_STYLES[key]))
            self.marks[key].setSymbolBrush(colour)
            self.marks[key].setSymbolPen(pg.mkPen(c["foreground"], width=1.5))
            # Hollow rings: a filled dot of the curve's colour vanishes into the curve.
            self.trails[key].setSymbolBrush(c["background"])
            self.trails[key].setSymbolPen(pg.mkPen(colour, width=2))


class LossCompareWindow(QDialog):
    """The comparison window (non-modal). `comparison` is what the columns show now;
    `step_button` steps both neurons once more, `restart_button` starts them again from the
    controls (`w_box`, `x_box`, `b_box`, `class_box`, `lr_box`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(WINDOW_TITLE)
        self.setObjectName("lossCompareWindow")
        self.setModal(False)
        self.comparison: Comparison = compare(DEFAULT_NEURON)
        self.trail: dict[str, list[tuple[float, float]]] = {key: [] for key in view.LOSS_KEYS}

        self.w_box = self._number_box(DEFAULT_NEURON.w, "the weight w", -20.0, 20.0, 0.5)
        self.x_box = self._number_box(DEFAULT_NEURON.x, "the input x", -20.0, 20.0, 0.5)
        self.b_box = self._number_box(DEFAULT_NEURON.b, "the bias b", -20.0, 20.0, 0.5)
        self.lr_box = self._number_box(DEFAULT_NEURON.lr, "the learning rate", 0.01, 10.0, 0.1)
        self.class_box = QComboBox()
        self.class_box.addItem("1", 1)
        self.class_box.addItem("0", 0)
        self.class_box.setCurrentIndex(self.class_box.findData(DEFAULT_NEURON.y))
        self.class_box.setToolTip(
            "The class this example really belongs to: ŷ is the neuron's probability of class 1"
        )
        self.class_box.setAccessibleName("True class")
        self.step_button = QPushButton("&Step once more")
        self.step_button.setToolTip(
            "One more gradient step with each loss, each neuron from where its own loss "
            "left it (Alt+S)"
        )
        self.restart_button = QPushButton("Start &again")
        self.restart_button.setToolTip(
            "Both neurons back to the w, x and b above, no steps taken (Alt+A)"
        )
        for button in (self.step_button, self.restart_button):
            button.setAutoDefault(False)  # Enter in a number box must not step

        controls = QHBoxLayout()
        for text, box in (
            ("&w", self.w_box),
            ("&x", self.x_box),
            ("&b", self.b_box),
            ("True &class", self.class_box),
            ("&Learning rate", self.lr_box),
        ):
            label = QLabel(text)
            label.setBuddy(box)
            controls.addWidget(label)
            controls.addWidget(box)
            controls.addSpacing(8)
        controls.addStretch(1)
        controls.addWidget(self.step_button)
        controls.addWidget(self.restart_button)

        self.headline = QLabel()
        self.headline.setObjectName("lossCompareHeadline")
        self.headline.setWordWrap(True)
        self.columns = {key: LossColumn(key) for key in view.LOSS_KEYS}
        side_by_side = QHBoxLayout()
        for column in self.columns.values():
            side_by_side.addWidget(column, 1)
        self.plot = GradientPlot()
        self.plot_key = QLabel()
        self.plot_key.setTextFormat(Qt.TextFormat.RichText)
        self.plot_caption = QLabel()
        self.plot_caption.setWordWrap(True)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.headline)
        body_layout.addLayout(side_by_side)
        body_layout.addWidget(self.plot_key)
        body_layout.addWidget(self.plot, 1)
        body_layout.addWidget(self.plot_caption)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)  # at 200 % text the window scrolls instead of squeezing

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setToolTip("Close (Esc)")
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

        for box in (self.w_box, self.x_box, self.b_box, self.lr_box):
            box.valueChanged.connect(self.restart)
        self.class_box.currentIndexChanged.connect(self.restart)
        self.step_button.clicked.connect(self.step_once_more)
        self.restart_button.clicked.connect(self.restart)
        app_theme.theme.changed.connect(self.apply_theme)
        self.apply_theme()
        self._size_fonts()
        self._show()
        self.resize(self._preferred_size())

    @staticmethod
    def _number_box(value: float, what: str, low: float, high: float, step: float):
        box = QDoubleSpinBox()
        box.setRange(low, high)
        box.setDecimals(2)
        box.setSingleStep(step)
        box.setValue(value)
        box.setAccessibleName(what[0].upper() + what[1:].removeprefix("the "))
        box.setToolTip(f"Change {what}: both neurons start again from the new value")
        box.setKeyboardTracking(False)  # typing "−3.5" restarts once, not at "−" and "−3"
        return box

    def _preferred_size(self) -> QSize:
        line = self.fontMetrics().lineSpacing()
        size = QSize(max(1000, 64 * line), max(820, 50 * line))
        screen = self.screen()
        if screen is not None:
            size = size.boundedTo(screen.availableGeometry().size() * 0.92)
        return size

    # ---- what it shows ------------------------------------------------------------------
    def neuron(self) -> Neuron:
        """The neuron the controls describe."""
        return Neuron(
            w=self.w_box.value(),
            b=self.b_box.value(),
            x=self.x_box.value(),
            y=int(self.class_box.currentData()),
            lr=self.lr_box.value(),
        )

    def restart(self, *_: object) -> None:
        """Both neurons from the controls' values, no step taken yet."""
        self.comparison = compare(self.neuron())
        self.trail = {key: [] for key in view.LOSS_KEYS}
        self._show()

    def step_once_more(self) -> None:
        """Each neuron one more step with its own loss."""
        for key, mark in view.plot_data(self.comparison).marks.items():
            self.trail[key].append(mark)
        self.comparison = self.comparison.stepped()
        self._show()

    def _show(self) -> None:
        c = self.comparison
        self.headline.setText(view.headline(c))
        for key, step in zip(view.LOSS_KEYS, c.columns):
            self.columns[key].show_step(step)
        self.plot.show_data(view.plot_data(c), self.trail)
        self.plot_caption.setText(view.plot_caption(c))

    # ---- looks --------------------------------------------------------------------------
    def apply_theme(self, *_: object) -> None:
        c = app_theme.colors()
        for column in self.columns.values():
            column.apply_theme()
        self.plot.apply_theme()
        samples = [
            f"<span style='color:{c[CURVE_COLOURS[key]]}'>{LINE_SAMPLES[key]}</span> "
            f"{view.TITLES[key].split(',')[0].lower()}"
            for key in ("cross_entropy", "mse")
        ]
        self.plot_key.setText(
            "How hard each loss pushes on z:&nbsp;&nbsp; " + "&nbsp;&nbsp;&nbsp; ".join(samples)
        )
        self.plot_caption.setStyleSheet(f"color: {c['muted']};")

    def _size_fonts(self) -> None:
        base = QApplication.font()
        self.headline.setFont(_styled(base, bold=True, scale=HEADLINE_SCALE))
        self.plot_key.setFont(_styled(base))
        self.plot_caption.setFont(_styled(base))
        for column in self.columns.values():
            column.set_fonts(base)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            if hasattr(self, "headline"):
                self._size_fonts()  # View ▸ Text size
