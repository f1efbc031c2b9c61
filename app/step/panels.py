"""The side panels of the "Step through" tab: explanation, inspector, timeline.

- `ExplanationPanel` writes the current step as a formula with its real numbers and one or
  two sentences of narration (plain, selectable text that screen readers can read).
- `InspectorPanel` describes the neuron, weight or bias the student clicked: its value,
  the gradient backpropagation found and, beside it, the numerical gradient (a central
  finite difference) so the student can check one against the other.
- `TimelineTree` lists every step of the iteration grouped by phase; the current one is
  selected, and choosing another jumps there.

None of these widgets computes anything about the network: they display the numbers of a
`nncore.lesson.Lesson` and its `LessonStep`s, named by `app.step.texts` and formatted by
`nncore.formatting.fmt`. `ScaledFonts` keeps their fonts a multiple of the application's.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.step.predict_panel import PredictPanel
from app.step.slice_plot import LossSlicePlot
from app.step.texts import PHASE_TITLES, step_title
from nncore.formatting import fmt


def scaled_font(factor: float, bold: bool = False) -> QFont:
    """The application font scaled by `factor` (so system font settings carry through)."""
    from PySide6.QtWidgets import QApplication

    font = QFont(QApplication.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


class ScaledFonts:
    """Widgets whose font is a multiple of the application font, kept so when it changes.

    Call `refresh()` on QEvent.ApplicationFontChange (the system or the user changed the
    base font size): every registered widget gets its font derived again.
    """

    def __init__(self):
        self._entries: list[tuple[QWidget, float, bool]] = []

    def set(self, widget: QWidget, factor: float, bold: bool = False) -> None:
        """`widget`'s font is `factor` × the application font from now on (again if set)."""
        widget.setFont(scaled_font(factor, bold))
        self._entries = [e for e in self._entries if e[0] is not widget]
        self._entries.append((widget, factor, bold))

    def refresh(self) -> None:
        for widget, factor, bold in self._entries:
            widget.setFont(scaled_font(factor, bold))


def _selectable_label(name: str, font: QFont | None = None) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.PlainText)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
    label.setFocusPolicy(Qt.StrongFocus)
    label.setAccessibleName(name)
    label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
    label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
    if font is not None:
        label.setFont(font)
    return label


class ExplanationPanel(QFrame):
    """Where am I, what is computed (formula with numbers), and why (narration)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.heading = _selectable_label("Current step")
        self.formula = _selectable_label("Formula with numbers")
        self.narration = _selectable_label("Explanation")
        self.fonts = ScaledFonts()
        self.fonts.set(self.heading, 1.0, bold=True)
        self.set_large(False)
        self.heading.setFocusPolicy(Qt.NoFocus)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.formula)
        layout.addWidget(self.narration)
        layout.addStretch(1)
        self.setAccessibleName("Step explanation")

    # The formula and the narration, as multiples of the application font: normally, and
    # in presentation mode, where the panel has the height of the screen to itself.
    SIZES = {False: (1.25, 1.0), True: (1.9, 1.15)}

    def set_large(self, large: bool) -> None:
        """The step's arithmetic at its presentation size (True) or its normal size."""
        formula, narration = self.SIZES[bool(large)]
        self.fonts.set(self.formula, formula, bold=True)
        self.fonts.set(self.narration, narration)

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.ApplicationFontChange):
            self.fonts.refresh()

    def minimumSizeHint(self) -> QSize:
        # Its real need depends on the width (wrapped text): the scrolling side panel asks
        # for that through heightForWidth, so the bare minimum here can stay small.
        return QSize(super().minimumSizeHint().width(), self.fontMetrics().lineSpacing() * 4)

    def show_start(self, lesson, preset_title: str = "") -> None:
        self.heading.setText(f"Start · 0 of {len(lesson)} steps done")
        inputs = ", ".join(fmt(v) for v in lesson.X[0])
        targets = ", ".join(fmt(v) for v in lesson.Y[0])
        self.formula.setText(f"input ({inputs}) → target ({targets})")
        self.narration.setText(
            (preset_title + ". " if preset_title else "")
            + "Press Step (Space or →) to watch the network compute its prediction one "
            "operation at a time, then find how each weight should change, and change it."
        )

    def show_step(self, step, position: int, total: int, names=None) -> None:
        phase = PHASE_TITLES.get(step.phase, step.phase)
        self.heading.setText(f"Step {position} of {total} · {phase} · {step_title(step, names)}")
        self.formula.setText(step.formula)
        self.narration.setText(step.narration)

    def text(self) -> str:
        return "\n".join((self.heading.text(), self.formula.text(), self.narration.text()))


