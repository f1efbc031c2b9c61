"""Predict mode of the "Step through" tab: the student computes the next number first.

`PredictMode` sits between the tab and a `nncore.lesson.quiz.Quiz` over the tab's lesson.
When the student steps onto a step the quiz asks, the step's neurons and weights light up
as usual but its value stays hidden ("?" on the drawing, "= ?" on the timeline), and an
`AnswerBox` opens beside the node or edge the value belongs to, with the step's formula
blanked. Enter checks the answer with the Quiz:

- right: the step is revealed and animated as in the ordinary mode;
- wrong: the box shows the Quiz's diagnosis ("Sign slip: ...") or how far off it was, and
  offers the next hint (H); the student tries again, or gives up with Esc (reveal).

A Step that covers a neuron, a layer or a phase asks each of its questions in turn, then
shows the rest of the unit. Steps the quiz does not ask play as usual. The compact score and,
at the end of an iteration, the summary are the Quiz's, written by `app.step.predict_logic`.
Whether the mode is on, what it asks and how many hints it allows are remembered in the
app's settings.

Nothing here checks an answer or computes a number: the Quiz does.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QFileDialog

from app import open_settings
from app.step.focus import display_for, focus_for
from app.step.predict_box import AnswerBox
from app.step.predict_logic import (
    ASK_CHOICES,
    DEFAULT_HINTS,
    HINT_CHOICES,
    KEY_ASK,
    KEY_HINTS,
    KEY_PREDICT,
    hidden_for,
    hint_offer,
    questions_between,
    read_bool,
    read_choice,
    save_score_sheet,
    score_line,
    summary_text,
)
from app.step.texts import PHASE_TITLES, step_title
from nncore.lesson import DIAGNOSES, Quiz

OPEN = ("not answered", "wrong")  # the Quiz's outcomes of a question still to be asked


class PredictMode(QObject):
    """Runs Predict mode on a `StepThroughTab` (see the module docstring)."""

    def __init__(self, tab):
        super().__init__(tab)
        self.tab = tab
        self.panel = tab.predict_panel
        self.box = AnswerBox(tab.view.viewport())
        self.quiz: Quiz | None = None
        self.active = False
        self.current: int | None = None  # the asked step whose box is open
        self.unit_end: int | None = None  # where the Step the student pressed ends
        self.hints_used = 0
        self._moving = False  # True while this class moves the tab (not the student)
        self._continue_pending = False

        settings = open_settings()
        ask_index = read_choice(settings.value(KEY_ASK), ASK_CHOICES, 0)
        hints_index = read_choice(
            settings.value(KEY_HINTS), HINT_CHOICES, HINT_CHOICES.index(DEFAULT_HINTS)
        )
        self.panel.ask_box.setCurrentIndex(ask_index)
        self.panel.hints_box.setCurrentIndex(hints_index)
        self._remember = True
        self._remember_choices = True  # False while a lesson file sets Ask and hints
        self.panel.toggle.toggled.connect(self._on_toggled)
        self.panel.ask_box.currentIndexChanged.connect(self._on_ask_changed)
        self.panel.hints_box.currentIndexChanged.connect(self._on_hints_changed)
        self.panel.save_button.clicked.connect(self.save_dialog)
        self.box.submitted.connect(self.submit)
        self.box.hintRequested.connect(self.hint)
        self.box.revealRequested.connect(self.reveal)
        tab.view.animationFinished.connect(self._on_animation_finished)
        tab.view.installEventFilter(self)  # the box follows its item when the view resizes
        if read_bool(settings.value(KEY_PREDICT), False):
            self.panel.toggle.setChecked(True)

    # ---- settings --------------------------------------------------------------------------
    @property
    def ask(self):
        return self.panel.ask_box.currentData()

    @property
    def hints_allowed(self) -> int:
        return int(self.panel.hints_box.currentData())

    def set_active(self, on: bool, remember: bool = True) -> None:
        """Predict mode on or off (remembered unless told not to); off closes a question."""
        on = bool(on)
        self._remember = remember
        if self.panel.toggle.isChecked() != on:
            self.panel.toggle.setChecked(on)  # comes back here through `toggled`
            return
        self._show_active(on)

    def _on_toggled(self, on: bool) -> None:
        self._show_active(bool(on))

    def _show_active(self, on: bool) -> None:
        self.active = on
        self.panel.show_active(on)
        if self._remember:
            open_settings().setValue(KEY_PREDICT, on)
        self._remember = True
        if not on and self.current is not None:
            self.close_question()
            self._redraw()
        self.tab.timeline.set_hidden(self._unanswered())
        self._show_score()
        if self.tab.lesson is not None and self.tab.selected is not None:
            self.tab.inspect(self.tab.selected)  # the inspector's text depends on the mode
        if on and self.tab.lesson is not None:
            self.tab.show_message(
                "Predict mode: press Step and type each number before it is shown "
                "(Enter checks, H gives a hint, Esc shows the answer)."
            )

    def toggle(self) -> None:
        self.set_active(not self.active)

    def choose(self, ask_index: int, hints_index: int, remember: bool = True) -> None:
        """Set what is asked and how many hints (indexes into the panel's two boxes); a
        lesson file passes remember=False, so its choices do not become the user's."""
        self._remember_choices = remember
        try:
            self.panel.ask_box.setCurrentIndex(ask_index)
            self.panel.hints_box.setCurrentIndex(hints_index)
        finally:
            self._remember_choices = True

    def _on_ask_changed(self, index: int) -> None:
        if self._remember_choices:
            open_settings().setValue(KEY_ASK, index)
        was_asking = self.current is not None
        self.new_lesson(self.tab.lesson)
        if was_asking:
            self._redraw()

    def _redraw(self) -> None:
        """Show the tab's position as the ordinary mode does (after closing a question)."""
        self.tab.view.setFocus()
        self.tab.go_to(self.tab.position, animate=False)

    def _on_hints_changed(self, index: int) -> None:
        if self._remember_choices:
            open_settings().setValue(KEY_HINTS, index)
        if self.current is not None:
            self.box.set_offer(hint_offer(self.hints_used, self.hints_allowed))

    # ---- the lesson ------------------------------------------------------------------------
    def new_lesson(self, lesson) -> None:
        """A new lesson (preset, edit, iteration): a fresh Quiz, score and summary."""
        self.close_question()
        self.quiz = Quiz(lesson, ask=self.ask) if lesson is not None else None
        self.panel.show_summary("")
        self.tab.timeline.set_hidden(self._unanswered())
        self._show_score()

    def is_open(self, k: int) -> bool:
        """Step k is asked and not settled yet (never tried, or only wrong so far).

        A question answered right or revealed is not asked again when the student steps
        back over it: it plays as usual.
        """
        return self.quiz is not None and self.quiz.asks(k) and self.quiz.outcome(k) in OPEN

    def _unanswered(self) -> set[int]:
        """Open questions the student has not reached yet (their values hidden on the timeline)."""
        if not self.active or self.quiz is None:
            return set()
        return {k for k in self.quiz.questions if k >= self.tab.position and self.is_open(k)}

    def _show_score(self) -> None:
        if self.quiz is not None:
            self.panel.show_score(score_line(self.quiz.score()))

    # ---- stepping --------------------------------------------------------------------------
    def intercept_step(self, target: int) -> bool:
        """The student asked to step to `target`: ask the first question on the way, if any.

        True when Predict mode took the step over (a question is open).
        """
        if self.current is not None:
            self.box.edit.setFocus()  # a question is waiting: Step brings the student back
            return True
        if not self.active or self.quiz is None:
            return False
        asked = questions_between(self.is_open, self.tab.position, target)
        if not asked:
            return False
        self.unit_end = target
        self.ask_step(asked[0])
        return True

    def ask_step(self, k: int) -> None:
        """Open the question about step k: the drawing at k, its value hidden, the box open."""
        tab, lesson, quiz = self.tab, self.tab.lesson, self.quiz
        if tab.is_playing():
            tab.play_button.setChecked(False)
        if tab.position != k:
            self._moving = True
            try:
                tab.go_to(k, animate=False, group=True)
            finally:
                self._moving = False
        step = lesson.steps[k]
        before = lesson.state_at(k)
        after = lesson.state_at(k + 1)
        before.sample = after.sample  # compare the same example of a batch
        shown_before = display_for(lesson, before)
        shown_after = display_for(lesson, after)
        # The drawing as it will be once the step is done, with the step's own values
        # kept back ("?"): its neurons and weights light up, its result stays hidden.
        display = dataclasses.replace(
            shown_after, hidden=hidden_for(step, shown_before, shown_after)
        )
        for name in ("weights", "biases"):
            setattr(display, name, getattr(shown_before, name))  # an update shows the old line
        focus = dataclasses.replace(focus_for([step], lesson.sizes), value=None, text="")
        tab.view.show_display(display, focus)
        prompt = quiz.prompt(k)
        self.current, self.hints_used = k, 0
        phase = PHASE_TITLES.get(step.phase, step.phase)
        explanation = tab.explanation
        explanation.heading.setText(
            f"Step {k + 1} of {len(lesson)} · {phase} · {step_title(step, lesson.names)} · "
            "your turn"
        )
        explanation.formula.setText(prompt.blanked)
        explanation.narration.setText(
            prompt.question + " Type it in the box on the drawing and press Enter."
        )
        self.box.ask(
            prompt.question,
            prompt.blanked,
            quiz.is_direction(k),
            hint_offer(0, self.hints_allowed),
        )
        self._place_box(focus.anchor)
        self.box.show()
        self.box.raise_()
        self.box.edit.setFocus()

    def _place_box(self, anchor=None) -> None:
        if anchor is None and self.current is not None:
            anchor = focus_for([self.tab.lesson.steps[self.current]], self.tab.lesson.sizes).anchor
        self.box.fit()
        corner = self.tab.view.answer_box_position(anchor, self.box.width(), self.box.height())
        self.box.move(int(corner.x()), int(corner.y()))

    def relayout(self) -> None:
        """The drawing changed size: move the open box beside its item again."""
        if self.current is not None:
            self._place_box()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Resize:
            QTimer.singleShot(0, self.relayout)  # after the view has laid its items out
        return False

    # ---- answering -------------------------------------------------------------------------
    def submit(self, text: str) -> None:
        """Enter in the box: the Quiz checks the answer."""
        if self.current is None or self.quiz is None:
            return
        k = self.current
        if not text.strip():  # Enter on an empty box is not an answer: nothing is recorded
            self.box.show_feedback("Type your answer first, then press Enter.", "note")
            self._place_box()
            return
        verdict = self.quiz.check(k, text)
        self._show_score()
        if verdict.correct:
            self._finish(k, verdict.message)
            return
        title = DIAGNOSES.get(verdict.diagnosis) if verdict.diagnosis else None
        words = f"{title[:1].upper()}{title[1:]}. {verdict.message}" if title else verdict.message
        self.box.show_feedback(words, "wrong")
        self.box.set_offer(hint_offer(self.hints_used, self.hints_allowed))
        self.box.edit.selectAll()
        self._place_box()

    def hint(self) -> None:
        """H: the next hint level, while the question allows more."""
        if self.current is None or self.quiz is None:
            return
        if self.hints_used >= self.hints_allowed:
            self.box.show_hint("No more hints for this question: try again, or Esc to see it.")
        else:
            self.hints_used += 1
            self.box.show_hint(self.quiz.hint(self.current, self.hints_used))
        self.box.set_offer(hint_offer(self.hints_used, self.hints_allowed))
        self._place_box()

    def reveal(self) -> None:
        """Esc: give up on this question; the Quiz records it and the step is shown."""
        if self.current is None or self.quiz is None:
            return
        k = self.current
        shown = self.quiz.reveal(k)
        self._show_score()
        self._finish(k, f"The answer was {shown}.")

    def _finish(self, k: int, message: str) -> None:
        """Close the box, animate step k as usual, then go on with the Step's unit."""
        self.box.hide()
        self.current = None
        self.tab.view.setFocus()
        self._moving = True
        try:
            self.tab.go_to(k + 1, animate=True)
        finally:
            self._moving = False
        if self.tab.position >= len(self.tab.lesson):
            message += " " + self.tab.message.text()  # and "Iteration 1 complete: ..."
        self.tab.show_message(message)
        self.tab.timeline.set_hidden(self._unanswered())
        if self.tab.view.is_animating():
            self._continue_pending = True  # the unit goes on when the animation ends
        else:
            self._continue_unit()

    def _on_animation_finished(self) -> None:
        if self._continue_pending and not self._moving:
            self._continue_pending = False
            # Not from inside the view's signal: the tab may still be drawing the step.
            QTimer.singleShot(0, self._continue_unit)

    def _continue_unit(self) -> None:
        """After an answered step: the unit's next question, else the rest of the unit."""
        end, tab = self.unit_end, self.tab
        if end is None or self.current is not None or tab.lesson is None:
            return
        end = min(end, len(tab.lesson))
        asked = questions_between(self.is_open, tab.position, end)
        if asked:
            self.ask_step(asked[0])
            return
        self.unit_end = None
        if tab.position < end:
            self._moving = True
            try:
                tab.go_to(end, animate=True, group=True)
            finally:
                self._moving = False
        self.after_move(tab.position)

    def close_question(self) -> None:
        """Close an open question without answering it (the student moved elsewhere)."""
        self.box.hide()
        self.current = None
        self.unit_end = None
        self._continue_pending = False

    def before_move(self) -> None:
        """The tab is about to move: a move the student made closes an open question."""
        if not self._moving and self.current is not None:
            self.close_question()
            self.tab.view.setFocus()

    def after_move(self, k: int) -> None:
        """The tab moved to k: the timeline's blanks, and the summary at the end."""
        if not self.active or self.quiz is None:
            return
        self.tab.timeline.set_hidden(self._unanswered())
        if k >= len(self.tab.lesson) and self.quiz.questions and self.unit_end is None:
            self.panel.show_summary(summary_text(self.quiz.score()))

    # ---- the score sheet -------------------------------------------------------------------
    def save_dialog(self) -> None:
        """Ask where to save the score sheet (a non-blocking file dialog)."""
        dialog = QFileDialog(self.tab, "Save the score sheet", "score-sheet.csv", "CSV (*.csv)")
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(self.save)
        dialog.open()
        self.dialog = dialog

    def save(self, path: str) -> bool:
        """Write the score sheet to `path`; says so (or why not) in the tab's message line."""
        if self.quiz is None:
            return False
        try:
            save_score_sheet(self.quiz, path)
        except (OSError, ValueError) as err:
            self.tab.show_message(f"Not saved: {err}", error=True)
            return False
        self.tab.show_message(f"Score sheet saved to {path}.")
        return True
