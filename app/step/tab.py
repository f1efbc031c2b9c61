"""The "Step through" tab: watch a small network learn, one elementary operation per click.

A `nncore.lesson.Lesson` lists every operation of one training iteration (forward pass,
loss, backward pass, update, check). This tab walks through it: each Step shows the next
operation on the drawing (`NetworkView`: what it uses lights up, the rest is dimmed, a pulse
travels), writes its formula with the real numbers and a sentence of narration
(`ExplanationPanel`), and marks it on the timeline. Back, Home, End and the timeline jump
anywhere; the granularity selector makes one Step cover a neuron, a layer or a phase;
Play steps by itself, on into the next iterations until paused. "Next iteration" starts again
with the updated weights, "Run 10" / "Run 100" compute that many iterations at once, and the
loss chart grows by one point per iteration. The keys (app.step.keys) work wherever the focus
is in the window, except in a text field.

Clicking a neuron, weight or bias (or choosing it in the Inspect box) shows its value, the
gradient backpropagation found and the numerical gradient beside it. Double-clicking a
weight or bias lets the student type a new value, which restarts the iteration. The preset
picker offers the article's lessons; "custom" opens an editor for a network of one's own
(`app.step.editor`). Inspecting a weight or bias also plots the loss against it (the loss
slice, `app.step.slice_plot`).

Predict mode (Q, `app.step.predict_mode`) asks the student for each number before it is
shown and diagnoses the slips, with a `nncore.lesson.quiz.Quiz`.

A lesson file (`app.lesson_files`, `app.step.lesson_state`) is shown through `open_lesson`;
its locks (`app.step.locks`) set `guard`, which `refuses` asks before a locked change.

All numbers come from the lesson (or, for the numerical gradient, from `Network.predict` in
`nncore.gradcheck`): the tab only formats them.

(This module is nearly 700 lines because it is the one place that wires the tab's
parts together; each part, and the logic behind it, lives in its own module: see the map
in `app/step/__init__.py`.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QInputDialog,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import theme as app_theme
from app.step.controls import SPEEDS, LessonSettings, StepControls
from app.step.editor import CustomEditor
from app.step.focus import display_for, focus_for
from app.step.iterations import run_ahead
from app.step.keys import StepKeys
from app.step.loss_chart import LossChart
from app.step.panels import SidePanel
from app.step.parameters import (
    is_parameter,
    parameter_name,
    parameter_value,
    restarted,
    with_parameter,
)
from app.step.parsing import InputError, parse_numbers, read_example
from app.step.predict_mode import PredictMode
from app.step.screenshots import screenshot_states
from app.step.slice_view import slice_view_for
from app.step.texts import describe_item, editable_numbers, inspectable_items, loss_name
from app.widgets.network_view import NetworkView
from nncore.formatting import fmt
from nncore.lesson import GRANULARITIES, PRESETS, Lesson, make_custom, make_lesson

if TYPE_CHECKING:
    from app.step.slice_plot import LossSlicePlot

__all__ = ["SPEEDS", "StepThroughTab"]

PLAY_PAUSE_MS = 350  # pause between two steps while playing, after the animation
RUN_FEW, RUN_MANY = 10, 100  # iterations computed at once by Shift+N and Ctrl+Shift+N


class StepThroughTab(QWidget):
    """The tab widget (see the tab protocol in docs/architecture.md).

    Signals:
        positionChanged(int): the number of steps done changed.
        lessonChanged(): a new lesson (preset, inputs, weights or iteration) was built.
        messageShown(str): a message for the student (a refused input, an applied change).
    """

    positionChanged = Signal(int)
    lessonChanged = Signal()
    messageShown = Signal(str)
    # Presentation mode wanted on (True) or off (False): F5 and Esc; the window does it.
    presentationRequested = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("StepThroughTab")
        self.preset_name = "article"
        self.lesson: Lesson | None = None
        self.base_network = None  # the network at iteration 1 (with the student's edits)
        self.position = 0
        self.granularity = "operation"
        self.loss_history: list[float] = []
        self.selected = None
        # The message line: what the lesson is (`standing`), or news of the last action
        # (`passing`: it gives way to the standing words once the student moves on).
        self._standing_message = ""
        self._message_is_passing = False
        self.refilled: list[str] = []
        self.edit_dialog: QInputDialog | None = None
        self.presenting = False  # set by the window's presentation mode (app.step.presentation)
        # A lesson file's locks (app.step.locks): what -> the refusal, or None when allowed.
        self.guard: Callable[[str], str | None] | None = None
        self._build_ui()
        self._build_shortcuts()
        self.load_preset("article")

    # ---- construction ----------------------------------------------------------------------
    def _build_ui(self):
        self.settings = LessonSettings()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.PlainText)  # it may repeat a lesson file's title and notes
        self.message.setAccessibleName("Message")
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.editor = CustomEditor()
        self.editor.setVisible(False)
        self.view = NetworkView()
        self.side = SidePanel(LossChart())
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.controls = StepControls()

        # The parts the tab works with, by name (tests and the main window use them too).
        self.preset_box, self.apply_button = self.settings.preset_box, self.settings.apply_button
        self.inputs_edit, self.target_edit = self.settings.inputs_edit, self.settings.target_edit
        self.lr_edit = self.settings.lr_edit
        self.explanation, self.inspector = self.side.explanation, self.side.inspector
        self.loss_label, self.loss_chart = self.side.loss_label, self.side.loss_chart
        self.timeline = self.side.timeline
        self.predict_panel = self.side.predict_panel
        c = self.controls
        self.home_button, self.back_button = c.home_button, c.back_button
        self.step_button, self.play_button = c.step_button, c.play_button
        self.end_button, self.next_button = c.end_button, c.next_button
        self.reset_button = c.reset_button
        self.run_few_button, self.run_many_button = c.run_few_button, c.run_many_button
        self.speed_box, self.granularity_box = c.speed_box, c.granularity_box
        self.slider, self.position_label = c.slider, c.position_label

        layout = QVBoxLayout(self)
        layout.addWidget(self.settings)
        layout.addWidget(self.message)
        layout.addWidget(self.editor)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.controls)

        order = [
            self.predict_panel.toggle,
            self.predict_panel.ask_box,
            self.predict_panel.hints_box,
            self.preset_box,
            self.inputs_edit,
            self.target_edit,
            self.lr_edit,
            self.apply_button,
            self.step_button,
            self.back_button,
            self.play_button,
            self.home_button,
            self.end_button,
            self.speed_box,
            self.granularity_box,
            self.next_button,
            self.run_few_button,
            self.run_many_button,
            self.reset_button,
            self.slider,
            self.view,
            self.inspector.chooser,
            self.inspector.edit_button,
            self.timeline,
        ]
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)

        self._play_timer = QTimer(self)
        self._play_timer.setSingleShot(True)
        self._play_timer.timeout.connect(self._play_tick)

        self.preset_box.activated.connect(lambda i: self.load_preset(self.preset_box.itemData(i)))
        for edit in (self.inputs_edit, self.target_edit, self.lr_edit):
            edit.returnPressed.connect(self.apply_settings)
        self.apply_button.clicked.connect(self.apply_settings)
        self.editor.buildRequested.connect(self.build_custom)
        self.home_button.clicked.connect(self.go_home)
        self.back_button.clicked.connect(self.step_back)
        self.step_button.clicked.connect(self.step_forward)
        self.end_button.clicked.connect(self.go_end)
        self.play_button.toggled.connect(self.set_playing)
        self.next_button.clicked.connect(self.next_iteration)
        self.reset_button.clicked.connect(self.reset)
        self.run_few_button.clicked.connect(lambda: self.run_iterations(RUN_FEW))
        self.run_many_button.clicked.connect(lambda: self.run_iterations(RUN_MANY))
        self.speed_box.currentIndexChanged.connect(
            lambda i: self.view.set_duration(self.speed_box.itemData(i))
        )
        self.granularity_box.currentIndexChanged.connect(
            lambda i: self.set_granularity(self.granularity_box.itemData(i))
        )
        self.slider.valueChanged.connect(self._on_slider)
        self.timeline.jumpRequested.connect(lambda k: self.go_to(k, animate=False))
        self.view.itemClicked.connect(self.inspect)
        self.view.itemDoubleClicked.connect(self.edit_parameter_dialog)
        self.view.animationFinished.connect(self._on_animation_finished)
        self.inspector.itemChosen.connect(self.inspect)
        self.inspector.editRequested.connect(self.edit_parameter_dialog)
        app_theme.theme.changed.connect(self._restyle)
        self.view.set_duration(self.speed_box.currentData())
        self._restyle()
        self.predict = PredictMode(self)
        # A click leaves no keyboard focus on a button, list or the slider (Tab still
        # reaches them), so the next Space steps instead of pressing what was clicked.
        clickable = self.findChildren(QAbstractButton) + self.findChildren(QComboBox)
        for widget in [*clickable, self.slider]:
            widget.setFocusPolicy(Qt.TabFocus)

    def _build_shortcuts(self):
        self._shortcut_table = [
            ("Space", "Step forward (while playing: pause)", self._space),
            ("Right", "Step forward", self.step_forward),
            ("Left", "Step back", self.step_back),
            ("Home", "Back to the start of the iteration", self.go_home),
            ("End", "Jump to the end of the iteration", self.go_end),
            (
                "P",
                "Play or pause (Play goes on into the next iterations)",
                lambda: self.refuses("play") or self.play_button.toggle(),
            ),
            ("N", "Next iteration (with the updated weights)", self.next_iteration),
            ("Shift+N", f"Run {RUN_FEW} iterations at once", lambda: self.run_iterations(RUN_FEW)),
            (
                "Ctrl+Shift+N",
                f"Run {RUN_MANY} iterations at once",
                lambda: self.run_iterations(RUN_MANY),
            ),
            ("R", "Reset to iteration 1", self.reset),
            ("Q", "Predict mode on or off (type each number before it is shown)", self._q),
            ("H", "Predict mode: the next hint", lambda: self.predict.hint()),
            (
                "Escape",
                "Finish the animation (Predict mode: show the answer; presentation mode: leave it)",
                self._escape,
            ),
            (
                "F5",
                "Presentation mode on or off (full screen, large text; Esc leaves)",
                lambda: self.presentationRequested.emit(not self.presenting),
            ),
        ]
        # Not QShortcuts: those work only with the focus inside the tab and compete with a
        # focused button for Space (see app.step.keys).
        self.keys = StepKeys(self, [(key, slot) for key, _, slot in self._shortcut_table])

    def _q(self):
        if not self.refuses("predict"):
            self.predict.toggle()

    def refuses(self, what: str) -> bool:
        """Whether a lesson file's lock forbids `what` ("weights", "reset", ...: see
        app.step.locks); the message then says so."""
        refusal = self.guard(what) if self.guard is not None else None
        if refusal:
            self.show_message(refusal, error=True)
        return bool(refusal)

    def _escape(self):
        """Esc shows the answer of an open question, else finishes the animation (and
        leaves presentation mode: a question open there takes a first Esc, a second leaves)."""
        if self.predict.current is not None:
            self.predict.reveal()
            return
        self.view.skip_animation()
        if self.presenting:
            self.presentationRequested.emit(False)

    def _restyle(self, *_):
        error = app_theme.colors()["highlight"]
        self.message.setStyleSheet(f"color: {error};" if self.message.property("error") else "")

    # ---- tab protocol ----------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop playing and finish the animation (the tab starts no threads)."""
        self._play_timer.stop()
        if self.play_button.isChecked():
            self.play_button.setChecked(False)
        self.view.skip_animation()
        self.predict.close_question()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [(key, what) for key, what, _ in self._shortcut_table]

    def screenshot_states(self):
        return screenshot_states(self)

    def showEvent(self, event):
        super().showEvent(event)
        # Under a window manager the focus may start on the window's tab bar, outside this
        # tab, where none of its keys work: give it to the drawing (after the show settles).
        QTimer.singleShot(0, self._take_focus)

    def _take_focus(self):
        focus = QApplication.focusWidget()
        if self.isVisible() and (focus is None or not self.isAncestorOf(focus)):
            self.view.setFocus()

    # ---- messages --------------------------------------------------------------------------
    def show_message(self, text: str, error: bool = False, *, standing: bool = False) -> None:
        """Show `text` on the message line.

        A `standing` message says what the lesson is and stays. Any other message is news
        of the last action ("Applied…", "Reset…", "Iteration 3 complete…"): the next move
        through the lesson puts the standing words back, so no stale news is left. An error
        stays until the next message: what it refused is still not done.
        """
        if standing:
            self._standing_message = text
        self._message_is_passing = not (standing or error)
        self.message.setProperty("error", error)
        self.message.setText(text)
        self.message.setAccessibleDescription(text)
        self._restyle()
        self.messageShown.emit(text)

    # ---- building lessons ------------------------------------------------------------------
    def load_preset(self, name: str) -> None:
        """Start the preset lesson `name` from iteration 1."""
        if self.refuses("lesson_choice"):
            self.settings.show_preset(self.preset_name)
            return
        if name not in PRESETS:
            self.show_message(f"Unknown lesson {name!r}.", error=True)
            return
        self.preset_name = name
        self.selected = None  # another network: what was inspected may not exist in it
        self.settings.show_preset(name)
        self.editor.setVisible(name == "custom")
        if name == "custom":
            if self.lesson is not None:
                net = self.lesson.network
                self.editor.show_network(net.sizes, net.activation_names)
            self.build_custom()
            return
        lesson = make_lesson(name)
        self.base_network = lesson.network.copy()
        self._start(lesson, fresh=True)
        self.show_message(PRESETS[name].description, standing=True)

    def build_custom(self) -> None:
        """Build the custom network from the editor and the example fields."""
        if self.refuses("network"):
            return
        problem = self.editor.problem()
        if problem is not None:  # a count typed out of range: say the limits, build nothing
            self.show_message(f"Not built: {problem}", error=True)
            return
        sizes, acts = self.editor.sizes(), self.editor.activations()
        try:
            weights = self.editor.typed_weights()
            x, target, lr = self._read_fields(
                sizes[0], sizes[-1], fill=True, n_classes=self.editor.n_classes()
            )
            lesson = make_custom(
                sizes=sizes,
                activations=acts,
                x=x,
                target=target,
                lr=lr,
                seed=self.editor.seed.value(),
                weights=weights,
            )
        except ValueError as err:
            self.show_message(f"Not built: {err}", error=True)
            return
        self.base_network = lesson.network.copy()
        self._start(lesson, fresh=True)
        note = ""
        if self.refilled:
            note = (
                f" The {' and '.join(self.refilled)} did not fit the new size, so simple "
                "values were filled in; change them above."
            )
        self.show_message(
            f"Built a {lesson.network.architecture} network ({', '.join(acts)}).{note}",
            standing=True,
        )

    def _read_fields(self, n_in: int, n_out: int, fill: bool = False, n_classes=None):
        """Inputs, targets and learning rate from the fields (InputError when refused).

        With `fill` (a new architecture), a field of the wrong length is refilled with
        simple defaults (see `app.step.parsing.read_example`) and named in `self.refilled`.
        `n_classes`: a classifier's classes (its target is then the true class); by default
        those of the lesson shown.
        """
        self.refilled = []
        net = self.lesson.network if self.lesson is not None else None
        if n_classes is None:
            n_classes = net.n_classes if net is not None and net.is_classifier else 0
        example = read_example(
            self.inputs_edit.text(),
            self.target_edit.text(),
            self.lr_edit.text(),
            n_in,
            n_out,
            fill=fill,
            n_classes=n_classes,
        )
        self.refilled = example.refilled
        return example.inputs, example.target, example.lr

    def open_lesson(self, lesson: Lesson, preset: str, base_network, loss_history) -> None:
        """Show `lesson` (from a lesson file: any network, example and iteration) as the
        preset `preset` ("custom" shows the editor), with Reset going back to
        `base_network` and the loss chart holding `loss_history` (one loss per iteration,
        this one's starting loss last)."""
        self.preset_name = preset
        self.selected = None
        self.settings.show_preset(preset)
        self.editor.setVisible(preset == "custom")
        self.editor.show_network(lesson.network.sizes, lesson.network.activation_names)
        self.base_network = base_network.copy()
        self._start(lesson, fresh=True)
        self.loss_history = list(loss_history)
        self.go_to(0, animate=False)  # the loss chart, from that history

    def apply_settings(self) -> None:
        """Restart the current iteration with the typed inputs, target and learning rate."""
        if self.lesson is None:
            return
        net = self.lesson.network
        try:
            x, target, lr = self._read_fields(net.n_inputs, net.n_outputs)
            lesson = Lesson(
                net, x, target, lr, title=self.lesson.title, iteration=self.lesson.iteration
            )
        except ValueError as err:
            self.show_message(f"Not applied: {err}", error=True)
            return
        self._start(lesson, fresh=lesson.iteration == 1)
        self.show_message("Applied: the iteration starts again with the new example.")

    def _start(self, lesson: Lesson, fresh: bool) -> None:
        """Show `lesson` from its first step; `fresh` restarts the loss history."""
        self.shutdown()
        self.lesson = lesson
        if fresh:
            self.loss_history = [lesson.loss_before]
        elif self.loss_history:
            self.loss_history[-1] = lesson.loss_before
        else:
            self.loss_history = [lesson.loss_before]
        net = lesson.network
        self.view.set_architecture(net.sizes, net.activation_names)
        self.view.set_names(
            {(c, i): lesson.names.node(c, i) for c, n in enumerate(net.sizes) for i in range(n)}
        )
        self.view.set_tooltips(dict(inspectable_items(self.lesson)))
        classes = lesson.classes
        self.settings.show_example(
            lesson.X[0], lesson.Y[0] if classes is None else [classes[0]], lesson.lr
        )
        self.settings.show_target_kind(net.n_classes if net.is_classifier else 0)
        self.loss_chart.set_loss_name(loss_name(lesson))
        self.timeline.set_lesson(lesson)
        self.controls.set_length(len(lesson))
        items = inspectable_items(self.lesson)
        self.inspector.set_items(items)
        if self.selected is not None and self.selected not in dict(items):
            self.selected = None
        self.view.select(self.selected)
        self.inspector.choose(self.selected)
        if self.selected is None:
            self._describe(None)  # no text left over from the previous lesson
        self.predict.new_lesson(lesson)
        self.position = -1
        self.go_to(0, animate=False)
        self.lessonChanged.emit()

    # ---- moving through the lesson ---------------------------------------------------------
    @property
    def slice_plot(self) -> LossSlicePlot:
        """The loss-slice plot under the inspector (built the first time it is needed)."""
        return self.side.slice_plot

    @property
    def steps_total(self) -> int:
        return len(self.lesson) if self.lesson is not None else 0

    def set_granularity(self, granularity: str) -> None:
        if granularity not in GRANULARITIES:
            raise ValueError(f"unknown granularity {granularity!r}")
        self.granularity = granularity
        with QSignalBlocker(self.granularity_box):
            self.granularity_box.setCurrentIndex(GRANULARITIES.index(granularity))

    def _space(self):
        """Space steps; while Play runs it pauses instead (the student takes over)."""
        if self.is_playing():
            self.set_playing(False)
        else:
            self.step_forward()

    def step_forward(self) -> None:
        """Finish the running animation, then show the next step (or group of steps)."""
        if self.lesson is None:
            return
        self.view.skip_animation()
        if self.position >= self.steps_total:
            self.show_message(
                "This iteration is complete: press Next iteration (N) to use the updated weights."
            )
            return
        target = self.lesson.next_index(self.position, self.granularity)
        if self.predict.intercept_step(target):
            return  # a question opened (or is still open) on the way
        self.go_to(target, animate=True, group=True)

    def step_back(self) -> None:
        if self.lesson is None:
            return
        self.view.skip_animation()
        if self.position > 0:
            self.go_to(self.lesson.prev_index(self.position, self.granularity), animate=False)

    def go_home(self) -> None:
        self.go_to(0, animate=False)

    def go_end(self) -> None:
        self.go_to(self.steps_total, animate=False)

    def go_to(self, k: int, animate: bool = False, group: bool = False) -> None:
        """Show the lesson after k steps; forward moves animate when asked to.

        With `group`, every step between the old and the new position is highlighted (a
        Step by neuron, layer or phase); otherwise only the last step taken.
        """
        self.predict.before_move()
        lesson = self.lesson
        k = max(0, min(int(k), len(lesson)))
        old = self.position
        self.position = k
        state = lesson.state_at(k)
        display = display_for(lesson, state)
        if k == 0:
            self.view.show_display(display)
            self.explanation.show_start(lesson, lesson.title)
        else:
            taken = lesson.steps[old:k] if group and 0 <= old < k else [lesson.steps[k - 1]]
            previous = None
            if animate and 0 <= old < k:
                before = lesson.state_at(old)
                previous = display_for(lesson, before)
            self.view.show_display(
                display,
                focus_for(taken, lesson.sizes),
                previous=previous,
                animate=animate and previous is not None,
            )
            step = lesson.steps[k - 1]
            self.explanation.show_step(step, k, len(lesson), lesson.names)
            if len(taken) > 1:
                self.explanation.narration.setText(
                    step.narration + f"\n({len(taken)} operations in this {self.granularity}; "
                    "the formula is the last one.)"
                )
        self.controls.show_position(k, len(lesson), lesson.iteration)
        self.timeline.set_position(k)
        self._show_loss(state)
        if k != old and self._message_is_passing:
            self.show_message(self._standing_message, standing=True)  # the news is old now
        if k == len(lesson) and k != old:
            self.show_message(
                f"Iteration {lesson.iteration} complete: the loss went from "
                f"{fmt(lesson.loss_before)} to {fmt(lesson.loss_after)}. "
                "Press Next iteration (N) to go on with the updated weights."
            )
        if self.selected is not None:
            self._describe(self.selected)
        self.predict.after_move(k)
        if k != old:
            self.positionChanged.emit(k)

    def _on_slider(self, value: int) -> None:
        self.view.skip_animation()
        self.go_to(value, animate=False)

    def _show_loss(self, state) -> None:
        loss = "cross-entropy" if self.lesson.is_classifier else "loss"
        text = f"Iteration {self.lesson.iteration}: {loss} "
        if state.loss is None:
            text += "not computed yet"
        else:
            text += f"before {fmt(state.loss)}"
            if state.new_loss is not None:
                text += f", after {fmt(state.new_loss)}"
        self.loss_label.setText(text)
        # The chart shows what the student has seen computed: this iteration's starting
        # loss once its loss step is done (or, after iteration 1, from the previous one).
        values = list(self.loss_history)
        if state.loss is None and self.lesson.iteration == 1:
            values = values[:-1]
        if state.new_loss is not None:
            values.append(state.new_loss)
        self.loss_chart.set_values(values)

    # ---- iterations ------------------------------------------------------------------------
    def next_iteration(self) -> None:
        """Start the next iteration on the same example with the updated weights."""
        if self.lesson is None or self.refuses("next_iteration"):
            return
        after = self.lesson.loss_after
        try:
            lesson = self.lesson.next_iteration()
        except ValueError as err:  # LessonError: an overflow, told in words by the engine
            self.show_message(f"Not continued: {err} Press Reset (R) to start again.", error=True)
            return
        self.loss_history.append(after)
        self._start(lesson, fresh=False)
        self.show_message(
            f"Iteration {lesson.iteration}: the weights now hold the update; "
            f"the loss starts at {fmt(lesson.loss_before)}."
        )

    def run_iterations(self, count: int) -> None:
        """Compute `count` iterations at once with the engine and show where they lead."""
        if self.lesson is None or self.refuses("next_iteration"):
            return
        run = run_ahead(self.lesson, count)
        stopped = f" Stopped there: {run.stopped} Press Reset (R) to start again." * bool(
            run.stopped
        )
        if not run.losses:
            self.show_message(f"Not continued:{stopped}", error=True)
            return
        start = self.lesson.loss_before
        self.loss_history.extend(run.losses)
        self._start(run.lesson, fresh=False)
        self.show_message(
            f"Ran {len(run.losses)} iterations: the loss went from {fmt(start)} to "
            f"{fmt(run.lesson.loss_before)}; this is iteration {run.lesson.iteration}.{stopped}",
            error=bool(stopped),
        )

    def reset(self) -> None:
        """Back to iteration 1: the starting weights, the current example."""
        if self.lesson is None or self.base_network is None or self.refuses("reset"):
            return
        self._start(restarted(self.lesson, self.base_network.copy(), iteration=1), fresh=True)
        self.show_message("Reset: iteration 1 with the starting weights.")

    # ---- playing ---------------------------------------------------------------------------
    def set_playing(self, playing: bool) -> None:
        self.controls.show_playing(playing)
        if playing:
            if self.position >= self.steps_total and not self._next_iteration_while_playing():
                return
            self._play_timer.start(0)
        else:
            self._play_timer.stop()

    def _next_iteration_while_playing(self) -> bool:
        """Take the next iteration and keep playing; False (and paused) if it failed."""
        before = self.lesson.iteration
        self.next_iteration()  # builds a new lesson, which pauses Play
        if self.lesson.iteration == before:  # refused (an overflow): the message says why
            self.controls.show_playing(False)
            return False
        self.controls.show_playing(True)
        return True

    def is_playing(self) -> bool:
        return self.play_button.isChecked()

    def _play_tick(self):
        if not self.is_playing():
            return
        if self.position >= self.steps_total:
            # Play goes on into the next iteration, so the loss chart grows by itself.
            if self._next_iteration_while_playing():
                self._play_timer.start(PLAY_PAUSE_MS)
            return
        self.step_forward()
        if not self.view.is_animating():
            self._play_timer.start(PLAY_PAUSE_MS)

    def _on_animation_finished(self):
        if self.is_playing() and not self._play_timer.isActive():
            self._play_timer.start(PLAY_PAUSE_MS)

    # ---- inspecting and editing ------------------------------------------------------------
    def inspect(self, key) -> None:
        """Describe a neuron, weight or bias (key as emitted by the view), or clear."""
        self.selected = key
        self.view.select(key)
        self.inspector.choose(key)
        self._describe(key)

    def _describe(self, key) -> None:
        self.side.show_slice(
            slice_view_for(self.lesson, self.position, key) if is_parameter(key) else None
        )
        if key is None:
            self.inspector.show_text(
                "Click a neuron, a weight or a bias to see its value and gradient."
            )
            return
        self.inspector.show_text(self.describe(key))

    def describe(self, key) -> str:
        """The inspector's text for an item at the current position."""
        return describe_item(self.lesson, self.position, key, spoil=not self.predict.active)

    def edit_parameter_dialog(self, key) -> None:
        """Ask for a new value of a weight or bias (a non-blocking dialog)."""
        if not is_parameter(key) or self.lesson is None or self.refuses("weights"):
            return
        name = parameter_name(self.lesson, key)
        value = parameter_value(self.lesson.network, key)
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Change a parameter")
        dialog.setLabelText(
            f"New value of {name} (now {fmt(value, 6)}).\n"
            "The iteration starts again from its first step."
        )
        dialog.setTextValue(editable_numbers([value]))
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.textValueSelected.connect(lambda text: self.set_parameter(key, text))
        dialog.destroyed.connect(self._forget_dialog)
        self.edit_dialog = dialog
        dialog.open()

    def _forget_dialog(self, *_):
        self.edit_dialog = None

    def set_parameter(self, key, text: str) -> bool:
        """Set a weight or bias from typed text; restarts the iteration. False if refused."""
        if self.refuses("weights"):
            return False
        try:
            value = parse_numbers(str(text), "new value", 1)[0]
        except InputError as err:
            self.show_message(f"Not changed: {err}", error=True)
            return False
        if not is_parameter(key):
            return False
        net = with_parameter(self.lesson.network, key, value)
        name = parameter_name(self.lesson, key)
        try:
            lesson = restarted(self.lesson, net, iteration=self.lesson.iteration)
        except ValueError as err:  # LessonError: e.g. grown weights now overflow
            self.show_message(f"Not changed: {err}", error=True)
            return False
        if lesson.iteration == 1:
            self.base_network = net.copy()
        self._start(lesson, fresh=lesson.iteration == 1)
        self.show_message(f"{name} is now {fmt(value, 6)}; the iteration starts again.")
        return True
