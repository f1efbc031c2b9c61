"""The Step tab's state as a lesson file (`nncore.lessonfile.LessonFile`), and back.

`capture(tab)` reads what the Step tab shows now: the preset (or "custom") with the network
this iteration starts from (edited weights included), iteration 1's network (for Reset),
the examples, the learning rate, the iteration, the loss chart's history, the granularity,
the step position and Predict mode's settings. `restore(tab, lesson_file)` shows exactly
that again, through the tab's public methods (`open_lesson`, `set_granularity`, `go_to`,
the Predict panel's choices), so the tab stays the one owner of its state.

    lesson_file = capture(window.step_tab, train={...}, locks=Locks(hidden=("editor",)))
    restore(other_window.step_tab, lesson_file)   # the same steps, numbers and position

`banner_text(locks)` words the "locked" banner. This module needs no Qt (the tab it is
given is duck-typed) and holds no arithmetic: the numbers come from the lesson.
"""

from __future__ import annotations

from typing import Any

from app.step.predict_logic import ASK_CHOICES, HINT_CHOICES
from nncore.lessonfile import MAX_HISTORY, LessonFile, Locks, PredictSettings


def capture(tab, **settings: Any) -> LessonFile:
    """What `tab` (a StepThroughTab) shows now, as a LessonFile; `settings` adds the other
    fields (train, locks, title, notes). Raises LessonFileError if a value cannot be kept."""
    ask = tab.predict.ask
    predict = PredictSettings(
        on=bool(tab.predict.active),
        ask=ask if isinstance(ask, str) else tuple(ask),
        hints=int(tab.predict.hints_allowed),
    )
    return LessonFile.from_lesson(
        tab.lesson,
        preset=tab.preset_name,
        start_network=tab.base_network,
        position=tab.position,
        granularity=tab.granularity,
        loss_history=list(tab.loss_history)[-MAX_HISTORY:],
        predict=predict,
        **settings,
    )


def restore(tab, lesson_file: LessonFile) -> list[str]:
    """Show `lesson_file` in `tab`; returns notes on what could not be shown as saved (a
    Predict choice the panel does not offer), empty when everything was."""
    notes = []
    lesson = lesson_file.make_lesson()
    predict = lesson_file.predict
    ask_index = ask_choice_index(predict.ask)
    if ask_index is None:
        notes.append(
            f"Predict mode asks {describe_ask(predict.ask)}, which the panel cannot "
            "show; it asks every step"
        )
        ask_index = 0
    # The file's choices are this lesson's, not the user's preferences: not remembered.
    tab.predict.choose(ask_index, HINT_CHOICES.index(predict.hints), remember=False)
    tab.open_lesson(
        lesson,
        lesson_file.preset,
        lesson_file.start_network(),
        chart_history(lesson_file.loss_history, lesson.iteration, lesson.loss_before),
    )
    tab.set_granularity(lesson_file.granularity)
    tab.predict.set_active(predict.on, remember=False)
    tab.go_to(lesson_file.position, animate=False)
    return notes


def chart_history(saved, iteration: int, loss_before: float) -> list[float]:
    """The loss chart's history as the tab keeps it: one loss per iteration so far, this
    iteration's starting loss last. A file may hold one fewer (the losses of the iterations
    before this one), or none."""
    history = list(saved)[:iteration]
    if len(history) == iteration:
        history[-1] = loss_before
    else:
        history.append(loss_before)
    return history


def ask_choice_index(ask) -> int | None:
    """The Predict panel's choice (an index into ASK_CHOICES) for a file's `ask`."""
    wanted = ask if isinstance(ask, str) else tuple(ask)
    for index, (_label, choice) in enumerate(ASK_CHOICES):
        if choice == wanted:
            return index
    return None


def describe_ask(ask) -> str:
    return ask if isinstance(ask, str) else ", ".join(ask)


def banner_text(locks: Locks) -> str:
    """The banner over a locked lesson: "This lesson is locked by its file: the editor and
    the Train tab hidden; the weights fixed"."""
    parts = []
    if locks.hidden:
        parts.append(f"{_names(locks.hidden)} hidden")
    if locks.locked:
        parts.append(f"{_names(locks.locked)} fixed")
    return "This lesson is locked by its file: " + "; ".join(parts) + "."


# How the banner names each control or value (HIDEABLE and LOCKABLE, nncore.lessonfile).
CONTROL_WORDS = {
    "lesson_choice": "the lesson list",
    "editor": "the network editor",
    "example": "the example fields",
    "granularity": "Step by",
    "timeline": "the timeline",
    "play": "Play",
    "next_iteration": "Next iteration",
    "reset": "Reset",
    "predict": "Predict mode",
    "inspector": "the inspector",
    "loss_chart": "the loss chart",
    "train_tab": "the Train tab",
    "network": "the network",
    "weights": "the weights",
    "inputs": "the inputs",
    "targets": "the targets",
    "learning_rate": "the learning rate",
    "train_settings": "the Train tab's settings",
}


def _names(names) -> str:
    words = [CONTROL_WORDS.get(n, n.replace("_", " ")) for n in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
