"""The lesson engine under numbers that overflow and arguments that are None.

Issue 8: inputs of 1e308, weights of 1e200 or lr 1e300 followed by the next iteration raise
OverflowError or "cannot convert float NaN to integer"; None arguments raise TypeError from
deep inside. A lesson whose numbers overflow must say so in words; a None is refused with a
LessonError or a TypeError whose message names the argument. These run in the test process:
a lesson is a few dozen scalars, nothing here can use much memory or time.
"""

from __future__ import annotations

import re

import pytest

from nncore import Network
from nncore.lesson import Lesson, LessonError, make_custom, make_lesson, render

# A lesson that overflows says so: one of these words in its text or its refusal.
OVERFLOW_WORDS = re.compile(r"overflow|too large|too big|infinit|not a number", re.I)
BARE_NON_NUMBERS = re.compile(r"\b(inf|nan)\b|∞", re.I)


def _network(weight: float | None = None) -> Network:
    net = Network((2, 3, 1), seed=0)
    if weight is not None:
        net.set_weights(0, [[weight] * 3] * 2)
        net.set_weights(1, [[weight]] * 3)
    return net


CASES = {
    "inputs 1e308": lambda: Lesson(_network(), x=(1e308, 1e308), target=0.0, lr=0.1),
    "inputs -1e308 and 1e308": lambda: Lesson(_network(), x=(-1e308, 1e308), target=1.0),
    "weights 1e200": lambda: Lesson(_network(1e200), x=(0.1, 0.3), target=0.2, lr=0.1),
    "custom weights 1e200": lambda: make_custom(
        sizes=(2, 3, 1), weights=[[[1e200] * 3] * 2, [[1e200]] * 3]
    ),
    "lr 1e300": lambda: Lesson(_network(), x=(0.1, 0.3), target=0.2, lr=1e300),
    "target 1e308": lambda: Lesson(_network(), x=(0.1, 0.3), target=1e308, lr=0.5),
    "perceptron inputs 1e200, lr 1e300": lambda: make_lesson(
        "perceptron", x=(1e200, 1e200, -1e200), lr=1e300
    ),
    "article inputs 1e300": lambda: make_lesson("article", x=(1e300, -1e300), target=0.0),
}


def _all_text(lesson) -> str:
    parts = [render(lesson, "markdown")]
    for step in lesson.steps:
        parts.append(str(step.formula))
    return "\n".join(parts)


@pytest.mark.parametrize("case", list(CASES))
def test_a_lesson_whose_numbers_overflow_says_so(case):
    """Refused up front with a one-line LessonError (a range the numbers must lie in, say),
    or built and rendered for three iterations; where a number overflowed, the text says so
    in words rather than printing a bare inf or nan. Nothing else escapes."""
    try:
        lesson = CASES[case]()
        text = _all_text(lesson)
        following = lesson.next_iteration()
        text += _all_text(following)
        text += _all_text(following.next_iteration())
    except LessonError as exc:
        assert "\n" not in str(exc) and str(exc).strip(), repr(str(exc))
        return
    except Exception as exc:  # what escaped is the finding
        pytest.fail(f"{case}: escaped as {type(exc).__name__}: {exc}")
    if BARE_NON_NUMBERS.search(text):
        assert OVERFLOW_WORDS.search(text), "a number overflowed and the lesson does not say so"


# argument → the words a message about it must use (one of them)
ARGUMENT_WORDS = {
    "network": ("network",),
    "x": ("input", " x"),
    "target": ("target",),
    "lr": ("learning rate", "lr"),
    "sizes": ("size",),
    "activations": ("activation",),
    "seed": ("seed",),
    "iteration": ("iteration",),
    "title": ("title",),
    "lesson": ("lesson",),
    "format": ("format",),
    "name": ("lesson", "name"),
}

NONE_CASES = {
    "Lesson(network=None)": ("network", lambda: Lesson(None, x=(0.1, 0.3), target=0.2)),
    "Lesson(x=None)": ("x", lambda: Lesson(_network(), x=None, target=0.2)),
    "Lesson(target=None)": ("target", lambda: Lesson(_network(), x=(0.1, 0.3), target=None)),
    "Lesson(lr=None)": ("lr", lambda: Lesson(_network(), x=(0.1, 0.3), target=0.2, lr=None)),
    "Lesson(iteration=None)": (
        "iteration",
        lambda: Lesson(_network(), x=(0.1, 0.3), target=0.2, iteration=None),
    ),
    "make_custom(sizes=None)": ("sizes", lambda: make_custom(sizes=None)),
    "make_custom(activations=None)": ("activations", lambda: make_custom(activations=None)),
    "make_custom(seed=None)": ("seed", lambda: make_custom(seed=None)),
    "make_custom(lr=None)": ("lr", lambda: make_custom(lr=None)),
    "make_custom(target=None)": ("target", lambda: make_custom(target=None)),
    "make_lesson(None)": ("name", lambda: make_lesson(None)),
    "make_lesson('article', lr=None)": ("lr", lambda: make_lesson("article", lr=None)),
    "render(None)": ("lesson", lambda: render(None, "markdown")),
    "render(lesson, None)": ("format", lambda: render(make_lesson("article"), None)),
}


@pytest.mark.parametrize("case", list(NONE_CASES))
def test_a_none_argument_is_refused_naming_the_argument(case):
    argument, call = NONE_CASES[case]
    try:
        call()
    except (LessonError, TypeError) as exc:
        message = str(exc).lower()
        words = ARGUMENT_WORDS[argument]
        assert any(w in message for w in words), f"{case}: {exc!r} does not name {argument}"
        assert "nonetype" not in message or any(w in message for w in words)
        assert "\n" not in message
    except Exception as exc:  # what escaped is the finding
        pytest.fail(f"{case}: escaped as {type(exc).__name__}: {exc}")
    else:
        # Accepting None is fine only where None means "the default" (a lesson is built).
        pass
