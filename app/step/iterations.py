"""Many training iterations at once ("Run 10", "Run 100"), with the engine. No Qt.

`run_ahead` calls `Lesson.next_iteration` again and again, collecting the loss each
iteration ended with (the loss chart's points), and stops cleanly at the first iteration
the engine refuses (a `LessonError`, e.g. the numbers overflow), keeping its message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nncore.lesson import Lesson


@dataclass
class RunAhead:
    """Where `count` iterations led: the lesson reached, the losses on the way, any stop."""

    lesson: Lesson
    losses: list[float] = field(default_factory=list)  # loss after each iteration run
    stopped: str = ""  # the engine's message if it refused an iteration, else ""


def run_ahead(lesson: Lesson, count: int) -> RunAhead:
    """Run up to `count` iterations from `lesson`; stops at the first one the engine refuses."""
    result = RunAhead(lesson)
    for _ in range(count):
        try:
            following = result.lesson.next_iteration()
        except ValueError as err:  # LessonError: told in words by the engine
            result.stopped = str(err)
            break
        result.losses.append(result.lesson.loss_after)
        result.lesson = following
    return result