class InspectorPanel(QFrame):
    """Value and gradients of one item; a combo box lets keyboard users pick the item."""

    itemChosen = Signal(object)  # key tuple, or None
    editRequested = Signal(object)  # key tuple of the weight or bias to change

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        title = QLabel("Inspect")
        self.fonts = ScaledFonts()
        self.fonts.set(title, 1.0, bold=True)
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Item to inspect")
        self.chooser.setToolTip("Choose a neuron, weight or bias (or click one in the drawing)")
        self.details = _selectable_label("Inspected item")
        self.details.setText("Click a neuron, a weight or a bias to see its value and gradient.")
        # Room for the whole description, so the panels around it give way first.
        self.details.setMinimumHeight(self.details.fontMetrics().lineSpacing() * 5)
        self.edit_button = QPushButton("Change value…")
        self.edit_button.setToolTip(
            "Type a new value for this weight or bias (or double-click it in the drawing)"
        )
        self.edit_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.chooser, 1)
        row.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.details)
        self._keys: list = []
        self._current = None
        self.edits_allowed = True  # False while a lesson file fixes the weights
        self.chooser.activated.connect(self._on_activated)
        self.edit_button.clicked.connect(lambda: self.editRequested.emit(self._current))

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.ApplicationFontChange):
            self.fonts.refresh()

    def set_items(self, items: list[tuple[object, str]]) -> None:
        """(key, name) pairs; the first entry is always 'nothing'."""
        self.chooser.blockSignals(True)
        self.chooser.clear()
        self._keys = [None] + [k for k, _ in items]
        self.chooser.addItem("(nothing selected)")
        for _, name in items:
            self.chooser.addItem(name)
        self.chooser.blockSignals(False)

    def choose(self, key) -> None:
        self._current = key
        self._enable_editing()
        self._select(key)

    def allow_edits(self, allowed: bool) -> None:
        """Whether "Change value…" may offer itself (a lesson file can fix the weights)."""
        self.edits_allowed = allowed
        self._enable_editing()

    def _enable_editing(self) -> None:
        key = self._current
        editable = key is not None and key[0] in ("edge", "bias")
        self.edit_button.setEnabled(self.edits_allowed and editable)

    def _select(self, key) -> None:
        index = self._keys.index(key) if key in self._keys else 0
        self.chooser.blockSignals(True)
        self.chooser.setCurrentIndex(index)
        self.chooser.blockSignals(False)

    def _on_activated(self, index: int) -> None:
        self.itemChosen.emit(self._keys[index] if 0 <= index < len(self._keys) else None)

    def show_text(self, text: str) -> None:
        self.details.setText(text)


class TimelineTree(QTreeWidget):
    """Every step of the iteration, grouped by phase; activating one asks to jump there.

    `jumpRequested(position)` carries the number of steps done after the chosen step
    (0 for "Start").
    """

    jumpRequested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setAccessibleName("Timeline of steps")
        self.setUniformRowHeights(True)
        self._items: list[QTreeWidgetItem] = []
        self._texts: list[str] = []  # each row's text with its value
        self._hidden: set[int] = set()
        self.itemActivated.connect(self._on_item)
        self.itemClicked.connect(self._on_item)

    def sizeHint(self) -> QSize:
        # Ask for little: the panel gives the timeline whatever height is left over.
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 7)

    def set_lesson(self, lesson) -> None:
        self.blockSignals(True)
        self.clear()
        start = QTreeWidgetItem(["Start (nothing computed yet)"])
        start.setData(0, Qt.UserRole, 0)
        self.addTopLevelItem(start)
        self._items = [start]
        self._texts = [start.text(0)]
        group = None
        current_phase = None
        for step in lesson.steps:
            if step.phase != current_phase:
                current_phase = step.phase
                group = QTreeWidgetItem([PHASE_TITLES.get(step.phase, step.phase)])
                group.setData(0, Qt.UserRole, step.index + 1)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                self.addTopLevelItem(group)
            text = f"{step.index + 1}. {step_title(step, lesson.names)} = {fmt(step.value)}"
            item = QTreeWidgetItem([text])
            item.setData(0, Qt.UserRole, step.index + 1)
            group.addChild(item)
            self._items.append(item)
            self._texts.append(text)
        self._hidden = set()
        self.blockSignals(False)

    def set_hidden(self, steps) -> None:
        """Write "= ?" for these step indices (Predict mode keeps their values back)."""
        steps = set(steps)
        if steps == self._hidden:
            return
        self._hidden = steps
        for k in range(1, len(self._items)):
            text = self._texts[k]
            if k - 1 in steps:
                text = text.rsplit(" = ", 1)[0] + " = ?"
            self._items[k].setText(0, text)

    def set_position(self, position: int) -> None:
        if not 0 <= position < len(self._items):
            return
        self.blockSignals(True)
        item = self._items[position]
        parent = item.parent()
        self.collapseAll()
        if parent is not None:
            parent.setExpanded(True)
        self.setCurrentItem(item)
        self.scrollToItem(item)
        self.blockSignals(False)

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        position = item.data(0, Qt.UserRole)
        if position is not None:
            self.jumpRequested.emit(int(position))


class SidePanel(QScrollArea):
    """The column beside the drawing: Predict mode, explanation, inspector (with the loss
    slice of an inspected weight or bias), loss, loss chart and timeline.

    In a small window it scrolls rather than squeeze the panels' text away.
    """

    def __init__(self, loss_chart: QWidget, parent=None):
        super().__init__(parent)
        self.predict_panel = PredictPanel()
        self.explanation = ExplanationPanel()
        self.inspector = InspectorPanel()
        # The loss slice shows only while a weight or bias is inspected, never on the first
        # screen: its plot is built the first time it is needed (see `slice_plot`).
        self._slice_plot: LossSlicePlot | None = None
        self.slice_caption = _selectable_label("Loss slice explained")
        self.slice_caption.setFocusPolicy(Qt.NoFocus)
        self.show_slice(None)
        self.loss_label = QLabel()
        self.fonts = ScaledFonts()
        self.fonts.set(self.loss_label, 1.0, bold=True)
        self.loss_label.setAccessibleName("Loss before and after the iteration")
        self.loss_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.loss_chart = loss_chart
        self.timeline = TimelineTree()
        column = QWidget()
        column.setMinimumWidth(self.fontMetrics().averageCharWidth() * 28)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.predict_panel, 0)
        layout.addWidget(self.explanation, 0)
        layout.addWidget(self.inspector, 0)
        layout.addWidget(self.slice_caption, 0)  # the slice plot goes in above it when built
        layout.addWidget(self.loss_label)
        layout.addWidget(self.loss_chart, 2)
        layout.addWidget(self.timeline, 3)
        line = self.fontMetrics().lineSpacing()
        self.timeline.setMinimumHeight(line * 7)
        self.loss_chart.setMinimumHeight(line * 7)
        self.loss_chart.setMaximumHeight(line * 13)
        self._column, self._line = layout, line  # where and how tall the slice plot will be
        self.setWidget(column)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.NoFocus)  # Tab goes to the panels' own controls
        self.setMinimumWidth(column.minimumWidth())

    @property
    def slice_plot(self) -> LossSlicePlot:
        """The loss-slice plot, built (hidden, above its caption) the first time it is asked
        for: the window's start-up does not pay for a plot it does not show."""
        if self._slice_plot is None:
            plot = LossSlicePlot()
            plot.setMinimumHeight(self._line * 8)
            plot.setMaximumHeight(self._line * 11)
            plot.setVisible(False)
            self._column.insertWidget(self._column.indexOf(self.slice_caption), plot, 0)
            self._slice_plot = plot
        return self._slice_plot

    @property
    def slice_plot_built(self) -> bool:
        return self._slice_plot is not None

    def show_slice(self, data) -> None:
        """The loss slice of the inspected parameter (an `SliceView`), or None to hide it."""
        if data is not None or self._slice_plot is not None:
            self.slice_plot.show_slice(data)
            self.slice_plot.setVisible(data is not None)
        self.slice_caption.setVisible(data is not None)
        self.slice_caption.setText(data.caption() if data is not None else "")

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.ApplicationFontChange):
            self.fonts.refresh()
